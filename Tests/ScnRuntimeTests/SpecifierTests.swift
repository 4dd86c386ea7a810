import ScnGeometry
import ScnRuntime
import Testing

@Suite struct SpecifierTests {
  func actor(_ scene: Scene, _ name: String) -> Scene.Actor? { scene.actors.first { $0.name == name } }

  @Test func aheadOfAFacingCarMovesAlongItsHeading() throws {
    let scene = try SamplerSupport.scenes("""
      import std.vehicles
      scenario S {
          ego car = Car at (5m, 0m, 0m) facing 90deg
          let box = Box ahead of car by 10m
          let left = Box left of car by 4m
          let back = Box behind car by 6m right of car by 2m
      }
      """, count: 1)[0]
    let box = try #require(actor(scene, "box"))
    #expect(abs(box.position.x - 5) < 1e-9)
    #expect(abs(box.position.y - 10) < 1e-9)
    #expect(abs(box.heading - .pi / 2) < 1e-12)  // takes the reference's heading
    let left = try #require(actor(scene, "left"))
    #expect(abs(left.position.x - 1) < 1e-9 && abs(left.position.y) < 1e-9)
    let back = try #require(actor(scene, "back"))
    #expect(abs(back.position.x - 7) < 1e-9 && abs(back.position.y + 6) < 1e-9)
  }

  @Test func atPutsTheBottomCentreAndFacingTowardTurns() throws {
    let scene = try SamplerSupport.scenes("""
      scenario S {
          let a = Box at (1m, 2m, 0.5m) facing toward (1m, 5m, 0m)
          let b = Box { size: (2m, 1m, 1m) } at (10m, 0m, 0m) facing 30deg
      }
      """, count: 1)[0]
    let a = try #require(actor(scene, "a"))
    #expect(a.position == Vec3(1, 2, 0.5))
    #expect(abs(a.heading - .pi / 2) < 1e-12)
    let b = try #require(actor(scene, "b"))
    #expect(b.size == Vec3(2, 1, 1))
    #expect(abs(b.heading * 180 / .pi - 30) < 1e-9)
    #expect(b.className == "box")
  }

  @Test func onAndWithinStayInsideTheirRegions() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          let floor = rect((10m, 0m, 0m), 4m, 6m)
          let tri = polygon([(0m, 0m, 0m), (4m, 0m, 0m), (0m, 4m, 0m)])
          let a = Box on floor
          let b = Box on tri
          let c = Box within cuboid(center: (0m, 0m, 5m), size: (2m, 2m, 2m))
          allow overlap
      }
      """, count: 200, SamplerOptions(seed: 2))
    for s in scenes {
      let a = try #require(actor(s, "a")), b = try #require(actor(s, "b")), c = try #require(actor(s, "c"))
      #expect(abs(a.position.x - 10) <= 3 && abs(a.position.y) <= 2 && a.position.z == 0)
      #expect(b.position.x >= 0 && b.position.y >= 0 && b.position.x + b.position.y <= 4 + 1e-9)
      #expect(abs(c.position.x) <= 1 && abs(c.position.y) <= 1 && abs(c.position.z - 5) <= 1)
    }
  }

  @Test func laneOfARoadContainsItsCentreLine() throws {
    let scenes = try SamplerSupport.scenes("""
      import std.vehicles
      scenario S {
          let r = road(start: (0m, 0m, 0m), heading: 0deg, segments: [straight(50m), arc(radius: 100m, turn: 30deg)],
                       lanes: 2, lane_width: 3m)
          let left_lane = lane(r, 1)
          let car = Car on left_lane
          require car.position in left_lane
          require not (car.position in lane(r, 0))
          allow overlap
      }
      """, count: 100, SamplerOptions(seed: 4))
    for s in scenes {
      #expect(s.attempts == 1)
    }
  }
}
