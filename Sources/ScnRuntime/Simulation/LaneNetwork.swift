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
      case .region(.road(let shape, let lateral)):
        let laneWidth = shape.width / Double(max(shape.lanes, 1))
        guard laneWidth > 0 else { return }
        let count = max(1, Int(((lateral.upperBound - lateral.lowerBound) / laneWidth).rounded()))
        for k in 0..<count {
          let centre = lateral.lowerBound + (Double(k) + 0.5) * laneWidth
          let points = Self.centreLine(shape, lateral: centre)
          if let f = LanePath.polyline(points), let b = LanePath.polyline(points.reversed()) {
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

  /// Points along the road at a lateral offset: segment ends, and every metre or less on arcs.
  static func centreLine(_ shape: RoadShape, lateral: Double) -> [Vec3] {
    var points: [Vec3] = []
    for (i, seg) in shape.segments.enumerated() {
      let pieces = seg.curvature == 0 ? 1 : max(2, Int((seg.length).rounded(.up)))
      for j in (i == 0 ? 0 : 1)...pieces {
        let station = seg.length * Double(j) / Double(pieces)
        points.append(RoadShape.point(origin: seg.origin, heading: seg.heading, curvature: seg.curvature, station: station,
                                      lateral: lateral))
      }
    }
    return points
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
