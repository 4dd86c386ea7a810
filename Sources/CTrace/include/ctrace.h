#ifndef CTRACE_H
#define CTRACE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The Float32 slab tests of a bundle of rays against a candidate list's boxes, many rays per
/// vector instruction (Sources/ScnSensors/README.md, "Ray bundles"; the Swift side is
/// `TileRays` and `FloatRay` in ScnSensors): for every ray and box, the same IEEE operations in
/// the same order as `FloatRay.slab`, never fused, so every entry distance and every "enters"
/// answer has the Swift code's bits.
///
/// Boxes are read in `CandidateList`'s layout: per group of four boxes, lower x of the four,
/// lower y, lower z, upper x, upper y, upper z (24 floats); box k is lane k % 4 of group k / 4.

/// Which code runs: the best the processor has, or one forced (for tests and measurements).
enum {
  CTRACE_PATH_AUTO = 0,
  CTRACE_PATH_PORTABLE = 1,
  CTRACE_PATH_AVX2 = 2,
  CTRACE_PATH_AVX512 = 3
};

/// The path `path` resolves to on this processor: AUTO becomes the best one available, and
/// a forced vector path the processor lacks becomes PORTABLE.
int ctrace_resolve_path(int path);

/// Constants of the Swift code's `FloatRay`, passed in so that C uses the very values Swift's
/// literals produce.
typedef struct ctrace_constants {
  /// `FloatRay`'s inverse direction clamps |d| < tiny to ±tiny.
  double tiny;
  /// `FloatRay.upperLimit(t)` = (float)t · upper_scale + upper_offset for finite t, +∞ else.
  float upper_scale;
  float upper_offset;
} ctrace_constants;

/// Rays from one point (a camera tile's primary rays): ray r leaves `origin` along
/// (dx[r], dy[r], dz[r]) over t in (t_min, t_max), shortened to the ground plane z = 0 where
/// `include_ground` and the ray meets it inside that window (`SceneIntersector.closestHit`).
/// For each ray: limit[r] = its t_max after the ground, entered[r] = bit k set when it enters
/// box k (k < count ≤ 31) and bit 31 set when it meets the ground, and for every box k,
/// near[k · stride + r] = its entry distance (`FloatRay.slab`'s near). `lower_limit` is
/// `FloatRay.lowerLimit(t_min)`.
void ctrace_from_point(
  const ctrace_constants *constants, const double origin[3], const double *dx, const double *dy, const double *dz,
  long n, double t_min, double t_max, int include_ground, float lower_limit, const float *bounds, long count,
  uint32_t *entered, float *near, long stride, double *limit, int path);

/// Rays along one direction (a tile's shadow rays towards the sun): ray r leaves
/// (ox[r], oy[r], oz[r]) along `inverse` (`FloatRay`'s inverse direction, the same for all)
/// with the window [lower_limit, upper_limit]. entered[r] = bit k set when it enters box k
/// (k < count ≤ 32).
void ctrace_along_direction(
  const float inverse[3], const double *ox, const double *oy, const double *oz, long n, float lower_limit,
  float upper_limit, const float *bounds, long count, uint32_t *entered, int path);

/// A LiDAR batch's beam directions in the world (`castPart` in ScnSensors' Lidar.swift):
/// `steps` azimuth steps of `ring_count` rings each, beam r = step · ring_count + ring at
/// (x[r], y[r], z[r]). A step's cosine and sine are azimuths[2 s], azimuths[2 s + 1], a ring's
/// (of its elevation) rings[2 k], rings[2 k + 1]; the beam (ce ca, ce sa, se) in the sensor
/// frame is rotated by the unit quaternion q = (q[0], q[1], q[2]; w = q[3]) as
/// `Quaternion.rotate` does: t = 2 (q × v), then (v + w t) + q × t, the same IEEE operations
/// in the same order, never fused. The AVX-512 and AVX2 paths rotate four beams a step in
/// 256-bit lanes.
void ctrace_lidar_beams(
  const double q[4], const double *azimuths, long steps, const double *rings, long ring_count, double *x, double *y,
  double *z, int path);

/// The range noise and dropout of a LiDAR's returns (`LidarSensor`'s seed, `rangeNoise` σ in
/// metres and `dropoutProbability`).
typedef struct ctrace_lidar_noise {
  uint64_t seed;
  double range_noise;
  double dropout;
} ctrace_lidar_noise;

/// A batch of LiDAR surface returns (`ctrace_lidar_returns`), as columns: return i is beam
/// first_beam + offset[i], along the unit vector (lx[i], ly[i], lz[i]) in the sensor frame,
/// its surface at distance t[i] with the incidence's |cosine| cosine[i] and reflectivity[i];
/// the kernel writes x[i], y[i], z[i], intensity[i] and kept[i].
typedef struct ctrace_lidar_batch {
  uint64_t first_beam;
  const int32_t *offset;
  const double *lx;
  const double *ly;
  const double *lz;
  const double *t;
  const double *cosine;
  const double *reflectivity;
  float *x;
  float *y;
  float *z;
  float *intensity;
  uint8_t *kept;
} ctrace_lidar_batch;

/// The first `n` returns of `batch` in clear air, as `LidarReturns.surfaceReturn` in
/// ScnSensors' Lidar.swift makes each from the beam's key `Hash.combine(seed, beam)`:
/// kept[i] = 0 when the seeded dropout loses it (with dropout > 0); else kept[i] = 1, the
/// range r = max(0, t + σ · Hash.gaussian(key)) (t alone with σ = 0), (x, y, z)[i] =
/// (float)(l · r) and intensity[i] = (float)min(1, max(0, reflectivity · cosine)). The same
/// IEEE operations in the Swift code's order, never fused, and libm's `log` in
/// `NormalQuantile`'s tails. The AVX2 and AVX-512 paths make four returns a step in 256-bit
/// lanes (the hashes too); a step with a variate in the tails redoes that return alone.
void ctrace_lidar_returns(const ctrace_lidar_noise *noise, const ctrace_lidar_batch *batch, long n, int path);

#ifdef __cplusplus
}
#endif

#endif
