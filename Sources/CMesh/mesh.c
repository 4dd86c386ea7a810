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
#include <emmintrin.h>
#define CMESH_SSE 1
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
// (t_min, t_max), or (t_min, t_max] with `including`.
static inline int wray_hit(
  const wray *w, const double *p, double t_min, double t_max, int including, double *t, double *u, double *v) {
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
  if ((e0 < 0 && e1 > 0) || (e0 > 0 && e1 < 0)) return 0;
  double e2 = bx * ay - by * ax;
  if ((e0 < 0 || e1 < 0 || e2 < 0) && (e0 > 0 || e1 > 0 || e2 > 0)) return 0;
  double det = e0 + e1 + e2;
  if (det == 0) return 0;
  double tt = (e0 * (w->sz * az) + e1 * (w->sz * bz) + e2 * (w->sz * cz)) / det;
  if (!(tt > t_min && (tt < t_max || (including && tt == t_max)))) return 0;
  *t = tt;
  *u = e1 / det;
  *v = e2 / det;
  return 1;
}

// The Float32 ray of `FloatRay`, and where each axis's near and far planes of lane 0 sit in
// a node (`FloatRay.nodePlaneOffsets`).
typedef struct fray {
  float ox, oy, oz, ix, iy, iz;
  long near_x, near_y, near_z, far_x, far_y, far_z;
} fray;

// `FloatRay.nodeSlab` of both lanes of the node at `base`: bit 0 of the result set when the
// ray enters child 0, bit 1 for child 1, bit 2 when child 1's entry is nearer than child 0's.
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
  return (near[0] <= far[0]) | (near[1] <= far[1]) << 1 | (near[1] < near[0]) << 2;
}

#if CMESH_SSE
// The Float32 ray in SSE lanes: origin and inverse as (x, x, y, y) and (z, z, z, z).
typedef struct fray4 {
  __m128 oxy, ixy, oz, iz;
} fray4;

// Two Float32 pairs (8 bytes each) as one vector: (a0, a1, b0, b1).
static inline __m128 load_pairs(const unsigned char *a, const unsigned char *b) {
  return _mm_castpd_ps(_mm_loadh_pd(_mm_load_sd((const double *)(const void *)a), (const double *)(const void *)b));
}

// `node_portable` with both lanes at once: (near x pair, near y pair), (near z pair, far z
// pair) and (far x pair, far y pair) in three vectors, each subtracted and multiplied once,
// then the same min / max tree (MAXPS(a, b) is a > b ? a : b lane by lane, MINPS a < b ? a : b).
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
  int enter = _mm_movemask_ps(_mm_cmple_ps(near, far)) & 3;
  int nearer1 = _mm_movemask_ps(_mm_cmplt_ss(_mm_shuffle_ps(near, near, 1), near)) & 1;
  return enter | nearer1 << 2;
}
#endif

// The walk itself (`MeshTraversal.intersect`), the ray in the mesh frame; `sse` a constant
// in each caller below, so each path is compiled on its own.
static inline __attribute__((always_inline)) int walk(
  const cmesh_view *mesh, const cmesh_query *q, const double o[3], const double d[3], cmesh_scratch *scratch,
  double *t_out, int sse) {
  if (mesh->node_count <= 0) return 0;
  const double tiny = q->tiny;
  // `FloatRay`: the reciprocals in double (kept for the shear), rounded to Float32.
  double c[3], recip[3];
  for (int k = 0; k < 3; k++) c[k] = fabs(d[k]) < tiny ? (d[k] < 0 ? -tiny : tiny) : d[k];
#if CMESH_SSE
  __m128d rxy = _mm_div_pd(_mm_set1_pd(1.0), _mm_set_pd(c[1], c[0]));
  recip[0] = _mm_cvtsd_f64(rxy);
  recip[1] = _mm_cvtsd_f64(_mm_unpackhi_pd(rxy, rxy));
  recip[2] = 1 / c[2];
#else
  for (int k = 0; k < 3; k++) recip[k] = 1 / c[k];
#endif
  fray r;
  r.ox = (float)o[0];
  r.oy = (float)o[1];
  r.oz = (float)o[2];
  r.ix = (float)recip[0];
  r.iy = (float)recip[1];
  r.iz = (float)recip[2];
  r.near_x = r.ix < 0 ? 24 : 0;
  r.near_y = r.iy < 0 ? 32 : 8;
  r.near_z = r.iz < 0 ? 40 : 16;
  r.far_x = r.ix < 0 ? 0 : 24;
  r.far_y = r.iy < 0 ? 8 : 32;
  r.far_z = r.iz < 0 ? 16 : 40;

  const double t_min = q->t_min;
  const int any_hit = q->any_hit;
  const float lower = q->lower_limit;
  double best = q->t_max;
  int found = 0;
  long best_slot = 0;
  double best_u = 0, best_v = 0;
  float upper = upper_limit(best, q);
  // The shear, prepared at the first leaf reached (many rays miss both children of the root).
  wray w;
  int prepared = 0;
  const double *triangles = mesh->triangles;
  const uint32_t *tos = mesh->triangle_of_slot;

  long seed = scratch->seed;
  if (seed >= 0 && seed < mesh->slot_count) {
    wray_init(&w, o, d, recip, tiny);
    prepared = 1;
    double t, u, v;
    if (wray_hit(&w, triangles + seed * 9, t_min, best, 0, &t, &u, &v)) {
      best = t;
      best_u = u;
      best_v = v;
      best_slot = seed;
      found = 1;
      upper = upper_limit(best, q);
      if (any_hit) goto done;
    }
  }

#if CMESH_SSE
  fray4 v4;
  __m128 lower4 = _mm_set1_ps(lower), upper4 = _mm_set1_ps(upper);
  if (sse) {
    v4.oxy = _mm_setr_ps(r.ox, r.ox, r.oy, r.oy);
    v4.ixy = _mm_setr_ps(r.ix, r.ix, r.iy, r.iy);
    v4.oz = _mm_set1_ps(r.oz);
    v4.iz = _mm_set1_ps(r.iz);
  }
#else
  (void)sse;
#endif

  uint32_t *stack = scratch->stack;
  long size = 0;
  long node = 0;
  const unsigned char *nodes = (const unsigned char *)mesh->nodes;
  for (;;) {
    const unsigned char *base = nodes + node * 64;
    int test;
#if CMESH_SSE
    if (sse)
      test = node_sse(&r, &v4, base, lower4, upper4);
    else
#endif
      test = node_portable(&r, base, lower, upper);
    int enter0 = test & 1, enter1 = (test >> 1) & 1, nearer1 = (test >> 2) & 1;
    uint32_t child0 = load_u32(base + 48), child1 = load_u32(base + 52);
    uint32_t count0 = load_u32(base + 56), count1 = load_u32(base + 60);
    if ((count0 | count1) == 0) {
      // `BVHWalk.descendInterior`.
      if (enter0 && enter1) {
        stack[size++] = nearer1 ? child0 : child1;
        node = nearer1 ? child1 : child0;
        continue;
      }
      if (enter0 || enter1) {
        node = enter0 ? child0 : child1;
        continue;
      }
      if (size == 0) break;
      node = stack[--size];
      continue;
    }
    long next = -1, push = -1;
    int first_lane = nearer1;
    for (int k = 0; k < 2; k++) {
      int lane = k == 0 ? first_lane : 1 - first_lane;
      if (!(lane == 0 ? enter0 : enter1)) continue;
      uint32_t child = lane == 0 ? child0 : child1;
      uint32_t count = lane == 0 ? count0 : count1;
      if (count == 0) {
        if (next < 0)
          next = child;
        else
          push = child;
        continue;
      }
      // A root over a handful of triangles names the same leaf in both lanes.
      if (k == 1 && child0 == child1 && count0 == count1) continue;
      if (!prepared) {
        wray_init(&w, o, d, recip, tiny);
        prepared = 1;
      }
      long end = (long)child + (long)count;
      for (long slot = child; slot < end; slot++) {
        double t, u, v;
        // After a first hit, one at exactly the same t is kept when its triangle comes first
        // in the mesh: the answer is the least (t, triangle), whatever the tree.
        if (wray_hit(&w, triangles + slot * 9, t_min, best, found, &t, &u, &v) &&
            (t < best || tos[slot] < tos[best_slot])) {
          best = t;
          best_u = u;
          best_v = v;
          best_slot = slot;
          found = 1;
          upper = upper_limit(best, q);
#if CMESH_SSE
          upper4 = _mm_set1_ps(upper);
#endif
          if (any_hit) goto done;
        }
      }
    }
    // `BVHWalk.advance`.
    if (push >= 0) stack[size++] = (uint32_t)push;
    if (next >= 0) {
      node = next;
      continue;
    }
    if (size == 0) break;
    node = stack[--size];
  }
done:
  if (!found) return 0;
  scratch->slot = best_slot;
  scratch->u = best_u;
  scratch->v = best_v;
  *t_out = best;
  return 1;
}

static int walk_portable(
  const cmesh_view *mesh, const cmesh_query *q, const double o[3], const double d[3], cmesh_scratch *scratch,
  double *t) {
  return walk(mesh, q, o, d, scratch, t, 0);
}

#if CMESH_SSE
static int walk_sse(
  const cmesh_view *mesh, const cmesh_query *q, const double o[3], const double d[3], cmesh_scratch *scratch,
  double *t) {
  return walk(mesh, q, o, d, scratch, t, 1);
}
#endif

int cmesh_resolve_path(int path) {
#if CMESH_SSE
  if (path == CMESH_PATH_AUTO || path == CMESH_PATH_SSE) return CMESH_PATH_SSE;
#else
  (void)path;
#endif
  return CMESH_PATH_PORTABLE;
}

static inline int dispatch(
  const cmesh_view *mesh, const cmesh_query *q, const double o[3], const double d[3], cmesh_scratch *scratch,
  double *t, int path) {
#if CMESH_SSE
  if (path != CMESH_PATH_PORTABLE) return walk_sse(mesh, q, o, d, scratch, t);
#else
  (void)path;
#endif
  return walk_portable(mesh, q, o, d, scratch, t);
}

int cmesh_intersect(const cmesh_view *mesh, const cmesh_query *q, cmesh_scratch *scratch, double *t, int path) {
  return dispatch(mesh, q, q->origin, q->direction, scratch, t, path);
}

int cmesh_intersect_instance(
  const double *p, const cmesh_view *mesh, const cmesh_query *q, cmesh_scratch *scratch, double *t, int path) {
  // `PrimitiveIntersection.toLocal`: each row's products summed left to right.
  const double *o = q->origin, *d = q->direction;
  double rx = o[0] - p[9], ry = o[1] - p[10], rz = o[2] - p[11];
  double lo[3] = {
    p[0] * rx + p[1] * ry + p[2] * rz, p[3] * rx + p[4] * ry + p[5] * rz, p[6] * rx + p[7] * ry + p[8] * rz};
  double ld[3] = {
    p[0] * d[0] + p[1] * d[1] + p[2] * d[2], p[3] * d[0] + p[4] * d[1] + p[5] * d[2],
    p[6] * d[0] + p[7] * d[1] + p[8] * d[2]};
  return dispatch(mesh, q, lo, ld, scratch, t, path);
}
