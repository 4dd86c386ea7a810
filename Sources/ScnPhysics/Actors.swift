import ScnGeometry

/// A controller that moves a kinematic body.
@usableFromInline enum Actor: Sendable {
  case vehicle(KinematicVehicle)
  case pedestrian(KinematicPedestrian)
}

extension PhysicsWorld {
  /// Adds a kinematic body driven by `vehicle`: `shape` (default: the box of half extents
  /// `halfExtents`) centred on the middle of that box, whose bottom is on the vehicle's z.
  @discardableResult
  public mutating func addVehicle(
    _ vehicle: KinematicVehicle, halfExtents: Vec3, shape: CollisionShape? = nil, friction: Double = 0.8
  ) throws(PhysicsError) -> BodyID {
    let id = try addBody(
      RigidBodyDescriptor(
        shape: shape ?? .box(halfExtents: halfExtents),
        transform: Transform(position: vehicle.position + Vec3(0, 0, halfExtents.z), yaw: vehicle.yaw),
        motion: .kinematic, friction: friction))
    attach(.vehicle(vehicle), to: id, heightAboveGround: halfExtents.z)
    return id
  }

  /// Adds a kinematic body driven by `pedestrian`, `height` tall in total and standing on
  /// the walker's z: `shape` centred at half the height, or by default an upright capsule
  /// `radius` wide.
  @discardableResult
  public mutating func addPedestrian(
    _ pedestrian: KinematicPedestrian, radius: Double = 0.25, height: Double = 1.75, shape: CollisionShape? = nil
  ) throws(PhysicsError) -> BodyID {
    let halfHeight = Swift.max(height / 2 - radius, 0)
    let id = try addBody(
      RigidBodyDescriptor(
        shape: shape ?? .capsule(radius: radius, halfHeight: halfHeight),
        transform: Transform(position: pedestrian.position + Vec3(0, 0, height / 2), yaw: pedestrian.yaw),
        motion: .kinematic))
    attach(.pedestrian(pedestrian), to: id, heightAboveGround: height / 2)
    return id
  }

  private mutating func attach(_ actor: Actor, to id: BodyID, heightAboveGround: Double) {
    actorSlot[id.index] = Int32(actors.count)
    actors.append(actor)
    actorBodies.append(id.rawValue)
    actorHeights.append(heightAboveGround)
    actorTargets.append(Transform(rotation: rotations[id.index], translation: positions[id.index]))
  }

  /// The vehicle driving `id`, or `nil` if `id` is not a vehicle.
  public func vehicle(_ id: BodyID) -> KinematicVehicle? {
    guard contains(id), actorSlot[id.index] >= 0, case .vehicle(let v) = actors[Int(actorSlot[id.index])] else {
      return nil
    }
    return v
  }

  /// The pedestrian driving `id`, or `nil` if `id` is not a pedestrian.
  public func pedestrian(_ id: BodyID) -> KinematicPedestrian? {
    guard contains(id), actorSlot[id.index] >= 0, case .pedestrian(let p) = actors[Int(actorSlot[id.index])]
    else { return nil }
    return p
  }

  /// Moves the kinematic actor `id` (a vehicle or walker) to stand at `position` facing
  /// `yaw`, its body with it (a teleport; its command carries on from there).
  public mutating func place(_ id: BodyID, at position: Vec3, yaw: Double) throws(PhysicsError) {
    guard contains(id), actorSlot[id.index] >= 0 else { throw .unknownBody(id) }
    guard position.x.isFinite, position.y.isFinite, position.z.isFinite, yaw.isFinite else {
      throw .invalidParameter("pose")
    }
    let slot = Int(actorSlot[id.index])
    let pose: Vec3
    switch actors[slot] {
    case .vehicle(var v):
      v.place(at: position, yaw: yaw)
      actors[slot] = .vehicle(v)
      pose = v.position
    case .pedestrian(var p):
      p.place(at: position, yaw: yaw)
      actors[slot] = .pedestrian(p)
      pose = p.position
    }
    let target = Transform(position: pose + Vec3(0, 0, actorHeights[slot]), yaw: yaw)
    actorTargets[slot] = target
    try setTransform(of: id, target)
  }

  /// Sends a command to the vehicle `id`.
  public mutating func command(_ command: VehicleCommand, vehicle id: BodyID) throws(PhysicsError) {
    guard var v = vehicle(id) else { throw .unknownBody(id) }
    v.apply(command)
    actors[Int(actorSlot[id.index])] = .vehicle(v)
  }

  /// Sends the pedestrian `id` walking to `target` at `speed` m/s.
  public mutating func walk(_ id: BodyID, to target: Vec3, speed: Double) throws(PhysicsError) {
    guard var p = pedestrian(id) else { throw .unknownBody(id) }
    guard speed.isFinite, speed >= 0, target.x.isFinite, target.y.isFinite else {
      throw .invalidParameter("walk")
    }
    p.walk(to: target, speed: speed)
    actors[Int(actorSlot[id.index])] = .pedestrian(p)
  }

  /// Makes the pedestrian `id` stop.
  public mutating func stopWalking(_ id: BodyID) throws(PhysicsError) {
    guard var p = pedestrian(id) else { throw .unknownBody(id) }
    p.stop()
    actors[Int(actorSlot[id.index])] = .pedestrian(p)
  }

  /// Advances every controller and gives its body the velocity that carries it to the
  /// controller's new pose over the substep, so contacts see the true motion.
  mutating func advanceActors(_ h: Double) {
    for slot in actors.indices {
      let body = Int(actorBodies[slot])
      let lift = Vec3(0, 0, actorHeights[slot])
      let target: Transform
      switch actors[slot] {
      case .vehicle(var v):
        v.advance(dt: h)
        actors[slot] = .vehicle(v)
        target = Transform(position: v.position + lift, yaw: v.yaw)
      case .pedestrian(var p):
        p.advance(dt: h)
        actors[slot] = .pedestrian(p)
        target = Transform(position: p.position + lift, yaw: p.yaw)
      }
      actorTargets[slot] = target
      linearVelocities[body] = (target.translation - positions[body]) / h
      angularVelocities[body] = Vec3(0, 0, wrapAngle(target.rotation.yaw - rotations[body].yaw) / h)
    }
  }

  /// Snaps actor bodies exactly onto their controllers' poses (integration of the
  /// rotation is only approximately the controller's yaw).
  mutating func placeActors() {
    for slot in actors.indices {
      let body = Int(actorBodies[slot])
      positions[body] = actorTargets[slot].translation
      setRotation(body, actorTargets[slot].rotation)
    }
  }
}
