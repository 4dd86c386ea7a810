import ScnGeometry
import Testing

@testable import ScnPhysics

@Suite struct KinematicBodyTests {
  @Test func boxRidesAMovingKinematicPlatform() throws {
    var w = TestScenes.world()
    let platform = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(3, 1, 0.1)), transform: Transform(translation: Vec3(0, 0, 0.1)),
        motion: .kinematic,
        friction: 0.8))
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.2, 0.2, 0.2)), transform: Transform(translation: Vec3(0, 0, 0.4)), friction: 0.8
      ))
    for _ in 0..<180 { try w.step(dt: 1.0 / 240) }  // settle and fall asleep on the platform
    let asleep = !w.isAwake(box)
    #expect(asleep)
    // Start the platform moving slowly enough for static friction to hold (a < μg).
    for k in 1...240 {
      try w.setVelocity(of: platform, linear: Vec3(Double(k) / 240, 0, 0), angular: .zero)
      try w.step(dt: 1.0 / 240)
    }
    let p = try #require(w.transform(of: platform)).translation.x
    let b = try #require(w.transform(of: box)).translation.x
    // Both covered ½·1·1² = 0.5 m; the box kept its place on the platform.
    #expect(abs(p - 0.5 - 0.5 / 240) < 1e-9)
    #expect(abs(b - p) < 0.005, "box \(b), platform \(p)")
    let woke = w.isAwake(box)
    #expect(woke)
  }

  @Test func teleportingASupportWakesWhatRestedOnIt() throws {
    var w = TestScenes.world()
    let table = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(1, 1, 0.5)), transform: Transform(translation: Vec3(0, 0, 0.5)), motion: .static))
    let cup = try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.05, halfHeight: 0.05), transform: Transform(translation: Vec3(0, 0, 1.1))))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    let asleep = !w.isAwake(cup)
    let touching = w.isTouching(table, cup)
    #expect(asleep && touching)
    try w.setTransform(of: table, Transform(translation: Vec3(10, 0, 0.5)))
    let woke = w.isAwake(cup)
    #expect(woke)
    for _ in 0..<60 { try w.step(dt: 1.0 / 240) }
    #expect(try #require(w.transform(of: cup)).translation.z < 1)
    // One touch, one begin and one end: sleeping did not break the contact into two.
    #expect(w.contactEvents.filter { $0.pair == BodyPair(table, cup) }.map(\.kind) == [.began, .ended])
  }
}
