import ScnIR
import ScnSema
import ScnSource

/// Lowers a checked program to the IR the runtime executes. The result is canonical:
/// params, covers and environment fields sorted by name, definitions in dependency order
/// with ties broken by name, requirements right after the last definition they read, and
/// only declarations the scenarios can reach. So reordering a scenario's body, comments or
/// layout never change the printed form or its hash; any semantic change does.
public enum Lowering {
  public static func lower(_ program: CheckedProgram, entry: String) -> ProgramIR {
    var sites = SiteAllocator()
    var scenarios: [ScenarioIR] = []
    for s in program.scenarios.sorted(by: { $0.name < $1.name }) {
      scenarios.append(lowerScenario(s, sites: &sites))
    }
    // Declarations reachable from the scenarios.
    let reach = Reachability(program: program)
    let used = reach.collect(from: scenarios)
    var functions: [FunctionIR] = []
    for f in program.functions where used.functions.contains(f.name) {
      var l = ExpressionLowering(paramIndex: [:], definitionIndex: [:], owner: "fn:\(f.name)", sites: sites)
      let body = l.lower(f.body)
      sites = l.sites
      functions.append(
        FunctionIR(
          name: f.name, parameters: f.parameters.map { ($0.name, ValueLowering.type($0.type)) },
          result: ValueLowering.type(f.result), body: body))
    }
    var behaviors: [BehaviorIR] = []
    for b in program.behaviors where used.behaviors.contains(b.name) {
      var l = ExpressionLowering(paramIndex: [:], definitionIndex: [:], owner: "behavior:\(b.name)", sites: sites)
      let checks = b.checks.map { lowerCheck($0, &l) }
      let steps = lowerSteps(b.steps, &l)
      sites = l.sites
      behaviors.append(
        BehaviorIR(
          name: b.name, parameters: b.parameters.map(\.name),
          parameterTypes: b.parameters.map { ValueLowering.type($0.type) }, steps: steps, checks: checks,
          isMonitor: b.isMonitor))
    }
    var types: [RecordTypeIR] = []
    for r in program.recordTypes where used.types.contains(r.name) {
      var l = ExpressionLowering(paramIndex: [:], definitionIndex: [:], owner: "type:\(r.name)", sites: sites)
      let fields = r.fields.map { f in
        FieldIR(
          name: f.name, type: ValueLowering.type(f.type), defaultValue: f.defaultValue.map { l.lower($0) },
          doc: f.doc)
      }
      sites = l.sites
      types.append(RecordTypeIR(name: r.name, kind: r.isSensor ? .sensor : .actor, bases: r.bases, fields: fields))
    }
    let enums = program.enums.filter { used.enums.contains($0.name) }
    var ir = ProgramIR(
      entry: entry, scenarios: scenarios, types: types, functions: functions, behaviors: behaviors,
      enums: enums)
    ir.inputs = program.maps.map { InputFileIR(path: $0.path, bytes: $0.bytes) }
    return ir
  }

  static func lowerSteps(_ steps: [CheckedStep], _ l: inout ExpressionLowering) -> [BehaviorStepIR] {
    steps.map { step in
      switch step {
      case .wait(let d): return .wait(duration: l.lower(d))
      case .waitUntil(let c): return .waitUntil(l.lower(c))
      case .perform(let a, let d, let u):
        let action = l.lower(a)
        let duration = d.map { l.lower($0) }
        return .perform(action: action, duration: duration, until: u.map { l.lower($0) })
      case .either(let branches):
        let site = l.sites.site(for: l.counter.nextKey())
        return .either(site: site, branches: branches.map { lowerSteps($0, &l) })
      case .assign(let slot, let v): return .assign(slot: slot, value: l.lower(v))
      case .setField(let field, let v, let range): return .setField(field: field, value: l.lower(v), at: StepRange(range))
      case .setGlobal(let name, let v, let range): return .setGlobal(name: name, value: l.lower(v), at: StepRange(range))
      case .ifElse(let c, let a, let b):
        let cond = l.lower(c)
        let then = lowerSteps(a, &l)
        return .ifElse(condition: cond, then: then, otherwise: lowerSteps(b, &l))
      case .whileLoop(let c, let body, let range):
        let cond = l.lower(c)
        return .whileLoop(condition: cond, body: lowerSteps(body, &l), at: StepRange(range))
      case .forLoop(let slot, let xs, let body, let range):
        let sequence = l.lower(xs)
        return .forLoop(slot: slot, sequence: sequence, body: lowerSteps(body, &l), at: StepRange(range))
      case .tryInterrupt(let body, let handlers):
        let b = lowerSteps(body, &l)
        var hs: [InterruptIR] = []
        for h in handlers {
          let c = l.lower(h.condition)
          hs.append(InterruptIR(condition: c, body: lowerSteps(h.body, &l)))
        }
        return .tryInterrupt(body: b, handlers: hs)
      case .terminate(let c): return .terminate(when: c.map { l.lower($0) })
      case .choose(let weights, let actions, let range):
        let site = l.sites.site(for: l.counter.nextKey())
        let ws = weights.map { l.lower($0) }
        return .choose(site: site, weights: ws, actions: actions.map { l.lower($0) }, at: StepRange(range))
      case .shuffle(let actions, let range):
        let site = l.sites.site(for: l.counter.nextKey())
        return .shuffle(site: site, actions: actions.map { l.lower($0) }, at: StepRange(range))
      case .check(let c): return .check(lowerCheck(c, &l))
      case .jump(let j): return .jump(JumpIR(rawValue: j.rawValue) ?? .return)
      }
    }
  }

  static func lowerCheck(_ c: CheckedBehaviorCheck, _ l: inout ExpressionLowering) -> BehaviorCheckIR {
    let kind: BehaviorCheckIR.Kind = switch c.kind {
    case .precondition: .precondition
    case .invariant: .invariant
    case .require: .require
    }
    return BehaviorCheckIR(kind: kind, condition: l.lower(c.condition), text: c.text, range: c.range)
  }

  /// Where a scenario's params and definitions sit in its IR: the orders `lowerScenario`
  /// uses, so an expression lowered separately (REPL) refers to the same slots.
  struct Layout {
    let params: [CheckedParam]
    let paramIndex: [String: Int]
    let order: [(name: String, def: CheckedDefinition)]
    let definitionIndex: [String: Int]
  }

  static func layout(_ s: CheckedScenario) -> Layout {
    let params = paramOrder(s.params)
    var paramIndex: [String: Int] = [:]
    for (i, p) in params.enumerated() { paramIndex[p.name] = i }

    // Name anonymous actors by a fingerprint of their lowered text, so the name (and the
    // draw sites derived from it) does not depend on where the statement is written.
    var named: [(name: String, def: CheckedDefinition)] = []
    var fingerprints: [String: Int] = [:]
    for d in s.definitions {
      if let n = d.name {
        named.append((n, d))
        continue
      }
      var probe = ExpressionLowering(
        paramIndex: paramIndex, definitionIndex: [:], owner: "probe",
        sites: SiteAllocator())
      let text = IRPrinter.expr(probe.lower(d.value)) + referenceText(d.dependencies)
      let base = "_actor_" + String(fnv1a32(text), radix: 16)
      let k = fingerprints[base, default: 0]
      fingerprints[base] = k + 1
      named.append((k == 0 ? base : "\(base)_\(k)", d))
    }
    let order = dependencyOrder(named)
    var definitionIndex: [String: Int] = [:]
    for (i, n) in order.enumerated() { definitionIndex[n.name] = i }
    return Layout(params: params, paramIndex: paramIndex, order: order, definitionIndex: definitionIndex)
  }

  /// Lowers an expression checked in the context of scenario `s` (see `layout`).
  public static func lowerExpression(_ e: TypedExpr, in s: CheckedScenario) -> IRExpr {
    let l = layout(s)
    var lowering = ExpressionLowering(
      paramIndex: l.paramIndex, definitionIndex: l.definitionIndex,
      owner: "\(s.name)/<expression>", sites: SiteAllocator())
    return lowering.lower(e)
  }

  static func lowerScenario(_ s: CheckedScenario, sites: inout SiteAllocator) -> ScenarioIR {
    let l = layout(s)
    let params = l.params
    let paramIndex = l.paramIndex
    let order = l.order
    let definitionIndex = l.definitionIndex

    var lowerParams: [ParamIR] = []
    for p in params {
      var l = ExpressionLowering(
        paramIndex: paramIndex, definitionIndex: definitionIndex, owner: "\(s.name)/\(p.name)",
        sites: sites)
      lowerParams.append(
        ParamIR(
          name: p.name, type: ValueLowering.type(p.type), value: l.lower(p.value), doc: p.doc,
          range: p.range))
      sites = l.sites
    }
    var definitions: [DefinitionIR] = []
    for n in order {
      var l = ExpressionLowering(
        paramIndex: paramIndex, definitionIndex: definitionIndex, owner: "\(s.name)/\(n.name)",
        sites: sites)
      let kind: DefinitionIR.Kind
      switch n.def.kind {
      case .ego: kind = .ego
      case .sensor: kind = .sensor
      case .letValue, .actor: kind = .letValue
      }
      definitions.append(DefinitionIR(name: n.name, kind: kind, value: l.lower(n.def.value), range: n.def.range))
      sites = l.sites
    }
    func lowerOwned(_ owner: String, _ e: TypedExpr) -> IRExpr {
      var l = ExpressionLowering(
        paramIndex: paramIndex, definitionIndex: definitionIndex, owner: "\(s.name)/\(owner)",
        sites: sites)
      let v = l.lower(e)
      sites = l.sites
      return v
    }
    var requirements: [(after: Int, requirement: RequirementIR, key: String)] = []
    let branchCount = s.schedule?.branches.count ?? 0
    var branchRequirements = Array(repeating: [(requirement: RequirementIR, key: String)](), count: branchCount)
    for r in s.requirements {
      var probe = ExpressionLowering(
        paramIndex: paramIndex, definitionIndex: definitionIndex, owner: "probe",
        sites: SiteAllocator())
      let key = IRPrinter.expr(probe.lower(r.condition)) + " " + modeText(r.mode)
      let condition = lowerOwned("require:" + String(fnv1a32(key), radix: 16), r.condition)
      let after =
        r.dependencies.compactMap { ref -> Int? in
          if case .definition(let n) = ref { return definitionIndex[n] }
          return nil
        }.max() ?? -1
      let mode: RequirementIR.Mode
      switch r.mode {
      case .hard: mode = .hard
      case .soft(let p): mode = .soft(p)
      case .always: mode = .always
      case .eventually: mode = .eventually
      }
      let lowered = RequirementIR(mode: mode, condition: condition, text: r.text, range: r.range)
      // A scheduled sub-scenario's `always`/`eventually` hold while it runs, and a deferred
      // one's hard requirements when it starts; the rest are checked on the sampled scene.
      if let b = r.branch, let branches = s.schedule?.branches, branches.indices.contains(b) {
        let branch = branches[b]
        let scoped: Bool
        switch mode {
        case .always, .eventually: scoped = true
        case .hard: scoped = branch.deferred
        case .soft: scoped = false
        }
        if scoped {
          branchRequirements[b].append((lowered, key))
          continue
        }
      }
      requirements.append((after, lowered, key))
    }
    requirements.sort { ($0.after, $0.key) < ($1.after, $1.key) }
    var branchTerminations = Array(repeating: [IRExpr](), count: branchCount)
    var branchMonitors = Array(repeating: [IRExpr](), count: branchCount)
    var ownTerminations: [IRExpr] = []
    for (k, t) in s.terminations.enumerated() {
      let lowered = lowerOwned("terminate", t)
      if k < s.terminationBranches.count, let b = s.terminationBranches[k], b < branchCount {
        branchTerminations[b].append(lowered)
      } else {
        ownTerminations.append(lowered)
      }
    }
    let terminations = ownTerminations.sorted { IRPrinter.expr($0) < IRPrinter.expr($1) }
    let environment = s.environment.sorted { $0.name < $1.name }.map {
      IRExpr.FieldInit(name: $0.name, value: lowerOwned("environment." + $0.name, $0.value))
    }
    let simulation = s.simulation.map {
      SimulationIR(duration: lowerOwned("simulate", $0.duration), rate: lowerOwned("simulate.rate", $0.rate))
    }
    let covers = s.covers.sorted { $0.name < $1.name }.map {
      CoverIR(name: $0.name, value: lowerOwned("cover." + $0.name, $0.value), edges: $0.edges, edgeTexts: $0.edgeTexts, range: $0.range)
    }
    let annotations = s.annotations.map { a in
      IRAnnotation(
        name: a.name,
        arguments: a.arguments.compactMap { arg in
          ValueLowering.value(arg.value, .string).map { (arg.label, $0) }
        })
    }
    var ir = ScenarioIR(
      name: s.name, annotations: annotations, params: lowerParams, definitions: definitions,
      requirements: requirements.map { ($0.after, $0.requirement) }, terminations: terminations,
      environment: environment, simulation: simulation, covers: covers, allowOverlap: s.allowOverlap,
      includes: s.includes.sorted { $0.scenario < $1.scenario }, range: s.range)
    var ownMonitors: [IRExpr] = []
    for (k, m) in s.monitors.enumerated() {
      let lowered = lowerOwned("monitor", m)
      if k < s.monitorBranches.count, let b = s.monitorBranches[k], b < branchCount {
        branchMonitors[b].append(lowered)
      } else {
        ownMonitors.append(lowered)
      }
    }
    ir.monitors = ownMonitors.sorted { IRPrinter.expr($0) < IRPrinter.expr($1) }
    if let schedule = s.schedule {
      let byText = { (a: IRExpr, b: IRExpr) in IRPrinter.expr(a) < IRPrinter.expr(b) }
      let branches = schedule.branches.enumerated().map { b, branch in
        ScheduleIR.Branch(
          name: branch.name, deferred: branch.deferred,
          definitions: order.indices.filter { order[$0].def.branch == b },
          requirements: branchRequirements[b].sorted { $0.key < $1.key }.map(\.requirement),
          terminations: branchTerminations[b].sorted(by: byText),
          after: branch.after.map { lowerOwned("terminate.after", $0) }.sorted(by: byText),
          monitors: branchMonitors[b].sorted(by: byText), range: branch.range)
      }
      let steps = schedule.steps.map { step in
        ScheduleIR.Step(
          kind: ScheduleIR.Kind(rawValue: step.kind.rawValue) ?? .run, branches: step.branches,
          weights: step.kind == .choose || step.kind == .shuffle ? step.weights : [],
          duration: step.duration.map { lowerOwned("step.for", $0) }, until: step.until.map { lowerOwned("step.until", $0) },
          range: step.range)
      }
      ir.schedule = ScheduleIR(steps: steps, branches: branches)
    }
    // Source order: a record's values are listed under its name, and overrides of one
    // actor never overlap (E0157), so the order carries no meaning beyond the canonical form.
    ir.records = s.records.map { r in
      let time: RecordIR.Time = switch r.time {
      case .everyStep: .everyStep
      case .initial: .initial
      case .final: .final
      }
      return RecordIR(name: r.name, time: time, value: lowerOwned("record." + r.name, r.value), range: r.range,
                      branch: r.branch.flatMap { $0 < branchCount ? $0 : nil })
    }
    ir.overrides = s.overrides.enumerated().map { k, o in
      let owner = "override.\(k)"
      let behavior: OverrideIR.Behavior = switch o.behavior {
      case nil: .keep
      case .some(nil): .none
      case .some(let b?): .run(lowerOwned(owner + ".behavior", b))
      }
      return OverrideIR(target: lowerOwned(owner, o.target),
                        fields: o.fields.map { IRExpr.FieldInit(name: $0.name, value: lowerOwned(owner + "." + $0.name, $0.value)) },
                        behavior: behavior, range: o.range, branch: o.branch.flatMap { $0 < branchCount ? $0 : nil })
    }
    return ir
  }

  private static func modeText(_ m: CheckedRequirement.Mode) -> String {
    switch m {
    case .hard: "hard"
    case .soft(let p): "soft(\(p))"
    case .always: "always"
    case .eventually: "eventually"
    }
  }

  private static func referenceText(_ refs: [MemberReference]) -> String {
    refs.map { r -> String in
      switch r {
      case .param(let n): "%" + n
      case .definition(let n): "$" + n
      }
    }.sorted().joined(separator: ",")
  }

  /// Params in dependency order (a default may read other params), ties by name.
  static func paramOrder(_ params: [CheckedParam]) -> [CheckedParam] {
    let byName = Dictionary(params.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var remaining = params.map(\.name).sorted()
    var done: Set<String> = []
    var result: [CheckedParam] = []
    while !remaining.isEmpty {
      let index =
        remaining.firstIndex { name in
          (byName[name]?.dependencies ?? []).allSatisfy { done.contains($0) || byName[$0] == nil }
        } ?? 0
      let next = remaining.remove(at: index)
      done.insert(next)
      if let p = byName[next] { result.append(p) }
    }
    return result
  }

  /// Kahn's algorithm; among definitions whose inputs are ready, the smallest name goes
  /// first. Anything left in a cycle (already an error) is appended by name.
  static func dependencyOrder(
    _ defs: [(name: String, def: CheckedDefinition)]
  ) -> [(name: String, def: CheckedDefinition)] {
    let names = Set(defs.map(\.name))
    var pending: [String: Set<String>] = [:]
    var byName: [String: CheckedDefinition] = [:]
    for d in defs {
      byName[d.name] = d.def
      pending[d.name] = Set(
        d.def.dependencies.compactMap { ref in
          if case .definition(let n) = ref, names.contains(n), n != d.name { return n }
          return nil
        })
    }
    var result: [(name: String, def: CheckedDefinition)] = []
    var done: Set<String> = []
    var remaining = pending.keys.sorted()
    while !remaining.isEmpty {
      // `remaining` is sorted, so the first ready one is the smallest name.
      let index = remaining.firstIndex { pending[$0]?.isSubset(of: done) ?? true } ?? 0
      let next = remaining.remove(at: index)
      done.insert(next)
      if let def = byName[next] { result.append((next, def)) }
    }
    return result
  }
}
