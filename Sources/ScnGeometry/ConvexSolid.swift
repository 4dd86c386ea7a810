/// A convex solid placed in the world, as the sampler's overlap test sees a part
/// (docs/scene-model.md, "Overlap tests and physics"): boxes, spheres and capped cylinders
/// exactly, meshes as their `ConvexHull`.
public enum ConvexSolid: Sendable {
  case box(OrientedBox)
  case sphere(center: Vec3, radius: Double)
  /// A capped cylinder around the unit `axis` through `center`, `2 * halfHeight` long.
  case cylinder(center: Vec3, axis: Vec3, radius: Double, halfHeight: Double)
  /// A hull in its own frame, placed in the world by the transform.
  case hull(ConvexHull, Transform)

  /// A point inside the solid.
  @inlinable public var interiorPoint: Vec3 {
    switch self {
    case .box(let b): b.center
    case .sphere(let c, _): c
    case .cylinder(let c, _, _, _): c
    case .hull(let h, let t):
      t.apply(toPoint: h.vertices.reduce(Vec3.zero, +) / Double(Swift.max(1, h.vertices.count)))
    }
  }

  /// The point of the solid furthest along `d` (any point of a face, for faces along `d`).
  @inlinable public func support(_ d: Vec3) -> Vec3 {
    switch self {
    case .box(let b):
      let (ax, ay, az) = b.rotation.basis
      let h = b.halfExtents
      return b.center + ax * (ax.dot(d) >= 0 ? h.x : -h.x) + ay * (ay.dot(d) >= 0 ? h.y : -h.y)
        + az * (az.dot(d) >= 0 ? h.z : -h.z)
    case .sphere(let c, let r):
      let n = d.normalized
      return c + (n == .zero ? Vec3.unitX : n) * r
    case .cylinder(let c, let u, let r, let hh):
      let along = d.dot(u)
      let radial = (d - u * along).normalized
      return c + u * (along >= 0 ? hh : -hh) + radial * r
    case .hull(let h, let t):
      return t.apply(toPoint: h.support(t.rotation.conjugate.rotate(d)))
    }
  }

  /// The largest value of `x · n` over the solid.
  @inlinable func extent(_ n: Vec3) -> Double { support(n).dot(n) }

  /// Directions along which a face of the solid lies (for telling touching from overlap).
  func faceAxes() -> [Vec3] {
    switch self {
    case .box(let b):
      let (ax, ay, az) = b.rotation.basis
      return [ax, ay, az]
    case .sphere: return []
    case .cylinder(_, let u, _, _): return [u]
    case .hull(let h, let t): return h.normals.map { t.rotation.rotate($0) }
    }
  }

  /// Whether the two solids interpenetrate by more than `tolerance` (metres).
  ///
  /// GJK (Gilbert–Johnson–Keerthi) on the Minkowski difference: the solids are apart or
  /// touching once a direction n shows them overlapping by at most `tolerance` along n.
  /// When GJK encloses the origin they intersect; they count as touching, not overlapping,
  /// if along a face axis of either solid (or the line between their interior points) they
  /// overlap by at most `tolerance`. Two curved surfaces, or edges, touching by less than
  /// the tolerance count as an overlap. At most `maximumIterations` GJK steps; a run that
  /// does not settle by then counts as an overlap (conservative: the caller has already
  /// found the parts' boxes overlapping).
  public func overlaps(_ other: ConvexSolid, tolerance: Double) -> Bool {
    var d = other.interiorPoint - interiorPoint
    if d.lengthSquared < 1e-24 { d = .unitX }
    func s(_ d: Vec3) -> Vec3 { support(d) - other.support(-d) }
    // The Minkowski difference A − B; the solids meet when it holds the origin.
    var simplex: [Vec3] = [s(d)]
    simplex.reserveCapacity(4)
    d = -simplex[0]
    var intersecting = false
    for _ in 0..<Self.maximumIterations {
      let len = d.length
      guard len > 1e-15 else {
        intersecting = true
        break
      }
      let p = s(d)
      // Along −d̂ the solids overlap by at most −p·d̂ … with p·d̂ ≤ tol they are apart or touch.
      if p.dot(d) <= tolerance * len { return false }
      simplex.append(p)
      if Self.nearest(&simplex, &d) {
        intersecting = true
        break
      }
    }
    // GJK's simplex can cycle between a few features without settling (two boxes apart by
    // 0.1 mm and more were seen to: the same four directions over and over); then the
    // monotone descent decides.
    if !intersecting {
      guard let met = descend(other, tolerance: tolerance) else { return true }
      guard met else { return false }
    }
    var axes = faceAxes() + other.faceAxes()
    axes.append((other.interiorPoint - interiorPoint).normalized)
    for n in axes where n != .zero {
      if extent(n) + other.extent(-n) <= tolerance || extent(-n) + other.extent(n) <= tolerance { return false }
    }
    return true
  }

  public static let maximumIterations = 64
  public static let maximumDescentSteps = 4096

  /// Gilbert's original descent on the Minkowski difference A − B, for when GJK does not
  /// settle: v, a point of A − B, moves to the point nearest the origin on the segment from
  /// v to the support point p along −v, so |v| never grows and the run cannot cycle. False
  /// (apart or touching) once p shows the solids overlapping by at most `tolerance` along
  /// −v̂, as in `overlaps`; true once v reaches the origin (within 10⁻¹² m); nil when
  /// neither happens within `maximumDescentSteps` steps.
  func descend(_ other: ConvexSolid, tolerance: Double) -> Bool? {
    func s(_ d: Vec3) -> Vec3 { support(d) - other.support(-d) }
    var d = other.interiorPoint - interiorPoint
    if d.lengthSquared < 1e-24 { d = .unitX }
    var v = s(d)
    for _ in 0..<Self.maximumDescentSteps {
      let len = v.length
      guard len > 1e-12 else { return true }
      let p = s(-v)
      if -p.dot(v) <= tolerance * len { return false }
      // The nearest point to the origin on the segment v → p.
      let e = p - v
      let e2 = e.lengthSquared
      guard e2 > 0 else { return nil }
      let t = Swift.min(1, Swift.max(0, -v.dot(e) / e2))
      v = v + e * t
    }
    return nil
  }

  /// One GJK step: reduces `simplex` (newest point last) to the feature nearest the origin
  /// and sets `d` towards the origin from it; true when the simplex holds the origin.
  static func nearest(_ s: inout [Vec3], _ d: inout Vec3) -> Bool {
    switch s.count {
    case 2:
      let b = s[0], a = s[1]
      line(&s, &d, b, a)
      return false
    case 3:
      let c = s[0], b = s[1], a = s[2]
      return triangle(&s, &d, c, b, a)
    default:
      let a = s[3], b = s[2], c = s[1], e = s[0]
      let ao = -a
      // The three faces through the newest point, each with its outward normal.
      for (x, y, z) in [(b, c, e), (c, e, b), (e, b, c)] {
        var n = (x - a).cross(y - a)
        if n.dot(z - a) > 0 { n = -n }
        if n.dot(ao) > 0 {
          s = [x, y, a]
          return triangle(&s, &d, x, y, a)
        }
      }
      return true
    }
  }

  /// Segment b→a (a newest).
  static func line(_ s: inout [Vec3], _ d: inout Vec3, _ b: Vec3, _ a: Vec3) {
    let ab = b - a, ao = -a
    if ab.dot(ao) > 0 {
      s = [b, a]
      d = ab.cross(ao).cross(ab)
      // The origin on the segment's line: any perpendicular leaves d zero; the caller stops.
    } else {
      s = [a]
      d = ao
    }
  }

  /// Triangle c, b, a (a newest); true when the origin lies in its plane inside it.
  static func triangle(_ s: inout [Vec3], _ d: inout Vec3, _ c: Vec3, _ b: Vec3, _ a: Vec3) -> Bool {
    let ab = b - a, ac = c - a, ao = -a
    let abc = ab.cross(ac)
    if abc.cross(ac).dot(ao) > 0 {
      if ac.dot(ao) > 0 {
        s = [c, a]
        d = ac.cross(ao).cross(ac)
      } else {
        line(&s, &d, b, a)
      }
    } else if ab.cross(abc).dot(ao) > 0 {
      line(&s, &d, b, a)
    } else {
      let side = abc.dot(ao)
      if side > 0 {
        s = [c, b, a]
        d = abc
      } else if side < 0 {
        s = [b, c, a]
        d = -abc
      } else {
        d = .zero
        return true
      }
    }
    return false
  }
}
