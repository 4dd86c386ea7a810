import Testing

@testable import ScnDataset

@Suite struct NameBasedUUIDTests {
  @Test func uuidV5MatchesTheRFCExample() {
    // RFC 9562 appendix A.4: v5 of "www.example.com" in the DNS namespace.
    let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
    #expect(NameBasedUUID.v5(namespace: dns, name: "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
  }
}
