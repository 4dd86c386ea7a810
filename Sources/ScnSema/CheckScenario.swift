import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  /// A scenario's statements with its bases' first (`extends`), each with its file.
  func scenarioStatements(_ g: GlobalSymbol) -> [(stmt: Stmt, file: Int, own: Bool)] {
    guard case .scenario(let id, let base, let body) = g.decl.kind else { return [] }
    // The scenario checked or generated on its own is the initial one; a sub-scenario is when
    // its runner hands it on (`expandCompose`).
    let initial = nextIsInitialScenario ?? composeStack.isEmpty
    nextIsInitialScenario = nil
    var result: [(stmt: Stmt, file: Int, own: Bool)] = []
    if let base, !base.isMissing {
      if scenarioStack.contains(base.name) || base.name == id.name {
        report(SemaDiagnostics.extendsCycle(scenarioStack + [id.name, base.name], at: base.range))
      } else if let bg = lookupGlobal(base.name, from: g.file, at: base.range), bg.kind == .scenario {
        scenarioStack.append(id.name)
        pendingSchedules[bg.name] = nil
        nextIsInitialScenario = initial
        result += scenarioStatements(bg).map { ($0.stmt, $0.file, false) }
        scenarioStack.removeLast()
        // The base's steps are scheduled for the base alone.
        if pendingSchedules[bg.name] != nil { report(SemaDiagnostics.extendsSchedule(id.name, base.name, at: base.range)) }
      } else {
        report(
          SemaDiagnostics.badExtends(
            base.name, at: base.range,
            suggestion: nearest(base.name, in: visibleNames(from: g.file, kinds: [.scenario]))))
      }
    }
    result += body.map { ($0, g.file, true) }
    // Scenic's initial scenario is the first to run a setup: a scenario with statements of its
    // own keeps it, one with only `compose` (and `simulate`, `terminate`) hands it to the
    // first sub-scenario it starts.
    let ownSetup = result.contains { entry in
      switch entry.stmt.kind {
      case .compose, .simulate, .terminate: false
      default: true
      }
    }
    return expandCompose(g, Self.resolveInitialScenario(result, initial: initial && ownSetup),
                         handsOnInitial: initial && !ownSetup)
  }

  /// `statements` with each `if initial scenario { … } else { … }` replaced by the block
  /// that holds (`initial`); blocks nested in it (E0161) resolve the same way.
  static func resolveInitialScenario(_ statements: [(stmt: Stmt, file: Int, own: Bool)], initial: Bool)
    -> [(stmt: Stmt, file: Int, own: Bool)]
  {
    guard statements.contains(where: { if case .initialScenario = $0.stmt.kind { true } else { false } }) else {
      return statements
    }
    return statements.flatMap { entry -> [(stmt: Stmt, file: Int, own: Bool)] in
      guard case .initialScenario(let then, let otherwise) = entry.stmt.kind else { return [entry] }
      return resolveInitialScenario((initial ? then : otherwise).map { ($0, entry.file, entry.own) }, initial: initial)
    }
  }

  func scenarioAnnotations(_ g: GlobalSymbol, depth: Int = 0) -> [Annotation] {
    guard case .scenario(_, let base, _) = g.decl.kind else { return [] }
    var inherited: [Annotation] = []
    if depth < 32, let base, let bg = globals[base.name], bg.kind == .scenario {
      inherited = scenarioAnnotations(bg, depth: depth + 1)
    }
    let own = g.decl.annotations
    let ownNames = Set(own.map(\.name.name))
    // `@failure_mode`, `@tags` and `@asset` accumulate; the others are replaced by the derived scenario's.
    return inherited.filter { !ownNames.contains($0.name.name) || $0.name.name == "failure_mode" || $0.name.name == "asset" } + own
  }

  func checkScenario(_ g: GlobalSymbol, inMainFile: Bool) -> CheckedScenario {
    let firstDiagnostic = diagnostics.count
    let statements = scenarioStatements(g)
    let result = checkScenario(g, statements: statements, inMainFile: inMainFile)
    attributeInheritedDiagnostics(
      since: firstDiagnostic, scenario: g, inherited: statements.filter { !$0.own }.map(\.stmt))
    attributeComposedDiagnostics(since: firstDiagnostic, statements: statements)
    return result
  }

  /// A diagnostic inside a statement inherited through `extends` gets a note naming the
  /// derived scenario (its params may differ), unless the same diagnostic was already
  /// reported for the base scenario itself.
  private func attributeInheritedDiagnostics(since start: Int, scenario g: GlobalSymbol, inherited: [Stmt]) {
    guard case .scenario(_, let base?, _) = g.decl.kind else { return }
    let note = Note("in scenario '\(g.name)', which extends '\(base.name)'", at: g.decl.name?.range)
    attributeDiagnostics(since: start, regions: inherited.map { ($0.range, note) })
  }

  /// The diagnostics from `start` on that lie inside one of `regions` (statements checked
  /// again in another scenario: inherited through `extends`, copied by `compose`): dropped
  /// when the same diagnostic was reported before `start` (where the statement comes from),
  /// else given the note of the first region holding it. The others stay as they are.
  func attributeDiagnostics(since start: Int, regions: [(range: SourceRange, note: Note)]) {
    guard !regions.isEmpty, start < diagnostics.count else { return }
    let earlier = Set(diagnostics[0..<start])
    var kept: [Diagnostic] = []
    for d in diagnostics[start...] {
      guard
        let region = regions.first(where: {
          $0.range.file == d.range.file && $0.range.start <= d.range.start && d.range.end <= $0.range.end
        })
      else {
        kept.append(d)
        continue
      }
      if earlier.contains(d) { continue }
      kept.append(
        Diagnostic(
          d.severity, d.code, d.message, at: d.range, highlights: d.highlights, notes: d.notes + [region.note],
          fixIts: d.fixIts))
    }
    diagnostics.replaceSubrange(start..., with: kept)
  }

  private func checkScenario(
    _ g: GlobalSymbol, statements: [(stmt: Stmt, file: Int, own: Bool)], inMainFile: Bool
  )
    -> CheckedScenario
  {
    let context = makeContext(g, statements: statements)
    for slot in context.order { context.force(slot, checker: self, at: nil) }

    var definitions: [CheckedDefinition] = []
    var params: [CheckedParam] = []
    for slot in context.order {
      guard let typed = slot.typed else { continue }
      switch slot.kind {
      case .param:
        if slot.type == .headingField {
          // Scenic's test_lazy_value_in_param: a param is one value per sample.
          report(SemaDiagnostics.fieldAsValue("a param holds one value per sample", at: typed.range))
        }
        params.append(
          CheckedParam(
            name: slot.name, type: slot.type, value: typed,
            doc: docText(slot.stmt.annotations)
              ?? slot.inherited.flatMap {
                docText($0.stmt.annotations)
              }, range: slot.stmt.range,
            dependencies: slot.dependencies.compactMap {
              if case .param(let n) = $0, n != slot.name { return n }
              return nil
            }))
      case .letValue, .ego, .sensor:
        let kind: CheckedDefinition.Kind = slot.kind == .letValue ? .letValue : slot.kind == .ego ? .ego : .sensor
        definitions.append(
          CheckedDefinition(
            name: slot.name, kind: kind, value: typed, range: slot.stmt.range,
            dependencies: slot.dependencies, branch: composeBranch[ObjectIdentifier(slot.stmt)]))
      }
    }

    var requirements: [CheckedRequirement] = []
    var terminations: [TypedExpr] = []
    var monitors: [TypedExpr] = []
    var terminationBranches: [Int?] = []
    var monitorBranches: [Int?] = []
    let pending = pendingSchedules[g.name]
    var schedule = pending.map { CheckedSchedule(steps: [], branches: $0.branches) }
    var environment: [(name: String, value: TypedExpr)] = []
    var environmentSites: [String: SourceRange] = [:]
    var simulation: (duration: TypedExpr, rate: TypedExpr)?
    var covers: [CheckedCover] = []
    var allowOverlap = false
    var workspaceRange: SourceRange?
    var includes: [(scenario: String, weight: Double)] = []
    var records: [CheckedRecord] = []
    var recordNames: [String: SourceRange] = [:]
    var overrides: [CheckedOverride] = []
    let time = SemaType.quantity(Dimension(base: "Time"))
    let frequency = SemaType.quantity(Dimension(base: "Time").power(-1))
    for (stmt, file, _) in statements {
      let scope = Scope(file: file, scenario: context)
      let branch = composeBranch[ObjectIdentifier(stmt)]
      checkMemberAnnotations(stmt.annotations)
      switch stmt.kind {
      case .param, .let, .ego, .sensor, .error, .compose, .initialScenario: continue
      case .require(let kind, let e, let name):
        var mode = CheckedRequirement.Mode.hard
        switch kind {
        case .hard: break
        case .always: mode = .always
        case .eventually: mode = .eventually
        case .soft(let p):
          let pv = check(p, expected: .float, Scope(file: file))
          expectType(.float, pv, what: "soft requirement probability")
          if let x = pv.constant?.number, (0...1).contains(x) {
            mode = .soft(x)
          } else if !pv.type.isError {
            report(SemaDiagnostics.softProbability(at: p.range))
          }
        }
        if mode == .always || mode == .eventually { scope.selfType = nil }
        let c = check(e, expected: .bool, scope)
        if !c.type.isError && c.type != .bool {
          report(
            c.type == .headingField
              ? SemaDiagnostics.fieldAsValue("a requirement must be 'Bool'", at: e.range)
              : SemaDiagnostics.requirementNotBool(describe(c.type), at: e.range))
          continue
        }
        if c.type == .bool, mode != .always, mode != .eventually {
          analyseRequirement(c, context: context)
        }
        requirements.append(
          CheckedRequirement(
            mode: mode, condition: c, text: name.map { "\($0.name): \(text(e.range))" } ?? text(e.range), range: stmt.range,
            dependencies: scope.reads, branch: branch))
      case .requireMonitor(let e):
        if let m = checkMonitorRequirement(e, scope) {
          monitors.append(m)
          monitorBranches.append(branch)
        }
      case .record(let when, let e, let name):
        // In a sub-scenario run as a step of a sequence, taken while that step runs.
        if var r = checkRecordStatement(when, e, name: name, scope, range: stmt.range, seen: &recordNames) {
          r.branch = branch
          records.append(r)
        }
      case .override(let target, let items):
        // In a sub-scenario run as a step of a sequence, held while that step runs.
        if var o = checkOverrideStatement(target: target, items: items, scope, range: stmt.range) {
          o.branch = branch
          overrides.append(o)
        }
      case .terminate(let e):
        // A scheduled sub-scenario's `terminate after T` counts from its own start.
        if let b = branch, schedule?.branches.indices.contains(b) == true, let limit = terminateAfterDuration(e) {
          let t = check(limit, expected: time, scope)
          if expectType(time, t, what: "'terminate after' duration") { schedule?.branches[b].after.append(t) }
          continue
        }
        let c = check(e, expected: .bool, scope)
        expectType(.bool, c, what: "'terminate when' condition")
        terminations.append(c)
        terminationBranches.append(branch)
      case .environment(let fields):
        for f in fields where !f.name.isMissing {
          guard let t = environmentFieldType(f.name.name) else {
            _ = check(f.value, expected: nil, scope)
            report(
              SemaDiagnostics.unknownField(
                f.name.name, of: "Environment", at: f.name.range,
                suggestion: nearest(f.name.name, in: environmentFields.map(\.0))))
            continue
          }
          let v = check(f.value, expected: t, scope)
          expectType(t, v, what: "environment field '\(f.name.name)'")
          environment.removeAll { $0.name == f.name.name }
          environment.append((f.name.name, promoteForParameter(v, t)))
          environmentSites[f.name.name] = f.name.range.union(f.value.range)
        }
      case .simulate(let duration, let rate):
        let d = check(duration, expected: time, scope)
        expectType(time, d, what: "simulation duration")
        let r = rate.map { check($0, expected: frequency, scope) }
        if let r { expectType(frequency, r, what: "simulation rate") }
        let defaultRate = constantExpr(.exactReal(Rational(integer: 100)), frequency, stmt.range)
        simulation = (d, r ?? defaultRate)
      case .cover(let name, let value, let buckets):
        let v = check(value, expected: nil, scope)
        var edges: [Double]?
        var edgeTexts: [String] = []
        if let buckets {
          if case .list(let items) = buckets.kind { edgeTexts = items.map { text($0.range) } }
          let b = check(buckets, expected: .list(v.type), scope)
          expectType(.list(v.type), b, what: "cover buckets")
          if case .list(let xs)? = b.constant {
            let numbers = xs.compactMap(\.number)
            if numbers.count == xs.count, zip(numbers, numbers.dropFirst()).allSatisfy({ $0 < $1 }) {
              edges = numbers
            } else {
              report(SemaDiagnostics.badBuckets(at: buckets.range))
            }
          } else if !b.type.isError {
            report(SemaDiagnostics.badBuckets(at: buckets.range))
          }
        } else {
          switch v.type {
          case .int, .bool, .enumeration, .error: break
          default: report(SemaDiagnostics.coverNeedsBuckets(describe(v.type), at: value.range))
          }
        }
        covers.removeAll { $0.name == name.name }
        covers.append(CheckedCover(name: name.name, value: v, edges: edges, edgeTexts: edgeTexts, range: stmt.range))
      case .allowOverlap:
        allowOverlap = true
      case .workspace(let r):
        // `workspace R` is the hard requirement that every actor's footprint lies in R,
        // checked once all of the scenario's definitions are built.
        if let previous = workspaceRange {
          report(SemaDiagnostics.workspaceTwice(at: stmt.range, previous: previous))
          continue
        }
        workspaceRange = stmt.range
        let region = check(r, expected: .region, scope)
        guard expectType(.region, region, what: "'workspace' region") else { continue }
        checkUnboundedPlacement(region, what: "workspace")
        requirements.append(
          CheckedRequirement(
            mode: .hard, condition: TypedExpr(.native("in_workspace", [region]), type: .bool, isRandom: true, range: r.range),
            text: "workspace " + text(r.range), range: stmt.range,
            dependencies: scope.reads))
      case .include(let target, let weight):
        var w = 1.0
        if let weight {
          let wv = check(weight, expected: .float, Scope(file: file))
          expectType(.float, wv, what: "include weight")
          if let x = wv.constant?.number, x > 0 {
            w = x
          } else if !wv.type.isError {
            report(SemaDiagnostics.badIncludeWeight(at: weight.range))
          }
        }
        if target.name == g.name {
          report(SemaDiagnostics.badInclude(target.name, at: target.range, suggestion: nil))
        } else if let tg = lookupGlobal(target.name, from: file, at: target.range), tg.kind == .scenario {
          includes.append((target.name, w))
        } else if !target.isMissing {
          report(
            SemaDiagnostics.badInclude(
              target.name, at: target.range,
              suggestion: nearest(target.name, in: visibleNames(from: file, kinds: [.scenario]))))
        }
      case .expression(let e):
        let v = check(e, expected: nil, scope)
        switch v.type {
        case .actor, .error: break
        default:
          report(SemaDiagnostics.statementHasNoEffect(describe(v.type), at: e.range))
          continue
        }
        definitions.append(
          CheckedDefinition(
            name: nil, kind: .actor, value: v, range: stmt.range,
            dependencies: scope.reads, branch: branch))
      }
    }
    let annotations = scenarioAnnotations(g)
    let checkedAnnotations = checkScenarioAnnotations(annotations, covers: covers)
    var missing: [String] = []
    checkEnvironment(environment, sites: environmentSites)
    if includes.isEmpty {
      for required in ["dataset", "intended_use", "out_of_scope"]
      where !annotations.contains(where: { $0.name.name == required }) {
        missing.append(required)
      }
      // A scenario another one runs as a sub-scenario is not expected to be generated alone.
      if inMainFile, !missing.isEmpty, !isSubScenario(g.name), let id = g.decl.name {
        report(SemaDiagnostics.missingDatasetAnnotations(g.name, missing, at: id.range))
      }
    }
    var checked = CheckedScenario(
      name: g.name, annotations: checkedAnnotations, params: params, definitions: definitions,
      requirements: requirements, terminations: terminations, environment: environment, simulation: simulation,
      covers: covers, allowOverlap: allowOverlap, includes: includes, range: g.decl.range,
      missingDatasetAnnotations: missing, isInMainFile: inMainFile)
    checked.monitors = monitors
    checked.terminationBranches = terminationBranches
    checked.monitorBranches = monitorBranches
    if let pending, var schedule {
      let scope = Scope(file: pending.file, scenario: context)
      for step in pending.steps {
        let duration = step.duration.map { check($0, expected: time, scope) }
        if let duration { expectType(time, duration, what: "step duration") }
        let until = step.until.map { check($0, expected: .bool, scope) }
        if let until { expectType(.bool, until, what: "'until' condition") }
        var weights: [Double] = []
        for (k, _) in step.branches.enumerated() {
          guard k < step.weights.count, let w = step.weights[k] else {
            weights.append(1)
            continue
          }
          let wv = check(w, expected: .float, scope)
          if let x = wv.constant?.number, x > 0, x.isFinite {
            weights.append(x)
          } else {
            if !wv.type.isError { report(SemaDiagnostics.badStepWeight(at: w.range)) }
            weights.append(1)
          }
        }
        schedule.steps.append(
          CheckedSchedule.Step(kind: step.kind, branches: step.branches, weights: weights, duration: duration, until: until,
                               range: step.range))
      }
      checked.schedule = schedule
    }
    checkOverlappingOverrides(overrides, schedule: checked.schedule)
    checked.records = records
    checked.overrides = overrides
    checked.parentEgoRead = context.parentEgoRead
    checked.nameRange = g.decl.name?.range
    return checked
  }

  /// The members of a scenario (inherited ones first), not yet checked.
  func makeContext(_ g: GlobalSymbol, statements: [(stmt: Stmt, file: Int, own: Bool)]) -> ScenarioContext {
    let context = ScenarioContext(name: g.name)
    for (stmt, file, own) in statements {
      let named: (String, MemberSlot.Kind, SourceRange, TypeExpr?, Expr?)?
      switch stmt.kind {
      case .param(let n, let t, let v): named = (n.name, .param, n.range, t, v)
      case .let(let n, let t, let v): named = (n.name, .letValue, n.range, t, v)
      case .ego(let n, let v): named = (n?.name ?? "ego", .ego, n?.range ?? stmt.range, nil, v)
      case .sensor(let n, let v): named = (n.name, .sensor, n.range, nil, v)
      default: named = nil
      }
      guard let (name, kind, range, typeExpr, value) = named, !name.isEmpty else { continue }
      let slot = MemberSlot(
        name: name, kind: kind, nameRange: range, typeExpr: typeExpr, value: value, stmt: stmt,
        file: file)
      if let existing = context.members[name] {
        let existingIsInherited = statements.contains { $0.stmt === existing.stmt && !$0.own }
        if own && existingIsInherited {
          guard existing.kind == .param, kind == .param else {
            report(SemaDiagnostics.overrideNonParam(name, at: range, previous: existing.nameRange))
            continue
          }
          slot.inherited = existing
          context.members[name] = slot
          if let i = context.order.firstIndex(where: { $0 === existing }) { context.order[i] = slot }
          continue
        }
        report(SemaDiagnostics.duplicateDefinition(name, at: range, previous: existing.nameRange))
        continue
      }
      if kind == .ego {
        if let previous = context.egoSlot {
          report(SemaDiagnostics.duplicateEgo(at: stmt.range, previous: previous.nameRange))
          continue
        }
        context.egoSlot = slot
      }
      context.members[name] = slot
      context.order.append(slot)
    }
    return context
  }

  /// Checks one member's value (called by `ScenarioContext.force`).
  func checkMember(_ slot: MemberSlot, in context: ScenarioContext) {
    let scope = Scope(file: slot.file, scenario: context)
    var declared = slot.typeExpr.map { resolveType($0, file: slot.file) }
    if declared == nil, let inherited = slot.inherited {
      context.force(inherited, checker: self, at: nil)
      declared = inherited.type
    }
    guard let value = slot.value else {
      report(SemaDiagnostics.paramNeedsDefault(slot.name, at: slot.nameRange))
      slot.type = declared ?? .error
      slot.typed = nil
      return
    }
    let v = check(value, expected: declared, scope)
    if let declared { expectType(declared, v, what: "'\(slot.name)'") }
    switch slot.kind {
    case .ego:
      if case .actor = v.type {
      } else if !v.type.isError {
        report(SemaDiagnostics.egoNotActor(describe(v.type), at: value.range))
      }
    case .sensor:
      if case .sensor = v.type {
      } else if !v.type.isError {
        report(SemaDiagnostics.sensorNotSensor(describe(v.type), at: value.range))
      }
    default: break
    }
    var type = v.type
    if let declared, !declared.isError, accepts(declared, v.type) {
      if case .vector(nil) = declared {} else { type = declared }
    }
    slot.type = type
    slot.typed = promoteForParameter(v, type)
    slot.dependencies = scope.reads
    // Params are the scenario's inputs: they are evaluated before any definition.
    if slot.kind == .param {
      for case .definition(let n) in scope.reads {
        report(SemaDiagnostics.paramReadsDefinition(slot.name, definition: n, at: value.range))
      }
    }
  }

  var environmentFields: [(String, SemaType)] {
    [
      ("light", .quantity(Dimension(base: "Illuminance"))), ("indoor", .bool),
      ("sun_elevation", .quantity(Dimension(base: "Angle"))), ("sun_azimuth", .quantity(Dimension(base: "Angle"))),
      ("fog", .float), ("weather", globals[stdlibKey("Weather")]?.kind == .enumeration ? .enumeration(stdlibKey("Weather")) : .error),
      ("visibility", .quantity(Dimension(base: "Length"))),
      ("precipitation", .quantity(Dimension(base: "Length") / Dimension(base: "Time"))),
    ]
  }

  /// What an environment's fields must satisfy together (docs/weather.md): `fog` and
  /// `visibility` are two spellings of the extinction, so at most one is given; constant
  /// values lie in their physical range (random ones are checked when sampled, E0520); and a
  /// field that cannot change the data given the other constant fields is a warning.
  func checkEnvironment(_ fields: [(name: String, value: TypedExpr)], sites: [String: SourceRange]) {
    func constant(_ name: String) -> ConstValue? { fields.first { $0.name == name }?.value.constant }
    func site(_ name: String) -> SourceRange? { sites[name] }
    if let fog = site("fog"), let visibility = site("visibility") {
      let (first, second) = fog.start < visibility.start ? (fog, visibility) : (visibility, fog)
      report(SemaDiagnostics.fogAndVisibility(at: second, previous: first))
    }
    let limits: [(String, (Double) -> Bool, String)] = [
      ("visibility", { $0 > 0 && $0.isFinite }, "a positive length, e.g. 200m"),
      ("precipitation", { $0 >= 0 && $0.isFinite }, "a rate of 0 mm/h or more, e.g. 4mm/h"),
      ("fog", { $0 >= 0 && $0 < 1 }, "a fraction of light lost per 100 m in 0 ..< 1"),
      ("light", { $0 >= 0 && $0.isFinite }, "an illuminance of 0 lx or more"),
    ]
    for (name, holds, expected) in limits {
      if let x = constant(name)?.number, !holds(x), let r = site(name) {
        report(SemaDiagnostics.environmentOutOfRange(name, expected: expected, at: r))
      }
    }
    var weather = "clear"
    if case .enumCase(_, let w)? = constant("weather") { weather = w }
    let weatherKnown = site("weather") == nil || constant("weather") != nil
    let indoor = constant("indoor")?.bool == true
    if indoor {
      for name in ["sun_elevation", "sun_azimuth", "precipitation"] {
        if let r = site(name) { report(SemaDiagnostics.environmentFieldNoEffect(name, reason: "indoors (indoor: true) there is no sun, sky or precipitation", at: r)) }
      }
      if weather != "clear", let r = site("weather") {
        report(SemaDiagnostics.environmentFieldNoEffect("weather", reason: "indoors (indoor: true) the weather does not reach the scene", at: r))
      }
    } else if weatherKnown, weather == "clear" || weather == "overcast", let r = site("precipitation") {
      report(
        SemaDiagnostics.environmentFieldNoEffect(
          "precipitation", reason: "the weather is '\(weather)'; precipitation falls only with 'rain' or 'snow'", at: r))
    }
  }

  func environmentFieldType(_ name: String) -> SemaType? { environmentFields.first { $0.0 == name }?.1 }
}
