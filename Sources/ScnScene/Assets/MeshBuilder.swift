import Foundation
import ScnGeometry

/// Builds the smooth meshes of the parametric assets: closed "lathe" surfaces swept through a
/// chain of elliptical rings (limbs, torso, head), with per-vertex normals averaged from the
/// faces around each vertex, and flat-faced boxes and wheels for vehicles and props.
struct MeshBuilder {
  private(set) var vertices: [Vec3] = []
  private(set) var indices: [UInt32] = []
  /// Whether the surface is smooth (normals averaged over faces) or faceted (no normals).
  let smooth: Bool
  /// Whether `sweep` (and so `capsule`, `ellipsoid`, `cylinder`) records its triangles;
  /// without them it makes the same vertices, for a caller that only wants their bounds
  /// (a held person's stride search, `Person.build`).
  var keepsIndices = true

  init(smooth: Bool = true) { self.smooth = smooth }

  /// One cross-section of a swept surface: an ellipse around `centre` with semi-axes `ru`
  /// along `u` and `rv` along `v` (`u`, `v` orthonormal, `u × v` along the sweep).
  struct Ring {
    var centre: Vec3
    var u: Vec3
    var v: Vec3
    var ru: Double
    var rv: Double
  }

  /// A closed surface through `rings` (in sweep order), closed by a pole vertex before the
  /// first ring and after the last. `segments` vertices per ring.
  mutating func sweep(_ rings: [Ring], start: Vec3, end: Vec3, segments: Int = 14) {
    guard !rings.isEmpty, segments >= 3 else { return }
    let base = UInt32(vertices.count)
    vertices.reserveCapacity(vertices.count + rings.count * segments + 2)
    // The angles' cosines and sines once per segment count and process, not once per ring
    // (the same values: the people's meshes are built for every gait phase they are drawn in).
    let turn = SweepTables.shared.turn(segments: segments)
    vertices.append(start)
    for ring in rings {
      for (cosine, sine) in turn {
        vertices.append(ring.centre + ring.u * (ring.ru * cosine) + ring.v * (ring.rv * sine))
      }
    }
    vertices.append(end)
    guard keepsIndices else { return }
    // A builder's first surface: its triangles depend on `segments` and the ring count
    // alone, so every mesh swept alike shares one index list (a person's body part in every
    // gait phase: no list to make per mesh, and the ray caster's tree-shape table finds the
    // list it knows by identity instead of comparing it entry by entry, `MeshBVHCache`).
    if base == 0, indices.isEmpty, let shared = SweepTables.shared.indices(segments: segments, rings: rings.count) {
      indices = shared
      return
    }
    indices.reserveCapacity(indices.count + 6 * segments * rings.count)
    MeshBuilder.sweepIndices(base: base, segments: segments, rings: rings.count, into: &indices)
  }

  /// Appends the triangles of a `sweep` whose start pole is vertex `base`: a fan from the
  /// start pole, two triangles per quad between consecutive rings, a fan to the end pole.
  static func sweepIndices(base: UInt32, segments: Int, rings: Int, into indices: inout [UInt32]) {
    let n = UInt32(segments)
    func at(_ ring: Int, _ k: Int) -> UInt32 { base + 1 + UInt32(ring) * n + UInt32(k % segments) }
    // One `append` per index: an array literal per triangle was a heap allocation each (the
    // people's meshes are built for every gait phase they are drawn in).
    @inline(__always) func triangle(_ a: UInt32, _ b: UInt32, _ c: UInt32) {
      indices.append(a)
      indices.append(b)
      indices.append(c)
    }
    // With u × v along the sweep, (k, k+1) runs anticlockwise seen from the end pole.
    for k in 0..<segments { triangle(base, at(0, k + 1), at(0, k)) }
    for r in 0..<(rings - 1) {
      for k in 0..<segments {
        triangle(at(r, k), at(r, k + 1), at(r + 1, k + 1))
        triangle(at(r, k), at(r + 1, k + 1), at(r + 1, k))
      }
    }
    let last = rings - 1
    let endIndex = base + 1 + UInt32(rings) * n
    for k in 0..<segments { triangle(at(last, k), at(last, k + 1), endIndex) }
  }

  /// A tapered capsule from `a` to `b` (radius `ra` at `a`, `rb` at `b`) with rounded ends;
  /// the cross-section is an ellipse, `depth` times as deep (along `a→b × side`) as wide
  /// (along `side`, projected square to the axis).
  mutating func capsule(from a: Vec3, to b: Vec3, ra: Double, rb: Double, side: Vec3 = .unitY, depth: Double = 1) {
    let axis = b - a
    let length = axis.length
    guard length > 1e-9 else { return }
    let d = axis / length
    let (u, v) = MeshBuilder.frame(axis: d, side: side)
    var rings: [Ring] = []
    let capSteps = 3
    for k in 1...capSteps {
      let t = Double(capSteps - k) / Double(capSteps) * Double.pi / 2  // from the pole towards the equator
      rings.append(Ring(centre: a - d * (ra * t.sine), u: u, v: v, ru: ra * t.cosine, rv: ra * t.cosine * depth))
    }
    let bodySteps = 3
    for k in 1..<bodySteps {
      let f = Double(k) / Double(bodySteps)
      let r = ra + (rb - ra) * f
      rings.append(Ring(centre: a + axis * f, u: u, v: v, ru: r, rv: r * depth))
    }
    for k in 0..<capSteps {
      let t = Double(k) / Double(capSteps) * Double.pi / 2
      rings.append(Ring(centre: b + d * (rb * t.sine), u: u, v: v, ru: rb * t.cosine, rv: rb * t.cosine * depth))
    }
    sweep(rings, start: a - d * ra, end: b + d * rb)
  }

  /// An ellipsoid with semi-axes `radii` along the columns of `rotation` (x, y, z), swept
  /// along its z axis.
  mutating func ellipsoid(centre: Vec3, radii: Vec3, rotation: Quaternion = .identity, rings count: Int = 7) {
    let (bx, by, bz) = rotation.basis
    var rings: [Ring] = []
    for k in 1..<count {
      let t = -Double.pi / 2 + Double(k) / Double(count) * Double.pi
      rings.append(
        Ring(centre: centre + bz * (radii.z * t.sine), u: bx, v: by, ru: radii.x * t.cosine, rv: radii.y * t.cosine))
    }
    sweep(rings, start: centre - bz * radii.z, end: centre + bz * radii.z)
  }

  /// A box of full extents `size` centred on `centre`, edges along the columns of `rotation`;
  /// its own vertices per face, so faces stay flat.
  mutating func box(centre: Vec3, size: Vec3, rotation: Quaternion = .identity) {
    let h = size / 2
    let (bx, by, bz) = rotation.basis
    let axes = [bx * h.x, by * h.y, bz * h.z]
    for axis in 0..<3 {
      let n = axes[axis], a = axes[(axis + 1) % 3], b = axes[(axis + 2) % 3]
      for sign in [1.0, -1.0] {
        let c = centre + n * sign
        let base = UInt32(vertices.count)
        vertices += [c - a - b, c + a - b, c + a + b, c - a + b]
        indices += sign > 0 ? [base, base + 1, base + 2, base, base + 2, base + 3] : [base, base + 2, base + 1, base, base + 3, base + 2]
      }
    }
  }

  /// A flat quadrilateral `a b c d` (anticlockwise seen from its front), both faces rendered.
  mutating func quad(_ a: Vec3, _ b: Vec3, _ c: Vec3, _ d: Vec3) {
    let base = UInt32(vertices.count)
    vertices += [a, b, c, d]
    indices += [base, base + 1, base + 2, base, base + 2, base + 3]
  }

  /// A closed six-faced solid between an axis-aligned bottom rectangle and a top rectangle
  /// (x from `x0` to `x1`, y within ±`halfWidth`, at height `z`): a vehicle's cabin.
  mutating func frustum(bottom: Frustum.Face, top: Frustum.Face) {
    let f = Frustum(bottom: bottom, top: top)
    for face in Frustum.Side.allCases { let q = f.quad(face); quad(q.0, q.1, q.2, q.3) }
    quad(f.corner(false, 0, 0), f.corner(false, 0, 1), f.corner(false, 1, 1), f.corner(false, 1, 0))
    quad(f.corner(true, 0, 0), f.corner(true, 1, 0), f.corner(true, 1, 1), f.corner(true, 0, 1))
  }

  /// A capped cylinder of `radius` from `a` to `b`, `segments` sides (a wheel, a post).
  mutating func cylinder(from a: Vec3, to b: Vec3, radius: Double, segments: Int = 16) {
    let axis = b - a
    guard axis.length > 1e-9 else { return }
    let d = axis.normalized
    let (u, v) = MeshBuilder.frame(axis: d, side: abs(d.z) < 0.9 ? .unitZ : .unitX)
    let rings = [Ring(centre: a, u: u, v: v, ru: radius, rv: radius), Ring(centre: b, u: u, v: v, ru: radius, rv: radius)]
    sweep(rings, start: a, end: b, segments: segments)
  }

  /// An orthonormal pair square to `axis`: `u` along `side` with its axial part removed, and
  /// `v = axis × u`, so that `u × v` points along the axis.
  static func frame(axis d: Vec3, side: Vec3) -> (Vec3, Vec3) {
    var u = side - d * side.dot(d)
    if u.lengthSquared < 1e-12 {
      let other: Vec3 = abs(d.x) < 0.9 ? .unitX : .unitY
      u = other - d * other.dot(d)
    }
    u = u.normalized
    return (u, d.cross(u))
  }

  /// Applies a map to every vertex built so far (fitting a body into its size box).
  mutating func transformVertices(_ f: (Vec3) -> Vec3) {
    for k in vertices.indices { vertices[k] = f(vertices[k]) }
  }

  /// The mesh, with area-weighted vertex normals when smooth: each triangle's unnormalised
  /// normal added to its corners' in index order, then each sum normalised (raw buffers:
  /// the people's meshes are made for every gait phase they are drawn in).
  func mesh() -> TriangleMesh {
    guard smooth else { return TriangleMesh(vertices: vertices, indices: indices) }
    var normals = [Vec3](repeating: .zero, count: vertices.count)
    normals.withUnsafeMutableBufferPointer { normals in
      vertices.withUnsafeBufferPointer { vertices in
        indices.withUnsafeBufferPointer { indices in
          let count = vertices.count
          var t = 0
          while t + 2 < indices.count {
            let (i0, i1, i2) = (Int(indices[t]), Int(indices[t + 1]), Int(indices[t + 2]))
            t += 3
            // Every index names a vertex of this builder (sweep, box, quad add both).
            guard i0 < count, i1 < count, i2 < count else { continue }
            let n = (vertices[i1] - vertices[i0]).cross(vertices[i2] - vertices[i0])
            normals[i0] += n
            normals[i1] += n
            normals[i2] += n
          }
        }
      }
      for k in normals.indices {
        let l = normals[k].length
        normals[k] = l > 1e-300 ? normals[k] / l : .unitZ
      }
    }
    return TriangleMesh(vertices: vertices, indices: indices, normals: normals)
  }
}

/// What sweeps share (`MeshBuilder.sweep`), made once per process: the cosines and sines of
/// the ring angles per segment count, and the index lists of sweeps that start a builder
/// per segment and ring count (shared by every mesh swept alike). Bounded: only tables of
/// at most `maxSegments` segments and `maxRings` rings are kept.
final class SweepTables: @unchecked Sendable {
  // @unchecked: the dictionaries are read and written only under `lock`.
  static let shared = SweepTables()
  static let maxSegments = 64
  static let maxRings = 64

  private let lock = NSLock()
  private var lists: [SIMD2<Int>: [UInt32]] = [:]
  private var turns: [Int: [(cosine: Double, sine: Double)]] = [:]

  /// The cosine and sine of angle k / segments · 2π for k in 0..<segments.
  func turn(segments: Int) -> [(cosine: Double, sine: Double)] {
    let cached = segments <= Self.maxSegments
    if cached, let known = lock.withLock({ turns[segments] }) { return known }
    var made = [(cosine: Double, sine: Double)]()
    made.reserveCapacity(segments)
    for k in 0..<segments {
      let phi = Double(k) / Double(segments) * 2 * Double.pi
      made.append((phi.cosine, phi.sine))
    }
    guard cached else { return made }
    return lock.withLock {
      if let known = turns[segments] { return known }
      turns[segments] = made
      return made
    }
  }

  /// The triangles of a sweep from vertex 0 (`MeshBuilder.sweepIndices`); nil for sizes
  /// beyond the bounds (the caller makes its own).
  func indices(segments: Int, rings: Int) -> [UInt32]? {
    guard segments >= 3, segments <= Self.maxSegments, rings >= 1, rings <= Self.maxRings else { return nil }
    let key = SIMD2(segments, rings)
    if let known = lock.withLock({ lists[key] }) { return known }
    var made: [UInt32] = []
    made.reserveCapacity(6 * segments * rings)
    MeshBuilder.sweepIndices(base: 0, segments: segments, rings: rings, into: &made)
    return lock.withLock {
      if let known = lists[key] { return known }
      lists[key] = made
      return made
    }
  }
}

/// A solid between two horizontal rectangles, with its four sloped or vertical sides.
struct Frustum {
  struct Face {
    var x0: Double
    var x1: Double
    var halfWidth: Double
    var z: Double
  }

  enum Side: CaseIterable { case front, back, left, right }

  var bottom: Face
  var top: Face

  /// Corner of the top or bottom rectangle: `i` 0 back / 1 front, `j` 0 right / 1 left.
  func corner(_ atTop: Bool, _ i: Int, _ j: Int) -> Vec3 {
    let f = atTop ? top : bottom
    return Vec3(i == 0 ? f.x0 : f.x1, j == 0 ? -f.halfWidth : f.halfWidth, f.z)
  }

  /// The side's corners, anticlockwise seen from outside: bottom pair then top pair.
  func quad(_ side: Side) -> (Vec3, Vec3, Vec3, Vec3) {
    switch side {
    case .front: (corner(false, 1, 0), corner(false, 1, 1), corner(true, 1, 1), corner(true, 1, 0))
    case .back: (corner(false, 0, 1), corner(false, 0, 0), corner(true, 0, 0), corner(true, 0, 1))
    case .left: (corner(false, 1, 1), corner(false, 0, 1), corner(true, 0, 1), corner(true, 1, 1))
    case .right: (corner(false, 0, 0), corner(false, 1, 0), corner(true, 1, 0), corner(true, 0, 0))
    }
  }

  /// A window on `side`: the part of the side between fractions `along` (from its first
  /// corner to its second) and `up` (bottom to top), pushed `offset` outwards so it lies on
  /// the face rather than in it.
  func pane(_ side: Side, along: ClosedRange<Double>, up: ClosedRange<Double>, offset: Double) -> (Vec3, Vec3, Vec3, Vec3) {
    let (a, b, c, d) = quad(side)
    let normal = (b - a).cross(d - a).normalized
    func point(_ s: Double, _ t: Double) -> Vec3 {
      let lower = a + (b - a) * s, upper = d + (c - d) * s
      return lower + (upper - lower) * t + normal * offset
    }
    return (
      point(along.lowerBound, up.lowerBound), point(along.upperBound, up.lowerBound),
      point(along.upperBound, up.upperBound), point(along.lowerBound, up.upperBound)
    )
  }
}
