import ScnSource

/// Where a behavior statement is written, for runtime errors (a loop over its step budget).
/// Not part of the IR's meaning: equality and hashing ignore it and JSON writes `{}`.
public struct StepRange: Hashable, Sendable, Encodable {
  public let range: SourceRange

  public init(_ range: SourceRange) { self.range = range }

  public static func == (a: StepRange, b: StepRange) -> Bool { true }
  public func hash(into h: inout Hasher) {}
  public func encode(to encoder: any Encoder) throws {
    _ = encoder.container(keyedBy: JSONKey.self)
  }
}

/// Leaving blocks early: `break` / `continue` the innermost loop, `return` from the
/// behavior, `abort` the innermost `try` (from one of its handlers).
public enum JumpIR: String, Hashable, Sendable, Encodable {
  case `break`, `continue`, `return`, abort
}

/// `interrupt when c { … }` of a behavior's `try`.
public struct InterruptIR: Hashable, Sendable, Encodable {
  public let condition: IRExpr
  public let body: [BehaviorStepIR]

  public init(condition: IRExpr, body: [BehaviorStepIR]) {
    self.condition = condition
    self.body = body
  }
}

/// A condition a behavior states about the run: `precondition: c` (checked when the behavior
/// starts), `invariant: c` (checked at every step while it runs) or `require c` (checked
/// where it is written). A false one rejects the sample like a failed requirement.
public struct BehaviorCheckIR: Hashable, Sendable, Encodable {
  enum CodingKeys: String, CodingKey { case kind, condition, text }
  public enum Kind: String, Hashable, Sendable, Encodable { case precondition, invariant, require }
  public let kind: Kind
  public let condition: IRExpr
  /// The condition as written, for explanations.
  public let text: String
  public let range: SourceRange

  public init(kind: Kind, condition: IRExpr, text: String, range: SourceRange) {
    self.kind = kind
    self.condition = condition
    self.text = text
    self.range = range
  }

  public static func == (a: BehaviorCheckIR, b: BehaviorCheckIR) -> Bool {
    a.kind == b.kind && a.condition == b.condition && a.text == b.text
  }

  public func hash(into h: inout Hasher) {
    h.combine(kind)
    h.combine(condition)
  }
}
