import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The camera tile's glue between its primary hits and its shading (`renderTile`,
/// `shadeTile`) must give what the straightforward per-pixel code gives, bit for bit: the
/// boxes and shadow origins `boundHits` gathers without a branch per kind of hit.
@Suite struct TileGlueTests {
  typealias Numbers = RayBundleTests.Numbers

  /// A tile's hits: ground, object, stuff and missing rays, with normals facing the sun or
  /// not, points at ±0, and some NaN or infinite coordinates.
  static func randomHits(_ count: Int, numbers: inout Numbers) -> [PrimaryHit] {
    (0..<count).map { k in
      var d = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, numbers.next() - 0.7)
      if k % 29 == 0 { d.x = 0 }
      if k % 31 == 0 { d.y = -0.0 }
      if k % 37 == 0 { d.x = .nan }
      if k % 41 == 0 { d.y = .infinity }
      var t = numbers.next() * 50
      if k % 43 == 0 { t = 0 }
      var n = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, numbers.next() - 0.5)
      if k % 47 == 0 { n = Vec3(0, 0, -0.0) }
      if k % 53 == 0 { n.z = .nan }
      let hit: RayHit?
      switch Int(numbers.next() * 5) {
      case 0: hit = nil
      case 1: hit = RayHit(t: t, surface: .object(index: k % 7), normal: n)
      case 2: hit = RayHit(t: t, surface: .stuff(index: k % 3), normal: n, materialSlot: 9)
      default: hit = RayHit(t: t, surface: .ground, normal: k % 3 == 0 ? n : .unitZ)
      }
      return PrimaryHit(hit: hit, direction: d, litSide: false)
    }
  }

  /// `boundHits` as it was written first: a branch per kind of hit, each bound widened in
  /// place (`if p < lower { lower = p }`), a shadow origin stored only for a lit hit; with
  /// each row's ground box as `shadeTile` gathered it (`GroundRun.add`).
  static func referenceBoundHits(
    _ hits: UnsafeMutablePointer<PrimaryHit>, part: PixelRect, rect: PixelRect, origin: Vec3, sun: Vec3,
    sunLights: Bool, origins: inout [Vec3], runs: inout [GroundRun], into b: inout TileHitBounds
  ) {
    let tileWidth = rect.x1 - rect.x0
    for y in part.y0..<part.y1 {
      for x in part.x0..<part.x1 {
        let slot = (y - rect.y0) * tileWidth + (x - rect.x0)
        guard let (t, normal) = hits[slot].distanceAndNormal else { continue }
        let direction = hits[slot].direction
        if case .ground = hits[slot].surface {
          b.seesGround = true
          runs[y - rect.y0].add(origin + direction * t)
        }
        if sunLights, normal.dot(sun) > 0 {
          hits[slot].litSide = true
          let o = SceneIntersector.shadowOrigin(origin + direction * t, normal: normal)
          if o.x < b.shadowLowerX { b.shadowLowerX = o.x }
          if o.y < b.shadowLowerY { b.shadowLowerY = o.y }
          if o.z < b.shadowLowerZ { b.shadowLowerZ = o.z }
          if o.x > b.shadowUpperX { b.shadowUpperX = o.x }
          if o.y > b.shadowUpperY { b.shadowUpperY = o.y }
          if o.z > b.shadowUpperZ { b.shadowUpperZ = o.z }
          origins.append(o)
          b.shadowOrigins += 1
        }
      }
    }
  }

  static func sameBits(_ a: TileHitBounds, _ b: TileHitBounds) -> Bool {
    let x = [a.shadowLowerX, a.shadowLowerY, a.shadowLowerZ, a.shadowUpperX, a.shadowUpperY, a.shadowUpperZ]
    let y = [b.shadowLowerX, b.shadowLowerY, b.shadowLowerZ, b.shadowUpperX, b.shadowUpperY, b.shadowUpperZ]
    return zip(x, y).allSatisfy { $0.bitPattern == $1.bitPattern } && a.seesGround == b.seesGround
      && a.shadowOrigins == b.shadowOrigins
  }

  static func sameBits(_ a: GroundRun, _ b: GroundRun) -> Bool {
    a.lowerX.bitPattern == b.lowerX.bitPattern && a.upperX.bitPattern == b.upperX.bitPattern
      && a.lowerY.bitPattern == b.lowerY.bitPattern && a.upperY.bitPattern == b.upperY.bitPattern
  }

  /// Whole tiles, tiles cast a quarter at a time into the same bounds, narrow and one-pixel
  /// tiles, with and without the sun's light, some tiles all sky or all ground: the same
  /// bounds, rows' ground boxes, marks and shadow origins (in order) as the reference.
  @Test func boundHitsGathersWhatTheBranchingLoopGathers() {
    var numbers = Numbers(state: 4242)
    let side = RayTable.tileSide
    var checked = 0
    for bundle in 0..<400 {
      let width = bundle % 5 == 0 ? 1 + Int(numbers.next() * Double(side)) : side
      let height = bundle % 7 == 0 ? 1 + Int(numbers.next() * Double(side)) : side
      let rect = PixelRect(x0: 32, y0: 48, x1: 32 + width, y1: 48 + height)
      var records = Self.randomHits(width * height, numbers: &numbers)
      if bundle % 11 == 0 { records = records.map { PrimaryHit(missing: $0.direction) } }
      if bundle % 13 == 0 {
        records = records.map { PrimaryHit(groundAt: numbers.next() * 30, direction: $0.direction) }
      }
      let origin = Vec3(numbers.next() * 40 - 20, bundle % 3 == 0 ? -0.0 : numbers.next() * 40 - 20, 1.5)
      let sun = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, 0.2 + numbers.next())
      let sunLights = bundle % 4 != 1
      let parts = bundle % 2 == 0 ? [rect] : (0..<4).map { SceneIntersector.quarter($0, of: rect) }
      let hits = UnsafeMutablePointer<PrimaryHit>.allocate(capacity: records.count)
      let expectedHits = UnsafeMutablePointer<PrimaryHit>.allocate(capacity: records.count)
      defer {
        hits.deallocate()
        expectedHits.deallocate()
      }
      hits.initialize(from: records, count: records.count)
      expectedHits.initialize(from: records, count: records.count)
      var bounds = TileHitBounds()
      var expected = TileHitBounds()
      var expectedOrigins: [Vec3] = []
      var expectedRuns = [GroundRun](repeating: GroundRun(), count: height)
      let runs = UnsafeMutablePointer<GroundRun>.allocate(capacity: height)
      runs.initialize(repeating: GroundRun(), count: height)
      defer { runs.deallocate() }
      TileRays.withScratch { rays in
        for part in parts where part.x0 < part.x1 && part.y0 < part.y1 {
          SceneIntersector.boundHits(
            hits, part: part, rect: rect, origin: origin, sun: sun, sunLights: sunLights, origins: rays, runs: runs,
            into: &bounds)
          Self.referenceBoundHits(
            expectedHits, part: part, rect: rect, origin: origin, sun: sun, sunLights: sunLights,
            origins: &expectedOrigins, runs: &expectedRuns, into: &expected)
        }
        #expect(Self.sameBits(bounds, expected), "bundle \(bundle)")
        for r in 0..<height { #expect(Self.sameBits(runs[r], expectedRuns[r]), "bundle \(bundle), row \(r)") }
        #expect(bounds.shadowOrigins == expectedOrigins.count, "bundle \(bundle)")
        for (k, o) in expectedOrigins.enumerated() where k < bounds.shadowOrigins {
          let v = rays.vector(k)
          #expect(
            v.x.bitPattern == o.x.bitPattern && v.y.bitPattern == o.y.bitPattern && v.z.bitPattern == o.z.bitPattern,
            "bundle \(bundle), origin \(k)")
        }
      }
      for slot in 0..<records.count {
        #expect(hits[slot].litSide == expectedHits[slot].litSide, "bundle \(bundle), slot \(slot)")
      }
      checked += expectedOrigins.count
    }
    #expect(checked > 20000, "\(checked) shadow origins")
  }

  /// `shadowOrigin`'s lift without Swift's `max` gives the same bits as with it, for points
  /// with ±0, infinite and NaN coordinates and ties between them.
  @Test func shadowOriginLiftsAsSwiftMaxDoes() {
    var numbers = Numbers(state: 77)
    let specials: [Double] = [0, -0.0, 1, -1, 2.5, -2.5, .infinity, -.infinity, .nan, -.nan, 1e300, -Double.leastNonzeroMagnitude]
    var points: [Vec3] = []
    for a in specials { for b in specials { for c in specials { points.append(Vec3(a, b, c)) } } }
    for _ in 0..<2000 { points.append(Vec3(numbers.next() * 80 - 40, numbers.next() * 80 - 40, numbers.next() * 4)) }
    let normal = Vec3(0.3, -0.4, 0.866)
    for p in points {
      let lift = 1e-6 * (1 + Swift.max(abs(p.x), Swift.max(abs(p.y), abs(p.z))))
      let expected = p + normal * lift
      let o = SceneIntersector.shadowOrigin(p, normal: normal)
      #expect(
        o.x.bitPattern == expected.x.bitPattern && o.y.bitPattern == expected.y.bitPattern
          && o.z.bitPattern == expected.z.bitPattern, "\(p)")
    }
  }
}
