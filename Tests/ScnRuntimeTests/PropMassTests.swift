import Foundation
import ScnGeometry
import Testing

@testable import ScnPhysics
@testable import ScnRuntime
@testable import ScnScene

/// A prop's collision shape weighs as its parts (`CollisionShapes`, docs/scene-model.md,
/// "Overlap tests and physics"): a mug, whose cup sits at the front of its size box and
/// whose handle loops out behind, tips forward over its base rim at the angle its centre of
/// mass gives (40.9°), not at the one the size box's centre would (50.0°).
@Suite struct PropMassTests {
  static let size = Vec3(0.12, 0.085, 0.095)  // std/tabletop.scn's Mug

  static func mug() -> CollisionShape {
    CollisionShapes.shape(parts: Prop.mug(size.x, size.y, size.z), halfSize: size / 2)
  }

  /// The mug stood on the ground tilted forward (its front down) by `angle`, 2 s later: how
  /// upright it is (the z of its up axis).
  static func uprightness(tilt angle: Double) throws -> Double {
    let shape = mug()
    let q = Quaternion(yaw: 0, pitch: angle, roll: 0)
    var probe = PhysicsWorld()
    let ghost = try probe.addBody(RigidBodyDescriptor(shape: shape, transform: Transform(rotation: q, translation: .zero), motion: .static))
    let lowest = try #require(probe.bounds(of: ghost)).lower.z
    var w = PhysicsWorld()
    try w.addGroundPlane(friction: 0.8)
    let id = try w.addBody(RigidBodyDescriptor(
      shape: shape, transform: Transform(rotation: q, translation: Vec3(0, 0, 0.001 - lowest)), mass: .mass(0.35),
      friction: 0.8))
    for _ in 0..<480 { try w.step(dt: 1.0 / 240) }
    return try #require(w.transform(of: id)).rotation.rotate(.unitZ).z
  }

  @Test func aMugTipsForwardOnlyPastTheAngleItsCentreOfMassGives() throws {
    guard case .compound(let parts) = Self.mug() else {
      Issue.record("the mug is not a compound")
      return
    }
    let com = try #require(Self.mug().massProperties).centerOfMass
    // The cup's centre lies ahead of the size box's (the handle is behind it), and the handle
    // pulls the centre of mass back from the cup's axis but not to the box's centre.
    guard case .hull(let cup) = parts[0].shape else {
      Issue.record("the cup is not a hull")
      return
    }
    let base = cup.vertices.map { $0 + parts[0].center }
    let bottom = base.map(\.z).min() ?? 0
    // The pivot: the front of the base (its foremost point, which the tilt about y turns on).
    let rim = base.filter { $0.z <= bottom + 1e-9 }.map(\.x).max() ?? 0
    let cupAxis = ((base.map(\.x).max() ?? 0) + (base.map(\.x).min() ?? 0)) / 2
    #expect(com.x > 0.005 && com.x < cupAxis, "centre of mass x \(com.x), cup axis \(cupAxis)")
    let critical = atan((rim - com.x) / (com.z - bottom))
    let boxCritical = atan(rim / (0 - bottom))
    #expect(boxCritical - critical > 0.1, "critical \(critical) rad, with the box's centre \(boxCritical) rad")
    #expect(try Self.uprightness(tilt: critical - 0.03) > 0.999)
    #expect(try Self.uprightness(tilt: critical + 0.03) < 0.1)
    // Between the two critical angles the box's centre would have stood it back up.
    #expect(try Self.uprightness(tilt: (critical + boxCritical) / 2) < 0.1)
  }
}
