/// `bernoulli(p)`: true with probability p, from one uniform (u < p).
public struct BernoulliDistribution: Sendable {
  /// Probability of `true`, in [0, 1].
  public let p: Double

  /// Throws unless 0 ≤ p ≤ 1.
  public init(p: Double) throws(DistributionError) {
    guard p >= 0, p <= 1 else { throw .invalid("bernoulli", "p", "must be in [0, 1]", got: p) }
    self.p = p
  }

  /// P(X = outcome).
  public func probability(of outcome: Bool) -> Double { outcome ? p : 1 - p }

  public func sample(using stream: inout RandomStream) -> Bool { stream.nextDouble() < p }

  /// The outcome a coverage bucket asks for, when it is possible. Consumes no draw: the
  /// condition leaves nothing random.
  public func conditionalSample(outcome: Bool) throws(DistributionError) -> Bool {
    guard probability(of: outcome) > 0 else {
      throw DistributionError(
        distribution: "bernoulli", parameter: "bucket",
        message: "bernoulli: outcome \(outcome) has probability 0 (p = \(DistributionError.formatted(p)))")
    }
    return outcome
  }
}
