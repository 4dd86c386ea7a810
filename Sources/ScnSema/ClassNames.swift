import ScnSource

/// Class names become tokens in line-based label files (KITTI's first field) and names in
/// every annotation format, so the checker rejects any whitespace or control character in a
/// string literal given to an actor's `class` field (E0265).
enum ClassNames {
  /// Why `name` cannot be a class name, or nil when it can.
  static func problem(_ name: String) -> String? {
    if name.isEmpty { return "nothing (it is empty)" }
    for s in name.unicodeScalars {
      if s == "\n" || s == "\r" { return "a line break (U+\(hex(s)))" }
      if s == "\t" { return "a tab (U+0009)" }
      if isControl(s) { return "the control character U+\(hex(s))" }
      if s.properties.isWhitespace { return s == " " ? "a space" : "the whitespace character U+\(hex(s))" }
    }
    return nil
  }

  static func isControl(_ s: Unicode.Scalar) -> Bool {
    switch s.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: true
    default: false
    }
  }

  static func hex(_ s: Unicode.Scalar) -> String {
    let digits = String(s.value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  /// The name with every run of offending characters turned into one `_`.
  static func suggestion(_ name: String) -> String {
    var out = ""
    var pendingGap = false
    for s in name.unicodeScalars {
      if isControl(s) || s.properties.isWhitespace {
        pendingGap = !out.isEmpty
        continue
      }
      if pendingGap { out += "_" }
      pendingGap = false
      out.unicodeScalars.append(s)
    }
    return out.isEmpty ? "object" : out
  }

  /// The name in double quotes with control characters escaped, safe to print.
  static func quoted(_ name: String) -> String {
    var out = "\""
    for s in name.unicodeScalars {
      switch s {
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if isControl(s) { out += "\\u{\(String(s.value, radix: 16, uppercase: true))}" } else { out.unicodeScalars.append(s) }
      }
    }
    return out + "\""
  }
}

extension Checker {
  /// E0265 for every string literal a `class` field can take from `value` (the literal itself,
  /// the alternatives of a choice or a conditional, a list element...).
  func checkClassNames(_ value: TypedExpr) {
    switch value.kind {
    case .constant(let c): checkClassNames(c, at: value.range)
    case .globalConstant(_, let v): checkClassNames(v)
    default:
      for child in Mirror(reflecting: value.kind).children {
        visitTyped(child.value)
      }
    }
  }

  private func visitTyped(_ any: Any) {
    if let e = any as? TypedExpr { return checkClassNames(e) }
    for child in Mirror(reflecting: any).children { visitTyped(child.value) }
  }

  private func checkClassNames(_ c: ConstValue, at range: SourceRange) {
    switch c {
    case .string(let s):
      if let problem = ClassNames.problem(s) { report(SemaDiagnostics.badClassName(s, reason: problem, at: range)) }
    case .list(let items), .tuple(let items):
      for item in items { checkClassNames(item, at: range) }
    default: break
    }
  }
}
