import ScnIR
import ScnSource
import ScnUnits

/// A `--param name=value` override as the driver parsed it (units already resolved to base
/// units); the sampler checks it against the param's type.
public struct ParamOverride: Sendable, Equatable {
  public enum Literal: Sendable, Equatable {
    /// A number with the dimension of its unit suffix (dimensionless without one).
    case number(Double, Dimension, isInteger: Bool)
    /// A bare word: `true`, `false` or an enum case.
    case word(String)
    /// A quoted string.
    case string(String)
  }

  public let name: String
  public let literal: Literal
  /// The argument as typed, for messages.
  public let text: String

  public init(name: String, literal: Literal, text: String) {
    self.name = name
    self.literal = literal
    self.text = text
  }

  /// The override as a value of `type`, or an error naming what was expected and found.
  func value(for type: IRType, enums: [String: [String]], units: UnitNames, at range: SourceRange)
    throws(RuntimeError) -> Value
  {
    func mismatch(_ expected: String, _ found: String) -> RuntimeError {
      RuntimeError(.badParamOverride,
                   "--param \(text): param '\(name)' expects \(expected), found \(found)", at: range)
    }
    let found: String
    switch literal {
    case .number(_, let d, let isInteger):
      found = d.isDimensionless ? (isInteger ? "an integer" : "a plain number") : units.describe(d)
    case .word(let w): found = "'\(w)'"
    case .string: found = "a string"
    }
    switch type {
    case .int:
      if case .number(let x, let d, true) = literal, d.isDimensionless {
        if abs(x) < 9.2e18 { return .int(Int64(x)) }
        let typed = text.split(separator: "=", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? text
        throw mismatch("an integer between -9.2e18 and 9.2e18 (64 bits)", "\(typed), which is out of that range")
      }
      throw mismatch("an integer", found)
    case .quantity(let d):
      if case .number(let x, let got, _) = literal, got == d { return .real(x) }
      throw mismatch(d.isDimensionless ? "a plain number" : units.describe(d), found)
    case .bool:
      if case .word(let w) = literal, w == "true" || w == "false" { return .bool(w == "true") }
      throw mismatch("true or false", found)
    case .string:
      switch literal {
      case .string(let s), .word(let s): return .string(s)
      case .number: throw mismatch("a string", found)
      }
    case .enumeration(let e):
      let cases = enums[e] ?? []
      if case .word(let w) = literal, cases.contains(w) { return .enumCase(w) }
      throw mismatch("one of " + cases.joined(separator: ", ") + " (\(e))", found)
    default:
      throw mismatch("a value of type \(type) (not settable from the command line)", found)
    }
  }
}
