import ScnGeometry
import ScnMap

/// `follow_lane` on the lanes of a map: from the lane under the vehicle (of the driving
/// lanes whose direction of travel is within 90° of the vehicle's heading), along its centre
/// line and on through its successors, taking at each lane end (a junction entry, say) the
/// successor a hash of the sample's draw key, the actor and the lane picks: random over
/// samples, but the same on every run and for any `--jobs`.
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

  /// How far ahead a route reaches: the distance the speed covers in `duration` (the whole
  /// simulated time) and 50 m more, within 100 m and 10 km.
  static func horizon(speed: Double, duration: Double) -> Double {
    let d = abs(speed) * (duration.isFinite ? duration : 0) + 50
    return min(max(d, 100), 10_000)
  }

  /// The route ahead of a vehicle at `position` heading `yaw`, as a centre-line polyline;
  /// nil when no driving lane of any map is under it going its way.
  func route(from position: Vec3, yaw: Double, speed: Double, duration: Double, seed: UInt64) -> LanePath? {
    for model in maps {
      let hits = model.index.lanes(containing: SIMD2(position.x, position.y)).filter { hit in
        model.isDriving[hit.lane] && wrapAngle(hit.heading - yaw).cosine > 0
      }
      // The lane whose travel heading best matches the vehicle's (inside junctions several
      // connecting lanes overlap).
      guard let hit = hits.max(by: { wrapAngle($0.heading - yaw).cosine < wrapAngle($1.heading - yaw).cosine }) else { continue }
      return Self.path(model.lanes, from: hit, position: position, horizon: Self.horizon(speed: speed, duration: duration), seed: seed)
    }
    return nil
  }

  static func path(_ network: ScnMap.LaneNetwork, from hit: LaneHit, position: Vec3, horizon: Double, seed: UInt64) -> LanePath? {
    var points: [Vec3] = []
    func add(_ p: Vec3) {
      if let last = points.last {
        let d = Vec3(p.x - last.x, p.y - last.y, 0)
        guard d.length > 0.05 else { return }
      }
      points.append(p)
    }
    var lane = hit.lane
    var length = 0.0
    var first = true
    var hops = 0
    while hops < 200 {
      let l = network.lanes[lane]
      let ordered = l.travelsAlongS ? Array(l.centre) : Array(l.centre.reversed())
      let stations = l.travelsAlongS ? l.s : l.s.reversed()
      var start = 0
      if first {
        // The first centre-line sample past the vehicle's station.
        start = stations.firstIndex { l.travelsAlongS ? $0 > hit.s : $0 < hit.s } ?? max(ordered.count - 1, 0)
        add(Vec3(position.x, position.y, ordered.first?.z ?? position.z))
        first = false
      }
      for p in ordered[start...] {
        if let last = points.last { length += Vec3(p.x - last.x, p.y - last.y, 0).length }
        add(p)
      }
      guard length < horizon else { break }
      let next = l.successors.filter { network.lanes[$0].type.isDrivable }
      guard !next.isEmpty else { break }
      lane = next[Int(Self.mix(seed, UInt64(lane)) % UInt64(next.count))]
      hops += 1
    }
    return LanePath.polyline(simplified(points, tolerance: 0.02))
  }

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
