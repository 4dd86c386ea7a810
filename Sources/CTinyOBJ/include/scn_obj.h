#ifndef SCN_OBJ_H
#define SCN_OBJ_H

// Wavefront OBJ with its MTL materials, read with tinyobjloader 2.0 (Debian's
// libtinyobjloader), behind plain C so Swift needs no C++ interop. The OBJ's bytes come from
// the caller; every MTL file it names (`mtllib`) and every texture image its materials name
// (`map_Kd`) is read through the caller's callback after the path checks (relative, no `..`,
// inside the OBJ's folder once symbolic links are resolved). Polygons are triangulated;
// corners are merged per (position, normal, texture coordinate);
// every index is checked. Sizes are checked against the limits before the output is
// allocated. Errors are a message; nothing here aborts.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct scn_obj_limits {
  /// Largest file read (the OBJ and each MTL), in bytes.
  uint64_t max_file_bytes;
  /// Output vertices (merged corners) over all groups.
  uint64_t max_vertices;
  /// Triangles over all groups.
  uint64_t max_triangles;
  /// Groups (object or group × material).
  uint64_t max_groups;
} scn_obj_limits;

/// Reads a file the OBJ names: see scn_gltf_read_fn (same contract and codes).
typedef int (*scn_obj_read_fn)(void *user, const char *path, uint64_t max_bytes, unsigned char **bytes, size_t *size,
                               char *why, size_t why_capacity);

typedef struct scn_obj_material {
  /// Kd, Ke, and the PBR extension's Pr and Pm (roughness -1: not given, use Ns).
  double diffuse[3];
  double emission[3];
  double shininess;
  double roughness;
  double metallic;
  const char *name;  // owned by the scene
  /// map_Kd: the image file as written in the MTL ("" for none; owned by the scene), its
  /// undecoded bytes (read through the callback after the path checks; owned by the scene,
  /// NULL for none) and whether `-clamp on` was given (else the map repeats).
  const char *diffuse_texture;
  const unsigned char *diffuse_texture_bytes;
  size_t diffuse_texture_size;
  int32_t diffuse_texture_clamp;
} scn_obj_material;

/// The triangles of one object or group (`o`/`g`) with one material.
typedef struct scn_obj_group {
  const char *name;  // the object's or group's name (may be empty); owned by the scene
  int32_t material;  // index into materials, or -1
  uint32_t vertex_count;
  float *positions;  // 3 × vertex_count
  float *normals;    // 3 × vertex_count, or NULL when a corner of the group has none
  float *texcoords;  // 2 × vertex_count (`vt` u, v), or NULL when a corner of the group has none
  uint64_t index_count;
  uint32_t *indices;  // three per triangle, each < vertex_count
} scn_obj_group;

typedef struct scn_obj_scene {
  scn_obj_group *groups;
  uint32_t group_count;
  scn_obj_material *materials;
  uint32_t material_count;
  /// The files read (MTL files as written after `mtllib`, texture images as written after
  /// `map_Kd`), in the order read; owned by the scene.
  const char **files;
  uint32_t file_count;
  void *storage;
} scn_obj_scene;

enum {
  SCN_OBJ_OK = 0,
  SCN_OBJ_PATH_REFUSED = 1,
  SCN_OBJ_TOO_LARGE = 2,
  SCN_OBJ_MALFORMED = 3,
  SCN_OBJ_IO = 4,
};

/// Reads the OBJ in `bytes` (from the folder `folder`, "" for the current one) into `out`.
/// On failure returns a nonzero code, leaves `out` empty and writes a message.
int scn_obj_load_memory(const unsigned char *bytes, size_t size, const char *folder, scn_obj_read_fn read, void *user,
                        const scn_obj_limits *limits, scn_obj_scene *out, char *message, size_t message_capacity);

/// Frees everything `scn_obj_load_memory` allocated in `scene` and zeroes it.
void scn_obj_free(scn_obj_scene *scene);

#ifdef __cplusplus
}
#endif

#endif
