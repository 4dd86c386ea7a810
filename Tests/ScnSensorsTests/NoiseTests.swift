import Foundation
import Testing

@testable import ScnSensors

/// LiDAR range noise draws its Gaussian variates through `NormalQuantile` (`Hash.gaussian`),
/// and the camera's noise table (`NoiseVariates`) is built from it; these tests pin the
/// quantile function to known values and the hashed variates to the normal distribution.
@Suite struct NoiseTests {
  @Test func quantileMatchesKnownValues() {
    let known: [(Double, Double)] = [
      (0.5, 0), (0.975, 1.959963984540054), (0.8413447460685429, 1), (0.001, -3.090232306167813),
      (1e-10, -6.361340902404056), (0.02425, -1.9729610513118845), (0.99999, 4.26489079392384), (0.3, -0.5244005127080407),
    ]
    for (p, z) in known {
      #expect(abs(NormalQuantile.value(p) - z) <= 1.2e-9 * Swift.max(1, abs(z)), "p = \(p)")
    }
    #expect(NormalQuantile.value(0) == -.infinity)
    #expect(NormalQuantile.value(1) == .infinity)
  }

  /// Φ(Φ⁻¹(p)) = p to within the approximation's error, across the centre and both tails
  /// (p and 1 − p exact binary fractions, so the symmetry check is exact too). The error is
  /// measured in z: one Newton step, (Φ(z) − p) / φ(z), is the distance to the true quantile.
  @Test func quantileInvertsTheNormalCDF() {
    func errorInZ(_ p: Double) -> Double {
      let z = NormalQuantile.value(p)
      let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
      let density = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
      return abs(cdf - p) / density / Swift.max(1, abs(z))
    }
    for k in 1..<(1 << 16) {
      let p = Double(k) / Double(1 << 17)  // (0, 0.5)
      #expect(errorInZ(p) <= 1.2e-9, "p = \(p)")
      let z = NormalQuantile.value(p)
      #expect(abs(NormalQuantile.value(1 - p) + z) <= 1e-12 * Swift.max(1, abs(z)), "1 - p, p = \(p)")
    }
    for exponent in 18...300 {
      #expect(errorInZ(Double(sign: .plus, exponent: -exponent, significand: 1)) <= 1.2e-9, "p = 2^-\(exponent)")
    }
  }

  /// Hashed variates follow N(0, 1): Kolmogorov–Smirnov distance, moments and tail mass.
  @Test func hashedGaussianIsStandardNormal() {
    let n = 200_000
    var values = (0..<n).map { Hash.gaussian(Hash.combine(42, UInt64($0))) }
    let mean = values.reduce(0, +) / Double(n)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    #expect(abs(mean) < 0.01)
    #expect(abs(variance - 1) < 0.015)
    let tail = Double(values.filter { abs($0) > 3 }.count) / Double(n)
    #expect(abs(tail - 0.0026998) < 0.0008)
    values.sort()
    var distance = 0.0
    for (i, z) in values.enumerated() {
      let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
      distance = Swift.max(distance, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
    }
    // The 1 % critical value is 1.63 / √n ≈ 0.0036.
    #expect(distance < 0.0036)
  }
}
