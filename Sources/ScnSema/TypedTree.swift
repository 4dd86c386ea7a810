import ScnSource
import ScnUnits

/// The distributions the checker knows as generic built-ins.
public enum DistributionKind: String, Sendable, Hashable, CaseIterable {
  case uniform
  case uniformInt = "uniform_int"
  case normal, truncnormal, lognormal, bernoulli
  case oneOf = "one_of"
  case shuffle, sample
  /// A column of a real-data file, resampled with a Gaussian kernel (`CheckEmpirical.swift`).
  case empirical
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
  /// `with behavior B(args)` whose arguments read a definition still being built (two
  /// actors whose behaviors name each other): evaluated once every definition exists.
  case deferredBehavior(TypedExpr)
  /// `offset by V` / `offset along H by V`: V (a Position) in the frame of `origin` (ego),
  /// turned to H when given.
  case offset(vector: TypedExpr, along: TypedExpr?, origin: TypedExpr)
  /// `beyond P by V from Q`: V (a Length or a Position) in the frame looking from Q to P.
  case beyond(target: TypedExpr, by: TypedExpr, from: TypedExpr)
  /// `above X by D` (sign 1), `below X by D` (sign -1); X an actor or a position.
  case vertical(reference: TypedExpr, distance: TypedExpr?, sign: Int)
  /// `facing away from P`
  case facingAwayFrom(TypedExpr)
  /// `facing directly toward P` / `facing directly away from P`: yaw and pitch.
  case facingDirectly(TypedExpr, away: Bool)
  /// `apparently facing H from P`: H plus the heading of the sight line from P.
  case apparentlyFacing(TypedExpr, from: TypedExpr)
  /// `visible from S` / `not visible from S`: S a sensor or an actor (its view cone).
  case visibleFrom(TypedExpr, negated: Bool)
  /// `contained in R`: R a region; the actor's whole footprint must lie in it.
  case containedIn(TypedExpr)
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
    /// `if c then a else b`: only the chosen branch is evaluated.
    case conditional(TypedExpr, TypedExpr, TypedExpr)
    case comprehension(slot: Int, source: TypedExpr, element: TypedExpr, filter: TypedExpr?)
    case quantifier(TypedQuantifier, slot: Int, source: TypedExpr, body: TypedExpr)
    case construct(type: String, fields: [(name: String, value: TypedExpr)], specifiers: [TypedSpecifier])
    case invoke(String, [TypedExpr])
    /// Stands for an expression that had an error.
    case invalid
  }
}

extension TypedExpr {
  /// The direct subexpressions, specifiers' included.
  public var children: [TypedExpr] {
    switch kind {
    case .constant, .member, .local, .selfActor, .ego, .invalid: return []
    case .globalConstant(_, let v): return [v]
    case .unary(_, let x), .field(let x, _): return [x]
    case .binary(_, let a, let b), .index(let a, let b), .range(let a, let b, _): return [a, b]
    case .compareChain(let xs, _), .list(let xs), .tuple(let xs), .native(_, let xs), .call(_, let xs),
      .draw(_, let xs), .invoke(_, let xs):
      return xs
    case .vector(let a, let b, let c), .conditional(let a, let b, let c): return [a, b, c]
    case .choice(let w, let a): return w + a
    case .comprehension(_, let s, let el, let f): return [s, el] + (f.map { [$0] } ?? [])
    case .quantifier(_, _, let s, let b): return [s, b]
    case .construct(_, let fields, let specifiers):
      return fields.map(\.value)
        + specifiers.flatMap { s -> [TypedExpr] in
          switch s {
          case .at(let e), .facing(let e), .facingToward(let e), .on(let e), .within(let e), .behavior(let e),
            .deferredBehavior(let e): [e]
          case .relative(let r, let d, _, _): [r] + (d.map { [$0] } ?? [])
          case .offset(let v, let h, let o): [v] + (h.map { [$0] } ?? []) + [o]
          case .beyond(let t, let b, let f): [t, b, f]
          case .vertical(let r, let d, _): [r] + (d.map { [$0] } ?? [])
          case .facingAwayFrom(let e), .facingDirectly(let e, _): [e]
          case .apparentlyFacing(let h, let p): [h, p]
          case .visibleFrom(let e, _), .containedIn(let e): [e]
          }
        }
    }
  }

  /// The range of the first subexpression (pre-order) that stands for an error, if any.
  public var firstInvalidRange: SourceRange? {
    var stack = [self]
    while let e = stack.popLast() {
      if case .invalid = e.kind { return e.range }
      stack += e.children.reversed()
    }
    return nil
  }
}

extension CheckedScenario {
  /// Every checked expression of the scenario (for whole-program scans).
  public var expressions: [TypedExpr] {
    params.map(\.value) + definitions.map(\.value) + requirements.map(\.condition) + terminations
      + environment.map(\.value) + covers.map(\.value) + (simulation.map { [$0.duration, $0.rate] } ?? [])
      + (schedule.map { s in
        s.branches.flatMap(\.after) + s.steps.flatMap { [$0.duration, $0.until].compactMap { $0 } }
      } ?? [])
  }
}
