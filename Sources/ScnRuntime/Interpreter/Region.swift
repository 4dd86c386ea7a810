import ScnGeometry
import ScnSource

/// A set of points an actor can be placed on (`on R`, a surface) or in (`within R`, a
/// volume), or tested against (`p in R`). Surfaces are horizontal: their containment test
/// looks at x and y only, so an actor standing on a surface is in it.
public indirect enum Region: Sendable, Equatable {
  /// A horizontal rectangle: `halfLength` along its own x (turned by `yaw`), `halfWidth` along y.
  case rect(center: Vec3, halfLength: Double, halfWidth: Double, yaw: Double)
  /// A simple horizontal polygon at the height of its first point.
  case polygon(PolygonShape)
  /// An axis-aligned box volume.
  case cuboid(center: Vec3, halfExtents: Vec3)
  /// A band `lateral` (left positive) around a road's reference line of straights and arcs.
  case road(RoadShape, lateral: ClosedRange<Double>)
  /// Another region shrunk by `margin` on every side (for shapes without a closed form).
  case inset(Region, margin: Double)
  /// A room (`room(center, size)`): its floor, an axis-aligned rectangle centred on `center`
  /// (half extents x and y), is the region; walls `halfExtents.z * 2` high enclose it.
  case room(center: Vec3, halfExtents: Vec3)
  /// Discs, sectors, polygons with holes, polylines, oriented boxes, balls and the set
  /// operations (`RegionShapes.swift`).
  case shape(RegionShape)
  /// Lanes of a road network read by `map("…")` (MapRegion.swift): the map's driving lanes,
  /// one lane, a road, an intersection or a sidewalk. Also the map's road-direction field.
  case map(MapLanes)
  /// `visible R` (`negated`: `not visible R`): the points of R that the pose sees (does not
  /// see); drawn by rejection from R.
  case view(Region, SensorPose, negated: Bool)
  /// Every point (`everywhere`): contains everything, cannot be sampled.
  case everywhere
  /// No point (`nowhere`).
  case nowhere

  /// A room's floor as a rectangle.
  static func floor(_ c: Vec3, _ h: Vec3) -> Region { .rect(center: c, halfLength: h.x, halfWidth: h.y, yaw: 0) }

  /// Whether the point lies in the region (x and y only for surfaces).
  public func contains(_ p: Vec3) -> Bool {
    switch self {
    case .rect(let c, let hl, let hw, let yaw):
      let local = Self.toLocal(p - c, yaw: yaw)
      return abs(local.x) <= hl && abs(local.y) <= hw
    case .polygon(let shape): return shape.contains(p)
    case .cuboid(let c, let h):
      let d = p - c
      return abs(d.x) <= h.x && abs(d.y) <= h.y && abs(d.z) <= h.z
    case .road(let road, let lateral):
      guard let (_, d) = road.project(p) else { return false }
      return lateral.contains(d)
    case .inset(let base, let margin):
      return base.contains(p) && base.boundaryDistance(p) >= margin
    case .room(let c, let h): return Self.floor(c, h).contains(p)
    case .shape(let s): return s.contains(p)
    case .map(let m): return m.contains(point: p)
    case .everywhere: return true
    case .nowhere: return false
    case .view(let base, let pose, let negated): return base.contains(p) && pose.sees(p) != negated
    }
  }

  /// `p` moved vertically onto the region's surface (the top face of a volume), or nil when
  /// the vertical line through `p` misses the region. Surfaces are horizontal, so this is
  /// the point of the surface with p's x and y. `X at P on R` and `X ahead of Y on R` use it
  /// (Scenic's `on` modifying a position another specifier gave).
  func projectOntoSurface(_ p: Vec3) -> Vec3? {
    switch self {
    case .rect(let c, _, _, _):
      return contains(p) ? Vec3(p.x, p.y, c.z) : nil
    case .polygon(let shape):
      guard shape.contains(p), let first = shape.points.first else { return nil }
      return Vec3(p.x, p.y, first.z)
    case .cuboid(let c, let h):
      return abs(p.x - c.x) <= h.x && abs(p.y - c.y) <= h.y ? Vec3(p.x, p.y, c.z + h.z) : nil
    case .road(let road, _):
      guard contains(p) else { return nil }
      return Vec3(p.x, p.y, road.segments.first?.origin.z ?? p.z)
    case .inset(let base, let margin):
      guard let q = base.projectOntoSurface(p), base.boundaryDistance(q) >= margin else { return nil }
      return q
    case .room(let c, let h): return Self.floor(c, h).projectOntoSurface(p)
    case .shape(let s): return s.projectOntoSurface(p)
    case .map(let m): return m.project(p)
    case .everywhere: return p
    case .nowhere: return nil
    case .view(let base, let pose, let negated):
      guard let q = base.projectOntoSurface(p), pose.sees(q) != negated else { return nil }
      return q
    }
  }

  /// Distance from an inside point to the region's boundary (in the horizontal plane for
  /// surfaces); 0 outside.
  func boundaryDistance(_ p: Vec3) -> Double {
    switch self {
    case .rect(let c, let hl, let hw, let yaw):
      let local = Self.toLocal(p - c, yaw: yaw)
      return max(0, min(hl - abs(local.x), hw - abs(local.y)))
    case .polygon(let shape): return shape.contains(p) ? shape.edgeDistance(p) : 0
    case .cuboid(let c, let h):
      let d = p - c
      return max(0, min(h.x - abs(d.x), h.y - abs(d.y), h.z - abs(d.z)))
    case .road(let road, let lateral):
      guard let (s, d) = road.project(p) else { return 0 }
      return max(0, min(d - lateral.lowerBound, lateral.upperBound - d, s, road.totalLength - s))
    case .inset(let base, let margin): return max(0, base.boundaryDistance(p) - margin)
    case .room(let c, let h): return Self.floor(c, h).boundaryDistance(p)
    case .shape(let s): return s.boundaryDistance(p)
    case .map(let m): return m.boundaryDistance(p)
    case .everywhere: return .infinity
    case .nowhere: return 0
    case .view(let base, _, _): return contains(p) ? base.boundaryDistance(p) : 0
    }
  }

  /// A point uniformly distributed on the region's surface (the top face of a volume).
  func sampleSurface(using stream: inout RandomStream) -> Vec3? {
    switch self {
    case .rect(let c, let hl, let hw, let yaw):
      let x = (2 * stream.nextDouble() - 1) * hl
      let y = (2 * stream.nextDouble() - 1) * hw
      return c + Self.toWorld(Vec3(x, y, 0), yaw: yaw)
    case .polygon(let shape): return shape.sample(using: &stream)
    case .cuboid(let c, let h):
      let x = (2 * stream.nextDouble() - 1) * h.x
      let y = (2 * stream.nextDouble() - 1) * h.y
      return Vec3(c.x + x, c.y + y, c.z + h.z)
    case .road(let road, let lateral): return road.sample(lateral: lateral, using: &stream)
    case .inset(let base, let margin): return Self.rejectNearBoundary(base, margin, &stream) { $0.sampleSurface(using: &$1) }
    case .room(let c, let h): return Self.floor(c, h).sampleSurface(using: &stream)
    case .shape(let s): return s.sample(volume: false, using: &stream)
    case .map(let m): return m.sample(using: &stream)
    case .everywhere, .nowhere: return nil
    case .view(let base, let pose, let negated):
      return Self.viewDraw(base, pose, negated, &stream) { $0.sampleSurface(using: &$1) }
    }
  }

  /// A point uniformly distributed inside the region (a surface's own points for a surface).
  func sampleVolume(using stream: inout RandomStream) -> Vec3? {
    switch self {
    case .cuboid(let c, let h):
      let x = (2 * stream.nextDouble() - 1) * h.x
      let y = (2 * stream.nextDouble() - 1) * h.y
      let z = (2 * stream.nextDouble() - 1) * h.z
      return c + Vec3(x, y, z)
    case .inset(let base, let margin): return Self.rejectNearBoundary(base, margin, &stream) { $0.sampleVolume(using: &$1) }
    case .shape(let s): return s.sample(volume: true, using: &stream)
    case .view(let base, let pose, let negated):
      return Self.viewDraw(base, pose, negated, &stream) { $0.sampleVolume(using: &$1) }
    default: return sampleSurface(using: &stream)
    }
  }

  /// Uniform on the part of `base` the pose sees (does not see), by rejection from `base`
  /// (`RegionShape.maxTries` tries from the same stream); nil when no try lands there.
  private static func viewDraw(
    _ base: Region, _ pose: SensorPose, _ negated: Bool, _ stream: inout RandomStream,
    _ draw: (Region, inout RandomStream) -> Vec3?
  ) -> Vec3? {
    for _ in 0..<RegionShape.maxTries {
      guard let p = draw(base, &stream) else { return nil }
      if pose.sees(p) != negated { return p }
    }
    return nil
  }

  /// Uniform on the inset region by rejection from the base: exact, and the tries are drawn
  /// from the same site stream, so the result stays a pure function of the draw key.
  private static func rejectNearBoundary(
    _ base: Region, _ margin: Double, _ stream: inout RandomStream,
    _ draw: (Region, inout RandomStream) -> Vec3?
  ) -> Vec3? {
    for _ in 0..<1000 {
      guard let p = draw(base, &stream) else { return nil }
      if base.boundaryDistance(p) >= margin { return p }
    }
    return nil
  }

  /// The region shrunk by `margin` (exact for rectangles, boxes and roads).
  func inset(by margin: Double) -> Region? {
    switch self {
    case .rect(let c, let hl, let hw, let yaw):
      guard hl - margin >= 0, hw - margin >= 0 else { return nil }
      return .rect(center: c, halfLength: hl - margin, halfWidth: hw - margin, yaw: yaw)
    case .cuboid(let c, let h):
      let shrunk = h - Vec3(repeating: margin)
      guard shrunk.minComponent >= 0 else { return nil }
      return .cuboid(center: c, halfExtents: shrunk)
    case .road(let road, let lateral):
      guard lateral.upperBound - margin >= lateral.lowerBound + margin else { return nil }
      return .road(road, lateral: (lateral.lowerBound + margin)...(lateral.upperBound - margin))
    case .polygon, .inset, .shape, .map:
      return .inset(self, margin: margin)
    case .room(let c, let h): return Self.floor(c, h).inset(by: margin)
    case .everywhere, .nowhere: return self
    case .view: return .inset(self, margin: margin)
    }
  }

  static func toLocal(_ v: Vec3, yaw: Double) -> Vec3 {
    let c = yaw.cosine, s = yaw.sine
    return Vec3(c * v.x + s * v.y, -s * v.x + c * v.y, v.z)
  }

  static func toWorld(_ v: Vec3, yaw: Double) -> Vec3 {
    let c = yaw.cosine, s = yaw.sine
    return Vec3(c * v.x - s * v.y, s * v.x + c * v.y, v.z)
  }
}

/// A simple polygon, triangulated once by ear clipping so sampling is exact: a triangle
/// chosen by area, then a uniform point in it.
public struct PolygonShape: Sendable, Equatable {
  public let points: [Vec3]
  let triangles: [(Int, Int, Int)]
  let cumulativeArea: [Double]

  public static func == (a: PolygonShape, b: PolygonShape) -> Bool { a.points == b.points }

  /// Nil when the polygon has fewer than three corners, no area, or crosses itself so badly
  /// that ear clipping finds no ear.
  init?(points: [Vec3]) {
    guard points.count >= 3 else { return nil }
    var area2 = 0.0
    for i in points.indices {
      let a = points[i], b = points[(i + 1) % points.count]
      area2 += a.x * b.y - b.x * a.y
    }
    guard abs(area2) > 1e-12 else { return nil }
    let ccw = area2 > 0
    var remaining = Array(points.indices)
    var triangles: [(Int, Int, Int)] = []
    func cross(_ o: Vec3, _ a: Vec3, _ b: Vec3) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
    var guardCounter = 0
    while remaining.count > 3 {
      guardCounter += 1
      if guardCounter > 10_000 { return nil }
      var clipped = false
      for k in remaining.indices {
        let i0 = remaining[(k + remaining.count - 1) % remaining.count], i1 = remaining[k]
        let i2 = remaining[(k + 1) % remaining.count]
        let convex = cross(points[i0], points[i1], points[i2]) * (ccw ? 1 : -1) > 1e-15
        guard convex else { continue }
        let blocked = remaining.contains { j in
          j != i0 && j != i1 && j != i2
            && Self.inTriangle(points[j], points[i0], points[i1], points[i2])
        }
        if blocked { continue }
        triangles.append((i0, i1, i2))
        remaining.remove(at: k)
        clipped = true
        break
      }
      if !clipped { return nil }
    }
    triangles.append((remaining[0], remaining[1], remaining[2]))
    var total = 0.0
    var cumulative: [Double] = []
    for (a, b, c) in triangles {
      total += abs(cross(points[a], points[b], points[c])) / 2
      cumulative.append(total)
    }
    self.points = points
    self.triangles = triangles
    self.cumulativeArea = cumulative
  }

  static func inTriangle(_ p: Vec3, _ a: Vec3, _ b: Vec3, _ c: Vec3) -> Bool {
    func sign(_ p1: Vec3, _ p2: Vec3, _ p3: Vec3) -> Double { (p1.x - p3.x) * (p2.y - p3.y) - (p2.x - p3.x) * (p1.y - p3.y) }
    let d1 = sign(p, a, b), d2 = sign(p, b, c), d3 = sign(p, c, a)
    let negative = d1 < 0 || d2 < 0 || d3 < 0
    let positive = d1 > 0 || d2 > 0 || d3 > 0
    return !(negative && positive)
  }

  func contains(_ p: Vec3) -> Bool {
    var inside = false
    var j = points.count - 1
    for i in points.indices {
      let a = points[i], b = points[j]
      if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
      j = i
    }
    return inside
  }

  func edgeDistance(_ p: Vec3) -> Double {
    var best = Double.infinity
    for i in points.indices {
      let a = points[i], b = points[(i + 1) % points.count]
      let ab = Vec3(b.x - a.x, b.y - a.y, 0), ap = Vec3(p.x - a.x, p.y - a.y, 0)
      let t = max(0, min(1, ab.lengthSquared > 0 ? ap.dot(ab) / ab.lengthSquared : 0))
      best = min(best, (ap - ab * t).length)
    }
    return best
  }

  func sample(using stream: inout RandomStream) -> Vec3? {
    guard let total = cumulativeArea.last, total > 0 else { return nil }
    let target = stream.nextDouble() * total
    let index = cumulativeArea.firstIndex { target < $0 } ?? (triangles.count - 1)
    let (a, b, c) = triangles[index]
    var u = stream.nextDouble(), v = stream.nextDouble()
    if u + v > 1 { (u, v) = (1 - u, 1 - v) }
    let pa = points[a], pb = points[b], pc = points[c]
    let p = pa + (pb - pa) * u + (pc - pa) * v
    return Vec3(p.x, p.y, points[0].z)
  }
}

/// A road's reference line: straights and circular arcs joined end to end, starting at
/// `start` with `heading`. Lateral offsets are measured to the left of the line.
public struct RoadShape: Sendable, Equatable {
  public struct Segment: Sendable, Equatable {
    /// Pose where the segment starts.
    let origin: Vec3
    let heading: Double
    let length: Double
    /// Signed curvature (1/m, positive turning left); 0 for a straight.
    let curvature: Double
  }

  public private(set) var segments: [Segment]
  public let totalLength: Double
  /// Lateral band of the whole road, for the lanes' offsets.
  public let width: Double
  public let lanes: Int
  /// Set on a sidewalk built by `sidewalk(road, gap, width)`: the line is the road's, raised
  /// by the kerb height, and the region's band is the walking surface.
  public private(set) var sidewalk: SidewalkBand?
  /// Stations (arc lengths from the start) of stop lines painted across the road, and the
  /// station ranges of zebra crossings (`stop_line(...)`, `crossing(...)`).
  public private(set) var stopLines: [Double] = []
  public private(set) var crossings: [ClosedRange<Double>] = []

  /// This road with a stop line across it at station `s`.
  func withStopLine(at s: Double) -> RoadShape {
    var r = self
    if !r.stopLines.contains(s) { r.stopLines.append(s) }
    return r
  }

  /// This road with a zebra crossing over the stations `range`.
  func withCrossing(_ range: ClosedRange<Double>) -> RoadShape {
    var r = self
    if !r.crossings.contains(range) { r.crossings.append(range) }
    return r
  }

  /// The same surface (geometry, lanes, sidewalk), whatever is painted on it.
  func sameSurface(_ o: RoadShape) -> Bool {
    segments == o.segments && width == o.width && lanes == o.lanes && sidewalk == o.sidewalk
  }

  /// The paint of both: `o`'s stop lines and crossings added to this road's.
  func merged(_ o: RoadShape) -> RoadShape {
    var r = self
    for s in o.stopLines where !r.stopLines.contains(s) { r.stopLines.append(s) }
    for c in o.crossings where !r.crossings.contains(c) { r.crossings.append(c) }
    return r
  }

  /// Where a sidewalk lies across its road's reference line (lateral offsets, left positive).
  public struct SidewalkBand: Sendable, Equatable {
    /// The road's right edge, where the asphalt of the gap begins.
    public let roadEdge: Double
    /// The kerb line, at the outer side of the gap.
    public let kerbSide: Double
    /// The far side of the walking surface.
    public let outerSide: Double
    public let kerbHeight: Double
  }

  /// `pieces` are `(arc length, turn angle)` pairs as `straight(l)` and `arc(r, turn)` build them.
  init?(start: Vec3, heading: Double, pieces: [(Double, Double)], width: Double, lanes: Int) {
    var segments: [Segment] = []
    var p = start, h = heading, total = 0.0
    for (length, turn) in pieces {
      guard length > 0, length.isFinite, turn.isFinite else { return nil }
      let k = turn / length
      segments.append(Segment(origin: p, heading: h, length: length, curvature: k))
      p = Self.point(origin: p, heading: h, curvature: k, station: length, lateral: 0)
      h += turn
      total += length
    }
    guard !segments.isEmpty else { return nil }
    self.segments = segments
    self.totalLength = total
    self.width = width
    self.lanes = lanes
  }

  /// Height of a sidewalk's kerb above the road (the usual 0.15 m urban upstand).
  public static let kerbHeight = 0.15

  /// The sidewalk along this road's right edge (in the direction of travel): `gap` of
  /// asphalt beyond the edge, then a kerb of `kerbHeight` and `width` of walking surface.
  func sidewalk(gap: Double, width: Double, kerbHeight: Double) -> (RoadShape, ClosedRange<Double>) {
    var raised = self
    raised.segments = segments.map {
      Segment(origin: $0.origin + Vec3(0, 0, kerbHeight), heading: $0.heading, length: $0.length, curvature: $0.curvature)
    }
    let kerb = -self.width / 2 - gap
    let band = SidewalkBand(roadEdge: -self.width / 2, kerbSide: kerb, outerSide: kerb - width, kerbHeight: kerbHeight)
    raised.sidewalk = band
    return (raised, (kerb - width)...kerb)
  }

  static func point(origin: Vec3, heading h0: Double, curvature k: Double, station s: Double, lateral d: Double) -> Vec3 {
    let h = h0 + k * s
    var base: Vec3
    if k == 0 {
      base = origin + Vec3(h0.cosine * s, h0.sine * s, 0)
    } else {
      let rho = 1 / k
      let centre = origin + Vec3(-h0.sine * rho, h0.cosine * rho, 0)
      base = centre + Vec3(h.sine * rho, -h.cosine * rho, 0)
    }
    base += Vec3(-h.sine * d, h.cosine * d, 0)
    return base
  }

  /// Station along the whole road and lateral offset of a point, when it projects onto a
  /// segment; nil when it lies beyond either end.
  func project(_ p: Vec3) -> (Double, Double)? {
    var offset = 0.0
    var best: (Double, Double)?
    for seg in segments {
      defer { offset += seg.length }
      let v = Vec3(p.x - seg.origin.x, p.y - seg.origin.y, 0)
      if seg.curvature == 0 {
        let local = Region.toLocal(v, yaw: seg.heading)
        guard local.x >= 0, local.x <= seg.length else { continue }
        if best == nil || abs(local.y) < abs(best?.1 ?? .infinity) { best = (offset + local.x, local.y) }
      } else {
        let rho = 1 / seg.curvature
        let centre = Vec3(seg.origin.x - seg.heading.sine * rho, seg.origin.y + seg.heading.cosine * rho, 0)
        let w = Vec3(p.x - centre.x, p.y - centre.y, 0)
        let r = w.length
        guard r > 0 else { continue }
        let m = rho > 0 ? r : -r
        let h = atan2Double(w.x / m, -w.y / m)
        var delta = wrapAngle(h - seg.heading)
        if seg.curvature > 0, delta < 0 { delta += 2 * .pi }
        if seg.curvature < 0, delta > 0 { delta -= 2 * .pi }
        let s = delta / seg.curvature
        guard s >= 0, s <= seg.length else { continue }
        let d = rho - m
        if best == nil || abs(d) < abs(best?.1 ?? .infinity) { best = (offset + s, d) }
      }
    }
    return best
  }

  /// Uniform on the band `lateral` of the road: a segment by area, then station and offset
  /// (density ∝ 1 − κd across an arc, which is uniform in area).
  func sample(lateral: ClosedRange<Double>, using stream: inout RandomStream) -> Vec3? {
    let lo = lateral.lowerBound, hi = lateral.upperBound
    var areas: [Double] = []
    var total = 0.0
    for seg in segments {
      let a = (hi - lo) * seg.length * (1 - seg.curvature * (lo + hi) / 2)
      guard a >= 0, 1 - seg.curvature * lo > 0, 1 - seg.curvature * hi > 0 else { return nil }
      total += a
      areas.append(total)
    }
    guard total > 0 else { return nil }
    let target = stream.nextDouble() * total
    let index = areas.firstIndex { target < $0 } ?? (segments.count - 1)
    let seg = segments[index]
    let s = stream.nextDouble() * seg.length
    let u = stream.nextDouble()
    let d: Double
    if seg.curvature == 0 {
      d = lo + u * (hi - lo)
    } else {
      let gLo = 1 - seg.curvature * lo, gHi = 1 - seg.curvature * hi
      let g = (u * (gHi * gHi - gLo * gLo) + gLo * gLo).squareRoot()
      d = (1 - g) / seg.curvature
    }
    return Self.point(origin: seg.origin, heading: seg.heading, curvature: seg.curvature, station: s, lateral: d)
  }
}

extension Region {
  /// The orientation the region gives an actor placed `on` or `within` it that no other
  /// specifier turns (docs/language-tour.md, "Heading fields"): `oriented(R, F)`'s field at
  /// `p`, and a polyline's direction (Scenic's defaults); nil for other regions (map lanes
  /// give their heading through the placement's own lane rule).
  func orientation(at p: Vec3, _ ctx: Context, range: SourceRange) throws(RuntimeError) -> FieldOrientation? {
    switch self {
    case .shape(.oriented(_, let field)): return try field.orientation(at: p, ctx, range: range)
    case .shape(.polyline(let points, _)): return RegionShape.polylineOrientation(at: p, points)
    case .inset(let r, _), .view(let r, _, _): return try r.orientation(at: p, ctx, range: range)
    default: return nil
    }
  }
}
