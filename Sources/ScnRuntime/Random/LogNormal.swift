/// `lognormal(mu, sigma)`: exp of a normal(mu, sigma); mu and sigma are those of the
/// logarithm (in log of SI base units), as in Scenic, NumPy and R.
public struct LogNormalDistribution: ContinuousDistribution {
  /// Mean of log X.
  public let mu: Double
  /// Standard deviation of log X, > 0.
  public let sigma: Double

  /// Throws unless mu is finite and sigma finite and > 0.
  public init(mu: Double, sigma: Double) throws(DistributionError) {
    try DistributionError.requireFinite(mu, "lognormal", "mu")
    try DistributionError.requirePositive(sigma, "lognormal", "sigma")
    self.mu = mu
    self.sigma = sigma
  }

  public var support: ClosedRange<Double> { 0...Double.infinity }

  public func cdf(_ x: Double) -> Double {
    if x.isNaN { return .nan }
    return x <= 0 ? 0 : StandardNormal.cdf((CMath.log(x) - mu) / sigma)
  }

  public func quantile(_ p: Double) -> Double {
    guard p >= 0, p <= 1 else { return .nan }
    return CMath.exp(mu + sigma * StandardNormal.quantile(p))
  }

  public func sample(using stream: inout RandomStream) -> Double {
    Self.positive(CMath.exp(mu + sigma * StandardNormal.quantile(stream.nextDoubleOpen())))
  }

  public func conditionalSample(lower: Double, upper: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    let bucket = try overlap(lower: lower, upper: upper, support: support, "lognormal")
    let logDraw = truncatedDraw(mean: mu, sd: sigma, CMath.log(bucket.lower), CMath.log(bucket.upper), stream.nextDoubleOpen())
    return clampToBucket(CMath.exp(logDraw), bucket.lower, bucket.upper)
  }

  /// Keeps an underflow from producing 0, which lies outside the support. An overflow stays
  /// ∞: the interpreter reports it as a non-finite value at the draw (E0509) instead of
  /// passing on a clamped number that no lognormal with these parameters would give.
  static func positive(_ x: Double) -> Double {
    max(Double.leastNonzeroMagnitude, x)
  }
}
