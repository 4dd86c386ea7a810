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
  /// Placeholder for a statement that could not be parsed.
  case error
}
