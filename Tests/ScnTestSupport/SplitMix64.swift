/// SplitMix64 (Steele, Lea and Flood, 2014): a fixed stream of test values from one seed, the
/// same in every run, for tests that sweep many cases without a random search.
public struct SplitMix64: Sendable {
  public var state: UInt64

  public init(_ seed: UInt64) { state = seed }

  /// The next 64 bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1): the top 53 bits of `next()`.
  public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// A uniform double in [a, b).
  public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
}
