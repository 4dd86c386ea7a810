import Testing

@testable import ScnSensors

@Suite struct DepthEncodingTests {
  /// The fast rounding must equal the library's, including at halves and the clamps.
  @Test func depthMillimetresMatchesRoundedAndClamped() {
    var numbers = RayBundleTests.Numbers(state: 7)
    var samples: [Double] = [0, 1e-9, 0.0004999, 0.0005, 0.0015, 0.0025, 65.5345, 65.5349, 65.535, 70, 1e9, -1, .nan]
    for _ in 0..<100_000 { samples.append(numbers.next() * 70) }
    for k in 0..<2000 { samples.append((Double(k) + 0.5) / 1000) }
    for t in samples {
      let m = (t * 1000).rounded()
      let expected: UInt16 = m >= 65535 ? 65535 : (m.isNaN ? 0 : UInt16(Swift.max(0, m)))
      #expect(SceneIntersector.depthMillimetres(t) == expected, "t = \(t)")
    }
  }
}
