import ScnUnits

/// A value known at compile time. Quantities are in base units; `exact` keeps the exact
/// rational when the value came from decimal literals and exact unit factors, so that
/// `30km/h == 25m/s / 3` folds to true without rounding.
public indirect enum ConstValue: Hashable, Sendable {
  case bool(Bool)
  case int(Int64)
  case real(Double, exact: Rational?)
  case string(String)
  case enumCase(type: String, name: String)
  case list([ConstValue])
  case tuple([ConstValue])

  /// The numeric value as a double (Int included).
  public var number: Double? {
    switch self {
    case .int(let i): Double(i)
    case .real(let x, _): x
    default: nil
    }
  }

  /// The exact rational value when known (Int always is).
  public var exact: Rational? {
    switch self {
    case .int(let i): Rational(integer: i)
    case .real(_, let e): e
    default: nil
    }
  }

  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  static func real(_ x: Double) -> ConstValue { .real(x, exact: nil) }

  static func exactReal(_ r: Rational) -> ConstValue { .real(r.doubleValue, exact: r) }
}
