/// An exact rational number `numerator / denominator` in lowest terms with a positive
/// denominator. Unit factors are rationals so that `30km/h` compared with `25m/s * 1/3`
/// converts exactly; only the final value is rounded, once, to `Double`.
///
/// Arithmetic reports overflow instead of trapping: a pathological unit declaration in a
/// user file must yield a diagnostic, never a crash.
public struct Rational: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let numerator: Int64
  public let denominator: Int64

  public static let zero = Rational(unchecked: 0, 1)
  public static let one = Rational(unchecked: 1, 1)

  private init(unchecked n: Int64, _ d: Int64) {
    numerator = n
    denominator = d
  }

  /// Nil when `d == 0` or when normalising the sign overflows (`Int64.min`).
  public init?(_ n: Int64, _ d: Int64 = 1) {
    guard d != 0 else { return nil }
    let g = gcd(n.magnitude, d.magnitude)
    var nn = n / Int64(bitPattern: g)
    var dd = d / Int64(bitPattern: g)
    if dd < 0 {
      guard nn != .min, dd != .min else { return nil }
      nn = -nn
      dd = -dd
    }
    self.init(unchecked: nn, dd)
  }

  public init(integer: Int64) { self.init(unchecked: integer, 1) }

  /// Parses a decimal literal as written in source (`42`, `0.44704`, `1e-3`, `2.5E+2`)
  /// exactly. Nil if it has no exact representation in 64-bit numerator and denominator.
  public init?(decimal text: some StringProtocol) {
    var mantissa: Int64 = 0
    var scale = 0  // value = mantissa * 10^scale
    var sawDigit = false
    var afterPoint = false
    var chars = Substring(text).utf8[...]
    while let c = chars.first, c != UInt8(ascii: "e"), c != UInt8(ascii: "E") {
      chars = chars.dropFirst()
      if c == UInt8(ascii: "_") { continue }
      if c == UInt8(ascii: ".") {
        guard !afterPoint else { return nil }
        afterPoint = true
        continue
      }
      guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
      sawDigit = true
      let (m1, o1) = mantissa.multipliedReportingOverflow(by: 10)
      let (m2, o2) = m1.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
      guard !o1, !o2 else { return nil }
      mantissa = m2
      if afterPoint { scale -= 1 }
    }
    guard sawDigit else { return nil }
    if chars.first != nil {
      chars = chars.dropFirst()
      var negative = false
      if let s = chars.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
        negative = s == UInt8(ascii: "-")
        chars = chars.dropFirst()
      }
      guard !chars.isEmpty else { return nil }
      var exponent = 0
      for c in chars {
        guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), exponent < 1000 else { return nil }
        exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
      }
      scale += negative ? -exponent : exponent
    }
    guard let power = Rational.powerOfTen(abs(scale)) else { return nil }
    let m = Rational(integer: mantissa)
    guard let value = scale >= 0 ? m.multiplied(by: power) : m.divided(by: power) else { return nil }
    self = value
  }

  private static func powerOfTen(_ k: Int) -> Rational? {
    guard k <= 18 else { return nil }
    var p: Int64 = 1
    for _ in 0..<k { p *= 10 }
    return Rational(integer: p)
  }

  public var doubleValue: Double {
    // Both parts exact as Double when below 2^53; IEEE division then rounds once, correctly.
    Double(numerator) / Double(denominator)
  }

  public var isInteger: Bool { denominator == 1 }

  public func multiplied(by o: Rational) -> Rational? {
    // Cross-reduce first so intermediate products stay small.
    let g1 = Int64(bitPattern: gcd(numerator.magnitude, o.denominator.magnitude))
    let g2 = Int64(bitPattern: gcd(o.numerator.magnitude, denominator.magnitude))
    let (n, o1) = (numerator / g1).multipliedReportingOverflow(by: o.numerator / g2)
    let (d, o2) = (denominator / g2).multipliedReportingOverflow(by: o.denominator / g1)
    guard !o1, !o2 else { return nil }
    return Rational(n, d)
  }

  public var reciprocal: Rational? { Rational(denominator, numerator) }

  public func divided(by o: Rational) -> Rational? {
    o.reciprocal.flatMap { multiplied(by: $0) }
  }

  public func adding(_ o: Rational) -> Rational? {
    let g = Int64(bitPattern: gcd(denominator.magnitude, o.denominator.magnitude))
    let (a, o1) = numerator.multipliedReportingOverflow(by: o.denominator / g)
    let (b, o2) = o.numerator.multipliedReportingOverflow(by: denominator / g)
    let (n, o3) = a.addingReportingOverflow(b)
    let (d, o4) = denominator.multipliedReportingOverflow(by: o.denominator / g)
    guard !o1, !o2, !o3, !o4 else { return nil }
    return Rational(n, d)
  }

  public var negated: Rational? { numerator == .min ? nil : Rational(unchecked: -numerator, denominator) }

  /// Integer powers, negative ones via the reciprocal.
  public func power(_ k: Int) -> Rational? {
    guard var base = k >= 0 ? self : reciprocal else { return nil }
    var result = Rational.one
    var e = k.magnitude
    while e > 0 {
      if e & 1 == 1 {
        guard let r = result.multiplied(by: base) else { return nil }
        result = r
      }
      e >>= 1
      if e > 0 {
        guard let b = base.multiplied(by: base) else { return nil }
        base = b
      }
    }
    return result
  }

  public static func < (a: Rational, b: Rational) -> Bool {
    // Compare a.n * b.d with b.n * a.d in 128 bits so it never overflows.
    let l = a.numerator.multipliedFullWidth(by: b.denominator)
    let r = b.numerator.multipliedFullWidth(by: a.denominator)
    return (l.high, l.low) < (r.high, r.low)
  }

  public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}

private func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
  var (x, y) = (a, b)
  while y != 0 { (x, y) = (y, x % y) }
  return x == 0 ? 1 : x
}
