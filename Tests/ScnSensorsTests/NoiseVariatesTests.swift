import Foundation
import Testing

@testable import ScnSensors

/// The camera's sensor noise draws its variates from `NoiseVariates` (a 32-bit hash of the
/// variate's number and the frame's stream picking one of 4096 cells of |Z| and a sign):
/// these tests pin its table to the cells' means and its draws to the normal distribution,
/// independent between neighbouring pixels, rows and frames.
@Suite struct NoiseVariatesTests {
  /// Each cell's value lies inside its cell (between −Φ⁻¹(j/8192) and −Φ⁻¹((j + 1)/8192)),
  /// the values fall with j, their mean is E|Z| = √(2/π) and their mean square is 1 less the
  /// spread within the cells; the outermost is the cut tail's mean.
  @Test func tableHoldsTheCellMeans() {
    let table = NoiseVariates.table.map(Double.init)
    #expect(table.count == 4096)
    for (j, value) in table.enumerated() {
      let inner = -NormalQuantile.value(Double(j + 1) / 8192)
      let outer = j == 0 ? Double.infinity : -NormalQuantile.value(Double(j) / 8192)
      #expect(value > inner && value < outer, "cell \(j): \(value)")
      if j > 0 { #expect(value < table[j - 1]) }
    }
    let mean = table.reduce(0, +) / 4096
    let square = table.reduce(0) { $0 + $1 * $1 } / 4096
    #expect(abs(mean - (2 / Double.pi).squareRoot()) < 1e-6, "mean \(mean)")
    #expect(square < 1 && square > 1 - 2e-5, "mean square \(square)")
    #expect(abs(table[0] - 3.9105) < 1e-3, "outermost \(table[0])")
  }

  /// The hash's values for a few inputs (so that a change to it is a decision), and the
  /// variate built from its bits: the magnitude of cell h >> 20, negative when bit 19 is set.
  @Test func hashAndVariatePinned() {
    let stream: UInt64 = 0x0123_4567_89AB_CDEF
    let pinned: [(UInt32, UInt32)] = [
      (0, 0xD762_4944), (1, 0xCACC_2B94), (2, 0x1A20_FD3F), (1_000_000, 0x623D_D74A), (.max, 0x0375_E175),
    ]
    for (n, h) in pinned {
      #expect(NoiseVariates.hash(stream, n) == h, "n = \(n)")
      let magnitude = NoiseVariates.table[Int(h >> 20)]
      let z = NoiseVariates.variate(stream, n, NoiseVariates.tableBase)
      #expect(z == ((h >> 19) & 1 == 1 ? -magnitude : magnitude))
    }
  }

  /// Draws follow N(0, 1): moments, tail mass, Kolmogorov–Smirnov distance, and the sign is
  /// independent of the magnitude.
  @Test func variatesAreStandardNormal() {
    let n = 400_000
    let stream = NoiseVariates.stream(seed: 42)
    var values = (0..<n).map { Double(NoiseVariates.variate(stream, UInt32($0), NoiseVariates.tableBase)) }
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
    // The 1 % critical value is 1.63 / √n ≈ 0.0026 (the 8192 levels' steps are 1.2·10⁻⁴).
    #expect(distance < 0.0026, "KS distance \(distance)")
  }

  /// Neighbouring draws of a 640 × 480 frame are independent: uncorrelated at the lags of
  /// a pixel's channels, neighbouring pixels and rows, and the pairs of their top 5 bits pass
  /// a χ² test of independence (1023 degrees of freedom; 1170 is about its 0.1 % point),
  /// which a hash of two rounds failed at lags 3 and 1920.
  @Test func neighbouringVariatesAreIndependent() {
    let n = 3 * 640 * 480
    for seed: UInt64 in [7, 8] {
      let stream = NoiseVariates.stream(seed: seed)
      let values = (0..<n).map { Double(NoiseVariates.variate(stream, UInt32($0), NoiseVariates.tableBase)) }
      let bits = (0..<n).map { Int(NoiseVariates.hash(stream, UInt32($0)) >> 27) }
      for lag in [1, 2, 3, 6, 1920, 1923] {
        var sum = 0.0
        for i in 0..<(n - lag) { sum += values[i] * values[i + lag] }
        let correlation = sum / Double(n - lag)
        // Standard error 1/√n ≈ 0.001.
        #expect(abs(correlation) < 0.005, "seed \(seed), lag \(lag): \(correlation)")
        var counts = [Int](repeating: 0, count: 1024)
        for i in 0..<(n - lag) { counts[bits[i] * 32 + bits[i + lag]] += 1 }
        let expected = Double(n - lag) / 1024
        let chiSquare = counts.reduce(0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        #expect(chiSquare < 1170, "seed \(seed), lag \(lag): χ² \(chiSquare)")
      }
    }
  }

  /// Two frames' streams give uncorrelated draws at the same pixels.
  @Test func framesAreUncorrelated() {
    let n = 300_000
    let streams = [1, 2, 3].map { NoiseVariates.stream(seed: $0) }
    let draws = streams.map { s in (0..<n).map { Double(NoiseVariates.variate(s, UInt32($0), NoiseVariates.tableBase)) } }
    for (a, b) in [(0, 1), (0, 2), (1, 2)] {
      let correlation = zip(draws[a], draws[b]).reduce(0) { $0 + $1.0 * $1.1 } / Double(n)
      #expect(abs(correlation) < 0.008, "streams \(a), \(b): \(correlation)")
    }
  }
}
