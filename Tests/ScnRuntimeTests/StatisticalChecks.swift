import Foundation
@testable import ScnRuntime

/// Goodness-of-fit helpers. The tests run at fixed seeds, so they are deterministic; the
/// thresholds are the 0.1 % critical values, strict enough that a wrong parameterisation
/// (variance for sd, a biased integer map) fails, as `ksRejectsWrongParameterisation` shows.
enum StatisticalChecks {
  /// Kolmogorov–Smirnov statistic D = sup |Fₙ(x) − F(x)|.
  static func ksStatistic(_ samples: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
      let f = cdf(x)
      d = max(d, f - Double(i) / n, Double(i + 1) / n - f)
    }
    return d
  }

  /// Asymptotic critical value at α = 0.001: 1.9495 / √n.
  static func ksCritical(_ n: Int) -> Double { 1.9495 / Double(n).squareRoot() }

  static func ksAccepts(_ samples: [Double], cdf: (Double) -> Double) -> Bool {
    ksStatistic(samples, cdf: cdf) < ksCritical(samples.count)
  }

  /// Pearson's χ² of observed counts against expected probabilities.
  static func chiSquare(_ observed: [Int], probabilities: [Double]) -> Double {
    let n = Double(observed.reduce(0, +))
    var sum = 0.0
    for (o, p) in zip(observed, probabilities) where p > 0 {
      let e = n * p
      sum += (Double(o) - e) * (Double(o) - e) / e
    }
    return sum
  }

  /// χ² critical value at α = 0.001 (Wilson–Hilferty; z₀.₉₉₉ = 3.0902).
  static func chiSquareCritical(degreesOfFreedom k: Int) -> Double {
    let k = Double(k)
    let h = 2 / (9 * k)
    return k * pow(1 - h + 3.0902 * h.squareRoot(), 3)
  }

  static func chiSquareAccepts(_ observed: [Int], probabilities: [Double]) -> Bool {
    let cells = probabilities.filter { $0 > 0 }.count
    return chiSquare(observed, probabilities: probabilities) < chiSquareCritical(degreesOfFreedom: cells - 1)
  }

  static func meanAndVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)
    return (mean, variance)
  }

  static func stream(site: UInt32, seed: UInt64 = 20_261_125) -> RandomStream {
    RandomStream(seed: seed, sample: 7, attempt: 0, site: site)
  }

  static func draws(_ n: Int, site: UInt32, _ body: (inout RandomStream) -> Double) -> [Double] {
    var s = stream(site: site)
    return (0..<n).map { _ in body(&s) }
  }
}
