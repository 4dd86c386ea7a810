#ifndef CSHADE_H
#define CSHADE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The light the ground and object kernels shade with (the Swift side's `Shader`): the sun,
/// the ambient light, the sky's colours and the fog.
typedef struct cshade_light {
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
} cshade_light;

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
  /// The sun, the sky and the fog.
  cshade_light light;
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

/// The camera's shading of object hits (`SceneIntersector.shadeObjects` and the Swift
/// reference `Shader.objectSurface` in ScnSensors) in SIMD lanes, with the same bits: the hit
/// geometry, the object's procedural texture in its own frame (`Shader.objectMaterial` with
/// one of the textures below), snow (`Shader.snowCovered`), the BRDF (`SurfaceBRDF`), the sun
/// and sky (`Shader.surface`), the emission and, when asked, the fog (`Shader.fogged`).
/// One call shades hits of one texture; each hit names its material slot.
typedef struct cshade_object_params {
  /// The camera's position.
  double origin[3];
  /// `Shader.rayAngle`.
  double ray_angle;
  /// Which texture every hit of the call has: CSHADE_OBJECT_PLAIN, _PAINT, _SKIN, _FABRIC or
  /// _CONCRETE.
  int32_t texture;
  /// 1: apply the fog (the caller adds no lamp light); 0: return the colour before lamps and
  /// fog.
  int32_t fog;
  /// 1: the hits are stuff solids' (`Shader.stuffSurface`: the texture in world space, its
  /// tint evened out by snow, no emission; a slot is a `StuffLook`); 0: objects'.
  int32_t stuff;
  int32_t reserved;
  /// `Shader.snowCover`.
  double snow_cover;
  /// The sun, the sky and the fog.
  cshade_light light;
} cshade_object_params;

enum {
  CSHADE_OBJECT_PLAIN = 0,
  CSHADE_OBJECT_PAINT = 1,
  CSHADE_OBJECT_SKIN = 2,
  CSHADE_OBJECT_FABRIC = 3,
  CSHADE_OBJECT_CONCRETE = 4,
  /// How many textures the kernel has (ScnSensors counts a tile's hits of each, and the rest,
  /// in a SIMD8: at most 7).
  CSHADE_OBJECT_TEXTURES = 5
};

/// What the kernel reads of a material slot (`ObjectSurface`): the world-to-object rotation
/// (a quaternion x, y, z, w) and translation, the tinted base colour, the roughness and
/// metallic value (both already clamped to 0…1), the emission, and the texture seed folded
/// to 32 bits (`seed ^ (seed >> 32)`, truncated, as `Hash.valueNoise` folds it). For a stuff
/// solid (`StuffLook`) the colour, roughness, metallic value as given and seed 0x5851F42D;
/// the rotation, translation and emission are not read.
typedef struct cshade_object_slot {
  double rotation[4];
  double translation[3];
  double colour[3];
  double roughness;
  double metallic;
  double emission[3];
  uint32_t seed;
  int32_t reserved;
} cshade_object_slot;

/// The object hits, one array per field, `count` long: as `cshade_ground_hits`, and each
/// hit's material slot (an index into the slot table).
typedef struct cshade_object_hits {
  const double *t;
  const double *nx, *ny, *nz;
  const double *dx, *dy, *dz;
  const uint8_t *lit;
  const int32_t *slot;
} cshade_object_hits;

/// Where the results go, `count` doubles each: the colour (before lamps, with fog only when
/// asked), and (unless NULL) the albedo after snow and the roughness `SurfaceBRDF` is given,
/// which a caller needs to add the lamps' light.
typedef struct cshade_object_out {
  double *r, *g, *b;
  double *albedo_r, *albedo_g, *albedo_b;
  double *roughness;
} cshade_object_out;

/// Shades `count` object hits of one texture with the code `path` names (as for
/// `cshade_ground`; an AVX-512 processor runs the AVX2 code).
void cshade_objects(
  const cshade_object_params *params, const cshade_object_slot *slots, const cshade_object_hits *hits, long count,
  const cshade_object_out *out, int path);

#ifdef __cplusplus
}
#endif

#endif
