#ifndef CDEVELOP_H
#define CDEVELOP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The camera's development of a noisy row (docs/scene-model.md, "Exposure, tone curve and
/// noise"; the Swift side is `Develop.row` and `NoiseVariates` in ScnSensors): exposure,
/// sensor noise from the frame's stream of normal variates, white balance, tone curve and
/// the sRGB byte, with the same operations and the same bits as the Swift code.
typedef struct cdevelop_params {
  /// The exposure scale X.
  double scale;
  /// σ²(v) = max(0, v)·shot + read.
  double shot;
  double read;
  /// White-balance gains per channel.
  double white_balance[3];
  /// The frame's stream (`NoiseVariates.stream`).
  uint64_t stream;
  /// `NoiseVariates.tableBase`: (|Z| at an interval's start, its change) pairs, 2 · 2880 doubles.
  const double *table;
  /// The sRGB table (4096 bytes, `Shader.tableSize`) followed by at least 3 readable bytes.
  const uint8_t *srgb;
} cdevelop_params;

/// Which code runs: the best the processor has, or one forced (for tests and measurements).
enum {
  CDEVELOP_PATH_AUTO = 0,
  CDEVELOP_PATH_PORTABLE = 1,
  CDEVELOP_PATH_AVX2 = 2,
  CDEVELOP_PATH_AVX512 = 3
};

/// The path `path` resolves to on this processor: AUTO becomes the best one available, and
/// a forced vector path the processor lacks becomes PORTABLE.
int cdevelop_resolve_path(int path);

/// Develops `count` pixels whose radiance is at `colours` (pixel p's channel c at
/// colours[p · stride + c], stride ≥ 3 doubles), the first being pixel `first` of the image
/// (its variates are 3·first + 3p + c), writing 3 bytes a pixel to `rgb`. Returns 0, or 1
/// when one of the row's variates lies below the table (U < 128, once in 3·10¹³ draws): the
/// bytes are then incomplete and the caller develops the row itself.
int cdevelop_row(
  const cdevelop_params *params, const double *colours, long stride, long count, uint64_t first, uint8_t *rgb,
  int path);

/// `cdevelop_row` for `rows` rows (at most 64) of `count` pixels each, one after the other at
/// `colours` (row r's pixel p at colours[(r · count + p) · stride]), row r's first pixel being
/// pixel first + r · pitch of the image and its bytes at rgb + 3 · r · pitch. Bit r of the
/// result is set when row r has a variate below the table (its bytes are then incomplete and
/// the caller develops it itself); the other rows are done.
uint64_t cdevelop_rows(
  const cdevelop_params *params, const double *colours, long stride, long count, long rows, uint64_t first, long pitch,
  uint8_t *rgb, int path);

/// Variates `first` … `first` + count − 1 of `stream` into `values`. Returns 0, or 1 when one
/// of them lies below the table (its value is then not the variate).
int cdevelop_fill(double *values, long count, uint64_t stream, uint64_t first, const double *table, int path);

#ifdef __cplusplus
}
#endif

#endif
