import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct ForcesAndEventsTests {
  @Test func constantForceGivesTheExpectedAcceleration() throws {
    var w = PhysicsWorld(gravity: .zero)
    let puck = try w.addBody(RigidBodyDescriptor(shape: .sphere(radius: 0.1), mass: .mass(2)))
    for _ in 0..<100 {
      try w.applyForce(Vec3(4, 0, 0), to: puck)
      try w.step(dt: 0.01, substeps: 2)
    }
    // a = F/m = 2 m/s² for 1 s.
    #expect(abs(try #require(w.velocity(of: puck)).linear.x - 2) < 1e-12)
    // An off-centre force also spins it: τ = r × F about z.
    try w.applyForce(Vec3(0, 1, 0), at: try #require(w.transform(of: puck)).translation + Vec3(0.1, 0, 0), to: puck)
    try w.step(dt: 0.01)
    let spin = try #require(w.velocity(of: puck)).angular.z
    let inertia = 0.4 * 2 * 0.01
    #expect(abs(spin - 0.1 * 1 / inertia * 0.01) < 1e-12)
    // Forces last one step: without a new push the spin stays put.
    try w.step(dt: 0.01)
    #expect(try #require(w.velocity(of: puck)).angular.z == spin)
  }

  @Test func boxSlidingOffATableEndsItsContact() throws {
    var w = TestScenes.world()
    let table = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(1, 1, 0.5)), transform: Transform(translation: Vec3(0, 0, 0.5)), motion: .static,
        friction: 0))
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), transform: Transform(translation: Vec3(0, 0, 1.1)), friction: 0,
        linearVelocity: Vec3(2, 0, 0)))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    let events = w.contactEvents.filter { $0.pair == BodyPair(table, box) }
    #expect(events.map(\.kind) == [.began, .ended])
    // It leaves when its trailing edge passes the table edge: (1 + 0.1) m at 2 m/s.
    let left = try #require(events.last).time
    #expect(abs(left - 0.55) < 0.03, "left at \(left)")
    #expect(!w.isTouching(table, box) && w.collided(table, box))
  }
}
