import Foundation
import ScnEncoding
import ScnGeometry
import ScnRuntime
import Testing

/// Pitch and roll: translations of Scenic 3's 3-D placement tests (`test_specifiers.py`,
/// docs/scenic-coverage.md maps each). A Scenic orientation `(Y, P, R)` is scn's
/// `(Y + 90deg, -P, R)` (scn's heading 0 faces +x and its positive pitch lowers the front);
/// a Scenic local vector `(right, forward, up)` is scn's `(forward, -right, up)`. World
/// coordinates are the same. Scenic positions are box centres, scn's bottom centres: where a
/// pitched or rolled actor is placed relative to a plain point, the scn point and the
/// expected position are Scenic's minus `up × height / 2` (up: the actor's own z axis).
@Suite struct OrientationTests {
  func only(_ source: String) throws -> Scene {
    try #require(try SamplerSupport.scenes(source, count: 1).first)
  }

  func actor(_ scene: Scene, _ name: String) throws -> Scene.Actor {
    try #require(scene.actors.first { $0.name == name }, "no actor \(name)")
  }

  func near(_ a: Vec3, _ b: (Double, Double, Double), _ tolerance: Double = 1e-9) -> Bool {
    abs(a.x - b.0) < tolerance && abs(a.y - b.1) < tolerance && abs(a.z - b.2) < tolerance
  }

  /// Whether two rotations turn the axes alike.
  func same(_ a: Quaternion, _ b: Quaternion) -> Bool {
    [Vec3.unitX, .unitY, .unitZ].allSatisfy { (a.rotate($0) - b.rotate($0)).length < 1e-9 }
  }

  func rotation(_ yaw: Double, _ pitch: Double, _ roll: Double) -> Quaternion {
    Quaternion(yaw: yaw * .pi / 180, pitch: pitch * .pi / 180, roll: roll * .pi / 180)
  }

  /// test_facing_orientation: `facing (90 deg, 90 deg, 90 deg)`; the fields hold the angles.
  @Test func facingAnOrientation() throws {
    let s = try only("""
      scenario S {
          ego e = Box facing (180deg, -90deg, 90deg)
      }
      """)
    let e = try actor(s, "e")
    #expect(same(e.rotation, rotation(180, -90, 90)))
    #expect(abs(e.heading - .pi) < 1e-12 && abs(e.pitch + .pi / 2) < 1e-12 && abs(e.roll - .pi / 2) < 1e-12)
    // The sampled fields say the same (scene JSON, `samples.jsonl`).
    let json = s.json().compact
    #expect(json.contains("\"pitch\""), "\(json)")
  }

  /// test_offset_by_3d, _2, _3: offsets in the ego's full frame; the actor takes the ego's
  /// orientation (Scenic's parent orientation).
  @Test func offsetByUsesTheEgosFullFrame() throws {
    for (at, facing, by, expected): ((Double, Double, Double), (Double, Double, Double), (Double, Double, Double),
                                     (Double, Double, Double)) in [
      ((10, 10, 0), (180, 0, 90), (15, -5, 20), (-5, 30, -5)),
      ((10, 10, 10), (180, -90, 90), (15, -25, 20), (-15, 30, 25)),
      ((10, 40, 35), (180, -90, 90), (10, -5, 15), (5, 55, 45)),
    ] {
      let s = try only("""
        scenario S {
            ego e = Box at (\(at.0)m, \(at.1)m, \(at.2)m) facing (\(facing.0)deg, \(facing.1)deg, \(facing.2)deg)
            let b = Box offset by (\(by.0)m, \(by.1)m, \(by.2)m)
            allow overlap
        }
        """)
      let b = try actor(s, "b")
      #expect(near(b.position, expected, 1e-9), "\(b.position) for \(facing)")
      #expect(same(b.rotation, rotation(facing.0, facing.1, facing.2)))
    }
  }

  /// test_offset_along_3d: `offset along (90 deg, 0, 90 deg) by (-10, 5, 20)` and
  /// `(90 deg, 90 deg, 90 deg)`.
  @Test func offsetAlongAnOrientation() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (10m, 40m, 20m)
          let a = Box offset along (180deg, 0deg, 90deg) by (5m, 10m, 20m)
          let b = Box offset along (180deg, -90deg, 90deg) by (5m, 10m, 20m)
          allow overlap
      }
      """)
    #expect(near(try actor(s, "a").position, (5, 60, 30)))
    #expect(near(try actor(s, "b").position, (20, 60, 25)))
  }

  /// test_left_of_vector_3d, test_right_of_vector_3d, test_ahead_of_vector_3d (with the
  /// `with length 10` case of test_ahead_of_vector_by_3d), test_behind_vector_3d: an actor
  /// facing Scenic's (90 deg, 0, 90 deg), whose up axis is +y, beside the point
  /// (10, 20, 15) (scn's (10, 19.5, 15) for a 1 m actor, (10, 19.5, 15) also for the long
  /// ones, whose height is 1 m).
  @Test func relativeToAPointInTheActorsFullFrame() throws {
    let s = try only("""
      scenario S {
          ego left = Box { size: (1m, 1m, 1m) } left of (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          let right = Box { size: (1m, 1m, 1m) } right of (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          let ahead = Box { size: (1m, 1m, 1m) } ahead of (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          let long_ahead = Box { size: (10m, 1m, 1m) } ahead of (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          let behind = Box { size: (1m, 1m, 1m) } behind (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          let long_behind = Box { size: (10m, 1m, 1m) } behind (10m, 19.5m, 15m) facing (180deg, 0deg, 90deg)
          allow overlap
      }
      """)
    // Scenic's centres minus up × 0.5 m.
    #expect(near(try actor(s, "left").position, (10, 19.5, 15.5)))
    #expect(near(try actor(s, "right").position, (10, 19.5, 14.5)))
    #expect(near(try actor(s, "ahead").position, (9.5, 19.5, 15)))
    #expect(near(try actor(s, "long_ahead").position, (5, 19.5, 15)))
    #expect(near(try actor(s, "behind").position, (10.5, 19.5, 15)))
    #expect(near(try actor(s, "long_behind").position, (15, 19.5, 15)))
  }

  /// test_above_vector_3d, test_above_vector_by_3d, test_below_vector_3d,
  /// test_below_vector_by_3d: along the actor's own up axis; `by` is the gap.
  @Test func aboveAndBelowAPointAlongTheActorsUpAxis() throws {
    let s = try only("""
      scenario S {
          ego a = Box { size: (1m, 1m, 1m) } above (10m, 20m, 15m)
          let a_tall = Box { size: (1m, 1m, 10m) } above (10m, 20m, 15m) facing (180deg, 0deg, 90deg)
          let a_by = Box { size: (1m, 1m, 1m) } above (10m, 20m, 15m) by 20m
          let a_tall_by = Box { size: (1m, 1m, 10m) } above (10m, 20m, 15m) by 20m facing (180deg, 0deg, 90deg)
          let b = Box { size: (1m, 1m, 1m) } below (10m, 20m, 15m)
          let b_tall = Box { size: (1m, 1m, 10m) } below (10m, 20m, 15m) facing (180deg, 0deg, 90deg)
          let b_by = Box { size: (1m, 1m, 1m) } below (10m, 20m, 15m) by 20m
          let b_tall_by = Box { size: (1m, 1m, 10m) } below (10m, 20m, 15m) by 20m facing (180deg, 0deg, 90deg)
          allow overlap
      }
      """)
    // Scenic's centres (10, 20, 15.5), (10, 25, 15), (10, 20, 35.5), (10, 45, 15),
    // (10, 20, 14.5), (10, 15, 15), (10, 20, -5.5), (10, -5, 15), minus up × height / 2.
    #expect(near(try actor(s, "a").position, (10, 20, 15)))
    #expect(near(try actor(s, "a_tall").position, (10, 20, 15)))
    #expect(near(try actor(s, "a_by").position, (10, 20, 35)))
    #expect(near(try actor(s, "a_tall_by").position, (10, 40, 15)))
    #expect(near(try actor(s, "b").position, (10, 20, 14)))
    #expect(near(try actor(s, "b_tall").position, (10, 10, 15)))
    #expect(near(try actor(s, "b_by").position, (10, 20, -6)))
    #expect(near(try actor(s, "b_tall_by").position, (10, -10, 15)))
  }

  /// test_above_oriented_point, test_below_oriented_point, test_above_object,
  /// test_below_object: a reference pitched up 90 deg (Scenic's (0, 90 deg, 0), scn's
  /// (90deg, -90deg, 0deg)) has its up axis along -y; the actor takes its orientation.
  @Test func aboveAndBelowAPitchedReference() throws {
    let s = try only("""
      scenario S {
          let target = (0m, 0m, 0m) facing (90deg, -90deg, 0deg)
          ego t = Box { size: (1m, 1m, 1m) } at (0m, 0m, 0m) facing (90deg, -90deg, 0deg)
          let above_point = Box { size: (1m, 1m, 1m) } above target
          let below_point = Box { size: (1m, 1m, 1m) } below target
          let above_actor = Box { size: (1m, 1m, 1m) } above t
          let below_actor = Box { size: (1m, 1m, 1m) } below t
          allow overlap
      }
      """)
    // Scenic's centres (0, -0.5, 0), (0, 0.5, 0), (0, -1, 0), (0, 1, 0) (less the contact
    // tolerance), minus up × 0.5 m; for the actor, both bottoms move alike.
    #expect(near(try actor(s, "above_point").position, (0, 0, 0)))
    #expect(near(try actor(s, "below_point").position, (0, 1, 0)))
    #expect(near(try actor(s, "above_actor").position, (0, -1, 0)))
    #expect(near(try actor(s, "below_actor").position, (0, 1, 0)))
    for name in ["above_point", "below_point", "above_actor", "below_actor"] {
      #expect(same(try actor(s, name).rotation, rotation(90, -90, 0)), "\(name)")
    }
  }

  /// An actor relative to a pitched actor: offsets in its full frame, orientation taken.
  @Test func aheadOfAPitchedActor() throws {
    let s = try only("""
      scenario S {
          ego ramp = Box { size: (2m, 1m, 1m) } at (0m, 0m, 0m) facing (0deg, -30deg, 0deg)
          let a = Box { size: (2m, 1m, 1m) } ahead of ramp
          let b = Box { size: (2m, 1m, 1m) } ahead of ramp facing 90deg
          allow overlap
      }
      """)
    let a = try actor(s, "a")
    // Nose up 30deg: forward is (cos 30, 0, sin 30); touching, 2 m centre to centre.
    #expect(near(a.position, (2 * cos(Double.pi / 6), 0, 2 * sin(Double.pi / 6))))
    #expect(same(a.rotation, rotation(0, -30, 0)))
    // `facing H` gives the heading; pitch and roll then come from the fields (0).
    let b = try actor(s, "b")
    #expect(same(b.rotation, rotation(90, 0, 0)))
  }

  /// test_facing_directly_toward, test_facing_directly_away_from: yaw and pitch along the
  /// 3-D line (Scenic's yaw −45 deg, pitch 45 deg are scn's 45deg and −45deg); roll 0.
  /// test_facing_toward, test_facing_away_from: the yaw only.
  @Test func facingDirectlyTowardAndAwayFrom() throws {
    let s = try only("""
      scenario S {
          ego t = Box at (0m, 0m, 0m) facing directly toward (sqrt(0.5) * 1m, sqrt(0.5) * 1m, 1m)
          let a = Box at (0m, 0m, 0m) facing directly away from (sqrt(0.5) * 1m, sqrt(0.5) * 1m, 1m)
          let f = Box at (0m, 0m, 0m) facing toward (sqrt(0.5) * 1m, sqrt(0.5) * 1m, 1m)
          allow overlap
      }
      """)
    let t = try actor(s, "t"), a = try actor(s, "a"), f = try actor(s, "f")
    #expect(abs(t.heading - .pi / 4) < 1e-12 && abs(t.pitch + .pi / 4) < 1e-12 && t.roll == 0)
    #expect(abs(a.heading + 3 * .pi / 4) < 1e-12 && abs(a.pitch - .pi / 4) < 1e-12 && a.roll == 0)
    #expect(abs(f.heading - .pi / 4) < 1e-12 && f.pitch == 0 && f.roll == 0)
    // The front of `t` points at the target.
    let forward = t.rotation.rotate(.unitX)
    #expect((forward - Vec3(0.5, 0.5, 0.5.squareRoot())).length < 1e-12)
  }

  /// test_beyond_3d, test_beyond_from_3d: along the 3-D line of sight, `by (0, 10, 0)`
  /// (scn's `(10m, 0m, 0m)`: 10 m further along it).
  @Test func beyondAlongTheLineOfSight() throws {
    let s = try only("""
      scenario S {
          ego e = Box at (10m, 5m, 15m)
          let a = Box beyond (11m, 6m, 15m + sqrt(2.0) * 1m) by (10m, 0m, 0m)
          let b = Box beyond (11m, 6m, 15m + sqrt(2.0) * 1m) by (10m, 0m, 0m) from (10m, 5m, 15m)
          allow overlap
      }
      """)
    let z = 15 + 2.0.squareRoot() + 10 / 2.0.squareRoot()
    #expect(near(try actor(s, "a").position, (16, 11, z)))
    #expect(near(try actor(s, "b").position, (16, 11, z)))
  }

  /// Oriented points carry the whole orientation: members and relative placement.
  @Test func orientedPointsCarryPitchAndRoll() throws {
    let s = try only("""
      scenario S {
          let op = (1m, 2m, 3m) facing (90deg, 10deg, 20deg)
          ego m = Box at op.position facing (op.heading, op.pitch, op.roll)
          let a = Box { size: (1m, 1m, 1m) } ahead of op
          allow overlap
      }
      """)
    let want = rotation(90, 10, 20)
    #expect(same(try actor(s, "m").rotation, want))
    let a = try actor(s, "a")
    #expect(same(a.rotation, want))
    let expected = Vec3(1, 2, 3) + want.rotate(Vec3(0.5, 0, 0))
    #expect((a.position - expected).length < 1e-9)
  }

  /// Physics: a fixed prop keeps its orientation for the whole run; a dynamic prop starts
  /// from its own (frame 0) and, tipped 30deg onto one edge in the air, falls and settles
  /// flat on a face; a vehicle starts level at its heading.
  @Test func physicsStartsFromThePitch() throws {
    let source = """
      import std.vehicles
      scenario S {
          ego fixture = Box { fixed: true, size: (1m, 1m, 0.2m) } at (5m, 0m, 0m) facing (0deg, 0deg, 20deg)
          let tipped = Box { size: (0.4m, 0.4m, 0.4m) } at (0m, 0m, 0.5m) facing (0deg, 30deg, 0deg)
          let car = Car at (0m, 10m, 0m) facing (90deg, 10deg, 0deg)
          simulate 2s at 100Hz
      }
      """
    let (scene, trace) = try SimulationSupport.trace(source)
    let fixture = try SimulationSupport.actor(scene, "fixture"), tipped = try SimulationSupport.actor(scene, "tipped")
    let car = try SimulationSupport.actor(scene, "car")
    let first = try #require(trace.frames.first), last = try #require(trace.frames.last)
    #expect(trace.frames.allSatisfy { same($0.actors[fixture].rotation, rotation(0, 0, 20)) })
    #expect(same(first.actors[tipped].rotation, rotation(0, 30, 0)))
    // At rest on a face: its up axis is one of its own axes pointing straight up or down.
    let rest = last.actors[tipped].rotation
    let upright = [Vec3.unitX, .unitY, .unitZ].contains { abs(abs(rest.rotate($0).z) - 1) < 0.01 }
    #expect(upright, "\(rest)")
    #expect(same(first.actors[car].rotation, rotation(90, 0, 0)))
  }

  /// An actor's view cone turns with it: rolled 90deg, its 60deg wedge stands upright, so it
  /// sees a point 45deg to its left (which a level one does not) and no longer one 45deg up.
  @Test func viewConesTurnWithTheActor() throws {
    // One viewer and nothing random: the one attempt is accepted only if the requirement holds.
    func accepted(_ facing: String, _ requirement: String) throws -> Bool {
      let source = """
        scenario S {
            ego viewer = Box { size: (0.02m, 0.02m, 0.02m), view_angle: 60deg } at (0m, 0m, 0m) facing \(facing)
            require \(requirement)
        }
        """
      return try SamplerSupport.sampler(source, SamplerOptions(maxAttempts: 1)).run(start: 0, count: 1).failure == nil
    }
    let level = "0deg", rolled = "(0deg, 0deg, 90deg)"
    #expect(try accepted(level, "not (viewer can see (10m, 10m, 0.01m))"))
    #expect(try accepted(rolled, "viewer can see (10m, 10m, 0.01m)"))
    #expect(try accepted(level, "viewer can see (10m, 0m, 10m)"))
    #expect(try accepted(rolled, "not (viewer can see (10m, 0m, 10m))"))
    // And the check can fail: the opposite requirements are rejected.
    #expect(try !accepted(rolled, "viewer can see (10m, 0m, 10m)"))
    #expect(try !accepted(level, "viewer can see (10m, 10m, 0.01m)"))
  }

  /// `contained in R` tests the footprint of the turned box: a 2 m post standing up (pitched
  /// 90deg) fits a disc of radius 0.6 m, lying level it never does.
  @Test func containedInTestsTheTurnedFootprint() throws {
    let standing = """
      scenario S {
          ego post = Box { size: (2m, 0.3m, 0.3m) } contained in circle((0m, 0m, 0m), 0.6m) facing (0deg, -90deg, 0deg)
      }
      """
    let scenes = try SamplerSupport.scenes(standing, count: 20, SamplerOptions(maxAttempts: 2_000))
    for s in scenes {
      let post = try actor(s, "post")
      for x in [-1.0, 1.0] {
        for y in [-1.0, 1.0] {
          for z in [0.0, 1.0] {
            let corner = post.position + post.rotation.rotate(Vec3(x * 1, y * 0.15, z * 0.3))
            #expect((corner.x * corner.x + corner.y * corner.y).squareRoot() <= 0.6 + 1e-9)
          }
        }
      }
    }
    let lying = standing.replacingOccurrences(of: "facing (0deg, -90deg, 0deg)", with: "facing 0deg")
    #expect(throws: (any Error).self) { try SamplerSupport.scenes(lying, count: 1, SamplerOptions(maxAttempts: 200)) }
  }

  /// The overlap test reads the full rotation (the same parts as the scene model): a 2 m
  /// box pitched nose up 90deg about its bottom centre 1 m up spans z 0…2 m and x −0.5…0 m,
  /// so a box at 1.6 m above x = −0.25 m overlaps it; lying level (z 1…1.5 m) it does not.
  @Test func pitchedPartsOverlapAsTheyStand() throws {
    let standing = """
      scenario S {
          ego post = Box { size: (2m, 0.5m, 0.5m) } at (0m, 0m, 1m) facing (0deg, -90deg, 0deg)
          let lid = Box { size: (0.4m, 0.4m, 0.4m) } at (-0.25m, 0m, 1.6m)
      }
      """
    #expect(throws: (any Error).self) { try SamplerSupport.scenes(standing, count: 1, SamplerOptions(maxAttempts: 20)) }
    let lying = standing.replacingOccurrences(of: "facing (0deg, -90deg, 0deg)", with: "facing 0deg")
    #expect(try SamplerSupport.scenes(lying, count: 1).count == 1)
  }
}
