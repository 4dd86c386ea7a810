import Foundation
import ScnGeometry
import Testing

@testable import ScnRuntime

/// Regions, `contained in`, `workspace`, `visible from` / `not visible from` and `can see`
/// in whole scenarios, with translations of Scenic 3's `tests/syntax/test_regions.py`,
/// `test_specifiers.py` and `test_operators.py` (docs/scenic-coverage.md maps each).
/// Scenic's heading 0 faces +y; scn's faces +x, so a Scenic heading H is scn's H + 90deg.
@Suite struct RegionPlacementTests {
  func actor(_ scene: Scene, _ name: String) throws -> Scene.Actor {
    try #require(scene.actors.first { $0.name == name }, "no actor \(name)")
  }

  func planar(_ p: Vec3, _ x: Double, _ y: Double) -> Double { ((p.x - x) * (p.x - x) + (p.y - y) * (p.y - y)).squareRoot() }

  /// Accepted samples over attempts for `count` samples.
  func acceptance(_ source: String, count: Int) throws -> Double {
    let run = try SamplerSupport.sampler(source, SamplerOptions(maxAttempts: 100_000)).run(start: 0, count: count)
    if let f = run.failure { throw SamplerSupport.CompileFailed(description: "sampling failed: \(f.diagnostic.message)") }
    let stats = try #require(run.statistics.first)
    return Double(stats.accepted) / Double(stats.attempts)
  }

  // MARK: Regions

  /// test_regions.py test_circular_in: `in CircularRegion(3@5, 2)`.
  @Test func circularIn() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box on circle((3m, 5m, 0m), 2m)
      }
      """, count: 30)
    let ps = try scenes.map { try actor($0, "e").position }
    #expect(ps.allSatisfy { planar($0, 3, 5) <= 2 })
    #expect(ps.contains { planar($0, 3, 5) < 1.5 } && ps.contains { planar($0, 3, 5) > 1.5 })
    #expect(ps.contains { $0.x < 3 } && ps.contains { $0.x > 3 })
  }

  /// test_specifiers.py test_in with a turned rectangle: `RectangularRegion(100 @ 200, 90 deg,
  /// 50, 10)`, i.e. 10 m along the heading (scn 180deg, along x) and 50 m across it.
  @Test func inTurnedRectangle() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box on oriented_rect((100m, 200m, 0m), 50m, 10m, 180deg)
      }
      """, count: 30)
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(p.x >= 95 - 1e-9 && p.x <= 105 + 1e-9 && p.y >= 175 - 1e-9 && p.y <= 225 + 1e-9)
    }
  }

  /// test_specifiers.py test_in_heading: on a polyline from 50@-50 to -20@20 every point has
  /// x = -y, and the actor faces along the line (Scenic's 45deg is scn's 135deg); `facing`
  /// still wins.
  @Test func onPolyline() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box on polyline([(50m, -50m, 0m), (-20m, 20m, 0m)], 0m)
          let f = Box on polyline([(50m, -50m, 10m), (-20m, 20m, 10m)], 0m) facing 10deg
      }
      """, count: 30)
    for s in scenes {
      let e = try actor(s, "e")
      #expect(e.position.x >= -20 - 1e-9 && e.position.x <= 50 + 1e-9 && abs(e.position.x + e.position.y) < 1e-9)
      #expect(abs(e.heading - 3 * .pi / 4) < 1e-9 && e.pitch == 0 && e.roll == 0)
      #expect(abs(try actor(s, "f").heading - 10 * .pi / 180) < 1e-9)
    }
  }

  /// test_specifiers.py test_in_3d_heading: `within` a box region given an orientation
  /// (`oriented(R, F)`, Scenic's `BoxRegion(…, orientation=vf)`): the actor takes F's
  /// orientation, Scenic's (0.5, 0.6, 0.7) being scn's (0.5 rad + 90deg, −0.6 rad, 0.7 rad).
  @Test func withinAnOrientedBox() throws {
    let scenes = try SamplerSupport.scenes("""
      fn tilted(p: Position) -> (Angle, Angle, Angle) = (0.5rad + 90deg, -0.6rad, 0.7rad)
      scenario S {
          ego e = Box within oriented(cuboid((0m, 0m, 0m), (10m, 20m, 30m)), heading_field(tilted))
      }
      """, count: 30)
    for s in scenes {
      let e = try actor(s, "e")
      #expect(abs(e.position.x) <= 5 && abs(e.position.y) <= 10 && abs(e.position.z) <= 15)
      #expect(abs(e.heading - (0.5 + .pi / 2)) < 1e-9 && abs(e.pitch + 0.6) < 1e-9 && abs(e.roll - 0.7) < 1e-9)
    }
  }

  /// test_specifiers.py test_on_3d_heading: `on` a box region oriented upside down (Scenic's
  /// (180deg, 180deg, 0), scn's (270deg, −180deg, 0)): the bottom centre on the top face
  /// and the actor hanging into the box, its centre at z = 0 for a 1 m box (Scenic's
  /// −contactTolerance / 2: scn adds no gap).
  @Test func onAnOrientedBox() throws {
    let scenes = try SamplerSupport.scenes("""
      fn flipped(p: Position) -> (Angle, Angle, Angle) = (270deg, -180deg, 0deg)
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } on oriented(cuboid((0m, 0m, 0m), (10m, 20m, 1m)), heading_field(flipped))
      }
      """, count: 30)
    for s in scenes {
      let e = try actor(s, "e")
      #expect(abs(e.position.x) <= 5 && abs(e.position.y) <= 10 && abs(e.position.z - 0.5) < 1e-9)
      #expect(abs(e.heading - 1.5 * .pi) < 1e-9 && abs(e.pitch + .pi) < 1e-9 && abs(e.roll) < 1e-9)
      let centre = e.position + Quaternion(yaw: e.heading, pitch: e.pitch, roll: e.roll).rotate(Vec3(0, 0, 0.5))
      #expect(abs(centre.z) < 1e-9)
    }
  }

  /// test_requirements.py test_containment_requirement: `at P contained in R` keeps P and
  /// rejects the attempts whose footprint leaves R (Scenic's `with regionContainedIn foo`):
  /// x drawn on (0, 10) m, kept only up to 5 m less the half width.
  @Test func containedInBesideAnotherPosition() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box at (uniform(0m, 10m), 0m, 0m) contained in rect((0m, 0m, 0m), 10m, 10m)
      }
      """, count: 60)
    let xs = try scenes.map { try actor($0, "e").position.x }
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 5 - 0.2 + 1e-9 })
    #expect(xs.contains { $0 > 2.5 })
    // test_static_containment_violation: a fixed position outside R rejects every attempt.
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego e = Box at (10m, 10m, 0m) contained in rect((0m, 0m, 0m), 5m, 5m)
      }
      """, SamplerOptions(maxAttempts: 20)).run(start: 0, count: 1, jobs: 1)
    #expect(run.failure?.diagnostic.code.rawValue == "E0506")
  }

  /// test_specifiers.py test_in_heading_distribution: `on one_of(ra, rb)` with ra a square
  /// oriented by a field of constant heading (Scenic's 1 rad: scn's 1 rad + 90deg) and rb a
  /// polyline from 0@0 to 1@1 (Scenic's −45deg: scn's 45deg): both headings occur, no other.
  @Test func onARandomOrientedRegion() throws {
    let scenes = try SamplerSupport.scenes("""
      fn one(p: Position) -> Angle = 1rad + 90deg
      scenario S {
          let ra = oriented(rect((0m, 0m, 0m), 2m, 2m), heading_field(one))
          let rb = polyline([(0m, 0m, 0m), (1m, 1m, 0m)], 0m)
          ego e = Box on one_of(ra, rb)
      }
      """, count: 60)
    let hs = try scenes.map { try actor($0, "e").heading }
    let a = 1 + Double.pi / 2, b = Double.pi / 4
    #expect(hs.allSatisfy { abs($0 - a) < 1e-9 || abs($0 - b) < 1e-9 })
    #expect(hs.contains { abs($0 - a) < 1e-9 })
    #expect(hs.contains { abs($0 - b) < 1e-9 })
  }

  /// test_specifiers.py test_in_distribution: `in Uniform(ra, rb)`.
  @Test func onARandomRegion() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box on one_of(rect((0m, 0m, 0m), 2m, 2m), rect((10m, 0m, 0m), 2m, 2m))
      }
      """, count: 60)
    let xs = try scenes.map { try actor($0, "e").position.x }
    #expect(xs.allSatisfy { (-1...1).contains($0) || (9...11).contains($0) })
    #expect(xs.contains { $0 < 5 } && xs.contains { $0 > 5 })
  }

  @Test func setOperationsPlaceActors() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          let floor = difference(union(rect((0m, 0m, 0m), 2m, 4m), circle((2m, 0m, 0m), 1m)), circle((0m, 0m, 0m), 0.5m))
          ego e = Box { size: (0.1m, 0.1m, 0.1m) } on floor
          let b = Box { size: (0.1m, 0.1m, 0.1m) } within intersect(ball((0m, 0m, 5m), 2m), oriented_cuboid((1m, 0m, 5m), (2m, 2m, 2m), 0deg))
          allow overlap
      }
      """, count: 50)
    for s in scenes {
      let e = try actor(s, "e").position, b = try actor(s, "b").position
      let inRect = abs(e.x) <= 2 && abs(e.y) <= 1, inCircle = planar(e, 2, 0) <= 1
      #expect((inRect || inCircle) && planar(e, 0, 0) > 0.5)
      #expect((b - Vec3(0, 0, 5)).length <= 2 && b.x >= 0 && b.x <= 2)
    }
  }

  @Test func anEmptyIntersectionIsARuntimeErrorAtTheCall() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego e = Box on intersect(circle((0m, 0m, 0m), 1m), circle((5m, 0m, 0m), 1m))
      }
      """).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.rawValue == "E0504")
    #expect(failure.diagnostic.message.contains("empty or degenerate"))
  }

  @Test func aUnionOfASurfaceAndAVolumeIsRefused() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego e = Box on union(circle((0m, 0m, 0m), 1m), ball((5m, 0m, 0m), 1m))
      }
      """).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.rawValue == "E0504")
    #expect(failure.diagnostic.message.contains("cannot combine a surface with a volume"))
  }

  // MARK: contained in, workspace

  /// test_specifiers.py test_contained_in_2d: a 1 m object contained in a 2 m square
  /// stays within 0.5 m of its centre.
  @Test func containedIn2D() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } contained in rect((0m, 0m, 0m), 2m, 2m)
      }
      """, count: 30, SamplerOptions(maxAttempts: 1000))
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(abs(p.x) <= 0.5 + 1e-9 && abs(p.y) <= 0.5 + 1e-9 && p.z == 0)
    }
  }

  /// test_specifiers.py test_contained_in_3d: in a 2 m box volume; Scenic's position is the
  /// centre, scn's the bottom centre (0.5 m lower).
  @Test func containedIn3D() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } contained in cuboid((0m, 0m, 0m), (2m, 2m, 2m))
      }
      """, count: 10, SamplerOptions(maxAttempts: 1000))
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(abs(p.x) <= 0.5 + 1e-9 && abs(p.y) <= 0.5 + 1e-9 && p.z + 0.5 >= -0.5 - 1e-9 && p.z + 0.5 <= 0.5 + 1e-9)
    }
  }

  /// `contained in` tests the whole footprint, turned by the heading; `on` only the centre.
  @Test func containedInRejectsWhatOnAccepts() throws {
    let on = try acceptance("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } on rect((0m, 0m, 0m), 2m, 2m) facing 45deg
      }
      """, count: 200)
    let contained = try acceptance("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } contained in rect((0m, 0m, 0m), 2m, 2m) facing 45deg
      }
      """, count: 200)
    #expect(on == 1)
    // A 1 m square turned 45° fits where its centre is within 1 - 0.707 m of every side
    // (as the grid of footprint points sees it): about (0.586 / 2)^2 ≈ 8.6 % of the square.
    #expect(contained > 0.05 && contained < 0.13)
  }

  @Test func workspaceHoldsEveryActor() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          workspace rect((0m, 0m, 0m), 10m, 10m)
          ego e = Box { size: (2m, 2m, 1m) } on rect((0m, 0m, 0m), 12m, 12m)
          let b = Box { size: (1m, 1m, 1m) } on rect((0m, 0m, 0m), 12m, 12m)
      }
      """, count: 40, SamplerOptions(maxAttempts: 10_000))
    for s in scenes {
      let e = try actor(s, "e").position, b = try actor(s, "b").position
      #expect(abs(e.x) <= 4 + 1e-9 && abs(e.y) <= 4 + 1e-9 && abs(b.x) <= 4.5 + 1e-9 && abs(b.y) <= 4.5 + 1e-9)
    }
    #expect(scenes.contains { $0.attempts > 1 })
  }

  // MARK: visible from

  static let cameraScene = """
    ego mast = Mast at (0m, 0m, 0m) facing 0deg
    sensor cam = Camera { mount: mast, offset: (0m, 0m, 1.5m), fov: 15deg }
    """

  /// Issue 15 acceptance: `visible from cam` samples the position in the camera's view
  /// region, so acceptance stays near 1 where `require visible(...)` alone accepts a few
  /// percent; a wall hiding part of the view rejects only what it hides.
  @Test func visibleFromKeepsAcceptanceHigh() throws {
    let region = "rect((0m, 0m, 0m), 200m, 200m)"
    let required = try acceptance("""
      scenario S {
          \(Self.cameraScene)
          let car = Vehicle { size: (4.5m, 1.8m, 1.5m) } on \(region)
          require visible(car, from: cam)
      }
      """, count: 100)
    let placed = try acceptance("""
      scenario S {
          \(Self.cameraScene)
          let car = Vehicle { size: (4.5m, 1.8m, 1.5m) } on \(region) visible from cam
          require visible(car, from: cam)
      }
      """, count: 100)
    let occluded = try acceptance("""
      scenario S {
          \(Self.cameraScene)
          let wall = Box { size: (0.2m, 3m, 4m), fixed: true } at (20m, 0m, 0m)
          let car = Vehicle { size: (4.5m, 1.8m, 1.5m) } on \(region) visible from cam
          require visible(car, from: cam)
      }
      """, count: 100)
    print("acceptance: require visible \(required), visible from \(placed), visible from behind a wall \(occluded)")
    #expect(required < 0.05)
    #expect(placed > 0.95)
    #expect(occluded > 0.5 && occluded < placed)
  }

  /// Without any `require`, every sample's centre is in the camera's view region.
  @Test func everyVisibleFromSampleIsInView() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          \(Self.cameraScene)
          let car = Vehicle { size: (4.5m, 1.8m, 1.5m) } on rect((0m, 0m, 0m), 200m, 200m) visible from cam
          let far = Box visible from cam
      }
      """, count: 100)
    for s in scenes {
      let pose = try #require(s.sensors.first { $0.name == "cam" }).pose
      for name in ["car", "far"] {
        let a = try actor(s, name)
        #expect(pose.sees(a.position + Vec3(0, 0, a.size.z / 2)))
      }
      // `far` has no region: it stands on the ground within 50 m (the camera has no range).
      let far = try actor(s, "far").position
      #expect(far.z == 0 && planar(far, 0, 0) <= 50)
    }
  }

  /// test_specifiers.py test_visible: ego facing Scenic -45deg (scn 45deg), 10 m, 90deg.
  @Test func visibleFromAnActor() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego base = Box { size: (1m, 1m, 1m), view_distance: 10m, view_angle: 90deg } at (100m, 200m, 0m) facing 45deg
          let e = Box { size: (1m, 1m, 1m) } visible from base
      }
      """, count: 30, SamplerOptions(maxAttempts: 10))
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(planar(p, 100, 200) <= 10 && p.x >= 100 && p.y >= 200)
    }
  }

  /// test_specifiers.py test_visible_from_point (a Point with visibleDistance 2: here a
  /// small actor, its eye at 1 cm) and test_visible_from_oriented_point (facing Scenic
  /// 45deg = scn 135deg, 5 m, 90deg: x ≤ 100, y ≥ 200).
  @Test func visibleFromPointLikeActors() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          let x = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 2m } at (300m, 200m, 0m)
          let op = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 5m, view_angle: 90deg } at (100m, 200m, 0m) facing 135deg
          ego e = Box { size: (0.02m, 0.02m, 0.02m) } visible from x
          let f = Box { size: (0.02m, 0.02m, 0.02m) } visible from op
          allow overlap
      }
      """, count: 20, SamplerOptions(maxAttempts: 10))
    for s in scenes {
      #expect(planar(try actor(s, "e").position, 300, 200) <= 2)
      let f = try actor(s, "f").position
      #expect(planar(f, 100, 200) <= 5 && f.x <= 100 + 1e-9 && f.y >= 200 - 1e-9)
    }
  }

  /// test_specifiers.py test_not_visible_from (and, with the region given, test_not_visible,
  /// test_not_visible_2d, test_not_visible_from_2d): ego at 100@200 facing Scenic -45deg,
  /// 10 m, 90deg; the object in `RectangularRegion(100@205, 0, 20, 12)` out of view.
  @Test func notVisibleFrom() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          workspace rect((100m, 205m, 0m), 12m, 20m)
          let base = Box { size: (1m, 1m, 1m), view_distance: 10m, view_angle: 90deg } at (100m, 200m, 0m) facing 45deg
          ego e = Box { size: (1m, 1m, 1m) } on rect((100m, 205m, 0m), 12m, 20m) not visible from base
      }
      """, count: 20, SamplerOptions(maxAttempts: 50))
    for s in scenes {
      let p = try actor(s, "e").position
      #expect(p.x < 100 || p.y < 200 || planar(p, 100, 200) > 10)
    }
  }

  /// test_regions.py test_polygonal_empty_intersection: the view cone of an ego facing a
  /// random heading misses the square in some attempts; those attempts are rejected, not
  /// errors.
  @Test func visibleFromAnEmptyIntersectionRejects() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box { view_angle: 60deg } at (-10m, 0m, 0m) facing uniform(0deg, 90deg)
          let b = Box on polygon([(0m, 0m, 0m), (10m, 0m, 0m), (10m, 10m, 0m), (0m, 10m, 0m)]) visible from e
      }
      """, count: 30, SamplerOptions(maxAttempts: 1000))
    #expect(scenes.count == 30)
  }

  /// `visible from` where `at` gives the position is a check: an out-of-view `at` rejects.
  @Test func visibleFromChecksAGivenPosition() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego e = Box { view_angle: 90deg } at (0m, 0m, 0m)
          let b = Box at (-5m, 0m, 0m) visible from e
      }
      """, SamplerOptions(maxAttempts: 20)).run(start: 0, count: 1)
    let failure = try #require(run.failure)
    #expect(failure.diagnostic.code.rawValue == "E0506")
  }

  // MARK: can see

  /// test_operators.py test_point_can_see_vector, test_point_can_see_object,
  /// test_oriented_point_can_see_vector, test_oriented_point_can_see_object. Scenic's
  /// points become 2 cm actors; `facing -45 deg` is scn's 45deg.
  @Test func canSee() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego big = Box { size: (10m, 10m, 1m) } at (0m, 0m, 0m)
          let other = Box { size: (1m, 1m, 1m) } at (35m, 10m, 0m)
          let pt = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 5m } at (10m, 20m, 0m)
          let pt2 = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 15m } at (15m, 10m, 0m)
          let o = Box { size: (0.02m, 0.02m, 0.02m), view_distance: 5m, view_angle: 20deg } at (100m, 0m, 0m) facing 45deg
          let other3 = Box { size: (2m, 2m, 1m) } at (104m, 4m, 0m)
          let other4 = Box { size: (1m, 1m, 1m) } at (104m, 0m, 0m)
          require pt can see (8m, 19m, 0m)
          require not (pt can see (10m, 26m, 0m))
          require pt2 can see big
          require not (pt2 can see other)
          require o can see (102m, 2m, 0m)
          require not (o can see (104m, 4m, 0m))
          require not (o can see (101m, 0m, 0m))
          require o can see other3
          require not (o can see other4)
      }
      """, count: 1, SamplerOptions(maxAttempts: 1))
    #expect(scenes.count == 1)
  }

  /// A wall between the viewer and the target hides it from `can see`.
  @Test func canSeeIsBlockedByOtherActors() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          ego e = Box { size: (1m, 1m, 1m) } at (0m, 0m, 0m)
          let target = Box { size: (1m, 1m, 1m) } at (10m, 0m, 0m)
          let wall = Box { size: (0.2m, 4m, 3m) } at (5m, 0m, 0m)
          let side = Box { size: (1m, 1m, 1m) } at (0m, 10m, 0m)
          require not (e can see target) and e can see side
          require not (e can see (10m, 0m, 0.5m)) and e can see (0m, -10m, 0.5m)
      }
      """, count: 1, SamplerOptions(maxAttempts: 1))
    #expect(scenes.count == 1)
  }
}
