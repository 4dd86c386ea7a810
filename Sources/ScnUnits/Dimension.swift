/// A physical dimension as integer exponents over named base dimensions, e.g.
/// `Length^1 Time^-2` for acceleration. The base dimensions are whatever the StdLib
/// declares (`dimension Length`), so nothing here hard-codes SI.
///
/// Exponents are kept sorted by base name, so equal dimensions compare, hash and print
/// identically regardless of how they were derived (this reaches the IR hash).
public struct Dimension: Hashable, Sendable, CustomStringConvertible, Encodable {
  /// Encoded as its canonical spelling (`Length / Time^2`), the form the IR printer uses.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }

  public struct Factor: Hashable, Sendable {
    public let base: String
    public let exponent: Int
  }

  /// Sorted by `base`, no zero exponents.
  public let factors: [Factor]

  public static let dimensionless = Dimension(factors: [])

  private init(factors: [Factor]) { self.factors = factors }

  public init(base: String) { self.init(factors: [Factor(base: base, exponent: 1)]) }

  public init(exponents: [(base: String, exponent: Int)]) {
    var merged: [String: Int] = [:]
    for (b, e) in exponents { merged[b, default: 0] += e }
    self.init(factors: merged.filter { $0.value != 0 }.map { Factor(base: $0.key, exponent: $0.value) }
      .sorted { $0.base < $1.base })
  }

  public var isDimensionless: Bool { factors.isEmpty }

  public static func * (a: Dimension, b: Dimension) -> Dimension {
    Dimension(exponents: (a.factors + b.factors).map { ($0.base, $0.exponent) })
  }

  public static func / (a: Dimension, b: Dimension) -> Dimension { a * b.power(-1) }

  public func power(_ k: Int) -> Dimension {
    Dimension(exponents: factors.map { ($0.base, $0.exponent * k) })
  }

  /// `Length / Time^2`, `Length^2`, `1 / Time`, or `1` for dimensionless.
  public var description: String {
    if factors.isEmpty { return "1" }
    func term(_ f: Factor, _ e: Int) -> String { e == 1 ? f.base : "\(f.base)^\(e)" }
    let num = factors.filter { $0.exponent > 0 }.map { term($0, $0.exponent) }
    let den = factors.filter { $0.exponent < 0 }.map { term($0, -$0.exponent) }
    let top = num.isEmpty ? "1" : num.joined(separator: " * ")
    if den.isEmpty { return top }
    return top + " / " + (den.count == 1 ? den[0] : "(" + den.joined(separator: " * ") + ")")
  }
}
