import ScnGeometry
import Testing

@testable import ScnPhysics

/// Cylinders and convex polytopes (mesh parts' hulls) collide as their true shapes, not
/// as their bounding boxes (docs/scene-model.md, "Overlap tests and physics").
@Suite struct ConvexShapeTests {
  static let dt = 1.0 / 240

  /// A cube of edge `edge` turned 45° about y inside its own vertex list: its axis-aligned
  /// bounds are √2 × edge wide and tall, the cube itself `edge`.
  static func tiltedCube(edge: Double) throws -> ConvexPolytope {
    let q = Quaternion(axis: .unitY, angle: .pi / 4)
    var points: [Vec3] = []
    for k in 0..<8 {
      let c = Vec3(k & 1 == 0 ? -1 : 1, k & 2 == 0 ? -1 : 1, k & 4 == 0 ? -1 : 1) * (edge / 2)
      points.append(q.rotate(c))
    }
    return try #require(ConvexPolytope(points: points))
  }

  /// A mug-like hull: a 16-sided cylinder of radius 0.04 m from z = −0.05 to 0.05 m.
  static func mug() throws -> ConvexPolytope {
    var points: [Vec3] = []
    for k in 0..<16 {
      let a = 2 * Double.pi * Double(k) / 16
      points.append(Vec3(0.04 * a.cosine, 0.04 * a.sine, -0.05))
      points.append(Vec3(0.04 * a.cosine, 0.04 * a.sine, 0.05))
    }
    return try #require(ConvexPolytope(points: points))
  }

  /// Kinetic plus potential energy of a body (mass m, ground at z = 0).
  static func energy(_ w: PhysicsWorld, _ id: BodyID) throws -> Double {
    let m = try #require(w.mass(of: id))
    let v = try #require(w.velocity(of: id))
    let z = try #require(w.transform(of: id)).translation.z
    // Rotational energy bounded with the box-of-bounds inertia the body uses.
    return 0.5 * m * v.linear.lengthSquared + 0.5 * m * 0.01 * v.angular.lengthSquared + m * TestScenes.g * z
  }

  @Test func aTiltedCubeHullFallsFlatAndRestsAtHalfItsEdge() throws {
    let hull = try Self.tiltedCube(edge: 0.4)
    var w = TestScenes.world(sleep: false)
    try w.addGroundPlane(friction: 0.6)
    // Resting on an edge it is unstable; a nudge tips it onto a face.
    let body = try w.addBody(RigidBodyDescriptor(
      shape: .hull(hull), transform: Transform(translation: Vec3(0, 0, 0.3)), angularVelocity: Vec3(0, 0.5, 0)))
    for _ in 0..<(240 * 3) { try w.step(dt: Self.dt) }
    let z = try #require(w.transform(of: body)).translation.z
    // Its bounds are 0.566 m tall: the box stand-in would rest at 0.283 m.
    #expect(abs(z - 0.2) < 0.003, "rests at \(z)")
    #expect(try #require(w.velocity(of: body)).linear.length < 1e-2)
  }

  @Test func aMugHullOnATableRestsOnItsBottomAndStaysPut() throws {
    var w = TestScenes.world(sleep: false)
    try w.addBody(RigidBodyDescriptor(
      shape: .box(halfExtents: Vec3(0.5, 0.5, 0.375)), transform: Transform(translation: Vec3(0, 0, 0.375)), motion: .static))
    let mug = try w.addBody(RigidBodyDescriptor(
      shape: .hull(try Self.mug()), transform: Transform(translation: Vec3(0.1, 0, 0.9)), mass: .mass(0.3), friction: 0.6))
    for _ in 0..<(240 * 2) { try w.step(dt: Self.dt) }
    let t = try #require(w.transform(of: mug))
    #expect(abs(t.translation.z - 0.8) < 0.003, "\(t.translation)")
    #expect(abs(t.translation.x - 0.1) < 0.002 && abs(t.rotation.w) > 0.9999)
    // At rest the energy does not grow.
    let e0 = try Self.energy(w, mug)
    for _ in 0..<(240 * 2) {
      try w.step(dt: Self.dt)
      #expect(try Self.energy(w, mug) <= e0 + 1e-6)
    }
  }

  @Test func aSphereSinksIntoASlotItsBoxWouldBridge() throws {
    // Two static blocks 0.2 m apart; a 0.15 m ball settles between their edges, its centre
    // √(0.15² − 0.1²) = 0.112 m above their tops; its box (also a compound part) would rest
    // on the tops at 0.15 m.
    var w = TestScenes.world(sleep: false)
    for x in [-0.6, 0.6] {
      try w.addBody(RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.5, 0.5, 0.5)), transform: Transform(translation: Vec3(x, 0, 0.5)), motion: .static))
    }
    let ball = try w.addBody(RigidBodyDescriptor(
      shape: .compound([CompoundPart(.sphere(radius: 0.15))]), transform: Transform(translation: Vec3(0, 0, 1.4))))
    for _ in 0..<(240 * 2) { try w.step(dt: Self.dt) }
    let z = try #require(w.transform(of: ball)).translation.z
    #expect(abs(z - (1 + (0.15 * 0.15 - 0.01).squareRoot())) < 0.003, "rests at \(z)")
  }

  @Test func aLyingCylinderRollsWhereItsBoxWouldSlideToAStop() throws {
    // Lying along y, pushed along x at 2 m/s: it rolls (spin × radius = speed) and keeps
    // going, where a box with friction 0.6 stops within 0.4 m.
    var w = TestScenes.world(sleep: false)
    try w.addGroundPlane(friction: 0.6)
    let lying = Quaternion(axis: .unitX, angle: .pi / 2)
    let cylinder = try w.addBody(RigidBodyDescriptor(
      shape: .cylinder(radius: 0.2, halfHeight: 0.3), transform: Transform(rotation: lying, translation: Vec3(0, 0, 0.2)),
      mass: .mass(5), friction: 0.6, linearVelocity: Vec3(2, 0, 0), angularVelocity: Vec3(0, 10, 0)))
    for _ in 0..<240 { try w.step(dt: Self.dt) }
    let t = try #require(w.transform(of: cylinder))
    let v = try #require(w.velocity(of: cylinder))
    #expect(t.translation.x > 1.5, "travelled \(t.translation.x) m")
    #expect(abs(t.translation.z - 0.2) < 0.003, "axle height \(t.translation.z)")
    #expect(abs(v.angular.y * 0.2 - v.linear.x) < 0.05, "spin \(v.angular.y) rad/s at \(v.linear.x) m/s")
    // An upright cylinder stands on its cap, level.
    var u = TestScenes.world(sleep: false)
    try u.addGroundPlane(friction: 0.6)
    let standing = try u.addBody(RigidBodyDescriptor(
      shape: .cylinder(radius: 0.1, halfHeight: 0.25), transform: Transform(translation: Vec3(0, 0, 0.3))))
    for _ in 0..<480 { try u.step(dt: Self.dt) }
    let s = try #require(u.transform(of: standing))
    #expect(abs(s.translation.z - 0.25) < 0.003 && abs(s.rotation.w) > 0.9999, "\(s)")
  }

  @Test func aCylinderRollsDownARamp() throws {
    // A ramp tilted 10° (tan 10° < friction 0.6: a box would stick); a lying cylinder rolls
    // down it, accelerating at (2/3) g sin 10° as a solid cylinder does.
    var w = TestScenes.world(sleep: false)
    let slope = 10.0 * .pi / 180
    try w.addBody(RigidBodyDescriptor(
      shape: .box(halfExtents: Vec3(5, 1, 0.1)), transform: Transform(rotation: Quaternion(axis: .unitY, angle: slope), translation: .zero),
      motion: .static, friction: 0.6))
    let lying = Quaternion(axis: .unitY, angle: slope) * Quaternion(axis: .unitX, angle: .pi / 2)
    let normal = Quaternion(axis: .unitY, angle: slope).rotate(.unitZ)
    let start = normal * 0.3
    let cylinder = try w.addBody(RigidBodyDescriptor(
      shape: .cylinder(radius: 0.2, halfHeight: 0.3), transform: Transform(rotation: lying, translation: start - Vec3(0, 0.5, 0)),
      mass: .mass(5), friction: 0.6))
    let box = try w.addBody(RigidBodyDescriptor(
      shape: .box(halfExtents: Vec3(0.2, 0.3, 0.2)), transform: Transform(rotation: Quaternion(axis: .unitY, angle: slope), translation: start + Vec3(0, 0.5, 0)),
      mass: .mass(5), friction: 0.6))
    for _ in 0..<240 { try w.step(dt: Self.dt) }
    let v = try #require(w.velocity(of: cylinder)).linear.length
    let expected = 2.0 / 3 * TestScenes.g * slope.sine * 1.0
    #expect(abs(v - expected) < 0.15 * expected, "speed \(v), expected \(expected)")
    #expect(try #require(w.velocity(of: box)).linear.length < 0.05)
  }

  @Test func diagonalRodsWhoseBoundsOverlapButWhichDoNotTouchNeverPush() throws {
    // Two arms, rods from (0,0,0) to (1,1,0)-ish as hulls: parallel, 0.3 m apart across the
    // diagonal, so their bounding boxes overlap but the rods do not.
    func rod(_ offset: Vec3) throws -> CompoundPart {
      var points: [Vec3] = []
      for end in [Vec3(-0.5, -0.5, 0), Vec3(0.5, 0.5, 0)] {
        for k in 0..<8 {
          let a = 2 * Double.pi * Double(k) / 8
          points.append(end + offset + Vec3(0.05 * a.cosine, -0.05 * a.cosine, 0.07 * a.sine))
        }
      }
      return CompoundPart(.hull(try #require(ConvexPolytope(points: points))))
    }
    var w = TestScenes.world(sleep: false)
    let a = try w.addBody(RigidBodyDescriptor(
      shape: .compound([try rod(.zero)]), transform: Transform(translation: Vec3(0, 0, 1)), motion: .kinematic))
    let b = try w.addBody(RigidBodyDescriptor(
      shape: .compound([try rod(Vec3(0.15, -0.15, 0))]), transform: Transform(translation: Vec3(0, 0, 1)), mass: .mass(2)))
    try w.setVelocity(of: b, linear: .zero, angular: .zero)
    w.gravity = .zero
    for _ in 0..<60 { try w.step(dt: Self.dt) }
    #expect(!w.collided(a, b))
    #expect(try #require(w.velocity(of: b)).linear.length == 0)
    // Moved onto each other, they do touch.
    try w.setTransform(of: b, Transform(translation: Vec3(-0.1, 0.1, 1)))
    for _ in 0..<4 { try w.step(dt: Self.dt) }
    #expect(w.collided(a, b))
  }

  @Test func gjkDistancesAreExact() throws {
    let pose = { (p: Vec3) in BodyPose(position: p, axes: Mat3(rotation: .identity)) }
    // Cube hull (edge 0.4) and a sphere 1 m from its centre along a diagonal of its top face.
    var points: [Vec3] = []
    for k in 0..<8 { points.append(Vec3(k & 1 == 0 ? -0.2 : 0.2, k & 2 == 0 ? -0.2 : 0.2, k & 4 == 0 ? -0.2 : 0.2)) }
    let cube = try #require(ConvexPolytope(points: points))
    var out = ContactScratch()
    Narrowphase.collide(.hull(cube), pose(.zero), .sphere(radius: 0.1), pose(Vec3(0.5, 0.5, 0)), margin: 1, into: &out)
    try #require(out.count == 1)
    #expect(abs(out.separations[0] - (0.3 * 2.0.squareRoot() - 0.1)) < 1e-9)
    // Sphere beside a standing cylinder's side: the gap is radial.
    out.reset()
    Narrowphase.collide(.sphere(radius: 0.1), pose(Vec3(0.5, 0, 0.1)), .cylinder(radius: 0.2, halfHeight: 0.5), pose(.zero), margin: 1, into: &out)
    try #require(out.count == 1)
    #expect(abs(out.separations[0] - 0.2) < 1e-9)
    #expect((out.normals[0] - Vec3(-1, 0, 0)).length < 1e-9)
    // Two cylinders lying parallel side by side touch along a line: two points.
    out.reset()
    let lying = BodyPose(position: .zero, axes: Mat3(rotation: Quaternion(axis: .unitX, angle: .pi / 2)))
    var other = lying
    other.position = Vec3(0.399, 0, 0)
    Narrowphase.collide(.cylinder(radius: 0.2, halfHeight: 0.3), lying, .cylinder(radius: 0.2, halfHeight: 0.3), other, margin: 0.01, into: &out)
    #expect(out.count == 2)
    for s in out.separations { #expect(abs(s + 0.001) < 1e-6) }
  }

  @Test func convexScenesAreDeterministic() throws {
    func run() throws -> [Transform] {
      var w = TestScenes.world()
      try w.addGroundPlane(friction: 0.6)
      let mug = try Self.mug()
      let cube = try Self.tiltedCube(edge: 0.2)
      for i in 0..<12 {
        let shape: CollisionShape = i % 3 == 0 ? .hull(mug) : (i % 3 == 1 ? .cylinder(radius: 0.05, halfHeight: 0.08) : .hull(cube))
        try w.addBody(RigidBodyDescriptor(
          shape: shape,
          transform: Transform(rotation: Quaternion(yaw: Double(i) * 0.4, pitch: 0.3, roll: 0.1 * Double(i % 4)),
                               translation: Vec3(Double(i % 3) * 0.12, Double(i / 3) * 0.05, 0.2 + Double(i) * 0.15)),
          mass: .mass(0.5)))
      }
      for _ in 0..<(240 * 2) { try w.step(dt: Self.dt) }
      return w.bodyIDs.compactMap { w.transform(of: $0) }
    }
    let a = try run(), b = try run()
    #expect(a == b)
    // Everything came to rest above the ground.
    for t in a.dropFirst() { #expect(t.translation.z > 0.03 && t.translation.z < 0.3, "\(t.translation)") }
  }

  @Test func aBoxSlidingIntoAPoleStopsAgainstItAndTouches() throws {
    var w = TestScenes.world(sleep: false)
    try w.addGroundPlane(friction: 0.8)
    let pole = try w.addBody(RigidBodyDescriptor(
      shape: .cylinder(radius: 0.06, halfHeight: 1.5), transform: Transform(translation: Vec3(0, 0, 1.5)), motion: .static,
      friction: 0.6))
    let box = try w.addBody(RigidBodyDescriptor(
      shape: .box(halfExtents: Vec3(0.25, 0.25, 0.25)), transform: Transform(translation: Vec3(-1.5, 0.02, 0.25)),
      mass: .mass(1), friction: 0.6, linearVelocity: Vec3(6, 0, 0)))
    for _ in 0..<150 { try w.step(dt: 1.0 / 100) }
    let x = try #require(w.transform(of: box)).translation.x
    // Its front (0.25 m ahead) stops at the pole's surface (radius 0.06 m).
    #expect(abs(x + 0.31) < 0.005, "stopped at \(x)")
    #expect(w.collided(pole, box), "\(w.contactEvents)")
  }
}
