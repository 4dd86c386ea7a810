// The camera's shading of ground pixels: see include/cshade.h and README.md. Every result is
// the same double as ScnSensors' Swift code (`Shader.groundSurface`) whichever path runs:
// the floating-point operations are single IEEE adds, subtracts, multiplies, divides and
// square roots in the Swift code's order, never fused (the pragmas below), exact
// conversions, floor, and libm's `exp`; the noise lattice is hashed with 32-bit integer
// multiplies in every lane (Hash.swift).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cshade.h"

#include <math.h>
#include <string.h>

// Portable: two lanes in the processor's baseline vector unit (or in plain registers).
#define LANES 2
#define SUFFIX portable
#define ATTR
#include "ground_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR

#if defined(__x86_64__) && defined(__clang__)
#define CSHADE_X86 1

#define LANES 4
#define SUFFIX avx2
#define ATTR __attribute__((target("avx2")))
#include "ground_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR

#define LANES 8
#define SUFFIX avx512
#define ATTR __attribute__((target("avx512f,avx512dq,avx512vl")))
#include "ground_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR

static int has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

static int has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}
#endif

int cshade_resolve_path(int path) {
#if defined(CSHADE_X86)
  // Every thread that finds it unset computes the same value.
  static int cached = -1;
  int best = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (best < 0) {
    best = has_avx512() ? CSHADE_PATH_AVX512 : has_avx2() ? CSHADE_PATH_AVX2 : CSHADE_PATH_PORTABLE;
    __atomic_store_n(&cached, best, __ATOMIC_RELAXED);
  }
  if (path == CSHADE_PATH_AUTO) return best;
  // A processor with AVX-512 has AVX2.
  if (path == CSHADE_PATH_AVX512 && best == CSHADE_PATH_AVX512) return path;
  if (path == CSHADE_PATH_AVX2 && best != CSHADE_PATH_PORTABLE) return path;
#endif
  (void)path;
  return CSHADE_PATH_PORTABLE;
}

void cshade_ground(
  const cshade_ground_params *params, const cshade_ground_hits *hits, long count, const cshade_ground_out *out,
  int path) {
  if (count <= 0) return;
#if defined(CSHADE_X86)
  int resolved = cshade_resolve_path(path);
  if (resolved == CSHADE_PATH_AVX512) {
    ground_avx512(params, hits, count, out);
    return;
  }
  if (resolved == CSHADE_PATH_AVX2) {
    ground_avx2(params, hits, count, out);
    return;
  }
#else
  (void)path;
#endif
  ground_portable(params, hits, count, out);
}
