/// `truncnormal(mean, sd, lo, hi)`: the normal restricted to [lo, hi] (bounds may be
/// infinite). Drawn by exact inversion, also in far tails such as [5σ, 6σ] or [40σ, 41σ]
/// where rejection from the parent normal would never finish.
public struct TruncatedNormalDistribution: ContinuousDistribution {
  /// Mean of the parent normal.
  public let mean: Double
  /// Standard deviation of the parent normal, > 0.
  public let sd: Double
  /// Lower bound `lo` (may be −∞).
  public let lower: Double
  /// Upper bound `hi` (may be +∞), > lower.
  public let upper: Double
  let standard: StandardNormalTruncation

  /// Throws unless mean is finite, sd finite and > 0, and lo < hi (no NaN).
  public init(mean: Double, sd: Double, lower: Double, upper: Double) throws(DistributionError) {
    try DistributionError.requireFinite(mean, "truncnormal", "mean")
    try DistributionError.requirePositive(sd, "truncnormal", "sd")
    guard !lower.isNaN else { throw .invalid("truncnormal", "lo", "must be a number", got: lower) }
    guard !upper.isNaN else { throw .invalid("truncnormal", "hi", "must be a number", got: upper) }
    guard lower < upper else {
      throw DistributionError(
        distribution: "truncnormal", parameter: "hi",
        message: "truncnormal: hi must be > lo, got lo = \(DistributionError.formatted(lower)), hi = \(DistributionError.formatted(upper))")
    }
    self.mean = mean
    self.sd = sd
    self.lower = lower
    self.upper = upper
    standard = StandardNormalTruncation(alpha: (lower - mean) / sd, beta: (upper - mean) / sd)
  }

  public var support: ClosedRange<Double> { lower...upper }

  public func cdf(_ x: Double) -> Double { standard.cdf((x - mean) / sd) }

  public func quantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    return min(upper, max(lower, mean + sd * standard.quantile(p)))
  }

  public func sample(using stream: inout RandomStream) -> Double {
    quantile(stream.nextDoubleOpen())
  }

  public func conditionalSample(lower: Double, upper: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    let bucket = try overlap(lower: lower, upper: upper, support: support, "truncnormal")
    return truncatedDraw(mean: mean, sd: sd, bucket.lower, bucket.upper, stream.nextDoubleOpen())
  }
}
