import ScnGeometry
import ScnPhysics

/// How an actor takes part in the physics. Decided by its type's lineage (the type and its
/// `RecordTypeIR.bases`):
/// - a `Vehicle` is a kinematic body driven by a kinematic bicycle model;
/// - a `Prop` without a behavior is a rigid body: static when its `fixed` field is true
///   (racks, tables, masts), dynamic otherwise (boxes, pallets, mugs fall and collide);
/// - any other actor (a `Pedestrian`, a plain `Actor`, or a `Prop` given a behavior) is a
///   kinematic body driven by the walker model.
/// Every body collides as its parts' oriented boxes (`CollisionShapes`; static fixtures as
/// one static body per part), the boxes the sampler's overlap test uses.
/// An actor whose size has a non-positive component has no body (it keeps its pose).
enum ActorRole: Sendable, Equatable {
  case vehicle, walker, dynamicProp, staticProp, none

  static func of(type: CompiledType, hasBehavior: Bool, fixed: Bool, size: Vec3) -> ActorRole {
    guard size.x > 0, size.y > 0, size.z > 0, size.x.isFinite, size.y.isFinite, size.z.isFinite else { return .none }
    let lineage = [type.name] + type.bases
    if lineage.contains("Vehicle") { return .vehicle }
    if lineage.contains("Prop"), !hasBehavior { return fixed ? .staticProp : .dynamicProp }
    return .walker
  }
}

/// An actor of the scene as the simulator sees it.
struct SimulatedActor: Sendable {
  /// Index into the context's records.
  let record: Int
  let role: ActorRole
  /// Nil until a sub-scenario that starts later creates it (and for an actor without a body).
  var body: BodyID?
  let size: Vec3
  let maxSpeed: Double
  /// Car following (docs/stdlib.md, "Traffic rules"): the gap kept at rest, metres, and the
  /// time headway kept while moving, seconds (a vehicle's `min_gap` and `time_headway`).
  var minGap = 2.0
  var timeHeadway = 1.5

  func clamp(_ speed: Double) -> Double {
    guard speed.isFinite else { return 0 }
    return max(-maxSpeed, min(maxSpeed, speed))
  }

  /// The map route a vehicle takes for `action` (nil: not a map action, or `follow_lane` off
  /// every map); refused when the action cannot be carried out where the vehicle is.
  func plan(_ action: NativeAction, world: PhysicsWorld, routes: MapRoutes, routeSeed: UInt64, duration: Double)
    throws(RouteRefusal) -> MapDrive?
  {
    guard role == .vehicle, let id = body, let v = world.vehicle(id) else { return nil }
    switch action {
    case .followLane(let speed):
      return routes.route(from: v.position, yaw: v.yaw, speed: clamp(speed), duration: duration, seed: routeSeed)
    case .changeLane(let left, let speed, let seconds):
      return try routes.laneChange(from: v.position, yaw: v.yaw, left: left, speed: clamp(speed), duration: seconds,
                                   horizon: MapRoutes.horizon(speed: clamp(speed), duration: duration), seed: routeSeed)
    case .followRoute(let lanes, _):
      return try routes.route(lanes: lanes, from: v.position)
    case .followWaypoints(let points, _):
      return try routes.route(waypoints: points, from: v.position, yaw: v.yaw)
    case .drive, .walkTo, .stop, .setSpeed:
      return nil
    }
  }

  /// Starts `action` on the actor's controller, along `drive` when the action drives a map
  /// route. Actors without a controller ignore actions.
  func apply(
    _ action: NativeAction, drive: MapDrive?, world: inout PhysicsWorld, lanes: LaneNetwork
  ) throws(PhysicsError) {
    guard let id = body else { return }
    switch role {
    case .vehicle:
      guard let v = world.vehicle(id) else { return }
      switch action {
      case .changeLane(_, let speed, _), .followRoute(_, let speed), .followWaypoints(_, let speed):
        if let drive {
          try world.command(.followLane(drive.path, speed: clamp(speed)), vehicle: id)
        } else {
          try world.command(.stop, vehicle: id)
        }
      case .followLane(let speed):
        if let drive {
          try world.command(.followLane(drive.path, speed: clamp(speed)), vehicle: id)
        } else if let lane = lanes.lane(at: v.position, heading: v.yaw) {
          try world.command(.followLane(lane, speed: clamp(speed)), vehicle: id)
        } else {
          try world.command(.drive(speed: clamp(speed), steer: 0), vehicle: id)
        }
      case .drive(let speed, let steer):
        try world.command(.drive(speed: clamp(speed), steer: steer.isFinite ? steer : 0), vehicle: id)
      case .walkTo(let target, let speed):
        let goal = Vec3(target.x, target.y, v.position.z)
        if let path = LanePath.polyline([v.position, goal]), path.length > 1e-6 {
          try world.command(.followLane(path, speed: clamp(speed)), vehicle: id)
        } else {
          try world.command(.stop, vehicle: id)
        }
      case .stop:
        try world.command(.stop, vehicle: id)
      case .setSpeed(let speed):
        try world.command(.setSpeed(clamp(speed)), vehicle: id)
      }
    case .walker:
      guard let p = world.pedestrian(id) else { return }
      // The walker model only walks to points: the driving actions walk along the heading.
      let ahead = p.position + Vec3(p.yaw.cosine, p.yaw.sine, 0) * 10_000
      switch action {
      case .walkTo(let target, let speed):
        try walk(id, to: Vec3(target.x, target.y, p.position.z), speed: speed, world: &world)
      case .stop:
        try world.stopWalking(id)
      case .followLane(let speed), .drive(let speed, _), .changeLane(_, let speed, _), .followRoute(_, let speed):
        try walk(id, to: ahead, speed: speed, world: &world)
      case .followWaypoints(let points, let speed):
        if let first = points.first {
          try walk(id, to: Vec3(first.x, first.y, p.position.z), speed: speed, world: &world)
        } else {
          try world.stopWalking(id)
        }
      case .setSpeed(let speed):
        try walk(id, to: p.target ?? ahead, speed: speed, world: &world)
      }
    case .dynamicProp, .staticProp, .none:
      return
    }
  }

  private func walk(_ id: BodyID, to target: Vec3, speed: Double, world: inout PhysicsWorld) throws(PhysicsError) {
    let s = clamp(speed)
    if s > 0 {
      try world.walk(id, to: target, speed: s)
    } else {
      try world.stopWalking(id)
    }
  }

  /// Whether an action that finishes has: `walk_to`: the walker stands on its target, or the
  /// vehicle's centre is within 0.5 m of it (then it brakes); `follow_route` /
  /// `follow_waypoints`: the vehicle is within 1 m of the route's end and slower than 0.5 m/s
  /// (the traffic rules brake it there), or a walker has arrived.
  func hasFinished(_ action: NativeAction, world: inout PhysicsWorld) throws(PhysicsError) -> Bool {
    if case .followRoute = action { return try routeFinished(world: &world) }
    if case .followWaypoints = action { return try routeFinished(world: &world) }
    guard case .walkTo(let target, _) = action, let id = body else { return !action.finishes }
    switch role {
    case .walker:
      return world.pedestrian(id)?.hasArrived ?? true
    case .vehicle:
      guard let v = world.vehicle(id) else { return true }
      let d = Vec3(target.x - v.position.x, target.y - v.position.y, 0).length
      if d < 0.5 {
        try world.command(.stop, vehicle: id)
        return true
      }
      return false
    default:
      return true
    }
  }

  private func routeFinished(world: inout PhysicsWorld) throws(PhysicsError) -> Bool {
    guard let id = body else { return true }
    switch role {
    case .vehicle:
      guard let v = world.vehicle(id), let path = v.lane else { return true }
      let end = path.point(atArcLength: path.length)
      let d = Vec3(end.x - v.position.x, end.y - v.position.y, 0).length
      if d < 1, abs(v.speed) < 0.5 {
        try world.command(.stop, vehicle: id)
        return true
      }
      return false
    case .walker:
      return world.pedestrian(id)?.hasArrived ?? true
    default:
      return true
    }
  }
}
