import CDevelop
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
    for path in Self.paths {
      var develop = Develop(
        scale: scale, illuminance: 800,
        options: CameraRenderOptions(noise: noise, noiseSeed: 99, whiteBalance: whiteBalance))
      develop.path = path
      Self.checkRows(develop, whiteBalance: whiteBalance, width: 53, height: 3)
    }
  }

  /// Rows longer than the vector paths' pieces of 64 pixels (whose channels above the knee
  /// wait in a list of 192 until the piece ends): 150 pixels, many of them above the knee.
  @Test func longRowsGiveThePixelAtATimeBytes() {
    for path in Self.paths {
      var develop = Develop(
        scale: 1.2, illuminance: 800, options: CameraRenderOptions(noise: SensorNoise(), noiseSeed: 7))
      develop.path = path
      Self.checkRows(develop, whiteBalance: SIMD3(1, 1, 1), width: 150, height: 2)
    }
  }

  /// Rows whose channels lie well above the knee (a bright sky): the vector paths' list of
  /// channels left for the shoulder fills (nearly) up in each piece of 64 pixels.
  @Test func brightRowsFillTheShoulderList() {
    let colours: [SIMD3<Double>] = (0..<300).map { (i: Int) -> SIMD3<Double> in
      let red: Double = 1 + Hash.unit(Hash.mix(UInt64(3 * i)))
      let green: Double = 1 + Hash.unit(Hash.mix(UInt64(3 * i + 1)))
      return SIMD3<Double>(red, green, 1.5)
    }
    for path in Self.paths {
      var develop = Develop(
        scale: 1.2, illuminance: 800, options: CameraRenderOptions(noise: SensorNoise(), noiseSeed: 11))
      develop.path = path
      Self.checkRows(develop, whiteBalance: SIMD3(1, 1, 1), width: 150, height: 2, colours: colours)
    }
  }

  /// Signals at every step of the tone curve's shoulder (where the sRGB index moves from k
  /// to k + 1) and a few ulps either side, where a vector path's own `exp` is too close to
  /// call and the channel falls back to libm's (`shoulder_index4` in CDevelop), and random
  /// signals across the shoulder: the same bytes as the reference. Noise of zero variance
  /// (shot and read 0) keeps each signal as given.
  @Test func signalsAtTheShouldersStepsGiveTheReferenceBytes() {
    func index(_ v: Double) -> Int {
      let toned = ToneCurve.apply(v)
      return toned >= 1 ? Shader.tableSize - 1 : Int(toned * Double(Shader.tableSize - 1) + 0.5)
    }
    var signals: [Double] = []
    let first = index(ToneCurve.knee.nextUp)
    for target in stride(from: first + 1, through: Shader.tableSize - 1, by: 3) {
      // The least signal whose index reaches `target` (the curve only rises).
      var low = ToneCurve.knee
      var high = 12.0
      while low.nextUp < high {
        let middle = low + (high - low) / 2
        if index(middle) >= target { high = middle } else { low = middle }
      }
      var v = high
      for _ in 0..<6 { v = v.nextDown }
      for _ in 0..<12 {
        signals.append(v)
        v = v.nextUp
      }
    }
    for k in 0..<3000 { signals.append(ToneCurve.knee + 3 * Hash.unit(Hash.mix(UInt64(k) &+ 77))) }
    signals += [ToneCurve.knee.nextUp, 60, 1e300, .infinity, .greatestFiniteMagnitude]
    while signals.count % 3 != 0 { signals.append(1) }
    let colours = stride(from: 0, to: signals.count, by: 3).map { SIMD3(signals[$0], signals[$0 + 1], signals[$0 + 2]) }
    for path in Self.paths {
      var develop = Develop(
        scale: 1, illuminance: 800, options: CameraRenderOptions(noise: SensorNoise(), noiseSeed: 3))
      develop.shotVariance = 0
      develop.readVariance = 0
      develop.path = path
      Self.checkRows(develop, whiteBalance: SIMD3(1, 1, 1), width: colours.count, height: 1, colours: colours)
    }
  }

  /// Every `CDevelop` path: the processor's best, the portable one, AVX2 and AVX-512 (a
  /// forced path the processor lacks runs the portable one).
  static let paths = [CDEVELOP_PATH_AUTO, CDEVELOP_PATH_PORTABLE, CDEVELOP_PATH_AVX2, CDEVELOP_PATH_AVX512].map {
    Int32($0)
  }

  /// `develop`'s rows, whole and cut in pieces of 1, 7 and 16 pixels, against the reference;
  /// the radiances are `radiances(width · height)` unless given.
  static func checkRows(
    _ develop: Develop, whiteBalance: SIMD3<Double>, width: Int, height: Int, colours given: [SIMD3<Double>]? = nil
  ) {
    let options = CameraRenderOptions(noise: develop.noise, whiteBalance: whiteBalance)
    let shader = Shader(
      environment: Environment(), lamps: LampSet([], environment: Environment()) { _ in nil })
    let colours = given ?? Self.radiances(width * height)
    var expected = [UInt8]()
    for (i, c) in colours.enumerated() {
      expected += Self.reference(c, index: i, develop: develop, options: options, shader: shader)
    }
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
      #expect(rgb == expected, "rows cut every \(piece) pixels, path \(develop.path)")
    }
    // As the renderer's tiles (`Develop.rows`, `cdevelop_rows`): columns cut every 16 pixels,
    // all the rows of a tile's columns in one call.
    var rgb = [UInt8](repeating: 0xAA, count: width * height * 3)
    var scratch = [Double](repeating: 0, count: 3 * width)
    for x0 in stride(from: 0, to: width, by: 16) {
      let w = Swift.min(16, width - x0)
      let tile = (0..<height).flatMap { y in colours[(y * width + x0)..<(y * width + x0 + w)] }
      tile.withUnsafeBufferPointer { source in
        rgb.withUnsafeMutableBufferPointer { out in
          scratch.withUnsafeMutableBufferPointer { variates in
            shader.srgbTable.withUnsafeBufferPointer { srgb in
              develop.rows(
                source.baseAddress!, count: w, rows: height, first: x0, pitch: width, srgb: srgb.baseAddress!,
                variates: variates.baseAddress!, rgb: out.baseAddress!)
            }
          }
        }
      }
    }
    #expect(rgb == expected, "tiles of 16 columns, path \(develop.path)")
  }

  /// A row with a variate below the noise table (U < 128, `NoiseVariates.deepTail`): the C
  /// kernel hands it back and `Develop.row` develops it in Swift, with the exact quantile.
  /// The stream is chosen by inverting `Hash.mix`, so that variate 3·60 + 4 (pixel 61's green,
  /// in the second row, inside the vector loop) has a hash of 0 and variate 3·9 (pixel 9's red,
  /// in the first row) has U = 100 and a negative sign.
  @Test func rowsWithAVariateBelowTheTableUseTheExactQuantile() {
    let gamma = NoiseVariates.gamma
    for path in Self.paths {
      for (variate, hash) in [(UInt64(3 * 60 + 4), UInt64(0)), (3 * 9, (1 << 63) | (100 << 11) | 5)] {
        var develop = Develop(
          scale: 0.8, illuminance: 800, options: CameraRenderOptions(noise: SensorNoise(fullWell: 500), noiseSeed: 1))
        develop.stream = Self.unmix(hash) &- variate &* gamma
        develop.path = path
        #expect(Hash.mix(develop.stream &+ variate &* gamma) == hash)
        let z = NoiseVariates.variate(develop.stream, variate, develop.table)
        let exact = NoiseVariates.deepTail((hash >> 11) & ((1 << 52) - 1)) * (hash >> 63 == 1 ? -1 : 1)
        #expect(z.bitPattern == exact.bitPattern)
        Self.checkRows(develop, whiteBalance: SIMD3(1, 1, 1), width: 53, height: 3)
        // The kernel itself reports the row.
        var parameters = develop.kernel
        let colours = [SIMD3<Double>](repeating: SIMD3(0.3, 0.3, 0.3), count: 64)
        var bytes = [UInt8](repeating: 0, count: 3 * 64)
        let first = Int(variate / 3) / 8 * 8
        let deep = colours.withUnsafeBytes { c in
          cdevelop_row(&parameters, c.baseAddress!.assumingMemoryBound(to: Double.self), 4, 16, UInt64(first), &bytes, path)
        }
        #expect(deep == 1)
        // And `cdevelop_rows` names the row: the first of two (the second 1000 pixels on).
        var rowBytes = [UInt8](repeating: 0, count: 3 * (1000 + 16))
        let deepRows = colours.withUnsafeBytes { c in
          cdevelop_rows(
            &parameters, c.baseAddress!.assumingMemoryBound(to: Double.self), 4, 16, 2, UInt64(first), 1000,
            &rowBytes, path)
        }
        #expect(deepRows == 1)
      }
    }
  }

  /// The inverse of `Hash.mix`: each xor-shift and odd multiply undone in reverse order.
  static func unmix(_ h: UInt64) -> UInt64 {
    func inverse(_ a: UInt64) -> UInt64 {
      var x = a
      for _ in 0..<5 { x = x &* (2 &- a &* x) }
      return x
    }
    var z = h ^ (h >> 31) ^ (h >> 62)
    z = z &* inverse(0x94D0_49BB_1331_11EB)
    z = z ^ (z >> 27) ^ (z >> 54)
    z = z &* inverse(0xBF58_476D_1CE4_E5B9)
    z = z ^ (z >> 30) ^ (z >> 60)
    return z &- 0x9E37_79B9_7F4A_7C15
  }

  /// `cdevelop_fill` gives `NoiseVariates.variate`'s bits on every path, for a long stream
  /// (2^20 variates from an odd start, so the vector loop and its remainder both run), and
  /// the vector paths agree with the portable one on 2^22 more.
  @Test func cKernelVariatesMatchTheSwiftOnes() {
    let stream = NoiseVariates.stream(seed: 12345)
    let count = 1 << 20 + 5
    let first: UInt64 = 7_777_777
    var expected = [Double](repeating: 0, count: count)
    expected.withUnsafeMutableBufferPointer { out in
      NoiseVariates.fill(out.baseAddress!, count: count, stream: stream, first: first, NoiseVariates.tableBase)
    }
    for path in Self.paths {
      var values = [Double](repeating: 0, count: count)
      let deep = cdevelop_fill(&values, count, stream, first, NoiseVariates.tableBase, path)
      #expect(deep == 0)
      #expect(values.map(\.bitPattern) == expected.map(\.bitPattern), "path \(path)")
    }
    let more = 1 << 22
    var portable = [Double](repeating: 0, count: more)
    let other = NoiseVariates.stream(seed: 99)
    _ = cdevelop_fill(&portable, more, other, 3, NoiseVariates.tableBase, Int32(CDEVELOP_PATH_PORTABLE))
    for path in [CDEVELOP_PATH_AVX2, CDEVELOP_PATH_AVX512] {
      var vector = [Double](repeating: 0, count: more)
      _ = cdevelop_fill(&vector, more, other, 3, NoiseVariates.tableBase, Int32(path))
      #expect(portable.map(\.bitPattern) == vector.map(\.bitPattern), "path \(path)")
    }
  }

  /// This processor's paths: on x86-64 the automatic choice is AVX-512 where the processor
  /// has AVX-512F/DQ/VL and AVX2 otherwise (an x86-64 processor without AVX2 fails here), and
  /// a forced AVX2 runs its own code, so the comparisons above cover every path it can run.
  @Test func theVectorPathsRunWhereTheProcessorHasThem() {
    let auto = cdevelop_resolve_path(Int32(CDEVELOP_PATH_AUTO))
    #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_PORTABLE)) == Int32(CDEVELOP_PATH_PORTABLE))
    #if arch(x86_64)
      #expect(auto != Int32(CDEVELOP_PATH_PORTABLE), "an x86-64 processor without AVX2")
      #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_AVX2)) == Int32(CDEVELOP_PATH_AVX2))
      if auto == Int32(CDEVELOP_PATH_AVX512) {
        #expect(cdevelop_resolve_path(Int32(CDEVELOP_PATH_AVX512)) == Int32(CDEVELOP_PATH_AVX512))
      }
    #else
      #expect(auto == Int32(CDEVELOP_PATH_PORTABLE))
    #endif
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
