import Foundation
import ScnGeometry
import Testing

@testable import ScnDataset

@Suite struct LabelTests {
  @Test func runLengthMaskIsColumnMajorAndRoundTrips() throws {
    // 3 wide, 2 high; pixels (x=1, y=0), (x=1, y=1), (x=2, y=1) belong to instance 5.
    let ids: [UInt16] = [0, 5, 0, 0, 5, 5]
    let mask = RunLengthMask(instance: 5, in: ids, width: 3, height: 2)
    #expect(mask.counts == [2, 2, 1, 1])
    #expect(mask.area == 3)
    #expect(mask.extent == Box2D(x: 1, y: 0, width: 2, height: 2))
    let back = RunLengthMask(compressed: mask.compressedCounts, width: 3, height: 2)
    #expect(back == mask)
    #expect(RunLengthMask(compressed: "!!", width: 3, height: 2) == nil)
  }

  @Test func compressedCountsMatchPycocotools() {
    // pycocotools: mask.encode(np.asfortranarray(m)) for a 4×4 mask with a 2×2 block at (1,1)
    // gives counts b'52203'.
    var ids = [UInt16](repeating: 0, count: 16)
    for y in 1...2 { for x in 1...2 { ids[y * 4 + x] = 1 } }
    let mask = RunLengthMask(instance: 1, in: ids, width: 4, height: 4)
    #expect(mask.counts == [5, 2, 2, 2, 5])
    #expect(mask.compressedCounts == "52203")
    // Large and shrinking runs exercise the multi-group and negative-delta paths.
    let long = RunLengthMask(width: 100, height: 100, counts: [9000, 40, 900, 60])
    #expect(RunLengthMask(compressed: long.compressedCounts, width: 100, height: 100) == long)
  }

  @Test func onePassMasksEqualPerInstanceMasks() {
    var state: UInt64 = 12345
    func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(bound))
    }
    for _ in 0..<50 {
      let width = 1 + next(9), height = 1 + next(7)
      // Few distinct ids, so long runs and runs spanning columns both occur.
      let ids = (0..<(width * height)).map { _ in UInt16(next(4)) }
      let wanted: [UInt16] = [3, 1, 9, 1, 0]
      let together = RunLengthMask.masks(for: wanted, in: ids, width: width, height: height)
      let alone = wanted.map { RunLengthMask(instance: $0, in: ids, width: width, height: height) }
      #expect(together == alone)
      for mask in together {
        #expect(mask.counts.reduce(0, +) == width * height)
        #expect(RunLengthMask(compressed: mask.compressedCounts, width: width, height: height) == mask)
      }
    }
  }

  /// Images wider than a strip (`RunLengthMask.stripColumns`), with long runs (the four-pixel
  /// skip), runs ending anywhere in a group of four, runs across columns and strips, ids
  /// above the largest asked for and id 0: the one-pass masks equal the per-instance ones.
  @Test func stripMasksEqualPerInstanceMasks() {
    var state: UInt64 = 987_654_321
    func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int((state >> 33) % UInt64(bound))
    }
    let sizes = [(70, 33), (32, 480), (65, 5), (33, 1), (1, 37), (96, 64), (100, 3)]
    for (width, height) in sizes {
      for trial in 0..<6 {
        // Rectangles of ids over a background, so runs are long and end at any offset.
        var ids = [UInt16](repeating: trial == 5 ? 7 : 0, count: width * height)
        for _ in 0..<(3 + next(8)) {
          let x0 = next(width), y0 = next(height)
          let x1 = Swift.min(width, x0 + 1 + next(width)), y1 = Swift.min(height, y0 + 1 + next(height))
          let id = UInt16(next(12))
          for y in y0..<y1 { for x in x0..<x1 { ids[y * width + x] = id } }
        }
        if trial == 4 { for k in ids.indices where next(5) == 0 { ids[k] = UInt16(next(12)) } }
        let wanted: [UInt16] = [3, 1, 9, 1, 0, 5, 11]
        let together = RunLengthMask.masks(for: wanted, in: ids, width: width, height: height)
        let alone = wanted.map { RunLengthMask(instance: $0, in: ids, width: width, height: height) }
        #expect(together == alone, "\(width)×\(height) trial \(trial)")
      }
    }
  }

  @Test func kittiConvertsCameraBodyToKittiAxes() {
    let ahead = ObjectLabel(
      instanceID: 1, className: "fork lift", semanticID: 1, occlusion: 0.3, truncation: 1.4,
      box3D: Box3D(center: Vec3(10, 2, 0.75), size: Vec3(4, 2, 1.5), yaw: 0))
    let label = KITTILabel(object: ahead, visibleBox: Box2D(x: 1, y: 2, width: 3, height: 4))
    #expect(label.type == "fork_lift")
    #expect(label.truncated == 1 && label.occluded == 1)
    #expect(label.location == (-2, 0, 10))
    #expect(label.dimensions == (1.5, 2, 4))
    #expect(abs(label.rotationY + Double.pi / 2) < 1e-12)
    #expect(label.line == "fork_lift 1.00 1 -1.37 1.00 2.00 4.00 6.00 1.50 2.00 4.00 -2.00 0.00 10.00 -1.57")
    #expect(KITTILabel.occlusionLevel(0.01) == 0 && KITTILabel.occlusionLevel(0.7) == 2 && KITTILabel.occlusionLevel(.nan) == 3)
    #expect(abs(KITTILabel.wrap(3 * Double.pi / 2) + Double.pi / 2) < 1e-12)
  }

  /// KITTI's two decimals are C's `%.2f`, as `String(format:)` writes it: ties (0.125, 2.675),
  /// signs, huge and tiny values, infinities and NaN, values about 2⁵³ (where `cFormat2`
  /// leaves its integer path), and pseudo-random values of every scale, and exact ties.
  @Test func kittiDecimalsMatchFormat() {
    var values: [Double] = [
      0, -0.0, 0.005, -0.005, 0.125, 2.675, 1.005, -1.375, 1e-300, 123_456.785, 1e22, -1.7976931348623157e308,
      .infinity, -.infinity, .nan, Double.leastNonzeroMagnitude, 0x1p53, (0x1p53 as Double).nextDown,
      -(0x1p53 as Double).nextDown, 0x1p52 + 0.5, 0x1p51 + 0.25, 0x1p50 + 0.125, 0x1p50 + 0.375, 0x1p-60, 0x1p-59,
      0x1p-58, 0.004999999999999999, 0.995, 9.995, 99.995, -0.001, 0.0049, 0x1p-1022, (0x1p-1022 as Double).nextDown,
    ]
    var state: UInt64 = 0x1234_5678
    for _ in 0..<2000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let mantissa = Double(state >> 11) / Double(1 << 53) - 0.5
      values.append(mantissa * Double.pow10(Int(state % 14)))
    }
    // Exact ties at the third decimal (odd multiples of 1/8), and values next to ties.
    for k in 0..<400 {
      values.append(Double(2 * k + 1) / 8)
      values.append(-Double(2 * k + 1) / 8 - 1000)
      values.append(Double(k) + 0.005)
    }
    for shift in 0..<64 { values.append(Double(UInt64(1) << UInt64(shift)) / 1024 + 0.125) }
    for v in values { #expect(KITTILabel.cFormat2(v) == String(format: "%.2f", v), "\(v)") }
    #expect(KITTILabel.fixed(-0.004) == "0.00")
  }
}

extension Double {
  fileprivate static func pow10(_ k: Int) -> Double { (0..<k).reduce(1) { x, _ in x * 10 } }
}
