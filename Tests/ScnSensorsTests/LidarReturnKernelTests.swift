import CTrace
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// A LiDAR batch's surface returns in clear air are made all at once in C
/// (`LidarReturnBatch.flush`, `ctrace_lidar_returns`): on every path, each must be the return
/// `LidarReturns.surfaceReturn` makes one at a time (`noisyReturn`, `Hash.gaussian`,
/// `NormalQuantile`), bit for bit, with and without range noise and dropout, for variates in
/// the central region, in both tails, at their boundaries and at the very ends of the
/// uniform's range (where the range is infinite), in every lane of a vector step and in the
/// returns left after the steps.
@Suite struct LidarReturnKernelTests {
  typealias Numbers = RayBundleTests.Numbers

  /// The inverse of `Hash.mix` (each xor-shift undone by iterating it, each multiply by the
  /// multiplier's inverse modulo 2⁶⁴), to pick keys whose variate lies where a test wants it.
  static func unmix(_ value: UInt64) -> UInt64 {
    func unshift(_ y: UInt64, _ s: UInt64) -> UInt64 {
      var x = y
      for _ in 0...(64 / s) { x = y ^ (x >> s) }
      return x
    }
    func inverse(_ m: UInt64) -> UInt64 {
      var x = m
      for _ in 0..<6 { x = x &* (2 &- m &* x) }
      return x
    }
    var z = unshift(value, 31) &* inverse(0x94D0_49BB_1331_11EB)
    z = unshift(z, 27) &* inverse(0xBF58_476D_1CE4_E5B9)
    return unshift(z, 30) &- 0x9E37_79B9_7F4A_7C15
  }

  /// A seed whose key for `beam` (`Hash.combine(seed, beam)`) gives `Hash.gaussian` the
  /// uniform (m + ½) · 2⁻⁵³, m < 2⁵³ (`low` the hash's 11 bits below m).
  static func seed(beam: Int, m: UInt64, low: UInt64) -> UInt64 {
    let key = unmix((m << 11) | (low & 0x7FF))
    return unmix(key) ^ (UInt64(beam) &* 0xD6E8_FEB8_6659_FD93)
  }

  /// The same return, bit for bit (nil alike).
  static func same(_ a: LidarPoint?, _ b: LidarPoint?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.x.bitPattern == b.x.bitPattern && a.y.bitPattern == b.y.bitPattern && a.z.bitPattern == b.z.bitPattern
      && a.intensity.bitPattern == b.intensity.bitPattern && a.ring == b.ring && a.instance == b.instance
      && a.label == b.label
  }

  /// A random unit vector.
  static func unit(_ numbers: inout Numbers) -> Vec3 {
    let e = numbers.next() * 3 - 1.5
    let a = numbers.next() * 2 * Double.pi
    return Vec3(e.cosine * a.cosine, e.cosine * a.sine, e.sine)
  }

  /// One surface return's inputs.
  struct Item {
    var beam: Int
    var ring: Int
    var local: Vec3
    var direction: Vec3
    var t: Double
    var normal: Vec3
    var reflectivity: Double
    var instance: UInt32
  }

  static func randomItem(beam: Int, _ numbers: inout Numbers) -> Item {
    let pick = numbers.next()
    // Mostly ordinary distances; some so short that the noise can push the range below 0.
    let t = pick < 0.1 ? numbers.next() * 0.01 : 0.5 + numbers.next() * 99.5
    // Reflectivities past 1 and at 0 exercise the intensity's clamps.
    let reflectivity = pick > 0.9 ? 0 : numbers.next() * 1.5
    return Item(
      beam: beam, ring: Int(numbers.next() * 64), local: unit(&numbers), direction: unit(&numbers), t: t,
      normal: unit(&numbers), reflectivity: reflectivity, instance: UInt32(numbers.next() * 20))
  }

  /// Makes `items` through a batch on `path` (slots spaced `spacing` apart from `firstBeam`,
  /// every item's beam being firstBeam + spacing · its index) and expects each to be
  /// `surfaceReturn`'s.
  static func expectBatch(
    _ items: [Item], returns: LidarReturns, firstBeam: Int, spacing: Int, path: Int32, _ note: String
  ) {
    let expected = items.map {
      returns.surfaceReturn(
        local: $0.local, direction: $0.direction, t: $0.t, normal: $0.normal, reflectivity: $0.reflectivity,
        instance: $0.instance, beam: $0.beam, ring: $0.ring)
    }
    let unset = LidarPoint(x: 9, y: 9, z: 9, intensity: 9, ring: 9, instance: 9)
    var slots = [LidarPoint?](repeating: unset, count: items.count * spacing)
    LidarReturnBatch.withScratch { batch in
      batch.path = path
      for (i, item) in items.enumerated() {
        batch.set(
          i, offset: i * spacing, ring: item.ring, local: item.local, t: item.t,
          cosine: LidarReturns.incidence(normal: item.normal, direction: item.direction),
          reflectivity: item.reflectivity, instance: item.instance)
      }
      slots.withUnsafeMutableBufferPointer { slots in
        batch.flush(count: items.count, noise: returns.noise, firstBeam: firstBeam, into: slots.baseAddress!)
      }
    }
    for i in items.indices {
      #expect(
        same(slots[i * spacing], expected[i]),
        "\(note), return \(i): \(String(describing: slots[i * spacing])) against \(String(describing: expected[i]))")
    }
  }

  @Test(arguments: TileRaysTests.paths)
  func batchReturnsAreTheSurfaceReturns(path: Int32) throws {
    var numbers = Numbers(state: 4211 + UInt64(path))
    let intersector = try SceneIntersector(scene: LidarTests.room())
    var dropped = 0
    var total = 0
    for trial in 0..<90 {
      let lidar = LidarSensor(
        channels: 64, minElevation: -0.4, maxElevation: 0.3, azimuthSteps: 1800, maxRange: 100,
        rangeNoise: [0, 0.02, 3][trial % 3], dropoutProbability: [0, 0.1, 0.7][(trial / 3) % 3],
        seed: UInt64(trial) &* 0x2545_F491_4F6C_DD1D)
      let returns = LidarReturns(intersector, lidar: lidar, excluded: nil)
      #expect(returns.atmosphere.isClear)
      // Every count of returns left after the four-return steps, up to a full batch.
      let count = trial == 0 ? LidarReturnBatch.capacity : 1 + (trial * 37) % LidarReturnBatch.capacity
      let spacing = 1 + trial % 5
      let firstBeam = Int(numbers.next() * 100_000)
      let items = (0..<count).map { Self.randomItem(beam: firstBeam + $0 * spacing, &numbers) }
      Self.expectBatch(items, returns: returns, firstBeam: firstBeam, spacing: spacing, path: path, "trial \(trial)")
      if lidar.dropoutProbability > 0 {
        for item in items {
          let key = Hash.combine(lidar.seed, UInt64(item.beam))
          if Hash.unit(Hash.mix(key ^ 0xD1B5_4A32_D192_ED03)) < lidar.dropoutProbability { dropped += 1 }
          total += 1
        }
      }
    }
    // The dropout really drops returns (and the batch agreed on which).
    #expect(dropped > total / 10 && dropped < total / 2, "\(dropped) of \(total)")
  }

  @Test(arguments: TileRaysTests.paths)
  func tailVariatesAreTheSurfaceReturns(path: Int32) throws {
    var numbers = Numbers(state: 977 + UInt64(path))
    let intersector = try SceneIntersector(scene: LidarTests.room())
    let top: UInt64 = 1 << 53
    let low = UInt64(0.02425 * Double(top))
    let high = UInt64((1 - 0.02425) * Double(top))
    // The uniform's ends (m = 2⁵³ − 1 rounds to 1: +∞), the tails' boundaries, the middle and
    // the binade edge where m + ½ rounds.
    let ms: [UInt64] = [
      0, 1, 2, 3, 1000, low - 2, low - 1, low, low + 1, low + 2, top / 2 - 1, top / 2, top / 2 + 1, high - 2, high - 1,
      high, high + 1, high + 2, top - 1000, top - 3, top - 2, top - 1,
    ]
    for (k, m) in ms.enumerated() {
      for position in 0..<7 {
        let firstBeam = Int(numbers.next() * 100_000)
        let beam = firstBeam + position
        let seed = Self.seed(beam: beam, m: m, low: UInt64(numbers.next() * 2048))
        #expect(Hash.mix(Hash.combine(seed, UInt64(beam))) >> 11 == m, "m \(m)")
        let lidar = LidarSensor(
          channels: 64, minElevation: -0.4, maxElevation: 0.3, azimuthSteps: 1800, maxRange: 100, rangeNoise: 0.02,
          dropoutProbability: k % 3 == 0 ? 0.05 : 0, seed: seed)
        let returns = LidarReturns(intersector, lidar: lidar, excluded: nil)
        var items = (0..<7).map { Self.randomItem(beam: firstBeam + $0, &numbers) }
        // An axis-aligned beam: an infinite range makes its zero components NaN.
        if position % 2 == 0 { items[position].local = Vec3(0, 1, 0) }
        items[position].t = 10
        Self.expectBatch(
          items, returns: returns, firstBeam: firstBeam, spacing: 1, path: path, "m \(m), position \(position)")
      }
    }
    #expect(NormalQuantile.value((Double(top - 1) + 0.5) * 0x1.0p-53) == .infinity)
  }
}
