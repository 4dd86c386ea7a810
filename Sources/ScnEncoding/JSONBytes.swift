/// JSON text written as UTF-8 bytes into one growing buffer, with no `String` built per
/// value: the writer behind `JSONValue.compact`/`pretty` and behind `scn sample`'s JSON
/// Lines, which reuses one buffer for every scene (`removeAll(keepingCapacity:)`).
///
/// It writes tokens, not structure: the caller puts the commas and colons (`comma()`,
/// `key(_:)`), so a scene can be written straight from its values without a tree.
public struct JSONBytes: Sendable {
  public private(set) var bytes: [UInt8]

  public init(capacity: Int = 0) {
    bytes = []
    bytes.reserveCapacity(capacity)
  }

  public var count: Int { bytes.count }

  /// Empties the buffer, keeping its storage for the next document.
  public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

  /// Raw ASCII text: punctuation, `null`, `true`, keys known to need no escaping.
  public mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  public mutating func byte(_ b: UInt8) { bytes.append(b) }

  /// Text copied as is, unquoted: for output that mixes JSON with plain lines.
  public mutating func plain(_ text: String) {
    var text = text
    text.withUTF8 { bytes.append(contentsOf: $0) }
  }

  public mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

  /// `"key":`, with the key escaped.
  public mutating func key(_ name: String) {
    string(name)
    bytes.append(UInt8(ascii: ":"))
  }

  /// A quoted string: `"` and `\` escaped, `\n` `\r` `\t` as such, other control
  /// characters as `\u00XX`; everything else (valid UTF-8, since it comes from a `String`)
  /// copied as is.
  public mutating func string(_ s: String) {
    bytes.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { utf8 in
      var runStart = 0
      for i in 0..<utf8.count {
        let b = utf8[i]
        guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
        if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
        runStart = i + 1
        switch b {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        default:
          raw("\\u00")
          bytes.append(Self.hexDigit(b >> 4))
          bytes.append(Self.hexDigit(b & 0x0F))
        }
      }
      if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }

  public mutating func int(_ i: Int64) {
    if i < 0 {
      bytes.append(UInt8(ascii: "-"))
      uint(i.magnitude)
    } else {
      uint(UInt64(i))
    }
  }

  public mutating func int(_ i: Int) { int(Int64(i)) }

  public mutating func uint(_ u: UInt64) {
    if u < 10 {
      bytes.append(UInt8(ascii: "0") + UInt8(u))
      return
    }
    // At most 20 digits; written backwards into a stack buffer.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
      var v = u
      var k = 20
      while v > 0 {
        k -= 1
        digits[k] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
    }
  }

  /// A double in Swift's shortest round-trip form, byte for byte `x.description` (`1.0`,
  /// `0.1`, `1e-05`, `1.5e+300`), written by the standard library's own formatter into a
  /// stack buffer, so no `String` is made. Non-finite values are written as `null`;
  /// with `negativeZero: false`, -0 is written as `0.0` (so equal values print equally).
  public mutating func double(_ x: Double, negativeZero: Bool = true) {
    guard x.isFinite else { return raw("null") }
    if x == 0 { return x.sign == .minus && negativeZero ? raw("-0.0") : raw("0.0") }
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
      guard let base = buffer.baseAddress else { return }
      // The routine leaves some zero digits it counts (`2.0`, `-0.04…`) as it finds them in
      // the buffer, so the buffer starts as '0's; ScnEncodingTests checks the result
      // against `description` on random bit patterns.
      buffer.initialize(repeating: UInt8(ascii: "0"))
      let n = Int(swiftFloat64ToString(base, 32, x, false))
      bytes.append(contentsOf: UnsafeBufferPointer(start: base, count: min(n, 32)))
    }
  }

  /// The text as a `String` (for callers that want one; `bytes` is the product).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// The standard library's shortest round-trip formatter (SwiftDtoa), the one behind
/// `Double.description` (with `debug: false`): writes at most `length` bytes, returns how
/// many. Exported by libswiftCore; `ScnEncodingTests` checks it against `description`.
@_silgen_name("swift_float64ToString")
private func swiftFloat64ToString(
  _ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Double, _ debug: Bool
) -> UInt64
