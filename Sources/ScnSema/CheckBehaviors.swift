import ScnSource
import ScnSyntax
import ScnUnits

/// Behavior bodies (docs/language-tour.md, "Behaviors"): the temporal steps, control flow
/// with `var` locals, `try … interrupt when`, `do choose` / `do shuffle`, `terminate`,
/// `require`, `precondition:` / `invariant:`; and the check that behaviors do not run
/// themselves without end.
extension Checker {
  /// What the statements of one behavior body share while they are checked.
  struct BehaviorBodyState {
    /// Slots of the body's `var`s: the only locals an assignment may write.
    var variables: Set<Int> = []
    var isMonitor = false
    /// Loops and interrupt handlers around the statement being checked.
    var loops = 0
    var handlers = 0
  }

  func checkBehaviorBody(_ g: GlobalSymbol) {
    let body: [BehaviorStmt]
    var isMonitor = false
    var actor: Identifier?
    switch g.decl.kind {
    case .behavior(_, _, let a, let b):
      body = b
      actor = a
    case .monitor(_, _, let b):
      body = b
      isMonitor = true
    default: return
    }
    guard let sig = signature(g.name) else { return }
    let scope = Scope(file: g.file)
    // A monitor runs without an actor: no `self`.
    scope.selfType = isMonitor ? nil : .actor("Actor")
    scope.inMonitor = isMonitor
    // `behavior B() for T`: `self` is a `T`.
    var actorType: String?
    if let actor, !actor.isMissing {
      if let t = behaviorActorType(actor, file: g.file) {
        actorType = t
        scope.selfType = .actor(t)
      }
    }
    var state = BehaviorBodyState()
    // `precondition:` and `invariant:` lines open the body (Scenic's rule).
    var checks: [CheckedBehaviorCheck] = []
    var rest = body[...]
    let steps = bindParameters(sig.parameters, scope) { () -> [CheckedStep] in
      while let first = rest.first {
        let kind: CheckedBehaviorCheck.Kind
        let condition: Expr
        switch first.kind {
        case .precondition(let c): (kind, condition) = (.precondition, c)
        case .invariant(let c): (kind, condition) = (.invariant, c)
        default: return checkSteps(Array(rest), scope, &state)
        }
        rest = rest.dropFirst()
        checks.append(behaviorCheck(kind, condition, range: first.range, scope))
      }
      return []
    }
    var checked = CheckedBehavior(name: g.name, parameters: sig.parameters.map { ($0.name, $0.type) }, steps: steps)
    checked.checks = checks
    checked.isMonitor = isMonitor
    checked.actorType = actorType
    checkedBehaviors[g.name] = checked
  }

  private func behaviorCheck(_ kind: CheckedBehaviorCheck.Kind, _ condition: Expr, range: SourceRange, _ scope: Scope)
    -> CheckedBehaviorCheck
  {
    let t = check(condition, expected: .bool, scope)
    expectType(.bool, t, what: "'\(kind.rawValue)' condition")
    return CheckedBehaviorCheck(kind: kind, condition: t, text: text(condition.range), range: range)
  }

  func checkSteps(_ stmts: [BehaviorStmt], _ scope: Scope, _ state: inout BehaviorBodyState) -> [CheckedStep] {
    let time = SemaType.quantity(Dimension(base: "Time"))
    var steps: [CheckedStep] = []
    var index = 0
    while index < stmts.count {
      let s = stmts[index]
      index += 1
      switch s.kind {
      case .error: continue
      case .wait(let d):
        let t = check(d, expected: time, scope)
        expectType(time, t, what: "'wait' duration")
        steps.append(.wait(t))
      case .waitUntil(let c):
        steps.append(.waitUntil(condition(c, "'wait until' condition", scope)))
      case .perform(let action, let duration, let until):
        let a = check(action, expected: .behavior, scope)
        expectType(.behavior, a, what: "'do' action")
        rejectMonitor(a)
        if case .actor(let selfType)? = scope.selfType { checkRunsOn(a, actorType: selfType, at: a.range) }
        let d = duration.map { check($0, expected: time, scope) }
        if let d { expectType(time, d, what: "'for' duration") }
        let u = until.map { condition($0, "'until' condition", scope) }
        steps.append(.perform(action: a, duration: d, until: u))
      case .either(let branches):
        steps.append(.either(branches.map { checkSteps($0, scope, &state) }))
      case .variable(let name, let typeExpr, let value):
        var declared: SemaType?
        if let typeExpr { declared = resolveType(typeExpr, file: scope.file) }
        var v = check(value, expected: declared, scope)
        if let declared {
          expectType(declared, v, what: "initial value of '\(name.name)'")
          v = promoteForParameter(v, declared)
        }
        // The variable is visible to the rest of the block.
        let remaining = Array(stmts[index...])
        index = stmts.count
        var inner = state
        let tail = scope.withLocal(name.name, type: declared ?? v.type) { slot -> [CheckedStep] in
          inner.variables.insert(slot)
          return [.assign(slot: slot, value: v)] + checkSteps(remaining, scope, &inner)
        }
        steps += tail
      case .assign(let name, let value):
        guard !name.isMissing else { continue }
        guard let local = scope.lookupLocal(name.name) else {
          if let g = lookupGlobal(name.name, from: scope.file, at: name.range, report: false), g.kind == .variable {
            // A mutable global: the write is seen by every later read in the simulation.
            guard let initial = globalVariable(g.name) else {
              _ = check(value, expected: nil, scope)
              continue
            }
            let v = check(value, expected: initial.type, scope)
            expectType(initial.type, v, what: "value assigned to global '\(name.name)'")
            steps.append(.setGlobal(name: g.name, value: promoteForParameter(v, initial.type), range: s.range))
            continue
          }
          _ = check(value, expected: nil, scope)
          if let g = lookupGlobal(name.name, from: scope.file, at: name.range, report: false), g.kind == .constant {
            report(BehaviorDiagnostics.assignToConstant(name.name, at: name.range, isConst: true))
            continue
          }
          let candidates = scope.locals.filter { state.variables.contains($0.slot) }.map(\.name)
          report(BehaviorDiagnostics.assignToUnknown(name.name, at: name.range, suggestion: nearest(name.name, in: candidates)))
          continue
        }
        let v = check(value, expected: local.type, scope)
        guard state.variables.contains(local.slot) else {
          report(BehaviorDiagnostics.assignToConstant(name.name, at: name.range))
          continue
        }
        expectType(local.type, v, what: "value assigned to '\(name.name)'")
        steps.append(.assign(slot: local.slot, value: promoteForParameter(v, local.type)))
      case .setField(let target, let field, let value):
        if let step = checkSetField(target: target, field: field, value: value, scope, range: s.range) {
          steps.append(step)
        }
      case .ifElse(let c, let then, let otherwise):
        let cond = condition(c, "'if' condition", scope)
        steps.append(.ifElse(cond, then: checkSteps(then, scope, &state),
                             otherwise: otherwise.map { checkSteps($0, scope, &state) } ?? []))
      case .whileLoop(let c, let body):
        let cond = condition(c, "'while' condition", scope)
        state.loops += 1
        let checkedBody = checkSteps(body, scope, &state)
        state.loops -= 1
        if case .bool(true)? = cond.constant, !Self.takesTime(checkedBody) {
          report(BehaviorDiagnostics.loopNeverWaits(at: s.range))
        }
        steps.append(.whileLoop(cond, body: checkedBody, range: s.range))
      case .forLoop(let binder, let sequence, let body):
        let src = check(sequence, expected: nil, scope)
        let element = iterationType(src, at: sequence.range)
        state.loops += 1
        let checkedBody = scope.withLocal(binder.name, type: element) { slot in
          (slot, checkSteps(body, scope, &state))
        }
        state.loops -= 1
        steps.append(.forLoop(slot: checkedBody.0, sequence: src, body: checkedBody.1, range: s.range))
      case .tryInterrupt(let body, let handlers):
        let b = checkSteps(body, scope, &state)
        state.handlers += 1
        let hs = handlers.map { h in
          (condition: condition(h.condition, "interrupt condition", scope), body: checkSteps(h.body, scope, &state))
        }
        state.handlers -= 1
        steps.append(.tryInterrupt(body: b, handlers: hs))
      case .terminate(let c):
        steps.append(.terminate(c.map { condition($0, "'terminate when' condition", scope) }))
      case .choose(let entries):
        var weights: [TypedExpr] = []
        var actions: [TypedExpr] = []
        for e in entries {
          let w: TypedExpr
          if let we = e.weight {
            w = check(we, expected: .float, scope)
            expectType(.float, w, what: "'do choose' weight")
            if let x = w.constant?.number, !(x >= 0) || !x.isFinite {
              report(BehaviorDiagnostics.badChoiceWeight(at: we.range))
            }
          } else {
            w = TypedExpr(.constant(.real(1, exact: nil)), type: .float, isRandom: false, constant: .real(1, exact: nil),
                          range: e.range)
          }
          let a = check(e.action, expected: .behavior, scope)
          expectType(.behavior, a, what: "'do choose' entry")
          if case .actor(let selfType)? = scope.selfType { checkRunsOn(a, actorType: selfType, at: a.range) }
          weights.append(promoteForParameter(w, .float))
          actions.append(a)
        }
        if !weights.isEmpty, weights.allSatisfy({ $0.constant?.number == 0 }) {
          report(BehaviorDiagnostics.badChoiceWeight(at: s.range))
        }
        steps.append(.choose(weights: weights, actions: actions, range: s.range))
      case .shuffle(let actions):
        let checked = actions.map { a in
          let t = check(a, expected: .behavior, scope)
          expectType(.behavior, t, what: "'do shuffle' entry")
          if case .actor(let selfType)? = scope.selfType { checkRunsOn(t, actorType: selfType, at: t.range) }
          return t
        }
        steps.append(.shuffle(checked, range: s.range))
      case .precondition(let c), .invariant(let c):
        _ = check(c, expected: .bool, scope)
        let word = if case .precondition = s.kind { "precondition" } else { "invariant" }
        report(BehaviorDiagnostics.checkNotAtTop(word, at: s.range))
      case .require(let c):
        steps.append(.check(behaviorCheck(.require, c, range: s.range, scope)))
      case .jump(let j):
        switch j {
        case .break where state.loops == 0, .continue where state.loops == 0:
          report(BehaviorDiagnostics.jumpOutsideLoop(j.rawValue, at: s.range))
        case .abort where state.handlers == 0:
          report(BehaviorDiagnostics.abortOutsideHandler(at: s.range))
        default:
          steps.append(.jump(j))
        }
      }
    }
    return steps
  }

  /// The actor type a definition's value constructs, read from its syntax (`Box at …`,
  /// `Car { … } …`), or nil when it is not a construction of a known actor type.
  func constructedType(_ value: Expr?) -> SemaType? {
    guard var e = value else { return nil }
    if case .construction(let base, _) = e.kind { e = base }
    if case .record(let base, _) = e.kind { e = base }
    guard case .name(let id) = e.kind, let g = globals[id.name], g.kind == .actor else { return nil }
    return .actor(g.name)
  }

  /// Whether `name` is declared with `monitor`.
  /// The actor type named by `behavior B() for T`, or nil after reporting E0139.
  private func behaviorActorType(_ id: Identifier, file: Int) -> String? {
    guard let g = lookupGlobal(id.name, from: file, at: id.range, report: false), g.kind == .actor,
      record(g.name) != nil
    else {
      let candidates = visibleNames(from: file, kinds: [.actor])
      report(BehaviorDiagnostics.badActorType(id.name, at: id.range, suggestion: nearest(id.name, in: candidates)))
      return nil
    }
    return g.name
  }

  /// The `for T` of behavior `name` and where it is written (nil: any actor, or not a behavior).
  func declaredActorType(ofBehavior name: String) -> (type: String, range: SourceRange)? {
    guard let g = globals[name], case .behavior(_, _, let actor?, _) = g.decl.kind, !actor.isMissing,
      let t = lookupGlobal(actor.name, from: g.file, at: actor.range, report: false), t.kind == .actor
    else { return nil }
    return (t.name, actor.range)
  }

  /// E0140 when behavior value `e` (a call of a behavior declared `for T`) would run on an
  /// actor of type `actorType` that is not a `T`.
  func checkRunsOn(_ e: TypedExpr, actorType: String, at r: SourceRange) {
    guard case .invoke(let name, _) = e.kind, let (required, declared) = declaredActorType(ofBehavior: name),
      !isSubtype(actorType, of: required)
    else { return }
    report(BehaviorDiagnostics.wrongActorType(name, required: required, found: actorType, at: r, declared: declared))
  }

  /// `target.field = value` in a behavior: only `self`'s `var` fields, with a value of the
  /// field's type.
  private func checkSetField(target: Expr, field: Identifier, value: Expr, _ scope: Scope, range: SourceRange)
    -> CheckedStep?
  {
    guard case .selfActor = target.kind else {
      _ = check(value, expected: nil, scope)
      report(BehaviorDiagnostics.assignOtherActor(text(target.range), field.name, at: target.range))
      return nil
    }
    guard case .actor(let typeName)? = scope.selfType, let info = record(typeName) else {
      _ = check(value, expected: nil, scope)
      report(BehaviorDiagnostics.assignOtherActor("self", field.name, at: target.range, inMonitor: scope.inMonitor))
      return nil
    }
    guard let f = info.fields[field.name] else {
      _ = check(value, expected: nil, scope)
      let derived = Self.derivedActorFields.contains(field.name)
      report(BehaviorDiagnostics.unknownActorField(field.name, of: typeName, derived: derived, at: field.range,
                                                   suggestion: derived ? nil : nearest(field.name, in: info.fieldOrder)))
      return nil
    }
    let v = check(value, expected: f.type, scope)
    guard f.isVar else {
      // A fix-it edits the user's own files, never the StdLib.
      let editable = f.declaration.map { d in files.contains { $0.id == d.file && !$0.isStdLib } } ?? false
      report(BehaviorDiagnostics.fieldNotVar(field.name, of: typeName, at: field.range, declared: f.declaration,
                                             editable: editable))
      return nil
    }
    expectType(f.type, v, what: "value assigned to field '\(field.name)' of '\(typeName)'")
    return .setField(field: field.name, value: promoteForParameter(v, f.type), range: range)
  }

  func isMonitor(_ name: String) -> Bool {
    guard let g = globals[name], case .monitor = g.decl.kind else { return false }
    return true
  }

  /// E0325 when a behavior value names a monitor (a monitor has no actor to run on).
  func rejectMonitor(_ e: TypedExpr) {
    if case .invoke(let name, _) = e.kind, isMonitor(name) {
      report(BehaviorDiagnostics.monitorMisuse(name, asBehavior: true, at: e.range))
    }
  }

  /// `require monitor M(args)` in a scenario: the monitor call, or nil after an error.
  func checkMonitorRequirement(_ e: Expr, _ scope: Scope) -> TypedExpr? {
    let saved = scope.selfType
    scope.selfType = nil
    defer { scope.selfType = saved }
    let t = check(e, expected: .behavior, scope)
    if t.type.isError { return nil }
    guard case .invoke(let name, _) = t.kind, isMonitor(name) else {
      report(BehaviorDiagnostics.monitorMisuse(text(e.range), asBehavior: false, at: e.range))
      return nil
    }
    return t
  }

  private func condition(_ c: Expr, _ what: String, _ scope: Scope) -> TypedExpr {
    let t = check(c, expected: .bool, scope)
    expectType(.bool, t, what: what)
    return t
  }

  /// Whether running `steps` can take simulated time (a `wait`, a `do`, or a block holding one).
  static func takesTime(_ steps: [CheckedStep]) -> Bool {
    steps.contains { step in
      switch step {
      case .wait, .waitUntil, .perform, .choose, .shuffle, .terminate: true
      case .either(let bs): bs.contains { takesTime($0) }
      case .ifElse(_, let a, let b): takesTime(a) || takesTime(b)
      case .whileLoop(_, let b, _), .forLoop(_, _, let b, _): takesTime(b)
      case .tryInterrupt(let b, let hs): takesTime(b) || hs.contains { takesTime($0.body) }
      case .assign, .setField, .setGlobal, .check, .jump: false
      }
    }
  }

  // MARK: - Recursion

  /// A behavior that runs itself again (directly or through others) by a `do` it always
  /// reaches never finishes: each call nests another before the first ends. Reported at
  /// the behavior (E0320). A call under `if`, `either`, `for`, `while`, `do choose` or an
  /// interrupt handler may stop, so it is not an error (the run-time nesting limit holds).
  func checkBehaviorRecursion() {
    var edges: [String: [(callee: String, range: SourceRange)]] = [:]
    func unconditionalCalls(_ steps: [CheckedStep], into out: inout [(String, SourceRange)]) {
      for step in steps {
        switch step {
        case .perform(let a, _, _):
          if case .invoke(let name, _) = a.kind, globals[name]?.kind == .behavior { out.append((name, a.range)) }
        case .tryInterrupt(let body, _): unconditionalCalls(body, into: &out)
        case .shuffle(let actions, _):
          for a in actions {
            if case .invoke(let name, _) = a.kind, globals[name]?.kind == .behavior { out.append((name, a.range)) }
          }
        default: break
        }
        // A call after a step that can end the run or the body still runs when it does not.
      }
    }
    for name in checkedBehaviors.keys.sorted() {
      guard let b = checkedBehaviors[name] else { continue }
      var out: [(String, SourceRange)] = []
      unconditionalCalls(b.steps, into: &out)
      edges[name] = out.map { (callee: $0.0, range: $0.1) }
    }
    // Depth-first search from each behavior for a path back to itself.
    for start in edges.keys.sorted() {
      guard let g = globals[start] else { continue }
      var path: [(String, SourceRange)] = []
      var visited: Set<String> = []
      func search(_ node: String) -> Bool {
        for e in edges[node] ?? [] {
          path.append((e.callee, e.range))
          if e.callee == start { return true }
          if !visited.contains(e.callee) {
            visited.insert(e.callee)
            if search(e.callee) { return true }
          }
          path.removeLast()
        }
        return false
      }
      guard search(start), let id = g.decl.name else { continue }
      report(BehaviorDiagnostics.unboundedRecursion(start, cycle: path.map(\.0), at: id.range, call: path[0].1))
    }
  }
}

/// The messages of behavior bodies (codes E0320-E0339, W0320-W0329).
enum BehaviorDiagnostics {
  /// E0136
  static func fieldNotVar(_ field: String, of type: String, at r: SourceRange, declared: SourceRange?, editable: Bool)
    -> Diagnostic
  {
    var notes = [Note("only fields declared 'var' may change while the simulation runs")]
    var fixIts: [FixIt] = []
    if let declared {
      notes.insert(Note("'\(field)' is declared here without 'var'", at: declared), at: 0)
      if editable { fixIts.append(FixIt.insert("var ", at: declared.start, in: declared.file, "declare the field 'var \(field)'")) }
    }
    return .error(DiagnosticCode("E0136"), "cannot assign to field '\(field)' of '\(type)': it is not declared 'var'",
                  at: r, notes: notes, fixIts: fixIts)
  }
  /// E0137
  static func assignOtherActor(_ target: String, _ field: String, at r: SourceRange, inMonitor: Bool = false) -> Diagnostic {
    if inMonitor {
      return .error(DiagnosticCode("E0137"), "a monitor has no actor: it cannot assign 'self.\(field)'", at: r,
                    notes: [Note("assign the field in a behavior of the actor ('behavior B() for T { self.\(field) = … }')")])
    }
    return .error(DiagnosticCode("E0137"), "a behavior can assign only its own actor's fields, found '\(target).\(field)'",
                  at: r, notes: [Note("write 'self.\(field) = …' in a behavior of '\(target)', or keep the value in a 'var'")])
  }
  /// E0138
  static func unknownActorField(_ field: String, of type: String, derived: Bool, at r: SourceRange, suggestion: String?)
    -> Diagnostic
  {
    if derived {
      return .error(DiagnosticCode("E0138"), "cannot assign to '\(field)': it is derived from 'size' and read-only", at: r,
                    notes: [Note("assign 'self.size' instead, if it is declared 'var'")])
    }
    var notes: [Note] = []
    if type == "Actor" { notes.append(Note("'self' is an 'Actor'; name the actor type with 'behavior B() for T' to assign T's fields")) }
    if let suggestion { notes.insert(Note("did you mean '\(suggestion)'?"), at: 0) }
    return .error(DiagnosticCode("E0138"), "actor type '\(type)' has no field '\(field)'", at: r, notes: notes,
                  fixIts: suggestion.map { [FixIt.replace(r, with: $0, "replace with '\($0)'")] } ?? [])
  }
  /// E0139
  static func badActorType(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(DiagnosticCode("E0139"), "'for \(name)': expected an actor type the behavior runs on", at: r,
           notes: suggestion.map { [Note("did you mean '\($0)'?")] } ?? [],
           fixIts: suggestion.map { [FixIt.replace(r, with: $0, "replace with '\($0)'")] } ?? [])
  }
  /// E0140
  static func wrongActorType(_ behavior: String, required: String, found: String, at r: SourceRange, declared: SourceRange)
    -> Diagnostic
  {
    .error(DiagnosticCode("E0140"),
           "behavior '\(behavior)' runs on a '\(required)', but it is given to an actor of type '\(found)'", at: r,
           notes: [Note("'\(behavior)' is declared 'for \(required)' here", at: declared)])
  }
  static func unboundedRecursion(_ name: String, cycle: [String], at r: SourceRange, call: SourceRange) -> Diagnostic {
    let chain = ([name] + cycle).joined(separator: " -> ")
    return .error(
      DiagnosticCode("E0320"), "behavior '\(name)' always runs itself again (\(chain)), so it never finishes", at: r,
      notes: [
        Note("this 'do' is reached every time '\(name)' runs", at: call),
        Note("repeat with 'while c { … }', or put the call under an 'if' that can stop it"),
      ])
  }
  static func assignToUnknown(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0321"), "cannot assign to '\(name)': no 'var \(name)' is declared before it in this behavior",
      at: r, notes: suggestion.map { [Note("did you mean '\($0)'?")] } ?? [Note("declare it first: 'var \(name) = …'")],
      fixIts: suggestion.map { [FixIt.replace(r, with: $0, "replace with '\($0)'")] } ?? [])
  }
  static func assignToConstant(_ name: String, at r: SourceRange, isConst: Bool = false) -> Diagnostic {
    .error(
      DiagnosticCode("E0322"), "cannot assign to '\(name)': only a behavior's 'var' can change", at: r,
      notes: [
        Note(
          isConst
            ? "'\(name)' is a 'const'; declare it 'var' at the top level for behaviors to change it"
            : "parameters and loop variables are fixed; copy it into a 'var' first")
      ])
  }
  static func checkNotAtTop(_ word: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0323"), "'\(word):' must come before the behavior's other statements", at: r,
      notes: [Note("a precondition is checked when the behavior starts and an invariant at every step it runs")])
  }
  static func badChoiceWeight(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0324"), "'do choose' weights must be finite and not negative, and not all 0", at: r)
  }
  static func monitorMisuse(_ name: String, asBehavior: Bool, at r: SourceRange) -> Diagnostic {
    asBehavior
      ? .error(
        DiagnosticCode("E0325"), "'\(name)' is a monitor: it runs on its own, not as an actor's behavior", at: r,
        notes: [Note("run it with 'require monitor \(name)(…)' in the scenario")])
      : .error(
        DiagnosticCode("E0325"), "'require monitor' needs a monitor, found '\(name)'", at: r,
        notes: [Note("declare one with 'monitor Name(…) { … }'; a behavior runs on an actor ('with behavior')")])
  }
  static func jumpOutsideLoop(_ word: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0326"), "'\(word)' must be inside a 'while' or 'for' loop of this behavior", at: r,
           notes: [Note("'return' ends the behavior; 'abort' ends the 'try' an interrupt handler belongs to")])
  }
  static func abortOutsideHandler(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0327"), "'abort' must be inside an 'interrupt when' handler", at: r,
           notes: [Note("it ends the whole 'try' statement; 'return' ends the behavior")])
  }
  static func loopNeverWaits(at r: SourceRange) -> Diagnostic {
    .warning(
      DiagnosticCode("W0320"), "'while true' whose body never waits or acts runs without end at one instant", at: r,
      notes: [Note("add 'wait 1s' or a 'do …' to the body; the run stops with E0530 when a loop exceeds its step budget")])
  }
}

extension CheckedStep {
  /// The expressions this step evaluates itself (not those of nested steps).
  public var expressions: [TypedExpr] {
    switch self {
    case .wait(let e), .waitUntil(let e): [e]
    case .perform(let a, let d, let u): [a] + [d, u].compactMap { $0 }
    case .either, .tryInterrupt: []
    case .assign(_, let v), .setField(_, let v, _), .setGlobal(_, let v, _): [v]
    case .ifElse(let c, _, _), .whileLoop(let c, _, _): [c]
    case .forLoop(_, let xs, _, _): [xs]
    case .terminate(let c): c.map { [$0] } ?? []
    case .choose(let ws, let xs, _): ws + xs
    case .shuffle(let xs, _): xs
    case .check(let c): [c.condition]
    case .jump: []
    }
  }

  /// The steps nested in this one, in source order, with the interrupt conditions' owners.
  public var nested: [[CheckedStep]] {
    switch self {
    case .either(let bs): bs
    case .ifElse(_, let a, let b): [a, b]
    case .whileLoop(_, let b, _), .forLoop(_, _, let b, _): [b]
    case .tryInterrupt(let b, let hs): [b] + hs.map(\.body)
    default: []
    }
  }

  /// The interrupt conditions of a `try`.
  public var interruptConditions: [TypedExpr] {
    if case .tryInterrupt(_, let hs) = self { return hs.map(\.condition) }
    return []
  }
}
