import Foundation
import ScnGeometry
import ScnMap
import ScnRuntime
import Testing

/// Traffic lights with phases, car following and parked route ends, checked on the trace
/// against Town01 read independently with ScnMap (docs/stdlib.md, "Traffic rules").
@Suite(.serialized) struct TrafficLightTests {
  typealias Way = MapDrivingTests.Way

  static let plan: SignalPlan? = MapDrivingTests.town.map { SignalPlan($0.network) }

  // MARK: - The reader and the plan

  @Test func town01ControllersGroupItsLightsByJunction() throws {
    let index = try #require(MapDrivingTests.town)
    let plan = try #require(Self.plan)
    let network = index.network.network
    #expect(network.controllers.count == 36)
    #expect(network.controllers.allSatisfy { $0.signalIds.count == 2 })
    let withControllers = network.junctions.filter { !$0.controllers.isEmpty }
    #expect(withControllers.count == 12)
    #expect(withControllers.allSatisfy { $0.controllers.map(\.sequence) == [0, 1, 2] })
    // Every light in a group of its junction's three controllers, one turn each.
    #expect(plan.lights.count == 36)
    #expect(plan.groups.count == 12)
    #expect(plan.groups.allSatisfy { $0.slots == 3 && $0.junction != nil })
    for g in plan.groups.indices {
      #expect(Set(plan.lights.filter { $0.group == g }.map(\.slot)) == [0, 1, 2])
    }
    // Each light governs one driving lane outside the junctions (Town01's roads have one lane
    // each way), of its own road or (for the lights CARLA puts on connecting roads) of the
    // road linked at its nearer end; every lane entering a junction has one light.
    for (i, light) in plan.lights.enumerated() {
      let lanes = plan.governing.indices.filter { plan.governing[$0].contains { $0.light == i } }
      #expect(lanes.count == 1, "light \(i) governs \(lanes.count) lanes")
      for k in lanes {
        let lane = index.network.lanes[k]
        #expect(lane.type.isDrivable && lane.junction == nil)
        if lane.road != light.road { #expect(network.roads[light.road].junction != nil) }
      }
    }
    let entering = index.network.lanes.indices.filter { k in
      let lane = index.network.lanes[k]
      return lane.type.isDrivable && lane.junction == nil
        && lane.successors.contains { index.network.lanes[$0].junction.map { network.junctions[$0].controllers.isEmpty == false } ?? false }
    }
    #expect(entering.count == 36)
    #expect(entering.allSatisfy { plan.governing[$0].count == 1 })
  }

  @Test func thePhasePlanCyclesGreenYellowAllRedInTurn() throws {
    let plan = try #require(Self.plan)
    let g = try #require(plan.lights.firstIndex { $0.slot == 1 })
    let timing = SignalTiming(green: 10, yellow: 3, allRed: 1, offset: 0)
    // Slot 1 of 3: red 0–14 s, green 14–24 s, yellow 24–27 s, red 27–42 s, again from 42 s.
    let expected: [(Double, LightState)] = [
      (0, .red), (13.9, .red), (14, .green), (23.9, .green), (24, .yellow), (26.9, .yellow), (27, .red), (41.9, .red),
      (56, .green), (-28, .green),
    ]
    for (t, state) in expected { #expect(plan.state(light: g, at: t, timing: timing) == state, "at \(t) s") }
    // An offset moves the cycle: 14 s in, slot 1 is green at once.
    #expect(plan.state(light: g, at: 0, timing: SignalTiming(offset: 14)) == .green)
  }

  // MARK: - Driving

  /// A straight way through a junction whose incoming lane a light of turn `slot` governs,
  /// with the light's index, starting `back` metres before the junction.
  static func signalledWay(slot: Int, back: Double, length: Double = 0) -> (Way, Int)? {
    guard let index = MapDrivingTests.town, let plan else { return nil }
    for way in MapDrivingTests.ways(index, back: back) {
      let lane = way.maneuver.incoming
      guard index.network.lanes[lane].length > max(back + 10, length) else { continue }
      if let g = plan.governing[lane].first(where: { plan.lights[$0.light].slot == slot }) { return (way, g.light) }
    }
    return nil
  }

  @Test func aCarArrivingAtRedWaitsAndGoesOnGreen() throws {
    let index = try #require(MapDrivingTests.town)
    let plan = try #require(Self.plan)
    // Turn 1 of 3: red until 14 s, green from 14 s to 24 s (the default plan).
    let (way, light) = try #require(Self.signalledWay(slot: 1, back: 30))
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 8m/s } at (\(MapDrivingTests.m(way.start.x)), \(MapDrivingTests.m(way.start.y)), 0m) facing \(MapDrivingTests.deg(way.heading)) with behavior follow_route(\(MapDrivingTests.routeList(way)), 8m/s)
          simulate 30s at 20Hz
      }
      """
    let (_, trace) = try MapDrivingTests.run(source)
    let entryPoint = MapDrivingTests.point(index, lane: way.maneuver.incoming, before: 0)
    let (entry, _) = try #require(entryPoint)
    func toEntry(_ p: Vec3) -> Double { Vec3(entry.x - p.x, entry.y - p.y, 0).length - 2.25 }
    // It comes to rest before the junction while the light is red ...
    let resting = trace.frames.filter { abs($0.actors[0].speed) < 0.1 && toEntry($0.actors[0].position) > -0.3 }
    let first = try #require(resting.first)
    #expect(first.time < 10, "first at rest at \(first.time) s")
    let timing = SignalTiming.standard
    for f in resting where f.time < 14 {
      #expect(plan.state(light: light, at: f.time, timing: timing) == .red)
      #expect(toEntry(f.actors[0].position) < 6, "waits \(toEntry(f.actors[0].position)) m before the entry")
    }
    // ... stays there until the light turns green at 14 s, and drives on within 2 s of it.
    let moving = try #require(trace.frames.first { $0.time > first.time && abs($0.actors[0].speed) > 0.5 })
    #expect(moving.time >= 14 && moving.time <= 16, "moves again at \(moving.time) s")
    let end = try #require(trace.frames.last).actors[0].position
    #expect(index.lanes(containing: SIMD2(end.x, end.y)).contains { $0.lane == way.lanes[way.lanes.count - 1] }, "ends at \(end)")
  }

  @Test func aCarOnGreenDrivesThroughWithoutStopping() throws {
    // Turn 0 of 3: green from 0 s to 10 s; the car reaches the junction in about 4 s.
    let (way, _) = try #require(Self.signalledWay(slot: 0, back: 30))
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 8m/s } at (\(MapDrivingTests.m(way.start.x)), \(MapDrivingTests.m(way.start.y)), 0m) facing \(MapDrivingTests.deg(way.heading)) with behavior follow_route(\(MapDrivingTests.routeList(way)), 8m/s)
          simulate 8s at 20Hz
      }
      """
    let (_, trace) = try MapDrivingTests.run(source)
    let slowest = trace.frames.map { abs($0.actors[0].speed) }.min() ?? 0
    #expect(slowest > 7, "slowest \(slowest) m/s")
  }

  @Test func aQueueFormsAtRedWithoutOverlap() throws {
    let index = try #require(MapDrivingTests.town)
    let (way, _) = try #require(Self.signalledWay(slot: 1, back: 20, length: 55))
    let lane = way.maneuver.incoming
    var cars: [String] = []
    for (k, back) in [20.0, 32.0, 44.0].enumerated() {
      let spot = MapDrivingTests.point(index, lane: lane, before: back)
      let (p, h) = try #require(spot)
      let name = k == 0 ? "ego c0" : "let c\(k)"
      cars.append(
        "\(name) = Car { speed: 8m/s } at (\(MapDrivingTests.m(p.x)), \(MapDrivingTests.m(p.y)), 0m) facing \(MapDrivingTests.deg(h)) with behavior follow_lane(8m/s)")
    }
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          \(cars.joined(separator: "\n    "))
          simulate 13s at 20Hz
      }
      """
    let (_, trace) = try MapDrivingTests.run(source)
    #expect(trace.collisions.isEmpty, "\(trace.collisions)")
    // Bumper-to-bumper gaps along the lane (centre distance less a car length, 4.5 m).
    var smallest = Double.infinity
    for f in trace.frames {
      for k in 0..<2 {
        let a = f.actors[k].position, b = f.actors[k + 1].position
        smallest = min(smallest, Vec3(a.x - b.x, a.y - b.y, 0).length - 4.5)
      }
    }
    #expect(smallest >= 1.5, "smallest gap \(smallest) m")
    // All three wait at the light (red until 14 s), in a queue: at rest, each behind the other.
    let last = try #require(trace.frames.last)
    #expect(last.actors.allSatisfy { abs($0.speed) < 0.1 }, "\(last.actors.map(\.speed))")
    for k in 0..<2 {
      let a = last.actors[k].position, b = last.actors[k + 1].position
      let gap = Vec3(a.x - b.x, a.y - b.y, 0).length - 4.5
      #expect(gap >= 1.8 && gap <= 4, "queue gap \(k): \(gap) m")
    }
  }

  @Test func aCarStopsBehindAParkedCarOnItsLane() throws {
    let index = try #require(MapDrivingTests.town)
    let candidate = MapDrivingTests.drivingLanes(index).first {
      index.network.lanes[$0].junction == nil && index.network.lanes[$0].length > 120
    }
    let lane = try #require(candidate)
    let spots = (MapDrivingTests.point(index, lane: lane, before: 40), MapDrivingTests.point(index, lane: lane, before: 100))
    let (parked, hp) = try #require(spots.0)
    let (start, hs) = try #require(spots.1)
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego car = Car { speed: 10m/s } at (\(MapDrivingTests.m(start.x)), \(MapDrivingTests.m(start.y)), 0m) facing \(MapDrivingTests.deg(hs)) with behavior follow_lane(10m/s)
          let parked = Car at (\(MapDrivingTests.m(parked.x)), \(MapDrivingTests.m(parked.y)), 0m) facing \(MapDrivingTests.deg(hp))
          simulate 15s at 20Hz
      }
      """
    let (_, trace) = try MapDrivingTests.run(source)
    #expect(trace.collisions.isEmpty, "\(trace.collisions)")
    let last = try #require(trace.frames.last)
    let a = last.actors[0].position, b = last.actors[1].position
    let gap = Vec3(a.x - b.x, a.y - b.y, 0).length - 4.5
    #expect(abs(last.actors[0].speed) < 0.1)
    #expect(gap >= 1.8 && gap <= 3, "stops \(gap) m behind")
  }

  // MARK: - A route that ends inside a junction

  @Test func aCarParkedInAJunctionAtItsRouteEndDoesNotBlockOthers() throws {
    let index = try #require(MapDrivingTests.town)
    let ways = MapDrivingTests.ways(index, back: 15)
    func polyline(_ lanes: [Int]) -> [Vec3] { lanes.flatMap { index.network.travelCentre($0).points } }
    // Way a ends where its connecting lanes end, inside the junction; way b crosses a's way
    // there but passes at least 4 m from where a stands.
    var found: (Way, Way)?
    search: for a in ways {
      let end = try #require(polyline(a.maneuver.connecting).last)
      for b in ways where b.maneuver.junction == a.maneuver.junction && b.maneuver.incoming != a.maneuver.incoming {
        guard MapDrivingTests.crossing(index, a, b) != nil,
          index.network.lanes[b.maneuver.incoming].length > 40,
          polyline(b.maneuver.connecting + [b.lanes[b.lanes.count - 1]]).allSatisfy({
            Vec3($0.x - end.x, $0.y - end.y, 0).length > 4
          })
        else { continue }
        found = (a, b)
        break search
      }
    }
    let (a, b) = try #require(found)
    let spot = MapDrivingTests.point(index, lane: b.maneuver.incoming, before: 30)
    let (pb, hb) = try #require(spot)
    let shortRoute = "[" + a.townIndices.dropLast().map { "town.lanes[\($0)]" }.joined(separator: ", ") + "]"
    // b sets off after a has parked (a waits at most one red, 28 s, and drives some 30 m).
    let source = """
      import std.vehicles
      behavior Late(lanes: [Region]) {
          wait 45s
          do follow_route(lanes, 6m/s)
      }
      scenario S {
          let town = map("Town01.xodr")
          ego a = Car { speed: 6m/s } at (\(MapDrivingTests.m(a.start.x)), \(MapDrivingTests.m(a.start.y)), 0m) facing \(MapDrivingTests.deg(a.heading)) with behavior follow_route(\(shortRoute), 6m/s)
          let b = Car at (\(MapDrivingTests.m(pb.x)), \(MapDrivingTests.m(pb.y)), 0m) facing \(MapDrivingTests.deg(hb)) with behavior Late(\(MapDrivingTests.routeList(b)))
          simulate 100s at 10Hz
      }
      """
    let (_, trace) = try MapDrivingTests.run(source)
    #expect(trace.collisions.isEmpty, "\(trace.collisions)")
    let last = try #require(trace.frames.last)
    // a stands at the end of its route, inside the junction ...
    let pa = last.actors[0].position
    #expect(index.lanes(containing: SIMD2(pa.x, pa.y)).contains { $0.lane == a.maneuver.connecting[a.maneuver.connecting.count - 1] })
    #expect(abs(last.actors[0].speed) < 0.1)
    // ... and b got through to the lane it leaves by.
    let p = last.actors[1].position
    #expect(index.lanes(containing: SIMD2(p.x, p.y)).contains { $0.lane == b.lanes[b.lanes.count - 1] }, "b ends at \(p)")
  }
}

/// Crosswalk objects of a map painted as zebra bars and exposed as `town.crossings`.
@Suite(.serialized) struct CrosswalkTests {
  /// four_lanes.xodr (a straight road along +x, lanes from y = -7 to 7) with a crosswalk at
  /// s = 100 whose outline is 4 m along the road and 14 m across it, in a temporary folder.
  static func withCrosswalk<T>(_ body: (URL) throws -> T) throws -> T {
    let text = try String(contentsOf: MapDrivingTests.fixtures.appendingPathComponent("four_lanes.xodr"), encoding: .utf8)
    let close = try #require(text.range(of: "</road>"))
    let object = """
      <objects><object id="cw1" name="crosswalk" type="crosswalk" s="100" t="0" zOffset="0" hdg="0">
        <outline id="0"><cornerLocal u="-2" v="-7" z="0"/><cornerLocal u="2" v="-7" z="0"/><cornerLocal u="2" v="7" z="0"/><cornerLocal u="-2" v="7" z="0"/></outline>
      </object></objects>
      """
    let edited = text.replacingCharacters(in: close.lowerBound..<close.lowerBound, with: object)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scn-crosswalk-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try edited.write(to: dir.appendingPathComponent("four_lanes.xodr"), atomically: true, encoding: .utf8)
    return try body(dir)
  }

  @Test func theReaderKeepsTheOutline() throws {
    try Self.withCrosswalk { dir in
      let network = try OpenDriveReader.read(contentsOf: dir.appendingPathComponent("four_lanes.xodr"))
      let object = try #require(network.roads.first?.objects.first)
      #expect(object.isCrosswalk)
      #expect(object.outline == [.local(u: -2, v: -7), .local(u: 2, v: -7), .local(u: 2, v: 7), .local(u: -2, v: 7)])
      let road = try #require(network.roads.first)
      let corners = object.footprint(on: road)
      #expect(corners.count == 4)
      #expect(corners.allSatisfy { abs(abs($0.x - 100) - 2) < 1e-9 && abs(abs($0.y) - 7) < 1e-9 }, "\(corners)")
    }
  }

  @Test func aCrosswalkIsPaintedAsZebraBarsAndIsACrossing() throws {
    try Self.withCrosswalk { dir in
      let source = """
        import std.vehicles
        scenario S {
            let road = map("four_lanes.xodr")
            let zebra = road.crossings[0]
            ego crate = Box on zebra
        }
        """
      let result = try SamplerSupport.compile(source, path: dir.appendingPathComponent("main.scn").path)
      let program = try #require(result.program)
      let run = try Sampler(program: program, options: SamplerOptions(seed: 0, maxAttempts: 10)).run(start: 0, count: 4)
      #expect(run.failure == nil)
      // The box stands on the crosswalk's outline.
      for scene in run.scenes {
        let p = scene.actors[0].pose.translation
        #expect(abs(p.x - 100) <= 2 && abs(p.y) <= 7, "box at \(p)")
      }
      let scene = try #require(run.scenes.first)
      let model = try SceneModel(scene: scene, classes: ClassTable(program: program))
      let marks = try #require(model.stuff.solids.first { $0.className == "lane_marking" })
      let v = marks.mesh.vertices
      var area = 0.0
      for t in stride(from: 0, to: marks.mesh.indices.count, by: 3) {
        let tri = (0..<3).map { v[Int(marks.mesh.indices[t + $0])] }
        guard tri.allSatisfy({ $0.x > 97 && $0.x < 103 }) else { continue }
        #expect(tri.allSatisfy { $0.x >= 98 - 1e-9 && $0.x <= 102 + 1e-9 && abs($0.y) <= 7 + 1e-9 })
        // Paint on the second half of every metre across, counted from y = -7.
        let y = tri.map(\.y).reduce(0, +) / 3 + 7
        let phase = y - y.rounded(.down)
        #expect(phase >= 0.5 - 1e-9 && phase <= 1 + 1e-9, "bar at y = \(y - 7)")
        area += abs((tri[1] - tri[0]).cross(tri[2] - tri[0]).z) / 2
      }
      // 14 bars 0.5 m × 4 m.
      #expect(abs(area - 14 * 0.5 * 4) < 1e-6, "painted \(area) m²")
    }
  }
}
