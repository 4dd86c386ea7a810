import ScnGeometry

/// A deterministic rigid-body world: dynamic, static and kinematic bodies, contact
/// events, and kinematic vehicles and pedestrians.
///
/// A value type: copying a world snapshots it. Bodies are stored as parallel arrays
/// indexed by `BodyID.rawValue` (structure of arrays, so the hot loops stream through
/// memory) and are never removed. Every loop runs in id order and nothing iterates a hash
/// table, so a given sequence of calls produces bit-identical results on every run.
public struct PhysicsWorld: Sendable {
  /// Acceleration applied to every awake dynamic body (m/s²); may be changed between steps.
  public var gravity: Vec3
  /// Solver and sleep tuning; may be changed between steps.
  public var settings: SolverSettings
  /// Simulated seconds so far.
  public internal(set) var time: Double = 0
  /// `time` is `timeOrigin + substepsSinceOrigin × substepLength`, recomputed rather than
  /// summed so a long run at a fixed step does not drift by accumulated round-off.
  @usableFromInline var timeOrigin: Double = 0
  @usableFromInline var substepsSinceOrigin: Int = 0
  @usableFromInline var substepLength: Double = 0

  // MARK: Body state (structure of arrays, index = BodyID.rawValue)
  /// The shapes the narrow phase collides, in the frame of the body's centre of mass: a
  /// dynamic hull or compound moved by `-centersOfMass[i]` from the shape it was given
  /// (`givenShapes`), every other shape as given.
  @usableFromInline var shapes: [CollisionShape] = []
  @usableFromInline var givenShapes: [CollisionShape] = []
  /// Where the centre of mass lies in the given shape's frame (zero but for dynamic hulls
  /// and compounds). `positions` are those of the centres of mass; `transform(of:)` gives
  /// the given shape's origin.
  @usableFromInline var centersOfMass: [Vec3] = []
  /// The principal axes of inertia in the body frame, nil when they are the body's axes.
  @usableFromInline var inertiaAxes: [Mat3?] = []
  /// Whether the principal moments differ, so a free spin turns the angular velocity
  /// (`integratePositions` then conserves the angular momentum instead).
  @usableFromInline var anisotropic: [Bool] = []
  @usableFromInline var motions: [MotionType] = []
  @usableFromInline var positions: [Vec3] = []
  @usableFromInline var rotations: [Quaternion] = []
  @usableFromInline var axes: [Mat3] = []
  @usableFromInline var linearVelocities: [Vec3] = []
  @usableFromInline var angularVelocities: [Vec3] = []
  @usableFromInline var inverseMasses: [Double] = []
  /// Inverse principal moments, about `inertiaAxes` (the body's axes when nil).
  @usableFromInline var inverseInertiasLocal: [Vec3] = []
  @usableFromInline var inverseInertiasWorld: [Mat3] = []
  @usableFromInline var frictions: [Double] = []
  @usableFromInline var restitutions: [Double] = []
  @usableFromInline var linearDampings: [Double] = []
  @usableFromInline var angularDampings: [Double] = []
  @usableFromInline var sleepAllowed: [Bool] = []
  /// Dynamic bodies only; static ones are never awake, kinematic ones always.
  @usableFromInline var awake: [Bool] = []
  @usableFromInline var restingTime: [Double] = []
  /// Force and torque applied through the next `step` call (all its substeps), then cleared.
  @usableFromInline var forces: [Vec3] = []
  @usableFromInline var torques: [Vec3] = []
  /// Island a sleeping body fell asleep with (the lowest body index in it); waking one
  /// body wakes the whole island.
  @usableFromInline var sleepIsland: [Int32] = []
  @usableFromInline var bounds: [AABB] = []
  /// Per body, the distance from its centre that `travel` multiplies the spin by (the
  /// shape's, worked out once when the body is added: `reachRadius(of:)`).
  @usableFromInline var spinRadii: [Double] = []
  /// Per compound body, its parts' local boxes as `bounds(shape:…)` reads them, worked out
  /// once when the body is added (`partBoxes[partBoxStart[i]..<partBoxStart[i + 1]]`; no
  /// entries for the other shapes): the bounds of every substep then transform them alone.
  @usableFromInline var partBoxes: [PartBox] = []
  @usableFromInline var partBoxStart: [Int] = [0]
  /// Actor slot per body, -1 when the body is not driven by a controller.
  @usableFromInline var actorSlot: [Int32] = []

  // MARK: Collision pipeline
  @usableFromInline var planeBodies: [Int32] = []
  /// Non-plane bodies in sweep-and-prune order (ascending lower x, then index).
  @usableFromInline var sweepOrder: [Int32] = []
  @usableFromInline var candidatePairs: [UInt64] = []
  @usableFromInline var manifolds: [Manifold] = []
  @usableFromInline var points: [ContactPoint] = []
  @usableFromInline var previousManifolds: [Manifold] = []
  @usableFromInline var previousPoints: [ContactPoint] = []
  @usableFromInline var constraints: [ContactConstraint] = []
  /// Manifolds (indices into `manifolds`) the solver bounces apart before they touch.
  @usableFromInline var bouncing: [Int32] = []
  @usableFromInline var pseudoLinear: [Vec3] = []
  @usableFromInline var pseudoAngular: [Vec3] = []
  @usableFromInline var scratch = ContactScratch()
  @usableFromInline var islandParent: [Int32] = []
  @usableFromInline var islandMinResting: [Double] = []

  // MARK: Actors and events
  @usableFromInline var actors: [Actor] = []
  @usableFromInline var actorBodies: [Int32] = []
  @usableFromInline var actorHeights: [Double] = []
  @usableFromInline var actorTargets: [Transform] = []
  /// Every contact-begin event, in time order then pair order.
  public internal(set) var contactEvents: [ContactEvent] = []
  /// Keys of every pair that ever touched, sorted (binary-searched, never hashed).
  @usableFromInline var everTouched: [UInt64] = []

  /// An empty world. Gravity defaults to 9.81 m/s² along -z.
  public init(gravity: Vec3 = Vec3(0, 0, -9.81), settings: SolverSettings = SolverSettings()) {
    self.gravity = gravity
    self.settings = settings
  }

  // MARK: - Building

  /// Adds a body and returns its id.
  @discardableResult
  public mutating func addBody(_ d: RigidBodyDescriptor) throws(PhysicsError) -> BodyID {
    guard d.shape.isValid else { throw .invalidShape(d.shape) }
    if case .plane = d.shape, d.motion != .static { throw .movingPlane }
    try Self.validate(d)
    let index = Int32(shapes.count)
    let rotation = d.transform.rotation.normalized
    var inverseMass = 0.0
    var inverseInertia = Vec3.zero
    var shape = d.shape
    var centerOfMass = Vec3.zero
    var principalAxes: Mat3? = nil
    if d.motion == .dynamic {
      let mass: Double
      switch d.mass {
      case .mass(let m):
        guard m.isFinite, m > 0 else { throw .invalidMass(d.mass) }
        mass = m
      case .density(let rho):
        guard rho.isFinite, rho > 0 else { throw .invalidMass(d.mass) }
        mass = rho * d.shape.volume
      }
      inverseMass = 1 / mass
      var inertia = d.shape.principalInertia(mass: mass)
      // A hull or compound: the exact tensor about its centre of mass, which need not be
      // the shape's origin; the body then lives at the centre of mass and collides with
      // its shape moved there.
      if let mp = d.shape.massProperties, mp.centerOfMass != .zero || !Self.isDiagonal(mp.inertia),
        let moved = d.shape.translated(by: -mp.centerOfMass)
      {
        let (moments, turn) = mp.inertia(mass: mass).principal()
        if moments.x.isFinite, moments.y.isFinite, moments.z.isFinite, moments.minComponent > 0 {
          inertia = moments
          shape = moved
          centerOfMass = mp.centerOfMass
          if !Self.isIdentity(turn) { principalAxes = turn }
        }
      }
      inverseInertia = Vec3(1 / inertia.x, 1 / inertia.y, 1 / inertia.z)
    }
    let frame = Mat3(rotation: rotation)
    let position = centerOfMass == .zero ? d.transform.translation : d.transform.translation + frame.apply(centerOfMass)
    shapes.append(shape)
    givenShapes.append(d.shape)
    centersOfMass.append(centerOfMass)
    inertiaAxes.append(principalAxes)
    anisotropic.append(inverseInertia.x != inverseInertia.y || inverseInertia.y != inverseInertia.z)
    motions.append(d.motion)
    positions.append(position)
    rotations.append(rotation)
    axes.append(frame)
    let moves = d.motion != .static
    linearVelocities.append(moves ? d.linearVelocity : .zero)
    angularVelocities.append(moves ? d.angularVelocity : .zero)
    inverseMasses.append(inverseMass)
    inverseInertiasLocal.append(inverseInertia)
    inverseInertiasWorld.append((principalAxes.map { frame * $0 } ?? frame).similarity(diagonal: inverseInertia))
    frictions.append(d.friction)
    restitutions.append(d.restitution)
    linearDampings.append(d.linearDamping)
    angularDampings.append(d.angularDamping)
    sleepAllowed.append(d.allowsSleep)
    awake.append(d.motion != .static)
    restingTime.append(0)
    forces.append(.zero)
    torques.append(.zero)
    sleepIsland.append(-1)
    bounds.append(Self.bounds(shape: shape, position: position, axes: frame, margin: 0))
    spinRadii.append(Self.reachRadius(of: shape))
    if case .compound(let parts) = shape {
      for b in parts {
        let box = b.localBox
        partBoxes.append(PartBox(center: box.center, rotation: Mat3(rotation: box.rotation), halfExtents: box.halfExtents))
      }
    }
    partBoxStart.append(partBoxes.count)
    actorSlot.append(-1)
    pseudoLinear.append(.zero)
    pseudoAngular.append(.zero)
    islandParent.append(index)
    islandMinResting.append(0)
    if case .plane = d.shape {
      planeBodies.append(index)
    } else {
      sweepOrder.append(index)
    }
    return BodyID(rawValue: index)
  }

  /// Adds a static ground plane at height `height` with its normal along +z.
  @discardableResult
  public mutating func addGroundPlane(height: Double = 0, friction: Double = 0.5, restitution: Double = 0)
    throws(PhysicsError) -> BodyID
  {
    try addBody(
      RigidBodyDescriptor(
        shape: .plane, transform: Transform(translation: Vec3(0, 0, height)), motion: .static,
        friction: friction, restitution: restitution))
  }

  static func isDiagonal(_ t: InertiaTensor) -> Bool { t.xy == 0 && t.xz == 0 && t.yz == 0 }

  static func isIdentity(_ m: Mat3) -> Bool { m.c0 == .unitX && m.c1 == .unitY && m.c2 == .unitZ }

  private static func validate(_ d: RigidBodyDescriptor) throws(PhysicsError) {
    func finite(_ v: Vec3) -> Bool { v.x.isFinite && v.y.isFinite && v.z.isFinite }
    let q = d.transform.rotation
    guard finite(d.transform.translation), q.w.isFinite, q.x.isFinite, q.y.isFinite, q.z.isFinite,
      q.normSquared > 1e-12
    else { throw .invalidParameter("transform") }
    guard finite(d.linearVelocity), finite(d.angularVelocity) else { throw .invalidParameter("velocity") }
    guard d.friction.isFinite, d.friction >= 0 else { throw .invalidParameter("friction") }
    guard d.restitution.isFinite, d.restitution >= 0, d.restitution <= 1 else {
      throw .invalidParameter("restitution")
    }
    guard d.linearDamping.isFinite, d.linearDamping >= 0, d.angularDamping.isFinite, d.angularDamping >= 0 else {
      throw .invalidParameter("damping")
    }
  }

  // MARK: - Queries

  /// Number of bodies; ids run from 0 to `bodyCount - 1`.
  @inlinable public var bodyCount: Int { shapes.count }

  /// All body ids in ascending order.
  public var bodyIDs: [BodyID] { (0..<Int32(shapes.count)).map(BodyID.init(rawValue:)) }

  @inlinable public func contains(_ id: BodyID) -> Bool { id.rawValue >= 0 && id.index < shapes.count }

  /// The pose of the body's shape (the frame its descriptor's shape is given in), or `nil`
  /// for an unknown id. For a dynamic hull or compound whose centre of mass is not its
  /// origin this is not the centre of mass (`centerOfMass(of:)`).
  public func transform(of id: BodyID) -> Transform? {
    guard contains(id) else { return nil }
    let i = id.index
    let c = centersOfMass[i]
    return Transform(rotation: rotations[i], translation: c == .zero ? positions[i] : positions[i] - axes[i].apply(c))
  }

  /// The body's centre of mass in the world, or `nil` for an unknown id.
  public func centerOfMass(of id: BodyID) -> Vec3? { contains(id) ? positions[id.index] : nil }

  /// The velocity of the body's centre of mass (m/s) and its angular velocity (rad/s, world
  /// frame), or `nil` for an unknown id.
  public func velocity(of id: BodyID) -> (linear: Vec3, angular: Vec3)? {
    guard contains(id) else { return nil }
    return (linearVelocities[id.index], angularVelocities[id.index])
  }

  /// The body's collision shape as given, or `nil` for an unknown id.
  public func shape(of id: BodyID) -> CollisionShape? { contains(id) ? givenShapes[id.index] : nil }
  /// Whether the body is dynamic, static or kinematic; `nil` for an unknown id.
  public func motion(of id: BodyID) -> MotionType? { contains(id) ? motions[id.index] : nil }

  /// Mass in kg (`infinity` for static and kinematic bodies).
  public func mass(of id: BodyID) -> Double? {
    guard contains(id) else { return nil }
    let inv = inverseMasses[id.index]
    return inv > 0 ? 1 / inv : .infinity
  }

  /// The world-space bounding box the broad phase last used (includes the speculative margin).
  public func bounds(of id: BodyID) -> AABB? { contains(id) ? bounds[id.index] : nil }

  /// Whether the body takes part in stepping; sleeping and static bodies do not.
  public func isAwake(_ id: BodyID) -> Bool { contains(id) && awake[id.index] }

  /// Forgets the recorded contact-begin events (for callers that consume them as they
  /// come); `collided` keeps answering for the whole run.
  public mutating func removeAllContactEvents() {
    contactEvents.removeAll(keepingCapacity: true)
  }

  /// Whether the two bodies touched at any time so far.
  public func collided(_ a: BodyID, _ b: BodyID) -> Bool {
    Self.sortedContains(everTouched, BodyPair(a, b).key)
  }

  /// Every pair that touched at any time so far, sorted.
  public var collidedPairs: [BodyPair] { everTouched.map(Self.pair(fromKey:)) }

  /// Whether the two bodies touch now (after the last substep's contact update).
  public func isTouching(_ a: BodyID, _ b: BodyID) -> Bool {
    let key = BodyPair(a, b).key
    guard let m = Self.manifoldIndex(manifolds, key) else { return false }
    return manifolds[m].touching
  }

  /// Current contacts, pair by pair in id order; only points that touch (within
  /// `touchTolerance`) are listed.
  public var contacts: [ContactInfo] {
    var out: [ContactInfo] = []
    for m in manifolds where m.touching {
      let pair = Self.pair(fromKey: m.key)
      let flip: Double = BodyID(rawValue: m.bodyA) == pair.first ? 1 : -1
      for p in points[Int(m.firstPoint)..<Int(m.firstPoint + m.pointCount)]
      where p.separation <= settings.touchTolerance {
        out.append(
          ContactInfo(
            pair: pair, position: p.position, normal: p.normal * flip, separation: p.separation,
            normalImpulse: p.normalImpulse))
      }
    }
    return out
  }

  // MARK: - Driving bodies directly

  /// Sets a dynamic or kinematic body's velocity and wakes it.
  public mutating func setVelocity(of id: BodyID, linear: Vec3, angular: Vec3) throws(PhysicsError) {
    guard contains(id), motions[id.index] != .static else { throw .unknownBody(id) }
    guard linear.x.isFinite, linear.y.isFinite, linear.z.isFinite, angular.x.isFinite, angular.y.isFinite,
      angular.z.isFinite
    else { throw .invalidParameter("velocity") }
    linearVelocities[id.index] = linear
    angularVelocities[id.index] = angular
    wake(id)
  }

  /// Moves a body's shape to `transform` (teleport; no velocity results) and wakes it.
  public mutating func setTransform(of id: BodyID, _ transform: Transform) throws(PhysicsError) {
    guard contains(id) else { throw .unknownBody(id) }
    let t = transform.translation
    let r = transform.rotation
    guard t.x.isFinite, t.y.isFinite, t.z.isFinite, r.w.isFinite, r.x.isFinite, r.y.isFinite, r.z.isFinite,
      r.normSquared > 1e-12
    else { throw .invalidParameter("transform") }
    setRotation(id.index, r.normalized)
    let c = centersOfMass[id.index]
    positions[id.index] = c == .zero ? t : t + axes[id.index].apply(c)
    // Static bodies are not re-bounded while stepping; do it here.
    bounds[id.index] = Self.bounds(shape: shapes[id.index], position: positions[id.index], axes: axes[id.index], margin: 0)
    wake(id)
    // Whatever rested on it must notice it has gone.
    for m in manifolds where m.bodyA == id.rawValue || m.bodyB == id.rawValue {
      wakeIsland(ofBody: Int(m.bodyA == id.rawValue ? m.bodyB : m.bodyA))
    }
  }

  /// Applies an impulse (N·s) at a world point to a dynamic body and wakes it.
  public mutating func applyImpulse(_ impulse: Vec3, at point: Vec3, to id: BodyID) throws(PhysicsError) {
    guard contains(id), motions[id.index] == .dynamic else { throw .unknownBody(id) }
    let i = id.index
    linearVelocities[i] += impulse * inverseMasses[i]
    angularVelocities[i] += inverseInertiasWorld[i].apply((point - positions[i]).cross(impulse))
    wake(id)
  }

  /// Applies `force` (N) at the world point `point` (the centre of mass when `nil`) to a
  /// dynamic body for the duration of the next `step` call; forces add up until then.
  /// Wakes the body.
  public mutating func applyForce(_ force: Vec3, at point: Vec3? = nil, to id: BodyID) throws(PhysicsError) {
    guard contains(id), motions[id.index] == .dynamic else { throw .unknownBody(id) }
    guard force.x.isFinite, force.y.isFinite, force.z.isFinite else { throw .invalidParameter("force") }
    let i = id.index
    forces[i] += force
    if let point {
      guard point.x.isFinite, point.y.isFinite, point.z.isFinite else { throw .invalidParameter("point") }
      torques[i] += (point - positions[i]).cross(force)
    }
    wake(id)
  }

  /// Wakes a sleeping dynamic body together with the island it fell asleep with.
  public mutating func wake(_ id: BodyID) {
    guard contains(id) else { return }
    wakeIsland(ofBody: id.index)
  }

  @usableFromInline mutating func setRotation(_ i: Int, _ q: Quaternion) {
    rotations[i] = q
    let frame = Mat3(rotation: q)
    axes[i] = frame
    inverseInertiasWorld[i] = principalFrame(i, frame).similarity(diagonal: inverseInertiasLocal[i])
  }

  /// The principal axes of body `i`'s inertia in the world for a body whose axes are `frame`.
  @inlinable func principalFrame(_ i: Int, _ frame: Mat3) -> Mat3 {
    if let turn = inertiaAxes[i] { return frame * turn }
    return frame
  }

  /// Body `i`'s angular momentum about its centre of mass (kg·m²/s, world frame).
  func angularMomentum(_ i: Int) -> Vec3 {
    let inv = inverseInertiasLocal[i]
    guard inverseMasses[i] > 0 else { return .zero }
    let f = principalFrame(i, axes[i])
    let w = f.applyTransposed(angularVelocities[i])
    return f.apply(Vec3(w.x / inv.x, w.y / inv.y, w.z / inv.z))
  }

  /// Body `i`'s kinetic energy (J): translation of its centre of mass plus rotation about it.
  func kineticEnergy(_ i: Int) -> Double {
    guard inverseMasses[i] > 0 else { return 0 }
    let inv = inverseInertiasLocal[i]
    let w = principalFrame(i, axes[i]).applyTransposed(angularVelocities[i])
    let rotational = w.x * w.x / inv.x + w.y * w.y / inv.y + w.z * w.z / inv.z
    return 0.5 * (linearVelocities[i].lengthSquared / inverseMasses[i] + rotational)
  }

  /// A compound part's local box: centre, rotation as a matrix, half extents (what
  /// `bounds(shape:…)` works out from each `CompoundPart.localBox`).
  @usableFromInline struct PartBox: Sendable {
    @usableFromInline let center: Vec3
    @usableFromInline let rotation: Mat3
    @usableFromInline let halfExtents: Vec3

    @inlinable init(center: Vec3, rotation: Mat3, halfExtents: Vec3) {
      self.center = center
      self.rotation = rotation
      self.halfExtents = halfExtents
    }
  }

  /// The distance from a body's centre that its spin moves its farthest point by, per
  /// radian (`travel`): none for a sphere or a plane.
  static func reachRadius(of shape: CollisionShape) -> Double {
    switch shape {
    case .sphere: 0  // a spinning sphere's surface stays where it is
    case .box(let e): e.length
    case .capsule(let r, let hh): r + hh
    case .plane: 0
    case .cylinder(let r, let hh): (r * r + hh * hh).squareRoot()
    case .hull, .compound: shape.localBoundsHalfExtents().length
    }
  }

  /// `bounds(shape: shapes[i], position: positions[i], axes: axes[i], margin:)`, with a
  /// compound's part boxes read from `partBoxes` (the same values, the same arithmetic).
  func bodyBounds(_ i: Int, margin: Double) -> AABB {
    let first = partBoxStart[i], end = partBoxStart[i + 1]
    guard first < end else { return Self.bounds(shape: shapes[i], position: positions[i], axes: axes[i], margin: margin) }
    let p = positions[i], a = axes[i]
    let m = Vec3(repeating: margin)
    var lower = Vec3(repeating: .infinity), upper = Vec3(repeating: -.infinity)
    partBoxes.withUnsafeBufferPointer { boxes in
      for k in first..<end {
        let box = boxes[k]
        Self.widen(
          &lower, &upper, position: p, axes: a, center: box.center, rotation: box.rotation,
          halfExtents: box.halfExtents)
      }
    }
    return AABB(lower: lower - m, upper: upper + m)
  }

  /// Widens `lower`…`upper` by a compound part's box (`center`, `rotation`, `halfExtents`
  /// in the body's frame) on a body at `p` with axes `a`: what `bounds(shape:…)` and
  /// `bodyBounds` both do for each part.
  @inline(__always)
  static func widen(
    _ lower: inout Vec3, _ upper: inout Vec3, position p: Vec3, axes a: Mat3, center: Vec3, rotation: Mat3,
    halfExtents: Vec3
  ) {
    let c = p + a.apply(center)
    let e = CollisionShape.rotatedExtent(halfExtents, a * rotation)
    lower = Vec3(Swift.min(lower.x, c.x - e.x), Swift.min(lower.y, c.y - e.y), Swift.min(lower.z, c.z - e.z))
    upper = Vec3(Swift.max(upper.x, c.x + e.x), Swift.max(upper.y, c.y + e.y), Swift.max(upper.z, c.z + e.z))
  }

  static func bounds(shape: CollisionShape, position p: Vec3, axes a: Mat3, margin: Double) -> AABB {
    let r: Vec3
    switch shape {
    case .sphere(let radius):
      r = Vec3(repeating: radius)
    case .box(let h):
      r = Vec3(
        abs(a.c0.x) * h.x + abs(a.c1.x) * h.y + abs(a.c2.x) * h.z,
        abs(a.c0.y) * h.x + abs(a.c1.y) * h.y + abs(a.c2.y) * h.z,
        abs(a.c0.z) * h.x + abs(a.c1.z) * h.y + abs(a.c2.z) * h.z)
    case .capsule(let radius, let h):
      let axis = a.c2 * h
      r = Vec3(abs(axis.x), abs(axis.y), abs(axis.z)) + Vec3(repeating: radius)
    case .plane:
      return AABB(lower: Vec3(repeating: -.infinity), upper: Vec3(repeating: .infinity))
    case .cylinder(let radius, let h):
      // Along a world axis: the axis' reach plus the rim's, r·√(1 − u_i²).
      let u = a.c2
      r = Vec3(
        abs(u.x) * h + radius * Swift.max(0, 1 - u.x * u.x).squareRoot(),
        abs(u.y) * h + radius * Swift.max(0, 1 - u.y * u.y).squareRoot(),
        abs(u.z) * h + radius * Swift.max(0, 1 - u.z * u.z).squareRoot())
    case .hull(let poly):
      var lower = Vec3(repeating: .infinity), upper = Vec3(repeating: -.infinity)
      for v in poly.vertices {
        let w = a.apply(v)
        lower = pointwiseMin(lower, w)
        upper = pointwiseMax(upper, w)
      }
      let m = Vec3(repeating: margin)
      return AABB(lower: p + lower - m, upper: p + upper + m)
    case .compound(let parts):
      let m = Vec3(repeating: margin)
      var lower = Vec3(repeating: .infinity), upper = Vec3(repeating: -.infinity)
      for b in parts {
        let box = b.localBox
        widen(
          &lower, &upper, position: p, axes: a, center: box.center, rotation: Mat3(rotation: box.rotation),
          halfExtents: box.halfExtents)
      }
      return AABB(lower: lower - m, upper: upper + m)
    }
    let m = Vec3(repeating: margin)
    return AABB(lower: p - r - m, upper: p + r + m)
  }

  static func pair(fromKey key: UInt64) -> BodyPair {
    BodyPair(BodyID(rawValue: Int32(truncatingIfNeeded: key >> 32)), BodyID(rawValue: Int32(truncatingIfNeeded: key)))
  }

  static func sortedContains(_ keys: [UInt64], _ key: UInt64) -> Bool {
    let i = lowerBound(keys, key)
    return i < keys.count && keys[i] == key
  }

  static func lowerBound(_ keys: [UInt64], _ key: UInt64) -> Int {
    var lo = 0
    var hi = keys.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if keys[mid] < key { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }

  static func manifoldIndex(_ list: [Manifold], _ key: UInt64) -> Int? {
    var lo = 0
    var hi = list.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if list[mid].key < key { lo = mid + 1 } else { hi = mid }
    }
    return lo < list.count && list[lo].key == key ? lo : nil
  }
}

extension PhysicsWorld: CustomStringConvertible {
  /// A one-line summary (test failures print this instead of every array).
  public var description: String {
    let awakeCount = (0..<shapes.count).filter { awake[$0] && motions[$0] == .dynamic }.count
    return "PhysicsWorld(time: \(time), bodies: \(shapes.count), awake dynamic: \(awakeCount), "
      + "manifolds: \(manifolds.count), events: \(contactEvents.count))"
  }
}
