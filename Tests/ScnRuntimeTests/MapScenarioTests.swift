import Foundation
import ScnEncoding
import ScnGeometry
import ScnIR
import ScnLowering
import ScnMap
import ScnRuntime
import ScnScene
import Testing

/// Scenarios on an OpenDRIVE map (`map("Town01.xodr")`), checked against the map read
/// independently with ScnMap: placement on lanes, facing along them, driving the network.
@Suite(.serialized) struct MapScenarioTests {
  static let fixtures = SamplerSupport.repoRoot.appendingPathComponent("Tests/Fixtures/opendrive")
  /// A virtual main file next to the fixtures, so `map("Town01.xodr")` finds the real file.
  static let mainPath = fixtures.appendingPathComponent("main.scn").path

  static let town: LaneIndex? = {
    guard let network = try? OpenDriveReader.read(contentsOf: fixtures.appendingPathComponent("Town01.xodr")) else {
      return nil
    }
    return LaneIndex(LaneNetwork(network))
  }()

  static let tenCars = """
    import std.vehicles
    scenario TownTraffic {
        param speed: Speed = uniform(20km/h, 40km/h)
        let town = map("Town01.xodr")
        ego = Car { speed: speed } on town with behavior follow_lane(speed)
        let traffic = [Car { speed: speed } on town with behavior follow_lane(speed) for i in 0..<9]
        sensor cam = Camera { mount: ego, resolution: (64, 48), rate: 5Hz, outputs: [rgb] }
        simulate 20s at 20Hz
    }
    """

  static func compile(_ source: String) throws -> CompilationResult {
    try SamplerSupport.compile(source, path: mainPath)
  }

  static func scenes(_ source: String, count: Int = 1, jobs: Int = 1) throws -> [Scene] {
    guard let program = try compile(source).program else { throw SamplerSupport.CompileFailed(description: "no program") }
    let run = try Sampler(program: program, options: SimulationSupport.options(maxAttempts: 1_000))
      .run(start: 0, count: count, jobs: jobs)
    if let f = run.failure { throw SamplerSupport.CompileFailed(description: "sampling failed: \(f.diagnostic.message)") }
    return run.scenes
  }

  @Test func tenCarsStayOnTheDrivingLanesForTwentySeconds() throws {
    let index = try #require(Self.town)
    let scene = try #require(try Self.scenes(Self.tenCars).first)
    let trace = try #require(scene.trace)
    #expect(scene.actors.count == 10)
    #expect(trace.endTime == 20)
    #expect(trace.frames.count >= 100)
    var moved = 0
    for (i, actor) in scene.actors.enumerated() {
      for frame in trace.frames {
        let p = frame.actors[i].position
        #expect(
          index.lane(containing: SIMD2(p.x, p.y), .drivable) != nil,
          "\(actor.name) at t = \(frame.time) s is off the driving lanes at (\(p.x), \(p.y))")
      }
      if let last = trace.frames.last, (last.actors[i].position - actor.position).length > 50 { moved += 1 }
    }
    // At 20–40 km/h for 20 s every car covers more than 100 m (unless two cars meet).
    #expect(moved >= 8)
  }

  @Test func carsStartFacingAlongTheirLane() throws {
    let index = try #require(Self.town)
    for scene in try Self.scenes(Self.tenCars.replacingOccurrences(of: "simulate 20s at 20Hz", with: ""), count: 3) {
      for actor in scene.actors {
        let hits = index.lanes(containing: SIMD2(actor.position.x, actor.position.y)).filter {
          index.network.lanes[$0.lane].type.isDrivable
        }
        #expect(!hits.isEmpty, "\(actor.name) is not on a driving lane")
        let best = hits.map { abs(wrapAngle($0.heading - actor.heading)) }.min() ?? .pi
        #expect(best < 2 * Double.pi / 180, "\(actor.name) faces \(best * 180 / .pi)° off its lane")
      }
    }
  }

  @Test func facingTheRoadDirectionFieldAndLaneMembers() throws {
    let index = try #require(Self.town)
    let source = """
      import std.vehicles
      scenario Members {
          let town = map("Town01.xodr")
          let first = town.lanes[0]
          ego = Car at (100m, -2m, 0m) facing town.road_direction
          let car = Car on first
          cover lane_count: len(town.lanes)
          cover junctions: len(town.intersections)
          cover crossings: len(town.crossings)
          cover next: len(first.successors)
          cover turns: len(town.intersections[0].maneuvers)
          cover first_turn: town.intersections[0].maneuvers[0].kind
          cover inside: car.position in first
          cover outside: (0m, 100m, 0m) in town
      }
      """
    let scene = try #require(try Self.scenes(source).first)
    func value(_ name: String) -> Value? { scene.covers.first { $0.name == name }?.value }
    let ego = try #require(scene.actors.first { $0.name == "ego" })
    let expected = try #require(index.direction(at: SIMD2(100, -2)))
    #expect(abs(wrapAngle(ego.heading - expected)) < 1e-9)
    #expect(value("lane_count") == .int(Int64(index.network.lanes.filter { $0.type.isDrivable }.count)))
    #expect(value("junctions") == .int(Int64(index.network.network.junctions.count)))
    #expect(value("crossings") == .int(0))
    #expect(value("inside") == .bool(true))
    #expect(value("outside") == .bool(false))
    let firstDriving = try #require(index.network.lanes.indices.first { index.network.lanes[$0].type.isDrivable })
    let successors = index.network.lanes[firstDriving].successors.filter { index.network.lanes[$0].type.isDrivable }
    #expect(value("next") == .int(Int64(successors.count)))
    let maneuvers = index.network.maneuvers(junction: 0).filter { m in
      index.network.lanes[m.incoming].type.isDrivable && m.outgoing != nil
    }
    #expect(value("turns") == .int(Int64(maneuvers.count)))
    guard case .enumCase(let name)? = value("first_turn") else {
      Issue.record("first_turn is not a ManeuverKind")
      return
    }
    #expect(["straight", "left_turn", "right_turn", "u_turn"].contains(name))
  }

  @Test func theMapsHashJoinsTheIRHash() throws {
    let result = try Self.compile(Self.tenCars)
    let program = try #require(result.program)
    let bytes = try SamplerSupport.readFile(Self.fixtures.appendingPathComponent("Town01.xodr").path)
    let sha = SHA256Hex.of(bytes)
    #expect(program.inputs.map(\.path) == ["Town01.xodr"])
    #expect(program.inputs.first?.sha256 == sha)
    #expect(IRPrinter.print(program).contains("input \"Town01.xodr\" sha256=\(sha)\n"))
    #expect(result.inputFiles.map(\.sha256) == [sha])
    // The same scenario reading other bytes under the same name hashes differently.
    let other = try SamplerSupport.readFile(Self.fixtures.appendingPathComponent("Town02.xodr").path)
    let swapped = Compilation.compile(
      mainFile: Self.mainPath,
      readFile: { p in
        if p == Self.mainPath { return Array(Self.tenCars.utf8) }
        if p.hasSuffix("/Town01.xodr") { return other }
        return try SamplerSupport.readFile(p)
      }, stdlibRoot: SamplerSupport.stdlibRoot)
    let swappedProgram = try #require(swapped.program)
    #expect(swappedProgram.hash != program.hash)
  }

  @Test func sameSeedSameScenesForAnyJobs() throws {
    let one = try Self.scenes(Self.tenCars, count: 2, jobs: 1)
    let two = try Self.scenes(Self.tenCars, count: 2, jobs: 2)
    #expect(SamplerSupport.lines(one) == SamplerSupport.lines(two))
    #expect(one.map(\.trace) == two.map(\.trace))
  }

  @Test func theMapIsDrawnAsRoadMarkingsKerbsAndSidewalks() throws {
    let result = try Self.compile(Self.tenCars.replacingOccurrences(of: "simulate 20s at 20Hz", with: ""))
    let program = try #require(result.program)
    let classes = ClassTable(program: program)
    for name in ["road", "lane_marking", "curb", "sidewalk"] { #expect(classes.id(of: name) != nil, "\(name)") }
    let scene = try #require(try Self.scenes(Self.tenCars.replacingOccurrences(of: "simulate 20s at 20Hz", with: "")).first)
    let model = try SceneModel(scene: scene, classes: classes)
    let solids = model.stuff.solids
    #expect(Set(solids.map(\.className)) == ["road", "lane_marking", "curb", "sidewalk"])
    for solid in solids {
      #expect(solid.mesh.triangleCount > 0)
      #expect(Int(solid.semanticClass) == classes.id(of: solid.className))
    }
    // Asphalt lies just above the lanes (z = 0 in Town01), sidewalks a kerb higher.
    let road = try #require(solids.first { $0.className == "road" })
    #expect(abs(road.mesh.bounds.upper.z - 0.005) < 1e-6)
    let walk = try #require(solids.first { $0.className == "sidewalk" })
    #expect(abs(walk.mesh.bounds.upper.z - 0.15) < 1e-6)
    // Every driving lane's area is covered: its centre-line midpoints lie under asphalt.
    let index = try #require(Self.town)
    let asphaltArea = Self.area(road.mesh)
    let laneArea = index.network.lanes.filter { $0.type != .sidewalk }.reduce(0.0) { total, lane in
      total + zip(lane.inner.indices.dropLast(), lane.inner.indices.dropFirst()).reduce(0.0) { sum, ij in
        let (i, j) = ij
        let a = lane.inner[i], b = lane.outer[i], c = lane.outer[j], d = lane.inner[j]
        func tri(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
          abs((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)) / 2
        }
        return sum + tri(a, b, c) + tri(a, c, d)
      }
    }
    // The simplified strips stay within 2 cm of the sampled lanes: the areas agree to 1 %.
    #expect(abs(asphaltArea - laneArea) / laneArea < 0.01, "asphalt \(asphaltArea) m² vs lanes \(laneArea) m²")
    // A whole town stays a modest mesh.
    #expect(solids.reduce(0) { $0 + $1.mesh.triangleCount } < 200_000)
  }

  static func area(_ mesh: TriangleMesh) -> Double {
    var total = 0.0
    var k = 0
    while k + 2 < mesh.indices.count {
      let a = mesh.vertices[Int(mesh.indices[k])], b = mesh.vertices[Int(mesh.indices[k + 1])]
      let c = mesh.vertices[Int(mesh.indices[k + 2])]
      total += (b - a).cross(c - a).length / 2
      k += 3
    }
    return total
  }
}
