import Testing
@testable import ScnRuntime

@Suite struct StratifiedTests {
  @Test func bucketsLocateValuesAndCarryTheirProbability() throws {
    let buckets = try ContinuousBuckets(edges: [-.infinity, -1, 0, 1, .infinity])
    #expect(buckets.count == 4)
    #expect(buckets.bucket(of: -5) == 0 && buckets.bucket(of: -1) == 1 && buckets.bucket(of: 0.5) == 2)
    #expect(buckets.bucket(of: .infinity) == nil)
    let p = buckets.probabilities(under: try NormalDistribution(mean: 0, sd: 1))
    #expect(abs(p.reduce(0, +) - 1) < 1e-15)
    #expect(abs(p[0] - 0.158_655_253_931_457_05) < 1e-15)
  }

  @Test func conditionalDrawsLandInTheirBucket() throws {
    let buckets = try ContinuousBuckets(edges: [0, 100, 300, 1000])
    let light = try LogNormalDistribution(mu: 5, sigma: 1)
    var s = StatisticalChecks.stream(site: 3)
    for i in 0..<3000 {
      let b = i % 3
      let x = try buckets.sample(bucket: b, from: light, using: &s)
      #expect(buckets.bucket(of: x) == b)
    }
    #expect(throws: DistributionError.self) { try buckets.sample(bucket: 3, from: light, using: &s) }
  }

  @Test func everyBlockOfSamplesVisitsEveryBucketOnce() throws {
    let count = 5
    for block in 0..<50 {
      let visited = try (0..<count).map { try stratifiedBucket(seed: 11, target: 2, sample: UInt64(block * count + $0), bucketCount: count) }
      #expect(visited.sorted() == Array(0..<count))
    }
    // A pure function of the index: asking again, alone, gives the same bucket.
    #expect(try stratifiedBucket(seed: 11, target: 2, sample: 123, bucketCount: count)
      == stratifiedBucket(seed: 11, target: 2, sample: 123, bucketCount: count))
    let orders = try (0..<20).map { t in
      try (0..<count).map { try stratifiedBucket(seed: 11, target: UInt32(t), sample: UInt64($0), bucketCount: count) }
    }
    #expect(Set(orders).count > 1)
    #expect(throws: DistributionError.self) { try stratifiedBucket(seed: 1, target: 0, sample: 0, bucketCount: 0) }
  }
}
