import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `Develop.row` develops a row of pixels at a time (docs/scene-model.md, "Exposure, tone
/// curve and noise"): its bytes must be those of developing each pixel on its own, channel by
/// channel, with `NoiseVariates.variate` and `Shader.encode`, for every signal (negative,
/// zero, NaN, infinite, at and above the knee), with and without noise and white balance, and
/// for any cut of the row.
@Suite struct DevelopRowTests {
  /// The pixel-at-a-time reference: exposure, noise of variates 3i…3i + 2, white balance,
  /// tone curve and the sRGB table.
  static func reference(
    _ colour: SIMD3<Double>, index: Int, develop: Develop, options: CameraRenderOptions, shader: Shader
  ) -> [UInt8] {
    var v = colour * develop.scale
    if develop.noisy {
      let n = UInt64(index * 3)
      let z = SIMD3(
        NoiseVariates.variate(develop.stream, n, develop.table),
        NoiseVariates.variate(develop.stream, n + 1, develop.table),
        NoiseVariates.variate(develop.stream, n + 2, develop.table))
      let variance = lanewiseMax(v, .zero) * develop.shotVariance + SIMD3(repeating: develop.readVariance)
      v += variance.squareRoot() * z
    }
    let wb = options.whiteBalance
    if wb.x.isFinite && wb.y.isFinite && wb.z.isFinite { v *= wb }
    return shader.srgbTable.withUnsafeBufferPointer { table in
      [shader.encode(signal: v.x, table), shader.encode(signal: v.y, table), shader.encode(signal: v.z, table)]
    }
  }

  /// Radiances across every branch of the development, from a hash.
  static func radiances(_ count: Int) -> [SIMD3<Double>] {
    let specials: [Double] = [0, -0.0, -0.3, .nan, .infinity, -.infinity, 0.8, 0.8 / 0.9, 1, 1e-9, 1e6]
    return (0..<count).map { i in
      func channel(_ c: UInt64) -> Double {
        let h = Hash.combine(UInt64(i), c)
        if h % 7 == 0 { return specials[Int((h >> 8) % UInt64(specials.count))] }
        return Hash.unit(Hash.mix(h)) * 1.6 - 0.05
      }
      return SIMD3(channel(0), channel(1), channel(2))
    }
  }

  @Test(arguments: [
    (SensorNoise?.none, SIMD3<Double>(1, 1, 1), 1.0),
    (SensorNoise(), SIMD3<Double>(1, 1, 1), 0.7),
    (SensorNoise(fullWell: 800, readNoise: 20), SIMD3<Double>(1.4, 1, 0.6), 1.1),
    (SensorNoise(), SIMD3<Double>(.nan, 1, 2), 0.9),
    (SensorNoise?.none, SIMD3<Double>(0.5, 1, 3), 1.25),
  ])
  func rowsGiveThePixelAtATimeBytes(noise: SensorNoise?, whiteBalance: SIMD3<Double>, scale: Double) {
    let width = 53
    let height = 3
    let options = CameraRenderOptions(noise: noise, noiseSeed: 99, whiteBalance: whiteBalance)
    let develop = Develop(scale: scale, illuminance: 800, options: options)
    let shader = Shader(
      environment: Environment(), lamps: LampSet([], environment: Environment()) { _ in nil })
    let colours = Self.radiances(width * height)
    var expected = [UInt8]()
    for (i, c) in colours.enumerated() {
      expected += Self.reference(c, index: i, develop: develop, options: options, shader: shader)
    }
    // Whole rows, and rows cut in pieces of 1, 7 and 16 pixels.
    for piece in [width, 1, 7, 16] {
      var rgb = [UInt8](repeating: 0xAA, count: width * height * 3)
      var scratch = [Double](repeating: 0, count: 3 * width)
      colours.withUnsafeBufferPointer { source in
        rgb.withUnsafeMutableBufferPointer { out in
          scratch.withUnsafeMutableBufferPointer { variates in
            shader.srgbTable.withUnsafeBufferPointer { srgb in
              for y in 0..<height {
                var x = 0
                while x < width {
                  let count = Swift.min(piece, width - x)
                  develop.row(
                    source.baseAddress! + (y * width + x), count: count, first: y * width + x,
                    srgb: srgb.baseAddress!, variates: variates.baseAddress!, rgb: out.baseAddress!)
                  x += count
                }
              }
            }
          }
        }
      }
      #expect(rgb == expected, "rows cut every \(piece) pixels")
    }
  }

  /// `NoiseVariates.fill` writes variates first…first + count − 1 of the stream.
  @Test func fillMatchesVariate() {
    let stream = NoiseVariates.stream(seed: 5)
    var values = [Double](repeating: 0, count: 300)
    values.withUnsafeMutableBufferPointer { out in
      NoiseVariates.fill(out.baseAddress!, count: 300, stream: stream, first: 1_000_003, NoiseVariates.tableBase)
    }
    for (k, value) in values.enumerated() {
      let expected = NoiseVariates.variate(stream, 1_000_003 + UInt64(k), NoiseVariates.tableBase)
      #expect(value.bitPattern == expected.bitPattern)
    }
  }
}
