import ScnSource

/// A runtime failure inside the interpreter, pointing at the IR node (so at the source) that
/// caused it. It stops the whole run: a scenario that divides by zero is wrong for every
/// sample, so retrying with new draws would only hide the bug.
public struct RuntimeError: Error, Sendable, Equatable {
  public let code: RuntimeErrorCode
  public let message: String
  public let range: SourceRange
  public let notes: [Note]

  public init(_ code: RuntimeErrorCode, _ message: String, at range: SourceRange, notes: [Note] = []) {
    self.code = code
    self.message = message
    self.range = range
    self.notes = notes
  }

  /// The diagnostic the driver renders.
  public var diagnostic: Diagnostic {
    .error(DiagnosticCode(code.rawValue), message, at: range, notes: notes)
  }
}

/// The E05xx codes of runtime diagnostics. Codes never change meaning once shipped.
public enum RuntimeErrorCode: String, Sendable, CaseIterable {
  /// A distribution got arguments it cannot draw from (`normal(0m, sd)` with sd ≤ 0 …).
  case badDistributionArgument = "E0501"
  /// A list index outside the list.
  case indexOutOfRange = "E0502"
  /// Division or remainder by zero.
  case divisionByZero = "E0503"
  /// A region that cannot be built or sampled (degenerate polygon, inset larger than it …).
  case badRegion = "E0504"
  /// A range or comprehension too large to materialise, or recursion too deep.
  case resourceLimit = "E0505"
  /// The sampler gave up: no attempt satisfied every requirement within `--max-attempts`.
  case impossibleScenario = "E0506"
  /// A `--param` override that does not parse, names no param or has the wrong dimension.
  case badParamOverride = "E0507"
  /// A `--cover-target` that names no cover point or cannot be stratified.
  case badCoverTarget = "E0508"
  /// A value the runtime cannot represent (an integer overflow, a non-finite result).
  case arithmetic = "E0509"
  /// A simulation that cannot run: a non-positive `simulate` rate, a negative duration, too
  /// many steps, or an actor the physics rejects (a non-finite pose, a zero mass).
  case badSimulation = "E0510"
  /// A `Camera`/`Lidar` setting drawn outside what the renderer supports (`SensorLimits`).
  case badSensorSetting = "E0511"
  /// An environment field whose sampled value is outside its physical range (a visibility
  /// ≤ 0, a negative precipitation rate, a fog fraction outside 0…1, a negative light).
  case badEnvironment = "E0520"
  /// A behavior loop (`while`, `for`) went round more times at one instant than its step
  /// budget allows (`Simulator.loopBudget`); the error points at the loop.
  case loopBudget = "E0530"
  /// Behaviors nested deeper than `Simulator.maxBehaviorDepth` (a behavior that keeps
  /// starting others before they end); the error points at the `do`.
  case behaviorDepth = "E0531"
  /// A behavior ran more than `Simulator.instantBudget` statements at one instant without
  /// waiting (outside any loop); the error points at the actor that runs it.
  case behaviorInstant = "E0532"
  /// `do choose` weights that are negative, not finite, or all zero when drawn.
  case badBehaviorChoice = "E0533"
  /// A heading field's function (`heading_field(f)`) returned a heading that is not finite
  /// at the point it was asked about.
  case fieldNotFinite = "E0534"
  /// A driving action that cannot be carried out where the vehicle is: `change_lane` with no
  /// neighbouring lane of the same type and direction, `follow_route` lanes that do not follow
  /// one another, a `follow_waypoints` point off the driving lanes or not reachable.
  case routeRefused = "E0538"
  /// `following(field, start, distance)` leaves the field (further than 50 m from every lane),
  /// or is asked for a negative or too long a distance.
  case fieldUndefined = "E0539"
  /// A behavior assigned a field its actor's type lacks (a behavior passed on as a value
  /// to an actor of another type), or a value the physics cannot take (`self.position`).
  case fieldAssignment = "E0540"
  /// `max(xs)` or `min(xs)` of a list that is empty when drawn.
  case emptyList = "E0541"
  /// `signal_timing(...)` phases drawn out of range: a green that is not positive, a yellow or
  /// all-red below zero, or a value that is not finite.
  case badSignalTiming = "E0545"
  /// A `compose` step's `for T` / `wait T`, or a scheduled sub-scenario's `terminate after T`,
  /// drawn negative or not finite (docs/language-tour.md, "Sub-scenarios in sequence").
  case badStepDuration = "E0546"
  /// `override X …` whose X is not an actor of the scene when the simulation starts, or a
  /// behavior that is not one (docs/language-tour.md, "Overrides").
  case badOverride = "E0550"
  /// `record` values over the trace limit (steps × recorded values), checked before the run.
  case recordLimit = "E0551"
  /// An IR construct this runtime does not know (an IR from a newer compiler).
  case unsupported = "E0599"
}
