import ScnGeometry

/// Deterministic hashing for procedural texture and noise: every value is a pure function of
/// its key (seed, pixel or ray index, instance id, lattice cell), never of thread or time.
enum Hash {
  /// SplitMix64's finaliser: a bijective 64-bit mix with full avalanche.
  @inline(__always)
  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 { mix(a ^ (b &* 0xD6E8_FEB8_6659_FD93)) }

  /// Uniform in [0, 1) from the top 53 bits.
  @inline(__always)
  static func unit(_ h: UInt64) -> Double { Double(h >> 11) * 0x1.0p-53 }

  /// A standard normal variate: Φ⁻¹ of a uniform in (0, 1) hashed from `key` (the
  /// midpoint of one of 2^53 equal cells, so never 0 or 1). See `NormalQuantile`.
  @inline(__always)
  static func gaussian(_ key: UInt64) -> Double {
    NormalQuantile.value((Double(mix(key) >> 11) + 0.5) * 0x1.0p-53)
  }

  /// Lattice value in [0, 1) for texture: one 32-bit multiply–xorshift round over a packed
  /// key (the seed folded to 32 bits, xor each coordinate times its own odd constant). Weaker
  /// than `mix` but ample for texture, and it runs for every pixel. `valueNoise` and
  /// `latticeCorners` hash the same keys several at a time, side by side in SIMD lanes.
  @inline(__always)
  private static func finish<V: SIMD>(_ key: V) -> V where V.Scalar == UInt32 {
    var h = key
    h ^= h &>> 15
    h &*= V(repeating: 0x2C1B_3C6D)
    h ^= h &>> 12
    h &*= V(repeating: 0x297A_2D39)
    h ^= h &>> 15
    return h
  }

  /// Smooth value noise in [0, 1): trilinear interpolation (smoothstep-weighted) of hashed
  /// lattice values, the eight corners of the cell hashed side by side.
  static func valueNoise(seed: UInt64, _ p: Vec3) -> Double {
    guard let c = cell(of: p) else { return 0.5 }
    return trilinear(latticeCorners(seed: seed, c.ix, c.iy, c.iz), c.tx, c.ty, c.tz)
  }

  /// `valueNoise(seed:_:)` keeping the lattice values of the last cell looked up in `cell`,
  /// reused when `p` falls in the same cell with the same seed (the same value either way:
  /// the corners are a pure function of the seed and the cell). For the octaves of the
  /// textures, whose cells span neighbouring pixels (`TextureNoiseCells`).
  @inline(__always)
  static func valueNoise(seed: UInt64, _ p: Vec3, cell kept: inout NoiseCell3D) -> Double {
    guard let c = cell(of: p) else { return 0.5 }
    if c.ix != kept.ix || c.iy != kept.iy || c.iz != kept.iz || seed != kept.seed || !kept.valid {
      kept = NoiseCell3D(seed: seed, ix: c.ix, iy: c.iy, iz: c.iz, corners: latticeCorners(seed: seed, c.ix, c.iy, c.iz))
    }
    return trilinear(low: kept.low, step: kept.step, c.tx, c.ty, c.tz)
  }

  /// The lattice cell holding `p` and the smoothed offsets in it; nil unless every
  /// coordinate is under 10¹⁵ in magnitude (the noise is then 0.5).
  @inline(__always)
  private static func cell(
    of p: Vec3
  ) -> (ix: Int, iy: Int, iz: Int, tx: Double, ty: Double, tz: Double)? {
    guard abs(p.x) < 1e15, abs(p.y) < 1e15, abs(p.z) < 1e15 else { return nil }
    let ix = floorInt(p.x)
    let iy = floorInt(p.y)
    let iz = floorInt(p.z)
    let fx = Double(ix)
    let fy = Double(iy)
    let fz = Double(iz)
    guard abs(fx) < 1e15, abs(fy) < 1e15, abs(fz) < 1e15 else { return nil }
    return (ix, iy, iz, smooth(p.x - fx), smooth(p.y - fy), smooth(p.z - fz))
  }

  /// The lattice values at the corners of cell (ix, iy, iz), lanes (ix, ix + 1) ×
  /// (iy, iy + 1) × (iz, iz + 1), x fastest.
  @inline(__always)
  private static func latticeCorners(seed: UInt64, _ ix: Int, _ iy: Int, _ iz: Int) -> SIMD8<Double> {
    let s = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    let x0 = UInt32(truncatingIfNeeded: ix) &* 0x27D4_EB2D
    let x1 = UInt32(truncatingIfNeeded: ix &+ 1) &* 0x27D4_EB2D
    let y0 = UInt32(truncatingIfNeeded: iy) &* 0x1656_67B1
    let y1 = UInt32(truncatingIfNeeded: iy &+ 1) &* 0x1656_67B1
    let z0 = s ^ (UInt32(truncatingIfNeeded: iz) &* 0x9E37_79B1)
    let z1 = s ^ (UInt32(truncatingIfNeeded: iz &+ 1) &* 0x9E37_79B1)
    let h = finish(
      SIMD8<UInt32>(
        x0 ^ y0 ^ z0, x1 ^ y0 ^ z0, x0 ^ y1 ^ z0, x1 ^ y1 ^ z0, x0 ^ y0 ^ z1, x1 ^ y0 ^ z1, x0 ^ y1 ^ z1,
        x1 ^ y1 ^ z1))
    return SIMD8<Double>(h) * 0x1.0p-32
  }

  /// Trilinear interpolation of `latticeCorners` at smoothed offsets (tx, ty, tz): along x,
  /// then y, then z, each a + (b − a)·t.
  @inline(__always)
  private static func trilinear(_ v: SIMD8<Double>, _ tx: Double, _ ty: Double, _ tz: Double) -> Double {
    let x = alongX(v)
    return trilinear(low: x.low, step: x.step, tx, ty, tz)
  }

  /// The four edges of a cell along x, from `latticeCorners`: their x = 0 ends a (lanes 0,
  /// 2, 4, 6) and b − a (b the x = 1 ends), which `NoiseCell3D` keeps so that a reused cell
  /// starts at the interpolation along x.
  @inline(__always)
  static func alongX(_ v: SIMD8<Double>) -> (low: SIMD4<Double>, step: SIMD4<Double>) {
    let a = SIMD4(v[0], v[2], v[4], v[6])
    let b = SIMD4(v[1], v[3], v[5], v[7])
    return (a, b - a)
  }

  /// `trilinear` from the cell's edges along x (`alongX`): the same operations, so the same
  /// bits.
  @inline(__always)
  private static func trilinear(
    low a: SIMD4<Double>, step: SIMD4<Double>, _ tx: Double, _ ty: Double, _ tz: Double
  ) -> Double {
    let c = a + step * tx
    let lowY = SIMD2(c[0], c[2])
    let highY = SIMD2(c[1], c[3])
    let e = lowY + (highY - lowY) * ty
    return e[0] + (e[1] - e[0]) * tz
  }

  /// 2-D value noise (bilinear, smoothstep-weighted), for the ground: the ground texture and
  /// the puddles evaluate it four times for most pixels of a street scene in rain. `cell`
  /// keeps the lattice values of the last cell looked up, reused when (x, y) falls in the
  /// same cell, as the camera's neighbouring ground pixels mostly do, so most calls skip the
  /// hashing; the value is the same either way (the corners are a pure function of the seed
  /// and the cell). One `cell` must serve one seed only.
  @inline(__always)
  static func valueNoise2D(seed: UInt64, _ x: Double, _ y: Double, cell: inout NoiseCell2D) -> Double {
    guard abs(x) < 1e15, abs(y) < 1e15 else { return 0.5 }
    let ix = floorInt(x)
    let iy = floorInt(y)
    let fx = Double(ix)
    let fy = Double(iy)
    guard abs(fx) < 1e15, abs(fy) < 1e15 else { return 0.5 }
    let tx = smooth(x - fx)
    let ty = smooth(y - fy)
    if ix != cell.ix || iy != cell.iy || !cell.valid {
      cell = NoiseCell2D(ix: ix, iy: iy, corners: latticeCorners(seed: seed, ix, iy))
    }
    // The top edge a + (b − a)·tx and the bottom edge c + (d − c)·tx side by side.
    let edges = cell.low + cell.step * tx
    let top = edges.x
    let bottom = edges.y
    return top + (bottom - top) * ty
  }

  /// `lattice(seed, x, y, 0)` at the corners (ix, iy), (ix + 1, iy), (ix, iy + 1),
  /// (ix + 1, iy + 1), hashed side by side in one SIMD register.
  @inline(never)
  private static func latticeCorners(seed: UInt64, _ ix: Int, _ iy: Int) -> SIMD4<Double> {
    let s = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    let x0 = UInt32(truncatingIfNeeded: ix) &* 0x27D4_EB2D
    let x1 = UInt32(truncatingIfNeeded: ix &+ 1) &* 0x27D4_EB2D
    let y0 = UInt32(truncatingIfNeeded: iy) &* 0x1656_67B1
    let y1 = UInt32(truncatingIfNeeded: iy &+ 1) &* 0x1656_67B1
    let h = finish(SIMD4<UInt32>(s ^ x0 ^ y0, s ^ x1 ^ y0, s ^ x0 ^ y1, s ^ x1 ^ y1))
    return SIMD4<Double>(h) * 0x1.0p-32
  }

  /// ⌊v⌋ for |v| < 1e15 (callers check), without a libm call: `rounded(.down)` is a call to
  /// `floor` on baseline x86-64 (no SSE4.1 `roundsd`).
  @inline(__always)
  static func floorInt(_ v: Double) -> Int {
    let i = Int(v)  // truncates towards zero
    return Double(i) > v ? i - 1 : i
  }

  @inline(__always)
  private static func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
}

/// The lattice values of the cell a cached `Hash.valueNoise2D` looked up last (none yet when
/// `valid` is false), as its two edges along x: their x = 0 ends (a, c) and their steps
/// (b − a, d − c) for corners a, b (top) and c, d (bottom) in `latticeCorners`' order.
struct NoiseCell2D {
  var ix = 0
  var iy = 0
  var low = SIMD2<Double>(repeating: 0)
  var step = SIMD2<Double>(repeating: 0)
  var valid = false

  init() {}

  init(ix: Int, iy: Int, corners: SIMD4<Double>) {
    self.ix = ix
    self.iy = iy
    low = SIMD2(corners.x, corners.z)
    step = SIMD2(corners.y - corners.x, corners.w - corners.z)
    valid = true
  }
}

/// The lattice values of the cell a cached `Hash.valueNoise(seed:_:cell:)` looked up last,
/// as its edges along x (`Hash.alongX`), and its seed (none yet when `valid` is false).
struct NoiseCell3D {
  var seed: UInt64 = 0
  var ix = 0
  var iy = 0
  var iz = 0
  var low = SIMD4<Double>(repeating: 0)
  var step = SIMD4<Double>(repeating: 0)
  var valid = false

  init() {}

  init(seed: UInt64, ix: Int, iy: Int, iz: Int, corners: SIMD8<Double>) {
    self.seed = seed
    self.ix = ix
    self.iy = iy
    self.iz = iz
    (low, step) = Hash.alongX(corners)
    valid = true
  }
}

/// The noise cells of the camera's ground (`Shader.groundAlbedo` and `Shader.puddle`) and of
/// the octaves of the procedural textures (`ProceduralTexture.sample`), kept per tile
/// of one thread.
struct GroundNoiseCells {
  var coarse = NoiseCell2D()
  var fine = NoiseCell2D()
  var puddleLow = NoiseCell2D()
  var puddleHigh = NoiseCell2D()
  var texture = TextureNoiseCells()
}

/// One cell per texture octave and per noise feature. The coarse octaves' cells span many
/// pixels; the fine ones' (stones, pores, grain: 1–4 cm) still span neighbouring pixels up
/// close, the only place those octaves are evaluated (farther away they fade to their mean,
/// `ProceduralTexture.detail`).
struct TextureNoiseCells {
  var plain = NoiseCell3D()
  var plainFine = NoiseCell3D()
  var asphaltCoarse = NoiseCell3D()
  var asphaltMid = NoiseCell3D()
  var asphaltStones = NoiseCell3D()
  var concreteCoarse = NoiseCell3D()
  var concreteMid = NoiseCell3D()
  var concreteFine = NoiseCell3D()
  var concretePores = NoiseCell3D()
  var paint = NoiseCell3D()
  var paintFine = NoiseCell3D()
  var wood = NoiseCell3D()
  var woodWarp = NoiseCell3D()
  var woodFibre = NoiseCell3D()
  var cardboard = NoiseCell3D()
  var cardboardFibre = NoiseCell3D()
  var fabric = NoiseCell3D()
  var fabricFine = NoiseCell3D()
  var skin = NoiseCell3D()
  var skinFine = NoiseCell3D()
}
