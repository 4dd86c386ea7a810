/// The standard normal CDF and its inverse, accurate in relative terms in both tails (the
/// truncated normal and coverage buckets live out there).
///
/// Quantile: Wichura's PPND16, Algorithm AS 241, Applied Statistics 37(3) 477–484 (1988),
/// about 1e-16 relative; for tail masses below e⁻⁷⁰⁰ (beyond double range of the CDF itself)
/// the inverse is found by Newton steps on log Q(x), with Q from the Mills-ratio continued
/// fraction, so even x = 100 (Q ≈ 1e-2174) is reachable when given as a logarithm.
public enum StandardNormal {
  static let sqrtHalf = 0.707_106_781_186_547_524_40
  static let logSqrtTwoPi = 0.918_938_533_204_672_741_78
  /// Tail masses above 0.075 (|p − ½| ≤ 0.425) belong to AS 241's central branch.
  static let logCentralEdge = CMath.log(0.075)

  /// Φ(x) = P(Z ≤ x).
  public static func cdf(_ x: Double) -> Double { 0.5 * CMath.erfc(-x * sqrtHalf) }

  /// Q(x) = P(Z > x) = Φ(−x), without the cancellation of 1 − Φ(x).
  public static func upperTail(_ x: Double) -> Double { 0.5 * CMath.erfc(x * sqrtHalf) }

  /// Density φ(x).
  public static func density(_ x: Double) -> Double { CMath.exp(-0.5 * x * x - logSqrtTwoPi) }

  /// log Q(x), finite for every finite x (Q itself underflows beyond x ≈ 38).
  public static func logUpperTail(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x < 37 { return CMath.log(upperTail(x)) }
    if x == .infinity { return -.infinity }
    return -0.5 * x * x - logSqrtTwoPi + CMath.log(millsRatio(x))
  }

  /// R(x) = Q(x)/φ(x) for x ≥ 37 by its continued fraction 1/(x+1/(x+2/(x+3/(x+…)))), which at
  /// such x is exact to the last bit after 8 terms; 16 leave a margin. (The Newton loop of
  /// `upperQuantile(logTail:)` only ever evaluates it at x ≥ 37: its start lies there.)
  static func millsRatio(_ x: Double) -> Double {
    var tail = x
    for k in stride(from: 16.0, through: 1, by: -1) { tail = x + k / tail }
    return 1 / tail
  }

  /// Φ⁻¹(p); −∞ at 0, +∞ at 1, NaN outside [0, 1].
  public static func quantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    let centered = p - 0.5
    if abs(centered) <= 0.425 { return central(centered) }
    // For p > ½, 1 − p is exact (Sterbenz), so both tails keep their relative precision.
    let magnitude = upperQuantile(logTail: CMath.log(centered < 0 ? p : 1 - p))
    return centered < 0 ? -magnitude : magnitude
  }

  /// The x ≥ 0 with log Q(x) = `logTail` (log Q(x) ≤ log ½); +∞ for −∞.
  public static func upperQuantile(logTail: Double) -> Double {
    if logTail.isNaN { return .nan }
    if logTail == -.infinity { return .infinity }
    if logTail >= logCentralEdge { return -central(min(0, CMath.exp(logTail) - 0.5)) }
    if logTail >= -700 { return tailBranch(r: (-logTail).squareRoot()) }
    // Asymptotic start, then Newton on log Q: d/dx log Q(x) = −1/R(x).
    let t = -2 * logTail
    var x = (t - CMath.log(2 * Double.pi * t)).squareRoot()
    for _ in 0..<8 {
      let ratio = millsRatio(x)
      let step = (-0.5 * x * x - logSqrtTwoPi + CMath.log(ratio) - logTail) * ratio
      x += step
      if abs(step) <= 2 * x.ulp { break }
    }
    return x
  }

  /// AS 241 central region, |q| ≤ 0.425 where q = p − ½.
  static func central(_ q: Double) -> Double {
    let r = 0.180625 - q * q
    return q * horner(centralNumerator, r) / horner(centralDenominator, r)
  }

  /// AS 241 tail region: the positive quantile for r = √(−log tail).
  static func tailBranch(r: Double) -> Double {
    if r <= 5 {
      let s = r - 1.6
      return horner(nearNumerator, s) / horner(nearDenominator, s)
    }
    let s = r - 5
    return horner(farNumerator, s) / horner(farDenominator, s)
  }

  static func horner(_ coefficients: [Double], _ x: Double) -> Double {
    var sum = 0.0
    for c in coefficients.reversed() { sum = sum * x + c }
    return sum
  }

  // AS 241 (PPND16) coefficients, ascending powers, verbatim from Wichura (1988).
  static let centralNumerator: [Double] = [
    3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
    1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
    3.3430575583588128105e4, 2.5090809287301226727e3,
  ]
  static let centralDenominator: [Double] = [
    1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
    2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
    5.2264952788528545610e3,
  ]
  static let nearNumerator: [Double] = [
    1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
    3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
    2.27238449892691845833e-2, 7.74545014278341407640e-4,
  ]
  static let nearDenominator: [Double] = [
    1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
    1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
    1.05075007164441684324e-9,
  ]
  static let farNumerator: [Double] = [
    6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
    2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
    2.71155556874348757815e-5, 2.01033439929228813265e-7,
  ]
  static let farDenominator: [Double] = [
    1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
    7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
    2.04426310338993978564e-15,
  ]
}
