import ScnIR
import ScnSource

/// One scenario compiled for sampling: params and definitions as closures, the checks in
/// the order the IR places them, environment and covers, and how `--cover-target`
/// reaches each target bucket.
final class CompiledScenario: Sendable {
  struct Check: Sendable {
    /// Index into `checks` (and the statistics).
    let info: Int
    /// Evaluate once the definition at position `after` of `order` exists (-1: right after
    /// the params).
    let after: Int
    let eval: Eval
    /// Soft requirements: the probability of enforcing it, and its number for the coin.
    let soft: Double?
    let number: UInt32
    /// For a cover target reached by rejection: which target of the plan it serves.
    let coverTarget: Int?
  }

  /// How one `--cover-target` is reached.
  enum Guide: Sendable {
    /// The cover value is one draw at this site slot: draw it conditioned on the bucket.
    case conditioned(slot: Int)
    /// Anything else: reject attempts whose value misses the bucket (check `check`).
    case rejection(check: Int)
  }

  struct Target: Sendable {
    let cover: Int
    let keys: [CoverKey]
    let guide: Guide
  }

  let ir: ScenarioIR
  let params: [Eval]
  let definitions: [Eval]
  let egoDefinition: Int?
  /// Definition indices in evaluation order: IR order, except that definitions asking a
  /// sensor about the scene (and everything that reads them) come last, so their queries
  /// see every actor the other definitions build.
  let order: [Int]
  let infos: [CheckInfo]
  /// Sorted by `after`.
  let checks: [Check]
  /// Index into `infos` of the non-overlap rule; nil with `allow overlap`.
  let overlapCheck: Int?
  /// Index into `infos` of the rule that `on R` modifying another position finds R below
  /// or above it; nil when no construction of the scenario combines them.
  let placementCheck: Int?
  /// The check behind `contained in R` and `visible from S` (`Context.containmentMiss`).
  let containmentCheck: Int?
  let environment: [(name: String, eval: Eval, type: IRType, range: SourceRange)]
  let covers: [(spec: CoverSpec, eval: Eval, type: IRType)]
  let targets: [Target]
  /// Mixture components: indices into the sampler's scenarios, with weights.
  let includes: [(scenario: Int, weight: Double)]
  /// `require eventually` and `terminate when`: left to the simulator.
  let deferredCount: Int
  /// Index into `infos` of the program's first behavior check (`BehaviorTable.checks`).
  let behaviorCheckBase: Int
  /// `require always` and `require eventually`, checked by the simulator at every step.
  let temporal: [TemporalCheck]
  /// `terminate when` conditions.
  let terminations: [Eval]
  /// `simulate T at R`: duration and rate.
  let simulation: (duration: Eval, rate: Eval)?
  /// Whether the simulator can reject a scene of this scenario or give it motion.
  var needsSimulation: Bool {
    simulation != nil || !temporal.isEmpty || !terminations.isEmpty || !monitors.isEmpty || schedule != nil
      || !records.isEmpty
  }
  /// `require monitor M(args)`: each evaluates to the monitor's call.
  let monitors: [Eval]
  /// Sub-scenarios run in sequence (`compose` steps); nil without.
  let schedule: CompiledSchedule?
  /// `record …` and `override …` (Simulation/RecordsAndOverrides.swift).
  let records: [CompiledRecord]
  let overrides: [CompiledOverride]
  /// Per definition, the names of its first `elementNameCount` list elements (`pallets[0]`,
  /// `pallets[1]` …), spelled once here instead of in every scene (`SceneBuilder`).
  let elementNames: [[String]]
  static let elementNameCount = 64

  init(_ s: ScenarioIR, compiler: ExprCompiler, coverTargets: [String], focusBuckets: [String: [String]]? = nil,
       units: UnitNames,
       scenarioIndex: [String: Int], behaviorChecks: [BehaviorCheckIR] = []) throws(RuntimeError)
  {
    ir = s
    params = s.params.map { compiler.compile($0.value) }
    definitions = s.definitions.map { compiler.compile($0.value) }
    elementNames = s.definitions.map { d in
      guard case .list = d.value.type else { return [] }
      return (0..<Self.elementNameCount).map { d.name + "[" + String($0) + "]" }
    }
    let ego = s.definitions.firstIndex { $0.kind == .ego }
    egoDefinition = ego
    var late = Set<Int>()
    for (i, d) in s.definitions.enumerated() {
      if IRWalk.readsWholeScene(d.value) || !IRWalk.definitionsRead(d.value, ego: ego).isDisjoint(with: late) {
        late.insert(i)
      }
    }
    let order = s.definitions.indices.filter { !late.contains($0) } + s.definitions.indices.filter { late.contains($0) }
    self.order = order
    var position = Array(repeating: 0, count: s.definitions.count)
    for (k, i) in order.enumerated() { position[i] = k }
    let last = order.count - 1
    /// Where a check can run: after every definition it reads, and after all of them when
    /// it asks a sensor about the scene.
    func placement(_ e: IRExpr) -> Int {
      if IRWalk.readsWholeScene(e) { return last }
      return IRWalk.definitionsRead(e, ego: ego).map { position[$0] }.max() ?? -1
    }
    var infos: [CheckInfo] = []
    var checks: [Check] = []
    var deferred = 0
    var temporal: [TemporalCheck] = []
    for (number, r) in s.requirements.enumerated() {
      if case .eventually = r.requirement.mode {
        deferred += 1
        infos.append(CheckInfo(kind: .requirement(.eventually), text: r.requirement.text, range: r.requirement.range))
        temporal.append(TemporalCheck(info: infos.count - 1, mode: .eventually, eval: compiler.compile(r.requirement.condition)))
        continue
      }
      var soft: Double?
      if case .soft(let p) = r.requirement.mode { soft = p }
      infos.append(CheckInfo(kind: .requirement(r.requirement.mode), text: r.requirement.text, range: r.requirement.range))
      // `always` must hold at every step, time 0 included, so checking it on the sampled
      // scene only rejects scenes the simulation would reject anyway, unless an `override`
      // changes the actors when the simulation starts: then only the simulation checks it.
      if case .always = r.requirement.mode, !s.overrides.isEmpty {
        temporal.append(TemporalCheck(info: infos.count - 1, mode: .always, eval: compiler.compile(r.requirement.condition)))
        continue
      }
      let after = max(r.after >= 0 && r.after < position.count ? position[r.after] : -1, placement(r.requirement.condition))
      checks.append(Check(info: infos.count - 1, after: after, eval: compiler.compile(r.requirement.condition), soft: soft,
                          number: UInt32(truncatingIfNeeded: number), coverTarget: nil))
      if case .always = r.requirement.mode {
        temporal.append(TemporalCheck(info: infos.count - 1, mode: .always, eval: compiler.compile(r.requirement.condition)))
      }
    }
    if let ir = s.schedule {
      let compiled = CompiledSchedule(ir, compiler: compiler, infos: &infos)
      schedule = compiled
      deferred += compiled.branches.reduce(0) { $0 + $1.temporal.count + $1.terminations.count + $1.starts.count }
    } else {
      schedule = nil
    }
    deferredCount = deferred + s.terminations.count
    self.temporal = temporal
    terminations = s.terminations.map { compiler.compile($0) }
    monitors = s.monitors.map { compiler.compile($0) }
    records = s.records.map { CompiledRecord($0, compiler: compiler) }
    overrides = s.overrides.map { CompiledOverride($0, compiler: compiler) }
    simulation = s.simulation.map { (compiler.compile($0.duration), compiler.compile($0.rate)) }
    if s.allowOverlap {
      overlapCheck = nil
    } else {
      infos.append(CheckInfo(kind: .nonOverlap, text: "physical actors must not overlap (no 'allow overlap')", range: s.range))
      overlapCheck = infos.count - 1
    }
    let roots = s.params.map(\.value) + s.definitions.map(\.value) + s.requirements.map(\.requirement.condition)
    if let on = Self.firstOnModifier(roots) {
      infos.append(CheckInfo(kind: .placement, text: "a position moved 'on' a region must lie above or below it", range: on))
      placementCheck = infos.count - 1
    } else {
      placementCheck = nil
    }
    if let c = Self.firstContainment(roots) {
      infos.append(CheckInfo(kind: .placement, text: "an actor 'contained in' a region must lie wholly in it, and one "
        + "'visible from' (or 'not visible from') a viewer must have its centre in (out of) view", range: c))
      containmentCheck = infos.count - 1
    } else {
      containmentCheck = nil
    }
    environment = s.environment.map { ($0.name, compiler.compile($0.value), $0.value.type, $0.value.range) }
    let enums = Dictionary(compiler.program.enums.map { ($0.name, $0.cases) }, uniquingKeysWith: { a, _ in a })
    var covers: [(spec: CoverSpec, eval: Eval, type: IRType)] = []
    for c in s.covers {
      covers.append((Self.spec(c, resolved: Self.resolve(c.value, s), enums: enums, units: units), compiler.compile(c.value),
                     c.value.type))
    }
    self.covers = covers
    var targets: [Target] = []
    for name in coverTargets {
      guard let ci = s.covers.firstIndex(where: { $0.name == name }) else { continue }
      let spec = covers[ci].spec
      var keys = spec.targetKeys
      if let wanted = focusBuckets?[name] { keys = keys.filter { wanted.contains(spec.label($0)) } }
      guard !keys.isEmpty else {
        throw RuntimeError(.badCoverTarget,
                           "cover '\(name)' has no buckets known before sampling; give it 'buckets [...]' to target it",
                           at: s.covers[ci].range)
      }
      if let slot = Self.directDrawSlot(s.covers[ci].value, scenario: s, compiler: compiler, spec: spec) {
        targets.append(Target(cover: ci, keys: keys, guide: .conditioned(slot: slot)))
      } else {
        infos.append(CheckInfo(kind: .coverTarget(name), text: "\(name) lands in the aimed-at bucket",
                               range: s.covers[ci].range))
        let after = placement(s.covers[ci].value)
        checks.append(Check(info: infos.count - 1, after: after, eval: covers[ci].eval, soft: nil, number: 0,
                            coverTarget: targets.count))
        targets.append(Target(cover: ci, keys: keys, guide: .rejection(check: infos.count - 1)))
      }
    }
    self.targets = targets
    // Behavior checks last, in `BehaviorTable.checks` order: check k is info base + k.
    behaviorCheckBase = infos.count
    for c in behaviorChecks {
      let kind: CheckInfo.Kind = switch c.kind {
      case .precondition: .precondition
      case .invariant: .invariant
      case .require: .requirement(.hard)
      }
      infos.append(CheckInfo(kind: kind, text: c.text, range: c.range))
    }
    self.infos = infos
    self.checks = checks.enumerated().sorted { ($0.element.after, $0.offset) < ($1.element.after, $1.offset) }.map(\.element)
    includes = s.includes.compactMap { inc in scenarioIndex[inc.scenario].map { ($0, inc.weight) } }
  }

  /// The site slot of the single draw a cover value is, when it is one (directly, or as a
  /// param or let whose whole value is a draw) and its law can be conditioned on the
  /// cover's buckets.
  private static func directDrawSlot(_ e: IRExpr, scenario s: ScenarioIR, compiler: ExprCompiler, spec: CoverSpec) -> Int? {
    let expr = resolve(e, s)
    switch expr.kind {
      case .draw(let d, let site, _):
        switch (d, spec.kind) {
        case (.uniform, .edges), (.normal, .edges), (.truncnormal, .edges), (.lognormal, .edges), (.uniformInt, _),
          (.bernoulli, .values), (.oneOf, .values):
          return compiler.slot(for: site)
        default: return nil
        }
      case .choice(let site, _, let alternatives):
        let shapes = alternatives.map(compiler.choiceShape)
        return Draws.canCondition(shapes) ? compiler.slot(for: site) : nil
      default: return nil
    }
  }

  /// The range of the first construction whose `on R` modifies a position another specifier
  /// gives (`at P on R`, `ahead of X on R`, `within V on R`).
  static func firstOnModifier(_ roots: [IRExpr]) -> SourceRange? {
    var stack = Array(roots.reversed())
    while let e = stack.popLast() {
      if case .construct(_, _, let specs) = e.kind {
        let hasOn = specs.contains { if case .on = $0 { true } else { false } }
        let hasPosition = specs.contains { s in
          switch s {
          case .at, .relative, .within, .offset, .beyond, .vertical: true
          default: false
          }
        }
        if hasOn, hasPosition { return e.range }
      }
      stack += e.children.reversed()
    }
    return nil
  }

  /// The range of the first construction with `contained in` or `visible from`.
  static func firstContainment(_ roots: [IRExpr]) -> SourceRange? {
    var stack = Array(roots.reversed())
    while let e = stack.popLast() {
      if case .construct(_, _, let specs) = e.kind, specs.contains(where: { s in
        switch s {
        case .containedIn, .visibleFrom: true
        default: false
        }
      }) {
        return e.range
      }
      stack += e.children.reversed()
    }
    return nil
  }

  /// Follows a cover value through params and lets that are nothing but another name, to
  /// the expression that produces it.
  static func resolve(_ e: IRExpr, _ s: ScenarioIR) -> IRExpr {
    var expr = e
    for _ in 0..<16 {
      switch expr.kind {
      case .variable(.param(let i)) where s.params.indices.contains(i): expr = s.params[i].value
      case .variable(.definition(let i)) where s.definitions.indices.contains(i): expr = s.definitions[i].value
      default: return expr
      }
    }
    return expr
  }

  static func spec(_ c: CoverIR, resolved: IRExpr, enums: [String: [String]], units: UnitNames) -> CoverSpec {
    if let edges = c.edges {
      var unit = ""
      if case .quantity(let d) = c.value.type { unit = units.spell(d) }
      return CoverSpec(name: c.name, kind: .edges(edges, unit: unit), edgeTexts: c.edgeTexts)
    }
    var known: [CoverKey] = []
    switch c.value.type {
    case .bool: known = [.bool(false), .bool(true)]
    case .enumeration(let e): known = (enums[e] ?? []).map { .name($0) }
    default:
      if let (lo, hi) = constantIntRange(resolved), case let d = hi.subtractingReportingOverflow(lo), !d.overflow,
        d.partialValue < 10_000
      {
        known = (lo...hi).map { .int($0) }
      }
    }
    return CoverSpec(name: c.name, kind: .values(known: known))
  }

  /// `uniform_int(a, b)` with constant bounds.
  private static func constantIntRange(_ e: IRExpr) -> (Int64, Int64)? {
    if case .draw(.uniformInt, _, let args) = e.kind, args.count == 2,
      case .constant(.int(let a)) = args[0].kind, case .constant(.int(let b)) = args[1].kind, a <= b
    {
      return (a, b)
    }
    return nil
  }
}
