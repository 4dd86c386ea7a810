/// A JSON value whose objects keep their keys in the order they were built.
///
/// Every JSON byte the dataset writes goes through this type, never through `JSONEncoder`,
/// so key order and number spelling are fixed: same value, same bytes, on any platform.
public enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  case unsigned(UInt64)
  /// Written in Swift's shortest round-trip form; non-finite values are written as `null`.
  case double(Double)
  case string(String)
  case array([JSONValue])
  /// Ordered members; duplicate keys are the builder's mistake and are written as given.
  case object([(String, JSONValue)])

  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case let (.bool(a), .bool(b)): return a == b
    case let (.int(a), .int(b)): return a == b
    case let (.unsigned(a), .unsigned(b)): return a == b
    // The parser reads integers that fit Int64 as `.int`, so equal numbers compare equal.
    case let (.int(a), .unsigned(b)), let (.unsigned(b), .int(a)): return a >= 0 && UInt64(a) == b
    case let (.double(a), .double(b)): return a.bitPattern == b.bitPattern || a == b
    case let (.string(a), .string(b)): return a == b
    case let (.array(a), .array(b)): return a == b
    case let (.object(a), .object(b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }
}

extension JSONValue {
  /// Builds an integer value from any platform integer.
  public static func integer(_ value: Int) -> JSONValue { .int(Int64(value)) }

  /// A double with -0 made 0, for outputs where equal values must print equally.
  public static func number(_ x: Double) -> JSONValue { .double(x == 0 ? 0 : x) }

  /// The member named `key` of an object, or `nil`.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectMembers: [(String, JSONValue)]? {
    if case .object(let m) = self { return m }
    return nil
  }

  /// Any number as a `Double` (integers convert exactly up to 2^53).
  public var doubleValue: Double? {
    switch self {
    case .int(let i): return Double(i)
    case .unsigned(let u): return Double(u)
    case .double(let d): return d
    default: return nil
    }
  }

  /// An integral number as `Int`, or `nil` when it is not one or does not fit.
  public var intValue: Int? {
    switch self {
    case .int(let i): return Int(exactly: i)
    case .unsigned(let u): return Int(exactly: u)
    case .double(let d): return d.rounded() == d ? Int(exactly: d) : nil
    default: return nil
    }
  }
}

// MARK: - Writing

extension JSONValue {
  /// Single-line form (JSON Lines records, compact files).
  public var compact: String {
    var out = JSONBytes()
    write(into: &out)
    return out.text
  }

  /// Two-space indented form with a final newline (human-facing files).
  public var pretty: String {
    var out = JSONBytes()
    write(into: &out, indent: 2, level: 0)
    out.byte(0x0A)
    return out.text
  }

  /// Appends the single-line form.
  public func write(into out: inout JSONBytes) { write(into: &out, indent: nil, level: 0) }

  private func write(into out: inout JSONBytes, indent: Int?, level: Int) {
    switch self {
    case .null: out.raw("null")
    case .bool(let b): out.bool(b)
    case .int(let i): out.int(i)
    case .unsigned(let u): out.uint(u)
    case .double(let d): out.double(d)
    case .string(let s): out.string(s)
    case .array(let items):
      if items.isEmpty { return out.raw("[]") }
      // Arrays of scalars stay on one line even in pretty form: poses, boxes and
      // matrices read better that way and the files stay small.
      let inline = indent == nil || items.allSatisfy(\.isScalar)
      out.raw("[")
      for (i, item) in items.enumerated() {
        if i > 0 {
          if inline && indent != nil { out.raw(", ") } else { out.raw(",") }
        }
        if !inline, let indent { JSONValue.newline(&out, indent, level + 1) }
        item.write(into: &out, indent: inline ? nil : indent, level: level + 1)
      }
      if !inline, let indent { JSONValue.newline(&out, indent, level) }
      out.raw("]")
    case .object(let members):
      if members.isEmpty { return out.raw("{}") }
      out.raw("{")
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out.raw(",") }
        if let indent { JSONValue.newline(&out, indent, level + 1) }
        out.key(key)
        if indent != nil { out.raw(" ") }
        value.write(into: &out, indent: indent, level: level + 1)
      }
      if let indent { JSONValue.newline(&out, indent, level) }
      out.raw("}")
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private static func newline(_ out: inout JSONBytes, _ indent: Int, _ level: Int) {
    out.byte(0x0A)
    for _ in 0..<(indent * level) { out.byte(0x20) }
  }

  /// Shortest digits that read back as the same `Double` (Swift's `description`), which is
  /// valid JSON for every finite value (`1.0`, `1e-05`, `1.5e+300`); `null` when not finite.
  /// With `negativeZero: false`, -0 is spelled `0.0`.
  public static func spell(_ d: Double, negativeZero: Bool = true) -> String {
    var out = JSONBytes()
    out.double(d, negativeZero: negativeZero)
    return out.text
  }

  /// Appends `s` quoted and escaped as a JSON string.
  public static func quote(_ s: String, into text: inout String) {
    var out = JSONBytes()
    out.string(s)
    text += out.text
  }
}
