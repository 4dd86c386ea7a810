import ScnGeometry

/// The lanes of every road or lane region a scenario defines, as centre lines that
/// `follow_lane` can track, in both directions.
struct LaneNetwork: Sendable {
  struct Lane: Sendable {
    let forward: LanePath
    let backward: LanePath
    let halfWidth: Double
  }

  let lanes: [Lane]

  /// Collects `road(...)` and `lane(...)` regions from the definitions' values (in
  /// definition order; a road band holding several lanes gives each of them).
  init(definitions: [Value?]) {
    var lanes: [Lane] = []
    func visit(_ v: Value) {
      switch v {
      case .region(.road(let shape, let lateral)) where shape.sidewalk == nil:
        let laneWidth = shape.width / Double(max(shape.lanes, 1))
        guard laneWidth > 0 else { return }
        let count = max(1, Int(((lateral.upperBound - lateral.lowerBound) / laneWidth).rounded()))
        for k in 0..<count {
          let centre = lateral.lowerBound + (Double(k) + 0.5) * laneWidth
          if let (f, b) = Self.centreLines(shape, lateral: centre) {
            lanes.append(Lane(forward: f, backward: b, halfWidth: laneWidth / 2))
          }
        }
      case .list(let xs), .tuple(let xs):
        for x in xs { visit(x) }
      default: break
      }
    }
    for case let v? in definitions { visit(v) }
    self.lanes = lanes
  }

  /// The road's reference line shifted `lateral` to the left, as exact straights and arcs,
  /// driven forward and backward; nil when an arc is too tight for the offset.
  static func centreLines(_ shape: RoadShape, lateral d: Double) -> (LanePath, LanePath)? {
    guard let first = shape.segments.first else { return nil }
    var forward = LanePath.Builder(
      start: RoadShape.point(origin: first.origin, heading: first.heading, curvature: first.curvature, station: 0, lateral: d),
      heading: first.heading)
    for seg in shape.segments {
      if seg.curvature == 0 {
        forward.straight(seg.length)
      } else {
        let radius = abs(1 / seg.curvature - d)
        guard radius > 1e-6, (1 / seg.curvature - d) * seg.curvature > 0 else { return nil }
        forward.arc(radius: radius, angle: seg.curvature * seg.length)
      }
    }
    var backward = LanePath.Builder(start: forward.position, heading: forward.heading + .pi)
    for seg in shape.segments.reversed() {
      if seg.curvature == 0 {
        backward.straight(seg.length)
      } else {
        backward.arc(radius: abs(1 / seg.curvature - d), angle: -seg.curvature * seg.length)
      }
    }
    guard let f = forward.build(), let b = backward.build() else { return nil }
    return (f, b)
  }

  /// The centre line of the lane the point lies in (nearest centre line, within half a lane
  /// width plus 0.5 m), oriented along `heading`; nil when no lane is under the point.
  func lane(at p: Vec3, heading: Double) -> LanePath? {
    var best: (distance: Double, path: LanePath)?
    for lane in lanes {
      let projection = lane.forward.closestPoint(to: p)
      guard projection.distance <= lane.halfWidth + 0.5 else { continue }
      if let b = best, b.distance <= projection.distance { continue }
      let tangent = lane.forward.tangent(atArcLength: projection.arcLength)
      let along = tangent.x * heading.cosine + tangent.y * heading.sine
      best = (projection.distance, along >= 0 ? lane.forward : lane.backward)
    }
    return best?.path
  }
}
