import ScnGeometry

/// A symmetric inertia tensor (kg·m²): the moments `xx`, `yy`, `zz` on the diagonal and the
/// off-diagonal entries `xy`, `xz`, `yz` of the matrix (the products of inertia with their
/// sign: `xy = −∫ x·y dm`). For a body frame's axes, about the point it is given for.
public struct InertiaTensor: Hashable, Sendable {
  public var xx: Double, yy: Double, zz: Double
  public var xy: Double, xz: Double, yz: Double

  public init(xx: Double, yy: Double, zz: Double, xy: Double = 0, xz: Double = 0, yz: Double = 0) {
    self.xx = xx
    self.yy = yy
    self.zz = zz
    self.xy = xy
    self.xz = xz
    self.yz = yz
  }

  /// A diagonal tensor.
  public init(diagonal d: Vec3) { self.init(xx: d.x, yy: d.y, zz: d.z) }

  public static let zero = InertiaTensor(xx: 0, yy: 0, zz: 0)

  /// `I · v`.
  public func apply(_ v: Vec3) -> Vec3 {
    Vec3(xx * v.x + xy * v.y + xz * v.z, xy * v.x + yy * v.y + yz * v.z, xz * v.x + yz * v.y + zz * v.z)
  }

  public static func + (a: InertiaTensor, b: InertiaTensor) -> InertiaTensor {
    InertiaTensor(xx: a.xx + b.xx, yy: a.yy + b.yy, zz: a.zz + b.zz, xy: a.xy + b.xy, xz: a.xz + b.xz, yz: a.yz + b.yz)
  }

  public static func * (a: InertiaTensor, s: Double) -> InertiaTensor {
    InertiaTensor(xx: a.xx * s, yy: a.yy * s, zz: a.zz * s, xy: a.xy * s, xz: a.xz * s, yz: a.yz * s)
  }

  /// The tensor of a point mass `m` at `r` about the origin: `m (|r|² E − r rᵀ)` (the
  /// parallel-axis term).
  public static func pointMass(_ m: Double, at r: Vec3) -> InertiaTensor {
    InertiaTensor(
      xx: m * (r.y * r.y + r.z * r.z), yy: m * (r.x * r.x + r.z * r.z), zz: m * (r.x * r.x + r.y * r.y),
      xy: -m * r.x * r.y, xz: -m * r.x * r.z, yz: -m * r.y * r.z)
  }

  /// The same tensor in the frame whose axes are `a`'s columns seen from: `A · I · Aᵀ`
  /// (a part's tensor in its compound's frame, for `a` the part's rotation).
  func rotated(by a: Mat3) -> InertiaTensor {
    // Columns of I · Aᵀ are I applied to A's rows; then A times them.
    let r0 = Vec3(a.c0.x, a.c1.x, a.c2.x), r1 = Vec3(a.c0.y, a.c1.y, a.c2.y), r2 = Vec3(a.c0.z, a.c1.z, a.c2.z)
    let m0 = apply(r0), m1 = apply(r1), m2 = apply(r2)
    let x = a.apply(m0), y = a.apply(m1), z = a.apply(m2)
    // Symmetric up to rounding: average the two halves so the result is exactly symmetric.
    return InertiaTensor(xx: x.x, yy: y.y, zz: z.z, xy: (x.y + y.x) / 2, xz: (x.z + z.x) / 2, yz: (y.z + z.y) / 2)
  }

  /// Principal moments and axes: `axes · diag(moments) · axesᵀ` is the tensor, `axes` a
  /// rotation (its columns the principal axes). A diagonal tensor gives itself and the
  /// identity exactly.
  ///
  /// Cyclic Jacobi rotations (Golub and Van Loan, *Matrix Computations*, 4th ed., §8.5.2),
  /// a fixed number of sweeps: each sweep zeroes the three off-diagonal entries in turn, and
  /// the error squares from sweep to sweep, so eight sweeps reach rounding for any
  /// symmetric 3×3 matrix. No data-dependent iteration count: the same work on every
  /// machine (an entry that is already zero is skipped, which is exact).
  func principal() -> (moments: Vec3, axes: Mat3) {
    var a: [[Double]] = [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]
    var v: [[Double]] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    for _ in 0..<8 {
      for (p, q) in [(0, 1), (0, 2), (1, 2)] {
        let apq = a[p][q]
        guard apq != 0 else { continue }
        let theta = (a[q][q] - a[p][p]) / (2 * apq)
        // t = tan of the rotation angle, the smaller root of t² + 2θt − 1 = 0.
        let t: Double
        if abs(theta) > 1e150 {
          t = 1 / (2 * theta)
        } else {
          t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
        }
        let c = 1 / (t * t + 1).squareRoot()
        let s = t * c
        // A ← Jᵀ A J with J the rotation in the (p, q) plane; V ← V J.
        for k in 0..<3 {
          let akp = a[k][p], akq = a[k][q]
          a[k][p] = c * akp - s * akq
          a[k][q] = s * akp + c * akq
        }
        for k in 0..<3 {
          let apk = a[p][k], aqk = a[q][k]
          a[p][k] = c * apk - s * aqk
          a[q][k] = s * apk + c * aqk
        }
        a[p][q] = 0
        a[q][p] = 0
        for k in 0..<3 {
          let vkp = v[k][p], vkq = v[k][q]
          v[k][p] = c * vkp - s * vkq
          v[k][q] = s * vkp + c * vkq
        }
      }
    }
    let axes = Mat3(c0: Vec3(v[0][0], v[1][0], v[2][0]), c1: Vec3(v[0][1], v[1][1], v[2][1]), c2: Vec3(v[0][2], v[1][2], v[2][2]))
    return (Vec3(a[0][0], a[1][1], a[2][2]), axes)
  }
}

/// Mass properties of a shape filled with a uniform solid of density 1 kg/m³, in the
/// shape's frame: its volume (m³, and so its mass in kg), centre of mass, and inertia
/// tensor about the centre of mass along the frame's axes. For another density or mass,
/// scale the tensor (`inertia(mass:)`); the centre of mass does not move.
public struct MassProperties: Hashable, Sendable {
  public var volume: Double
  public var centerOfMass: Vec3
  public var inertia: InertiaTensor

  public init(volume: Double, centerOfMass: Vec3, inertia: InertiaTensor) {
    self.volume = volume
    self.centerOfMass = centerOfMass
    self.inertia = inertia
  }

  /// The inertia tensor about the centre of mass of the same solid weighing `mass` kg.
  public func inertia(mass: Double) -> InertiaTensor { inertia * (mass / volume) }
}

extension CollisionShape {
  /// Exact mass properties of the shape as a uniform solid of density 1 kg/m³ (nil for the
  /// plane). Spheres, boxes, capsules and cylinders by their closed forms (centred on their
  /// origin); a hull by signed tetrahedra over its triangulated faces; a compound as the sum
  /// of its parts, each part's tensor turned into the compound's frame and moved to the
  /// common centre of mass (parallel-axis theorem). Overlapping parts of a compound count
  /// once per part: the overlap weighs double, as in `volume`.
  public var massProperties: MassProperties? {
    switch self {
    case .plane:
      return nil
    case .sphere, .box, .capsule, .cylinder:
      let v = volume
      return MassProperties(volume: v, centerOfMass: .zero, inertia: InertiaTensor(diagonal: principalInertia(mass: v)))
    case .hull(let p):
      return p.massProperties
    case .compound(let parts):
      var total = 0.0
      var moment = Vec3.zero
      var placed: [(volume: Double, center: Vec3, inertia: InertiaTensor)] = []
      placed.reserveCapacity(parts.count)
      for part in parts {
        guard let mp = part.shape.massProperties, mp.volume > 0 else { continue }
        let turn = Mat3(rotation: part.rotation)
        let center = part.center + turn.apply(mp.centerOfMass)
        placed.append((mp.volume, center, mp.inertia.rotated(by: turn)))
        total += mp.volume
        moment += center * mp.volume
      }
      guard total > 0 else { return nil }
      let com = moment / total
      var tensor = InertiaTensor.zero
      for p in placed { tensor = tensor + p.inertia + InertiaTensor.pointMass(p.volume, at: p.center - com) }
      return MassProperties(volume: total, centerOfMass: com, inertia: tensor)
    }
  }
}

extension ConvexPolytope {
  /// Volume, centre of mass and inertia tensor about it of the polytope as a solid of
  /// density 1, by signed tetrahedra: each face is fanned into triangles, and each triangle
  /// with a reference point inside (the vertices' mean) makes a tetrahedron whose volume,
  /// first and second moments have closed forms (Mirtich, "Fast and Accurate Computation of
  /// Polyhedral Mass Properties", 1996; Eberly, "Polyhedral Mass Properties (Revisited)",
  /// Geometric Tools, 2002). For a tetrahedron with one vertex at the origin and the others
  /// at a, b, c: volume V = a·(b×c)/6, first moment V·(a+b+c)/4, and second moments
  /// ∫ x xᵀ dV = V/20 · (a aᵀ + b bᵀ + c cᵀ + s sᵀ), s = a+b+c. Faces are counter-clockwise
  /// seen from outside, so every volume is positive for the polytope's own faces. A face
  /// polygon clipped to `maxFaceVertices` misses the part of the face beyond them.
  var massProperties: MassProperties? {
    let ref = fanApex
    var volume = 0.0
    var first = Vec3.zero
    // Second moments ∫ x_i x_j dV about `ref`.
    var sxx = 0.0, syy = 0.0, szz = 0.0, sxy = 0.0, sxz = 0.0, syz = 0.0
    forEachFanTetrahedron { a, b, c in
      let v = a.dot(b.cross(c)) / 6
      let s = a + b + c
      volume += v
      first += s * (v / 4)
      let f = v / 20
      sxx += f * (a.x * a.x + b.x * b.x + c.x * c.x + s.x * s.x)
      syy += f * (a.y * a.y + b.y * b.y + c.y * c.y + s.y * s.y)
      szz += f * (a.z * a.z + b.z * b.z + c.z * c.z + s.z * s.z)
      sxy += f * (a.x * a.y + b.x * b.y + c.x * c.y + s.x * s.y)
      sxz += f * (a.x * a.z + b.x * b.z + c.x * c.z + s.x * s.z)
      syz += f * (a.y * a.z + b.y * b.z + c.y * c.z + s.y * s.z)
    }
    guard volume > 0, volume.isFinite else { return nil }
    let d = first / volume
    // Second moments about the centre of mass: subtract V d dᵀ.
    sxx -= volume * d.x * d.x
    syy -= volume * d.y * d.y
    szz -= volume * d.z * d.z
    sxy -= volume * d.x * d.y
    sxz -= volume * d.x * d.z
    syz -= volume * d.y * d.z
    let inertia = InertiaTensor(xx: syy + szz, yy: sxx + szz, zz: sxx + syy, xy: -sxy, xz: -sxz, yz: -syz)
    return MassProperties(volume: volume, centerOfMass: ref + d, inertia: inertia)
  }

  /// The same polytope moved by `offset` (vertices, face planes and bounds; faces unchanged).
  func translated(by offset: Vec3) -> ConvexPolytope {
    ConvexPolytope(
      vertices: vertices.map { $0 + offset }, normals: normals,
      offsets: zip(normals, offsets).map { $1 + $0.dot(offset) }, faceStarts: faceStarts, faceIndices: faceIndices,
      edges: edges, boundsCenter: boundsCenter + offset, boundsHalfExtents: boundsHalfExtents)
  }
}

extension CollisionShape {
  /// The same shape moved by `offset` in its frame (a compound's parts, a hull's vertices);
  /// nil for shapes centred on their origin by definition (sphere, box, capsule, cylinder,
  /// plane), which cannot move in their own frame.
  func translated(by offset: Vec3) -> CollisionShape? {
    switch self {
    case .hull(let p): return .hull(p.translated(by: offset))
    case .compound(let parts):
      return .compound(parts.map { CompoundPart($0.shape, center: $0.center + offset, rotation: $0.rotation) })
    case .sphere, .box, .capsule, .cylinder, .plane: return nil
    }
  }
}
