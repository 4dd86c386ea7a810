import ScnEncoding
import ScnSource

/// `record [initial|final] e as name`: a value kept at every simulation step, or once at
/// the first or the last (docs/language-tour.md, "Recording values").
public struct RecordIR: Hashable, Sendable, Encodable {
  public enum Time: String, Hashable, Sendable, Encodable { case everyStep = "every_step", initial, final }
  enum CodingKeys: String, CodingKey { case name, time, value, branch }

  public let name: String
  public let time: Time
  public let value: IRExpr
  public let range: SourceRange
  /// The schedule branch (`ScheduleIR.branches`) whose sub-scenario wrote it, when that one
  /// runs as a step of a sequence: its values are taken while the branch runs. Nil: the
  /// scenario's own (or a sub-scenario run for the whole run).
  public let branch: Int?

  public init(name: String, time: Time, value: IRExpr, range: SourceRange, branch: Int? = nil) {
    self.name = name
    self.time = time
    self.value = value
    self.range = range
    self.branch = branch
  }
}

/// `override X with f v, with behavior B`: what the simulation reads of actor X while the
/// (sub-)scenario that wrote it runs (docs/language-tour.md, "Overrides").
public struct OverrideIR: Hashable, Sendable, Encodable {
  public enum Behavior: Hashable, Sendable, Encodable {
    /// No `with behavior`: the actor keeps its own.
    case keep
    /// `with behavior none`: the actor runs none.
    case none
    /// `with behavior B`.
    case run(IRExpr)
  }
  enum CodingKeys: String, CodingKey { case target, fields, behavior, branch }

  public let target: IRExpr
  public let fields: [IRExpr.FieldInit]
  public let behavior: Behavior
  public let range: SourceRange
  /// The schedule branch (`ScheduleIR.branches`) whose sub-scenario wrote it, when that one
  /// runs as a step of a sequence: it holds from the branch's start to its end. Nil: the
  /// scenario's own (or a sub-scenario run for the whole run), held for the whole run.
  public let branch: Int?

  public init(target: IRExpr, fields: [IRExpr.FieldInit], behavior: Behavior, range: SourceRange, branch: Int? = nil) {
    self.target = target
    self.fields = fields
    self.behavior = behavior
    self.range = range
    self.branch = branch
  }
}

extension IRPrinter {
  /// The canonical lines of a scenario's `record` and `override` statements (none when it
  /// has neither, so other programs' canonical forms and hashes do not change); one of a
  /// sequenced sub-scenario ends with its branch (`in #b`).
  static func recordsAndOverrides(_ s: ScenarioIR) -> String {
    var out = ""
    for r in s.records {
      out += "  record" + (r.time == .everyStep ? "" : " " + r.time.rawValue) + " \(expr(r.value)) as " + quote(r.name)
      out += (r.branch.map { " in #\($0)" } ?? "") + "\n"
    }
    for o in s.overrides {
      out += "  override \(expr(o.target))"
      for f in o.fields { out += " with \(f.name) \(expr(f.value))" }
      switch o.behavior {
      case .keep: break
      case .none: out += " with behavior none"
      case .run(let b): out += " with behavior \(expr(b))"
      }
      out += (o.branch.map { " in #\($0)" } ?? "") + "\n"
    }
    return out
  }
}
