/// JSON text written as UTF-8 bytes into one growing buffer, with no `String` built per
/// value: the writer behind `JSONValue.compact`/`pretty` and behind `scn sample`'s JSON
/// Lines, which reuses one buffer per block of scenes (`removeAll()` keeps the storage).
///
/// It writes tokens, not structure: the caller puts the commas and colons (`comma()`,
/// `key(_:)`), so a scene can be written straight from its values without a tree. The small
/// writers are `@inlinable`, so a caller in another module appends without a call per token.
public struct JSONBytes: Sendable {
  @usableFromInline var storage: [UInt8]
  /// Doubles already formatted (`cachingNumbers`): bit pattern per slot (0: empty, as 0.0 is
  /// never looked up), text length per slot, and per slot `numberWidth` bytes of text (the
  /// formatter writes into 32 bytes).
  @usableFromInline var numberKeys: [UInt64] = []
  @usableFromInline var numberLengths: [UInt8] = []
  @usableFromInline var numberText: [UInt8] = []
  @usableFromInline static let numberWidth = 32
  @usableFromInline static let numberSlotBits = 10

  public init(capacity: Int = 0) {
    storage = []
    storage.reserveCapacity(capacity)
  }

  /// A buffer that remembers the text of the last doubles it formatted (1,024 slots by bit
  /// pattern): a scene repeats many values (sizes, colours, default fields), and a hit is
  /// a copy instead of a shortest-round-trip search. The text is the same either way.
  public static func cachingNumbers(capacity: Int = 0) -> JSONBytes {
    var b = JSONBytes(capacity: capacity)
    b.numberKeys = Array(repeating: 0, count: 1 << numberSlotBits)
    b.numberLengths = Array(repeating: 0, count: 1 << numberSlotBits)
    b.numberText = Array(repeating: 0, count: (1 << numberSlotBits) * numberWidth)
    return b
  }

  /// The text written so far.
  public var bytes: [UInt8] { storage }

  public var count: Int { storage.count }

  /// The text written from offset `start` on (a `count` read earlier), as a copy.
  public func bytes(from start: Int) -> [UInt8] { Array(storage[min(max(0, start), storage.count)...]) }

  /// Empties the buffer, keeping its storage (and remembered numbers) for the next document.
  @inlinable public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

  /// Raw ASCII text: punctuation, `null`, `true`, keys known to need no escaping.
  @inlinable @inline(__always)
  public mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { storage.append(contentsOf: $0) }
  }

  /// Bytes copied as they are (text already in JSON form, such as a pre-quoted key). Through
  /// a buffer pointer: `Array.append(contentsOf:)` takes its argument owned, so passing the
  /// array itself retains and releases it.
  @inlinable @inline(__always)
  public mutating func append(_ text: [UInt8]) { text.withUnsafeBufferPointer { storage.append(contentsOf: $0) } }

  @inlinable @inline(__always)
  public mutating func byte(_ b: UInt8) { storage.append(b) }

  /// Text copied as is, unquoted: for output that mixes JSON with plain lines.
  public mutating func plain(_ text: String) {
    var text = text
    text.withUTF8 { storage.append(contentsOf: $0) }
  }

  @inlinable public mutating func bool(_ b: Bool) { b ? raw("true") : raw("false") }

  /// `"key":`, with the key escaped.
  @inlinable public mutating func key(_ name: String) {
    string(name)
    storage.append(UInt8(ascii: ":"))
  }

  /// A quoted string: `"` and `\` escaped, `\n` `\r` `\t` as such, other control
  /// characters as `\u00XX`; everything else (valid UTF-8, since it comes from a `String`)
  /// copied as is.
  @inlinable public mutating func string(_ s: String) {
    storage.append(UInt8(ascii: "\""))
    var s = s
    s.withUTF8 { utf8 in
      var runStart = 0
      for i in 0..<utf8.count {
        let b = utf8[i]
        guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
        if runStart < i { storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
        runStart = i + 1
        escape(b)
      }
      if runStart < utf8.count { storage.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }
    storage.append(UInt8(ascii: "\""))
  }

  @usableFromInline mutating func escape(_ b: UInt8) {
    switch b {
    case UInt8(ascii: "\""): raw("\\\"")
    case UInt8(ascii: "\\"): raw("\\\\")
    case 0x0A: raw("\\n")
    case 0x0D: raw("\\r")
    case 0x09: raw("\\t")
    default:
      raw("\\u00")
      storage.append(Self.hexDigit(b >> 4))
      storage.append(Self.hexDigit(b & 0x0F))
    }
  }

  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10 }

  @inlinable public mutating func int(_ i: Int64) {
    if i < 0 {
      storage.append(UInt8(ascii: "-"))
      uint(i.magnitude)
    } else {
      uint(UInt64(i))
    }
  }

  @inlinable public mutating func int(_ i: Int) { int(Int64(i)) }

  @inlinable public mutating func uint(_ u: UInt64) {
    if u < 10 {
      storage.append(UInt8(ascii: "0") + UInt8(u))
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
      storage.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
    }
  }

  /// A double in Swift's shortest round-trip form, byte for byte `x.description` (`1.0`,
  /// `0.1`, `1e-05`, `1.5e+300`). Whole numbers below 10^15 in magnitude are written as
  /// their digits and `.0` (what `description` prints for them); others by `ShortestDouble`
  /// into a stack buffer (or from the number cache), so no `String` is made. Non-finite values are written as `null`; with `negativeZero: false`, -0 is
  /// written as `0.0` (so equal values print equally).
  @inlinable public mutating func double(_ x: Double, negativeZero: Bool = true) {
    guard x.isFinite else { return raw("null") }
    if x == 0 { return x.sign == .minus && negativeZero ? raw("-0.0") : raw("0.0") }
    if x.magnitude < 1e15, x == x.rounded(.towardZero) {
      int(Int64(x))
      return raw(".0")
    }
    if !numberKeys.isEmpty {
      let bits = x.bitPattern
      let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.numberSlotBits))
      if numberKeys[slot] == bits {
        let start = slot * Self.numberWidth
        let n = Int(numberLengths[slot])
        numberText.withUnsafeBufferPointer { t in
          storage.append(contentsOf: UnsafeBufferPointer(rebasing: t[start..<(start + n)]))
        }
        return
      }
      formatRemembering(x, slot: slot)
      return
    }
    format(x)
  }

  /// `x` by `ShortestDouble`, appended.
  @usableFromInline mutating func format(_ x: Double) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
      let n = Self.shortest(x, buffer)
      storage.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<n]))
    }
  }

  /// `x` by `ShortestDouble`, appended and kept in cache slot `slot`.
  @usableFromInline mutating func formatRemembering(_ x: Double, slot: Int) {
    let width = Self.numberWidth
    numberText.withUnsafeMutableBufferPointer { t in
      let text = UnsafeMutableBufferPointer(rebasing: t[(slot * width)..<(slot * width + width)])
      let n = Self.shortest(x, text)
      numberLengths[slot] = UInt8(n)
      storage.append(contentsOf: UnsafeBufferPointer(rebasing: text[0..<n]))
    }
    numberKeys[slot] = x.bitPattern
  }

  /// Writes the shortest round-trip text of a finite, non-zero `x` into `buffer` (32 bytes;
  /// the longest text is 24) and returns its length (`ShortestDouble`).
  private static func shortest(_ x: Double, _ buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
    guard let base = buffer.baseAddress, buffer.count >= 32 else { return 0 }
    return ShortestDouble.write(x, into: base)
  }

  /// The text as a `String` (for callers that want one; `bytes` is the product).
  public var text: String { String(decoding: storage, as: UTF8.self) }
}
