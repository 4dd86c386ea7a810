import Foundation

/// Which lanes a query considers.
public enum LaneFilter: Sendable, Hashable {
  case any
  /// Lanes cars drive in (`LaneType.isDrivable`).
  case drivable
  case type(LaneType)

  @inline(__always) func accepts(_ type: LaneType) -> Bool {
    switch self {
    case .any: true
    case .drivable: type.isDrivable
    case .type(let wanted): type == wanted
    }
  }
}

/// A lane found by a query: the lane, the arc length along its road, and the distance from the
/// query point to the lane's centre line (0 inside the lane for `lane(containing:)`).
public struct LaneHit: Sendable, Hashable {
  public var lane: Int
  public var s: Double
  public var distance: Double
  /// Heading of travel in the lane there, radians from +x.
  public var heading: Double
}

/// Uniform grids over the lanes of a `LaneNetwork`, for point-in-lane, nearest-lane and
/// road-direction queries in the plan (z is ignored).
///
/// Point in lane: each strip segment (the quadrilateral between two consecutive samples of a
/// lane) is listed in every cell its bounding box touches; a query tests the quads of its cell.
/// Nearest lane: centre lines are merged into straight spans (consecutive samples within
/// 0.1 mm of one line), and every cell keeps the spans that can be nearest to some point of
/// it, so a query measures only those.
public struct LaneIndex: Sendable {
  public let network: LaneNetwork
  let origin: SIMD2<Double>
  let cellSize: Double
  let columns: Int
  let rows: Int
  /// Quads of cell c are `items[cellStart[c] ..< cellStart[c + 1]]`.
  let cellStart: [Int32]
  let items: [Int32]
  let quads: [Quad]
  /// Spans of cell c (every span whose bounding box touches it), same layout.
  let spanStart: [Int32]
  let spanItems: [Int32]
  let spans: [Span]
  /// Per cell, the spans that can be nearest to a point of it (`nearestLane` with no filter),
  /// built a tile of `tileSide` × `tileSide` cells at a time, on the first such query in the
  /// tile: placing actors on lanes never needs them, they are most of the index's
  /// construction time, and a map whose extent is mostly empty (a lane polynomial running
  /// kilometres off its road) would otherwise pay for millions of empty cells at once.
  private let near = NearestCache()
  /// Side of a candidate tile, in cells.
  static let tileSide = 32
  let laneTypes: [LaneType]

  /// The candidate lists of one tile: cell (x, y) of the tile, at `x + y · tileSide`, lists
  /// `items[start[i] ..< start[i + 1]]`.
  struct TileLists: Sendable {
    var start: [Int32]
    var items: [Int32]
  }

  /// The candidate lists, shared by copies of the index and built once per tile under a lock.
  final class NearestCache: @unchecked Sendable {
    let lock = NSLock()
    /// By tile, row by row; nil until built.
    var tiles: [TileLists?] = []
    var built = 0
  }

  struct Quad: Sendable {
    var lane: Int32
    var minX: Double, minY: Double, maxX: Double, maxY: Double
    /// Corners in order around the quad: inner i, outer i, outer i+1, inner i+1.
    var a: SIMD2<Double>, b: SIMD2<Double>, c: SIMD2<Double>, d: SIMD2<Double>
    /// Centre-line segment and its arc lengths along the road.
    var p: SIMD2<Double>, q: SIMD2<Double>
    var s0: Double, s1: Double
    var heading: Double
    var hasArea: Bool
  }

  /// A straight piece of a lane's centre line, from `p` to `p + d`.
  struct Span: Sendable {
    var p: SIMD2<Double>
    var d: SIMD2<Double>
    /// 1 / |d|², or 0 for a zero-length span.
    var inverseLength2: Double
    var lane: Int32
    var s0: Double, s1: Double
    var heading: Double

    /// Squared distance from x and the fraction along the span of the nearest point. Written
    /// on scalars: SIMD arithmetic is not inlined in debug builds, where this loop dominates
    /// the construction of the nearest-lane candidate lists.
    @inline(__always) func distance2(_ x: SIMD2<Double>) -> (Double, Double) {
      let px = p.x, py = p.y, dx = d.x, dy = d.y
      let wx = x.x - px, wy = x.y - py
      let f = Swift.min(Swift.max((wx * dx + wy * dy) * inverseLength2, 0), 1)
      let ex = wx - dx * f, ey = wy - dy * f
      return (ex * ex + ey * ey, f)
    }

    @inline(__always) func distance(_ x: SIMD2<Double>) -> Double { distance2(x).0.squareRoot() }
  }

  /// At most this many cells: a map is never gridded finer than this, whatever its extent.
  public static let maximumCells = 4_000_000
  /// At most about this many (quad, cell) listings.
  public static let maximumListings = 8_000_000

  public init(_ network: LaneNetwork, cellSize requested: Double = 2) {
    self.network = network
    laneTypes = network.lanes.map(\.type)
    var quads: [Quad] = []
    var spans: [Span] = []
    for (l, lane) in network.lanes.enumerated() {
      let n = min(lane.inner.count, lane.outer.count, lane.centre.count, lane.s.count)
      guard n >= 2 else { continue }
      let centre = lane.centre.map { SIMD2($0.x, $0.y) }
      for i in 0..<(n - 1) {
        let a = lane.inner[i], b = lane.outer[i], c = lane.outer[i + 1], d = lane.inner[i + 1]
        let mn = pointwiseMin(pointwiseMin(a, b), pointwiseMin(c, d))
        let mx = pointwiseMax(pointwiseMax(a, b), pointwiseMax(c, d))
        // Polynomials run wild (a width of 1e300 m) stay out of the grid.
        guard LaneIndex.sane(mn), LaneIndex.sane(mx), LaneIndex.sane(centre[i]), LaneIndex.sane(centre[i + 1]) else { continue }
        let area = abs(LaneIndex.cross(c - a, d - b)) / 2
        quads.append(
          Quad(
            lane: Int32(l), minX: mn.x, minY: mn.y, maxX: mx.x, maxY: mx.y, a: a, b: b, c: c, d: d, p: centre[i],
            q: centre[i + 1], s0: lane.s[i], s1: lane.s[i + 1], heading: lane.travelHeading(segment: i), hasArea: area > 1e-6))
      }
      // Spans: extend while every sample in between stays within 0.1 mm of the chord.
      var i = 0
      while i < n - 1 {
        var j = i + 1
        while j + 1 < n && LaneIndex.straight(centre, from: i, to: j + 1) { j += 1 }
        let d = centre[j] - centre[i]
        let len2 = d.x * d.x + d.y * d.y
        guard LaneIndex.sane(centre[i]), LaneIndex.sane(centre[j]) else {
          i = j
          continue
        }
        spans.append(
          Span(
            p: centre[i], d: d, inverseLength2: len2 > 0 ? 1 / len2 : 0, lane: Int32(l), s0: lane.s[i], s1: lane.s[j],
            heading: lane.travelHeading(segment: i)))
        i = j
      }
    }
    var lo = SIMD2<Double>(repeating: .infinity)
    var hi = SIMD2<Double>(repeating: -.infinity)
    for q in quads {
      lo = pointwiseMin(lo, SIMD2(q.minX, q.minY))
      hi = pointwiseMax(hi, SIMD2(q.maxX, q.maxY))
    }
    if quads.isEmpty {
      lo = .zero
      hi = .zero
    }
    let extent = pointwiseMax(hi - lo, SIMD2(1, 1))
    var cell = max(requested, 0.25)
    while (extent.x / cell + 1) * (extent.y / cell + 1) > Double(LaneIndex.maximumCells) { cell *= 2 }
    // A quad is listed in every cell its box touches: lanes hundreds of metres wide (a runaway
    // width polynomial) would list it in thousands, so the cells grow until the lists fit.
    func listings(_ cell: Double) -> Double {
      var total = 0.0
      for q in quads { total += ((q.maxX - q.minX) / cell + 2) * ((q.maxY - q.minY) / cell + 2) }
      return total
    }
    while listings(cell) > Double(LaneIndex.maximumListings) { cell *= 2 }
    let columns = Int(extent.x / cell) + 1
    let rows = Int(extent.y / cell) + 1
    func bucket(_ boxes: [(SIMD2<Double>, SIMD2<Double>)]) -> ([Int32], [Int32]) {
      func range(_ box: (SIMD2<Double>, SIMD2<Double>)) -> (Int, Int, Int, Int) {
        (
          min(max(Int((box.0.x - lo.x) / cell), 0), columns - 1), min(max(Int((box.1.x - lo.x) / cell), 0), columns - 1),
          min(max(Int((box.0.y - lo.y) / cell), 0), rows - 1), min(max(Int((box.1.y - lo.y) / cell), 0), rows - 1)
        )
      }
      var counts = [Int32](repeating: 0, count: columns * rows + 1)
      for box in boxes {
        let (x0, x1, y0, y1) = range(box)
        for y in y0...y1 { for x in x0...x1 { counts[y * columns + x + 1] += 1 } }
      }
      for i in 1..<counts.count { counts[i] += counts[i - 1] }
      var fill = counts
      var items = [Int32](repeating: 0, count: Int(counts.last ?? 0))
      for (k, box) in boxes.enumerated() {
        let (x0, x1, y0, y1) = range(box)
        for y in y0...y1 {
          for x in x0...x1 {
            let c = y * columns + x
            items[Int(fill[c])] = Int32(k)
            fill[c] += 1
          }
        }
      }
      return (counts, items)
    }
    (cellStart, items) = bucket(quads.map { (SIMD2($0.minX, $0.minY), SIMD2($0.maxX, $0.maxY)) })
    (spanStart, spanItems) = bucket(spans.map { (pointwiseMin($0.p, $0.p + $0.d), pointwiseMax($0.p, $0.p + $0.d)) })
    self.origin = lo
    self.cellSize = cell
    self.columns = columns
    self.rows = rows
    self.quads = quads
    self.spans = spans
  }

  /// How many tiles of nearest-lane candidate lists have been built (they are on first use).
  public var nearestCandidateTiles: Int {
    near.lock.lock()
    defer { near.lock.unlock() }
    return near.built
  }

  /// The nearest-lane candidate lists of tile (tx, ty), built on first use.
  func nearestCandidates(tileX tx: Int, tileY ty: Int) -> TileLists {
    let tileColumns = (columns + LaneIndex.tileSide - 1) / LaneIndex.tileSide
    let key = ty * tileColumns + tx
    near.lock.lock()
    defer { near.lock.unlock() }
    if near.tiles.isEmpty {
      near.tiles = Array(repeating: nil, count: tileColumns * ((rows + LaneIndex.tileSide - 1) / LaneIndex.tileSide))
    }
    if let lists = near.tiles[key] { return lists }
    let lists = buildNearestCandidates(tileX: tx, tileY: ty)
    near.tiles[key] = lists
    near.built += 1
    return lists
  }

  /// Coordinates the grids take: finite and within 10,000 km of the local origin.
  @inline(__always) static func sane(_ p: SIMD2<Double>) -> Bool { abs(p.x) <= 1e7 && abs(p.y) <= 1e7 }

  /// Whether samples i…j of a polyline lie within 0.1 mm of the chord from i to j.
  static func straight(_ points: [SIMD2<Double>], from i: Int, to j: Int) -> Bool {
    let d = points[j] - points[i]
    let len = (d.x * d.x + d.y * d.y).squareRoot()
    guard len > 0 else { return false }
    for k in (i + 1)..<j {
      let w = points[k] - points[i]
      let along = (w.x * d.x + w.y * d.y) / len
      guard along > 0, along < len, abs(cross(d, w)) / len <= 1e-4 else { return false }
    }
    return true
  }

  @inline(__always) static func cross(_ u: SIMD2<Double>, _ v: SIMD2<Double>) -> Double { u.x * v.y - u.y * v.x }

  @inline(__always) func contains(_ q: Quad, _ p: SIMD2<Double>) -> Bool {
    let c1 = LaneIndex.cross(q.b - q.a, p - q.a)
    let c2 = LaneIndex.cross(q.c - q.b, p - q.b)
    let c3 = LaneIndex.cross(q.d - q.c, p - q.c)
    let c4 = LaneIndex.cross(q.a - q.d, p - q.d)
    return (c1 >= 0 && c2 >= 0 && c3 >= 0 && c4 >= 0) || (c1 <= 0 && c2 <= 0 && c3 <= 0 && c4 <= 0)
  }

  /// The lane whose area holds `point` (lanes touching at a border: the first in lane order).
  public func lane(containing point: SIMD2<Double>, _ filter: LaneFilter = .any) -> LaneHit? {
    let gx = (point.x - origin.x) / cellSize
    let gy = (point.y - origin.y) / cellSize
    guard gx >= 0, gy >= 0, gx < Double(columns), gy < Double(rows) else { return nil }
    let c = Int(gy) * columns + Int(gx)
    var best: Int?
    for j in Int(cellStart[c])..<Int(cellStart[c + 1]) {
      let k = Int(items[j])
      if let b = best, b < k { continue }
      let q = quads[k]
      guard q.hasArea, point.x >= q.minX, point.x <= q.maxX, point.y >= q.minY, point.y <= q.maxY else { continue }
      guard contains(q, point), filter == .any || filter.accepts(laneTypes[Int(q.lane)]) else { continue }
      best = k
    }
    guard let k = best else { return nil }
    let q = quads[k]
    let d = q.q - q.p
    let len2 = d.x * d.x + d.y * d.y
    let f = len2 > 0 ? min(max(((point - q.p).x * d.x + (point - q.p).y * d.y) / len2, 0), 1) : 0
    return LaneHit(lane: Int(q.lane), s: q.s0 + (q.s1 - q.s0) * f, distance: 0, heading: q.heading)
  }

  func hit(span k: Int, _ point: SIMD2<Double>) -> LaneHit {
    let span = spans[k]
    let (d2, f) = span.distance2(point)
    return LaneHit(lane: Int(span.lane), s: span.s0 + (span.s1 - span.s0) * f, distance: d2.squareRoot(), heading: span.heading)
  }

  /// The lane whose centre line passes nearest `point`, within `maxDistance` metres (ties: the
  /// first span in lane order).
  public func nearestLane(to point: SIMD2<Double>, _ filter: LaneFilter = .any, maxDistance: Double = 100) -> LaneHit? {
    guard point.x.isFinite, point.y.isFinite, maxDistance >= 0 else { return nil }
    let gx = (point.x - origin.x) / cellSize
    let gy = (point.y - origin.y) / cellSize
    if filter == .any, gx >= 0, gy >= 0, gx < Double(columns), gy < Double(rows), !spans.isEmpty {
      let x = Int(gx), y = Int(gy), side = LaneIndex.tileSide
      let tile = nearestCandidates(tileX: x / side, tileY: y / side)
      let c = (y % side) * side + x % side
      var best = -1
      var bestD2 = Double.infinity
      for j in Int(tile.start[c])..<Int(tile.start[c + 1]) {
        let k = Int(tile.items[j])
        let d2 = spans[k].distance2(point).0
        if d2 < bestD2 {
          bestD2 = d2
          best = k
        }
      }
      guard best >= 0, bestD2 <= maxDistance * maxDistance else { return nil }
      return hit(span: best, point)
    }
    return ringSearch(point, filter, maxDistance: maxDistance).map { hit(span: $0.k, point) }
  }

  /// Nearest span by searching rings of cells outwards from the point's cell.
  func ringSearch(_ point: SIMD2<Double>, _ filter: LaneFilter, maxDistance: Double, firstRing: Int = 0) -> (k: Int, d: Double)? {
    guard point.x.isFinite, point.y.isFinite, maxDistance >= 0 else { return nil }
    // Nothing to find when the grid's box is further than maxDistance.
    let far = SIMD2(Double(columns), Double(rows)) * cellSize + origin
    let outside = pointwiseMax(pointwiseMax(origin - point, point - far), .zero)
    guard (outside * outside).sum() <= maxDistance * maxDistance else { return nil }
    let bound = Double(columns + rows + 2)
    let gx = Int(min(max(((point.x - origin.x) / cellSize).rounded(.down), -bound), bound))
    let gy = Int(min(max(((point.y - origin.y) / cellSize).rounded(.down), -bound), bound))
    var best: (k: Int, d: Double)?
    let maxRing = Int(min((maxDistance / cellSize).rounded(.up), bound)) + 1
    var ring = max(firstRing, 0)
    while ring <= maxRing {
      LaneIndex.forEachCell(ring: ring, gx, gy, columns: columns, rows: rows) { c in
        for j in Int(spanStart[c])..<Int(spanStart[c + 1]) {
          let k = Int(spanItems[j])
          guard filter == .any || filter.accepts(laneTypes[Int(spans[k].lane)]) else { continue }
          let d = spans[k].distance(point)
          if d <= maxDistance, best.map({ d < $0.d || (d == $0.d && k < $0.k) }) ?? true { best = (k, d) }
        }
      }
      // Every span within ring·cellSize of the point lies in the rings searched so far.
      if let b = best, b.d <= Double(ring) * cellSize { break }
      ring += 1
    }
    return best
  }

  /// Calls `body` with each in-grid cell at Chebyshev distance `ring` from (gx, gy).
  /// (Static, with the grid's size passed in: a method would copy the index, retaining each of
  /// its arrays, on every call of a debug build.)
  @inline(__always) static func forEachCell(ring: Int, _ gx: Int, _ gy: Int, columns: Int, rows: Int,
                                            _ body: (Int) -> Void)
  {
    for y in (gy - ring)...(gy + ring) where y >= 0 && y < rows {
      let edgeRow = y == gy - ring || y == gy + ring
      var x = gx - ring
      while x <= gx + ring {
        if x >= 0 && x < columns { body(y * columns + x) }
        if ring == 0 { break }
        x += edgeRow ? 1 : 2 * ring
      }
    }
  }

  /// For every cell of tile (tx, ty), the spans that can be nearest to some point of it: those
  /// whose distance to the cell (exact, segment to box) is at most U, the smallest over all
  /// spans of the largest distance from a corner of the cell. (The nearest span of any point
  /// of the cell is within U of it: the span that gives U is.)
  ///
  /// The same rule holds for any box, and a box's list can be cut from the list of any box
  /// holding it: a span kept for the inner box is within U of it, so within the outer box's U
  /// of the outer box (a segment's distance is convex, so its largest over the inner box is at
  /// most its largest over the outer box's corners), and the span that gives the inner U is
  /// kept by the outer box too. So the tile gathers its list, then quarters itself down to
  /// single cells, each quarter cutting its parent's list; the cells' lists are the same as
  /// measuring every span, at a fraction of the cost. The tile's U_t comes from the span nearest its centre
  /// (distance D): every span within U_t ≤ D + h of the tile (h half its
  /// diagonal) is within D + 2h of the centre, gathered from the cells of that square or, when
  /// the square holds more cells than there are spans, from every span.
  func buildNearestCandidates(tileX tx: Int, tileY ty: Int) -> TileLists {
    let side = LaneIndex.tileSide
    let x0 = tx * side, y0 = ty * side
    let x1 = min(x0 + side, columns), y1 = min(y0 + side, rows)
    var start = [Int32](repeating: 0, count: side * side + 1)
    guard !spans.isEmpty, x0 < x1, y0 < y1 else { return TileLists(start: start, items: []) }
    let tileLo = origin + SIMD2(Double(x0), Double(y0)) * cellSize
    let tileHi = origin + SIMD2(Double(x1), Double(y1)) * cellSize
    let tileCentre = (tileLo + tileHi) / 2
    let tileHalf = ((tileHi - tileLo) * (tileHi - tileLo)).sum().squareRoot() / 2

    // Every span within D + 2h of the tile's centre (the tile's list is cut from these).
    // D by a ring search a few tiles wide; past that (a tile far out in a mostly empty
    // extent), by measuring every span: a ring search's cost grows with the square of the
    // rings it has to search.
    let probe = Double(4 * side) * cellSize
    let nearestD = ringSearch(tileCentre, .any, maxDistance: probe)?.d
      ?? spans.reduce(Double.infinity) { min($0, $1.distance(tileCentre)) }
    var gathered: [Int] = []
    if nearestD.isFinite {
      let reach = nearestD + 2 * tileHalf
      let cx0 = max(Int(((tileCentre.x - reach - origin.x) / cellSize).rounded(.down)), 0)
      let cx1 = min(Int(((tileCentre.x + reach - origin.x) / cellSize).rounded(.down)), columns - 1)
      let cy0 = max(Int(((tileCentre.y - reach - origin.y) / cellSize).rounded(.down)), 0)
      let cy1 = min(Int(((tileCentre.y + reach - origin.y) / cellSize).rounded(.down)), rows - 1)
      if cx0 <= cx1, cy0 <= cy1, (cx1 - cx0 + 1) * (cy1 - cy0 + 1) < spans.count {
        var seen = Set<Int>()
        for y in cy0...cy1 {
          for x in cx0...cx1 {
            let cell = y * columns + x
            for j in Int(spanStart[cell])..<Int(spanStart[cell + 1]) {
              let k = Int(spanItems[j])
              if spans[k].distance(tileCentre) <= reach, seen.insert(k).inserted { gathered.append(k) }
            }
          }
        }
        gathered.sort()
      } else {
        gathered = spans.indices.filter { spans[$0].distance(tileCentre) <= reach }
      }
    }
    // Each cell's list from the tile's: quarter the box, each quarter cutting its parent's
    // list the same way (the argument above holds for any box inside another), down to cells.
    var lists = [[Int32]](repeating: [], count: side * side)
    func refine(_ bx0: Int, _ bx1: Int, _ by0: Int, _ by1: Int, _ pool: [Int]) {
      let lo = origin + SIMD2(Double(bx0), Double(by0)) * cellSize
      let hi = origin + SIMD2(Double(bx1), Double(by1)) * cellSize
      let corners = [lo, SIMD2(hi.x, lo.y), SIMD2(lo.x, hi.y), hi]
      var upper = Double.infinity
      for k in pool {
        var worst = 0.0
        for corner in corners { worst = max(worst, spans[k].distance(corner)) }
        upper = min(upper, worst)
      }
      let kept = pool.filter { LaneIndex.segmentBoxDistance(spans[$0], lo, hi, corners) <= upper }
      if bx1 - bx0 == 1 && by1 - by0 == 1 {
        lists[(by0 - y0) * side + (bx0 - x0)] = kept.map { Int32($0) }
        return
      }
      let mx = bx1 - bx0 > 1 ? (bx0 + bx1) / 2 : bx1
      let my = by1 - by0 > 1 ? (by0 + by1) / 2 : by1
      for (ya, yb) in [(by0, my), (my, by1)] where ya < yb {
        for (xa, xb) in [(bx0, mx), (mx, bx1)] where xa < xb { refine(xa, xb, ya, yb, kept) }
      }
    }
    refine(x0, x1, y0, y1, gathered)
    var list: [Int32] = []
    for c in 0..<(side * side) {
      list.append(contentsOf: lists[c])
      start[c + 1] = Int32(list.count)
    }
    return TileLists(start: start, items: list)
  }

  /// Distance between a span and an axis-aligned box (0 when they meet): when apart, the
  /// closest pair has an end of the span or a corner of the box in it.
  static func segmentBoxDistance(_ s: Span, _ lo: SIMD2<Double>, _ hi: SIMD2<Double>, _ corners: [SIMD2<Double>]) -> Double {
    // Liang–Barsky: does p + t·d, t in [0, 1], enter the box?
    var t0 = 0.0
    var t1 = 1.0
    var meets = true
    for axis in 0..<2 {
      let p = s.p[axis]
      let d = s.d[axis]
      if d == 0 {
        if p < lo[axis] || p > hi[axis] { meets = false }
      } else {
        var a = (lo[axis] - p) / d
        var b = (hi[axis] - p) / d
        if a > b { swap(&a, &b) }
        t0 = max(t0, a)
        t1 = min(t1, b)
        if t0 > t1 { meets = false }
      }
    }
    if meets { return 0 }
    func pointBox(_ x: SIMD2<Double>) -> Double {
      let e = pointwiseMax(pointwiseMax(lo - x, x - hi), .zero)
      return (e.x * e.x + e.y * e.y).squareRoot()
    }
    var best = min(pointBox(s.p), pointBox(s.p + s.d))
    for corner in corners { best = min(best, s.distance(corner)) }
    return best
  }

  /// The road-direction field: the heading of travel of the (drivable, else any) lane holding
  /// `point`, or of the nearest lane within `maxDistance`; nil far from every lane.
  public func direction(at point: SIMD2<Double>, maxDistance: Double = 50) -> Double? {
    if let hit = lane(containing: point, .drivable) ?? lane(containing: point) { return hit.heading }
    return nearestLane(to: point, maxDistance: maxDistance)?.heading
  }
}
