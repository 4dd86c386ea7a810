import ScnGeometry
import Testing

@testable import ScnRuntime

/// The regions of issue 15 drawn directly: every draw lies in its region, and draws are
/// uniform (area-weighted), also for unions, intersections and differences, where an
/// overlap must not be drawn twice as often.
@Suite struct RegionShapeTests {
  static let draws = 20_000

  func points(_ r: Region, volume: Bool = false, site: UInt32 = 7) -> [Vec3] {
    var stream = DrawKey(seed: 11, sample: 0).stream(site: site)
    var out: [Vec3] = []
    for _ in 0..<Self.draws {
      guard let p = volume ? r.sampleVolume(using: &stream) : r.sampleSurface(using: &stream) else { break }
      out.append(p)
    }
    return out
  }

  func share(_ ps: [Vec3], _ test: (Vec3) -> Bool) -> Double {
    Double(ps.filter(test).count) / Double(ps.count)
  }

  /// Four standard errors of a share p over `draws` draws.
  func close(_ measured: Double, _ expected: Double) -> Bool {
    abs(measured - expected) <= 4 * (expected * (1 - expected) / Double(Self.draws)).squareRoot() + 1e-12
  }

  func rect(_ x0: Double, _ x1: Double, _ y0: Double = 0, _ y1: Double = 1) -> Region {
    .rect(center: Vec3((x0 + x1) / 2, (y0 + y1) / 2, 0), halfLength: (x1 - x0) / 2, halfWidth: (y1 - y0) / 2, yaw: 0)
  }

  @Test func circleIsUniformOnTheDisc() {
    let r = Region.shape(.circle(center: Vec3(3, 5, 1), radius: 2))
    let ps = points(r)
    #expect(ps.count == Self.draws)
    #expect(ps.allSatisfy { r.contains($0) && $0.z == 1 })
    // Inner disc of radius 1: a quarter of the area.
    #expect(close(share(ps) { (RegionShape.planar($0 - Vec3(3, 5, 1))).length < 1 }, 0.25))
    #expect(close(share(ps) { $0.x < 3 }, 0.5))
    #expect(abs((r.measure ?? 0) - 4 * .pi) < 1e-12)
  }

  @Test func sectorStaysInsideItsOpening() {
    let r = Region.shape(.sector(center: .zero, radius: 10, heading: .pi / 2, angle: .pi / 3))
    let ps = points(r)
    #expect(ps.allSatisfy { p in r.contains(p) && abs(atan2Double(p.y, p.x) - .pi / 2) <= .pi / 6 + 1e-9 })
    // Left half of the opening: half the area.
    #expect(close(share(ps) { $0.x < 0 }, 0.5))
    #expect(!r.contains(Vec3(0, -1, 0)) && !r.contains(Vec3(0, 10.5, 0)) && r.contains(Vec3(0, 9.5, 0)))
  }

  @Test func polygonWithAHoleNeverDrawsInTheHole() throws {
    let square = try #require(PolygonShape(points: [Vec3(0, 0, 0), Vec3(4, 0, 0), Vec3(4, 4, 0), Vec3(0, 4, 0)]))
    let hole = try #require(PolygonShape(points: [Vec3(1, 1, 0), Vec3(3, 1, 0), Vec3(3, 3, 0), Vec3(1, 3, 0)]))
    let r = Region.shape(.holed(square, holes: [hole]))
    #expect(r.measure == 12)
    let ps = points(r)
    #expect(ps.allSatisfy { r.contains($0) && !($0.x > 1 && $0.x < 3 && $0.y > 1 && $0.y < 3) })
    // The strip x < 1 is 4 of the 12 square metres.
    #expect(close(share(ps) { $0.x < 1 }, 4.0 / 12))
  }

  @Test func polylineOfWidthZeroIsDrawnAlongItsLength() {
    let r = Region.shape(.polyline(points: [Vec3(0, 0, 0), Vec3(3, 0, 0), Vec3(3, 1, 0)], halfWidth: 0))
    #expect(r.dimension == 1 && r.measure == 4)
    let ps = points(r)
    #expect(ps.allSatisfy { r.contains($0) && (abs($0.y) < 1e-9 || abs($0.x - 3) < 1e-9) })
    #expect(close(share(ps) { $0.y < 1e-9 && $0.x < 3 - 1e-9 }, 0.75))
  }

  /// The band around a polyline is uniform: the corner, where a segment's rectangle, the
  /// next one's and the corner disc overlap, is not drawn more often than the straight part.
  @Test func polylineBandIsUniformAtItsCorners() {
    let hw = 0.5
    let r = Region.shape(.polyline(points: [Vec3(0, 0, 0), Vec3(10, 0, 0), Vec3(10, 10, 0)], halfWidth: hw))
    let area = 2 * hw * 20 + .pi * hw * hw
    #expect(abs((r.measure ?? 0) - area) < 1e-12)
    let ps = points(r)
    #expect(ps.allSatisfy { r.contains($0) })
    // Two 0.5 m × 0.5 m cells: one in the corner's overlap, one on the straight part.
    let corner = share(ps) { $0.x > 9.5 && $0.x <= 10 && $0.y > -0.5 && $0.y <= 0 }
    let straight = share(ps) { $0.x > 5 && $0.x <= 5.5 && $0.y > -0.5 && $0.y <= 0 }
    #expect(close(corner, 0.25 / area) && close(straight, 0.25 / area))
  }

  @Test func unionIsUniformWhereMembersOverlap() {
    let r = Region.shape(.union([rect(0, 2), rect(1, 3)]))
    let ps = points(r)
    #expect(ps.allSatisfy { r.contains($0) })
    for (lo, hi) in [(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)] {
      #expect(close(share(ps) { $0.x >= lo && $0.x < hi }, 1.0 / 3))
    }
  }

  @Test func intersectionAndDifferenceAreExact() {
    let both = Region.shape(.intersection([rect(0, 2), rect(1, 3)]))
    let inBoth = points(both)
    #expect(inBoth.count == Self.draws && inBoth.allSatisfy { $0.x >= 1 && $0.x <= 2 })
    #expect(close(share(inBoth) { $0.x < 1.5 }, 0.5))
    let cut = Region.shape(.difference(rect(0, 3), rect(1, 2, -1, 2)))
    let outside = points(cut)
    #expect(outside.allSatisfy { $0.x <= 1 || $0.x >= 2 })
    #expect(close(share(outside) { $0.x < 1.5 }, 0.5))
  }

  @Test func anEmptyIntersectionGivesNoPoint() {
    let none = Region.shape(.intersection([rect(0, 1), rect(5, 6)]))
    var stream = DrawKey(seed: 1, sample: 0).stream(site: 1)
    #expect(none.sampleSurface(using: &stream) == nil)
  }

  @Test func ballAndOrientedBoxVolumes() {
    let ball = Region.shape(.ball(center: Vec3(0, 0, 5), radius: 2))
    let ps = points(ball, volume: true)
    #expect(ps.allSatisfy { ($0 - Vec3(0, 0, 5)).length <= 2 })
    // The inner ball of half the radius holds an eighth of the volume.
    #expect(close(share(ps) { ($0 - Vec3(0, 0, 5)).length < 1 }, 0.125))
    let box = Region.shape(.orientedBox(center: .zero, halfExtents: Vec3(2, 0.5, 1), yaw: .pi / 2))
    let qs = points(box, volume: true)
    #expect(qs.allSatisfy { abs($0.x) <= 0.5 + 1e-9 && abs($0.y) <= 2 + 1e-9 && abs($0.z) <= 1 + 1e-9 })
    #expect(box.contains(Vec3(0.4, 1.9, 0)) && !box.contains(Vec3(1.9, 0.4, 0)))
  }

  @Test func footprintContainment() {
    let r = rect(-1, 1, -1, 1)
    #expect(r.containsFootprint(position: .zero, heading: 0, size: Vec3(1, 1, 1)))
    // Turned 45°, a 1.5 m square's corners reach 1.06 m from its centre.
    #expect(!r.containsFootprint(position: .zero, heading: .pi / 4, size: Vec3(1.5, 1.5, 1)))
    #expect(!r.containsFootprint(position: Vec3(0.6, 0, 0), heading: 0, size: Vec3(1, 1, 1)))
    #expect(r.contains(Vec3(0.6, 0, 0)))
  }
}
