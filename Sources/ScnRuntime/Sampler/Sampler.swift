import Dispatch
import ScnGeometry
import ScnIR
import ScnScene
import ScnSource
import ScnUnits

/// What a run needs besides the program.
public struct SamplerOptions: Sendable {
  /// The dataset seed.
  public var seed: UInt64 = 0
  /// Attempts per sample before the sampler gives up with an explanation.
  public var maxAttempts: Int = 100_000
  public var overrides: [ParamOverride] = []
  /// Cover points to spread samples evenly over (`--cover-target`).
  public var coverTargets: [String] = []
  /// Re-weighted sampling towards some buckets (`generate --focus`); not with `coverTargets`.
  public var focus: SamplerFocus?
  public var units: UnitNames = .prelude
  public var visibility: any VisibilityModel = CoarseVisibility()
  /// Whether accepted attempts are simulated (`simulate T at R`, behaviors, physics): the
  /// scene then gets its `trace`, and an attempt whose `require always` / `require
  /// eventually` fails over the trace is rejected like any other. `.off` (the default):
  /// scenes are the time-0 samples only and the checks `deferredChecks` counts are not
  /// enforced.
  public var simulation: SimulationMode = .off
  /// Imported assets by their `@asset` name, for actors whose `shape` is `asset` (the
  /// driver reads the files; `ScnAssets`).
  public var assets: [String: ImportedAsset] = [:]
  /// Bounds on elements, actors, steps and trace states (`--limit`).
  public var limits: ResourceLimits = .standard

  public init(seed: UInt64 = 0, maxAttempts: Int = 100_000, overrides: [ParamOverride] = [],
              coverTargets: [String] = [], units: UnitNames = .prelude)
  {
    self.seed = seed
    self.maxAttempts = maxAttempts
    self.overrides = overrides
    self.coverTargets = coverTargets
    self.units = units
  }
}

/// When the sampler runs the simulator on an accepted attempt.
public enum SimulationMode: Sendable, Equatable {
  /// Never: time-0 scenes, temporal requirements unchecked (`scn sample --no-simulate`).
  case off
  /// For scenarios with `simulate`, a temporal requirement or `terminate when`: the same
  /// scenes as `.always`, without the cost for scenarios the simulation cannot reject.
  case whenNeeded
  /// Every accepted attempt, so every scene has a trace (`scn generate`).
  case always
}

/// The result of sampling a range of indices: scenes in index order, up to the first
/// failure (if any), and the rejection statistics of exactly those samples.
public struct SamplerRun: Sendable {
  public let scenes: [Scene]
  /// Per scenario that produced or attempted a sample, in name order.
  public let statistics: [RejectionStatistics]
  public let failure: SamplerFailure?
}

/// Rejection sampler over a compiled program. Sample `i` is a pure function of
/// (program, options, i): attempt `a` draws from `DrawKey(seed, i, a)`, definitions run in
/// IR order and each check runs as soon as what it reads exists, so a hopeless attempt
/// stops early. Thread-safe: every call works on its own context.
public final class Sampler: Sendable {
  let program: ProgramIR
  public let options: SamplerOptions
  let scenarios: [CompiledScenario]
  let entry: Int
  let types: [CompiledType]
  let behaviors: BehaviorTable
  let sites: [UInt32]
  let localCount: Int
  /// The real-data columns `empirical(...)` draws from; `Scene.empiricalDraws` index it.
  public let empiricalColumns: [EmpiricalColumn]
  let overrides: [[Value?]]
  let targetID: UInt32
  /// Every cover point of the scenarios the run can reach, for the coverage report.
  public let coverSpecs: [CoverSpec]
  /// Extra expressions evaluated on every accepted scene of the entry scenario (REPL
  /// `:sample EXPR`, `:hist EXPR`), into `Scene.observed`.
  let observers: [Eval]
  /// `options.units` with every dimension a scene can print spelled ahead of time.
  let units: UnitNames
  /// The entry scenario's name and the observed expressions, as given to `init`: what
  /// `workerCopy()` compiles again.
  let entryName: String
  let observing: [IRExpr]

  /// Compiles the entry scenario (by default the program's `entry`) and every scenario its
  /// mixture includes; checks `--param` overrides and `--cover-target` names.
  ///
  /// `observing` are expressions lowered against the entry scenario (`Compilation.checkExpression`):
  /// each accepted scene of the entry scenario gets their values at t = 0 in `observed`,
  /// drawn from their own sites, so the scene itself is the one a plain run gives.
  public init(program: ProgramIR, scenario: String? = nil, options: SamplerOptions, observing: [IRExpr] = [])
    throws(RuntimeError)
  {
    self.program = program
    self.options = options
    self.observing = observing
    let entryName = scenario ?? program.entry
    self.entryName = entryName
    guard let entryIR = program.scenario(named: entryName) else {
      throw RuntimeError(.unsupported, "no scenario named '\(entryName)' in the program",
                         at: program.scenarios.first?.range ?? SourceRange(file: FileID(0), start: 0, end: 0))
    }
    // The entry and the scenarios its mixture reaches, in name order.
    var reached: Set<String> = [entryIR.name]
    var work = [entryIR]
    while let s = work.popLast() {
      for inc in s.includes where !reached.contains(inc.scenario) {
        guard let t = program.scenario(named: inc.scenario) else {
          throw RuntimeError(.unsupported, "scenario '\(s.name)' includes '\(inc.scenario)', which the program lacks", at: s.range)
        }
        reached.insert(inc.scenario)
        work.append(t)
      }
    }
    let irs = program.scenarios.filter { reached.contains($0.name) }
    var index: [String: Int] = [:]
    for (i, s) in irs.enumerated() { index[s.name] = i }
    let compiler = ExprCompiler(program: program, assets: options.assets, units: options.units)
    var compiled: [CompiledScenario] = []
    let behaviorChecks = BehaviorTable.checkList(program)
    for s in irs {
      compiled.append(try CompiledScenario(s, compiler: compiler,
                                           coverTargets: options.focus.map { $0.points.map(\.point) } ?? options.coverTargets,
                                           focusBuckets: options.focus.map { f in Dictionary(f.points.map { ($0.point, $0.buckets) }, uniquingKeysWith: { a, _ in a }) },
                                           units: options.units,
                                           scenarioIndex: index, behaviorChecks: behaviorChecks))
    }
    scenarios = compiled
    entry = index[entryIR.name] ?? 0
    behaviors = BehaviorTable(program: program, compiler: compiler)
    observers = observing.map { compiler.compile($0) }
    types = compiler.types
    var dimensions = Set<Dimension>()
    func collect(_ t: IRType) {
      switch t {
      case .quantity(let d), .vector(let d): dimensions.insert(d)
      case .list(let e): collect(e)
      case .tuple(let ts): ts.forEach(collect)
      default: break
      }
    }
    for t in compiler.types { t.fieldTypes.forEach(collect) }
    for s in irs {
      s.params.forEach { collect($0.type) }
      s.covers.forEach { collect($0.value.type) }
      s.environment.forEach { collect($0.value.type) }
    }
    SceneBuilder.environmentDefaults.forEach { collect($0.type) }
    observing.forEach { collect($0.type) }
    units = options.units.caching(dimensions)
    sites = compiler.sites
    localCount = compiler.maxLocal
    empiricalColumns = compiler.empiricalColumns
    if let focus = options.focus {
      for p in focus.points {
        guard let spec = compiled.lazy.flatMap({ $0.covers.map(\.spec) }).first(where: { $0.name == p.point }) else {
          throw RuntimeError(.badCoverTarget, "--focus: the scenario has no cover point '\(p.point)'",
                             at: SourceRange.point(entryIR.range.file, entryIR.range.start))
        }
        let labels = spec.targetKeys.map { spec.label($0) }
        for b in p.buckets where !labels.contains(b) {
          throw RuntimeError(.badCoverTarget,
                             "--focus: cover point '\(p.point)' has no bucket '\(b)' that sampling can aim at; buckets: "
                               + labels.joined(separator: ", "),
                             at: SourceRange.point(entryIR.range.file, entryIR.range.start))
        }
      }
    }
    for name in options.coverTargets where !compiled.contains(where: { $0.ir.covers.contains { $0.name == name } }) {
      let known = Set(compiled.flatMap { $0.ir.covers.map(\.name) }).sorted()
      throw RuntimeError(.badCoverTarget,
                         "--cover-target \(name): no cover point of that name" + (known.isEmpty ? " (the scenario has none)" : "; covers: " + known.joined(separator: ", ")),
                         at: SourceRange.point(entryIR.range.file, entryIR.range.start))
    }
    var specs: [CoverSpec] = []
    for c in compiled { for cover in c.covers where !specs.contains(where: { $0.name == cover.spec.name }) { specs.append(cover.spec) } }
    coverSpecs = specs.sorted { $0.name < $1.name }
    // Overrides: each must name a param of some reached scenario and fit its type.
    let enums = Dictionary(program.enums.map { ($0.name, $0.cases) }, uniquingKeysWith: { a, _ in a })
    var perScenario: [[Value?]] = compiled.map { Array(repeating: nil, count: $0.ir.params.count) }
    for o in options.overrides {
      var used = false
      for (si, s) in compiled.enumerated() {
        guard let pi = s.ir.params.firstIndex(where: { $0.name == o.name }) else { continue }
        perScenario[si][pi] = try o.value(for: s.ir.params[pi].type, enums: enums, units: options.units,
                                          at: s.ir.params[pi].range)
        used = true
        for t in s.targets where s.ir.covers[t.cover].value.kind == .variable(.param(pi)) {
          throw RuntimeError(.badCoverTarget,
                             "--cover-target \(s.ir.covers[t.cover].name) cannot spread samples over a param fixed by --param \(o.text)",
                             at: s.ir.covers[t.cover].range)
        }
      }
      if !used {
        let names = Set(compiled.flatMap { $0.ir.params.map(\.name) }).sorted()
        throw RuntimeError(.badParamOverride,
                           "\(o.origin) \(o.text): scenario '\(entryIR.name)' has no param '\(o.name)'"
                             + (names.isEmpty ? "" : "; params: " + names.joined(separator: ", ")),
                           at: SourceRange.point(entryIR.range.file, entryIR.range.start))
      }
    }
    overrides = perScenario
    var h: UInt32 = 0x811C_9DC5
    for b in (options.focus.map { $0.points.map(\.point) } ?? options.coverTargets).joined(separator: "\u{1F}").utf8 {
      h ^= UInt32(b)
      h = h &* 0x0100_0193
    }
    targetID = h
  }

  /// The same sampler compiled again from the same program and options, for another worker
  /// thread of `stream`: its closures, types and record templates are objects of its own, so
  /// two workers never update the same reference counts (atomic increments of one shared
  /// object from two cores cost a cache-line transfer each; docs/architecture.md,
  /// "Determinism contract"). Compilation is deterministic, so its samples are this one's.
  /// `init` succeeded on these arguments once; should it fail now, the copy is `self`.
  func workerCopy() -> Sampler {
    (try? Sampler(program: program, scenario: entryName, options: options, observing: observing)) ?? self
  }

  /// The scenario a run starts from (a mixture's components are chosen per sample).
  public var entryScenario: ScenarioIR { scenarios[entry].ir }

  /// Checks that sampling leaves to the simulator (`require eventually`, `terminate when`).
  public var deferredChecks: Int { scenarios.reduce(0) { $0 + $1.deferredCount } }

  /// Whether some scenario a run can reach has a simulation or a check only the simulator
  /// decides: then `SimulationMode.off` may accept scenes the simulation would reject.
  public var needsSimulation: Bool { scenarios.contains(where: \.needsSimulation) }

  func makeContext() -> Context {
    Context(sites: sites, paramCount: scenarios.map(\.params.count).max() ?? 0,
            definitionCount: scenarios.map(\.definitions.count).max() ?? 0, localCount: localCount,
            visibility: options.visibility, limits: options.limits)
  }

  /// Which scenario sample `index` uses: the entry, or for a mixture a component drawn
  /// from the `mixtureComponent` domain, a pure function of (seed, index).
  func component(for index: UInt64) -> Int {
    var s = entry
    var depth: UInt32 = 0
    while !scenarios[s].includes.isEmpty, depth < 32 {
      let parts = scenarios[s].includes
      let total = parts.reduce(0) { $0 + $1.weight }
      guard total > 0 else { break }
      let target = uniform01(seed: options.seed, domain: .mixtureComponent, index: index, subkey: depth) * total
      var running = 0.0
      var chosen = parts[parts.count - 1].scenario
      for p in parts {
        running += p.weight
        if target < running {
          chosen = p.scenario
          break
        }
      }
      s = chosen
      depth += 1
    }
    return s
  }

  /// Samples indices `start ..< start + count` on `jobs` threads and keeps every scene; the
  /// result does not depend on `jobs`. For many samples, `stream` hands them out without
  /// holding them all.
  public func run(start: UInt64, count: Int, jobs: Int = 1) -> SamplerRun {
    var scenes: [Scene] = []
    let summary = stream(
      start: start, count: count, jobs: jobs, part: { [Scene]() }, add: { $0.append($1) },
      emit: { part in
        scenes.append(contentsOf: part)
        part.removeAll(keepingCapacity: true)
      })
    return SamplerRun(scenes: scenes, statistics: summary.statistics, failure: summary.failure)
  }

  /// Samples indices `0 ..< count` one at a time, keeping only the rejection statistics
  /// (`scn check --estimate`): memory does not grow with `count`.
  public func measure(count: Int) -> (statistics: [RejectionStatistics], samples: Int, failure: SamplerFailure?) {
    let ctx = makeContext()
    var stats = scenarios.map { RejectionStatistics(scenario: $0.ir.name, range: $0.ir.range, checks: $0.infos) }
    var touched = Array(repeating: false, count: scenarios.count)
    var samples = 0
    var failure: SamplerFailure?
    for i in 0..<max(0, count) {
      let outcome = generate(UInt64(i), ctx)
      stats[outcome.scenario].merge(outcome.statistics)
      touched[outcome.scenario] = true
      if case .failure(let f) = outcome.result {
        failure = f
        break
      }
      samples += 1
    }
    return (zip(stats, touched).filter(\.1).map(\.0), samples, failure)
  }

  struct Outcome: Sendable {
    let scenario: Int
    let result: Result<Scene, SamplerFailure>
    let statistics: RejectionStatistics

    /// The result, taken from an outcome that is not used afterwards (`consuming`, so the
    /// scene need not be copied out of a borrowed outcome; the optimizer decides).
    consuming func takeResult() -> Result<Scene, SamplerFailure> { result }
  }

  /// One sample: rejection sampling over attempts, then the scene.
  func generate(_ index: UInt64, _ ctx: Context) -> Outcome {
    let si = component(for: index)
    let sc = scenarios[si]
    var stats = RejectionStatistics(scenario: sc.ir.name, range: sc.ir.range, checks: sc.infos)
    // The scenario's closures, set when it differs from the last sample's (setting them
    // retains and releases arrays every worker shares).
    if ctx.preparedScenario != si {
      ctx.paramEvals = sc.params
      ctx.paramOverrides = overrides[si]
      ctx.definitionEvals = sc.definitions
      if ctx.definitionInProgress.count != sc.definitions.count {
        ctx.definitionInProgress = Array(repeating: false, count: sc.definitions.count)
      }
      ctx.egoDefinition = sc.egoDefinition
      ctx.preparedScenario = si
    }
    for i in ctx.conditions.indices { ctx.conditions[i] = nil }
    // Coverage guidance: which bucket of each target this sample aims at.
    var aimed: [CoverKey] = []
    var targetProbability = 1.0
    // With --focus, only the samples `SamplerFocus.isFocused` picks aim at the focus buckets.
    let focused = options.focus.map { $0.isFocused(index) }
    if !sc.targets.isEmpty, focused ?? true {
      var total = 1
      for t in sc.targets {
        let product = total.multipliedReportingOverflow(by: t.keys.count)
        guard !product.overflow, product.partialValue <= 1 << 40 else {
          let e = RuntimeError(.badCoverTarget, "--cover-target: too many bucket combinations to stratify", at: sc.ir.range)
          return Outcome(scenario: si, result: .failure(.runtime(e, sample: index)), statistics: stats)
        }
        total = product.partialValue
      }
      let bucket: Int
      do throws(DistributionError) {
        bucket = try stratifiedBucket(seed: options.seed, target: targetID, sample: index, bucketCount: total)
      } catch {
        return Outcome(scenario: si, result: .failure(.runtime(RuntimeError(.badCoverTarget, error.message, at: sc.ir.range), sample: index)),
                       statistics: stats)
      }
      var rest = bucket
      var divisor = total
      for t in sc.targets {
        divisor /= t.keys.count
        aimed.append(t.keys[rest / divisor])
        rest %= divisor
      }
      targetProbability = 1 / Double(total)
      for (k, t) in sc.targets.enumerated() {
        if case .conditioned(let slot) = t.guide {
          ctx.conditions[slot] = Self.condition(aimed[k], spec: sc.covers[t.cover].spec)
        }
      }
    }
    for attempt in 0..<max(options.maxAttempts, 1) {
      ctx.reset(key: DrawKey(seed: options.seed, sample: index, attempt: UInt32(truncatingIfNeeded: attempt)))
      stats.attempts += 1
      do throws(RuntimeError) {
        if let failed = try runAttempt(sc, ctx, aimed: aimed, sample: index, attempt: attempt, &stats) {
          stats.firstFailures[failed] += 1
          continue
        }
        var trace: Trace?
        if options.simulation == .always || (options.simulation == .whenNeeded && sc.needsSimulation) {
          for t in sc.temporal where t.mode == .eventually { stats.evaluated[t.info] += 1 }
          let simulator = Simulator(scenario: sc, ctx: ctx, types: types, behaviors: behaviors, seed: options.seed,
                                    sample: index, attempt: attempt, localCount: localCount)
          let outcome = try simulator.run()
          for i in simulator.evaluatedBehaviorChecks.sorted() where stats.evaluated.indices.contains(i) {
            stats.evaluated[i] += 1
          }
          switch outcome {
          case .rejected(let check):
            stats.failed[check] += 1
            stats.firstFailures[check] += 1
            continue
          case .accepted(let t): trace = t
          }
        }
        stats.accepted += 1
        // Built whole, with the trace and the observed values (a scene changed after it
        // was built was copied, retaining everything it holds).
        let scene = try SceneBuilder(sampler: self, scenario: sc, ctx: ctx).build(
          sample: index, attempts: attempt + 1, aimed: aimed, targetProbability: targetProbability,
          focus: options.focus.map { ($0, focused ?? false) }, trace: trace, observing: si == entry ? observers : [])
        return Outcome(scenario: si, result: .success(scene), statistics: stats)
      } catch {
        return Outcome(scenario: si, result: .failure(.runtime(error, sample: index)), statistics: stats)
      }
    }
    return Outcome(scenario: si, result: .failure(.impossible(sample: index, maxAttempts: options.maxAttempts, statistics: stats)),
                   statistics: stats)
  }

  static func condition(_ key: CoverKey, spec: CoverSpec) -> DrawCondition? {
    switch key {
    case .interval(let i):
      guard case .edges(let e, _) = spec.kind, i + 1 < e.count else { return nil }
      return .interval(e[i], e[i + 1])
    default:
      return key.value.map { .values([$0]) }
    }
  }

  /// Returns the index of the first failing check, or nil when the attempt is accepted.
  private func runAttempt(_ sc: CompiledScenario, _ ctx: Context, aimed: [CoverKey], sample: UInt64, attempt: Int,
                          _ stats: inout RejectionStatistics) throws(RuntimeError) -> Int?
  {
    for i in sc.params.indices where ctx.params[i] == nil {
      _ = try ctx.evaluateParam(i, at: sc.ir.params[i].range)
    }
    var next = 0
    var checkedRecords = 0
    var overlapCounted = false
    if let f = try runChecks(sc, ctx, upTo: -1, next: &next, aimed: aimed, sample: sample, attempt: attempt, &stats) {
      return f
    }
    var placementCounted = false
    var containmentCounted = false
    for (k, j) in sc.order.enumerated() {
      if ctx.definitions[j] == nil { _ = try ctx.definitionValue(j, at: sc.ir.definitions[j].range) }
      if let p = sc.placementCheck {
        if !placementCounted {
          stats.evaluated[p] += 1
          placementCounted = true
        }
        if ctx.placementMiss != nil {
          stats.failed[p] += 1
          return p
        }
      }
      if let c = sc.containmentCheck {
        if !containmentCounted {
          stats.evaluated[c] += 1
          containmentCounted = true
        }
        if ctx.containmentMiss != nil {
          stats.failed[c] += 1
          return c
        }
      }
      if let o = sc.overlapCheck, ctx.records.count > checkedRecords {
        if !overlapCounted {
          stats.evaluated[o] += 1
          overlapCounted = true
        }
        if let (a, b) = overlapFound(ctx, from: checkedRecords) {
          stats.failed[o] += 1
          stats.noteOverlap(Self.overlapActor(ctx.records[b].definition, sc), Self.overlapActor(ctx.records[a].definition, sc))
          return o
        }
        checkedRecords = ctx.records.count
      }
      if let f = try runChecks(sc, ctx, upTo: k, next: &next, aimed: aimed, sample: sample, attempt: attempt, &stats) {
        return f
      }
    }
    if let o = sc.overlapCheck, let hit = TrafficLights.obstacleHit(ctx, types) {
      // A map's traffic lights are fixed obstacles (docs/scene-model.md, "Traffic lights"),
      // checked once every definition (and so every map) exists.
      if !overlapCounted { stats.evaluated[o] += 1 }
      stats.failed[o] += 1
      let range = sc.ir.definitions.indices.contains(hit.definition) ? sc.ir.definitions[hit.definition].range : sc.ir.range
      let light = OverlapPair.Actor(name: "traffic light \(hit.light + 1) of \(hit.map.path)", range: range)
      stats.noteOverlap(light, Self.overlapActor(ctx.records[hit.record].definition, sc))
      return o
    }
    try Self.resolvePendingBehaviors(ctx)
    return try runChecks(sc, ctx, upTo: .max, next: &next, aimed: aimed, sample: sample, attempt: attempt, &stats)
  }

  /// Gives the actors whose `with behavior` arguments read later definitions their
  /// behavior, now that every definition exists (in record order).
  static func resolvePendingBehaviors(_ ctx: Context) throws(RuntimeError) {
    guard !ctx.pendingBehaviors.isEmpty else { return }
    let pending = ctx.pendingBehaviors
    ctx.pendingBehaviors.removeAll(keepingCapacity: true)
    let saved = ctx.locals
    defer { ctx.locals = saved }
    for p in pending {
      ctx.locals = p.locals
      guard case .behavior(let call) = try p.eval(ctx) else {
        throw RuntimeError(.unsupported, "'with behavior' needs a behavior", at: p.range)
      }
      ctx.records[p.record].behavior = call
    }
  }

  /// Runs the checks placed at or before definition `j`, from `next` on; returns the first
  /// failing one.
  private func runChecks(_ sc: CompiledScenario, _ ctx: Context, upTo j: Int, next: inout Int, aimed: [CoverKey],
                         sample: UInt64, attempt: Int, _ stats: inout RejectionStatistics) throws(RuntimeError) -> Int?
  {
    let checks = sc.checks
    while next < checks.count, checks[next].after <= j {
      let c = checks[next]
      next += 1
      if let p = c.soft {
        let u = uniform01(seed: options.seed, domain: .softRequirement, index: sample,
                          subkey: UInt32(truncatingIfNeeded: attempt), draw: c.number)
        if !(u < p) { continue }
      }
      stats.evaluated[c.info] += 1
      let v = try c.eval(ctx)
      let ok: Bool
      if let t = c.coverTarget {
        // A sample --focus leaves unfocused aims at nothing.
        ok = aimed.indices.contains(t) ? sc.covers[sc.targets[t].cover].spec.key(of: v) == aimed[t] : true
      } else {
        ok = v.asBool
      }
      if !ok {
        stats.failed[c.info] += 1
        return c.info
      }
    }
    return nil
  }

  /// The definition that built an overlapping actor, for E0506's message.
  static func overlapActor(_ definition: Int, _ sc: CompiledScenario) -> OverlapPair.Actor {
    guard sc.ir.definitions.indices.contains(definition) else {
      return OverlapPair.Actor(name: "an actor", range: sc.ir.range)
    }
    return OverlapPair.Actor(name: sc.ir.definitions[definition].name, range: sc.ir.definitions[definition].range)
  }

  /// The first physical actor built since record `start` that overlaps an earlier one, and
  /// that earlier one (record indices); nil when none does.
  private func overlapFound(_ ctx: Context, from start: Int) -> (Int, Int)? {
    /// A vertical cylinder holding the record's size box: centre, radius, bottom and top. A
    /// pitched or rolled box gets the one around its bounding sphere.
    func cylinder(_ r: Record) -> (x: Double, y: Double, radius: Double, bottom: Double, top: Double) {
      guard r.pitch != 0 || r.roll != 0 else {
        return (r.position.x, r.position.y, (r.size.x * r.size.x + r.size.y * r.size.y).squareRoot() / 2,
                r.position.z, r.position.z + r.size.z)
      }
      let c = r.position + r.rotation.rotate(Vec3(0, 0, r.size.z / 2))
      let radius = r.size.length / 2
      return (c.x, c.y, radius, c.z - radius, c.z + radius)
    }
    for i in start..<ctx.records.count {
      let a = ctx.records[i]
      guard a.definition >= 0, !types[a.typeIndex].isSensor else { continue }
      let ca = cylinder(a)
      for k in 0..<i {
        let b = ctx.records[k]
        guard b.definition >= 0, !types[b.typeIndex].isSensor else { continue }
        // Bounding cylinders first: most pairs are far apart.
        let cb = cylinder(b)
        let dx = ca.x - cb.x, dy = ca.y - cb.y
        let reach = ca.radius + cb.radius
        if dx * dx + dy * dy >= reach * reach { continue }
        if ca.top <= cb.bottom + Geometry.contactTolerance || cb.top <= ca.bottom + Geometry.contactTolerance {
          continue
        }
        let pa = SensorQueries.cachedParts(i, ctx, types), pb = SensorQueries.cachedParts(k, ctx, types)
        let ba = SensorQueries.cachedBounds(i, ctx, types), bb = SensorQueries.cachedBounds(k, ctx, types)
        for (n, (x, xb)) in zip(pa, ba).enumerated() {
          for (m, (y, yb)) in zip(pb, bb).enumerated() where Geometry.boundsOverlap(xb, yb) {
            if x.overlaps(y, tolerance: Geometry.contactTolerance),
              Geometry.solidsOverlap(SensorQueries.cachedShapes(i, ctx, types)[n], SensorQueries.cachedShapes(k, ctx, types)[m])
            {
              return (i, k)
            }
          }
        }
      }
    }
    return nil
  }
}
