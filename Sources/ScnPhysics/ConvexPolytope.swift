import ScnGeometry

/// A convex polytope in a body's (or a compound part's) frame, ready for the narrow phase:
/// the vertices and face planes of a `ScnGeometry.ConvexHull` (a mesh part's hull, at most
/// 64 vertices; docs/scene-model.md, "Overlap tests and physics") plus, per face, its
/// vertices in counter-clockwise order seen from outside, for clipping contact patches.
public struct ConvexPolytope: Hashable, Sendable {
  /// At most this many vertices per face polygon are kept (the rest are dropped, so the
  /// clipped patch stays within the contact buffers; hull faces have far fewer).
  public static let maxFaceVertices = 32

  public let vertices: [Vec3]
  /// Unit outward face normals and offsets: `normals[k] · v <= offsets[k]` for every vertex.
  public let normals: [Vec3]
  public let offsets: [Double]
  /// Face `k`'s vertex indices are `faceIndices[faceStarts[k] ..< faceStarts[k + 1]]`.
  let faceStarts: [Int32]
  let faceIndices: [Int32]
  /// Each edge once: its two vertex indices and the two faces that meet at it (the Gauss
  /// map's arc between their normals, for the edge–edge axes of `ConvexContact`). An edge
  /// whose two faces could not be matched (a face polygon clipped to `maxFaceVertices`) is
  /// left out.
  let edges: [Edge]
  /// Centre and half extents of the vertices' axis-aligned bounds.
  public let boundsCenter: Vec3
  public let boundsHalfExtents: Vec3

  /// The polytope of `hull`; nil when it spans no volume (fewer than four faces or
  /// vertices, or a coordinate that is not finite).
  public init?(_ hull: ConvexHull) {
    let v = hull.vertices
    guard v.count >= 4, hull.normals.count >= 4, hull.normals.count == hull.offsets.count,
      v.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite })
    else { return nil }
    var lower = v[0], upper = v[0]
    for p in v {
      lower = pointwiseMin(lower, p)
      upper = pointwiseMax(upper, p)
    }
    let extent = (upper - lower).maxComponent
    guard extent > 0, extent.isFinite else { return nil }
    let tolerance = 1e-7 * extent
    var normals: [Vec3] = []
    var offsets: [Double] = []
    var starts: [Int32] = [0]
    var indices: [Int32] = []
    normals.reserveCapacity(hull.normals.count)
    offsets.reserveCapacity(hull.normals.count)
    starts.reserveCapacity(hull.normals.count + 1)
    // A polytope's faces list each of its E = V + F - 2 edges twice.
    indices.reserveCapacity(2 * (v.count + hull.normals.count))
    // One list of a face's vertices and one of them with their angles, reused face by face.
    var on: [Int] = []
    var ordered: [(Int, Double)] = []
    on.reserveCapacity(v.count)
    ordered.reserveCapacity(v.count)
    for (n, d) in zip(hull.normals, hull.offsets) {
      on.removeAll(keepingCapacity: true)
      for (i, p) in v.enumerated() where n.dot(p) >= d - tolerance { on.append(i) }
      guard on.count >= 3 else { continue }
      // Counter-clockwise about n: sort by a pseudo-angle (no trigonometry, so the order is
      // the same on every machine) around the face's centroid; ties by index.
      var c = Vec3.zero
      for i in on { c += v[i] }
      c /= Double(on.count)
      let t1 = Self.perpendicular(n)
      let t2 = n.cross(t1)
      func angle(_ i: Int) -> Double {
        let r = v[i] - c
        let x = r.dot(t1), y = r.dot(t2)
        let s = abs(x) + abs(y)
        guard s > 0 else { return 0 }
        // Diamond angle in [0, 4): monotonic in the true angle.
        return y >= 0 ? (x >= 0 ? y / s : 2 - y / s) : (x < 0 ? 2 - y / s : 4 + y / s)
      }
      // (angle, index) orders the vertices strictly, so any sort gives this order.
      ordered.removeAll(keepingCapacity: true)
      for i in on { ordered.append((i, angle(i))) }
      ordered.sort { ($0.1, $0.0) < ($1.1, $1.0) }
      for (i, _) in ordered.prefix(Self.maxFaceVertices) { indices.append(Int32(i)) }
      starts.append(Int32(indices.count))
      normals.append(n)
      offsets.append(d)
    }
    guard normals.count >= 4 else { return nil }
    self.edges = Self.edges(starts: starts, indices: indices)
    self.vertices = v
    self.normals = normals
    self.offsets = offsets
    self.faceStarts = starts
    self.faceIndices = indices
    self.boundsCenter = (lower + upper) / 2
    self.boundsHalfExtents = (upper - lower) / 2
  }

  /// A polytope from its parts as they are (`translated(by:)`).
  init(
    vertices: [Vec3], normals: [Vec3], offsets: [Double], faceStarts: [Int32], faceIndices: [Int32], edges: [Edge],
    boundsCenter: Vec3, boundsHalfExtents: Vec3
  ) {
    self.edges = edges
    self.vertices = vertices
    self.normals = normals
    self.offsets = offsets
    self.faceStarts = faceStarts
    self.faceIndices = faceIndices
    self.boundsCenter = boundsCenter
    self.boundsHalfExtents = boundsHalfExtents
  }

  /// The polytope of the convex hull of `points` (`ConvexHull(containing:)`).
  public init?(points: [Vec3]) { self.init(ConvexHull(containing: points)) }

  public var faceCount: Int { normals.count }

  /// An edge: vertices `a`, `b` and the faces `left`, `right` that share it.
  struct Edge: Hashable, Sendable {
    let a: Int32, b: Int32, left: Int32, right: Int32
  }

  /// The edges of the face polygons `indices[starts[k] ..< starts[k + 1]]`: each side of a
  /// face, matched with the other face that has it (sorted by vertex pair, so the order is
  /// a pure function of the faces); sides found once or more than twice are dropped.
  static func edges(starts: [Int32], indices: [Int32]) -> [Edge] {
    var sides: [(lo: Int32, hi: Int32, face: Int32)] = []
    sides.reserveCapacity(indices.count)
    for k in 0..<(starts.count - 1) {
      let lo = Int(starts[k]), hi = Int(starts[k + 1])
      guard hi - lo >= 3 else { continue }
      for j in lo..<hi {
        let u = indices[j], w = indices[j + 1 < hi ? j + 1 : lo]
        sides.append((Swift.min(u, w), Swift.max(u, w), Int32(k)))
      }
    }
    sides.sort { ($0.lo, $0.hi, $0.face) < ($1.lo, $1.hi, $1.face) }
    var edges: [Edge] = []
    edges.reserveCapacity(sides.count / 2)
    var i = 0
    while i < sides.count {
      var j = i + 1
      while j < sides.count && sides[j].lo == sides[i].lo && sides[j].hi == sides[i].hi { j += 1 }
      if j - i == 2 { edges.append(Edge(a: sides[i].lo, b: sides[i].hi, left: sides[i].face, right: sides[i + 1].face)) }
      i = j
    }
    return edges
  }

  /// The vertex furthest along `d` (the first on ties).
  @inlinable func support(_ d: Vec3) -> Vec3 {
    var best = 0
    var bestValue = -Double.infinity
    for i in vertices.indices {
      let x = vertices[i].dot(d)
      if x > bestValue {
        bestValue = x
        best = i
      }
    }
    return vertices[best]
  }

  /// Half extents of the box around the polytope centred on its frame's origin.
  @usableFromInline var originHalfExtents: Vec3 {
    var r = Vec3.zero
    for p in vertices { r = pointwiseMax(r, Vec3(abs(p.x), abs(p.y), abs(p.z))) }
    return r
  }

  /// The vertices' centroid, from which `forEachFanTetrahedron` fans the faces.
  var fanApex: Vec3 {
    var c = Vec3.zero
    for p in vertices { c += p }
    return c / Double(vertices.count)
  }

  /// Calls `body(a, b, c)` for every triangle of the faces fanned from each face's first
  /// vertex, with its corners relative to `fanApex`: the tetrahedra (apex, a, b, c) tile the
  /// polytope (`volume` and `massProperties` integrate over them).
  @inline(__always) func forEachFanTetrahedron(_ body: (Vec3, Vec3, Vec3) -> Void) {
    let apex = fanApex
    for k in 0..<faceCount {
      let lo = Int(faceStarts[k]), hi = Int(faceStarts[k + 1])
      guard hi - lo >= 3 else { continue }
      let a = vertices[Int(faceIndices[lo])] - apex
      for j in (lo + 1)..<(hi - 1) {
        body(a, vertices[Int(faceIndices[j])] - apex, vertices[Int(faceIndices[j + 1])] - apex)
      }
    }
  }

  /// Enclosed volume (faces fanned from their first vertex to the vertices' centroid).
  var volume: Double {
    var total = 0.0
    forEachFanTetrahedron { a, b, e in total += abs(a.dot(b.cross(e))) / 6 }
    return total
  }

  /// A unit vector perpendicular to the unit `n`, a fixed function of `n`.
  @inlinable static func perpendicular(_ n: Vec3) -> Vec3 {
    abs(n.x) < 0.57 ? Vec3(0, n.z, -n.y).normalized.orX : Vec3(n.y, -n.x, 0).normalized.orX
  }
}

extension Vec3 {
  /// Self, or +x when self is zero.
  @inlinable var orX: Vec3 { self == .zero ? .unitX : self }
}
