/// A real-valued distribution with an exact inverse CDF. Parameters are plain `Double`s in SI
/// base units: the runtime strips units before drawing and restores them after.
public protocol ContinuousDistribution: Sendable {
  /// The smallest closed interval holding every draw (bounds may be infinite).
  var support: ClosedRange<Double> { get }
  /// P(X ≤ x).
  func cdf(_ x: Double) -> Double
  /// The x with P(X ≤ x) = p, for p in [0, 1]; NaN for other p.
  func quantile(_ p: Double) -> Double
  /// One draw.
  func sample(using stream: inout RandomStream) -> Double
  /// One draw of X conditioned on lower ≤ X < upper (a coverage bucket), by inverse CDF
  /// restricted to the bucket: exact, one uniform, no rejection. Throws when the bucket and
  /// the support do not overlap.
  func conditionalSample(lower: Double, upper: Double, using stream: inout RandomStream) throws(DistributionError) -> Double
}

extension ContinuousDistribution {
  /// P(lower ≤ X < upper), the share of draws that land in a coverage bucket.
  public func probability(lower: Double, upper: Double) -> Double {
    guard lower < upper else { return 0 }
    return max(0, cdf(upper) - cdf(lower))
  }
}

/// The bucket [lower, upper) intersected with a support; throws when nothing is left.
func overlap(
  lower: Double, upper: Double, support: ClosedRange<Double>, _ distribution: String
) throws(DistributionError) -> (lower: Double, upper: Double) {
  guard !lower.isNaN, !upper.isNaN, lower < upper else {
    throw DistributionError(
      distribution: distribution, parameter: "bucket",
      message: "\(distribution): bucket must satisfy lower < upper, got [\(DistributionError.formatted(lower)), \(DistributionError.formatted(upper)))")
  }
  let low = max(lower, support.lowerBound)
  let high = min(upper, support.upperBound)
  // A point support (uniform(a, a)) still meets a bucket that contains the point.
  let pointMeetsBucket =
    support.lowerBound == support.upperBound && low == high && low >= lower && low < upper
  guard low < high || pointMeetsBucket else {
    throw DistributionError(
      distribution: distribution, parameter: "bucket",
      message: "\(distribution): bucket [\(DistributionError.formatted(lower)), \(DistributionError.formatted(upper))) has probability 0")
  }
  return (low, high)
}

/// Keeps a bucket draw inside the half-open bucket despite rounding at its edges.
func clampToBucket(_ x: Double, _ lower: Double, _ upper: Double) -> Double {
  if x.isNaN { return lower }
  if x >= upper { return max(lower, upper.nextDown) }
  return max(lower, x)
}
