/// `uniform(a, b)`: every value in [a, b) equally likely (a == b gives the constant a).
public struct UniformDistribution: ContinuousDistribution {
  /// `a`.
  public let lower: Double
  /// `b`, ≥ a.
  public let upper: Double

  /// Throws unless a and b are finite and a ≤ b.
  public init(lower: Double, upper: Double) throws(DistributionError) {
    try DistributionError.requireFinite(lower, "uniform", "a")
    try DistributionError.requireFinite(upper, "uniform", "b")
    guard lower <= upper else {
      throw DistributionError(
        distribution: "uniform", parameter: "b",
        message: "uniform: b must be ≥ a, got a = \(DistributionError.formatted(lower)), b = \(DistributionError.formatted(upper))")
    }
    self.lower = lower
    self.upper = upper
  }

  public var support: ClosedRange<Double> { lower...upper }

  public func cdf(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    if x < lower { return 0 }
    if x >= upper { return 1 }
    return min(1, (x - lower) / (upper - lower))
  }

  public func quantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    return min(upper, max(lower, Self.interpolate(lower, upper, p)))
  }

  public func sample(using stream: inout RandomStream) -> Double {
    Self.draw(lower, upper, stream.nextDouble())
  }

  public func conditionalSample(lower: Double, upper: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    let bucket = try overlap(lower: lower, upper: upper, support: support, "uniform")
    return Self.draw(bucket.lower, bucket.upper, stream.nextDouble())
  }

  /// a + (b − a)·u kept in [a, b); b − a may overflow for finite a, b of opposite sign.
  static func draw(_ a: Double, _ b: Double, _ u: Double) -> Double {
    guard a < b else { return a }
    return clampToBucket(interpolate(a, b, u), a, b)
  }

  static func interpolate(_ a: Double, _ b: Double, _ t: Double) -> Double {
    let width = b - a
    return width.isFinite ? a + width * t : a * (1 - t) + b * t
  }
}
