/// A JSON value whose objects keep their keys in the order they were built, so output
/// bytes never depend on hashing. Doubles print in Swift's shortest round-trip form;
/// non-finite numbers print as `null`.
public indirect enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  /// Sample indices and seeds, which use the whole unsigned range.
  case uint(UInt64)
  case number(Double)
  case string(String)
  case array([JSON])
  case object([(String, JSON)])

  public static func == (a: JSON, b: JSON) -> Bool { a.serialized() == b.serialized() }

  /// Compact serialisation, no spaces, no trailing newline.
  public func serialized() -> String {
    var out = ""
    write(into: &out)
    return out
  }

  public func write(into out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .uint(let u): out += String(u)
    case .number(let x): out += JSON.format(x)
    case .string(let s): JSON.quote(s, into: &out)
    case .array(let xs):
      out += "["
      for (i, x) in xs.enumerated() {
        if i > 0 { out += "," }
        x.write(into: &out)
      }
      out += "]"
    case .object(let pairs):
      out += "{"
      for (i, (k, v)) in pairs.enumerated() {
        if i > 0 { out += "," }
        JSON.quote(k, into: &out)
        out += ":"
        v.write(into: &out)
      }
      out += "}"
    }
  }

  /// Shortest round-trip text; -0 prints as 0 so equal scenes print equally.
  public static func format(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == 0 { return "0.0" }
    return "\(x)"
  }

  static func quote(_ s: String, into out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}
