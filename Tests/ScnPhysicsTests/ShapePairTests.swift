import ScnGeometry
import Testing

@testable import ScnPhysics

/// Every shape pair comes to rest at the height its geometry predicts.
@Suite struct ShapePairTests {
  /// Drops `shape` from `dropZ` onto `support` (static, its top at z = 1) and returns the
  /// resting height of the dropped body.
  private func restingHeight(
    of shape: CollisionShape, rotation: Quaternion = .identity, on support: CollisionShape,
    supportZ: Double, dropZ: Double
  ) throws -> (z: Double, speed: Double) {
    var w = TestScenes.world(sleep: false)
    try w.addBody(
      RigidBodyDescriptor(
        shape: support, transform: Transform(translation: Vec3(0, 0, supportZ)),
        motion: .static))
    let body = try w.addBody(
      RigidBodyDescriptor(shape: shape, transform: Transform(rotation: rotation, translation: Vec3(0, 0, dropZ))))
    for _ in 0..<(240 * 2) { try w.step(dt: 1.0 / 240) }
    return (try #require(w.transform(of: body)).translation.z, try #require(w.velocity(of: body)).linear.length)
  }

  @Test func sphereOnBox() throws {
    let r = try restingHeight(of: .sphere(radius: 0.3), on: .box(halfExtents: Vec3(1, 1, 0.5)), supportZ: 0.5, dropZ: 2)
    #expect(abs(r.z - 1.3) < 0.003 && r.speed < 1e-3)
  }

  @Test func sphereOnCapsule() throws {
    // A capsule lying along x (rotated about y) is a round ridge; a sphere dropped on its top stays balanced.
    var w = TestScenes.world(sleep: false)
    try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.5, halfHeight: 1),
        transform: Transform(rotation: Quaternion(axis: .unitY, angle: .pi / 2), translation: Vec3(0, 0, 0.5)),
        motion: .static))
    let ball = try w.addBody(
      RigidBodyDescriptor(shape: .sphere(radius: 0.2), transform: Transform(translation: Vec3(0.3, 0, 2))))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    #expect(abs(try #require(w.transform(of: ball)).translation.z - 1.2) < 0.003)
  }

  @Test func uprightCapsuleOnPlane() throws {
    let r = try restingHeight(of: .capsule(radius: 0.2, halfHeight: 0.5), on: .plane, supportZ: 0, dropZ: 1.5)
    #expect(abs(r.z - 0.7) < 0.003 && r.speed < 1e-3)
  }

  @Test func lyingCapsuleOnBox() throws {
    let lying = Quaternion(axis: .unitX, angle: .pi / 2)
    let r = try restingHeight(
      of: .capsule(radius: 0.2, halfHeight: 0.5), rotation: lying,
      on: .box(halfExtents: Vec3(1, 1, 0.5)), supportZ: 0.5, dropZ: 1.6)
    #expect(abs(r.z - 1.2) < 0.003 && r.speed < 1e-3)
  }

  @Test func capsuleOverhangingABoxRestsOnTwoPoints() throws {
    // A 2 m capsule across a 0.6 m box: both contacts sit on the face edges it crosses.
    var w = TestScenes.world(sleep: false)
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.3, 0.3, 0.5)), transform: Transform(translation: Vec3(0, 0, 0.5)),
        motion: .static))
    let lying = Quaternion(axis: .unitY, angle: .pi / 2)
    let pole = try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.1, halfHeight: 0.9), transform: Transform(rotation: lying, translation: Vec3(0, 0, 1.15))
      ))
    for _ in 0..<480 { try w.step(dt: 1.0 / 240) }
    let pose = try #require(w.transform(of: pole))
    #expect(abs(pose.translation.z - 1.1) < 0.003)
    #expect(abs(pose.rotation.rotate(.unitZ).z) < 1e-3)  // still level
    let points = w.contacts.filter { $0.pair == BodyPair(box, pole) }
    #expect(points.count == 2)
    #expect(points.allSatisfy { abs(abs($0.position.x) - 0.3) < 1e-6 })
  }

  @Test func uprightCapsuleOnBox() throws {
    let r = try restingHeight(
      of: .capsule(radius: 0.2, halfHeight: 0.4), on: .box(halfExtents: Vec3(1, 1, 0.5)), supportZ: 0.5, dropZ: 2)
    #expect(abs(r.z - 1.6) < 0.003 && r.speed < 1e-3)
  }

  @Test func capsuleAcrossCapsule() throws {
    // Two capsules lying crosswise: the upper one rests on the lower one's top.
    var w = TestScenes.world(sleep: false)
    try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.3, halfHeight: 1),
        transform: Transform(rotation: Quaternion(axis: .unitY, angle: .pi / 2), translation: Vec3(0, 0, 0.3)),
        motion: .static))
    let upper = try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.2, halfHeight: 0.6),
        transform: Transform(rotation: Quaternion(axis: .unitX, angle: .pi / 2), translation: Vec3(0, 0, 1.2)),
        angularDamping: 1))
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    #expect(abs(try #require(w.transform(of: upper)).translation.z - 0.8) < 0.003)
  }

  @Test func parallelCapsulesGetTwoContacts() throws {
    var w = TestScenes.world(sleep: false)
    let lying = Quaternion(axis: .unitY, angle: .pi / 2)
    let a = try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.3, halfHeight: 1),
        transform: Transform(rotation: lying, translation: Vec3(0, 0, 0.3)), motion: .static))
    let b = try w.addBody(
      RigidBodyDescriptor(
        shape: .capsule(radius: 0.3, halfHeight: 1),
        transform: Transform(rotation: lying, translation: Vec3(0.5, 0, 0.9))))
    try w.step(dt: 1.0 / 240)
    #expect(w.contacts.filter { $0.pair == BodyPair(a, b) }.count == 2)
  }

  @Test func tiltedBoxSettlesFlatOnPlane() throws {
    let tilt = Quaternion(yaw: 0.3, pitch: 0.35, roll: 0.2)
    var w = TestScenes.world(sleep: false)
    try w.addGroundPlane()
    let box = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.4, 0.3, 0.2)),
        transform: Transform(rotation: tilt, translation: Vec3(0, 0, 1))))
    for _ in 0..<(240 * 4) { try w.step(dt: 1.0 / 240) }
    let pose = try #require(w.transform(of: box))
    // Lands on its largest face: local z ends up vertical.
    #expect(abs(abs(pose.rotation.rotate(.unitZ).z) - 1) < 1e-3)
    #expect(abs(pose.translation.z - 0.2) < 0.003)
  }

  @Test func boxEdgeOnBoxEdgeFindsOneContact() throws {
    // Two boxes crossed like an X, edges touching: the edge–edge branch gives one point.
    var w = PhysicsWorld(gravity: .zero)
    let lower = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(1, 0.2, 0.2)),
        transform: Transform(rotation: Quaternion(axis: .unitX, angle: .pi / 4), translation: .zero), motion: .static))
    let upper = try w.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.2, 1, 0.2)),
        transform: Transform(
          rotation: Quaternion(axis: .unitY, angle: .pi / 4),
          translation: Vec3(0, 0, 0.2 * 2.0.squareRoot() * 2 - 0.001))))
    try w.step(dt: 1.0 / 240)
    let points = w.contacts.filter { $0.pair == BodyPair(lower, upper) }
    #expect(points.count == 1)
    #expect(abs(try #require(points.first).normal.z - 1) < 1e-6)
  }
}
