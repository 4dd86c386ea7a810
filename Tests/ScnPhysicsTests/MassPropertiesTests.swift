import Foundation
import ScnGeometry
import Testing

@testable import ScnPhysics

/// Exact mass properties of hulls and compounds (`CollisionShape.massProperties`) against
/// closed forms, and the solver's use of them: a body turns about its centre of mass, tips
/// where that centre passes its support, and a free body keeps its angular momentum.
@Suite struct MassPropertiesTests {
  static func expectClose(_ a: Double, _ b: Double, _ tolerance: Double, _ what: String) {
    #expect(abs(a - b) <= tolerance, "\(what): \(a) vs \(b)")
  }

  static func expectClose(_ t: InertiaTensor, _ u: InertiaTensor, _ tolerance: Double) {
    expectClose(t.xx, u.xx, tolerance, "xx")
    expectClose(t.yy, u.yy, tolerance, "yy")
    expectClose(t.zz, u.zz, tolerance, "zz")
    expectClose(t.xy, u.xy, tolerance, "xy")
    expectClose(t.xz, u.xz, tolerance, "xz")
    expectClose(t.yz, u.yz, tolerance, "yz")
  }

  static func expectClose(_ a: Vec3, _ b: Vec3, _ tolerance: Double, _ what: String) {
    #expect((a - b).length <= tolerance, "\(what): \(a) vs \(b)")
  }

  // MARK: - Hulls against closed forms

  static func hull(_ points: [Vec3]) throws -> MassProperties {
    let poly = try #require(ConvexPolytope(points: points))
    return try #require(CollisionShape.hull(poly).massProperties)
  }

  @Test func aBoxHullAwayFromItsOriginHasTheBoxsVolumeCentreAndTensor() throws {
    let h = Vec3(0.5, 1, 1.5), c = Vec3(1, -2, 3)
    var corners: [Vec3] = []
    for sx in [-1.0, 1] {
      for sy in [-1.0, 1] {
        for sz in [-1.0, 1] { corners.append(c + Vec3(sx * h.x, sy * h.y, sz * h.z)) }
      }
    }
    let mp = try Self.hull(corners)
    let v = 8 * h.x * h.y * h.z
    Self.expectClose(mp.volume, v, 1e-12, "volume")
    Self.expectClose(mp.centerOfMass, c, 1e-12, "centre of mass")
    Self.expectClose(
      mp.inertia,
      InertiaTensor(
        xx: v / 3 * (h.y * h.y + h.z * h.z), yy: v / 3 * (h.x * h.x + h.z * h.z), zz: v / 3 * (h.x * h.x + h.y * h.y)), 1e-12)
  }

  /// The corner tetrahedron (0, a·x̂, b·ŷ, c·ẑ): V = abc/6, centre (a, b, c)/4, and about it
  /// I_xx = 3V(b² + c²)/80, I_xy = V·ab/80 (from ∫x² dV = V a²/10, ∫xy dV = V ab/20).
  @Test func aTetrahedronHullMatchesTheClosedForm() throws {
    let (a, b, c) = (1.0, 2.0, 3.0)
    let mp = try Self.hull([.zero, Vec3(a, 0, 0), Vec3(0, b, 0), Vec3(0, 0, c)])
    let v = a * b * c / 6
    Self.expectClose(mp.volume, v, 1e-14, "volume")
    Self.expectClose(mp.centerOfMass, Vec3(a, b, c) / 4, 1e-14, "centre of mass")
    Self.expectClose(
      mp.inertia,
      InertiaTensor(
        xx: 3 * v * (b * b + c * c) / 80, yy: 3 * v * (a * a + c * c) / 80, zz: 3 * v * (a * a + b * b) / 80,
        xy: v * a * b / 80, xz: v * a * c / 80, yz: v * b * c / 80), 1e-14)
  }

  /// A regular n-gon prism (circumradius R, length 2H): area A = n R² sin(2π/n)/2, polar
  /// second moment per area R²(2 + cos(2π/n))/6 (n triangles from the centre, each
  /// ∫|x|² = A_t (|p|² + |q|² + p·q)/6), half of it about each transverse axis.
  @Test func aPrismHullMatchesTheClosedFormAndApproachesTheCylinder() throws {
    let (r, hh, n) = (0.4, 0.7, 32)
    let centre = Vec3(0.3, 0.2, -0.5)
    var points: [Vec3] = []
    for k in 0..<n {
      let t = 2 * Double.pi * Double(k) / Double(n)
      for z in [-hh, hh] { points.append(centre + Vec3(r * cos(t), r * sin(t), z)) }
    }
    let mp = try Self.hull(points)
    let area = Double(n) * r * r * sin(2 * .pi / Double(n)) / 2
    let v = area * 2 * hh
    let polar = r * r * (2 + cos(2 * .pi / Double(n))) / 6
    Self.expectClose(mp.volume, v, 1e-12, "volume")
    Self.expectClose(mp.centerOfMass, centre, 1e-12, "centre of mass")
    let transverse = v * (polar / 2 + (2 * hh) * (2 * hh) / 12)
    Self.expectClose(mp.inertia, InertiaTensor(xx: transverse, yy: transverse, zz: v * polar), 1e-12)
    // And close to the cylinder it is inscribed in (32 sides: within 1 %).
    let cylinder = try #require(CollisionShape.cylinder(radius: r, halfHeight: hh).massProperties)
    #expect(abs(mp.inertia.zz / mp.volume - cylinder.inertia.zz / cylinder.volume) < 0.01 * cylinder.inertia.zz / cylinder.volume)
  }

  /// A turned hull's tensor is the unturned one's, R I Rᵀ.
  @Test func aTurnedHullsTensorIsTheTurnedTensor() throws {
    let base: [Vec3] = [.zero, Vec3(1, 0, 0), Vec3(0, 2, 0), Vec3(0, 0, 3), Vec3(0.8, 1.1, 0.9)]
    let q = Quaternion(yaw: 0.7, pitch: -0.4, roll: 1.1)
    let a = try Self.hull(base)
    let b = try Self.hull(base.map(q.rotate))
    Self.expectClose(b.volume, a.volume, 1e-13, "volume")
    Self.expectClose(b.centerOfMass, q.rotate(a.centerOfMass), 1e-13, "centre of mass")
    Self.expectClose(b.inertia, a.inertia.rotated(by: Mat3(rotation: q)), 1e-12)
  }

  // MARK: - Compounds

  /// Two unit cubes, one at the origin and one at (1, 0, 1): V = 2, centre (0.5, 0, 0.5);
  /// each cube's own moment 1/6, each offset ±(0.5, 0, 0.5) adds 0.25 to xx and zz, 0.5 to
  /// yy and −0.25 to xz.
  @Test func twoCubesHaveTheHandComputedTensor() throws {
    let cube = Vec3(repeating: 0.5)
    let shape = CollisionShape.compound([
      CompoundPart(box: OrientedBox(center: .zero, halfExtents: cube)),
      CompoundPart(box: OrientedBox(center: Vec3(1, 0, 1), halfExtents: cube)),
    ])
    let mp = try #require(shape.massProperties)
    Self.expectClose(mp.volume, 2, 1e-15, "volume")
    Self.expectClose(mp.centerOfMass, Vec3(0.5, 0, 0.5), 1e-15, "centre of mass")
    let expected = InertiaTensor(xx: 2.0 / 6 + 0.5, yy: 2.0 / 6 + 1, zz: 2.0 / 6 + 0.5, xz: -0.5)
    Self.expectClose(mp.inertia, expected, 1e-14)
    // Principal moments: 1/3 about (1, 0, −1), 4/3 about (1, 0, 1) and about y.
    let (moments, axes) = mp.inertia.principal()
    let sorted = [moments.x, moments.y, moments.z].sorted()
    Self.expectClose(sorted[0], 1.0 / 3, 1e-14, "least moment")
    Self.expectClose(sorted[1], 4.0 / 3, 1e-14, "moment")
    Self.expectClose(sorted[2], 4.0 / 3, 1e-14, "moment")
    // The axes rebuild the tensor and are a rotation.
    let rebuilt = InertiaTensor(diagonal: moments).rotated(by: axes)
    Self.expectClose(rebuilt, expected, 1e-14)
    #expect(abs(axes.c0.cross(axes.c1).dot(axes.c2) - 1) < 1e-14)
    // Through the masses: the same compound of 12 kg.
    let scaled = mp.inertia(mass: 12)
    Self.expectClose(scaled.xz, -3, 1e-13, "xz at 12 kg")
  }

  /// A part turned a quarter turn about z weighs as the box with its x and y extents swapped;
  /// a sphere adds its own tensor at its centre.
  @Test func turnedAndCurvedPartsAddTheirOwnTensors() throws {
    let turned = CollisionShape.compound([
      CompoundPart(box: OrientedBox(center: .zero, halfExtents: Vec3(0.5, 0.2, 0.1))),
      CompoundPart(.box(halfExtents: Vec3(1, 0.25, 0.5)), center: Vec3(0.3, 1, 0.4), rotation: Quaternion(yaw: .pi / 2)),
      CompoundPart(.sphere(radius: 0.3), center: Vec3(-1, 0, 0.2)),
    ])
    let plain = CollisionShape.compound([
      CompoundPart(box: OrientedBox(center: .zero, halfExtents: Vec3(0.5, 0.2, 0.1))),
      CompoundPart(box: OrientedBox(center: Vec3(0.3, 1, 0.4), halfExtents: Vec3(0.25, 1, 0.5))),
      CompoundPart(.sphere(radius: 0.3), center: Vec3(-1, 0, 0.2)),
    ])
    let a = try #require(turned.massProperties), b = try #require(plain.massProperties)
    Self.expectClose(a.volume, b.volume, 1e-14, "volume")
    Self.expectClose(a.centerOfMass, b.centerOfMass, 1e-14, "centre of mass")
    Self.expectClose(a.inertia, b.inertia, 1e-13)
    // By hand: the parts' volumes and centres.
    let vs = [0.08, 1.0, 4.0 / 3 * .pi * 0.027]
    let cs = [Vec3.zero, Vec3(0.3, 1, 0.4), Vec3(-1, 0, 0.2)]
    let com = (cs[0] * vs[0] + cs[1] * vs[1] + cs[2] * vs[2]) / (vs[0] + vs[1] + vs[2])
    Self.expectClose(a.centerOfMass, com, 1e-14, "centre by hand")
    let own = InertiaTensor(xx: 0.08 / 3 * 0.05, yy: 0.08 / 3 * 0.26, zz: 0.08 / 3 * 0.29)
      + InertiaTensor(xx: 1.0 / 3 * 1.25, yy: 1.0 / 3 * 0.3125, zz: 1.0 / 3 * 1.0625)
      + InertiaTensor(diagonal: Vec3(repeating: 0.4 * vs[2] * 0.09))
    var byHand = own
    for k in 0..<3 { byHand = byHand + InertiaTensor.pointMass(vs[k], at: cs[k] - com) }
    Self.expectClose(a.inertia, byHand, 1e-13)
  }

  // MARK: - In the solver

  /// A thin plate 1 m long with a post at one end: the centre of mass lies a quarter of the
  /// way from the plate's middle towards the post.
  static func ell(postAt side: Double) -> CollisionShape {
    .compound([
      CompoundPart(box: OrientedBox(center: .zero, halfExtents: Vec3(0.5, 0.2, 0.05))),
      CompoundPart(box: OrientedBox(center: Vec3(0.45 * side, 0, 0.55), halfExtents: Vec3(0.05, 0.2, 0.5))),
    ])
  }

  /// The L lying on a table whose edge is under the plate at local x = 0.1 (the plate's
  /// far 0.4 m overhanging), after 1.5 s: its pose, and the pose it started in.
  static func ellOnTableEdge(postAt side: Double) throws -> (start: Transform, end: Transform) {
    var w = TestScenes.world(sleep: false)
    try w.addBody(RigidBodyDescriptor(
      shape: .box(halfExtents: Vec3(1, 1, 0.5)), transform: Transform(translation: Vec3(0, 0, 0.5)), motion: .static,
      friction: 0.8))
    let start = Transform(translation: Vec3(0.9, 0, 1.05))
    let id = try w.addBody(RigidBodyDescriptor(shape: ell(postAt: side), transform: start, mass: .mass(2), friction: 0.8))
    for _ in 0..<(240 * 3 / 2) { try w.step(dt: 1.0 / 240) }
    return (start, try #require(w.transform(of: id)))
  }

  /// The same L both ways round on a table edge: with its post (and so its centre of mass,
  /// local x = ±0.225) over the overhang it tips off; with the post over the table it stays,
  /// although in both cases the shape's origin (the old stand-in for the centre of mass)
  /// is on the table.
  @Test func anEllOnATableEdgeTipsOnlyWhenItsCentreOfMassOverhangs() throws {
    let overhanging = try Self.ellOnTableEdge(postAt: 1)
    let supported = try Self.ellOnTableEdge(postAt: -1)
    func tilt(_ t: Transform) -> Double { acos(min(1, max(-1, t.rotation.rotate(.unitZ).z))) }
    #expect(tilt(overhanging.end) > 0.5, "overhanging L tilted \(tilt(overhanging.end)) rad")
    #expect(overhanging.end.translation.z < 0.9, "overhanging L at \(overhanging.end.translation)")
    #expect(tilt(supported.end) < 0.01, "supported L tilted \(tilt(supported.end)) rad")
    #expect((supported.end.translation - supported.start.translation).length < 0.005, "supported L moved")
  }

  /// With no gravity and no contacts, an asymmetric body keeps its angular momentum and its
  /// kinetic energy while its angular velocity wanders (the gyroscopic term), spun about an
  /// axis that is none of its principal axes.
  @Test(arguments: [0, 1])
  func aFreeAsymmetricBodyConservesAngularMomentumAndEnergy(_ which: Int) throws {
    var w = PhysicsWorld(gravity: .zero)
    let shape = which == 0 ? Self.ell(postAt: 1) : CollisionShape.box(halfExtents: Vec3(0.1, 0.3, 0.6))
    let id = try w.addBody(RigidBodyDescriptor(
      shape: shape, transform: Transform(rotation: Quaternion(yaw: 0.3, pitch: 0.2, roll: 0.1), translation: Vec3(0, 0, 5)),
      mass: .mass(3), angularVelocity: Vec3(1, 2, 3), allowsSleep: false))
    let i = id.index
    let l0 = w.angularMomentum(i), e0 = w.kineticEnergy(i)
    let com0 = try #require(w.centerOfMass(of: id))
    var maxMomentumError = 0.0, maxEnergyError = 0.0, maxChange = 0.0
    for _ in 0..<1000 {
      try w.step(dt: 1.0 / 60)
      maxMomentumError = max(maxMomentumError, (w.angularMomentum(i) - l0).length / l0.length)
      maxEnergyError = max(maxEnergyError, abs(w.kineticEnergy(i) - e0) / e0)
      maxChange = max(maxChange, (w.angularVelocities[i] - Vec3(1, 2, 3)).length)
    }
    #expect(maxMomentumError < 1e-12, "angular momentum error \(maxMomentumError)")
    #expect(maxEnergyError < 2e-3, "energy error \(maxEnergyError)")
    #expect(maxChange > 0.5, "the angular velocity did not precess (\(maxChange))")
    // The centre of mass stays put (the shape's origin circles around it).
    let com = try #require(w.centerOfMass(of: id))
    #expect(com == com0, "centre of mass moved from \(com0) to \(com)")
  }

  /// The pose read back is the shape's: a body added at a pose and teleported reports that
  /// pose, its centre of mass sits at pose ∘ centre, and a compound at rest on the ground
  /// stays where it was put.
  @Test func posesAreTheShapesAndTheCentreOfMassFollows() throws {
    var w = TestScenes.world()
    try w.addGroundPlane()
    let shape = Self.ell(postAt: 1)
    let c = try #require(shape.massProperties).centerOfMass
    let pose = Transform(rotation: Quaternion(yaw: 0.8), translation: Vec3(2, 1, 0.05))
    let id = try w.addBody(RigidBodyDescriptor(shape: shape, transform: pose, mass: .mass(2)))
    #expect(w.shape(of: id) == shape)
    let t0 = try #require(w.transform(of: id))
    Self.expectClose(t0.translation, pose.translation, 1e-15, "pose as added")
    let com0 = try #require(w.centerOfMass(of: id))
    Self.expectClose(com0, pose.translation + pose.rotation.rotate(c), 1e-15, "centre of mass")
    for _ in 0..<240 { try w.step(dt: 1.0 / 240) }
    let t1 = try #require(w.transform(of: id))
    Self.expectClose(t1.translation, pose.translation, 2e-3, "pose at rest")
    let moved = Transform(rotation: Quaternion(yaw: -0.4, pitch: 0.1, roll: 0), translation: Vec3(-1, 3, 2))
    try w.setTransform(of: id, moved)
    let t2 = try #require(w.transform(of: id))
    Self.expectClose(t2.translation, moved.translation, 1e-14, "teleported pose")
    let com2 = try #require(w.centerOfMass(of: id))
    Self.expectClose(com2, moved.translation + t2.rotation.rotate(c), 1e-14, "teleported centre")
  }
}
