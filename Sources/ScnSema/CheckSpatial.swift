import ScnSource
import ScnSyntax
import ScnUnits

/// Scenic's word operators (`relative heading of X from Y`, `angle from P to Q`,
/// `distance past X`, `front of X`, `back left of X` …). Each becomes a built-in native
/// the runtime resolves by name; a missing `from`/`of` operand is `ego`.
extension Checker {
  func checkSpatial(_ op: SpatialOperator, _ operands: [Expr], _ scope: Scope, range: SourceRange) -> TypedExpr {
    if op == .relativeTo { return checkRelativeTo(operands, scope, range: range) }
    if op == .visibleRegion || op == .notVisibleRegion {
      return checkVisibleRegion(operands, negated: op == .notVisibleRegion, scope, range: range)
    }
    let angle = SemaType.quantity(Dimension(base: "Angle"))
    let length = SemaType.quantity(Dimension(base: "Length"))
    func actor(_ e: Expr, _ what: String) -> TypedExpr? {
      let v = check(e, expected: nil, scope)
      switch v.type {
      case .actor, SemaType.orientedPoint: return v
      case .error: return nil
      default:
        report(
          SemaDiagnostics.typeMismatch(
            expected: "an actor or an oriented point", found: describe(v.type), unit: unitNote(v), at: v.range,
            what: what))
        return nil
      }
    }
    func operand(_ i: Int, actorOnly: Bool, _ what: String) -> TypedExpr? {
      guard i < operands.count else { return egoReference(scope, at: range) }
      return actorOnly ? actor(operands[i], what) : actorOrPosition(operands[i], scope, what: what)
    }
    let name: String
    let type: SemaType
    let args: [TypedExpr?]
    switch op {
    case .relativeHeading:
      // Of actors or of headings (`relative heading of 70deg from -10deg`).
      func heading(_ i: Int, _ what: String) -> TypedExpr? {
        guard i < operands.count else { return egoReference(scope, at: range) }
        let v = check(operands[i], expected: angle, scope)
        switch v.type {
        case .actor, SemaType.orientedPoint: return v
        case .error: return nil
        case let t where accepts(angle, t): return promoteForParameter(v, angle)
        default:
          report(
            SemaDiagnostics.typeMismatch(
              expected: "an actor, an oriented point or an Angle", found: describe(v.type), unit: unitNote(v), at: v.range, what: what))
          return nil
        }
      }
      name = "relative_heading"
      type = angle
      args = [heading(0, "'relative heading of'"), heading(1, "'relative heading … from'")]
    case .apparentHeading:
      name = "apparent_heading"
      type = angle
      args = [operand(0, actorOnly: true, "'apparent heading of'"), operand(1, actorOnly: false, "'apparent heading … from'")]
    case .angle:
      // Operands are (target, origin); the native takes (origin, target).
      name = "angle_from_to"
      type = angle
      args = [operand(1, actorOnly: false, "'angle from'"), operand(0, actorOnly: false, "'angle … to'")]
    case .distance:
      name = "distance_from_to"
      type = length
      args = [operand(1, actorOnly: false, "'distance from'"), operand(0, actorOnly: false, "'distance … to'")]
    case .distancePast:
      name = "distance_past"
      type = length
      args = [operand(0, actorOnly: false, "'distance past'"), operand(1, actorOnly: true, "'distance past … of'")]
    case .relativeTo, .visibleRegion, .notVisibleRegion:
      return invalid(range)
    case .canSee:
      name = "can_see"
      type = .bool
      args = [operands.first.flatMap { viewer($0, scope, what: "can see") },
              operands.dropFirst().first.flatMap { actorOrPosition($0, scope, what: "'can see' target") }]
    }
    guard args.allSatisfy({ $0 != nil }) else { return invalid(range) }
    let typed = args.compactMap { $0 }
    return TypedExpr(.native(name, typed), type: type, isRandom: true, range: range)
  }

  /// `front of X` …: a point of X's box at the height of its bottom (`top of X`: of its
  /// top), as a Position.
  func checkBoxPoint(_ point: BoxPoint, _ x: Expr, _ scope: Scope, range: SourceRange) -> TypedExpr {
    let v = check(x, expected: nil, scope)
    switch v.type {
    case .actor: break
    case .error: return invalid(range)
    default:
      report(
        SemaDiagnostics.typeMismatch(
          expected: "an actor", found: describe(v.type), unit: unitNote(v), at: v.range,
          what: "'\(point.rawValue) of'"))
      return invalid(range)
    }
    return TypedExpr(
      .native("box_point_" + point.rawValue.replacingOccurrences(of: " ", with: "_"), [v]), type: .position,
      isRandom: true, range: range)
  }
}
