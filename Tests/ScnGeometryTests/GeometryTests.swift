import PropertyBased
import Testing
@testable import ScnGeometry

@Suite struct GeometryTests {
  @Test func yawRotatesXTowardY() {
    let q = Quaternion(yaw: .pi / 2)
    let v = q.rotate(.unitX)
    #expect(abs(v.x) < 1e-12 && abs(v.y - 1) < 1e-12)
    #expect(abs(q.yaw - .pi / 2) < 1e-12)
  }

  @Test func transformInverseRoundTrips() async {
    await propertyCheck(input: Gen.double(in: -10...10), Gen.double(in: -3...3)) { t, yaw in
      let tf = Transform(position: Vec3(t, -t / 2, 1), yaw: yaw)
      let p = Vec3(0.3, t, -2)
      let back = tf.inverse.apply(toPoint: tf.apply(toPoint: p))
      #expect((back - p).length < 1e-9)
    }
  }

  @Test func orientedBoxesOverlapBySeparatingAxes() {
    let a = OrientedBox(center: .zero, halfExtents: Vec3(1, 1, 1))
    #expect(a.overlaps(OrientedBox(center: Vec3(1.5, 0, 0), halfExtents: Vec3(1, 1, 1))))
    #expect(!a.overlaps(OrientedBox(center: Vec3(2.5, 0, 0), halfExtents: Vec3(1, 1, 1))))
    // Rotated 45°, the corner reaches 1 + √2 ≈ 2.41 along x.
    let r = OrientedBox(center: Vec3(2.3, 0, 0), halfExtents: Vec3(1, 1, 1), rotation: Quaternion(yaw: .pi / 4))
    #expect(a.overlaps(r))
    let far = OrientedBox(center: Vec3(2.5, 0, 0), halfExtents: Vec3(1, 1, 1), rotation: Quaternion(yaw: .pi / 4))
    #expect(!a.overlaps(far))
    // Faces that touch exactly do not count as overlap.
    #expect(!a.overlaps(OrientedBox(center: Vec3(2, 0, 0), halfExtents: Vec3(1, 1, 1))))
  }

  @Test func aabbUnionAndEmpty() {
    let e = AABB.empty
    #expect(e.isEmpty)
    let b = e.union(Vec3(1, 2, 3)).union(Vec3(-1, 0, 5))
    #expect(b.lower == Vec3(-1, 0, 3) && b.upper == Vec3(1, 2, 5))
    #expect(!e.intersects(b))
  }
}
