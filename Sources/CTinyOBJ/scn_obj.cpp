// Wavefront OBJ + MTL through tinyobjloader (declarations only: the implementation is
// Debian's libtinyobjloader.so, float build). See include/scn_obj.h for the contract.
#include "scn_obj.h"

#include <tiny_obj_loader.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

struct Context {
  std::string root;  // realpath of the OBJ's folder, no trailing '/' ("" for "/")
  uint64_t max_file_bytes = 0;
  scn_obj_read_fn read = nullptr;
  void *user = nullptr;
  bool refused = false;
  int code = SCN_OBJ_OK;
  std::string why;
  std::vector<std::string> files;
};

void refuse(Context *ctx, int code, const std::string &why) {
  if (!ctx->refused) {
    ctx->refused = true;
    ctx->code = code;
    ctx->why = why;
  }
}

bool has_dotdot_component(const std::string &uri) {
  size_t start = 0;
  while (start <= uri.size()) {
    size_t end = uri.find_first_of("/\\", start);
    if (end == std::string::npos) end = uri.size();
    if (end - start == 2 && uri.compare(start, 2, "..") == 0) return true;
    start = end + 1;
  }
  return false;
}

// tinyobjloader reads a number it cannot parse ("nan", "abc", "0x1p3") as 0 and goes on,
// so a damaged file would load with vertices moved to the origin or a colour turned black.
// Every number on a `v`, `vn` or `vt` line of the OBJ, and on a numeric statement of an MTL
// (`Kd`, `Ns`, `Pm`, ...), must be a finite decimal number (optional sign, digits with an
// optional fraction, optional exponent); the first that is not names its file and line.
bool is_decimal_number(const char *p, const char *end) {
  if (p < end && (*p == '+' || *p == '-')) ++p;
  const char *digits = p;
  while (p < end && *p >= '0' && *p <= '9') ++p;
  bool any = p > digits;
  if (p < end && *p == '.') {
    ++p;
    const char *frac = p;
    while (p < end && *p >= '0' && *p <= '9') ++p;
    any = any || p > frac;
  }
  if (!any) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    const char *exp = p;
    while (p < end && *p >= '0' && *p <= '9') ++p;
    if (p == exp) return false;
  }
  return p == end;
}

// A decimal number (`is_decimal_number`) that is finite as a double, read in place: its
// magnitude is below 10^308 (finite: DBL_MAX is about 1.8e308), at or above 10^309
// (infinite), or in between, where strtod decides on a copy (rare, so no token allocates).
// Underflow is finite (strtod gives 0 or a subnormal), as before.
bool is_finite_decimal(const char *p, const char *end) {
  const char *const start = p;
  if (*p == '+' || *p == '-') ++p;
  // `lead`: the decimal exponent of the first non-zero digit (x = d.ddd × 10^lead).
  long long lead = 0;
  bool nonzero = false;
  long long integer_digits = 0;
  for (; p < end && *p >= '0' && *p <= '9'; ++p) {
    if (nonzero) {
      ++integer_digits;
    } else if (*p != '0') {
      nonzero = true;
    }
  }
  if (nonzero) lead = integer_digits;
  if (p < end && *p == '.') {
    ++p;
    long long position = 0;
    for (; p < end && *p >= '0' && *p <= '9'; ++p) {
      ++position;
      if (!nonzero && *p != '0') {
        nonzero = true;
        lead = -position;
      }
    }
  }
  if (!nonzero) return true;  // zero
  long long exponent = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative = false;
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    for (; p < end && *p >= '0' && *p <= '9'; ++p)
      if (exponent < 1000000000LL) exponent = exponent * 10 + (*p - '0');
    if (negative) exponent = -exponent;
  }
  const long long magnitude = lead + exponent;
  if (magnitude < 308) return true;
  if (magnitude > 308) return false;
  const std::string text(start, end);
  return std::isfinite(std::strtod(text.c_str(), nullptr));
}

bool obj_numeric_key(const char *key, size_t n) {
  return (n == 1 && key[0] == 'v') || (n == 2 && key[0] == 'v' && (key[1] == 'n' || key[1] == 't'));
}

bool mtl_numeric_key(const char *key, size_t n) {
  static const char *const keys[] = {"Ka", "Kd", "Ks", "Ke", "Kt", "Tf", "Ns", "Ni", "d", "Tr", "Pr", "Pm",
                                     "Ps", "Pc", "Pcr", "aniso", "anisor", "illum"};
  for (const char *k : keys)
    if (std::strlen(k) == n && std::memcmp(k, key, n) == 0) return true;
  return false;
}

bool check_numbers(const unsigned char *data, size_t size, bool (*numeric_key)(const char *, size_t),
                   const std::string &file, std::string *why) {
  const char *s = reinterpret_cast<const char *>(data);
  const char *end = s + size;
  uint64_t line = 1;
  const char *p = s;
  while (p < end) {
    const char *eol = static_cast<const char *>(std::memchr(p, '\n', static_cast<size_t>(end - p)));
    if (eol == nullptr) eol = end;
    const char *hash = static_cast<const char *>(std::memchr(p, '#', static_cast<size_t>(eol - p)));
    const char *stop = hash ? hash : eol;
    const char *q = p;
    while (q < stop && (*q == ' ' || *q == '\t')) ++q;
    const char *key = q;
    while (q < stop && *q != ' ' && *q != '\t' && *q != '\r') ++q;
    const size_t klen = static_cast<size_t>(q - key);
    if (klen > 0 && numeric_key(key, klen)) {
      while (q < stop) {
        while (q < stop && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
        const char *tok = q;
        while (q < stop && *q != ' ' && *q != '\t' && *q != '\r') ++q;
        if (q == tok) break;
        const bool ok = is_decimal_number(tok, q) && is_finite_decimal(tok, q);
        if (!ok) {
          std::string shown(tok, static_cast<size_t>(std::min<ptrdiff_t>(q - tok, 24)));
          for (char &c : shown)
            if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
          *why = file + "line " + std::to_string(static_cast<unsigned long long>(line)) + ": '" + shown +
                 "' is not a finite number (a '" + std::string(key, klen) + "' line holds decimal numbers)";
          return false;
        }
      }
    }
    p = eol + 1;
    ++line;
  }
  return true;
}

// Reads a file the OBJ or its MTL names (`what`: "mtllib", "map_Kd") through the caller,
// after the same path checks as glTF URIs: relative, no `..`, inside the OBJ's folder once
// symbolic links are resolved. Records the refusal and returns false otherwise.
bool read_named(Context *ctx, const std::string &what, const std::string &name, std::string *text) {
  if (name.empty() || name[0] == '/' || name[0] == '\\' || name.find(':') != std::string::npos) {
    refuse(ctx, SCN_OBJ_PATH_REFUSED, what + " '" + name + "' is absolute or has a scheme; only relative paths inside the OBJ's folder are allowed");
    return false;
  }
  if (has_dotdot_component(name)) {
    refuse(ctx, SCN_OBJ_PATH_REFUSED, what + " '" + name + "' has a '..' component; it may not leave the OBJ's folder");
    return false;
  }
  const std::string path = ctx->root + "/" + name;
  char *resolved = realpath(path.c_str(), nullptr);
  if (resolved == nullptr) {
    refuse(ctx, SCN_OBJ_IO, (what == "mtllib" ? "material file '" : "texture file '") + name + "' named by the OBJ does not exist");
    return false;
  }
  const std::string real(resolved);
  free(resolved);
  if (real.compare(0, ctx->root.size() + 1, ctx->root + "/") != 0) {
    refuse(ctx, SCN_OBJ_PATH_REFUSED, what + " '" + name + "' resolves (through a symbolic link) outside the OBJ's folder");
    return false;
  }
  unsigned char *bytes = nullptr;
  size_t size = 0;
  char message[512] = {0};
  const int code = ctx->read(ctx->user, path.c_str(), ctx->max_file_bytes, &bytes, &size, message, sizeof message);
  if (code != SCN_OBJ_OK || (bytes == nullptr && size != 0) || size > ctx->max_file_bytes) {
    std::free(bytes);
    refuse(ctx, code == SCN_OBJ_TOO_LARGE ? SCN_OBJ_TOO_LARGE : SCN_OBJ_IO,
           message[0] ? std::string(message) : "cannot read '" + name + "'");
    return false;
  }
  try {
    text->assign(reinterpret_cast<const char *>(bytes), size);
  } catch (...) {
    std::free(bytes);
    throw;
  }
  std::free(bytes);
  ctx->files.push_back(name);
  return true;
}

// Reads each MTL file through the caller (`read_named`).
class Reader : public tinyobj::MaterialReader {
 public:
  explicit Reader(Context *ctx) : ctx_(ctx) {}
  bool operator()(const std::string &name, std::vector<tinyobj::material_t> *materials,
                  std::map<std::string, int> *map, std::string *warn, std::string *err) override {
    std::string text;
    if (!read_named(ctx_, "mtllib", name, &text)) return false;
    std::string bad;
    if (!check_numbers(reinterpret_cast<const unsigned char *>(text.data()), text.size(), mtl_numeric_key,
                       "material file '" + name + "', ", &bad)) {
      refuse(ctx_, SCN_OBJ_MALFORMED, bad);
      return false;
    }
    std::istringstream stream(text);
    tinyobj::LoadMtl(map, materials, &stream, warn, err);
    return true;
  }

 private:
  Context *ctx_;
};

struct Group {
  std::string name;
  int material = -1;
  std::vector<float> positions;
  std::vector<float> normals;
  bool all_normals = true;
  std::vector<float> texcoords;
  bool all_texcoords = true;
  std::vector<uint32_t> indices;
  // (position, normal + 1) -> texcoord + 1 -> output vertex.
  std::unordered_map<uint64_t, std::vector<std::pair<int, uint32_t>>> corners;
};

struct Storage {
  std::vector<std::string> strings;
  std::vector<std::string> textures;  // map_Kd bytes, one per material ("" for none)
};

void free_groups(std::vector<scn_obj_group> &groups) {
  for (auto &g : groups) {
    std::free(g.positions);
    std::free(g.normals);
    std::free(g.texcoords);
    std::free(g.indices);
  }
  groups.clear();
}

template <typename T>
T *copy_out(const std::vector<T> &v) {
  T *p = static_cast<T *>(std::malloc(sizeof(T) * (v.size() ? v.size() : 1)));
  if (p != nullptr && !v.empty()) std::memcpy(p, v.data(), sizeof(T) * v.size());
  return p;
}

std::string first_line(const std::string &s) {
  size_t nl = s.find('\n');
  return nl == std::string::npos ? s : s.substr(0, nl);
}

int load(const unsigned char *data, size_t size, const char *folder, scn_obj_read_fn read, void *user,
         const scn_obj_limits &limits, scn_obj_scene *out, std::string *why) {
  if (size > limits.max_file_bytes) {
    *why = "the OBJ has " + std::to_string(static_cast<unsigned long long>(size)) + " bytes, more than the limit of " +
           std::to_string(static_cast<unsigned long long>(limits.max_file_bytes));
    return SCN_OBJ_TOO_LARGE;
  }
  if (!check_numbers(data, size, obj_numeric_key, "", why)) return SCN_OBJ_MALFORMED;
  char *real = realpath(folder[0] ? folder : ".", nullptr);
  if (real == nullptr) {
    *why = std::string("cannot open the folder '") + folder + "'";
    return SCN_OBJ_IO;
  }
  Context ctx;
  ctx.root = real;
  free(real);
  if (ctx.root == "/") ctx.root.clear();
  ctx.max_file_bytes = limits.max_file_bytes;
  ctx.read = read;
  ctx.user = user;

  tinyobj::attrib_t attrib;
  std::vector<tinyobj::shape_t> shapes;
  std::vector<tinyobj::material_t> materials;
  std::string warn, err;
  Reader reader(&ctx);
  bool ok;
  {
    std::istringstream stream(std::string(reinterpret_cast<const char *>(data), size));
    // Polygons are kept as written and fanned below, after their indices are checked
    // (tinyobjloader's own triangulation reads vertices before checking some indices).
    ok = tinyobj::LoadObj(&attrib, &shapes, &materials, &warn, &err, &stream, &reader, false, false);
  }
  if (ctx.refused) {
    *why = ctx.why;
    return ctx.code;
  }
  if (!ok) {
    *why = first_line(err.empty() ? std::string("not a valid OBJ file") : err);
    return SCN_OBJ_MALFORMED;
  }
  if (attrib.vertices.size() % 3 != 0 || attrib.normals.size() % 3 != 0 || attrib.texcoords.size() % 2 != 0) {
    *why = "vertex or normal coordinates are not triples, or texture coordinates not pairs";
    return SCN_OBJ_MALFORMED;
  }
  for (float x : attrib.vertices)
    if (!std::isfinite(x)) {
      *why = "a vertex coordinate is not a finite number";
      return SCN_OBJ_MALFORMED;
    }
  const size_t nv = attrib.vertices.size() / 3, nn = attrib.normals.size() / 3, nt = attrib.texcoords.size() / 2;

  // Triangles first, checked against the limit before any output grows with them.
  uint64_t triangles = 0;
  for (const auto &s : shapes) {
    for (unsigned char fv : s.mesh.num_face_vertices)
      if (fv >= 3) triangles += fv - 2;
  }
  if (triangles > limits.max_triangles) {
    *why = std::to_string(static_cast<unsigned long long>(triangles)) + " triangles, more than the limit of " +
           std::to_string(static_cast<unsigned long long>(limits.max_triangles));
    return SCN_OBJ_TOO_LARGE;
  }
  if (triangles == 0) {
    *why = "the OBJ has no faces";
    return SCN_OBJ_MALFORMED;
  }

  std::vector<Group> groups;
  std::map<std::pair<size_t, int>, size_t> group_of;
  uint64_t vertices = 0;
  for (size_t si = 0; si < shapes.size(); ++si) {
    const auto &mesh = shapes[si].mesh;
    auto face_name = [&](size_t f) {
      return "face " + std::to_string(f + 1) + (shapes[si].name.empty() ? std::string() : " of '" + shapes[si].name + "'");
    };
    size_t offset = 0;
    for (size_t f = 0; f < mesh.num_face_vertices.size(); ++f) {
      const size_t fv = mesh.num_face_vertices[f];
      if (offset + fv > mesh.indices.size()) {
        *why = face_name(f) + " runs past its indices";
        return SCN_OBJ_MALFORMED;
      }
      int material = f < mesh.material_ids.size() ? mesh.material_ids[f] : -1;
      if (material < 0 || static_cast<size_t>(material) >= materials.size()) material = -1;
      if (fv < 3) {
        offset += fv;
        continue;
      }
      for (size_t k = 0; k < fv; ++k) {
        const tinyobj::index_t ix = mesh.indices[offset + k];
        if (ix.vertex_index < 0 || static_cast<size_t>(ix.vertex_index) >= nv) {
          *why = face_name(f) + " names vertex " +
                 std::to_string(ix.vertex_index + 1) + " of " + std::to_string(nv);
          return SCN_OBJ_MALFORMED;
        }
        if (ix.normal_index >= 0 && static_cast<size_t>(ix.normal_index) >= nn) {
          *why = face_name(f) + " names normal " +
                 std::to_string(ix.normal_index + 1) + " of " + std::to_string(nn);
          return SCN_OBJ_MALFORMED;
        }
        if (ix.texcoord_index >= 0 && static_cast<size_t>(ix.texcoord_index) >= nt) {
          *why = face_name(f) + " names texture coordinate " +
                 std::to_string(ix.texcoord_index + 1) + " of " + std::to_string(nt);
          return SCN_OBJ_MALFORMED;
        }
      }
      auto key = std::make_pair(si, material);
      auto found = group_of.find(key);
      size_t gi;
      if (found == group_of.end()) {
        if (groups.size() >= limits.max_groups) {
          *why = "more than " + std::to_string(static_cast<unsigned long long>(limits.max_groups)) + " groups";
          return SCN_OBJ_TOO_LARGE;
        }
        gi = groups.size();
        group_of[key] = gi;
        groups.emplace_back();
        groups.back().name = shapes[si].name;
        groups.back().material = material;
      } else {
        gi = found->second;
      }
      Group &g = groups[gi];
      auto corner = [&](const tinyobj::index_t ix) -> uint32_t {
        const uint64_t k = (static_cast<uint64_t>(ix.vertex_index) << 32) | static_cast<uint32_t>(ix.normal_index + 1);
        auto &same = g.corners[k];
        for (const auto &known : same)
          if (known.first == ix.texcoord_index) return known.second;
        const uint32_t i = static_cast<uint32_t>(g.positions.size() / 3);
        const size_t v = static_cast<size_t>(ix.vertex_index);
        g.positions.insert(g.positions.end(), {attrib.vertices[3 * v], attrib.vertices[3 * v + 1], attrib.vertices[3 * v + 2]});
        if (ix.normal_index >= 0) {
          const size_t n = static_cast<size_t>(ix.normal_index);
          g.normals.insert(g.normals.end(), {attrib.normals[3 * n], attrib.normals[3 * n + 1], attrib.normals[3 * n + 2]});
        } else {
          g.all_normals = false;
          g.normals.insert(g.normals.end(), {0.f, 0.f, 0.f});
        }
        if (ix.texcoord_index >= 0) {
          const size_t t = static_cast<size_t>(ix.texcoord_index);
          g.texcoords.insert(g.texcoords.end(), {attrib.texcoords[2 * t], attrib.texcoords[2 * t + 1]});
        } else {
          g.all_texcoords = false;
          g.texcoords.insert(g.texcoords.end(), {0.f, 0.f});
        }
        same.emplace_back(ix.texcoord_index, i);
        ++vertices;
        return i;
      };
      // A convex polygon as a fan from its first corner.
      const uint32_t first = corner(mesh.indices[offset]);
      uint32_t previous = corner(mesh.indices[offset + 1]);
      for (size_t k = 2; k < fv; ++k) {
        const uint32_t next = corner(mesh.indices[offset + k]);
        g.indices.insert(g.indices.end(), {first, previous, next});
        previous = next;
      }
      if (vertices > limits.max_vertices) {
        *why = "more than " + std::to_string(static_cast<unsigned long long>(limits.max_vertices)) + " vertices";
        return SCN_OBJ_TOO_LARGE;
      }
      offset += fv;
    }
  }

  Storage *storage = new (std::nothrow) Storage();
  if (storage == nullptr) {
    *why = "out of memory";
    return SCN_OBJ_TOO_LARGE;
  }
  // map_Kd images, each file read once (through the caller, after the path checks).
  std::map<std::string, size_t> texture_of;
  storage->textures.resize(materials.size());
  for (size_t i = 0; i < materials.size(); ++i) {
    const std::string &name = materials[i].diffuse_texname;
    if (name.empty()) continue;
    auto known = texture_of.find(name);
    if (known != texture_of.end()) {
      storage->textures[i] = storage->textures[known->second];
      continue;
    }
    if (!read_named(&ctx, "map_Kd", name, &storage->textures[i])) {
      *why = ctx.why;
      const int code = ctx.code;
      delete storage;
      return code;
    }
    texture_of[name] = i;
  }
  for (const auto &m : materials) storage->strings.push_back(m.name);
  for (const auto &g : groups) storage->strings.push_back(g.name);
  for (const auto &f : ctx.files) storage->strings.push_back(f);
  for (const auto &m : materials) storage->strings.push_back(m.diffuse_texname);

  std::vector<scn_obj_material> out_m;
  for (size_t i = 0; i < materials.size(); ++i) {
    const auto &m = materials[i];
    scn_obj_material o{};
    for (int c = 0; c < 3; ++c) {
      o.diffuse[c] = m.diffuse[c];
      o.emission[c] = m.emission[c];
    }
    o.shininess = m.shininess;
    o.roughness = m.unknown_parameter.count("Pr") || m.roughness > 0 ? m.roughness : -1;
    o.metallic = m.metallic;
    o.name = storage->strings[i].c_str();
    o.diffuse_texture = storage->strings[materials.size() + groups.size() + ctx.files.size() + i].c_str();
    o.diffuse_texture_bytes = m.diffuse_texname.empty() ? nullptr : reinterpret_cast<const unsigned char *>(storage->textures[i].data());
    o.diffuse_texture_size = m.diffuse_texname.empty() ? 0 : storage->textures[i].size();
    o.diffuse_texture_clamp = m.diffuse_texopt.clamp ? 1 : 0;
    out_m.push_back(o);
  }
  std::vector<scn_obj_group> out_g;
  for (size_t i = 0; i < groups.size(); ++i) {
    const Group &g = groups[i];
    scn_obj_group o{};
    o.name = storage->strings[materials.size() + i].c_str();
    o.material = g.material;
    o.vertex_count = static_cast<uint32_t>(g.positions.size() / 3);
    o.index_count = g.indices.size();
    o.positions = copy_out(g.positions);
    o.normals = g.all_normals ? copy_out(g.normals) : nullptr;
    o.texcoords = g.all_texcoords ? copy_out(g.texcoords) : nullptr;
    o.indices = copy_out(g.indices);
    out_g.push_back(o);
    if (o.positions == nullptr || o.indices == nullptr || (g.all_normals && o.normals == nullptr) ||
        (g.all_texcoords && o.texcoords == nullptr)) {
      free_groups(out_g);
      delete storage;
      *why = "out of memory";
      return SCN_OBJ_TOO_LARGE;
    }
  }
  out->groups = copy_out(out_g);
  out->group_count = static_cast<uint32_t>(out_g.size());
  out->materials = copy_out(out_m);
  out->material_count = static_cast<uint32_t>(out_m.size());
  std::vector<const char *> files;
  for (size_t i = 0; i < ctx.files.size(); ++i)
    files.push_back(storage->strings[materials.size() + groups.size() + i].c_str());
  out->files = copy_out(files);
  out->file_count = static_cast<uint32_t>(files.size());
  out->storage = storage;
  if (out->groups == nullptr || out->materials == nullptr || out->files == nullptr) {
    std::free(out->groups);
    std::free(out->materials);
    std::free(out->files);
    free_groups(out_g);
    delete storage;
    std::memset(out, 0, sizeof *out);
    *why = "out of memory";
    return SCN_OBJ_TOO_LARGE;
  }
  return SCN_OBJ_OK;
}

void write_out(const std::string &s, char *buffer, size_t capacity) {
  if (buffer == nullptr || capacity == 0) return;
  const size_t n = s.size() < capacity - 1 ? s.size() : capacity - 1;
  std::memcpy(buffer, s.data(), n);
  buffer[n] = '\0';
}

}  // namespace

extern "C" int scn_obj_load_memory(const unsigned char *bytes, size_t size, const char *folder, scn_obj_read_fn read,
                                   void *user, const scn_obj_limits *limits, scn_obj_scene *out, char *message,
                                   size_t message_capacity) {
  write_out("", message, message_capacity);
  if (out == nullptr || (bytes == nullptr && size != 0) || folder == nullptr || read == nullptr || limits == nullptr)
    return SCN_OBJ_IO;
  std::memset(out, 0, sizeof *out);
  static const unsigned char empty = 0;
  std::string why;
  int code;
  try {
    code = load(bytes ? bytes : &empty, size, folder, read, user, *limits, out, &why);
  } catch (const std::bad_alloc &) {
    why = "out of memory";
    code = SCN_OBJ_TOO_LARGE;
  } catch (const std::exception &e) {
    why = e.what();
    code = SCN_OBJ_MALFORMED;
  } catch (...) {
    why = "not a valid OBJ file";
    code = SCN_OBJ_MALFORMED;
  }
  if (code != SCN_OBJ_OK) {
    scn_obj_free(out);
    write_out(why, message, message_capacity);
  }
  return code;
}

extern "C" void scn_obj_free(scn_obj_scene *scene) {
  if (scene == nullptr) return;
  for (uint32_t i = 0; scene->groups != nullptr && i < scene->group_count; ++i) {
    std::free(scene->groups[i].positions);
    std::free(scene->groups[i].normals);
    std::free(scene->groups[i].texcoords);
    std::free(scene->groups[i].indices);
  }
  std::free(scene->groups);
  std::free(scene->materials);
  std::free(scene->files);
  delete static_cast<Storage *>(scene->storage);
  std::memset(scene, 0, sizeof *scene);
}
