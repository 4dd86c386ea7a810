import ScnSource
import ScnSyntax

/// Sub-scenarios (docs/language-tour.md, "Sub-scenarios"): a `compose { do A(args), B(args) }`
/// step starts its sub-scenarios together when the parent starts. Their statements join the
/// parent's, each member renamed `A.name` (`A.1.name`, `A.2.name` when one step runs A twice)
/// so that every invocation keeps its own scope, and the parameters become values bound to
/// the arguments: their actors are sampled with the parent's in one rejection loop, and their
/// requirements, monitors and terminations hold while they run, which is the whole run.
extension Checker {
  /// How deep sub-scenarios may run each other (E0142 beyond).
  static let maxComposeDepth = 32

  /// `statements` with each `compose` block replaced by the statements of the sub-scenarios it runs.
  /// A block of one plain `do` step is inlined for the whole run; any other (several steps,
  /// `wait`, `do choose`/`do shuffle`, or parallel sub-scenarios that terminate) becomes a
  /// schedule (`pendingSchedules`), each copied statement tagged with its branch.
  /// `handsOnInitial`: this scenario is the initial one but has no statements of its own, so
  /// the first sub-scenario of its first plain `do` step is (`if initial scenario`).
  func expandCompose(
    _ g: GlobalSymbol, _ statements: [(stmt: Stmt, file: Int, own: Bool)], handsOnInitial: Bool = false
  ) -> [(stmt: Stmt, file: Int, own: Bool)] {
    guard statements.contains(where: { if case .compose = $0.stmt.kind { return true } else { return false } }) else {
      return statements
    }
    let pushed = composeStack.isEmpty
    if pushed { composeStack.append(g.name) }
    defer { if pushed { composeStack.removeLast() } }
    let parentSimulates = statements.contains { if case .simulate = $0.stmt.kind { return true } else { return false } }
    var parentEnvironment: Set<String> = []
    for entry in statements {
      if case .environment(let fields) = entry.stmt.kind { parentEnvironment.formUnion(fields.map(\.name.name)) }
    }
    var result: [(stmt: Stmt, file: Int, own: Bool)] = []
    var firstCompose: SourceRange?
    for entry in statements {
      guard case .compose(let steps) = entry.stmt.kind else {
        result.append(entry)
        continue
      }
      if let previous = firstCompose {
        report(SemaDiagnostics.composeTwice(at: entry.stmt.range, previous: previous))
        continue
      }
      firstCompose = entry.stmt.range
      guard let first = steps.first else { continue }
      var expanded: [[(name: String, stmts: [(stmt: Stmt, file: Int, own: Bool)], range: SourceRange)]] = []
      // A scenario run more than once in the block is numbered by its place among them.
      var totals: [String: Int] = [:]
      for step in steps {
        for e in step.invocations { if let n = Self.invokedName(e) { totals[n, default: 0] += 1 } }
      }
      var seen: [String: Int] = [:]
      // Scenic hands the initial scenario on to the first sub-scenario that starts; which one
      // of a `do choose`/`do shuffle` starts is drawn when running, so none of them is.
      let initialStep = handsOnInitial ? steps.firstIndex { $0.form != .wait } : nil
      for (index, step) in steps.enumerated() {
        expanded.append(
          step.form == .wait
            ? []
            : expandStep(step, parent: g, file: entry.file, parentSimulates: parentSimulates,
                         parentEnvironment: parentEnvironment, totals: totals, seen: &seen,
                         initialFirst: index == initialStep && step.form == .parallel))
      }
      let terminates = { (stmts: [(stmt: Stmt, file: Int, own: Bool)]) in
        stmts.contains { if case .terminate = $0.stmt.kind { return true } else { return false } }
      }
      let sequential =
        steps.count > 1 || first.form != .parallel
        || (expanded[0].count > 1 && expanded[0].contains { terminates($0.stmts) })
      if !sequential {
        // One parallel step: its sub-scenarios run for the whole run, which its bounds end.
        for invocation in expanded[0] { result += invocation.stmts }
        result += stepBounds(first, file: entry.file)
        continue
      }
      if !pushed {
        // This scenario is itself being run by another: its own steps cannot be scheduled.
        report(SemaDiagnostics.nestedSchedule(g.name, at: first.range, run: composeInvocation ?? first.range))
        continue
      }
      var pending: [PendingStep] = []
      var branches: [CheckedSchedule.Branch] = []
      var unbounded: SourceRange?
      for (index, step) in steps.enumerated() {
        if let never = unbounded {
          report(SemaDiagnostics.stepNeverRuns(at: step.range, unbounded: never))
          break
        }
        let kind: CheckedSchedule.Kind =
          switch step.form {
          case .parallel: .run
          case .wait: .wait
          case .choose: .choose
          case .shuffle: .shuffle
          }
        let deferred = index > 0 || kind == .choose || kind == .shuffle
        var ids: [Int] = []
        var mayEnd = step.duration != nil || step.until != nil || kind == .wait
        var allEnd = true
        for invocation in expanded[index] {
          let b = branches.count
          branches.append(CheckedSchedule.Branch(name: invocation.name, deferred: deferred, range: invocation.range))
          ids.append(b)
          for s in invocation.stmts { composeBranch[ObjectIdentifier(s.stmt)] = b }
          result += invocation.stmts
          let ends = terminates(invocation.stmts) || Self.constructsBehavior(invocation.stmts)
            || invocation.stmts.contains { if case .requireMonitor = $0.stmt.kind { return true } else { return false } }
          if !ends { allEnd = false }
        }
        // A `run` step ends when all of its sub-scenarios have; `choose` when the chosen one
        // has; `shuffle` when the last has.
        if !ids.isEmpty, kind == .run ? allEnd : expanded[index].allSatisfy({ invocation in
          terminates(invocation.stmts) || Self.constructsBehavior(invocation.stmts) })
        {
          mayEnd = true
        }
        if ids.isEmpty && kind != .wait { mayEnd = true }  // every invocation was an error
        if !mayEnd { unbounded = step.range }
        pending.append(
          PendingStep(kind: kind, branches: ids, weights: kind == .choose || kind == .shuffle ? step.weights : [], duration: step.duration,
                      until: step.until, range: step.range))
      }
      pendingSchedules[g.name] = (pending, branches, entry.file)
    }
    return result
  }

  /// `for T` and `until c` of a step that runs for the whole run: they end the run.
  private func stepBounds(_ step: ComposeStep, file: Int) -> [(stmt: Stmt, file: Int, own: Bool)] {
    var result: [(stmt: Stmt, file: Int, own: Bool)] = []
    if let duration = step.duration {
      let clock = Expr(.call(Expr(.name(Identifier(name: "sim_time", range: duration.range)), range: duration.range), []),
                       range: duration.range)
      let condition = Expr(
        .comparison(clock, [ComparisonLink(op: .greaterEqual, operatorRange: duration.range, rhs: duration)]),
        range: duration.range)
      result.append((Stmt(.terminate(condition), range: duration.range), file, true))
    }
    if let until = step.until {
      result.append((Stmt(.terminate(until), range: until.range), file, true))
    }
    return result
  }

  /// The statements of each sub-scenario a step runs, renamed into the parent.
  private func expandStep(
    _ step: ComposeStep, parent g: GlobalSymbol, file: Int, parentSimulates: Bool, parentEnvironment: Set<String>,
    totals: [String: Int], seen: inout [String: Int], initialFirst: Bool = false
  ) -> [(name: String, stmts: [(stmt: Stmt, file: Int, own: Bool)], range: SourceRange)] {
    var calls: [(name: Identifier, args: [Argument], range: SourceRange)] = []
    for e in step.invocations {
      if case .missing = e.kind { continue }
      if case .name(let id) = e.kind, !id.isMissing {
        calls.append((id, [], e.range))
      } else if case .call(let callee, let args) = e.kind, case .name(let id) = callee.kind, !id.isMissing {
        calls.append((id, args, e.range))
      } else {
        report(SemaDiagnostics.notAScenarioInvocation(at: e.range))
      }
    }
    var result: [(name: String, stmts: [(stmt: Stmt, file: Int, own: Bool)], range: SourceRange)] = []
    for (callIndex, call) in calls.enumerated() {
      seen[call.name.name, default: 0] += 1
      let ordinal = seen[call.name.name] ?? 1
      guard let sub = lookupGlobal(call.name.name, from: file, at: call.name.range, report: false),
        sub.kind == .scenario, isVisible(sub.file, from: file)
      else {
        let known = globals[call.name.name]
        let note: String? =
          known?.kind == .behavior || known?.kind == .action
          ? "'\(call.name.name)' is a behavior or action: an actor runs it ('with behavior')" : nil
        report(
          SemaDiagnostics.unknownSubScenario(
            call.name.name, at: call.name.range, note: note,
            suggestion: note == nil ? nearest(call.name.name, in: visibleNames(from: file, kinds: [.scenario])) : nil))
        continue
      }
      if composeStack.contains(sub.name) {
        let path = composeStack + [sub.name]
        report(SemaDiagnostics.composeCycle(path, at: call.name.range))
        continue
      }
      // Each level recurses on the stack: bound the depth a file can ask for.
      if composeStack.count >= Self.maxComposeDepth {
        report(SemaDiagnostics.composeTooDeep(Self.maxComposeDepth, at: call.name.range))
        continue
      }
      composeStack.append(sub.name)
      let savedInvocation = composeInvocation
      composeInvocation = call.range
      nextIsInitialScenario = initialFirst && callIndex == 0
      let subStatements = scenarioStatements(sub)
      nextIsInitialScenario = nil
      composeInvocation = savedInvocation
      composeStack.removeLast()

      if let include = subStatements.first(where: { if case .include = $0.stmt.kind { return true } else { return false } }) {
        report(SemaDiagnostics.composeMixture(sub.name, at: call.range, include: include.stmt.range))
        continue
      }
      // The same scenario run twice in one `compose` block: numbered by its place among them.
      let name = (totals[sub.name] ?? 1) > 1 ? "\(sub.name).\(ordinal)" : sub.name
      let prefix = name + "."
      var renaming: [String: String] = [:]
      for (stmt, _, _) in subStatements {
        switch stmt.kind {
        case .param(let n, _, _), .let(let n, _, _), .sensor(let n, _): renaming[n.name] = prefix + n.name
        case .ego(let n?, _): renaming[n.name] = prefix + n.name
        default: break
        }
      }
      guard let bound = bindArguments(call.args, of: sub.name, params: subStatements, at: call.range) else { continue }
      let rename = Renaming(map: renaming, prefix: prefix)
      var copies: [(stmt: Stmt, file: Int, own: Bool)] = []
      for (stmt, subFile, _) in subStatements {
        // The parent's `simulate` and `environment` fields win over a sub-scenario's.
        if case .simulate = stmt.kind, parentSimulates { continue }
        var source = stmt
        if case .environment(let fields) = stmt.kind {
          let kept = fields.filter { !parentEnvironment.contains($0.name.name) }
          if kept.isEmpty { continue }
          source = Stmt(.environment(kept), annotations: stmt.annotations, documentation: stmt.documentation, range: stmt.range)
        }
        let copy = rename.statement(source, arguments: bound)
        composedFrom[ObjectIdentifier(copy)] = (copy, sub.name, call.range)
        copies.append((copy, subFile, true))
      }
      result.append((name, copies, call.range))
    }
    return result
  }

  /// Each parameter of the sub-scenario (in its signature or body, in order) gets the
  /// argument in its position or with its label, else its default (in the sub-scenario's
  /// scope, so nil here). Nil when the arguments do not fit (reported, E0145).
  private func bindArguments(
    _ args: [Argument], of scenario: String, params statements: [(stmt: Stmt, file: Int, own: Bool)],
    at range: SourceRange
  ) -> [String: Expr]? {
    var params: [(name: Identifier, hasDefault: Bool)] = []
    for (stmt, _, _) in statements {
      if case .param(let n, _, let d) = stmt.kind, !params.contains(where: { $0.name.name == n.name }) {
        params.append((n, d != nil))
      }
    }
    var bound: [String: Expr] = [:]
    var ok = true
    var position = 0
    for arg in args {
      if let label = arg.label {
        guard params.contains(where: { $0.name.name == label.name }) else {
          report(
            SemaDiagnostics.subScenarioArgument(
              "'\(scenario)' has no parameter '\(label.name)'", at: label.range,
              suggestion: nearest(label.name, in: params.map(\.name.name))))
          ok = false
          continue
        }
        if bound[label.name] != nil {
          report(SemaDiagnostics.subScenarioArgument("parameter '\(label.name)' is given twice", at: arg.range, suggestion: nil))
          ok = false
          continue
        }
        bound[label.name] = arg.value
      } else {
        guard position < params.count else {
          report(
            SemaDiagnostics.subScenarioArgument(
              "'\(scenario)' takes \(params.count) parameter\(params.count == 1 ? "" : "s"), found \(args.count) arguments",
              at: arg.range, suggestion: nil))
          ok = false
          break
        }
        bound[params[position].name.name] = arg.value
        position += 1
      }
    }
    for p in params where bound[p.name.name] == nil && !p.hasDefault {
      report(
        SemaDiagnostics.subScenarioArgument(
          "parameter '\(p.name.name)' of '\(scenario)' has no default: it needs an argument", at: range, suggestion: nil))
      ok = false
    }
    return ok ? bound : nil
  }

  /// The scenario an invocation names (`A` or `A(args)`).
  static func invokedName(_ e: Expr) -> String? {
    if case .name(let id) = e.kind { return id.name }
    if case .call(let callee, _) = e.kind, case .name(let id) = callee.kind { return id.name }
    return nil
  }

  /// Whether a scenario of the main file runs `name` from its `compose` block.
  func isSubScenario(_ name: String) -> Bool {
    guard mainFile < files.count else { return false }
    return files[mainFile].ast.declarations.contains { decl in
      guard case .scenario(_, _, let body) = decl.kind else { return false }
      return body.contains { stmt in
        guard case .compose(let steps) = stmt.kind else { return false }
        return steps.contains { step in
          step.invocations.contains { e in
            if case .name(let id) = e.kind { return id.name == name }
            if case .call(let callee, _) = e.kind, case .name(let id) = callee.kind { return id.name == name }
            return false
          }
        }
      }
    }
  }

  /// A sub-scenario's statements are resolved again for every scenario that runs it, so an
  /// error found while resolving them (`extends`, its own `compose`) is reported once only.
  func dropRepeatedExpansionDiagnostics() {
    let codes: Set<String> = [
      "E0142", "E0144", "E0145", "E0146", "E0147", "E0149", "E0150", "E0151", "E0152", "E0153", "E0216", "E0252",
    ]
    var seen: Set<Diagnostic> = []
    diagnostics = diagnostics.filter { d in
      guard codes.contains(d.code.rawValue) else { return true }
      return seen.insert(d).inserted
    }
  }

  /// Diagnostics inside statements a `compose` step copied: dropped when the sub-scenario's
  /// own check already reported them, else noted with the invocation.
  func attributeComposedDiagnostics(since start: Int, statements: [(stmt: Stmt, file: Int, own: Bool)]) {
    attributeDiagnostics(
      since: start,
      regions: statements.compactMap { s in
        composedFrom[ObjectIdentifier(s.stmt)].map { from in
          (s.stmt.range, Note("in sub-scenario '\(from.scenario)', run here", at: from.invocation))
        }
      })
  }
}

/// Renames a sub-scenario's members in copies of its statements: every occurrence of a
/// member's name as a name or a binder (a consistent renaming, so a comprehension binder
/// that shadows a member still shadows it); field names and argument labels stay.
struct Renaming {
  let map: [String: String]
  /// Put before the names of `cover` points, which are scoped like members.
  let prefix: String

  func id(_ i: Identifier) -> Identifier { map[i.name].map { Identifier(name: $0, range: i.range) } ?? i }
  func opt(_ e: Expr?) -> Expr? { e.map(expr) }

  func statement(_ s: Stmt, arguments: [String: Expr]) -> Stmt {
    let kind: StmtKind
    switch s.kind {
    case .param(let n, let t, let d):
      // A parameter is a value of the invocation: the argument (the parent's scope) or the default.
      kind = .let(name: id(n), type: t, value: arguments[n.name] ?? opt(d) ?? Expr(.missing, range: n.range))
    case .let(let n, let t, let v): kind = .let(name: id(n), type: t, value: expr(v))
    case .ego(let n, let v): kind = .ego(name: n.map(id), value: expr(v))
    case .require(let k, let e, let name):
      // A named requirement is scoped like a member: `Sub.name` in the card.
      let scoped = name.map { Identifier(name: prefix + $0.name, range: $0.range) }
      switch k {
      case .soft(let p): kind = .require(.soft(probability: expr(p)), expr(e), name: scoped)
      default: kind = .require(k, expr(e), name: scoped)
      }
    case .terminate(let e): kind = .terminate(expr(e))
    case .environment(let fs): kind = .environment(fs.map(field))
    case .sensor(let n, let v): kind = .sensor(name: id(n), value: expr(v))
    case .simulate(let d, let r): kind = .simulate(duration: expr(d), rate: opt(r))
    case .cover(let n, let v, let b):
      kind = .cover(name: Identifier(name: prefix + n.name, range: n.range), value: expr(v), buckets: opt(b))
    case .allowOverlap: kind = .allowOverlap
    case .workspace(let e): kind = .workspace(expr(e))
    case .include(let n, let w): kind = .include(scenario: n, weight: opt(w))
    case .requireMonitor(let e): kind = .requireMonitor(expr(e))
    case .record(let time, let e, let name):
      // A recorded name is scoped like a member: `Sub.name` in the trace and `samples.jsonl`.
      kind = .record(time, expr(e), name: name.map { Identifier(name: prefix + $0.name, range: $0.range) })
    case .override(let target, let items):
      kind = .override(target: expr(target), items: items.map { item in
        switch item {
        case .field(let f): .field(field(f))
        case .behavior(let b, let r): .behavior(opt(b), range: r)
        }
      })
    case .expression(let e): kind = .expression(expr(e))
    case .compose: kind = .error  // expanded before copying
    case .initialScenario: kind = .error  // resolved before copying
    case .error: kind = .error
    }
    return Stmt(kind, annotations: s.annotations, documentation: s.documentation, range: s.range)
  }

  func field(_ f: FieldInit) -> FieldInit { FieldInit(name: f.name, value: expr(f.value), range: f.range) }
  func argument(_ a: Argument) -> Argument { Argument(label: a.label, value: expr(a.value), range: a.range) }

  func specifier(_ s: Specifier) -> Specifier {
    let k: SpecifierKind
    switch s.kind {
    case .at(let e): k = .at(expr(e))
    case .facing(let e): k = .facing(expr(e))
    case .facingToward(let e): k = .facingToward(expr(e))
    case .relative(let d, let r, let by): k = .relative(d, reference: expr(r), distance: opt(by))
    case .on(let e): k = .on(expr(e))
    case .within(let e): k = .within(expr(e))
    case .withBehavior(let e): k = .withBehavior(expr(e))
    case .offset(let v, let h): k = .offset(by: expr(v), along: opt(h))
    case .beyond(let p, let v, let q): k = .beyond(expr(p), by: expr(v), from: opt(q))
    case .vertical(let above, let r, let d): k = .vertical(above: above, reference: expr(r), distance: opt(d))
    case .facingAwayFrom(let e): k = .facingAwayFrom(expr(e))
    case .facingDirectly(let e, let away): k = .facingDirectly(expr(e), away: away)
    case .apparentlyFacing(let h, let p): k = .apparentlyFacing(expr(h), from: opt(p))
    case .visibleFrom(let e, let negated): k = .visibleFrom(expr(e), negated: negated)
    case .containedIn(let e): k = .containedIn(expr(e))
    case .following(let f, let p, let d): k = .following(expr(f), from: opt(p), distance: expr(d))
    }
    return Specifier(k, range: s.range)
  }

  func expr(_ e: Expr) -> Expr {
    let k: ExprKind
    switch e.kind {
    case .integer, .float, .quantity, .string, .bool, .selfActor, .ego, .missing: k = e.kind
    case .name(let i): k = .name(id(i))
    case .member(let b, let n): k = .member(expr(b), n)
    case .call(let c, let args): k = .call(expr(c), args.map(argument))
    case .index(let b, let i): k = .index(expr(b), expr(i))
    case .tuple(let xs): k = .tuple(xs.map(expr))
    case .list(let xs): k = .list(xs.map(expr))
    case .comprehension(let el, let b, let seq, let c):
      k = .comprehension(element: expr(el), binder: id(b), sequence: expr(seq), condition: opt(c))
    case .range(let a, let b, let half): k = .range(expr(a), expr(b), halfOpen: half)
    case .unary(let op, let x): k = .unary(op, expr(x))
    case .binary(let op, let a, let b): k = .binary(op, expr(a), expr(b))
    case .comparison(let first, let links):
      k = .comparison(expr(first), links.map { ComparisonLink(op: $0.op, operatorRange: $0.operatorRange, rhs: expr($0.rhs)) })
    case .quantifier(let q, let b, let seq, let body): k = .quantifier(q, binder: id(b), sequence: expr(seq), body: expr(body))
    case .choice(let arms): k = .choice(arms.map { ChoiceArm(weight: expr($0.weight), value: expr($0.value), range: $0.range) })
    case .conditional(let c, let a, let b): k = .conditional(expr(c), then: expr(a), else: expr(b))
    case .spatial(let op, let xs): k = .spatial(op, operands: xs.map(expr))
    case .boxPoint(let p, let x): k = .boxPoint(p, expr(x))
    case .slice(let b, let lo, let hi): k = .slice(expr(b), lower: opt(lo), upper: opt(hi))
    case .record(let t, let fs): k = .record(expr(t), fs.map(field))
    case .construction(let b, let specs): k = .construction(expr(b), specs.map(specifier))
    }
    return Expr(k, range: e.range)
  }
}
