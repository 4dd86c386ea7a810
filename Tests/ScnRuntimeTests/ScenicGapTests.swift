import Foundation
import ScnGeometry
@testable import ScnRuntime
import Testing

/// Translations of the Scenic 3 syntax tests whose feature scn had but which had no test
/// yet (docs/scenic-coverage.md, "SG"): the lazy distributions of `test_distributions.py`
/// (Scenic's `lazyTestScenario`, whose `x` is a vector field read lazily at the ego, here
/// read there explicitly, as in `HeadingFieldTests.lazyDistributionsReadTheFieldAtTheActor`),
/// filtered lists that may come out empty, random choices between actors, and a few
/// operator and region cases. The laws are checked at fixed seeds (χ² and KS at α = 0.001,
/// `StatisticalChecks`).
@Suite struct ScenicGapTests {
  /// Scenic's `lazyTestScenario` prelude: `vf = 2 * pos.x` (scn: a heading field of twice
  /// the x coordinate, in radians) and the ego at x = 0.5 m, so `(o relative to vf)` read at
  /// the ego is o + 1.
  static let lazyPrelude = """
    fn twice(p: Position) -> Angle = 2rad * (p.x / 1m)
    actor Out : Box { output: Float = 0.0 }
    actor OutList : Box { output: [Float] = [] }
    actor Pair : Box { foo: Float = 0.0, bar: Float = 0.0 }
    actor Probe : Box { inside: Bool = false, outside: Bool = true }

    """

  func scenes(_ body: String, count: Int, seed: UInt64 = 5) throws -> [Scene] {
    try SamplerSupport.scenes(
      Self.lazyPrelude + "scenario S {\n    allow overlap\n    let vf = heading_field(twice)\n\(body)\n}", count: count,
      SamplerOptions(seed: seed))
  }

  func value(_ s: Scene, _ actor: String, _ field: String) -> Value? {
    s.actors.first { $0.name == actor }?.fields.first { $0.name == field }?.value
  }

  func outputs(_ ss: [Scene], _ actor: String) -> [Double] {
    ss.compactMap { value($0, actor, "output")?.asDouble }
  }

  func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

  func chi(_ observed: [Int], _ p: [Double]) -> Bool { StatisticalChecks.chiSquareAccepts(observed, probabilities: p) }

  /// test_list_object_lazy: `Uniform([0, x], [1, x])[1]` with `x` lazily 1 + Uniform(0, 1):
  /// always x, so 1 or 2, each half the time.
  @Test func listObjectLazy() throws {
    let ss = try scenes("""
          ego e = Box at (0.5m, 0m, 0m)
          let x = ((one_of(0rad, 1rad) relative to vf) at e.position) / 1rad
          let o = Out { output: one_of([0.0, x], [1.0, x])[1] } at (0m, 5m, 0m)
      """, count: 400)
    let hs = outputs(ss, "o")
    #expect(hs.count == 400 && hs.allSatisfy { near($0, 1) || near($0, 2) })
    #expect(chi([hs.filter { near($0, 1) }.count, hs.filter { near($0, 2) }.count], [0.5, 0.5]))
  }

  /// test_list_sliced_lazy: `Uniform([1, 4, 9], [1, 8, 27])[int(x):DiscreteRange(2, 3)]`
  /// with x lazily 1: [4], [4, 9], [8] or [8, 27], a quarter each.
  @Test func listSlicedLazy() throws {
    let ss = try scenes("""
          ego e = Box at (0.5m, 0m, 0m)
          let x = ((0rad relative to vf) at e.position) / 1rad
          let o = OutList { output: one_of([1.0, 4.0, 9.0], [1.0, 8.0, 27.0])[round(x):uniform_int(2, 3)] } at (0m, 5m, 0m)
      """, count: 400)
    let lists = ss.compactMap { value($0, "o", "output")?.asList.map(\.asDouble) }
    let options: [[Double]] = [[4], [4, 9], [8], [8, 27]]
    #expect(lists.count == 400 && lists.allSatisfy { options.contains($0) })
    #expect(chi(options.map { o in lists.filter { $0 == o }.count }, [0.25, 0.25, 0.25, 0.25]))
  }

  /// test_list_filtered_lazy: `Uniform(*filter(lambda x: x > 0, [-1, x, 3]))` with x lazily
  /// 1: 1 or 3, half each.
  @Test func listFilteredLazy() throws {
    let ss = try scenes("""
          ego e = Box at (0.5m, 0m, 0m)
          let x = ((0rad relative to vf) at e.position) / 1rad
          let kept = [v for v in [-1.0, x, 3.0] if v > 0.0]
          let o = Out { output: kept[uniform_int(0, len(kept) - 1)] } at (0m, 5m, 0m)
      """, count: 400)
    let hs = outputs(ss, "o")
    #expect(hs.count == 400 && hs.allSatisfy { near($0, 1) || near($0, 3) })
    #expect(chi([hs.filter { near($0, 1) }.count, hs.filter { near($0, 3) }.count], [0.5, 0.5]))
  }

  /// test_inside_delayed_argument: `Uniform(1.2, x)` with x lazily 1 + Uniform(-1, 1): 1.2
  /// half the time, 0 and 2 a quarter each.
  @Test func insideDelayedArgument() throws {
    let ss = try scenes("""
          ego e = Box at (0.5m, 0m, 0m)
          let x = ((one_of(-1rad, 1rad) relative to vf) at e.position) / 1rad
          let o = Out { output: one_of(1.2, x) } at (0m, 5m, 0m)
      """, count: 400)
    let hs = outputs(ss, "o")
    #expect(hs.count == 400 && hs.allSatisfy { $0 == 1.2 || near($0, 0) || near($0, 2) })
    let seen = [hs.filter { $0 == 1.2 }.count, hs.filter { near($0, 0) }.count, hs.filter { near($0, 2) }.count]
    #expect(chi(seen, [0.5, 0.25, 0.25]))
  }

  /// test_shared_dependency_lazy_1: `x = (1 relative to vf).yaw` (read at the ego, at the
  /// origin, where the field is 0), `y = Uniform(0, x)`, an object with foo y and bar y (the
  /// ego itself in Scenic; scn's ego cannot read a field at its own position): one draw, so
  /// foo == bar, each 0 or 1.
  @Test func sharedDependencyLazyOne() throws {
    let ss = try scenes("""
          ego e = Box at (0m, 0m, 0m)
          let x = ((1rad relative to vf) at e.position) / 1rad
          let y = one_of(0.0, x)
          let p = Pair { foo: y, bar: y } at (0m, 5m, 0m)
      """, count: 200)
    let pairs = ss.compactMap { s -> (Double, Double)? in
      guard let f = value(s, "p", "foo")?.asDouble, let b = value(s, "p", "bar")?.asDouble else { return nil }
      return (f, b)
    }
    #expect(pairs.count == 200 && pairs.allSatisfy { ($0.0 == 0 || near($0.0, 1)) && $0.0 == $0.1 })
    let ones = pairs.filter { near($0.0, 1) }.count
    #expect(chi([ones, pairs.count - ones], [0.5, 0.5]))
  }

  /// test_shared_dependency_lazy_2: `x = Range(0, 1) relative to vf`, two objects at ±1 m
  /// facing x: one draw of the offset, the field read at each: headings in [2, 3] and
  /// [−2, −1], exactly 4 apart (scn keeps the angle as computed).
  @Test func sharedDependencyLazyTwo() throws {
    let ss = try scenes("""
          let x = uniform(0rad, 1rad) relative to vf
          ego a = Box at (1m, 0m, 0m) facing x
          let b = Box at (-1m, 0m, 0m) facing x
      """, count: 100)
    for s in ss {
      let a = try #require(s.actors.first { $0.name == "a" }).heading
      let b = try #require(s.actors.first { $0.name == "b" }).heading
      #expect(a >= 2 && a <= 3 && b >= -2 && b <= -1 && near(a - b, 4))
    }
  }

  /// test_list_filtered_empty_1: `Uniform(*filter(x > 0, [Range(-10, -5), Range(-3, 1)]))`:
  /// an empty list rejects the sample (Scenic rejects; scn says so: `require len(kept) > 0`),
  /// so the value is the second range given it is positive: uniform on (0, 1).
  @Test func filteredListThatMayBeEmpty() throws {
    let ss = try scenes("""
          ego e = Box at (0m, 0m, 0m)
          let kept = [v for v in [uniform(-10.0, -5.0), uniform(-3.0, 1.0)] if v > 0.0]
          require len(kept) > 0
          let o = Out { output: kept[uniform_int(0, len(kept) - 1)] } at (0m, 5m, 0m)
      """, count: 400)
    let hs = outputs(ss, "o")
    #expect(hs.count == 400 && hs.allSatisfy { $0 > 0 && $0 <= 1 })
    #expect(StatisticalChecks.ksAccepts(hs) { min(1, max(0, $0)) })
    // Three quarters of the attempts are rejected: 400 scenes take about 1600.
    let attempts = ss.reduce(0) { $0 + $1.attempts }
    #expect(attempts > 1300 && attempts < 1900)
  }

  /// test_list_filtered_empty_2: `Uniform(*filtered, 2)`: 2 whenever the filtered list is
  /// empty (3/4) and half the time otherwise, so P(2) = 7/8; the rest uniform on (0, 1).
  @Test func filteredListWithAnExtraOption() throws {
    let ss = try scenes("""
          ego e = Box at (0m, 0m, 0m)
          let kept = [v for v in [uniform(-10.0, -5.0), uniform(-3.0, 1.0)] if v > 0.0] + [2.0]
          let o = Out { output: kept[uniform_int(0, len(kept) - 1)] } at (0m, 5m, 0m)
      """, count: 800)
    let hs = outputs(ss, "o")
    #expect(hs.count == 800 && hs.allSatisfy { $0 == 2 || ($0 > 0 && $0 <= 1) })
    let twos = hs.filter { $0 == 2 }.count
    #expect(chi([twos, hs.count - twos], [0.875, 0.125]))
    #expect(ss.allSatisfy { $0.attempts == 1 })
  }

  /// test_object_expression: `v = Uniform(new Object at Range(-2,-1) @ 0, new Object at
  /// Range(1,2) @ 5).position.x`, ego facing v, `require abs(v) > 1.5`: both objects are in
  /// every scene (3 actors), and v is one of their x coordinates, beyond 1.5 m.
  @Test func randomChoiceBetweenActors() throws {
    let ss = try scenes("""
          let v = one_of(Box at (uniform(-2m, -1m), 0m, 0m), Box at (uniform(1m, 2m), 5m, 0m)).position.x
          ego e = Box facing v / 1m * 1rad at (0m, 10m, 0m)
          require abs(v) > 1.5m
      """, count: 200)
    var negative = 0
    for s in ss {
      #expect(s.actors.count == 3)
      let h = try #require(s.actors.first { $0.name == "e" }).heading
      #expect(abs(h) > 1.5 && abs(h) <= 2)
      let xs = s.actors.filter { $0.name != "e" }.map(\.position.x)
      #expect(xs.contains { near($0, h) })
      if h < 0 { negative += 1 }
    }
    #expect(chi([negative, ss.count - negative], [0.5, 0.5]))
  }

  /// test_circular_lazy: `CircularRegion(0@0, x.yaw)` with `x = 0 relative to vf` read at
  /// the ego, at `Range(0, 1) @ 0`: the radius is twice the ego's x (probed just inside and
  /// just outside, since scn's regions have no `radius` member).
  @Test func circleWithARadiusReadAtTheActor() throws {
    let ss = try scenes("""
          ego e = Box at (uniform(0m, 1m), 0m, 0m)
          let r = ((0rad relative to vf) at e.position) / 1rad * 1m
          let c = circle((0m, 0m, 0m), r)
          let p = Probe { inside: (r - 1mm, 0m, 0m) in c, outside: (r + 1mm, 0m, 0m) in c } at (0m, 5m, 0m)
          require r > 10mm
      """, count: 100)
    for s in ss {
      #expect(value(s, "p", "inside")?.asBool == true)
      #expect(value(s, "p", "outside")?.asBool == false)
    }
  }

  /// test_orientation_relative_to_orientation2: `(-135 deg, 45 deg, 0) relative to
  /// (90 deg, 0, 0)` is yaw −45 deg, pitch 45 deg, roll 0 (the composition does not depend
  /// on the headings' zero, so the Scenic angles are written as they are).
  @Test func orientationRelativeToOrientation() throws {
    let s = try #require(try scenes("ego e = Box facing (-135deg, 45deg, 0deg) relative to (90deg, 0deg, 0deg)", count: 1).first)
    let e = try #require(s.actors.first { $0.name == "e" })
    #expect(near(e.heading, -.pi / 4) && near(e.pitch, .pi / 4) && near(e.roll, 0))
    let want = Quaternion(yaw: -.pi / 4, pitch: .pi / 4, roll: 0)
    for v in [Vec3.unitX, .unitY, .unitZ] { #expect((e.rotation.rotate(v) - want.rotate(v)).length < 1e-9) }
  }

  /// test_point_in_region_2d: `RectangularRegion(10@5, 0, 4, 2)` (4 wide along x, 2 long
  /// along y; scn's `rect(centre, w along y, l along x)`): the points' `in` answers are
  /// (True, False, True, True, False, True); a plane region ignores z.
  @Test func pointInRegion() throws {
    let s = try #require(
      try scenes("""
            ego e = Box
            param p: [Bool] = [(9m, 5.5m, 0m) in rect((10m, 5m, 0m), 2m, 4m), (9m, 7m, 0m) in rect((10m, 5m, 0m), 2m, 4m),
                (11m, 4.5m, -1m) in rect((10m, 5m, 0m), 2m, 4m), (11m, 4.5m, 0m) in rect((10m, 5m, 0m), 2m, 4m),
                (11m, 3.5m, 0m) in rect((10m, 5m, 0m), 2m, 4m), (11m, 4.5m, 1m) in rect((10m, 5m, 0m), 2m, 4m)]
        """, count: 1
      ).first)
    guard case .array(let xs)? = s.param("p") else {
      Issue.record("p is not a list")
      return
    }
    #expect(xs == [.bool(true), .bool(false), .bool(true), .bool(true), .bool(false), .bool(true)])
  }

  /// test_on_object: `new Object on floor` with a 40 × 40 × 0.1 floor: inside its top, at
  /// its height (scn's bottom centre on the floor's top, so z is the floor's 0.1 m here;
  /// Scenic's centre is 0.55 with its 1 m box and the floor centred at 0).
  @Test func onAnActor() throws {
    let ss = try SamplerSupport.scenes(
      """
      actor Floor : Box { size = (40m, 40m, 0.1m) }
      scenario S {
          let floor = Floor at (0m, 0m, 0m)
          ego e = Box on top_of(floor)
          allow overlap
      }
      """, count: 30)
    for s in ss {
      let p = try #require(s.actors.first { $0.name == "e" }).position
      #expect(abs(p.x) <= 20 && abs(p.y) <= 20 && near(p.z, 0.1))
    }
  }

  /// test_operators.py test_offset_by, test_offset_by_3d: `3@2 offset by -4@10` is
  /// (−1, 12, 0), in the world frame (the operator; the specifier `offset by` is in ego's).
  @Test func offsetByOperator() throws {
    let s = try #require(
      try scenes("""
            ego e = Box at (0m, 0m, 0m) facing 77deg
            let a = Box at ((3m, 2m, 0m) offset by (-4m, 10m, 0m))
            let p = (3m, 2m, 1m) offset by (-4m, 10m, 5m)
            let b = Box at p
        """, count: 1
      ).first)
    let a = try #require(s.actors.first { $0.name == "a" }).position
    let b = try #require(s.actors.first { $0.name == "b" }).position
    #expect((a - Vec3(-1, 12, 0)).length < 1e-12)
    #expect((b - Vec3(-1, 12, 6)).length < 1e-12)
  }

  /// test_offset_along_heading: `3@2 offset along 45 deg by -4@10` (Scenic's 45 deg is scn's
  /// 135deg, its local `-4 @ 10` scn's (10, 4, 0)) is (3 − 14/√2, 2 + 6/√2);
  /// test_offset_along_field: `15@7 offset along vf by 2@-3` with `vf = 3 deg * pos.x` (45 deg
  /// at 15@7; scn's field adds 90deg) is (15 + 5/√2, 7 − 1/√2), the field read at P. An
  /// orientation `(yaw, pitch, roll)` turns V in 3-D.
  @Test func offsetAlongOperator() throws {
    let s = try #require(
      try SamplerSupport.scenes(
        """
        fn three(p: Position) -> Angle = 3deg * (p.x / 1m) + 90deg
        scenario S {
            allow overlap
            ego e = Box at (0m, 0m, 0m)
            let vf = heading_field(three)
            let a = Box at ((3m, 2m, 0m) offset along 135deg by (10m, 4m, 0m))
            let b = Box at ((15m, 7m, 0m) offset along vf by (-3m, -2m, 0m))
            let c = Box at ((0m, 0m, 0m) offset along (90deg, 0deg, 0deg) by (1m, 0m, 0m))
            let p = (1m, 1m, 0m) offset along uniform(0deg, 360deg) by (2m, 0m, 0m)
            let d = Box at p
        }
        """, count: 1
      ).first)
    let d = 1 / 2.0.squareRoot()
    func at(_ name: String) throws -> Vec3 { try #require(s.actors.first { $0.name == name }).position }
    #expect((try at("a") - Vec3(3 - 14 * d, 2 + 6 * d, 0)).length < 1e-9)
    #expect((try at("b") - Vec3(15 + 5 * d, 7 - d, 0)).length < 1e-9)
    #expect((try at("c") - Vec3(0, 1, 0)).length < 1e-9)
    #expect(abs((try at("d") - Vec3(1, 1, 0)).length - 2) < 1e-9)
  }

  /// test_list_nested_argument: `max(*Uniform(list(range(1000)), [1, 1, 1, 1, 2000]))`:
  /// 2000 half the time, 999 otherwise (scn's `max(xs)` of a list).
  @Test func maxOfARandomList() throws {
    let ss = try scenes("""
          ego e = Out { output: max(one_of([k * 1.0 for k in 0..<1000], [1.0, 1.0, 1.0, 1.0, 2000.0])) }
          let m = Out { output: min([3.0, uniform(1.0, 2.0), 5.0]) } at (0m, 5m, 0m)
      """, count: 400)
    let hs = outputs(ss, "e")
    #expect(hs.count == 400 && hs.allSatisfy { $0 == 999 || $0 == 2000 })
    let big = hs.filter { $0 == 2000 }.count
    #expect(chi([big, hs.count - big], [0.5, 0.5]))
    #expect(outputs(ss, "m").allSatisfy { $0 >= 1 && $0 <= 2 })
  }

  /// `max` of a list that is empty when drawn stops the run with E0541 at the call.
  @Test func maxOfAnEmptyListStops() throws {
    let run = try SamplerSupport.sampler(
      Self.lazyPrelude + """
        scenario S {
            ego e = Out { output: max([x for x in [uniform(-2.0, -1.0)] if x > 0.0]) }
        }
        """
    ).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.rawValue == "E0541")
  }

  /// test_tuple_iteration: `other.foo = (1, Uniform(2, 3))`; `[len(foo), foo[1], foo[0]]`
  /// then each item, with `require other.foo[1] == 3`: [2, 3, 1, 1, 3] (a tuple is indexed
  /// by a constant and iterated when its elements share a type).
  @Test func tupleIteration() throws {
    let ss = try SamplerSupport.scenes(
      """
      actor Tup : Box { foo: (Int, Int) = (0, 0) }
      actor Data : Box { foo: [Int] = [] }
      scenario S {
          let other = Tup { foo: (1, one_of(2, 3)) } at (0m, 0m, 0m)
          ego e = Data { foo: [len(other.foo), other.foo[1], other.foo[0]] + [item for item in other.foo] } at (2m, 2m, 0m)
          require other.foo[1] == 3
      }
      """, count: 20)
    for s in ss {
      let foo = try #require(value(s, "e", "foo")).asList.map(\.asInt)
      #expect(foo == [2, 3, 1, 1, 3])
    }
  }

  /// test_resample: `x = Range(0, 1)`, `at x @ resample(x)`: a second, independent draw from
  /// x's distribution (uncorrelated, each uniform on (0, 1)); x itself stays one draw.
  @Test func resampleDrawsAgain() throws {
    let ss = try scenes("""
          let x = uniform(0m, 1m)
          ego e = Box at (x, resample(x), 0m)
          let b = Box at (x, 5m, 0m)
          let lo = uniform(2m, 3m)
          let y = normal(lo, 1mm)
          let c = Box at (resample(y), 10m, 0m)
      """, count: 600)
    let xs = ss.compactMap { $0.actors.first { $0.name == "e" }?.position.x }
    let ys = ss.compactMap { $0.actors.first { $0.name == "e" }?.position.y }
    #expect(xs.count == 600 && zip(xs, ys).allSatisfy { $0 != $1 })
    #expect(StatisticalChecks.ksAccepts(ys) { min(1, max(0, $0)) })
    let mx = xs.reduce(0, +) / 600, my = ys.reduce(0, +) / 600
    let cov = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / 600
    #expect(abs(cov * 12) < 4 / 600.0.squareRoot())
    for s in ss {
      let e = try #require(s.actors.first { $0.name == "e" }), b = try #require(s.actors.first { $0.name == "b" })
      #expect(e.position.x == b.position.x)
      let c = try #require(s.actors.first { $0.name == "c" })
      #expect(c.position.x > 1.99 && c.position.x < 3.01)
    }
  }

  /// test_named_requirement: `require ego.position.x >= 5 as posReq` (and requirements named
  /// by a string and an integer) hold on every scene; the name is how the requirement is
  /// shown when the sampler explains a failure.
  @Test func namedRequirement() throws {
    let ss = try scenes("""
          ego e = Box at (uniform(0m, 10m), 0m, 0m)
          require e.position.x >= 5m as posReq
          require e.position.y == 0m as "myReq"
          require e.position.z == 0m as 101
      """, count: 60)
    #expect(ss.allSatisfy { s in s.actors[0].position.x >= 5 && s.actors[0].position.x <= 10 })
    var options = SamplerOptions(seed: 1)
    options.maxAttempts = 50
    let run = try SamplerSupport.sampler(
      Self.lazyPrelude + """
        scenario S {
            ego e = Box at (uniform(0m, 10m), 0m, 0m)
            require e.position.x > 20m as tooFar
        }
        """, options
    ).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.rawValue == "E0506")
    let text = failure.diagnostic.message + failure.diagnostic.notes.map(\.message).joined()
    #expect(text.contains("tooFar"), "\(text)")
  }

  /// test_named_soft_requirement: `require[0.9] ego.position.x >= 5 as posReq`: each attempt
  /// enforces it with probability 0.9 and a rejected attempt is drawn again, so an attempt is
  /// accepted with x ≥ 5 with probability 0.5 and with x < 5 with 0.5 · 0.1: P(x ≥ 5) = 10/11
  /// per scene (Scenic asserts at least 255 of 350).
  @Test func namedSoftRequirement() throws {
    let ss = try scenes("""
          ego e = Box at (uniform(0m, 10m), 0m, 0m)
          require[0.9] e.position.x >= 5m as posReq
          require[0.8] e.position.y == 0m as "myReq"
          require[0.75] e.position.z == 0m as 101
      """, count: 600)
    let above = ss.filter { $0.actors[0].position.x >= 5 }.count
    #expect(chi([above, ss.count - above], [10.0 / 11, 1.0 / 11]))
  }
}
