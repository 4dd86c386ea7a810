/// Coverage buckets over a continuous variable, `cover x buckets [e₀, e₁, …, eₙ]`: bucket i is
/// [eᵢ, eᵢ₊₁). Conditioning on a bucket is exact (inverse CDF restricted to it), so the
/// coverage-guided mode never wastes attempts on rejection.
public struct ContinuousBuckets: Sendable, Equatable {
  /// Bucket boundaries, strictly increasing.
  public let edges: [Double]

  /// Edges must be at least two, free of NaN and strictly increasing (infinite ends allowed).
  public init(edges: [Double]) throws(DistributionError) {
    guard edges.count >= 2 else {
      throw DistributionError(
        distribution: "cover", parameter: "buckets",
        message: "cover: buckets need at least 2 edges, got \(edges.count)")
    }
    for i in 1..<edges.count where !(edges[i - 1] < edges[i]) {
      throw DistributionError(
        distribution: "cover", parameter: "buckets[\(i)]",
        message: "cover: bucket edges must be strictly increasing, got \(DistributionError.formatted(edges[i - 1])) then \(DistributionError.formatted(edges[i]))")
    }
    self.edges = edges
  }

  /// Number of buckets (edges − 1).
  public var count: Int { edges.count - 1 }

  /// The bucket holding x, or nil when x lies outside [e₀, eₙ).
  public func bucket(of x: Double) -> Int? {
    guard x >= edges[0], x < edges[edges.count - 1] else { return nil }
    var low = 0, high = edges.count - 1
    while high - low > 1 {
      let middle = (low + high) / 2
      if x < edges[middle] { high = middle } else { low = middle }
    }
    return low
  }

  /// P(X in bucket i) for each bucket: the share unguided sampling would give it.
  public func probabilities(under distribution: some ContinuousDistribution) -> [Double] {
    (0..<count).map { distribution.probability(lower: edges[$0], upper: edges[$0 + 1]) }
  }

  /// One draw of X conditioned on bucket i.
  public func sample(
    bucket index: Int, from distribution: some ContinuousDistribution, using stream: inout RandomStream
  ) throws(DistributionError) -> Double {
    guard index >= 0, index < count else {
      throw .invalid("cover", "bucket", "must be in 0..<\(count)", got: index)
    }
    return try distribution.conditionalSample(lower: edges[index], upper: edges[index + 1], using: &stream)
  }
}

/// The bucket sample `sample` aims at under `--cover-target`: a pure function of the index, so
/// shards and threads agree. Samples are taken in blocks of `bucketCount`; each block visits
/// every bucket exactly once, in an order shuffled by the `.coverBucket` stream of that block
/// (`subkey` tells cover targets apart).
public func stratifiedBucket(
  seed: UInt64, target: UInt32, sample: UInt64, bucketCount: Int
) throws(DistributionError) -> Int {
  guard bucketCount >= 1 else { throw .invalid("cover", "bucket count", "must be ≥ 1", got: bucketCount) }
  let size = UInt64(bucketCount)
  var stream = RandomStream(seed: seed, domain: .coverBucket, index: sample / size, subkey: target)
  let order = try Permutations.shuffle(count: bucketCount, using: &stream)
  return order[Int(sample % size)]
}
