import Testing
@testable import ScnRuntime

@Suite struct PhiloxTests {
  // Random123 `examples/kat_vectors`, the three "philox4x32 10" lines: counter, key → output.
  @Test(arguments: [
    ((UInt32(0), UInt32(0), UInt32(0), UInt32(0)), (UInt32(0), UInt32(0)),
     (UInt32(0x6627_E8D5), UInt32(0xE169_C58D), UInt32(0xBC57_AC4C), UInt32(0x9B00_DBD8))),
    ((UInt32.max, UInt32.max, UInt32.max, UInt32.max), (UInt32.max, UInt32.max),
     (UInt32(0x408F_276D), UInt32(0x41C8_3B0E), UInt32(0xA20B_C7C6), UInt32(0x6D54_51FD))),
    ((UInt32(0x243F_6A88), UInt32(0x85A3_08D3), UInt32(0x1319_8A2E), UInt32(0x0370_7344)),
     (UInt32(0xA409_3822), UInt32(0x299F_31D0)),
     (UInt32(0xD16C_FE09), UInt32(0x94FD_CCEB), UInt32(0x5001_E420), UInt32(0x2412_6EA1))),
  ] as [(Philox4x32.Block, Philox4x32.Key, Philox4x32.Block)])
  func knownAnswers(counter: Philox4x32.Block, key: Philox4x32.Key, expected: Philox4x32.Block) {
    let out = Philox4x32.block(counter: counter, key: key)
    #expect([out.0, out.1, out.2, out.3] == [expected.0, expected.1, expected.2, expected.3])
  }

  /// Pins the stream layout of the reproducibility contract to the published pi-digits vector:
  /// key = seed words, counter = (block, site, attempt, sample low word).
  @Test func siteStreamLayoutMatchesPublishedVector() {
    let stream = RandomStream(seed: 0x299F_31D0_A409_3822, sample: 0x0370_7344, attempt: 0x1319_8A2E, site: 0x85A3_08D3)
    let block: UInt32 = 0x243F_6A88
    #expect(stream.uint64(at: 2 * block) == 0x94FD_CCEB_D16C_FE09)
    #expect(stream.uint64(at: 2 * block + 1) == 0x2412_6EA1_5001_E420)
  }

  @Test func firstDrawOfZeroStreamIsTheZeroVector() {
    var stream = RandomStream(seed: 0, sample: 0, attempt: 0, site: 0)
    #expect(stream.nextUInt64() == 0xE169_C58D_6627_E8D5)
    #expect(stream.nextUInt64() == 0x9B00_DBD8_BC57_AC4C)
  }

  @Test func domainStreamSetsTheTagBitAndUsesDomainAndSubkey() {
    let seed: UInt64 = 0x0123_4567_89AB_CDEF
    let stream = RandomStream(seed: seed, domain: .coverBucket, index: 0x0000_0002_0000_0009, subkey: 5)
    // index ≥ 2³²: its high word is mixed into the key.
    let k = seed ^ (2 &* 0x9E37_79B9_7F4A_7C15)
    let x = Philox4x32.block(
      counter: (0x8000_0000 | 3, RandomDomain.coverBucket.rawValue, 5, 9),
      key: (UInt32(truncatingIfNeeded: k), UInt32(truncatingIfNeeded: k >> 32)))
    #expect(stream.uint64(at: 7) == UInt64(x.3) << 32 | UInt64(x.2))
    #expect(stream.uint64(at: 6) == UInt64(x.1) << 32 | UInt64(x.0))
  }
}
