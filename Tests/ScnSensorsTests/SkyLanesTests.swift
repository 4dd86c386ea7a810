import CDevelop
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `Shader.sky(_:_:)` shades two sky pixels at once in SIMD2 lanes (`shadeSky`): each must
/// get the bits of `sky(directionZ: d.z / d.length)`, the code it replaces, for directions
/// up, down, level, tiny, huge, zero, signed zero and NaN.
@Suite struct SkyLanesTests {
  static func same(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool {
    a.x.bitPattern == b.x.bitPattern && a.y.bitPattern == b.y.bitPattern && a.z.bitPattern == b.z.bitPattern
  }

  @Test func twoLanesGiveTheBitsOfOneAtATime() {
    var directions: [Vec3] = [
      Vec3(1, 0, 0), Vec3(1, 0, -0.0), Vec3(1, 0.3, 0.2), Vec3(1, -0.4, -0.3), Vec3(0, 0, 1), Vec3(0, 0, -1),
      Vec3(0, 0, 0), Vec3(1e-300, 0, 1e-300), Vec3(1e200, 1e200, 1e200), Vec3(.nan, 0, 1), Vec3(1, 0, .nan),
      Vec3(1, .infinity, 1), Vec3(-0.0, -0.0, -0.0),
    ]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<4000 {
      var c = [Double]()
      for _ in 0..<3 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        c.append(Double(state >> 11) / Double(1 << 53) * 2 - 1)
      }
      directions.append(Vec3(1, c[0], c[1] * 0.8))
    }
    let environments = [
      Environment(), Environment(sunDirection: Vec3(0.3, -0.5, 0.8), fogExtinction: 0.004, skyColour: RGB(0.6, 0.7, 0.9)),
    ]
    var mismatches = 0
    for environment in environments {
      let shader = Shader(environment: environment, lamps: LampSet([], environment: environment) { _ in nil })
      for k in directions.indices {
        let u = directions[k]
        let v = directions[(k * 7 + 3) % directions.count]
        let (first, second) = shader.sky(u, v)
        if !Self.same(first, shader.sky(directionZ: u.z / u.length)) { mismatches += 1 }
        if !Self.same(second, shader.sky(directionZ: v.z / v.length)) { mismatches += 1 }
      }
    }
    #expect(mismatches == 0)
  }

  /// `SkyKernel` (C; `shadeSky`) on every path (AVX-512, AVX2, portable, the automatic
  /// choice), in pieces that fill its vector steps or not, must give each direction the bits
  /// of `sky(directionZ: d.z / d.length)`.
  @Test func everyKernelPathGivesTheBitsOfOneAtATime() {
    var directions: [Vec3] = [
      Vec3(1, 0, 0), Vec3(1, 0, -0.0), Vec3(1, 0.3, 0.2), Vec3(1, -0.4, -0.3), Vec3(0, 0, 1), Vec3(0, 0, -1),
      Vec3(0, 0, 0), Vec3(1e-300, 0, 1e-300), Vec3(1e200, 1e200, 1e200), Vec3(.nan, 0, 1), Vec3(1, 0, .nan),
      Vec3(1, .infinity, 1), Vec3(-0.0, -0.0, -0.0), Vec3(0, 0, .infinity), Vec3(1, 0, -.infinity),
    ]
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    for _ in 0..<3000 {
      var c = [Double]()
      for _ in 0..<3 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        c.append(Double(state >> 11) / Double(1 << 53) * 2 - 1)
      }
      directions.append(Vec3(1, c[0], c[1] * 0.8))
    }
    let environments = [
      Environment(), Environment(sunDirection: Vec3(0.3, -0.5, 0.8), fogExtinction: 0.004, skyColour: RGB(0.6, 0.7, 0.9)),
    ]
    let paths = [CDEVELOP_PATH_AUTO, CDEVELOP_PATH_PORTABLE, CDEVELOP_PATH_AVX2, CDEVELOP_PATH_AVX512].map { Int32($0) }
    var mismatches = 0
    var checked = 0
    for environment in environments {
      let shader = Shader(environment: environment, lamps: LampSet([], environment: environment) { _ in nil })
      for path in paths {
        var kernel = SkyKernel(shader: shader)
        kernel.path = path
        for piece in [1, 3, 7, 13, 256] {
          var start = 0
          while start < directions.count {
            let part = Array(directions[start..<Swift.min(directions.count, start + piece)])
            let x = part.map(\.x), y = part.map(\.y), z = part.map(\.z)
            var red = [Double](repeating: 0, count: part.count)
            var green = red
            var blue = red
            kernel.shade(x: x, y: y, z: z, count: part.count, red: &red, green: &green, blue: &blue)
            for k in part.indices {
              let expected = shader.sky(directionZ: part[k].z / part[k].length)
              if !Self.same(SIMD3(red[k], green[k], blue[k]), expected) { mismatches += 1 }
              checked += 1
            }
            start += piece
          }
        }
      }
    }
    #expect(mismatches == 0 && checked > 100_000, "\(mismatches) of \(checked)")
  }
}
