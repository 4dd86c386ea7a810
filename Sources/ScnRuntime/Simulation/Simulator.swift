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

  private var world = PhysicsWorld()
  private var actors: [SimulatedActor] = []
  /// Record index → index into `actors` (-1: not an actor of the scene).
  private var actorOfRecord: [Int] = []
  /// Body id → record index (-1: the ground).
  private var recordOfBody: [Int] = []
  private var runners: [BehaviorRunner] = []
  private var lanes = LaneNetwork(definitions: [])
  private var routes = MapRoutes(definitions: [])
  private var dt = 0.0
  /// The simulated time, seconds (how far map routes of `follow_lane` reach).
  private var duration = 0.0

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

  /// Upper bound on steps of one run (`simulate 1h at 1000Hz` is 3.6 M).
  static let maxSteps = 10_000_000
  /// Upper bound on steps × actors of one run: the trace holds one state per actor and step.
  static let maxTraceStates = 20_000_000

  func run() throws(RuntimeError) -> SimulationOutcome {
    let range = scenario.ir.simulation?.duration.range ?? scenario.ir.range
    let initialRecords = ctx.records
    let savedLocals = ctx.locals
    defer {
      ctx.records = initialRecords
      ctx.locals = savedLocals
      ctx.selfRecord = nil
      ctx.collidedPairs = nil
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
      guard exact <= Double(Self.maxSteps) else {
        throw RuntimeError(.badSimulation, "simulate: \(duration) s at \(rate) Hz is more than \(Self.maxSteps) steps",
                           at: range)
      }
      steps = Int(exact)
      dt = 1 / rate
      self.duration = duration
    }
    try buildWorld()
    // The trace keeps every actor's state at every recorded step: bound it before running.
    guard Double(steps + 1) * Double(max(actors.count, 1)) <= Double(Self.maxTraceStates) else {
      throw RuntimeError(.resourceLimit,
                         "simulate: \(steps + 1) steps × \(actors.count) actors is more than \(Self.maxTraceStates) actor states (the trace limit); shorten the simulation or lower its rate",
                         at: range)
    }
    for (a, actor) in actors.enumerated() {
      guard let call = ctx.records[actor.record].behavior else { continue }
      guard let runner = BehaviorRunner(actor: a, call: call, table: behaviors, localCount: localCount) else {
        throw RuntimeError(.unsupported, "unknown behavior '\(call.name)'", at: definitionRange(of: actor.record))
      }
      runners.append(runner)
    }
    let sensors = ctx.records.indices.filter { ctx.records[$0].definition >= 0 && types[ctx.records[$0].typeIndex].isSensor }
    var schedule = FrameSchedule(sensorRates: sensors.map { sensorRate($0) }, simulationRate: rate)

    var frames: [Trace.Frame] = []
    var eventually = Array(repeating: false, count: scenario.temporal.count)
    var terminated = false
    var lastStep = 0
    var seenEvents = 0
    let substeps = dt > 0 ? max(1, Int((dt / 0.01).rounded(.up))) : 1
    for k in 0...steps {
      lastStep = k
      if k > 0 { syncRecords() }
      if world.contactEvents.count != seenEvents {
        seenEvents = world.contactEvents.count
        ctx.collidedPairs = collidedRecordPairs()
      } else if ctx.collidedPairs == nil {
        ctx.collidedPairs = []
      }
      for (i, check) in scenario.temporal.enumerated() where !eventually[i] {
        let holds = try check.eval(ctx).asBool
        switch check.mode {
        case .always: if !holds { return .rejected(check: check.info) }
        case .eventually: if holds { eventually[i] = true }
        }
      }
      for t in scenario.terminations where try t(ctx).asBool {
        terminated = true
        break
      }
      let due = schedule.due(step: k)
      if sensors.isEmpty || due.contains(true) { frames.append(frame(step: k, sensors: sensors, due: due)) }
      if terminated || k == steps { break }
      for i in runners.indices { try advance(&runners[i], step: k) }
      do throws(PhysicsError) {
        try world.step(dt: dt, substeps: substeps)
      } catch {
        throw RuntimeError(.badSimulation, "the physics step failed: \(error)", at: range)
      }
    }
    if let missed = scenario.temporal.indices.first(where: { scenario.temporal[$0].mode == .eventually && !eventually[$0] }) {
      return .rejected(check: scenario.temporal[missed].info)
    }
    let endTime = Double(lastStep) * dt
    let collisions = world.contactEvents.compactMap { e -> Trace.Collision? in
      guard e.time <= endTime + dt / 2 else { return nil }
      let a = record(ofBody: e.pair.first), b = record(ofBody: e.pair.second)
      return Trace.Collision(time: e.time, first: a, second: b, began: e.kind == .began, position: e.position)
    }
    return .accepted(Trace(step: dt, endTime: endTime, terminated: terminated, frames: frames, collisions: collisions))
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
    runners = []
    for (i, r) in ctx.records.enumerated() where r.definition >= 0 {
      let t = types[r.typeIndex]
      guard !t.isSensor else { continue }
      // A vehicle or walker starts driving or walking forward at `speed`; the controllers
      // cannot start in reverse, so a negative speed is an error rather than a silent 0.
      if let k = t.fieldIndex["speed"], k < r.fields.count, r.fields[k].asDouble < 0 {
        let fixed = t.fieldIndex["fixed"].map { r.fields[$0].asBool } ?? false
        let role = ActorRole.of(type: t, hasBehavior: r.behavior != nil, fixed: fixed, size: r.size)
        if role == .vehicle || role == .walker {
          throw RuntimeError(.badSimulation,
                             "actor \(definitionName(of: i)) has a negative starting speed (\(r.fields[k].asDouble) m/s); a \(role == .vehicle ? "vehicle" : "walker") starts moving forward, so give a speed ≥ 0 and turn it around with 'facing'",
                             at: definitionRange(of: i))
        }
      }
      do throws(PhysicsError) {
        try addActor(i, r)
      } catch {
        throw RuntimeError(.badSimulation, "the physics cannot hold actor \(definitionName(of: i)): \(error)",
                           at: definitionRange(of: i))
      }
    }
  }

  private func addActor(_ i: Int, _ r: Record) throws(PhysicsError) {
    let t = types[r.typeIndex]
    let fixed = t.fieldIndex["fixed"].map { r.fields[$0].asBool } ?? false
    let role = ActorRole.of(type: t, hasBehavior: r.behavior != nil, fixed: fixed, size: r.size)
    func field(_ name: String, _ fallback: Double) -> Double {
      guard let k = t.fieldIndex[name] else { return fallback }
      let x = r.fields[k].asDouble
      return x.isFinite && x > 0 ? x : fallback
    }
    let speed = t.fieldIndex["speed"].map { r.fields[$0].asDouble } ?? 0
    let half = r.size / 2
    let centre = r.position + Vec3(0, 0, half.z)
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
        shape: CollisionShapes.shape(of: r, type: t), transform: Transform(position: centre, yaw: r.heading),
        motion: .dynamic, mass: .mass(field("mass", 1)), friction: 0.6, restitution: 0.1,
        linearVelocity: Vec3(r.heading.cosine, r.heading.sine, 0) * speed))
    case .staticProp:
      // A fixture collides as the parts the sampler's overlap test uses: a rack's
      // uprights and beams, so pallets rest on its levels and fit between them.
      for part in Geometry.parts(of: r, type: t) {
        let id = try world.addBody(RigidBodyDescriptor(
          shape: .box(halfExtents: part.halfExtents), transform: Transform(rotation: part.rotation, translation: part.center),
          motion: .static, friction: 0.6))
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
    actorOfRecord[i] = actors.count
    actors.append(SimulatedActor(record: i, role: role, body: body, size: r.size, maxSpeed: field("max_speed", 50)))
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
      let speed = types[r.typeIndex].fieldIndex["speed"].map { r.fields[$0].asDouble } ?? 0
      return Trace.ActorState(position: r.position, heading: r.heading, rotation: Quaternion(yaw: r.heading), speed: speed)
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
      if t.heading >= 0 { fields[t.heading] = .real(s.heading) }
      if let k = t.fieldIndex["speed"] { fields[k] = .real(s.speed) }
      ctx.records[a.record] = Record(typeIndex: old.typeIndex, fields: fields, behavior: old.behavior, position: s.position,
                                     heading: s.heading, size: old.size, definition: old.definition, cachedParts: nil,
                                     cachedBounds: nil)
    }
  }

  private func record(ofBody id: BodyID) -> Int {
    let i = Int(id.rawValue)
    guard i >= 0, i < recordOfBody.count, recordOfBody[i] >= 0 else { return -1 }
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
    let x = r.fields[k].asDouble
    return x.isFinite && x > 0 ? x : 0
  }

  private func frame(step k: Int, sensors: [Int], due: [Bool]) -> Trace.Frame {
    var states: [Trace.ActorState] = []
    states.reserveCapacity(actors.count)
    for a in actors { states.append(state(a)) }
    var poses: [Trace.SensorState] = []
    for (j, s) in sensors.enumerated() {
      let r = ctx.records[s]
      let t = types[r.typeIndex]
      func real(_ i: Int) -> Double { i >= 0 ? r.fields[i].asDouble : 0 }
      var base = Vec3.zero
      var rotation = Quaternion.identity
      if t.mount >= 0, case .record(let m) = r.fields[t.mount], m >= 0, m < actorOfRecord.count, actorOfRecord[m] >= 0 {
        let mount = states[actorOfRecord[m]]
        base = mount.position
        rotation = mount.rotation
      } else if t.mount >= 0, case .record(let m) = r.fields[t.mount], ctx.records.indices.contains(m) {
        base = ctx.records[m].position
        rotation = Quaternion(yaw: ctx.records[m].heading)
      }
      let offset = t.offset >= 0 ? r.fields[t.offset].asVector : .zero
      poses.append(Trace.SensorState(position: base + rotation.rotate(offset),
                                     rotation: rotation * Quaternion(yaw: real(t.yaw), pitch: real(t.pitch), roll: real(t.roll)),
                                     due: j < due.count ? due[j] : true))
    }
    return Trace.Frame(stepIndex: k, time: Double(k) * dt, actors: states, sensors: poses)
  }

  // MARK: - Behaviors

  private func evaluate(_ e: Eval, locals: [Value], actor: Int) throws(RuntimeError) -> Value {
    let saved = ctx.locals
    ctx.locals = locals.count >= localCount ? locals : BehaviorRunner.locals(locals, count: localCount)
    ctx.selfRecord = actors[actor].record
    defer {
      ctx.locals = saved
      ctx.selfRecord = nil
    }
    return try e(ctx)
  }

  private func steps(_ seconds: Double, at range: SourceRange) throws(RuntimeError) -> Int {
    guard seconds.isFinite else { throw RuntimeError(.badSimulation, "a behavior waits a non-finite time", at: range) }
    guard dt > 0 else { return seconds > 0 ? Int.max / 2 : 0 }
    return max(0, Int(min((seconds / dt).rounded(), Double(Self.maxSteps))))
  }

  /// Starts `action`; `range` is the `do` that asked for it (nil: the actor's behavior itself).
  private func apply(_ action: NativeAction, actor: Int, at range: SourceRange?) throws(RuntimeError) {
    do throws(PhysicsError) {
      let key = ctx.key
      let seed = MapRoutes.mix(MapRoutes.mix(key.seed, key.sample), UInt64(key.attempt) << 32 | UInt64(actors[actor].record))
      try actors[actor].apply(action, world: &world, lanes: lanes, routes: routes, routeSeed: seed,
                                   duration: duration)
    } catch {
      throw RuntimeError(.badSimulation, "a behavior action of actor \(definitionName(of: actors[actor].record)) failed: \(error)",
                         at: range ?? definitionRange(of: actors[actor].record))
    }
  }

  /// Runs `runner` at step `k` until it has to wait.
  private func advance(_ runner: inout BehaviorRunner, step k: Int) throws(RuntimeError) {
    // Errors of the behavior as a whole point at the actor that runs it.
    let range = definitionRange(of: actors[runner.actor].record)
    if let action = runner.pendingStart {
      runner.pendingStart = nil
      try apply(action, actor: runner.actor, at: nil)
    }
    for _ in 0..<10_000 {
      // A nested behavior's `for` / `until` ends it and everything it started.
      var interrupted: Int?
      for i in runner.frames.indices {
        let fr = runner.frames[i]
        var ends = false
        if let d = fr.deadline, k >= d { ends = true }
        if !ends, let u = fr.until { ends = try evaluate(u, locals: fr.untilLocals, actor: runner.actor).asBool }
        if ends {
          interrupted = i
          break
        }
      }
      if let f = interrupted {
        runner.frames.removeSubrange(f...)
        runner.activity = .idle
        continue
      }
      switch runner.activity {
      case .waiting(let end):
        if k >= end {
          runner.activity = .idle
          continue
        }
        return
      case .waitingFor(let c, let locals):
        if try evaluate(c, locals: locals, actor: runner.actor).asBool {
          runner.activity = .idle
          continue
        }
        return
      case .acting(let action, let deadline, let until, let locals):
        var done = false
        if let d = deadline, k >= d { done = true }
        if !done, let u = until { done = try evaluate(u, locals: locals, actor: runner.actor).asBool }
        if !done, action.finishes {
          do throws(PhysicsError) {
            done = try actors[runner.actor].hasFinished(action, world: &world)
          } catch {
            throw RuntimeError(.badSimulation, "a behavior action failed: \(error)", at: range)
          }
        }
        if done {
          runner.activity = .idle
          continue
        }
        return
      case .idle:
        guard let top = runner.frames.last else { return }
        guard top.next < top.steps.count else {
          runner.frames.removeLast()
          continue
        }
        runner.frames[runner.frames.count - 1].next += 1
        try start(top.steps[top.next], locals: top.locals, runner: &runner, step: k)
      }
    }
    throw RuntimeError(.resourceLimit,
                       "the behavior of actor \(definitionName(of: actors[runner.actor].record)) ran more than 10,000 steps at one instant",
                       at: range)
  }

  private func start(_ step: CompiledStep, locals: [Value], runner: inout BehaviorRunner, step k: Int) throws(RuntimeError) {
    switch step {
    case .wait(let d, let range):
      let n = try steps(try evaluate(d, locals: locals, actor: runner.actor).asDouble, at: range)
      runner.activity = .waiting(until: k + n)
    case .waitUntil(let c):
      runner.activity = .waitingFor(c, locals: locals)
    case .perform(let a, let d, let u, let range):
      let deadline = try d.map { e throws(RuntimeError) in k + (try steps(try evaluate(e, locals: locals, actor: runner.actor).asDouble, at: range)) }
      guard case .behavior(let call) = try evaluate(a, locals: locals, actor: runner.actor) else {
        throw RuntimeError(.unsupported, "'do' needs an action or a behavior", at: range)
      }
      if let action = NativeAction.from(call) {
        // `until` already true, or `for 0s`: the action ends before it starts.
        if let dl = deadline, dl <= k { return }
        if let u, try evaluate(u, locals: locals, actor: runner.actor).asBool { return }
        try apply(action, actor: runner.actor, at: range)
        runner.activity = .acting(action, deadline: deadline, until: u, locals: locals)
      } else if let b = behaviors[call.name] {
        guard runner.frames.count < 64 else {
          throw RuntimeError(.resourceLimit, "behaviors nested more than 64 deep (does '\(call.name)' run itself?)", at: range)
        }
        runner.frames.append(BehaviorRunner.Frame(steps: b.steps, locals: BehaviorRunner.locals(call.arguments, count: localCount),
                                                  deadline: deadline, until: u, untilLocals: locals))
      } else {
        throw RuntimeError(.unsupported, "unknown action or behavior '\(call.name)'", at: range)
      }
    case .either(let site, let branches):
      guard !branches.isEmpty else { return }
      let u = uniform01(seed: seed, domain: .behaviorChoice, index: sample, subkey: attempt,
                        draw: Self.choiceKey(site: site, record: actors[runner.actor].record, occurrence: runner.choices))
      runner.choices &+= 1
      let pick = min(branches.count - 1, Int(u * Double(branches.count)))
      runner.frames.append(BehaviorRunner.Frame(steps: branches[pick], locals: locals, deadline: nil, until: nil, untilLocals: []))
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
