import Foundation
import ScnGeometry
import Testing

@testable import ScnRuntime

/// Heading fields (`heading_field(f)`, `F at P`, `A relative to B`, `facing F`,
/// `following F from P for D`), with translations of Scenic 3's `test_specifiers.py`,
/// `test_operators.py` and `test_distributions.py` rows that use a `VectorField`
/// (docs/scenic-coverage.md maps each). Fields here are written in scn's headings (0 faces
/// +x), so Scenic's sums (`0.5 relative to vf`) hold with the same numbers.
@Suite struct HeadingFieldTests {
  func actor(_ scene: Scene, _ name: String) throws -> Scene.Actor {
    try #require(scene.actors.first { $0.name == name }, "no actor \(name)")
  }

  func one(_ body: String, functions: String = "") throws -> Scene {
    let scenes = try SamplerSupport.scenes(functions + "\nscenario S {\n" + body + "\n}\n", count: 1)
    return try #require(scenes.first)
  }

  static let swirl = "fn swirl(p: Position) -> Angle = 3rad * (p.x / 1m)\n"

  /// test_facing_vf_2d: `facing vf` reads the field at the actor's position.
  @Test func facingAFieldReadsItAtThePosition() throws {
    let s = try one(
      "ego e = Box at (1m, 5m, 0m) facing heading_field(f)",
      functions: "fn f(p: Position) -> Angle = (100 * (p.x / 1m) + 10 * (p.y / 1m)) * 1deg")
    #expect(abs(try actor(s, "e").heading - 150 * .pi / 180) < 1e-12)
  }

  /// test_facing_vf_3d: a field of orientations gives yaw, pitch and roll.
  @Test func facingAThreeDimensionalField() throws {
    let s = try one(
      "ego e = Box at (1m, 5m, 3m) facing heading_field(f)",
      functions: "fn f(p: Position) -> (Angle, Angle, Angle) = ((p.x / 1m) * 1deg, (p.y / 1m) * 1deg, (p.z / 1m) * 1deg)")
    let e = try actor(s, "e")
    #expect(abs(e.heading - 1 * .pi / 180) < 1e-12)
    #expect(abs(e.pitch - 5 * .pi / 180) < 1e-12)
    #expect(abs(e.roll - 3 * .pi / 180) < 1e-12)
  }

  /// test_field_at_vector, test_field_at_vector_3d: `vf at P` is the field's heading at P
  /// (a 3-D field's yaw).
  @Test func fieldAtAPoint() throws {
    let s = try one(
      """
      let vf = heading_field(f)
      ego e = Box facing (vf at (0.02m, -1m, 0m))
      let g = Box at (5m, 0m, 0m) facing (heading_field(t) at (1m, 5m, 3m))
      """,
      functions: """
        fn f(p: Position) -> Angle = (3 * (p.x / 1m) + p.y / 1m) * 1rad
        fn t(p: Position) -> (Angle, Angle, Angle) = ((p.x / 1m) * 1deg, (p.y / 1m) * 1deg, (p.z / 1m) * 1deg)
        """)
    #expect(abs(try actor(s, "e").heading - (3 * 0.02 - 1)) < 1e-12)
    #expect(abs(try actor(s, "g").heading - 1 * .pi / 180) < 1e-12)
  }

  /// test_heading_relative_to_field, test_field_relative_to_heading,
  /// test_field_relative_to_field, test_heading_relative_to_heading(_lazy): the field is
  /// read at the actor's own position, however deep the `relative to` nests.
  @Test func relativeToFields() throws {
    let s = try one(
      """
      let vf = heading_field(swirl)
      ego a = Box at (0.07m, 0m, 0m) facing 0.5rad relative to vf
      let b = Box at (0.07m, 10m, 0m) facing vf relative to 0.5rad
      let c = Box at (0.07m, 20m, 0m) facing vf relative to vf
      let d = Box at (0m, 30m, 0m) facing 0.5rad relative to -0.3rad
      let e = Box at (0m, 40m, 0m) facing 0.5rad relative to (0.5rad relative to heading_field(half))
      """,
      functions: Self.swirl + "fn half(p: Position) -> Angle = 0.5rad\n")
    #expect(abs(try actor(s, "a").heading - (0.5 + 3 * 0.07)) < 1e-12)
    #expect(abs(try actor(s, "b").heading - (0.5 + 3 * 0.07)) < 1e-12)
    #expect(abs(try actor(s, "c").heading - 2 * (3 * 0.07)) < 1e-12)
    #expect(abs(try actor(s, "d").heading - 0.2) < 1e-12)
    #expect(abs(try actor(s, "e").heading - 1.5) < 1e-12)
  }

  /// test_orientation_relative_to_orientation, test_heading_relative_to_orientation: the
  /// rotations compose (the right operand first).
  @Test func orientationsCompose() throws {
    let s = try one(
      """
      ego a = Box at (0m, 0m, 0m) facing (0deg, 90deg, 0deg) relative to (90deg, 0deg, 0deg)
      let b = Box at (5m, 0m, 0m) facing (0deg, 90deg, 0deg) relative to 90deg
      let c = Box at (10m, 0m, 0m) facing 90deg relative to (90deg, 0deg, 0deg)
      """)
    let want = Quaternion(yaw: .pi / 2, pitch: .pi / 2, roll: 0)
    for name in ["a", "b"] {
      let r = try actor(s, name).rotation
      for v in [Vec3.unitX, .unitY, .unitZ] { #expect((r.rotate(v) - want.rotate(v)).length < 1e-9, "\(name)") }
    }
    #expect(abs(try actor(s, "c").heading - .pi) < 1e-12)
  }

  /// test_relative_to_vector(_3d), test_vector_relative_to_vector, test_relative_to_oriented_point.
  @Test func positionsRelativeToPointsAndFrames() throws {
    let s = try one(
      """
      ego a = Box at (3m, 2m, 0m) relative to (-4m, 10m, 0m)
      let b = Box at (3m, 2m, 1m) relative to (-4m, 10m, 5m)
      let op = (12m, 13m, 14m) facing 90deg
      let c = Box at ((1m, 0m, 0m) relative to op)
      """)
    #expect((try actor(s, "a").position - Vec3(-1, 12, 0)).length < 1e-12)
    #expect((try actor(s, "b").position - Vec3(-1, 12, 6)).length < 1e-12)
    // scn's local +x is forward: facing 90deg it points along +y.
    #expect((try actor(s, "c").position - Vec3(12, 14, 14)).length < 1e-12)
  }

  /// `following F from P for D` on a field with known integral curves: around the origin
  /// the curves are circles, so a quarter turn from (1, 0) ends at (0, 1) facing 180deg.
  /// The fourth-order integrator's end point is within 1e-6 m (docs/language-tour.md).
  @Test func followingAFieldAlongACircle() throws {
    let s = try one(
      """
      let around = heading_field(tangent)
      ego e = Box following around from (1m, 0m, 0m) for 1.5707963267948966m
      let p = following(around, (2m, 0m, 0m), 3.141592653589793m)
      let q = Box at p
      let r = Box following around from (0m, 3m, 0m) for 0m facing 10deg
      """,
      functions: "fn tangent(p: Position) -> Angle = atan2(p.y, p.x) + 90deg\n")
    let e = try actor(s, "e")
    #expect((e.position - Vec3(0, 1, 0)).length < 1e-6)
    #expect(abs(e.heading - .pi) < 1e-6)
    #expect((try actor(s, "q").position - Vec3(0, 2, 0)).length < 1e-6)
    let r = try actor(s, "r")
    #expect((r.position - Vec3(0, 3, 0)).length < 1e-12)
    #expect(abs(r.heading - 10 * .pi / 180) < 1e-12)
  }

  /// test_following_random: a constant field (Scenic's -90deg, scn's 0deg) from 1@2 for a
  /// random x, `facing x`: the same draw gives both.
  @Test func followingARandomDistance() throws {
    let scenes = try SamplerSupport.scenes(
      """
      fn east(p: Position) -> Angle = 0deg
      scenario S {
          let x = uniform(1.0, 2.0)
          ego e = Box following heading_field(east) from (1m, 2m, 0m) for x * 1m facing x * 1rad
      }
      """, count: 20)
    let es = try scenes.map { try actor($0, "e") }
    for e in es {
      #expect(abs(e.position.x - (1 + e.heading)) < 1e-9)
      #expect(abs(e.position.y - 2) < 1e-12)
    }
    #expect(Set(es.map(\.heading)).count == 20)
  }

  /// Without `from`, `following` starts at ego.
  @Test func followingFromEgo() throws {
    let s = try one(
      """
      ego e = Box at (1m, 1m, 0m)
      let f = Box following heading_field(north) for 4m
      """,
      functions: "fn north(p: Position) -> Angle = 90deg\n")
    let f = try actor(s, "f")
    #expect((f.position - Vec3(1, 5, 0)).length < 1e-9)
    #expect(abs(f.heading - .pi / 2) < 1e-12)
  }

  /// A field function that is not finite at the point read is E0534 at the read.
  @Test func nonFiniteFieldIsAnError() throws {
    let run = try SamplerSupport.sampler(
      """
      fn bad(p: Position) -> Angle = 1rad / (p.x / 1m)
      scenario S {
          ego e = Box at (0m, 0m, 0m) facing heading_field(bad)
      }
      """
    ).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(["E0534", "E0503", "E0509"].contains(failure.diagnostic.code.rawValue))
  }

  /// Scenic's `lazyTestScenario`: `x = (0 relative to vf).yaw` with `vf = 2 * pos.x` and the
  /// ego at 0.5 @ 0, so x is 1. scn reads the field at the ego's position explicitly
  /// (`F at ego.position`); the laws are then Scenic's: test_range_lazy, test_normal_lazy,
  /// test_truncated_normal_lazy, test_uniform_discrete_lazy, test_options_lazy,
  /// test_operator_lazy, test_function_lazy, test_function_lazy_2.
  @Test func lazyDistributionsReadTheFieldAtTheActor() throws {
    let scenes = try SamplerSupport.scenes(
      """
      fn twice(p: Position) -> Angle = 2rad * (p.x / 1m)
      actor Out : Box { output: Float = 0.0 }
      scenario S {
          allow overlap
          let vf = heading_field(twice)
          ego e = Box at (0.5m, 0m, 0m)
          let x = ((0rad relative to vf) at e.position) / 1rad
          let o_x = Out { output: x } at (0m, 5m, 0m)
          let o_range = Out { output: uniform(0.0, x) } at (0m, 10m, 0m)
          let o_normal = Out { output: normal(-5.0, x) } at (0m, 15m, 0m)
          let o_trunc = Out { output: truncnormal(100.0, 1 + x, 96.0, 99.0) } at (0m, 20m, 0m)
          let o_discrete = Out { output: one_of(1.2, x) } at (0m, 25m, 0m)
          let o_options = Out { output: choice { 1: 0.0, 9: x } } at (0m, 30m, 0m)
          let o_operator = Out { output: one_of(0.0, 1.0) * x } at (0m, 35m, 0m)
          let o_function = Out { output: sqrt(one_of(25.0, 1225.0) + 144 * x * x) } at (0m, 40m, 0m)
          let o_function2 = Out { output: sin((x + one_of(-1.0, 0.0)) * 90deg) } at (0m, 45m, 0m)
      }
      """, count: 400)
    func values(_ p: String) -> [Double] {
      scenes.compactMap { s in
        s.actors.first { $0.name == "o_" + p }?.fields.first { $0.name == "output" }?.value.asDouble
      }
    }
    #expect(values("x").allSatisfy { abs($0 - 1) < 1e-12 })
    let range = values("range")
    #expect(range.count == 400 && range.allSatisfy { 0 <= $0 && $0 <= 1 })
    #expect(range.contains { $0 < 0.5 } && range.contains { $0 > 0.5 })
    let normal = values("normal")
    #expect(normal.allSatisfy { -15 <= $0 && $0 <= 5 } && normal.contains { $0 < -5 } && normal.contains { $0 > -5 })
    let trunc = values("trunc")
    #expect(trunc.allSatisfy { 96 <= $0 && $0 <= 99 } && trunc.contains { $0 < 98 } && trunc.contains { $0 > 98 })
    let discrete = values("discrete")
    #expect(discrete.allSatisfy { $0 == 1.2 || abs($0 - 1) < 1e-12 })
    #expect(discrete.contains(1.2) && discrete.contains { abs($0 - 1) < 1e-12 })
    // Scenic: 145 <= sum < 200 of 200 draws with weights 1 : 9; here of 400.
    let ones = values("options").filter { abs($0 - 1) < 1e-12 }.count
    #expect(values("options").allSatisfy { $0 == 0 || abs($0 - 1) < 1e-12 })
    #expect(ones >= 290 && ones < 400)
    for (name, a, b) in [("operator", 0.0, 1.0), ("function", 13.0, 37.0), ("function2", 0.0, 1.0)] {
      let xs = values(name)
      #expect(xs.allSatisfy { abs($0 - a) < 1e-9 || abs($0 - b) < 1e-9 }, "\(name)")
      #expect(xs.contains { abs($0 - a) < 1e-9 } && xs.contains { abs($0 - b) < 1e-9 }, "\(name)")
    }
  }

  /// test_dynamics.py test_behavior_lazy, test_behavior_lazy_nested: a behavior reads a field
  /// at its actor (`… at self.position`); Scenic's `take k` is `do set_speed(k m/s) for 1s`.
  @Test func behaviorsReadFieldsAtTheirActor() throws {
    let field = "fn fx(p: Position) -> Angle = (p.x / 1m) * 1rad\n"
    let read = { (h: String) in "do set_speed(((\(h) relative to heading_field(fx)) at self.position) / 1rad * 1m/s) for 1s" }
    let (_, _, single) = try BehaviorFlowTests.run(
      field + "behavior Foo() {\n \(read("1rad"))\n}", steps: 1, actor: "ego b = Box at (0.5m, 0m, 0m) with behavior Foo()")
    #expect(single.count == 1 && abs((single[0] ?? .nan) - 1.5) < 1e-9)
    let behaviors = field + """
      behavior Bar() {
          \(read("1rad"))
      }
      behavior Foo() {
          do Bar()
          \(read("-1rad"))
      }
      behavior Baz() {
          do Bar()
          do Bar()
      }
      """
    let (scene, trace, ego) = try BehaviorFlowTests.run(
      behaviors, steps: 2, actor: "ego b = Box at (0.5m, 0m, 0m) with behavior Foo()",
      extra: "let other = Box at (-1.25m, 0m, 0m) with behavior Baz()")
    let o = try SimulationSupport.actor(scene, "other"), b = try SimulationSupport.actor(scene, "b")
    let other = BehaviorFlowTests.actions(trace, actor: o, steps: 2)
    // Scenic's objects stand still; scn's boxes move at the speed set, so the second read is
    // at the position reached after the first step (Scenic's -0.5 and -0.25 at rest).
    let x1 = try #require(trace.frames.first { abs($0.time - 1) < 1e-9 }).actors
    #expect(ego.count == 2 && abs((ego[0] ?? .nan) - 1.5) < 1e-9)
    #expect(abs((ego[1] ?? .nan) - (-1 + x1[b].position.x)) < 1e-6, "\(ego) \(x1[b].position.x)")
    #expect(other.count == 2 && abs((other[0] ?? .nan) + 0.25) < 1e-9)
    #expect(abs((other[1] ?? .nan) - (1 + x1[o].position.x)) < 1e-6, "\(other) \(x1[o].position.x)")
  }

  /// A map's road direction is a heading field too: `H relative to town.road_direction`
  /// turns by H from the lane's direction, `town.road_direction at P` reads it, and
  /// `following` it along a lane stays on the lane's heading.
  @Test func relativeToTheRoadDirection() throws {
    let index = try #require(MapScenarioTests.town)
    let source = """
      import std.vehicles
      scenario S {
          let town = map("Town01.xodr")
          ego = Car at (100m, -2m, 0m) facing 90deg relative to town.road_direction
          let along = Box at (0m, 0m, 0m) facing (town.road_direction at (100m, -2m, 0m))
          let turned = Box at (3m, 0m, 0m) facing ((10deg relative to town.road_direction) at (100m, -2m, 0m))
      }
      """
    let scene = try #require(try MapScenarioTests.scenes(source).first)
    let expected = try #require(index.direction(at: SIMD2(100, -2)))
    let ego = try #require(scene.actors.first { $0.name == "ego" })
    #expect(abs(wrapAngle(ego.heading - expected - .pi / 2)) < 1e-9)
    func value(_ name: String) -> Double? { scene.actors.first { $0.name == name }?.heading }
    #expect(abs(wrapAngle(try #require(value("along")) - expected)) < 1e-9)
    #expect(abs(wrapAngle(try #require(value("turned")) - expected - 10 * .pi / 180)) < 1e-9)
  }
}

/// `everywhere`, `nowhere` and polyline ends: Scenic 3's `test_regions.py` rows
/// (docs/scenic-coverage.md).
@Suite struct BuiltinRegionTests {
  /// test_everywhere: a workspace of every point holds every actor; `everywhere` meets any
  /// region in that region, and contains every point.
  @Test func everywhereHoldsEverything() throws {
    let scenes = try SamplerSupport.scenes(
      """
      scenario S {
          workspace everywhere
          ego e = Box at (1000m, -50m, 0m)
          let inside = Box on intersect(everywhere, circle((3m, 5m, 0m), 2m))
          require (1e6m, 0m, 0m) in everywhere
          require not ((0m, 0m, 0m) in nowhere)
      }
      """, count: 30)
    #expect(scenes.count == 30)
    for s in scenes {
      let p = try #require(s.actors.first { $0.name == "inside" }).position
      #expect(((p.x - 3) * (p.x - 3) + (p.y - 5) * (p.y - 5)).squareRoot() <= 2 + 1e-9)
    }
  }

  /// test_polyline_start, test_polyline_end: `r.start` and `r.end` are oriented points at the
  /// ends, facing along the first and last segments (Scenic's -135deg and -45deg are scn's
  /// -45deg and 45deg).
  @Test func polylineEnds() throws {
    let scenes = try SamplerSupport.scenes(
      """
      scenario S {
          let r = polyline([(1m, 1m, 0m), (3m, -1m, 0m), (6m, 2m, 0m)], 0m)
          let pt = r.start
          ego e = Box at pt.position facing pt.heading
          let f = Box at r.end.position facing r.end.heading
          let up = polyline([(0m, 0m, 0m), (1m, 1m, 1.4142135623730951m)], 0m).start
          let g = Box at (20m, 0m, 0m) facing (up.heading, up.pitch, up.roll)
      }
      """, count: 1)
    let s = try #require(scenes.first)
    let e = try #require(s.actors.first { $0.name == "e" })
    let f = try #require(s.actors.first { $0.name == "f" })
    let g = try #require(s.actors.first { $0.name == "g" })
    #expect((e.position - Vec3(1, 1, 0)).length < 1e-12)
    #expect(abs(e.heading + .pi / 4) < 1e-12)
    #expect((f.position - Vec3(6, 2, 0)).length < 1e-12)
    #expect(abs(f.heading - .pi / 4) < 1e-12)
    // Scenic's test_path_region_default_orientation's path climbs at 45deg: yaw 45deg
    // (Scenic -45deg), pitch up 45deg (scn's pitch is positive downwards).
    #expect(abs(g.heading - .pi / 4) < 1e-12)
    #expect(abs(g.pitch + .pi / 4) < 1e-12)
  }

  /// test_operators.py test_visible and test_not_visible: `visible R` is the part of R in
  /// ego's view (Scenic's ego faces -45deg, scn's 45deg; Scenic's RectangularRegion(100@205,
  /// 0, 10, 20) is 10 m along x and 20 m along y); `not visible R` the rest.
  @Test func visibleAndNotVisibleRegions() throws {
    let scenes = try SamplerSupport.scenes(
      """
      scenario S {
          ego e = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 10m, view_angle: 90deg } at (100m, 200m, 0m) facing 45deg
          let p = Box { size: (0.02m, 0.02m, 0.02m) } on visible rect(center: (100m, 205m, 0m), w: 20m, l: 10m)
          let q = Box { size: (0.02m, 0.02m, 0.02m) } on not visible rect(center: (100m, 200m, 0m), w: 10m, l: 10m)
          allow overlap
      }
      """, count: 50, SamplerOptions(maxAttempts: 10))
    #expect(scenes.count == 50)
    let ps = try scenes.map { s in try #require(s.actors.first { $0.name == "p" }).position }
    let qs = try scenes.map { s in try #require(s.actors.first { $0.name == "q" }).position }
    for p in ps {
      #expect(p.x >= 100 - 1e-9 && p.y >= 200 - 1e-9)
      #expect(((p.x - 100) * (p.x - 100) + (p.y - 200) * (p.y - 200)).squareRoot() <= 10 + 1e-9)
    }
    #expect(qs.allSatisfy { $0.x <= 100 + 1e-9 || $0.y <= 200 + 1e-9 })
    #expect(qs.contains { $0.x > 100 } && qs.contains { $0.y > 200 })
  }

  /// test_regions.py test_polygonal_empty_intersection: where ego's view misses the square,
  /// `on visible r1` rejects the attempt (it is not an error), so every accepted scene has
  /// the box inside both.
  @Test func visibleRegionThatMissesRejects() throws {
    let scenes = try SamplerSupport.scenes(
      """
      scenario S {
          let r1 = polygon([(0m, 0m, 0m), (10m, 0m, 0m), (10m, 10m, 0m), (0m, 10m, 0m)])
          ego e = Box { view_angle: 60deg } at (-10m, 0m, 0m) facing uniform(-90deg, 90deg)
          let b = Box { size: (0.02m, 0.02m, 0.02m) } on visible r1
      }
      """, count: 20, SamplerOptions(maxAttempts: 1_000))
    #expect(scenes.count == 20)
    for s in scenes {
      let b = try #require(s.actors.first { $0.name == "b" }).position
      #expect(b.x >= 0 && b.x <= 10 && b.y >= 0 && b.y <= 10)
    }
    #expect(scenes.contains { $0.attempts > 1 })
  }
}
