import CDevelop
import CShade
import ScnGeometry
import ScnScene

/// The ground's surface at a primary hit before lamps, wet reflection and fog
/// (`Shader.groundSurface`): the radiance from the sun and sky, the BRDF and its inputs, and
/// the standing water.
struct GroundSurface {
  var colour: SIMD3<Double>
  /// The albedo after the puddles' darkening and the roughness `brdf` was built from.
  var albedo: SIMD3<Double>
  var roughness: Double
  var brdf: SurfaceBRDF
  var water: Double
}

extension Shader {
  /// The plain ground's (`look` nil) or a road paint's surface at hit `g`: the texture
  /// (`groundAlbedo`, or `stuffMaterial` and `snowCovered`), the puddles in rain, the BRDF and
  /// the sun and sky (`surface`). The reference for `GroundKernel`, which gives the same bits;
  /// `cells` as for `groundAlbedo`.
  @inline(__always)
  func groundSurface(_ g: HitGeometry, litSide: Bool, look: StuffLook?, cells: inout GroundNoiseCells) -> GroundSurface {
    let (n, point, view, footprint) = (g.normal, g.point, g.view, g.footprint)
    var albedo: SIMD3<Double>
    var roughness = Self.groundRoughness
    var metallic = 0.0
    if let look {
      let m = stuffMaterial(look, at: point, normal: n, footprint: footprint, cells: &cells.texture)
      albedo = snowCovered(m.colour, normal: n)
      roughness = m.roughness
      metallic = look.metallic
    } else {
      albedo = groundAlbedo(at: point, footprint: footprint, cells: &cells)
    }
    let water = wet ? puddle(at: point, cells: &cells) : 0
    if wet { albedo *= 1 - 0.5 * water }
    let brdf = SurfaceBRDF(base: albedo, roughness: roughness, metallic: metallic, normal: n, view: view)
    return GroundSurface(
      colour: surface(brdf, sunVisible: litSide), albedo: albedo, roughness: roughness, brdf: brdf, water: water)
  }
}

extension cshade_light {
  /// The sun, ambient light, sky and fog of `shader`, as the CShade kernels read them.
  init(_ shader: Shader) {
    let (h, z) = (shader.horizon, shader.zenith)
    self.init(
      sun: (shader.sunDirection.x, shader.sunDirection.y, shader.sunDirection.z), sun_strength: shader.sunStrength,
      ambient: shader.ambient, horizon: (h.x, h.y, h.z), zenith: (z.red, z.green, z.blue),
      ground_radiance: (shader.groundRadiance.x, shader.groundRadiance.y, shader.groundRadiance.z),
      sky_mean: (shader.skyMean.x, shader.skyMean.y, shader.skyMean.z), extinction: shader.extinction)
  }
}

/// `Shader.groundSurface` for many hits at once in `CShade` (C; AVX-512 or AVX2 lanes where
/// the processor has them), with the same bits. Covers the plain outdoor ground and the
/// asphalt and paint textures; nil for anything else (the indoor concrete ground, another
/// paint texture), which the Swift code shades.
struct GroundKernel {
  var params: cshade_ground_params
  /// Which `CShade` path runs (`CDEVELOP_PATH_AUTO`: the best the processor has; tests force
  /// the others).
  var path = Int32(CDEVELOP_PATH_AUTO)
  /// The metallic value `SurfaceBRDF` is given (the paint's, 0 for plain ground).
  let metallic: Double

  /// Pixels per call of `shade` in `SceneIntersector.shadeGround`: bounds its buffers.
  static let chunk = 256

  init?(shader: Shader, look: StuffLook?, origin: Vec3, fog: Bool) {
    let material: Int32
    let colour: SIMD3<Double>
    let roughness: Double
    if let look {
      switch look.texture {
      case .asphalt: material = Int32(CSHADE_ASPHALT)
      case .paint: material = Int32(CSHADE_PAINT)
      default: return nil
      }
      colour = look.colour
      roughness = look.roughness
      metallic = look.metallic
    } else {
      guard shader.groundTexture == .plain else { return nil }
      material = Int32(CSHADE_PLAIN)
      let c = shader.environment.groundColour
      colour = SIMD3(c.red, c.green, c.blue)
      roughness = Shader.groundRoughness
      metallic = 0
    }
    params = cshade_ground_params(
      origin: (origin.x, origin.y, origin.z), ray_angle: shader.rayAngle, material: material, fog: fog ? 1 : 0,
      wet: shader.wet ? 1 : 0, reserved: 0, colour: (colour.x, colour.y, colour.z), roughness: roughness,
      metallic: metallic, snow_cover: shader.snowCover, puddle_cover: shader.puddleCover, light: cshade_light(shader))
  }

  /// Shades `count` hits whose fields are in `columns` (`HitColumns`), writing into its
  /// outputs; the albedo, roughness and water only with `material`.
  func shade(_ columns: HitColumns, count: Int, material: Bool) {
    guard count > 0 else { return }
    let c = columns.base
    let s = columns.stride
    var hits = cshade_ground_hits(
      t: c, nx: c + s, ny: c + 2 * s, nz: c + 3 * s, dx: c + 4 * s, dy: c + 5 * s, dz: c + 6 * s,
      lit: UnsafePointer(columns.lit))
    var out = cshade_ground_out(
      r: c + 7 * s, g: c + 8 * s, b: c + 9 * s, albedo_r: material ? c + 10 * s : nil,
      albedo_g: material ? c + 11 * s : nil, albedo_b: material ? c + 12 * s : nil,
      roughness: material ? c + 13 * s : nil, water: material ? c + 14 * s : nil)
    var p = params
    cshade_ground(&p, &hits, count, &out, path)
  }
}

/// `Shader.sky(directionZ: d.z / d.length)` for many ray directions at once in `CShade` (C;
/// AVX-512 or AVX2 lanes where the processor has them), with the same bits.
struct SkyKernel {
  var params: cshade_sky_params
  /// Which `CShade` path runs (`CDEVELOP_PATH_AUTO`: the best the processor has; tests force
  /// the others).
  var path = Int32(CDEVELOP_PATH_AUTO)

  init(shader: Shader) {
    let h = shader.horizon
    let z = shader.zenith
    params = cshade_sky_params(horizon: (h.x, h.y, h.z), zenith: (z.red, z.green, z.blue))
  }

  /// The sky along the `count` directions whose components are at `x`, `y` and `z`, into
  /// `red`, `green` and `blue`.
  func shade(
    x: UnsafePointer<Double>, y: UnsafePointer<Double>, z: UnsafePointer<Double>, count: Int,
    red: UnsafeMutablePointer<Double>, green: UnsafeMutablePointer<Double>, blue: UnsafeMutablePointer<Double>
  ) {
    guard count > 0 else { return }
    var p = params
    cshade_sky(&p, x, y, z, count, red, green, blue, path)
  }
}

/// The kernel's inputs and outputs in columns of `stride` doubles: t, the normal, the
/// direction, then the colour, the albedo, the roughness and the water (`GroundKernel.shade`),
/// and the hits' `litSide` as bytes.
struct HitColumns {
  static let columns = 15
  let base: UnsafeMutablePointer<Double>
  let lit: UnsafeMutablePointer<UInt8>
  let stride: Int

  // Column c of hit k (0 ≤ k < stride) at c · stride + k, inside the `columns` · stride
  // doubles `withColumns` allocates: no overflow to check.

  /// Stores hit `k`'s fields.
  @inline(__always)
  func set(_ k: Int, t: Double, normal: Vec3, direction: Vec3, litSide: Bool) {
    base[k] = t
    base[stride &+ k] = normal.x
    base[2 &* stride &+ k] = normal.y
    base[3 &* stride &+ k] = normal.z
    base[4 &* stride &+ k] = direction.x
    base[5 &* stride &+ k] = direction.y
    base[6 &* stride &+ k] = direction.z
    lit[k] = litSide ? 1 : 0
  }

  @inline(__always)
  func colour(_ k: Int) -> SIMD3<Double> {
    SIMD3(base[7 &* stride &+ k], base[8 &* stride &+ k], base[9 &* stride &+ k])
  }
  @inline(__always)
  func albedo(_ k: Int) -> SIMD3<Double> {
    SIMD3(base[10 &* stride &+ k], base[11 &* stride &+ k], base[12 &* stride &+ k])
  }
  @inline(__always)
  func roughness(_ k: Int) -> Double { base[13 &* stride &+ k] }
  @inline(__always)
  func water(_ k: Int) -> Double { base[14 &* stride &+ k] }

  /// Runs `body` with columns for `stride` hits in temporary memory.
  static func withColumns(stride: Int, _ body: (HitColumns) -> Void) {
    withUnsafeTemporaryAllocation(of: Double.self, capacity: columns * Swift.max(1, stride)) { doubles in
      withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Swift.max(1, stride)) { bytes in
        guard let base = doubles.baseAddress, let lit = bytes.baseAddress else { return }
        body(HitColumns(base: base, lit: lit, stride: stride))
      }
    }
  }
}
