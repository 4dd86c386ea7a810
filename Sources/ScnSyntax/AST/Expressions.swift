import ScnSource

/// An expression node. Reference type so later stages can key side tables by identity;
/// immutable, hence `Sendable`.
public final class Expr: Sendable {
  public let kind: ExprKind
  public let range: SourceRange

  public init(_ kind: ExprKind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

public enum UnaryOperator: String, Sendable, Hashable {
  case negate = "-"
  case not = "not"
}

public enum BinaryOperator: String, Sendable, Hashable {
  case or, and
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
}

public enum ComparisonOperator: String, Sendable, Hashable {
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
  case `in` = "in", notIn = "not in"
}

/// One `op rhs` step of a (possibly chained) comparison `a < b <= c`.
public struct ComparisonLink: Sendable {
  public let op: ComparisonOperator
  public let operatorRange: SourceRange
  public let rhs: Expr

  public init(op: ComparisonOperator, operatorRange: SourceRange, rhs: Expr) {
    self.op = op
    self.operatorRange = operatorRange
    self.rhs = rhs
  }
}

public enum Quantifier: String, Sendable, Hashable {
  case all, any
}

/// One factor of a unit suffix: `s^-2` is `UnitFactor(name: "s", exponent: -2)`; a `/`
/// negates the exponent of the name after it. The exponent is a small literal Int.
public struct UnitFactor: Sendable, Hashable {
  public let name: String
  public let exponent: Int
  public let range: SourceRange

  public init(name: String, exponent: Int, range: SourceRange) {
    self.name = name
    self.exponent = exponent
    self.range = range
  }
}

/// The unit suffix of a quantity literal, both as text (`m/s^2`) and as factors.
public struct UnitSuffix: Sendable, Hashable {
  public let text: String
  public let factors: [UnitFactor]
  public let range: SourceRange

  public init(text: String, factors: [UnitFactor], range: SourceRange) {
    self.text = text
    self.factors = factors
    self.range = range
  }
}

/// `weight: value` in `choice { … }`.
public struct ChoiceArm: Sendable {
  public let weight: Expr
  public let value: Expr
  public let range: SourceRange

  public init(weight: Expr, value: Expr, range: SourceRange) {
    self.weight = weight
    self.value = value
    self.range = range
  }
}

/// A spatial specifier after an actor constructor.
public struct Specifier: Sendable {
  public let kind: SpecifierKind
  public let range: SourceRange

  public init(_ kind: SpecifierKind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }
}

/// Which side of the reference actor a relative specifier places the new one.
public enum RelativeDirection: String, Sendable, Hashable {
  case ahead = "ahead of", behind, left = "left of", right = "right of"
}

public enum SpecifierKind: Sendable {
  /// `at P`
  case at(Expr)
  /// `facing A`
  case facing(Expr)
  /// `facing toward P`
  case facingToward(Expr)
  /// `ahead of X by D`, `behind X by D`, `left of X by D`, `right of X by D`; `by D` optional.
  case relative(RelativeDirection, reference: Expr, distance: Expr?)
  /// `on R`
  case on(Expr)
  /// `within R`
  case within(Expr)
  /// `with behavior B(...)`
  case withBehavior(Expr)
}

public enum ExprKind: Sendable {
  /// `42`; the digits exactly as written.
  case integer(String)
  /// `3.5`, `1e-3`; the digits exactly as written.
  case float(String)
  /// `9.81m/s^2`: number text exactly as written and the unit suffix.
  case quantity(number: String, unit: UnitSuffix)
  /// A string literal, escapes decoded.
  case string(String)
  case bool(Bool)
  case name(Identifier)
  /// `self`, the actor running a behavior.
  case selfActor
  /// `ego`, the scenario's ego actor.
  case ego
  /// `base.name`
  case member(Expr, Identifier)
  /// `callee(args)`
  case call(Expr, [Argument])
  /// `base[index]`
  case index(Expr, Expr)
  /// `(a, b, c)`; `()` is the empty tuple. Parentheses around one expression are grouping
  /// and leave no node.
  case tuple([Expr])
  /// `[a, b]`
  case list([Expr])
  /// `[element for binder in sequence if condition]`
  case comprehension(element: Expr, binder: Identifier, sequence: Expr, condition: Expr?)
  /// `a..b` (inclusive) or `a..<b` (half-open).
  case range(Expr, Expr, halfOpen: Bool)
  case unary(UnaryOperator, Expr)
  case binary(BinaryOperator, Expr, Expr)
  /// `a < b <= c` keeps every link so the checker evaluates `b` once, as Python does.
  case comparison(Expr, [ComparisonLink])
  /// `all x in xs: body`, `any x in xs: body`.
  case quantifier(Quantifier, binder: Identifier, sequence: Expr, body: Expr)
  /// `choice { 0.7: a, 0.3: b }`
  case choice([ChoiceArm])
  /// `if condition then a else b`
  case conditional(Expr, then: Expr, else: Expr)
  /// `xs[lo:hi]`, either bound optional (Python's slice, without a step).
  case slice(Expr, lower: Expr?, upper: Expr?)
  /// `Car { color: red }`: a record body after a type name.
  case record(Expr, [FieldInit])
  /// `Car at p facing h …`: a constructor (name, member or record) with specifiers.
  case construction(Expr, [Specifier])
  /// Placeholder after a syntax error.
  case missing
}
