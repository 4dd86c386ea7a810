import Foundation
import Testing
@testable import ScnRuntime

/// `empirical`: rows are drawn uniformly, and the Gaussian kernel adds exactly its variance,
/// so the draws' law is the mixture (1/n) Σ N(xᵢ, h²) — tested against that CDF.
@Suite struct EmpiricalDistributionTests {
  typealias Check = StatisticalChecks
  static let column: [Double] = [1.0, 1.2, 1.25, 1.4, 1.9, 2.6]

  @Test func withoutABandwidthEveryDrawIsARowAndRowsAreEquallyLikely() throws {
    let law = try EmpiricalLaw(values: Self.column, bandwidth: 0)
    let xs = Check.draws(30_000, site: 41) { law.sample(using: &$0) }
    var counts = Array(repeating: 0, count: Self.column.count)
    for x in xs {
      let i = try #require(Self.column.firstIndex(of: x))
      counts[i] += 1
    }
    #expect(Check.chiSquareAccepts(counts, probabilities: Array(repeating: 1.0 / 6, count: 6)))
  }

  @Test func theKernelMixtureMatchesItsCDFAndMoments() throws {
    let h = 0.15
    let law = try EmpiricalLaw(values: Self.column, bandwidth: h)
    let xs = Check.draws(20_000, site: 42) { law.sample(using: &$0) }
    let kernels = try Self.column.map { try NormalDistribution(mean: $0, sd: h) }
    #expect(Check.ksAccepts(xs, cdf: { x in kernels.reduce(0) { $0 + $1.cdf(x) } / Double(kernels.count) }))
    let mean = Self.column.reduce(0, +) / 6
    let variance = Self.column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 6 + h * h
    let m = Check.meanAndVariance(xs)
    #expect(abs(m.mean - mean) < 0.01)
    #expect(abs(m.variance - variance) / variance < 0.05)
    // The same test must be able to fail: without the kernel the law is another one.
    let bare = try EmpiricalLaw(values: Self.column, bandwidth: 0)
    let ys = Check.draws(20_000, site: 42) { bare.sample(using: &$0) }
    #expect(!Check.ksAccepts(ys, cdf: { x in kernels.reduce(0) { $0 + $1.cdf(x) } / Double(kernels.count) }))
  }

  @Test func badArgumentsAreErrorsNotDraws() {
    #expect(throws: DistributionError.self) { try EmpiricalLaw(values: [], bandwidth: 0) }
    #expect(throws: DistributionError.self) { try EmpiricalLaw(values: [1], bandwidth: -1) }
    #expect(throws: DistributionError.self) { try EmpiricalLaw(values: [1], bandwidth: .infinity) }
  }
}
