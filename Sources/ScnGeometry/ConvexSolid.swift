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
      // The part of d across the axis. For d along the axis it is rounding only, of any
      // direction (along the axis too), so below 10⁻¹² |d| it counts as zero: a point of the
      // cap's centre, not of its rim.
      var across = d - u * along
      across = across - u * across.dot(u)
      let radial = across.lengthSquared > 1e-24 * d.lengthSquared ? across.normalized : .zero
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
  /// Distance GJK (Gilbert–Johnson–Keerthi) on the Minkowski difference A − B, which holds
  /// the origin when the solids meet (`separation`). Each step v, the point of A − B known
  /// nearest the origin, gives the support point w along −v, and A − B lies in the half-space
  /// x · v̂ ≥ w · v̂: once w · v̂ ≥ −`tolerance` the solids are apart, or touch overlapping by
  /// at most `tolerance` along v̂, and the answer is false. Otherwise, when the run finds the
  /// origin in A − B (or within rounding of it), does not progress, or reaches
  /// `maximumIterations`, they still count as touching, not overlapping, if along a face axis
  /// of either solid (a box's axes, a cylinder's axis, a hull's face normals), the line
  /// between their interior points or the last v they overlap by at most `tolerance`. So the
  /// answer is false only on such a certificate, and two curved surfaces or two edges that
  /// touch within the tolerance count as an overlap.
  public func overlaps(_ other: ConvexSolid, tolerance: Double) -> Bool {
    let outcome = separation(other, tolerance: tolerance)
    if case .apart = outcome { return false }
    var axes = faceAxes() + other.faceAxes()
    axes.append((other.interiorPoint - interiorPoint).normalized)
    switch outcome {
    case .apart, .intersecting: break
    case .converged(let v), .stalled(let v), .unsettled(let v): axes.append(v.normalized)
    }
    for n in axes where n != .zero {
      if extent(n) + other.extent(-n) <= tolerance || extent(-n) + other.extent(n) <= tolerance { return false }
    }
    return true
  }

  /// At most this many GJK steps. On the property tests' pairs of boxes, spheres, capped
  /// cylinders and hulls, half of them within 0.01–2 mm of touching, runs take at most 23
  /// (`ConvexSolidTests.runsSettleWellWithinTheCap`); `separation` says which inputs can
  /// reach the cap.
  public static let maximumIterations = 128

  /// How a GJK run between two solids ended (`separation`); v is the point of A − B nearest
  /// the origin that the run found, so |v| bounds the distance between the solids from above.
  public enum Separation: Sendable, Equatable {
    /// A − B lies in x · v̂ ≥ w · v̂ ≥ −tolerance: apart, or overlapping along v̂ by at most
    /// the tolerance.
    case apart(Vec3)
    /// v is (within 10⁻¹² relative) the point of A − B nearest the origin, yet no certificate
    /// of `apart`: only for a negative tolerance, with the solids closer than −tolerance.
    case converged(Vec3)
    /// The origin is in A − B (a tetrahedron of support points holds it), or within
    /// rounding (10⁻¹³ of the support points' size) of A − B.
    case intersecting
    /// A step did not bring v nearer the origin (a repeated support point, or rounding).
    case stalled(Vec3)
    /// `maximumIterations` steps without settling.
    case unsettled(Vec3)
  }

  /// Distance GJK on A − B (this solid minus `other`) with the signed-volume sub-algorithm of
  /// Montanari, Petrinic and Barbieri ("Improving the GJK algorithm for faster and more
  /// reliable distance queries between convex objects", ACM TOG 36(3), 2017) for the simplex's
  /// point nearest the origin, and van den Bergen's termination ("A fast and robust GJK
  /// implementation for collision detection of convex objects", J. Graphics Tools 4(2), 1999):
  /// converged when |v|² − v · w ≤ 10⁻¹² |v|², stalled when the support point w is already in
  /// the simplex or |v| does not shrink. `tolerance` as in `overlaps`; `-.infinity` runs to
  /// convergence (a distance query); `iterations` caps the steps (tests).
  ///
  /// In exact arithmetic |v| shrinks every step and each step is a certificate once w · v̂ ≥
  /// −tolerance, which for solids at distance δ ≥ 0 holds when |v| − w · v̂ ≤ δ + tolerance.
  /// For polytopes (boxes, hulls) GJK ends in finitely many steps; with a curved solid (a
  /// sphere, a cylinder's rim or side) it converges without ending. Rounding stops progress
  /// (`stalled`, or `unsettled` at the cap) only once the steps shrink to the rounding in
  /// A − B (about 10⁻¹⁴ m 60 m from the origin), long after the certificate has ended a run on
  /// solids apart by more than that. So the inputs that can reach it are solids that touch or
  /// interpenetrate by about the tolerance (then |v| is too short for its direction to be
  /// accurate), and coordinates so large (kilometres) that rounding in A − B approaches the
  /// tolerance; none of the property tests' pairs did. `overlaps` then answers
  /// conservatively.
  public func separation(_ other: ConvexSolid, tolerance: Double, iterations: Int = maximumIterations) -> Separation {
    func s(_ d: Vec3) -> Vec3 { support(d) - other.support(-d) }
    // The interior points' difference lies in A − B: a first v without a support call.
    var v = interiorPoint - other.interiorPoint
    var vv = v.lengthSquared
    var simplex = Simplex()
    var size = vv
    for step in 0..<Swift.max(0, iterations) {
      if vv <= 1e-26 * size { return .intersecting }
      let w = s(-v)
      size = Swift.max(size, w.lengthSquared)
      let vw = v.dot(w)
      if vw >= -tolerance * vv.squareRoot() { return .apart(v) }
      if vv - vw <= 1e-12 * vv { return .converged(v) }
      if simplex.contains(w) { return .stalled(v) }
      simplex.append(w)
      let (nearest, enclosed) = simplex.reduceToNearest()
      if enclosed { return .intersecting }
      let nn = nearest.lengthSquared
      // The first v (interior points) is not a simplex point, so it may lie nearer.
      if nn >= vv && step > 0 { return .stalled(v) }
      v = nearest
      vv = nn
    }
    return .unsettled(v)
  }

  /// The distance between the solids by `separation` run until it converges or stalls (|v|,
  /// an upper bound; zero when it finds them intersecting); for tests.
  func distance(to other: ConvexSolid) -> Double {
    switch separation(other, tolerance: -.infinity) {
    case .intersecting: 0
    case .apart(let v), .converged(let v), .stalled(let v), .unsettled(let v): v.length
    }
  }

  /// Up to four points of A − B (GJK's simplex), kept without allocating.
  struct Simplex {
    var p0 = Vec3.zero, p1 = Vec3.zero, p2 = Vec3.zero, p3 = Vec3.zero
    var count = 0

    subscript(i: Int) -> Vec3 {
      switch i {
      case 0: p0
      case 1: p1
      case 2: p2
      default: p3
      }
    }

    func contains(_ w: Vec3) -> Bool {
      (count > 0 && p0 == w) || (count > 1 && p1 == w) || (count > 2 && p2 == w) || (count > 3 && p3 == w)
    }

    mutating func append(_ w: Vec3) {
      switch count {
      case 0: p0 = w
      case 1: p1 = w
      case 2: p2 = w
      default: p3 = w
      }
      count = Swift.min(4, count + 1)
    }

    init() {}
    init(_ a: Vec3) { (p0, count) = (a, 1) }
    init(_ a: Vec3, _ b: Vec3) { (p0, p1, count) = (a, b, 2) }
    init(_ a: Vec3, _ b: Vec3, _ c: Vec3) { (p0, p1, p2, count) = (a, b, c, 3) }

    /// Replaces the simplex by the smallest face of it that holds its point nearest the
    /// origin, and returns that point; `enclosed` when a tetrahedron holds the origin.
    mutating func reduceToNearest() -> (Vec3, enclosed: Bool) {
      switch count {
      case 0: return (.zero, false)
      case 1: return (p0, false)
      case 2:
        let (r, v) = Self.segment(p0, p1)
        self = r
        return (v, false)
      case 3:
        let (r, v) = Self.triangle(p0, p1, p2)
        self = r
        return (v, false)
      default:
        guard let (r, v) = Self.tetrahedron(p0, p1, p2, p3) else { return (.zero, true) }
        self = r
        return (v, false)
      }
    }

    /// Two numbers of the same strict sign (the signed-volume test's `compareSigns`).
    static func sameSign(_ a: Double, _ b: Double) -> Bool { (a > 0 && b > 0) || (a < 0 && b < 0) }

    /// The point of segment a–b nearest the origin, and the vertices that carry it.
    static func segment(_ a: Vec3, _ b: Vec3) -> (Simplex, Vec3) {
      let t = b - a
      let tt = t.lengthSquared
      guard tt > 0 else { return (Simplex(a), a) }
      let lambda = -a.dot(t) / tt
      if lambda <= 0 { return (Simplex(a), a) }
      if lambda >= 1 { return (Simplex(b), b) }
      return (Simplex(a, b), a + t * lambda)
    }

    /// The point of triangle a, b, c nearest the origin (signed-volume S2D): the origin
    /// projected onto the triangle's plane, with its barycentric coordinates as signed areas
    /// in the coordinate plane where the triangle's projection is largest; where one of them
    /// has the wrong sign (or the triangle is degenerate), the nearest of the edges concerned.
    static func triangle(_ a: Vec3, _ b: Vec3, _ c: Vec3) -> (Simplex, Vec3) {
      let n = (b - a).cross(c - a)
      let nn = n.lengthSquared
      if nn > 0 {
        let p = n * (a.dot(n) / nn)
        // Drop the axis k along which n is largest; (i, j, k) cyclic, so the signed area of
        // the projected triangle is n[k].
        let ax = abs(n.x), ay = abs(n.y), az = abs(n.z)
        let (i, j, k) = ax >= ay && ax >= az ? (1, 2, 0) : (ay >= az ? (2, 0, 1) : (0, 1, 2))
        func area(_ u: Vec3, _ v: Vec3, _ w: Vec3) -> Double {
          (v[i] - u[i]) * (w[j] - u[j]) - (v[j] - u[j]) * (w[i] - u[i])
        }
        let mu = n[k]
        let ca = area(p, b, c), cb = area(a, p, c), cc = area(a, b, p)
        let inA = sameSign(mu, ca), inB = sameSign(mu, cb), inC = sameSign(mu, cc)
        if inA && inB && inC { return (Simplex(a, b, c), p) }
        var best: (Simplex, Vec3)?
        func consider(_ r: (Simplex, Vec3)) {
          if let b = best, b.1.lengthSquared <= r.1.lengthSquared { return }
          best = r
        }
        if !inA { consider(segment(b, c)) }
        if !inB { consider(segment(a, c)) }
        if !inC { consider(segment(a, b)) }
        if let best { return best }
      }
      var best = segment(a, b)
      let ac = segment(a, c), bc = segment(b, c)
      if ac.1.lengthSquared < best.1.lengthSquared { best = ac }
      if bc.1.lengthSquared < best.1.lengthSquared { best = bc }
      return best
    }

    /// The point of tetrahedron a, b, c, d nearest the origin (signed-volume S3D), or nil
    /// when the tetrahedron holds the origin: the signed volumes with the origin in place of
    /// each vertex are the origin's barycentric coordinates times the tetrahedron's; where
    /// one has the wrong sign, the nearest of the faces concerned.
    static func tetrahedron(_ a: Vec3, _ b: Vec3, _ c: Vec3, _ d: Vec3) -> (Simplex, Vec3)? {
      func volume(_ p: Vec3, _ q: Vec3, _ r: Vec3, _ s: Vec3) -> Double { (q - p).dot((r - p).cross(s - p)) }
      let o = Vec3.zero
      let ca = volume(o, b, c, d), cb = volume(a, o, c, d), cc = volume(a, b, o, d), cd = volume(a, b, c, o)
      let det = ca + cb + cc + cd
      let inA = sameSign(det, ca), inB = sameSign(det, cb), inC = sameSign(det, cc), inD = sameSign(det, cd)
      if inA && inB && inC && inD { return nil }
      var best: (Simplex, Vec3)?
      func consider(_ r: (Simplex, Vec3)) {
        if let b = best, b.1.lengthSquared <= r.1.lengthSquared { return }
        best = r
      }
      if !inA { consider(triangle(b, c, d)) }
      if !inB { consider(triangle(a, c, d)) }
      if !inC { consider(triangle(a, b, d)) }
      if !inD { consider(triangle(a, b, c)) }
      return best
    }
  }
}
