/// A declared unit: its dimension and its exact factor to the coherent base units
/// (`km`: Length, 1000; `h`: Time, 3600; `deg`: Angle, π/180 handled as `inexactFactor`).
public struct UnitDefinition: Hashable, Sendable {
  public let name: String
  public let dimension: Dimension
  /// The exact factor when it is rational (every SI prefix, `h`, `mph`, `in` …).
  public let factor: Rational?
  /// The factor as a double; equals `factor.doubleValue` when `factor` is exact. Units such as
  /// `deg` (π/180) have only this.
  public let doubleFactor: Double

  public init(name: String, dimension: Dimension, factor: Rational) {
    self.name = name
    self.dimension = dimension
    self.factor = factor
    self.doubleFactor = factor.doubleValue
  }

  public init(name: String, dimension: Dimension, inexactFactor: Double) {
    self.name = name
    self.dimension = dimension
    self.factor = nil
    self.doubleFactor = inexactFactor
  }
}

/// A unit expression after resolution, e.g. `km/h` → Length/Time with factor 5/18.
public struct ResolvedUnit: Hashable, Sendable {
  public let dimension: Dimension
  public let factor: Rational?
  public let doubleFactor: Double

  public static let one = ResolvedUnit(dimension: .dimensionless, factor: .one, doubleFactor: 1)

  /// The value of `literal` (decimal text) in this unit, in base units. Exact rational
  /// arithmetic when both parts are exact, so `30km/h` is exactly 25/3 m/s before the single
  /// rounding to `Double`.
  public func baseValue(ofDecimal literal: String) -> Double? {
    if let f = factor, let v = Rational(decimal: literal), let product = v.multiplied(by: f) {
      return product.doubleValue
    }
    guard let v = Double(literal.replacingOccurrences(of: "_", with: "")) else { return nil }
    return v * doubleFactor
  }
}

/// Why a unit suffix could not be resolved. The checker turns these into diagnostics
/// (with "did you mean" from `UnitTable.suggestion(for:)`).
public enum UnitError: Error, Hashable, Sendable {
  /// A name in the suffix is not a declared unit; `offset` is its byte offset in the suffix.
  case unknownUnit(name: String, offset: Int)
  /// The suffix does not follow `name (/ name | ^ -?digits)*`.
  case malformed(offset: Int)
  /// The combined factor does not fit in 64-bit rationals (absurd exponents).
  case overflow
}

/// The units in scope, as declared by `unit` statements in the StdLib and user files.
public struct UnitTable: Sendable {
  public private(set) var units: [String: UnitDefinition] = [:]

  public init() {}

  public mutating func declare(_ unit: UnitDefinition) { units[unit.name] = unit }

  public subscript(name: String) -> UnitDefinition? { units[name] }

  /// The closest declared unit name, for "did you mean".
  public func suggestion(for name: String) -> String? {
    nearestName(name, in: units.keys.sorted())
  }

  /// Resolves a suffix as the lexer reads it: `name (/ name | ^ -?digits)*`, where `^k`
  /// applies to the name just before it and `/` divides by the next name (with its power):
  /// `m/s^2` = m · s⁻², `kg/m/s` = kg · m⁻¹ · s⁻¹.
  public func resolve(_ suffix: String) -> Result<ResolvedUnit, UnitError> {
    let terms: [(name: String, exponent: Int, offset: Int)]
    switch UnitTable.parseSuffix(suffix) {
    case .success(let t): terms = t
    case .failure(let e): return .failure(e)
    }
    var dimension = Dimension.dimensionless
    var factor: Rational? = .one
    var doubleFactor = 1.0
    for term in terms {
      guard let unit = units[term.name] else {
        return .failure(.unknownUnit(name: term.name, offset: term.offset))
      }
      dimension = dimension * unit.dimension.power(term.exponent)
      if let f = unit.factor, let current = factor {
        guard let p = f.power(term.exponent), let next = current.multiplied(by: p) else { return .failure(.overflow) }
        factor = next
      } else {
        factor = nil
      }
      doubleFactor *= pow(unit.doubleFactor, term.exponent)
    }
    if let f = factor { doubleFactor = f.doubleValue }
    return .success(ResolvedUnit(dimension: dimension, factor: factor, doubleFactor: doubleFactor))
  }

  static func parseSuffix(_ s: String) -> Result<[(name: String, exponent: Int, offset: Int)], UnitError> {
    let bytes = Array(s.utf8)
    var i = 0
    var terms: [(name: String, exponent: Int, offset: Int)] = []
    var sign = 1
    func isNameByte(_ b: UInt8, first: Bool) -> Bool {
      (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_") || b >= 0x80
        || (!first && b >= 0x30 && b <= 0x39)
    }
    while i < bytes.count {
      let start = i
      guard isNameByte(bytes[i], first: true) else { return .failure(.malformed(offset: i)) }
      while i < bytes.count, isNameByte(bytes[i], first: false) { i += 1 }
      let name = String(decoding: bytes[start..<i], as: UTF8.self)
      var exponent = 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "^") {
        i += 1
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") {
          negative = true
          i += 1
        }
        let digitsStart = i
        var value = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
          value = value * 10 + Int(bytes[i] - 0x30)
          guard value <= 64 else { return .failure(.overflow) }
          i += 1
        }
        guard i > digitsStart else { return .failure(.malformed(offset: i)) }
        exponent = negative ? -value : value
      }
      terms.append((name, exponent * sign, start))
      if i < bytes.count {
        guard bytes[i] == UInt8(ascii: "/") else { return .failure(.malformed(offset: i)) }
        i += 1
        guard i < bytes.count else { return .failure(.malformed(offset: i)) }
        sign = -1
      }
    }
    guard !terms.isEmpty else { return .failure(.malformed(offset: 0)) }
    return .success(terms)
  }
}

private func pow(_ x: Double, _ k: Int) -> Double {
  var r = 1.0
  for _ in 0..<k.magnitude { r *= x }
  return k < 0 ? 1 / r : r
}
