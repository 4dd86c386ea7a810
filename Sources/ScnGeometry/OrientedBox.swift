/// A box with centre, half extents along its local axes, and orientation. Used for actor
/// footprints, non-overlap checks in the sampler, and collision shapes.
public struct OrientedBox: Hashable, Sendable {
  public var center: Vec3
  public var halfExtents: Vec3
  public var rotation: Quaternion

  @inlinable public init(center: Vec3, halfExtents: Vec3, rotation: Quaternion = .identity) {
    self.center = center
    self.halfExtents = halfExtents
    self.rotation = rotation
  }

  /// The eight corners, in a fixed order (x-major, then y, then z; negative first).
  public var corners: [Vec3] {
    let (ax, ay, az) = rotation.basis
    var out: [Vec3] = []
    out.reserveCapacity(8)
    for sx in [-1.0, 1.0] {
      for sy in [-1.0, 1.0] {
        for sz in [-1.0, 1.0] {
          out.append(center + ax * (sx * halfExtents.x) + ay * (sy * halfExtents.y) + az * (sz * halfExtents.z))
        }
      }
    }
    return out
  }

  public var bounds: AABB {
    let (ax, ay, az) = rotation.basis
    let r = Vec3(
      abs(ax.x) * halfExtents.x + abs(ay.x) * halfExtents.y + abs(az.x) * halfExtents.z,
      abs(ax.y) * halfExtents.x + abs(ay.y) * halfExtents.y + abs(az.y) * halfExtents.z,
      abs(ax.z) * halfExtents.x + abs(ay.z) * halfExtents.y + abs(az.z) * halfExtents.z)
    return AABB(lower: center - r, upper: center + r)
  }

  /// Separating-axis test for two oriented boxes (15 axes). Touching faces count as
  /// overlapping only if they interpenetrate by more than `tolerance`.
  public func overlaps(_ other: OrientedBox, tolerance: Double = 1e-9) -> Bool {
    let a = rotation.basis
    let b = other.rotation.basis
    let axesA = [a.x, a.y, a.z]
    let axesB = [b.x, b.y, b.z]
    let d = other.center - center
    func separated(_ axis: Vec3) -> Bool {
      let len2 = axis.lengthSquared
      guard len2 > 1e-18 else { return false }
      let n = axis / len2.squareRoot()
      let ra = abs(axesA[0].dot(n)) * halfExtents.x + abs(axesA[1].dot(n)) * halfExtents.y
        + abs(axesA[2].dot(n)) * halfExtents.z
      let rb = abs(axesB[0].dot(n)) * other.halfExtents.x + abs(axesB[1].dot(n)) * other.halfExtents.y
        + abs(axesB[2].dot(n)) * other.halfExtents.z
      return abs(d.dot(n)) >= ra + rb - tolerance
    }
    for axis in axesA where separated(axis) { return false }
    for axis in axesB where separated(axis) { return false }
    for u in axesA {
      for v in axesB where separated(u.cross(v)) { return false }
    }
    return true
  }
}
