/// The coordinates the sampler fixes for one attempt at one sample; each draw site of the IR
/// then gets its own independent stream from `stream(site:)`. Keeping the key apart from the
/// streams lets the sampler hand one value to every expression it evaluates.
public struct DrawKey: Hashable, Sendable, CustomStringConvertible {
  /// The dataset seed.
  public let seed: UInt64
  /// Index of the sample in the dataset.
  public let sample: UInt64
  /// Rejection-sampling attempt, from 0.
  public let attempt: UInt32

  /// The key of one attempt; attempt 0 is the first.
  public init(seed: UInt64, sample: UInt64, attempt: UInt32 = 0) {
    self.seed = seed
    self.sample = sample
    self.attempt = attempt
  }

  /// The stream of draw site `site` in this attempt (see `RandomStream` for the layout).
  public func stream(site: UInt32) -> RandomStream {
    RandomStream(seed: seed, sample: sample, attempt: attempt, site: site)
  }

  /// The same sample's next attempt, after a rejection.
  public var nextAttempt: DrawKey { DrawKey(seed: seed, sample: sample, attempt: attempt &+ 1) }

  public var description: String { "seed \(seed), sample \(sample), attempt \(attempt)" }
}
