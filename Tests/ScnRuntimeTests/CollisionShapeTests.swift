import ScnGeometry
import ScnRuntime
import ScnScene
import Testing

/// Moving actors collide as their parts (docs/scene-model.md), not as their size boxes.
@Suite struct CollisionShapeTests {
  /// Half the width across (y) of a standing person built in a `size` box, from its parts.
  static func personHalfWidth(size: Vec3) -> Double {
    let parts = ActorShapes.parts(ShapeRequest(kind: "person", size: size, parameters: ["pose": .name("standing")]))
    return parts.flatMap(\.box.corners).map { abs($0.y) }.max() ?? 0
  }

  /// Two people in 0.9 m × 0.9 m boxes walking towards each other `lateral` apart.
  static func passing(lateral: Double) throws -> (Scene, Trace) {
    try SimulationSupport.trace(
      """
      import std.pedestrians
      scenario S {
          ego a = Pedestrian { size: (0.9m, 0.9m, 1.75m) } at (0m, 0m, 0m) facing 0deg with behavior set_speed(1m/s)
          let b = Pedestrian { size: (0.9m, 0.9m, 1.75m) } at (6m, \(lateral)m, 0m) facing 180deg with behavior set_speed(1m/s)
          simulate 6s at 50Hz
      }
      """)
  }

  static func met(_ scene: Scene, _ trace: Trace) throws -> Bool {
    let a = try SimulationSupport.actor(scene, "a"), b = try SimulationSupport.actor(scene, "b")
    return trace.collisions.contains { $0.began && Set([$0.first, $0.second]) == Set([a, b]) }
  }

  @Test func peopleWhoseBoxesOverlapButWhoseBodiesDoNotPassEachOther() throws {
    let half = Self.personHalfWidth(size: Vec3(0.9, 0.9, 1.75))
    let lateral = 2 * half + 0.1
    // Their 0.9 m boxes (and the 0.45 m capsules people once were) overlap by this much.
    try #require(half > 0.1 && lateral < 0.8, "half width \(half)")
    let (scene, trace) = try Self.passing(lateral: (lateral * 1000).rounded() / 1000)
    // They did pass: a ends beyond b's start line and b beyond a's.
    let last = try #require(trace.frames.last)
    #expect(last.actors[0].position.x > 3 && last.actors[1].position.x < 3)
    #expect(try !Self.met(scene, trace))
  }

  @Test func peopleWhoseBodiesMeetCollide() throws {
    let (scene, trace) = try Self.passing(lateral: 0)
    #expect(try Self.met(scene, trace))
  }

  /// A prop of `shape` 0.3 m across, sliding off at 2 m/s along x on the ground.
  static func pushed(_ shape: String) throws -> Trace {
    try SimulationSupport.trace(
      """
      scenario S {
          ego b = Box { shape: \(shape), size: (0.3m, 0.3m, 0.3m), speed: 2m/s } at (0m, 0m, 0m) facing 0deg
          simulate 1.5s at 100Hz
      }
      """
    ).1
  }

  @Test func aBallRollsOnWhereABoxSlidesToAStop() throws {
    // Friction √(0.6 · 0.8): a box stops within 2² / (2 μ g) ≈ 0.29 m; a ball slides until it
    // rolls, then rolls on at 5/7 of its speed.
    let ball = try #require(try Self.pushed("sphere").frames.last).actors[0]
    let box = try #require(try Self.pushed("box").frames.last).actors[0]
    #expect(box.position.x < 0.35, "the box slid \(box.position.x) m")
    #expect(ball.position.x > 1.9 && ball.position.x < 2.4, "the ball went \(ball.position.x) m")
    // It rolls at 5/7 of 2 m/s (a solid ball's inertia, 2/5 m r²).
    #expect(abs(ball.speed - 2.0 * 5 / 7) < 0.05, "rolling at \(ball.speed) m/s")
  }
}
