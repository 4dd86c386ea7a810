import PropertyBased
import Testing
@testable import ScnRuntime

@Suite struct ConditionalPropertyTests {
  /// Any bucket that meets the support yields draws inside it, however deep in a tail.
  @Test func bucketDrawsStayInTheBucket() async {
    await propertyCheck(
      input: Gen.double(in: -100...100), Gen.double(in: 0.01...10), Gen.double(in: -60...60), Gen.double(in: 1e-6...20),
      Gen.uint64(in: 0...UInt64.max)
    ) { mean, sd, start, width, seed in
      var s = RandomStream(seed: seed, sample: 0, attempt: 0, site: 0)
      let lower = mean + start * sd, upper = mean + (start + width) * sd
      guard lower < upper else { return }
      let normal = try NormalDistribution(mean: mean, sd: sd)
      let trunc = try TruncatedNormalDistribution(mean: mean, sd: sd, lower: mean - 3 * sd, upper: .infinity)
      let lognormal = try LogNormalDistribution(mu: mean / 50, sigma: sd / 5)
      for _ in 0..<5 {
        let x = try normal.conditionalSample(lower: lower, upper: upper, using: &s)
        #expect(x >= lower && x < upper)
        if upper > mean - 3 * sd {
          let t = try trunc.conditionalSample(lower: lower, upper: upper, using: &s)
          #expect(t >= max(lower, mean - 3 * sd) && t < upper)
        }
        if upper > 0 {
          let l = try lognormal.conditionalSample(lower: lower, upper: upper, using: &s)
          #expect(l >= max(0, lower) && l < upper)
        }
      }
    }
  }

  @Test func normalQuantileInvertsCDF() async {
    await propertyCheck(input: Gen.double(in: 1e-300...0.5)) { p in
      let z = StandardNormal.quantile(p)
      #expect(abs(StandardNormal.cdf(z) / p - 1) < 1e-13)
    }
  }

  @Test func truncatedQuantileIsMonotoneAndInBounds() async {
    await propertyCheck(input: Gen.double(in: -45...45), Gen.double(in: 1e-9...10), Gen.double(in: 0...1), Gen.double(in: 0...1)) {
      alpha, width, p1, p2 in
      let t = StandardNormalTruncation(alpha: alpha, beta: alpha + width)
      let (a, b) = (t.quantile(min(p1, p2)), t.quantile(max(p1, p2)))
      #expect(a <= b && a >= alpha && b <= alpha + width)
    }
  }
}
