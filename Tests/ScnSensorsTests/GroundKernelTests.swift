import CDevelop
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `GroundKernel` (the `CShade` C kernel) shades ground and road-paint pixels in SIMD lanes:
/// each of its paths (AVX-512, AVX2, portable, and the automatic choice) must give the bits
/// of `Shader.groundSurface` (and `Shader.fogged`), the Swift code, for every pixel of a
/// batch, over random hits, footprints, normals, sun and sky settings, fog, rain and snow.
@Suite struct GroundKernelTests {
  static let paths = [CDEVELOP_PATH_AUTO, CDEVELOP_PATH_PORTABLE, CDEVELOP_PATH_AVX2, CDEVELOP_PATH_AVX512].map { Int32($0) }

  /// A uniform double in [lower, upper) from `key`.
  static func uniform(_ key: UInt64, _ lower: Double, _ upper: Double) -> Double {
    lower + (upper - lower) * Hash.unit(Hash.mix(key))
  }

  /// A hit of a camera at `origin`: mostly the level ground (normal up, a ray pointing down,
  /// met at z ≈ 0), some with tilted or random normals, grazing rays, far hits, or special
  /// values.
  static func hit(_ i: Int, seed: UInt64, origin: Vec3) -> (t: Double, normal: Vec3, direction: Vec3, lit: Bool) {
    let key = Hash.combine(seed, UInt64(i))
    func u(_ c: UInt64, _ a: Double, _ b: Double) -> Double { uniform(Hash.combine(key, c), a, b) }
    // Forward component about 1, as the camera's ray table gives.
    var direction = Vec3(u(1, 0.6, 1.2), u(2, -0.9, 0.9), u(3, -0.9, -0.002))
    if i % 11 == 3 { direction = Vec3(u(1, -1, 1), u(2, -1, 1), u(3, -1, 1)) }
    var t = -origin.z / direction.z
    if !(t > 0) || !t.isFinite { t = u(4, 0.1, 300) }
    var normal = Vec3(0, 0, 1)
    switch i % 7 {
    case 2: normal = Vec3(u(5, -0.3, 0.3), u(6, -0.3, 0.3), 1).normalized
    case 5: normal = Vec3(u(5, -1, 1), u(6, -1, 1), u(7, -1, 1)).normalized
    default: break
    }
    if i % 29 == 7 { t *= 1e3 }
    if i % 31 == 9 { t = 1e16 }  // beyond the noise's range
    if i % 37 == 11 { direction = .zero }
    if i % 41 == 13 { t = .nan }
    return (t, normal, direction, Hash.mix(key) & 3 != 0)
  }

  /// Shader settings across the kernel's branches.
  static let environments: [Environment] = [
    Environment(),
    Environment(sunDirection: Vec3(0.3, -0.5, 0.8), fogExtinction: 0.004, skyColour: RGB(0.6, 0.7, 0.9)),
    Environment(sunDirection: Vec3(-0.8, 0.1, 0.03), precipitation: .rain(millimetresPerHour: 4)),
    Environment(sunDirection: Vec3(0.2, 0.9, 0.4), fogExtinction: 0.02, precipitation: .rain(millimetresPerHour: 30)),
    Environment(sunDirection: Vec3(0.5, 0.5, 0.6), precipitation: .snow(millimetresPerHour: 0.3)),
    Environment(sunDirection: Vec3(0.1, 0.1, -0.4), fogExtinction: 0.05, ambientFraction: 0.9),
    Environment(groundColour: RGB(0.2, 0.25, 0.18), ambientFraction: 0),
  ]

  static var looks: [StuffLook?] {
    var metal = StuffLook(Stuff.material(of: .marking))
    metal.metallic = 0.6
    metal.roughness = 0.05
    var odd = StuffLook(Stuff.material(of: .asphalt))
    odd.metallic = .nan
    odd.roughness = 1
    return [nil, StuffLook(Stuff.material(of: .asphalt)), StuffLook(Stuff.material(of: .marking)), metal, odd]
  }

  static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern }
  static func same(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool { same(a.x, b.x) && same(a.y, b.y) && same(a.z, b.z) }

  /// Runs a kernel on every path (`paths`), with and without fog, over `count` hits handed over
  /// in pieces of `piece` through `HitColumns`: `shade(path, fog, columns, start, n)` fills the
  /// columns with hits start ..< start + n and shades them, `differs(path, fog, columns, k, i)`
  /// describes how the piece's k-th result (hit i) differs from the Swift code's bits (nil when
  /// it does not). Records the first three differences; the number of differing hits.
  static func forEveryPath(
    count: Int, piece: Int, shade: (Int32, Bool, HitColumns, Int, Int) -> Void,
    differs: (Int32, Bool, HitColumns, Int, Int) -> String?
  ) -> Int {
    var mismatches = 0
    for path in paths {
      for fog in [false, true] {
        HitColumns.withColumns(stride: piece) { columns in
          var start = 0
          while start < count {
            let n = Swift.min(piece, count - start)
            shade(path, fog, columns, start, n)
            for k in 0..<n {
              guard let difference = differs(path, fog, columns, k, start + k) else { continue }
              mismatches += 1
              if mismatches <= 3 { Issue.record(Comment(rawValue: difference)) }
            }
            start += n
          }
        }
      }
    }
    return mismatches
  }

  /// A hit of a 640 x 480 camera with a 70° field of view at `origin`, looking along x at the
  /// level ground: pixel `i` of every tenth row of the image's lower half, in row order, so
  /// that neighbouring pixels (and a vector step's lanes) lie together on the ground, as in a
  /// rendered frame.
  static func cameraHit(_ i: Int, seed: UInt64, origin: Vec3) -> (t: Double, normal: Vec3, direction: Vec3, lit: Bool) {
    let focal = 457.0  // 320 / tan 35°, in pixels
    let row = 240 + 10 * (i / 640)
    let column = i % 640
    let direction = Vec3(1, (320 - Double(column) - 0.5) / focal, (240 - Double(row) - 0.5) / focal)
    let key = Hash.combine(seed, UInt64(i))
    return (-origin.z / direction.z, Vec3(0, 0, 1), direction, Hash.mix(key) % 10 != 0)
  }

  /// Every path against the Swift code for `count` hits of each look, with and without fog,
  /// the hits handed over in pieces of `piece`; the number of differing hits.
  static func check(
    environment: Environment, rayAngle: Double, count: Int, piece: Int, seed: UInt64, camera: Bool = false
  ) -> Int {
    let shader = Shader(environment: environment, lamps: LampSet([], environment: environment) { _ in nil }, rayAngle: rayAngle)
    let origin = Vec3(uniform(seed, -50, 50), uniform(seed &+ 1, -50, 50), uniform(seed &+ 2, 0.3, 3))
    let hits = (0..<count).map { camera ? cameraHit($0, seed: seed, origin: origin) : hit($0, seed: seed, origin: origin) }
    var mismatches = 0
    for look in looks {
      // The Swift reference, a pixel at a time.
      var cells = GroundNoiseCells()
      let expected: [GroundSurface?] = hits.map { h in
        let hit = RayHit(t: h.t, surface: .ground, normal: h.normal, materialSlot: -1, uv: nil)
        let primary = PrimaryHit(hit: hit, direction: h.direction, litSide: h.lit)
        guard let g = primary.geometry(from: origin, shader: shader) else { return nil }
        return shader.groundSurface(g, litSide: h.lit, look: look, cells: &cells)
      }
      mismatches += forEveryPath(count: count, piece: piece) { path, fog, columns, start, n in
        for k in 0..<n {
          let h = hits[start + k]
          columns.set(k, t: h.t, normal: h.normal, direction: h.direction, litSide: h.lit)
        }
        guard var kernel = GroundKernel(shader: shader, look: look, origin: origin, fog: fog) else {
          Issue.record("the kernel covers the outdoor ground and asphalt and paint")
          return
        }
        kernel.path = path
        kernel.shade(columns, count: n, material: !fog)
      } differs: { path, fog, columns, k, i in
        guard let e = expected[i] else { return nil }
        let h = hits[i]
        let colour = fog ? shader.fogged(e.colour, distance: h.t * h.direction.length) : e.colour
        var ok = same(columns.colour(k), colour)
        if !fog {
          ok = ok && same(columns.albedo(k), e.albedo) && same(columns.roughness(k), e.roughness)
            && same(columns.water(k), e.water)
        }
        return ok
          ? nil
          : "path \(path) fog \(fog) look \(String(describing: look?.texture)) hit \(i) \(h): \(columns.colour(k)) vs \(colour); albedo \(columns.albedo(k)) vs \(e.albedo), roughness \(columns.roughness(k)) vs \(e.roughness), water \(columns.water(k)) vs \(e.water)"
      }
    }
    return mismatches
  }

  /// Expects `check(environment, rayAngle, seed)` to find no differing hit in environment
  /// `index` for no detail fade (0), a 640-pixel camera's ray (about 1.9 mrad) and a coarse one.
  static func expectEveryRayAngle(environment index: Int, _ check: (Environment, Double, UInt64) -> Int) {
    for (j, rayAngle) in [0, 0.0019, 0.02].enumerated() {
      #expect(check(environments[index], rayAngle, UInt64(index * 10 + j)) == 0)
    }
  }

  @Test(arguments: 0..<7)
  func everyPathGivesTheSwiftBits(environment index: Int) {
    Self.expectEveryRayAngle(environment: index) {
      Self.check(environment: $0, rayAngle: $1, count: 600, piece: 256, seed: $2)
    }
  }

  /// A camera's ground pixels in row order (rows near and far, the texture octaves' fades
  /// crossing them), as a frame hands them over: the kernel skips a fade's divide and square
  /// root when a step's lanes all lie on one side of it, which random hits seldom do.
  @Test(arguments: [0, 1, 4])
  func cameraRowsGiveTheSwiftBits(environment index: Int) {
    let seed = UInt64(700 + index)
    // 24 rows, in pieces of 256 as `shadeGround` hands them.
    #expect(
      Self.check(
        environment: Self.environments[index], rayAngle: 0.0019, count: 640 * 24, piece: 256, seed: seed, camera: true)
        == 0)
  }

  /// Pieces that do not fill the vector steps (1, 3, 7, 13 pixels) give the same bits.
  @Test func anyPieceGivesTheSwiftBits() {
    for piece in [1, 3, 7, 13] {
      #expect(Self.check(environment: Self.environments[3], rayAngle: 0.0019, count: 40, piece: piece, seed: 99) == 0)
    }
  }

  /// The kernel leaves the indoor concrete floor and other paint textures to the Swift code.
  @Test func coversOnlyItsTextures() {
    let indoor = Environment(indoor: true)
    let shader = Shader(environment: indoor, lamps: LampSet([], environment: indoor) { _ in nil })
    #expect(GroundKernel(shader: shader, look: nil, origin: .zero, fog: true) == nil)
    #expect(GroundKernel(shader: shader, look: StuffLook(Stuff.material(of: .asphalt)), origin: .zero, fog: true) != nil)
    #expect(GroundKernel(shader: shader, look: StuffLook(Stuff.sidewalkConcrete), origin: .zero, fog: true) == nil)
  }
}
