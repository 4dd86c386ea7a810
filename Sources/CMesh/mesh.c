// The mesh-level BVH walk: see include/cmesh.h and README.md. Every hit distance, barycentric
// weight and leaf slot is the one ScnSensors' Swift code (`MeshTraversal.intersect`,
// `WatertightRay`, `FloatRay.nodeSlab`) computes, whichever path runs: the same IEEE
// subtracts, multiplies, divides and conversions in the same order, never fused (the pragmas
// below), and min / max as compare-and-select with the Swift code's operand order
// (a < b ? a : b, which is what MINPS computes, and a > b ? a : b for MAXPS).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cmesh.h"

#include "cdevelop.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define CMESH_SSE 1
#define CMESH_X86 1
#endif

static inline float minf(float a, float b) { return a < b ? a : b; }
static inline float maxf(float a, float b) { return a > b ? a : b; }

// `FloatRay.upperLimit` with its scale and offset.
static inline float upper_limit(double t, float scale, float offset) {
  return isfinite(t) ? (float)t * scale + offset : INFINITY;
}

static inline uint32_t load_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline float load_f32(const unsigned char *p) {
  float v;
  memcpy(&v, p, 4);
  return v;
}

// `WatertightRay`: the axis permutation, the origin on those axes and the shear.
typedef struct wray {
  long kx, ky, kz;
  double ox, oy, oz, sx, sy, sz;
} wray;

// `WatertightRay.init(origin:direction:)`. `recip[kz]` is 1 / d[kz] unless |d[kz]| < tiny
// (`FloatRay`'s reciprocal of the clamped component, computed before its rounding to Float32),
// so sz is taken from it instead of a fourth division where it is the same value.
// `WatertightRay`'s axis permutation of direction `d`: z the dominant axis, x and y the next
// two cyclically, swapped when d[z] is negative.
static inline void wray_axes(const double d[3], long *kx, long *ky, long *kz) {
  double ax = fabs(d[0]), ay = fabs(d[1]), az = fabs(d[2]);
  long z = ax > ay ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2);
  long x = z == 2 ? 0 : z + 1;
  long y = x == 2 ? 0 : x + 1;
  if (d[z] < 0) {
    long s = x;
    x = y;
    y = s;
  }
  *kx = x;
  *ky = y;
  *kz = z;
}

static inline void wray_init(wray *w, const double o[3], const double d[3], const double recip[3], double tiny) {
  wray_axes(d, &w->kx, &w->ky, &w->kz);
  long x = w->kx, y = w->ky, z = w->kz;
  double dz = d[z];
  w->ox = o[x];
  w->oy = o[y];
  w->oz = o[z];
#if CMESH_SSE
  __m128d s = _mm_div_pd(_mm_set_pd(d[y], d[x]), _mm_set1_pd(dz));
  w->sx = _mm_cvtsd_f64(s);
  w->sy = _mm_cvtsd_f64(_mm_unpackhi_pd(s, s));
#else
  w->sx = d[x] / dz;
  w->sy = d[y] / dz;
#endif
  w->sz = fabs(dz) < tiny ? 1 / dz : recip[z];
}

// `WatertightRay.intersect`: the hit of the triangle stored as nine doubles at p with t in
// (t_min, t_max), or (t_min, t_max] with `including`. The Swift code's early out on e0 and e1
// of opposite signs is a case of its test on all three, so one test here decides; a zero
// determinant is rejected with the range test (the quotient is then not used). The
// barycentric weights are returned as their dividends and divisor (`WatertightRay`'s u is
// e1 / det and v is e2 / det): the walk divides once, for the hit it reports.
static inline __attribute__((always_inline)) int wray_hit(
  const wray *w, const double *p, double t_min, double t_max, int including, double *t, double *e1_out,
  double *e2_out, double *det_out) {
  double az = p[w->kz] - w->oz;
  double bz = p[3 + w->kz] - w->oz;
  double cz = p[6 + w->kz] - w->oz;
  double ax = (p[w->kx] - w->ox) - w->sx * az;
  double ay = (p[w->ky] - w->oy) - w->sy * az;
  double bx = (p[3 + w->kx] - w->ox) - w->sx * bz;
  double by = (p[3 + w->ky] - w->oy) - w->sy * bz;
  double cx = (p[6 + w->kx] - w->ox) - w->sx * cz;
  double cy = (p[6 + w->ky] - w->oy) - w->sy * cz;
  double e0 = cx * by - cy * bx;
  double e1 = ax * cy - ay * cx;
  double e2 = bx * ay - by * ax;
  int negative = (e0 < 0) | (e1 < 0) | (e2 < 0);
  int positive = (e0 > 0) | (e1 > 0) | (e2 > 0);
  if (negative & positive) return 0;
  double det = e0 + e1 + e2;
  double tt = (e0 * (w->sz * az) + e1 * (w->sz * bz) + e2 * (w->sz * cz)) / det;
  if (!((det != 0) & (tt > t_min) & ((tt < t_max) | (including & (tt == t_max))))) return 0;
  *t = tt;
  *e1_out = e1;
  *e2_out = e2;
  *det_out = det;
  return 1;
}

// The Float32 ray of `FloatRay`, and where each axis's near and far planes of lane 0 sit in
// a node (`FloatRay.nodePlaneOffsets`).
typedef struct fray {
  float ox, oy, oz, ix, iy, iz;
  long near_x, near_y, near_z, far_x, far_y, far_z;
} fray;

// `FloatRay.init`'s clamped components (`c`), their reciprocals in double (`recip`, kept for
// the shear), and the Float32 ray with its plane offsets.
static inline __attribute__((always_inline)) void prepare_fray(
  const double o[3], const double d[3], double tiny, double recip[3], fray *r) {
  double c[3];
  for (int k = 0; k < 3; k++) c[k] = fabs(d[k]) < tiny ? (d[k] < 0 ? -tiny : tiny) : d[k];
#if CMESH_SSE
  __m128d rxy = _mm_div_pd(_mm_set1_pd(1.0), _mm_set_pd(c[1], c[0]));
  recip[0] = _mm_cvtsd_f64(rxy);
  recip[1] = _mm_cvtsd_f64(_mm_unpackhi_pd(rxy, rxy));
  recip[2] = 1 / c[2];
#else
  for (int k = 0; k < 3; k++) recip[k] = 1 / c[k];
#endif
  r->ox = (float)o[0];
  r->oy = (float)o[1];
  r->oz = (float)o[2];
  r->ix = (float)recip[0];
  r->iy = (float)recip[1];
  r->iz = (float)recip[2];
  r->near_x = r->ix < 0 ? 24 : 0;
  r->near_y = r->iy < 0 ? 32 : 8;
  r->near_z = r->iz < 0 ? 40 : 16;
  r->far_x = r->ix < 0 ? 0 : 24;
  r->far_y = r->iy < 0 ? 8 : 32;
  r->far_z = r->iz < 0 ? 16 : 40;
}

// `FloatRay.nodeSlab` of both lanes of the node at `base`: bit 0 of the result set when the
// ray enters child 0, bit 1 for child 1, bit 2 when child 0's entry is not farther than
// child 1's (the walk reads it only when both are entered: then neither entry is NaN, and it
// is the negation of `near1 < near0`).
static inline int node_portable(const fray *r, const unsigned char *base, float lower, float upper) {
  float near[2], far[2];
  for (int lane = 0; lane < 2; lane++) {
    const unsigned char *b = base + lane * 4;
    float nx = (load_f32(b + r->near_x) - r->ox) * r->ix;
    float ny = (load_f32(b + r->near_y) - r->oy) * r->iy;
    float nz = (load_f32(b + r->near_z) - r->oz) * r->iz;
    float fx = (load_f32(b + r->far_x) - r->ox) * r->ix;
    float fy = (load_f32(b + r->far_y) - r->oy) * r->iy;
    float fz = (load_f32(b + r->far_z) - r->oz) * r->iz;
    near[lane] = maxf(maxf(nx, ny), maxf(nz, lower));
    far[lane] = minf(minf(fx, fy), minf(fz, upper));
  }
  return (near[0] <= far[0]) | (near[1] <= far[1]) << 1 | (near[0] <= near[1]) << 2;
}

#if CMESH_SSE
// The Float32 ray in SSE lanes: origin and inverse as (x, x, y, y) and (z, z, z, z).
typedef struct fray4 {
  __m128 oxy, ixy, oz, iz;
} fray4;

static inline fray4 fray4_of(const fray *r) {
  fray4 v;
  v.oxy = _mm_setr_ps(r->ox, r->ox, r->oy, r->oy);
  v.ixy = _mm_setr_ps(r->ix, r->ix, r->iy, r->iy);
  v.oz = _mm_set1_ps(r->oz);
  v.iz = _mm_set1_ps(r->iz);
  return v;
}

// Two Float32 pairs (8 bytes each) as one vector: (a0, a1, b0, b1).
static inline __m128 load_pairs(const unsigned char *a, const unsigned char *b) {
  return _mm_castpd_ps(_mm_loadh_pd(_mm_load_sd((const double *)(const void *)a), (const double *)(const void *)b));
}

// The answers of `node_portable` from both lanes at once: (near x pair, near y pair), (near
// z pair, far z pair) and (far x pair, far y pair) in three vectors, each subtracted and
// multiplied once, then the same min / max tree (MAXPS(a, b) is a > b ? a : b lane by lane,
// MINPS a < b ? a : b), and one compare of (near0, near1, near0) with (far0, far1, near1).
static inline int node_sse(
  const fray *r, const fray4 *v, const unsigned char *base, __m128 lower, __m128 upper) {
  __m128 a = load_pairs(base + r->near_x, base + r->near_y);
  __m128 z = load_pairs(base + r->near_z, base + r->far_z);
  __m128 c = load_pairs(base + r->far_x, base + r->far_y);
  __m128 ta = _mm_mul_ps(_mm_sub_ps(a, v->oxy), v->ixy);
  __m128 tz = _mm_mul_ps(_mm_sub_ps(z, v->oz), v->iz);
  __m128 tc = _mm_mul_ps(_mm_sub_ps(c, v->oxy), v->ixy);
  // Lanes 0 and 1: max(nx, ny) and max(nz, lower), then their max.
  __m128 near = _mm_max_ps(_mm_max_ps(ta, _mm_movehl_ps(ta, ta)), _mm_max_ps(tz, lower));
  // Lanes 2 and 3 of min(tz, upper) are min(fz, upper); moved down to lanes 0 and 1.
  __m128 fz = _mm_min_ps(tz, upper);
  __m128 far = _mm_min_ps(_mm_min_ps(tc, _mm_movehl_ps(tc, tc)), _mm_movehl_ps(fz, fz));
  __m128 x = _mm_shuffle_ps(near, near, _MM_SHUFFLE(0, 0, 1, 0));
  __m128 y = _mm_shuffle_ps(far, near, _MM_SHUFFLE(1, 1, 1, 0));
  return _mm_movemask_ps(_mm_cmple_ps(x, y)) & 7;
}
#endif

#if CMESH_X86
#define CMESH_AVX2_ATTR __attribute__((target("avx2")))

// The ray for the AVX2 node test, in eight float lanes matching two 32-byte loads of a node:
// bytes 0–31 (lower x, y, z pairs, then upper x pair) and bytes 24–55 (upper x, y, z pairs,
// then the children). Lanes 0–5 hold x, x, y, y, z, z; lanes 6 and 7 are never read.
typedef struct ray8 {
  __m256 o, i;
  // Per lane, all ones where the near plane is the upper bound (the inverse is negative), so
  // the near planes blend from the second load there; `far` the complement on lanes 0–5 and
  // zero on 6 and 7 (those lanes then keep the first load's finite floats, not the children).
  __m256 near, far;
} ray8;

// The eight-lane form of the Float32 ray `prepare_fray` made.
CMESH_AVX2_ATTR static inline void prepare_avx2(const fray *f, ray8 *r) {
  __m256 pairs_i = _mm256_setr_ps(f->ix, f->ix, f->iy, f->iy, f->iz, f->iz, f->iz, f->iz);
  r->i = pairs_i;
  r->o = _mm256_setr_ps(f->ox, f->ox, f->oy, f->oy, f->oz, f->oz, f->oz, f->oz);
  __m256 negative = _mm256_cmp_ps(pairs_i, _mm256_setzero_ps(), _CMP_LT_OQ);
  __m256 six = _mm256_castsi256_ps(_mm256_setr_epi32(-1, -1, -1, -1, -1, -1, 0, 0));
  r->near = _mm256_and_ps(negative, six);
  r->far = _mm256_andnot_ps(negative, six);
}

// `node_portable` from two 32-byte loads: the near and far planes of all three axes of both
// lanes blended by the ray's signs, one subtract and one multiply each, then the min / max
// tree on lane pairs and one compare of (near0, near1, near0) with (far0, far1, near1).
CMESH_AVX2_ATTR static inline int node_avx2(const ray8 *r, const unsigned char *base, __m128 lower, __m128 upper) {
  __m256 lo = _mm256_loadu_ps((const float *)(const void *)base);
  __m256 hi = _mm256_loadu_ps((const float *)(const void *)(base + 24));
  __m256 tn = _mm256_mul_ps(_mm256_sub_ps(_mm256_blendv_ps(lo, hi, r->near), r->o), r->i);
  __m256 tf = _mm256_mul_ps(_mm256_sub_ps(_mm256_blendv_ps(lo, hi, r->far), r->o), r->i);
  __m128 nxy = _mm256_castps256_ps128(tn), nz = _mm256_extractf128_ps(tn, 1);
  __m128 fxy = _mm256_castps256_ps128(tf), fz = _mm256_extractf128_ps(tf, 1);
  __m128 near = _mm_max_ps(_mm_max_ps(nxy, _mm_movehl_ps(nxy, nxy)), _mm_max_ps(nz, lower));
  __m128 far = _mm_min_ps(_mm_min_ps(fxy, _mm_movehl_ps(fxy, fxy)), _mm_min_ps(fz, upper));
  __m128 x = _mm_shuffle_ps(near, near, _MM_SHUFFLE(0, 0, 1, 0));
  __m128 y = _mm_shuffle_ps(far, near, _MM_SHUFFLE(1, 1, 1, 0));
  return _mm_movemask_ps(_mm_cmple_ps(x, y)) & 7;
}
#endif

#if CMESH_X86
// The watertight ray (`wray`) broadcast to four double lanes.
typedef struct wray4 {
  __m256d ox, oy, oz, sx, sy, sz;
} wray4;

CMESH_AVX2_ATTR static inline void wray4_of(const wray *w, wray4 *v) {
  v->ox = _mm256_set1_pd(w->ox);
  v->oy = _mm256_set1_pd(w->oy);
  v->oz = _mm256_set1_pd(w->oz);
  v->sx = _mm256_set1_pd(w->sx);
  v->sy = _mm256_set1_pd(w->sy);
  v->sz = _mm256_set1_pd(w->sz);
}

// A leaf's triangles (`count`, 1 to 4, from `tri`), one per double lane, through `wray_hit`'s
// arithmetic: every lane runs the scalar test's IEEE operations in its order, so each lane's
// quotient and dividends have the scalar test's bits. Lanes past `count` repeat the first
// triangle and are masked off. Bit j of the result is set when triangle j passes the sign
// test, has a nonzero determinant and a quotient in (t_min, t_max] (a superset of what the
// scalar test with any limit up to t_max accepts: the walk re-checks each lane, in slot
// order, against the limit it has then). The quotients and dividends are stored to
// `t`, `e1`, `e2` and `det` only when some bit is set.
CMESH_AVX2_ATTR static inline __attribute__((always_inline)) int leaf_avx2(
  const wray *w, const wray4 *v, const double *tri, long count, double t_min, double t_max, double t[4],
  double e1_out[4], double e2_out[4], double det_out[4]) {
  const double *p0 = tri, *p1 = tri + (count > 1 ? 9 : 0), *p2 = tri + (count > 2 ? 18 : 0),
               *p3 = tri + (count > 3 ? 27 : 0);
  long kx = w->kx, ky = w->ky, kz = w->kz;
#define LEAF_LOAD(k) _mm256_setr_pd(p0[k], p1[k], p2[k], p3[k])
  __m256d az = _mm256_sub_pd(LEAF_LOAD(kz), v->oz);
  __m256d bz = _mm256_sub_pd(LEAF_LOAD(3 + kz), v->oz);
  __m256d cz = _mm256_sub_pd(LEAF_LOAD(6 + kz), v->oz);
  __m256d ax = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(kx), v->ox), _mm256_mul_pd(v->sx, az));
  __m256d ay = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(ky), v->oy), _mm256_mul_pd(v->sy, az));
  __m256d bx = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(3 + kx), v->ox), _mm256_mul_pd(v->sx, bz));
  __m256d by = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(3 + ky), v->oy), _mm256_mul_pd(v->sy, bz));
  __m256d cx = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(6 + kx), v->ox), _mm256_mul_pd(v->sx, cz));
  __m256d cy = _mm256_sub_pd(_mm256_sub_pd(LEAF_LOAD(6 + ky), v->oy), _mm256_mul_pd(v->sy, cz));
#undef LEAF_LOAD
  __m256d e0 = _mm256_sub_pd(_mm256_mul_pd(cx, by), _mm256_mul_pd(cy, bx));
  __m256d e1 = _mm256_sub_pd(_mm256_mul_pd(ax, cy), _mm256_mul_pd(ay, cx));
  __m256d e2 = _mm256_sub_pd(_mm256_mul_pd(bx, ay), _mm256_mul_pd(by, ax));
  __m256d zero = _mm256_setzero_pd();
  __m256d negative = _mm256_or_pd(
    _mm256_or_pd(_mm256_cmp_pd(e0, zero, _CMP_LT_OQ), _mm256_cmp_pd(e1, zero, _CMP_LT_OQ)),
    _mm256_cmp_pd(e2, zero, _CMP_LT_OQ));
  __m256d positive = _mm256_or_pd(
    _mm256_or_pd(_mm256_cmp_pd(e0, zero, _CMP_GT_OQ), _mm256_cmp_pd(e1, zero, _CMP_GT_OQ)),
    _mm256_cmp_pd(e2, zero, _CMP_GT_OQ));
  int lanes = (1 << count) - 1;
  int pass = ~_mm256_movemask_pd(_mm256_and_pd(negative, positive)) & lanes;
  if (!pass) return 0;
  __m256d det = _mm256_add_pd(_mm256_add_pd(e0, e1), e2);
  __m256d num = _mm256_add_pd(
    _mm256_add_pd(_mm256_mul_pd(e0, _mm256_mul_pd(v->sz, az)), _mm256_mul_pd(e1, _mm256_mul_pd(v->sz, bz))),
    _mm256_mul_pd(e2, _mm256_mul_pd(v->sz, cz)));
  __m256d tt = _mm256_div_pd(num, det);
  __m256d ok = _mm256_and_pd(
    _mm256_and_pd(_mm256_cmp_pd(det, zero, _CMP_NEQ_UQ), _mm256_cmp_pd(tt, _mm256_set1_pd(t_min), _CMP_GT_OQ)),
    _mm256_cmp_pd(tt, _mm256_set1_pd(t_max), _CMP_LE_OQ));
  pass &= _mm256_movemask_pd(ok);
  if (!pass) return 0;
  _mm256_storeu_pd(t, tt);
  _mm256_storeu_pd(e1_out, e1);
  _mm256_storeu_pd(e2_out, e2);
  _mm256_storeu_pd(det_out, det);
  return pass;
}
#endif

#define WALK_PORTABLE 0
#define WALK_SSE 1
#define WALK_AVX2 2

#define WALK_KIND WALK_PORTABLE
#define WALK_ATTR
#define WALK_ANY 0
#define WALK_NAME walk_portable_closest
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#define WALK_ANY 1
#define WALK_NAME walk_portable_any
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#undef WALK_ATTR
#undef WALK_KIND

#if CMESH_SSE
#define WALK_KIND WALK_SSE
#define WALK_ATTR
#define WALK_ANY 0
#define WALK_NAME walk_sse_closest
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#define WALK_ANY 1
#define WALK_NAME walk_sse_any
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#undef WALK_ATTR
#undef WALK_KIND
#endif

#if CMESH_X86
#define WALK_KIND WALK_AVX2
#define WALK_ATTR CMESH_AVX2_ATTR
#define WALK_ANY 0
#define WALK_NAME walk_avx2_closest
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#define WALK_ANY 1
#define WALK_NAME walk_avx2_any
#include "walk.h"
#undef WALK_ANY
#undef WALK_NAME
#undef WALK_ATTR
#undef WALK_KIND

static int best_path = -1;
#endif

#if CMESH_X86
// The automatic choice, found once (every thread that finds it unset computes the same
// value); kept out of line so that the hot callers only load it. CDevelop's level (the
// processor's best, capped by SCN_CPU_PATH) is the one every C kernel follows; its AVX-512
// level runs the AVX2 code here.
__attribute__((noinline, cold)) static int find_best(void) {
  int level = cdevelop_cpu_level();
  int best = level >= CDEVELOP_CPU_AVX2 ? CMESH_PATH_AVX2 : level == CDEVELOP_CPU_SSE ? CMESH_PATH_SSE : CMESH_PATH_PORTABLE;
  __atomic_store_n(&best_path, best, __ATOMIC_RELAXED);
  return best;
}

static inline int best_path_now(void) {
  int best = __atomic_load_n(&best_path, __ATOMIC_RELAXED);
  return __builtin_expect(best < 0, 0) ? find_best() : best;
}
#endif

int cmesh_resolve_path(int path) {
#if CMESH_X86
  if (path == CMESH_PATH_AUTO) return best_path_now();
  // A forced path is not capped by SCN_CPU_PATH, only by the processor.
  if (path == CMESH_PATH_AVX2) return cdevelop_cpu_processor() >= CDEVELOP_CPU_AVX2 ? CMESH_PATH_AVX2 : CMESH_PATH_SSE;
  if (path == CMESH_PATH_SSE) return CMESH_PATH_SSE;
#endif
  (void)path;
  return CMESH_PATH_PORTABLE;
}

typedef int (*walk_fn)(
  const cmesh_view *, const cmesh_query *, const double *, const double *, cmesh_scratch *, double *);

// The walk for `path` and the query's kind.
static inline walk_fn choose(const cmesh_query *q, int path) {
  int any = q->any_hit != 0;
#if CMESH_X86
  int resolved = path == CMESH_PATH_AUTO ? best_path_now() : cmesh_resolve_path(path);
  if (resolved == CMESH_PATH_AVX2) return any ? walk_avx2_any : walk_avx2_closest;
  if (resolved == CMESH_PATH_SSE) return any ? walk_sse_any : walk_sse_closest;
#else
  (void)path;
#endif
  return any ? walk_portable_any : walk_portable_closest;
}

int cmesh_intersect(const cmesh_view *mesh, const cmesh_query *q, cmesh_scratch *scratch, double *t, int path) {
  return choose(q, path)(mesh, q, q->origin, q->direction, scratch, t);
}

// `PrimitiveIntersection.toLocal`: the query's ray in the mesh frame of the instance record
// `p`, each row's products summed left to right.
static inline __attribute__((always_inline)) void to_local(
  const double *p, const cmesh_query *q, double lo[3], double ld[3]) {
  const double *o = q->origin, *d = q->direction;
  double rx = o[0] - p[9], ry = o[1] - p[10], rz = o[2] - p[11];
  lo[0] = p[0] * rx + p[1] * ry + p[2] * rz;
  lo[1] = p[3] * rx + p[4] * ry + p[5] * rz;
  lo[2] = p[6] * rx + p[7] * ry + p[8] * rz;
  ld[0] = p[0] * d[0] + p[1] * d[1] + p[2] * d[2];
  ld[1] = p[3] * d[0] + p[4] * d[1] + p[5] * d[2];
  ld[2] = p[6] * d[0] + p[7] * d[1] + p[8] * d[2];
}

int cmesh_intersect_instance(
  const double *p, const cmesh_view *mesh, const cmesh_query *q, cmesh_scratch *scratch, double *t, int path) {
  // The root node is read first: its line is requested before the change of frame.
  __builtin_prefetch(mesh->nodes);
  walk_fn walk = choose(q, path);
  double lo[3], ld[3];
  to_local(p, q, lo, ld);
  return walk(mesh, q, lo, ld, scratch, t);
}

#if CMESH_X86
// One child's slab test (`node_portable`'s steps for lane `lane`, which is 0 or 4 bytes in)
// for eight rays at once, one per float lane (`o*` origins, `i*` inverses, `n*` all ones where
// the inverse is negative, so the near plane is the upper bound): the lanes whose rays enter
// it, and their entry distances in `near`.
CMESH_AVX2_ATTR static inline __attribute__((always_inline)) int packet_child(
  const unsigned char *lane, const __m256 o[3], const __m256 i[3], const __m256 n[3], __m256 lower, __m256 upper,
  __m256 *near) {
  __m256 tn[3], tf[3];
  for (int k = 0; k < 3; k++) {
    __m256 a = _mm256_mul_ps(_mm256_sub_ps(_mm256_broadcast_ss((const float *)(const void *)(lane + 8 * k)), o[k]), i[k]);
    __m256 b =
      _mm256_mul_ps(_mm256_sub_ps(_mm256_broadcast_ss((const float *)(const void *)(lane + 24 + 8 * k)), o[k]), i[k]);
    tn[k] = _mm256_blendv_ps(a, b, n[k]);
    tf[k] = _mm256_blendv_ps(b, a, n[k]);
  }
  __m256 nr = _mm256_max_ps(_mm256_max_ps(tn[0], tn[1]), _mm256_max_ps(tn[2], lower));
  __m256 fr = _mm256_min_ps(_mm256_min_ps(tf[0], tf[1]), _mm256_min_ps(tf[2], upper));
  *near = nr;
  return _mm256_movemask_ps(_mm256_cmp_ps(nr, fr, _CMP_LE_OQ));
}

// A packet's kept hits, one array entry per ray (what the walk keeps: the limit of the next
// test, the hit's barycentric dividends and divisor, its leaf slot and that slot's triangle
// index as doubles, and whether there is a hit as a lane mask, 0 or −1), so that four rays'
// fields load as one vector.
typedef struct kept_lanes {
  double best[CMESH_PACKET_MAX], e1[CMESH_PACKET_MAX], e2[CMESH_PACKET_MAX], det[CMESH_PACKET_MAX];
  double slot[CMESH_PACKET_MAX], triangle[CMESH_PACKET_MAX];
  int64_t found[CMESH_PACKET_MAX];
} kept_lanes;

// Four rays' watertight rays (`wray`) sharing one axis permutation, one ray per double lane,
// and their lower limits.
typedef struct wray_lanes {
  __m256d ox, oy, oz, sx, sy, sz, t_min;
} wray_lanes;

// A leaf's triangles (`count` from leaf slot `first`) against the rays of four-ray group `v`
// whose bits are set in `lanes`, one ray per double lane, each triangle broadcast: every lane
// runs `wray_hit`'s IEEE operations in its order (the shared permutation `kx`, `ky`, `kz`),
// and keeps a hit, the triangles in slot order, as the walk's leaf step does for one ray: a
// hit in (t_min, best), or at best when its triangle comes first in the mesh. `ray`: the
// group's first ray in `k`. Returns the lanes whose kept hit changed.
CMESH_AVX2_ATTR static inline __attribute__((always_inline)) unsigned leaf_lanes_avx2(
  long kx, long ky, long kz, const wray_lanes *v, const double *triangles, const uint32_t *tos, long first, long count,
  unsigned lanes, kept_lanes *k, long ray) {
  static const int64_t lane_bits[4] = {1, 2, 4, 8};
  __m256d active = _mm256_castsi256_pd(_mm256_cmpeq_epi64(
    _mm256_and_si256(_mm256_set1_epi64x(lanes), _mm256_loadu_si256((const __m256i *)(const void *)lane_bits)),
    _mm256_loadu_si256((const __m256i *)(const void *)lane_bits)));
  __m256d best = _mm256_loadu_pd(k->best + ray), e1k = _mm256_loadu_pd(k->e1 + ray);
  __m256d e2k = _mm256_loadu_pd(k->e2 + ray), detk = _mm256_loadu_pd(k->det + ray);
  __m256d slotk = _mm256_loadu_pd(k->slot + ray), trik = _mm256_loadu_pd(k->triangle + ray);
  __m256d found = _mm256_castsi256_pd(_mm256_loadu_si256((const __m256i *)(const void *)(k->found + ray)));
  __m256d changed = _mm256_setzero_pd();
  __m256d zero = _mm256_setzero_pd();
  for (long slot = first; slot < first + count; slot++) {
    const double *p = triangles + slot * 9;
#define LANE_LOAD(i) _mm256_broadcast_sd(p + (i))
    __m256d az = _mm256_sub_pd(LANE_LOAD(kz), v->oz);
    __m256d bz = _mm256_sub_pd(LANE_LOAD(3 + kz), v->oz);
    __m256d cz = _mm256_sub_pd(LANE_LOAD(6 + kz), v->oz);
    __m256d ax = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(kx), v->ox), _mm256_mul_pd(v->sx, az));
    __m256d ay = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(ky), v->oy), _mm256_mul_pd(v->sy, az));
    __m256d bx = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(3 + kx), v->ox), _mm256_mul_pd(v->sx, bz));
    __m256d by = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(3 + ky), v->oy), _mm256_mul_pd(v->sy, bz));
    __m256d cx = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(6 + kx), v->ox), _mm256_mul_pd(v->sx, cz));
    __m256d cy = _mm256_sub_pd(_mm256_sub_pd(LANE_LOAD(6 + ky), v->oy), _mm256_mul_pd(v->sy, cz));
#undef LANE_LOAD
    __m256d e0 = _mm256_sub_pd(_mm256_mul_pd(cx, by), _mm256_mul_pd(cy, bx));
    __m256d e1 = _mm256_sub_pd(_mm256_mul_pd(ax, cy), _mm256_mul_pd(ay, cx));
    __m256d e2 = _mm256_sub_pd(_mm256_mul_pd(bx, ay), _mm256_mul_pd(by, ax));
    __m256d negative = _mm256_or_pd(
      _mm256_or_pd(_mm256_cmp_pd(e0, zero, _CMP_LT_OQ), _mm256_cmp_pd(e1, zero, _CMP_LT_OQ)),
      _mm256_cmp_pd(e2, zero, _CMP_LT_OQ));
    __m256d positive = _mm256_or_pd(
      _mm256_or_pd(_mm256_cmp_pd(e0, zero, _CMP_GT_OQ), _mm256_cmp_pd(e1, zero, _CMP_GT_OQ)),
      _mm256_cmp_pd(e2, zero, _CMP_GT_OQ));
    __m256d pass = _mm256_andnot_pd(_mm256_and_pd(negative, positive), active);
    if (!_mm256_movemask_pd(pass)) continue;
    __m256d det = _mm256_add_pd(_mm256_add_pd(e0, e1), e2);
    __m256d num = _mm256_add_pd(
      _mm256_add_pd(_mm256_mul_pd(e0, _mm256_mul_pd(v->sz, az)), _mm256_mul_pd(e1, _mm256_mul_pd(v->sz, bz))),
      _mm256_mul_pd(e2, _mm256_mul_pd(v->sz, cz)));
    __m256d tt = _mm256_div_pd(num, det);
    __m256d tri = _mm256_set1_pd((double)tos[slot]);
    __m256d nearer = _mm256_cmp_pd(tt, best, _CMP_LT_OQ);
    __m256d tie = _mm256_and_pd(
      _mm256_and_pd(found, _mm256_cmp_pd(tt, best, _CMP_EQ_OQ)), _mm256_cmp_pd(tri, trik, _CMP_LT_OQ));
    __m256d ok = _mm256_and_pd(
      _mm256_and_pd(pass, _mm256_cmp_pd(det, zero, _CMP_NEQ_UQ)),
      _mm256_and_pd(_mm256_cmp_pd(tt, v->t_min, _CMP_GT_OQ), _mm256_or_pd(nearer, tie)));
    if (!_mm256_movemask_pd(ok)) continue;
    best = _mm256_blendv_pd(best, tt, ok);
    e1k = _mm256_blendv_pd(e1k, e1, ok);
    e2k = _mm256_blendv_pd(e2k, e2, ok);
    detk = _mm256_blendv_pd(detk, det, ok);
    slotk = _mm256_blendv_pd(slotk, _mm256_set1_pd((double)slot), ok);
    trik = _mm256_blendv_pd(trik, tri, ok);
    found = _mm256_or_pd(found, ok);
    changed = _mm256_or_pd(changed, ok);
  }
  unsigned kept = (unsigned)_mm256_movemask_pd(changed);
  if (kept) {
    _mm256_storeu_pd(k->best + ray, best);
    _mm256_storeu_pd(k->e1 + ray, e1k);
    _mm256_storeu_pd(k->e2 + ray, e2k);
    _mm256_storeu_pd(k->det + ray, detk);
    _mm256_storeu_pd(k->slot + ray, slotk);
    _mm256_storeu_pd(k->triangle + ray, trik);
    _mm256_storeu_si256((__m256i *)(void *)(k->found + ray), _mm256_castpd_si256(found));
  }
  return kept;
}

// `cmesh_intersect_instance_packet` on the AVX2 path: the rays walk the BVH together. A node's
// children are slab-tested for every ray of the node's mask (each lane the single walk's
// Float32 operations with the ray's own limits, so each ray enters exactly the children its
// own walk would enter with the same kept hit); the children entered by more rays nearer
// first; a leaf's triangles tested by the rays that enter it, four rays a pass, one per double
// lane (`leaf_lanes_avx2`), which narrows their upper limits; an interior child visited next
// or pushed with the mask of the rays entering it. Whatever the order, each ray's answer is
// the least (t, triangle) of its window, as alone. Returns 0, with nothing walked, when the
// rays' axis permutations differ; else 1, and in `*found_out` the rays that hit.
CMESH_AVX2_ATTR __attribute__((noinline)) static int packet_avx2(
  const double *p, const cmesh_view *restrict mesh, const cmesh_packet *restrict q, long count,
  uint32_t *restrict stack, cmesh_hit *restrict hits, unsigned *restrict found_out) {
  const double *restrict triangles = mesh->triangles;
  const uint32_t *restrict tos = mesh->triangle_of_slot;
  const unsigned char *restrict nodes = (const unsigned char *)mesh->nodes;
  // Per axis and ray: the ray in the mesh frame (`to_local`) and `prepare_fray`'s
  // reciprocals, four rays a step (each lane the scalar operations in their order); lanes
  // past `count` repeat ray 0 and are never in a mask.
  double lo[3][CMESH_PACKET_MAX], ld[3][CMESH_PACKET_MAX], recip[3][CMESH_PACKET_MAX];
  __m128 of[3][2], inf[3][2];
  const __m256d tiny = _mm256_set1_pd(q->tiny), zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  const __m256d sign = _mm256_set1_pd(-0.0);
  for (int g = 0; g < 2; g++) {
    __m256d o[3], d[3];
    const double *src[6] = {q->ox, q->oy, q->oz, q->dx, q->dy, q->dz};
    for (int a = 0; a < 6; a++) {
      double lane[4];
      for (int l = 0; l < 4; l++) lane[l] = src[a][4 * g + l < count ? 4 * g + l : 0];
      if (a < 3) o[a] = _mm256_loadu_pd(lane);
      else d[a - 3] = _mm256_loadu_pd(lane);
    }
    __m256d r[3];
    for (int a = 0; a < 3; a++) r[a] = _mm256_sub_pd(o[a], _mm256_set1_pd(p[9 + a]));
    for (int row = 0; row < 3; row++) {
      __m256d m0 = _mm256_set1_pd(p[3 * row]), m1 = _mm256_set1_pd(p[3 * row + 1]), m2 = _mm256_set1_pd(p[3 * row + 2]);
      __m256d l_o = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(m0, r[0]), _mm256_mul_pd(m1, r[1])), _mm256_mul_pd(m2, r[2]));
      __m256d l_d = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(m0, d[0]), _mm256_mul_pd(m1, d[1])), _mm256_mul_pd(m2, d[2]));
      // `prepare_fray`: a component below `tiny` in magnitude clamped to ±tiny, then 1 / c.
      __m256d small = _mm256_cmp_pd(_mm256_andnot_pd(sign, l_d), tiny, _CMP_LT_OQ);
      __m256d clamp = _mm256_blendv_pd(tiny, _mm256_or_pd(tiny, sign), _mm256_cmp_pd(l_d, zero, _CMP_LT_OQ));
      __m256d c = _mm256_blendv_pd(l_d, clamp, small);
      __m256d rc = _mm256_div_pd(one, c);
      _mm256_storeu_pd(lo[row] + 4 * g, l_o);
      _mm256_storeu_pd(ld[row] + 4 * g, l_d);
      _mm256_storeu_pd(recip[row] + 4 * g, rc);
      of[row][g] = _mm256_cvtpd_ps(l_o);
      inf[row][g] = _mm256_cvtpd_ps(rc);
    }
  }
  __m256 o[3], inv[3], neg[3];
  for (int a = 0; a < 3; a++) {
    o[a] = _mm256_set_m128(of[a][1], of[a][0]);
    inv[a] = _mm256_set_m128(inf[a][1], inf[a][0]);
    neg[a] = _mm256_cmp_ps(inv[a], _mm256_setzero_ps(), _CMP_LT_OQ);
  }
  float lower[CMESH_PACKET_MAX], upper[CMESH_PACKET_MAX];
  kept_lanes k;
  for (long r = 0; r < CMESH_PACKET_MAX; r++) {
    long s = r < count ? r : 0;
    lower[r] = q->lower_limit[s];
    k.best[r] = q->t_max[s];
    upper[r] = upper_limit(q->t_max[s], q->upper_scale, q->upper_offset);
    k.e1[r] = 0;
    k.e2[r] = 0;
    k.det[r] = 1;
    k.slot[r] = 0;
    k.triangle[r] = 0;
    k.found[r] = 0;
  }
  __m256 lower8 = _mm256_loadu_ps(lower), upper8 = _mm256_loadu_ps(upper);
  // The watertight rays (`wray_init`) in two four-ray groups, made four a step: only for rays
  // that share one axis permutation (the same dominant axis and sign), else each walks alone.
  long kx = 0, ky = 0, kz = 0;
  for (long r = 0; r < count; r++) {
    double d3[3] = {ld[0][r], ld[1][r], ld[2][r]};
    long x, y, z;
    wray_axes(d3, &x, &y, &z);
    if (r == 0) {
      kx = x;
      ky = y;
      kz = z;
    } else if ((x != kx) | (y != ky)) {
      return 0;
    }
  }
  wray_lanes groups[2];
  for (int g = 0; g < 2; g++) {
    groups[g].ox = _mm256_loadu_pd(lo[kx] + 4 * g);
    groups[g].oy = _mm256_loadu_pd(lo[ky] + 4 * g);
    groups[g].oz = _mm256_loadu_pd(lo[kz] + 4 * g);
    __m256d dz = _mm256_loadu_pd(ld[kz] + 4 * g);
    groups[g].sx = _mm256_div_pd(_mm256_loadu_pd(ld[kx] + 4 * g), dz);
    groups[g].sy = _mm256_div_pd(_mm256_loadu_pd(ld[ky] + 4 * g), dz);
    // `wray_init`'s sz: the reciprocal unless the component was clamped.
    __m256d sz = _mm256_loadu_pd(recip[kz] + 4 * g);
    __m256d small = _mm256_cmp_pd(_mm256_andnot_pd(sign, dz), tiny, _CMP_LT_OQ);
    if (_mm256_movemask_pd(small)) sz = _mm256_blendv_pd(sz, _mm256_div_pd(one, dz), small);
    groups[g].sz = sz;
    double t_min[4];
    for (int l = 0; l < 4; l++) t_min[l] = q->t_min[4 * g + l < count ? 4 * g + l : 0];
    groups[g].t_min = _mm256_loadu_pd(t_min);
  }
  long size = 0;
  uint32_t node = 0;
  unsigned mask = (1u << count) - 1;
  for (;;) {
    const unsigned char *base = nodes + (size_t)node * 64;
    uint32_t child0 = load_u32(base + 48), child1 = load_u32(base + 52);
    uint32_t count0 = load_u32(base + 56), count1 = load_u32(base + 60);
    __builtin_prefetch(count0 ? (const void *)(triangles + (size_t)child0 * 9) : (const void *)(nodes + (size_t)child0 * 64));
    __builtin_prefetch(count1 ? (const void *)(triangles + (size_t)child1 * 9) : (const void *)(nodes + (size_t)child1 * 64));
    __m256 near0, near1;
    unsigned enter0 = (unsigned)packet_child(base, o, inv, neg, lower8, upper8, &near0) & mask;
    unsigned enter1 = (unsigned)packet_child(base + 4, o, inv, neg, lower8, upper8, &near1) & mask;
    // A root over a handful of triangles names the same leaf in both lanes.
    if (child0 == child1 && count0 == count1) enter1 = 0;
    // Child 1 first when more of the rays entering both have it nearer.
    unsigned both = enter0 & enter1;
    unsigned first0 = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(near0, near1, _CMP_LE_OQ)) & both;
    int swap = 2 * __builtin_popcount(first0) < __builtin_popcount(both);
    uint32_t child_a = swap ? child1 : child0, count_a = swap ? count1 : count0;
    uint32_t child_b = swap ? child0 : child1, count_b = swap ? count0 : count1;
    unsigned enter_a = swap ? enter1 : enter0, enter_b = swap ? enter0 : enter1;
    long next = -1, push = -1;
    unsigned next_mask = 0, push_mask = 0;
    for (int c = 0; c < 2; c++) {
      uint32_t child = c ? child_b : child_a, leaf = c ? count_b : count_a;
      unsigned enter = c ? enter_b : enter_a;
      if (!enter) continue;
      if (leaf == 0) {
        if (next < 0) {
          next = child;
          next_mask = enter;
        } else {
          push = child;
          push_mask = enter;
        }
        continue;
      }
      unsigned narrowed = 0;
      for (int g = 0; g < 2; g++) {
        unsigned lanes = enter >> (4 * g) & 15;
        if (lanes) narrowed |= leaf_lanes_avx2(kx, ky, kz, groups + g, triangles, tos, child, leaf, lanes, &k, 4 * g) << (4 * g);
      }
      if (narrowed) {
        for (unsigned rays = narrowed; rays; rays &= rays - 1) {
          int r = __builtin_ctz(rays);
          upper[r] = upper_limit(k.best[r], q->upper_scale, q->upper_offset);
        }
        upper8 = _mm256_loadu_ps(upper);
      }
    }
    if (push >= 0) {
      stack[size++] = (uint32_t)push;
      stack[size++] = push_mask;
    }
    if (next >= 0) {
      node = (uint32_t)next;
      mask = next_mask;
      continue;
    }
    if (size == 0) break;
    mask = stack[--size];
    node = stack[--size];
  }
  unsigned found = 0;
  for (long r = 0; r < count; r++) {
    if (k.found[r] == 0) continue;
    found |= 1u << r;
    hits[r] = (cmesh_hit){k.best[r], k.e1[r] / k.det[r], k.e2[r] / k.det[r], (long)k.slot[r]};
  }
  *found_out = found;
  return 1;
}
#endif

unsigned cmesh_intersect_instance_packet(
  const double *p, const cmesh_view *mesh, const cmesh_packet *q, long count, uint32_t *stack, cmesh_hit *hits,
  int path) {
  __builtin_prefetch(mesh->nodes);
  if (mesh->node_count <= 0 || count <= 0) return 0;
  if (count > CMESH_PACKET_MAX) count = CMESH_PACKET_MAX;
  unsigned found = 0;
#if CMESH_X86
  if ((path == CMESH_PATH_AUTO ? best_path_now() : cmesh_resolve_path(path)) == CMESH_PATH_AVX2 &&
      packet_avx2(p, mesh, q, count, stack, hits, &found))
    return found;
#endif
  // Each ray alone, on the path asked for (on the AVX2 path: rays whose axis permutations
  // differ).
  for (long r = 0; r < count; r++) {
    cmesh_query one = {
      {q->ox[r], q->oy[r], q->oz[r]}, {q->dx[r], q->dy[r], q->dz[r]}, q->t_min[r], q->t_max[r], q->tiny,
      q->lower_limit[r], q->upper_scale, q->upper_offset, 0};
    cmesh_scratch scratch = {stack, 0, 0, 0, -1};
    double t;
    if (!cmesh_intersect_instance(p, mesh, &one, &scratch, &t, path)) continue;
    found |= 1u << r;
    hits[r] = (cmesh_hit){t, scratch.u, scratch.v, scratch.slot};
  }
  return found;
}

// `Vec3.normalized`: v / |v| lane by lane, or zero for a zero vector.
static inline void normalize3(double v[3]) {
  double len = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
  if (len > 0) {
    v[0] = v[0] / len;
    v[1] = v[1] / len;
    v[2] = v[2] / len;
  } else {
    v[0] = 0;
    v[1] = 0;
    v[2] = 0;
  }
}

cmesh_vec3 cmesh_instance_normal(
  const double *p, const cmesh_view *mesh, long slot, double u, double v, double dx, double dy, double dz) {
  const double d[3] = {dx, dy, dz};
  // `PrimitiveIntersection.toLocal` of the direction.
  double ld[3] = {
    p[0] * d[0] + p[1] * d[1] + p[2] * d[2], p[3] * d[0] + p[4] * d[1] + p[5] * d[2],
    p[6] * d[0] + p[7] * d[1] + p[8] * d[2]};
  // `MeshTraversal.facingNormal`.
  const double *t = mesh->triangles + slot * 9;
  double e1[3] = {t[3] - t[0], t[4] - t[1], t[5] - t[2]};
  double e2[3] = {t[6] - t[0], t[7] - t[1], t[8] - t[2]};
  double g[3] = {e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2], e1[0] * e2[1] - e1[1] * e2[0]};
  normalize3(g);
  if (g[0] * ld[0] + g[1] * ld[1] + g[2] * ld[2] > 0) {
    g[0] = -g[0];
    g[1] = -g[1];
    g[2] = -g[2];
  }
  double n[3] = {g[0], g[1], g[2]};
  if (mesh->normals) {
    const double *m = mesh->normals + slot * 9;
    double w = 1 - u - v;
    double s[3];
    for (int k = 0; k < 3; k++) s[k] = m[k] * w + m[3 + k] * u + m[6 + k] * v;
    normalize3(s);
    if (!(s[0] == 0 && s[1] == 0 && s[2] == 0)) {
      int flip = s[0] * g[0] + s[1] * g[1] + s[2] * g[2] < 0;
      for (int k = 0; k < 3; k++) n[k] = flip ? -s[k] : s[k];
    }
  }
  // `PrimitiveIntersection.toWorld`.
  cmesh_vec3 out = {
    p[0] * n[0] + p[3] * n[1] + p[6] * n[2], p[1] * n[0] + p[4] * n[1] + p[7] * n[2],
    p[2] * n[0] + p[5] * n[1] + p[8] * n[2]};
  return out;
}
