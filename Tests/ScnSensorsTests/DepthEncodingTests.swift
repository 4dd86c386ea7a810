import Testing

@testable import ScnSensors

@Suite struct DepthEncodingTests {
  /// The fast rounding must equal the library's, including at halves and the clamps.
  @Test func depthMillimetresMatchesRoundedAndClamped() {
    var numbers = RayBundleTests.Numbers(state: 7)
    var samples: [Double] = [0, 1e-9, 0.0004999, 0.0005, 0.0015, 0.0025, 65.5345, 65.5349, 65.535, 70, 1e9, -1, .nan]
    for _ in 0..<100_000 { samples.append(numbers.next() * 70) }
    for k in 0..<2000 { samples.append((Double(k) + 0.5) / 1000) }
    // Distances whose millimetres are exact halves (ties, rounded up from an even and from an
    // odd integer), their neighbours, and the largest and smallest values kept.
    for k in stride(from: 0, to: 65540, by: 7) {
      let tie = (Double(k) + 0.5) / 1000
      samples += [tie, tie.nextUp, tie.nextDown, Double(k) / 1000, (Double(k) / 1000).nextDown]
    }
    for m in [0.5, 1.5, 2.5, 1024.5, 1025.5, 65533.5, 65534.5, 65534.49999999999, 65535.5] {
      var t = m / 1000
      // The t nearest m / 1000 whose product with 1000 is exactly m, when there is one.
      for _ in 0..<4 where t * 1000 != m { t = t * 1000 < m ? t.nextUp : t.nextDown }
      samples += [t, t.nextUp, t.nextDown]
    }
    samples += [Double.leastNonzeroMagnitude, .infinity, -.infinity, 2e-3, 1e300]
    for t in samples {
      let m = (t * 1000).rounded()
      let expected: UInt16 = m >= 65535 ? 65535 : (m.isNaN ? 0 : UInt16(Swift.max(0, m)))
      #expect(SceneIntersector.depthMillimetres(t) == expected, "t = \(t)")
    }
  }
}
