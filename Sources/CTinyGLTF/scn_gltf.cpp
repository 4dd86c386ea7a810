// glTF 2.0 through tinygltf (declarations only: the implementation is Debian's
// libtinygltf.so, built with nlohmann/json). See include/scn_gltf.h for the contract.
#include "scn_gltf.h"

#include <tiny_gltf.h>

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace {

struct Failure {
  int code;
  std::string message;
  std::string pointer;
};

struct FsContext {
  std::string root;  // realpath of the asset's folder, no trailing '/'
  uint64_t max_file_bytes;
  bool refused = false;
  int refusal_code = SCN_GLTF_OK;
  std::string refusal;
  std::vector<std::string> read;  // URIs read
  scn_gltf_read_fn read_fn = nullptr;  // nullptr: read_limited
  void *read_user = nullptr;
};

bool has_dotdot_component(const std::string &uri) {
  size_t start = 0;
  while (start <= uri.size()) {
    size_t end = uri.find_first_of("/\\", start);
    if (end == std::string::npos) end = uri.size();
    if (uri.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

void refuse(FsContext *ctx, int code, const std::string &why) {
  if (!ctx->refused) {
    ctx->refused = true;
    ctx->refusal_code = code;
    ctx->refusal = why;
  }
}

// The URI part of `path` (tinygltf joins the base folder and the URI), or false when the
// path is not under the base folder (tinygltf's fallback search of ".").
bool uri_of(const FsContext *ctx, const std::string &path, std::string *uri) {
  const std::string prefix = ctx->root + "/";
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  *uri = path.substr(prefix.size());
  return true;
}

// Whether `path` may be opened: a relative URI without `..` whose real path stays in the
// root. Records why not.
bool allowed(FsContext *ctx, const std::string &path) {
  std::string uri;
  if (!uri_of(ctx, path, &uri)) {
    refuse(ctx, SCN_GLTF_PATH_REFUSED, "URI '" + path + "' is not inside the asset's folder");
    return false;
  }
  if (uri.empty() || uri[0] == '/' || uri[0] == '\\' || uri.find(':') != std::string::npos) {
    refuse(ctx, SCN_GLTF_PATH_REFUSED, "URI '" + uri + "' is absolute or has a scheme; only relative paths inside the asset's folder and data: URIs are allowed");
    return false;
  }
  if (has_dotdot_component(uri)) {
    refuse(ctx, SCN_GLTF_PATH_REFUSED, "URI '" + uri + "' has a '..' component; it may not leave the asset's folder");
    return false;
  }
  char *resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) {
    refuse(ctx, SCN_GLTF_IO, "file '" + uri + "' named by the asset does not exist");
    return false;
  }
  std::string real(resolved);
  free(resolved);
  const std::string prefix = ctx->root + "/";
  if (real.compare(0, prefix.size(), prefix) != 0) {
    refuse(ctx, SCN_GLTF_PATH_REFUSED, "URI '" + uri + "' resolves (through a symbolic link) outside the asset's folder");
    return false;
  }
  return true;
}

bool fs_exists(const std::string &path, void *user) {
  return allowed(static_cast<FsContext *>(user), path);
}

std::string fs_expand(const std::string &path, void *) { return path; }

// Reads a regular file of at most `limit` bytes, checking the size before allocating.
bool read_limited(const std::string &path, uint64_t limit, std::vector<unsigned char> *out, std::string *why,
                  bool *too_large) {
  *too_large = false;
  FILE *f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *why = "cannot open '" + path + "'";
    return false;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    std::fclose(f);
    *why = "'" + path + "' is not a regular file";
    return false;
  }
  if (static_cast<uint64_t>(st.st_size) > limit) {
    std::fclose(f);
    *too_large = true;
    *why = "'" + path + "' has " + std::to_string(static_cast<long long>(st.st_size)) + " bytes, more than the limit of " +
           std::to_string(static_cast<unsigned long long>(limit));
    return false;
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t got = out->empty() ? 0 : std::fread(out->data(), 1, out->size(), f);
  std::fclose(f);
  if (got != out->size()) {
    *why = "short read of '" + path + "'";
    return false;
  }
  return true;
}

bool fs_read(std::vector<unsigned char> *out, std::string *err, const std::string &path, void *user) {
  FsContext *ctx = static_cast<FsContext *>(user);
  if (!allowed(ctx, path)) {
    if (err) *err += ctx->refusal;
    return false;
  }
  std::string why;
  bool too_large = false;
  if (ctx->read_fn != nullptr) {
    unsigned char *bytes = nullptr;
    size_t size = 0;
    char message[512] = {0};
    const int code = ctx->read_fn(ctx->read_user, path.c_str(), ctx->max_file_bytes, &bytes, &size, message, sizeof message);
    if (code != SCN_GLTF_OK || (bytes == nullptr && size != 0) || size > ctx->max_file_bytes) {
      std::free(bytes);
      why = message[0] ? std::string(message) : "cannot read '" + path + "'";
      refuse(ctx, code == SCN_GLTF_TOO_LARGE ? SCN_GLTF_TOO_LARGE : SCN_GLTF_IO, why);
      if (err) *err += why;
      return false;
    }
    try {
      out->assign(bytes, bytes + size);
    } catch (...) {
      std::free(bytes);
      throw;
    }
    std::free(bytes);
  } else if (!read_limited(path, ctx->max_file_bytes, out, &why, &too_large)) {
    refuse(ctx, too_large ? SCN_GLTF_TOO_LARGE : SCN_GLTF_IO, why);
    if (err) *err += why;
    return false;
  }
  std::string uri;
  if (uri_of(ctx, path, &uri)) ctx->read.push_back(uri);
  return true;
}

bool fs_write(std::string *err, const std::string &, const std::vector<unsigned char> &, void *) {
  if (err) *err += "writing is not allowed";
  return false;
}

// Images are kept undecoded: tinygltf hands over the bytes of each (from a file, a data:
// URI or a buffer view) and they are copied as they are.
bool keep_image_bytes(tinygltf::Image *image, const int, std::string *, std::string *, int, int,
                      const unsigned char *bytes, int size, void *) {
  if (size < 0) return false;
  image->image.assign(bytes, bytes + size);
  image->as_is = true;
  return true;
}

size_t component_size(int type) {
  switch (type) {
    case TINYGLTF_COMPONENT_TYPE_BYTE:
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE: return 1;
    case TINYGLTF_COMPONENT_TYPE_SHORT:
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT: return 2;
    case TINYGLTF_COMPONENT_TYPE_INT:
    case TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT:
    case TINYGLTF_COMPONENT_TYPE_FLOAT: return 4;
    case TINYGLTF_COMPONENT_TYPE_DOUBLE: return 8;
    default: return 0;
  }
}

size_t component_count(int type) {
  switch (type) {
    case TINYGLTF_TYPE_SCALAR: return 1;
    case TINYGLTF_TYPE_VEC2: return 2;
    case TINYGLTF_TYPE_VEC3: return 3;
    case TINYGLTF_TYPE_VEC4: return 4;
    case TINYGLTF_TYPE_MAT2: return 4;
    case TINYGLTF_TYPE_MAT3: return 9;
    case TINYGLTF_TYPE_MAT4: return 16;
    default: return 0;
  }
}

// A validated view of an accessor's bytes: element i starts at base + i * stride.
struct AccessorView {
  const unsigned char *base = nullptr;
  size_t stride = 0;
  size_t count = 0;
  int component_type = 0;
};

bool view_accessor(const tinygltf::Model &m, int index, const std::string &where, AccessorView *out, Failure *f) {
  if (index < 0 || static_cast<size_t>(index) >= m.accessors.size()) {
    *f = {SCN_GLTF_MALFORMED, "accessor index " + std::to_string(index) + " does not exist", where};
    return false;
  }
  const tinygltf::Accessor &a = m.accessors[static_cast<size_t>(index)];
  const std::string at = "/accessors/" + std::to_string(index);
  if (a.sparse.isSparse) {
    *f = {SCN_GLTF_MALFORMED, "sparse accessors are not supported", at + "/sparse"};
    return false;
  }
  if (a.bufferView < 0 || static_cast<size_t>(a.bufferView) >= m.bufferViews.size()) {
    *f = {SCN_GLTF_MALFORMED, "accessor has no valid bufferView", at + "/bufferView"};
    return false;
  }
  const tinygltf::BufferView &v = m.bufferViews[static_cast<size_t>(a.bufferView)];
  const std::string vat = "/bufferViews/" + std::to_string(a.bufferView);
  if (v.buffer < 0 || static_cast<size_t>(v.buffer) >= m.buffers.size()) {
    *f = {SCN_GLTF_MALFORMED, "bufferView names no valid buffer", vat + "/buffer"};
    return false;
  }
  const std::vector<unsigned char> &data = m.buffers[static_cast<size_t>(v.buffer)].data;
  const size_t csize = component_size(a.componentType), ccount = component_count(a.type);
  if (csize == 0 || ccount == 0) {
    *f = {SCN_GLTF_MALFORMED, "accessor has an invalid componentType or type", at};
    return false;
  }
  const uint64_t element = static_cast<uint64_t>(csize) * ccount;
  const uint64_t stride = v.byteStride == 0 ? element : static_cast<uint64_t>(v.byteStride);
  if (stride < element) {
    *f = {SCN_GLTF_MALFORMED, "byteStride " + std::to_string(v.byteStride) + " is smaller than an element (" +
                                  std::to_string(element) + " bytes)", vat + "/byteStride"};
    return false;
  }
  const uint64_t view_end = static_cast<uint64_t>(v.byteOffset) + static_cast<uint64_t>(v.byteLength);
  if (view_end < v.byteOffset || view_end > data.size()) {
    *f = {SCN_GLTF_MALFORMED, "bufferView (offset " + std::to_string(v.byteOffset) + ", length " +
                                  std::to_string(v.byteLength) + ") runs past its buffer of " +
                                  std::to_string(data.size()) + " bytes", vat};
    return false;
  }
  if (a.count > 0) {
    // offset + stride × (count − 1) + element ≤ byteLength, without overflow (count and
    // stride are far below 2^32 once the buffer holds them).
    const uint64_t count = static_cast<uint64_t>(a.count);
    if (count > (UINT64_C(1) << 32) || stride > (UINT64_C(1) << 16)) {
      *f = {SCN_GLTF_MALFORMED, "accessor count or stride out of range", at + "/count"};
      return false;
    }
    const uint64_t need = static_cast<uint64_t>(a.byteOffset) + stride * (count - 1) + element;
    if (need > v.byteLength) {
      *f = {SCN_GLTF_MALFORMED, "accessor of " + std::to_string(a.count) + " elements needs " + std::to_string(need) +
                                    " bytes of its bufferView of " + std::to_string(v.byteLength), at + "/count"};
      return false;
    }
  }
  out->base = data.data() + v.byteOffset + a.byteOffset;
  out->stride = static_cast<size_t>(stride);
  out->count = a.count;
  out->component_type = a.componentType;
  return true;
}

bool float_vec3(const tinygltf::Model &m, int index, const std::string &where, AccessorView *out, Failure *f) {
  if (!view_accessor(m, index, where, out, f)) return false;
  const tinygltf::Accessor &a = m.accessors[static_cast<size_t>(index)];
  if (a.type != TINYGLTF_TYPE_VEC3 || a.componentType != TINYGLTF_COMPONENT_TYPE_FLOAT || a.normalized) {
    *f = {SCN_GLTF_MALFORMED, "expected a VEC3 accessor of FLOAT (5126)", "/accessors/" + std::to_string(index)};
    return false;
  }
  return true;
}

// TEXCOORD_0: VEC2 of FLOAT, or of normalized UNSIGNED_BYTE / UNSIGNED_SHORT (glTF 2.0,
// 3.7.2.1), read as floats.
bool texcoord_vec2(const tinygltf::Model &m, int index, const std::string &where, AccessorView *out, Failure *f) {
  if (!view_accessor(m, index, where, out, f)) return false;
  const tinygltf::Accessor &a = m.accessors[static_cast<size_t>(index)];
  const bool ok = a.type == TINYGLTF_TYPE_VEC2 &&
                  (a.componentType == TINYGLTF_COMPONENT_TYPE_FLOAT ||
                   (a.normalized && (a.componentType == TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE ||
                                     a.componentType == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT)));
  if (!ok) {
    *f = {SCN_GLTF_MALFORMED, "TEXCOORD_0 must be a VEC2 accessor of FLOAT or of normalized UNSIGNED_BYTE or UNSIGNED_SHORT",
          "/accessors/" + std::to_string(index)};
    return false;
  }
  return true;
}

float texcoord_component(const AccessorView &v, size_t i, int k) {
  const unsigned char *e = v.base + i * v.stride;
  if (v.component_type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE) return static_cast<float>(e[k]) / 255.0f;
  if (v.component_type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT) {
    uint16_t s;
    std::memcpy(&s, e + 2 * k, 2);
    return static_cast<float>(s) / 65535.0f;
  }
  float x;
  std::memcpy(&x, e + 4 * k, 4);
  return x;
}

void multiply(const double a[16], const double b[16], double out[16]) {
  double r[16];
  for (int c = 0; c < 4; ++c)
    for (int row = 0; row < 4; ++row) {
      double s = 0;
      for (int k = 0; k < 4; ++k) s += a[k * 4 + row] * b[c * 4 + k];
      r[c * 4 + row] = s;
    }
  std::memcpy(out, r, sizeof r);
}

bool local_matrix(const tinygltf::Node &n, double out[16]) {
  if (n.matrix.size() == 16) {
    for (int i = 0; i < 16; ++i) out[i] = n.matrix[static_cast<size_t>(i)];
  } else {
    double t[3] = {0, 0, 0}, q[4] = {0, 0, 0, 1}, s[3] = {1, 1, 1};
    if (n.translation.size() == 3) for (int i = 0; i < 3; ++i) t[i] = n.translation[static_cast<size_t>(i)];
    if (n.rotation.size() == 4) for (int i = 0; i < 4; ++i) q[i] = n.rotation[static_cast<size_t>(i)];
    if (n.scale.size() == 3) for (int i = 0; i < 3; ++i) s[i] = n.scale[static_cast<size_t>(i)];
    const double x = q[0], y = q[1], z = q[2], w = q[3];
    const double r[9] = {1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w),
                         2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w),
                         2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y)};
    for (int c = 0; c < 3; ++c) {
      for (int row = 0; row < 3; ++row) out[c * 4 + row] = r[c * 3 + row] * s[c];
      out[c * 4 + 3] = 0;
    }
    out[12] = t[0];
    out[13] = t[1];
    out[14] = t[2];
    out[15] = 1;
  }
  for (int i = 0; i < 16; ++i)
    if (!std::isfinite(out[i])) return false;
  return true;
}

struct Builder {
  const tinygltf::Model &model;
  const scn_gltf_limits &limits;
  // First primitive index of each mesh, once converted (-1: not yet).
  std::vector<long long> mesh_first;
  std::vector<scn_gltf_primitive> primitives;
  std::vector<scn_gltf_instance> instances;
  std::vector<std::string> strings;  // node names (stable: reserved up front)
  std::vector<bool> visited;
  uint64_t vertices = 0, triangles = 0;

  Builder(const tinygltf::Model &m, const scn_gltf_limits &l)
      : model(m), limits(l), mesh_first(m.meshes.size(), -1), visited(m.nodes.size(), false) {}

  bool convert_mesh(size_t mi, Failure *f) {
    const tinygltf::Mesh &mesh = model.meshes[mi];
    mesh_first[mi] = static_cast<long long>(primitives.size());
    for (size_t pi = 0; pi < mesh.primitives.size(); ++pi) {
      const tinygltf::Primitive &p = mesh.primitives[pi];
      const std::string at = "/meshes/" + std::to_string(mi) + "/primitives/" + std::to_string(pi);
      if (p.mode != TINYGLTF_MODE_TRIANGLES && p.mode != -1) {
        *f = {SCN_GLTF_MALFORMED, "primitive mode " + std::to_string(p.mode) + " is not supported (only TRIANGLES, 4)", at + "/mode"};
        return false;
      }
      auto pos = p.attributes.find("POSITION");
      if (pos == p.attributes.end()) {
        *f = {SCN_GLTF_MALFORMED, "primitive has no POSITION attribute", at + "/attributes"};
        return false;
      }
      AccessorView pv;
      if (!float_vec3(model, pos->second, at + "/attributes/POSITION", &pv, f)) return false;
      if (pv.count > limits.max_vertices - vertices) {
        *f = {SCN_GLTF_TOO_LARGE, "asset has more than " + std::to_string(limits.max_vertices) + " vertices", at + "/attributes/POSITION"};
        return false;
      }
      AccessorView nv;
      bool has_normals = false;
      auto nor = p.attributes.find("NORMAL");
      if (nor != p.attributes.end()) {
        if (!float_vec3(model, nor->second, at + "/attributes/NORMAL", &nv, f)) return false;
        if (nv.count != pv.count) {
          *f = {SCN_GLTF_MALFORMED, "NORMAL has " + std::to_string(nv.count) + " elements for " + std::to_string(pv.count) + " positions", at + "/attributes/NORMAL"};
          return false;
        }
        has_normals = true;
      }
      AccessorView tv;
      bool has_texcoords = false;
      auto tex = p.attributes.find("TEXCOORD_0");
      if (tex != p.attributes.end()) {
        if (!texcoord_vec2(model, tex->second, at + "/attributes/TEXCOORD_0", &tv, f)) return false;
        if (tv.count != pv.count) {
          *f = {SCN_GLTF_MALFORMED, "TEXCOORD_0 has " + std::to_string(tv.count) + " elements for " + std::to_string(pv.count) + " positions", at + "/attributes/TEXCOORD_0"};
          return false;
        }
        has_texcoords = true;
      }
      AccessorView iv;
      uint64_t index_count = pv.count;
      if (p.indices >= 0) {
        if (!view_accessor(model, p.indices, at + "/indices", &iv, f)) return false;
        const tinygltf::Accessor &ia = model.accessors[static_cast<size_t>(p.indices)];
        if (ia.type != TINYGLTF_TYPE_SCALAR ||
            (ia.componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE && ia.componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT &&
             ia.componentType != TINYGLTF_COMPONENT_TYPE_UNSIGNED_INT)) {
          *f = {SCN_GLTF_MALFORMED, "indices must be a SCALAR accessor of unsigned integers", "/accessors/" + std::to_string(p.indices)};
          return false;
        }
        index_count = iv.count;
      }
      if (index_count % 3 != 0) {
        *f = {SCN_GLTF_MALFORMED, std::to_string(index_count) + " indices is not a whole number of triangles", at};
        return false;
      }
      if (index_count / 3 > limits.max_triangles - triangles) {
        *f = {SCN_GLTF_TOO_LARGE, "asset has more than " + std::to_string(limits.max_triangles) + " triangles", at};
        return false;
      }
      vertices += pv.count;
      triangles += index_count / 3;
      scn_gltf_primitive out{};
      out.vertex_count = static_cast<uint32_t>(pv.count);
      out.index_count = index_count;
      out.material = p.material >= 0 && static_cast<size_t>(p.material) < model.materials.size() ? p.material : -1;
      if (p.material >= 0 && out.material < 0) {
        *f = {SCN_GLTF_MALFORMED, "material index " + std::to_string(p.material) + " does not exist", at + "/material"};
        return false;
      }
      out.positions = static_cast<float *>(std::malloc(sizeof(float) * 3 * (pv.count ? pv.count : 1)));
      out.normals = has_normals ? static_cast<float *>(std::malloc(sizeof(float) * 3 * (pv.count ? pv.count : 1))) : nullptr;
      out.texcoords = has_texcoords ? static_cast<float *>(std::malloc(sizeof(float) * 2 * (pv.count ? pv.count : 1))) : nullptr;
      out.indices = static_cast<uint32_t *>(std::malloc(sizeof(uint32_t) * (index_count ? index_count : 1)));
      primitives.push_back(out);  // owned from here on (freed with the scene on failure)
      if (out.positions == nullptr || (has_normals && out.normals == nullptr) || (has_texcoords && out.texcoords == nullptr) ||
          out.indices == nullptr) {
        *f = {SCN_GLTF_TOO_LARGE, "out of memory", at};
        return false;
      }
      for (size_t i = 0; i < pv.count; ++i) {
        std::memcpy(out.positions + 3 * i, pv.base + i * pv.stride, 12);
        if (!std::isfinite(out.positions[3 * i]) || !std::isfinite(out.positions[3 * i + 1]) || !std::isfinite(out.positions[3 * i + 2])) {
          *f = {SCN_GLTF_MALFORMED, "position " + std::to_string(i) + " is not finite", "/accessors/" + std::to_string(pos->second)};
          return false;
        }
        if (has_normals) std::memcpy(out.normals + 3 * i, nv.base + i * nv.stride, 12);
        if (has_texcoords) {
          out.texcoords[2 * i] = texcoord_component(tv, i, 0);
          out.texcoords[2 * i + 1] = texcoord_component(tv, i, 1);
          if (!std::isfinite(out.texcoords[2 * i]) || !std::isfinite(out.texcoords[2 * i + 1])) {
            *f = {SCN_GLTF_MALFORMED, "texture coordinate " + std::to_string(i) + " is not finite", "/accessors/" + std::to_string(tex->second)};
            return false;
          }
        }
      }
      for (uint64_t i = 0; i < index_count; ++i) {
        uint32_t value;
        if (p.indices < 0) {
          value = static_cast<uint32_t>(i);
        } else {
          const unsigned char *e = iv.base + i * iv.stride;
          if (iv.component_type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_BYTE) {
            value = e[0];
          } else if (iv.component_type == TINYGLTF_COMPONENT_TYPE_UNSIGNED_SHORT) {
            uint16_t s;
            std::memcpy(&s, e, 2);
            value = s;
          } else {
            std::memcpy(&value, e, 4);
          }
          if (value >= pv.count) {
            *f = {SCN_GLTF_MALFORMED, "index " + std::to_string(value) + " at position " + std::to_string(i) + " is out of range for " +
                                          std::to_string(pv.count) + " vertices", "/accessors/" + std::to_string(p.indices)};
            return false;
          }
        }
        out.indices[i] = value;
      }
    }
    return true;
  }

  bool visit(int node, const double parent[16], int depth, Failure *f) {
    const std::string at = "/nodes/" + std::to_string(node);
    if (node < 0 || static_cast<size_t>(node) >= model.nodes.size()) {
      *f = {SCN_GLTF_MALFORMED, "node index " + std::to_string(node) + " does not exist", at};
      return false;
    }
    if (visited[static_cast<size_t>(node)]) {
      *f = {SCN_GLTF_MALFORMED, "node is reached twice (a cycle or a node with two parents)", at};
      return false;
    }
    visited[static_cast<size_t>(node)] = true;
    if (depth > 64) {
      *f = {SCN_GLTF_TOO_LARGE, "node hierarchy deeper than 64 levels", at};
      return false;
    }
    const tinygltf::Node &n = model.nodes[static_cast<size_t>(node)];
    double local[16], world[16];
    if (!local_matrix(n, local)) {
      *f = {SCN_GLTF_MALFORMED, "node transform is not finite", at};
      return false;
    }
    multiply(parent, local, world);
    if (n.mesh >= 0) {
      if (static_cast<size_t>(n.mesh) >= model.meshes.size()) {
        *f = {SCN_GLTF_MALFORMED, "mesh index " + std::to_string(n.mesh) + " does not exist", at + "/mesh"};
        return false;
      }
      const size_t mi = static_cast<size_t>(n.mesh);
      if (mesh_first[mi] < 0 && !convert_mesh(mi, f)) return false;
      const size_t count = model.meshes[mi].primitives.size();
      if (count > limits.max_instances || instances.size() > limits.max_instances - count) {
        *f = {SCN_GLTF_TOO_LARGE, "asset places more than " + std::to_string(limits.max_instances) + " mesh instances", at};
        return false;
      }
      for (size_t k = 0; k < count; ++k) {
        scn_gltf_instance inst{};
        inst.primitive = static_cast<uint32_t>(mesh_first[mi] + static_cast<long long>(k));
        std::memcpy(inst.matrix, world, sizeof world);
        inst.node = node;
        instances.push_back(inst);
      }
    }
    for (int child : n.children)
      if (!visit(child, world, depth + 1, f)) return false;
    return true;
  }
};

struct Storage {
  std::vector<std::string> strings;
};

void free_primitives(std::vector<scn_gltf_primitive> &ps) {
  for (auto &p : ps) {
    std::free(p.positions);
    std::free(p.normals);
    std::free(p.texcoords);
    std::free(p.indices);
  }
  ps.clear();
}

void write_out(const std::string &s, char *buffer, size_t capacity) {
  if (buffer == nullptr || capacity == 0) return;
  size_t n = s.size() < capacity - 1 ? s.size() : capacity - 1;
  std::memcpy(buffer, s.data(), n);
  buffer[n] = '\0';
}

std::string first_line(const std::string &s) {
  std::string t = s;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  size_t nl = t.find('\n');
  return nl == std::string::npos ? t : t.substr(0, nl);
}

int load_bytes(const std::vector<unsigned char> &bytes, FsContext &ctx, const scn_gltf_limits &limits,
               scn_gltf_scene *out, Failure *f);

int load(const char *path, const scn_gltf_limits &limits, scn_gltf_scene *out, Failure *f) {
  char *real = realpath(path, nullptr);
  if (real == nullptr) {
    *f = {SCN_GLTF_IO, std::string("cannot open '") + path + "'", ""};
    return f->code;
  }
  std::string file(real);
  free(real);
  const size_t slash = file.find_last_of('/');
  FsContext ctx;
  ctx.root = slash == std::string::npos || slash == 0 ? std::string() : file.substr(0, slash);
  ctx.max_file_bytes = limits.max_file_bytes;

  std::vector<unsigned char> bytes;
  std::string why;
  bool too_large = false;
  if (!read_limited(file, limits.max_file_bytes, &bytes, &why, &too_large)) {
    *f = {too_large ? SCN_GLTF_TOO_LARGE : SCN_GLTF_IO, why, ""};
    return f->code;
  }
  return load_bytes(bytes, ctx, limits, out, f);
}

int load_memory(const unsigned char *data, size_t size, const char *folder, scn_gltf_read_fn read, void *user,
                const scn_gltf_limits &limits, scn_gltf_scene *out, Failure *f) {
  if (size > limits.max_file_bytes) {
    *f = {SCN_GLTF_TOO_LARGE, "the asset has " + std::to_string(static_cast<unsigned long long>(size)) +
                                  " bytes, more than the limit of " +
                                  std::to_string(static_cast<unsigned long long>(limits.max_file_bytes)), ""};
    return f->code;
  }
  char *real = realpath(folder[0] ? folder : ".", nullptr);
  if (real == nullptr) {
    *f = {SCN_GLTF_IO, std::string("cannot open the folder '") + folder + "'", ""};
    return f->code;
  }
  FsContext ctx;
  ctx.root = std::string(real);
  free(real);
  if (ctx.root == "/") ctx.root.clear();
  ctx.max_file_bytes = limits.max_file_bytes;
  ctx.read_fn = read;
  ctx.read_user = user;
  std::vector<unsigned char> bytes(data, data + size);
  return load_bytes(bytes, ctx, limits, out, f);
}

int load_bytes(const std::vector<unsigned char> &bytes, FsContext &ctx, const scn_gltf_limits &limits,
               scn_gltf_scene *out, Failure *f) {
  if (bytes.size() > UINT_MAX) {
    *f = {SCN_GLTF_TOO_LARGE, "file too large", ""};
    return f->code;
  }

  tinygltf::TinyGLTF loader;
  tinygltf::FsCallbacks fs;
  fs.FileExists = fs_exists;
  fs.ExpandFilePath = fs_expand;
  fs.ReadWholeFile = fs_read;
  fs.WriteWholeFile = fs_write;
  fs.user_data = &ctx;
  loader.SetFsCallbacks(fs);
  loader.SetImageLoader(keep_image_bytes, nullptr);
  loader.SetStoreOriginalJSONForExtrasAndExtensions(false);

  tinygltf::Model model;
  std::string err, warn;
  const bool binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "glTF", 4) == 0;
  bool ok;
  if (binary) {
    ok = loader.LoadBinaryFromMemory(&model, &err, &warn, bytes.data(), static_cast<unsigned int>(bytes.size()), ctx.root);
  } else {
    ok = loader.LoadASCIIFromString(&model, &err, &warn, reinterpret_cast<const char *>(bytes.data()),
                                    static_cast<unsigned int>(bytes.size()), ctx.root);
  }
  if (ctx.refused) {
    *f = {ctx.refusal_code, ctx.refusal, ""};
    return f->code;
  }
  if (!ok) {
    *f = {SCN_GLTF_MALFORMED, first_line(err.empty() ? std::string("not a valid glTF 2.0 asset") : err), ""};
    return f->code;
  }
  if (model.asset.version.compare(0, 2, "2.") != 0) {
    *f = {SCN_GLTF_MALFORMED, "asset version '" + model.asset.version + "' is not 2.x", "/asset/version"};
    return f->code;
  }
  for (const std::string &ext : model.extensionsRequired) {
    *f = {SCN_GLTF_MALFORMED, "required extension '" + ext + "' is not supported", "/extensionsRequired"};
    return f->code;
  }

  Builder b(model, limits);
  Storage *storage = new (std::nothrow) Storage();
  if (storage == nullptr) {
    *f = {SCN_GLTF_TOO_LARGE, "out of memory", ""};
    return f->code;
  }
  b.strings.reserve(model.nodes.size());
  for (const auto &n : model.nodes) b.strings.push_back(n.name);
  double identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  std::vector<int> roots;
  if (!model.scenes.empty()) {
    int s = model.defaultScene >= 0 ? model.defaultScene : 0;
    if (static_cast<size_t>(s) >= model.scenes.size()) {
      *f = {SCN_GLTF_MALFORMED, "scene index " + std::to_string(s) + " does not exist", "/scene"};
      delete storage;
      return f->code;
    }
    roots = model.scenes[static_cast<size_t>(s)].nodes;
  } else {
    // No scene: every node that is no other node's child is a root.
    std::vector<bool> child(model.nodes.size(), false);
    for (const auto &n : model.nodes)
      for (int c : n.children)
        if (c >= 0 && static_cast<size_t>(c) < child.size()) child[static_cast<size_t>(c)] = true;
    for (size_t i = 0; i < model.nodes.size(); ++i)
      if (!child[i]) roots.push_back(static_cast<int>(i));
  }
  for (int r : roots) {
    if (!b.visit(r, identity, 0, f)) {
      free_primitives(b.primitives);
      delete storage;
      return f->code;
    }
  }

  // Materials and images.
  std::vector<scn_gltf_material> materials;
  for (size_t i = 0; i < model.materials.size(); ++i) {
    const tinygltf::Material &m = model.materials[i];
    const std::string at = "/materials/" + std::to_string(i);
    scn_gltf_material out_m{};
    const auto &pbr = m.pbrMetallicRoughness;
    for (size_t k = 0; k < 4; ++k) out_m.base_color[k] = k < pbr.baseColorFactor.size() ? pbr.baseColorFactor[k] : 1.0;
    out_m.metallic = pbr.metallicFactor;
    out_m.roughness = pbr.roughnessFactor;
    for (size_t k = 0; k < 3; ++k) out_m.emissive[k] = k < m.emissiveFactor.size() ? m.emissiveFactor[k] : 0.0;
    bool finite = std::isfinite(out_m.metallic) && std::isfinite(out_m.roughness);
    for (double v : out_m.base_color) finite = finite && std::isfinite(v);
    for (double v : out_m.emissive) finite = finite && std::isfinite(v);
    if (!finite) {
      *f = {SCN_GLTF_MALFORMED, "material factor is not finite", at};
      free_primitives(b.primitives);
      delete storage;
      return f->code;
    }
    out_m.base_color_image = -1;
    out_m.wrap_s = TINYGLTF_TEXTURE_WRAP_REPEAT;
    out_m.wrap_t = TINYGLTF_TEXTURE_WRAP_REPEAT;
    out_m.mag_filter = -1;
    const int tex = pbr.baseColorTexture.index;
    if (tex >= 0) {
      if (static_cast<size_t>(tex) >= model.textures.size() || model.textures[static_cast<size_t>(tex)].source < 0 ||
          static_cast<size_t>(model.textures[static_cast<size_t>(tex)].source) >= model.images.size()) {
        *f = {SCN_GLTF_MALFORMED, "baseColorTexture names no valid texture image", at + "/pbrMetallicRoughness/baseColorTexture"};
        free_primitives(b.primitives);
        delete storage;
        return f->code;
      }
      const tinygltf::Texture &texture = model.textures[static_cast<size_t>(tex)];
      out_m.base_color_image = texture.source;
      if (pbr.baseColorTexture.texCoord != 0) {
        *f = {SCN_GLTF_MALFORMED, "baseColorTexture uses TEXCOORD_" + std::to_string(pbr.baseColorTexture.texCoord) +
                                      "; only TEXCOORD_0 is read", at + "/pbrMetallicRoughness/baseColorTexture/texCoord"};
        free_primitives(b.primitives);
        delete storage;
        return f->code;
      }
      if (texture.sampler >= 0) {
        if (static_cast<size_t>(texture.sampler) >= model.samplers.size()) {
          *f = {SCN_GLTF_MALFORMED, "texture names no valid sampler", "/textures/" + std::to_string(tex) + "/sampler"};
          free_primitives(b.primitives);
          delete storage;
          return f->code;
        }
        const tinygltf::Sampler &sampler = model.samplers[static_cast<size_t>(texture.sampler)];
        out_m.wrap_s = sampler.wrapS;
        out_m.wrap_t = sampler.wrapT;
        out_m.mag_filter = sampler.magFilter;
      }
    }
    storage->strings.push_back(m.name);
    materials.push_back(out_m);
  }
  std::vector<scn_gltf_image> images;
  for (const auto &img : model.images) {
    scn_gltf_image out_i{};
    storage->strings.push_back(img.mimeType);
    storage->strings.push_back(img.uri.compare(0, 5, "data:") == 0 ? std::string() : img.uri);
    out_i.size = img.image.size();
    out_i.bytes = static_cast<unsigned char *>(std::malloc(out_i.size ? out_i.size : 1));
    if (out_i.bytes == nullptr) {
      for (auto &i : images) std::free(i.bytes);
      *f = {SCN_GLTF_TOO_LARGE, "out of memory", "/images"};
      free_primitives(b.primitives);
      delete storage;
      return f->code;
    }
    if (out_i.size) std::memcpy(out_i.bytes, img.image.data(), out_i.size);
    images.push_back(out_i);
  }
  // Node names move into the storage too; fix the pointers after every push (the
  // storage vector no longer grows after this).
  const size_t names_at = storage->strings.size();
  for (auto &s : b.strings) storage->strings.push_back(s);
  const size_t files_at = storage->strings.size();
  for (auto &s : ctx.read) storage->strings.push_back(s);
  for (size_t i = 0; i < materials.size(); ++i) materials[i].name = storage->strings[i].c_str();
  for (size_t i = 0; i < images.size(); ++i) {
    images[i].mime_type = storage->strings[materials.size() + 2 * i].c_str();
    images[i].uri = storage->strings[materials.size() + 2 * i + 1].c_str();
  }
  for (auto &inst : b.instances) inst.node_name = storage->strings[names_at + static_cast<size_t>(inst.node)].c_str();

  out->primitive_count = static_cast<uint32_t>(b.primitives.size());
  out->primitives = static_cast<scn_gltf_primitive *>(std::malloc(sizeof(scn_gltf_primitive) * (b.primitives.size() + 1)));
  out->instance_count = static_cast<uint32_t>(b.instances.size());
  out->instances = static_cast<scn_gltf_instance *>(std::malloc(sizeof(scn_gltf_instance) * (b.instances.size() + 1)));
  out->material_count = static_cast<uint32_t>(materials.size());
  out->materials = static_cast<scn_gltf_material *>(std::malloc(sizeof(scn_gltf_material) * (materials.size() + 1)));
  out->image_count = static_cast<uint32_t>(images.size());
  out->images = static_cast<scn_gltf_image *>(std::malloc(sizeof(scn_gltf_image) * (images.size() + 1)));
  out->storage = storage;
  out->file_count = static_cast<uint32_t>(ctx.read.size());
  out->files = static_cast<const char **>(std::malloc(sizeof(const char *) * (ctx.read.size() + 1)));
  if (out->files)
    for (size_t i = 0; i < ctx.read.size(); ++i) out->files[i] = storage->strings[files_at + i].c_str();
  if (!out->primitives || !out->instances || !out->materials || !out->images || !out->files) {
    std::free(out->files);
    std::free(out->primitives);
    std::free(out->instances);
    std::free(out->materials);
    std::free(out->images);
    for (auto &i : images) std::free(i.bytes);
    free_primitives(b.primitives);
    delete storage;
    std::memset(out, 0, sizeof *out);
    *f = {SCN_GLTF_TOO_LARGE, "out of memory", ""};
    return f->code;
  }
  if (!b.primitives.empty()) std::memcpy(out->primitives, b.primitives.data(), sizeof(scn_gltf_primitive) * b.primitives.size());
  if (!b.instances.empty()) std::memcpy(out->instances, b.instances.data(), sizeof(scn_gltf_instance) * b.instances.size());
  if (!materials.empty()) std::memcpy(out->materials, materials.data(), sizeof(scn_gltf_material) * materials.size());
  if (!images.empty()) std::memcpy(out->images, images.data(), sizeof(scn_gltf_image) * images.size());
  return SCN_GLTF_OK;
}

}  // namespace

extern "C" int scn_gltf_load(const char *path, const scn_gltf_limits *limits, scn_gltf_scene *out, char *message,
                             size_t message_capacity, char *pointer, size_t pointer_capacity) {
  write_out("", message, message_capacity);
  write_out("", pointer, pointer_capacity);
  if (out == nullptr || path == nullptr || limits == nullptr) return SCN_GLTF_IO;
  std::memset(out, 0, sizeof *out);
  Failure f{SCN_GLTF_OK, "", ""};
  int code;
  try {
    code = load(path, *limits, out, &f);
  } catch (const std::bad_alloc &) {
    f = {SCN_GLTF_TOO_LARGE, "out of memory", ""};
    code = f.code;
  } catch (const std::exception &e) {
    f = {SCN_GLTF_MALFORMED, e.what(), ""};
    code = f.code;
  } catch (...) {
    f = {SCN_GLTF_MALFORMED, "not a valid glTF 2.0 asset", ""};
    code = f.code;
  }
  if (code != SCN_GLTF_OK) {
    write_out(f.message, message, message_capacity);
    write_out(f.pointer, pointer, pointer_capacity);
  }
  return code;
}

extern "C" int scn_gltf_load_memory(const unsigned char *bytes, size_t size, const char *folder, scn_gltf_read_fn read,
                                    void *user, const scn_gltf_limits *limits, scn_gltf_scene *out, char *message,
                                    size_t message_capacity, char *pointer, size_t pointer_capacity) {
  write_out("", message, message_capacity);
  write_out("", pointer, pointer_capacity);
  if (out == nullptr || (bytes == nullptr && size != 0) || folder == nullptr || read == nullptr || limits == nullptr)
    return SCN_GLTF_IO;
  std::memset(out, 0, sizeof *out);
  static const unsigned char empty = 0;
  Failure f{SCN_GLTF_OK, "", ""};
  int code;
  try {
    code = load_memory(bytes ? bytes : &empty, size, folder, read, user, *limits, out, &f);
  } catch (const std::bad_alloc &) {
    f = {SCN_GLTF_TOO_LARGE, "out of memory", ""};
    code = f.code;
  } catch (const std::exception &e) {
    f = {SCN_GLTF_MALFORMED, e.what(), ""};
    code = f.code;
  } catch (...) {
    f = {SCN_GLTF_MALFORMED, "not a valid glTF 2.0 asset", ""};
    code = f.code;
  }
  if (code != SCN_GLTF_OK) {
    write_out(f.message, message, message_capacity);
    write_out(f.pointer, pointer, pointer_capacity);
  }
  return code;
}

extern "C" void scn_gltf_free(scn_gltf_scene *scene) {
  if (scene == nullptr) return;
  for (uint32_t i = 0; i < scene->primitive_count; ++i) {
    std::free(scene->primitives[i].positions);
    std::free(scene->primitives[i].normals);
    std::free(scene->primitives[i].texcoords);
    std::free(scene->primitives[i].indices);
  }
  for (uint32_t i = 0; i < scene->image_count; ++i) std::free(scene->images[i].bytes);
  std::free(scene->primitives);
  std::free(scene->instances);
  std::free(scene->materials);
  std::free(scene->images);
  std::free(scene->files);
  delete static_cast<Storage *>(scene->storage);
  std::memset(scene, 0, sizeof *scene);
}
