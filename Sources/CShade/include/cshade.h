#ifndef CSHADE_H
#define CSHADE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The camera's shading of ground pixels (plain ground and road paint) in SIMD lanes, with
/// the same operations and the same bits as the Swift code (docs/scene-model.md, "Shading";
/// the Swift side is `SceneIntersector.shadeGround` and `Shader.groundSurface` in
/// ScnSensors): the hit geometry, the texture (`Shader.groundAlbedo` or `Shader.stuffMaterial`
/// with an asphalt or paint texture, then `Shader.snowCovered`), the puddles in rain
/// (`Shader.puddle`), the BRDF (`SurfaceBRDF`), the sun and sky (`Shader.surface`) and, when
/// asked, the fog (`Shader.fogged`).
typedef struct cshade_ground_params {
  /// The camera's position.
  double origin[3];
  /// `Shader.rayAngle`.
  double ray_angle;
  /// Which texture: CSHADE_PLAIN (`Shader.groundAlbedo`'s plain ground), CSHADE_ASPHALT or
  /// CSHADE_PAINT (`Shader.stuffMaterial`).
  int32_t material;
  /// 1: apply the fog (the caller adds no lamp light and no wet reflection); 0: return the
  /// colour before lamps, wet reflection and fog.
  int32_t fog;
  /// 1: rain (`Shader.wet`): the puddles darken the albedo.
  int32_t wet;
  int32_t reserved;
  /// The ground colour (plain) or the paint's colour (`StuffLook.colour`).
  double colour[3];
  /// The paint's roughness (`StuffLook.roughness`), or `Shader.groundRoughness`.
  double roughness;
  /// The paint's metallic value as given (`StuffLook.metallic`; 0 for plain ground).
  double metallic;
  /// `Shader.snowCover`, `Shader.puddleCover`.
  double snow_cover;
  double puddle_cover;
  /// `Shader.sunDirection`, `sunStrength`, `ambient`.
  double sun[3];
  double sun_strength;
  double ambient;
  /// The sky's horizon colour (`Environment.skyColour`) and `Shader.zenith`.
  double horizon[3];
  double zenith[3];
  /// `Shader.groundRadiance`, `Shader.skyMean`.
  double ground_radiance[3];
  double sky_mean[3];
  /// `Shader.extinction`.
  double extinction;
} cshade_ground_params;

enum { CSHADE_PLAIN = 0, CSHADE_ASPHALT = 1, CSHADE_PAINT = 2 };

/// The pixels' primary hits, one array per field (structure of arrays), `count` long: the
/// distance along the ray (in units of the direction's length), the normal, the ray's
/// direction, and whether the surface faces the sun unshadowed (`PrimaryHit.litSide`, 0/1).
typedef struct cshade_ground_hits {
  const double *t;
  const double *nx, *ny, *nz;
  const double *dx, *dy, *dz;
  const uint8_t *lit;
} cshade_ground_hits;

/// Where the results go, `count` doubles each: the colour, and (unless NULL) the albedo after
/// the puddles' darkening, the roughness `SurfaceBRDF` is given and the water (0…1), which a
/// caller needs to add lamps and the wet reflection.
typedef struct cshade_ground_out {
  double *r, *g, *b;
  double *albedo_r, *albedo_g, *albedo_b;
  double *roughness;
  double *water;
} cshade_ground_out;

/// Shades `count` ground pixels with the code `path` names, a `CDEVELOP_PATH_*` value
/// resolved by `cdevelop_resolve_path` (CDevelop's choice of AVX-512, AVX2 or portable code).
void cshade_ground(
  const cshade_ground_params *params, const cshade_ground_hits *hits, long count, const cshade_ground_out *out,
  int path);

/// The sky's colours (`Shader.sky(directionZ:)`): the horizon colour (`Environment.skyColour`)
/// and `Shader.zenith`.
typedef struct cshade_sky_params {
  double horizon[3];
  double zenith[3];
} cshade_sky_params;

/// The sky seen along `count` ray directions (x, y, z; any length): the bits of the Swift
/// code's `Shader.sky(directionZ: d.z / d.length)` for each, written to r, g and b, with the
/// code `path` names (as for `cshade_ground`).
void cshade_sky(
  const cshade_sky_params *params, const double *x, const double *y, const double *z, long count, double *r,
  double *g, double *b, int path);

#ifdef __cplusplus
}
#endif

#endif
