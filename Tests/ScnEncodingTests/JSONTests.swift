import Testing

@testable import ScnDataset

@Suite struct JSONTests {
  @Test func writesFixedOrderAndShortestDoubles() throws {
    let value: JSONValue = .object([
      ("z", .double(0.1)), ("a", .array([.int(-3), .unsigned(UInt64.max), .double(1e-7), .double(2)])),
      ("s", .string("quote\" slash\\ tab\t \u{01}")), ("n", .double(.nan)), ("o", .object([])),
    ])
    #expect(value.compact == #"{"z":0.1,"a":[-3,18446744073709551615,1e-07,2.0],"s":"quote\" slash\\ tab\t \u0001","n":null,"o":{}}"#)
    #expect(try JSONValue.parse(value.compact) == .object([
      ("z", .double(0.1)), ("a", .array([.int(-3), .unsigned(UInt64.max), .double(1e-7), .double(2)])),
      ("s", .string("quote\" slash\\ tab\t \u{01}")), ("n", .null), ("o", .object([])),
    ]))
    #expect(value.pretty.hasPrefix("{\n  \"z\": 0.1,\n  \"a\": [-3, 18446744073709551615, 1e-07, 2.0],"))
  }

  @Test func parsedDocumentsWriteBackToTheSameBytes() throws {
    let text = #"{"b":[1,2.5,{"x":"é\n"}],"a":true,"c":-0.0,"d":5e-324}"#
    #expect(try JSONValue.parse(text).compact == text)
    #expect(try JSONValue.parse(#""\ud83d\ude00""#) == .string("😀"))
  }

  @Test func rejectsMalformedInput() {
    for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "1 2", "-", "+1", ".5", String(repeating: "[", count: 300)] {
      #expect(throws: JSONParseError.self) { try JSONValue.parse(bad) }
    }
  }

  @Test func uuidV5MatchesTheRFCExample() {
    // RFC 9562 appendix A.4: v5 of "www.example.com" in the DNS namespace.
    let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
    #expect(NameBasedUUID.v5(namespace: dns, name: "www.example.com") == "2ed6657d-e927-568b-95e1-2665a8aea6a2")
  }
}

