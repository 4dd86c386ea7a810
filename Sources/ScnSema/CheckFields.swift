import ScnSource
import ScnSyntax
import ScnUnits

/// Heading fields (docs/language-tour.md, "Heading fields"): `heading_field(f)`, `F at P`,
/// `A relative to B`, `following F from P for D`. A field's value depends on the point it
/// is read at, so it stays a `HeadingField` until `facing F` reads it at the actor's
/// position or `F at P` at P (Scenic's lazy values, made explicit in the type).
extension Checker {
  static let angleType = SemaType.quantity(Dimension(base: "Angle"))

  /// `heading_field(f)` with `f` a `fn f(p: Position) -> Angle` (or `-> (Angle, Angle, Angle)`
  /// for yaw, pitch and roll): the field whose orientation at p is f(p). Lowered as the
  /// native `heading_field` with the function's name.
  func checkHeadingFieldCall(_ id: Identifier, _ args: [Argument], _ scope: Scope, range: SourceRange) -> TypedExpr {
    guard args.count == 1, args[0].label == nil, case .name(let fn) = args[0].value.kind, !fn.isMissing else {
      report(SemaDiagnostics.headingFieldArgument("expected one argument, the name of a function", at: range))
      return invalid(range)
    }
    guard scope.lookupLocal(fn.name) == nil, scope.scenario?.hasMember(fn.name) != true,
      let g = lookupGlobal(fn.name, from: scope.file, at: fn.range), g.kind == .function
    else {
      report(
        SemaDiagnostics.headingFieldArgument(
          "'\(fn.name)' is not a function declared with 'fn'", at: fn.range))
      return invalid(range)
    }
    guard let sig = signature(g.name) else { return invalid(range) }
    // Exactly one parameter: the runtime calls the function with the point alone.
    let takesPoint = sig.parameters.count == 1 && accepts(sig.parameters[0].type, .position)
      && accepts(.position, sig.parameters[0].type)
    let givesHeading = sig.result == Self.angleType || sig.result == .orientation
    guard takesPoint, givesHeading else {
      let shown = "(" + sig.parameters.map { describe($0.type) }.joined(separator: ", ") + ") -> " + describe(sig.result)
      report(
        SemaDiagnostics.headingFieldArgument(
          "'\(fn.name)' has the signature '\(shown)', expected '(Position) -> Angle' or '(Position) -> (Angle, Angle, Angle)'",
          at: fn.range))
      return invalid(range)
    }
    let name = ConstValue.string(g.name)
    let arg = TypedExpr(.constant(name), type: .string, isRandom: false, constant: name, range: fn.range)
    return TypedExpr(.native("heading_field", [arg]), type: .headingField, isRandom: false, range: range)
  }

  /// `F at P` with F a heading field: its heading at P (an Angle; a 3-D field's yaw). Nil
  /// when the base is not a field (then it is an actor construction).
  func checkFieldAt(_ base: Expr, specifiers: [Specifier], _ scope: Scope, range: SourceRange) -> TypedExpr? {
    guard specifiers.count == 1, case .at(let p) = specifiers[0].kind else { return nil }
    switch base.kind {
    case .name(let id):
      if let g = globals[id.name], g.kind == .actor || g.kind == .sensor { return nil }
      if scope.lookupLocal(id.name) == nil, scope.scenario?.hasMember(id.name) != true, globals[id.name] == nil {
        return nil
      }
    case .member, .call, .index, .spatial, .conditional: break
    default: return nil
    }
    let f = check(base, expected: nil, scope)
    guard f.type == .headingField else {
      if f.type.isError { return invalid(range) }
      return nil
    }
    let point = check(p, expected: .position, scope)
    guard expectType(.position, point, what: "'F at P' (a heading field read at a point)") else { return invalid(range) }
    return TypedExpr(
      .native("field_at", [f, promoteForParameter(point, .position)]), type: Self.angleType, isRandom: true, range: range)
  }

  /// `A relative to B`: a heading relative to a heading (their sum), a heading field relative
  /// to a heading or a field (a field), an orientation relative to an orientation or heading
  /// (composed), a position relative to a position (their sum) or to an actor or oriented
  /// point (in its frame). Anything else is E0263.
  func checkRelativeTo(_ operands: [Expr], _ scope: Scope, range: SourceRange) -> TypedExpr {
    guard operands.count == 2 else { return invalid(range) }
    let a = check(operands[0], expected: nil, scope), b = check(operands[1], expected: nil, scope)
    if a.type.isError || b.type.isError { return invalid(range) }
    enum Kind { case heading, orientation, field, position, frame, other }
    func kind(_ t: SemaType) -> Kind {
      if t == .headingField { return .field }
      if accepts(Self.angleType, t), t != .int { return .heading }
      if t == .orientation || t == .vector(Dimension(base: "Angle")) { return .orientation }
      if t == .orientedPoint { return .frame }
      if case .actor = t { return .frame }
      if accepts(.position, t) { return .position }
      return .other
    }
    let ka = kind(a.type), kb = kind(b.type)
    let result: SemaType?
    switch (ka, kb) {
    case (.heading, .heading): result = Self.angleType
    case (.field, .heading), (.field, .orientation), (.field, .field), (.heading, .field), (.orientation, .field):
      result = .headingField
    case (.orientation, .orientation), (.orientation, .heading), (.heading, .orientation): result = .orientation
    case (.position, .position), (.position, .frame): result = .position
    default: result = nil
    }
    guard let result else {
      report(SemaDiagnostics.relativeToTypes(describe(a.type), describe(b.type), at: range, left: a.range, right: b.range))
      return invalid(range)
    }
    func promoted(_ e: TypedExpr, _ k: Kind) -> TypedExpr {
      switch k {
      case .heading: promoteForParameter(e, Self.angleType)
      case .position: promoteForParameter(e, .position)
      default: e
      }
    }
    let args = [promoted(a, ka), promoted(b, kb)]
    return TypedExpr(.native("relative_to", args), type: result, isRandom: args.contains { $0.isRandom }, range: range)
  }

  /// `following F [from P] for D`: the position D along F from P (default `ego`), by the
  /// native `following`, and, unless another specifier gives the heading, `facing F` (F's
  /// orientation where the actor ends up), as Scenic does.
  func checkFollowing(_ s: Specifier, headingGiven: Bool, _ scope: Scope) -> [TypedSpecifier] {
    guard case .following(let f, let from, let d) = s.kind else { return [] }
    let field = check(f, expected: .headingField, scope)
    let fieldOK = field.type == .headingField || field.type.isError
    if !fieldOK {
      report(
        SemaDiagnostics.typeMismatch(
          expected: "HeadingField", found: describe(field.type), unit: unitNote(field), at: field.range,
          what: "'following' (a heading field such as 'town.road_direction' or 'heading_field(f)')"))
    }
    let start: TypedExpr? = from.map { actorOrPosition($0, scope, what: "'following … from'") } ?? egoReference(scope, at: s.range)
    let length = SemaType.quantity(Dimension(base: "Length"))
    let distance = check(d, expected: length, scope)
    let distanceOK = expectType(length, distance, what: "'following … for' distance")
    guard fieldOK, !field.type.isError, let start, distanceOK, !distance.type.isError else { return [] }
    let at = TypedExpr(
      .native("following", [field, start, promoteForParameter(distance, length)]), type: .position, isRandom: true,
      range: s.range)
    var out: [TypedSpecifier] = [.at(at)]
    if !headingGiven { out.append(.facing(TypedExpr(field.kind, type: .headingField, isRandom: true, constant: nil, range: field.range))) }
    return out
  }

  /// Whether a specifier list gives the heading (so `following` leaves it alone).
  static func specifiersGiveHeading(_ specifiers: [Specifier]) -> Bool {
    specifiers.contains {
      switch $0.kind {
      case .facing, .facingToward, .facingAwayFrom, .facingDirectly, .apparentlyFacing: true
      default: false
      }
    }
  }
}

extension SemaDiagnostics {
  static func relativeToTypes(_ a: String, _ b: String, at r: SourceRange, left: SourceRange, right: SourceRange)
    -> Diagnostic
  {
    .error(
      DiagnosticCode("E0263"), "'relative to' cannot relate '\(a)' to '\(b)'", at: r, highlights: [left, right],
      notes: [Note(
        "expected a heading or heading field relative to a heading or heading field, an orientation relative to an "
          + "orientation or heading, or a position relative to a position, an actor or an oriented point")])
  }

  static func fieldAsValue(_ what: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0264"), "a heading field has no single value: \(what)", at: r,
      notes: [Note("a field's heading depends on the point it is read at: read it with 'F at P', or give it to "
        + "'facing F' (the actor's own position) or 'following F from P for D'")])
  }

  static func headingFieldArgument(_ problem: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0266"), "'heading_field' needs a function of a position: \(problem)", at: r,
      notes: [Note("declare one, e.g. 'fn swirl(p: Position) -> Angle = 3deg * (p.x / 1m)', and write 'heading_field(swirl)'")])
  }
}

/// The built-in regions `everywhere` and `nowhere` and the members of polylines
/// (docs/language-tour.md, "Regions").
extension Checker {
  /// `start` and `end` of a polyline region: oriented points at its ends, facing along it
  /// (Scenic's `PolylineRegion.start`/`.end`); a runtime error on other regions.
  static let pathMembers: [(String, SemaType)] = [("start", .orientedPoint), ("end", .orientedPoint)]

  /// `everywhere` (every point) and `nowhere` (no point), when no declaration of that name
  /// is visible: the native of that name.
  func builtinRegion(_ name: String, range: SourceRange) -> TypedExpr? {
    guard name == "everywhere" || name == "nowhere" else { return nil }
    return TypedExpr(.native(name, []), type: .region, isRandom: false, range: range)
  }

  private func builtinRegionName(_ e: TypedExpr) -> String? {
    if case .native(let n, let args) = e.kind, args.isEmpty, n == "everywhere" || n == "nowhere" { return n }
    return nil
  }

  /// `on`, `within` and `contained in` draw uniformly from their region: `everywhere` has no
  /// uniform law (E0267), `nowhere` no point (E0268).
  func checkBuiltinRegionPlacement(_ specs: [TypedSpecifier]) {
    for s in specs {
      switch s {
      case .on(let r), .within(let r), .containedIn(let r): checkUnboundedPlacement(r, what: "placement")
      default: break
      }
    }
  }

  /// E0267/E0268 for `everywhere`/`nowhere` where points are drawn from or must lie in them;
  /// `workspace everywhere` is allowed (it holds for every actor), `workspace nowhere` is not.
  func checkUnboundedPlacement(_ r: TypedExpr, what: String) {
    switch builtinRegionName(r) {
    case "everywhere" where what != "workspace":
      report(SemaDiagnostics.unboundedRegion(at: r.range))
    case "nowhere":
      report(SemaDiagnostics.emptyRegion(what == "workspace" ? "no actor can lie in it" : "no actor can be placed in it", at: r.range))
    default: break
    }
  }
}

extension SemaDiagnostics {
  static func unboundedRegion(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0267"), "cannot draw a position uniformly from 'everywhere'", at: r,
      notes: [Note("'on', 'within' and 'contained in' draw uniformly from their region, which must be bounded; "
        + "give a bounded region, or place the actor with 'at' ('workspace everywhere' holds for every actor)")])
  }

  static func emptyRegion(_ consequence: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0268"), "'nowhere' has no points: \(consequence)", at: r)
  }
}

/// `visible R` and `not visible R` (Scenic's): the part of R inside (outside) ego's view.
extension Checker {
  func checkVisibleRegion(_ operands: [Expr], negated: Bool, _ scope: Scope, range: SourceRange) -> TypedExpr {
    guard let operand = operands.first else { return invalid(range) }
    let r = check(operand, expected: .region, scope)
    guard expectType(.region, r, what: "'\(negated ? "not visible" : "visible")' region") else { return invalid(range) }
    guard let ego = egoReference(scope, at: range) else { return invalid(range) }
    let flag = ConstValue.bool(negated)
    let negatedArg = TypedExpr(.constant(flag), type: .bool, isRandom: false, constant: flag, range: range)
    return TypedExpr(.native("visible_region", [r, ego, negatedArg]), type: .region, isRandom: true, range: range)
  }
}
