import Foundation
import Testing
@testable import ScnRuntime

@Suite struct ContinuousDistributionTests {
  typealias Check = StatisticalChecks
  static let n = 20_000

  func fits(_ d: some ContinuousDistribution, site: UInt32) -> Bool {
    let xs = Check.draws(Self.n, site: site) { d.sample(using: &$0) }
    return xs.allSatisfy { d.support.contains($0) } && Check.ksAccepts(xs, cdf: d.cdf)
  }

  @Test func uniformMatchesItsCDF() throws {
    #expect(fits(try UniformDistribution(lower: -2, upper: 5), site: 1))
  }

  @Test func normalMatchesItsCDFAndMoments() throws {
    let d = try NormalDistribution(mean: 3, sd: 2)
    #expect(fits(d, site: 2))
    let m = Check.meanAndVariance(Check.draws(Self.n, site: 3) { d.sample(using: &$0) })
    #expect(abs(m.mean - 3) < 0.05)
    #expect(abs(m.variance - 4) < 0.15)
  }

  /// The KS helper must be able to fail: samples with sd 2 do not pass as variance 2 (sd √2),
  /// nor as sd 4 (the variance read as an sd), nor with the mean shifted by 0.1 sd.
  @Test func ksRejectsWrongParameterisation() throws {
    let right = try NormalDistribution(mean: 0, sd: 2)
    let xs = Check.draws(Self.n, site: 4) { right.sample(using: &$0) }
    let critical = Check.ksCritical(xs.count)
    func distance(_ sd: Double, mean: Double = 0) throws -> Double {
      Check.ksStatistic(xs, cdf: try NormalDistribution(mean: mean, sd: sd).cdf)
    }
    #expect(try distance(2) < critical)
    #expect(try distance(2.0.squareRoot()) > critical)
    #expect(try distance(4) > critical)
    #expect(try distance(2, mean: 0.2) > critical)
  }

  @Test(arguments: [(-1.0, 1.0), (-0.5, 3.0), (0.0, Double.infinity), (-Double.infinity, -1.5),
                    (5.0, 6.0), (-6.0, -5.0), (40.0, 41.0), (-1e-9, 1e-9), (2.0, 2.001)])
  func truncatedNormalMatchesItsCDFAndStaysInBounds(alpha: Double, beta: Double) throws {
    let (mean, sd) = (10.0, 3.0)
    let d = try TruncatedNormalDistribution(mean: mean, sd: sd, lower: mean + sd * alpha, upper: mean + sd * beta)
    #expect(fits(d, site: 5))
  }

  /// Infinite bounds are allowed; the open-interval uniform keeps draws off ±∞.
  @Test func truncatedNormalWithInfiniteBoundsIsFinite() throws {
    let whole = try TruncatedNormalDistribution(mean: 1, sd: 2, lower: -.infinity, upper: .infinity)
    let xs = Check.draws(Self.n, site: 10) { whole.sample(using: &$0) }
    #expect(xs.allSatisfy { $0.isFinite })
    let parent = try NormalDistribution(mean: 1, sd: 2)
    #expect(Check.ksAccepts(xs, cdf: parent.cdf))
    var s = Check.stream(site: 11)
    #expect(whole.quantile(0) == -.infinity && whole.quantile(1) == .infinity)
    for _ in 0..<1000 {
      let x = try whole.conditionalSample(lower: -.infinity, upper: -30, using: &s)
      #expect(x.isFinite && x < -30)
    }
  }

  @Test func truncatedNormalFarTailHasTheRightMean() throws {
    // E[Z | 5 ≤ Z ≤ 6] = (φ(5) − φ(6)) / (Q(5) − Q(6)).
    let d = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: 5, upper: 6)
    let expected = (StandardNormal.density(5) - StandardNormal.density(6))
      / (StandardNormal.upperTail(5) - StandardNormal.upperTail(6))
    let m = Check.meanAndVariance(Check.draws(Self.n, site: 6) { d.sample(using: &$0) })
    #expect(abs(m.mean - expected) < 0.005)
  }

  /// Beyond double range of Q: E[Z | Z ≥ a] = a + 1/a − 2/a³ + 10/a⁵ − … (the asymptotic
  /// series of the inverse Mills ratio), an independent reference for the log-space sampler.
  @Test func truncatedNormalBeyondDoubleRangeHasTheRightMean() throws {
    let a = 40.0
    let d = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: a, upper: .infinity)
    let xs = Check.draws(Self.n, site: 12) { d.sample(using: &$0) }
    let m = Check.meanAndVariance(xs)
    let expected = a + 1 / a - 2 / (a * a * a) + 10 / pow(a, 5)
    // Standard error ≈ (1/a)/√n ≈ 1.8e-4; allow 3.
    #expect(abs(m.mean - expected) < 5.5e-4)
    #expect(abs(m.variance.squareRoot() - 1 / a) < 0.1 / a)
    #expect(xs.allSatisfy { $0 >= a && $0.isFinite })
  }

  @Test func logNormalMatchesItsCDFAndMean() throws {
    let d = try LogNormalDistribution(mu: 0.5, sigma: 0.4)
    #expect(fits(d, site: 7))
    let m = Check.meanAndVariance(Check.draws(Self.n, site: 8) { d.sample(using: &$0) })
    let expected = exp(0.5 + 0.4 * 0.4 / 2)
    #expect(abs(m.mean / expected - 1) < 0.01)
  }

  @Test func quantileInvertsCDF() throws {
    let distributions: [any ContinuousDistribution] = [
      try UniformDistribution(lower: -3, upper: 7),
      try NormalDistribution(mean: 1, sd: 0.5),
      try TruncatedNormalDistribution(mean: 0, sd: 1, lower: -0.3, upper: 2.5),
      try TruncatedNormalDistribution(mean: 0, sd: 1, lower: 5, upper: 6),
      try TruncatedNormalDistribution(mean: 0, sd: 1, lower: -12, upper: -9),
      try LogNormalDistribution(mu: -1, sigma: 2),
    ]
    for d in distributions {
      for p in stride(from: 0.001, to: 1, by: 0.0125) {
        let x = d.quantile(p)
        // 1e-11 relative: a far-tail CDF is a difference of two log-tails of size ~15, whose
        // last-bit errors (~2e-15) are amplified by 1/p near its lower edge.
        #expect(abs(d.cdf(x) - p) <= 1e-11 * max(p, 1e-3), "\(d) p=\(p)")
        #expect(abs(d.quantile(d.cdf(x)) - x) <= 1e-9 * max(1, abs(x)), "\(d) x=\(x)")
      }
    }
  }

  @Test func conditionalSamplesStayInTheBucketAndFollowTheConditionalLaw() throws {
    let d = try NormalDistribution(mean: 0, sd: 1)
    let xs = try (0..<Self.n).map { i -> Double in
      var s = RandomStream(seed: 3, sample: UInt64(i), attempt: 0, site: 1)
      return try d.conditionalSample(lower: 1, upper: 2, using: &s)
    }
    #expect(xs.allSatisfy { $0 >= 1 && $0 < 2 })
    let mass = d.cdf(2) - d.cdf(1)
    #expect(Check.ksAccepts(xs) { (d.cdf($0) - d.cdf(1)) / mass })
  }

  @Test func conditionalSamplesWorkForEveryFamily() throws {
    var s = StatisticalChecks.stream(site: 9)
    let lognormal = try LogNormalDistribution(mu: 0, sigma: 1)
    let uniform = try UniformDistribution(lower: 0, upper: 10)
    let trunc = try TruncatedNormalDistribution(mean: 0, sd: 1, lower: 0, upper: 3)
    for _ in 0..<1000 {
      let a = try lognormal.conditionalSample(lower: 2, upper: 3, using: &s)
      let b = try uniform.conditionalSample(lower: 9.5, upper: 20, using: &s)
      let c = try trunc.conditionalSample(lower: -5, upper: 0.5, using: &s)
      let far = try NormalDistribution(mean: 0, sd: 1).conditionalSample(lower: 50, upper: 60, using: &s)
      #expect(a >= 2 && a < 3 && b >= 9.5 && b < 10 && c >= 0 && c < 0.5 && far >= 50 && far < 60)
    }
    #expect(throws: DistributionError.self) { try uniform.conditionalSample(lower: 11, upper: 12, using: &s) }
    #expect(throws: DistributionError.self) { try lognormal.conditionalSample(lower: -3, upper: 0, using: &s) }
    #expect(throws: DistributionError.self) { try trunc.conditionalSample(lower: 3, upper: 4, using: &s) }
  }
}
