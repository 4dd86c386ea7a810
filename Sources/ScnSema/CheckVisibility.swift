import ScnSource
import ScnSyntax

/// Checks for issue 15's visibility and region forms: `visible from S`, `not visible from S`,
/// `X can see Y`, `contained in R` and the scenario's `workspace R`.
extension Checker {
  /// The viewer of `visible from S` or `S can see Y`: a sensor (its field of view and range)
  /// or an actor (its `view_angle` and `view_distance` cone). E0281 for anything else.
  func viewer(_ e: Expr, _ scope: Scope, what: String) -> TypedExpr? {
    let v = check(e, expected: nil, scope)
    switch v.type {
    case .actor, .sensor: return v
    case .error: return nil
    default:
      report(SemaDiagnostics.notAViewer(describe(v.type), what: what, at: e.range))
      return nil
    }
  }

  /// E0280: `not visible from S` needs a region to draw the position outside the view in
  /// (`on R`, `within R` or `contained in R`): everything outside a view cone is unbounded.
  func checkVisibilitySpecifiers(_ specifiers: [Specifier]) {
    let hasRegion = specifiers.contains { s in
      switch s.kind {
      case .on, .within, .containedIn: true
      default: false
      }
    }
    let givesPosition = specifiers.contains { s in
      switch s.kind {
      case .at, .relative, .offset, .beyond, .vertical: true
      default: false
      }
    }
    for s in specifiers {
      if case .visibleFrom(_, true) = s.kind, !hasRegion, !givesPosition {
        report(SemaDiagnostics.notVisibleNeedsRegion(at: s.range))
      }
    }
  }
}

extension SemaDiagnostics {
  static func notVisibleNeedsRegion(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0280"), "'not visible from' needs a region to place the actor in", at: r,
      notes: [Note("the points outside a view cone are unbounded: add 'on R', 'within R' or 'contained in R' "
        + "(the position is drawn in R outside the view), or give the position with another specifier")])
  }

  static func notAViewer(_ found: String, what: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0281"), "'\(what)' needs a sensor or an actor, found \(found)", at: r,
      notes: [Note("a sensor sees within its field of view and range; an actor within its 'view_angle' "
        + "either side of its heading and its 'view_distance'")])
  }

  static func workspaceTwice(at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0282"), "the scenario's workspace is given twice", at: r,
      notes: [Note("first given here", at: previous),
              Note("a scenario has one workspace; combine regions with 'union(a, b)'")])
  }
}
