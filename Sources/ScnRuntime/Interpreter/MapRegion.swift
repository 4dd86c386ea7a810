import Foundation
import ScnGeometry
import ScnIR
import ScnMap
import ScnScene
import ScnSource

/// A road network of a `map("…")` call, prepared once per program: the lane strips, the
/// lane graph and the point-in-lane grid, plus the area tables for uniform sampling.
/// Immutable after construction; shared by every region of the map.
public final class MapModel: Sendable {
  public let path: String
  public let sha256: String
  public let lanes: ScnMap.LaneNetwork
  public let index: LaneIndex
  /// The traffic lights and their phase plan (docs/stdlib.md, "Traffic lights").
  public let signals: SignalPlan
  /// The poles and housings of the traffic lights, placed in the world: fixed obstacles for
  /// the sampler's non-overlap rule and physics (docs/scene-model.md, "Traffic lights").
  let lightObstacles: [LightObstacle]
  /// Per lane, the running area of its strip quads (inner i, outer i, outer i+1, inner i+1).
  let quadAreas: [[Double]]
  /// Per lane, the bounding box of its strip in the plan.
  let bounds: [(min: SIMD2<Double>, max: SIMD2<Double>)]
  /// Driving lanes (`LaneType.isDrivable`) in lane order: the map's own region.
  public let drivingLanes: [Int]
  let isDriving: [Bool]
  /// The map's 3-D stuff, built on first use (sampling alone never needs it).
  private let meshCache = MeshCache()

  private final class MeshCache: @unchecked Sendable {
    let lock = NSLock()
    var meshes: MapMeshes?
  }

  /// The asphalt, markings, kerbs and sidewalks of the map (MapStuff.swift), built once.
  var meshes: MapMeshes {
    meshCache.lock.lock()
    defer { meshCache.lock.unlock() }
    if let m = meshCache.meshes { return m }
    let m = MapMeshes(lanes)
    meshCache.meshes = m
    return m
  }

  init(path: String, sha256: String, network: RoadNetwork) {
    self.path = path
    self.sha256 = sha256
    let lanes = ScnMap.LaneNetwork(network)
    self.lanes = lanes
    self.index = LaneIndex(lanes)
    self.signals = SignalPlan(lanes)
    self.lightObstacles = TrafficLights.obstacles(signals)
    var areas: [[Double]] = []
    var bounds: [(SIMD2<Double>, SIMD2<Double>)] = []
    for lane in lanes.lanes {
      var running: [Double] = []
      var total = 0.0
      var lo = SIMD2<Double>(repeating: .infinity), hi = SIMD2<Double>(repeating: -.infinity)
      for i in lane.inner.indices {
        lo = pointwiseMin(lo, pointwiseMin(lane.inner[i], lane.outer[i]))
        hi = pointwiseMax(hi, pointwiseMax(lane.inner[i], lane.outer[i]))
        guard i + 1 < lane.inner.count else { break }
        total += Self.quadArea(lane, i)
        running.append(total)
      }
      areas.append(running)
      bounds.append((lo, hi))
    }
    self.quadAreas = areas
    self.bounds = bounds
    self.isDriving = lanes.lanes.map { $0.type.isDrivable }
    self.drivingLanes = lanes.lanes.indices.filter { lanes.lanes[$0].type.isDrivable }
  }

  static func quadArea(_ lane: MapLane, _ i: Int) -> Double {
    func tri(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>) -> Double {
      abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2
    }
    let a = lane.inner[i], b = lane.outer[i], c = lane.outer[i + 1], d = lane.inner[i + 1]
    let area = tri(a, b, c) + tri(a, c, d)
    return area.isFinite ? area : 0
  }

  /// Area of lane `k`'s strip, m².
  func area(of k: Int) -> Double { quadAreas[k].last ?? 0 }

  /// The lanes of `set` whose area holds `p` (in lane order).
  func lanes(in set: MapLanes, containing p: Vec3) -> [LaneHit] {
    index.lanes(containing: SIMD2(p.x, p.y)).filter { set.contains($0.lane) }
  }

  /// Heading of travel at `p` in the first lane of `set` holding it, else the road-direction
  /// field (the lane under `p`, or the nearest within 50 m).
  func heading(at p: Vec3, in set: MapLanes?) -> Double? {
    if let set, let hit = lanes(in: set, containing: p).first { return hit.heading }
    return index.direction(at: SIMD2(p.x, p.y))
  }

  struct FollowError: Error { let message: String }

  /// Longest distance `follow(from:distance:)` integrates, metres.
  static let maximumFollowDistance = 100_000.0

  /// The point reached by following the road-direction field from `start` for `distance`
  /// metres (in the plan; z stays the start's): midpoint (second-order Runge–Kutta) steps of at
  /// most 0.25 m, each along the field's heading where it is evaluated (the lane under the
  /// point, else the nearest within 50 m).
  func follow(from start: Vec3, distance: Double) -> Result<Vec3, FollowError> {
    guard distance.isFinite, distance >= 0, distance <= Self.maximumFollowDistance else {
      return .failure(FollowError(message: "the distance must be between 0 m and \(Int(Self.maximumFollowDistance)) m, got \(distance) m"))
    }
    guard start.x.isFinite, start.y.isFinite else { return .failure(FollowError(message: "the start is not a finite point")) }
    var p = SIMD2(start.x, start.y)
    var left = distance
    let steps = Int((distance / 0.25).rounded(.up))
    for _ in 0..<steps {
      let h = min(0.25, left)
      guard let a = index.direction(at: p) else {
        return .failure(FollowError(message: "the field is undefined at (\(Self.metres(p.x)), \(Self.metres(p.y))), \(Self.metres(distance - left)) from the start: no lane within 50 m"))
      }
      let mid = p + SIMD2(cos(a), sin(a)) * (h / 2)
      let b = index.direction(at: mid) ?? a
      p += SIMD2(cos(b), sin(b)) * h
      left -= h
    }
    return .success(Vec3(p.x, p.y, start.z))
  }

  static func metres(_ x: Double) -> String { "\((x * 100).rounded() / 100) m" }

  /// The height of the lane surface under `p` (the centre line's height at the nearest
  /// sample; a sidewalk's walking surface is drawn a kerb higher, MapStuff.swift).
  func height(lane k: Int, near p: Vec3) -> Double {
    let centre = lanes.lanes[k].centre
    var best = Double.infinity, z = p.z
    for c in centre {
      let d = (c.x - p.x) * (c.x - p.x) + (c.y - p.y) * (c.y - p.y)
      if d < best { best = d; z = c.z }
    }
    return z + raise(lane: k)
  }

  /// How far above its centre line a lane's surface is drawn: a kerb for sidewalks.
  func raise(lane k: Int) -> Double { lanes.lanes[k].type == .sidewalk ? Sidewalk.standardKerbHeight : 0 }

  /// A point uniform on lane `k`'s strip (a quad by area, then a triangle by area, then a
  /// uniform point in it), at the height of the lane's centre there.
  func sample(lane k: Int, using stream: inout RandomStream) -> Vec3? {
    let lane = lanes.lanes[k]
    guard let total = quadAreas[k].last, total > 0 else { return nil }
    let target = stream.nextDouble() * total
    let i = quadAreas[k].firstIndex { target < $0 } ?? (quadAreas[k].count - 1)
    let a = lane.inner[i], b = lane.outer[i], c = lane.outer[i + 1], d = lane.inner[i + 1]
    func tri(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double {
      abs((q.x - p.x) * (r.y - p.y) - (r.x - p.x) * (q.y - p.y)) / 2
    }
    let first = tri(a, b, c), second = tri(a, c, d)
    let pick = stream.nextDouble() * (first + second)
    let (p0, p1, p2) = pick < first ? (a, b, c) : (a, c, d)
    var u = stream.nextDouble(), v = stream.nextDouble()
    if u + v > 1 { (u, v) = (1 - u, 1 - v) }
    let point = p0 + (p1 - p0) * u + (p2 - p0) * v
    let z = (lane.centre[i].z + lane.centre[i + 1].z) / 2 + raise(lane: k)
    return Vec3(point.x, point.y, z)
  }

  /// The maneuvers through junction `j` whose lanes are all driving lanes.
  func maneuvers(junction j: Int) -> [Maneuver] {
    lanes.maneuvers(junction: j).filter { m in
      isDriving[m.incoming] && m.connecting.allSatisfy { isDriving[$0] } && (m.outgoing.map { isDriving[$0] } ?? false)
    }
  }
}

/// A set of lanes of one map, as a region: `town` (every driving lane), one lane, a road, an
/// intersection (its connecting lanes; `junction` set), a sidewalk.
public struct MapLanes: Sendable, Equatable {
  public let model: MapModel
  /// Lane indices, increasing.
  public let lanes: [Int]
  /// The junction this region is, for `maneuvers`.
  public let junction: Int?
  /// The lights' phase timing `signal_timing(...)` gave the map, if any.
  public internal(set) var timing: SignalTiming?
  /// Running area over `lanes`, for sampling a lane by area.
  let runningArea: [Double]
  /// Membership by lane index.
  private let member: [Bool]

  init(model: MapModel, lanes: [Int], junction: Int? = nil) {
    let sorted = Array(Set(lanes)).sorted()
    self.model = model
    self.lanes = sorted
    self.junction = junction
    var total = 0.0
    self.runningArea = sorted.map { k in
      total += model.area(of: k)
      return total
    }
    var member = Array(repeating: false, count: model.lanes.lanes.count)
    for k in sorted where member.indices.contains(k) { member[k] = true }
    self.member = member
  }

  public static func == (a: MapLanes, b: MapLanes) -> Bool {
    a.model === b.model && a.lanes == b.lanes && a.junction == b.junction && a.timing == b.timing
  }

  func contains(_ lane: Int) -> Bool { member.indices.contains(lane) && member[lane] }

  func contains(point p: Vec3) -> Bool { !model.lanes(in: self, containing: p).isEmpty }

  func sample(using stream: inout RandomStream) -> Vec3? {
    guard let total = runningArea.last, total > 0 else { return nil }
    let target = stream.nextDouble() * total
    let i = runningArea.firstIndex { target < $0 } ?? (lanes.count - 1)
    return model.sample(lane: lanes[i], using: &stream)
  }

  /// The surface point above or below `p`, when a lane of the set holds it.
  func project(_ p: Vec3) -> Vec3? {
    guard let hit = model.lanes(in: self, containing: p).first else { return nil }
    return Vec3(p.x, p.y, model.height(lane: hit.lane, near: p))
  }

  /// Distance from `p` to the nearest border of the lanes holding it (0 outside), measured
  /// against the strip edges of those lanes.
  func boundaryDistance(_ p: Vec3) -> Double {
    let hits = model.lanes(in: self, containing: p)
    guard !hits.isEmpty else { return 0 }
    var best = 0.0
    for hit in hits {
      let lane = model.lanes.lanes[hit.lane]
      var d = Double.infinity
      let q = SIMD2(p.x, p.y)
      for border in [lane.inner, lane.outer] {
        for i in border.indices.dropLast() {
          let a = border[i], b = border[i + 1]
          let ab = b - a, ap = q - a
          let len2 = ab.x * ab.x + ab.y * ab.y
          let t = len2 > 0 ? min(max((ap.x * ab.x + ap.y * ab.y) / len2, 0), 1) : 0
          let e = ap - ab * t
          d = min(d, (e.x * e.x + e.y * e.y).squareRoot())
        }
      }
      best = max(best, d)
    }
    return best
  }
}

/// Parsed maps of a program by path, and a process-wide cache by SHA-256 so a program
/// compiled many times (tests, the REPL, `--jobs`) parses each file once.
enum MapLibrary {
  private final class Cache: @unchecked Sendable {
    let lock = NSLock()
    var models: [String: MapModel] = [:]
  }
  private static let cache = Cache()

  /// The model of an input file; nil when the bytes are not a valid map (the checker has
  /// already reported that, so a program with such a map never reaches the runtime).
  static func model(_ input: InputFileIR) -> MapModel? {
    cache.lock.lock()
    defer { cache.lock.unlock() }
    if let m = cache.models[input.sha256] { return m }
    guard let network = try? OpenDriveReader.read(data: Data(input.bytes)) else { return nil }
    let m = MapModel(path: input.path, sha256: input.sha256, network: network)
    // A handful of maps per process; the bound keeps a long-lived REPL from hoarding them.
    if cache.models.count >= 8 { cache.models.removeAll() }
    cache.models[input.sha256] = m
    return m
  }
}

extension Region {
  /// The map's region of `lanes`, or nil when the value is not a map region.
  var mapLanes: MapLanes? {
    if case .map(let m) = self { return m }
    return nil
  }
}

/// The map natives and members (`map("…")`, `town.lanes`, `lane.successors`, …).
enum MapNatives {
  static func compileMap(_ args: [IRExpr], compiler: ExprCompiler, range: SourceRange) -> Eval {
    guard case .constant(.string(let path))? = args.first?.kind,
      let input = compiler.program.inputs.first(where: { $0.path == path })
    else {
      return { _ throws(RuntimeError) in
        throw RuntimeError(.unsupported, "map: the program carries no such map file", at: range)
      }
    }
    guard let model = MapLibrary.model(input) else {
      return { _ throws(RuntimeError) in
        throw RuntimeError(.badRegion, "map '\(path)' is not a valid OpenDRIVE file", at: range)
      }
    }
    let region = Value.region(.map(MapLanes(model: model, lanes: model.drivingLanes)))
    return { _ in region }
  }

  /// `town.lanes` …, `lane.successors` …: a member of a region value.
  static func member(_ base: @escaping Eval, name: String, range: SourceRange) -> Eval {
    @Sendable func lanesOf(_ ctx: Context) throws(RuntimeError) -> MapLanes {
      guard case .region(.map(let m)) = try base(ctx) else {
        throw RuntimeError(.badRegion, "'\(name)' needs a lane, intersection or map of map(...)", at: range)
      }
      return m
    }
    @Sendable func single(_ m: MapLanes, _ what: String) throws(RuntimeError) -> Int {
      guard m.lanes.count == 1, let k = m.lanes.first else {
        throw RuntimeError(.badRegion, "'\(what)' needs a single lane (an element of 'town.lanes'), found \(m.lanes.count) lanes", at: range)
      }
      return k
    }
    @Sendable func laneList(_ model: MapModel, _ ks: [Int]) -> Value {
      .list(ks.map { .region(.map(MapLanes(model: model, lanes: [$0]))) })
    }
    switch name {
    case "lanes":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        return laneList(m.model, m.lanes)
      }
    case "roads":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        var byRoad: [Int: [Int]] = [:]
        for k in m.lanes { byRoad[m.model.lanes.lanes[k].road, default: []].append(k) }
        return .list(byRoad.keys.sorted().compactMap { r in byRoad[r].map { .region(.map(MapLanes(model: m.model, lanes: $0))) } })
      }
    case "intersections":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        var byJunction: [Int: [Int]] = [:]
        for k in m.model.drivingLanes {
          if let j = m.model.lanes.lanes[k].junction { byJunction[j, default: []].append(k) }
        }
        return .list(byJunction.keys.sorted().compactMap { j in
          byJunction[j].map { .region(.map(MapLanes(model: m.model, lanes: $0, junction: j))) }
        })
      }
    case "sidewalks":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        let ks = m.model.lanes.lanes.indices.filter { m.model.lanes.lanes[$0].type == .sidewalk && m.model.area(of: $0) > 0 }
        return laneList(m.model, ks)
      }
    case "crossings":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        var out: [Value] = []
        for road in m.model.lanes.network.roads {
          for object in road.objects where object.isCrosswalk {
            let p = road.point(s: object.s, t: object.t)
            if object.outline.count >= 3 {
              // Its outline, at the height of its origin.
              let corners = object.footprint(on: road).map { Vec3($0.x, $0.y, p.z + object.zOffset) }
              if let shape = PolygonShape(points: corners) { out.append(.region(.polygon(shape))) }
              continue
            }
            guard let l = object.length, let w = object.width, l > 0, w > 0 else { continue }
            out.append(.region(.rect(center: Vec3(p.x, p.y, p.z + object.zOffset), halfLength: l / 2, halfWidth: w / 2,
                                     yaw: p.heading + object.hdg)))
          }
        }
        return .list(out)
      }
    case "road_direction":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        return .field(.map(MapLanes(model: m.model, lanes: m.model.drivingLanes)))
      }
    case "successors":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        let k = try single(m, "successors")
        return laneList(m.model, m.model.lanes.lanes[k].successors.filter { m.model.isDriving[$0] == m.model.isDriving[k] })
      }
    case "left", "right":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        let k = try single(m, name)
        let lane = m.model.lanes.lanes[k]
        guard let n = name == "left" ? lane.left : lane.right, m.model.lanes.lanes[n].type == lane.type,
          m.model.lanes.lanes[n].travelsAlongS == lane.travelsAlongS
        else { return .list([]) }
        return laneList(m.model, [n])
      }
    case "maneuvers":
      return { ctx throws(RuntimeError) in
        let m = try lanesOf(ctx)
        guard let j = m.junction else {
          throw RuntimeError(.badRegion, "'maneuvers' needs an intersection (an element of 'town.intersections')", at: range)
        }
        return .list(m.model.maneuvers(junction: j).compactMap { man -> Value? in
          guard let out = man.outgoing else { return nil }
          func lane(_ k: Int) -> Value { .region(.map(MapLanes(model: m.model, lanes: [k]))) }
          return .tuple([.enumCase(man.kind.languageName), lane(man.incoming), .list(man.connecting.map(lane)), lane(out)])
        })
      }
    default:
      return { _ throws(RuntimeError) in
        throw RuntimeError(.unsupported, "a region has no member '\(name)'", at: range)
      }
    }
  }
}

extension Maneuver.Kind {
  /// The case of the language's `ManeuverKind`.
  var languageName: String {
    switch self {
    case .straight: "straight"
    case .leftTurn: "left_turn"
    case .rightTurn: "right_turn"
    case .uTurn: "u_turn"
    }
  }
}
