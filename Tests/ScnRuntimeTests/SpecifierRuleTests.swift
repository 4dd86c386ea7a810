import ScnGeometry
import ScnRuntime
import Testing

/// Scenic's specifier rules: relative specifiers without `by` place the actors touching,
/// and `on R` beside another position specifier moves that position onto R (rejecting the
/// attempt when R is not below or above it).
@Suite struct SpecifierRuleTests {
  func actor(_ scene: Scene, _ name: String) throws -> Scene.Actor {
    try #require(scene.actors.first { $0.name == name }, "no actor \(name)")
  }

  /// Scenic `test_specifiers.py::test_ahead_of` and friends: `ahead of X` without `by`
  /// puts the new actor's back face on X's front face. Without the rule the two overlapped
  /// and every attempt was rejected; now the scene is accepted at the first attempt.
  @Test func relativeSpecifiersWithoutByTouch() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego car = Box { size: (4m, 2m, 1.5m) } at (10m, 5m, 0m) facing 90deg
          let front = Box { size: (1m, 0.5m, 1m) } ahead of car
          let back = Box { size: (3m, 1m, 1m) } behind car
          let left = Box { size: (1m, 1m, 1m) } ahead of car left of car
          let right = Box { size: (1m, 3m, 1m) } right of car
      }
      """).run(start: 0, count: 1)
    let scene = try #require(run.scenes.first)
    #expect(run.statistics.first?.attempts == 1)
    // The car faces +y: its front is at y = 5 + 2; the box's centre half its length further.
    let front = try actor(scene, "front")
    #expect(abs(front.position.x - 10) < 1e-9 && abs(front.position.y - (5 + 2 + 0.5)) < 1e-9)
    #expect(abs(front.heading - .pi / 2) < 1e-12)
    let back = try actor(scene, "back")
    #expect(abs(back.position.y - (5 - 2 - 1.5)) < 1e-9)
    // Left of a car facing +y is -x; half widths 1 + 0.5; the ahead offset adds up.
    let left = try actor(scene, "left")
    #expect(abs(left.position.x - (10 - 1.5)) < 1e-9 && abs(left.position.y - (5 + 2.5)) < 1e-9)
    let right = try actor(scene, "right")
    #expect(abs(right.position.x - (10 + 1 + 1.5)) < 1e-9 && abs(right.position.y - 5) < 1e-9)
  }

  /// `by D` keeps measuring centre to centre, as it always did in scn.
  @Test func byStillMeasuresCentreToCentre() throws {
    let scene = try SamplerSupport.scenes("""
      scenario S {
          ego car = Box { size: (4m, 2m, 1.5m) } at (0m, 0m, 0m)
          let a = Box ahead of car by 6m
      }
      """, count: 1)[0]
    #expect(abs(try actor(scene, "a").position.x - 6) < 1e-9)
  }

  /// Scenic `test_specifiers.py::test_on_position`-like: `at P on R` keeps P's x and y and
  /// takes R's height; positions with no point of R below them are rejected, so every
  /// accepted scene lies over R, and about half the attempts (|x| ≤ 1 of x in [-2, 2]) pass.
  @Test func onModifiesAnotherPositionAndRejectsMisses() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego b = Box { size: (0.2m, 0.2m, 0.2m) } at (uniform(-2m, 2m), 0m, 3m) on rect((0m, 0m, 1m), 2m, 2m)
          let c = Box ahead of b by 5m on cuboid(center: (5m, 0m, 0m), size: (2m, 2m, 0.5m))
      }
      """).run(start: 0, count: 200)
    #expect(run.failure == nil)
    #expect(run.scenes.count == 200)
    for s in run.scenes {
      let b = try actor(s, "b"), c = try actor(s, "c")
      #expect(abs(b.position.x) <= 1 && b.position.z == 1)
      #expect(abs(c.position.x - (b.position.x + 5)) < 1e-9 && c.position.z == 0.25)
    }
    let stats = try #require(run.statistics.first)
    let rate = Double(stats.accepted) / Double(stats.attempts)
    #expect(rate > 0.4 && rate < 0.6, "acceptance \(rate)")
    let placement = try #require(stats.checks.firstIndex { $0.kind == .placement })
    #expect(stats.failed[placement] == stats.attempts - stats.accepted)
  }

  /// `on R` alone still draws a point of R (no modifier, no placement check).
  @Test func onAloneStillDraws() throws {
    let run = try SamplerSupport.sampler("""
      scenario S {
          ego b = Box on rect((0m, 0m, 1m), 4m, 4m)
      }
      """).run(start: 0, count: 50)
    #expect(Set(run.scenes.compactMap { $0.actors.first { $0.name == "b" }?.position.x }).count > 40)
    #expect(run.statistics.first?.checks.contains { $0.kind == .placement } == false)
  }
}
