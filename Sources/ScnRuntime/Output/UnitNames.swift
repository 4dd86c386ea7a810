import ScnUnits

/// How to spell a dimension in base units (`m/s^2`), given each base dimension's base unit
/// as the StdLib declares it. The default is the prelude's.
public struct UnitNames: Sendable {
  /// Base dimension name → base unit symbol, e.g. `Length` → `m`.
  public let baseUnits: [String: String]
  /// Spellings worked out ahead of time (`caching`), so writing a scene spells no unit.
  private var spelled: [Dimension: String] = [:]

  public init(baseUnits: [String: String]) { self.baseUnits = baseUnits }

  /// The same names with the spelling of each of `dimensions` computed once.
  public func caching(_ dimensions: some Sequence<Dimension>) -> UnitNames {
    var copy = self
    for d in dimensions where copy.spelled[d] == nil { copy.spelled[d] = spellUncached(d) }
    return copy
  }

  public static let prelude = UnitNames(baseUnits: [
    "Length": "m", "Time": "s", "Mass": "kg", "Angle": "rad", "Illuminance": "lx",
    "LuminousIntensity": "cd",
  ])

  /// `m`, `m/s`, `m/s^2`, `1/s`; empty for dimensionless.
  public func spell(_ d: Dimension) -> String {
    spelled[d] ?? spellUncached(d)
  }

  private func spellUncached(_ d: Dimension) -> String {
    if d.isDimensionless { return "" }
    func term(_ f: Dimension.Factor, _ e: Int) -> String {
      let u = baseUnits[f.base] ?? f.base
      return e == 1 ? u : "\(u)^\(e)"
    }
    let num = d.factors.filter { $0.exponent > 0 }.map { term($0, $0.exponent) }
    let den = d.factors.filter { $0.exponent < 0 }.map { term($0, -$0.exponent) }
    var s = num.isEmpty ? "1" : num.joined(separator: "*")
    for x in den { s += "/" + x }
    return s
  }

  /// `Length (m)`, for messages.
  public func describe(_ d: Dimension) -> String {
    d.isDimensionless ? "a plain number" : "\(d) (\(spell(d)))"
  }
}
