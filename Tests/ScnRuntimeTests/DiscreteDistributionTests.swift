import Testing
@testable import ScnRuntime

@Suite struct DiscreteDistributionTests {
  typealias Check = StatisticalChecks

  func counts(_ cells: Int, _ n: Int, site: UInt32, _ draw: (inout RandomStream) throws -> Int) rethrows -> [Int] {
    var s = Check.stream(site: site)
    var counts = [Int](repeating: 0, count: cells)
    for _ in 0..<n { counts[try draw(&s)] += 1 }
    return counts
  }

  @Test func uniformIntSmallRangeIsUniform() throws {
    let c = try counts(3, 30_000, site: 1) { try Distributions.uniformInt(0, 2, using: &$0) }
    #expect(Check.chiSquareAccepts(c, probabilities: [1.0 / 3, 1.0 / 3, 1.0 / 3]))
  }

  @Test func uniformIntLargeRangeIsUniform() throws {
    // The single value 2³³ would open a ninth cell of its own; fold it into the last.
    let c = try counts(8, 20_000, site: 2) { min(7, try Distributions.uniformInt(0, 1 << 33, using: &$0) >> 30) }
    #expect(Check.chiSquareAccepts(c, probabilities: Array(repeating: 1.0 / 8, count: 8)))
  }

  /// 0..<3·2⁶² is where `x % n` is badly biased (the lowest third twice as likely); Lemire's
  /// method is not, and the χ² check can tell the two apart.
  @Test func uniformIntHasNoModuloBias() throws {
    let upper = Int.min &+ Int(bitPattern: UInt(3) << 62 &- 1)  // 3·2⁶² values from Int.min
    let c = try counts(3, 20_000, site: 3) { s in
      let offset = UInt64(bitPattern: Int64(try Distributions.uniformInt(Int.min, upper, using: &s) &- Int.min))
      return Int(offset >> 62)
    }
    #expect(Check.chiSquareAccepts(c, probabilities: [1.0 / 3, 1.0 / 3, 1.0 / 3]))
    var s = Check.stream(site: 3)
    var biased = [0, 0, 0]
    for _ in 0..<20_000 { biased[Int((s.nextUInt64() % (UInt64(3) << 62)) >> 62)] += 1 }
    #expect(!Check.chiSquareAccepts(biased, probabilities: [1.0 / 3, 1.0 / 3, 1.0 / 3]))
  }

  @Test func uniformIntCoversTheFullRangeAndSingletons() throws {
    var s = Check.stream(site: 4)
    #expect(try Distributions.uniformInt(5, 5, using: &s) == 5)
    _ = try Distributions.uniformInt(Int.min, Int.max, using: &s)
    let d = try UniformIntDistribution(lower: -10, upper: 10)
    for _ in 0..<1000 {
      let k = try d.conditionalSample(in: 8...50, using: &s)
      #expect((8...10).contains(k))
    }
    #expect(throws: DistributionError.self) { try d.conditionalSample(in: 11...12, using: &s) }
  }

  @Test func bernoulliMatchesP() throws {
    let c = try counts(2, 20_000, site: 5) { try Distributions.bernoulli(0.3, using: &$0) ? 1 : 0 }
    #expect(Check.chiSquareAccepts(c, probabilities: [0.7, 0.3]))
    var s = Check.stream(site: 5)
    for _ in 0..<100 {
      #expect(try !Distributions.bernoulli(0, using: &s))
      #expect(try Distributions.bernoulli(1, using: &s))
    }
    #expect(try BernoulliDistribution(p: 0.5).conditionalSample(outcome: true))
    #expect(throws: DistributionError.self) { try BernoulliDistribution(p: 0).conditionalSample(outcome: true) }
  }

  @Test func choiceFollowsWeightsAndNeverPicksZero() throws {
    let weights = [0.7, 0.3, 0, 2]
    let c = try counts(4, 20_000, site: 6) { try Distributions.choice(weights: weights, using: &$0) }
    #expect(c[2] == 0)
    #expect(Check.chiSquareAccepts(c, probabilities: weights.map { $0 / 3 }))
    let d = try CategoricalDistribution(weights: weights)
    let conditional = try counts(4, 20_000, site: 7) { try d.conditionalSample(allowed: [3, 0, 2, 0], using: &$0) }
    #expect(conditional[1] == 0 && conditional[2] == 0)
    #expect(Check.chiSquareAccepts(conditional, probabilities: [0.7 / 2.7, 0, 0, 2 / 2.7]))
    var s = Check.stream(site: 7)
    #expect(throws: DistributionError.self) { try d.conditionalSample(allowed: [2, 9], using: &s) }
  }

  @Test func oneOfIsUniform() throws {
    let c = try counts(5, 20_000, site: 8) { try Distributions.oneOf(count: 5, using: &$0) }
    #expect(Check.chiSquareAccepts(c, probabilities: Array(repeating: 0.2, count: 5)))
  }

  @Test func shuffleIsAUniformPermutation() throws {
    let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
    let c = try counts(6, 30_000, site: 9) { s in
      permutations.firstIndex(of: try Distributions.shuffle(count: 3, using: &s)) ?? -1
    }
    #expect(Check.chiSquareAccepts(c, probabilities: Array(repeating: 1.0 / 6, count: 6)))
    var s = Check.stream(site: 9)
    for n in [0, 1, 2, 17, 100] {
      #expect(try Distributions.shuffle(count: n, using: &s).sorted() == Array(0..<n))
    }
  }

  @Test func sampleGivesDistinctIndicesInRandomOrder() throws {
    var s = Check.stream(site: 10)
    for (count, k) in [(10, 3), (10, 10), (5, 0), (1_000_000, 7)] {
      let xs = try Distributions.sample(count: count, k: k, using: &s)
      #expect(xs.count == k && Set(xs).count == k && xs.allSatisfy { (0..<count).contains($0) })
    }
    // Position 0 of sample(4, 2) is uniform over 0..<4.
    let c = try counts(4, 20_000, site: 11) { try Distributions.sample(count: 4, k: 2, using: &$0)[0] }
    #expect(Check.chiSquareAccepts(c, probabilities: Array(repeating: 0.25, count: 4)))
  }

  @Test func sparseAndDenseFisherYatesAgree() {
    for (count, k) in [(5000, 5), (10_000, 100), (3, 3)] {
      var a = Check.stream(site: 12), b = Check.stream(site: 12)
      let dense = Permutations.partialFisherYates(count: count, k: k, &a, dense: true)
      let sparse = Permutations.partialFisherYates(count: count, k: k, &b, dense: false)
      #expect(dense == sparse)
      #expect(a.position == b.position)
    }
  }

  @Test func shuffleIsAPrefixExtensionOfSample() throws {
    var a = Check.stream(site: 13), b = Check.stream(site: 13)
    let full = try Distributions.shuffle(count: 50, using: &a)
    let part = try Distributions.sample(count: 50, k: 8, using: &b)
    #expect(Array(full.prefix(8)) == part)
  }
}
