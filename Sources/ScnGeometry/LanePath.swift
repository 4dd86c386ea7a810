/// A lane centre line on the ground: a chain of straight and circular-arc segments in the
/// x-y plane at a constant `elevation`. Queries ignore the z of their argument and return
/// points at `elevation`, so a lane can be followed by anything moving on the ground.
///
/// Arc length `s` runs from 0 at the start of the first segment to `length` at the end of
/// the last. Segments need not touch; queries treat each one on its own and arc length
/// simply continues from one to the next.
public struct LanePath: Hashable, Sendable {
  /// One piece of the centre line.
  public enum Segment: Hashable, Sendable {
    /// A straight piece from `start` to `end` (z ignored).
    case line(start: Vec3, end: Vec3)
    /// A circular arc around `center` (z ignored) of `radius` metres, starting at angle
    /// `startAngle` (radians, counter-clockwise from +x) and turning by `sweep` radians;
    /// a positive sweep turns left (counter-clockwise), a negative one right.
    case arc(center: Vec3, radius: Double, startAngle: Double, sweep: Double)
  }

  /// The pieces in driving order.
  public let segments: [Segment]
  public let elevation: Double
  /// Arc length at the start of each segment, plus the total at the end.
  public let cumulativeLengths: [Double]

  /// Builds a lane from its segments; `nil` when there are none, or one is degenerate
  /// (zero length, non-positive radius) or not finite.
  public init?(segments: [Segment], elevation: Double = 0) {
    guard !segments.isEmpty, elevation.isFinite else { return nil }
    var cumulative: [Double] = [0]
    cumulative.reserveCapacity(segments.count + 1)
    for segment in segments {
      let len = LanePath.length(of: segment)
      guard len.isFinite, len > 0 else { return nil }
      cumulative.append((cumulative.last ?? 0) + len)
    }
    self.segments = segments
    self.elevation = elevation
    self.cumulativeLengths = cumulative
  }

  /// A polyline through `points` (at least two, consecutive ones distinct), at the
  /// elevation of the first point.
  public static func polyline(_ points: [Vec3]) -> LanePath? {
    guard points.count >= 2 else { return nil }
    var segs: [Segment] = []
    for i in 0..<(points.count - 1) { segs.append(.line(start: points[i], end: points[i + 1])) }
    return LanePath(segments: segs, elevation: points[0].z)
  }

  /// Total arc length in metres.
  @inlinable public var length: Double { cumulativeLengths.last ?? 0 }

  /// True when the end meets the start (within 1 mm), so arc length wraps around.
  public var isClosed: Bool {
    let a = point(atArcLength: 0)
    let b = point(atArcLength: length)
    return (a - b).length < 1e-3
  }

  /// The point at arc length `s`. Beyond either end the lane continues straight along its
  /// end tangent, which lets a follower look ahead past the end without special cases.
  public func point(atArcLength s: Double) -> Vec3 {
    if s < 0 {
      let start = evaluate(segment: 0, localS: 0)
      return start.point + start.tangent * s
    }
    let last = segments.count - 1
    if s > length {
      let end = evaluate(segment: last, localS: cumulativeLengths[last + 1] - cumulativeLengths[last])
      return end.point + end.tangent * (s - length)
    }
    let i = segmentIndex(containing: s)
    return evaluate(segment: i, localS: s - cumulativeLengths[i]).point
  }

  /// The unit tangent (direction of travel) at arc length `s`, clamped to the ends.
  public func tangent(atArcLength s: Double) -> Vec3 {
    let clamped = Swift.min(Swift.max(s, 0), length)
    let i = segmentIndex(containing: clamped)
    return evaluate(segment: i, localS: clamped - cumulativeLengths[i]).tangent
  }

  /// Signed curvature (1/m, positive turning left) at arc length `s`.
  public func curvature(atArcLength s: Double) -> Double {
    let clamped = Swift.min(Swift.max(s, 0), length)
    switch segments[segmentIndex(containing: clamped)] {
    case .line: return 0
    case .arc(_, let radius, _, let sweep): return sweep >= 0 ? 1 / radius : -1 / radius
    }
  }

  /// The nearest point of the lane to `p` (z ignored). Ties go to the earlier segment so
  /// the answer is deterministic.
  public func closestPoint(to p: Vec3) -> LaneProjection {
    var best = LaneProjection(arcLength: 0, point: .zero, distance: .infinity, lateralOffset: 0)
    for i in segments.indices {
      let localS = closestLocalArcLength(segment: i, to: p)
      let e = evaluate(segment: i, localS: localS)
      let delta = Vec3(p.x - e.point.x, p.y - e.point.y, 0)
      let dist = delta.length
      if dist < best.distance {
        // Left of the direction of travel is positive, matching y-left.
        let lateral = e.tangent.x * delta.y - e.tangent.y * delta.x
        best = LaneProjection(
          arcLength: cumulativeLengths[i] + localS, point: e.point, distance: dist, lateralOffset: lateral)
      }
    }
    return best
  }

  // MARK: - Per-segment evaluation

  @usableFromInline static func length(of segment: Segment) -> Double {
    switch segment {
    case .line(let a, let b): return Vec3(b.x - a.x, b.y - a.y, 0).length
    case .arc(let c, let r, let a0, let sweep):
      guard r > 0, c.x.isFinite, c.y.isFinite, a0.isFinite else { return .nan }
      return r * abs(sweep)
    }
  }

  /// Index of the segment holding arc length `s` (binary search over the prefix sums).
  func segmentIndex(containing s: Double) -> Int {
    var lo = 0
    var hi = segments.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if cumulativeLengths[mid] <= s { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  func evaluate(segment i: Int, localS: Double) -> (point: Vec3, tangent: Vec3) {
    switch segments[i] {
    case .line(let a, let b):
      let d = Vec3(b.x - a.x, b.y - a.y, 0)
      let len = d.length
      let t = d / len
      return (Vec3(a.x, a.y, elevation) + t * localS, t)
    case .arc(let c, let r, let a0, let sweep):
      let dir: Double = sweep >= 0 ? 1 : -1
      let angle = a0 + dir * localS / r
      let (cs, sn) = (angle.cosine, angle.sine)
      return (Vec3(c.x + r * cs, c.y + r * sn, elevation), Vec3(-sn * dir, cs * dir, 0))
    }
  }

  func closestLocalArcLength(segment i: Int, to p: Vec3) -> Double {
    switch segments[i] {
    case .line(let a, let b):
      let d = Vec3(b.x - a.x, b.y - a.y, 0)
      let len2 = d.lengthSquared
      let t = Swift.min(Swift.max(Vec3(p.x - a.x, p.y - a.y, 0).dot(d) / len2, 0), 1)
      return t * len2.squareRoot()
    case .arc(let c, let r, let a0, let sweep):
      let total = r * abs(sweep)
      let dx = p.x - c.x
      let dy = p.y - c.y
      // At the centre every point is equally near; the start is a deterministic answer.
      guard dx != 0 || dy != 0 else { return 0 }
      let dir: Double = sweep >= 0 ? 1 : -1
      // Angle travelled from the start, in [0, 2π).
      var travelled = (atan2Double(dy, dx) - a0) * dir
      travelled = travelled.truncatingRemainder(dividingBy: 2 * .pi)
      if travelled < 0 { travelled += 2 * .pi }
      let s = travelled * r
      if s <= total { return s }
      // Outside the swept range: the nearer end wins.
      let startPoint = evaluate(segment: i, localS: 0).point
      let endPoint = evaluate(segment: i, localS: total).point
      let flat = Vec3(p.x, p.y, elevation)
      return (flat - startPoint).lengthSquared <= (flat - endPoint).lengthSquared ? 0 : total
    }
  }
}

/// Where a point projects onto a lane.
public struct LaneProjection: Hashable, Sendable {
  /// Arc length of the nearest lane point.
  public var arcLength: Double
  /// The nearest lane point (at the lane's elevation).
  public var point: Vec3
  /// Horizontal distance from the query point to `point`.
  public var distance: Double
  /// Signed horizontal offset: positive when the query point lies left of the lane.
  public var lateralOffset: Double

  public init(arcLength: Double, point: Vec3, distance: Double, lateralOffset: Double) {
    self.arcLength = arcLength
    self.point = point
    self.distance = distance
    self.lateralOffset = lateralOffset
  }
}

extension LanePath {
  /// Builds a connected lane piece by piece from a start pose, the way road layouts are
  /// usually described ("30 m straight, then a 90° left turn of radius 20 m").
  public struct Builder: Sendable {
    public private(set) var segments: [Segment] = []
    public private(set) var position: Vec3
    public private(set) var heading: Double

    public init(start: Vec3, heading: Double) {
      self.position = start
      self.heading = heading
    }

    /// Appends a straight piece of `length` metres along the current heading.
    public mutating func straight(_ length: Double) {
      let end = position + Vec3(heading.cosine, heading.sine, 0) * length
      segments.append(.line(start: position, end: end))
      position = end
    }

    /// Appends an arc of `radius` metres turning by `angle` radians (positive: left).
    public mutating func arc(radius: Double, angle: Double) {
      let side: Double = angle >= 0 ? 1 : -1
      // The centre sits `radius` to the left (or right) of the current heading.
      let center = position + Vec3(-heading.sine, heading.cosine, 0) * (radius * side)
      let startAngle = heading - side * .pi / 2
      segments.append(.arc(center: center, radius: radius, startAngle: startAngle, sweep: angle))
      heading += angle
      let endAngle = startAngle + angle
      position = Vec3(center.x + radius * endAngle.cosine, center.y + radius * endAngle.sine, position.z)
    }

    /// The finished lane, or `nil` if nothing valid was added.
    public func build() -> LanePath? { LanePath(segments: segments, elevation: segments.isEmpty ? 0 : position.z) }
  }
}
