// One OBJ file loaded through CTinyOBJ's `scn_obj_load_memory` (number check, tinyobjloader,
// vertex merging), ROUNDS times; prints each load's process CPU time. Compiled by
// Benchmarks/meshes/obj_load.sh with g++ -O2 against a given Sources/CTinyOBJ/scn_obj.cpp.
#include "scn_obj.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

static int no_files(void *, const char *, uint64_t, unsigned char **, size_t *, char *, size_t) { return SCN_OBJ_IO; }

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: obj_load FILE.obj [ROUNDS]\n");
    return 2;
  }
  FILE *f = std::fopen(argv[1], "rb");
  if (f == nullptr) return 2;
  std::vector<unsigned char> bytes;
  unsigned char chunk[1 << 16];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) bytes.insert(bytes.end(), chunk, chunk + n);
  std::fclose(f);
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  const scn_obj_limits limits = {64u << 20, 1u << 20, 1u << 20, 4096};  // AssetLimits.standard
  for (int r = 0; r < rounds; ++r) {
    scn_obj_scene scene = {};
    char message[512] = {0};
    timespec a, b;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
    const int code = scn_obj_load_memory(bytes.data(), bytes.size(), ".", no_files, nullptr, &limits, &scene, message,
                                         sizeof message);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
    std::printf("load %d: code %d, %u vertices, %.3f s CPU %s\n", r, code,
                scene.group_count > 0 ? scene.groups[0].vertex_count : 0u,
                double(b.tv_sec - a.tv_sec) + double(b.tv_nsec - a.tv_nsec) * 1e-9, message);
    scn_obj_free(&scene);
  }
  return 0;
}
