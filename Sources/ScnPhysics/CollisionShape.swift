import ScnGeometry

/// The geometry of a body, in the body's local frame (a sphere, box, capsule or cylinder
/// centred on the body origin; a hull's or compound's centre of mass may lie elsewhere).
public enum CollisionShape: Hashable, Sendable {
  /// A sphere of `radius` metres.
  case sphere(radius: Double)
  /// A box with the given half extents along local x, y and z.
  case box(halfExtents: Vec3)
  /// A capsule along local z: a segment from `-halfHeight` to `+halfHeight` swept by a
  /// sphere of `radius`. Total length is `2 * (halfHeight + radius)`. Also the stand-in for
  /// cylinders (wheels, bins, people), whose flat caps it rounds off.
  case capsule(radius: Double, halfHeight: Double)
  /// A capped cylinder along local z, `2 * halfHeight` long: flat caps with sharp rims.
  case cylinder(radius: Double, halfHeight: Double)
  /// A convex polytope in the body frame (a mesh part's convex hull).
  case hull(ConvexPolytope)
  /// Convex parts fixed in the body's local frame: an actor's parts as the scene model
  /// builds them (docs/scene-model.md, "Overlap tests and physics"): boxes, spheres and
  /// cylinders exactly, meshes as their convex hulls. At most `maxCompoundBoxes`; a contact
  /// pair collides every part of one with every part of the other whose bounds come within
  /// reach.
  case compound([CompoundPart])
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
    case .cylinder: 4
    case .hull: 5
    case .compound: 6
    }
  }

  /// Finite and positive sizes (a compound: 1…`maxCompoundBoxes` valid boxes).
  public var isValid: Bool {
    switch self {
    case .sphere(let r): r.isFinite && r > 0
    case .box(let h): h.x.isFinite && h.y.isFinite && h.z.isFinite && h.minComponent > 0
    case .capsule(let r, let h): r.isFinite && h.isFinite && r > 0 && h >= 0
    case .cylinder(let r, let h): r.isFinite && h.isFinite && r > 0 && h > 0
    // `ConvexPolytope` only builds from finite hulls with volume.
    case .hull: true
    case .plane: true
    case .compound(let parts):
      !parts.isEmpty && parts.count <= Self.maxCompoundBoxes
        && parts.allSatisfy { b in
          b.center.x.isFinite && b.center.y.isFinite && b.center.z.isFinite && b.rotation.w.isFinite
            && b.rotation.x.isFinite && b.rotation.y.isFinite && b.rotation.z.isFinite
            && b.shape.isConvexPart && b.shape.isValid
        }
    }
  }

  /// Whether the shape may be a compound's part (a finite convex shape).
  var isConvexPart: Bool {
    switch self {
    case .sphere, .box, .capsule, .cylinder, .hull: true
    case .plane, .compound: false
    }
  }

  /// Volume in cubic metres (`infinity` for the plane).
  public var volume: Double {
    switch self {
    case .sphere(let r): return 4 / 3 * .pi * r * r * r
    case .box(let h): return 8 * h.x * h.y * h.z
    case .capsule(let r, let h): return .pi * r * r * (2 * h) + 4 / 3 * .pi * r * r * r
    case .cylinder(let r, let h): return .pi * r * r * (2 * h)
    case .hull(let p): return p.volume
    case .plane: return .infinity
    // Overlapping parts count once per part (the overlap weighs double), as in `massProperties`.
    case .compound(let parts): return parts.reduce(0) { $0 + $1.shape.volume }
    }
  }

  /// Principal moments of inertia (kg·m²) about the centre of mass for a uniform body of
  /// `mass` kg: about the local axes for a sphere, box, capsule or cylinder; about the
  /// principal axes of the exact tensor (`massProperties`) for a hull or a compound.
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
    case .cylinder(let r, let h):
      let transverse = m * (3 * r * r + 4 * h * h) / 12
      return Vec3(transverse, transverse, m * r * r / 2)
    case .plane:
      return Vec3(repeating: .infinity)
    case .hull, .compound:
      // `massProperties` is nil only for a solid of no volume, which `isValid` excludes;
      // then the box around the shape stands in.
      guard let mp = massProperties else {
        return CollisionShape.box(halfExtents: localBoundsHalfExtents()).principalInertia(mass: m)
      }
      return mp.inertia(mass: m).principal().moments
    }
  }

  /// The local-frame half extents of a box around the shape, for bounding boxes.
  @inlinable func localBoundsHalfExtents() -> Vec3 {
    switch self {
    case .sphere(let r): return Vec3(repeating: r)
    case .box(let h): return h
    case .capsule(let r, let h): return Vec3(r, r, h + r)
    case .cylinder(let r, let h): return Vec3(r, r, h)
    case .hull(let p): return p.originHalfExtents
    case .plane: return Vec3(repeating: .infinity)
    case .compound(let parts):
      var r = Vec3.zero
      for b in parts {
        let box = b.localBox
        let e = Self.rotatedExtent(box.halfExtents, Mat3(rotation: box.rotation))
        r = Vec3(
          Swift.max(r.x, abs(box.center.x) + e.x), Swift.max(r.y, abs(box.center.y) + e.y),
          Swift.max(r.z, abs(box.center.z) + e.z))
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

/// One convex part of a compound: a shape (sphere, box, capsule, cylinder or hull) placed
/// by `center` and `rotation` in the body frame.
public struct CompoundPart: Hashable, Sendable {
  public var shape: CollisionShape
  public var center: Vec3
  public var rotation: Quaternion

  public init(_ shape: CollisionShape, center: Vec3 = .zero, rotation: Quaternion = .identity) {
    self.shape = shape
    self.center = center
    self.rotation = rotation
  }

  /// A box part.
  public init(box: OrientedBox) {
    self.init(.box(halfExtents: box.halfExtents), center: box.center, rotation: box.rotation)
  }

  /// The part's bounding box in the body frame (a hull's is that of its vertices).
  @usableFromInline var localBox: OrientedBox {
    if case .hull(let p) = shape {
      return OrientedBox(
        center: center + rotation.rotate(p.boundsCenter), halfExtents: p.boundsHalfExtents, rotation: rotation)
    }
    return OrientedBox(center: center, halfExtents: shape.localBoundsHalfExtents(), rotation: rotation)
  }
}
