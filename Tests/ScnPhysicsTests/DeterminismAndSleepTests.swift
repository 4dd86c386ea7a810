import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct DeterminismAndSleepTests {
  private func trace(_ count: Int) throws -> [UInt64] {
    var w = try TestScenes.fallingBoxes(count: count)
    var out: [UInt64] = []
    for step in 0..<240 {
      try w.step(dt: 1.0 / 240)
      guard step % 24 == 23 else { continue }
      for id in w.bodyIDs {
        let t = try #require(w.transform(of: id))
        let v = try #require(w.velocity(of: id))
        for x in [
          t.translation.x, t.translation.y, t.translation.z, t.rotation.w, t.rotation.x, t.rotation.y,
          t.rotation.z, v.linear.x, v.linear.y, v.linear.z, v.angular.x, v.angular.y, v.angular.z,
        ] {
          out.append(x.bitPattern)
        }
      }
    }
    for e in w.contactEvents {
      out.append(e.time.bitPattern)
      out.append(e.pair.key)
    }
    return out
  }

  /// The pinned trace, as Box2D pins its determinism hash: any change to the bytes the solver
  /// produces for this scene (integration, contact order, friction, sleeping) fails here, so it
  /// is a decision recorded by updating the hash, never an accident. FNV-1a 64 over the bit
  /// patterns of the 20-box trace (poses and velocities every 24 steps, then contact events).
  @Test func twentyBoxTraceMatchesItsPinnedHash() throws {
    let values = try trace(20)
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for value in values {
      for byte in 0..<8 {
        hash ^= (value >> (8 * UInt64(byte))) & 0xff
        hash = hash &* 0x0000_0100_0000_01b3
      }
    }
    #expect(values.count == Self.pinnedTraceCount)
    #expect(String(hash, radix: 16) == Self.pinnedTraceHash, "trace hash \(String(hash, radix: 16)), \(values.count) values")
  }

  static let pinnedTraceCount = 2770
  static let pinnedTraceHash = "27e61d3cc457e4ab"

  @Test func fiftyBoxSceneIsBitIdenticalAcrossRuns() throws {
    let first = try trace(50)
    let second = try trace(50)
    #expect(first.count > 50 * 13)
    #expect(first == second)
  }

  @Test func fallingBoxesSettleWithoutSinkingIntoTheGround() throws {
    var w = try TestScenes.fallingBoxes(count: 50)
    for _ in 0..<(240 * 3) { try w.step(dt: 1.0 / 240) }
    for id in w.bodyIDs.dropFirst() {
      let b = try #require(w.transform(of: id)).translation
      #expect(b.z > 0.19 && b.z < 1.0)
    }
    // Most have come to rest and gone to sleep.
    let sleeping = w.bodyIDs.dropFirst().filter { !w.isAwake($0) }.count
    #expect(sleeping >= 40, "\(sleeping) asleep")
  }

  @Test func restingBodyFallsAsleepAndWakesWhenHit() throws {
    var w = TestScenes.world()
    try w.addGroundPlane()
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.5, 0.5, 0.5)),
        transform: Transform(translation: Vec3(0, 0, 0.6))))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    #expect(!w.isAwake(box))
    let restPose = try #require(w.transform(of: box))
    // Asleep it stays exactly put.
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    #expect(try #require(w.transform(of: box)) == restPose)

    let ball = try w.addBody(
      RigidBodyDescriptor(
        shape: .sphere(radius: 0.2),
        transform: Transform(translation: Vec3(0.3, 0.2, 2.5)), mass: .mass(200)))
    var wokeAt: Double?
    for _ in 0..<240 where wokeAt == nil {
      try w.step(dt: 1.0 / 240)
      if w.isAwake(box) { wokeAt = w.time }
    }
    let woke = try #require(wokeAt)
    for _ in 0..<30 { try w.step(dt: 1.0 / 240) }
    // It woke as the ball came within the speculative margin, just before impact.
    let hit = try #require(w.contactEvents.first { $0.pair == BodyPair(box, ball) })
    #expect(woke <= hit.time + 1.0 / 240 && hit.time - woke < 3.0 / 240, "woke \(woke), hit \(hit.time)")
    #expect(try #require(w.transform(of: box)) != restPose)
  }

  @Test func invalidBodiesAreRejected() {
    var w = TestScenes.world()
    #expect(throws: PhysicsError.invalidShape(.sphere(radius: 0))) {
      try w.addBody(RigidBodyDescriptor(shape: .sphere(radius: 0)))
    }
    #expect(throws: PhysicsError.movingPlane) { try w.addBody(RigidBodyDescriptor(shape: .plane)) }
    #expect(throws: PhysicsError.invalidMass(.mass(-1))) {
      try w.addBody(RigidBodyDescriptor(shape: .sphere(radius: 1), mass: .mass(-1)))
    }
    #expect(throws: PhysicsError.invalidParameter("dt")) { try w.step(dt: .nan) }
    #expect(w.bodyCount == 0)
  }

  @Test func massAndInertiaFollowTheShape() throws {
    var w = TestScenes.world()
    let box = try w.addBody(RigidBodyDescriptor(shape: .box(halfExtents: Vec3(0.5, 1, 1.5)), mass: .density(2)))
    #expect(abs(try #require(w.mass(of: box)) - 12) < 1e-12)
    let i = CollisionShape.box(halfExtents: Vec3(0.5, 1, 1.5)).principalInertia(mass: 12)
    #expect(abs(i.x - 12.0 / 12 * (4 + 9)) < 1e-12)
    // A capsule with no cylinder is a sphere.
    let c = CollisionShape.capsule(radius: 0.3, halfHeight: 0).principalInertia(mass: 2)
    #expect(abs(c.x - 0.4 * 2 * 0.09) < 1e-12 && abs(c.z - c.x) < 1e-12)
  }
}
