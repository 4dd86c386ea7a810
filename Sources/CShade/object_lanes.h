// One path of the object kernel (see ground.c and README.md): included by ground.c right
// after ground_lanes.h, whose helpers (noise, detail, exp2above, sel, …) and vector types it
// uses, with the same LANES, SUFFIX and ATTR. Every line mirrors a line of the Swift code it
// names (`Shader.objectSurface`), with the same IEEE operations in the same order
// (contraction is off, see ground.c); `sel` stands for the Swift code's branches.

#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define FN(name) CAT(name, SUFFIX)
#define VD FN(vd)
#define VL FN(vl)
#define VU FN(vu)
#define VB FN(vb)
#define INLINE ATTR static inline __attribute__((always_inline))

// Hash.valueNoise(seed:_:) with each lane's own seed, folded to 32 bits.
INLINE VD FN(noise3v)(VU s, VD x, VD y, VD z) {
  VL inside = FN(within)(&x) & FN(within)(&y) & FN(within)(&z);
  FN(axis_t) ax = FN(axis)(x, 0x27D4EB2Du, &inside);
  FN(axis_t) ay = FN(axis)(y, 0x165667B1u, &inside);
  FN(axis_t) az = FN(axis)(z, 0x9E3779B1u, &inside);
  VU z0 = s ^ az.k0, z1 = s ^ az.k1;
  VD v0 = FN(lattice)(ax.k0 ^ ay.k0 ^ z0);
  VD v1 = FN(lattice)(ax.k1 ^ ay.k0 ^ z0);
  VD v2 = FN(lattice)(ax.k0 ^ ay.k1 ^ z0);
  VD v3 = FN(lattice)(ax.k1 ^ ay.k1 ^ z0);
  VD v4 = FN(lattice)(ax.k0 ^ ay.k0 ^ z1);
  VD v5 = FN(lattice)(ax.k1 ^ ay.k0 ^ z1);
  VD v6 = FN(lattice)(ax.k0 ^ ay.k1 ^ z1);
  VD v7 = FN(lattice)(ax.k1 ^ ay.k1 ^ z1);
  // Hash.alongX, then Hash.trilinear.
  VD c0 = v0 + (v1 - v0) * ax.t;
  VD c1 = v2 + (v3 - v2) * ax.t;
  VD c2 = v4 + (v5 - v4) * ax.t;
  VD c3 = v6 + (v7 - v6) * ax.t;
  VD e0 = c0 + (c1 - c0) * ay.t;
  VD e1 = c2 + (c3 - c2) * ay.t;
  return FN(sel)(inside, e0 + (e1 - e0) * az.t, FN(splat)(0.5));
}

// ProceduralTexture.octave with each lane's seed `s` (the noise only when a lane needs it).
INLINE VD FN(octavev)(VU s, VD px, VD py, VD pz, double frequency, VD spread, VD cosine) {
  VD k = FN(detail)(frequency, spread, cosine);
  VL needed = k > 0;
  if (!FN(any)(needed)) return FN(splat)(0);
  VD noise = FN(noise3v)(s, px * frequency, py * frequency, pz * frequency);
  return FN(sel)(needed, (noise - 0.5) * k, FN(splat)(0));
}

// libm's sin in the lanes of `m`, 0 elsewhere (`Double.sine`).
INLINE VD FN(sin_lanes)(VL m, VD x) {
  VD r = FN(splat)(0);
  for (int k = 0; k < LANES; k++) {
    if (m[k]) r[k] = sin(x[k]);
  }
  return r;
}

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

  // PrimaryHit.geometry.
  VD length = __builtin_elementwise_sqrt(dx * dx + dy * dy + dz * dz);
  VD inverse = -1.0 / length;
  VD vx = dx * inverse, vy = dy * inverse, vz = dz * inverse;
  VD px = P->origin[0] + dx * t, py = P->origin[1] + dy * t, pz = P->origin[2] + dz * t;
  VD distance = t * length;
  // Shader.footprint.
  VD across = distance * P->ray_angle;
  VD spread = across * across;
  VD cosine = FN(maxs)(0.05, FN(fabs)(nx * vx + ny * vy + nz * vz));

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
  VD tintR, tintG, tintB, offset;
  switch (P->texture) {
  case CSHADE_OBJECT_PAINT: {
    VD mid = FN(octavev)(seed ^ 0x31u, lx, ly, lz, 2.2, spread, cosine);
    VD fine = FN(octavev)(seed ^ 0x32u, lx, ly, lz, 40, spread, cosine);
    VD v = 1.0 + 0.05 * mid + 0.03 * fine;
    tintR = v, tintG = v, tintB = v;
    offset = 0.08 * mid;
    break;
  }
  case CSHADE_OBJECT_SKIN: {
    VD blotch = FN(octavev)(seed ^ 0x71u, lx, ly, lz, 12, spread, cosine);
    VD fine = FN(octavev)(seed ^ 0x72u, lx, ly, lz, 90, spread, cosine);
    VD v = 1.0 + 0.06 * blotch + 0.03 * fine;
    tintR = v + 0.03 * blotch;
    tintG = v - 0.02 * blotch;
    tintB = v - 0.03 * blotch;
    offset = 0.05 * fine;
    break;
  }
  case CSHADE_OBJECT_FABRIC: {
    VD mottle = FN(octavev)(seed ^ 0x61u, lx, ly, lz, 4, spread, cosine);
    // ProceduralTexture.feature with mean 0: the weave's two sines only where its detail is
    // above 0.
    VD k = FN(detail)(580, spread, cosine);
    VL needed = k > 0;
    VD weave = FN(splat)(0);
    if (FN(any)(needed)) {
      VD value = FN(sin_lanes)(needed, lx * 2094.4 + lz * 1047.2) * FN(sin_lanes)(needed, ly * 2094.4 - lz * 1047.2);
      weave = FN(sel)(needed, FN(sel)(k == 1, value, 0 + (value - 0) * k), weave);
    }
    VD fine = FN(octavev)(seed ^ 0x62u, lx, ly, lz, 80, spread, cosine);
    VD v = 1.0 + 0.14 * mottle + 0.05 * weave + 0.06 * fine;
    tintR = v, tintG = v, tintB = v;
    offset = 0.05 * mottle;
    break;
  }
  case CSHADE_OBJECT_CONCRETE: {
    VD coarse = FN(octavev)(seed ^ 0x21u, lx, ly, lz, 0.8, spread, cosine);
    VD mid = FN(octavev)(seed ^ 0x22u, lx, ly, lz, 4.3, spread, cosine);
    VD fine = FN(octavev)(seed ^ 0x23u, lx, ly, lz, 31, spread, cosine);
    // ProceduralTexture.feature with meanPores.
    const double mean = 0.0270;
    VD k = FN(detail)(70, spread, cosine);
    VL needed = k > 0;
    VD pores = FN(splat)(mean);
    if (FN(any)(needed)) {
      VD value = FN(smoothstep)(0.8, 0.9, FN(noise3v)(seed ^ 0x24u, lx * 70, ly * 70, lz * 70));
      pores = FN(sel)(needed, FN(sel)(k == 1, value, mean + (value - mean) * k), pores);
    }
    VD v = 1.0 + 0.2 * coarse + 0.1 * mid + 0.1 * fine - 0.3 * pores;
    tintR = v, tintG = v, tintB = v * 0.98;
    offset = 0.1 * coarse;
    break;
  }
  default: {
    VD noise = FN(octavev)(seed, lx, ly, lz, 6, spread, cosine);
    VD fine = FN(octavev)(seed ^ 0xABCDu, lx, ly, lz, 23, spread, cosine);
    VD v = 1.0 + (0.12 + 0.25 * r) * noise + 0.08 * r * fine;
    tintR = v, tintG = v, tintB = v;
    offset = FN(splat)(0);
    break;
  }
  }
  if (P->stuff && P->snow_cover > 0) {
    // Shader.stuffMaterial: snow evens the pattern out.
    tintR = 1.0 + (tintR - 1.0) * 0.3;
    tintG = 1.0 + (tintG - 1.0) * 0.3;
    tintB = 1.0 + (tintB - 1.0) * 0.3;
  }
  VD ar = FN(load)(slot[7]) * tintR, ag = FN(load)(slot[8]) * tintG, ab = FN(load)(slot[9]) * tintB;
  VD roughness = FN(mins)(1, FN(maxs)(0, r + offset));
  // Shader.snowCovered.
  if (P->snow_cover > 0) {
    VL up = nz > 0.5;
    if (FN(any)(up)) {
      VD u = FN(mins)(1, (nz - 0.5) / 0.35);
      VD s = P->snow_cover * u * u * (3.0 - 2.0 * u);
      ar = FN(sel)(up, ar * (1.0 - s) + 0.82 * s, ar);
      ag = FN(sel)(up, ag * (1.0 - s) + 0.82 * s, ag);
      ab = FN(sel)(up, ab * (1.0 - s) + 0.82 * s, ab);
    }
  }
  if (O->albedo_r) {
    FN(store)(O->albedo_r, from, n, ar);
    FN(store)(O->albedo_g, from, n, ag);
    FN(store)(O->albedo_b, from, n, ab);
    FN(store)(O->roughness, from, n, roughness);
  }

  // SurfaceBRDF.init, with each lane's metallic value.
  VD metallic = FN(load)(slot[11]);
  VD m = FN(sel)(FN(fabs)(metallic) < INFINITY, FN(mins)(1, FN(maxs)(0, metallic)), FN(splat)(0));
  VD rough = FN(sel)(FN(fabs)(roughness) < INFINITY, FN(mins)(1, FN(maxs)(0, roughness)), FN(splat)(0.5));
  VD nv = FN(maxs)(1e-4, nx * vx + ny * vy + nz * vz);
  VD fr = ar * (1 - m), fg = ag * (1 - m), fb = ab * (1 - m);
  VD f0base = 0.04 * (1 - m);
  VD f0r = f0base + ar * m, f0g = f0base + ag * m, f0b = f0base + ab * m;
  VD pr = FN(maxs)(0.08, rough);
  VD alpha = pr * pr;
  VD alpha2 = alpha * alpha;

  // SurfaceBRDF.environmentSpecular.
  VD rx = -rough + 1;
  VD ry = -0.0275 * rough + 0.0425;
  VD rz = -0.572 * rough + 1.04;
  VD rw = 0.022 * rough - 0.04;
  VD rx2 = rx * rx;
  VD e = FN(exp2above)(-9.28 * nv, rx2);
  VD a004 = FN(sel)(e < rx2, e, rx2) * rx + ry;
  VD scale = a004 * -1.04 + rz;
  VD bias = FN(maxs)(0, a004 * 1.04 + rw);
  VD sr = f0r * scale + bias, sg = f0g * scale + bias, sb = f0b * scale + bias;

  // Shader.ambientLight.
  VD skyLight = P->ambient * (0.75 + 0.25 * nz);
  // The mirror direction's z: SurfaceBRDF.reflected.
  VD mz = nz * (2 * nv) - vz;
  VD w = __builtin_elementwise_sqrt(FN(maxs)(0, mz));
  VL above = mz >= 0;
  const double *h = P->horizon, *z = P->zenith, *g = P->ground_radiance, *sm = P->sky_mean;
  VD sharpR = FN(sel)(above, h[0] + (z[0] - h[0]) * w, FN(splat)(g[0]));
  VD sharpG = FN(sel)(above, h[1] + (z[1] - h[1]) * w, FN(splat)(g[1]));
  VD sharpB = FN(sel)(above, h[2] + (z[2] - h[2]) * w, FN(splat)(g[2]));
  VD upw = 0.5 + 0.5 * FN(mins)(1, FN(maxs)(-1, mz));
  VD blurR = g[0] + (sm[0] - g[0]) * upw;
  VD blurG = g[1] + (sm[1] - g[1]) * upw;
  VD blurB = g[2] + (sm[2] - g[2]) * upw;
  VD ww = FN(mins)(1, 1.5 * rough);
  VD envR = sharpR + (blurR - sharpR) * ww;
  VD envG = sharpG + (blurG - sharpG) * ww;
  VD envB = sharpB + (blurB - sharpB) * ww;
  VD cr = fr * (1.0 - sr) * skyLight + sr * envR;
  VD cg = fg * (1.0 - sg) * skyLight + sg * envG;
  VD cb = fb * (1.0 - sb) * skyLight + sb * envB;

  // Shader.surface: the sun, SurfaceBRDF.reflectance.
  if (P->sun_strength > 0) {
    const double *l = P->sun;
    VD nl = nx * l[0] + ny * l[1] + nz * l[2];
    VL lighted = lit & (nl > 0);
    if (FN(any)(lighted)) {
      VD sx = l[0] + vx, sy = l[1] + vy, sz = l[2] + vz;
      VD hl = __builtin_elementwise_sqrt(sx * sx + sy * sy + sz * sz);
      VL half = hl > 1e-12;
      VD inv = 1.0 / hl;
      VD nh = FN(maxs)(0, (nx * sx + ny * sy + nz * sz) * inv);
      VD vh = FN(maxs)(0, (vx * sx + vy * sy + vz * sz) * inv);
      VD mm = 1.0 - FN(mins)(1, FN(maxs)(0, vh));
      VD m2 = mm * mm;
      VD m5 = m2 * m2 * mm;
      VD Fr = f0r + (1.0 - f0r) * m5, Fg = f0g + (1.0 - f0g) * m5, Fb = f0b + (1.0 - f0b) * m5;
      VD tt = nh * nh * (alpha2 - 1) + 1;
      VD a = nl * __builtin_elementwise_sqrt(nv * nv * (1 - alpha2) + alpha2);
      VD b = nv * __builtin_elementwise_sqrt(nl * nl * (1 - alpha2) + alpha2);
      VD piDV = (0.5 * alpha2) / (tt * tt * FN(maxs)(1e-12, a + b));
      VD qr = FN(sel)(half, fr * (1.0 - Fr) + Fr * piDV, fr);
      VD qg = FN(sel)(half, fg * (1.0 - Fg) + Fg * piDV, fg);
      VD qb = FN(sel)(half, fb * (1.0 - Fb) + Fb * piDV, fb);
      VD sun = P->sun_strength * nl;
      cr = FN(sel)(lighted, cr + qr * sun, cr);
      cg = FN(sel)(lighted, cg + qg * sun, cg);
      cb = FN(sel)(lighted, cb + qb * sun, cb);
    }
  }

  // An object's emission (ObjectSurface.emission), added before the lamps and the fog.
  if (!P->stuff) {
    cr = cr + FN(load)(slot[12]);
    cg = cg + FN(load)(slot[13]);
    cb = cb + FN(load)(slot[14]);
  }

  // Shader.fogged.
  if (P->fog && P->extinction > 0) {
    VD keep = FN(exp_lanes)(FN(splat)(0) == 0, -P->extinction * distance);
    VD rest = 1.0 - keep;
    cr = cr * keep + h[0] * rest;
    cg = cg * keep + h[1] * rest;
    cb = cb * keep + h[2] * rest;
  }
  FN(store)(O->r, from, n, cr);
  FN(store)(O->g, from, n, cg);
  FN(store)(O->b, from, n, cb);
}

ATTR static void FN(objects)(
  const cshade_object_params *P, const cshade_object_slot *S, const cshade_object_hits *H, long count,
  const cshade_object_out *O) {
  for (long from = 0; from < count; from += LANES) {
    long n = count - from < LANES ? count - from : LANES;
    FN(object_step)(P, S, H, from, n, O);
  }
}

#undef CAT2
#undef CAT
#undef FN
#undef VD
#undef VL
#undef VU
#undef VB
#undef INLINE
