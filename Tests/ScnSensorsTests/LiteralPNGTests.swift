import ScnDataset
import Testing

@testable import ScnSensors

/// `LiteralPNG`, the writer of 8-bit Sub-filtered Huffman-only PNGs (the camera's RGB):
/// libpng reads back every sample, and its codes are valid deflate codes.
@Suite struct LiteralPNGTests {
  static let encoder = PNGEncoder(compressionLevel: 1, filter: .sub, strategy: .huffman)

  /// A grey row whose Sub-filtered bytes k = 0…17 occur 1, 1, 2, 4, …, 2^16 times (shuffled):
  /// each count is the sum of all smaller ones, so a Huffman code for them is a chain 17
  /// bits deep and the 15-bit limit has to fold it. One row of 131 072 bytes is one block.
  static func chainRow() -> [UInt8] {
    let counts = [1] + (0...16).map { 1 << $0 }
    var differences = counts.enumerated().flatMap { [UInt8](repeating: UInt8($0.offset), count: $0.element) }
    var state: UInt64 = 5
    for i in stride(from: differences.count - 1, to: 0, by: -1) {
      state = Hash.mix(state)
      differences.swapAt(i, Int(state % UInt64(i + 1)))
    }
    var value: UInt8 = 0
    return differences.map { d in
      value &+= d
      return value
    }
  }

  @Test func roundTripsThroughLibpng() throws {
    var state: UInt64 = 11
    func noise(_ count: Int) -> [UInt8] {
      (0..<count).map { _ in
        state = Hash.mix(state)
        return UInt8(truncatingIfNeeded: state)
      }
    }
    let chain = Self.chainRow()
    // (samples, width, height, channels): single pixels, a small odd image, a flat one, pure
    // noise, rows longer than a block, and the chain row (a folded code).
    let cases: [([UInt8], Int, Int, Int)] = [
      ([10, 20, 30], 1, 1, 3), ([200], 1, 1, 1), (noise(7 * 5 * 3), 7, 5, 3),
      ([UInt8](repeating: 77, count: 300 * 200 * 3), 300, 200, 3), (noise(200 * 150 * 3), 200, 150, 3),
      ([UInt8](repeating: 0, count: 70_000) + [UInt8](repeating: 5, count: 70_000), 70_000, 2, 1),
      (chain + chain, chain.count, 2, 1),
    ]
    for (samples, width, height, channels) in cases {
      let png =
        channels == 3
        ? try Self.encoder.encodeRGB(samples, width: width, height: height)
        : try Self.encoder.encodeGray(samples, width: width, height: height)
      let image = try PNGImage(decoding: png, maxDimension: 1 << 20)
      #expect(image.width == width && image.height == height)
      #expect(image.layout == (channels == 3 ? .rgb8 : .gray8))
      #expect(image.samples == samples.map(UInt16.init))
    }
  }

  /// On a noisy photograph-like image the file is no larger than zlib's Huffman-only one of
  /// the same filtered rows (through libpng), within a few bytes.
  @Test func noLargerThanZlibsHuffmanCoding() throws {
    let width = 320
    let height = 240
    let samples: [UInt8] = (0..<(width * height * 3)).map { i in
      var h = UInt64(i) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 29
      let ramp = (i / 3) % width / 2 + i / (3 * width) / 3
      return UInt8(truncatingIfNeeded: ramp + Int(h % 13) - 6 + 40)
    }
    let literal = try Self.encoder.encodeRGB(samples, width: width, height: height)
    let zlib = try samples.withUnsafeBufferPointer {
      try Self.encoder.encodeWithLibpng($0, rowBytes: width * 3, width, height, 3, 8)
    }
    #expect(try PNGImage(decoding: zlib).samples == samples.map(UInt16.init))
    #expect(literal.count <= zlib.count + 64)
  }

  /// Code lengths are within the limit and make a complete prefix code (Kraft sum 1), and the
  /// canonical codes are distinct.
  @Test func huffmanCodesAreCompleteAndLimited() {
    let chain = Self.chainRow()
    var chainCounts = [Int](repeating: 0, count: 257)
    var previous: UInt8 = 0
    for v in chain {
      chainCounts[Int(v &- previous)] += 1
      previous = v
    }
    chainCounts[256] = 1
    let skewed = (0..<257).map { $0 < 30 ? 1 << ($0 / 2) : 0 }
    let cases: [([Int], Int)] = [
      (chainCounts, 15), (skewed, 15), ([3, 0, 0, 1], 7), ((0..<19).map { $0 % 3 }, 7),
      ([Int](repeating: 1, count: 257), 15),
    ]
    for (frequency, limit) in cases {
      let lengths = HuffmanCode.lengths(frequency, limit: limit)
      #expect(lengths.count == frequency.count)
      #expect(zip(frequency, lengths).allSatisfy { ($0 > 0) == ($1 > 0) })
      #expect(lengths.allSatisfy { Int($0) <= limit })
      let kraft = lengths.filter { $0 > 0 }.reduce(0) { $0 + (1 << (limit - Int($1))) }
      #expect(kraft == 1 << limit)
      let codes = HuffmanCode.canonical(lengths)
      let keys = zip(codes, lengths).filter { $0.1 > 0 }.map { UInt64($0.0) << 8 | UInt64($0.1) }
      #expect(Set(keys).count == keys.count)
    }
    // The chain's unlimited code is 17 bits deep: folded, it reaches the limit.
    #expect(HuffmanCode.lengths(chainCounts, limit: 15).contains(15))
    #expect(HuffmanCode.lengths(chainCounts, limit: 30).contains { $0 > 15 })
  }
}
