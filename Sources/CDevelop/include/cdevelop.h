#ifndef CDEVELOP_H
#define CDEVELOP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The camera's development of noisy rows (docs/scene-model.md, "Exposure, tone curve and
/// noise"; the Swift side is `Develop.rowInSwift` and `NoiseVariates` in ScnSensors):
/// exposure, sensor noise from the frame's stream of normal variates, white balance, tone
/// curve and the sRGB byte, in single precision, with the same operations and the same bits
/// as the Swift code.
typedef struct cdevelop_params {
  /// The exposure scale X.
  float scale;
  /// σ²(v) = max(0, v)·shot + read.
  float shot;
  float read;
  /// White-balance gains per channel.
  float white_balance[3];
  /// Signals are clamped to [0, limit] before their index into `tone` (`Develop.toneLimit`).
  float limit;
  /// The frame's stream (`NoiseVariates.stream`): its low and high 32 bits key the hash.
  uint64_t stream;
  /// `NoiseVariates.tableBase`: |Z| of each of the 4096 cells.
  const float *noise;
  /// `Develop.toneBase`: the byte of each signal step k/4095, k = 0 … the index of `limit`.
  const uint8_t *tone;
} cdevelop_params;

/// Which code runs: the best the processor has, or one forced (for tests and measurements).
/// CShade and CTrace choose their paths with these values too; the development itself runs
/// its AVX2 code on a processor with AVX-512.
enum {
  CDEVELOP_PATH_AUTO = 0,
  CDEVELOP_PATH_PORTABLE = 1,
  CDEVELOP_PATH_AVX2 = 2,
  CDEVELOP_PATH_AVX512 = 3
};

/// The path `path` resolves to on this processor: AUTO becomes the level `cdevelop_cpu_level`
/// gives (the best the processor has, capped by `SCN_CPU_PATH`; SSE runs the portable code
/// here), and a forced vector path the processor lacks becomes PORTABLE. A forced path (tests
/// and measurements) is not capped by `SCN_CPU_PATH`.
int cdevelop_resolve_path(int path);

/// Instruction-set levels, in order, for the cap every C kernel's automatic choice obeys
/// (docs/architecture.md, "CPU paths"): CDevelop, CTrace and CShade have portable, AVX2 and
/// AVX-512 code (their SSE level runs the portable code), CMesh portable, SSE and AVX2 code
/// (its AVX-512 level runs the AVX2 code).
enum {
  CDEVELOP_CPU_PORTABLE = 0,
  CDEVELOP_CPU_SSE = 1,
  CDEVELOP_CPU_AVX2 = 2,
  CDEVELOP_CPU_AVX512 = 3
};

/// The cap a value of `SCN_CPU_PATH` names: "portable", "sse", "avx2" or "avx512" give that
/// level; NULL (unset), "" and "auto" give CDEVELOP_CPU_AVX512 (no cap); any other text gives
/// −1. The `scn` command refuses a value that gives −1 before any kernel runs.
int cdevelop_cpu_cap(const char *value);

/// The best level this processor has (x86-64: AVX-512 with F, DQ and VL, else AVX2, else
/// SSE; PORTABLE elsewhere), whatever `SCN_CPU_PATH` says. Found once.
int cdevelop_cpu_processor(void);

/// The level the C kernels' automatic choice runs at: the processor's best, capped by the
/// environment variable `SCN_CPU_PATH` (read once, on the first call, by any thread: every
/// thread computes the same value; a value `cdevelop_cpu_cap` refuses caps at PORTABLE).
int cdevelop_cpu_level(void);

/// Develops `rows` rows of `count` pixels each, one after the other at `colours` (row r's
/// pixel p's channel c at colours[4 · (r · count + p) + c], the layout of SIMD3<Double>), row
/// r's first pixel being pixel first + r · pitch of the image (pixel i's variates are
/// 3i, 3i + 1, 3i + 2) and its bytes at rgb + 3 · r · pitch.
void cdevelop_rows(
  const cdevelop_params *params, const double *colours, long count, long rows, uint64_t first, long pitch,
  uint8_t *rgb, int path);

/// Variates `first` … `first` + count − 1 (mod 2^32) of `stream` into `values`, as the row
/// kernel draws them (for tests).
void cdevelop_fill(float *values, long count, uint64_t stream, uint32_t first, const float *noise, int path);

#ifdef __cplusplus
}
#endif

#endif
