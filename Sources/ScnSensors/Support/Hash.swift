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
  /// key. Weaker than `mix` but ample for texture, and it runs for every pixel.
  @inline(__always)
  private static func lattice(_ seed: UInt64, _ x: Int, _ y: Int, _ z: Int) -> Double {
    var h = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
    h ^= UInt32(truncatingIfNeeded: x) &* 0x27D4_EB2D
    h ^= UInt32(truncatingIfNeeded: y) &* 0x1656_67B1
    h ^= UInt32(truncatingIfNeeded: z) &* 0x9E37_79B1
    h ^= h >> 15
    h &*= 0x2C1B_3C6D
    h ^= h >> 12
    h &*= 0x297A_2D39
    h ^= h >> 15
    return Double(h) * 0x1.0p-32
  }

  /// Smooth value noise in [0, 1): trilinear interpolation (smoothstep-weighted) of hashed
  /// lattice values.
  static func valueNoise(seed: UInt64, _ p: Vec3) -> Double {
    guard abs(p.x) < 1e15, abs(p.y) < 1e15, abs(p.z) < 1e15 else { return 0.5 }
    let ix = floorInt(p.x)
    let iy = floorInt(p.y)
    let iz = floorInt(p.z)
    let fx = Double(ix)
    let fy = Double(iy)
    let fz = Double(iz)
    guard abs(fx) < 1e15, abs(fy) < 1e15, abs(fz) < 1e15 else { return 0.5 }
    let tx = smooth(p.x - fx)
    let ty = smooth(p.y - fy)
    let tz = smooth(p.z - fz)
    func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double { a + (b - a) * t }
    let c00 = lerp(lattice(seed, ix, iy, iz), lattice(seed, ix + 1, iy, iz), tx)
    let c10 = lerp(lattice(seed, ix, iy + 1, iz), lattice(seed, ix + 1, iy + 1, iz), tx)
    let c01 = lerp(lattice(seed, ix, iy, iz + 1), lattice(seed, ix + 1, iy, iz + 1), tx)
    let c11 = lerp(lattice(seed, ix, iy + 1, iz + 1), lattice(seed, ix + 1, iy + 1, iz + 1), tx)
    return lerp(lerp(c00, c10, ty), lerp(c01, c11, ty), tz)
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
    let a = cell.corners.x
    let b = cell.corners.y
    let c = cell.corners.z
    let d = cell.corners.w
    let top = a + (b - a) * tx
    let bottom = c + (d - c) * tx
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
    var h = SIMD4<UInt32>(s ^ x0 ^ y0, s ^ x1 ^ y0, s ^ x0 ^ y1, s ^ x1 ^ y1)
    h ^= h &>> 15
    h &*= SIMD4(repeating: 0x2C1B_3C6D)
    h ^= h &>> 12
    h &*= SIMD4(repeating: 0x297A_2D39)
    h ^= h &>> 15
    return SIMD4(
      Double(h[0]) * 0x1.0p-32, Double(h[1]) * 0x1.0p-32, Double(h[2]) * 0x1.0p-32, Double(h[3]) * 0x1.0p-32)
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
/// `valid` is false).
struct NoiseCell2D {
  var ix = 0
  var iy = 0
  var corners = SIMD4<Double>(repeating: 0)
  var valid = false

  init() {}

  init(ix: Int, iy: Int, corners: SIMD4<Double>) {
    self.ix = ix
    self.iy = iy
    self.corners = corners
    valid = true
  }
}

/// The four noise cells of the camera's ground (`Shader.groundAlbedo` and `Shader.puddle`),
/// kept per tile of one thread.
struct GroundNoiseCells {
  var coarse = NoiseCell2D()
  var fine = NoiseCell2D()
  var puddleLow = NoiseCell2D()
  var puddleHigh = NoiseCell2D()
}
