import ScnSource
import ScnUnits

/// The distributions the checker knows as generic built-ins.
public enum DistributionKind: String, Sendable, Hashable, CaseIterable {
  case uniform, uniformInt = "uniform_int", normal, truncnormal, lognormal, bernoulli
  case oneOf = "one_of", shuffle, sample
}

public enum TypedUnaryOp: Sendable, Hashable { case negate, not }

public enum TypedBinaryOp: Sendable, Hashable {
  case add, sub, mul, div, mod, and, or
  case eq, ne, lt, le, gt, ge, contains, notContains
}

public enum TypedQuantifier: Sendable, Hashable { case all, any }

/// A checked spatial specifier: `relative` covers `ahead of`/`behind`/`left of`/`right of`
/// as an offset in the reference actor's frame.
public enum TypedSpecifier: Sendable {
  case at(TypedExpr)
  case facing(TypedExpr)
  case facingToward(TypedExpr)
  case relative(reference: TypedExpr, distance: TypedExpr?, forwardSign: Int, leftSign: Int)
  case on(TypedExpr)
  case within(TypedExpr)
  case behavior(TypedExpr)
}

/// What a scenario-level name refers to.
public enum MemberReference: Sendable, Hashable {
  case param(String)
  case definition(String)
}

/// A checked expression: its kind, type, whether it is random, its folded value when it
/// is constant, and its source range. Lowering turns it into IR one to one.
public final class TypedExpr: Sendable {
  public let kind: Kind
  public let type: SemaType
  public let isRandom: Bool
  /// The folded value when the expression is constant and foldable.
  public let constant: ConstValue?
  public let range: SourceRange

  init(_ kind: Kind, type: SemaType, isRandom: Bool, constant: ConstValue? = nil, range: SourceRange) {
    self.kind = kind
    self.type = type
    self.isRandom = isRandom
    self.constant = constant
    self.range = range
  }

  public indirect enum Kind: Sendable {
    case constant(ConstValue)
    case member(MemberReference)
    /// A global `const`, inlined by lowering.
    case globalConstant(name: String, value: TypedExpr)
    /// A binder (comprehension, quantifier) or a function/behavior parameter slot.
    case local(Int)
    case selfActor
    case ego
    case unary(TypedUnaryOp, TypedExpr)
    case binary(TypedBinaryOp, TypedExpr, TypedExpr)
    case compareChain([TypedExpr], [TypedBinaryOp])
    case field(TypedExpr, String)
    case index(TypedExpr, TypedExpr)
    case list([TypedExpr])
    case tuple([TypedExpr])
    case vector(TypedExpr, TypedExpr, TypedExpr)
    case range(TypedExpr, TypedExpr, inclusive: Bool)
    case native(String, [TypedExpr])
    case call(String, [TypedExpr])
    case draw(DistributionKind, [TypedExpr])
    case choice(weights: [TypedExpr], alternatives: [TypedExpr])
    case comprehension(slot: Int, source: TypedExpr, element: TypedExpr, filter: TypedExpr?)
    case quantifier(TypedQuantifier, slot: Int, source: TypedExpr, body: TypedExpr)
    case construct(type: String, fields: [(name: String, value: TypedExpr)], specifiers: [TypedSpecifier])
    case invoke(String, [TypedExpr])
    /// Stands for an expression that had an error.
    case invalid
  }
}
