import CPNG
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

  /// `cpng_huffman_literals` (three codes a step, 8-byte stores) writes the stream that
  /// appending one code at a time, bit by bit, writes, and leaves the same bits pending: for
  /// codes up to the 15-bit limit (the chain row's folded code), every start bit count
  /// 0...7, and inputs that leave 0, 1 and 2 bytes after the last whole step.
  @Test func literalCodesMatchOneAtATime() {
    let chain = Self.chainRow()
    var chainCounts = [Int](repeating: 0, count: 257)
    var previous: UInt8 = 0
    for v in chain {
      chainCounts[Int(v &- previous)] += 1
      previous = v
    }
    chainCounts[256] = 1
    var state: UInt64 = 3
    let noisy = (0..<257).map { k -> Int in
      state = Hash.mix(state)
      return k == 256 ? 1 : Int(state % 1000)
    }
    var checked = 0
    for frequency in [chainCounts, noisy, (0..<257).map { $0 == 7 || $0 == 256 ? 1 : 0 }] {
      let lengths = HuffmanCode.lengths(frequency, limit: 15)
      let codes = HuffmanCode.canonical(lengths)
      let table = (0..<256).map { codes[$0] | UInt32(lengths[$0]) << 16 }
      let used = (0..<256).filter { lengths[$0] > 0 }.map(UInt8.init)
      for count in [0, 1, 2, 3, 4, 5, 299, 1000] {
        let input = (0..<count).map { _ -> UInt8 in
          state = Hash.mix(state)
          return used[Int(state % UInt64(used.count))]
        }
        for startBits in 0..<8 {
          let start = UInt64(0b1011_0101) & ((1 << UInt64(startBits)) - 1)
          // The reference: every bit appended in order, then packed least significant first.
          var stream: [Bool] = (0..<startBits).map { (start >> UInt64($0)) & 1 == 1 }
          for byte in input {
            let entry = table[Int(byte)]
            for b in 0..<(entry >> 16) { stream.append((entry >> b) & 1 == 1) }
          }
          let whole = stream.count / 8
          let expected = (0..<whole).map { k in
            (0..<8).reduce(UInt8(0)) { $0 | (stream[8 * k + $1] ? 1 << UInt8($1) : 0) }
          }
          let leftover = (0..<(stream.count % 8)).reduce(UInt64(0)) { $0 | (stream[8 * whole + $1] ? 1 << UInt64($1) : 0) }
          var out = [UInt8](repeating: 0xEE, count: count * 2 + 16)
          var bits = start
          var bitCount = UInt32(startBits)
          let written = table.withUnsafeBufferPointer { t in
            input.withUnsafeBufferPointer { i in
              out.withUnsafeMutableBufferPointer { o in
                cpng_huffman_literals(i.baseAddress, count, t.baseAddress, o.baseAddress, &bits, &bitCount)
              }
            }
          }
          #expect(written == whole && Array(out[0..<written]) == expected)
          #expect(bitCount == UInt32(stream.count % 8) && bits == leftover)
          checked += 1
        }
      }
    }
    #expect(checked == 3 * 8 * 8)
    #expect(HuffmanCode.lengths(chainCounts, limit: 15).contains(15))
  }
}
