import CDevelop
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// `Develop.row` develops a row of pixels at a time (docs/scene-model.md, "Exposure, tone
/// curve and noise"): its bytes must be those of developing each pixel on its own, channel by
/// channel (with noise: in single precision, with `NoiseVariates.variate` and
/// `Develop.toneTable`; without: `Shader.encode`), for every signal (negative, zero, NaN,
/// infinite, at and above the knee and the tone table's end), with and without noise and
/// white balance, for any cut of the row, and on every `CDevelop` path.
@Suite struct DevelopRowTests {
  /// The pixel-at-a-time reference: exposure, noise of variates 3i…3i + 2, white balance,
  /// tone curve and the sRGB table.
  static func reference(
    _ colour: SIMD3<Double>, index: Int, develop: Develop, options: CameraRenderOptions, shader: Shader
  ) -> [UInt8] {
    let wb = options.whiteBalance
    let balance = wb.x.isFinite && wb.y.isFinite && wb.z.isFinite ? wb : SIMD3(1, 1, 1)
    guard develop.noisy else {
      let v = colour * develop.scale * balance
      return shader.srgbTable.withUnsafeBufferPointer { table in
        [shader.encode(signal: v.x, table), shader.encode(signal: v.y, table), shader.encode(signal: v.z, table)]
      }
    }
    return (0..<3).map { c in
      let v = Float(colour[c]) * Float(develop.scale)
      let z = NoiseVariates.variate(develop.stream, UInt32(truncatingIfNeeded: 3 * index + c), develop.table)
      // Written as comparisons (as the kernels' maxps and minps): NaN gives 0.
      let sigma = ((v > 0 ? v : 0) * Float(develop.shotVariance) + Float(develop.readVariance)).squareRoot()
      let x = (v + sigma * z) * Float(balance[c])
      let y = x > 0 ? x : 0
      return Develop.toneTable[Int((y < Develop.toneLimit ? y : Develop.toneLimit) * 4095 + 0.5)]
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

  /// Rows longer than a tile (150 pixels), many of their channels above the knee.
  @Test func longRowsGiveThePixelAtATimeBytes() {
    for path in Self.paths {
      var develop = Develop(
        scale: 1.2, illuminance: 800, options: CameraRenderOptions(noise: SensorNoise(), noiseSeed: 7))
      develop.path = path
      Self.checkRows(develop, whiteBalance: SIMD3(1, 1, 1), width: 150, height: 2)
    }
  }

  /// Rows whose channels lie well above the knee (a bright sky), some past the tone table's
  /// end.
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

  /// Signals at every edge between two steps of the tone table, (k + ½)/4095, and a few
  /// float ulps either side (where a path that rounded differently would pick the other
  /// entry), across the linear part, the shoulder and past the table's end, and random
  /// signals across the shoulder: the same bytes as the reference. Noise of zero variance
  /// (shot and read 0) keeps each signal as given.
  @Test func signalsAtTheToneTablesStepsGiveTheReferenceBytes() {
    var signals: [Double] = []
    for k in stride(from: 0, through: Develop.toneTable.count, by: 1) {
      var v = Float((Double(k) + 0.5) / 4095)
      for _ in 0..<3 { v = v.nextDown }
      for _ in 0..<6 {
        signals.append(Double(v))
        v = v.nextUp
      }
    }
    for k in 0..<3000 { signals.append(0.8 + 3 * Hash.unit(Hash.mix(UInt64(k) &+ 77))) }
    signals += [Double(Develop.toneLimit), Double(Develop.toneLimit.nextUp), 60, 1e300, .infinity, 1e-40, -1e-40]
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

  /// The tone table: signal 0 reads byte 0, the last step is `toneLimit`'s and the first whose
  /// tone curve reaches the sRGB table's top, and each entry's sRGB index is within one of
  /// the index of any signal that rounds to its step (the tone curve's slope is at most 1).
  @Test func toneTableStepsAreWithinOneIndexOfTheCurve() {
    let table = Develop.toneTable
    let top = Shader.tableSize - 1
    #expect(table[0] == 0)
    #expect(Int(Develop.toneLimit * 4095 + 0.5) == table.count - 1)
    #expect(Develop.srgbIndex(Double(table.count - 1) / 4095) == top)
    #expect(Develop.srgbIndex(Double(table.count - 2) / 4095) < top)
    #expect(table.count == 9339, "\(table.count) entries")
    for k in 0..<200_000 {
      let v = 2.5 * Hash.unit(Hash.mix(UInt64(k) &+ 5))
      let step = Int(v * 4095 + 0.5)
      guard v > 0, step < table.count else { continue }
      let exact = Develop.srgbIndex(v)
      let stepped = Develop.srgbIndex(Double(step) / 4095)
      #expect(abs(exact - stepped) <= 1, "signal \(v)")
      #expect(table[step] == Shader.srgbValues[stepped])
    }
  }

  /// The kernel reads each pixel's radiance as four doubles, `SIMD3<Double>`'s layout.
  @Test func radianceIsFourDoublesAPixel() {
    #expect(MemoryLayout<SIMD3<Double>>.stride == 4 * MemoryLayout<Double>.stride)
  }

  /// Every `CDevelop` path: the processor's best, the portable one, AVX2 and AVX-512 (the
  /// AVX2 code on a processor with AVX-512; a forced path the processor lacks runs the
  /// portable one).
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
      colours.withUnsafeBufferPointer { source in
        rgb.withUnsafeMutableBufferPointer { out in
          shader.srgbTable.withUnsafeBufferPointer { srgb in
            for y in 0..<height {
              var x = 0
              while x < width {
                let count = Swift.min(piece, width - x)
                develop.row(
                  source.baseAddress! + (y * width + x), count: count, first: y * width + x, srgb: srgb.baseAddress!,
                  rgb: out.baseAddress!)
                x += count
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
    for x0 in stride(from: 0, to: width, by: 16) {
      let w = Swift.min(16, width - x0)
      let tile = (0..<height).flatMap { y in colours[(y * width + x0)..<(y * width + x0 + w)] }
      tile.withUnsafeBufferPointer { source in
        rgb.withUnsafeMutableBufferPointer { out in
          shader.srgbTable.withUnsafeBufferPointer { srgb in
            develop.rows(
              source.baseAddress!, count: w, rows: height, first: x0, pitch: width, srgb: srgb.baseAddress!,
              rgb: out.baseAddress!)
          }
        }
      }
    }
    #expect(rgb == expected, "tiles of 16 columns, path \(develop.path)")
  }

  /// `cdevelop_fill` gives `NoiseVariates.variate`'s bits on every path, for a long stream
  /// (2^20 + 5 variates from an odd start, so the vector loop and its remainder both run) and
  /// across the wrap of n at 2^32.
  @Test func cKernelVariatesMatchTheSwiftOnes() {
    let stream = NoiseVariates.stream(seed: 12345)
    for (first, count) in [(UInt32(7_777_777), (1 << 20) + 5), (UInt32.max - 100, 300)] {
      let expected = (0..<count).map {
        NoiseVariates.variate(stream, first &+ UInt32($0), NoiseVariates.tableBase).bitPattern
      }
      for path in Self.paths {
        var values = [Float](repeating: 0, count: count)
        cdevelop_fill(&values, count, stream, first, NoiseVariates.tableBase, path)
        #expect(values.map(\.bitPattern) == expected, "path \(path), first \(first)")
      }
    }
  }

  /// This processor's paths: on x86-64 the automatic choice is AVX-512 where the processor
  /// has AVX-512F/DQ/VL and AVX2 otherwise (an x86-64 processor without AVX2 fails here; the
  /// development runs its AVX2 code for both), and a forced AVX2 runs its own code, so the
  /// comparisons above cover every path it can run.
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
}
