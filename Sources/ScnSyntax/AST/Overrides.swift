import ScnSource

/// When `record` takes its value: at every simulation step, or once at the first or last.
public enum RecordTime: String, Sendable, Hashable {
  case everyStep, initial, final
}

/// One `with …` of an `override` statement.
public enum OverrideItem: Sendable {
  /// `with name value`: a field of the actor.
  case field(FieldInit)
  /// `with behavior B` (B a behavior call), or `with behavior none` (B nil): no behavior.
  case behavior(Expr?, range: SourceRange)

  public var range: SourceRange {
    switch self {
    case .field(let f): f.range
    case .behavior(_, let r): r
    }
  }
}
