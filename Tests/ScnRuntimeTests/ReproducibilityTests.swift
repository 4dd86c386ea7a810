import Testing
@testable import ScnRuntime

/// Golden draws: a dataset made today must be re-makeable by a future version, so any change to
/// the stream layout, the word → number conversions, an algorithm or a word count must show up
/// here (and then needs a format version bump, see Random/README.md). Values that go through
/// the C library's log/exp/erfc are compared bit for bit on Linux (glibc, the reference) and to
/// 1e-12 relative elsewhere; the others exactly everywhere.
@Suite struct ReproducibilityTests {
  @Test func goldenDrawsOfOneStream() throws {
    var s = RandomStream(seed: 2026, sample: 41, attempt: 2, site: 17)
    #expect(s.nextUInt64() == 0x8149_9D05_1D62_0853)
    #expect(s.nextDouble().bitPattern == 4_603_497_652_565_434_731)
    #expect(s.nextDouble() == 0.298782949607197)
    #expect(try Distributions.uniform(-3, 8, using: &s) == -2.158428197053762)
    #expect(try Distributions.uniformInt(-100, 1000, using: &s) == 950)
    expectClose(try Distributions.normal(mean: 1.5, sd: 0.25, using: &s), 1.4173876301640582)
    expectClose(try Distributions.truncnormal(mean: 0, sd: 1, lower: 5, upper: 6, using: &s), 5.314676228252448)
    expectClose(try Distributions.truncnormal(mean: 10, sd: 2, lower: 9, upper: 20, using: &s), 11.414875347809064)
    expectClose(try Distributions.lognormal(mu: 0.3, sigma: 0.7, using: &s), 1.5340014187903352)
    #expect(try Distributions.bernoulli(0.4, using: &s) == true)
    #expect(try Distributions.oneOf(count: 7, using: &s) == 6)
    #expect(try Distributions.choice(weights: [0.2, 0.5, 0.3], using: &s) == 2)
    #expect(try Distributions.shuffle(count: 8, using: &s) == [0, 5, 6, 7, 1, 3, 4, 2])
    #expect(try Distributions.sample(count: 100, k: 5, using: &s) == [9, 81, 49, 34, 35])
    // The documented word counts: 1+2+1+1+1+1+1+1+1+1+1+7+5.
    #expect(s.position == 24)
  }

  @Test func goldenIndexedDecisions() throws {
    #expect(uniform01(seed: 2026, domain: .splitAssignment, index: 41) == 0.7273339096076338)
    let buckets = try (0..<6).map { try stratifiedBucket(seed: 2026, target: 1, sample: UInt64($0), bucketCount: 3) }
    #expect(buckets == [1, 0, 2, 1, 2, 0])
  }

  func expectClose(_ x: Double, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #if os(Linux)
      // glibc is the reference platform: bit for bit.
      #expect(x == expected, sourceLocation: sourceLocation)
    #else
      #expect(abs(x - expected) <= 1e-12 * abs(expected), sourceLocation: sourceLocation)
    #endif
  }
}
