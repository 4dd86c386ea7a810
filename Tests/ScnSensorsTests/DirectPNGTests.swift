import ScnDataset
import Testing

@testable import ScnSensors

/// CPNG's direct writer of Sub-filtered images (`cpng_encode_samples` without libpng) writes
/// byte for byte the file libpng writes, for 8- and 16-bit grey and RGB, every zlib
/// strategy and several levels, images with long runs and pure noise, sizes just above the
/// 16 KiB where it takes over and many IDAT chunks long.
@Suite struct DirectPNGTests {
  /// Samples of one of four kinds: noise, a smooth ramp with sparse noise, flat bands, zero
  /// with rare spikes (the depth, instance and semantic images' kinds of content).
  static func samples(_ count: Int, kind: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { i in
      state = Hash.mix(state &+ UInt64(i))
      let r = UInt8(truncatingIfNeeded: state)
      switch kind {
      case 0: return r
      case 1: return UInt8(truncatingIfNeeded: i / 1900 + (state % 16 == 0 ? 1 : 0))
      case 2: return UInt8(truncatingIfNeeded: (i % 640) / 40 * 7 + i / 32_000)
      default: return state % 100 == 0 ? r : 0
      }
    }
  }

  @Test func writesLibpngsBytes() throws {
    // (width, height, channels, bit depth): 16 KiB + a little, odd sizes, a camera frame;
    // 16-bit rows whose length is not a multiple of the 16 bytes the swapping filter loop
    // takes a step, with 2 and 6 bytes per pixel.
    let shapes = [
      (129, 127, 1, 8), (64, 129, 1, 16), (53, 107, 3, 8), (640, 480, 1, 16), (640, 480, 1, 8), (301, 77, 1, 16),
      (43, 67, 3, 16),
    ]
    var checked = 0
    for (n, (width, height, channels, depth)) in shapes.enumerated() {
      let rowBytes = width * channels * depth / 8
      #expect(height * (rowBytes + 1) > 16384)
      for kind in 0..<4 {
        let bytes = Self.samples(rowBytes * height, kind: kind, seed: UInt64(n * 4 + kind))
        for (level, strategy) in [(1, PNGStrategy.matches), (6, .matches), (9, .matches), (1, .runs), (1, .huffman)] {
          let encoder = PNGEncoder(compressionLevel: level, filter: .sub, strategy: strategy)
          try bytes.withUnsafeBufferPointer { raw in
            let direct = try encoder.encodeWithLibpng(raw, rowBytes: rowBytes, width, height, Int32(channels), Int32(depth))
            let libpng = try encoder.encodeWithLibpng(
              raw, rowBytes: rowBytes, width, height, Int32(channels), Int32(depth), libpngOnly: true)
            #expect(direct == libpng, "\(width)×\(height)×\(channels) depth \(depth) kind \(kind) level \(level) \(strategy)")
            checked += 1
          }
        }
      }
    }
    #expect(checked == shapes.count * 4 * 5)
  }

  /// The 16-bit images the dataset writes (host-order samples) decode to their samples.
  @Test func sixteenBitRoundTrips() throws {
    let width = 200
    let height = 90
    let bytes = Self.samples(width * height * 2, kind: 1, seed: 9)
    let samples = (0..<(width * height)).map { UInt16(bytes[2 * $0]) << 8 | UInt16(bytes[2 * $0 + 1]) }
    let png = try PNGEncoder(compressionLevel: 1, filter: .sub).encodeGray16(samples, width: width, height: height)
    let image = try PNGImage(decoding: png)
    #expect(image.layout == .gray16 && image.width == width && image.height == height)
    #expect(image.samples == samples)
  }
}
