import ScnSource
import ScnSyntax

/// `record [initial|final] e [as name]`, checked.
public struct CheckedRecord: Sendable {
  public let name: String
  public let time: RecordTime
  public let value: TypedExpr
  public let range: SourceRange
  /// The schedule branch whose sub-scenario wrote it, when that one runs as a step of a
  /// sequence (nil: the scenario's own): its values are taken while the branch runs.
  public var branch: Int?
}

/// `override X with f v, with behavior B`, checked: the actor and what it changes.
public struct CheckedOverride: Sendable {
  public let target: TypedExpr
  /// The actor's type (its fields were checked against it).
  public let actorType: String
  public let fields: [(name: String, value: TypedExpr)]
  /// `with behavior B`: `.some(B)`; `with behavior none`: `.some(nil)`; no `with behavior`: nil.
  public let behavior: TypedExpr??
  public let range: SourceRange
  /// The schedule branch whose sub-scenario wrote it, when that one runs as a step of a
  /// sequence (nil: the scenario's own, held for the whole run): it holds while the branch runs.
  public var branch: Int?
}

/// `record` and `override` in scenario bodies (docs/language-tour.md, "Recording values" and
/// "Overrides"): codes E0155–E0157 and E0159 (E0158, an `override` without `with`, is the
/// parser's).
extension Checker {
  /// A recorded value: anything `samples.jsonl` can write (numbers, quantities, vectors,
  /// strings, enumerations, lists and tuples of them). The name is unique in the scenario.
  func checkRecordStatement(_ time: RecordTime, _ e: Expr, name: Identifier?, _ scope: Scope, range: SourceRange,
                            seen: inout [String: SourceRange]) -> CheckedRecord?
  {
    scope.selfType = nil
    let v = check(e, expected: nil, scope)
    guard !v.type.isError else { return nil }
    if let bad = Self.unrecordable(v.type) {
      report(OverrideDiagnostics.notRecordable(describe(v.type), part: bad == v.type ? nil : describe(bad), at: e.range,
                                               actor: { if case .actor = v.type { return true } else { return false } }()))
      return nil
    }
    let key = name?.name ?? text(e.range)
    if let previous = seen[key] {
      report(OverrideDiagnostics.recordNameTwice(key, at: name?.range ?? e.range, previous: previous, named: name != nil))
      return nil
    }
    seen[key] = name?.range ?? e.range
    return CheckedRecord(name: key, time: time, value: v, range: range, branch: nil)
  }

  /// The part of a type that has no value to write (an actor, a region, a behavior …), or nil.
  static func unrecordable(_ t: SemaType) -> SemaType? {
    switch t {
    case .bool, .int, .string, .quantity, .vector, .enumeration, .material: return nil
    case .list(let e): return unrecordable(e)
    case .tuple(let ts): return ts.lazy.compactMap { unrecordable($0) }.first
    default: return t
    }
  }

  /// `override X with …`: X an actor; each field declared on X's type by the user's own
  /// files (the StdLib's fields are set when the scene is sampled and drawn and simulated
  /// from there), once; the behavior a behavior call or `none`.
  func checkOverrideStatement(target: Expr, items: [OverrideItem], _ scope: Scope, range: SourceRange)
    -> CheckedOverride?
  {
    scope.selfType = nil
    let t = check(target, expected: nil, scope)
    guard !t.type.isError else { return nil }
    guard case .actor(let typeName) = t.type, let info = record(typeName), !Self.constructs(t) else {
      for item in items {
        switch item {
        case .field(let f): _ = check(f.value, expected: nil, scope)
        case .behavior(let b, _): if let b { _ = check(b, expected: .behavior, scope) }
        }
      }
      if case .actor = t.type {
        report(OverrideDiagnostics.newActor(at: target.range))
      } else {
        report(OverrideDiagnostics.notAnActor(describe(t.type), at: target.range))
      }
      return nil
    }
    var fields: [(name: String, value: TypedExpr)] = []
    var behavior: TypedExpr??
    var given: [String: SourceRange] = [:]
    var ok = true
    for item in items {
      let key: String
      switch item {
      case .field(let f): key = f.name.name
      case .behavior: key = "behavior"
      }
      if let previous = given[key] {
        report(OverrideDiagnostics.overriddenTwice(key, at: item.range, previous: previous))
        ok = false
        continue
      }
      given[key] = item.range
      switch item {
      case .behavior(nil, _):
        behavior = .some(nil)
      case .behavior(let b?, _):
        let v = check(b, expected: .behavior, scope)
        guard v.type == .behavior else {
          if !v.type.isError { report(SemaDiagnostics.notABehavior(describe(v.type), at: b.range)) }
          ok = false
          continue
        }
        rejectMonitor(v)
        checkRunsOn(v, actorType: typeName, at: b.range)
        behavior = .some(v)
      case .field(let f):
        guard let field = info.fields[f.name.name] else {
          _ = check(f.value, expected: nil, scope)
          let derived = Self.derivedActorFields.contains(f.name.name)
          report(OverrideDiagnostics.unknownField(f.name.name, of: typeName, derived: derived, at: f.name.range,
                                                  suggestion: derived ? nil : nearest(f.name.name, in: info.fieldOrder)))
          ok = false
          continue
        }
        let v = check(f.value, expected: field.type, scope)
        let fromStdLib = field.declaration.map { d in files.contains { $0.id == d.file && $0.isStdLib } } ?? true
        if fromStdLib {
          report(OverrideDiagnostics.fixedField(f.name.name, of: typeName, at: f.name.range, declared: field.declaration))
          ok = false
          continue
        }
        guard expectType(field.type, v, what: "overridden field '\(f.name.name)' of '\(typeName)'") else {
          ok = false
          continue
        }
        fields.append((f.name.name, promoteForParameter(v, field.type)))
      }
    }
    guard ok else { return nil }
    return CheckedOverride(target: t, actorType: typeName, fields: fields, behavior: behavior, range: range, branch: nil)
  }

  /// The type of the ego that a scenario without one reads when a scenario of the main file
  /// runs it from `compose`: the runner's own `ego` (or, if it has none either, its runner's),
  /// typed by the actor type it constructs. Nil when no runner has one.
  func parentEgoType(of name: String, depth: Int = 0) -> SemaType? {
    guard depth < 32, mainFile < files.count else { return nil }
    for decl in files[mainFile].ast.declarations {
      guard case .scenario(let id, _, let body) = decl.kind, id.name != name, Self.composes(body, name) else { continue }
      if let ego = body.first(where: { if case .ego = $0.kind { true } else { false } }) {
        guard case .ego(_, let value) = ego.kind else { continue }
        if let t = constructedType(value) { return t }
        continue
      }
      if let t = parentEgoType(of: id.name, depth: depth + 1) { return t }
    }
    return nil
  }

  /// Whether a scenario body runs `name` in a `compose` step.
  static func composes(_ body: [Stmt], _ name: String) -> Bool {
    body.contains { stmt in
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

  /// Whether evaluating `e` builds an actor (an override names one the scene has).
  static func constructs(_ e: TypedExpr) -> Bool {
    if case .construct = e.kind { return true }
    return e.children.contains { constructs($0) }
  }

  /// Two overrides of one actor's field (or behavior) that hold at once (the scenario's own
  /// hold for the whole run, sub-scenarios of one `do` step run together; those of different
  /// steps, or candidates of one `do choose`/`do shuffle`, never do): E0157 at the second.
  /// Targets are compared when they name the actor directly (`ego`, or a member such as a
  /// parameter bound to it).
  func checkOverlappingOverrides(_ overrides: [CheckedOverride], schedule: CheckedSchedule?) {
    func together(_ a: Int?, _ b: Int?) -> Bool {
      guard let a, let b, a != b else { return true }
      return schedule?.steps.contains { $0.kind == .run && $0.branches.contains(a) && $0.branches.contains(b) } ?? true
    }
    var seen: [String: [(range: SourceRange, branch: Int?)]] = [:]
    for o in overrides {
      let target: String
      switch o.target.kind {
      case .ego: target = "ego"
      case .member(.definition(let n)): target = "$" + n
      default: continue
      }
      var keys = o.fields.map(\.name)
      if o.behavior != nil { keys.append("behavior") }
      for k in keys {
        if let previous = seen[target + "." + k]?.first(where: { together($0.branch, o.branch) }) {
          report(OverrideDiagnostics.overlapping(k, at: o.range, previous: previous.range))
          continue
        }
        seen[target + "." + k, default: []].append((o.range, o.branch))
      }
    }
  }
}

/// The messages of `record` and `override`.
enum OverrideDiagnostics {
  /// E0155
  static func notAnActor(_ found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0155"), "'override' changes an actor, found '\(found)'", at: r,
           notes: [Note("name an actor of the scenario, e.g. 'override ego with behavior Brake()'")])
  }

  static func newActor(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0155"), "'override' changes an actor of the scene; this builds a new one", at: r,
           notes: [Note("build the actor with 'let' or 'ego' and override it by name")])
  }

  /// E0156
  static func unknownField(_ field: String, of type: String, derived: Bool, at r: SourceRange, suggestion: String?)
    -> Diagnostic
  {
    if derived {
      return .error(DiagnosticCode("E0156"), "cannot override '\(field)': it is derived from 'size'", at: r)
    }
    var notes: [Note] = [Note("declare the field on '\(type)' (or a type of yours it extends) to override it")]
    if let suggestion { notes.insert(Note("did you mean '\(suggestion)'?"), at: 0) }
    return .error(DiagnosticCode("E0156"), "actor type '\(type)' has no field '\(field)' to override", at: r,
                  notes: notes, fixIts: suggestion.map { [FixIt.replace(r, with: $0, "replace with '\($0)'")] } ?? [])
  }

  /// E0157: a field the scene fixes when it is sampled (the StdLib's: position, heading,
  /// size, colour …), or one overridden twice at once.
  static func fixedField(_ field: String, of type: String, at r: SourceRange, declared: SourceRange?) -> Diagnostic {
    var notes = [Note("the physics and the sensors take the StdLib's fields ('position', 'heading', 'speed', 'size', 'color' …) "
                        + "from the sampled scene; 'override' changes fields declared on your own actor types, which "
                        + "behaviors, monitors, requirements and 'record' read")]
    if let declared { notes.append(Note("'\(field)' is declared here", at: declared)) }
    return .error(DiagnosticCode("E0157"), "cannot override field '\(field)' of '\(type)' during the simulation", at: r,
                  notes: notes)
  }

  static func overriddenTwice(_ field: String, at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0157"), "'\(field)' is overridden twice in one 'override'", at: r,
           notes: [Note("first given here", at: previous)])
  }

  static func overlapping(_ field: String, at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0157"), "two overrides of the same actor's '\(field)' hold at once", at: r,
           notes: [Note("the other override; sub-scenarios of one 'do' step run together, so neither could win", at: previous)])
  }

  /// E0159
  static func notRecordable(_ found: String, part: String?, at r: SourceRange, actor: Bool) -> Diagnostic {
    var notes: [Note] = []
    if actor { notes.append(Note("record what you need of it, e.g. 'record ego.position as ego_position'")) }
    if let part { notes.insert(Note("'\(part)' has no value to write"), at: 0) }
    return .error(DiagnosticCode("E0159"),
                  "'record' keeps numbers, quantities, vectors, strings, enumerations and lists or tuples of them; found '\(found)'",
                  at: r, notes: notes)
  }

  static func recordNameTwice(_ name: String, at r: SourceRange, previous: SourceRange, named: Bool) -> Diagnostic {
    .error(DiagnosticCode("E0159"), "'\(name)' is recorded twice", at: r,
           notes: [Note("first recorded here", at: previous)]
             + (named ? [] : [Note("name each with 'record e as name'")]))
  }
}
