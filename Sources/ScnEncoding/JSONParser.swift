/// Why a JSON text could not be read, with the byte offset where reading stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
  public var offset: Int
  public var message: String
  public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

extension JSONValue {
  /// Parses one JSON document, keeping object key order and telling integers (no fraction,
  /// no exponent) from doubles, so a parsed value writes back to the same bytes.
  public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try parse(bytes: Array(text.utf8))
  }

  public static func parse(bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    parser.skipSpace()
    let value = try parser.value(depth: 0)
    parser.skipSpace()
    guard parser.atEnd else { throw parser.error("trailing characters after the value") }
    return value
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var position = 0
  /// Deep enough for every file scn writes, shallow enough that hostile input cannot
  /// exhaust the stack.
  static let maximumDepth = 256

  init(bytes: [UInt8]) { self.bytes = bytes }

  var atEnd: Bool { position >= bytes.count }

  func error(_ message: String) -> JSONParseError { JSONParseError(offset: position, message: message) }

  mutating func skipSpace() {
    while position < bytes.count {
      switch bytes[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

  mutating func expect(_ literal: String) throws(JSONParseError) {
    for byte in literal.utf8 {
      guard peek() == byte else { throw error("expected '\(literal)'") }
      position += 1
    }
  }

  mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
    guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth)") }
    guard let byte = peek() else { throw error("unexpected end of input") }
    switch byte {
    case UInt8(ascii: "n"): try expect("null"); return .null
    case UInt8(ascii: "t"): try expect("true"); return .bool(true)
    case UInt8(ascii: "f"): try expect("false"); return .bool(false)
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "["): return try array(depth: depth)
    case UInt8(ascii: "{"): return try object(depth: depth)
    default: return try number()
    }
  }

  mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
    position += 1
    var items: [JSONValue] = []
    skipSpace()
    if peek() == UInt8(ascii: "]") { position += 1; return .array(items) }
    while true {
      skipSpace()
      items.append(try value(depth: depth + 1))
      skipSpace()
      guard let next = peek() else { throw error("unterminated array") }
      position += 1
      if next == UInt8(ascii: "]") { return .array(items) }
      guard next == UInt8(ascii: ",") else { throw error("expected ',' or ']' in array") }
    }
  }

  mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
    position += 1
    var members: [(String, JSONValue)] = []
    skipSpace()
    if peek() == UInt8(ascii: "}") { position += 1; return .object(members) }
    while true {
      skipSpace()
      guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
      let key = try string()
      skipSpace()
      try expect(":")
      skipSpace()
      members.append((key, try value(depth: depth + 1)))
      skipSpace()
      guard let next = peek() else { throw error("unterminated object") }
      position += 1
      if next == UInt8(ascii: "}") { return .object(members) }
      guard next == UInt8(ascii: ",") else { throw error("expected ',' or '}' in object") }
    }
  }

  mutating func string() throws(JSONParseError) -> String {
    position += 1
    // Up to the first quote, backslash or control character in one scan: a string without
    // escapes (keys, names, nearly every value scn writes) is decoded in one piece; otherwise the
    // bytes scanned start the first run below.
    let start = position
    let stop = bytes.withUnsafeBufferPointer { b in
      var i = start
      while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\"), b[i] >= 0x20 { i += 1 }
      return i
    }
    if stop < bytes.count, bytes[stop] == UInt8(ascii: "\"") {
      position = stop + 1
      return String(decoding: bytes[start..<stop], as: UTF8.self)
    }
    position = stop
    var scalars = String.UnicodeScalarView()
    var run = Array(bytes[start..<stop])
    func flush() {
      if !run.isEmpty {
        scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        run.removeAll(keepingCapacity: true)
      }
    }
    while true {
      guard let byte = peek() else { throw error("unterminated string") }
      position += 1
      switch byte {
      case UInt8(ascii: "\""):
        flush()
        return String(scalars)
      case UInt8(ascii: "\\"):
        flush()
        guard let escaped = peek() else { throw error("unterminated escape") }
        position += 1
        switch escaped {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code) {
            try expect("\\u")
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          }
          guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
          scalars.append(scalar)
        default: throw error("unknown escape")
        }
      case 0..<0x20: throw error("control character in string")
      default: run.append(byte)
      }
    }
  }

  mutating func hex4() throws(JSONParseError) -> UInt32 {
    var code: UInt32 = 0
    for _ in 0..<4 {
      guard let byte = peek(), let digit = hexDigit(byte) else { throw error("bad \\u escape") }
      code = code * 16 + digit
      position += 1
    }
    return code
  }

  func hexDigit(_ byte: UInt8) -> UInt32? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
    default: return nil
    }
  }

  mutating func number() throws(JSONParseError) -> JSONValue {
    let start = position
    guard let first = peek(), first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
      throw error("unexpected character")
    }
    var integral = true
    if peek() == UInt8(ascii: "-") { position += 1 }
    while let byte = peek() {
      if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+")
        || byte == UInt8(ascii: "-")
      {
        position += 1
      } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
        integral = false
        position += 1
      } else {
        break
      }
    }
    if let value = Self.plainNumber(bytes, start..<position) { return value }
    let text = String(decoding: bytes[start..<position], as: UTF8.self)
    guard !text.isEmpty, text != "-" else { throw error("unexpected character") }
    if integral {
      if let i = Int64(text) { return .int(i) }
      if let u = UInt64(text) { return .unsigned(u) }
    }
    guard let d = Double(text), d.isFinite else { throw error("invalid number '\(text)'") }
    return .double(d)
  }

  /// Exactly powers of ten as doubles (10^22 is the largest that is).
  static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
  ]

  /// The value of `bytes[range]` without making a `String`, when the text is a plain JSON
  /// number (`-?digits(.digits)?([eE][+-]?digits)?`) whose value is sure to be what the
  /// general path reads: an integer of at most 18 digits (what `Int64(text)` gives), or a
  /// decimal whose digits make an integer m ≤ 2^53 scaled by 10^e with |e| ≤ 22, so that m and
  /// 10^e are exact doubles and the one multiplication or division rounds correctly, as
  /// `Double(text)` does (Clinger's fast path). Nil otherwise (the caller reads the text).
  static func plainNumber(_ bytes: [UInt8], _ range: Range<Int>) -> JSONValue? {
    bytes.withUnsafeBufferPointer { b -> JSONValue? in
      var i = range.lowerBound
      let end = range.upperBound
      let negative = i < end && b[i] == UInt8(ascii: "-")
      if negative { i += 1 }
      @inline(__always) func digit(_ k: Int) -> UInt64? {
        k < end && b[k] >= UInt8(ascii: "0") && b[k] <= UInt8(ascii: "9") ? UInt64(b[k] - UInt8(ascii: "0")) : nil
      }
      // The digits before and after the point as one integer; digits past 19 significant
      // ones are left to the general path.
      var mantissa: UInt64 = 0
      var significant = 0
      var digits = 0
      var fraction = 0
      var integral = true
      while let d = digit(i) {
        if mantissa > 0 || d > 0 { significant += 1 }
        mantissa = mantissa &* 10 &+ d
        digits += 1
        i += 1
      }
      guard digits > 0 else { return nil }
      if i < end && b[i] == UInt8(ascii: ".") {
        integral = false
        i += 1
        let before = i
        while let d = digit(i) {
          if mantissa > 0 || d > 0 { significant += 1 }
          mantissa = mantissa &* 10 &+ d
          i += 1
        }
        fraction = i - before
        guard fraction > 0 else { return nil }
      }
      var exponent = 0
      if i < end && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
        integral = false
        i += 1
        var negativeExponent = false
        if i < end && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) {
          negativeExponent = b[i] == UInt8(ascii: "-")
          i += 1
        }
        let before = i
        while let d = digit(i), exponent < 1000 {
          exponent = exponent * 10 + Int(d)
          i += 1
        }
        guard i > before, i == end || digit(i) == nil else { return nil }
        if negativeExponent { exponent = -exponent }
      }
      guard i == end, significant <= 19 else { return nil }
      if integral {
        guard digits <= 18 else { return nil }
        let value = Int64(mantissa)
        return .int(negative ? -value : value)
      }
      let scale = exponent - fraction
      guard mantissa <= 1 << 53, scale >= -22, scale <= 22 else { return nil }
      let m = Double(mantissa)
      let magnitude = scale < 0 ? m / powersOfTen[-scale] : m * powersOfTen[scale]
      return .double(negative ? -magnitude : magnitude)
    }
  }
}
