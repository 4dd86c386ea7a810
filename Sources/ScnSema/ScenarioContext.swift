import ScnSource
import ScnSyntax

/// A named member of a scenario body (`param`, `let`, `ego`, `sensor`), checked lazily the
/// first time anything reads it, so declaration order does not matter.
final class MemberSlot {
  enum Kind { case param, letValue, ego, sensor }
  enum State { case pending, checking, done }

  let name: String
  let kind: Kind
  let nameRange: SourceRange
  let typeExpr: TypeExpr?
  let value: Expr?
  let stmt: Stmt
  let file: Int
  /// For a param override without a type: the type of the param it overrides.
  var inherited: MemberSlot?
  var state = State.pending
  var typed: TypedExpr?
  var type: SemaType = .error
  var dependencies: [MemberReference] = []

  init(name: String, kind: Kind, nameRange: SourceRange, typeExpr: TypeExpr?, value: Expr?, stmt: Stmt, file: Int) {
    self.name = name
    self.kind = kind
    self.nameRange = nameRange
    self.typeExpr = typeExpr
    self.value = value
    self.stmt = stmt
    self.file = file
  }

  var reference: MemberReference { kind == .param ? .param(name) : .definition(name) }
}

/// The members of one scenario (its own and inherited ones) and the lazy checking of them.
final class ScenarioContext {
  let name: String
  var members: [String: MemberSlot] = [:]
  var order: [MemberSlot] = []
  var egoSlot: MemberSlot?
  /// Where a sub-scenario without an ego of its own first read `ego`: the ego of the
  /// scenario that runs it (docs/language-tour.md, "Sub-scenarios"), so it cannot run alone
  /// (E0296, reported at this read).
  var parentEgoRead: SourceRange?
  private var stack: [MemberSlot] = []
  private var reportedCycles: Set<String> = []

  init(name: String) { self.name = name }

  func hasMember(_ name: String) -> Bool { members[name] != nil }

  var memberNames: [String] { order.map(\.name) }

  /// A reference to member `name`, checking it first if needed; nil if there is no such member.
  func reference(_ name: String, checker: Checker, scope: Scope, at range: SourceRange) -> TypedExpr? {
    guard let slot = members[name] else { return nil }
    // An actor's behavior arguments may name an actor still being checked (two actors whose
    // behaviors name each other): the read is deferred to after every definition is built,
    // so it is no dependency; its type is the constructor's.
    if scope.deferringBehavior, slot.state == .checking, slot.kind != .param,
      let type = checker.constructedType(slot.value)
    {
      scope.deferredRead = true
      return TypedExpr(.member(slot.reference), type: type, isRandom: true, range: range)
    }
    guard force(slot, checker: checker, at: range) else {
      return TypedExpr(.invalid, type: .error, isRandom: false, range: range)
    }
    scope.noteRead(slot.reference)
    let random = slot.kind == .param || (slot.typed?.isRandom ?? true)
    // Params can be overridden per run, so only lets fold.
    let folded = slot.kind == .letValue ? slot.typed?.constant : nil
    return TypedExpr(.member(slot.reference), type: slot.type, isRandom: random, constant: folded, range: range)
  }

  func egoType(checker: Checker, scope: Scope, at range: SourceRange) -> SemaType? {
    guard let slot = egoSlot else {
      if let parent = checker.parentEgoType(of: name) {
        if parentEgoRead == nil { parentEgoRead = range }
        return parent
      }
      checker.report(SemaDiagnostics.noEgo(scenario: name, at: range))
      return nil
    }
    guard force(slot, checker: checker, at: range) else { return .error }
    scope.noteRead(slot.reference)
    return slot.type
  }

  /// Checks `slot` unless done; false when it is part of a cycle (reported once).
  @discardableResult
  func force(_ slot: MemberSlot, checker: Checker, at range: SourceRange?) -> Bool {
    switch slot.state {
    case .done: return true
    case .checking:
      if let start = stack.firstIndex(where: { $0 === slot }) {
        let cycle = stack[start...].map(\.name) + [slot.name]
        let key = cycle.dropLast().sorted().joined(separator: ",")
        if !reportedCycles.contains(key) {
          reportedCycles.insert(key)
          checker.report(SemaDiagnostics.definitionCycle(cycle, at: slot.nameRange))
        }
      }
      return false
    case .pending:
      guard stack.count < checker.maxNesting else {
        checker.report(SemaDiagnostics.nestedTooDeeply(slot.name, at: slot.nameRange))
        return false
      }
      slot.state = .checking
      stack.append(slot)
      checker.checkMember(slot, in: self)
      stack.removeLast()
      slot.state = .done
      return true
    }
  }
}
