import ScnGeometry

/// Contacts between convex shapes when a cylinder or a polytope (a mesh part's hull) is
/// involved (docs/scene-model.md, "Overlap tests and physics"), with the contract of the
/// other routines: points kept up to the speculative margin, normals from the first shape to
/// the second, feature keys stable while the same features touch.
///
/// Each shape is a core (a point for spheres, a segment for capsules, else the solid itself)
/// swept by a radius. The normal and separation come from GJK (Gilbert–Johnson–Keerthi)
/// distance between the cores when they are apart (exact, also for curved shapes), and from
/// separating axes when they overlap: the face normals of both (a box's axes, a cylinder's
/// axis and its radial direction toward the other, a polytope's face planes) and the line
/// between the centres, and for two polytopes the cross products of an edge of each whose
/// arcs on the Gauss map cross (the edge pairs that make a face of the Minkowski
/// difference: Gregorius, "The Separating Axis Test between Convex Polyhedra", GDC 2013).
/// An edge pair wins only when it overlaps less than every face by `edgeTolerance`; it
/// makes one point, midway between the closest points of the two edges. The patch
/// otherwise: each shape's feature furthest along
/// the normal (a face polygon, an edge or side line, or a point); when one of them is a face
/// within ~2.6° of the normal it is the reference, and the other feature is clipped against
/// its side planes (Sutherland–Hodgman), each clipped point measured against the reference
/// plane and at most four kept; otherwise one point (two for parallel side lines).
enum ConvexContact {
  /// A face is the reference when its normal is within this cosine (~2.6°) of the contact
  /// normal, and the incident feature is a face (or edge) within `incidentCosine` (~10°).
  static let referenceCosine = 0.999
  static let incidentCosine = 0.985
  /// Points of a cylinder's cap polygon (a regular polygon inscribed in the rim).
  static let capPoints = 12
  static let gjkIterations = 48
  /// An edge–edge axis replaces the best face axis only when its gap is larger by this
  /// (metres): faces win ties, so a face resting on a face keeps its clipped patch.
  static let edgeTolerance = 1e-5

  /// The edge of each polytope along which an edge–edge axis was found (world endpoints),
  /// and a feature key from the two edges' indices.
  struct EdgePair {
    var a0: Vec3, a1: Vec3, b0: Vec3, b1: Vec3
    var key: UInt32
  }

  struct Solid {
    enum Core {
      case point
      case segment(halfHeight: Double)
      case box(Vec3)
      case cylinder(radius: Double, halfHeight: Double)
      case hull(ConvexPolytope)
    }

    var core: Core
    var pose: BodyPose
    var radius: Double

    init?(_ shape: CollisionShape, _ pose: BodyPose) {
      self.pose = pose
      switch shape {
      case .sphere(let r):
        core = .point
        radius = r
      case .capsule(let r, let h):
        core = .segment(halfHeight: h)
        radius = r
      case .box(let h):
        core = .box(h)
        radius = 0
      case .cylinder(let r, let h):
        core = .cylinder(radius: r, halfHeight: h)
        radius = 0
      case .hull(let p):
        core = .hull(p)
        radius = 0
      case .plane, .compound:
        return nil
      }
    }

    /// The core's point furthest along `d` (any length).
    func coreSupport(_ d: Vec3) -> Vec3 {
      let p = pose.position
      let a = pose.axes
      switch core {
      case .point:
        return p
      case .segment(let h):
        return p + a.c2 * (a.c2.dot(d) >= 0 ? h : -h)
      case .box(let h):
        return p + a.c0 * (a.c0.dot(d) >= 0 ? h.x : -h.x) + a.c1 * (a.c1.dot(d) >= 0 ? h.y : -h.y)
          + a.c2 * (a.c2.dot(d) >= 0 ? h.z : -h.z)
      case .cylinder(let r, let h):
        let u = a.c2
        let along = d.dot(u)
        let radial = d - u * along
        let len = radial.length
        let cap = p + u * (along >= 0 ? h : -h)
        return len > 1e-12 * Swift.max(1, d.length) ? cap + radial * (r / len) : cap
      case .hull(let poly):
        return p + a.apply(poly.support(a.applyTransposed(d)))
      }
    }

    /// The largest `n · x` over the solid (unit `n`).
    func highest(_ n: Vec3) -> Double { coreSupport(n).dot(n) + radius }
    /// The smallest `n · x` over the solid (unit `n`).
    func lowest(_ n: Vec3) -> Double { coreSupport(-n).dot(n) - radius }
  }

  // MARK: - Entry points

  static func collide(
    _ shapeA: CollisionShape, _ pa: BodyPose, _ shapeB: CollisionShape, _ pb: BodyPose, margin: Double,
    into out: inout ContactScratch
  ) {
    guard let a = Solid(shapeA, pa), let b = Solid(shapeB, pb) else { return }
    var n: Vec3
    var separation: Double
    var witness: (Vec3, Vec3)?
    let g = gjk(a, b)
    if !g.intersecting && g.distance > 1e-9 {
      n = (g.onB - g.onA) / g.distance
      separation = g.distance - a.radius - b.radius
      guard separation < margin else { return }
      witness = (g.onA + n * a.radius, g.onB - n * b.radius)
    } else {
      let edge: EdgePair?
      (n, separation, edge) = separatingAxis(a, b, scratch: &out)
      guard separation < margin else { return }
      if let e = edge {
        let ua = e.a1 - e.a0, ub = e.b1 - e.b0
        let la = ua.length, lb = ub.length
        if la > 0, lb > 0 {
          let (onA, onB) = Narrowphase.closestPointsOfSegments(
            (e.a0 + e.a1) * 0.5, ua / la, la / 2, (e.b0 + e.b1) * 0.5, ub / lb, lb / 2)
          out.add(position: (onA + onB) * 0.5, normal: n, separation: separation, feature: 1 << 26 | e.key)
          return
        }
      }
    }
    patch(a, b, normal: n, separation: separation, witness: witness, margin: margin, into: &out)
  }

  /// A plane (first) against a cylinder or polytope (second).
  static func planeConvex(_ plane: BodyPose, _ shape: CollisionShape, _ pose: BodyPose, margin: Double, into out: inout ContactScratch) {
    let n = plane.axes.c2
    func add(_ p: Vec3, _ feature: UInt32) {
      let separation = (p - plane.position).dot(n)
      if separation < margin {
        out.add(position: p - n * (separation / 2), normal: n, separation: separation, feature: feature)
      }
    }
    switch shape {
    case .hull(let poly):
      for (i, v) in poly.vertices.enumerated() { add(pose.position + pose.axes.apply(v), UInt32(i)) }
    case .cylinder(let r, let h):
      let u = pose.axes.c2
      let down = -n
      let along = down.dot(u)
      // The lowest rim point of each cap: a lying or tilted cylinder rests (and rolls) on them.
      let radial = down - u * along
      if radial.length > 1e-6 {
        let rim = radial.normalized * r
        add(pose.position - u * h + rim, 100)
        add(pose.position + u * h + rim, 101)
      }
      // A cap facing the plane (within ~20°) also rests on points of its rim fixed in the body.
      if abs(along) > 0.94 {
        let cap = pose.position + u * (along > 0 ? h : -h)
        for k in 0..<capPoints {
          add(cap + capDirection(pose, k) * r, UInt32(k) | (along > 0 ? 0x10 : 0))
        }
      }
    default:
      return
    }
    out.reduceToFour(normal: n)
  }

  /// The body-fixed unit direction of a cylinder's `k`-th cap point.
  static func capDirection(_ pose: BodyPose, _ k: Int) -> Vec3 {
    let c = capTable[k]
    return pose.axes.c0 * c.x + pose.axes.c1 * c.y
  }

  static let capTable: [SIMD2<Double>] = (0..<capPoints).map { k in
    let angle = 2 * Double.pi * Double(k) / Double(capPoints)
    return SIMD2(angle.cosine, angle.sine)
  }

  // MARK: - GJK distance

  struct GJKResult {
    var intersecting: Bool
    var distance: Double
    var onA: Vec3
    var onB: Vec3
  }

  /// Distance between the cores of `a` and `b` (their radii ignored) and the closest points,
  /// by GJK with the closest point of each simplex found by Voronoi regions (Ericson,
  /// Real-Time Collision Detection 5.1.5, 9.5). Intersecting when the simplex reaches the
  /// origin.
  static func gjk(_ a: Solid, _ b: Solid) -> GJKResult {
    var w = [Vec3](), sa = [Vec3](), sb = [Vec3]()
    w.reserveCapacity(4)
    sa.reserveCapacity(4)
    sb.reserveCapacity(4)
    var d = b.pose.position - a.pose.position
    if d.lengthSquared < 1e-24 { d = .unitX }
    // Minkowski difference A − B: support along v is sA(v) − sB(−v).
    var pa = a.coreSupport(-d), pb = b.coreSupport(d)
    w.append(pa - pb)
    sa.append(pa)
    sb.append(pb)
    var v = w[0]
    var best = GJKResult(intersecting: false, distance: v.length, onA: pa, onB: pb)
    for _ in 0..<gjkIterations {
      let vv = v.lengthSquared
      if vv < 1e-24 { return GJKResult(intersecting: true, distance: 0, onA: best.onA, onB: best.onB) }
      pa = a.coreSupport(-v)
      pb = b.coreSupport(v)
      let p = pa - pb
      // No further progress toward the origin: v is (nearly) the closest point.
      if vv - v.dot(p) <= 1e-12 * vv + 1e-18 { break }
      if w.contains(p) { break }
      w.append(p)
      sa.append(pa)
      sb.append(pb)
      guard let (closest, weights, inside) = closestOnSimplex(&w, &sa, &sb) else { break }
      if inside { return GJKResult(intersecting: true, distance: 0, onA: best.onA, onB: best.onB) }
      v = closest
      var onA = Vec3.zero, onB = Vec3.zero
      for i in w.indices {
        onA += sa[i] * weights[i]
        onB += sb[i] * weights[i]
      }
      let dist = v.length
      if dist < best.distance { best = GJKResult(intersecting: false, distance: dist, onA: onA, onB: onB) } else { break }
    }
    return best
  }

  /// The point of the simplex `w` nearest the origin with its barycentric weights; the
  /// simplex (and its support points) is reduced to the vertices that carry weight. Nil when
  /// degenerate; `inside` when a tetrahedron holds the origin.
  static func closestOnSimplex(_ w: inout [Vec3], _ sa: inout [Vec3], _ sb: inout [Vec3]) -> (Vec3, [Double], Bool)? {
    func keep(_ idx: [Int]) {
      w = idx.map { w[$0] }
      sa = idx.map { sa[$0] }
      sb = idx.map { sb[$0] }
    }
    switch w.count {
    case 2:
      let (p, l, idx) = segment(w[0], w[1])
      let weights = idx.count == 2 ? [1 - l, l] : [1.0]
      keep(idx)
      return (p, weights, false)
    case 3:
      let (p, weights, idx) = triangle(w[0], w[1], w[2])
      keep(idx)
      return (p, weights, false)
    case 4:
      // Inside when the origin is on the inner side of every face.
      let faces = [(0, 1, 2, 3), (0, 1, 3, 2), (0, 2, 3, 1), (1, 2, 3, 0)]
      var bestDist = Double.infinity
      var result: (Vec3, [Double], [Int])?
      var outside = false
      for (i, j, k, l) in faces {
        let n = (w[j] - w[i]).cross(w[k] - w[i])
        let sideOrigin = -w[i].dot(n)
        let sideOpposite = (w[l] - w[i]).dot(n)
        guard sideOpposite * sideOpposite > 1e-30 else { continue }
        if sideOrigin * sideOpposite < 0 {
          outside = true
          let (p, weights, idx) = triangle(w[i], w[j], w[k])
          let dist = p.lengthSquared
          if dist < bestDist {
            bestDist = dist
            let map = [i, j, k]
            result = (p, weights, idx.map { map[$0] })
          }
        }
      }
      guard outside else { return (.zero, [], true) }
      guard let (p, weights, idx) = result else { return nil }
      keep(idx)
      return (p, weights, false)
    default:
      return nil
    }
  }

  /// Closest point to the origin on segment a–b: the point, the weight of b, and which
  /// vertices carry weight.
  static func segment(_ a: Vec3, _ b: Vec3) -> (Vec3, Double, [Int]) {
    let ab = b - a
    let len2 = ab.lengthSquared
    guard len2 > 1e-30 else { return (a, 0, [0]) }
    let t = -a.dot(ab) / len2
    if t <= 0 { return (a, 0, [0]) }
    if t >= 1 { return (b, 1, [1]) }
    return (a + ab * t, t, [0, 1])
  }

  /// Closest point to the origin on triangle a, b, c (Ericson 5.1.5): the point, the weights
  /// of the vertices that carry weight, and their indices.
  static func triangle(_ a: Vec3, _ b: Vec3, _ c: Vec3) -> (Vec3, [Double], [Int]) {
    let ab = b - a, ac = c - a, ap = -a
    let d1 = ab.dot(ap), d2 = ac.dot(ap)
    if d1 <= 0 && d2 <= 0 { return (a, [1], [0]) }
    let bp = -b
    let d3 = ab.dot(bp), d4 = ac.dot(bp)
    if d3 >= 0 && d4 <= d3 { return (b, [1], [1]) }
    let vc = d1 * d4 - d3 * d2
    if vc <= 0 && d1 >= 0 && d3 <= 0 {
      let v = d1 / (d1 - d3)
      return (a + ab * v, [1 - v, v], [0, 1])
    }
    let cp = -c
    let d5 = ab.dot(cp), d6 = ac.dot(cp)
    if d6 >= 0 && d5 <= d6 { return (c, [1], [2]) }
    let vb = d5 * d2 - d1 * d6
    if vb <= 0 && d2 >= 0 && d6 <= 0 {
      let w = d2 / (d2 - d6)
      return (a + ac * w, [1 - w, w], [0, 2])
    }
    let va = d3 * d6 - d5 * d4
    if va <= 0 && (d4 - d3) >= 0 && (d5 - d6) >= 0 {
      let w = (d4 - d3) / ((d4 - d3) + (d5 - d6))
      return (b + (c - b) * w, [1 - w, w], [1, 2])
    }
    let sum = va + vb + vc
    guard sum != 0, sum.isFinite else { return (a, [1], [0]) }
    let v = vb / sum, w = vc / sum
    return (a + ab * v + ac * w, [1 - v - w, v, w], [0, 1, 2])
  }

  // MARK: - Separating axes (overlapping cores)

  /// The axis (from A to B) along which the solids overlap least, over the candidates, and
  /// the signed gap along it (negative: overlap); with the two edges when it is an edge–edge
  /// axis of two polytopes.
  static func separatingAxis(_ a: Solid, _ b: Solid, scratch: inout ContactScratch) -> (Vec3, Double, EdgePair?) {
    var bestAxis = Vec3.unitZ
    var bestGap = -Double.infinity
    func test(_ n: Vec3) {
      guard n.x.isFinite, n.y.isFinite, n.z.isFinite, n != .zero else { return }
      let gap = b.lowest(n) - a.highest(n)
      if gap > bestGap {
        bestGap = gap
        bestAxis = n
      }
    }
    let centres = b.pose.position - a.pose.position
    test(centres.normalized)
    for (s, other, sign) in [(a, b, 1.0), (b, a, -1.0)] {
      let axes = s.pose.axes
      switch s.core {
      case .point:
        break
      case .segment(let h):
        let q = Narrowphase.closestOnSegment(center: s.pose.position, axis: axes.c2, halfHeight: h, to: other.pose.position)
        test(((other.pose.position - q) * sign).normalized)
      case .box:
        for i in 0..<3 {
          test(axes.column(i))
          test(-axes.column(i))
        }
      case .cylinder:
        let u = axes.c2
        test(u)
        test(-u)
        let r = other.pose.position - s.pose.position
        test(((r - u * r.dot(u)) * sign).normalized)
      case .hull(let poly):
        // Outward face normals only: the other solid lies beyond the face.
        for m in poly.normals { test(axes.apply(m) * sign) }
      }
    }
    guard case .hull(let ha) = a.core, case .hull(let hb) = b.core, bestGap.isFinite else { return (bestAxis, bestGap, nil) }
    // Edge pairs whose Gauss-map arcs cross: the arc of A's edge runs between its two faces'
    // normals, that of B's between its faces' negated normals (the Gauss map of −B); the
    // great circles through them meet at ±t, and the one of ±t on both arcs is the axis
    // along which both edges are extreme (A's highest, B's lowest).
    let ra = a.pose.axes, rb = b.pose.axes
    scratch.gaussNormals.removeAll(keepingCapacity: true)
    for m in hb.normals { scratch.gaussNormals.append(-rb.apply(m)) }
    func onArc(_ p: Vec3, _ x: Vec3, _ y: Vec3, _ n: Vec3) -> Bool { x.cross(p).dot(n) >= 0 && p.cross(y).dot(n) >= 0 }
    var best: EdgePair?
    var edgeAxis = bestAxis
    var edgeGap = bestGap + edgeTolerance
    for (i, ea) in ha.edges.enumerated() {
      let a1 = ra.apply(ha.normals[Int(ea.left)]), a2 = ra.apply(ha.normals[Int(ea.right)])
      let arcA = a1.cross(a2)
      let pa0 = a.pose.position + ra.apply(ha.vertices[Int(ea.a)])
      for (j, eb) in hb.edges.enumerated() {
        let c = scratch.gaussNormals[Int(eb.left)], d = scratch.gaussNormals[Int(eb.right)]
        let arcB = c.cross(d)
        let t = arcA.cross(arcB)
        // Parallel edges (the circles coincide) are the face axes' business.
        guard t.lengthSquared > 1e-24 else { continue }
        let s: Vec3
        if onArc(t, a1, a2, arcA) && onArc(t, c, d, arcB) {
          s = t
        } else if onArc(-t, a1, a2, arcA) && onArc(-t, c, d, arcB) {
          s = -t
        } else {
          continue
        }
        let n = s.normalized
        let pb0 = b.pose.position + rb.apply(hb.vertices[Int(eb.a)])
        let gap = (pb0 - pa0).dot(n)
        guard gap > edgeGap else { continue }
        edgeGap = gap
        edgeAxis = n
        best = EdgePair(
          a0: pa0, a1: a.pose.position + ra.apply(ha.vertices[Int(ea.b)]), b0: pb0,
          b1: b.pose.position + rb.apply(hb.vertices[Int(eb.b)]),
          key: UInt32(truncatingIfNeeded: i & 0x3FF) << 10 | UInt32(truncatingIfNeeded: j & 0x3FF))
      }
    }
    guard let best else { return (bestAxis, bestGap, nil) }
    return (edgeAxis, edgeGap, best)
  }

  // MARK: - Patch

  /// Face id used for a solid with no face feature (a point or a line).
  static let noFace: UInt32 = 0xFF

  /// The solid's feature furthest along the unit `d`, appended to `out.polygon` (with keys
  /// in `out.polygonKeys`): a face polygon (counter-clockwise about its normal), a segment
  /// or a point. Returns the face normal (nil for segments and points) and a feature id.
  static func feature(_ s: Solid, along d: Vec3, into out: inout ContactScratch) -> (Vec3?, UInt32) {
    out.polygon.removeAll(keepingCapacity: true)
    out.polygonKeys.removeAll(keepingCapacity: true)
    let p = s.pose.position
    let a = s.pose.axes
    func add(_ x: Vec3, _ key: UInt32) {
      out.polygon.append(x + d * s.radius)
      out.polygonKeys.append(key)
    }
    let sideSine = (1 - incidentCosine * incidentCosine).squareRoot()
    switch s.core {
    case .point:
      add(p, 0)
      return (nil, noFace)
    case .segment(let h):
      let u = a.c2
      if abs(u.dot(d)) < sideSine {
        add(p - u * h, 0)
        add(p + u * h, 1)
      } else {
        add(p + u * (u.dot(d) >= 0 ? h : -h), u.dot(d) >= 0 ? 1 : 0)
      }
      return (nil, noFace)
    case .box(let h):
      var axis = 0
      var bestDot = -1.0
      for i in 0..<3 where abs(a.column(i).dot(d)) > bestDot {
        bestDot = abs(a.column(i).dot(d))
        axis = i
      }
      let sign: Double = a.column(axis).dot(d) >= 0 ? 1 : -1
      if bestDot >= incidentCosine {
        let i = (axis + 1) % 3, j = (axis + 2) % 3
        let centre = p + a.column(axis) * (sign * h[axis])
        let u = a.column(i) * h[i], v = a.column(j) * h[j]
        // Counter-clockwise about the face's outward normal sign·axis.
        let corners = sign > 0 ? [u + v, -u + v, -u - v, u - v] : [u + v, u - v, -u - v, -u + v]
        for (k, c) in corners.enumerated() { add(centre + c, UInt32(k)) }
        return (a.column(axis) * sign, UInt32(axis * 2) + (sign > 0 ? 0 : 1))
      }
      var corner = p
      var edge = -1
      for i in 0..<3 {
        let c = a.column(i).dot(d)
        if abs(c) < sideSine && edge < 0 {
          edge = i
        } else {
          corner += a.column(i) * (c >= 0 ? h[i] : -h[i])
        }
      }
      if edge >= 0 {
        let e = a.column(edge) * h[edge]
        add(corner - e, 0)
        add(corner + e, 1)
      } else {
        add(corner, 0)
      }
      return (nil, noFace)
    case .cylinder(let r, let h):
      let u = a.c2
      let along = u.dot(d)
      if abs(along) >= incidentCosine {
        let cap = p + u * (along >= 0 ? h : -h)
        let count = capPoints
        for k in 0..<count {
          // Counter-clockwise about the cap's outward normal.
          let m = along >= 0 ? k : (count - k) % count
          add(cap + capDirection(s.pose, m) * r, UInt32(m))
        }
        return (along >= 0 ? u : -u, along >= 0 ? 6 : 7)
      }
      let radial = (d - u * along).normalized
      if abs(along) < sideSine {
        add(p - u * h + radial * r, 0)
        add(p + u * h + radial * r, 1)
      } else {
        add(p + u * (along >= 0 ? h : -h) + radial * r, along >= 0 ? 1 : 0)
      }
      return (nil, noFace)
    case .hull(let poly):
      let local = a.applyTransposed(d)
      var face = 0
      var bestDot = -Double.infinity
      for (k, m) in poly.normals.enumerated() where m.dot(local) > bestDot {
        bestDot = m.dot(local)
        face = k
      }
      if bestDot >= incidentCosine {
        let lo = Int(poly.faceStarts[face]), hi = Int(poly.faceStarts[face + 1])
        for j in lo..<hi {
          let vi = Int(poly.faceIndices[j])
          add(p + a.apply(poly.vertices[vi]), UInt32(vi))
        }
        return (a.apply(poly.normals[face]), UInt32(truncatingIfNeeded: face) & 0xFF)
      }
      add(s.coreSupport(d), 0)
      return (nil, noFace)
    }
  }

  /// Builds the contact points for the normal `n` (from A to B) found by GJK or SAT.
  static func patch(
    _ a: Solid, _ b: Solid, normal n: Vec3, separation: Double, witness: (Vec3, Vec3)?, margin: Double,
    into out: inout ContactScratch
  ) {
    let (faceA, idA) = feature(a, along: n, into: &out)
    let polyA = out.polygon, keysA = out.polygonKeys
    let (faceB, idB) = feature(b, along: -n, into: &out)
    let polyB = out.polygon, keysB = out.polygonKeys
    let dotA = faceA.map { $0.dot(n) } ?? -1
    let dotB = faceB.map { -$0.dot(n) } ?? -1
    let refIsA = dotA >= referenceCosine && dotA + 1e-9 >= dotB
    let refIsB = !refIsA && dotB >= referenceCosine
    if refIsA || refIsB {
      let refPoly = refIsA ? polyA : polyB
      guard let f = refIsA ? faceA : faceB else { return }
      out.polygon = refIsA ? polyB : polyA
      out.polygonKeys = refIsA ? keysB : keysA
      let offset = refPoly[0].dot(f)
      // Side planes of the reference face (its polygon is counter-clockwise about f).
      let count = refPoly.count
      for k in 0..<count where !out.polygon.isEmpty {
        let e = refPoly[(k + 1) % count] - refPoly[k]
        let side = e.cross(f).normalized
        guard side != .zero else { continue }
        clip(&out, normal: side, offset: side.dot(refPoly[k]), plane: UInt32(k))
      }
      let contactNormal = refIsA ? f : -f
      let base: UInt32 = (refIsB ? 1 << 31 : 0) | 1 << 29 | (refIsA ? idA : idB) << 21 | (refIsA ? idB : idA) << 13
      let start = out.count
      for k in out.polygon.indices {
        let x = out.polygon[k]
        let s = x.dot(f) - offset
        guard s < margin else { continue }
        out.add(position: x - f * (s / 2), normal: contactNormal, separation: s,
                feature: base ^ (out.polygonKeys[k] &* 0x9E37_79B1 & 0x1FFF))
      }
      if out.count > start {
        out.reduceToFour(normal: contactNormal)
        return
      }
    }
    // Two side lines (parallel edges, a cylinder lying against a cylinder or a box edge):
    // the part of B's line beside A's, both ends at the gap.
    if polyA.count == 2 && polyB.count == 2 {
      let ua = polyA[1] - polyA[0]
      let len2 = ua.lengthSquared
      if len2 > 1e-18 {
        let t0 = (polyB[0] - polyA[0]).dot(ua) / len2, t1 = (polyB[1] - polyA[0]).dot(ua) / len2
        let lo = Swift.max(Swift.min(t0, t1), 0), hi = Swift.min(Swift.max(t0, t1), 1)
        if hi - lo > 1e-6 {
          let ub = polyB[1] - polyB[0]
          for (k, t) in [lo, hi].enumerated() {
            let onA = polyA[0] + ua * t
            // The point of B's line beside onA.
            let sb = ub.lengthSquared > 1e-18 ? Swift.min(Swift.max((onA - polyB[0]).dot(ub) / ub.lengthSquared, 0), 1) : 0
            let onB = polyB[0] + ub * sb
            let s = (onB - onA).dot(n)
            guard s < margin else { continue }
            out.add(position: (onA + onB) * 0.5, normal: n, separation: s, feature: 1 << 28 | UInt32(k))
          }
          if out.count > 0 { return }
        }
      }
    }
    // One point: the closest points when apart, else the deepest point of the point feature.
    let position: Vec3
    if let (onA, onB) = witness {
      position = (onA + onB) * 0.5
    } else if polyB.count == 1 {
      position = polyB[0] - n * (separation / 2)
    } else if polyA.count == 1 {
      position = polyA[0] + n * (separation / 2)
    } else {
      position = (a.coreSupport(n) + n * a.radius + b.coreSupport(-n) - n * b.radius) * 0.5
    }
    out.add(position: position, normal: n, separation: separation, feature: 1 << 27)
  }

  /// Clips the polygon, segment or point in `s.polygon` to `x · normal <= offset` (with
  /// `BoxBox.clipTolerance`); a segment stays a segment.
  static func clip(_ s: inout ContactScratch, normal: Vec3, offset: Double, plane: UInt32) {
    let tolerance = BoxBox.clipTolerance
    switch s.polygon.count {
    case 0:
      return
    case 1:
      if s.polygon[0].dot(normal) - offset > tolerance {
        s.polygon.removeAll(keepingCapacity: true)
        s.polygonKeys.removeAll(keepingCapacity: true)
      }
    case 2:
      let p = s.polygon[0], q = s.polygon[1]
      let dp = p.dot(normal) - offset, dq = q.dot(normal) - offset
      if dp > tolerance && dq > tolerance {
        s.polygon.removeAll(keepingCapacity: true)
        s.polygonKeys.removeAll(keepingCapacity: true)
      } else if dp > tolerance {
        s.polygon[0] = p + (q - p) * (dp / (dp - dq))
        s.polygonKeys[0] = (4 + plane) << 16 ^ s.polygonKeys[0]
      } else if dq > tolerance {
        s.polygon[1] = q + (p - q) * (dq / (dq - dp))
        s.polygonKeys[1] = (4 + plane) << 16 ^ s.polygonKeys[1]
      }
    default:
      BoxBox.clip(&s, normal: normal, offset: offset, plane: plane)
    }
  }
}
