/// The language's distributions as one-shot draws: validate, then draw from `stream`.
/// Parameters are SI base-unit `Double`s; integers and indices are `Int`. Each call consumes
/// a fixed, documented number of stream words (README.md), which is part of reproducibility.
public enum Distributions {
  /// `uniform(a, b)`, a ≤ b: one word.
  public static func uniform(_ a: Double, _ b: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    try UniformDistribution(lower: a, upper: b).sample(using: &stream)
  }

  /// `uniform_int(a, b)`, both ends included: one word (rarely more, see Lemire).
  public static func uniformInt(_ a: Int, _ b: Int, using stream: inout RandomStream) throws(DistributionError) -> Int {
    try UniformIntDistribution(lower: a, upper: b).sample(using: &stream)
  }

  /// `normal(mean, sd)`, sd > 0: one word.
  public static func normal(mean: Double, sd: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    try NormalDistribution(mean: mean, sd: sd).sample(using: &stream)
  }

  /// `truncnormal(mean, sd, lo, hi)`, lo < hi: one word.
  public static func truncnormal(
    mean: Double, sd: Double, lower: Double, upper: Double, using stream: inout RandomStream
  ) throws(DistributionError) -> Double {
    try TruncatedNormalDistribution(mean: mean, sd: sd, lower: lower, upper: upper).sample(using: &stream)
  }

  /// `lognormal(mu, sigma)`, sigma > 0: one word.
  public static func lognormal(mu: Double, sigma: Double, using stream: inout RandomStream) throws(DistributionError) -> Double {
    try LogNormalDistribution(mu: mu, sigma: sigma).sample(using: &stream)
  }

  /// `bernoulli(p)`, p in [0, 1]: one word.
  public static func bernoulli(_ p: Double, using stream: inout RandomStream) throws(DistributionError) -> Bool {
    try BernoulliDistribution(p: p).sample(using: &stream)
  }

  /// `one_of(x₀, …, xₙ₋₁)` as an index in 0..<count: one word (none when count is 1).
  public static func oneOf(count: Int, using stream: inout RandomStream) throws(DistributionError) -> Int {
    guard count >= 1 else { throw .invalid("one_of", "count", "must be ≥ 1", got: count) }
    return Int(stream.nextUInt64(below: UInt64(count)))
  }

  /// `choice { w: x, … }` as an index: one word.
  public static func choice(weights: [Double], using stream: inout RandomStream) throws(DistributionError) -> Int {
    try CategoricalDistribution(weights: weights).sample(using: &stream)
  }

  /// `shuffle(xs)` as a permutation of 0..<count: count − 1 words.
  public static func shuffle(count: Int, using stream: inout RandomStream) throws(DistributionError) -> [Int] {
    try Permutations.shuffle(count: count, using: &stream)
  }

  /// `sample(xs, k)` as k distinct indices in random order: min(k, count − 1) words.
  public static func sample(count: Int, k: Int, using stream: inout RandomStream) throws(DistributionError) -> [Int] {
    try Permutations.sample(count: count, k: k, using: &stream)
  }
}
