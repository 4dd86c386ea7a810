import ScnSource
import ScnUnits

/// Where a value comes from when the runtime evaluates an expression.
public enum IRVariable: Hashable, Sendable, Encodable {
  /// A scenario `param`, by index into `ScenarioIR.params`.
  case param(Int)
  /// A scenario `let`/`ego`/`sensor` definition, by index into `ScenarioIR.definitions`.
  case definition(Int)
  /// A binder introduced by a comprehension, quantifier or function parameter: a slot in
  /// the current frame.
  case local(Int)
  /// `self` inside a behavior.
  case selfActor
  /// The ego actor.
  case ego
}

public enum IRUnaryOp: String, Hashable, Sendable, Encodable { case negate = "neg", not }

public enum IRBinaryOp: String, Hashable, Sendable, Encodable {
  case add, sub, mul, div, mod, and, or
  case eq, ne, lt, le, gt, ge, contains = "in", notContains = "notin"
}

/// The distributions of LANGUAGE.md. Arguments are in base units.
public enum IRDistribution: String, Hashable, Sendable, CaseIterable, Encodable {
  case uniform, uniformInt = "uniform_int", normal, truncnormal, lognormal, bernoulli
  case oneOf = "one_of", shuffle, sample
  /// Arguments: path, column, sha256, unit factor, values in base units, bandwidth, the unit
  /// as written, whether the bandwidth was declared.
  case empirical
}

public enum IRQuantifier: String, Hashable, Sendable, Encodable { case all, any }

/// A spatial specifier after an actor constructor, already resolved to one of a few
/// primitive placements. `ahead of X by D` is `relative(X, forward: D, left: 0)`.
public indirect enum IRSpecifier: Hashable, Sendable, Encodable {
  case at(IRExpr)
  case facing(IRExpr)
  case facingToward(IRExpr)
  /// Offset in the reference actor's frame (forward along its +x, left along its +y).
  case relative(reference: IRExpr, forward: IRExpr?, left: IRExpr?, forwardSign: Int, leftSign: Int)
  /// Uniform on a region's surface, drawn at `site`.
  case on(IRExpr, site: UInt32)
  /// Uniform inside a region's volume, drawn at `site`.
  case within(IRExpr, site: UInt32)
  case behavior(IRExpr)
  /// `with behavior` whose arguments read a definition built later: evaluated once every
  /// definition of the attempt exists.
  case deferredBehavior(IRExpr)
  /// `offset by V` / `offset along H by V`: V turned by H (default: origin's heading),
  /// added to origin's position (origin is `ego`).
  case offset(IRExpr, along: IRExpr?, origin: IRExpr)
  /// `beyond P by V from Q`: V (a length forward, or a vector) in the frame looking from Q to P, added to P.
  case beyond(IRExpr, by: IRExpr, from: IRExpr)
  /// `above X by D` (sign 1) / `below X by D` (sign -1): stacked on (under) X or a point.
  case vertical(reference: IRExpr, distance: IRExpr?, sign: Int)
  /// `facing away from P`
  case facingAway(IRExpr)
  /// `facing directly toward P` (`away`: `facing directly away from P`): yaw and pitch along
  /// the 3-D line from the actor's position to P (from P to the position).
  case facingDirectly(IRExpr, away: Bool)
  /// `apparently facing H from P`: H plus the heading of the sight line from P (a point or an actor).
  case apparentlyFacing(IRExpr, from: IRExpr)
  /// `visible from S` (`negated`: `not visible from S`): the actor's centre inside (outside)
  /// the view region of S, a sensor or an actor; draws at `site` when it gives the position.
  case visibleFrom(IRExpr, negated: Bool, site: UInt32)
  /// `contained in R`: uniform in R, the whole footprint inside it; drawn at `site`.
  case containedIn(IRExpr, site: UInt32)
}

/// A typed expression with its source range (so runtime errors still point at source)
/// and whether its value can differ between samples.
public struct IRExpr: Hashable, Sendable, Encodable {
  /// The JSON form (`scn ir --json`) carries semantics only, like the canonical text.
  enum CodingKeys: String, CodingKey { case kind, type, isRandom }

  public let kind: Kind
  public let type: IRType
  public let isRandom: Bool
  public let range: SourceRange

  public init(_ kind: Kind, type: IRType, isRandom: Bool, range: SourceRange) {
    self.kind = kind
    self.type = type
    self.isRandom = isRandom
    self.range = range
  }

  public indirect enum Kind: Hashable, Sendable, Encodable {
    case constant(IRValue)
    case variable(IRVariable)
    case unary(IRUnaryOp, IRExpr)
    case binary(IRBinaryOp, IRExpr, IRExpr)
    /// `a < b <= c`: every adjacent pair must hold; operands evaluated once.
    case compareChain([IRExpr], [IRBinaryOp])
    case member(IRExpr, String)
    case index(IRExpr, IRExpr)
    case list([IRExpr])
    case tuple([IRExpr])
    case vector(IRExpr, IRExpr, IRExpr)
    case range(IRExpr, IRExpr, inclusive: Bool)
    /// A StdLib native function by name (`distance`, `visible`, `rgb`, `rect` …).
    case native(String, [IRExpr])
    /// A user or StdLib `fn`, by name; its body is in `ProgramIR.functions`.
    case call(String, [IRExpr])
    /// A random draw at a stable site id.
    case draw(IRDistribution, site: UInt32, [IRExpr])
    /// `choice { w1: e1, w2: e2 }`: one weighted draw at `site`, then only the chosen
    /// alternative is evaluated.
    case choice(site: UInt32, weights: [IRExpr], alternatives: [IRExpr])
    /// `if c then a else b`: the condition, then only the chosen branch is evaluated.
    case conditional(IRExpr, IRExpr, IRExpr)
    case comprehension(slot: Int, source: IRExpr, element: IRExpr, filter: IRExpr?)
    case quantifier(IRQuantifier, slot: Int, source: IRExpr, body: IRExpr)
    /// Builds an actor (or sensor) of a declared type: explicit fields, then specifiers.
    case construct(type: String, fields: [FieldInit], specifiers: [IRSpecifier])
    /// An action or behavior invocation (`follow_lane(30km/h)`, `Cross(...)`).
    case invoke(String, [IRExpr])
  }

  public struct FieldInit: Hashable, Sendable, Encodable {
    public let name: String
    public let value: IRExpr
    public init(name: String, value: IRExpr) {
      self.name = name
      self.value = value
    }
  }
}
