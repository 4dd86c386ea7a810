import PropertyBased
import Testing
@testable import ScnRuntime

@Suite struct ValidationTests {
  /// The message of the `DistributionError` thrown by `body`; "no error" or the other error's text.
  func message(_ body: () throws -> Void) -> String {
    do { try body() } catch let error as DistributionError { return error.message } catch { return "\(error)" }
    return "no error"
  }

  @Test func errorsNameTheDistributionAndTheParameter() {
    var s = StatisticalChecks.stream(site: 1)
    #expect(message { _ = try Distributions.normal(mean: 0, sd: -1, using: &s) } == "normal: sd must be > 0, got -1")
    #expect(message { _ = try Distributions.uniform(5, 1, using: &s) } == "uniform: b must be ≥ a, got a = 5, b = 1")
    #expect(message { _ = try Distributions.uniformInt(3, 2, using: &s) } == "uniform_int: b must be ≥ a, got a = 3, b = 2")
    #expect(message { _ = try Distributions.truncnormal(mean: 0, sd: 1, lower: 2, upper: 2, using: &s) }
      == "truncnormal: hi must be > lo, got lo = 2, hi = 2")
    #expect(message { _ = try Distributions.lognormal(mu: .nan, sigma: 1, using: &s) } == "lognormal: mu must be finite, got nan")
    #expect(message { _ = try Distributions.lognormal(mu: 0, sigma: 0, using: &s) } == "lognormal: sigma must be > 0, got 0")
    #expect(message { _ = try Distributions.bernoulli(1.5, using: &s) } == "bernoulli: p must be in [0, 1], got 1.5")
    #expect(message { _ = try Distributions.oneOf(count: 0, using: &s) } == "one_of: count must be ≥ 1, got 0")
    #expect(message { _ = try Distributions.choice(weights: [0, 0], using: &s) } == "choice: weights must not sum to 0")
    #expect(message { _ = try Distributions.choice(weights: [1, -2], using: &s) } == "choice: weights[1] must be finite and ≥ 0, got -2")
    #expect(message { _ = try Distributions.choice(weights: [], using: &s) } == "choice: weights must not be empty")
    #expect(message { _ = try Distributions.choice(weights: [.greatestFiniteMagnitude, .greatestFiniteMagnitude], using: &s) }
      == "choice: weights sum overflows")
    #expect(message { _ = try Distributions.shuffle(count: -1, using: &s) } == "shuffle: count must be ≥ 0, got -1")
    #expect(message { _ = try Distributions.sample(count: 3, k: 4, using: &s) } == "sample: k must be in 0...3 (the list length), got 4")
    #expect(message { _ = try ContinuousBuckets(edges: [0, 1, 1]) } == "cover: bucket edges must be strictly increasing, got 1 then 1")
    #expect(message { _ = try NormalDistribution(mean: 0, sd: 1).conditionalSample(lower: 2, upper: 1, using: &s) }
      == "normal: bucket must satisfy lower < upper, got [2, 1)")
  }

  @Test func continuousDrawsStayInTheirSupport() async {
    await propertyCheck(
      input: Gen.double(in: -1e6...1e6), Gen.double(in: 1e-6...1e4), Gen.double(in: -50...50), Gen.double(in: 1e-3...60),
      Gen.uint64(in: 0...UInt64.max)
    ) { a, width, alpha, span, seed in
      var s = RandomStream(seed: seed, sample: 0, attempt: 0, site: 0)
      for _ in 0..<20 {
        let u = try Distributions.uniform(a, a + width, using: &s)
        #expect(u >= a && u < a + width)
        let sd = width
        let t = try Distributions.truncnormal(mean: a, sd: sd, lower: a + alpha * sd, upper: a + (alpha + span) * sd, using: &s)
        #expect(t >= a + alpha * sd && t <= a + (alpha + span) * sd)
        #expect(try Distributions.normal(mean: a, sd: sd, using: &s).isFinite)
        let l = try Distributions.lognormal(mu: alpha, sigma: span / 10, using: &s)
        #expect(l > 0 && l.isFinite)
      }
    }
  }

  @Test func discreteDrawsStayInTheirSupport() async {
    await propertyCheck(
      input: Gen.int(in: -1_000_000...1_000_000), Gen.int(in: 0...1_000_000), Gen.int(in: 1...60), Gen.uint64(in: 0...UInt64.max)
    ) { a, width, n, seed in
      var s = RandomStream(seed: seed, sample: 1, attempt: 0, site: 0)
      let k = try Distributions.uniformInt(a, a + width, using: &s)
      #expect(k >= a && k <= a + width)
      #expect((0..<n).contains(try Distributions.oneOf(count: n, using: &s)))
      let weights = (0..<n).map { Double(($0 * 7919 + width) % 5) }
      if weights.contains(where: { $0 > 0 }) {
        let i = try Distributions.choice(weights: weights, using: &s)
        #expect(weights[i] > 0)
      }
      let picked = try Distributions.sample(count: n, k: n / 2, using: &s)
      #expect(Set(picked).count == n / 2 && picked.allSatisfy { (0..<n).contains($0) })
    }
  }

  @Test func badParametersAreRejected() async {
    await propertyCheck(input: Gen.double(in: -1e9...0), Gen.double(in: -1e9...1e9)) { badScale, x in
      #expect(throws: DistributionError.self) { try NormalDistribution(mean: x, sd: badScale) }
      #expect(throws: DistributionError.self) { try LogNormalDistribution(mu: x, sigma: badScale) }
      #expect(throws: DistributionError.self) { try TruncatedNormalDistribution(mean: x, sd: 1, lower: x, upper: x + badScale) }
      #expect(throws: DistributionError.self) { try UniformDistribution(lower: x, upper: x + badScale - 1) }
      #expect(throws: DistributionError.self) { try BernoulliDistribution(p: badScale - 1e-9) }
      #expect(throws: DistributionError.self) { try UniformDistribution(lower: x, upper: .infinity) }
    }
  }
}
