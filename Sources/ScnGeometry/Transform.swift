/// A rigid transform (rotation then translation) from a local frame to its parent frame.
public struct Transform: Hashable, Sendable {
  public var rotation: Quaternion
  public var translation: Vec3

  @inlinable public init(rotation: Quaternion = .identity, translation: Vec3 = .zero) {
    self.rotation = rotation
    self.translation = translation
  }

  public static let identity = Transform()

  /// A pose on the ground plane: position plus heading (yaw, radians).
  @inlinable public init(position: Vec3, yaw: Double) {
    self.init(rotation: Quaternion(yaw: yaw), translation: position)
  }

  /// Always inlined: a call per point cost more than the rotation (labels move every mesh
  /// vertex of every labelled part through two of these per frame).
  @inlinable @inline(__always) public func apply(toPoint p: Vec3) -> Vec3 { rotation.rotate(p) + translation }
  @inlinable public func apply(toVector v: Vec3) -> Vec3 { rotation.rotate(v) }

  @inlinable public var inverse: Transform {
    let inv = rotation.conjugate
    return Transform(rotation: inv, translation: -inv.rotate(translation))
  }

  /// `a * b` applies `b` first, then `a` (parent ← a ← b ← child).
  @inlinable public static func * (a: Transform, b: Transform) -> Transform {
    Transform(rotation: (a.rotation * b.rotation).normalized, translation: a.apply(toPoint: b.translation))
  }
}
