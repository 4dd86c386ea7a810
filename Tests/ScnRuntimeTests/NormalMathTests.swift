import Foundation
import Testing
@testable import ScnRuntime

@Suite struct NormalMathTests {
  // Reference values: R `qnorm` (itself AS 241) / high-precision tables.
  @Test(arguments: [
    (0.975, 1.959963984540054), (0.5, 0.0), (0.841344746068543, 1.0),
    (1e-10, -6.361340902404056), (1 - 1e-10, 6.361340889697422),
  ])
  func quantileMatchesReference(p: Double, z: Double) {
    #expect(abs(StandardNormal.quantile(p) - z) <= 2e-9 * max(1, abs(z)))
  }

  @Test func quantileInvertsCDFAcrossTheRange() {
    // Only up to x = 1: above it Φ(x) rounds near 1 and the round trip measures that rounding.
    for k in stride(from: -37.5, through: 1.0, by: 0.25) {
      let p = StandardNormal.cdf(k)
      #expect(abs(StandardNormal.quantile(p) - k) <= 1e-13 * max(1, abs(k)), "x=\(k)")
    }
    #expect(StandardNormal.quantile(0) == -.infinity)
    #expect(StandardNormal.quantile(1) == .infinity)
    #expect(StandardNormal.quantile(1.5).isNaN)
  }

  @Test func logTailInversionReachesBeyondDoubleRange() {
    for x in [0.1, 1, 5, 10, 30, 36.9, 37.1, 40, 100, 1000] {
      let back = StandardNormal.upperQuantile(logTail: StandardNormal.logUpperTail(x))
      #expect(abs(back - x) <= 1e-13 * x, "x=\(x)")
    }
    // The two formulas for log Q agree where they meet.
    let direct = log(StandardNormal.upperTail(37))
    let series = -0.5 * 37 * 37 - StandardNormal.logSqrtTwoPi + log(StandardNormal.millsRatio(37))
    #expect(abs(direct - series) <= 1e-13 * abs(direct))
  }

  /// Intervals that touch zero keep relative precision there: the half-normal's small
  /// quantiles are Φ⁻¹(½ + p/2), not a difference of two numbers near ½.
  @Test func truncationNearZeroKeepsRelativePrecision() {
    let half = StandardNormalTruncation(alpha: 0, beta: .infinity)
    for p in [1e-15, 1e-12, 1e-8, 1e-3] {
      let expected = StandardNormal.central(p / 2)
      #expect(abs(half.quantile(p) / expected - 1) < 1e-14, "p=\(p)")
    }
    let narrow = StandardNormalTruncation(alpha: 0.3, beta: 0.3 + 1e-7)
    #expect(narrow.quantile(0.5) > 0.3 + 0.4e-7 && narrow.quantile(0.5) < 0.3 + 0.6e-7)
  }

  @Test func symmetricUniformGridGivesSymmetricNormals() {
    var s = RandomStream(seed: 1, sample: 0, attempt: 0, site: 0)
    for _ in 0..<1000 {
      let u = s.nextDoubleOpen()
      #expect(StandardNormal.quantile(u) == -StandardNormal.quantile(1 - u))
    }
  }
}
