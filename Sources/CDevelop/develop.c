// The camera's development of noisy rows: see include/cdevelop.h and README.md. Every
// result is the same float (and byte) as ScnSensors' Swift code (`NoiseVariates`,
// `Develop.rowInSwift`), whichever path runs: the only floating-point operations are the
// rounding of the radiance to single precision and single IEEE multiplies, adds, square
// roots, comparisons and truncations in the Swift code's order, never fused (the pragmas
// below).
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "cdevelop.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

// NoiseVariates.hash's multipliers; the tone table's steps per unit of signal
// (Shader.tableSize − 1).
static const uint32_t MIX1 = 0xED5AD4BBu;
static const uint32_t MIX2 = 0xAC4C1B51u;
static const uint32_t MIX3 = 0x31848BABu;
static const uint32_t SIGN_BIT = 0x80000000u;
static const float STEPS = 4095.0f;

// NoiseVariates.hash: the 32 bits of variate n, keyed by the stream's two halves.
static inline uint32_t hash(uint32_t n, uint32_t key0, uint32_t key1) {
  uint32_t x = n + key0;
  x = (x ^ (x >> 17)) * MIX1;
  x ^= key1;
  x = (x ^ (x >> 11)) * MIX2;
  return (x ^ (x >> 15)) * MIX3;
}

// NoiseVariates.variate of hash h: the magnitude of cell h >> 20, the sign from bit 19.
static inline float variate(uint32_t h, const float *noise) {
  float magnitude = noise[h >> 20];
  uint32_t bits;
  memcpy(&bits, &magnitude, sizeof bits);
  bits |= (h << 12) & SIGN_BIT;
  float z;
  memcpy(&z, &bits, sizeof z);
  return z;
}

// Develop.noisyByte: v = colour · scale, v + √(max(0, v)·shot + read)·z, times the white
// balance, clamped to [0, limit], to the tone table's byte.
static inline uint8_t develop_channel(const cdevelop_params *p, double colour, float z, float balance) {
  float v = (float)colour * p->scale;
  float m = v > 0 ? v : 0;
  float s = sqrtf(m * p->shot + p->read);
  float x = (v + s * z) * balance;
  float y = x > 0 ? x : 0;
  y = y < p->limit ? y : p->limit;
  return p->tone[(int32_t)(y * STEPS + 0.5f)];
}

// Pixels from … count − 1 of a row whose pixel 0 is pixel `first` of the image.
static void row_portable(
  const cdevelop_params *p, const double *colours, long from, long count, uint64_t first, uint8_t *rgb) {
  uint32_t key0 = (uint32_t)p->stream, key1 = (uint32_t)(p->stream >> 32);
  uint32_t n = (uint32_t)(3 * (first + (uint64_t)from));
  for (long q = from; q < count; q++) {
    for (int c = 0; c < 3; c++, n++) {
      float z = variate(hash(n, key0, key1), p->noise);
      rgb[3 * q + c] = develop_channel(p, colours[4 * q + c], z, p->white_balance[c]);
    }
  }
}

static void fill_portable(float *values, long from, long count, uint64_t stream, uint32_t first, const float *noise) {
  uint32_t key0 = (uint32_t)stream, key1 = (uint32_t)(stream >> 32);
  for (long k = from; k < count; k++) values[k] = variate(hash(first + (uint32_t)k, key0, key1), noise);
}

#if defined(__x86_64__) && defined(__clang__)
#define CDEVELOP_X86 1

#define AVX2 __attribute__((target("avx2")))

// hash in eight 32-bit lanes.
AVX2 static inline __m256i hash8(__m256i n, __m256i key0, __m256i key1) {
  __m256i x = _mm256_add_epi32(n, key0);
  x = _mm256_mullo_epi32(_mm256_xor_si256(x, _mm256_srli_epi32(x, 17)), _mm256_set1_epi32((int)MIX1));
  x = _mm256_xor_si256(x, key1);
  x = _mm256_mullo_epi32(_mm256_xor_si256(x, _mm256_srli_epi32(x, 11)), _mm256_set1_epi32((int)MIX2));
  return _mm256_mullo_epi32(_mm256_xor_si256(x, _mm256_srli_epi32(x, 15)), _mm256_set1_epi32((int)MIX3));
}

// variate in eight lanes, for the lanes set in `used` (a constant; the others are left 0):
// each cell's magnitude one scalar load, inserted into the vector (no gather: slow on AMD's
// Zen processors).
AVX2 static inline __attribute__((always_inline)) __m256 variates8(__m256i h, const float *noise, int used) {
  uint32_t at[8];
  _mm256_storeu_si256((__m256i *)at, _mm256_srli_epi32(h, 20));
  __m128 half[2];
  for (int k = 0; k < 2; k++) {
    const uint32_t *cell = at + 4 * k;
    __m128 lanes = _mm_load_ss(noise + cell[0]);
    if (used >> (4 * k + 1) & 1) lanes = _mm_insert_ps(lanes, _mm_load_ss(noise + cell[1]), 0x10);
    if (used >> (4 * k + 2) & 1) lanes = _mm_insert_ps(lanes, _mm_load_ss(noise + cell[2]), 0x20);
    if (used >> (4 * k + 3) & 1) lanes = _mm_insert_ps(lanes, _mm_load_ss(noise + cell[3]), 0x30);
    half[k] = lanes;
  }
  __m256 magnitude = _mm256_insertf128_ps(_mm256_castps128_ps256(half[0]), half[1], 1);
  __m256i sign = _mm256_and_si256(_mm256_slli_epi32(h, 12), _mm256_set1_epi32((int)SIGN_BIT));
  return _mm256_castsi256_ps(_mm256_or_si256(_mm256_castps_si256(magnitude), sign));
}

// A row, two pixels a step: each pixel's four doubles (x, y, z and the unused fourth) become
// four float lanes, so a vector holds two pixels and no shuffle is needed; the fourth lanes
// are computed and not used. The last odd pixel goes to the portable path.
AVX2 static void row_avx2(const cdevelop_params *p, const double *colours, long count, uint64_t first, uint8_t *rgb) {
  const __m256i key0 = _mm256_set1_epi32((int)(uint32_t)p->stream);
  const __m256i key1 = _mm256_set1_epi32((int)(uint32_t)(p->stream >> 32));
  const float *wb = p->white_balance;
  const __m256 balance = _mm256_setr_ps(wb[0], wb[1], wb[2], 0, wb[0], wb[1], wb[2], 0);
  const __m256 scale = _mm256_set1_ps(p->scale), shot = _mm256_set1_ps(p->shot), read = _mm256_set1_ps(p->read);
  const __m256 limit = _mm256_set1_ps(p->limit), zero = _mm256_setzero_ps();
  // In locals: the byte stores below could alias *p.
  const float *noise = p->noise;
  const uint8_t *tone = p->tone;
  // Variates 3i + c of the two pixels i in lanes c and 4 + c.
  __m256i n = _mm256_add_epi32(
    _mm256_set1_epi32((int)(uint32_t)(3 * first)), _mm256_setr_epi32(0, 1, 2, 0, 3, 4, 5, 0));
  const __m256i step = _mm256_set1_epi32(6);
  long q = 0;
  for (; q + 2 <= count; q += 2, n = _mm256_add_epi32(n, step)) {
    const double *c = colours + 4 * q;
    __m256 colour = _mm256_insertf128_ps(
      _mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_loadu_pd(c))), _mm256_cvtpd_ps(_mm256_loadu_pd(c + 4)), 1);
    __m256 z = variates8(hash8(n, key0, key1), noise, 0x77);
    __m256 v = _mm256_mul_ps(colour, scale);
    // v > 0 ? v : 0 (maxps returns its second operand unless the first is greater).
    __m256 m = _mm256_max_ps(v, zero);
    __m256 s = _mm256_sqrt_ps(_mm256_add_ps(_mm256_mul_ps(m, shot), read));
    __m256 x = _mm256_mul_ps(_mm256_add_ps(v, _mm256_mul_ps(s, z)), balance);
    __m256 y = _mm256_min_ps(_mm256_max_ps(x, zero), limit);
    __m256i index = _mm256_cvttps_epi32(_mm256_add_ps(_mm256_mul_ps(y, _mm256_set1_ps(STEPS)), _mm256_set1_ps(0.5f)));
    uint32_t at[8];
    _mm256_storeu_si256((__m256i *)at, index);
    uint8_t *out = rgb + 3 * q;
    out[0] = tone[at[0]];
    out[1] = tone[at[1]];
    out[2] = tone[at[2]];
    out[3] = tone[at[4]];
    out[4] = tone[at[5]];
    out[5] = tone[at[6]];
  }
  if (q < count) row_portable(p, colours, q, count, first, rgb);
}

AVX2 static void rows_avx2(
  const cdevelop_params *p, const double *colours, long count, long rows, uint64_t first, long pitch, uint8_t *rgb) {
  for (long r = 0; r < rows; r++) {
    row_avx2(p, colours + 4 * r * count, count, first + (uint64_t)(r * pitch), rgb + 3 * r * pitch);
  }
}

AVX2 static long fill_avx2(float *values, long count, uint64_t stream, uint32_t first, const float *noise) {
  const __m256i key0 = _mm256_set1_epi32((int)(uint32_t)stream);
  const __m256i key1 = _mm256_set1_epi32((int)(uint32_t)(stream >> 32));
  __m256i n = _mm256_add_epi32(_mm256_set1_epi32((int)first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  long k = 0;
  for (; k + 8 <= count; k += 8, n = _mm256_add_epi32(n, _mm256_set1_epi32(8))) {
    _mm256_storeu_ps(values + k, variates8(hash8(n, key0, key1), noise, 0xFF));
  }
  return k;
}

static int has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
}

static int has_avx512(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

// Whether `path` runs the AVX2 code here (a processor with AVX-512 has AVX2).
static int runs_avx2(int path) {
  int resolved = cdevelop_resolve_path(path);
  return resolved == CDEVELOP_PATH_AVX2 || resolved == CDEVELOP_PATH_AVX512;
}
#endif

int cdevelop_cpu_cap(const char *value) {
  if (value == NULL || value[0] == 0 || strcmp(value, "auto") == 0) return CDEVELOP_CPU_AVX512;
  if (strcmp(value, "portable") == 0) return CDEVELOP_CPU_PORTABLE;
  if (strcmp(value, "sse") == 0) return CDEVELOP_CPU_SSE;
  if (strcmp(value, "avx2") == 0) return CDEVELOP_CPU_AVX2;
  if (strcmp(value, "avx512") == 0) return CDEVELOP_CPU_AVX512;
  return -1;
}

int cdevelop_cpu_processor(void) {
#if defined(CDEVELOP_X86)
  // Every thread that finds it unset computes the same value.
  static int cached = -1;
  int best = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (best < 0) {
    // x86-64 always has SSE2.
    best = has_avx512() ? CDEVELOP_CPU_AVX512 : has_avx2() ? CDEVELOP_CPU_AVX2 : CDEVELOP_CPU_SSE;
    __atomic_store_n(&cached, best, __ATOMIC_RELAXED);
  }
  return best;
#else
  return CDEVELOP_CPU_PORTABLE;
#endif
}

int cdevelop_cpu_level(void) {
  // Every thread that finds it unset computes the same value (the environment is not
  // changed while scn runs).
  static int cached = -1;
  int level = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (level < 0) {
    int cap = cdevelop_cpu_cap(getenv("SCN_CPU_PATH"));
    int best = cdevelop_cpu_processor();
    if (cap < 0) cap = CDEVELOP_CPU_PORTABLE;
    level = cap < best ? cap : best;
    __atomic_store_n(&cached, level, __ATOMIC_RELAXED);
  }
  return level;
}

int cdevelop_resolve_path(int path) {
#if defined(CDEVELOP_X86)
  if (path == CDEVELOP_PATH_AUTO) {
    int level = cdevelop_cpu_level();
    return level == CDEVELOP_CPU_AVX512 ? CDEVELOP_PATH_AVX512
      : level == CDEVELOP_CPU_AVX2      ? CDEVELOP_PATH_AVX2
                                        : CDEVELOP_PATH_PORTABLE;
  }
  // A processor with AVX-512 has AVX2.
  int best = cdevelop_cpu_processor();
  if (path == CDEVELOP_PATH_AVX512 && best == CDEVELOP_CPU_AVX512) return path;
  if (path == CDEVELOP_PATH_AVX2 && best >= CDEVELOP_CPU_AVX2) return path;
#endif
  (void)path;
  return CDEVELOP_PATH_PORTABLE;
}

void cdevelop_rows(
  const cdevelop_params *params, const double *colours, long count, long rows, uint64_t first, long pitch,
  uint8_t *rgb, int path) {
#if defined(CDEVELOP_X86)
  if (runs_avx2(path)) {
    rows_avx2(params, colours, count, rows, first, pitch, rgb);
    return;
  }
#else
  (void)path;
#endif
  for (long r = 0; r < rows; r++) {
    row_portable(params, colours + 4 * r * count, 0, count, first + (uint64_t)(r * pitch), rgb + 3 * r * pitch);
  }
}

void cdevelop_fill(float *values, long count, uint64_t stream, uint32_t first, const float *noise, int path) {
  long done = 0;
#if defined(CDEVELOP_X86)
  if (runs_avx2(path)) done = fill_avx2(values, count, stream, first, noise);
#else
  (void)path;
#endif
  fill_portable(values, done, count, stream, first, noise);
}
