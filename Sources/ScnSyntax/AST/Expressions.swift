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

/// Scenic's spatial operators, written as words (`relative heading of X from Y`).
public enum SpatialOperator: String, Sendable, Hashable {
  /// `relative heading of X [from Y]`: X's heading minus Y's (Y defaults to `ego`).
  case relativeHeading = "relative heading of"
  /// `apparent heading of X [from P]`: X's heading relative to the line of sight from P.
  case apparentHeading = "apparent heading of"
  /// `angle [from P] to Q`: the heading of the direction from P (default `ego`) to Q.
  case angle = "angle to"
  /// `distance [from P] to Q`
  case distance = "distance to"
  /// `distance past X [of Y]`: how far X lies ahead of Y (default `ego`) along Y's heading.
  case distancePast = "distance past"
  /// `X can see Y`: Y (an actor or a position) is in X's view region and not hidden.
  case canSee = "can see"
  /// `A relative to B`: A expressed in B's frame (headings add; a heading field stays a field).
  case relativeTo = "relative to"
  /// `visible R`: the part of region R in ego's view (Scenic's `visible R`).
  case visibleRegion = "visible"
  /// `not visible R`: the part of region R outside ego's view.
  case notVisibleRegion = "not visible"
}

/// A face or corner of an actor's box, as a point on the ground plane of its bottom
/// (`top` lies on its top face): `front of X`, `back left of X`.
public enum BoxPoint: String, Sendable, Hashable, CaseIterable {
  case front, back, left, right, top, bottom
  case frontLeft = "front left", frontRight = "front right", backLeft = "back left", backRight = "back right"
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
  /// `offset by V`, `offset along H by V`: V in ego's frame (or the frame turned to H).
  case offset(by: Expr, along: Expr?)
  /// `beyond P by V [from Q]`: V in the frame looking from Q (default `ego`) to P, at P.
  case beyond(Expr, by: Expr, from: Expr?)
  /// `above X [by D]`, `below X [by D]`
  case vertical(above: Bool, reference: Expr, distance: Expr?)
  /// `facing away from P`
  case facingAwayFrom(Expr)
  /// `facing directly toward P` / `facing directly away from P` (`away`): yaw and pitch.
  case facingDirectly(Expr, away: Bool)
  /// `apparently facing H [from P]`: heading H relative to the line of sight from P (default `ego`).
  case apparentlyFacing(Expr, from: Expr?)
  /// `visible from S`, `not visible from S`: S a sensor or an actor with a view cone.
  case visibleFrom(Expr, negated: Bool)
  /// `contained in R`: the whole footprint inside R.
  case containedIn(Expr)
  /// `following F [from P] for D`: the point D along the heading field F from P (default
  /// `ego`), facing along F there.
  case following(Expr, from: Expr?, distance: Expr)
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
  /// `relative heading of X from Y` and the other word operators; a missing optional
  /// operand (`from Y`) is absent from `operands`.
  case spatial(SpatialOperator, operands: [Expr])
  /// `front of X`, `back left of X`, `top of X` …
  case boxPoint(BoxPoint, Expr)
  /// `xs[lo:hi]`, either bound optional (Python's slice, without a step).
  case slice(Expr, lower: Expr?, upper: Expr?)
  /// `Car { color: red }`: a record body after a type name.
  case record(Expr, [FieldInit])
  /// `Car at p facing h …`: a constructor (name, member or record) with specifiers.
  case construction(Expr, [Specifier])
  /// Placeholder after a syntax error.
  case missing
}
