import Foundation

/// A top-down picture of a lane network: lanes filled by type, road marks as the file gives
/// them, and arrows along the drivable lanes in their direction of travel. North (+y) is up. Pure pixels (8-bit RGB,
/// rows top to bottom); encoding to PNG is the caller's business.
public struct MapRaster: Sendable {
  public let width: Int
  public let height: Int
  public var pixels: [UInt8]
  /// World point of the image's lower-left corner and metres per pixel.
  public let origin: SIMD2<Double>
  public let metresPerPixel: Double

  /// The longest side is capped at this many pixels (the scale shrinks to fit).
  public static let maximumSide = 8192

  /// `maximumSide` caps the longest side below the default (1 to 8192), e.g. for a preview
  /// or a fuzz harness that must stay fast under a sanitizer.
  public init(_ lanes: LaneNetwork, pixelsPerMetre requested: Double = 2, margin: Double = 5, maximumSide: Int = MapRaster.maximumSide) {
    let side = Double(min(max(maximumSide, 1), MapRaster.maximumSide))
    let summary = MapSummary(lanes)
    let lo = summary.bounds.min - SIMD2(margin, margin)
    let hi = summary.bounds.max + SIMD2(margin, margin)
    let extent = pointwiseMax(hi - lo, SIMD2(1, 1))
    var ppm = max(min(requested, 100), 0.01)
    if max(extent.x, extent.y) * ppm > side {
      ppm = side / max(extent.x, extent.y)
    }
    width = max(1, Int((extent.x * ppm).rounded(.up)))
    height = max(1, Int((extent.y * ppm).rounded(.up)))
    origin = lo
    metresPerPixel = 1 / ppm
    pixels = [UInt8](repeating: 0, count: width * height * 3)
    for i in 0..<(width * height) {
      pixels[3 * i] = 34
      pixels[3 * i + 1] = 48
      pixels[3 * i + 2] = 34
    }
    // Wide lanes first, so that kerb-side lanes (sidewalks) never hide a carriageway.
    for lane in lanes.lanes where !lane.type.isDrivable { fill(lane) }
    for lane in lanes.lanes where lane.type.isDrivable { fill(lane) }
    for lane in lanes.lanes { roadMarks(lane, network: lanes.network) }
    for lane in lanes.lanes where lane.type.isDrivable { arrows(lane) }
  }

  public static func color(_ type: LaneType) -> (UInt8, UInt8, UInt8) {
    switch type {
    case .sidewalk, .walking: (170, 165, 150)
    case .shoulder, .border, .curb: (110, 105, 95)
    case .parking: (90, 90, 120)
    case .biking: (150, 80, 70)
    case .median: (60, 110, 60)
    case .none: (60, 60, 60)
    default: type.isDrivable ? (70, 70, 74) : (100, 100, 100)
    }
  }

  @inline(__always) private func pixel(_ p: SIMD2<Double>) -> SIMD2<Double> {
    SIMD2((p.x - origin.x) / metresPerPixel, Double(height) - (p.y - origin.y) / metresPerPixel)
  }

  private mutating func set(_ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let i = 3 * (y * width + x)
    pixels[i] = c.0
    pixels[i + 1] = c.1
    pixels[i + 2] = c.2
  }

  private mutating func fill(_ lane: MapLane) {
    let c = MapRaster.color(lane.type)
    let n = min(lane.inner.count, lane.outer.count)
    guard n >= 2 else { return }
    for i in 0..<(n - 1) {
      let corners = [lane.inner[i], lane.outer[i], lane.outer[i + 1], lane.inner[i + 1]]
      guard corners.allSatisfy(LaneIndex.sane) else { continue }
      let quad = corners.map(pixel)
      let x0 = max(Int(quad.map(\.x).min() ?? 0), 0)
      let x1 = min(Int((quad.map(\.x).max() ?? 0).rounded(.up)), width - 1)
      let y0 = max(Int(quad.map(\.y).min() ?? 0), 0)
      let y1 = min(Int((quad.map(\.y).max() ?? 0).rounded(.up)), height - 1)
      guard x0 <= x1, y0 <= y1 else { continue }
      for y in y0...y1 {
        // Only the pixels near the row's span inside the quad are tested: the work is the
        // quad's rows plus its area, not its bounding box (a lane tens of kilometres wide
        // drawn on a slant has a box of the whole picture for every strip of a few pixels).
        guard let (from, to) = MapRaster.rowSpan(quad, y: Double(y) + 0.5, x0: x0, x1: x1) else { continue }
        for x in from...to {
          let p = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
          var positive = true
          var negative = true
          for k in 0..<4 {
            let a = quad[k]
            let b = quad[(k + 1) % 4]
            let cr = LaneIndex.cross(b - a, p - a)
            if cr < 0 { positive = false }
            if cr > 0 { negative = false }
          }
          if positive || negative { set(x, y, c) }
        }
      }
    }
  }

  /// The columns `x0...x1` of row centre `y` that may lie inside `quad` (all edges' cross
  /// products ≥ 0, or all ≤ 0), widened by a pixel on each side so that the exact test above
  /// decides every pixel it would have decided over the whole row; nil when none can.
  /// Each edge's cross product is linear in the pixel centre's x: c − d·x.
  static func rowSpan(_ quad: [SIMD2<Double>], y: Double, x0: Int, x1: Int) -> (Int, Int)? {
    guard quad.count == 4 else { return nil }
    // The columns where every edge's sign·(c − d·x) ≥ 0, for sign +1 and −1 (no allocation:
    // this runs once per row of every lane strip).
    func span(_ sign: Double) -> (Double, Double) {
      var lo = -Double.infinity
      var hi = Double.infinity
      for k in 0..<4 {
        let a = quad[k]
        let u = quad[(k + 1) & 3] - a
        let c = sign * (u.x * (y - a.y) + u.y * a.x)
        let d = sign * u.y
        if d > 0 {
          hi = min(hi, c / d)
        } else if d < 0 {
          lo = max(lo, c / d)
        } else if c < 0 {
          lo = Double.infinity  // an edge parallel to the row with the row outside: empty
          hi = -Double.infinity
        }
      }
      return (lo, hi)
    }
    let p = span(1)
    let n = span(-1)
    let pOK = p.0 <= p.1
    let nOK = n.0 <= n.1
    guard pOK || nOK else { return nil }
    let lo = pOK && nOK ? min(p.0, n.0) : (pOK ? p.0 : n.0)
    let hi = pOK && nOK ? max(p.1, n.1) : (pOK ? p.1 : n.1)
    // Pixel x has its centre at x + 0.5; one pixel of slack on each side for rounding.
    let first = lo.isFinite ? max(Double(x0), min(Double(x1) + 1, (lo - 0.5).rounded(.down) - 1)) : Double(x0)
    let last = hi.isFinite ? min(Double(x1), max(Double(x0) - 1, (hi - 0.5).rounded(.up) + 1)) : Double(x1)
    guard first <= last else { return nil }
    return (Int(first), Int(last))
  }


  private mutating func line(_ p: SIMD2<Double>, _ q: SIMD2<Double>, color: (UInt8, UInt8, UInt8)) {
    guard LaneIndex.sane(p), LaneIndex.sane(q) else { return }
    let a = pixel(p)
    let b = pixel(q)
    let span = max(abs(b.x - a.x), abs(b.y - a.y)).rounded(.up)
    guard span < 100_000 else { return }
    let steps = Int(span)
    for i in 0...max(steps, 1) {
      let t = Double(i) / Double(max(steps, 1))
      let r = a + (b - a) * t
      set(Int(r.x), Int(r.y), color)
    }
  }

  /// The lane's road marks along its outer border, and the centre lane's along the inner border
  /// of lane −1 (or 1 where the right side is empty): solid marks as lines, broken ones as 3 m
  /// dashes every 9 m, in white or yellow as the file says; `none` draws nothing.
  private mutating func roadMarks(_ lane: MapLane, network: RoadNetwork) {
    guard network.roads.indices.contains(lane.road), network.roads[lane.road].laneSections.indices.contains(lane.section)
    else { return }
    let section = network.roads[lane.road].laneSections[lane.section]
    let own = section.lane(id: lane.laneId)?.roadMarks ?? []
    draw(own, along: lane.outer, lane: lane, sectionStart: section.s)
    let carriesCentre = lane.laneId == -1 || (lane.laneId == 1 && section.right.isEmpty)
    if carriesCentre { draw(section.center.roadMarks, along: lane.inner, lane: lane, sectionStart: section.s) }
  }

  private mutating func draw(_ marks: [RoadMark], along border: [SIMD2<Double>], lane: MapLane, sectionStart: Double) {
    guard !marks.isEmpty else { return }
    let n = min(border.count, lane.s.count)
    guard n >= 2 else { return }
    for i in 0..<(n - 1) {
      let ds = (lane.s[i] + lane.s[i + 1]) / 2 - sectionStart
      guard let mark = marks.last(where: { $0.sOffset <= ds }) ?? marks.first else { continue }
      let type = mark.type.lowercased()
      guard type != "none", !type.isEmpty else { continue }
      if type.hasPrefix("broken") || type == "botts dots" {
        let phase = ((lane.s[i] + lane.s[i + 1]) / 2).truncatingRemainder(dividingBy: 9)
        guard phase < 3 else { continue }
      }
      let color: (UInt8, UInt8, UInt8) = mark.color == "yellow" || mark.color == "orange" ? (230, 190, 40) : (235, 235, 235)
      line(border[i], border[i + 1], color: color)
    }
  }

  /// A 3 m arrow every 10 m of centre line, pointing the way traffic goes.
  private mutating func arrows(_ lane: MapLane) {
    var travelled = 5.0
    for i in 0..<max(lane.centre.count - 1, 0) {
      let p = SIMD2(lane.centre[i].x, lane.centre[i].y)
      let q = SIMD2(lane.centre[i + 1].x, lane.centre[i + 1].y)
      let d = q - p
      let len = (d.x * d.x + d.y * d.y).squareRoot()
      travelled += len
      guard travelled >= 10, len > 0 else { continue }
      travelled = 0
      let h = lane.travelHeading(segment: i)
      let dir = SIMD2(cos(h), sin(h))
      let normal = SIMD2(-dir.y, dir.x)
      let mid = (p + q) / 2
      let tip = mid + dir * 1.5
      let color: (UInt8, UInt8, UInt8) = lane.junction == nil ? (240, 240, 240) : (240, 200, 60)
      line(mid - dir * 1.5, tip, color: color)
      line(tip, tip - dir * 0.8 + normal * 0.6, color: color)
      line(tip, tip - dir * 0.8 - normal * 0.6, color: color)
    }
  }
}
