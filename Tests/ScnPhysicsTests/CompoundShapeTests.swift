import ScnGeometry
import Testing

@testable import ScnPhysics

/// Bodies made of several boxes (`CollisionShape.compound`: an actor's parts): they collide
/// where their boxes meet, not where their bounds do.
@Suite struct CompoundShapeTests {
  /// An L seen from above in a 2 m × 2 m footprint, 0.2 m thick arms along its −y and −x
  /// edges, 0.4 m tall, centred on the body origin.
  static let ell = CollisionShape.compound([
    CompoundPart(box: OrientedBox(center: Vec3(0, -0.9, 0), halfExtents: Vec3(1, 0.1, 0.2))),
    CompoundPart(box: OrientedBox(center: Vec3(-0.9, 0.1, 0), halfExtents: Vec3(0.1, 0.9, 0.2))),
  ])

  /// Two kinematic Ls, the second turned half a turn and moved by `offset`, after a few steps.
  static func twoEls(offset: Vec3) throws -> (PhysicsWorld, BodyID, BodyID) {
    var w = TestScenes.world()
    let a = try w.addBody(RigidBodyDescriptor(shape: ell, transform: Transform(translation: Vec3(0, 0, 1)), motion: .kinematic))
    let b = try w.addBody(
      RigidBodyDescriptor(shape: ell, transform: Transform(position: Vec3(0, 0, 1) + offset, yaw: .pi), motion: .kinematic))
    for _ in 0..<4 { try w.step(dt: 1.0 / 100) }
    return (w, a, b)
  }

  /// The bounds of every substep read a compound's part boxes and each body's spin radius
  /// as worked out when it was added (`bodyBounds`, `spinRadii`): the same bits as
  /// `bounds(shape:…)` and the shape's own radius, for every kind of shape and any pose.
  @Test func cachedPartBoxesGiveTheBoundsOfTheShape() throws {
    let hull = try #require(
      ConvexPolytope(
        ConvexHull(containing: [
          Vec3(0.3, 0.1, -0.2), Vec3(-0.4, 0.2, 0.1), Vec3(0.1, -0.5, 0.3), Vec3(0.2, 0.3, 0.4), Vec3(-0.1, -0.2, -0.3),
        ])))
    let shapes: [CollisionShape] = [
      Self.ell, .sphere(radius: 0.3), .box(halfExtents: Vec3(0.2, 0.3, 0.4)), .capsule(radius: 0.2, halfHeight: 0.5),
      .cylinder(radius: 0.3, halfHeight: 0.2), .hull(hull),
      .compound([
        CompoundPart(.hull(hull), center: Vec3(0.1, 0.2, 0.3), rotation: Quaternion(yaw: 0.7, pitch: 0.2, roll: -0.1)),
        CompoundPart(.sphere(radius: 0.1), center: Vec3(-0.3, 0, 0.1)),
        CompoundPart(box: OrientedBox(center: Vec3(0, 0.4, 0), halfExtents: Vec3(0.1, 0.2, 0.3), rotation: Quaternion(yaw: 1.1))),
      ]),
    ]
    var w = TestScenes.world()
    var ids: [BodyID] = []
    for (k, shape) in shapes.enumerated() {
      ids.append(
        try w.addBody(
          RigidBodyDescriptor(
            shape: shape, transform: Transform(position: Vec3(Double(k) * 3, 0.5, 2), yaw: 0.3 * Double(k)),
            motion: .dynamic, angularVelocity: Vec3(0.4, -1.2, 2.5))))
    }
    for _ in 0..<5 { try w.step(dt: 1.0 / 50) }
    for (k, id) in ids.enumerated() {
      let i = Int(id.rawValue)
      // The shape as collided: a hull or compound moved to its centre of mass (the body's position).
      let collided = w.shapes[i]
      if case .hull = shapes[k] { #expect(collided != shapes[k], "shape \(k) not moved to its centre of mass") }
      let expected = PhysicsWorld.bounds(shape: collided, position: w.positions[i], axes: w.axes[i], margin: 0.125)
      let got = w.bodyBounds(i, margin: 0.125)
      #expect(got.lower.x.bitPattern == expected.lower.x.bitPattern && got.upper.z.bitPattern == expected.upper.z.bitPattern)
      #expect(got == expected, "shape \(k)")
      let radius: Double
      switch collided {
      case .sphere, .plane: radius = 0
      case .box(let e): radius = e.length
      case .capsule(let r, let hh): radius = r + hh
      case .cylinder(let r, let hh): radius = (r * r + hh * hh).squareRoot()
      case .hull, .compound: radius = collided.localBoundsHalfExtents().length
      }
      #expect(w.spinRadii[i].bitPattern == radius.bitPattern, "shape \(k)")
    }
  }

  @Test func elsWhoseBoundsOverlapButWhoseArmsDoNotNeverTouch() throws {
    // The second L's arms lie along y = 1.3…1.5 and x = 1.3…1.5; the bounds share the square
    // −0.5…1 × −0.5…1, the arms nothing.
    let (w, a, b) = try Self.twoEls(offset: Vec3(0.5, 0.5, 0))
    let x = w.bounds[Int(a.rawValue)], y = w.bounds[Int(b.rawValue)]
    let boundsOverlap = x.lower.x < y.upper.x && y.lower.x < x.upper.x && x.lower.y < y.upper.y && y.lower.y < x.upper.y
      && x.lower.z < y.upper.z && y.lower.z < x.upper.z
    #expect(boundsOverlap)
    #expect(!w.isTouching(a, b))
    #expect(!w.collided(a, b))
    // The same two bodies as their bounding boxes would touch.
    var boxes = TestScenes.world()
    let ba = try boxes.addBody(
      RigidBodyDescriptor(shape: .box(halfExtents: Vec3(1, 1, 0.2)), transform: Transform(translation: Vec3(0, 0, 1)), motion: .kinematic))
    let bb = try boxes.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(1, 1, 0.2)), transform: Transform(translation: Vec3(0.5, 0.5, 1)), motion: .kinematic))
    try boxes.step(dt: 1.0 / 100)
    #expect(boxes.collided(ba, bb))
  }

  @Test func elsWhoseArmsCrossTouch() throws {
    // Moved by (−1.6, −1.6): the second L's arm along y = −0.8…−0.6 crosses the first's arm
    // along x = −1…−0.8.
    let (w, a, b) = try Self.twoEls(offset: Vec3(-1.6, -1.6, 0))
    #expect(w.isTouching(a, b))
    #expect(w.collided(a, b))
    // Contacts lie where the arms cross, never in the L's empty corner.
    for c in w.contacts where c.pair == BodyPair(a, b) {
      #expect(c.position.x < -0.35 || c.position.y < -0.35, "\(c.position)")
    }
  }

  @Test func aDynamicElRestsOnTheGroundOnItsArms() throws {
    var w = TestScenes.world()
    _ = try w.addBody(RigidBodyDescriptor(shape: .plane, motion: .static))
    let body = try w.addBody(RigidBodyDescriptor(shape: Self.ell, transform: Transform(translation: Vec3(0, 0, 0.5))))
    for _ in 0..<600 { try w.step(dt: 1.0 / 240) }
    let t = try #require(w.transform(of: body))
    // Resting on its 0.4 m tall arms: the origin 0.2 m up, level.
    #expect(abs(t.translation.z - 0.2) < 0.01, "\(t.translation)")
    #expect(abs(t.rotation.w) > 0.999)
    // A box dropped into the L's empty corner falls past where the bounds would stop it.
    var w2 = TestScenes.world()
    _ = try w2.addBody(RigidBodyDescriptor(shape: .plane, motion: .static))
    _ = try w2.addBody(RigidBodyDescriptor(shape: Self.ell, transform: Transform(translation: Vec3(0, 0, 0.2)), motion: .static))
    let cube = try w2.addBody(
      RigidBodyDescriptor(shape: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), transform: Transform(translation: Vec3(0.3, 0.3, 0.8))))
    for _ in 0..<600 { try w2.step(dt: 1.0 / 240) }
    let z = try #require(w2.transform(of: cube)).translation.z
    #expect(abs(z - 0.1) < 0.01, "the cube rests on the ground inside the L at z \(z)")
  }

  @Test func invalidCompoundsAreRefused() {
    var w = TestScenes.world()
    #expect(throws: PhysicsError.self) { try w.addBody(RigidBodyDescriptor(shape: .compound([]))) }
    #expect(throws: PhysicsError.self) {
      try w.addBody(RigidBodyDescriptor(shape: .compound([CompoundPart(box: OrientedBox(center: .zero, halfExtents: Vec3(1, 0, 1)))])))
    }
    let tooMany = Array(
      repeating: CompoundPart(box: OrientedBox(center: .zero, halfExtents: Vec3(1, 1, 1))), count: CollisionShape.maxCompoundBoxes + 1)
    #expect(throws: PhysicsError.self) { try w.addBody(RigidBodyDescriptor(shape: .compound(tooMany))) }
  }
}
