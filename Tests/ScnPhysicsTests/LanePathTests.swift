import ScnGeometry
import Testing

@Suite struct LanePathTests {
  @Test func builderChainsStraightsAndArcs() throws {
    var b = LanePath.Builder(start: Vec3(0, 0, 0), heading: 0)
    b.straight(10)
    b.arc(radius: 5, angle: .pi / 2)
    b.straight(3)
    let lane = try #require(b.build())
    #expect(abs(lane.length - (13 + 2.5 * .pi)) < 1e-12)
    #expect(!lane.isClosed)
    let end = lane.point(atArcLength: lane.length)
    #expect((end - Vec3(15, 8, 0)).length < 1e-9)
    let mid = lane.point(atArcLength: 10 + 1.25 * .pi)  // 45° into the turn
    let c = Vec3(10, 5, 0)
    #expect(abs((mid - c).length - 5) < 1e-12)
    let t = lane.tangent(atArcLength: 10 + 1.25 * .pi)
    #expect(abs(t.x - t.y) < 1e-12 && t.x > 0)
    #expect(abs(lane.curvature(atArcLength: 11) - 0.2) < 1e-12)
    #expect(lane.curvature(atArcLength: 5) == 0)
  }

  @Test func closestPointReportsArcLengthAndSide() throws {
    var b = LanePath.Builder(start: .zero, heading: 0)
    b.arc(radius: 10, angle: -.pi)  // a right turn: centre at (0, -10)
    let lane = try #require(b.build())
    // Outside the right-hand turn means left of the direction of travel.
    let diagonal = 12 * 0.7071067811865476  // 12 m from the centre at 45°
    let outside = lane.closestPoint(to: Vec3(diagonal, -10 + diagonal, 5))
    #expect(abs(outside.distance - 2) < 1e-9)
    #expect(abs(outside.lateralOffset - 2) < 1e-9)
    #expect(abs(outside.arcLength - 10 * .pi / 4) < 1e-9)
    let inside = lane.closestPoint(to: Vec3(0, -1, 0))
    #expect(abs(inside.lateralOffset + 1) < 1e-9 && inside.arcLength < 1e-9)
    // Beyond the arc's end the end point is nearest.
    let beyond = lane.closestPoint(to: Vec3(-3, -22, 0))
    #expect(abs(beyond.arcLength - lane.length) < 1e-9)
  }

  @Test func polylineAndInvalidInput() throws {
    let lane = try #require(LanePath.polyline([Vec3(0, 0, 1), Vec3(4, 0, 1), Vec3(4, 3, 1)]))
    #expect(lane.length == 7 && lane.elevation == 1)
    let q = lane.closestPoint(to: Vec3(5, 1, 0))
    #expect(abs(q.arcLength - 5) < 1e-12 && abs(q.lateralOffset + 1) < 1e-12)
    // Past the end the lane continues straight for look-ahead.
    #expect((lane.point(atArcLength: 9) - Vec3(4, 5, 1)).length < 1e-12)
    #expect(LanePath.polyline([Vec3(1, 1, 0)]) == nil)
    #expect(LanePath.polyline([Vec3(1, 1, 0), Vec3(1, 1, 0)]) == nil)
    #expect(LanePath(segments: []) == nil)
    #expect(LanePath(segments: [.arc(center: .zero, radius: -1, startAngle: 0, sweep: 1)]) == nil)
  }
}
