import PropertyBased
import ScnGeometry
import Testing

@testable import ScnPhysics

/// Box–box contacts agree with `OrientedBox.overlaps` (the geometry module's independent
/// separating-axis test) on random pairs. Shrinking is off: seventeen doubles take minutes
/// to shrink in a debug build, and the failing seed is reported either way.
@Suite(.shrinking(false)) struct BoxBoxPropertyTests {
  private static func rotation(_ u: ArraySlice<Double>) -> Quaternion {
    let axis = Vec3(u[u.startIndex] - 0.5, u[u.startIndex + 1] - 0.5, u[u.startIndex + 2] - 0.5)
    return axis.lengthSquared < 1e-6 ? .identity : Quaternion(axis: axis, angle: u[u.startIndex + 3] * 2 * .pi)
  }

  private static func boxes(_ u: [Double]) -> (OrientedBox, OrientedBox) {
    let ha = Vec3(0.1 + u[0], 0.1 + u[1], 0.1 + u[2])
    let hb = Vec3(0.1 + u[3], 0.1 + u[4], 0.1 + u[5])
    let offset = Vec3(u[6] - 0.5, u[7] - 0.5, u[8] - 0.5) * 4
    return (
      OrientedBox(center: .zero, halfExtents: ha, rotation: rotation(u[9..<13])),
      OrientedBox(center: offset, halfExtents: hb, rotation: rotation(u[13..<17]))
    )
  }

  private static func contacts(_ a: OrientedBox, _ b: OrientedBox) -> ContactScratch {
    var scratch = ContactScratch()
    Narrowphase.collide(
      .box(halfExtents: a.halfExtents), BodyPose(position: a.center, axes: Mat3(rotation: a.rotation)),
      .box(halfExtents: b.halfExtents), BodyPose(position: b.center, axes: Mat3(rotation: b.rotation)),
      margin: 0, into: &scratch)
    return scratch
  }

  @Test func contactsExactlyWhenTheBoxesOverlap() async {
    await propertyCheck(count: 400, input: Gen.double(in: 0...1).array(of: 17)) { u in
      let (a, b) = Self.boxes(u)
      let s = Self.contacts(a, b)
      let grownA = OrientedBox(center: a.center, halfExtents: a.halfExtents + 1e-4, rotation: a.rotation)
      let grownB = OrientedBox(center: b.center, halfExtents: b.halfExtents + 1e-4, rotation: b.rotation)
      if a.overlaps(b, tolerance: 1e-4) {
        #expect(s.count >= 1 && s.count <= 4)
        #expect(s.separations.contains { $0 < 0 })
        // Normals point from the first box to the second.
        #expect(s.normals.allSatisfy { $0.dot(b.center - a.center) >= -1e-9 && abs($0.length - 1) < 1e-9 })
      } else if !grownA.overlaps(grownB) {
        #expect(s.count == 0)
      }
    }
  }

  @Test func contactPointsLieInBothBoxesGrownByTheirDepth() async {
    await propertyCheck(count: 400, input: Gen.double(in: 0...1).array(of: 17)) { u in
      let (a, b) = Self.boxes(u)
      let s = Self.contacts(a, b)
      for k in 0..<s.count {
        // A contact sits midway between the surfaces, so it is inside each box grown by
        // its (absolute) separation, plus the clipping tolerance (corners that far past a
        // face edge are kept rather than cut).
        let slack = abs(s.separations[k]) + BoxBox.clipTolerance + 1e-9
        for box in [a, b] {
          let local = box.rotation.conjugate.rotate(s.positions[k] - box.center)
          let outside = Vec3(abs(local.x), abs(local.y), abs(local.z)) - box.halfExtents
          #expect(outside.maxComponent <= slack, "point \(k) outside by \(outside.maxComponent)")
        }
      }
    }
  }
}
