// The slab tests of a bundle of rays against a candidate list: see include/ctrace.h and
// README.md. Every entry distance and every "enters" answer is the one ScnSensors' Swift code
// (`FloatRay.slab`, `FloatRay.slab4`) computes, whichever path runs: the same IEEE subtracts,
// multiplies, divides and conversions in the same order, never fused (the pragmas below), and
// min / max as compare-and-select with the Swift code's operand order (a < b ? a : b, which is
// what MINPS / VMINPS compute, and a > b ? a : b for MAXPS).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "ctrace.h"
#include "cdevelop.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline float minf(float a, float b) { return a < b ? a : b; }
static inline float maxf(float a, float b) { return a > b ? a : b; }

// Box k's six bounds out of its group of four.
static inline void box_bounds(const float *bounds, long k, float b[6]) {
  const float *g = bounds + (k / 4) * 24 + k % 4;
  for (int i = 0; i < 6; i++) b[i] = g[4 * i];
}

// `FloatRay`'s inverse direction component.
static inline float safe_inverse(double d, double tiny) {
  double clamped = fabs(d) < tiny ? (d < 0 ? -tiny : tiny) : d;
  return (float)(1.0 / clamped);
}

// `FloatRay.upperLimit`.
static inline float upper_limit(double t, const ctrace_constants *c) {
  return isfinite(t) ? (float)t * c->upper_scale + c->upper_offset : INFINITY;
}

// `FloatRay.slab`: the entry distance, and whether near <= far.
static inline int slab(
  float ox, float oy, float oz, float ix, float iy, float iz, const float b[6], float lower, float upper,
  float *near_out) {
  float ax = (b[0] - ox) * ix;
  float bx = (b[3] - ox) * ix;
  float ay = (b[1] - oy) * iy;
  float by = (b[4] - oy) * iy;
  float az = (b[2] - oz) * iz;
  float bz = (b[5] - oz) * iz;
  float near = maxf(maxf(minf(ax, bx), minf(ay, by)), maxf(minf(az, bz), lower));
  float far = minf(minf(maxf(ax, bx), maxf(ay, by)), minf(maxf(az, bz), upper));
  *near_out = near;
  return near <= far;
}

static void from_point_portable(
  const ctrace_constants *c, const double origin[3], const double *dx, const double *dy, const double *dz, long first,
  long n, double t_min, double t_max, int include_ground, float lower_limit, const float *bounds, long count,
  uint32_t *entered, float *near, long stride, double *limit) {
  float ox = (float)origin[0], oy = (float)origin[1], oz = (float)origin[2];
  for (long r = first; r < n; r++) {
    double l = t_max;
    uint32_t mask = 0;
    if (include_ground && dz[r] < 0 && origin[2] > 0) {
      double t = -origin[2] / dz[r];
      if (t > t_min && t < l) {
        l = t;
        mask = 1u << 31;
      }
    }
    limit[r] = l;
    float ix = safe_inverse(dx[r], c->tiny), iy = safe_inverse(dy[r], c->tiny), iz = safe_inverse(dz[r], c->tiny);
    float upper = upper_limit(l, c);
    for (long k = 0; k < count; k++) {
      float b[6];
      box_bounds(bounds, k, b);
      if (slab(ox, oy, oz, ix, iy, iz, b, lower_limit, upper, near + k * stride + r)) mask |= 1u << k;
    }
    entered[r] = mask;
  }
}

static void along_direction_portable(
  const float inverse[3], const double *ox, const double *oy, const double *oz, long first, long n, float lower_limit,
  float upper_limit, const float *bounds, long count, uint32_t *entered) {
  for (long r = first; r < n; r++) {
    float x = (float)ox[r], y = (float)oy[r], z = (float)oz[r];
    uint32_t mask = 0;
    for (long k = 0; k < count; k++) {
      float b[6], near;
      box_bounds(bounds, k, b);
      if (slab(x, y, z, inverse[0], inverse[1], inverse[2], b, lower_limit, upper_limit, &near)) mask |= 1u << k;
    }
    entered[r] = mask;
  }
}

// A LiDAR batch's beams in the sensor frame, (ce ca, ce sa, se) as the Swift code builds
// them, beam s · ring_count + k for step s and ring k.
static void lidar_locals(
  const double *azimuths, long steps, const double *rings, long ring_count, double *x, double *y, double *z) {
  for (long s = 0; s < steps; s++) {
    double ca = azimuths[2 * s], sa = azimuths[2 * s + 1];
    long r = s * ring_count;
    // A handful of rings: plain scalar code (a vector loop's set-up per step cost more).
#pragma clang loop vectorize(disable) interleave(disable)
    for (long k = 0; k < ring_count; k++) {
      double ce = rings[2 * k];
      x[r + k] = ce * ca;
      y[r + k] = ce * sa;
      z[r + k] = rings[2 * k + 1];
    }
  }
}

// The Swift code's `Quaternion.rotate` (t = 2 (q × v), then (v + w t) + q × t) of vectors
// first..<n, in place.
static void rotate_portable(const double q[4], double *x, double *y, double *z, long first, long n) {
  double qx = q[0], qy = q[1], qz = q[2], qw = q[3];
  for (long r = first; r < n; r++) {
    double vx = x[r], vy = y[r], vz = z[r];
    double tx = 2 * (qy * vz - qz * vy), ty = 2 * (qz * vx - qx * vz), tz = 2 * (qx * vy - qy * vx);
    x[r] = (vx + qw * tx) + (qy * tz - qz * ty);
    y[r] = (vy + qw * ty) + (qz * tx - qx * tz);
    z[r] = (vz + qw * tz) + (qx * ty - qy * tx);
  }
}

// LiDAR returns (`ctrace_lidar_returns`): `Hash.mix` (SplitMix64's finaliser after the
// golden-ratio step), `Hash.combine`'s multiplier and the dropout draw's salt, as the Swift
// code states them.
static const uint64_t MIX_GAMMA = 0x9E3779B97F4A7C15ull;
static const uint64_t MIX_1 = 0xBF58476D1CE4E5B9ull;
static const uint64_t MIX_2 = 0x94D049BB133111EBull;
static const uint64_t COMBINE = 0xD6E8FEB86659FD93ull;
static const uint64_t DROPOUT_SALT = 0xD1B54A32D192ED03ull;
// `NormalQuantile`'s central region is (LOW, 1 − LOW).
static const double QUANTILE_LOW = 0.02425;

static inline uint64_t hash_mix(uint64_t value) {
  uint64_t z = value + MIX_GAMMA;
  z = (z ^ (z >> 30)) * MIX_1;
  z = (z ^ (z >> 27)) * MIX_2;
  return z ^ (z >> 31);
}

// `NormalQuantile.value`'s central rational function of r = (p − ½)², numerator (times p − ½)
// over denominator, both in Horner's form from the highest power: the Swift code's "· r − c"
// is "· r + (−c)" here, the same IEEE result.
static const double CENTRAL_NUMERATOR[6] = {
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716, 2.506628277459239};
static const double CENTRAL_DENOMINATOR[6] = {
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572, 1};

// `NormalQuantile.value`.
static double normal_quantile(double p) {
  if (p > QUANTILE_LOW && p < 1 - QUANTILE_LOW) {
    double q = p - 0.5;
    double r = q * q;
    double numerator = CENTRAL_NUMERATOR[0], denominator = CENTRAL_DENOMINATOR[0];
    for (int k = 1; k < 6; k++) {
      numerator = numerator * r + CENTRAL_NUMERATOR[k];
      denominator = denominator * r + CENTRAL_DENOMINATOR[k];
    }
    return numerator * q / denominator;
  }
  if (!(p > 0)) return -INFINITY;
  if (!(p < 1)) return INFINITY;
  double q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
  double numerator =
    ((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q +
     4.374664141464968) *
      q +
    2.938163982698783;
  double denominator =
    (((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1;
  return p < 0.5 ? numerator / denominator : -numerator / denominator;
}

// Return i's key (`Hash.combine(seed, beam)`), and whether the dropout keeps it.
static inline uint64_t lidar_key(const ctrace_lidar_noise *noise, const ctrace_lidar_batch *b, long i, uint8_t *kept) {
  uint64_t key = hash_mix(noise->seed ^ ((b->first_beam + (uint64_t)(int64_t)b->offset[i]) * COMBINE));
  *kept = !(noise->dropout > 0 && (double)(int64_t)(hash_mix(key ^ DROPOUT_SALT) >> 11) * 0x1p-53 < noise->dropout);
  return key;
}

// `Hash.gaussian`'s uniform from the hash's top 53 bits m: (m + ½) · 2⁻⁵³.
static inline double gaussian_uniform(uint64_t m) { return ((double)(int64_t)m + 0.5) * 0x1p-53; }

// Return i of the batch, one at a time.
static void lidar_return_portable(const ctrace_lidar_noise *noise, const ctrace_lidar_batch *b, long i) {
  uint64_t key = lidar_key(noise, b, i, b->kept + i);
  double range = b->t[i];
  if (noise->range_noise > 0) {
    range = range + noise->range_noise * normal_quantile(gaussian_uniform(hash_mix(key) >> 11));
  }
  range = range >= 0 ? range : 0;
  double v = b->reflectivity[i] * b->cosine[i];
  v = v >= 0 ? v : 0;
  v = v < 1 ? v : 1;
  b->x[i] = (float)(b->lx[i] * range);
  b->y[i] = (float)(b->ly[i] * range);
  b->z[i] = (float)(b->lz[i] * range);
  b->intensity[i] = (float)v;
}

#if defined(__x86_64__) && defined(__clang__)
#define CTRACE_X86 1

#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl")))

// Sixteen doubles at p as sixteen floats (each conversion rounds once, as a scalar one does).
AVX512 static inline __m512 load16_as_float(const double *p) {
  __m256 lo = _mm512_cvtpd_ps(_mm512_loadu_pd(p));
  __m256 hi = _mm512_cvtpd_ps(_mm512_loadu_pd(p + 8));
  return _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
}

// `safe_inverse` of eight doubles, as floats.
AVX512 static inline __m256 inverse8(__m512d d, double tiny) {
  __m512d zero = _mm512_setzero_pd();
  __m512d t = _mm512_set1_pd(tiny);
  __m512d magnitude = _mm512_abs_pd(d);
  __mmask8 small = _mm512_cmp_pd_mask(magnitude, t, _CMP_LT_OQ);
  __mmask8 negative = _mm512_cmp_pd_mask(d, zero, _CMP_LT_OQ);
  __m512d clampedValue = _mm512_mask_blend_pd(negative, t, _mm512_set1_pd(-tiny));
  __m512d clamped = _mm512_mask_blend_pd(small, d, clampedValue);
  return _mm512_cvtpd_ps(_mm512_div_pd(_mm512_set1_pd(1.0), clamped));
}

AVX512 static inline __m512 inverse16(const double *p, double tiny) {
  __m256 lo = inverse8(_mm512_loadu_pd(p), tiny);
  __m256 hi = inverse8(_mm512_loadu_pd(p + 8), tiny);
  return _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
}

// The ground limit of eight rays (the ground bit in `*ground`) and its `upper_limit`.
AVX512 static inline __m256 limit8(
  const ctrace_constants *c, __m512d dz, double oz, double t_min, double t_max, int include_ground, double *limit,
  __mmask8 *ground) {
  __m512d l = _mm512_set1_pd(t_max);
  __mmask8 g = 0;
  if (include_ground && oz > 0) {
    __mmask8 down = _mm512_cmp_pd_mask(dz, _mm512_setzero_pd(), _CMP_LT_OQ);
    __m512d t = _mm512_div_pd(_mm512_set1_pd(-oz), dz);
    g = down & _mm512_cmp_pd_mask(t, _mm512_set1_pd(t_min), _CMP_GT_OQ) & _mm512_cmp_pd_mask(t, l, _CMP_LT_OQ);
    l = _mm512_mask_blend_pd(g, l, t);
  }
  _mm512_storeu_pd(limit, l);
  *ground = g;
  __mmask8 finite = _mm512_cmp_pd_mask(_mm512_abs_pd(l), _mm512_set1_pd(INFINITY), _CMP_LT_OQ);
  __m256 scaled = _mm256_add_ps(
    _mm256_mul_ps(_mm512_cvtpd_ps(l), _mm256_set1_ps(c->upper_scale)), _mm256_set1_ps(c->upper_offset));
  return _mm256_mask_blend_ps(finite, _mm256_set1_ps(INFINITY), scaled);
}

// The slab test of sixteen rays against one box whose planes relative to the origins are
// (ax0 …): the entry distances and the mask of rays that enter.
AVX512 static inline __mmask16 slab16(
  __m512 lx, __m512 ly, __m512 lz, __m512 ux, __m512 uy, __m512 uz, __m512 ix, __m512 iy, __m512 iz, __m512 lower,
  __m512 upper, __m512 *near_out) {
  __m512 ax = _mm512_mul_ps(lx, ix);
  __m512 bx = _mm512_mul_ps(ux, ix);
  __m512 ay = _mm512_mul_ps(ly, iy);
  __m512 by = _mm512_mul_ps(uy, iy);
  __m512 az = _mm512_mul_ps(lz, iz);
  __m512 bz = _mm512_mul_ps(uz, iz);
  __m512 near = _mm512_max_ps(
    _mm512_max_ps(_mm512_min_ps(ax, bx), _mm512_min_ps(ay, by)), _mm512_max_ps(_mm512_min_ps(az, bz), lower));
  __m512 far = _mm512_min_ps(
    _mm512_min_ps(_mm512_max_ps(ax, bx), _mm512_max_ps(ay, by)), _mm512_min_ps(_mm512_max_ps(az, bz), upper));
  *near_out = near;
  return _mm512_cmp_ps_mask(near, far, _CMP_LE_OQ);
}

AVX512 static long from_point_avx512(
  const ctrace_constants *c, const double origin[3], const double *dx, const double *dy, const double *dz, long n,
  double t_min, double t_max, int include_ground, float lower_limit, const float *bounds, long count,
  uint32_t *entered, float *near, long stride, double *limit) {
  float ox = (float)origin[0], oy = (float)origin[1], oz = (float)origin[2];
  __m512 lower = _mm512_set1_ps(lower_limit);
  long r = 0;
  for (; r + 16 <= n; r += 16) {
    __m512 ix = inverse16(dx + r, c->tiny), iy = inverse16(dy + r, c->tiny), iz = inverse16(dz + r, c->tiny);
    __mmask8 g0, g1;
    __m256 u0 = limit8(c, _mm512_loadu_pd(dz + r), origin[2], t_min, t_max, include_ground, limit + r, &g0);
    __m256 u1 = limit8(c, _mm512_loadu_pd(dz + r + 8), origin[2], t_min, t_max, include_ground, limit + r + 8, &g1);
    __m512 upper = _mm512_insertf32x8(_mm512_castps256_ps512(u0), u1, 1);
    __mmask16 ground = (__mmask16)(g0 | ((unsigned)g1 << 8));
    __m512i mask = _mm512_maskz_mov_epi32(ground, _mm512_set1_epi32((int)(1u << 31)));
    for (long k = 0; k < count; k++) {
      float b[6];
      box_bounds(bounds, k, b);
      // (plane − origin) once per box: the origin is every ray's.
      __m512 near16;
      __mmask16 in = slab16(
        _mm512_set1_ps(b[0] - ox), _mm512_set1_ps(b[1] - oy), _mm512_set1_ps(b[2] - oz), _mm512_set1_ps(b[3] - ox),
        _mm512_set1_ps(b[4] - oy), _mm512_set1_ps(b[5] - oz), ix, iy, iz, lower, upper, &near16);
      _mm512_storeu_ps(near + k * stride + r, near16);
      mask = _mm512_mask_or_epi32(mask, in, mask, _mm512_set1_epi32((int)(1u << k)));
    }
    _mm512_storeu_si512((void *)(entered + r), mask);
  }
  return r;
}

AVX512 static long along_direction_avx512(
  const float inverse[3], const double *ox, const double *oy, const double *oz, long n, float lower_limit,
  float upper_limit, const float *bounds, long count, uint32_t *entered) {
  __m512 lower = _mm512_set1_ps(lower_limit), upper = _mm512_set1_ps(upper_limit);
  __m512 ix = _mm512_set1_ps(inverse[0]), iy = _mm512_set1_ps(inverse[1]), iz = _mm512_set1_ps(inverse[2]);
  long r = 0;
  for (; r + 16 <= n; r += 16) {
    __m512 x = load16_as_float(ox + r), y = load16_as_float(oy + r), z = load16_as_float(oz + r);
    __m512i mask = _mm512_setzero_si512();
    for (long k = 0; k < count; k++) {
      float b[6];
      box_bounds(bounds, k, b);
      __m512 near16;
      __mmask16 in = slab16(
        _mm512_sub_ps(_mm512_set1_ps(b[0]), x), _mm512_sub_ps(_mm512_set1_ps(b[1]), y),
        _mm512_sub_ps(_mm512_set1_ps(b[2]), z), _mm512_sub_ps(_mm512_set1_ps(b[3]), x),
        _mm512_sub_ps(_mm512_set1_ps(b[4]), y), _mm512_sub_ps(_mm512_set1_ps(b[5]), z), ix, iy, iz, lower, upper,
        &near16);
      mask = _mm512_mask_or_epi32(mask, in, mask, _mm512_set1_epi32((int)(1u << k)));
    }
    _mm512_storeu_si512((void *)(entered + r), mask);
  }
  return r;
}

#define AVX2 __attribute__((target("avx2")))

// Four comparison masks of double lanes (all ones or all zeros) as the four float lanes of
// their low halves' order: lane i of the result is lane i of `m`.
AVX2 static inline __m128 narrow_mask4_avx2(__m256d m) {
  __m256 spread = _mm256_permutevar8x32_ps(_mm256_castpd_ps(m), _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7));
  return _mm256_castps256_ps128(spread);
}

AVX2 static inline __m256 join4_avx2(__m128 lo, __m128 hi) {
  return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}

// Eight doubles at p as eight floats (each conversion rounds once, as a scalar one does).
AVX2 static inline __m256 load8_as_float_avx2(const double *p) {
  return join4_avx2(_mm256_cvtpd_ps(_mm256_loadu_pd(p)), _mm256_cvtpd_ps(_mm256_loadu_pd(p + 4)));
}

// `safe_inverse` of four doubles, as floats.
AVX2 static inline __m128 inverse4_avx2(__m256d d, double tiny) {
  __m256d t = _mm256_set1_pd(tiny);
  __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), d);
  __m256d small = _mm256_cmp_pd(magnitude, t, _CMP_LT_OQ);
  __m256d negative = _mm256_cmp_pd(d, _mm256_setzero_pd(), _CMP_LT_OQ);
  __m256d clampedValue = _mm256_blendv_pd(t, _mm256_set1_pd(-tiny), negative);
  __m256d clamped = _mm256_blendv_pd(d, clampedValue, small);
  return _mm256_cvtpd_ps(_mm256_div_pd(_mm256_set1_pd(1.0), clamped));
}

AVX2 static inline __m256 inverse8_avx2(const double *p, double tiny) {
  return join4_avx2(inverse4_avx2(_mm256_loadu_pd(p), tiny), inverse4_avx2(_mm256_loadu_pd(p + 4), tiny));
}

// `inverse8_avx2` of eight rays' three components: where no component is below `tiny` in
// magnitude (almost always), the clamp selects every one as it is, so it is skipped.
AVX2 static inline void inverses8_avx2(
  const double *x, const double *y, const double *z, double tiny, __m256 *ix, __m256 *iy, __m256 *iz) {
  __m256d x0 = _mm256_loadu_pd(x), x1 = _mm256_loadu_pd(x + 4), y0 = _mm256_loadu_pd(y), y1 = _mm256_loadu_pd(y + 4);
  __m256d z0 = _mm256_loadu_pd(z), z1 = _mm256_loadu_pd(z + 4);
  __m256d sign = _mm256_set1_pd(-0.0), t = _mm256_set1_pd(tiny);
#define CTRACE_SMALL(v) _mm256_cmp_pd(_mm256_andnot_pd(sign, v), t, _CMP_LT_OQ)
  __m256d small = _mm256_or_pd(
    _mm256_or_pd(_mm256_or_pd(CTRACE_SMALL(x0), CTRACE_SMALL(x1)), _mm256_or_pd(CTRACE_SMALL(y0), CTRACE_SMALL(y1))),
    _mm256_or_pd(CTRACE_SMALL(z0), CTRACE_SMALL(z1)));
#undef CTRACE_SMALL
  if (_mm256_movemask_pd(small) == 0) {
    __m256d one = _mm256_set1_pd(1.0);
    *ix = join4_avx2(_mm256_cvtpd_ps(_mm256_div_pd(one, x0)), _mm256_cvtpd_ps(_mm256_div_pd(one, x1)));
    *iy = join4_avx2(_mm256_cvtpd_ps(_mm256_div_pd(one, y0)), _mm256_cvtpd_ps(_mm256_div_pd(one, y1)));
    *iz = join4_avx2(_mm256_cvtpd_ps(_mm256_div_pd(one, z0)), _mm256_cvtpd_ps(_mm256_div_pd(one, z1)));
  } else {
    *ix = inverse8_avx2(x, tiny);
    *iy = inverse8_avx2(y, tiny);
    *iz = inverse8_avx2(z, tiny);
  }
}

// The ground limit of four rays (the ground mask in `*ground`, one float lane a ray) and its
// `upper_limit`, with `from_point_avx2`'s terms worked out once per call: `meets` (the ground
// cut applies: `include_ground` and an origin above the ground), `minus_oz` (−oz in every lane),
// the window's ends, the upper limit's scale and offset, and `finite` (t_max is finite, so every
// limit is: the ground's t is below it, and the test for infinity would keep every lane).
AVX2 static inline __m128 limit4_avx2(
  __m256d dz, int meets, __m256d minus_oz, __m256d t_min, __m256d t_max, __m128 scale, __m128 offset, int finite,
  double *limit, __m128 *ground) {
  __m256d l = t_max;
  __m256d g = _mm256_setzero_pd();
  if (meets) {
    __m256d down = _mm256_cmp_pd(dz, _mm256_setzero_pd(), _CMP_LT_OQ);
    __m256d t = _mm256_div_pd(minus_oz, dz);
    g = _mm256_and_pd(down, _mm256_and_pd(_mm256_cmp_pd(t, t_min, _CMP_GT_OQ), _mm256_cmp_pd(t, l, _CMP_LT_OQ)));
    l = _mm256_blendv_pd(l, t, g);
  }
  _mm256_storeu_pd(limit, l);
  *ground = narrow_mask4_avx2(g);
  __m128 scaled = _mm_add_ps(_mm_mul_ps(_mm256_cvtpd_ps(l), scale), offset);
  if (finite) return scaled;
  __m128 below = narrow_mask4_avx2(
    _mm256_cmp_pd(_mm256_andnot_pd(_mm256_set1_pd(-0.0), l), _mm256_set1_pd(INFINITY), _CMP_LT_OQ));
  return _mm_blendv_ps(_mm_set1_ps(INFINITY), scaled, below);
}

// The slab test of eight rays against one box whose planes relative to the origins are
// (lx …): the entry distances, and all ones in the lanes of the rays that enter.
AVX2 static inline __m256 slab8_avx2(
  __m256 lx, __m256 ly, __m256 lz, __m256 ux, __m256 uy, __m256 uz, __m256 ix, __m256 iy, __m256 iz, __m256 lower,
  __m256 upper, __m256 *near_out) {
  __m256 ax = _mm256_mul_ps(lx, ix);
  __m256 bx = _mm256_mul_ps(ux, ix);
  __m256 ay = _mm256_mul_ps(ly, iy);
  __m256 by = _mm256_mul_ps(uy, iy);
  __m256 az = _mm256_mul_ps(lz, iz);
  __m256 bz = _mm256_mul_ps(uz, iz);
  __m256 near = _mm256_max_ps(
    _mm256_max_ps(_mm256_min_ps(ax, bx), _mm256_min_ps(ay, by)), _mm256_max_ps(_mm256_min_ps(az, bz), lower));
  __m256 far = _mm256_min_ps(
    _mm256_min_ps(_mm256_max_ps(ax, bx), _mm256_max_ps(ay, by)), _mm256_min_ps(_mm256_max_ps(az, bz), upper));
  *near_out = near;
  return _mm256_cmp_ps(near, far, _CMP_LE_OQ);
}

AVX2 static long from_point_avx2(
  const ctrace_constants *c, const double origin[3], const double *dx, const double *dy, const double *dz, long n,
  double t_min, double t_max, int include_ground, float lower_limit, const float *bounds, long count,
  uint32_t *entered, float *near, long stride, double *limit) {
  float ox = (float)origin[0], oy = (float)origin[1], oz = (float)origin[2];
  // Every box's planes relative to the origin, once: the origin is every ray's.
  float planes[31][6];
  for (long k = 0; k < count; k++) {
    float b[6];
    box_bounds(bounds, k, b);
    planes[k][0] = b[0] - ox;
    planes[k][1] = b[1] - oy;
    planes[k][2] = b[2] - oz;
    planes[k][3] = b[3] - ox;
    planes[k][4] = b[4] - oy;
    planes[k][5] = b[5] - oz;
  }
  __m256 lower = _mm256_set1_ps(lower_limit);
  // The limits' terms in locals, once (the stores below could alias `c` and `origin`).
  double tiny = c->tiny;
  int meets = include_ground && origin[2] > 0, finite = isfinite(t_max);
  __m256d minus_oz = _mm256_set1_pd(-origin[2]), lo = _mm256_set1_pd(t_min), hi = _mm256_set1_pd(t_max);
  __m128 scale = _mm_set1_ps(c->upper_scale), offset = _mm_set1_ps(c->upper_offset);
  long r = 0;
  for (; r + 8 <= n; r += 8) {
    __m256 ix, iy, iz;
    inverses8_avx2(dx + r, dy + r, dz + r, tiny, &ix, &iy, &iz);
    __m128 g0, g1;
    __m128 u0 = limit4_avx2(_mm256_loadu_pd(dz + r), meets, minus_oz, lo, hi, scale, offset, finite, limit + r, &g0);
    __m128 u1 =
      limit4_avx2(_mm256_loadu_pd(dz + r + 4), meets, minus_oz, lo, hi, scale, offset, finite, limit + r + 4, &g1);
    __m256 upper = join4_avx2(u0, u1);
    __m256 mask = _mm256_and_ps(join4_avx2(g0, g1), _mm256_castsi256_ps(_mm256_set1_epi32((int)(1u << 31))));
    // Box k's bit in every lane, doubled from box to box.
    __m256i bit = _mm256_set1_epi32(1);
    for (long k = 0; k < count; k++) {
      const float *p = planes[k];
      __m256 near8;
      __m256 in = slab8_avx2(
        _mm256_broadcast_ss(p), _mm256_broadcast_ss(p + 1), _mm256_broadcast_ss(p + 2), _mm256_broadcast_ss(p + 3),
        _mm256_broadcast_ss(p + 4), _mm256_broadcast_ss(p + 5), ix, iy, iz, lower, upper, &near8);
      _mm256_storeu_ps(near + k * stride + r, near8);
      mask = _mm256_or_ps(mask, _mm256_and_ps(in, _mm256_castsi256_ps(bit)));
      bit = _mm256_add_epi32(bit, bit);
    }
    _mm256_storeu_si256((__m256i *)(entered + r), _mm256_castps_si256(mask));
  }
  return r;
}

AVX2 static long along_direction_avx2(
  const float inverse[3], const double *ox, const double *oy, const double *oz, long n, float lower_limit,
  float upper_limit, const float *bounds, long count, uint32_t *entered) {
  // Every box's six bounds, once, to be broadcast.
  float planes[32][6];
  for (long k = 0; k < count; k++) box_bounds(bounds, k, planes[k]);
  __m256 lower = _mm256_set1_ps(lower_limit), upper = _mm256_set1_ps(upper_limit);
  __m256 ix = _mm256_set1_ps(inverse[0]), iy = _mm256_set1_ps(inverse[1]), iz = _mm256_set1_ps(inverse[2]);
  long r = 0;
  for (; r + 8 <= n; r += 8) {
    __m256 x = load8_as_float_avx2(ox + r), y = load8_as_float_avx2(oy + r), z = load8_as_float_avx2(oz + r);
    __m256 mask = _mm256_setzero_ps();
    for (long k = 0; k < count; k++) {
      const float *p = planes[k];
      __m256 near8;
      __m256 in = slab8_avx2(
        _mm256_sub_ps(_mm256_broadcast_ss(p), x), _mm256_sub_ps(_mm256_broadcast_ss(p + 1), y),
        _mm256_sub_ps(_mm256_broadcast_ss(p + 2), z), _mm256_sub_ps(_mm256_broadcast_ss(p + 3), x),
        _mm256_sub_ps(_mm256_broadcast_ss(p + 4), y), _mm256_sub_ps(_mm256_broadcast_ss(p + 5), z), ix, iy, iz,
        lower, upper, &near8);
      mask = _mm256_or_ps(mask, _mm256_and_ps(in, _mm256_castsi256_ps(_mm256_set1_epi32((int)(1u << k)))));
    }
    _mm256_storeu_si256((__m256i *)(entered + r), _mm256_castps_si256(mask));
  }
  return r;
}

// `rotate_portable` four vectors a step, in double lanes (the same operations in the same
// order); returns how many it rotated (a multiple of four).
AVX2 static long rotate_avx2(const double q[4], double *x, double *y, double *z, long n) {
  __m256d qx = _mm256_set1_pd(q[0]), qy = _mm256_set1_pd(q[1]), qz = _mm256_set1_pd(q[2]);
  __m256d qw = _mm256_set1_pd(q[3]), two = _mm256_set1_pd(2);
  long r = 0;
  for (; r + 4 <= n; r += 4) {
    __m256d vx = _mm256_loadu_pd(x + r), vy = _mm256_loadu_pd(y + r), vz = _mm256_loadu_pd(z + r);
    __m256d tx = _mm256_mul_pd(two, _mm256_sub_pd(_mm256_mul_pd(qy, vz), _mm256_mul_pd(qz, vy)));
    __m256d ty = _mm256_mul_pd(two, _mm256_sub_pd(_mm256_mul_pd(qz, vx), _mm256_mul_pd(qx, vz)));
    __m256d tz = _mm256_mul_pd(two, _mm256_sub_pd(_mm256_mul_pd(qx, vy), _mm256_mul_pd(qy, vx)));
    __m256d ux = _mm256_sub_pd(_mm256_mul_pd(qy, tz), _mm256_mul_pd(qz, ty));
    __m256d uy = _mm256_sub_pd(_mm256_mul_pd(qz, tx), _mm256_mul_pd(qx, tz));
    __m256d uz = _mm256_sub_pd(_mm256_mul_pd(qx, ty), _mm256_mul_pd(qy, tx));
    _mm256_storeu_pd(x + r, _mm256_add_pd(_mm256_add_pd(vx, _mm256_mul_pd(qw, tx)), ux));
    _mm256_storeu_pd(y + r, _mm256_add_pd(_mm256_add_pd(vy, _mm256_mul_pd(qw, ty)), uy));
    _mm256_storeu_pd(z + r, _mm256_add_pd(_mm256_add_pd(vz, _mm256_mul_pd(qw, tz)), uz));
  }
  return r;
}

// a · b modulo 2⁶⁴ in 64-bit lanes, from three 32-bit multiplies.
AVX2 static inline __m256i mul64_avx2(__m256i a, __m256i b) {
  __m256i low = _mm256_mul_epu32(a, b);
  __m256i cross =
    _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
  return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

// `hash_mix` in 64-bit lanes.
AVX2 static inline __m256i hash_mix_avx2(__m256i value) {
  __m256i z = _mm256_add_epi64(value, _mm256_set1_epi64x((long long)MIX_GAMMA));
  z = mul64_avx2(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), _mm256_set1_epi64x((long long)MIX_1));
  z = mul64_avx2(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), _mm256_set1_epi64x((long long)MIX_2));
  return _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
}

// The top 53 bits of hashes h as doubles, exactly: m = h >> 11 < 2⁵³ as
// (2⁸⁴ + 2³² m_hi − (2⁸⁴ + 2⁵²)) + (2⁵² + m_lo), each step exact.
AVX2 static inline __m256d top53_avx2(__m256i h) {
  __m256i m = _mm256_srli_epi64(h, 11);
  __m256d high = _mm256_castsi256_pd(
    _mm256_or_si256(_mm256_srli_epi64(m, 32), _mm256_set1_epi64x(0x4530000000000000ll)));
  __m256d low = _mm256_castsi256_pd(_mm256_or_si256(
    _mm256_and_si256(m, _mm256_set1_epi64x(0xFFFFFFFFll)), _mm256_set1_epi64x(0x4330000000000000ll)));
  return _mm256_add_pd(_mm256_sub_pd(high, _mm256_set1_pd(0x1p84 + 0x1p52)), low);
}

// `lidar_return_portable` four returns a step in 64-bit and double lanes: the keys, the
// dropout draws and the hashes, `NormalQuantile`'s central function, the range, the point and
// the intensity (max(0, v) and min(1, v) as compare-and-select with the Swift code's operand
// order). A step with a uniform outside the central region redoes those returns alone.
// Returns how many it made (a multiple of four).
AVX2 static long lidar_returns_avx2(const ctrace_lidar_noise *noise, const ctrace_lidar_batch *b, long n) {
  const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1), half = _mm256_set1_pd(0.5);
  const __m256d low = _mm256_set1_pd(QUANTILE_LOW), high = _mm256_set1_pd(1 - QUANTILE_LOW);
  const __m256d unit = _mm256_set1_pd(0x1p-53);
  const __m256d sigma = _mm256_set1_pd(noise->range_noise), dropout = _mm256_set1_pd(noise->dropout);
  const __m256i seed = _mm256_set1_epi64x((long long)noise->seed);
  const __m256i first = _mm256_set1_epi64x((long long)b->first_beam);
  const __m256i combine = _mm256_set1_epi64x((long long)COMBINE), salt = _mm256_set1_epi64x((long long)DROPOUT_SALT);
  const int noisy = noise->range_noise > 0, dropping = noise->dropout > 0;
  // kept's four bytes for each mask of dropped lanes.
  static const uint32_t kept_bytes[16] = {
    0x01010101, 0x01010100, 0x01010001, 0x01010000, 0x01000101, 0x01000100, 0x01000001, 0x01000000,
    0x00010101, 0x00010100, 0x00010001, 0x00010000, 0x00000101, 0x00000100, 0x00000001, 0x00000000};
  long i = 0;
  for (; i + 4 <= n; i += 4) {
    __m256i beam = _mm256_add_epi64(first, _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)(b->offset + i))));
    __m256i key = hash_mix_avx2(_mm256_xor_si256(seed, mul64_avx2(beam, combine)));
    int dropped = 0;
    if (dropping) {
      __m256d u = _mm256_mul_pd(top53_avx2(hash_mix_avx2(_mm256_xor_si256(key, salt))), unit);
      dropped = _mm256_movemask_pd(_mm256_cmp_pd(u, dropout, _CMP_LT_OQ));
    }
    memcpy(b->kept + i, &kept_bytes[dropped], 4);
    __m256d range = _mm256_loadu_pd(b->t + i);
    int tails = 0;
    if (noisy) {
      __m256d p = _mm256_mul_pd(_mm256_add_pd(top53_avx2(hash_mix_avx2(key)), half), unit);
      __m256d central = _mm256_and_pd(_mm256_cmp_pd(p, low, _CMP_GT_OQ), _mm256_cmp_pd(p, high, _CMP_LT_OQ));
      tails = _mm256_movemask_pd(central) ^ 15;
      __m256d q = _mm256_sub_pd(p, half);
      __m256d r = _mm256_mul_pd(q, q);
      __m256d num = _mm256_set1_pd(CENTRAL_NUMERATOR[0]), den = _mm256_set1_pd(CENTRAL_DENOMINATOR[0]);
      for (int k = 1; k < 6; k++) {
        num = _mm256_add_pd(_mm256_mul_pd(num, r), _mm256_set1_pd(CENTRAL_NUMERATOR[k]));
        den = _mm256_add_pd(_mm256_mul_pd(den, r), _mm256_set1_pd(CENTRAL_DENOMINATOR[k]));
      }
      num = _mm256_mul_pd(num, q);
      range = _mm256_add_pd(range, _mm256_mul_pd(sigma, _mm256_div_pd(num, den)));
    }
    range = _mm256_blendv_pd(zero, range, _mm256_cmp_pd(range, zero, _CMP_GE_OQ));
    __m256d v = _mm256_mul_pd(_mm256_loadu_pd(b->reflectivity + i), _mm256_loadu_pd(b->cosine + i));
    v = _mm256_blendv_pd(zero, v, _mm256_cmp_pd(v, zero, _CMP_GE_OQ));
    v = _mm256_blendv_pd(one, v, _mm256_cmp_pd(v, one, _CMP_LT_OQ));
    _mm_storeu_ps(b->x + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_loadu_pd(b->lx + i), range)));
    _mm_storeu_ps(b->y + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_loadu_pd(b->ly + i), range)));
    _mm_storeu_ps(b->z + i, _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_loadu_pd(b->lz + i), range)));
    _mm_storeu_ps(b->intensity + i, _mm256_cvtpd_ps(v));
    while (tails) {
      int k = __builtin_ctz((unsigned)tails);
      tails &= tails - 1;
      lidar_return_portable(noise, b, i + k);
    }
  }
  return i;
}

#endif

int ctrace_resolve_path(int path) {
  // CDevelop's run-time choice (the same processor test, cached), whose path numbers CTrace
  // shares.
  int resolved = cdevelop_resolve_path(path);
  return resolved == CDEVELOP_PATH_AVX512 ? CTRACE_PATH_AVX512
    : resolved == CDEVELOP_PATH_AVX2      ? CTRACE_PATH_AVX2
                                          : CTRACE_PATH_PORTABLE;
}

void ctrace_from_point(
  const ctrace_constants *constants, const double origin[3], const double *dx, const double *dy, const double *dz,
  long n, double t_min, double t_max, int include_ground, float lower_limit, const float *bounds, long count,
  uint32_t *entered, float *near, long stride, double *limit, int path) {
  long done = 0;
  if (count > 31) count = 31;
#if defined(CTRACE_X86)
  int resolved = ctrace_resolve_path(path);
  if (resolved == CTRACE_PATH_AVX512) {
    done = from_point_avx512(
      constants, origin, dx, dy, dz, n, t_min, t_max, include_ground, lower_limit, bounds, count, entered, near,
      stride, limit);
  } else if (resolved == CTRACE_PATH_AVX2) {
    done = from_point_avx2(
      constants, origin, dx, dy, dz, n, t_min, t_max, include_ground, lower_limit, bounds, count, entered, near,
      stride, limit);
  }
#else
  (void)path;
#endif
  from_point_portable(
    constants, origin, dx, dy, dz, done, n, t_min, t_max, include_ground, lower_limit, bounds, count, entered, near,
    stride, limit);
}

void ctrace_along_direction(
  const float inverse[3], const double *ox, const double *oy, const double *oz, long n, float lower_limit,
  float upper_limit, const float *bounds, long count, uint32_t *entered, int path) {
  long done = 0;
  if (count > 32) count = 32;
#if defined(CTRACE_X86)
  int resolved = ctrace_resolve_path(path);
  if (resolved == CTRACE_PATH_AVX512) {
    done = along_direction_avx512(inverse, ox, oy, oz, n, lower_limit, upper_limit, bounds, count, entered);
  } else if (resolved == CTRACE_PATH_AVX2) {
    done = along_direction_avx2(inverse, ox, oy, oz, n, lower_limit, upper_limit, bounds, count, entered);
  }
#else
  (void)path;
#endif
  along_direction_portable(inverse, ox, oy, oz, done, n, lower_limit, upper_limit, bounds, count, entered);
}

void ctrace_lidar_beams(
  const double q[4], const double *azimuths, long steps, const double *rings, long ring_count, double *x, double *y,
  double *z, int path) {
  long n = steps * ring_count;
  lidar_locals(azimuths, steps, rings, ring_count, x, y, z);
  long done = 0;
#if defined(CTRACE_X86)
  int resolved = ctrace_resolve_path(path);
  if (resolved == CTRACE_PATH_AVX512 || resolved == CTRACE_PATH_AVX2) done = rotate_avx2(q, x, y, z, n);
#else
  (void)path;
#endif
  rotate_portable(q, x, y, z, done, n);
}

void ctrace_lidar_returns(const ctrace_lidar_noise *noise, const ctrace_lidar_batch *batch, long n, int path) {
  long done = 0;
#if defined(CTRACE_X86)
  int resolved = ctrace_resolve_path(path);
  if (resolved == CTRACE_PATH_AVX512 || resolved == CTRACE_PATH_AVX2) done = lidar_returns_avx2(noise, batch, n);
#else
  (void)path;
#endif
  for (long i = done; i < n; i++) lidar_return_portable(noise, batch, i);
}
