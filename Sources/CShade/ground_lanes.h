// One path of the ground kernel (see ground.c and README.md): included by ground.c once per
// lane count with LANES, SUFFIX and ATTR defined (and ground.c's FN, VD, VL, VU, VB, INLINE). Every line mirrors a line of the Swift
// code it names, with the same IEEE operations in the same order (contraction is off, see
// ground.c); `sel` stands for the Swift code's branches (`?:`, `Swift.min`, `Swift.max`,
// `guard`): both sides are computed and the lanes pick theirs.

typedef double VD __attribute__((vector_size(LANES * 8)));
typedef int64_t VL __attribute__((vector_size(LANES * 8)));
typedef uint32_t VU __attribute__((vector_size(LANES * 4)));
typedef uint8_t VB __attribute__((vector_size(LANES)));

INLINE VD FN(sel)(VL m, VD a, VD b) { return (VD)(((VL)a & m) | ((VL)b & ~m)); }
INLINE VD FN(splat)(double x) { return (VD){0} + x; }
INLINE VU FN(splatu)(uint32_t x) { return (VU){0} + x; }
INLINE VD FN(fabs)(VD x) { return (VD)((VL)x & (int64_t)0x7FFFFFFFFFFFFFFF); }
INLINE int FN(any)(VL m) {
  int r = 0;
  for (int k = 0; k < LANES; k++) r |= m[k] != 0;
  return r;
}
INLINE VD FN(load)(const double *p) {
  VD v;
  memcpy(&v, p, sizeof v);
  return v;
}
// Lanes 0 … n − 1 of v to dst[from …].
INLINE void FN(store)(double *dst, long from, long n, VD v) {
  if (n == LANES) {
    memcpy(dst + from, &v, sizeof v);
    return;
  }
  for (long k = 0; k < n; k++) dst[from + k] = v[k];
}
// Swift.max(a, x) and Swift.min(a, x) for a constant a: x >= a ? x : a and x < a ? x : a.
INLINE VD FN(maxs)(double a, VD x) { return FN(sel)(x >= a, x, FN(splat)(a)); }
INLINE VD FN(mins)(double a, VD x) { return FN(sel)(x < a, x, FN(splat)(a)); }
// libm's exp in the lanes of `m`, x elsewhere (Swift's `expDouble`).
INLINE VD FN(exp_lanes)(VL m, VD x) {
  for (int k = 0; k < LANES; k++) {
    if (m[k]) x[k] = exp(x[k]);
  }
  return x;
}

// Hash.smooth.
INLINE VD FN(smooth)(VD t) { return t * t * (3.0 - 2.0 * t); }

// UInt32(truncatingIfNeeded: Int(f)) of an integral f with |f| < 2^51: its low 32 bits,
// read from the mantissa of f + 1.5·2^52 (exact).
INLINE VU FN(low32)(VD f) {
  VD biased = f + 0x1.8p52;
  return __builtin_convertvector((VL)biased, VU);
}

// Hash.finish and the lattice value in [0, 1).
INLINE VD FN(lattice)(VU h) {
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  h *= 0x297A2D39u;
  h ^= h >> 15;
  return __builtin_convertvector(h, VD) * 0x1.0p-32;
}

// Hash.floorInt as a double: ⌊v⌋ (+0 for −0), for |v| < 10¹⁵.
INLINE VD FN(floor)(VD v) { return __builtin_elementwise_floor(v) + 0.0; }

// One axis of a noise cell: the smoothed offset in the cell and the hash factors of the
// cell's two lattice lines, UInt32(truncatingIfNeeded: ⌊v⌋) and that + 1 times `factor`
// (`Hash.cell(of:)`, `Hash.latticeCorners`); clears the lanes of `inside` where |⌊v⌋| is not
// under 10¹⁵.
typedef struct {
  VD t;
  VU k0, k1;
} FN(axis_t);

INLINE FN(axis_t) FN(axis)(VD v, uint32_t factor, VL *inside) {
  VD f = FN(floor)(v);
  *inside &= FN(fabs)(f) < 1e15;
  VU i = FN(low32)(f);
  return (FN(axis_t)){FN(smooth)(v - f), i * factor, (i + 1u) * factor};
}

// The lanes where |v| < 10¹⁵ (the others' v becomes 0, to be replaced by the noise's 0.5).
INLINE VL FN(within)(VD *v) {
  VL inside = FN(fabs)(*v) < 1e15;
  *v = FN(sel)(inside, *v, FN(splat)(0));
  return inside;
}

// Hash.valueNoise2D (the cell cache aside: it keeps the same values), seed folded to 32 bits.
INLINE VD FN(noise2)(uint32_t s, VD x, VD y) {
  VL inside = FN(within)(&x) & FN(within)(&y);
  FN(axis_t) ax = FN(axis)(x, 0x27D4EB2Du, &inside);
  FN(axis_t) ay = FN(axis)(y, 0x165667B1u, &inside);
  VD a = FN(lattice)(s ^ ax.k0 ^ ay.k0);
  VD b = FN(lattice)(s ^ ax.k1 ^ ay.k0);
  VD c = FN(lattice)(s ^ ax.k0 ^ ay.k1);
  VD d = FN(lattice)(s ^ ax.k1 ^ ay.k1);
  // NoiseCell2D: the edges' x = 0 ends (a, c) and steps (b − a, d − c).
  VD top = a + (b - a) * ax.t;
  VD bottom = c + (d - c) * ax.t;
  return FN(sel)(inside, top + (bottom - top) * ay.t, FN(splat)(0.5));
}

// Hash.valueNoise(seed:_:) (3-D, trilinear) with each lane's own seed, folded to 32 bits.
INLINE VD FN(noise3)(VU s, VD x, VD y, VD z) {
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

// ProceduralTexture.detail of `frequency` over the footprint (spread, cosine): 1 up to a
// quarter of the cosine, 0 from the cosine on, the fade between (its divide and square root
// only when a lane needs them: most steps lie wholly on one side).
INLINE VD FN(detail)(double frequency, VD spread, VD cosine) {
  VD q2c = frequency * frequency * spread;
  VL coarse = q2c > 0.25 * cosine;
  VL fading = coarse & (q2c < cosine);
  VD k = FN(sel)(coarse, FN(splat)(0), FN(splat)(1));
  if (FN(any)(fading)) {
    VD t = 2.0 - 2.0 * __builtin_elementwise_sqrt(q2c / cosine);
    VD fade = t * t * (3.0 - 2.0 * t);
    k = FN(sel)(fading, fade, k);
  }
  return k;
}

// ProceduralTexture.octave with each lane's seed `s`: (noise − 0.5)·k where the detail k > 0,
// else 0 (the noise is looked up only when a lane needs it).
INLINE VD FN(octave)(VU s, VD px, VD py, VD pz, double frequency, VD spread, VD cosine) {
  VD k = FN(detail)(frequency, spread, cosine);
  VL needed = k > 0;
  if (!FN(any)(needed)) return FN(splat)(0);
  VD noise = FN(noise3)(s, px * frequency, py * frequency, pz * frequency);
  return FN(sel)(needed, (noise - 0.5) * k, FN(splat)(0));
}

// ProceduralTexture.feature's blend of a feature's `value` with its `mean` by its detail k: the
// value where k is 1, mean + (value − mean)·k where k is between, the mean outside `needed`
// (the lanes where k > 0).
INLINE VD FN(feature)(VL needed, VD k, VD value, double mean) {
  return FN(sel)(needed, FN(sel)(k == 1, value, mean + (value - mean) * k), FN(splat)(mean));
}

// ProceduralTexture.smoothstep.
INLINE VD FN(smoothstep)(double a, double b, VD x) {
  VD t = FN(mins)(1, FN(maxs)(0, (x - a) / (b - a)));
  return t * t * (3.0 - 2.0 * t);
}

// SurfaceBRDF.exp2Above.
INLINE VD FN(exp2above)(VD x, VD floor) {
  VD y = -x * 0.6931471805599453;
  VD t = 1.0 - y * 0.125;
  VD t2 = t * t;
  VD t4 = t2 * t2;
  VL bounded = (y >= 0) & (y <= 8) & (t4 * t4 >= floor * (1 + 1e-9));
  VL call = ~bounded;
  VD e = FN(splat)(0);
  if (FN(any)(call)) e = FN(exp_lanes)(call, x * 0.6931471805599453);
  return FN(sel)(bounded, floor, e);
}

// PrimaryHit.geometry of a hit at distance t along direction d from `origin`, with normal n:
// the view direction v (towards the camera), the point p and the distance; and its footprint
// (Shader.footprint): the spread (distance·rayAngle)² and the cosine.
typedef struct {
  VD vx, vy, vz, px, py, pz, distance, spread, cosine;
} FN(geometry_t);

INLINE FN(geometry_t) FN(geometry)(
  const double *origin, double rayAngle, VD t, VD nx, VD ny, VD nz, VD dx, VD dy, VD dz) {
  FN(geometry_t) G;
  VD length = __builtin_elementwise_sqrt(dx * dx + dy * dy + dz * dz);
  VD inverse = -1.0 / length;
  G.vx = dx * inverse, G.vy = dy * inverse, G.vz = dz * inverse;
  G.px = origin[0] + dx * t, G.py = origin[1] + dy * t, G.pz = origin[2] + dz * t;
  G.distance = t * length;
  VD across = G.distance * rayAngle;
  G.spread = across * across;
  G.cosine = FN(maxs)(0.05, FN(fabs)(nx * G.vx + ny * G.vy + nz * G.vz));
  return G;
}

// Shader.snowCovered with `cover` > 0: the albedo whitened where the normal's z is above 0.5.
INLINE void FN(snow)(double cover, VD nz, VD *ar, VD *ag, VD *ab) {
  VL up = nz > 0.5;
  if (!FN(any)(up)) return;
  VD u = FN(mins)(1, (nz - 0.5) / 0.35);
  VD s = cover * u * u * (3.0 - 2.0 * u);
  *ar = FN(sel)(up, *ar * (1.0 - s) + 0.82 * s, *ar);
  *ag = FN(sel)(up, *ag * (1.0 - s) + 0.82 * s, *ag);
  *ab = FN(sel)(up, *ab * (1.0 - s) + 0.82 * s, *ab);
}

// A colour's three channels in lanes.
typedef struct {
  VD r, g, b;
} FN(rgb_t);

// Shader.surface under light L of a surface's albedo (ar, ag, ab), roughness (as given to
// SurfaceBRDF) and metallic value m (already clamped to 0…1) at normal n seen along v (towards
// the camera): SurfaceBRDF.init, its environment term (SurfaceBRDF.environmentSpecular under
// Shader.ambientLight and the sky seen along the mirror direction) and the sun
// (SurfaceBRDF.reflectance) in the lanes of `lit` whose normal faces it.
INLINE FN(rgb_t) FN(surface)(
  const cshade_light *L, VD nx, VD ny, VD nz, VD vx, VD vy, VD vz, VL lit, VD ar, VD ag, VD ab, VD roughness, VD m) {
  const double *h = L->horizon, *z = L->zenith, *g = L->ground_radiance, *sm = L->sky_mean, *l = L->sun;
  FN(rgb_t) c;
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
  VD skyLight = L->ambient * (0.75 + 0.25 * nz);
  // The mirror direction's z: SurfaceBRDF.reflected.
  VD mz = nz * (2 * nv) - vz;
  VD w = __builtin_elementwise_sqrt(FN(maxs)(0, mz));
  VL above = mz >= 0;
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
  c.r = fr * (1.0 - sr) * skyLight + sr * envR;
  c.g = fg * (1.0 - sg) * skyLight + sg * envG;
  c.b = fb * (1.0 - sb) * skyLight + sb * envB;

  // The sun, SurfaceBRDF.reflectance.
  if (L->sun_strength > 0) {
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
      VD sun = L->sun_strength * nl;
      c.r = FN(sel)(lighted, c.r + qr * sun, c.r);
      c.g = FN(sel)(lighted, c.g + qg * sun, c.g);
      c.b = FN(sel)(lighted, c.b + qb * sun, c.b);
    }
  }
  return c;
}

// Shader.fogged under light L over `distance`.
INLINE FN(rgb_t) FN(fogged)(const cshade_light *L, VD distance, FN(rgb_t) c) {
  const double *h = L->horizon;
  VD keep = FN(exp_lanes)(FN(splat)(0) == 0, -L->extinction * distance);
  VD rest = 1.0 - keep;
  c.r = c.r * keep + h[0] * rest;
  c.g = c.g * keep + h[1] * rest;
  c.b = c.b * keep + h[2] * rest;
  return c;
}

// Pixels [from, from + LANES) of the hits; `n` of them are real (the rest repeat the last).
INLINE void FN(ground_step)(
  const cshade_ground_params *P, const cshade_ground_hits *H, long from, long n, const cshade_ground_out *O) {
  double buffer[8][LANES];
  const double *src[7] = {H->t, H->nx, H->ny, H->nz, H->dx, H->dy, H->dz};
  VD in[7];
  VL lit;
  {
    int64_t litLanes[LANES];
    for (int f = 0; f < 7; f++) {
      if (n == LANES) {
        in[f] = FN(load)(src[f] + from);
      } else {
        for (int k = 0; k < LANES; k++) buffer[f][k] = src[f][from + (k < n ? k : n - 1)];
        in[f] = FN(load)(buffer[f]);
      }
    }
    if (n == LANES) {
      // The bytes in one load, widened: a lane is all ones where its byte is not 0.
      VB bytes;
      memcpy(&bytes, H->lit + from, sizeof bytes);
      lit = __builtin_convertvector(bytes != 0, VL);
    } else {
      for (int k = 0; k < LANES; k++) litLanes[k] = H->lit[from + (k < n ? k : n - 1)] ? -1 : 0;
      memcpy(&lit, litLanes, sizeof lit);
    }
  }
  VD t = in[0], nx = in[1], ny = in[2], nz = in[3], dx = in[4], dy = in[5], dz = in[6];

  // PrimaryHit.geometry and Shader.footprint.
  FN(geometry_t) G = FN(geometry)(P->origin, P->ray_angle, t, nx, ny, nz, dx, dy, dz);
  VD vx = G.vx, vy = G.vy, vz = G.vz, px = G.px, py = G.py, pz = G.pz;
  VD distance = G.distance, spread = G.spread, cosine = G.cosine;

  VD ar, ag, ab, roughness;
  double metallic = 0;
  if (P->material == CSHADE_PLAIN) {
    // Shader.groundAlbedo, plain.
    VD coarseDetail = FN(detail)(0.7, spread, cosine);
    VL coarseNeeded = coarseDetail > 0;
    VD coarse = FN(splat)(0);
    if (FN(any)(coarseNeeded)) {
      coarse = FN(sel)(
        coarseNeeded, (FN(noise2)(0x6A09E667u, px * 0.7, py * 0.7) - 0.5) * coarseDetail, FN(splat)(0));
    }
    VD fineDetail = FN(detail)(6, spread, cosine);
    VL fineNeeded = fineDetail > 0;
    VD fine = FN(splat)(0);
    if (FN(any)(fineNeeded)) {
      fine = FN(sel)(fineNeeded, (FN(noise2)(0xBB67AE85u, px * 6, py * 6) - 0.5) * fineDetail, FN(splat)(0));
    }
    double strength = P->snow_cover > 0 ? 0.3 : 1;
    VD scale = 1.0 + strength * (0.25 * coarse + 0.12 * fine);
    ar = P->colour[0] * scale;
    ag = P->colour[1] * scale;
    ab = P->colour[2] * scale;
    roughness = FN(splat)(P->roughness);
  } else {
    // ProceduralTexture.sample with seed 0x5851F42D (Shader.stuffMaterial).
    VD v, offset;
    if (P->material == CSHADE_ASPHALT) {
      VD coarse = FN(octave)(FN(splatu)(0x5851F42Du ^ 0x11u), px, py, pz, 0.45, spread, cosine);
      VD mid = FN(octave)(FN(splatu)(0x5851F42Du ^ 0x12u), px, py, pz, 3.1, spread, cosine);
      // ProceduralTexture.feature with meanStones.
      const double mean = 0.1539;
      VD k = FN(detail)(55, spread, cosine);
      VL needed = k > 0;
      VD stones = FN(splat)(mean);
      if (FN(any)(needed)) {
        VD value = FN(smoothstep)(0.68, 0.8, FN(noise3)(FN(splatu)(0x5851F42Du ^ 0x13u), px * 55, py * 55, pz * 55));
        stones = FN(feature)(needed, k, value, mean);
      }
      v = 1.0 + 0.3 * coarse + 0.14 * mid + 0.75 * stones;
      offset = 0.05 * coarse - 0.08 * stones;
    } else {
      VD mid = FN(octave)(FN(splatu)(0x5851F42Du ^ 0x31u), px, py, pz, 2.2, spread, cosine);
      VD fine = FN(octave)(FN(splatu)(0x5851F42Du ^ 0x32u), px, py, pz, 40, spread, cosine);
      v = 1.0 + 0.05 * mid + 0.03 * fine;
      offset = 0.08 * mid;
    }
    VD tint = P->snow_cover > 0 ? 1.0 + (v - 1.0) * 0.3 : v;
    ar = P->colour[0] * tint;
    ag = P->colour[1] * tint;
    ab = P->colour[2] * tint;
    roughness = FN(mins)(1, FN(maxs)(0, P->roughness + offset));
    // Shader.snowCovered.
    if (P->snow_cover > 0) FN(snow)(P->snow_cover, nz, &ar, &ag, &ab);
    metallic = P->metallic;
  }

  // Shader.puddle.
  VD water = FN(splat)(0);
  if (P->wet) {
    if (P->puddle_cover > 0) {
      VD noise = 0.7 * FN(noise2)(0x3C6EF372u, px * 0.3, py * 0.3) + 0.3 * FN(noise2)(0xA54FF53Au, px * 1.1, py * 1.1);
      double threshold = 0.5 + 0.42 * (0.5 - P->puddle_cover);
      VD u = (noise - threshold) / 0.03;
      water = FN(sel)(u <= 0, FN(splat)(0), FN(sel)(u >= 1, FN(splat)(1), u * u * (3.0 - 2.0 * u)));
    }
    VD darken = 1.0 - 0.5 * water;
    ar = ar * darken;
    ag = ag * darken;
    ab = ab * darken;
  }
  if (O->albedo_r) {
    FN(store)(O->albedo_r, from, n, ar);
    FN(store)(O->albedo_g, from, n, ag);
    FN(store)(O->albedo_b, from, n, ab);
    FN(store)(O->roughness, from, n, roughness);
    FN(store)(O->water, from, n, water);
  }

  // SurfaceBRDF.init's metallic value, then Shader.surface and Shader.fogged.
  double m = isfinite(metallic) ? (metallic >= 0 ? (1 < metallic ? 1 : metallic) : 0) : 0;
  FN(rgb_t) c = FN(surface)(&P->light, nx, ny, nz, vx, vy, vz, lit, ar, ag, ab, roughness, FN(splat)(m));
  if (P->fog && P->light.extinction > 0) c = FN(fogged)(&P->light, distance, c);
  FN(store)(O->r, from, n, c.r);
  FN(store)(O->g, from, n, c.g);
  FN(store)(O->b, from, n, c.b);
}

ATTR static void FN(ground)(
  const cshade_ground_params *P, const cshade_ground_hits *H, long count, const cshade_ground_out *O) {
  for (long from = 0; from < count; from += LANES) {
    long n = count - from < LANES ? count - from : LANES;
    FN(ground_step)(P, H, from, n, O);
  }
}

// Shader.sky(directionZ: d.z / d.length) of `count` ray directions (x, y, z): the length as
// (x² + y²) + z² and its square root, the division, Swift.max(0, z) as z >= 0 ? z : 0 (NaN
// gives 0), its square root and the blend from the horizon to the zenith.
ATTR static void FN(sky)(
  const cshade_sky_params *P, const double *x, const double *y, const double *z, long count, double *r, double *g,
  double *b) {
  const double *h = P->horizon, *zen = P->zenith;
  double toZenith[3] = {zen[0] - h[0], zen[1] - h[1], zen[2] - h[2]};
  for (long from = 0; from < count; from += LANES) {
    long n = count - from < LANES ? count - from : LANES;
    VD dx, dy, dz;
    if (n == LANES) {
      dx = FN(load)(x + from);
      dy = FN(load)(y + from);
      dz = FN(load)(z + from);
    } else {
      double buffer[3][LANES];
      for (int k = 0; k < LANES; k++) {
        long i = from + (k < n ? k : n - 1);
        buffer[0][k] = x[i];
        buffer[1][k] = y[i];
        buffer[2][k] = z[i];
      }
      dx = FN(load)(buffer[0]);
      dy = FN(load)(buffer[1]);
      dz = FN(load)(buffer[2]);
    }
    VD unitZ = dz / __builtin_elementwise_sqrt(dx * dx + dy * dy + dz * dz);
    VD w = __builtin_elementwise_sqrt(FN(sel)(unitZ >= 0, unitZ, FN(splat)(0)));
    FN(store)(r, from, n, h[0] + toZenith[0] * w);
    FN(store)(g, from, n, h[1] + toZenith[1] * w);
    FN(store)(b, from, n, h[2] + toZenith[2] * w);
  }
}
