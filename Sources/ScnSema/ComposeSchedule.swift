import ScnSource
import ScnSyntax

/// The steps of a `compose` block that runs sub-scenarios one after another
/// (docs/language-tour.md, "Sub-scenarios in sequence"). Every sub-scenario invocation that
/// may run is a branch: its statements join the parent's (renamed, as for a parallel step),
/// its actors are sampled with the parent's, and the simulator starts and ends it.
/// Nil on a scenario whose `compose` is one plain parallel step (or that has none).
public struct CheckedSchedule: Sendable {
  public enum Kind: String, Sendable { case run, wait, choose, shuffle }
  public struct Step: Sendable {
    public let kind: Kind
    /// Indices into `branches`: run together (`run`), one of them (`choose`) or each once in
    /// a drawn order (`shuffle`).
    public let branches: [Int]
    /// `do choose` / `do shuffle` weights (1 when not written).
    public let weights: [Double]
    /// `for T` / `wait for T`: the step ends T after it starts.
    public var duration: TypedExpr?
    /// `until c` / `wait until c`: the step ends at the first step c holds.
    public var until: TypedExpr?
    public let range: SourceRange
  }
  public struct Branch: Sendable {
    /// The prefix of its members: `Sub` or `Sub.2`.
    public let name: String
    /// Whether it starts after the simulation starts (a step after the first, or a
    /// `choose`/`shuffle` candidate): its hard requirements are checked when it starts.
    public let deferred: Bool
    /// `terminate after T` of the sub-scenario: T after the branch starts.
    public var after: [TypedExpr] = []
    /// The invocation.
    public let range: SourceRange
  }
  public var steps: [Step]
  public var branches: [Branch]
}

/// A `compose` step before checking: the branches it runs and its bounds.
struct PendingStep {
  let kind: CheckedSchedule.Kind
  var branches: [Int]
  var weights: [Expr?]
  let duration: Expr?
  let until: Expr?
  let range: SourceRange
}

extension Checker {
  /// Whether `stmts` construct an actor `with behavior` (whose `terminate` may end the branch).
  static func constructsBehavior(_ stmts: [(stmt: Stmt, file: Int, own: Bool)]) -> Bool {
    func walk(_ e: Expr) -> Bool {
      switch e.kind {
      case .construction(let base, let specs):
        if specs.contains(where: { if case .withBehavior = $0.kind { return true } else { return false } }) { return true }
        return walk(base)
      case .list(let xs), .tuple(let xs): return xs.contains(where: walk)
      case .comprehension(let el, _, let seq, _): return walk(el) || walk(seq)
      case .call(_, let args): return args.contains { walk($0.value) }
      default: return false
      }
    }
    return stmts.contains { s in
      switch s.stmt.kind {
      case .let(_, _, let v), .ego(_, let v), .expression(let v): return walk(v)
      default: return false
      }
    }
  }

  /// `sim_time() >= T` as `terminate after T` spells it: T, else nil.
  func terminateAfterDuration(_ e: Expr) -> Expr? {
    guard case .comparison(let clock, let links) = e.kind, links.count == 1, links[0].op == .greaterEqual,
      case .call(let callee, let args) = clock.kind, args.isEmpty, case .name(let id) = callee.kind, id.name == "sim_time",
      text(id.range).hasPrefix("terminate")
    else { return nil }
    return links[0].rhs
  }
}
