import Foundation
import Testing

@testable import ScnSensors

/// The camera's sensor noise draws its variates from `NoiseVariates` (a table of Φ⁻¹ per
/// binade of the tail probability): these tests pin its interpolation error against
/// `NormalQuantile` and its draws to the normal distribution.
@Suite struct NoiseVariatesTests {
  /// Every variate's magnitude equals −Φ⁻¹(q/2) of its own uniform q to within 2·10⁻⁵,
  /// across every binade the table holds; below the table it is exact.
  @Test func tableMatchesTheQuantileFunction() {
    let base = NoiseVariates.tableBase
    do {
      var worst = 0.0
      // Across each binade [2^top, 2^(top + 1)) of U, 2000 points off the interval ends.
      for top in 7...51 {
        for step in 0..<2000 {
          let span = UInt64(1) << UInt64(top)
          let u = span + UInt64((Double(step) + 0.37) / 2000 * Double(span))
          let z = NoiseVariates.magnitude(u, base)
          let q = (Double(u) + 0.5) * 0x1.0p-52
          let exact = -NormalQuantile.value(q / 2)
          worst = Swift.max(worst, abs(z - exact))
        }
      }
      #expect(worst < 2e-5, "largest error \(worst)")
      // Below the table: exact.
      for u: UInt64 in [0, 1, 77, 127] {
        let exact = -NormalQuantile.value((Double(u) + 0.5) * 0x1.0p-52 / 2)
        #expect(NoiseVariates.magnitude(u, base) == exact)
      }
    }
  }

  /// The table is read through the bits of 2U + 1 as a double; the result is the same
  /// double as the interpolation written out with integer bit operations (the interval from
  /// U's leading one and the 6 bits below it, the position from the rest plus half a unit)
  /// and the interval ends from `NormalQuantile` directly, for every binade, its edges, and
  /// hashed draws.
  @Test func tableLookupMatchesTheIntegerFormulation() {
    func reference(_ u: UInt64) -> Double {
      guard u >= 128 else { return -NormalQuantile.value((Double(u) + 0.5) * 0x1.0p-52 / 2) }
      let top = 63 - u.leadingZeroBitCount
      let k = 51 - top
      let below = u << UInt64(64 - top)
      let j = Int(below >> 58)
      let rest = (below << 6) >> 11
      let unit = Double(bitPattern: UInt64(1023 - (top - 6)) << 52)
      let w = Double(rest) * 0x1.0p-53 + 0.5 * unit
      func end(_ j: Int) -> Double {
        -NormalQuantile.value(Double(sign: .plus, exponent: -(k + 1), significand: 1) * (1 + Double(j) / 64) / 2)
      }
      let a = end(j)
      return a + (end(j + 1) - a) * w
    }
    let base = NoiseVariates.tableBase
    var inputs: [UInt64] = [0, 1, 127, 128, 129, 255, 256, (1 << 52) - 1, (1 << 51), (1 << 51) - 1]
    for top in 7...51 {
      let span = UInt64(1) << UInt64(top)
      for j in 0..<64 {
        let start = span + UInt64(j) * (span >> 6)
        inputs += [start, start + 1, start + (span >> 6) - 1, start + (span >> 7)]
      }
    }
    for n in 0..<200_000 { inputs.append(Hash.mix(UInt64(n)) >> 12) }
    for u in inputs {
      let z = NoiseVariates.magnitude(u, base)
      #expect(z.bitPattern == reference(u).bitPattern, "u = \(u): \(z) against \(reference(u))")
    }
    // The variate is that magnitude with the sign of the hash's top bit.
    let stream = NoiseVariates.stream(seed: 3)
    for n in 0..<10_000 as Range<UInt64> {
      let h = Hash.mix(stream &+ n &* 0x9E37_79B9_7F4A_7C15)
      let expected = reference((h >> 11) & ((1 << 52) - 1)) * (h >> 63 == 1 ? -1 : 1)
      #expect(NoiseVariates.variate(stream, n, base).bitPattern == expected.bitPattern)
    }
  }

  /// Draws follow N(0, 1): moments, tail mass, Kolmogorov–Smirnov distance, and the sign is
  /// independent of the magnitude.
  @Test func variatesAreStandardNormal() {
    let n = 400_000
    let stream = NoiseVariates.stream(seed: 42)
    var values = (0..<n).map { NoiseVariates.variate(stream, UInt64($0), NoiseVariates.tableBase) }
    let mean = values.reduce(0, +) / Double(n)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    let fourth = values.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n) / (variance * variance)
    #expect(abs(mean) < 0.008, "mean \(mean)")
    #expect(abs(variance - 1) < 0.01, "variance \(variance)")
    #expect(abs(fourth - 3) < 0.06, "kurtosis \(fourth)")
    let tail = Double(values.filter { abs($0) > 3 }.count) / Double(n)
    #expect(abs(tail - 0.0026998) < 0.0006, "tail \(tail)")
    let positiveLarge = values.filter { $0 > 2 }.count
    let negativeLarge = values.filter { $0 < -2 }.count
    #expect(abs(positiveLarge - negativeLarge) < 400, "\(positiveLarge) against \(negativeLarge)")
    values.sort()
    var distance = 0.0
    for (i, z) in values.enumerated() {
      let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
      distance = Swift.max(distance, abs(cdf - Double(i) / Double(n)), abs(cdf - Double(i + 1) / Double(n)))
    }
    // The 1 % critical value is 1.63 / √n ≈ 0.0026.
    #expect(distance < 0.0026, "KS distance \(distance)")
  }

  /// Neighbouring draws (the three channels of a pixel, adjacent pixels) are uncorrelated.
  @Test func neighbouringVariatesAreUncorrelated() {
    let n = 300_000
    let stream = NoiseVariates.stream(seed: 7)
    let values = (0..<n).map { NoiseVariates.variate(stream, UInt64($0), NoiseVariates.tableBase) }
    for lag in [1, 2, 3, 6] {
      var sum = 0.0
      for i in 0..<(n - lag) { sum += values[i] * values[i + lag] }
      let correlation = sum / Double(n - lag)
      // Standard error 1/√n ≈ 0.0018.
      #expect(abs(correlation) < 0.008, "lag \(lag): \(correlation)")
    }
  }
}
