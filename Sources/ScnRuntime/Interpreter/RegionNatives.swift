import ScnGeometry
import ScnSource

/// The prelude's region constructors of issue 15 (`circle`, `sector`, `oriented_rect`,
/// `oriented_cuboid`, `ball`, `polygon_with_holes`, `polyline`) and the set operations
/// (`union`, `intersect`, `difference`). Each checks its arguments when it runs and throws
/// `badRegion` at the call for a shape that cannot hold a point.
enum RegionNatives {
  typealias Arg = @Sendable (Context, Int) throws(RuntimeError) -> Value
  typealias RegionArg = @Sendable (Context, Int) throws(RuntimeError) -> Region

  /// Whether an edge of `a` properly crosses an edge of `b` (horizontally).
  static func edgesCross(_ a: PolygonShape, _ b: PolygonShape) -> Bool {
    func cross(_ o: Vec3, _ p: Vec3, _ q: Vec3) -> Double { (p.x - o.x) * (q.y - o.y) - (p.y - o.y) * (q.x - o.x) }
    let n = a.points.count, m = b.points.count
    for i in 0..<n {
      let p1 = a.points[i], p2 = a.points[(i + 1) % n]
      for j in 0..<m {
        let q1 = b.points[j], q2 = b.points[(j + 1) % m]
        let d1 = cross(q1, q2, p1), d2 = cross(q1, q2, p2), d3 = cross(p1, p2, q1), d4 = cross(p1, p2, q2)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
      }
    }
    return false
  }

  static func compile(_ name: String, arg: @escaping Arg, regionArg: @escaping RegionArg,
                      badRegion: @escaping @Sendable (String) -> RuntimeError) -> Eval
  {
    @Sendable func finite(_ xs: Double...) -> Bool { xs.allSatisfy(\.isFinite) }
    switch name {
    case "circle":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, r = try arg(ctx, 1).asDouble
        guard r > 0, finite(r) else { throw badRegion("circle: radius must be positive and finite, got \(r)") }
        return .region(.shape(.circle(center: c, radius: r)))
      }
    case "sector":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, r = try arg(ctx, 1).asDouble
        let h = try arg(ctx, 2).asDouble, a = try arg(ctx, 3).asDouble
        guard r > 0, finite(r, h, a) else { throw badRegion("sector: radius must be positive and finite, got \(r)") }
        guard a > 0, a <= 2 * .pi + 1e-12 else {
          throw badRegion("sector: the opening angle must be in (0deg, 360deg], got \(a.degrees)deg")
        }
        return .region(.shape(.sector(center: c, radius: r, heading: h, angle: min(a, 2 * .pi))))
      }
    case "oriented_rect":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, w = try arg(ctx, 1).asDouble, l = try arg(ctx, 2).asDouble
        let h = try arg(ctx, 3).asDouble
        guard w >= 0, l >= 0, finite(w, l, h) else {
          throw badRegion("oriented_rect: width and length must be ≥ 0 and finite, got \(w) and \(l)")
        }
        return .region(.rect(center: c, halfLength: l / 2, halfWidth: w / 2, yaw: h))
      }
    case "oriented_cuboid":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, s = try arg(ctx, 1).asVector, h = try arg(ctx, 2).asDouble
        guard s.minComponent >= 0, finite(s.x, s.y, s.z, h) else {
          throw badRegion("oriented_cuboid: size must not be negative")
        }
        return .region(.shape(.orientedBox(center: c, halfExtents: s / 2, yaw: h)))
      }
    case "ball":
      return { ctx throws(RuntimeError) in
        let c = try arg(ctx, 0).asVector, r = try arg(ctx, 1).asDouble
        guard r > 0, finite(r) else { throw badRegion("ball: radius must be positive and finite, got \(r)") }
        return .region(.shape(.ball(center: c, radius: r)))
      }
    case "polygon_with_holes":
      return { ctx throws(RuntimeError) in
        guard let outer = PolygonShape(points: try arg(ctx, 0).asList.map(\.asVector)) else {
          throw badRegion("polygon_with_holes: the outline needs at least 3 corners enclosing an area without crossing itself")
        }
        var holes: [PolygonShape] = []
        for (i, h) in try arg(ctx, 1).asList.enumerated() {
          guard let hole = PolygonShape(points: h.asList.map(\.asVector)) else {
            throw badRegion("polygon_with_holes: hole \(i) needs at least 3 corners enclosing an area without crossing itself")
          }
          guard hole.points.allSatisfy(outer.contains), !edgesCross(hole, outer) else {
            throw badRegion("polygon_with_holes: hole \(i) is not inside the outline")
          }
          for (j, other) in holes.enumerated()
          where hole.points.contains(where: other.contains) || other.points.contains(where: hole.contains)
            || edgesCross(hole, other)
          {
            throw badRegion("polygon_with_holes: holes \(j) and \(i) overlap")
          }
          holes.append(hole)
        }
        guard outer.area - holes.reduce(0, { $0 + $1.area }) > 1e-12 else {
          throw badRegion("polygon_with_holes: the holes leave no area")
        }
        return .region(.shape(.holed(outer, holes: holes)))
      }
    case "polyline":
      return { ctx throws(RuntimeError) in
        let points = try arg(ctx, 0).asList.map(\.asVector), w = try arg(ctx, 1).asDouble
        guard w >= 0, finite(w) else { throw badRegion("polyline: width must be ≥ 0 and finite, got \(w)") }
        let length = RegionShape.segments(points).reduce(0) { $0 + RegionShape.planar($1.1 - $1.0).length }
        guard points.count >= 2, length > 0, length.isFinite else {
          throw badRegion("polyline: needs at least 2 distinct points, got \(points.count)")
        }
        return .region(.shape(.polyline(points: points, halfWidth: w / 2)))
      }
    case "union", "intersect", "difference":
      return { ctx throws(RuntimeError) in
        let a = try regionArg(ctx, 0), b = try regionArg(ctx, 1)
        if name != "difference", a.dimension != b.dimension {
          let words = [1: "a curve", 2: "a surface", 3: "a volume"]
          throw badRegion("\(name): cannot combine \(words[a.dimension] ?? "a region") with \(words[b.dimension] ?? "a region")")
        }
        switch name {
        case "union":
          func members(_ r: Region) -> [Region] { if case .shape(.union(let rs)) = r { rs } else { [r] } }
          let rs = members(a) + members(b)
          guard rs.allSatisfy({ $0.measure != nil }) else {
            throw badRegion("union: the area of an intersect, difference or inset region is not known, so it cannot be "
              + "sampled in proportion; take the union first (intersect(union(a, b), c))")
          }
          return .region(.shape(.union(rs)))
        case "intersect":
          func members(_ r: Region) -> [Region] { if case .shape(.intersection(let rs)) = r { rs } else { [r] } }
          // The member with the smallest known measure first: it is sampled, the others test.
          var rs = members(a) + members(b)
          if let i = rs.indices.min(by: { (rs[$0].measure ?? .infinity) < (rs[$1].measure ?? .infinity) }) {
            rs.swapAt(0, i)
          }
          return .region(.shape(.intersection(rs)))
        default:
          return .region(.shape(.difference(a, b)))
        }
      }
    default:
      return { _ throws(RuntimeError) in throw badRegion("\(name): not a region function") }
    }
  }
}
