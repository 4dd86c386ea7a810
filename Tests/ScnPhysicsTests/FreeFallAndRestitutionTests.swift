import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct FreeFallAndRestitutionTests {
  @Test func droppedSphereLandsAtTheAnalyticTime() throws {
    var w = TestScenes.world()
    let ground = try w.addGroundPlane()
    let h = 5.0
    let r = 0.25
    let ball = try w.addBody(
      RigidBodyDescriptor(shape: .sphere(radius: r), transform: Transform(translation: Vec3(0, 0, r + h))))
    var landed: Double?
    for _ in 0..<1000 where landed == nil {
      try w.step(dt: 1.0 / 240)
      landed = w.contactEvents.first { $0.pair == BodyPair(ground, ball) }?.time
    }
    let expected = (2 * h / TestScenes.g).squareRoot()
    let time = try #require(landed)
    #expect(abs(time - expected) / expected < 0.01, "landed at \(time), analytic \(expected)")
    // It came to rest on the surface, not in it.
    for _ in 0..<120 { try w.step(dt: 1.0 / 240) }
    let z = try #require(w.transform(of: ball)).translation.z
    #expect(abs(z - r) < 0.003)
    #expect(w.collided(ball, ground) && w.collided(ground, ball))
  }

  @Test func bounceReachesRestitutionSquaredTimesTheDropHeight() throws {
    var w = TestScenes.world()
    try w.addGroundPlane(restitution: 0.8)
    let r = 0.2
    let h = 1.0
    let ball = try w.addBody(
      RigidBodyDescriptor(
        shape: .sphere(radius: r), transform: Transform(translation: Vec3(0, 0, r + h)), restitution: 0.8))
    var bounced = false
    var apex = 0.0
    for _ in 0..<(240 * 3) {
      try w.step(dt: 1.0 / 240, substeps: 4)
      let state = try #require(w.velocity(of: ball))
      let z = try #require(w.transform(of: ball)).translation.z - r
      if !bounced && state.linear.z > 0 { bounced = true }
      if bounced {
        if state.linear.z < 0 && z < apex - 0.05 { break }
        apex = max(apex, z)
      }
    }
    #expect(bounced)
    let expected = 0.8 * 0.8 * h
    #expect(abs(apex - expected) / expected < 0.02, "apex \(apex), expected \(expected)")
  }

  @Test(arguments: [1.0, 0.0, 0.5])
  func headOnCollisionConservesMomentum(restitution e: Double) throws {
    var w = PhysicsWorld(gravity: .zero)
    let a = try w.addBody(
      RigidBodyDescriptor(
        shape: .sphere(radius: 0.5), transform: Transform(translation: Vec3(-2, 0, 0)), mass: .mass(2),
        restitution: e, linearVelocity: Vec3(3, 0, 0)))
    let b = try w.addBody(
      RigidBodyDescriptor(
        shape: .sphere(radius: 0.5), transform: Transform(translation: Vec3(2, 0, 0)), mass: .mass(2),
        restitution: e, linearVelocity: Vec3(-1, 0, 0)))
    let initial = Vec3(4, 0, 0)  // 2·3 + 2·(−1)
    for _ in 0..<400 {
      try w.step(dt: 1.0 / 240)
      let p = (try #require(w.velocity(of: a)).linear + (try #require(w.velocity(of: b))).linear) * 2
      #expect((p - initial).length / initial.length < 1e-9)
    }
    #expect(w.collided(a, b))
    // Closing speed 4 m/s comes out as e·4 m/s apart.
    let va = try #require(w.velocity(of: a)).linear.x
    let vb = try #require(w.velocity(of: b)).linear.x
    #expect(abs((vb - va) - 4 * e) < 1e-6, "separating speed \(vb - va)")
  }
}
