import ScnGeometry

/// The regions of issue 15 beyond the original rectangles, polygons and boxes: discs,
/// sectors, polygons with holes, polylines, oriented boxes, balls, and the set operations.
/// They live in one case of `Region` (`.shape`) so that other region families can be added
/// beside them without touching these.
///
/// Dimensions: a *surface* (disc, sector, rectangle, polygon, polyline band) is tested in x
/// and y only and sampled at its own height; a *curve* (a polyline of width 0) is sampled
/// along its length; a *volume* (oriented box, ball) is tested and sampled in 3-D.
/// Set operations are exact: a union samples a member by its measure (area, length or
/// volume) and keeps the point with probability 1/k when k members contain it; an
/// intersection or difference samples its first member and rejects points outside the
/// others (inside the subtracted one), at most `RegionShape.maxTries` times per draw.
public indirect enum RegionShape: Sendable, Equatable {
  /// A horizontal disc.
  case circle(center: Vec3, radius: Double)
  /// A horizontal circular sector: `radius`, opening `angle` centred on `heading`.
  case sector(center: Vec3, radius: Double, heading: Double, angle: Double)
  /// A horizontal polygon minus non-overlapping holes inside it.
  case holed(PolygonShape, holes: [PolygonShape])
  /// The points within `halfWidth` of a polyline (a curve when `halfWidth` is 0).
  case polyline(points: [Vec3], halfWidth: Double)
  /// A box volume turned by `yaw` about its vertical axis.
  case orientedBox(center: Vec3, halfExtents: Vec3, yaw: Double)
  /// A ball volume.
  case ball(center: Vec3, radius: Double)
  case union([Region])
  case intersection([Region])
  case difference(Region, Region)
  /// `oriented(R, F)`: the points of R, each carrying F's orientation there, which an actor
  /// placed on or in it without `facing` takes (`Region.orientation(at:)`).
  case oriented(Region, HeadingField)

  /// How many tries one draw of a composite region makes before it reports the region empty
  /// or too thin (a fixed bound: the draw stays a pure function of its key).
  public static let maxTries = 10_000

  /// 1 for a curve, 2 for a surface, 3 for a volume.
  var dimension: Int {
    switch self {
    case .circle, .sector, .holed: 2
    case .polyline(_, let hw): hw > 0 ? 2 : 1
    case .orientedBox, .ball: 3
    case .union(let rs), .intersection(let rs): rs.map(\.dimension).max() ?? 2
    case .difference(let a, _), .oriented(let a, _): a.dimension
    }
  }

  /// Area, length or volume when known in closed form (nil for intersections and
  /// differences, whose measure only sampling could estimate).
  var measure: Double? {
    switch self {
    case .circle(_, let r): return .pi * r * r
    case .sector(_, let r, _, let a): return a / 2 * r * r
    case .holed(let outer, let holes): return outer.area - holes.reduce(0) { $0 + $1.area }
    case .polyline(let ps, let hw):
      let length = Self.segments(ps).reduce(0) { $0 + ($1.1 - $1.0).length }
      return hw > 0 ? 2 * hw * length + .pi * hw * hw : length
    case .orientedBox(_, let h, _): return 8 * h.x * h.y * h.z
    case .ball(_, let r): return 4 / 3 * .pi * r * r * r
    case .union(let rs):
      var total = 0.0
      for r in rs {
        guard let m = r.measure else { return nil }
        total += m
      }
      return total
    case .intersection, .difference: return nil
    case .oriented(let r, _): return r.measure
    }
  }

  func contains(_ p: Vec3) -> Bool {
    switch self {
    case .circle(let c, let r): return Self.planar(p - c).lengthSquared <= r * r
    case .sector(let c, let r, let h, let a):
      let d = Self.planar(p - c)
      guard d.lengthSquared <= r * r else { return false }
      if d.lengthSquared == 0 { return true }
      return abs(wrapAngle(atan2Double(d.y, d.x) - h)) <= a / 2 + 1e-12
    case .holed(let outer, let holes): return outer.contains(p) && !holes.contains { $0.contains(p) }
    case .polyline(let ps, let hw): return Self.distanceToPolyline(p, ps) <= max(hw, 1e-6)
    case .orientedBox(let c, let h, let yaw):
      let l = Region.toLocal(p - c, yaw: yaw)
      return abs(l.x) <= h.x && abs(l.y) <= h.y && abs(l.z) <= h.z
    case .ball(let c, let r): return (p - c).lengthSquared <= r * r
    case .union(let rs): return rs.contains { $0.contains(p) }
    case .intersection(let rs): return rs.allSatisfy { $0.contains(p) }
    case .difference(let a, let b): return a.contains(p) && !b.contains(p)
    case .oriented(let r, _): return r.contains(p)
    }
  }

  /// The height of a surface's plane (volumes: nil).
  private var surfaceHeight: Double? {
    switch self {
    case .circle(let c, _), .sector(let c, _, _, _): return c.z
    case .holed(let outer, _): return outer.points.first?.z
    case .polyline(let ps, _): return ps.first?.z
    default: return nil
    }
  }

  func projectOntoSurface(_ p: Vec3) -> Vec3? {
    switch self {
    case .orientedBox(let c, let h, _):
      let q = Vec3(p.x, p.y, c.z)
      return contains(q) ? Vec3(p.x, p.y, c.z + h.z) : nil
    case .ball(let c, let r):
      let d = Self.planar(p - c)
      guard d.lengthSquared <= r * r else { return nil }
      return Vec3(p.x, p.y, c.z + (r * r - d.lengthSquared).squareRoot())
    case .union(let rs):
      // The highest surface under the point.
      return rs.compactMap { $0.projectOntoSurface(p) }.max { $0.z < $1.z }
    case .intersection(let rs):
      guard let first = rs.first, let q = first.projectOntoSurface(p), rs.dropFirst().allSatisfy({ $0.contains(q) }) else {
        return nil
      }
      return q
    case .difference(let a, let b):
      guard let q = a.projectOntoSurface(p), !b.contains(q) else { return nil }
      return q
    case .oriented(let r, _):
      return r.projectOntoSurface(p)
    default:
      guard let z = surfaceHeight, contains(p) else { return nil }
      return Vec3(p.x, p.y, z)
    }
  }

  func boundaryDistance(_ p: Vec3) -> Double {
    guard contains(p) else { return 0 }
    switch self {
    case .circle(let c, let r): return max(0, r - Self.planar(p - c).length)
    case .sector(let c, let r, let h, let a):
      let d = Self.planar(p - c)
      let radial = r - d.length
      guard a < 2 * .pi else { return max(0, radial) }
      // Distance to the two straight edges (rays from the centre).
      func edge(_ angle: Double) -> Double {
        let u = Vec3(angle.cosine, angle.sine, 0)
        let t = max(0, d.dot(u))
        return (d - u * t).length
      }
      return max(0, min(radial, edge(h - a / 2), edge(h + a / 2)))
    case .holed(let outer, let holes):
      return holes.reduce(outer.edgeDistance(p)) { min($0, $1.edgeDistance(p)) }
    case .polyline(let ps, let hw): return max(0, hw - Self.distanceToPolyline(p, ps))
    case .orientedBox(let c, let h, let yaw):
      let l = Region.toLocal(p - c, yaw: yaw)
      return max(0, min(h.x - abs(l.x), h.y - abs(l.y), h.z - abs(l.z)))
    case .ball(let c, let r): return max(0, r - (p - c).length)
    case .union(let rs): return rs.map { $0.boundaryDistance(p) }.max() ?? 0
    case .intersection(let rs): return rs.map { $0.boundaryDistance(p) }.min() ?? 0
    case .difference(let a, _):
      // Outside b: how far to b is not known in general; a's distance bounds it from above.
      return a.boundaryDistance(p)
    case .oriented(let r, _): return r.boundaryDistance(p)
    }
  }

  func sample(volume: Bool, using stream: inout RandomStream) -> Vec3? {
    func draw(_ r: Region, _ s: inout RandomStream) -> Vec3? {
      volume ? r.sampleVolume(using: &s) : r.sampleSurface(using: &s)
    }
    switch self {
    case .circle(let c, let r):
      let rho = r * stream.nextDouble().squareRoot(), theta = 2 * .pi * stream.nextDouble()
      return c + Vec3(rho * theta.cosine, rho * theta.sine, 0)
    case .sector(let c, let r, let h, let a):
      let rho = r * stream.nextDouble().squareRoot(), theta = h + (stream.nextDouble() - 0.5) * a
      return c + Vec3(rho * theta.cosine, rho * theta.sine, 0)
    case .holed(let outer, let holes):
      for _ in 0..<Self.maxTries {
        guard let p = outer.sample(using: &stream) else { return nil }
        if !holes.contains(where: { $0.contains(p) }) { return p }
      }
      return nil
    case .polyline(let ps, let hw):
      return Self.samplePolyline(ps, halfWidth: hw, using: &stream)
    case .orientedBox(let c, let h, let yaw):
      let x = (2 * stream.nextDouble() - 1) * h.x, y = (2 * stream.nextDouble() - 1) * h.y
      let z = volume ? (2 * stream.nextDouble() - 1) * h.z : h.z
      return c + Region.toWorld(Vec3(x, y, z), yaw: yaw)
    case .ball(let c, let r):
      if !volume {
        // The upper hemisphere's outline seen from above: a disc lifted onto the surface.
        let rho = r * stream.nextDouble().squareRoot(), theta = 2 * .pi * stream.nextDouble()
        return c + Vec3(rho * theta.cosine, rho * theta.sine, (r * r - rho * rho).squareRoot())
      }
      for _ in 0..<Self.maxTries {
        let v = Vec3(2 * stream.nextDouble() - 1, 2 * stream.nextDouble() - 1, 2 * stream.nextDouble() - 1)
        if v.lengthSquared <= 1 { return c + v * r }
      }
      return nil
    case .union(let rs):
      // A member by measure, a point in it, kept with probability 1/k (k members hold it):
      // uniform on the union.
      let measures = rs.map { $0.measure ?? 0 }
      let total = measures.reduce(0, +)
      guard total > 0 else { return nil }
      for _ in 0..<Self.maxTries {
        var target = stream.nextDouble() * total
        var index = rs.count - 1
        for (i, m) in measures.enumerated() {
          if target < m { index = i; break }
          target -= m
        }
        guard let p = draw(rs[index], &stream) else { return nil }
        let k = rs.reduce(0) { $0 + ($1.contains(p) ? 1 : 0) }
        if k <= 1 || stream.nextDouble() * Double(k) < 1 { return p }
      }
      return nil
    case .intersection(let rs):
      // Drawn from the first member that can be drawn from (`everywhere` cannot).
      guard let first = rs.first(where: { $0 != .everywhere }) else { return nil }
      for _ in 0..<Self.maxTries {
        guard let p = draw(first, &stream) else { return nil }
        if rs.dropFirst().allSatisfy({ $0.contains(p) }) { return p }
      }
      return nil
    case .difference(let a, let b):
      for _ in 0..<Self.maxTries {
        guard let p = draw(a, &stream) else { return nil }
        if !b.contains(p) { return p }
      }
      return nil
    case .oriented(let r, _):
      return draw(r, &stream)
    }
  }

  var kindName: String {
    switch self {
    case .circle: "circle"
    case .sector: "sector"
    case .holed: "polygon with holes"
    case .polyline: "polyline"
    case .orientedBox: "oriented cuboid"
    case .ball: "ball"
    case .union: "union"
    case .intersection: "intersection"
    case .difference: "difference"
    case .oriented(let r, _): "oriented " + r.kindName
    }
  }

  /// A polyline's orientation at `p` (Scenic's default for a polyline region): along the
  /// segment nearest to `p`, pitched along it where it climbs (as `r.start` and `r.end`).
  static func polylineOrientation(at p: Vec3, _ ps: [Vec3]) -> FieldOrientation? {
    var best: (distance: Double, d: Vec3)?
    for (a, b) in segments(ps) {
      let ab = planar(b - a), ap = planar(p - a)
      guard ab.lengthSquared > 0 else { continue }
      let t = max(0, min(1, ap.dot(ab) / ab.lengthSquared))
      let distance = (ap - ab * t).length
      if distance < best?.distance ?? .infinity { best = (distance, b - a) }
    }
    guard let d = best?.d else { return nil }
    let horizontal = (d.x * d.x + d.y * d.y).squareRoot()
    // Positive pitch lowers the front: a climbing segment gives a negative pitch.
    return FieldOrientation(yaw: atan2Double(d.y, d.x), pitch: -atan2Double(d.z, horizontal), roll: 0)
  }

  // MARK: Polylines

  static func planar(_ v: Vec3) -> Vec3 { Vec3(v.x, v.y, 0) }

  static func segments(_ ps: [Vec3]) -> [(Vec3, Vec3)] {
    guard ps.count >= 2 else { return [] }
    return (1..<ps.count).map { (ps[$0 - 1], ps[$0]) }
  }

  /// Horizontal distance from `p` to the polyline.
  static func distanceToPolyline(_ p: Vec3, _ ps: [Vec3]) -> Double {
    var best = Double.infinity
    for (a, b) in segments(ps) {
      let ab = planar(b - a), ap = planar(p - a)
      let t = ab.lengthSquared > 0 ? max(0, min(1, ap.dot(ab) / ab.lengthSquared)) : 0
      best = min(best, (ap - ab * t).length)
    }
    if ps.count == 1, let only = ps.first { best = planar(p - only).length }
    return best
  }

  /// Uniform along the polyline (width 0), or on the band of points within `halfWidth` of it:
  /// the band is the union of a rectangle per segment and a disc per corner, sampled as a
  /// union (a piece by area, kept with probability 1/k when k pieces hold the point).
  static func samplePolyline(_ ps: [Vec3], halfWidth hw: Double, using stream: inout RandomStream) -> Vec3? {
    let segs = segments(ps).filter { planar($0.1 - $0.0).lengthSquared > 0 }
    guard !segs.isEmpty else { return nil }
    let lengths = segs.map { planar($0.1 - $0.0).length }
    if hw <= 0 {
      let total = lengths.reduce(0, +)
      let target = stream.nextDouble() * total
      for (i, l) in lengths.enumerated() where target < l || i == segs.count - 1 {
        let t = l > 0 ? min(1, target / l) : 0
        return segs[i].0 + (segs[i].1 - segs[i].0) * t
      }
      return nil
    }
    let discArea = Double.pi * hw * hw
    let pieces = lengths.map { 2 * hw * $0 } + Array(repeating: discArea, count: segs.count + 1)
    let total = pieces.reduce(0, +)
    let corners = [segs[0].0] + segs.map(\.1)
    func inPiece(_ i: Int, _ p: Vec3) -> Bool {
      if i < segs.count {
        let (a, b) = segs[i]
        let ab = planar(b - a), ap = planar(p - a), l = lengths[i]
        let along = ap.dot(ab) / l
        let across = abs(ab.x * ap.y - ab.y * ap.x) / l
        return along >= 0 && along <= l && across <= hw
      }
      return planar(p - corners[i - segs.count]).lengthSquared <= hw * hw
    }
    for _ in 0..<maxTries {
      var target = stream.nextDouble() * total
      var index = pieces.count - 1
      for (i, m) in pieces.enumerated() {
        if target < m { index = i; break }
        target -= m
      }
      let p: Vec3
      if index < segs.count {
        let (a, b) = segs[index]
        let ab = planar(b - a), l = lengths[index]
        let u = ab / l, n = Vec3(-u.y, u.x, 0)
        let t = stream.nextDouble(), s = (2 * stream.nextDouble() - 1) * hw
        p = a + (b - a) * t + n * s
      } else {
        let c = corners[index - segs.count]
        let rho = hw * stream.nextDouble().squareRoot(), theta = 2 * .pi * stream.nextDouble()
        p = Vec3(c.x + rho * theta.cosine, c.y + rho * theta.sine, ps[0].z)
      }
      let k = (0..<pieces.count).reduce(0) { $0 + (inPiece($1, p) ? 1 : 0) }
      if k <= 1 || stream.nextDouble() * Double(k) < 1 { return Vec3(p.x, p.y, ps[0].z) }
    }
    return nil
  }
}

extension PolygonShape {
  /// The enclosed area.
  var area: Double { cumulativeArea.last ?? 0 }
}

extension Region {
  /// 1 for a curve, 2 for a surface, 3 for a volume.
  var dimension: Int {
    switch self {
    case .cuboid: 3
    case .inset(let base, _), .view(let base, _, _): base.dimension
    case .shape(let s): s.dimension
    default: 2
    }
  }

  /// Area (surfaces), length (curves) or volume (volumes), when known in closed form.
  var measure: Double? {
    switch self {
    case .rect(_, let hl, let hw, _): return 4 * hl * hw
    case .polygon(let shape): return shape.area
    case .cuboid(_, let h): return 8 * h.x * h.y * h.z
    case .road(let road, let lateral):
      let lo = lateral.lowerBound, hi = lateral.upperBound
      return road.segments.reduce(0) { $0 + (hi - lo) * $1.length * (1 - $1.curvature * (lo + hi) / 2) }
    case .room(_, let h): return 4 * h.x * h.y
    case .inset: return nil
    case .shape(let s): return s.measure
    case .map(let m): return m.runningArea.last
    case .everywhere, .view: return nil
    case .nowhere: return 0
    }
  }

  /// Whether the actor's whole footprint lies in the region: a 5 × 5 grid over the bottom
  /// face of its size box (corners and edge midpoints included), turned by its heading, and
  /// for a volume the same grid on the top face. Exact for convex regions; a hole or notch
  /// narrower than a quarter of the footprint can slip between the grid points. A pitched or
  /// rolled actor (`rotation`) is turned by its full rotation, and its top face is tested on
  /// surfaces too: the projection of a tilted box reaches beyond its bottom face.
  func containsFootprint(position: Vec3, heading: Double, size: Vec3, rotation: Quaternion? = nil) -> Bool {
    let hx = size.x / 2, hy = size.y / 2
    let heights: [Double] = dimension == 3 || rotation != nil ? [0, size.z] : [0]
    let steps: [Double] = [-1, -0.5, 0, 0.5, 1]
    for z in heights {
      for fx in steps {
        for fy in steps {
          let local = Vec3(fx * hx, fy * hy, z)
          let point = position + (rotation.map { $0.rotate(local) } ?? Region.toWorld(local, yaw: heading))
          if !contains(point) { return false }
        }
      }
    }
    return true
  }
}
