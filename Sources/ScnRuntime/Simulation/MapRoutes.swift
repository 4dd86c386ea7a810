import ScnGeometry
import ScnMap

/// A route a vehicle drives on a map: the lanes it takes, as one centre-line polyline.
struct MapDrive: Sendable {
  let model: MapModel
  let route: LaneRoute
  let path: LanePath
  /// True for `follow_route` / `follow_waypoints`: the vehicle stops at the end and the action
  /// finishes there. False for `follow_lane` and `change_lane`, whose routes reach past the
  /// simulated time.
  let ends: Bool
}

/// Why a route cannot be built; the message completes "change_lane: …" and the like.
struct RouteRefusal: Error, Sendable {
  let message: String
  /// The argument the refusal is about (an index into the call's arguments), if any.
  let argument: Int?
  init(_ message: String, argument: Int? = nil) {
    self.message = message
    self.argument = argument
  }
}

/// `follow_lane` on the lanes of a map: from the lane under the vehicle (of the driving
/// lanes whose direction of travel is within 90° of the vehicle's heading), along its centre
/// line and on through its successors, taking at each lane end (a junction entry, say) the
/// successor a hash of the sample's draw key, the actor and the lane picks: random over
/// samples, but the same on every run and for any `--jobs`. Also the routes of `change_lane`,
/// `follow_route` and `follow_waypoints` (docs/stdlib.md, "Driving the network").
struct MapRoutes: Sendable {
  let maps: [MapModel]

  /// Collects the maps of `map(...)` values among the definitions (first-use order, each once).
  init(definitions: [Value?]) {
    var maps: [MapModel] = []
    func visit(_ v: Value) {
      switch v {
      case .region(.map(let m)):
        if !maps.contains(where: { $0 === m.model }) { maps.append(m.model) }
      case .list(let xs), .tuple(let xs):
        for x in xs { visit(x) }
      default: break
      }
    }
    for case let v? in definitions { visit(v) }
    self.maps = maps
  }

  /// The phase timing `signal_timing(...)` gave each map among the definitions (the first
  /// one met, in definition order, when several are given for one map).
  static func timings(definitions: [Value?]) -> [ObjectIdentifier: SignalTiming] {
    var out: [ObjectIdentifier: SignalTiming] = [:]
    func visit(_ v: Value) {
      switch v {
      case .region(.map(let m)):
        if let t = m.timing, out[ObjectIdentifier(m.model)] == nil { out[ObjectIdentifier(m.model)] = t }
      case .list(let xs), .tuple(let xs):
        for x in xs { visit(x) }
      default: break
      }
    }
    for case let v? in definitions { visit(v) }
    return out
  }

  /// How far ahead a route reaches: the distance the speed covers in `duration` (the whole
  /// simulated time) and 50 m more, within 100 m and 10 km.
  static func horizon(speed: Double, duration: Double) -> Double {
    let d = abs(speed) * (duration.isFinite ? duration : 0) + 50
    return min(max(d, 100), 10_000)
  }

  /// The driving lane under a vehicle at `position` heading `yaw` whose direction of travel
  /// best matches the heading (inside junctions several connecting lanes overlap), within 90°.
  static func lane(under position: Vec3, yaw: Double, in model: MapModel) -> LaneHit? {
    let hits = model.index.lanes(containing: SIMD2(position.x, position.y)).filter { hit in
      model.isDriving[hit.lane] && wrapAngle(hit.heading - yaw).cosine > 0
    }
    return hits.max(by: { wrapAngle($0.heading - yaw).cosine < wrapAngle($1.heading - yaw).cosine })
  }

  /// The route ahead of a vehicle at `position` heading `yaw`; nil when no driving lane of any
  /// map is under it going its way.
  func route(from position: Vec3, yaw: Double, speed: Double, duration: Double, seed: UInt64) -> MapDrive? {
    for model in maps {
      guard let hit = Self.lane(under: position, yaw: yaw, in: model) else { continue }
      var route = LaneRoute()
      route.add(Vec3(position.x, position.y, LaneRoute.point(on: hit.lane, s: hit.s, in: model.lanes)?.z ?? position.z))
      Self.extend(&route, model: model, from: hit.lane, s: hit.s, horizon: Self.horizon(speed: speed, duration: duration),
                  seed: seed)
      return Self.drive(model, route, ends: false)
    }
    return nil
  }

  /// Follows the lane graph from `lane` (at road arc length `s`, nil: its start) until the
  /// route is `horizon` long, taking seeded successors.
  static func extend(_ route: inout LaneRoute, model: MapModel, from lane: Int, s: Double?, horizon: Double, seed: UInt64) {
    var lane = lane
    var from = s
    for _ in 0..<200 {
      route.append(lane: lane, in: model.lanes, fromS: from)
      from = nil
      guard route.length < horizon else { break }
      let next = model.lanes.lanes[lane].successors.filter { model.isDriving[$0] }
      guard !next.isEmpty else { break }
      lane = next[Int(Self.mix(seed, UInt64(lane)) % UInt64(next.count))]
    }
  }

  static func drive(_ model: MapModel, _ route: LaneRoute, ends: Bool) -> MapDrive? {
    guard let path = LanePath.polyline(simplified(route.points, tolerance: 0.02)) else { return nil }
    return MapDrive(model: model, route: route, path: path, ends: ends)
  }

  /// `change_lane(side, speed, duration)`: from the lane under the vehicle to its neighbour on
  /// `left` (else right) of the same type and direction of travel, blending the two centre
  /// lines over the distance `speed` covers in `duration` (at least 5 m) with a smoothstep,
  /// then following the neighbour (and its successors) on.
  func laneChange(from position: Vec3, yaw: Double, left: Bool, speed: Double, duration: Double, horizon: Double,
                  seed: UInt64) throws(RouteRefusal) -> MapDrive
  {
    for model in maps {
      guard let hit = Self.lane(under: position, yaw: yaw, in: model) else { continue }
      let lanes = model.lanes.lanes
      let lane = lanes[hit.lane]
      guard let n = left ? lane.left : lane.right, lanes[n].type == lane.type, lanes[n].travelsAlongS == lane.travelsAlongS
      else {
        throw RouteRefusal(
          "the lane under the vehicle (road \(model.lanes.network.roads[lane.road].id), lane \(lane.laneId)) has no \(left ? "left" : "right") neighbour of the same type going the same way",
          argument: 0)
      }
      var a = LaneRoute(), b = LaneRoute()
      Self.extend(&a, model: model, from: hit.lane, s: hit.s, horizon: horizon, seed: seed)
      Self.extend(&b, model: model, from: n, s: hit.s, horizon: horizon, seed: seed)
      guard let pa = LanePath.polyline(a.points), let pb = LanePath.polyline(b.points) else {
        throw RouteRefusal("the lanes end too close to the vehicle to change lanes")
      }
      let span = min(max(abs(speed) * (duration.isFinite ? max(duration, 0) : 0), 5), min(pa.length, pb.length))
      var route = LaneRoute()
      route.add(position)
      var u = 0.5
      while u < span {
        let w = Self.smoothstep(u / span)
        let p = pa.point(atArcLength: u) * (1 - w) + pb.point(atArcLength: u) * w
        route.add(p)
        u += 0.5
      }
      for (p, l) in zip(b.points, Self.arcLengths(b.points)) where l >= span { route.add(p) }
      // The legs of the target lane from where the change ends (the junctions ahead).
      for leg in b.legs where leg.end > span {
        route.appendLeg(lane: leg.lane, start: max(leg.start, span) + (route.length - b.length), end: leg.end + (route.length - b.length))
      }
      guard let drive = Self.drive(model, route, ends: false) else {
        throw RouteRefusal("the lanes end too close to the vehicle to change lanes")
      }
      return drive
    }
    throw RouteRefusal("the vehicle is not on a driving lane of a map going its way")
  }

  static func smoothstep(_ x: Double) -> Double {
    let t = min(max(x, 0), 1)
    return t * t * (3 - 2 * t)
  }

  static func arcLengths(_ points: [Vec3]) -> [Double] {
    var out: [Double] = []
    var total = 0.0
    for (i, p) in points.enumerated() {
      if i > 0 { total += Vec3(p.x - points[i - 1].x, p.y - points[i - 1].y, 0).length }
      out.append(total)
    }
    return out
  }

  /// `follow_route(lanes, speed)`: the given lanes in order, each a successor of the one
  /// before, starting where the vehicle is (projected on the first lane) and ending at the
  /// end of the last.
  func route(lanes values: [MapLanes?], from position: Vec3) throws(RouteRefusal) -> MapDrive {
    guard let first = values.first else { throw RouteRefusal("the route has no lanes", argument: 0) }
    guard let model = first?.model else { throw RouteRefusal("element 0 of the route is not a lane of a map", argument: 0) }
    var ks: [Int] = []
    for (i, element) in values.enumerated() {
      guard let v = element else { throw RouteRefusal("element \(i) of the route is not a lane of a map", argument: 0) }
      guard v.model === model else { throw RouteRefusal("lane \(i) of the route is on another map", argument: 0) }
      guard v.lanes.count == 1, let k = v.lanes.first else {
        throw RouteRefusal("element \(i) of the route is a region of \(v.lanes.count) lanes, not one lane (an element of 'town.lanes')",
                           argument: 0)
      }
      if let prev = ks.last, !model.lanes.lanes[prev].successors.contains(k) {
        throw RouteRefusal("lane \(i) of the route does not follow lane \(i - 1): traffic leaving \(Self.describe(prev, model)) enters \(Self.describeList(model.lanes.lanes[prev].successors, model)), not \(Self.describe(k, model))",
                           argument: 0)
      }
      ks.append(k)
    }
    return try Self.build(model, lanes: ks, from: position, to: nil)
  }

  /// `follow_waypoints(points, speed)`: from the lane under the vehicle through the driving
  /// lane holding each point, by the shortest way over the lane graph, ending at the last point.
  func route(waypoints: [Vec3], from position: Vec3, yaw: Double) throws(RouteRefusal) -> MapDrive {
    guard !waypoints.isEmpty else { throw RouteRefusal("the route has no waypoints", argument: 0) }
    for model in maps {
      guard let start = Self.lane(under: position, yaw: yaw, in: model) else { continue }
      var ks = [start.lane]
      var lastS: Double?
      for (i, w) in waypoints.enumerated() {
        let hits = model.index.lanes(containing: SIMD2(w.x, w.y)).filter { model.isDriving[$0.lane] }
        guard !hits.isEmpty else {
          throw RouteRefusal("waypoint \(i) at (\(Self.metres(w.x)), \(Self.metres(w.y))) is not on a driving lane of the map", argument: 0)
        }
        // The candidate lane reached by the shortest way (ties: lower lane index).
        var best: (cost: Double, lanes: [Int], s: Double)?
        for hit in hits {
          guard let from = ks.last,
            let way = model.lanes.shortestRoute(from: from, to: hit.lane, accepted: { model.isDriving[$0] })
          else { continue }
          // Staying on the same lane only works forwards.
          if way.count == 1, let s0 = (i == 0 ? start.s : lastS) {
            let along = model.lanes.lanes[hit.lane].travelsAlongS
            if along ? hit.s < s0 : hit.s > s0 { continue }
          }
          let cost = way.dropFirst().reduce(0.0) { $0 + model.lanes.lanes[$1].length }
          if best.map({ cost < $0.cost }) ?? true { best = (cost, way, hit.s) }
        }
        guard let b = best else {
          throw RouteRefusal("waypoint \(i) at (\(Self.metres(w.x)), \(Self.metres(w.y))) cannot be reached from \(i == 0 ? "the vehicle's lane" : "waypoint \(i - 1)") along the lanes' directions of travel",
                             argument: 0)
        }
        ks += b.lanes.dropFirst()
        lastS = b.s
      }
      return try Self.build(model, lanes: ks, from: position, to: lastS, startS: start.s)
    }
    throw RouteRefusal("the vehicle is not on a driving lane of a map going its way")
  }

  static func build(_ model: MapModel, lanes ks: [Int], from position: Vec3, to endS: Double?, startS: Double? = nil)
    throws(RouteRefusal) -> MapDrive
  {
    var route = LaneRoute()
    guard let first = ks.first else { throw RouteRefusal("the route has no lanes", argument: 0) }
    // Where the vehicle joins the first lane: the station of the centre-line point nearest it.
    let s0 = startS ?? nearestStation(on: first, to: position, in: model.lanes)
    route.add(position)
    for (i, k) in ks.enumerated() {
      route.append(lane: k, in: model.lanes, fromS: i == 0 ? s0 : nil, toS: i == ks.count - 1 ? endS : nil)
    }
    if let e = endS, let p = LaneRoute.point(on: ks[ks.count - 1], s: e, in: model.lanes) { route.add(p) }
    guard let drive = Self.drive(model, route, ends: true) else { throw RouteRefusal("the route is shorter than 5 cm") }
    return drive
  }

  static func nearestStation(on lane: Int, to p: Vec3, in network: ScnMap.LaneNetwork) -> Double {
    let l = network.lanes[lane]
    var best = Double.infinity, s = l.s.first ?? 0
    for (c, t) in zip(l.centre, l.s) {
      let d = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)
      if d < best { best = d; s = t }
    }
    return s
  }

  static func describe(_ k: Int, _ model: MapModel) -> String {
    let l = model.lanes.lanes[k]
    return "road \(model.lanes.network.roads[l.road].id) lane \(l.laneId)"
  }

  static func describeList(_ ks: [Int], _ model: MapModel) -> String {
    ks.isEmpty ? "no lane" : ks.map { describe($0, model) }.joined(separator: " or ")
  }

  static func metres(_ x: Double) -> String { "\((x * 100).rounded() / 100) m" }

  /// The polyline with every point dropped that lies within `tolerance` of the chord that
  /// replaces it (greedy, in travel order): long straight lanes become a few segments, so
  /// the vehicle's path tracking (a closest-point search over the segments) stays cheap.
  static func simplified(_ points: [Vec3], tolerance: Double) -> [Vec3] {
    guard points.count > 2 else { return points }
    var out = [points[0]]
    var anchor = 0
    var i = 2
    while i < points.count {
      let a = points[anchor], b = points[i]
      let ab = Vec3(b.x - a.x, b.y - a.y, 0)
      let len = ab.length
      var fits = len > 0
      if fits {
        for k in (anchor + 1)..<i {
          let ap = Vec3(points[k].x - a.x, points[k].y - a.y, 0)
          if abs(ab.x * ap.y - ab.y * ap.x) / len > tolerance { fits = false; break }
        }
      }
      if !fits || i - anchor > 400 {
        out.append(points[i - 1])
        anchor = i - 1
      }
      i += 1
    }
    out.append(points[points.count - 1])
    return out
  }

  /// SplitMix64 finaliser of two words.
  static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
