// One path of the object kernel (see ground.c and README.md): included by ground.c right
// after ground_lanes.h, whose helpers (noise, detail, exp2above, sel, …) and vector types it
// uses, with the same LANES, SUFFIX and ATTR. Its light (Shader.surface, Shader.fogged) is
// ground_lanes.h's, shared with the ground. Every line mirrors a line of the Swift code it
// names (`Shader.objectSurface`), with the same IEEE operations in the same order
// (contraction is off, see ground.c); `sel` stands for the Swift code's branches.

// libm's sin in the lanes of `m`, 0 elsewhere (`Double.sine`).
INLINE VD FN(sin_lanes)(VL m, VD x) {
  VD r = FN(splat)(0);
  for (int k = 0; k < LANES; k++) {
    if (m[k]) r[k] = sin(x[k]);
  }
  return r;
}

// A texture's tint of the base colour (ProceduralTexture.sample's colour factor, per channel)
// and its roughness offset.
typedef struct {
  VD r, g, b, offset;
} FN(tint_t);

// A tint alike in the three channels.
INLINE FN(tint_t) FN(grey)(VD v, VD offset) { return (FN(tint_t)){v, v, v, offset}; }

// Hits [from, from + LANES) of the call; `n` of them are real (the rest repeat the last).
INLINE void FN(object_step)(
  const cshade_object_params *P, const cshade_object_slot *S, const cshade_object_hits *H, long from, long n,
  const cshade_object_out *O) {
  // The hits' fields and their slots' values, lane by lane.
  double field[7][LANES];
  double slot[15][LANES];
  uint32_t seeds[LANES];
  int64_t litLanes[LANES];
  const double *src[7] = {H->t, H->nx, H->ny, H->nz, H->dx, H->dy, H->dz};
  for (int k = 0; k < LANES; k++) {
    long i = from + (k < n ? k : n - 1);
    for (int f = 0; f < 7; f++) field[f][k] = src[f][i];
    litLanes[k] = H->lit[i] ? -1 : 0;
    const cshade_object_slot *s = S + H->slot[i];
    for (int f = 0; f < 4; f++) slot[f][k] = s->rotation[f];
    for (int f = 0; f < 3; f++) slot[4 + f][k] = s->translation[f];
    for (int f = 0; f < 3; f++) slot[7 + f][k] = s->colour[f];
    slot[10][k] = s->roughness;
    slot[11][k] = s->metallic;
    for (int f = 0; f < 3; f++) slot[12 + f][k] = s->emission[f];
    seeds[k] = s->seed;
  }
  VD t = FN(load)(field[0]), nx = FN(load)(field[1]), ny = FN(load)(field[2]), nz = FN(load)(field[3]);
  VD dx = FN(load)(field[4]), dy = FN(load)(field[5]), dz = FN(load)(field[6]);
  VL lit;
  memcpy(&lit, litLanes, sizeof lit);
  VU seed;
  memcpy(&seed, seeds, sizeof seed);

  // PrimaryHit.geometry and Shader.footprint.
  FN(geometry_t) G = FN(geometry)(P->origin, P->ray_angle, t, nx, ny, nz, dx, dy, dz);
  VD vx = G.vx, vy = G.vy, vz = G.vz, px = G.px, py = G.py, pz = G.pz;
  VD distance = G.distance, spread = G.spread, cosine = G.cosine;

  VD lx = px, ly = py, lz = pz;
  if (!P->stuff) {
    // Shader.objectMaterial: the point in the object's frame, Transform.apply(toPoint:) =
    // Quaternion.rotate (t = 2·(q × v); v + w·t + q × t) plus the translation.
    VD qx = FN(load)(slot[0]), qy = FN(load)(slot[1]), qz = FN(load)(slot[2]), qw = FN(load)(slot[3]);
    VD tx = 2 * (qy * pz - qz * py), ty = 2 * (qz * px - qx * pz), tz = 2 * (qx * py - qy * px);
    lx = px + qw * tx + (qy * tz - qz * ty) + FN(load)(slot[4]);
    ly = py + qw * ty + (qz * tx - qx * tz) + FN(load)(slot[5]);
    lz = pz + qw * tz + (qx * ty - qy * tx) + FN(load)(slot[6]);
  }
  VD r = FN(load)(slot[10]);

  // ProceduralTexture.sample.
  FN(tint_t) tint;
  switch (P->texture) {
  case CSHADE_OBJECT_PAINT: {
    VD mid = FN(octave)(seed ^ 0x31u, lx, ly, lz, 2.2, spread, cosine);
    VD fine = FN(octave)(seed ^ 0x32u, lx, ly, lz, 40, spread, cosine);
    tint = FN(grey)(1.0 + 0.05 * mid + 0.03 * fine, 0.08 * mid);
    break;
  }
  case CSHADE_OBJECT_SKIN: {
    VD blotch = FN(octave)(seed ^ 0x71u, lx, ly, lz, 12, spread, cosine);
    VD fine = FN(octave)(seed ^ 0x72u, lx, ly, lz, 90, spread, cosine);
    VD v = 1.0 + 0.06 * blotch + 0.03 * fine;
    tint = (FN(tint_t)){v + 0.03 * blotch, v - 0.02 * blotch, v - 0.03 * blotch, 0.05 * fine};
    break;
  }
  case CSHADE_OBJECT_FABRIC: {
    VD mottle = FN(octave)(seed ^ 0x61u, lx, ly, lz, 4, spread, cosine);
    // ProceduralTexture.feature with mean 0: the weave's two sines only where its detail is
    // above 0.
    VD k = FN(detail)(580, spread, cosine);
    VL needed = k > 0;
    VD weave = FN(splat)(0);
    if (FN(any)(needed)) {
      VD value = FN(sin_lanes)(needed, lx * 2094.4 + lz * 1047.2) * FN(sin_lanes)(needed, ly * 2094.4 - lz * 1047.2);
      weave = FN(feature)(needed, k, value, 0);
    }
    VD fine = FN(octave)(seed ^ 0x62u, lx, ly, lz, 80, spread, cosine);
    tint = FN(grey)(1.0 + 0.14 * mottle + 0.05 * weave + 0.06 * fine, 0.05 * mottle);
    break;
  }
  case CSHADE_OBJECT_CONCRETE: {
    VD coarse = FN(octave)(seed ^ 0x21u, lx, ly, lz, 0.8, spread, cosine);
    VD mid = FN(octave)(seed ^ 0x22u, lx, ly, lz, 4.3, spread, cosine);
    VD fine = FN(octave)(seed ^ 0x23u, lx, ly, lz, 31, spread, cosine);
    // ProceduralTexture.feature with meanPores.
    const double mean = 0.0270;
    VD k = FN(detail)(70, spread, cosine);
    VL needed = k > 0;
    VD pores = FN(splat)(mean);
    if (FN(any)(needed)) {
      VD value = FN(smoothstep)(0.8, 0.9, FN(noise3)(seed ^ 0x24u, lx * 70, ly * 70, lz * 70));
      pores = FN(feature)(needed, k, value, mean);
    }
    VD v = 1.0 + 0.2 * coarse + 0.1 * mid + 0.1 * fine - 0.3 * pores;
    tint = (FN(tint_t)){v, v, v * 0.98, 0.1 * coarse};
    break;
  }
  default: {
    VD noise = FN(octave)(seed, lx, ly, lz, 6, spread, cosine);
    VD fine = FN(octave)(seed ^ 0xABCDu, lx, ly, lz, 23, spread, cosine);
    tint = FN(grey)(1.0 + (0.12 + 0.25 * r) * noise + 0.08 * r * fine, FN(splat)(0));
    break;
  }
  }
  if (P->stuff && P->snow_cover > 0) {
    // Shader.stuffMaterial: snow evens the pattern out.
    tint.r = 1.0 + (tint.r - 1.0) * 0.3;
    tint.g = 1.0 + (tint.g - 1.0) * 0.3;
    tint.b = 1.0 + (tint.b - 1.0) * 0.3;
  }
  VD ar = FN(load)(slot[7]) * tint.r, ag = FN(load)(slot[8]) * tint.g, ab = FN(load)(slot[9]) * tint.b;
  VD roughness = FN(mins)(1, FN(maxs)(0, r + tint.offset));
  // Shader.snowCovered.
  if (P->snow_cover > 0) FN(snow)(P->snow_cover, nz, &ar, &ag, &ab);
  if (O->albedo_r) {
    FN(store)(O->albedo_r, from, n, ar);
    FN(store)(O->albedo_g, from, n, ag);
    FN(store)(O->albedo_b, from, n, ab);
    FN(store)(O->roughness, from, n, roughness);
  }

  // SurfaceBRDF.init with each lane's metallic value, then Shader.surface.
  VD metallic = FN(load)(slot[11]);
  VD m = FN(sel)(FN(fabs)(metallic) < INFINITY, FN(mins)(1, FN(maxs)(0, metallic)), FN(splat)(0));
  FN(rgb_t) c = FN(surface)(&P->light, nx, ny, nz, vx, vy, vz, lit, ar, ag, ab, roughness, m);

  // An object's emission (ObjectSurface.emission), added before the lamps and the fog.
  if (!P->stuff) {
    c.r = c.r + FN(load)(slot[12]);
    c.g = c.g + FN(load)(slot[13]);
    c.b = c.b + FN(load)(slot[14]);
  }
  if (P->fog && P->light.extinction > 0) c = FN(fogged)(&P->light, distance, c);
  FN(store)(O->r, from, n, c.r);
  FN(store)(O->g, from, n, c.g);
  FN(store)(O->b, from, n, c.b);
}

ATTR static void FN(objects)(
  const cshade_object_params *P, const cshade_object_slot *S, const cshade_object_hits *H, long count,
  const cshade_object_out *O) {
  for (long from = 0; from < count; from += LANES) {
    long n = count - from < LANES ? count - from : LANES;
    FN(object_step)(P, S, H, from, n, O);
  }
}
