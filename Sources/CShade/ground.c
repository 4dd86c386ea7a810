// The camera's shading of ground pixels: see include/cshade.h and README.md. Every result is
// the same double as ScnSensors' Swift code (`Shader.groundSurface`) whichever path runs:
// the floating-point operations are single IEEE adds, subtracts, multiplies, divides and
// square roots in the Swift code's order, never fused (the pragmas below), exact
// conversions, floor, and libm's `exp`; the noise lattice is hashed with 32-bit integer
// multiplies in every lane (Hash.swift).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cshade.h"
#include "cdevelop.h"

#include <math.h>
#include <string.h>

// ScnSensors counts a tile's object hits of each kernel texture, and the rest, in a SIMD8<Int>
// (`ObjectKernelSlots.Counts`): an eighth count would not fit.
_Static_assert(CSHADE_OBJECT_TEXTURES + 1 <= 8, "kernel textures and the rest must fit in a SIMD8");

// The lane files' names: FN(name) is name_SUFFIX, VD (doubles), VL (64-bit masks), VU (32-bit
// unsigned) and VB (bytes) are the vector types of LANES lanes, INLINE marks their helpers.
#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define FN(name) CAT(name, SUFFIX)
#define VD FN(vd)
#define VL FN(vl)
#define VU FN(vu)
#define VB FN(vb)
#define INLINE ATTR static inline __attribute__((always_inline))

// Portable: two lanes in the processor's baseline vector unit (or in plain registers).
#define LANES 2
#define SUFFIX portable
#define ATTR
#include "ground_lanes.h"
#include "object_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR

#if defined(__x86_64__) && defined(__clang__)
#define CSHADE_X86 1

// Eight pixels a step in pairs of 256-bit vectors: two independent chains of divides and
// square roots in flight instead of one. (Vectors of eight doubles pass between the inlined
// helpers only, so the ABI warning about them does not apply.)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpsabi"
#define LANES 8
#define SUFFIX avx2
#define ATTR __attribute__((target("avx2")))
#include "ground_lanes.h"
#include "object_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR
#pragma clang diagnostic pop

#define LANES 8
#define SUFFIX avx512
#define ATTR __attribute__((target("avx512f,avx512dq,avx512vl")))
#include "ground_lanes.h"
#undef LANES
#undef SUFFIX
#undef ATTR

#endif

void cshade_ground(
  const cshade_ground_params *params, const cshade_ground_hits *hits, long count, const cshade_ground_out *out,
  int path) {
  if (count <= 0) return;
#if defined(CSHADE_X86)
  int resolved = cdevelop_resolve_path(path);
  if (resolved == CDEVELOP_PATH_AVX512) {
    ground_avx512(params, hits, count, out);
    return;
  }
  if (resolved == CDEVELOP_PATH_AVX2) {
    ground_avx2(params, hits, count, out);
    return;
  }
#else
  (void)path;
#endif
  ground_portable(params, hits, count, out);
}

void cshade_sky(
  const cshade_sky_params *params, const double *x, const double *y, const double *z, long count, double *r,
  double *g, double *b, int path) {
  if (count <= 0) return;
#if defined(CSHADE_X86)
  int resolved = cdevelop_resolve_path(path);
  if (resolved == CDEVELOP_PATH_AVX512) {
    sky_avx512(params, x, y, z, count, r, g, b);
    return;
  }
  if (resolved == CDEVELOP_PATH_AVX2) {
    sky_avx2(params, x, y, z, count, r, g, b);
    return;
  }
#else
  (void)path;
#endif
  sky_portable(params, x, y, z, count, r, g, b);
}

void cshade_objects(
  const cshade_object_params *params, const cshade_object_slot *slots, const cshade_object_hits *hits, long count,
  const cshade_object_out *out, int path) {
  if (count <= 0) return;
#if defined(CSHADE_X86)
  int resolved = cdevelop_resolve_path(path);
  if (resolved == CDEVELOP_PATH_AVX512 || resolved == CDEVELOP_PATH_AVX2) {
    objects_avx2(params, slots, hits, count, out);
    return;
  }
#else
  (void)path;
#endif
  objects_portable(params, slots, hits, count, out);
}
