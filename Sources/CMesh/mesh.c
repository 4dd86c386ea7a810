// The mesh-level BVH walk: see include/cmesh.h and README.md. Every hit distance, barycentric
// weight and leaf slot is the one ScnSensors' Swift code (`MeshTraversal.intersect`,
// `WatertightRay`, `FloatRay.nodeSlab`) computes, whichever path runs: the same IEEE
// subtracts, multiplies, divides and conversions in the same order, never fused (the pragmas
// below), and min / max as compare-and-select with the Swift code's operand order
// (a < b ? a : b, which is what MINPS computes, and a > b ? a : b for MAXPS).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cmesh.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__SSE2__)
#include <immintrin.h>
#define CMESH_SSE 1
#define CMESH_X86 1
#endif

static inline float minf(float a, float b) { return a < b ? a : b; }
static inline float maxf(float a, float b) { return a > b ? a : b; }

// `FloatRay.upperLimit`.
static inline float upper_limit(double t, const cmesh_query *q) {
  return isfinite(t) ? (float)t * q->upper_scale + q->upper_offset : INFINITY;
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
static inline void wray_init(wray *w, const double o[3], const double d[3], const double recip[3], double tiny) {
  double ax = fabs(d[0]), ay = fabs(d[1]), az = fabs(d[2]);
  long z = ax > ay ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2);
  long x = z == 2 ? 0 : z + 1;
  long y = x == 2 ? 0 : x + 1;
  double dz = d[z];
  if (dz < 0) {
    long s = x;
    x = y;
    y = s;
  }
  w->kx = x;
  w->ky = y;
  w->kz = z;
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

static int has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

static int best_path = -1;
#endif

#if CMESH_X86
// The best path, found once (every thread that finds it unset computes the same value); kept
// out of line so that the hot callers only load it.
__attribute__((noinline, cold)) static int find_best(void) {
  int best = has_avx2() ? CMESH_PATH_AVX2 : CMESH_PATH_SSE;
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
  int best = best_path_now();
  if (path == CMESH_PATH_AUTO) return best;
  if (path == CMESH_PATH_AVX2) return best;
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

int cmesh_intersect_instance(
  const double *p, const cmesh_view *mesh, const cmesh_query *q, cmesh_scratch *scratch, double *t, int path) {
  // The root node is read first: its line is requested before the change of frame.
  __builtin_prefetch(mesh->nodes);
  walk_fn walk = choose(q, path);
  // `PrimitiveIntersection.toLocal`: each row's products summed left to right.
  const double *o = q->origin, *d = q->direction;
  double rx = o[0] - p[9], ry = o[1] - p[10], rz = o[2] - p[11];
  double lo[3] = {
    p[0] * rx + p[1] * ry + p[2] * rz, p[3] * rx + p[4] * ry + p[5] * rz, p[6] * rx + p[7] * ry + p[8] * rz};
  double ld[3] = {
    p[0] * d[0] + p[1] * d[1] + p[2] * d[2], p[3] * d[0] + p[4] * d[1] + p[5] * d[2],
    p[6] * d[0] + p[7] * d[1] + p[8] * d[2]};
  return walk(mesh, q, lo, ld, scratch, t);
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
