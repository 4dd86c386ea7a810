import ScnSource

/// A statement in a behavior body (or an `either` branch); lines run in sequence.
public final class BehaviorStmt: Sendable {
  public let kind: BehaviorStmtKind
  public let range: SourceRange

  public init(_ kind: BehaviorStmtKind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

public enum BehaviorStmtKind: Sendable {
  /// `wait T`
  case wait(Expr)
  /// `wait until c`
  case waitUntil(Expr)
  /// `do A`, `do A for T`, `do A until c`, `do A for T until c` (ends at whichever comes first).
  case perform(action: Expr, duration: Expr?, until: Expr?)
  /// `either { … } or { … } or { … }`: each branch is a sequence.
  case either([[BehaviorStmt]])
  /// `var name (: Type)? = value`: a local of the running behavior, visible to the end of
  /// its block.
  case variable(name: Identifier, type: TypeExpr?, value: Expr)
  /// `name = value`: assigns a `var` of the behavior.
  case assign(name: Identifier, value: Expr)
  /// `self.field = value`: assigns a `var` field of the behavior's actor. `target` is
  /// what stands before the '.' (only `self` is accepted by the checker).
  case setField(target: Expr, field: Identifier, value: Expr)
  /// `if c { … } else { … }`; `else if` nests another `if` as the else block.
  case ifElse(condition: Expr, then: [BehaviorStmt], otherwise: [BehaviorStmt]?)
  /// `while c { … }`
  case whileLoop(condition: Expr, body: [BehaviorStmt])
  /// `for x in xs { … }` over a list (or a `range(a, b)`), evaluated once at the start.
  case forLoop(binder: Identifier, sequence: Expr, body: [BehaviorStmt])
  /// `try { … } interrupt when c { … } …`: the first handler (in order) whose condition
  /// holds suspends the body (or a later handler) until it finishes.
  case tryInterrupt(body: [BehaviorStmt], handlers: [InterruptHandler])
  /// `terminate` or `terminate when c`: ends the simulation (when `c` holds).
  case terminate(when: Expr?)
  /// `do choose { w: A(), … }` (weights optional) and `do shuffle { A(), … }`.
  case choose([ChoiceEntry])
  case shuffle([Expr])
  /// `precondition: c` and `invariant: c`, at the top of a behavior's body.
  case precondition(Expr)
  case invariant(Expr)
  /// `require c` inside a behavior or monitor: rejects the sample when `c` is false there.
  case require(Expr)
  /// `break`, `continue` (innermost loop), `return` (the behavior), `abort` (the innermost
  /// `try`, from one of its handlers).
  case jump(BehaviorJump)
  /// Placeholder for a statement that could not be parsed.
  case error
}

public enum BehaviorJump: String, Sendable, Hashable {
  case `break`, `continue`, `return`, abort
}

/// `interrupt when c { … }` of a `try` statement.
public struct InterruptHandler: Sendable {
  public let condition: Expr
  public let body: [BehaviorStmt]
  public let range: SourceRange

  public init(condition: Expr, body: [BehaviorStmt], range: SourceRange) {
    self.condition = condition
    self.body = body
    self.range = range
  }
}

/// One entry of `do choose { … }`: `weight: action` or just `action` (weight 1).
public struct ChoiceEntry: Sendable {
  public let weight: Expr?
  public let action: Expr
  public let range: SourceRange

  public init(weight: Expr?, action: Expr, range: SourceRange) {
    self.weight = weight
    self.action = action
    self.range = range
  }
}
