/// `normal(mean, sd)`, drawn by inversion: mean + sd·Φ⁻¹(u) with one open-interval uniform
/// per draw, so a draw always costs exactly one stream word.
public struct NormalDistribution: ContinuousDistribution {
  /// Mean, in SI base units.
  public let mean: Double
  /// Standard deviation (not variance), > 0.
  public let sd: Double

  /// Throws unless mean is finite and sd finite and > 0.
  public init(mean: Double, sd: Double) throws(DistributionError) {
    try DistributionError.requireFinite(mean, "normal", "mean")
    try DistributionError.requirePositive(sd, "normal", "sd")
    self.mean = mean
    self.sd = sd
  }

  public var support: ClosedRange<Double> { -Double.infinity...Double.infinity }

  public func cdf(_ x: Double) -> Double { StandardNormal.cdf((x - mean) / sd) }

  public func quantile(_ p: Double) -> Double { mean + sd * StandardNormal.quantile(p) }

  public func sample(using stream: inout RandomStream) -> Double {
    mean + sd * StandardNormal.quantile(stream.nextDoubleOpen())
  }

  public func conditionalSample(lower: Double, upper: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    let bucket = try overlap(lower: lower, upper: upper, support: support, "normal")
    return truncatedDraw(mean: mean, sd: sd, bucket.lower, bucket.upper, stream.nextDoubleOpen())
  }
}

/// mean + sd·Z with Z standard normal restricted to [lower, upper), by inversion at u.
func truncatedDraw(mean: Double, sd: Double, _ lower: Double, _ upper: Double, _ u: Double) -> Double {
  let standard = StandardNormalTruncation(alpha: (lower - mean) / sd, beta: (upper - mean) / sd)
  return clampToBucket(mean + sd * standard.quantile(u), lower, upper)
}
