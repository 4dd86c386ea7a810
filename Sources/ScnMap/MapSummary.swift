/// What a road network holds, in numbers: for `scn map`.
public struct MapSummary: Sendable, Hashable {
  public var roads: Int
  /// Roads that belong to a junction (connecting roads).
  public var connectingRoads: Int
  public var junctions: Int
  /// Sum of the reference-line lengths of all roads, metres.
  public var totalLength: Double
  /// Per lane type: how many lanes (one per lane section) and their centre-line length.
  public var lanesByType: [(type: String, count: Int, length: Double)]
  public var signals: Int
  public var objects: Int
  /// Lower-left and upper-right corners of the lanes, in the local frame (points beyond
  /// 10,000 km, from runaway width polynomials, left out).
  public var bounds: (min: SIMD2<Double>, max: SIMD2<Double>)

  public init(_ lanes: LaneNetwork) {
    let network = lanes.network
    roads = network.roads.count
    connectingRoads = network.roads.filter { $0.junction != nil }.count
    junctions = network.junctions.count
    totalLength = network.roads.map(\.length).reduce(0, +)
    var byType: [String: (Int, Double)] = [:]
    var lo = SIMD2<Double>(repeating: .infinity)
    var hi = SIMD2<Double>(repeating: -.infinity)
    for lane in lanes.lanes {
      let key = lane.type.description
      let entry = byType[key] ?? (0, 0)
      byType[key] = (entry.0 + 1, entry.1 + lane.length)
      for p in lane.inner + lane.outer where abs(p.x) <= 1e7 && abs(p.y) <= 1e7 {
        lo = pointwiseMin(lo, p)
        hi = pointwiseMax(hi, p)
      }
    }
    lanesByType = byType.map { (type: $0.key, count: $0.value.0, length: $0.value.1) }
      .sorted { $0.count != $1.count ? $0.count > $1.count : $0.type < $1.type }
    signals = network.roads.map(\.signals.count).reduce(0, +)
    objects = network.roads.map(\.objects.count).reduce(0, +)
    bounds = lo.x.isFinite ? (lo, hi) : (.zero, .zero)
  }

  public static func == (l: MapSummary, r: MapSummary) -> Bool {
    l.roads == r.roads && l.connectingRoads == r.connectingRoads && l.junctions == r.junctions
      && l.totalLength == r.totalLength && l.signals == r.signals && l.objects == r.objects
      && l.lanesByType.map(\.type) == r.lanesByType.map(\.type) && l.lanesByType.map(\.count) == r.lanesByType.map(\.count)
      && l.bounds.min == r.bounds.min && l.bounds.max == r.bounds.max
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(roads)
    hasher.combine(junctions)
    hasher.combine(totalLength)
  }
}
