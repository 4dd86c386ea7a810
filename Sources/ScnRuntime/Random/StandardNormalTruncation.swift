/// The standard normal restricted to [alpha, beta], with an exact inverse CDF that keeps full
/// relative precision wherever the interval lies: straddling zero, in a far tail such as
/// [5, 6], or beyond the range where Q(x) is representable such as [40, 41]. Every truncated
/// and every bucket-conditioned normal draw goes through here, so no draw ever rejects.
struct StandardNormalTruncation: Sendable {
  let alpha: Double
  let beta: Double
  let shape: Shape

  enum Shape: Sendable {
    /// The interval reaches into (−1.5, 1.5): work with erf for the middle and with the tail
    /// masses at the ends, so intervals at or near zero keep their relative precision.
    case body(erfAlpha: Double, erfBeta: Double, lowerMass: Double, upperMass: Double)
    /// 1.5 ≤ alpha: Q(x) in log space. `ratio` = Q(beta)/Q(alpha), `fraction` = 1 − ratio.
    case upperTail(logQAlpha: Double, ratio: Double, fraction: Double)
    /// beta ≤ −1.5: the mirror image of an upper tail on [−beta, −alpha].
    case lowerTail(logQAlpha: Double, ratio: Double, fraction: Double)
  }

  /// Beyond ±1.5 a point's Φ − ½ exceeds AS 241's central 0.425 (Φ(1.44) = 0.925), so the
  /// whole interval lies where only tail masses are well conditioned: log space takes over.
  static let bodyEdge = 1.5

  /// Requires alpha < beta (either may be infinite); callers validate.
  init(alpha: Double, beta: Double) {
    self.alpha = alpha
    self.beta = beta
    if alpha < Self.bodyEdge, beta > -Self.bodyEdge {
      let erfAlpha = CMath.erf(alpha * StandardNormal.sqrtHalf)
      let erfBeta = CMath.erf(beta * StandardNormal.sqrtHalf)
      shape = .body(
        erfAlpha: erfAlpha, erfBeta: erfBeta,
        lowerMass: StandardNormal.cdf(alpha), upperMass: StandardNormal.upperTail(beta))
    } else if alpha >= Self.bodyEdge {
      let (logQ, ratio, fraction) = Self.tail(from: alpha, to: beta)
      shape = .upperTail(logQAlpha: logQ, ratio: ratio, fraction: fraction)
    } else {
      let (logQ, ratio, fraction) = Self.tail(from: -beta, to: -alpha)
      shape = .lowerTail(logQAlpha: logQ, ratio: ratio, fraction: fraction)
    }
  }

  private static func tail(from a: Double, to b: Double) -> (Double, Double, Double) {
    let logQA = StandardNormal.logUpperTail(a)
    let logRatio = StandardNormal.logUpperTail(b) - logQA
    return (logQA, CMath.exp(logRatio), -CMath.expm1(logRatio))
  }

  /// The x in [alpha, beta] with P(X ≤ x) = p.
  func quantile(_ p: Double) -> Double {
    let p = p.isNaN ? 0 : min(1, max(0, p))
    let x: Double
    switch shape {
    case let .body(erfAlpha, erfBeta, lowerMass, upperMass):
      // q = Φ(x) − ½, formed from erf values so it is exact-ish even for tiny intervals at 0.
      let q = 0.5 * (erfAlpha + p * (erfBeta - erfAlpha))
      let mass = 0.5 * (erfBeta - erfAlpha)
      if abs(q) <= 0.425 {
        x = StandardNormal.central(q)
      } else if q < 0 {
        x = -StandardNormal.upperQuantile(logTail: CMath.log(lowerMass + p * mass))
      } else {
        x = StandardNormal.upperQuantile(logTail: CMath.log(upperMass + (1 - p) * mass))
      }
    case let .upperTail(logQAlpha, _, fraction):
      // Q(x) = Q(alpha)·(1 − p·fraction).
      x = StandardNormal.upperQuantile(logTail: logQAlpha + CMath.log1p(-p * fraction))
    case let .lowerTail(logQAlpha, ratio, fraction):
      // Mirrored: p is the upper mass of −x, Q(−x) = Q(−beta)·(ratio + p·fraction).
      x = -StandardNormal.upperQuantile(logTail: logQAlpha + CMath.log(ratio + p * fraction))
    }
    return x.isNaN ? alpha : min(beta, max(alpha, x))
  }

  /// P(X ≤ x) for X on [alpha, beta].
  func cdf(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x <= alpha { return 0 }
    if x >= beta { return 1 }
    switch shape {
    case let .body(erfAlpha, erfBeta, _, _):
      guard erfBeta > erfAlpha else { return 1 }
      return min(1, max(0, (CMath.erf(x * StandardNormal.sqrtHalf) - erfAlpha) / (erfBeta - erfAlpha)))
    case let .upperTail(logQAlpha, _, fraction):
      guard fraction > 0 else { return 1 }
      let below = -CMath.expm1(StandardNormal.logUpperTail(x) - logQAlpha)
      return min(1, max(0, below / fraction))
    case let .lowerTail(logQAlpha, ratio, fraction):
      // P(X ≤ x) is the upper mass of −x in the mirrored tail.
      guard fraction > 0 else { return 1 }
      let above = CMath.exp(StandardNormal.logUpperTail(-x) - logQAlpha) - ratio
      return min(1, max(0, above / fraction))
    }
  }
}
