import ScnGeometry

/// The geometry of a body, in the body's local frame (centred on the body origin).
public enum CollisionShape: Hashable, Sendable {
  /// A sphere of `radius` metres.
  case sphere(radius: Double)
  /// A box with the given half extents along local x, y and z.
  case box(halfExtents: Vec3)
  /// A capsule along local z: a segment from `-halfHeight` to `+halfHeight` swept by a
  /// sphere of `radius`. Total length is `2 * (halfHeight + radius)`. Also the stand-in for
  /// cylinders (wheels, bins, people), whose flat caps it rounds off.
  case capsule(radius: Double, halfHeight: Double)
  /// Boxes fixed in the body's local frame (centre, half extents, rotation each): an actor's
  /// parts as the scene model builds them, each part as its oriented bounding box (exact for
  /// box parts, conservative for cylinders, spheres and meshes). At most
  /// `maxCompoundBoxes`; a contact pair collides every box of one with every box of the
  /// other whose bounds come within reach.
  case compound([OrientedBox])
  /// An infinite plane through the body origin whose outward normal is local +z; the solid
  /// side is below. Only for static bodies.
  case plane

  public static let maxCompoundBoxes = 256

  /// Ordering used by the narrow phase so each pair of shape kinds has one routine.
  @inlinable var kindRank: Int {
    switch self {
    case .plane: 0
    case .sphere: 1
    case .capsule: 2
    case .box: 3
    case .compound: 4
    }
  }

  /// Finite and positive sizes (a compound: 1…`maxCompoundBoxes` valid boxes).
  public var isValid: Bool {
    switch self {
    case .sphere(let r): r.isFinite && r > 0
    case .box(let h): h.x.isFinite && h.y.isFinite && h.z.isFinite && h.minComponent > 0
    case .capsule(let r, let h): r.isFinite && h.isFinite && r > 0 && h >= 0
    case .plane: true
    case .compound(let boxes):
      !boxes.isEmpty && boxes.count <= Self.maxCompoundBoxes
        && boxes.allSatisfy { b in
          b.halfExtents.x.isFinite && b.halfExtents.y.isFinite && b.halfExtents.z.isFinite && b.halfExtents.minComponent > 0
            && b.center.x.isFinite && b.center.y.isFinite && b.center.z.isFinite && b.rotation.w.isFinite
            && b.rotation.x.isFinite && b.rotation.y.isFinite && b.rotation.z.isFinite
        }
    }
  }

  /// Volume in cubic metres (`infinity` for the plane).
  public var volume: Double {
    switch self {
    case .sphere(let r): return 4 / 3 * .pi * r * r * r
    case .box(let h): return 8 * h.x * h.y * h.z
    case .capsule(let r, let h): return .pi * r * r * (2 * h) + 4 / 3 * .pi * r * r * r
    case .plane: return .infinity
    // Overlapping boxes count twice: a compound's density is approximate.
    case .compound(let boxes): return boxes.reduce(0) { $0 + 8 * $1.halfExtents.x * $1.halfExtents.y * $1.halfExtents.z }
    }
  }

  /// Principal moments of inertia (kg·m²) about the local axes for a body of `mass` kg.
  public func principalInertia(mass m: Double) -> Vec3 {
    switch self {
    case .sphere(let r):
      return Vec3(repeating: 0.4 * m * r * r)
    case .box(let h):
      return Vec3(
        m / 3 * (h.y * h.y + h.z * h.z), m / 3 * (h.x * h.x + h.z * h.z), m / 3 * (h.x * h.x + h.y * h.y))
    case .capsule(let r, let h):
      // Split the mass between the cylinder and the two hemispherical caps by volume, then
      // add the caps' offset (parallel-axis) terms.
      let cylinderVolume = .pi * r * r * (2 * h)
      let capVolume = 4 / 3 * .pi * r * r * r
      let mc = m * cylinderVolume / (cylinderVolume + capVolume)
      let ms = m - mc
      let axial = mc * r * r / 2 + ms * 0.4 * r * r
      let transverse = mc * (h * h / 3 + r * r / 4) + ms * (0.4 * r * r + h * h + 0.75 * h * r)
      return Vec3(transverse, transverse, axial)
    case .plane:
      return Vec3(repeating: .infinity)
    case .compound:
      // That of the box around the compound, centred on the body origin: an approximation
      // (docs/scene-model.md), stable for any arrangement of boxes.
      return CollisionShape.box(halfExtents: localBoundsHalfExtents()).principalInertia(mass: m)
    }
  }

  /// The local-frame half extents of a box around the shape, for bounding boxes.
  @inlinable func localBoundsHalfExtents() -> Vec3 {
    switch self {
    case .sphere(let r): return Vec3(repeating: r)
    case .box(let h): return h
    case .capsule(let r, let h): return Vec3(r, r, h + r)
    case .plane: return Vec3(repeating: .infinity)
    case .compound(let boxes):
      var r = Vec3.zero
      for b in boxes {
        let e = Self.rotatedExtent(b.halfExtents, Mat3(rotation: b.rotation))
        r = Vec3(
          Swift.max(r.x, abs(b.center.x) + e.x), Swift.max(r.y, abs(b.center.y) + e.y), Swift.max(r.z, abs(b.center.z) + e.z))
      }
      return r
    }
  }

  /// Half extents along the frame's axes of a box with half extents `h` turned by `a`.
  @inlinable static func rotatedExtent(_ h: Vec3, _ a: Mat3) -> Vec3 {
    Vec3(
      abs(a.c0.x) * h.x + abs(a.c1.x) * h.y + abs(a.c2.x) * h.z,
      abs(a.c0.y) * h.x + abs(a.c1.y) * h.y + abs(a.c2.y) * h.z,
      abs(a.c0.z) * h.x + abs(a.c1.z) * h.y + abs(a.c2.z) * h.z)
  }
}
