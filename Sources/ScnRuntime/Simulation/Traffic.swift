import ScnGeometry
import ScnMap
import ScnPhysics

/// The traffic rules that vehicles driving map routes keep (`follow_lane`, `change_lane`,
/// `follow_route`, `follow_waypoints` on a `map(...)`; docs/stdlib.md, "Traffic rules"). Each
/// step, before the physics moves, it sets each such vehicle's target speed to its cruise speed
/// or less:
/// - **traffic lights**: where a traffic light governs the lane entering a junction or the
///   junction's connecting lane (`SignalPlan`), the vehicle stops with its front before the
///   light's station while the light is red, or yellow and it can stop there at
///   `comfortDeceleration`; on red it goes on only if it cannot stop at its `max_deceleration`.
///   Once it has gone on at yellow or red it does not brake for that light again. While a
///   light holds it, it has not arrived at the junction (it does not make others yield);
/// - **stop signs**: where the lane entering a junction has a stop sign or stop line
///   (`Signal.isStop`) facing its traffic, the vehicle brakes to rest with its front at the
///   signal's station (the one nearest the junction), waits `stopWait` seconds, then goes on
///   (still yielding);
/// - **yielding, first come first served**: a vehicle whose front is within its approach zone
///   of a junction (its braking distance at a comfortable `comfortDeceleration`, plus 10 m)
///   has arrived there at that step. It stops before the entry while another vehicle whose way
///   through the same junction conflicts with its own (they share a connecting lane or the lane
///   they leave by, or their connecting lanes' centre lines cross) is inside the junction, or
///   has arrived before it (the same step: the lower actor index goes first). A vehicle that
///   has come to rest at the end of its route is parked: it is nobody's reason to yield;
/// - **car following**: the vehicle keeps its distance to the nearest body ahead on its route
///   (a vehicle or walker whose centre is within half their widths plus 0.3 m of the route's
///   centre line) by the Intelligent Driver Model (Treiber, Hennecke and Helbing 2000): its
///   acceleration is a·(1 − (v/v₀)⁴ − (s*/s)²) with s* = s₀ + v·T + v·Δv/(2√(a·b)), where s is
///   the gap between the two bodies, a its `max_acceleration`, b `comfortDeceleration` (or its
///   `max_deceleration` when lower), s₀ its `min_gap`, T its `time_headway` and v₀ its cruise
///   speed; the target speed is at most v plus that acceleration over the step;
/// - **route ends**: on `follow_route` and `follow_waypoints` the vehicle brakes to stop at the
///   route's end.
/// Vehicles that drive without a map route (`drive`, `follow_lane` off the map) and walkers
/// keep none of these rules, but vehicles following them keep their distance to them.
struct Traffic {
  /// A comfortable braking rate for planned stops, m/s² (the vehicle's `max_deceleration`
  /// when lower).
  static let comfortDeceleration = 3.0
  /// How long a vehicle stands at a stop sign, seconds.
  static let stopWait = 2.0

  /// One way through a junction along a route.
  struct Pass: Sendable {
    let junction: Int
    /// Route arc lengths where the route enters and leaves the junction.
    let start: Double
    let end: Double
    /// The connecting lanes, and the lane after the junction (if the route goes on).
    let lanes: [Int]
    let outgoing: Int?
    /// Route arc length of the stop line before the junction (the stop sign or stop line
    /// nearest the incoming lane's end), if there is one ahead of where the route starts.
    let stopLine: Double?
    /// The traffic light that governs the way in (an index into the map's `SignalPlan`) and
    /// the route arc length where the vehicle's front stops for it.
    let light: (index: Int, arc: Double)?
  }

  struct Drive: Sendable {
    let route: MapDrive
    var cruise: Double
    let passes: [Pass]
    /// Per pass: the step the vehicle arrived (entered the approach zone), and the step it came
    /// to rest at the pass's stop sign.
    var arrival: [Int?]
    var stopped: [Int?]
    /// Per pass: the vehicle went on at yellow or red and no longer brakes for the light.
    var committed: [Bool]
    /// Route progress of the body centre at the last step, and the speed last commanded.
    var progress = 0.0
    var commanded: Double?

    init(route: MapDrive, cruise: Double) {
      self.route = route
      self.cruise = cruise
      passes = Traffic.passes(route)
      arrival = Array(repeating: nil, count: passes.count)
      stopped = Array(repeating: nil, count: passes.count)
      committed = Array(repeating: false, count: passes.count)
    }

    /// Whether the vehicle has come to rest at the end of its route.
    func parked(speed: Double) -> Bool { route.ends && progress >= route.path.length - 1 && abs(speed) < 0.5 }
  }

  var drives: [Drive?] = []
  /// Phase timing per map (`signal_timing(...)`), by model; `SignalTiming.standard` otherwise.
  var timings: [ObjectIdentifier: SignalTiming] = [:]
  private var crossings: [SIMD2<Int>: Bool] = [:]

  init(actors: Int) {
    drives = Array(repeating: nil, count: actors)
  }

  static func passes(_ drive: MapDrive) -> [Pass] {
    let lanes = drive.model.lanes
    let legs = drive.route.legs
    var out: [Pass] = []
    var i = 0
    while i < legs.count {
      guard let j = lanes.lanes[legs[i].lane].junction else {
        i += 1
        continue
      }
      var k = i
      while k + 1 < legs.count, lanes.lanes[legs[k + 1].lane].junction == j { k += 1 }
      var stopLine: Double?
      var light: (index: Int, arc: Double)?
      let plan = drive.model.signals
      // The lane before the junction (lights at its end), then the connecting lanes (a light at
      // the start of one): the light nearest the junction's entry governs the way in.
      for leg in legs[(i > 0 ? i - 1 : i)...k] where i > 0 {
        guard plan.governing.indices.contains(leg.lane) else { continue }
        let l = lanes.lanes[leg.lane]
        for (g, s) in plan.governing[leg.lane] {
          let arc = min(leg.end - max(l.travelsAlongS ? l.sEnd - s : s - l.sStart, 0), legs[i].start)
          guard arc >= leg.start - 1e-6 else { continue }
          if arc >= (light?.arc ?? -.infinity) { light = (g, arc) }
        }
      }
      if i > 0 {
        let before = legs[i - 1]
        let l = lanes.lanes[before.lane]
        let stations = lanes.stopSignals(lane: before.lane).map(\.s)
        if let s = l.travelsAlongS ? stations.max() : stations.min() {
          let arc = before.end - max(l.travelsAlongS ? l.sEnd - s : s - l.sStart, 0)
          if arc >= before.start - 1e-6 { stopLine = arc }
        }
      }
      out.append(Pass(junction: j, start: legs[i].start, end: legs[k].end, lanes: legs[i...k].map(\.lane),
                      outgoing: k + 1 < legs.count ? legs[k + 1].lane : nil, stopLine: stopLine, light: light))
      i = k + 1
    }
    return out
  }

  /// Whether two ways through one junction conflict: a shared connecting or outgoing lane, or
  /// connecting lanes whose centre lines cross.
  mutating func conflict(_ a: Pass, _ b: Pass, _ model: MapModel) -> Bool {
    if let x = a.outgoing, x == b.outgoing { return true }
    for p in a.lanes {
      for q in b.lanes {
        if p == q { return true }
        let key = SIMD2(min(p, q), max(p, q))
        if let c = crossings[key] {
          if c { return true }
          continue
        }
        let c = Self.cross(model.lanes.lanes[p].centre, model.lanes.lanes[q].centre)
        crossings[key] = c
        if c { return true }
      }
    }
    return false
  }

  /// Whether two polylines cross (in plan).
  static func cross(_ a: [Vec3], _ b: [Vec3]) -> Bool {
    func orient(_ p: Vec3, _ q: Vec3, _ r: Vec3) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
    guard a.count >= 2, b.count >= 2 else { return false }
    for i in 0..<(a.count - 1) {
      let p = a[i], q = a[i + 1]
      let minX = min(p.x, q.x), maxX = max(p.x, q.x), minY = min(p.y, q.y), maxY = max(p.y, q.y)
      for j in 0..<(b.count - 1) {
        let r = b[j], s = b[j + 1]
        guard max(r.x, s.x) >= minX, min(r.x, s.x) <= maxX, max(r.y, s.y) >= minY, min(r.y, s.y) <= maxY else { continue }
        let d1 = orient(p, q, r), d2 = orient(p, q, s), d3 = orient(r, s, p), d4 = orient(r, s, q)
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
      }
    }
    return false
  }

  /// Applies the rules at step `k` (`dt` seconds long) to every vehicle with a map route.
  mutating func control(world: inout PhysicsWorld, actors: [SimulatedActor], step k: Int, dt: Double) throws(PhysicsError) {
    // Progress first, so every vehicle sees the others where they are now.
    for a in drives.indices {
      guard var d = drives[a], let id = actors[a].body, let v = world.vehicle(id) else { continue }
      d.progress = d.route.path.closestPoint(to: v.position).arcLength
      drives[a] = d
    }
    let time = Double(k) * dt
    let waitSteps = dt > 0 ? Int((Self.stopWait / dt).rounded()) : 0
    for a in drives.indices {
      guard var d = drives[a], let id = actors[a].body, let v = world.vehicle(id) else { continue }
      let half = actors[a].size.x / 2
      let brake = min(Self.comfortDeceleration, v.parameters.maxDeceleration)
      func stopWithin(_ distance: Double) -> Double { (2 * brake * max(distance, 0)).squareRoot() }
      var target = d.cruise
      if d.route.ends { target = min(target, stopWithin(d.route.path.length - d.progress - 0.3)) }
      let front = d.progress + half, rear = d.progress - half
      for i in d.passes.indices where rear < d.passes[i].end {
        let pass = d.passes[i]
        if front >= pass.start {
          if d.arrival[i] == nil { d.arrival[i] = k }
          break
        }
        let gap = pass.start - front
        let zone = v.speed * v.speed / (2 * brake) + 10
        guard gap < zone else { break }
        if let light = pass.light, !d.committed[i], light.arc - front > -0.5 {
          let toLine = light.arc - front
          let room = toLine - 0.3
          let hold: Bool
          switch d.route.model.signals.state(light: light.index, at: time, timing: timing(d.route.model)) {
          case .green: hold = false
          case .yellow: hold = v.speed * v.speed / (2 * brake) <= room + 0.5
          case .red: hold = v.speed * v.speed / (2 * v.parameters.maxDeceleration) <= room + 0.5
          }
          if hold {
            // Held by the light: not yet arrived, so nobody yields to it.
            d.arrival[i] = nil
            target = min(target, stopWithin(room))
            break
          } else if toLine < 5, v.speed * v.speed / (2 * brake) > room, light.arc - front > 0 {
            // Too close to stop comfortably: through it goes, whatever the light does next.
            d.committed[i] = true
          }
        }
        if d.arrival[i] == nil { d.arrival[i] = k }
        if let line = pass.stopLine, line - front > -1 || d.stopped[i] != nil {
          let toLine = line - front
          if d.stopped[i] == nil, toLine < 1, abs(v.speed) < 0.1 { d.stopped[i] = k }
          if let s = d.stopped[i] {
            if k - s < waitSteps { target = 0 }
          } else {
            target = min(target, stopWithin(toLine - 0.3))
          }
        }
        drives[a] = d
        if mustYield(a, pass: i, actors: actors, world: world) { target = min(target, stopWithin(gap - 1)) }
        break
      }
      if let follow = following(a, d, v, actors: actors, world: world, dt: dt) { target = min(target, follow) }
      target = max(target, 0)
      if d.commanded != target {
        d.commanded = target
        try world.command(.setSpeed(target), vehicle: id)
      }
      drives[a] = d
    }
  }

  /// The phase timing of `model`'s lights.
  func timing(_ model: MapModel) -> SignalTiming { timings[ObjectIdentifier(model)] ?? .standard }

  /// The speed car following allows vehicle `a` at the end of this step (the rule above), or
  /// nil when no body is ahead on its route within its look-ahead: 10 m, plus 4 s at its
  /// speed, plus its braking distance.
  func following(_ a: Int, _ d: Drive, _ v: KinematicVehicle, actors: [SimulatedActor], world: PhysicsWorld, dt: Double)
    -> Double?
  {
    let me = actors[a]
    let speed = max(v.speed, 0)
    let brake = min(Self.comfortDeceleration, v.parameters.maxDeceleration)
    let lookAhead = 10 + 4 * speed + speed * speed / (2 * brake)
    let path = d.route.path
    let from = d.progress + me.size.x / 2
    let to = min(path.length, from + lookAhead)
    guard to > from else { return nil }
    // The route ahead sampled every 0.5 m; a body is ahead where its centre is near a sample.
    let count = Int(((to - from) / 0.5).rounded(.up)) + 1
    var samples: [(arc: Double, point: Vec3)] = []
    samples.reserveCapacity(count)
    for j in 0..<count {
      let arc = min(from + Double(j) * 0.5, to)
      samples.append((arc, path.point(atArcLength: arc)))
    }
    var nearest: (gap: Double, speed: Double)?
    for b in actors.indices where b != a {
      guard let body = actors[b].body else { continue }
      let position: Vec3, otherSpeed: Double, yaw: Double
      if let o = world.vehicle(body) {
        position = o.position
        otherSpeed = o.speed
        yaw = o.yaw
      } else if let p = world.pedestrian(body) {
        position = p.position
        otherSpeed = 0
        yaw = p.yaw
      } else {
        continue
      }
      let dx = position.x - v.position.x, dy = position.y - v.position.y
      let reach = lookAhead + me.size.x + actors[b].size.x
      guard dx * dx + dy * dy <= reach * reach else { continue }
      let width = (me.size.y + actors[b].size.y) / 2 + 0.3
      var best: (arc: Double, distance: Double)?
      for sample in samples {
        let ex = position.x - sample.point.x, ey = position.y - sample.point.y
        let dist = (ex * ex + ey * ey).squareRoot()
        if dist < width, dist < (best?.distance ?? .infinity) { best = (sample.arc, dist) }
      }
      guard let hit = best else { continue }
      // Its extent along the route: half its length along the route's direction, half its width across.
      let tangent = path.tangent(atArcLength: hit.arc)
      let along = abs(yaw.cosine * tangent.x + yaw.sine * tangent.y)
      let extent = along * actors[b].size.x / 2 + (1 - along) * actors[b].size.y / 2
      let gap = hit.arc - from - extent
      let component = otherSpeed * (yaw.cosine * tangent.x + yaw.sine * tangent.y)
      if gap < (nearest?.gap ?? .infinity) { nearest = (gap, component) }
    }
    guard let leader = nearest else { return nil }
    let accel = max(v.parameters.maxAcceleration, 0.1)
    let cruise = max(d.cruise, 0.1)
    let desired = me.minGap + speed * me.timeHeadway + speed * (speed - leader.speed) / (2 * (accel * brake).squareRoot())
    let s = max(leader.gap, 0.01)
    let ratio = max(desired, 0) / s
    let free = min(speed / cruise, 2)
    let acceleration = accel * (1 - free * free * free * free - ratio * ratio)
    return max(0, speed + acceleration * dt)
  }

  /// Whether vehicle `a` must wait before pass `i` of its route (the rule above).
  private mutating func mustYield(_ a: Int, pass i: Int, actors: [SimulatedActor], world: PhysicsWorld) -> Bool {
    guard let d = drives[a], let mine = d.arrival[i] else { return false }
    let pass = d.passes[i]
    for b in drives.indices where b != a {
      guard let o = drives[b], o.route.model === d.route.model else { continue }
      // A vehicle parked at the end of its route (in a junction, say) is passed, not waited for.
      if let id = actors[b].body, let ov = world.vehicle(id), o.parked(speed: ov.speed) { continue }
      let half = actors[b].size.x / 2
      let front = o.progress + half, rear = o.progress - half
      for j in o.passes.indices where o.passes[j].junction == pass.junction && rear < o.passes[j].end {
        guard let theirs = o.arrival[j] else { break }
        let inside = front >= o.passes[j].start
        let first = theirs < mine || (theirs == mine && b < a)
        if (inside || first) && conflict(pass, o.passes[j], d.route.model) { return true }
        break
      }
    }
    return false
  }
}
