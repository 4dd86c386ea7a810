import Foundation
import ScnGeometry
import ScnMap
import ScnRuntime
import ScnScene
import ScnSource
import Testing

/// Driving the lanes of a map: `change_lane`, `follow_route`, `follow_waypoints`, and the
/// traffic rules (stop signs, yielding at junctions), checked on the trace against the map
/// read independently with ScnMap.
@Suite(.serialized) struct MapDrivingTests {
  static let fixtures = SamplerSupport.repoRoot.appendingPathComponent("Tests/Fixtures/opendrive")
  static let mainPath = fixtures.appendingPathComponent("main.scn").path

  static func index(_ file: String) -> LaneIndex? {
    guard let network = try? OpenDriveReader.read(contentsOf: fixtures.appendingPathComponent(file)) else { return nil }
    return LaneIndex(LaneNetwork(network))
  }

  static let fourLanes = index("four_lanes.xodr")
  static let town = MapScenarioTests.town

  /// The scene and trace of sample 0 of `source`, a file next to the fixtures (or `path`).
  static func run(_ source: String, path: String = mainPath) throws -> (Scene, Trace) {
    guard let program = try SamplerSupport.compile(source, path: path).program else {
      throw SamplerSupport.CompileFailed(description: "no program")
    }
    let run = try Sampler(program: program, options: SimulationSupport.options(maxAttempts: 10)).run(start: 0, count: 1)
    if let f = run.failure { throw SamplerSupport.CompileFailed(description: "sampling failed: \(f.diagnostic.message)") }
    let scene = try #require(run.scenes.first)
    return (scene, try #require(scene.trace))
  }

  /// The failure of sample 0 and the source text its range covers.
  static func failure(_ source: String) throws -> (Diagnostic, String) {
    let compiled = try SamplerSupport.compile(source, path: mainPath)
    let program = try #require(compiled.program)
    let run = try Sampler(program: program, options: SimulationSupport.options(maxAttempts: 10)).run(start: 0, count: 1)
    let d = try #require(run.failure).diagnostic
    let file = try #require(compiled.sources[d.range.file])
    let text = String(decoding: file.bytes[d.range.start..<d.range.end], as: UTF8.self)
    return (d, text)
  }

  static func m(_ x: Double) -> String { String(format: "%.4fm", x) }
  static func deg(_ a: Double) -> String { String(format: "%.4fdeg", a * 180 / .pi) }

  // MARK: - Lane changes

  static func laneChange(_ side: String, y: Double) -> String {
    """
    import std.vehicles
    scenario S {
        let road = map("four_lanes.xodr")
        ego car = Car { speed: 10m/s } at (20m, \(m(y)), 0m) facing 0deg with behavior change_lane(\(side), 10m/s, 3s)
        simulate 8s at 20Hz
    }
    """
  }

  @Test func changeLaneMovesFromOneLaneCentreToTheOther() throws {
    let index = try #require(Self.fourLanes)
    let (_, trace) = try Self.run(Self.laneChange("right", y: -1.75))
    let ys = trace.frames.map { $0.actors[0].position.y }
    let first = try #require(ys.first), last = try #require(ys.last)
    #expect(abs(first + 1.75) < 0.01)
    // Ends on the centre of lane -2 (y = -5.25), having crossed smoothly: no overshoot beyond
    // 0.3 m, heading within 12° of the road, the offset never going back the other way by
    // more than 5 cm.
    #expect(abs(last + 5.25) < 0.1, "ends at y = \(last)")
    #expect(ys.allSatisfy { $0 > -5.55 && $0 < -1.45 }, "\(ys)")
    for (a, b) in zip(ys, ys.dropFirst()) { #expect(b <= a + 0.05) }
    let headings = trace.frames.map { abs(wrapAngle($0.actors[0].heading)) }
    #expect(headings.max() ?? 1 < 12 * Double.pi / 180, "largest heading \((headings.max() ?? 0) * 180 / .pi)°")
    // The move takes about the 3 s asked for: halfway (y = -3.5) between 1 s and 2.5 s.
    let half = try #require(trace.frames.first { $0.actors[0].position.y < -3.5 })
    #expect(half.time > 1 && half.time < 2.5, "halfway at \(half.time) s")
    let end = try #require(trace.frames.last).actors[0].position
    let hit = try #require(index.lane(containing: SIMD2(end.x, end.y), .drivable))
    #expect(index.network.lanes[hit.lane].laneId == -2)
  }

  @Test func changeLaneLeftBackToTheInnerLane() throws {
    let (_, trace) = try Self.run(Self.laneChange("left", y: -5.25))
    let last = try #require(trace.frames.last).actors[0].position.y
    #expect(abs(last + 1.75) < 0.1, "ends at y = \(last)")
  }

  @Test(arguments: [("left", -1.75, "no left neighbour"), ("right", -5.25, "no right neighbour")])
  func changeLaneWithoutSuchALaneIsRefusedAtTheSide(_ side: String, _ y: Double, _ says: String) throws {
    let (d, text) = try Self.failure(Self.laneChange(side, y: y))
    #expect(d.code.rawValue == "E0538")
    #expect(text == side, "points at '\(text)'")
    #expect(d.message.contains(says), "\(d.message)")
    #expect(d.message.contains("change_lane(\(side)) of actor 'car'"), "\(d.message)")
  }

  // MARK: - Routes

  /// A way through a Town01 junction whose lanes are all driving lanes, the position in
  /// `town.lanes` of each of its lanes, and a start point on its incoming lane `back` metres
  /// before the junction (with the heading of travel there).
  struct Way {
    var maneuver: Maneuver
    var lanes: [Int]
    var townIndices: [Int]
    var start: Vec3
    var heading: Double
  }

  static func drivingLanes(_ index: LaneIndex) -> [Int] {
    index.network.lanes.indices.filter { index.network.lanes[$0].type.isDrivable }
  }

  static func point(_ index: LaneIndex, lane: Int, before back: Double) -> (Vec3, Double)? {
    let (pts, _) = index.network.travelCentre(lane)
    guard pts.count >= 2 else { return nil }
    var left = back
    var i = pts.count - 1
    while i > 0 {
      let d = pts[i] - pts[i - 1]
      let len = (d.x * d.x + d.y * d.y).squareRoot()
      if left <= len {
        let p = pts[i] - d * (left / len)
        return (Vec3(p.x, p.y, 0), atan2(d.y, d.x))
      }
      left -= len
      i -= 1
    }
    return nil
  }

  static func ways(_ index: LaneIndex, back: Double) -> [Way] {
    let driving = drivingLanes(index)
    var out: [Way] = []
    for j in index.network.network.junctions.indices {
      for man in index.network.maneuvers(junction: j) {
        guard let o = man.outgoing else { continue }
        let lanes = [man.incoming] + man.connecting + [o]
        guard lanes.allSatisfy({ index.network.lanes[$0].type.isDrivable }),
          let (p, h) = point(index, lane: man.incoming, before: back)
        else { continue }
        out.append(Way(maneuver: man, lanes: lanes, townIndices: lanes.compactMap { driving.firstIndex(of: $0) }, start: p,
                       heading: h))
      }
    }
    return out
  }

  static func routeList(_ way: Way) -> String {
    "[" + way.townIndices.map { "town.lanes[\($0)]" }.joined(separator: ", ") + "]"
  }

  @Test func followRouteDrivesItsLanesAndStopsAtTheEnd() throws {
    let index = try #require(Self.town)
    let way = try #require(Self.ways(index, back: 20).first { $0.maneuver.kind == .leftTurn })
    // Long enough to drive the whole route at 8 m/s and stand a while.
    let length = 20 + way.lanes.dropFirst().reduce(0.0) { $0 + index.network.lanes[$1].length }
    let seconds = Int(length / 8) + 8
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 8m/s } at (\(Self.m(way.start.x)), \(Self.m(way.start.y)), 0m) facing \(Self.deg(way.heading)) with behavior follow_route(\(Self.routeList(way)), 8m/s)
          simulate \(seconds)s at 20Hz
      }
      """
    let (_, trace) = try Self.run(source)
    for frame in trace.frames {
      let p = frame.actors[0].position
      let hits = index.lanes(containing: SIMD2(p.x, p.y)).map(\.lane)
      #expect(hits.contains { way.lanes.contains($0) }, "at t = \(frame.time) s the car is off its route at (\(p.x), \(p.y))")
    }
    let last = try #require(trace.frames.last).actors[0]
    let (end, _) = try #require(Self.point(index, lane: way.lanes[way.lanes.count - 1], before: 0))
    #expect(Vec3(last.position.x - end.x, last.position.y - end.y, 0).length < 1.5)
    #expect(abs(last.speed) < 0.1)
  }

  @Test func followRouteRefusesLanesThatDoNotFollowOneAnother() throws {
    let index = try #require(Self.town)
    let way = try #require(Self.ways(index, back: 20).first)
    let reversed = Way(maneuver: way.maneuver, lanes: way.lanes.reversed(), townIndices: way.townIndices.reversed(),
                       start: way.start, heading: way.heading)
    let list = Self.routeList(reversed)
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car at (\(Self.m(way.start.x)), \(Self.m(way.start.y)), 0m) facing \(Self.deg(way.heading)) with behavior follow_route(\(list), 6m/s)
          simulate 2s at 20Hz
      }
      """
    let (d, text) = try Self.failure(source)
    #expect(d.code.rawValue == "E0538")
    #expect(text == list)
    #expect(d.message.contains("lane 1 of the route does not follow lane 0"), "\(d.message)")
  }

  @Test func followWaypointsRoutesOverTheLaneGraphToThePoint() throws {
    let index = try #require(Self.town)
    let way = try #require(Self.ways(index, back: 15).first { $0.maneuver.kind == .rightTurn })
    let goalLane = way.lanes[way.lanes.count - 1]
    let (goal, _) = try #require(Self.point(index, lane: goalLane, before: index.network.lanes[goalLane].length / 2))
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 5m/s } at (\(Self.m(way.start.x)), \(Self.m(way.start.y)), 0m) facing \(Self.deg(way.heading)) with behavior follow_waypoints([(\(Self.m(goal.x)), \(Self.m(goal.y)), 0m)], 5m/s)
          simulate 40s at 20Hz
      }
      """
    let (_, trace) = try Self.run(source)
    let last = try #require(trace.frames.last).actors[0]
    #expect(Vec3(last.position.x - goal.x, last.position.y - goal.y, 0).length < 1.5, "ends at \(last.position)")
    #expect(abs(last.speed) < 0.1)
  }

  @Test func aWaypointOffTheNetworkIsRefusedAtThePoints() throws {
    let index = try #require(Self.town)
    let way = try #require(Self.ways(index, back: 15).first)
    let points = "[(100000m, 100000m, 0m)]"
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car at (\(Self.m(way.start.x)), \(Self.m(way.start.y)), 0m) facing \(Self.deg(way.heading)) with behavior follow_waypoints(\(points), 5m/s)
          simulate 2s at 20Hz
      }
      """
    let (d, text) = try Self.failure(source)
    #expect(d.code.rawValue == "E0538")
    #expect(text == points)
    #expect(d.message.contains("waypoint 0 at (100000.0 m, 100000.0 m) is not on a driving lane"), "\(d.message)")
  }

  // MARK: - Traffic rules

  /// Where the connecting lanes of two ways cross: the arc length from each junction entry.
  static func crossing(_ index: LaneIndex, _ a: Way, _ b: Way) -> (Double, Double)? {
    func polyline(_ w: Way) -> [Vec3] { w.maneuver.connecting.flatMap { index.network.travelCentre($0).points } }
    let pa = polyline(a), pb = polyline(b)
    var la = 0.0
    for i in 0..<max(pa.count - 1, 0) {
      let p = pa[i], r = pa[i + 1] - pa[i]
      var lb = 0.0
      for j in 0..<max(pb.count - 1, 0) {
        let q = pb[j], s = pb[j + 1] - pb[j]
        let den = r.x * s.y - r.y * s.x
        if abs(den) > 1e-12 {
          let t = ((q.x - p.x) * s.y - (q.y - p.y) * s.x) / den
          let u = ((q.x - p.x) * r.y - (q.y - p.y) * r.x) / den
          if t > 0, t < 1, u > 0, u < 1 {
            return (la + t * (r.x * r.x + r.y * r.y).squareRoot(), lb + u * (s.x * s.x + s.y * s.y).squareRoot())
          }
        }
        lb += (s.x * s.x + s.y * s.y).squareRoot()
      }
      la += (r.x * r.x + r.y * r.y).squareRoot()
    }
    return nil
  }

  @Test func twoCarsCrossingAJunctionYieldAndDoNotCollide() throws {
    let index = try #require(Self.town)
    // Two ways through one junction from different lanes whose paths cross; each car starts
    // so that at the same speed both would reach the crossing point at the same moment.
    var found: (Way, Way, Double, Double)?
    search: for a in Self.ways(index, back: 0) {
      for b in Self.ways(index, back: 0)
      where b.maneuver.junction == a.maneuver.junction && b.maneuver.incoming != a.maneuver.incoming
        && b.maneuver.outgoing != a.maneuver.outgoing
      {
        guard let (ca, cb) = Self.crossing(index, a, b) else { continue }
        let da = 25 + max(cb - ca, 0), db = 25 + max(ca - cb, 0)
        guard index.network.lanes[a.maneuver.incoming].length > da + 3,
          index.network.lanes[b.maneuver.incoming].length > db + 3
        else { continue }
        found = (a, b, da, db)
        break search
      }
    }
    let (a0, b0, da, db) = try #require(found)
    let (pa, ha) = try #require(Self.point(index, lane: a0.maneuver.incoming, before: da))
    let (pb, hb) = try #require(Self.point(index, lane: b0.maneuver.incoming, before: db))
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego a = Car { speed: 6m/s } at (\(Self.m(pa.x)), \(Self.m(pa.y)), 0m) facing \(Self.deg(ha)) with behavior follow_route(\(Self.routeList(a0)), 6m/s)
          let b = Car { speed: 6m/s } at (\(Self.m(pb.x)), \(Self.m(pb.y)), 0m) facing \(Self.deg(hb)) with behavior follow_route(\(Self.routeList(b0)), 6m/s)
          simulate 75s at 20Hz
      }
      """
    let (_, trace) = try Self.run(source)
    #expect(trace.collisions.isEmpty, "\(trace.collisions)")
    // Both get through: each ends on the lane it leaves the junction by.
    let last = try #require(trace.frames.last)
    for (k, way) in [a0, b0].enumerated() {
      let p = last.actors[k].position
      let hits = index.lanes(containing: SIMD2(p.x, p.y)).map(\.lane)
      #expect(hits.contains(way.lanes[way.lanes.count - 1]), "car \(k) ends at \(p)")
    }
    // One of them waited: it was nearly at rest while still outside the junction.
    let slowest = (0..<2).map { k in trace.frames.map { abs($0.actors[k].speed) }.min() ?? 0 }
    #expect(slowest.contains { $0 < 0.5 }, "lowest speeds \(slowest)")
  }

  @Test func aStopSignStopsTheCarTwoSecondsAtTheJunction() throws {
    let index = try #require(Self.town)
    let way = try #require(Self.ways(index, back: 30).first { $0.maneuver.kind == .straight || $0.maneuver.kind == .rightTurn })
    // Town01 has traffic lights only: put a stop sign (OpenDRIVE type 206) at the end of the
    // incoming lane, facing its traffic, in a copy of the map.
    let lane = index.network.lanes[way.maneuver.incoming]
    let road = index.network.network.roads[lane.road]
    let s = lane.travelsAlongS ? lane.sEnd - 0.5 : lane.sStart + 0.5
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("Town01.xodr"), encoding: .utf8)
    let open = try #require(text.range(of: "id=\"\(road.id)\" junction=\"-1\">"))
    let close = try #require(text.range(of: "</road>", range: open.upperBound..<text.endIndex))
    let sign = """
      <signals><signal id="stop-test" name="Stop" s="\(s)" t="-3" zOffset="0" dynamic="no" orientation="\(lane.travelsAlongS ? "+" : "-")" type="206" subtype="-1" country="DE"/></signals>
      """
    let edited = text.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: sign)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scn-stop-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try edited.write(to: dir.appendingPathComponent("Town01.xodr"), atomically: true, encoding: .utf8)
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 8m/s } at (\(Self.m(way.start.x)), \(Self.m(way.start.y)), 0m) facing \(Self.deg(way.heading)) with behavior follow_route(\(Self.routeList(way)), 8m/s)
          simulate 50s at 20Hz
      }
      """
    let (_, trace) = try Self.run(source, path: dir.appendingPathComponent("main.scn").path)
    let (entry, _) = try #require(Self.point(index, lane: way.maneuver.incoming, before: 0))
    // At rest (under 0.1 m/s) with its front 0–1.5 m before the entry for 2 s, then through.
    let resting = trace.frames.filter { f in
      let p = f.actors[0].position
      let gap = Vec3(entry.x - p.x, entry.y - p.y, 0).length - 2.25
      return abs(f.actors[0].speed) < 0.1 && gap > -0.2 && gap < 1.6
    }
    let first = try #require(resting.first).time, lastRest = try #require(resting.last).time
    #expect(lastRest - first >= 1.9 && lastRest - first <= 2.3, "rested from \(first) s to \(lastRest) s")
    let end = try #require(trace.frames.last).actors[0].position
    #expect(index.lanes(containing: SIMD2(end.x, end.y)).contains { $0.lane == way.lanes[way.lanes.count - 1] }, "ends at \(end)")
  }
}

/// Stop lines and crossings drawn: on maps from their stop signals, on `road(...)` roads where
/// the scenario paints them with `stop_line(...)` and `crossing(...)`.
@Suite(.serialized) struct StopLineDrawingTests {
  static func model(_ source: String) throws -> SceneModel {
    let result = try SamplerSupport.compile(source, path: MapDrivingTests.mainPath)
    let program = try #require(result.program)
    let run = try Sampler(program: program, options: SamplerOptions(seed: 0, maxAttempts: 10)).run(start: 0, count: 1)
    let scene = try #require(run.scenes.first)
    return try SceneModel(scene: scene, classes: ClassTable(program: program))
  }

  @Test func aMapStopLineIsAWhiteBarAcrossTheLanesItGoverns() throws {
    let model = try Self.model("""
      import std.vehicles
      scenario S {
          let road = map("four_lanes.xodr")
          ego car = Car on road
      }
      """)
    let marks = try #require(model.stuff.solids.first { $0.className == "lane_marking" })
    // The triangles within 0.2 m of s = 250 (x = 250) make the stop line: 0.3 m deep, across
    // both right lanes (y from 0 to -7) and no further.
    let v = marks.mesh.vertices
    var xs: [Double] = [], ys: [Double] = []
    for t in stride(from: 0, to: marks.mesh.indices.count, by: 3) {
      let tri = (0..<3).map { v[Int(marks.mesh.indices[t + $0])] }
      guard tri.allSatisfy({ abs($0.x - 250) < 0.2 }) else { continue }
      xs += tri.map(\.x)
      ys += tri.map(\.y)
    }
    #expect(!xs.isEmpty)
    #expect(abs((xs.max() ?? 0) - 250.15) < 1e-6 && abs((xs.min() ?? 0) - 249.85) < 1e-6)
    #expect(abs((ys.max() ?? 1) - 0) < 1e-6 && abs((ys.min() ?? 0) + 7) < 1e-6, "\(ys.min() ?? 0)…\(ys.max() ?? 0)")
  }

  static let street = """
    import std.vehicles
    scenario S {
        let plain = road((0m, 0m, 0m), 0deg, [straight(100m)], 2, 3.5m)
        let street = crossing(stop_line(plain, 60m), 80m, 4m)
        ego car = Car on lane(street, 0)
    }
    """

  @Test func roadStopLinesAndCrossingsArePaintedOnTheOneRoad() throws {
    let model = try Self.model(Self.street)
    let band = try #require(model.stuff.bands.first)
    #expect(model.stuff.bands.count == 1, "the plain road and its painted copy are one surface")
    #expect(band.stopLines == [60])
    #expect(band.crossings == [78...82])
    #expect(band.paint(station: 60.1, lateral: 0.5) == .marking)
    #expect(band.paint(station: 60.2, lateral: 0.5) == .asphalt)
    #expect(band.paint(station: 30, lateral: 1.0) == .asphalt)
    // Zebra bars from the right edge (lateral -3.5): 0.5 m paint, 0.5 m asphalt.
    #expect(band.paint(station: 80, lateral: -3.5 + 0.75) == .asphalt)
    #expect(band.paint(station: 80, lateral: -3.5 + 1.25) == .marking)
    #expect(band.paint(station: 83, lateral: -3.5 + 1.25) == .asphalt)
  }

  @Test(arguments: [
    ("stop_line(plain, 120m)", "stop_line: the station must lie on the road"),
    ("crossing(plain, 99m, 4m)", "crossing: the crossing (99.0 m ± 2.0 m) must lie on the road"),
    // Drawn, so only the run can tell (a constant one is E0279 at check time).
    ("crossing(plain, 50m, uniform(-1m, 0m))", "crossing: width must be > 0"),
  ])
  func paintOffTheRoadIsAnErrorAtTheCall(_ call: String, _ says: String) throws {
    let source = Self.street.replacingOccurrences(of: "crossing(stop_line(plain, 60m), 80m, 4m)", with: call)
    let (d, text) = try MapDrivingTests.failure(source)
    #expect(d.code.rawValue == "E0504")
    #expect(d.message.contains(says), "\(d.message)")
    #expect(text == call)
  }
}

/// `following(field, start, distance)`: Scenic's `follow F from P for D` on a map's
/// road-direction field, against ScnMap's `LaneFollower` on the same lane.
@Suite(.serialized) struct FollowingFieldTests {
  @Test func followingTheRoadDirectionTracksTheLaneCentre() throws {
    let index = try #require(MapDrivingTests.town)
    // A driving lane outside junctions, at least 40 m long, whose traffic goes against s (so
    // the field's heading is the lane's travel direction, not the road's).
    let k = try #require(index.network.lanes.indices.first { k in
      let l = index.network.lanes[k]
      return l.type.isDrivable && l.junction == nil && l.length > 40 && !l.travelsAlongS
    })
    let start = LaneFollower(lane: k, distance: 0.5).pose(in: index.network).position
    let expected = LaneFollower(lane: k, distance: 30.5).pose(in: index.network).position
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          let p = following(town.road_direction, (\(MapDrivingTests.m(start.x)), \(MapDrivingTests.m(start.y)), 0m), 30m)
          ego car = Car at p
      }
      """
    let compiled = try SamplerSupport.compile(source, path: MapDrivingTests.mainPath)
    let program = try #require(compiled.program)
    let run = try Sampler(program: program, options: SamplerOptions(seed: 0, maxAttempts: 10)).run(start: 0, count: 1)
    let p = try #require(run.scenes.first?.actors.first).position
    #expect(Vec3(p.x - expected.x, p.y - expected.y, 0).length < 0.15, "reached \(p), lane point \(expected)")
  }

  @Test(arguments: [("(5000m, 5000m, 0m), 10m", "the field is undefined at (5000.0 m, 5000.0 m), 0.0 m from the start"),
                    ("(0m, 0m, 0m), uniform(-2m, -1m)", "the distance must be between 0 m and 100000 m")])
  func leavingTheFieldIsAnErrorAtTheCall(_ arguments: String, _ says: String) throws {
    let call = "following(town.road_direction, \(arguments))"
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car at \(call)
      }
      """
    let (d, text) = try MapDrivingTests.failure(source)
    #expect(d.code.rawValue == "E0539")
    #expect(d.message.contains(says), "\(d.message)")
    #expect(text == call)
  }
}
