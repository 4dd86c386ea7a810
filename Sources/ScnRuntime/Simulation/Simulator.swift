import ScnGeometry
import ScnIR
import ScnPhysics
import ScnSource

/// The result of simulating one accepted attempt.
enum SimulationOutcome: Sendable {
  case accepted(Trace)
  /// A temporal requirement failed: the check's index in the scenario's `infos`.
  case rejected(check: Int)
}

/// Moves the world of one accepted attempt: builds a `PhysicsWorld` from the attempt's
/// records, runs every actor's behavior on the fixed step `1 / rate`, evaluates
/// `require always`, `require eventually` and `terminate when` at every step against the
/// current state, and records the trace at the sensors' frame times.
///
/// It works on the attempt's context (records are updated in place while it runs, so the
/// interpreter sees the current positions) and restores the records when it returns.
final class Simulator {
  let scenario: CompiledScenario
  let ctx: Context
  let types: [CompiledType]
  let behaviors: BehaviorTable
  let seed: UInt64
  let sample: UInt64
  let attempt: UInt32
  let localCount: Int

  var world = PhysicsWorld()
  var actors: [SimulatedActor] = []
  /// Per actor: whether it exists now (false until the sub-scenario that creates it starts).
  var present: [Bool] = []
  /// Record index → index into `actors` (-1: not an actor of the scene).
  var actorOfRecord: [Int] = []
  /// Body id → record index (-1: the ground).
  var recordOfBody: [Int] = []
  var runners: [BehaviorRunner] = []
  /// Per runner: the schedule branch it belongs to (nil: the scenario's own), and whether it runs now.
  var runnerBranch: [Int?] = []
  var runnerActive: [Bool] = []
  /// Per runner: how many overrides of a running sub-scenario suspend it (it runs at 0).
  var runnerSuspended: [Int] = []
  /// The `compose` steps run in sequence, where they are (nil without a schedule).
  var sequence: ScheduleRun?
  private var lanes = LaneNetwork(definitions: [])
  private var routes = MapRoutes(definitions: [])
  private var traffic = Traffic(actors: 0)
  private var dt = 0.0
  /// The simulated time, seconds (how far map routes of `follow_lane` reach).
  private var duration = 0.0
  /// The native actions behaviors started, in order (`Trace.actions`).
  private var actionLog: [ActionRecord] = []
  /// The step the behaviors are being advanced at.
  private var currentStep = 0
  /// The check infos of the behavior checks this run evaluated (for the explanation table).
  private(set) var evaluatedBehaviorChecks = Set<Int>()

  init(scenario: CompiledScenario, ctx: Context, types: [CompiledType], behaviors: BehaviorTable, seed: UInt64,
       sample: UInt64, attempt: Int, localCount: Int)
  {
    self.scenario = scenario
    self.ctx = ctx
    self.types = types
    self.behaviors = behaviors
    self.seed = seed
    self.sample = sample
    self.attempt = UInt32(truncatingIfNeeded: attempt)
    self.localCount = max(localCount, 1)
  }

  func run() throws(RuntimeError) -> SimulationOutcome {
    let range = scenario.ir.simulation?.duration.range ?? scenario.ir.range
    let initialRecords = ctx.records
    let savedLocals = ctx.locals
    ctx.globalVariables.removeAll()
    defer {
      ctx.globalVariables.removeAll()
      ctx.records = initialRecords
      ctx.locals = savedLocals
      ctx.selfRecord = nil
      ctx.collidedPairs = nil
      ctx.simulationTime = 0
    }
    if ctx.locals.count < localCount { ctx.locals += Array(repeating: .void, count: localCount - ctx.locals.count) }
    var steps = 0
    var rate = 0.0
    if let sim = scenario.simulation {
      let duration = try sim.duration(ctx).asDouble
      rate = try sim.rate(ctx).asDouble
      guard rate > 0, rate.isFinite else {
        throw RuntimeError(.badSimulation, "simulate: the rate must be positive, got \(rate) Hz", at: range)
      }
      guard duration >= 0, duration.isFinite else {
        throw RuntimeError(.badSimulation, "simulate: the duration must not be negative, got \(duration) s", at: range)
      }
      let exact = (duration * rate).rounded()
      guard exact <= Double(ctx.limits.steps) else {
        throw RuntimeError(.badSimulation,
                           "simulate: \(duration) s at \(rate) Hz is more than \(ctx.limits.steps) steps (the limit per simulation); "
                             + ResourceLimits.howToRaise("steps"), at: range)
      }
      steps = Int(exact)
      dt = 1 / rate
      self.duration = duration
    }
    sequence = scenario.schedule.map { ScheduleRun($0) }
    try applyOverrides()
    try buildWorld()
    var recorder = try Recorder(scenario.records, steps: steps, limit: ctx.limits.trace, at: range)
    // The trace keeps every actor's state at every recorded step: bound it before running.
    // (The trace holds one state per actor and recorded step.)
    guard Double(steps + 1) * Double(max(actors.count, 1)) <= Double(ctx.limits.trace) else {
      throw RuntimeError(.resourceLimit,
                         "simulate: \(steps + 1) steps × \(actors.count) actors is more than \(ctx.limits.trace) actor states "
                           + "(the trace limit); shorten the simulation, lower its rate, or " + ResourceLimits.howToRaise("trace"),
                         at: range)
    }
    // Monitors run before the actors' behaviors at every step, in the IR's order.
    for m in scenario.monitors {
      guard case .behavior(let call) = try m(ctx),
        let runner = BehaviorRunner(actor: nil, call: call, table: behaviors, localCount: localCount)
      else {
        throw RuntimeError(.unsupported, "'require monitor' needs a monitor", at: scenario.ir.range)
      }
      addRunner(runner, branch: nil, active: true)
    }
    for (a, actor) in actors.enumerated() {
      guard let call = ctx.records[actor.record].behavior else { continue }
      guard let runner = BehaviorRunner(actor: a, call: call, table: behaviors, localCount: localCount),
        behaviors[call.name]?.isMonitor != true
      else {
        throw RuntimeError(.unsupported, "unknown behavior '\(call.name)'", at: definitionRange(of: actor.record))
      }
      // A sub-scenario's actor behaves while its sub-scenario runs (docs/language-tour.md).
      let branch = sequence?.branch(ofDefinition: ctx.records[actor.record].definition)
      addRunner(runner, branch: branch, active: branch == nil)
    }
    traffic = Traffic(actors: actors.count)
    traffic.timings = MapRoutes.timings(definitions: ctx.definitions)
    let sensors = ctx.records.indices.filter { ctx.records[$0].definition >= 0 && types[ctx.records[$0].typeIndex].isSensor }
    var schedule = FrameSchedule(sensorRates: sensors.map { sensorRate($0) }, simulationRate: rate)
    // A sensor of a sequenced sub-scenario records while that sub-scenario runs (its branch).
    let sensorBranches = sensors.map { sequence?.branch(ofDefinition: ctx.records[$0].definition) }

    var frames: [Trace.Frame] = []
    var eventually = Array(repeating: false, count: scenario.temporal.count)
    var terminated = false
    var reason = Trace.TerminationReason.timeLimit
    var lastStep = 0
    var seenEvents = 0
    let substeps = dt > 0 ? max(1, Int((dt / 0.01).rounded(.up))) : 1
    for k in 0...steps {
      lastStep = k
      ctx.simulationTime = Double(k) * dt
      if k > 0 { syncRecords() }
      if world.contactEvents.count != seenEvents {
        seenEvents = world.contactEvents.count
        ctx.collidedPairs = collidedRecordPairs()
      } else if ctx.collidedPairs == nil {
        ctx.collidedPairs = []
      }
      switch try updateSchedule(step: k) {
      case .none: break
      case .finished:
        terminated = true
        reason = .condition
      case .reject(let info): return .rejected(check: info)
      }
      try recorder.take(step: k, time: ctx.simulationTime, ctx) { b in sequence?.running.contains { $0.branch == b } ?? false }
      if let failed = try checkTemporal(scenario.temporal, met: &eventually) { return .rejected(check: failed) }
      for t in scenario.terminations where try t(ctx).asBool {
        terminated = true
        reason = .condition
        break
      }
      let due = schedule.due(step: k)
      if sensors.isEmpty || due.contains(true) {
        frames.append(frame(step: k, sensors: sensors, due: due, branches: sensorBranches))
      }
      if terminated || k == steps { break }
      for i in runners.indices where runnerActive[i] && runnerSuspended[i] == 0 {
        switch try advance(&runners[i], step: k) {
        case .none: continue
        case .terminate:
          // A sub-scenario's behavior or monitor ends that sub-scenario only.
          if branchTerminated(byRunner: i) { continue }
          terminated = true
          reason = runners[i].actor == nil ? .monitor : .behavior
        case .reject(let info): return .rejected(check: info)
        }
        // `terminate` ends the run at once: later behaviors do not act at this step.
        if terminated { break }
      }
      if terminated { break }
      do throws(PhysicsError) {
        try traffic.control(world: &world, actors: actors, step: k, dt: dt)
        try world.step(dt: dt, substeps: substeps)
      } catch {
        throw RuntimeError(.badSimulation, "the physics step failed: \(error)", at: range)
      }
    }
    if let missed = scenario.temporal.indices.first(where: { scenario.temporal[$0].mode == .eventually && !eventually[$0] }) {
      return .rejected(check: scenario.temporal[missed].info)
    }
    if let missed = scheduleMissedEventually() { return .rejected(check: missed) }
    let endTime = Double(lastStep) * dt
    let collisions = world.contactEvents.compactMap { e -> Trace.Collision? in
      guard e.time <= endTime + dt / 2 else { return nil }
      let a = record(ofBody: e.pair.first), b = record(ofBody: e.pair.second)
      return Trace.Collision(time: e.time, first: a, second: b, began: e.kind == .began, position: e.position)
    }
    var trace = Trace(step: dt, endTime: endTime, terminated: terminated, frames: frames, collisions: collisions)
    trace.actions = actionLog
    trace.reason = reason
    trace.records = recorder.series
    return .accepted(trace)
  }

  /// Adds a behavior or monitor runner: `branch` is the schedule branch it belongs to (nil:
  /// the scenario's own), `active` whether it runs from now.
  func addRunner(_ runner: BehaviorRunner, branch: Int?, active: Bool) {
    runners.append(runner)
    runnerBranch.append(branch)
    runnerActive.append(active)
    runnerSuspended.append(0)
  }

  /// Evaluates `require always` / `require eventually` checks at this step, skipping the
  /// `eventually` ones already met (`met`, one per check, updated): the info of an `always`
  /// that fails, else nil. The scenario's own checks and a running sub-scenario's share it.
  func checkTemporal(_ checks: [TemporalCheck], met: inout [Bool]) throws(RuntimeError) -> Int? {
    for (i, check) in checks.enumerated() where !(met.indices.contains(i) && met[i]) {
      let holds = try check.eval(ctx).asBool
      switch check.mode {
      case .always: if !holds { return check.info }
      case .eventually: if holds, met.indices.contains(i) { met[i] = true }
      }
    }
    return nil
  }

  // MARK: - World

  /// Where record `i` was defined: the `let`/`ego` that built it (the scenario without one).
  func definitionRange(of i: Int) -> SourceRange {
    guard ctx.records.indices.contains(i) else { return scenario.ir.range }
    let d = ctx.records[i].definition
    return scenario.ir.definitions.indices.contains(d) ? scenario.ir.definitions[d].range : scenario.ir.range
  }

  /// The name of record `i`'s definition, for messages.
  func definitionName(of i: Int) -> String {
    guard ctx.records.indices.contains(i) else { return "an actor" }
    let d = ctx.records[i].definition
    return scenario.ir.definitions.indices.contains(d) ? "'\(scenario.ir.definitions[d].name)'" : "an actor"
  }

  /// Adds every physical actor to a new world; an actor the physics rejects is an error at
  /// that actor's definition.
  private func buildWorld() throws(RuntimeError) {
    world = PhysicsWorld()
    lanes = LaneNetwork(definitions: ctx.definitions)
    routes = MapRoutes(definitions: ctx.definitions)
    recordOfBody = []
    do throws(PhysicsError) {
      let ground = try world.addGroundPlane(height: 0, friction: 0.8)
      recordOfBody = Array(repeating: -1, count: Int(ground.rawValue) + 1)
    } catch {
      throw RuntimeError(.badSimulation, "the physics cannot hold this scene: \(error)", at: scenario.ir.range)
    }
    actorOfRecord = Array(repeating: -1, count: ctx.records.count)
    actors = []
    present = []
    runners = []
    runnerBranch = []
    runnerActive = []
    runnerSuspended = []
    for (i, r) in ctx.records.enumerated() where r.definition >= 0 {
      let t = types[r.typeIndex]
      guard !t.isSensor else { continue }
      // A vehicle or walker starts driving or walking forward at `speed`; the controllers
      // cannot start in reverse, so a negative speed is an error rather than a silent 0.
      if let k = t.fieldIndex["speed"], k < r.fieldCount, r.field(k).asDouble < 0 {
        let fixed = t.fieldIndex["fixed"].map { r.field($0).asBool } ?? false
        let role = ActorRole.of(type: t, hasBehavior: r.behavior != nil, fixed: fixed, size: r.size)
        if role == .vehicle || role == .walker {
          throw RuntimeError(.badSimulation,
                             "actor \(definitionName(of: i)) has a negative starting speed (\(r.field(k).asDouble) m/s); a \(role == .vehicle ? "vehicle" : "walker") starts moving forward, so give a speed ≥ 0 and turn it around with 'facing'",
                             at: definitionRange(of: i))
        }
      }
      do throws(PhysicsError) {
        // A sub-scenario that starts later creates its actors then (`materialize`).
        try addActor(i, r, absent: sequence?.isDeferredDefinition(r.definition) ?? false)
      } catch {
        throw RuntimeError(.badSimulation, "the physics cannot hold actor \(definitionName(of: i)): \(error)",
                           at: definitionRange(of: i))
      }
    }
    // A map's traffic lights are fixed: a static body per pole and housing, like a fixed
    // prop's parts (docs/scene-model.md, "Traffic lights"). Their contacts name the actor
    // index `Trace.trafficLight` (-2).
    for (model, definition) in TrafficLights.maps(in: ctx.definitions) {
      for o in model.lightObstacles {
        do throws(PhysicsError) {
          let (shape, transform) = CollisionShapes.solid(o.part)
          let id = try world.addBody(RigidBodyDescriptor(shape: shape, transform: transform, motion: .static, friction: 0.6))
          while recordOfBody.count <= Int(id.rawValue) { recordOfBody.append(-1) }
          recordOfBody[Int(id.rawValue)] = Self.trafficLightBody
        } catch {
          let range = scenario.ir.definitions.indices.contains(definition) ? scenario.ir.definitions[definition].range : scenario.ir.range
          throw RuntimeError(.badSimulation, "the physics cannot hold traffic light \(o.light + 1) of \(model.path): \(error)", at: range)
        }
      }
    }
  }

  private func addActor(_ i: Int, _ r: Record, absent: Bool = false) throws(PhysicsError) {
    let t = types[r.typeIndex]
    let fixed = t.fieldIndex["fixed"].map { r.field($0).asBool } ?? false
    let role = ActorRole.of(type: t, hasBehavior: r.behavior != nil, fixed: fixed, size: r.size)
    func field(_ name: String, _ fallback: Double) -> Double {
      guard let k = t.fieldIndex[name] else { return fallback }
      let x = r.field(k).asDouble
      return x.isFinite && x > 0 ? x : fallback
    }
    actorOfRecord[i] = actors.count
    var actor = SimulatedActor(record: i, role: role, body: absent ? nil : try makeBody(i, r, role: role), size: r.size,
                               maxSpeed: field("max_speed", 50))
    if let k = t.fieldIndex["min_gap"], r.field(k).asDouble.isFinite { actor.minGap = max(0, r.field(k).asDouble) }
    if let k = t.fieldIndex["time_headway"], r.field(k).asDouble.isFinite { actor.timeHeadway = max(0, r.field(k).asDouble) }
    actors.append(actor)
    present.append(!absent)
  }

  /// Creates actor `a`'s body when its sub-scenario starts, from its sampled record.
  func materialize(_ a: Int) throws(RuntimeError) {
    let i = actors[a].record
    do throws(PhysicsError) {
      actors[a].body = try makeBody(i, ctx.records[i], role: actors[a].role)
    } catch {
      throw RuntimeError(.badSimulation, "the physics cannot hold actor \(definitionName(of: i)): \(error)",
                         at: definitionRange(of: i))
    }
    present[a] = true
  }

  /// The physics body of record `i` (nil for an actor without one).
  private func makeBody(_ i: Int, _ r: Record, role: ActorRole) throws(PhysicsError) -> BodyID? {
    let t = types[r.typeIndex]
    func field(_ name: String, _ fallback: Double) -> Double {
      guard let k = t.fieldIndex[name] else { return fallback }
      let x = r.field(k).asDouble
      return x.isFinite && x > 0 ? x : fallback
    }
    let speed = t.fieldIndex["speed"].map { r.field($0).asDouble } ?? 0
    let half = r.size / 2
    // A pitched or rolled prop starts from its full orientation; vehicles and walkers are
    // kinematic and ground-bound: they start level at the same yaw (docs/scene-model.md).
    let rotation = r.rotation
    let centre = r.position + rotation.rotate(Vec3(0, 0, half.z))
    var body: BodyID?
    switch role {
    case .vehicle:
      let params = VehicleParameters(wheelbase: field("wheelbase", 2.7), maxSpeed: field("max_speed", 50),
                                     maxAcceleration: field("max_acceleration", 3), maxDeceleration: field("max_deceleration", 8))
      guard let v = Self.rolling(params, at: r.position, yaw: r.heading, speed: speed)
        ?? Self.rolling(VehicleParameters(), at: r.position, yaw: r.heading, speed: speed)
      else { throw PhysicsError.invalidParameter("vehicle pose or parameters of '\(t.name)'") }
      body = try world.addVehicle(v, halfExtents: half, shape: CollisionShapes.shape(of: r, type: t))
    case .walker:
      guard let p = KinematicPedestrian(position: r.position, yaw: r.heading, maxAcceleration: field("max_acceleration", 1.5))
        ?? KinematicPedestrian(position: r.position, yaw: r.heading)
      else { throw PhysicsError.invalidParameter("walker pose of '\(t.name)'") }
      let id = try world.addPedestrian(
        p, radius: min(half.x, half.y), height: r.size.z, shape: CollisionShapes.shape(of: r, type: t))
      if speed > 0, r.behavior == nil {
        try world.walk(id, to: r.position + Vec3(r.heading.cosine, r.heading.sine, 0) * 10_000, speed: speed)
      }
      body = id
    case .dynamicProp:
      body = try world.addBody(RigidBodyDescriptor(
        shape: CollisionShapes.shape(of: r, type: t), transform: Transform(rotation: rotation, translation: centre),
        motion: .dynamic, mass: .mass(field("mass", 1)), friction: 0.6, restitution: 0.1,
        linearVelocity: rotation.rotate(.unitX) * speed))
    case .staticProp:
      // A fixture collides as the parts the sampler's overlap test uses: a rack's
      // uprights and beams, so pallets rest on its levels and fit between them.
      for part in Geometry.worldParts(of: r, type: t) {
        let (shape, transform) = CollisionShapes.solid(part)
        let id = try world.addBody(RigidBodyDescriptor(shape: shape, transform: transform, motion: .static, friction: 0.6))
        while recordOfBody.count <= Int(id.rawValue) { recordOfBody.append(-1) }
        recordOfBody[Int(id.rawValue)] = i
        if body == nil { body = id }
      }
    case .none:
      body = nil
    }
    if let id = body {
      while recordOfBody.count <= Int(id.rawValue) { recordOfBody.append(-1) }
      recordOfBody[Int(id.rawValue)] = i
    }
    return body
  }

  /// A vehicle at `position` already driving straight at `speed` (an actor's `speed` field:
  /// the scene opens mid-drive). The controller has no way to set a speed directly, so it
  /// is run up to speed from the point behind `position` that makes it arrive there.
  static func rolling(_ parameters: VehicleParameters, at position: Vec3, yaw: Double, speed: Double) -> KinematicVehicle? {
    let target = min(speed, parameters.maxSpeed)
    guard target > 0, target.isFinite else { return KinematicVehicle(parameters: parameters, position: position, yaw: yaw) }
    let step = 0.01
    guard var probe = KinematicVehicle(parameters: parameters, position: .zero, yaw: yaw) else { return nil }
    probe.apply(.drive(speed: target, steer: 0))
    var ticks = 0
    while probe.speed < target, ticks < 1_000_000 {
      probe.advance(dt: step)
      ticks += 1
    }
    guard var vehicle = KinematicVehicle(parameters: parameters, position: position - probe.position, yaw: yaw) else {
      return nil
    }
    vehicle.apply(.drive(speed: target, steer: 0))
    for _ in 0..<ticks { vehicle.advance(dt: step) }
    return vehicle
  }

  /// The state of an actor now: bottom centre, yaw, full rotation, speed.
  private func state(_ a: SimulatedActor) -> Trace.ActorState {
    let r = ctx.records[a.record]
    guard a.role != .staticProp, let id = a.body, let tf = world.transform(of: id) else {
      let speed = types[r.typeIndex].fieldIndex["speed"].map { r.field($0).asDouble } ?? 0
      return Trace.ActorState(position: r.position, heading: r.heading, rotation: r.rotation, speed: speed)
    }
    let bottom = tf.translation - tf.rotation.rotate(Vec3(0, 0, a.size.z / 2))
    let speed: Double
    if let v = world.vehicle(id) {
      speed = v.speed
    } else {
      speed = world.velocity(of: id).map { $0.linear.length } ?? 0
    }
    return Trace.ActorState(position: bottom, heading: tf.rotation.yaw, rotation: tf.rotation, speed: speed)
  }

  /// Copies the physics state into the records, so conditions read the current positions.
  private func syncRecords() {
    for a in actors where a.role != .staticProp && a.role != .none {
      let s = state(a)
      let old = ctx.records[a.record]
      let t = types[old.typeIndex]
      var fields = old.fields
      if t.position >= 0 { fields[t.position] = .vector(s.position) }
      // Pitch and roll as the physics left them (a tumbling prop's; level for vehicles and walkers).
      let angles = s.rotation.eulerAngles
      let level = s.rotation == Quaternion(yaw: s.heading)
      let pitch = level ? 0 : angles.pitch, roll = level ? 0 : angles.roll
      if t.heading >= 0 { fields[t.heading] = .real(level ? s.heading : angles.yaw) }
      if let k = t.fieldIndex["speed"] { fields[k] = .real(s.speed) }
      if t.pitch >= 0, !t.isSensor { fields[t.pitch] = .real(pitch) }
      if t.roll >= 0, !t.isSensor { fields[t.roll] = .real(roll) }
      ctx.records[a.record] = Record(typeIndex: old.typeIndex, fields: fields, behavior: old.behavior, position: s.position,
                                     heading: level ? s.heading : angles.yaw, size: old.size, definition: old.definition,
                                     cachedParts: nil, cachedBounds: nil, pitch: pitch, roll: roll)
    }
  }

  /// `recordOfBody`'s mark for a map traffic light's bodies.
  static let trafficLightBody = -2

  /// The actor index a contact with the body names: the actor's, `Trace.ground` (-1) for
  /// the ground, `Trace.trafficLight` (-2) for a map's traffic light.
  private func record(ofBody id: BodyID) -> Int {
    let i = Int(id.rawValue)
    guard i >= 0, i < recordOfBody.count else { return Trace.ground }
    if recordOfBody[i] == Self.trafficLightBody { return Trace.trafficLight }
    guard recordOfBody[i] >= 0 else { return Trace.ground }
    return actorOfRecord[recordOfBody[i]]
  }

  /// Pairs of records that have touched so far (ground contacts excluded), sorted.
  private func collidedRecordPairs() -> [SIMD2<Int32>] {
    var out: [SIMD2<Int32>] = []
    for p in world.collidedPairs {
      let a = Int(p.first.rawValue), b = Int(p.second.rawValue)
      guard a < recordOfBody.count, b < recordOfBody.count, recordOfBody[a] >= 0, recordOfBody[b] >= 0 else { continue }
      let x = recordOfBody[a], y = recordOfBody[b]
      out.append(SIMD2(Int32(truncatingIfNeeded: min(x, y)), Int32(truncatingIfNeeded: max(x, y))))
    }
    return out
  }

  // MARK: - Frames and sensors

  private func sensorRate(_ record: Int) -> Double {
    let r = ctx.records[record]
    guard let k = types[r.typeIndex].fieldIndex["rate"] else { return 0 }
    let x = r.field(k).asDouble
    return x.isFinite && x > 0 ? x : 0
  }

  private func frame(step k: Int, sensors: [Int], due: [Bool], branches: [Int?]) -> Trace.Frame {
    var states: [Trace.ActorState] = []
    states.reserveCapacity(actors.count)
    for a in actors { states.append(state(a)) }
    var poses: [Trace.SensorState] = []
    for (j, s) in sensors.enumerated() {
      let r = ctx.records[s]
      let t = types[r.typeIndex]
      func real(_ i: Int) -> Double { i >= 0 ? r.field(i).asDouble : 0 }
      var base = Vec3.zero
      var rotation = Quaternion.identity
      if t.mount >= 0, case .record(let m) = r.field(t.mount), m >= 0, m < actorOfRecord.count, actorOfRecord[m] >= 0 {
        let mount = states[actorOfRecord[m]]
        base = mount.position
        rotation = mount.rotation
      } else if t.mount >= 0, case .record(let m) = r.field(t.mount), ctx.records.indices.contains(m) {
        base = ctx.records[m].position
        rotation = ctx.records[m].rotation
      }
      let offset = t.offset >= 0 ? r.field(t.offset).asVector : .zero
      poses.append(Trace.SensorState(position: base + rotation.rotate(offset),
                                     rotation: rotation * Quaternion(yaw: real(t.yaw), pitch: real(t.pitch), roll: real(t.roll)),
                                     due: j < due.count ? due[j] : true))
    }
    var frame = Trace.Frame(stepIndex: k, time: Double(k) * dt, actors: states, sensors: poses)
    if let run = sequence {
      frame.absent = present.indices.filter { !present[$0] }
      frame.idle = branches.indices.filter { j in
        branches[j].map { b in !run.running.contains { $0.branch == b } } ?? false
      }
    }
    return frame
  }

  // MARK: - Behaviors

  /// What a behavior asks of the run besides moving its actor.
  enum Signal: Equatable {
    case none
    /// `terminate`: the simulation ends at this step.
    case terminate
    /// A behavior check failed: the index into the scenario's check infos.
    case reject(Int)
  }

  /// Rounds one `while` or `for` may make at one instant before the run stops with E0530.
  static let loopBudget = 1_000
  /// Statements one behavior may run at one instant before the run stops with E0532.
  static let instantBudget = 10_000
  /// How deep `do B()` may nest behaviors (E0531).
  static let maxBehaviorDepth = 64

  private func evaluate(_ e: Eval, locals: [Value], actor: Int?) throws(RuntimeError) -> Value {
    let saved = ctx.locals
    ctx.locals = locals.count >= localCount ? locals : BehaviorRunner.locals(locals, count: localCount)
    ctx.selfRecord = actor.map { actors[$0].record }
    defer {
      ctx.locals = saved
      ctx.selfRecord = nil
    }
    return try e(ctx)
  }

  /// Evaluates `e` in the locals frame `f` of `runner` reads.
  private func evaluate(_ e: Eval, frame f: Int, _ runner: BehaviorRunner) throws(RuntimeError) -> Value {
    try evaluate(e, locals: runner.locals(of: f), actor: runner.actor)
  }

  func steps(_ seconds: Double, at range: SourceRange) throws(RuntimeError) -> Int {
    guard seconds.isFinite else { throw RuntimeError(.badSimulation, "a behavior waits a non-finite time", at: range) }
    guard dt > 0 else { return seconds > 0 ? Int.max / 2 : 0 }
    return max(0, Int(min((seconds / dt).rounded(), Double(ctx.limits.steps))))
  }

  /// Starts `action`; `range` is the `do` that asked for it (nil: the actor's behavior itself),
  /// `arguments` where the call's arguments are (for a refused route).
  private func apply(_ action: NativeAction, actor: Int?, at range: SourceRange?, arguments: [SourceRange] = [])
    throws(RuntimeError)
  {
    guard let actor else { return }
    actionLog.append(ActionRecord(step: currentStep, actor: actor, action: action))
    let key = ctx.key
    let seed = MapRoutes.mix(MapRoutes.mix(key.seed, key.sample), UInt64(key.attempt) << 32 | UInt64(actors[actor].record))
    let drive: MapDrive?
    do throws(RouteRefusal) {
      drive = try actors[actor].plan(action, world: world, routes: routes, routeSeed: seed, duration: duration)
    } catch {
      let at = error.argument.flatMap { arguments.indices.contains($0) ? arguments[$0] : nil }
        ?? range ?? definitionRange(of: actors[actor].record)
      throw RuntimeError(.routeRefused, "\(action.languageName) of actor \(definitionName(of: actors[actor].record)): \(error.message)",
                         at: at)
    }
    switch action {
    case .setSpeed(let v):
      // The traffic rules keep applying, now around the new cruise speed.
      if var d = traffic.drives[actor] {
        d.cruise = actors[actor].clamp(v)
        d.commanded = nil
        traffic.drives[actor] = d
      }
    case .followLane(let v), .changeLane(_, let v, _), .followRoute(_, let v), .followWaypoints(_, let v):
      traffic.drives[actor] = drive.map { Traffic.Drive(route: $0, cruise: actors[actor].clamp(v)) }
    case .drive, .walkTo, .stop:
      traffic.drives[actor] = nil
    }
    do throws(PhysicsError) {
      try actors[actor].apply(action, drive: drive, world: &world, lanes: lanes)
    } catch {
      throw RuntimeError(.badSimulation, "a behavior action of actor \(definitionName(of: actors[actor].record)) failed: \(error)",
                         at: range ?? definitionRange(of: actors[actor].record))
    }
  }

  /// Where errors of `runner` as a whole point: the actor's definition (the scenario for a monitor).
  private func runnerRange(_ runner: BehaviorRunner) -> SourceRange {
    runner.actor.map { definitionRange(of: actors[$0].record) } ?? scenario.ir.range
  }

  private func runnerName(_ runner: BehaviorRunner) -> String {
    runner.actor.map { "the behavior of actor \(definitionName(of: actors[$0].record))" } ?? "a monitor"
  }

  /// Runs `runner` at step `k` until it has to wait.
  private func advance(_ runner: inout BehaviorRunner, step k: Int) throws(RuntimeError) -> Signal {
    currentStep = k
    if let action = runner.pendingStart {
      runner.pendingStart = nil
      try apply(action, actor: runner.actor, at: nil, arguments: runner.pendingArguments)
    }
    if !runner.pendingPreconditions.isEmpty {
      let pre = runner.pendingPreconditions
      runner.pendingPreconditions = []
      for p in pre {
        evaluatedBehaviorChecks.insert(scenario.behaviorCheckBase + p.check)
        if !(try evaluate(p.eval, frame: 0, runner).asBool) { return .reject(scenario.behaviorCheckBase + p.check) }
      }
    }
    // Invariants hold at every step the behavior runs.
    for f in runner.frames.indices {
      guard case .behavior(let invariants) = runner.frames[f].kind else { continue }
      for inv in invariants {
        evaluatedBehaviorChecks.insert(scenario.behaviorCheckBase + inv.check)
        if !(try evaluate(inv.eval, frame: f, runner).asBool) { return .reject(scenario.behaviorCheckBase + inv.check) }
      }
    }
    var checkedInterrupts = Set<Int>()
    for _ in 0..<Self.instantBudget {
      // Outermost first: a behavior's `for` / `until` ends it and everything it started;
      // a `try` whose handler condition holds suspends what runs inside it.
      var changed = false
      for i in runner.frames.indices {
        let fr = runner.frames[i]
        var ends = false
        if let d = fr.deadline, k >= d { ends = true }
        if !ends, let u = fr.until { ends = try evaluate(u, frame: fr.untilOwner, runner).asBool }
        if ends {
          runner.frames.removeSubrange(i...)
          runner.activity = .idle
          changed = true
          break
        }
        if case .tryInterrupt(let t) = fr.kind, !checkedInterrupts.contains(i) {
          checkedInterrupts.insert(i)
          // As in Scenic, a later handler has priority: it interrupts the body and any
          // earlier handler; the first true from the last one down wins.
          let lowest = t.running.map { $0 + 1 } ?? 0
          var fired: Int?
          for h in stride(from: t.handlers.count - 1, through: lowest, by: -1)
          where try evaluate(t.handlers[h].condition, frame: i, runner).asBool {
            fired = h
            break
          }
          if let h = fired {
            interrupt(&runner, frame: i, handler: h)
            checkedInterrupts = checkedInterrupts.filter { $0 <= i }
            changed = true
            break
          }
        }
      }
      if changed { continue }
      switch runner.activity {
      case .waiting(let end):
        if k >= end {
          runner.activity = .idle
          continue
        }
        return .none
      case .waitingFor(let c, let owner):
        if try evaluate(c, frame: owner, runner).asBool {
          runner.activity = .idle
          continue
        }
        return .none
      case .acting(let action, let deadline, let until, let owner):
        var done = false
        if let d = deadline, k >= d { done = true }
        if !done, let u = until { done = try evaluate(u, frame: owner, runner).asBool }
        if !done, action.finishes, let a = runner.actor {
          do throws(PhysicsError) {
            done = try actors[a].hasFinished(action, world: &world)
          } catch {
            throw RuntimeError(.badSimulation, "a behavior action failed: \(error)", at: runnerRange(runner))
          }
        }
        if done {
          runner.activity = .idle
          continue
        }
        return .none
      case .idle:
        guard let top = runner.frames.last else { return .none }
        let f = runner.frames.count - 1
        guard top.next < top.steps.count else {
          // A `try` that resumes after its handler checks its handlers again.
          if try finishBlock(&runner, step: k) { checkedInterrupts.remove(f) }
          continue
        }
        runner.frames[f].next += 1
        let signal = try start(top.steps[top.next], frame: f, runner: &runner, step: k)
        if signal != .none { return signal }
      }
    }
    // Over budget: blame the innermost loop if there is one.
    for fr in runner.frames.reversed() {
      switch fr.kind {
      case .loop(_, let range, _, _), .forEach(_, _, _, let range, _):
        throw RuntimeError(.loopBudget, "this loop ran \(Self.instantBudget) statements at one instant without waiting",
                           at: range, notes: [Note("a behavior loop must 'wait' or 'do' something that takes time")])
      default: continue
      }
    }
    throw RuntimeError(.behaviorInstant,
                       "\(runnerName(runner)) ran more than \(Self.instantBudget) statements at one instant",
                       at: runnerRange(runner))
  }

  /// The top frame ran out of statements: loop again, resume what a handler interrupted, or
  /// pop. True when a `try` resumed what its handler interrupted.
  @discardableResult
  private func finishBlock(_ runner: inout BehaviorRunner, step k: Int) throws(RuntimeError) -> Bool {
    let f = runner.frames.count - 1
    switch runner.frames[f].kind {
    case .loop(let c, let range, let n, let at):
      if try evaluate(c, frame: f, runner).asBool {
        let count = at == k ? n + 1 : 1
        guard count <= Self.loopBudget else {
          throw RuntimeError(.loopBudget, "this loop went round more than \(Self.loopBudget) times at one instant",
                             at: range, notes: [Note("a behavior loop must 'wait' or 'do' something that takes time between rounds, or end sooner")])
        }
        runner.frames[f].kind = .loop(c, range: range, iterations: count, atStep: k)
        runner.frames[f].next = 0
        return false
      }
    case .forEach(let slot, let values, let index, let range, let at):
      if index + 1 < values.count {
        runner.assign(values[index + 1], slot: slot, frame: f)
        runner.frames[f].kind = .forEach(slot: slot, values: values, index: index + 1, range: range, atStep: at)
        runner.frames[f].next = 0
        return false
      }
    case .tryInterrupt(var t):
      if let s = t.suspended.popLast() {
        // The handler is done: what it interrupted carries on.
        t.running = s.running
        runner.frames[f].steps = s.steps
        runner.frames[f].next = s.next
        runner.frames[f].kind = .tryInterrupt(t)
        runner.frames += s.frames
        runner.activity = s.activity
        if case .acting(let action, let deadline, _, _) = s.activity {
          if let d = deadline, k >= d {
            runner.activity = .idle
          } else {
            try apply(action, actor: runner.actor, at: nil)
          }
        }
        return true
      }
    case .behavior, .block:
      break
    }
    runner.frames.removeLast()
    return false
  }

  /// `break`, `continue`, `return` or `abort` at frame `f`: drops the blocks it leaves,
  /// never past the behavior's own frame.
  private func jump(_ j: JumpIR, from f: Int, runner: inout BehaviorRunner) throws(RuntimeError) {
    let owner = runner.frames[f].owner
    func innermost(_ matches: (BehaviorRunner.Kind) -> Bool) -> Int? {
      stride(from: f, through: owner, by: -1).first { matches(runner.frames[$0].kind) }
    }
    runner.activity = .idle
    switch j {
    case .return:
      runner.frames.removeSubrange(owner...)
    case .break, .continue:
      guard let l = innermost({ if case .loop = $0 { true } else if case .forEach = $0 { true } else { false } }) else {
        throw RuntimeError(.unsupported, "'\(j.rawValue)' outside a loop", at: runnerRange(runner))
      }
      if j == .break {
        runner.frames.removeSubrange(l...)
      } else {
        runner.frames.removeSubrange((l + 1)...)
        runner.frames[l].next = runner.frames[l].steps.count
      }
    case .abort:
      guard let t = innermost({ if case .tryInterrupt = $0 { true } else { false } }) else {
        throw RuntimeError(.unsupported, "'abort' outside an interrupt handler", at: runnerRange(runner))
      }
      runner.frames.removeSubrange(t...)
    }
  }

  /// Suspends what runs inside the `try` at frame `f` and starts handler `h`.
  private func interrupt(_ runner: inout BehaviorRunner, frame f: Int, handler h: Int) {
    guard case .tryInterrupt(var t) = runner.frames[f].kind else { return }
    let above = Array(runner.frames[(f + 1)...])
    t.suspended.append(BehaviorRunner.Suspension(steps: runner.frames[f].steps, next: runner.frames[f].next,
                                                 running: t.running, frames: above, activity: runner.activity))
    t.running = h
    runner.frames.removeSubrange((f + 1)...)
    runner.frames[f].steps = t.handlers[h].body
    runner.frames[f].next = 0
    runner.frames[f].kind = .tryInterrupt(t)
    runner.activity = .idle
  }

  /// A uniform number in [0, 1) for the runner's next random choice at `site`.
  private func choiceDraw(_ runner: inout BehaviorRunner, site: UInt32) -> Double {
    let record = runner.actor.map { actors[$0].record } ?? -1
    let u = uniform01(seed: seed, domain: .behaviorChoice, index: sample, subkey: attempt,
                      draw: Self.choiceKey(site: site, record: record, occurrence: runner.choices))
    runner.choices &+= 1
    return u
  }

  /// The behavior call an action expression evaluates to.
  private func call(_ a: Eval, frame f: Int, _ runner: BehaviorRunner, at range: SourceRange) throws(RuntimeError)
    -> BehaviorCall
  {
    guard case .behavior(let call) = try evaluate(a, frame: f, runner) else {
      throw RuntimeError(.unsupported, "'do' needs an action or a behavior", at: range)
    }
    return call
  }

  /// Starts `call` from frame `f` (a `do`): a native action becomes the activity, a behavior
  /// a new frame.
  private func perform(_ call: BehaviorCall, deadline: Int?, until: Eval?, frame f: Int, runner: inout BehaviorRunner,
                       step k: Int, at range: SourceRange) throws(RuntimeError) -> Signal
  {
    if let action = NativeAction.from(call) {
      // `until` already true, or `for 0s`: the action ends before it starts.
      if let dl = deadline, dl <= k { return .none }
      if let u = until, try evaluate(u, frame: f, runner).asBool { return .none }
      try apply(action, actor: runner.actor, at: range, arguments: call.argumentRanges)
      runner.activity = .acting(action, deadline: deadline, until: until, owner: f)
      return .none
    }
    guard let b = behaviors[call.name], !b.isMonitor else {
      throw RuntimeError(.unsupported, "unknown action or behavior '\(call.name)'", at: range)
    }
    guard runner.frames.count < Self.maxBehaviorDepth else {
      throw RuntimeError(.behaviorDepth,
                         "behaviors nested more than \(Self.maxBehaviorDepth) deep: '\(call.name)' starts before the ones it runs in end",
                         at: range, notes: [Note("a behavior that runs itself again under an 'if' must reach the branch that stops")])
    }
    let owner = runner.frames.count
    runner.frames.append(BehaviorRunner.behaviorFrame(b, arguments: call.arguments, localCount: localCount, owner: owner,
                                                      deadline: deadline, until: until, untilOwner: f))
    for p in b.preconditions {
      evaluatedBehaviorChecks.insert(scenario.behaviorCheckBase + p.check)
      if !(try evaluate(p.eval, frame: owner, runner).asBool) { return .reject(scenario.behaviorCheckBase + p.check) }
    }
    return .none
  }

  private func start(_ step: CompiledStep, frame f: Int, runner: inout BehaviorRunner, step k: Int) throws(RuntimeError)
    -> Signal
  {
    let owner = runner.frames[f].owner
    switch step {
    case .wait(let d, let range):
      let n = try steps(try evaluate(d, frame: f, runner).asDouble, at: range)
      runner.activity = .waiting(until: k + n)
    case .waitUntil(let c):
      runner.activity = .waitingFor(c, owner: f)
    case .perform(let a, let d, let u, let range):
      let deadline = try d.map { e throws(RuntimeError) in k + (try steps(try evaluate(e, frame: f, runner).asDouble, at: range)) }
      let c = try call(a, frame: f, runner, at: range)
      return try perform(c, deadline: deadline, until: u, frame: f, runner: &runner, step: k, at: range)
    case .either(let site, let branches):
      guard !branches.isEmpty else { return .none }
      let u = choiceDraw(&runner, site: site)
      let pick = min(branches.count - 1, Int(u * Double(branches.count)))
      runner.frames.append(BehaviorRunner.block(branches[pick], owner: owner))
    case .assign(let slot, let v):
      runner.assign(try evaluate(v, frame: f, runner), slot: slot, frame: f)
    case .setField(let name, let v, let range):
      try setField(name, try evaluate(v, frame: f, runner), actor: runner.actor, at: range)
    case .setGlobal(let name, let v):
      ctx.globalVariables[name] = try evaluate(v, frame: f, runner)
    case .ifElse(let c, let then, let otherwise):
      let branch = try evaluate(c, frame: f, runner).asBool ? then : otherwise
      if !branch.isEmpty { runner.frames.append(BehaviorRunner.block(branch, owner: owner)) }
    case .whileLoop(let c, let body, let range):
      if try evaluate(c, frame: f, runner).asBool {
        runner.frames.append(BehaviorRunner.block(body, owner: owner, kind: .loop(c, range: range, iterations: 1, atStep: k)))
      }
    case .forLoop(let slot, let xs, let body, let range):
      let sequence = try evaluate(xs, frame: f, runner)
      guard case .list(let values) = sequence.tupleAsList else {
        throw RuntimeError(.unsupported, "'for' needs a list", at: range)
      }
      guard let first = values.first else { return .none }
      runner.assign(first, slot: slot, frame: f)
      runner.frames.append(BehaviorRunner.block(
        body, owner: owner, kind: .forEach(slot: slot, values: values, index: 0, range: range, atStep: k)))
    case .tryInterrupt(let body, let handlers):
      runner.frames.append(BehaviorRunner.block(
        body, owner: owner, kind: .tryInterrupt(BehaviorRunner.TryState(body: body, handlers: handlers, running: nil, suspended: []))))
    case .terminate(let c):
      if let c, !(try evaluate(c, frame: f, runner).asBool) { return .none }
      return .terminate
    case .choose(let site, let weights, let actions, let range):
      var ws: [Double] = []
      for w in weights { ws.append(try evaluate(w, frame: f, runner).asDouble) }
      let total = ws.reduce(0, +)
      guard !actions.isEmpty, ws.allSatisfy({ $0 >= 0 && $0.isFinite }), total > 0, total.isFinite else {
        throw RuntimeError(.badBehaviorChoice, "'do choose' weights must be finite, not negative and not all 0, got \(ws)",
                           at: range)
      }
      let u = choiceDraw(&runner, site: site) * total
      var pick = actions.count - 1
      var acc = 0.0
      for (i, w) in ws.enumerated() {
        acc += w
        if u < acc {
          pick = i
          break
        }
      }
      let c = try call(actions[pick], frame: f, runner, at: range)
      return try perform(c, deadline: nil, until: nil, frame: f, runner: &runner, step: k, at: range)
    case .shuffle(let site, let actions, let range):
      // Fisher–Yates on the runner's choice stream; the entries then run one after another.
      var order = Array(actions.indices)
      if order.count > 1 {
        for i in stride(from: order.count - 1, to: 0, by: -1) {
          let j = min(i, Int(choiceDraw(&runner, site: site) * Double(i + 1)))
          order.swapAt(i, j)
        }
      }
      let steps = order.map { CompiledStep.perform(action: actions[$0], duration: nil, until: nil, range) }
      runner.frames.append(BehaviorRunner.block(steps, owner: owner))
    case .check(let index, let c):
      evaluatedBehaviorChecks.insert(scenario.behaviorCheckBase + index)
      if !(try evaluate(c, frame: f, runner).asBool) { return .reject(scenario.behaviorCheckBase + index) }
    case .jump(let j):
      try jump(j, from: f, runner: &runner)
    }
    return .none
  }

  /// `self.field = value` of actor `actor`: the record changes at once (later statements and
  /// conditions at this step read it); a new `position` or `heading` moves the actor's body
  /// there (a teleport: a vehicle or walker carries on with its action from the new pose).
  private func setField(_ name: String, _ value: Value, actor: Int?, at range: SourceRange) throws(RuntimeError) {
    guard let actor else {
      throw RuntimeError(.fieldAssignment, "a monitor has no actor whose '\(name)' it could assign", at: range)
    }
    let i = actors[actor].record
    let old = ctx.records[i]
    let t = types[old.typeIndex]
    guard let k = t.fieldIndex[name], k < old.fieldCount else {
      throw RuntimeError(.fieldAssignment,
                         "actor \(definitionName(of: i)) is a '\(t.name)', which has no field '\(name)' to assign",
                         at: range, notes: [Note("declare the behavior 'for' the actor type whose field it assigns")])
    }
    var fields = old.fields
    fields[k] = value
    var position = old.position, heading = old.heading, size = old.size, pitch = old.pitch, roll = old.roll
    if k == t.position { position = value.asVector }
    if k == t.heading { heading = value.asDouble }
    if k == t.size { size = value.asVector }
    if k == t.pitch, !t.isSensor { pitch = value.asDouble }
    if k == t.roll, !t.isSensor { roll = value.asDouble }
    ctx.records[i] = Record(typeIndex: old.typeIndex, fields: fields, behavior: old.behavior, position: position,
                            heading: heading, size: size, definition: old.definition, cachedParts: nil, cachedBounds: nil,
                            pitch: pitch, roll: roll)
    guard k == t.position || k == t.heading || k == t.pitch || k == t.roll, let id = actors[actor].body else { return }
    do throws(PhysicsError) {
      switch actors[actor].role {
      case .vehicle, .walker:
        try world.place(id, at: position, yaw: heading)
      case .dynamicProp:
        let rotation = ctx.records[i].rotation
        try world.setTransform(of: id, Transform(rotation: rotation,
                                                 translation: position + rotation.rotate(Vec3(0, 0, size.z / 2))))
      case .staticProp, .none:
        break
      }
    } catch {
      throw RuntimeError(.fieldAssignment, "actor \(definitionName(of: i)) cannot be moved there: \(error)", at: range)
    }
  }

  /// FNV-1a over the three numbers: the word of the `behaviorChoice` stream an `either` uses.
  static func choiceKey(site: UInt32, record: Int, occurrence: UInt32) -> UInt32 {
    var h: UInt32 = 0x811C_9DC5
    for word in [site, UInt32(truncatingIfNeeded: record), occurrence] {
      for shift in stride(from: 0, to: 32, by: 8) {
        h ^= (word >> UInt32(shift)) & 0xFF
        h = h &* 0x0100_0193
      }
    }
    return h
  }
}

/// A native action a behavior started: the simulation step, the scene actor, the action.
/// Kept on the trace (`Trace.actions`) so a run's behavior can be read back step by step.
public struct ActionRecord: Sendable, Equatable {
  public let step: Int
  public let actor: Int
  let action: NativeAction

  /// The action's name (`set_speed`) and its arguments in base units.
  public var name: String { action.languageName }

  /// The numeric arguments (a lane change's side is 1 for left, 0 for right; a route's
  /// lanes are not numbers and are left out, its waypoints are x, y, z each).
  public var arguments: [Double] {
    switch action {
    case .followLane(let v), .setSpeed(let v): [v]
    case .drive(let v, let s): [v, s]
    case .walkTo(let p, let v): [p.x, p.y, p.z, v]
    case .stop: []
    case .changeLane(let left, let v, let d): [left ? 1 : 0, v, d]
    case .followRoute(_, let v): [v]
    case .followWaypoints(let points, let v): points.flatMap { [$0.x, $0.y, $0.z] } + [v]
    }
  }
}

/// `require always` / `require eventually`, compiled.
struct TemporalCheck: Sendable {
  enum Mode: Sendable, Equatable { case always, eventually }
  /// Index into the scenario's check infos (for the explanation statistics).
  let info: Int
  let mode: Mode
  let eval: Eval
}

/// Which sensors record at each simulation step: sensor `j` records frame `n` at the step
/// nearest to `n / rate_j` (frame 0 at t = 0); a sensor without a rate records every step.
struct FrameSchedule {
  let rates: [Double]
  let simulationRate: Double
  var nextFrame: [Int]

  init(sensorRates: [Double], simulationRate: Double) {
    rates = sensorRates
    self.simulationRate = simulationRate
    nextFrame = Array(repeating: 0, count: sensorRates.count)
  }

  mutating func due(step k: Int) -> [Bool] {
    var out = Array(repeating: false, count: rates.count)
    for j in rates.indices {
      guard rates[j] > 0, simulationRate > 0 else {
        out[j] = true
        continue
      }
      while Int((Double(nextFrame[j]) * simulationRate / rates[j]).rounded()) <= k {
        if Int((Double(nextFrame[j]) * simulationRate / rates[j]).rounded()) == k { out[j] = true }
        nextFrame[j] += 1
      }
    }
    return out
  }
}
