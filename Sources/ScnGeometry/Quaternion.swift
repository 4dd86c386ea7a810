/// A unit quaternion `w + xi + yj + zk` describing a rotation.
///
/// Stored as four doubles rather than `simd_quatd` because Linux Foundation has no simd
/// quaternion type, and we want every operation spelled out so results are bit-identical
/// across platforms (no fused or reassociated arithmetic hidden in a library).
public struct Quaternion: Hashable, Sendable {
  public var w: Double
  public var x: Double
  public var y: Double
  public var z: Double

  @inlinable public init(w: Double, x: Double, y: Double, z: Double) {
    self.w = w; self.x = x; self.y = y; self.z = z
  }

  public static let identity = Quaternion(w: 1, x: 0, y: 0, z: 0)

  /// Rotation by `angle` radians about `axis` (normalised here).
  @inlinable public init(axis: Vec3, angle: Double) {
    let n = axis.normalized
    let half = angle / 2
    let s = half.sine
    self.init(w: half.cosine, x: n.x * s, y: n.y * s, z: n.z * s)
  }

  /// Rotation about +z: a heading (yaw) counter-clockwise from +x.
  @inlinable public init(yaw: Double) { self.init(axis: .unitZ, angle: yaw) }

  /// Intrinsic z-y-x (yaw, pitch, roll) angles in radians, the vehicle convention.
  @inlinable public init(yaw: Double, pitch: Double, roll: Double) {
    self = Quaternion(yaw: yaw) * Quaternion(axis: .unitY, angle: pitch) * Quaternion(axis: .unitX, angle: roll)
  }

  @inlinable public var conjugate: Quaternion { Quaternion(w: w, x: -x, y: -y, z: -z) }

  @inlinable public var normSquared: Double { w * w + x * x + y * y + z * z }

  @inlinable public var normalized: Quaternion {
    let n = normSquared.squareRoot()
    guard n > 0 else { return .identity }
    return Quaternion(w: w / n, x: x / n, y: y / n, z: z / n)
  }

  @inlinable public static func * (a: Quaternion, b: Quaternion) -> Quaternion {
    Quaternion(
      w: a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z,
      x: a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
      y: a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
      z: a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w)
  }

  /// Rotates `v` (assumes a unit quaternion): v' = v + 2w(q×v) + 2q×(q×v).
  /// Always inlined: left to the optimiser it stayed a call in the label and physics loops
  /// that rotate a point per vertex or part (a million calls a sample). The same operations
  /// in the same order either way.
  @inlinable @inline(__always) public func rotate(_ v: Vec3) -> Vec3 {
    let q = Vec3(x, y, z)
    let t = 2 * q.cross(v)
    return v + w * t + q.cross(t)
  }

  /// The yaw (heading) of the rotated +x axis, in radians, in (-π, π].
  @inlinable public var yaw: Double {
    let fwd = rotate(.unitX)
    return atan2Double(fwd.y, fwd.x)
  }

  /// The intrinsic z-y-x angles `(yaw, pitch, roll)` of this rotation, the inverse of
  /// `init(yaw:pitch:roll:)`: yaw and roll in (-π, π], pitch in [-π/2, π/2] (at ±π/2 the
  /// split between yaw and roll is not unique; roll is then 0).
  @inlinable public var eulerAngles: (yaw: Double, pitch: Double, roll: Double) {
    let q = normalized
    let sinPitch = 2 * (q.w * q.y - q.z * q.x)
    if abs(sinPitch) >= 1 - 1e-12 {
      // Gimbal lock: fold the roll into the yaw.
      let pitch = sinPitch > 0 ? Double.pi / 2 : -Double.pi / 2
      // With roll 0 the local y axis is (-sin yaw, cos yaw, 0).
      let side = q.rotate(.unitY)
      return (atan2Double(-side.x, side.y), pitch, 0)
    }
    let yaw = atan2Double(2 * (q.w * q.z + q.x * q.y), 1 - 2 * (q.y * q.y + q.z * q.z))
    let roll = atan2Double(2 * (q.w * q.x + q.y * q.z), 1 - 2 * (q.x * q.x + q.y * q.y))
    return (yaw, asinDouble(sinPitch), roll)
  }

  /// Columns of the rotation matrix (the rotated basis vectors).
  @inlinable public var basis: (x: Vec3, y: Vec3, z: Vec3) {
    (rotate(.unitX), rotate(.unitY), rotate(.unitZ))
  }

  /// Integrates an angular velocity `omega` (rad/s, world frame) over `dt` seconds.
  @inlinable public func integrated(angularVelocity omega: Vec3, dt: Double) -> Quaternion {
    let dq = Quaternion(w: 0, x: omega.x, y: omega.y, z: omega.z) * self
    let h = dt / 2
    return Quaternion(w: w + dq.w * h, x: x + dq.x * h, y: y + dq.y * h, z: z + dq.z * h).normalized
  }
}
