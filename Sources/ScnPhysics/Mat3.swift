import ScnGeometry

/// A 3×3 matrix stored by columns. Only what the solver needs: rotation matrices (whose
/// columns are a body's local axes in world space) and world-space inverse inertia.
@usableFromInline struct Mat3: Sendable {
  @usableFromInline var c0: Vec3
  @usableFromInline var c1: Vec3
  @usableFromInline var c2: Vec3

  @inlinable init(c0: Vec3, c1: Vec3, c2: Vec3) {
    self.c0 = c0
    self.c1 = c1
    self.c2 = c2
  }

  @usableFromInline static let zero = Mat3(c0: .zero, c1: .zero, c2: .zero)

  @inlinable init(rotation q: Quaternion) {
    let b = q.basis
    self.init(c0: b.x, c1: b.y, c2: b.z)
  }

  /// `M * v`.
  @inlinable func apply(_ v: Vec3) -> Vec3 { c0 * v.x + c1 * v.y + c2 * v.z }

  /// `Mᵀ * v`; for a rotation, world → local.
  @inlinable func applyTransposed(_ v: Vec3) -> Vec3 { Vec3(c0.dot(v), c1.dot(v), c2.dot(v)) }

  @inlinable func column(_ i: Int) -> Vec3 { i == 0 ? c0 : (i == 1 ? c1 : c2) }

  /// `A * B`.
  @inlinable static func * (a: Mat3, b: Mat3) -> Mat3 {
    Mat3(c0: a.apply(b.c0), c1: a.apply(b.c1), c2: a.apply(b.c2))
  }

  /// `R · diag(d) · Rᵀ` for a rotation `R` (self): a body-frame diagonal tensor in world axes.
  @inlinable func similarity(diagonal d: Vec3) -> Mat3 {
    let a = c0 * d.x
    let b = c1 * d.y
    let c = c2 * d.z
    return Mat3(
      c0: a * c0.x + b * c1.x + c * c2.x,
      c1: a * c0.y + b * c1.y + c * c2.y,
      c2: a * c0.z + b * c1.z + c * c2.z)
  }
}
