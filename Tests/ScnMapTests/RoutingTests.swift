import Foundation
import ScnGeometry
import Testing

@testable import ScnMap

/// Shortest routes over the lane graph, route polylines, stop signals, and the nearest-lane
/// candidate lists built on first use.
@Suite struct RoutingTests {
  static let town: LaneNetwork? = (try? MapFixtures.load("Town01")).map { LaneNetwork($0) }

  @Test func shortestRouteFollowsSuccessorsAndIsTheShortest() throws {
    let net = try #require(Self.town)
    let driving = { (k: Int) in net.lanes[k].type.isDrivable }
    // Every junction maneuver is a route from its incoming to its outgoing lane; the shortest
    // route between them is linked lane to lane and no longer than the maneuver's.
    var checked = 0
    for j in net.network.junctions.indices {
      for m in net.maneuvers(junction: j) {
        guard let out = m.outgoing, ([m.incoming] + m.connecting + [out]).allSatisfy(driving) else { continue }
        let route = try #require(net.shortestRoute(from: m.incoming, to: out, accepted: driving))
        #expect(route.first == m.incoming && route.last == out)
        for (a, b) in zip(route, route.dropFirst()) { #expect(net.lanes[a].successors.contains(b)) }
        let cost = { (r: [Int]) in r.dropFirst().reduce(0.0) { $0 + net.lanes[$1].length } }
        #expect(cost(route) <= cost([m.incoming] + m.connecting + [out]) + 1e-9)
        checked += 1
      }
    }
    #expect(checked > 20)
  }

  @Test func aLaneCannotReachTheOppositeDirectionOfADeadEnd() throws {
    let net = LaneNetwork(try MapFixtures.load("four_lanes"))
    let right = try #require(net.lanes.firstIndex { $0.laneId == -1 })
    let left = try #require(net.lanes.firstIndex { $0.laneId == 1 })
    #expect(net.shortestRoute(from: right, to: right) == [right])
    // A lone straight road: no links, so the other direction is unreachable.
    #expect(net.shortestRoute(from: right, to: left) == nil)
    #expect(net.shortestRoute(from: right, to: 10_000) == nil)
  }

  @Test func laneRouteRecordsItsLegsInTravelOrder() throws {
    let net = try #require(Self.town)
    let j = try #require(net.network.junctions.indices.first)
    let m = try #require(net.maneuvers(junction: j).first { $0.outgoing != nil })
    var route = LaneRoute()
    for k in [m.incoming] + m.connecting + [m.outgoing ?? m.incoming] { route.append(lane: k, in: net) }
    #expect(route.legs.map(\.lane) == [m.incoming] + m.connecting + [m.outgoing ?? m.incoming])
    for (a, b) in zip(route.legs, route.legs.dropFirst()) {
      #expect(a.end <= b.start + 1e-9)
      #expect(b.start - a.end < 0.6)  // consecutive lanes meet (within a sample step)
    }
    #expect(abs((route.legs.last?.end ?? 0) - route.length) < 1e-9)
    // Points run along the direction of travel: the first is the incoming lane's start.
    let (centre, _) = net.travelCentre(m.incoming)
    #expect((route.points[0] - centre[0]).length < 1e-9)
  }

  @Test func stopSignalsFaceTheirLanesTraffic() throws {
    let text = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      lanes: #"<lane id="-1" type="driving"><width sOffset="0" a="3.5" b="0" c="0" d="0"/></lane>"#,
      extra: """
        <signals>
          <signal id="a" name="" s="9" t="-2" dynamic="no" orientation="+" type="206" subtype="-1" country="DE"/>
          <signal id="b" name="" s="9" t="2" dynamic="no" orientation="-" type="206" subtype="-1" country="DE"/>
          <signal id="c" name="Signal_3Light_Post01" s="9" t="-2" dynamic="yes" orientation="+" type="1000001" subtype="-1" country="OpenDRIVE"/>
          <signal id="d" name="StopLine" s="9.5" t="-2" dynamic="no" orientation="none" type="-1" subtype="-1" country=""/>
        </signals>
        """)
    let net = LaneNetwork(try MapFixtures.parse(text))
    let lane = try #require(net.lanes.firstIndex { $0.laneId == -1 })
    #expect(net.stopSignals(lane: lane).map(\.id) == ["a", "d"])
    let light = try #require(net.network.roads.first?.signals.first { $0.id == "c" })
    #expect(light.isTrafficLight && !light.isStop)
  }

  @Test func nearestLaneCandidatesAreBuiltOnFirstUseAndAgreeWithTheRingSearch() throws {
    let net = try #require(Self.town)
    let index = LaneIndex(net)
    #expect(index.nearestCandidateTiles == 0)
    _ = index.lane(containing: SIMD2(100, 100))
    #expect(index.nearestCandidateTiles == 0, "point-in-lane queries do not build them")
    var state: UInt64 = 7
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    for _ in 0..<2_000 {
      let p = SIMD2(next() * 420 - 10, next() * 340 - 10)
      let fast = index.nearestLane(to: p, maxDistance: 1_000)
      let slow = index.ringSearch(p, .any, maxDistance: 1_000).map { index.hit(span: $0.k, p) }
      #expect(abs((fast?.distance ?? -1) - (slow?.distance ?? -1)) < 1e-9)
    }
    #expect(index.nearestCandidateTiles > 1)
  }

  /// A lane whose width polynomial runs to 90 km spreads the grid over ~2M mostly empty cells:
  /// a nearest-lane query builds the candidate lists of its own tile only, and they agree with
  /// a measure of every span, near the lanes and far out in the empty extent.
  @Test func aRunawayLaneCostsOneTilePerQueryAndStaysExact() throws {
    let text = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="100"><line/></geometry>"#,
      lanes: #"""
        <lane id="-1" type="driving"><width sOffset="0" a="3.5" b="0" c="0" d="0"/></lane>
        <lane id="-2" type="driving"><width sOffset="0" a="3" b="0" c="0" d="0.09"/></lane>
        """#)
    let index = LaneIndex(LaneNetwork(try MapFixtures.parse(text)))
    #expect(index.nearestCandidateTiles == 0)
    let first = try #require(index.nearestLane(to: SIMD2(50, -1.75), maxDistance: 1_000))  // lane -1's centre line
    #expect(first.distance < 1e-6)
    #expect(index.nearestCandidateTiles == 1)
    var state: UInt64 = 11
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    for i in 0..<400 {
      // Half near the road, half anywhere in the 90 km extent.
      let p = i % 2 == 0 ? SIMD2(next() * 120 - 10, next() * -60 + 10) : SIMD2(next() * 100, -next() * 90_000)
      // The oracle measures every span (a ring search out here would visit millions of cells).
      let fast = try #require(index.nearestLane(to: p, maxDistance: 1e6))
      let exact = index.spans.map { $0.distance(p) }.min() ?? .infinity
      #expect(abs(fast.distance - exact) < 1e-9)
    }
    #expect(index.nearestCandidateTiles < 400)
  }
}
