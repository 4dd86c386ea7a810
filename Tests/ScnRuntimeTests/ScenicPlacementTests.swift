import Foundation
import ScnGeometry
import ScnRuntime
import Testing

/// Translations of Scenic 3's `tests/syntax/test_specifiers.py` and `test_operators.py`
/// cases (docs/scenic-coverage.md maps each). Scenic's heading 0 faces +y; scn's faces +x,
/// so a Scenic heading H is scn's H + 90deg, and a Scenic local vector (right, forward) is
/// scn's (forward, -right). Scenic positions are box centres, scn's bottom centres.
@Suite struct ScenicPlacementTests {
  func only(_ source: String) throws -> Scene {
    try #require(try SamplerSupport.scenes(source, count: 1).first)
  }

  func actor(_ scene: Scene, _ name: String) throws -> Scene.Actor {
    try #require(scene.actors.first { $0.name == name }, "no actor \(name)")
  }

  func near(_ a: Vec3, _ b: (Double, Double, Double), _ tolerance: Double = 1e-9) -> Bool {
    abs(a.x - b.0) < tolerance && abs(a.y - b.1) < tolerance && abs(a.z - b.2) < tolerance
  }

  func degrees(_ radians: Double) -> Double { radians * 180 / .pi }

  /// test_offset_by: ego at 10@40 facing 90 deg (scn 180deg); `offset by 5 @ 15` → (-5, 45).
  @Test func offsetBy() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (10m, 40m, 0m) facing 180deg
          let b = Box offset by (15m, -5m, 0m)
          allow overlap
      }
      """)
    #expect(near(try actor(s, "b").position, (-5, 45, 0)))
  }

  /// test_offset_along: ego at 10@40; `offset along -90 deg by -10 @ 5` → (15, 50).
  @Test func offsetAlong() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (10m, 40m, 0m) facing 77deg
          let b = Box offset along 0deg by (5m, 10m, 0m)
          allow overlap
      }
      """)
    #expect(near(try actor(s, "b").position, (15, 50, 0)))
  }

  /// test_beyond: ego at 10@5; `beyond 4@13 by 5` → (1, 17); `by 10 @ 5` → (9, 23).
  @Test func beyond() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (10m, 5m, 0m)
          let a = Box beyond (4m, 13m, 0m) by 5m
          let b = Box beyond (4m, 13m, 0m) by (5m, -10m, 0m)
          let c = Box beyond (4m, 13m, 0m) by 5m from (10m, 5m, 0m)
          allow overlap
      }
      """)
    #expect(near(try actor(s, "a").position, (1, 17, 0)))
    #expect(near(try actor(s, "b").position, (9, 23, 0)))
    #expect(near(try actor(s, "c").position, (1, 17, 0)))
  }

  /// test_ahead_of_vector, test_left_of_vector, test_behind_vector, test_right_of_vector:
  /// a 1 m object facing Scenic's 90 deg (scn 180deg) touches the point with its face.
  @Test func relativeToAPointUsesTheActorsOwnFrame() throws {
    let s = try only("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } at (0m, 0m, 0m)
          let ahead = Box { size: (1m, 1m, 1m) } ahead of (10m, 20m, 0m) facing 180deg
          let left = Box { size: (1m, 1m, 1m) } left of (10m, 30m, 0m) facing 180deg
          let behind = Box { size: (1m, 1m, 1m) } behind (10m, 40m, 0m) facing 180deg
          let right = Box { size: (1m, 1m, 1m) } right of (10m, 50m, 0m) facing 180deg
          let long = Box { size: (10m, 1m, 1m) } ahead of (10m, 60m, 0m) facing 90deg
          let by = Box { size: (1m, 1m, 1m) } ahead of (10m, 70m, 0m) by 20m facing 90deg
          allow overlap
      }
      """)
    #expect(near(try actor(s, "ahead").position, (9.5, 20, 0), 1e-9))
    #expect(near(try actor(s, "left").position, (10, 29.5, 0), 1e-9))
    #expect(near(try actor(s, "behind").position, (10.5, 40, 0), 1e-9))
    #expect(near(try actor(s, "right").position, (10, 50.5, 0), 1e-9))
    // test_ahead_of_vector, `with length 10`: (10, 25).
    #expect(near(try actor(s, "long").position, (10, 65, 0), 1e-9))
    // `by` is centre to centre in scn (Scenic measures from the face: 40.5 there).
    #expect(near(try actor(s, "by").position, (10, 90, 0), 1e-9))
  }

  /// test_above_vector_3d / test_below_vector_3d / *_by_3d and test_above_object: bottom
  /// centres (Scenic's centre minus half the height).
  @Test func aboveAndBelow() throws {
    let s = try only("""
      scenario S {
          ego e = Box { size: (2m, 2m, 2m) } at (0m, 0m, 0m) facing 30deg
          let a = Box { size: (1m, 1m, 1m) } above (10m, 20m, 15m)
          let b = Box { size: (1m, 1m, 1m) } above (10m, 20m, 15m) by 20m
          let c = Box { size: (1m, 1m, 1m) } below (10m, 20m, 15m)
          let d = Box { size: (1m, 1m, 1m) } below (10m, 20m, 15m) by 20m
          let stacked = Box { size: (1m, 1m, 1m) } above e
          let under = Box { size: (1m, 1m, 1m) } below e by 1m
          allow overlap
      }
      """)
    #expect(near(try actor(s, "a").position, (10, 20, 15)))
    #expect(near(try actor(s, "b").position, (10, 20, 35)))
    #expect(near(try actor(s, "c").position, (10, 20, 14)))
    #expect(near(try actor(s, "d").position, (10, 20, -6)))
    let on = try actor(s, "stacked")
    #expect(near(on.position, (0, 0, 2)))
    #expect(abs(degrees(on.heading) - 30) < 1e-9)  // takes the reference's heading
    #expect(near(try actor(s, "under").position, (0, 0, -2)))
  }

  /// test_default_dependency (`facing toward`) and `facing away from`, its mirror.
  @Test func facingAwayFrom() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (0m, 0m, 0m) facing away from (1m, -1m, 0m)
      }
      """)
    #expect(abs(degrees(try actor(s, "e").heading) - 135) < 1e-9)
  }

  /// `facing toward`, `facing away from` and `facing directly toward` an actor: Scenic's
  /// `facing toward obj` aims at the object's position; scn aims the heading at its bottom
  /// centre and `directly` at the centre of its box (1 m up, 2 m away: atan(1/2) up).
  @Test func facingTowardAnActor() throws {
    let s = try only("""
      scenario S {
          let t = Box { size: (1m, 1m, 2m) } at (2m, 0m, 0m)
          ego e = Box at (2m, -3m, 0m) facing toward t
          let a = Box at (0m, 2m, 0m) facing away from t
          let d = Box { size: (0.2m, 0.2m, 0m) } at (0m, 0m, 0m) facing directly toward t
      }
      """)
    #expect(abs(degrees(try actor(s, "e").heading) - 90) < 1e-9)
    #expect(abs(degrees(try actor(s, "a").heading) - 135) < 1e-9)
    let d = try actor(s, "d")
    #expect(abs(degrees(d.heading)) < 1e-9)
    #expect(abs(d.pitch + atan(0.5)) < 1e-9)  // up to (2m, 0m, 1m): a negative pitch raises the front
  }

  /// test_apparently_facing / test_apparently_facing_from: Scenic 90 deg at (1, 1) seen
  /// from the origin gives Scenic 45 deg, i.e. scn 135deg (= 90deg + the 45deg sight line).
  @Test func apparentlyFacing() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (0m, 0m, 0m)
          let a = Box at (1m, 1m, 0m) apparently facing 90deg
          let b = Box at (5m, 5m, 0m) apparently facing 90deg from (4m, 4m, 0m)
      }
      """)
    #expect(abs(degrees(try actor(s, "a").heading) - 135) < 1e-9)
    #expect(abs(degrees(try actor(s, "b").heading) - 135) < 1e-9)
  }

  /// test_beyond_from: `beyond 5@0 by 20 from 5@10` → (5, -20); `by 15 @ 20` → (-10, -20).
  @Test func beyondFrom() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (50m, 50m, 0m)
          let a = Box beyond (5m, 0m, 0m) by 20m from (5m, 10m, 0m)
          let b = Box beyond (5m, 0m, 0m) by (20m, -15m, 0m) from (5m, 10m, 0m)
      }
      """)
    #expect(near(try actor(s, "a").position, (5, -20, 0)))
    #expect(near(try actor(s, "b").position, (-10, -20, 0)))
  }

  /// test_on_modifying_object: `in air_region, on floor` keeps the drawn x, y and stands
  /// the object on the floor's top.
  @Test func withinThenOnFloor() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box within cuboid(center: (0m, 0m, 15m), size: (30m, 30m, 30m))
              on cuboid(center: (0m, 0m, 0m), size: (40m, 40m, 0.1m))
      }
      """, count: 30)
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(abs(p.x) <= 15 && abs(p.y) <= 15 && abs(p.z - 0.05) < 1e-12)
    }
    #expect(Set(scenes.compactMap { $0.actors.first?.position.x }).count > 20)
  }

  /// test_left_of_oriented_point, test_right_of_oriented_point, test_ahead_of_oriented_point,
  /// test_behind_oriented_point: Scenic's target faces -90 deg (scn 0deg); the object takes
  /// its heading and touches it with its own half size. test_apparent_heading_from with
  /// Scenic's OrientedPoint at 10@15 facing -60 deg (scn 30deg): -105 deg.
  @Test func orientedPointsAsValues() throws {
    let s = try only("""
      scenario S {
          let target = (0m, 0m, 0m) facing 0deg
          let op = (10m, 15m, 0m) facing 30deg
          ego l = Box { size: (1m, 1m, 1m) } left of target
          let r = Box { size: (1m, 1m, 1m) } right of target
          let a = Box { size: (1m, 1m, 1m) } ahead of target
          let b = Box { size: (1m, 1m, 1m) } behind target
          let both = Box ahead of op by 2m left of op by 1m
          let ahf = Box at (0m, 70m, 0m) facing apparent heading of op from (15m, 10m, 0m)
          let rh = Box at (0m, 80m, 0m) facing relative heading of op from l
          let m = Box at op.position + (0m, 0m, 5m) facing op.heading
          allow overlap
      }
      """)
    for (name, p) in [("l", (0.0, 0.5, 0.0)), ("r", (0, -0.5, 0)), ("a", (0.5, 0, 0)), ("b", (-0.5, 0, 0))] {
      let x = try actor(s, name)
      #expect(near(x.position, p), "\(name)")
      #expect(abs(x.heading) < 1e-12, "\(name)")
    }
    let both = try actor(s, "both")
    let c = cos(Double.pi / 6), sn = sin(Double.pi / 6)
    #expect(near(both.position, (10 + 2 * c - sn, 15 + 2 * sn + c, 0)))
    #expect(abs(degrees(both.heading) - 30) < 1e-9)
    #expect(abs(degrees(try actor(s, "ahf").heading) - (-105)) < 1e-9)
    #expect(abs(degrees(try actor(s, "rh").heading) - 30) < 1e-9)
    let m = try actor(s, "m")
    #expect(near(m.position, (10, 15, 5)) && abs(degrees(m.heading) - 30) < 1e-9)
  }

  /// test_relative_heading, test_relative_heading_from, test_apparent_heading,
  /// test_apparent_heading_from, test_angle, test_angle_from, test_distance,
  /// test_distance_from: the value is carried by an actor's heading or position.
  @Test func headingAndDistanceOperators() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (0m, 0m, 0m) facing 120deg
          let other = Box at (10m, 10m, 0m) facing 155deg
          let op = Box at (10m, 15m, 0m) facing 30deg
          let rh = Box at (0m, 40m, 0m) facing relative heading of other
          let rhf = Box at (0m, 50m, 0m) facing relative heading of 70deg from -10deg
          let ah = Box at (0m, 60m, 0m) facing apparent heading of other
          let ahf = Box at (0m, 70m, 0m) facing apparent heading of op from (15m, 10m, 0m)
          let an = Box at (0m, 80m, 0m) facing angle to other
          let anf = Box at (0m, 90m, 0m) facing angle from (2m, 4m, 0m) to (3m, 5m, 0m)
          let d = Box at (distance to other, 100m, 0m)
          let df = Box at (distance from (-3m, 2m, 0m) to (4m, 5m, 0m), 110m, 0m)
          let dp = Box at (distance past other, 120m, 0m)
          let dpo = Box at (distance past (0m, 0m, 0m) of other, 130m, 0m)
          allow overlap
      }
      """)
    #expect(abs(degrees(try actor(s, "rh").heading) - 35) < 1e-9)
    #expect(abs(degrees(try actor(s, "rhf").heading) - 80) < 1e-9)
    #expect(abs(degrees(try actor(s, "ah").heading) - 110) < 1e-9)
    // Scenic: -60 - 45 (headings relative, so frame-free): op faces scn 30deg, sight line 135deg.
    #expect(abs(degrees(try actor(s, "ahf").heading) - (30 - 135)) < 1e-9)
    #expect(abs(degrees(try actor(s, "an").heading) - 45) < 1e-9)
    #expect(abs(degrees(try actor(s, "anf").heading) - 45) < 1e-9)
    #expect(abs(try actor(s, "d").position.x - hypot(10, 10)) < 1e-9)
    #expect(abs(try actor(s, "df").position.x - hypot(7, 3)) < 1e-9)
    // e faces 120deg: (10, 10) lies 10cos120 + 10sin120 ahead of it.
    let past = 10 * cos(120 * Double.pi / 180) + 10 * sin(120 * Double.pi / 180)
    #expect(abs(try actor(s, "dp").position.x - past) < 1e-9)
    let pastOf = -10 * cos(155 * Double.pi / 180) - 10 * sin(155 * Double.pi / 180)
    #expect(abs(try actor(s, "dpo").position.x - pastOf) < 1e-9)
  }

  /// `front of X`, `back left of X`, `top of X` …: points of X's box (bottom height).
  @Test func boxPoints() throws {
    let s = try only("""
      scenario S {
          ego car = Box { size: (4m, 2m, 1.5m) } at (10m, 5m, 1m) facing 90deg
          let f = Box { size: (0.1m, 0.1m, 0.1m) } at front of car
          let b = Box { size: (0.1m, 0.1m, 0.1m) } at back of car
          let l = Box { size: (0.1m, 0.1m, 0.1m) } at left of car
          let r = Box { size: (0.1m, 0.1m, 0.1m) } at right of car
          let fl = Box { size: (0.1m, 0.1m, 0.1m) } at front left of car
          let br = Box { size: (0.1m, 0.1m, 0.1m) } at back right of car
          let t = Box { size: (0.1m, 0.1m, 0.1m) } at top of car
          let bo = Box { size: (0.1m, 0.1m, 0.1m) } at bottom of car
          allow overlap
      }
      """)
    #expect(near(try actor(s, "f").position, (10, 7, 1)))
    #expect(near(try actor(s, "b").position, (10, 3, 1)))
    #expect(near(try actor(s, "l").position, (9, 5, 1)))
    #expect(near(try actor(s, "r").position, (11, 5, 1)))
    #expect(near(try actor(s, "fl").position, (9, 7, 1)))
    #expect(near(try actor(s, "br").position, (11, 3, 1)))
    #expect(near(try actor(s, "t").position, (10, 5, 2.5)))
    #expect(near(try actor(s, "bo").position, (10, 5, 1)))
  }
}
