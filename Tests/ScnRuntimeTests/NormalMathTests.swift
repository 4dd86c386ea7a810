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

  @Test func symmetricUniformGridGivesSymmetricNormals() {
    var s = RandomStream(seed: 1, sample: 0, attempt: 0, site: 0)
    for _ in 0..<1000 {
      let u = s.nextDoubleOpen()
      #expect(StandardNormal.quantile(u) == -StandardNormal.quantile(1 - u))
    }
  }
}
