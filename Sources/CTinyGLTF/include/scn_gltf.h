#ifndef SCN_GLTF_H
#define SCN_GLTF_H

// glTF 2.0 (.gltf with external or embedded buffers, .glb) read with tinygltf 2.7
// (Debian's libtinygltf), behind plain C so Swift needs no C++ interop. Every file the
// asset names (buffers, images) is read through callbacks that refuse a URI that is
// absolute, has a `..` component or resolves (symlinks followed) outside the folder of the
// asset file, and that refuse any file larger than the byte limit before reading it.
// Sizes (vertices, triangles, primitives, nodes) are checked against the limits before
// anything is allocated for them. Errors are a message plus a JSON pointer into the asset
// (e.g. "/meshes/0/primitives/1/attributes/POSITION"); nothing here aborts or longjmps.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scn_gltf_limits {
  /// Largest file read (the asset itself and each buffer or image it names), in bytes.
  uint64_t max_file_bytes;
  /// Vertices over all primitives of all meshes.
  uint64_t max_vertices;
  /// Triangles over all primitives of all meshes.
  uint64_t max_triangles;
  /// Mesh instances (node × primitive) in the scene.
  uint64_t max_instances;
} scn_gltf_limits;

typedef struct scn_gltf_material {
  /// baseColorFactor, linear RGBA.
  double base_color[4];
  double metallic;
  double roughness;
  /// emissiveFactor, linear RGB (0…1; glTF has no absolute luminance).
  double emissive[3];
  /// Index into `images` of the base colour texture's image, or -1.
  int32_t base_color_image;
  /// The base colour texture's sampler: wrapS and wrapT (10497 REPEAT, 33071
  /// CLAMP_TO_EDGE, 33648 MIRRORED_REPEAT; REPEAT when the texture has no sampler) and
  /// magFilter (9728 NEAREST, 9729 LINEAR, -1 unset: LINEAR).
  int32_t wrap_s;
  int32_t wrap_t;
  int32_t mag_filter;
  /// The material's name (may be empty); owned by the scene.
  const char *name;
} scn_gltf_material;

/// One glTF primitive (mode TRIANGLES) in its mesh's frame.
typedef struct scn_gltf_primitive {
  uint32_t vertex_count;
  /// Three per triangle, each < vertex_count.
  uint64_t index_count;
  float *positions;  // 3 × vertex_count
  float *normals;    // 3 × vertex_count, or NULL
  float *texcoords;  // 2 × vertex_count (TEXCOORD_0, normalized integers read as 0…1), or NULL
  uint32_t *indices;
  /// Index into `materials`, or -1 (glTF's default material).
  int32_t material;
} scn_gltf_primitive;

/// A primitive placed in the scene by its node's world matrix (column-major 4 × 4, the
/// node's hierarchy applied).
typedef struct scn_gltf_instance {
  uint32_t primitive;
  /// The glTF node's index.
  int32_t node;
  double matrix[16];
  /// The node's name (may be empty); owned by the scene.
  const char *node_name;
} scn_gltf_instance;

typedef struct scn_gltf_image {
  /// "image/png", "image/jpeg" or whatever the asset declares; owned by the scene.
  const char *mime_type;
  /// The URI it came from ("" when embedded in a buffer view or a data: URI).
  const char *uri;
  unsigned char *bytes;  // undecoded
  size_t size;
} scn_gltf_image;

typedef struct scn_gltf_scene {
  scn_gltf_primitive *primitives;
  uint32_t primitive_count;
  scn_gltf_instance *instances;
  uint32_t instance_count;
  scn_gltf_material *materials;
  uint32_t material_count;
  scn_gltf_image *images;
  uint32_t image_count;
  /// The files read besides the asset itself (buffers, images), as URIs relative to the
  /// asset's folder, in the order read; owned by the scene.
  const char **files;
  uint32_t file_count;
  /// Opaque storage behind the strings above.
  void *storage;
} scn_gltf_scene;

enum {
  SCN_GLTF_OK = 0,
  /// A URI that is absolute, has a `..` component or leaves the asset's folder.
  SCN_GLTF_PATH_REFUSED = 1,
  /// Over a limit.
  SCN_GLTF_TOO_LARGE = 2,
  /// Not valid glTF 2.0, or a feature this reader does not support.
  SCN_GLTF_MALFORMED = 3,
  /// A file could not be read.
  SCN_GLTF_IO = 4,
};

/// Reads a file the asset names, for `scn_gltf_load_memory`: `path` is the asset's folder
/// joined with the URI, already checked to lie inside that folder. On success stores
/// malloc'ed bytes (freed by the reader with free) in `*bytes`, their count in `*size` and
/// returns SCN_GLTF_OK; a file over `max_bytes` is SCN_GLTF_TOO_LARGE (refused before it is
/// read), any other failure SCN_GLTF_IO, with a message in `why` (NUL-terminated, truncated).
typedef int (*scn_gltf_read_fn)(void *user, const char *path, uint64_t max_bytes, unsigned char **bytes, size_t *size,
                                char *why, size_t why_capacity);

/// Like `scn_gltf_load`, for an asset whose bytes the caller has already read (`bytes`,
/// `size`, at most the limit), with its folder's path (`folder`, "" for the current one).
/// Every buffer and image it names is read through `read` (with `user`), after the path
/// checks, so the caller sees and can hash every byte the asset depends on.
int scn_gltf_load_memory(const unsigned char *bytes, size_t size, const char *folder, scn_gltf_read_fn read, void *user,
                         const scn_gltf_limits *limits, scn_gltf_scene *out, char *message, size_t message_capacity,
                         char *pointer, size_t pointer_capacity);

/// Reads the asset at `path` (.glb by its magic, otherwise .gltf JSON) into `out`. Buffer and
/// image URIs resolve relative to the asset's folder and may not leave it. On failure
/// returns a nonzero code, leaves `out` empty and writes a message to `message` and a JSON
/// pointer to `pointer` (both NUL-terminated, truncated to their capacities).
int scn_gltf_load(const char *path, const scn_gltf_limits *limits, scn_gltf_scene *out, char *message,
                  size_t message_capacity, char *pointer, size_t pointer_capacity);

/// Frees everything `scn_gltf_load` allocated in `scene` and zeroes it.
void scn_gltf_free(scn_gltf_scene *scene);

#ifdef __cplusplus
}
#endif

#endif
