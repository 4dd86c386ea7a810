import ScnSource

/// A statement in a scenario body. Bodies are declarative: order carries no meaning.
public final class Stmt: Sendable {
  public let kind: StmtKind
  public let annotations: [Annotation]
  public let documentation: Documentation?
  public let range: SourceRange

  public init(_ kind: StmtKind, annotations: [Annotation] = [], documentation: Documentation? = nil,
              range: SourceRange) {
    self.kind = kind
    self.annotations = annotations
    self.documentation = documentation
    self.range = range
  }
}

public enum RequirementKind: Sendable {
  /// `require e`
  case hard
  /// `require[p] e`
  case soft(probability: Expr)
  /// `require always e`
  case always
  /// `require eventually e`
  case eventually
}

public enum StmtKind: Sendable {
  /// `param name: Type = default`; both parts optional (an `extends` override has no type).
  case param(name: Identifier, type: TypeExpr?, defaultValue: Expr?)
  /// `let name: Type = value` (type optional).
  case `let`(name: Identifier, type: TypeExpr?, value: Expr)
  /// `ego name = value`, or `ego = value` without a name.
  case ego(name: Identifier?, value: Expr)
  /// `require e`, optionally named: `require e as name` (a name, string or integer).
  case require(RequirementKind, Expr, name: Identifier?)
  /// `terminate when e`
  case terminate(Expr)
  /// `environment { light: …, fog: … }`
  case environment([FieldInit])
  /// `sensor name = value`
  case sensor(name: Identifier, value: Expr)
  /// `simulate duration at rate` (rate optional).
  case simulate(duration: Expr, rate: Expr?)
  /// `cover name: value buckets [...]` (buckets optional).
  case cover(name: Identifier, value: Expr, buckets: Expr?)
  /// `allow overlap`
  case allowOverlap
  /// `workspace R`: every actor's footprint must lie in the region R.
  case workspace(Expr)
  /// `include Scenario weight w` (weight optional).
  case include(scenario: Identifier, weight: Expr?)
  /// `require monitor M(args)`: runs monitor M alongside the actors' behaviors.
  case requireMonitor(Expr)
  /// `compose { do A(args), B(args) [for T] [until c] }`: sub-scenarios run from the scenario
  /// (docs/language-tour.md, "Sub-scenarios"); each `do` or `wait` line is one step, run
  /// one after another.
  case compose([ComposeStep])
  /// `record [initial|final] e [as name]`: a value kept per simulation step (or once at the
  /// first or last step) in the trace and `samples.jsonl` (docs/language-tour.md, "Recording values").
  case record(RecordTime, Expr, name: Identifier?)
  /// `override X with f v, with behavior B`: fields and behavior of actor X for as long as
  /// the (sub-)scenario runs (docs/language-tour.md, "Overrides").
  case override(target: Expr, items: [OverrideItem])
  /// `if initial scenario { … } else { … }`: the first statements when the scenario is the
  /// initial one (the one generated, or the first sub-scenario it starts when it has no
  /// statements of its own), the others when another scenario runs it
  /// (docs/language-tour.md, "Initial scenario"). Resolved when the scenario is expanded.
  case initialScenario(then: [Stmt], otherwise: [Stmt])
  /// A bare expression, typically an actor construction that joins the scene.
  case expression(Expr)
  /// Placeholder for a statement that could not be parsed.
  case error
}

/// One line of a `compose` block: scenario invocations started together (`do A(), B()`),
/// bounded by `for T` and/or `until c`; `choose`/`shuffle` when written `do choose { … }`;
/// `wait [for T | until c]` (no invocations) waits before the next step.
public struct ComposeStep: Sendable {
  public enum Form: Sendable { case parallel, choose, shuffle, wait }
  public let form: Form
  /// The invocations (`A(args)` or a bare `A`); for `do choose`, each with its weight.
  public let invocations: [Expr]
  public let weights: [Expr?]
  public let duration: Expr?
  public let until: Expr?
  public let range: SourceRange

  public init(form: Form = .parallel, invocations: [Expr], weights: [Expr?] = [], duration: Expr?, until: Expr?,
              range: SourceRange) {
    self.form = form
    self.invocations = invocations
    self.weights = weights
    self.duration = duration
    self.until = until
    self.range = range
  }
}
