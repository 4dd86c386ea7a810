/// A convex polytope that contains a point set, with at most `maxVertices` vertices
/// (docs/scene-model.md, "Overlap tests and physics"). Used for mesh parts in the sampler's
/// overlap test: tighter than the box around the mesh (a rounded car corner, a person's arm)
/// and always conservative, so an overlap of hulls implies an overlap of boxes.
///
/// Built deterministically (no randomness, ties broken by index):
/// 1. candidates: all points when there are at most `maxVertices`; otherwise the point
///    furthest along each of `maxVertices` fixed directions (the six axes and a Fibonacci
///    sphere), the lowest index on ties; these are vertices of the exact hull;
/// 2. the convex hull of the candidates by incremental construction (a tetrahedron, then
///    each candidate in index order replaces the faces it sees by a fan from their horizon);
/// 3. when that hull misses points that were not candidates, each of its face planes and
///    the six planes of the points' bounding box are pushed out to the furthest point along
///    their normals, and the vertices of the pushed planes' intersection are found by
///    duality (the planes as points about an interior point, their hull's faces as
///    vertices): planes that already touch every point (a flat bottom) stay where they are;
/// 4. with more than 34 such planes (a simple polytope of F planes has 2F − 4 vertices), or
///    more than `maxVertices` vertices, the same with the 26 planes of a 26-DOP
///    (the axes, the 12 edge and the 8 corner diagonals), at most 48 vertices.
/// Each result is checked: every point lies within 1e-9 of the extent inside every face
/// plane of the final vertices' hull. Flat or degenerate sets (within 1e-9 of the extent of
/// a plane) and failed checks get the 8 corners of the points' axis-aligned bounds. Every
/// result lies within the points' bounding box.
public struct ConvexHull: Sendable, Equatable {
  public static let maxVertices = 64

  /// The hull's vertices (at most `maxVertices`).
  public let vertices: [Vec3]
  /// Unit outward normals of the hull's faces, one per distinct plane, with `offsets`:
  /// every vertex v satisfies `normals[k].dot(v) <= offsets[k]`.
  public let normals: [Vec3]
  public let offsets: [Double]

  /// The hull of `points`; an empty set gives a single vertex at the origin.
  public init(containing points: [Vec3]) {
    guard let first = points.first else {
      self.init(vertices: [.zero], normals: [], offsets: [])
      return
    }
    var lower = first, upper = first
    for p in points {
      lower = pointwiseMin(lower, p)
      upper = pointwiseMax(upper, p)
    }
    let extent = (upper - lower).maxComponent
    guard extent.isFinite, extent > 0 else {
      self.init(vertices: [first], normals: [], offsets: [])
      return
    }
    let candidates: [Vec3]
    // The points that are not candidates: those the candidates' hull may miss.
    var others: [Int] = []
    if points.count <= Self.maxVertices {
      candidates = points
    } else {
      var chosen: [Int] = []
      var isChosen = [Bool](repeating: false, count: points.count)
      for best in Self.extremes(points) where !isChosen[best] {
        isChosen[best] = true
        chosen.append(best)
      }
      chosen.sort()
      candidates = chosen.map { points[$0] }
      others = points.indices.filter { !isChosen[$0] }
    }
    guard let faces = Self.hull(candidates, epsilon: 1e-9 * extent) else {
      self = Self.box(lower: lower, upper: upper)
      return
    }
    // Vertices used by faces, in candidate order.
    var used = [Bool](repeating: false, count: candidates.count)
    for f in faces {
      used[f.0] = true
      used[f.1] = true
      used[f.2] = true
    }
    let vertices = candidates.indices.filter { used[$0] }.map { candidates[$0] }
    var centroid = Vec3.zero
    for v in vertices { centroid += v }
    centroid /= Double(vertices.count)
    let normals = Self.planeNormals(faces, candidates)
    guard normals.count >= 4 else {
      self = Self.box(lower: lower, upper: upper)
      return
    }
    let tolerance = 1e-9 * extent
    // The candidates' hull itself when it holds every point (always with few points). When
    // every candidate is a vertex, `vertices` is `candidates` and their hull is the one just
    // built (the same points and tolerance), so it is not built again.
    let same = vertices.count == candidates.count
    if let hull = Self.verified(
      vertices, points, tolerance: tolerance, faces: same ? faces : nil, normals: same ? normals : nil, first: others)
    {
      self = hull
      return
    }
    // Each face plane of the candidates' hull, and the six of the bounding box, pushed out
    // to the furthest point along it; failing that (or with too many), the 26 planes of a
    // 26-DOP.
    let axes: [Vec3] = [.unitX, -.unitX, .unitY, -.unitY, .unitZ, -.unitZ]
    // A simple polytope of F planes has 2F − 4 vertices: more than 34 planes rarely fit.
    let candidatesPlanes = normals.count + axes.count <= 34 ? [axes + normals] : []
    for planes in candidatesPlanes + [Self.dop26] {
      if let pushed = Self.intersection(normals: planes, points: points, inside: centroid, extent: extent),
        pushed.count <= Self.maxVertices, let hull = Self.verified(pushed, points, tolerance: tolerance)
      {
        self = hull
        return
      }
    }
    self = Self.box(lower: lower, upper: upper)
  }

  /// The normals of a 26-DOP: the axes, then the 12 edge and the 8 corner diagonals.
  static let dop26: [Vec3] = {
    var out: [Vec3] = [.unitX, -.unitX, .unitY, -.unitY, .unitZ, -.unitZ]
    for x in -1...1 {
      for y in -1...1 {
        for z in -1...1 where abs(x) + abs(y) + abs(z) >= 2 {
          out.append(Vec3(Double(x), Double(y), Double(z)).normalized)
        }
      }
    }
    return out
  }()

  /// Unit normals of `faces` (triangles of `p`), one per distinct direction.
  static func planeNormals(_ faces: [(Int, Int, Int)], _ p: [Vec3]) -> [Vec3] {
    var normals: [Vec3] = []
    normals.reserveCapacity(faces.count)
    for f in faces {
      let n = (p[f.1] - p[f.0]).cross(p[f.2] - p[f.0]).normalized
      guard n != .zero else { continue }
      // A kept normal within 1e-9 of `n` (squared distance under 1e-18) differs from it by
      // less than 1e-9 in every coordinate: one whose x is more than 2e-9 away (whose square
      // is over 1e-18 even rounded, and the squared distance no less) is not, and is passed
      // over without the full test. The same normals are kept as by the full test alone.
      let near = normals.withUnsafeBufferPointer { kept in
        for q in kept where abs(q.x - n.x) <= 2e-9 && (q - n).lengthSquared < 1e-18 { return true }
        return false
      }
      if !near { normals.append(n) }
    }
    return normals
  }

  /// The vertices of the intersection of the half-spaces `n · x <= max over points of n · p`,
  /// one per normal, by duality about the interior point `c`: the planes become the points
  /// `n / (offset − n · c)`, and each face of their hull a vertex. Nil when degenerate.
  static func intersection(normals: [Vec3], points: [Vec3], inside c: Vec3, extent: Double) -> [Vec3]? {
    var dual: [Vec3] = []
    for n in normals {
      var e = -Double.infinity
      for p in points { e = Swift.max(e, n.dot(p)) }
      let gap = e - n.dot(c)
      guard gap > 1e-9 * extent else { return nil }
      dual.append(n / gap)
    }
    var scale = 0.0
    for q in dual { scale = Swift.max(scale, q.length) }
    guard let faces = hull(dual, epsilon: 1e-12 * scale) else { return nil }
    var out: [Vec3] = []
    for f in faces {
      let a = dual[f.0]
      let n = (dual[f.1] - a).cross(dual[f.2] - a)
      let h = n.dot(a)
      guard h > 0, n.lengthSquared > 0 else { return nil }
      let v = c + n / h
      guard v.x.isFinite, v.y.isFinite, v.z.isFinite else { return nil }
      if !out.contains(where: { ($0 - v).lengthSquared <= 1e-18 * extent * extent }) { out.append(v) }
    }
    return out
  }

  /// The hull of `vertices` when it holds every point of `points` within `tolerance`.
  /// `known`, `knownNormals`: `hull(vertices, epsilon: tolerance)` and its `planeNormals`,
  /// when the caller has them already. `first`: indices of points to check before the others
  /// (those most likely outside, so that a hull that misses a point is rejected early); the
  /// answer is the same in any order.
  static func verified(
    _ vertices: [Vec3], _ points: [Vec3], tolerance: Double, faces known: [(Int, Int, Int)]? = nil,
    normals knownNormals: [Vec3]? = nil, first: [Int] = []
  ) -> ConvexHull? {
    guard let faces = known ?? hull(vertices, epsilon: tolerance) else { return nil }
    var used = [Bool](repeating: false, count: vertices.count)
    for f in faces {
      used[f.0] = true
      used[f.1] = true
      used[f.2] = true
    }
    let normals = knownNormals ?? planeNormals(faces, vertices)
    // Every point inside every plane (widened by the tolerance), point by point, plane by
    // plane, over raw buffers. A plane's offset (the furthest vertex along its normal) is
    // worked out when a point's test first reaches it: each point tests the planes in order,
    // so the known offsets are always the first `ready`, and a set that some point leaves is
    // mostly rejected before the later ones are needed. A set that holds every point has all.
    var offsets = [Double](repeating: 0, count: normals.count)
    let holdsAll = points.withUnsafeBufferPointer { points in
      normals.withUnsafeBufferPointer { normals in
        vertices.withUnsafeBufferPointer { vertices in
          offsets.withUnsafeMutableBufferPointer { offsets in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: normals.count) { limits in
              var ready = 0
              /// The offset and limit of plane `ready`.
              @inline(__always) func settle() {
                let n = normals[ready]
                var d = -Double.infinity
                for v in vertices { d = Swift.max(d, n.dot(v)) }
                offsets[ready] = d
                limits[ready] = d + tolerance
                ready += 1
              }
              @inline(__always) func inside(_ p: Vec3) -> Bool {
                for k in 0..<normals.count {
                  if k == ready { settle() }
                  if normals[k].dot(p) > limits[k] { return false }
                }
                return true
              }
              @inline(__always) func holdsAll() -> Bool {
                if first.isEmpty {
                  for p in points where !inside(p) { return false }
                  return true
                }
                var checked = [Bool](repeating: false, count: points.count)
                for i in first where i >= 0 && i < points.count {
                  if !inside(points[i]) { return false }
                  checked[i] = true
                }
                for i in 0..<points.count where !checked[i] && !inside(points[i]) { return false }
                return true
              }
              guard holdsAll() else { return false }
              while ready < normals.count { settle() }
              return true
            }
          }
        }
      }
    }
    guard holdsAll else { return nil }
    return ConvexHull(vertices: vertices.indices.filter { used[$0] }.map { vertices[$0] }, normals: normals, offsets: offsets)
  }

  init(vertices: [Vec3], normals: [Vec3], offsets: [Double]) {
    self.vertices = vertices
    self.normals = normals
    self.offsets = offsets
  }

  /// The box from `lower` to `upper` as a hull (8 vertices, 6 faces).
  public static func box(lower: Vec3, upper: Vec3) -> ConvexHull {
    var vertices: [Vec3] = []
    for k in 0..<8 {
      vertices.append(Vec3(k & 1 == 0 ? lower.x : upper.x, k & 2 == 0 ? lower.y : upper.y, k & 4 == 0 ? lower.z : upper.z))
    }
    return ConvexHull(
      vertices: vertices,
      normals: [Vec3(-1, 0, 0), Vec3(1, 0, 0), Vec3(0, -1, 0), Vec3(0, 1, 0), Vec3(0, 0, -1), Vec3(0, 0, 1)],
      offsets: [-lower.x, upper.x, -lower.y, upper.y, -lower.z, upper.z])
  }

  /// The vertex furthest along `d` (the first on ties).
  @inlinable public func support(_ d: Vec3) -> Vec3 {
    var best = vertices[0]
    var bestValue = best.dot(d)
    for v in vertices.dropFirst() {
      let x = v.dot(d)
      if x > bestValue {
        bestValue = x
        best = v
      }
    }
    return best
  }

  /// The fixed sampling directions: ±x, ±y, ±z, then a Fibonacci sphere.
  static let directions: [Vec3] = {
    var out: [Vec3] = [.unitX, -.unitX, .unitY, -.unitY, .unitZ, -.unitZ]
    let n = maxVertices - out.count
    let golden = Double.pi * (3 - 5.0.squareRoot())
    for k in 0..<n {
      let z = 1 - (Double(k) + 0.5) * 2 / Double(n)
      let r = Swift.max(0, 1 - z * z).squareRoot()
      let phi = golden * Double(k)
      out.append(Vec3(r * phi.cosine, r * phi.sine, z))
    }
    return out
  }()

  /// Per direction of `directions`, in order, the index of the point of `points` furthest
  /// along it (`points[k].dot(d)` largest, the lowest index on ties; 0 when every value is
  /// NaN). Eight directions at a time, one lane each, with the same products and sums in
  /// the same order as `dot`.
  static func extremes(_ points: [Vec3]) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(directions.count)
    points.withUnsafeBufferPointer { points in
      for lanes in directionLanes {
        var bestValue = SIMD8<Double>(repeating: -.infinity)
        var best = SIMD8<Int64>(repeating: 0)
        for k in 0..<points.count {
          let p = points[k]
          let v = p.x * lanes.x + p.y * lanes.y + p.z * lanes.z
          let larger = v .> bestValue
          bestValue.replace(with: v, where: larger)
          best.replace(with: Int64(k), where: larger)
        }
        for lane in 0..<8 { out.append(Int(best[lane])) }
      }
    }
    return out
  }

  /// `directions` eight at a time (directions 8g ..< 8g + 8 in the lanes of group g), for
  /// the candidate search in `init(containing:)`.
  static let directionLanes: [(x: SIMD8<Double>, y: SIMD8<Double>, z: SIMD8<Double>)] =
    stride(from: 0, to: directions.count, by: 8).map { g in
      let d = directions[g..<(g + 8)]
      return (SIMD8(d.map(\.x)), SIMD8(d.map(\.y)), SIMD8(d.map(\.z)))
    }

  /// A face of the hull under construction: unnormalised outward normal, that normal's
  /// length times the tolerance, and the face's first corner, as plain doubles (the
  /// visibility test reads every face for every point: a `Vec3` is padded to four lanes).
  struct Plane {
    var nx, ny, nz: Double
    var slack: Double
    var ax, ay, az: Double

    init(normal n: Vec3, slack: Double, anchor a: Vec3) {
      (nx, ny, nz) = (n.x, n.y, n.z)
      self.slack = slack
      (ax, ay, az) = (a.x, a.y, a.z)
    }

    /// Whether `q` lies beyond the face by more than its slack: `normal.dot(q - anchor) >
    /// slack`, the same operations in the same order. A face that left (slack −1) sees nothing.
    @inline(__always) func sees(_ q: Vec3) -> Bool {
      slack > 0 && nx * (q.x - ax) + ny * (q.y - ay) + nz * (q.z - az) > slack
    }
  }

  /// The hull's starting tetrahedron (`hull(_:epsilon:)`): four well-spread points of `p`
  /// (the lowest x; the farthest from it; the farthest from their line; the farthest from
  /// their plane) and its four faces, counter-clockwise seen from outside; nil when `p` spans
  /// no volume (all within `eps` of a plane).
  static func initialTetrahedron(
    _ p: [Vec3], epsilon eps: Double
  ) -> (faces: [(Int, Int, Int)], corners: (Int, Int, Int, Int))? {
    guard p.count >= 4 else { return nil }
    var i0 = 0
    for k in p.indices where p[k].x < p[i0].x { i0 = k }
    var i1 = i0
    var far = 0.0
    for k in p.indices {
      let d = (p[k] - p[i0]).lengthSquared
      if d > far {
        far = d
        i1 = k
      }
    }
    guard far > eps * eps else { return nil }
    let axis = (p[i1] - p[i0]).normalized
    var i2 = i0
    far = 0
    for k in p.indices {
      let v = p[k] - p[i0]
      let d = (v - axis * v.dot(axis)).lengthSquared
      if d > far {
        far = d
        i2 = k
      }
    }
    guard far > eps * eps else { return nil }
    let normal = (p[i1] - p[i0]).cross(p[i2] - p[i0]).normalized
    var i3 = i0
    far = 0
    for k in p.indices {
      let d = abs((p[k] - p[i0]).dot(normal))
      if d > far {
        far = d
        i3 = k
      }
    }
    guard far > eps else { return nil }
    if (p[i3] - p[i0]).dot(normal) > 0 {
      return ([(i0, i2, i1), (i0, i1, i3), (i1, i2, i3), (i2, i0, i3)], (i0, i1, i2, i3))
    } else {
      return ([(i0, i1, i2), (i0, i3, i1), (i1, i3, i2), (i2, i3, i0)], (i0, i1, i2, i3))
    }
  }

  /// Triangles (counter-clockwise seen from outside) of the convex hull of `p`, or nil when
  /// `p` spans no volume (all within `epsilon` of a plane).
  static func hull(_ p: [Vec3], epsilon eps: Double) -> [(Int, Int, Int)]? {
    // An initial tetrahedron of well-spread points.
    guard let (first, (i0, i1, i2, i3)) = initialTetrahedron(p, epsilon: eps) else { return nil }
    var faces = first
    // Each face's unnormalised outward normal, its length times `eps`, and its first
    // corner (the point the visibility test measures from).
    func plane(_ f: (Int, Int, Int)) -> Plane {
      let n = (p[f.1] - p[f.0]).cross(p[f.2] - p[f.0])
      return Plane(normal: n, slack: n.length * eps, anchor: p[f.0])
    }
    var planes = faces.map(plane)
    var visible: [Int] = []
    var edges: [SIMD2<Int>] = []
    var added: [(Int, Int, Int)] = []
    // With at most 64 points, the visible faces' edges as a bit matrix (`from[a]` has bit b
    // for an edge a → b), so that whether an edge's reverse is among them is one test
    // instead of a search of the list: the same answer.
    let small = p.count <= 64
    var from = [UInt64](repeating: 0, count: small ? p.count : 0)
    // Faces that left and are still in the arrays (marked with corner -1).
    var gone = 0
    /// Removes the faces that left, keeping the order of the others (raw buffers: element by
    /// element through the arrays, each store checked the arrays' uniqueness).
    func sweep() {
      guard gone > 0 else { return }
      let keep = faces.withUnsafeMutableBufferPointer { faces in
        planes.withUnsafeMutableBufferPointer { planes in
          var keep = 0
          for j in 0..<faces.count where faces[j].0 >= 0 {
            faces[keep] = faces[j]
            planes[keep] = planes[j]
            keep += 1
          }
          return keep
        }
      }
      faces.removeLast(faces.count - keep)
      planes.removeLast(planes.count - keep)
      gone = 0
    }
    for k in p.indices where k != i0 && k != i1 && k != i2 && k != i3 {
      let q = p[k]
      visible.removeAll(keepingCapacity: true)
      // The faces q sees, in face order (raw buffer: this loop is most of a hull's cost,
      // and the hull of every new mesh part is needed by physics, docs/scene-model.md).
      planes.withUnsafeBufferPointer { planes in
        for j in planes.indices {
          if planes[j].sees(q) { visible.append(j) }
        }
      }
      guard !visible.isEmpty else { continue }
      edges.removeAll(keepingCapacity: true)
      for v in visible {
        let f = faces[v]
        edges.append(SIMD2(f.0, f.1))
        edges.append(SIMD2(f.1, f.2))
        edges.append(SIMD2(f.2, f.0))
      }
      // Horizon edges (whose reverse no visible face has), in the order the visible faces
      // list them, fanned to the new point; the visible faces go.
      added.removeAll(keepingCapacity: true)
      edges.withUnsafeBufferPointer { edges in
        if small {
          from.withUnsafeMutableBufferPointer { from in
            for e in edges { from[e.x] |= 1 << UInt64(e.y) }
            for e in edges where from[e.y] & (1 << UInt64(e.x)) == 0 { added.append((e.x, e.y, k)) }
            for e in edges { from[e.x] = 0 }
          }
          return
        }
        for e in edges {
          let reverse = SIMD2(e.y, e.x)
          var shared = false
          for o in edges where o == reverse {
            shared = true
            break
          }
          if !shared { added.append((e.x, e.y, k)) }
        }
      }
      // The faces q sees leave: marked (no corners, and a slack that no visibility test
      // passes) where they are, and swept out once they are as many as the faces left
      // (moving every face down after each point was most of a hull's time after the
      // visibility test). The faces that stay keep their order, and new faces go after
      // them, as when the ones that left are dropped at once.
      faces.withUnsafeMutableBufferPointer { faces in
        planes.withUnsafeMutableBufferPointer { planes in
          for j in visible {
            faces[j] = (-1, -1, -1)
            planes[j].slack = -1
          }
        }
      }
      gone += visible.count
      if 2 * gone > faces.count { sweep() }
      for f in added {
        faces.append(f)
        planes.append(plane(f))
      }
    }
    sweep()
    return faces
  }
}
