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
    var out = ""
    write(to: &out, indent: nil, level: 0)
    return out
  }

  /// Two-space indented form with a final newline (human-facing files).
  public var pretty: String {
    var out = ""
    write(to: &out, indent: "  ", level: 0)
    out.append("\n")
    return out
  }

  private func write(to out: inout String, indent: String?, level: Int) {
    switch self {
    case .null: out.append("null")
    case .bool(let b): out.append(b ? "true" : "false")
    case .int(let i): out.append(String(i))
    case .unsigned(let u): out.append(String(u))
    case .double(let d): out.append(JSONValue.spell(d))
    case .string(let s): JSONValue.quote(s, into: &out)
    case .array(let items):
      if items.isEmpty { out.append("[]"); return }
      // Arrays of scalars stay on one line even in pretty form: poses, boxes and
      // matrices read better that way and the files stay small.
      let inline = indent == nil || items.allSatisfy(\.isScalar)
      out.append("[")
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(inline && indent != nil ? ", " : ",") }
        if !inline, let indent { JSONValue.newline(&out, indent, level + 1) }
        item.write(to: &out, indent: inline ? nil : indent, level: level + 1)
      }
      if !inline, let indent { JSONValue.newline(&out, indent, level) }
      out.append("]")
    case .object(let members):
      if members.isEmpty { out.append("{}"); return }
      out.append("{")
      for (i, (key, value)) in members.enumerated() {
        if i > 0 { out.append(",") }
        if let indent { JSONValue.newline(&out, indent, level + 1) }
        JSONValue.quote(key, into: &out)
        out.append(indent == nil ? ":" : ": ")
        value.write(to: &out, indent: indent, level: level + 1)
      }
      if let indent { JSONValue.newline(&out, indent, level) }
      out.append("}")
    }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: return false
    default: return true
    }
  }

  private static func newline(_ out: inout String, _ indent: String, _ level: Int) {
    out.append("\n")
    for _ in 0..<level { out.append(indent) }
  }

  /// Shortest digits that read back as the same `Double` (Swift's `description`), which is
  /// valid JSON for every finite value (`1.0`, `1e-05`, `1.5e+300`).
  static func spell(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    return d.description
  }

  static func quote(_ s: String, into out: inout String) {
    out.append("\"")
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out.append("\\\"")
      case "\\": out.append("\\\\")
      case "\n": out.append("\\n")
      case "\r": out.append("\\r")
      case "\t": out.append("\\t")
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
      default: out.unicodeScalars.append(scalar)
      }
    }
    out.append("\"")
  }
}
