import Foundation
import Testing

import ScnEncoding

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

  /// Numbers read without a `String` (`plainNumber`: short integers, and decimals on
  /// Clinger's fast path) read exactly as the general path reads them (`Int64(text)`,
  /// `UInt64(text)`, `Double(text)`): the same case and the same bits, on edge cases and on
  /// random integers, decimals, shortest forms of random doubles and exponent forms.
  @Test func numbersReadAsTheirTextReads() throws {
    func expected(_ text: String) -> JSONValue? {
      if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
        if let i = Int64(text) { return .int(i) }
        if let u = UInt64(text) { return .unsigned(u) }
      }
      guard let d = Double(text), d.isFinite else { return nil }
      return .double(d)
    }
    func bits(_ v: JSONValue) -> String {
      switch v {
      case .int(let i): "int \(i)"
      case .unsigned(let u): "unsigned \(u)"
      case .double(let d): "double \(d.bitPattern)"
      default: "other"
      }
    }
    var texts = [
      "0", "-0", "0.0", "-0.0", "00012", "-007", "1e22", "1e23", "1e-22", "1e-23", "9007199254740992.0",
      "9007199254740993.0", "9007199254740993", "123456789012345678", "1234567890123456789", "-9223372036854775808",
      "9223372036854775807", "18446744073709551615", "18446744073709551616", "1.5E+3", "1.5e-3", "2.5E3", "1e0",
      "0.000000000000000000000000000001", "123456789.123456789", "0.30000000000000004", "5e-324", "1.7976931348623157e308",
      "4.35", "1e308", "1e-320", "1E+00", "0e999", "1e0001", "12.5e-20", "99999999999999999999", "0.1e23",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<100_000 {
      let x = Double(bitPattern: generator.next())
      if x.isFinite { texts.append(x.description) }
      texts.append(String(Int64.random(in: Int64.min...Int64.max, using: &generator) >> Int64.random(in: 0...63, using: &generator)))
      texts.append(Double.random(in: -1000...1000, using: &generator).description)
      texts.append(String(format: "%.\(Int.random(in: 0...17, using: &generator))f", Double.random(in: -1e6...1e6, using: &generator)))
      texts.append("\(Int.random(in: -99999...99999, using: &generator))e\(Int.random(in: -30...30, using: &generator))")
    }
    for text in texts {
      guard let want = expected(text) else { continue }
      let got = try JSONValue.parse(text)
      #expect(bits(got) == bits(want), "\(text)")
      if bits(got) != bits(want) { return }
    }
  }

  @Test func rejectsMalformedInput() {
    for bad in ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"unterminated", "1 2", "-", "+1", ".5", String(repeating: "[", count: 300)] {
      #expect(throws: JSONParseError.self) { try JSONValue.parse(bad) }
    }
  }
}

@Suite struct JSONBytesTests {
  /// The writer's doubles are `description`'s, byte for byte, across the whole range:
  /// random bit patterns (every exponent, subnormals), integers and short decimals.
  @Test func doublesAreSwiftsShortestRoundTripForm() {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = [1, -1, 0.1, 1e-7, 1e16, 123456789012345680, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                            .leastNormalMagnitude, -2.5e-300, 0.30000000000000004]
    for _ in 0..<200_000 {
      let x = Double(bitPattern: generator.next())
      if x.isFinite { values.append(x) }
      values.append(Double(Int.random(in: -1_000_000...1_000_000)) / 1000)
    }
    for x in values where x != 0 {
      var out = JSONBytes()
      out.double(x)
      #expect(out.text == x.description, "\(x.bitPattern)")
      if out.text != x.description { return }
      #expect(Double(out.text) == x)
    }
  }

  /// The number cache and the whole-number path give `description`'s text too: the same
  /// values twice through one caching buffer (the second time from the cache, or evicted
  /// and formatted again), whole numbers on both sides of 10^15.
  @Test func cachedAndWholeNumbersAreDescriptionsText() {
    var generator = SystemRandomNumberGenerator()
    var values: [Double] = [2, -2, 0.65, 6.283185307179586, 1e15, -1e15, 999_999_999_999_999, 1e15 + 2, 4e16, 0.5, -7.25]
    for _ in 0..<20_000 {
      values.append(Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &generator)))
      values.append(Double(Int.random(in: -100...100, using: &generator)) / 20)
      let x = Double(bitPattern: generator.next())
      if x.isFinite { values.append(x) }
    }
    var cached = JSONBytes.cachingNumbers()
    for pass in 0..<2 {
      for x in values where x != 0 {
        cached.removeAll()
        cached.double(x)
        #expect(cached.text == x.description, "pass \(pass): \(x.bitPattern)")
        if cached.text != x.description { return }
      }
    }
  }

  @Test func zerosAndNonFiniteValues() {
    var out = JSONBytes()
    for x in [0.0, -0.0, .nan, .infinity, -.infinity] {
      out.double(x)
      out.raw(" ")
    }
    out.double(-0.0, negativeZero: false)
    #expect(out.text == "0.0 -0.0 null null null 0.0")
  }

  @Test func integersAndStrings() {
    var out = JSONBytes(capacity: 64)
    for i: Int64 in [0, 7, -7, 10, 1234567890, .min, .max] {
      out.int(i)
      out.raw(",")
    }
    out.uint(.max)
    out.raw(",")
    out.string("a\"b\\c\n\r\t\u{1B}é😀")
    #expect(out.text == #"0,7,-7,10,1234567890,-9223372036854775808,9223372036854775807,18446744073709551615,"a\"b\\c\n\r\t\u001bé😀""#)
    out.removeAll()
    #expect(out.count == 0)
    out.key("k")
    out.key("q\"")
    #expect(out.text == #""k":"q\"":"#)
  }
}

/// `ShortestDouble` (behind `JSONBytes.double`) against `description`, the text it must
/// reproduce byte for byte: millions of random bit patterns (every exponent, subnormals),
/// random decimals of the sizes scenes print, and the edge cases of the algorithm and of
/// the layout.
@Suite struct ShortestDoubleTests {
  /// The first value (bit pattern) whose text differs from `description`, if any.
  static func firstMismatch(_ values: some Sequence<Double>) -> UInt64? {
    var out = JSONBytes()
    for x in values where x.isFinite && x != 0 {
      for v in [x, -x] {
        out.removeAll()
        out.double(v)
        if out.text != v.description { return v.bitPattern }
      }
    }
    return nil
  }

  @Test func randomBitPatterns() {
    var generator = SystemRandomNumberGenerator()
    #expect(Self.firstMismatch((0..<2_000_000).lazy.map { _ in Double(bitPattern: generator.next()) }) == nil)
  }

  @Test func randomDecimals() {
    var generator = SystemRandomNumberGenerator()
    let ranges: [ClosedRange<Double>] = [-100...100, -1...1, 0...1e-3, 1e14...1e17, 0...360]
    #expect(Self.firstMismatch((0..<1_000_000).lazy.map { i in Double.random(in: ranges[i % ranges.count], using: &generator) }) == nil)
  }

  @Test func edgeCases() {
    var values: [Double] = [.leastNonzeroMagnitude, .greatestFiniteMagnitude, .leastNormalMagnitude, 1e-5, 1e-4,
                            9.999999999999999e-5, 1e15, 1e16, 1e17, 9007199254740992, 9007199254740994,
                            9007199254740996, 18014398509481984, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 1e23, 9.5, 2.5,
                            5e-324, 4.35, 0.15, 6.283185307179586, 1.0471975511965976]
    // Powers of two (the asymmetric intervals) and of ten, and their neighbours.
    for e in -1074...1023 {
      let x = Double(sign: .plus, exponent: e, significand: 1)
      values += [x, x.nextUp, x.nextDown]
    }
    for p in -323...308 {
      if let x = Double("1e\(p)") { values += [x, x.nextUp, x.nextDown] }
    }
    // Whole numbers past the integer path, short decimals and repeating fractions.
    for i in 1...100_000 {
      values += [Double(i) / 1000, Double(i) * 0.1, Double(i) / 7, 1e15 + Double(i) * 2.5]
    }
    #expect(Self.firstMismatch(values) == nil)
  }
}
