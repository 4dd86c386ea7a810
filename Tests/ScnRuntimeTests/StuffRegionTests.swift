import ScnGeometry
import ScnScene
import Testing

@testable import ScnRuntime

/// `sidewalk(...)` and `room(...)`: the regions actors stand on, and what a sampled scene
/// hands on to be drawn (`Scene.roads`, `Scene.rooms`, `SceneModel.stuff`).
@Suite struct StuffRegionTests {
  static let street = """
    import std.vehicles
    import std.pedestrians
    scenario S {
        let street = road(start: (0m, 3.5m, 0m), heading: 0deg, segments: [straight(40m)], lanes: 2, lane_width: 3.5m)
        let walk = sidewalk(street, 0.5m, 2m)
        let person = Pedestrian on walk
        let car = Car on lane(street, 0)
        allow overlap
    }
    """

  @Test func sidewalksAreRaisedBandsBeyondTheRoadsRightEdge() throws {
    let scenes = try SamplerSupport.scenes(Self.street, count: 40, SamplerOptions(seed: 2))
    for s in scenes {
      let person = try #require(s.actors.first { $0.name == "person" })
      // The road spans y 0…7 m; the kerb is at y = −0.5 m and the walk reaches −2.5 m.
      #expect(person.position.y >= -2.5 && person.position.y <= -0.5, "\(person.position)")
      #expect(abs(person.position.z - 0.15) < 1e-12)
      #expect(s.roads.count == 2)  // the road (its lane stands for it) and the sidewalk
      let model = try SceneModel(scene: s, classes: ClassTable(names: ["car", "curb", "lane_marking", "pedestrian", "road", "sidewalk"]))
      #expect(model.stuff.bands.count == 2)  // the carriageway and the 0.5 m gap
      #expect(model.stuff.solids.map(\.className) == ["curb", "sidewalk"])
      #expect(model.stuff.ground(atX: 10, y: 1.75)?.semanticClass == 6)
      #expect(model.stuff.ground(atX: 10, y: 0.05)?.semanticClass == 4)  // right edge line
      #expect(model.stuff.ground(atX: 10, y: -0.25)?.semanticClass == 6)  // the gap
      #expect(model.stuff.ground(atX: 10, y: -3) == nil)
    }
  }

  @Test func withoutStuffClassesNothingIsBuilt() throws {
    let s = try #require(try SamplerSupport.scenes(Self.street, count: 1).first)
    let model = try SceneModel(scene: s, classes: ClassTable(names: ["car", "pedestrian"]))
    #expect(model.stuff.isEmpty)
  }

  @Test func roomsPlaceOnTheirFloorAndBuildWalls() throws {
    let scenes = try SamplerSupport.scenes("""
      import std.warehouse
      scenario S {
          let hall = room((10m, 0m, 0m), (8m, 6m, 3m))
          let box = Box on hall
      }
      """, count: 30, SamplerOptions(seed: 5))
    for s in scenes {
      let box = try #require(s.actors.first)
      #expect(abs(box.position.x - 10) <= 4 && abs(box.position.y) <= 3 && box.position.z == 0)
      #expect(s.rooms == [.room(center: Vec3(10, 0, 0), halfExtents: Vec3(4, 3, 1.5))])
      let model = try SceneModel(scene: s, classes: ClassTable(names: ["box", "wall"]))
      let walls = try #require(model.stuff.solids.first)
      #expect(walls.className == "wall" && walls.semanticClass == 3)
      let b = walls.mesh.bounds
      #expect((b.lower - Vec3(5.8, -3.2, 0)).length < 1e-9 && (b.upper - Vec3(14.2, 3.2, 3)).length < 1e-9)
    }
  }

  @Test(arguments: [
    "sidewalk(sidewalk(road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(10m)], lanes: 1, lane_width: 3m), 0m, 2m), 0m, 2m)",
    "sidewalk(road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(10m)], lanes: 1, lane_width: 3m), -1m, 2m)",
    "sidewalk(road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(10m)], lanes: 1, lane_width: 3m), 0m, 0m)",
    "sidewalk(rect((0m, 0m, 0m), 2m, 2m), 0m, 2m)",
    "room((0m, 0m, 0m), (4m, 0m, 3m))",
  ])
  func badSurfacesAreRuntimeErrors(_ call: String) throws {
    let source = """
      import std.vehicles
      scenario S {
          let r = \(call)
          let box = Box on r
      }
      """
    let run = try SamplerSupport.sampler(source).run(start: 0, count: 1, jobs: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.description.contains("E0504"), "\(failure.diagnostic)")
  }
}
