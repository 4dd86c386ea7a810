// The camera's development of a noisy row: see include/cdevelop.h and README.md. Every
// result is the same double (and byte) as ScnSensors' Swift code (`NoiseVariates`,
// `Develop.row`, `Develop.srgbByte`), whichever path runs: the only floating-point operations
// are exact int64-to-double conversions, single IEEE multiplies, adds, divides and square
// roots in the Swift code's order, never fused (the pragmas below), and libm's `exp`.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cdevelop.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// NoiseVariates: the hash step, the lowest table exponent and the table's extent.
static const uint64_t GAMMA = 0x9E3779B97F4A7C15ull;
static const uint64_t MIX1 = 0xBF58476D1CE4E5B9ull;
static const uint64_t MIX2 = 0x94D049BB133111EBull;
static const uint64_t MASK53 = (1ull << 53) - 1;
static const uint64_t MASK52 = (1ull << 52) - 1;
static const uint64_t ONE_BITS = 0x3FF0000000000000ull;
static const uint64_t SIGN_BIT = 1ull << 63;
// (1023 + lowestExponent) << intervalBits, lowestExponent = 8, intervalBits = 6.
static const int64_t INDEX_OFFSET = (1023 + 8) << 6;
// ToneCurve and Shader.tableSize.
static const double KNEE = 0.8;
static const double TOP = 4095.0;

static inline uint64_t bits_of(double x) {
  uint64_t b;
  memcpy(&b, &x, sizeof b);
  return b;
}

static inline double double_of(uint64_t b) {
  double x;
  memcpy(&x, &b, sizeof x);
  return x;
}

// Hash.mix (SplitMix64's finaliser after the golden-ratio step).
static inline uint64_t mix(uint64_t value) {
  uint64_t z = value + GAMMA;
  z = (z ^ (z >> 30)) * MIX1;
  z = (z ^ (z >> 27)) * MIX2;
  return z ^ (z >> 31);
}

// NoiseVariates.signed of hash h; sets *deep when h's 2U + 1 is below the table.
static inline double variate_of_hash(uint64_t h, const double *table, int *deep) {
  uint64_t d = ((h >> 10) & MASK53) | 1;
  if (d < (1u << 8)) {
    *deep = 1;
    return 0;
  }
  uint64_t b = bits_of((double)(int64_t)d);
  int64_t i = (int64_t)(b >> 46) - INDEX_OFFSET;
  double w = double_of(((b << 6) & MASK52) | ONE_BITS) - 1.0;
  const double *at = table + 2 * i;
  double product = at[1] * w;
  double magnitude = at[0] + product;
  return double_of(bits_of(magnitude) | (h & SIGN_BIT));
}

// The sRGB table's index of a signal v above the knee: ToneCurve.apply's shoulder.
static inline int32_t shoulder_index(double v) {
  const double span = 1.0 - KNEE;
  double e = exp(-(v - KNEE) / span);
  double toned = KNEE + span * (1.0 - e);
  return toned >= 1 ? 4095 : (int32_t)(toned * TOP + 0.5);
}

// Develop.srgbByte: the tone curve, then the sRGB table.
static inline uint8_t srgb_byte(double v, const uint8_t *srgb) {
  if (!(v > 0)) return 0;  // and NaN
  if (v <= KNEE) return srgb[(long)(v * TOP + 0.5)];
  return srgb[shoulder_index(v)];
}

// One channel of Develop.row's noisy path: v = colour · scale, v + √(max(0, v)·shot + read)·z,
// times the white balance, to a byte.
static inline uint8_t develop_channel(const cdevelop_params *p, double colour, double z, int channel) {
  double v = colour * p->scale;
  double m = 0 > v ? 0 : v;
  double s = sqrt(m * p->shot + p->read);
  double x = v + s * z;
  return srgb_byte(x * p->white_balance[channel], p->srgb);
}

static int row_portable(
  const cdevelop_params *p, const double *colours, long stride, long from, long count, uint64_t first, uint8_t *rgb) {
  int deep = 0;
  uint64_t key = p->stream + (3 * (first + (uint64_t)from)) * GAMMA;
  for (long q = from; q < count; q++) {
    for (int c = 0; c < 3; c++) {
      double z = variate_of_hash(mix(key), p->table, &deep);
      key += GAMMA;
      rgb[3 * q + c] = develop_channel(p, colours[q * stride + c], z, c);
    }
  }
  return deep;
}

static int fill_portable(double *values, long from, long count, uint64_t stream, uint64_t first, const double *table) {
  int deep = 0;
  uint64_t key = stream + (first + (uint64_t)from) * GAMMA;
  for (long k = from; k < count; k++) {
    values[k] = variate_of_hash(mix(key), table, &deep);
    key += GAMMA;
  }
  return deep;
}

#if defined(__x86_64__) && defined(__clang__)
#define CDEVELOP_X86 1

#define AVX512 __attribute__((target("avx512f,avx512dq,avx512vl")))

// Eight variates of hashes `h` (AVX-512): the same steps as variate_of_hash, lane by lane;
// *deep is set when a lane is below the table.
AVX512 static inline __m512d variates8(__m512i key, const double *table, int *deep) {
  __m512i z = _mm512_add_epi64(key, _mm512_set1_epi64((long long)GAMMA));
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 30)), _mm512_set1_epi64((long long)MIX1));
  z = _mm512_mullo_epi64(_mm512_xor_si512(z, _mm512_srli_epi64(z, 27)), _mm512_set1_epi64((long long)MIX2));
  __m512i h = _mm512_xor_si512(z, _mm512_srli_epi64(z, 31));
  __m512i d = _mm512_or_si512(
    _mm512_and_si512(_mm512_srli_epi64(h, 10), _mm512_set1_epi64((long long)MASK53)), _mm512_set1_epi64(1));
  if (_mm512_cmplt_epu64_mask(d, _mm512_set1_epi64(256))) *deep = 1;
  __m512i b = _mm512_castpd_si512(_mm512_cvtepi64_pd(d));
  __m512i i = _mm512_sub_epi64(_mm512_srli_epi64(b, 46), _mm512_set1_epi64(INDEX_OFFSET));
  // Lanes below the table read interval 0 (their result is not used).
  i = _mm512_max_epi64(i, _mm512_setzero_si512());
  __m512d w = _mm512_sub_pd(
    _mm512_castsi512_pd(_mm512_or_si512(
      _mm512_and_si512(_mm512_slli_epi64(b, 6), _mm512_set1_epi64((long long)MASK52)),
      _mm512_set1_epi64((long long)ONE_BITS))),
    _mm512_set1_pd(1.0));
  __m512i pair = _mm512_slli_epi64(i, 1);
  __m512d start = _mm512_i64gather_pd(pair, table, 8);
  __m512d change = _mm512_i64gather_pd(pair, table + 1, 8);
  __m512d magnitude = _mm512_add_pd(start, _mm512_mul_pd(change, w));
  return _mm512_castsi512_pd(_mm512_or_si512(
    _mm512_castpd_si512(magnitude), _mm512_and_si512(h, _mm512_set1_epi64((long long)SIGN_BIT))));
}

// Channels above the knee, left by the vector loop: their signal and byte offset.
typedef struct pending {
  double signal[3 * 64];
  int32_t offset[3 * 64];
  int count;
} pending;

// Their bytes, one at a time through libm's exp (after the vector loop, so that no call sits
// in it and it keeps its vectors in registers).
static void finish_list(const double *signal, const int32_t *offset, int count, const uint8_t *srgb, uint8_t *rgb) {
  for (int k = 0; k < count; k++) rgb[offset[k]] = srgb[shoulder_index(signal[k])];
}

static void finish_pending(const pending *left, const uint8_t *srgb, uint8_t *rgb) {
  finish_list(left->signal, left->offset, left->count, srgb, rgb);
}

// Eight channels, the bytes from offset `at` of `rgb`: exposure, noise, white balance, tone
// curve, sRGB, as develop_channel; a channel above the knee gets byte 0 and is left in `left`.
AVX512 static inline void develop8(
  const cdevelop_params *p, __m512d colour, __m512d z, __m512d wb, uint8_t *rgb, int32_t at, pending *left) {
  __m512d zero = _mm512_setzero_pd();
  __m512d v = _mm512_mul_pd(colour, _mm512_set1_pd(p->scale));
  // 0 > v ? 0 : v (a NaN stays).
  __m512d m = _mm512_mask_blend_pd(_mm512_cmp_pd_mask(zero, v, _CMP_GT_OQ), v, zero);
  __m512d s = _mm512_sqrt_pd(_mm512_add_pd(_mm512_mul_pd(m, _mm512_set1_pd(p->shot)), _mm512_set1_pd(p->read)));
  __m512d x = _mm512_mul_pd(_mm512_add_pd(v, _mm512_mul_pd(s, z)), wb);
  __mmask8 positive = _mm512_cmp_pd_mask(x, zero, _CMP_GT_OQ);
  __mmask8 linear = _mm512_mask_cmp_pd_mask(positive, x, _mm512_set1_pd(KNEE), _CMP_LE_OQ);
  __m512d scaled = _mm512_add_pd(_mm512_mul_pd(x, _mm512_set1_pd(TOP)), _mm512_set1_pd(0.5));
  __m256i index = _mm512_cvttpd_epi32(scaled);
  __mmask8 shoulder = positive & (__mmask8)~linear;
  if (shoulder) {
    _mm512_mask_compressstoreu_pd(left->signal + left->count, shoulder, x);
    __m256i offsets = _mm256_add_epi32(_mm256_set1_epi32(at), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    _mm256_mask_compressstoreu_epi32(left->offset + left->count, shoulder, offsets);
    left->count += __builtin_popcount(shoulder);
  }
  __m256i bytes = _mm256_mmask_i32gather_epi32(_mm256_setzero_si256(), linear, index, (const int *)p->srgb, 1);
  bytes = _mm256_and_si256(bytes, _mm256_set1_epi32(0xFF));
  _mm_storel_epi64((__m128i *)(rgb + at), _mm256_cvtepi32_epi8(bytes));
}

AVX512 static int row_avx512(
  const cdevelop_params *p, const double *colours, long count, uint64_t first, uint8_t *rgb, long *done) {
  int deep = 0;
  // Eight pixels (32 doubles, stride 4) make 24 channels in three vectors of eight.
  const __m512i pick0 = _mm512_setr_epi64(0, 1, 2, 4, 5, 6, 8, 9);
  const __m512i pick1 = _mm512_setr_epi64(2, 4, 5, 6, 8, 9, 10, 12);
  const __m512i pick2 = _mm512_setr_epi64(5, 6, 8, 9, 10, 12, 13, 14);
  const double *wbs = p->white_balance;
  const __m512d wb0 = _mm512_setr_pd(wbs[0], wbs[1], wbs[2], wbs[0], wbs[1], wbs[2], wbs[0], wbs[1]);
  const __m512d wb1 = _mm512_setr_pd(wbs[2], wbs[0], wbs[1], wbs[2], wbs[0], wbs[1], wbs[2], wbs[0]);
  const __m512d wb2 = _mm512_setr_pd(wbs[1], wbs[2], wbs[0], wbs[1], wbs[2], wbs[0], wbs[1], wbs[2]);
  const __m512i lanes = _mm512_mullo_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), _mm512_set1_epi64((long long)GAMMA));
  const __m512i step8 = _mm512_set1_epi64((long long)(8 * GAMMA));
  __m512i key = _mm512_add_epi64(_mm512_set1_epi64((long long)(p->stream + 3 * first * GAMMA)), lanes);
  long q = 0;
  // Pieces of up to 64 pixels, so that `left` has room for every channel of one.
  while (q + 8 <= count) {
    pending left;
    left.count = 0;
    long end = q + 64 < count ? q + 64 : count;
    uint8_t *piece = rgb + 3 * q;
    for (long r = 0; q + 8 <= end; q += 8, r += 24) {
      const double *c = colours + 4 * q;
      __m512d c0 = _mm512_loadu_pd(c), c1 = _mm512_loadu_pd(c + 8), c2 = _mm512_loadu_pd(c + 16),
              c3 = _mm512_loadu_pd(c + 24);
      __m512d z0 = variates8(key, p->table, &deep);
      key = _mm512_add_epi64(key, step8);
      __m512d z1 = variates8(key, p->table, &deep);
      key = _mm512_add_epi64(key, step8);
      __m512d z2 = variates8(key, p->table, &deep);
      key = _mm512_add_epi64(key, step8);
      if (deep) return 1;
      develop8(p, _mm512_permutex2var_pd(c0, pick0, c1), z0, wb0, piece, (int32_t)r, &left);
      develop8(p, _mm512_permutex2var_pd(c1, pick1, c2), z1, wb1, piece, (int32_t)r + 8, &left);
      develop8(p, _mm512_permutex2var_pd(c2, pick2, c3), z2, wb2, piece, (int32_t)r + 16, &left);
    }
    finish_pending(&left, p->srgb, piece);
  }
  *done = q;
  return 0;
}

AVX512 static int fill_avx512(double *values, long count, uint64_t stream, uint64_t first, const double *table, long *done) {
  int deep = 0;
  const __m512i lanes = _mm512_mullo_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), _mm512_set1_epi64((long long)GAMMA));
  const __m512i step8 = _mm512_set1_epi64((long long)(8 * GAMMA));
  __m512i key = _mm512_add_epi64(_mm512_set1_epi64((long long)(stream + first * GAMMA)), lanes);
  long k = 0;
  for (; k + 8 <= count; k += 8) {
    _mm512_storeu_pd(values + k, variates8(key, table, &deep));
    key = _mm512_add_epi64(key, step8);
  }
  *done = k;
  return deep;
}

#define AVX2 __attribute__((target("avx2")))

// a · b mod 2^64 in each 64-bit lane, from 32-bit multiplies (AVX2 has no 64-bit one).
AVX2 static inline __m256i mul64(__m256i a, __m256i b) {
  __m256i low = _mm256_mul_epu32(a, b);
  __m256i cross = _mm256_add_epi64(_mm256_mul_epu32(_mm256_srli_epi64(a, 32), b), _mm256_mul_epu32(a, _mm256_srli_epi64(b, 32)));
  return _mm256_add_epi64(low, _mm256_slli_epi64(cross, 32));
}

// The (start, change) pairs of intervals `i` (four 64-bit lanes, each in the table): one
// 128-bit load a pair, transposed into a vector of starts and one of changes. (Four loads
// and two shuffles cost less than two `vgatherqpd` on AMD's Zen processors.)
AVX2 static inline void pairs4(const double *table, __m256i i, __m256d *start, __m256d *change) {
  int64_t at[4];
  _mm256_storeu_si256((__m256i *)at, _mm256_slli_epi64(i, 1));
  // (start0 change0 start2 change2) and (start1 change1 start3 change3).
  __m256d even = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(table + at[0])), _mm_loadu_pd(table + at[2]), 1);
  __m256d odd = _mm256_insertf128_pd(_mm256_castpd128_pd256(_mm_loadu_pd(table + at[1])), _mm_loadu_pd(table + at[3]), 1);
  *start = _mm256_unpacklo_pd(even, odd);
  *change = _mm256_unpackhi_pd(even, odd);
}

// Four variates (AVX2), as variates8; the lanes below the table are set in *deep. d =
// ((h >> 10) & MASK53) | 1 is 2m + 1 with m = (h >> 11) & MASK52 < 2^52, and its conversion
// to a double is exact in one step: (2^52 + m) − (2^52 − 1/2) is m + 1/2 (both operands and
// the result representable), whose bits plus one in the exponent (2^52 in the bits: the
// factor 2) are those of d as a double. Interval index and fraction come from those bits:
// the exponent one higher is 64 more in the index, the fraction bits are the same.
AVX2 static inline __m256d variates4(__m256i key, const double *table, __m256i *deep) {
  __m256i z = _mm256_add_epi64(key, _mm256_set1_epi64x((long long)GAMMA));
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 30)), _mm256_set1_epi64x((long long)MIX1));
  z = mul64(_mm256_xor_si256(z, _mm256_srli_epi64(z, 27)), _mm256_set1_epi64x((long long)MIX2));
  __m256i h = _mm256_xor_si256(z, _mm256_srli_epi64(z, 31));
  __m256i m = _mm256_and_si256(_mm256_srli_epi64(h, 11), _mm256_set1_epi64x((long long)MASK52));
  // d < 2^8 exactly when m < 2^7.
  *deep = _mm256_or_si256(*deep, _mm256_cmpgt_epi64(_mm256_set1_epi64x(128), m));
  __m256i b = _mm256_castpd_si256(_mm256_sub_pd(
    _mm256_castsi256_pd(_mm256_or_si256(m, _mm256_set1_epi64x(0x4330000000000000ll))), _mm256_set1_pd(0x1p52 - 0.5)));
  __m256i i = _mm256_sub_epi64(_mm256_srli_epi64(b, 46), _mm256_set1_epi64x(INDEX_OFFSET - 64));
  // Lanes below the table read interval 0 (their result is not used): i ≥ −512 here, so
  // the signed maximum of each lane's two 32-bit halves with 0 is the 64-bit one.
  i = _mm256_max_epi32(i, _mm256_setzero_si256());
  __m256d w = _mm256_sub_pd(
    _mm256_castsi256_pd(_mm256_or_si256(
      _mm256_and_si256(_mm256_slli_epi64(b, 6), _mm256_set1_epi64x((long long)MASK52)),
      _mm256_set1_epi64x((long long)ONE_BITS))),
    _mm256_set1_pd(1.0));
  __m256d start, change;
  pairs4(table, i, &start, &change);
  __m256d magnitude = _mm256_add_pd(start, _mm256_mul_pd(change, w));
  return _mm256_castsi256_pd(_mm256_or_si256(
    _mm256_castpd_si256(magnitude), _mm256_and_si256(h, _mm256_set1_epi64x((long long)SIGN_BIT))));
}

// For each mask of four lanes, the lanes it sets, first in the lowest places: as pairs of
// 32-bit indices (a 64-bit lane's two halves, for `vpermd`) and as single indices.
static const int32_t compress_pairs[16][8] = {
  {0, 1, 0, 1, 0, 1, 0, 1}, {0, 1, 0, 1, 0, 1, 0, 1}, {2, 3, 0, 1, 0, 1, 0, 1}, {0, 1, 2, 3, 0, 1, 0, 1},
  {4, 5, 0, 1, 0, 1, 0, 1}, {0, 1, 4, 5, 0, 1, 0, 1}, {2, 3, 4, 5, 0, 1, 0, 1}, {0, 1, 2, 3, 4, 5, 0, 1},
  {6, 7, 0, 1, 0, 1, 0, 1}, {0, 1, 6, 7, 0, 1, 0, 1}, {2, 3, 6, 7, 0, 1, 0, 1}, {0, 1, 2, 3, 6, 7, 0, 1},
  {4, 5, 6, 7, 0, 1, 0, 1}, {0, 1, 4, 5, 6, 7, 0, 1}, {2, 3, 4, 5, 6, 7, 0, 1}, {0, 1, 2, 3, 4, 5, 6, 7}};
static const int32_t compress_lanes[16][4] = {
  {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 0}, {0, 1, 0, 0}, {2, 0, 0, 0}, {0, 2, 0, 0}, {1, 2, 0, 0}, {0, 1, 2, 0},
  {3, 0, 0, 0}, {0, 3, 0, 0}, {1, 3, 0, 0}, {0, 1, 3, 0}, {2, 3, 0, 0}, {0, 2, 3, 0}, {1, 2, 3, 0}, {0, 1, 2, 3}};

// The sRGB indices of four signals above the knee (AVX2), as shoulder_index gives them, without
// libm: exp(a) from a polynomial, close enough to libm's that the index (the truncation of
// toned · TOP + 0.5, at most 4095) is the same unless toned · TOP + 0.5 lies within 2^-20 of
// an integer; those lanes are set in *near for shoulder_index to redo. (The polynomial's
// error with the argument's (below), together below 10^-14 relative (7.6·10^-15 measured),
// and libm's, below one ulp, move toned · TOP + 0.5 by less than 10^-10.) a = (KNEE − v) · (1/span), the
// reference's argument −(v − KNEE)/span to within 2 ulps (a multiply by the reciprocal
// instead of the divide), clamped at −60 (where both exps are below 2^-86, and 1 − e rounds
// to 1); e = 2^k · exp(r), k = round(a / ln 2), r = a − k·ln 2 in two parts (k · LN2_HI
// exact), |r| ≤ 0.35, and exp(r) its Taylor polynomial of degree 13 in Estrin's form (pairs,
// then r², r⁴ and r⁸: a short chain of dependent operations, where Horner's form was one of
// 26 that the four lanes waited on).
AVX2 static inline __m128i shoulder_index4(__m256d v, int *near) {
  const double span = 1.0 - KNEE;
  __m256d a = _mm256_mul_pd(_mm256_sub_pd(_mm256_set1_pd(KNEE), v), _mm256_set1_pd(1.0 / span));
  a = _mm256_max_pd(a, _mm256_set1_pd(-60.0));
  const __m256d shifter = _mm256_set1_pd(0x1.8p52);
  __m256d shifted = _mm256_add_pd(_mm256_mul_pd(a, _mm256_set1_pd(0x1.71547652b82fep0)), shifter);
  __m256d k = _mm256_sub_pd(shifted, shifter);
  __m256d r = _mm256_sub_pd(
    _mm256_sub_pd(a, _mm256_mul_pd(k, _mm256_set1_pd(0x1.62e42fee00000p-1))),
    _mm256_mul_pd(k, _mm256_set1_pd(0x1.a39ef35793c76p-33)));
  static const double taylor[14] = {
    1.0, 1.0, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800.0};
  __m256d r2 = _mm256_mul_pd(r, r);
  __m256d r4 = _mm256_mul_pd(r2, r2);
  __m256d r8 = _mm256_mul_pd(r4, r4);
  __m256d pair[7];
  for (int n = 0; n < 7; n++) {
    pair[n] = _mm256_add_pd(_mm256_set1_pd(taylor[2 * n]), _mm256_mul_pd(_mm256_set1_pd(taylor[2 * n + 1]), r));
  }
  __m256d q0 = _mm256_add_pd(pair[0], _mm256_mul_pd(pair[1], r2));
  __m256d q1 = _mm256_add_pd(pair[2], _mm256_mul_pd(pair[3], r2));
  __m256d q2 = _mm256_add_pd(pair[4], _mm256_mul_pd(pair[5], r2));
  __m256d s0 = _mm256_add_pd(q0, _mm256_mul_pd(q1, r4));
  __m256d s1 = _mm256_add_pd(q2, _mm256_mul_pd(pair[6], r4));
  __m256d poly = _mm256_add_pd(s0, _mm256_mul_pd(s1, r8));
  // 2^k: k (−87 … 0) is the low bits of `shifted`, added to the exponent of 1.
  __m256i scale = _mm256_slli_epi64(_mm256_add_epi64(_mm256_castpd_si256(shifted), _mm256_set1_epi64x(1023)), 52);
  __m256d e = _mm256_mul_pd(poly, _mm256_castsi256_pd(scale));
  __m256d toned = _mm256_add_pd(_mm256_set1_pd(KNEE), _mm256_mul_pd(_mm256_set1_pd(span), _mm256_sub_pd(_mm256_set1_pd(1.0), e)));
  __m256d y = _mm256_add_pd(_mm256_mul_pd(toned, _mm256_set1_pd(TOP)), _mm256_set1_pd(0.5));
  __m256d whole = _mm256_round_pd(y, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
  __m256d fraction = _mm256_sub_pd(y, whole);
  __m256d close = _mm256_or_pd(
    _mm256_cmp_pd(fraction, _mm256_set1_pd(0x1p-20), _CMP_LT_OQ),
    _mm256_cmp_pd(fraction, _mm256_set1_pd(1.0 - 0x1p-20), _CMP_GT_OQ));
  *near = _mm256_movemask_pd(close);
  return _mm256_cvttpd_epi32(_mm256_min_pd(whole, _mm256_set1_pd(TOP)));
}

// finish_list with shoulder_index4, four channels at a time (the list has room for 3 more
// entries past its end, which are filled with a signal above the knee and not written).
AVX2 static void finish_list4(double *signal, const int32_t *offset, int count, const uint8_t *srgb, uint8_t *rgb) {
  for (int k = count; k < count + 3; k++) signal[k] = 2.0;
  for (int k = 0; k < count; k += 4) {
    int near;
    int32_t index[4];
    _mm_storeu_si128((__m128i *)index, shoulder_index4(_mm256_loadu_pd(signal + k), &near));
    int lanes = count - k < 4 ? count - k : 4;
    for (int j = 0; j < lanes; j++) {
      rgb[offset[k + j]] = srgb[(near >> j) & 1 ? shoulder_index(signal[k + j]) : index[j]];
    }
  }
}

// How many lanes each mask of four sets.
static const int32_t lane_count[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};

// Four channels, as develop8: their four bytes (the first in the low byte). A channel above
// the knee gets byte 0 here and is left in the list (`signal`, `offset`: *count entries, with
// room for 4 more) with offset `at` plus its lane, without a branch: the four lanes are stored
// compressed, the kept ones first, and the count moves by how many were kept.
AVX2 static inline uint32_t develop4(
  const cdevelop_params *p, __m256d colour, __m256d z, __m256d wb, int32_t at, double *signal, int32_t *offset,
  int *count) {
  // The bytes kept of a word of four for each mask of positive lanes.
  static const uint32_t keep[16] = {
    0x00000000u, 0x000000FFu, 0x0000FF00u, 0x0000FFFFu, 0x00FF0000u, 0x00FF00FFu, 0x00FFFF00u, 0x00FFFFFFu,
    0xFF000000u, 0xFF0000FFu, 0xFF00FF00u, 0xFF00FFFFu, 0xFFFF0000u, 0xFFFF00FFu, 0xFFFFFF00u, 0xFFFFFFFFu};
  __m256d zero = _mm256_setzero_pd();
  __m256d v = _mm256_mul_pd(colour, _mm256_set1_pd(p->scale));
  __m256d m = _mm256_blendv_pd(v, zero, _mm256_cmp_pd(zero, v, _CMP_GT_OQ));
  __m256d s = _mm256_sqrt_pd(_mm256_add_pd(_mm256_mul_pd(m, _mm256_set1_pd(p->shot)), _mm256_set1_pd(p->read)));
  __m256d x = _mm256_mul_pd(_mm256_add_pd(v, _mm256_mul_pd(s, z)), wb);
  __m256d positive = _mm256_cmp_pd(x, zero, _CMP_GT_OQ);
  __m256d linear = _mm256_and_pd(positive, _mm256_cmp_pd(x, _mm256_set1_pd(KNEE), _CMP_LE_OQ));
  __m256d scaled = _mm256_add_pd(_mm256_mul_pd(x, _mm256_set1_pd(TOP)), _mm256_set1_pd(0.5));
  // The 64-bit lane mask narrowed to 32 bits (the low half of each lane): the linear lanes
  // keep their index, the others read entry 0.
  const __m256i narrow = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
  __m128i linear32 = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(linear), narrow));
  __m128i index = _mm_and_si128(_mm256_cvttpd_epi32(scaled), linear32);
  int positives = _mm256_movemask_pd(positive);
  int shoulder = positives & ~_mm256_movemask_pd(linear);
  int kept = *count;
  __m256i pairs = _mm256_loadu_si256((const __m256i *)compress_pairs[shoulder]);
  _mm256_storeu_pd(signal + kept, _mm256_castsi256_pd(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(x), pairs)));
  _mm_storeu_si128(
    (__m128i *)(offset + kept),
    _mm_add_epi32(_mm_loadu_si128((const __m128i *)compress_lanes[shoulder]), _mm_set1_epi32(at)));
  *count = kept + lane_count[shoulder];
  const uint8_t *srgb = p->srgb;
  int32_t at4[4];
  _mm_storeu_si128((__m128i *)at4, index);
  uint32_t bytes = (uint32_t)srgb[at4[0]] | (uint32_t)srgb[at4[1]] << 8 | (uint32_t)srgb[at4[2]] << 16 |
                   (uint32_t)srgb[at4[3]] << 24;
  return bytes & keep[positives];
}

AVX2 static inline __attribute__((always_inline)) int row_avx2(
  const cdevelop_params *p, const double *colours, long count, uint64_t first, uint8_t *rgb, long *done) {
  const double *wbs = p->white_balance;
  // Four pixels (16 doubles, stride 4) make 12 channels in three vectors of four.
  const __m256d wb0 = _mm256_setr_pd(wbs[0], wbs[1], wbs[2], wbs[0]);
  const __m256d wb1 = _mm256_setr_pd(wbs[1], wbs[2], wbs[0], wbs[1]);
  const __m256d wb2 = _mm256_setr_pd(wbs[2], wbs[0], wbs[1], wbs[2]);
  const __m256i lanes = _mm256_setr_epi64x(0, (long long)GAMMA, (long long)(2 * GAMMA), (long long)(3 * GAMMA));
  const __m256i step4 = _mm256_set1_epi64x((long long)(4 * GAMMA));
  __m256i key = _mm256_add_epi64(_mm256_set1_epi64x((long long)(p->stream + 3 * first * GAMMA)), lanes);
  long q = 0;
  // Pieces of up to 64 pixels, so that the list has room for every channel of one.
  while (q + 4 <= count) {
    double signal[3 * 64 + 4];
    int32_t offset[3 * 64 + 4];
    int left = 0;
    long end = q + 64 < count ? q + 64 : count;
    uint8_t *piece = rgb + 3 * q;
    for (int32_t r = 0; q + 4 <= end; q += 4, r += 12) {
      const double *c = colours + 4 * q;
      __m256d p0 = _mm256_loadu_pd(c), p1 = _mm256_loadu_pd(c + 4), p2 = _mm256_loadu_pd(c + 8),
              p3 = _mm256_loadu_pd(c + 12);
      __m256i deep = _mm256_setzero_si256();
      __m256d z0 = variates4(key, p->table, &deep);
      key = _mm256_add_epi64(key, step4);
      __m256d z1 = variates4(key, p->table, &deep);
      key = _mm256_add_epi64(key, step4);
      __m256d z2 = variates4(key, p->table, &deep);
      key = _mm256_add_epi64(key, step4);
      if (!_mm256_testz_si256(deep, deep)) return 1;
      // (p0x p0y p0z p1x), (p1y p1z p2x p2y), (p2z p3x p3y p3z).
      __m256d c0 = _mm256_blend_pd(p0, _mm256_permute4x64_pd(p1, 0x00), 0x8);
      __m256d c1 = _mm256_blend_pd(_mm256_permute4x64_pd(p1, 0x09), _mm256_permute4x64_pd(p2, 0x40), 0xC);
      __m256d c2 = _mm256_blend_pd(_mm256_permute4x64_pd(p2, 0x02), _mm256_permute4x64_pd(p3, 0x90), 0xE);
      uint32_t b0 = develop4(p, c0, z0, wb0, r, signal, offset, &left);
      uint32_t b1 = develop4(p, c1, z1, wb1, r + 4, signal, offset, &left);
      uint32_t b2 = develop4(p, c2, z2, wb2, r + 8, signal, offset, &left);
      memcpy(piece + r, &b0, 4);
      memcpy(piece + r + 4, &b1, 4);
      memcpy(piece + r + 8, &b2, 4);
    }
    finish_list4(signal, offset, left, p->srgb, piece);
  }
  *done = q;
  return 0;
}

// row_avx2 for `rows` rows (as cdevelop_rows), its constants set up once for all of them;
// the pixels a row's vector steps leave go to the portable path. Bit r of the result: row r
// has a variate below the table.
AVX2 static uint64_t rows_avx2(
  const cdevelop_params *p, const double *colours, long count, long rows, uint64_t first, long pitch, uint8_t *rgb) {
  uint64_t deep = 0;
  for (long r = 0; r < rows; r++) {
    const double *row = colours + 4 * r * count;
    uint64_t at = first + (uint64_t)(r * pitch);
    uint8_t *bytes = rgb + 3 * r * pitch;
    long done = 0;
    if (row_avx2(p, row, count, at, bytes, &done) || row_portable(p, row, 4, done, count, at, bytes)) deep |= 1ull << r;
  }
  return deep;
}

AVX2 static int fill_avx2(double *values, long count, uint64_t stream, uint64_t first, const double *table, long *done) {
  __m256i deep = _mm256_setzero_si256();
  const __m256i lanes = _mm256_setr_epi64x(0, (long long)GAMMA, (long long)(2 * GAMMA), (long long)(3 * GAMMA));
  const __m256i step4 = _mm256_set1_epi64x((long long)(4 * GAMMA));
  __m256i key = _mm256_add_epi64(_mm256_set1_epi64x((long long)(stream + first * GAMMA)), lanes);
  long k = 0;
  for (; k + 4 <= count; k += 4) {
    _mm256_storeu_pd(values + k, variates4(key, table, &deep));
    key = _mm256_add_epi64(key, step4);
  }
  *done = k;
  return !_mm256_testz_si256(deep, deep);
}

static int has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

static int has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}
#endif

int cdevelop_resolve_path(int path) {
#if defined(CDEVELOP_X86)
  // Every thread that finds it unset computes the same value.
  static int cached = -1;
  int best = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (best < 0) {
    best = has_avx512() ? CDEVELOP_PATH_AVX512 : has_avx2() ? CDEVELOP_PATH_AVX2 : CDEVELOP_PATH_PORTABLE;
    __atomic_store_n(&cached, best, __ATOMIC_RELAXED);
  }
  if (path == CDEVELOP_PATH_AUTO) return best;
  // A processor with AVX-512 has AVX2.
  if (path == CDEVELOP_PATH_AVX512 && best == CDEVELOP_PATH_AVX512) return path;
  if (path == CDEVELOP_PATH_AVX2 && best != CDEVELOP_PATH_PORTABLE) return path;
#endif
  (void)path;
  return CDEVELOP_PATH_PORTABLE;
}

int cdevelop_row(
  const cdevelop_params *params, const double *colours, long stride, long count, uint64_t first, uint8_t *rgb,
  int path) {
  long done = 0;
#if defined(CDEVELOP_X86)
  if (stride == 4) {
    int resolved = cdevelop_resolve_path(path);
    if (resolved == CDEVELOP_PATH_AVX512 && row_avx512(params, colours, count, first, rgb, &done)) return 1;
    if (resolved == CDEVELOP_PATH_AVX2) return rows_avx2(params, colours, count, 1, first, 0, rgb) != 0;
  }
#else
  (void)path;
#endif
  return row_portable(params, colours, stride, done, count, first, rgb);
}

uint64_t cdevelop_rows(
  const cdevelop_params *params, const double *colours, long stride, long count, long rows, uint64_t first, long pitch,
  uint8_t *rgb, int path) {
#if defined(CDEVELOP_X86)
  if (stride == 4 && rows <= 64 && cdevelop_resolve_path(path) == CDEVELOP_PATH_AVX2) {
    return rows_avx2(params, colours, count, rows, first, pitch, rgb);
  }
#endif
  uint64_t deep = 0;
  for (long r = 0; r < rows && r < 64; r++) {
    if (cdevelop_row(params, colours + r * count * stride, stride, count, first + (uint64_t)(r * pitch), rgb + 3 * r * pitch, path)) {
      deep |= 1ull << r;
    }
  }
  return deep;
}

int cdevelop_fill(double *values, long count, uint64_t stream, uint64_t first, const double *table, int path) {
  long done = 0;
  int deep = 0;
#if defined(CDEVELOP_X86)
  int resolved = cdevelop_resolve_path(path);
  if (resolved == CDEVELOP_PATH_AVX512) deep = fill_avx512(values, count, stream, first, table, &done);
  if (resolved == CDEVELOP_PATH_AVX2) deep = fill_avx2(values, count, stream, first, table, &done);
#else
  (void)path;
#endif
  return fill_portable(values, done, count, stream, first, table) | deep;
}
