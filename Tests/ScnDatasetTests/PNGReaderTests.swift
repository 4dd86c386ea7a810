import Testing

@testable import ScnDataset

@Suite struct PNGReaderTests {
  static let width = 7
  static let height = 5

  @Test func decodesTheThreeLayoutsScnWrites() throws {
    let n = Self.width * Self.height
    let deep = (0..<n).map { UInt16(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
    let grey = (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37) }
    let rgb = (0..<(n * 3)).map { UInt8(truncatingIfNeeded: $0 * 11) }

    let d = try PNGImage(decoding: StoredPNG.encode(width: Self.width, height: Self.height, .gray16(deep)))
    #expect(d.layout == .gray16 && d.width == Self.width && d.height == Self.height)
    // Host-order numbers: 0x1234 stored as bytes 12 34 decodes to 0x1234, not 0x3412.
    #expect(d.samples == deep)
    let g = try PNGImage(decoding: StoredPNG.encode(width: Self.width, height: Self.height, .gray8(grey)))
    #expect(g.layout == .gray8 && g.samples == grey.map(UInt16.init))
    let c = try PNGImage(decoding: StoredPNG.encode(width: Self.width, height: Self.height, .rgb8(rgb)))
    #expect(c.layout == .rgb8 && c.channels == 3 && c.samples == rgb.map(UInt16.init))
  }

  @Test func corruptOrTruncatedBytesThrowInsteadOfCrashing() throws {
    let good = StoredPNG.encode(width: Self.width, height: Self.height, .gray16([UInt16](repeating: 9, count: 35)))
    var badCRC = good
    badCRC[30] ^= 0xFF  // inside IHDR: its CRC no longer matches
    var badData = good
    badData[good.count - 20] ^= 0x55  // inside IDAT: zlib checksum or CRC fails
    let cases: [(String, [UInt8])] = [
      ("empty", []), ("signature only", Array(good.prefix(8))), ("not a PNG", Array("hello, world".utf8)),
      ("truncated header", Array(good.prefix(20))), ("truncated data", Array(good.prefix(good.count - 16))),
      ("IHDR CRC", badCRC), ("IDAT damaged", badData),
    ]
    for (name, bytes) in cases {
      #expect(throws: PNGReadError.self, "\(name)") { try PNGImage(decoding: bytes) }
    }
    // Every prefix of a valid file is rejected, never decoded into garbage.
    for length in stride(from: 0, to: good.count, by: 3) {
      #expect(throws: PNGReadError.self) { try PNGImage(decoding: Array(good.prefix(length))) }
    }
  }

  @Test func unsupportedLayoutsAndHugeHeadersAreRefused() throws {
    // Grey + alpha (colour type 4): a valid PNG scn never writes.
    let raw = [UInt8](repeating: 0, count: 1 + 2 * 2)
    var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    png += StoredPNG.chunk("IHDR", StoredPNG.be32(2) + StoredPNG.be32(1) + [8, 4, 0, 0, 0])
    png += StoredPNG.chunk("IDAT", StoredPNG.zlibStored(raw))
    png += StoredPNG.chunk("IEND", [])
    #expect(throws: PNGReadError.self) { try PNGImage(decoding: png) }
    do {
      _ = try PNGImage(decoding: png)
    } catch {
      #expect(error.reason.contains("unsupported PNG layout"), "\(error)")
    }
    // A header claiming 100000 × 100000 pixels is refused before anything is allocated.
    var huge: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    huge += StoredPNG.chunk("IHDR", StoredPNG.be32(100_000) + StoredPNG.be32(100_000) + [16, 0, 0, 0, 0])
    huge += StoredPNG.chunk("IEND", [])
    #expect(throws: PNGReadError.self) { try PNGImage(decoding: huge) }
    let small = StoredPNG.encode(width: Self.width, height: Self.height, .gray8([UInt8](repeating: 1, count: 35)))
    #expect(throws: PNGReadError.self) { try PNGImage(decoding: small, maxDimension: 4) }
  }
}
