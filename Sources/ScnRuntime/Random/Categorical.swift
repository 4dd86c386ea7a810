/// `choice { w0: a, w1: b, … }`: index i with probability wᵢ / Σw. `one_of(a, b, c)` is the
/// equal-weight case (`UniformIntDistribution(lower: 0, upper: n - 1)` gives the same law with
/// cheaper draws; use `Distributions.oneOf`).
public struct CategoricalDistribution: Sendable {
  /// Relative weights, finite and ≥ 0, in declaration order.
  public let weights: [Double]
  /// Running sums in declaration order, so the mapping from a uniform to an index is fixed.
  let cumulative: [Double]

  /// Throws for an empty list, a negative or non-finite weight, a zero or overflowing sum.
  public init(weights: [Double]) throws(DistributionError) {
    guard !weights.isEmpty else {
      throw DistributionError(distribution: "choice", parameter: "weights", message: "choice: weights must not be empty")
    }
    var cumulative: [Double] = []
    cumulative.reserveCapacity(weights.count)
    var total = 0.0
    for (i, w) in weights.enumerated() {
      guard w.isFinite, w >= 0 else { throw .invalid("choice", "weights[\(i)]", "must be finite and ≥ 0", got: w) }
      total += w
      cumulative.append(total)
    }
    guard total > 0 else {
      throw DistributionError(distribution: "choice", parameter: "weights", message: "choice: weights must not sum to 0")
    }
    guard total.isFinite else {
      throw DistributionError(distribution: "choice", parameter: "weights", message: "choice: weights sum overflows")
    }
    self.weights = weights
    self.cumulative = cumulative
  }

  /// Σw, the normaliser.
  public var total: Double { cumulative[cumulative.count - 1] }

  /// P(X = i).
  public func probability(of index: Int) -> Double {
    weights.indices.contains(index) ? weights[index] / total : 0
  }

  public func sample(using stream: inout RandomStream) -> Int {
    Self.pick(cumulative, stream.nextDouble() * (cumulative.last ?? 0), weights)
  }

  /// One draw conditioned on X ∈ `allowed` (a coverage bucket of indices), with the weights of
  /// the allowed indices renormalised. Duplicates and order in `allowed` do not matter.
  public func conditionalSample(allowed: [Int], using stream: inout RandomStream) throws(DistributionError) -> Int {
    let members = Array(Set(allowed.filter { weights.indices.contains($0) })).sorted()
    var running: [Double] = []
    var total = 0.0
    for i in members {
      total += weights[i]
      running.append(total)
    }
    guard total > 0 else {
      throw DistributionError(
        distribution: "choice", parameter: "bucket",
        message: "choice: bucket \(allowed) has probability 0")
    }
    let position = Self.pick(running, stream.nextDouble() * total, members.map { weights[$0] })
    return members[position]
  }

  /// The first i with target < cumulative[i]; rounding at the top falls back to the last
  /// index of positive weight, so a zero weight is never chosen.
  static func pick(_ cumulative: [Double], _ target: Double, _ weights: [Double]) -> Int {
    var low = 0, high = cumulative.count
    while low < high {
      let middle = (low + high) / 2
      if target < cumulative[middle] { high = middle } else { low = middle + 1 }
    }
    if low < cumulative.count { return low }
    return weights.lastIndex { $0 > 0 } ?? 0
  }
}
