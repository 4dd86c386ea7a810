import ScnSource
import ScnSyntax
import ScnUnits
import ScnGeometry

extension Checker {
  /// `Car`, `Car { color: … }`, `Car at P facing A …`, `Camera { mount: … }`.
  func checkConstruction(
    _ base: Expr, fields: [ScnSyntax.FieldInit], specifiers: [Specifier], _ scope: Scope,
    range: SourceRange
  ) -> TypedExpr {
    if fields.isEmpty, let value = checkFieldAt(base, specifiers: specifiers, scope, range: range) { return value }
    if fields.isEmpty, let point = checkOrientedPoint(base, specifiers: specifiers, scope, range: range) {
      return point
    }
    if fields.isEmpty, let point = checkOffsetOperator(base, specifiers: specifiers, scope, range: range) {
      return point
    }
    guard case .name(let id) = base.kind, !id.isMissing else {
      report(SemaDiagnostics.notAType(text(base.range), at: base.range))
      return invalid(range)
    }
    guard let g = lookupGlobal(id.name, from: scope.file, at: id.range),
      g.kind == .actor || g.kind == .sensor || g.kind == .material,
      let info = record(g.name)
    else {
      if globals[id.name] != nil || scope.lookupLocal(id.name) != nil || scope.scenario?.hasMember(id.name) == true {
        report(SemaDiagnostics.notConstructible(id.name, at: id.range))
      } else {
        let candidates = visibleNames(from: scope.file, kinds: [.actor, .sensor, .material])
        report(SemaDiagnostics.unknownType(id.name, at: id.range, suggestion: nearest(id.name, in: candidates)))
      }
      return invalid(range)
    }
    var typedFields: [(name: String, value: TypedExpr)] = []
    var random = false
    for f in fields where !f.name.isMissing {
      guard let field = info.fields[f.name.name] else {
        _ = check(f.value, expected: nil, scope)
        if Checker.derivedActorFields.contains(f.name.name), !info.isSensor, !info.isMaterial {
          report(SemaDiagnostics.derivedField(f.name.name, at: f.name.range))
        } else {
          report(
            SemaDiagnostics.unknownField(
              f.name.name, of: info.name, at: f.name.range,
              suggestion: nearest(f.name.name, in: info.fieldOrder)))
        }
        continue
      }
      if typedFields.contains(where: { $0.name == f.name.name }) {
        report(SemaDiagnostics.duplicateArgument(f.name.name, at: f.range))
        continue
      }
      let v = check(f.value, expected: field.type, scope)
      expectType(field.type, v, what: "field '\(f.name.name)' of '\(info.name)'")
      if f.name.name == "class", !info.isSensor { checkClassNames(v) }
      random = random || v.isRandom
      if info.isSensor, let problem = Self.sensorSettingProblem(type: info.name, field: f.name.name, v.constant) {
        report(SemaDiagnostics.badSensorSetting(problem, at: f.value.range))
      }
      typedFields.append((f.name.name, promoteForParameter(v, field.type)))
    }
    if info.isMaterial {
      return materialValue(info, fields: typedFields, specifiers: specifiers, base: base, range: range)
    }
    checkColorBesideMaterial(fields, typed: typedFields)
    if !info.isSensor { checkPartMaterialNames(info, typed: typedFields) }
    if info.isSensor { checkLens(info, typedFields, fields.map { ($0.name.name, $0.range) }) }
    let missing = info.fieldOrder.filter { name in
      info.fields[name]?.defaultValue == nil && !typedFields.contains { $0.name == name }
    }
    if !missing.isEmpty {
      report(SemaDiagnostics.missingFields(missing, of: info.name, at: base.range))
    }
    if info.isSensor, let s = specifiers.first {
      report(SemaDiagnostics.specifierOnSensor(at: s.range))
    }
    if !info.isSensor {
      checkPropertiesSpecifiedOnce(
        fields: fields.filter { typedFields.map(\.name).contains($0.name.name) }, specifiers: specifiers)
    }
    var typedSpecs: [TypedSpecifier] = []
    var pointReference: SourceRange?
    var onPoint: SourceRange?
    let headingGiven = Self.specifiersGiveHeading(specifiers)
    for s in specifiers where !info.isSensor {
      if case .following = s.kind {
        typedSpecs += checkFollowing(s, headingGiven: headingGiven, scope)
        random = true
        continue
      }
      if let t = checkSpecifier(s, scope) {
        if case .on = s.kind, case .at = t { onPoint = s.range }
        if case .behavior(let b) = t { checkRunsOn(b, actorType: info.name, at: b.range) }
        if case .deferredBehavior(let b) = t { checkRunsOn(b, actorType: info.name, at: b.range) }
        typedSpecs.append(t)
        random = random || specifierIsRandom(t)
        if case .relative(let r, _, _, _) = t, case .vector = r.type { pointReference = s.range }
      }
    }
    // `left of P facing toward Q` (P a point): the position needs the heading and the
    // heading the position (Scenic's test_cyclic_dependency).
    if let p = pointReference,
      let facing = specifiers.first(where: {
        switch $0.kind {
        case .facingToward, .facingAwayFrom, .facingDirectly, .apparentlyFacing: true
        default: false
        }
      })
    {
      report(SemaDiagnostics.cyclicSpecifiers(at: facing.range, position: p))
    }
    // `on P` (a point) gives the position like `at P`: it does not modify another one.
    if let onPoint, let other = specifiers.first(where: { s in
      switch s.kind {
      case .at, .within, .offset, .beyond, .vertical, .following, .relative: true
      default: false
      }
    }) {
      report(SemaDiagnostics.propertySpecifiedTwice("position", at: onPoint, previous: other.range))
    }
    checkVisibilitySpecifiers(specifiers)
    checkBuiltinRegionPlacement(typedSpecs)
    typedFields.sort { $0.name < $1.name }
    return TypedExpr(
      .construct(type: info.name, fields: typedFields, specifiers: typedSpecs),
      type: info.isSensor ? .sensor(info.name) : .actor(info.name), isRandom: random, range: range)
  }

  /// E0261: a property given twice (Scenic's rule), by two specifiers or by a field and a
  /// specifier: `at A at B`, `at P within R`, `facing 0deg facing toward P`,
  /// `{ position: P } at Q`. Two exceptions keep their meaning: relative specifiers from
  /// the same reference combine (`ahead of car by 10m left of car by 2m`), one `on R`
  /// beside another position specifier modifies that position (it moves it onto R), and one
  /// `contained in R` beside one only requires the footprint to lie in R.
  func checkPropertiesSpecifiedOnce(fields: [ScnSyntax.FieldInit], specifiers: [Specifier]) {
    var first: [String: SourceRange] = [:]
    var relativeReference: String?
    var firstOn: SourceRange?
    func give(_ property: String, _ range: SourceRange) {
      if let previous = first[property] {
        report(SemaDiagnostics.propertySpecifiedTwice(property, at: range, previous: previous))
      } else {
        first[property] = range
      }
    }
    for f in fields where ["position", "heading", "pitch", "roll"].contains(f.name.name) { give(f.name.name, f.range) }
    for s in specifiers {
      switch s.kind {
      case .at, .within, .offset, .beyond, .vertical, .following: give("position", s.range)
      case .containedIn:
        // Gives the position when nothing else does; beside another, the requirement that the
        // footprint lies in R (Scenic's `regionContainedIn`). A second one is one too many.
        give("containment", s.range)
      case .visibleFrom:
        // Modifies the position's draw (`on R visible from cam`) or checks the one another
        // specifier gives; a second one is one too many.
        give("visibility", s.range)
      case .relative(_, let reference, _):
        let key = text(reference.range).filter { !$0.isWhitespace }
        if let r = relativeReference, r == key { continue }
        relativeReference = key
        give("position", s.range)
      case .on:
        // One `on` either gives the position or modifies the one another specifier gives;
        // a second `on` is always one too many.
        if let previous = firstOn {
          report(SemaDiagnostics.propertySpecifiedTwice("position", at: s.range, previous: previous))
        } else {
          firstOn = s.range
        }
      case .facing(let e):
        give("heading", s.range)
        // `facing (yaw, pitch, roll)` gives all three.
        if case .tuple(let xs) = e.kind, xs.count == 3 {
          give("pitch", s.range)
          give("roll", s.range)
        }
      case .facingToward, .facingAwayFrom, .apparentlyFacing: give("heading", s.range)
      case .facingDirectly:
        give("heading", s.range)
        give("pitch", s.range)
      case .withBehavior: give("behavior", s.range)
      }
    }
  }

  /// `P facing H` with P a position (not an actor type): an oriented point, the pair
  /// `(P, H)`. Nil when the base names an actor or sensor type (a construction) or the
  /// specifiers are not exactly one `facing`.
  func checkOrientedPoint(_ base: Expr, specifiers: [Specifier], _ scope: Scope, range: SourceRange) -> TypedExpr? {
    guard specifiers.count == 1, case .facing(let h) = specifiers[0].kind else { return nil }
    if case .name(let id) = base.kind {
      // A type name builds an actor; an unknown name is reported by the construction path.
      if let g = globals[id.name], g.kind == .actor || g.kind == .sensor || g.kind == .material { return nil }
      if scope.lookupLocal(id.name) == nil, scope.scenario?.hasMember(id.name) != true, globals[id.name] == nil {
        return nil
      }
    }
    let p = check(base, expected: .position, scope)
    if case .actor = p.type { return nil }
    guard !p.type.isError else { return invalid(range) }
    guard accepts(.position, p.type) else {
      report(
        SemaDiagnostics.typeMismatch(
          expected: "Position", found: describe(p.type), unit: unitNote(p), at: p.range,
          what: "an oriented point ('P facing H')"))
      return invalid(range)
    }
    let angle = SemaType.quantity(Dimension(base: "Angle"))
    let position = promoteForParameter(p, .position)
    // `P facing (yaw, pitch, roll)`, or `P facing H` (pitch and roll 0).
    let angles: [TypedExpr]
    if let o = orientationAngles(h, scope) {
      guard !o.contains(where: { $0.type.isError }) else { return invalid(range) }
      angles = o
    } else {
      let a = check(h, expected: angle, scope)
      guard expectType(angle, a, what: "the heading of an oriented point") else { return invalid(range) }
      let zeroValue = ConstValue.real(0, exact: Rational(integer: 0))
      let zero = TypedExpr(.constant(zeroValue), type: angle, isRandom: false, constant: zeroValue, range: h.range)
      angles = [promoteForParameter(a, angle), zero, zero]
    }
    let parts = [position] + angles
    var folded: ConstValue?
    let constants = parts.compactMap(\.constant)
    if constants.count == 4 { folded = .tuple(constants) }
    return TypedExpr(
      .tuple(parts), type: .orientedPoint, isRandom: parts.contains { $0.isRandom }, constant: folded, range: range)
  }

  /// Scenic's vector operators `P offset by V` (P + V, in the world frame) and `P offset
  /// along H by V` (V turned by the heading or orientation H, or by a heading field's
  /// orientation read at P, then added to P), with P a position (not an actor type: that is
  /// a construction with the `offset` specifier, relative to ego). Lowered as `relative_to`:
  /// V relative to P, or V relative to the oriented point `P facing H`. Nil when the base
  /// names a type or the specifiers are not exactly one `offset`.
  func checkOffsetOperator(_ base: Expr, specifiers: [Specifier], _ scope: Scope, range: SourceRange) -> TypedExpr? {
    guard specifiers.count == 1, case .offset(let v, let along) = specifiers[0].kind else { return nil }
    if case .name(let id) = base.kind {
      if let g = globals[id.name], g.kind == .actor || g.kind == .sensor || g.kind == .material { return nil }
      if scope.lookupLocal(id.name) == nil, scope.scenario?.hasMember(id.name) != true, globals[id.name] == nil {
        return nil
      }
    }
    let p = check(base, expected: .position, scope)
    guard !p.type.isError else { return invalid(range) }
    guard accepts(.position, p.type) else {
      let what = along == nil ? "'P offset by V'" : "'P offset along H by V'"
      var isActor = false
      if case .actor = p.type { isActor = true }
      report(
        SemaDiagnostics.offsetOperatorBase(
          describe(p.type), what: what, isActor: isActor, at: p.range, offset: specifiers[0].range))
      return invalid(range)
    }
    let point = promoteForParameter(p, .position)
    let vector = check(v, expected: .position, scope)
    guard expectType(.position, vector, what: "'offset by' vector") else { return invalid(range) }
    let offset = promoteForParameter(vector, .position)
    var reference = point
    if let along {
      let angles: [TypedExpr]
      if let o = orientationAngles(along, scope) {
        guard !o.contains(where: { $0.type.isError }) else { return invalid(range) }
        angles = o
      } else {
        let h = check(along, expected: nil, scope)
        guard !h.type.isError else { return invalid(range) }
        let yaw: TypedExpr
        if h.type == .headingField {
          yaw = TypedExpr(.native("field_at", [h, point]), type: Self.angleType, isRandom: true, range: h.range)
        } else {
          guard expectType(Self.angleType, h, what: "'offset along' heading") else { return invalid(range) }
          yaw = promoteForParameter(h, Self.angleType)
        }
        let zeroValue = ConstValue.real(0, exact: Rational(integer: 0))
        let zero = TypedExpr(
          .constant(zeroValue), type: Self.angleType, isRandom: false, constant: zeroValue, range: along.range)
        angles = [yaw, zero, zero]
      }
      let parts = [point] + angles
      reference = TypedExpr(
        .tuple(parts), type: .orientedPoint, isRandom: parts.contains { $0.isRandom }, range: along.range)
    }
    let args = [offset, reference]
    return TypedExpr(
      .native("relative_to", args), type: .position, isRandom: args.contains { $0.isRandom }, range: range)
  }

  /// `(yaw, pitch, roll)` written as a tuple of three expressions: the three angles checked
  /// (each must be an Angle), or nil when `e` is not a 3-tuple (then it is a single heading).
  func orientationAngles(_ e: Expr, _ scope: Scope) -> [TypedExpr]? {
    guard case .tuple(let xs) = e.kind, xs.count == 3 else { return nil }
    let angle = SemaType.quantity(Dimension(base: "Angle"))
    let names = ["yaw", "pitch", "roll"]
    return zip(xs, names).map { x, name in
      let a = check(x, expected: angle, scope)
      return expectType(angle, a, what: "the \(name) of an orientation '(yaw, pitch, roll)'")
        ? promoteForParameter(a, angle) : invalid(x.range)
    }
  }

  /// An orientation `(yaw, pitch, roll)` as one typed tuple, or nil when `e` is not a 3-tuple.
  func orientation(_ e: Expr, _ scope: Scope) -> TypedExpr? {
    guard let angles = orientationAngles(e, scope) else { return nil }
    if angles.contains(where: { $0.type.isError }) { return invalid(e.range) }
    let constants = angles.compactMap(\.constant)
    return TypedExpr(
      .tuple(angles), type: .orientation, isRandom: angles.contains { $0.isRandom },
      constant: constants.count == 3 ? .tuple(constants) : nil, range: e.range)
  }

  /// `ego`, the implicit origin of `offset by` and `beyond … from` (E0234 without one).
  func egoReference(_ scope: Scope, at range: SourceRange) -> TypedExpr? {
    let e = check(Expr(.ego, range: range), expected: nil, scope)
    return e.type.isError ? nil : e
  }

  /// An actor, an oriented point, or a position (a `Vec3` of lengths, a 3-tuple promoted to one).
  func actorOrPosition(_ e: Expr, _ scope: Scope, what: String) -> TypedExpr? {
    let v = check(e, expected: nil, scope)
    switch v.type {
    case .actor, SemaType.orientedPoint: return v
    case .error: return nil
    case let t where accepts(.position, t): return promoteForParameter(v, .position)
    default:
      report(
        SemaDiagnostics.typeMismatch(
          expected: "an actor or a position", found: describe(v.type), unit: unitNote(v), at: v.range, what: what))
      return nil
    }
  }

  /// A camera's lens settings against its `model` (docs/scene-model.md, "Cameras"), for the
  /// values known at check time; random settings are left to `generate`, which refuses them
  /// with the same words:
  /// - a pinhole whose constant Brown–Conrady distortion folds the image back inside its own
  ///   corners (`LensDistortion.radialFold`, the renderer's own test): E0258 at `distortion`;
  /// - a pinhole with a fov of 180° or more: E0631 at `fov`, with a fix-it to `model: fisheye`;
  /// - a fisheye whose k1…k4 fold inside the image, or whose corners lie past 180° off axis
  ///   (`FisheyeLimits`): E0630 at `fisheye_distortion` (at `fov` when that is not given);
  /// - coefficients of the other model, which have no effect: W0630, W0631.
  private func checkLens(
    _ info: RecordInfo, _ fields: [(name: String, value: TypedExpr)], _ syntax: [(name: String, range: SourceRange)]
  ) {
    guard info.fields["resolution"] != nil, info.fields["fov"] != nil, info.fields["model"] != nil else {
      if let problem = lensFoldProblem(info, fields) {
        report(SemaDiagnostics.badSensorSetting(problem.message, at: problem.range))
      }
      return
    }
    func given(_ name: String) -> TypedExpr? { fields.first(where: { $0.name == name })?.value }
    func constant(_ name: String) -> ConstValue? {
      if let f = given(name) { return f.isRandom ? nil : f.constant }
      return info.fields[name]?.defaultValue?.constant
    }
    guard case .enumCase(_, let model)? = constant("model") else { return }
    func isZero(_ v: TypedExpr) -> Bool {
      guard !v.isRandom, case .tuple(let xs)? = v.constant else { return false }
      return xs.allSatisfy { $0.number == 0 }
    }
    if model == "fisheye" {
      if let d = given("distortion"), !isZero(d) {
        report(SemaDiagnostics.lensFieldWithoutEffect("distortion", model: "fisheye", uses: "fisheye_distortion", at: d.range))
      }
      guard case .tuple(let size)? = constant("resolution"), size.count == 2, let width = size[0].number,
        let height = size[1].number, width >= 1, height >= 1, let fov = constant("fov")?.number, fov > 0,
        case .tuple(let k)? = constant("fisheye_distortion"), k.count == 4
      else { return }
      let c = k.compactMap(\.number)
      guard c.count == 4 else { return }
      let lens = FisheyeDistortion(k1: c[0], k2: c[1], k3: c[2], k4: c[3])
      if let problem = FisheyeLimits.problem(lens, width: width, height: height, fov: fov) {
        let at = given("fisheye_distortion")?.range ?? given("fov")?.range ?? given("model")?.range
        if let at { report(SemaDiagnostics.fisheyeOutOfRange(problem, at: at)) }
      }
      return
    }
    if let k = given("fisheye_distortion"), !isZero(k) {
      report(SemaDiagnostics.lensFieldWithoutEffect("fisheye_distortion", model: "pinhole", uses: "distortion", at: k.range))
    }
    if let fov = given("fov"), !fov.isRandom, let x = fov.constant?.number, x >= .pi, x <= 2 * .pi {
      let start = syntax.first(where: { $0.name == "fov" })?.range.start ?? fov.range.start
      report(SemaDiagnostics.pinholeTooWide(degrees: x * 180 / .pi, at: fov.range, fieldStart: start))
    }
    if let problem = lensFoldProblem(info, fields) {
      report(SemaDiagnostics.badSensorSetting(problem.message, at: problem.range))
    }
  }

  /// A camera whose constant lens distortion folds the image back inside its own corners
  /// (`LensDistortion.radialFold`, the renderer's own test): the fold radius, at the
  /// `distortion` field.
  private func lensFoldProblem(
    _ info: RecordInfo, _ fields: [(name: String, value: TypedExpr)]
  ) -> (message: String, range: SourceRange)? {
    guard let given = fields.first(where: { $0.name == "distortion" }), info.fields["resolution"] != nil,
      info.fields["fov"] != nil
    else { return nil }
    func constant(_ name: String) -> ConstValue? {
      if let f = fields.first(where: { $0.name == name }) { return f.value.isRandom ? nil : f.value.constant }
      return info.fields[name]?.defaultValue?.constant
    }
    guard case .tuple(let k)? = constant("distortion"), k.count == 5, case .tuple(let size)? = constant("resolution"),
      size.count == 2, let width = size[0].number, let height = size[1].number, let fov = constant("fov")?.number,
      fov > 0, fov < .pi, width >= 1, height >= 1
    else { return nil }
    let c = k.compactMap(\.number)
    guard c.count == 5 else { return nil }
    let lens = LensDistortion(k1: c[0], k2: c[1], p1: c[2], p2: c[3], k3: c[4])
    // The pinhole the renderer builds: fx = (w / 2) / tan(fov / 2), square pixels, the
    // principal point at the centre; the corner's normalised radius.
    let fx = width / 2 / (fov / 2).tangent
    let corner = ((width / 2) * (width / 2) + (height / 2) * (height / 2)).squareRoot() / fx
    guard let fold = lens.radialFold(within: corner) else { return nil }
    let degrees = atan2Double(fold.undistorted, 1) * 180 / .pi
    return (
      "this lens distortion folds the image back \(Int((fold.distorted * fx).rounded())) px from its centre "
        + "(\(Int(degrees.rounded()))° off axis), inside the image, whose corners lie \(Int((corner * fx).rounded())) px out: "
        + "the radial distortion 1 + k1 r² + k2 r⁴ + k3 r⁶ must grow monotonically out to the corners",
      given.value.range
    )
  }

  /// Why a constant sensor setting cannot be rendered (`SensorLimits`), or nil.
  static func sensorSettingProblem(type: String, field: String, _ value: ConstValue?) -> String? {
    guard let value else { return nil }
    let numbers: [Double]
    switch value {
    case .tuple(let xs): numbers = xs.compactMap(\.number)
    default: numbers = value.number.map { [$0] } ?? []
    }
    return SensorLimits.problem(type: type, field: field, numbers: numbers)
  }

  private func specifierIsRandom(_ s: TypedSpecifier) -> Bool {
    switch s {
    case .at(let e), .facing(let e), .facingToward(let e), .behavior(let e), .deferredBehavior(let e): e.isRandom
    case .relative(let r, let d, _, _): r.isRandom || (d?.isRandom ?? false)
    case .on, .within, .offset, .beyond, .vertical, .facingAwayFrom, .facingDirectly, .apparentlyFacing, .visibleFrom,
      .containedIn:
      true
    }
  }

  func checkSpecifier(_ s: Specifier, _ scope: Scope) -> TypedSpecifier? {
    let angle = SemaType.quantity(Dimension(base: "Angle"))
    let length = SemaType.quantity(Dimension(base: "Length"))
    func expecting(_ e: Expr, _ t: SemaType, _ what: String) -> TypedExpr? {
      let v = check(e, expected: t, scope)
      return expectType(t, v, what: what) ? promoteForParameter(v, t) : nil
    }
    switch s.kind {
    case .at(let p): return expecting(p, .position, "'at' position").map { .at($0) }
    case .following: return nil  // checkFollowing, in checkConstruction
    case .facing(let a):
      // `facing (yaw, pitch, roll)`: the whole orientation.
      if let o = orientation(a, scope) { return o.type.isError ? nil : .facing(o) }
      // A heading field (`facing town.road_direction`): its heading at the actor's position.
      let v = check(a, expected: angle, scope)
      if v.type == .headingField {
        return .facing(TypedExpr(v.kind, type: v.type, isRandom: true, constant: nil, range: v.range))
      }
      // An orientation value (`facing o2 relative to o1`): the whole orientation.
      if v.type == .orientation { return .facing(v) }
      return expectType(angle, v, what: "'facing' heading") ? .facing(promoteForParameter(v, angle)) : nil
    case .facingToward(let p): return actorOrPosition(p, scope, what: "'facing toward' target").map { .facingToward($0) }
    case .on(let r):
      // `on P` with P a position is `at P` (Scenic's `on` a point: the base on the point).
      let v = check(r, expected: .region, scope)
      if !v.type.isError, v.type != .region, accepts(.position, v.type) { return .at(promoteForParameter(v, .position)) }
      return expectType(.region, v, what: "'on' region") ? .on(promoteForParameter(v, .region)) : nil
    case .within(let r): return expecting(r, .region, "'within' region").map { .within($0) }
    case .containedIn(let r): return expecting(r, .region, "'contained in' region").map { .containedIn($0) }
    case .visibleFrom(let x, let negated):
      return viewer(x, scope, what: negated ? "not visible from" : "visible from").map { .visibleFrom($0, negated: negated) }
    case .withBehavior(let b):
      // Its arguments may name a definition still being checked (actors whose behaviors
      // name each other): such a read is deferred, not a cycle (CheckBehaviors.swift).
      let saved = (scope.deferringBehavior, scope.deferredRead)
      (scope.deferringBehavior, scope.deferredRead) = (true, false)
      let v = check(b, expected: .behavior, scope)
      let deferred = scope.deferredRead
      (scope.deferringBehavior, scope.deferredRead) = saved
      guard v.type == .behavior || v.type.isError else {
        report(SemaDiagnostics.notABehavior(describe(v.type), at: b.range))
        return nil
      }
      rejectMonitor(v)
      return deferred ? .deferredBehavior(v) : .behavior(v)
    case .facingAwayFrom(let p):
      return actorOrPosition(p, scope, what: "'facing away from' point").map { .facingAwayFrom($0) }
    case .facingDirectly(let p, let away):
      let what = away ? "'facing directly away from' point" : "'facing directly toward' target"
      return actorOrPosition(p, scope, what: what).map { .facingDirectly($0, away: away) }
    case .apparentlyFacing(let h, let from):
      let heading = expecting(h, angle, "'apparently facing' heading")
      let origin = from.map { actorOrPosition($0, scope, what: "'apparently facing … from' point") } ?? egoReference(scope, at: s.range)
      guard let heading, let origin else { return nil }
      return .apparentlyFacing(heading, from: origin)
    case .offset(let v, let along):
      let vector = expecting(v, .position, "'offset by' vector")
      var heading: TypedExpr?
      if let along {
        if let o = orientation(along, scope) {
          heading = o
        } else {
          guard let h = expecting(along, angle, "'offset along' heading") else { return nil }
          heading = h
        }
      }
      guard let vector, let origin = egoReference(scope, at: s.range) else { return nil }
      return .offset(vector: vector, along: heading, origin: origin)
    case .beyond(let target, let by, let from):
      let t = expecting(target, .position, "'beyond' point")
      let b = check(by, expected: nil, scope)
      var offset: TypedExpr?
      if accepts(length, b.type) {
        offset = promoteForParameter(b, length)
      } else if accepts(.position, b.type) {
        offset = promoteForParameter(b, .position)
      } else if !b.type.isError {
        report(
          SemaDiagnostics.typeMismatch(
            expected: "a Length or a Position", found: describe(b.type), unit: unitNote(b), at: b.range,
            what: "'beyond' offset"))
      }
      let origin = from.map { actorOrPosition($0, scope, what: "'beyond … from' point") } ?? egoReference(scope, at: s.range)
      guard let t, let offset, let origin else { return nil }
      return .beyond(target: t, by: offset, from: origin)
    case .vertical(let above, let reference, let distance):
      let what = above ? "above" : "below"
      let r = actorOrPosition(reference, scope, what: "'\(what)' reference")
      let d = distance.flatMap { expecting($0, length, "'\(what)' distance") }
      guard let r, distance == nil || d != nil else { return nil }
      return .vertical(reference: r, distance: d, sign: above ? 1 : -1)
    case .relative(let direction, let reference, let distance):
      let r = check(reference, expected: nil, scope)
      switch r.type {
      case .actor, .error: break
      case SemaType.orientedPoint:
        // An oriented point: its own frame, and the actor takes its heading (as from an actor).
        let d = distance.flatMap { expecting($0, length, "'\(direction.rawValue)' distance") }
        if distance != nil && d == nil { return nil }
        switch direction {
        case .ahead: return .relative(reference: r, distance: d, forwardSign: 1, leftSign: 0)
        case .behind: return .relative(reference: r, distance: d, forwardSign: -1, leftSign: 0)
        case .left: return .relative(reference: r, distance: d, forwardSign: 0, leftSign: 1)
        case .right: return .relative(reference: r, distance: d, forwardSign: 0, leftSign: -1)
        }
      case let t where accepts(.position, t):
        // A point: the offset is in the new actor's own frame (Scenic's rule for vectors).
        let d = distance.flatMap { expecting($0, length, "'\(direction.rawValue)' distance") }
        if distance != nil && d == nil { return nil }
        let p = promoteForParameter(r, .position)
        switch direction {
        case .ahead: return .relative(reference: p, distance: d, forwardSign: 1, leftSign: 0)
        case .behind: return .relative(reference: p, distance: d, forwardSign: -1, leftSign: 0)
        case .left: return .relative(reference: p, distance: d, forwardSign: 0, leftSign: 1)
        case .right: return .relative(reference: p, distance: d, forwardSign: 0, leftSign: -1)
        }
      default:
        report(SemaDiagnostics.notAnActor(direction.rawValue, found: describe(r.type), at: reference.range))
        return nil
      }
      let d = distance.flatMap { expecting($0, length, "'\(direction.rawValue)' distance") }
      if distance != nil && d == nil { return nil }
      switch direction {
      case .ahead: return .relative(reference: r, distance: d, forwardSign: 1, leftSign: 0)
      case .behind: return .relative(reference: r, distance: d, forwardSign: -1, leftSign: 0)
      case .left: return .relative(reference: r, distance: d, forwardSign: 0, leftSign: 1)
      case .right: return .relative(reference: r, distance: d, forwardSign: 0, leftSign: -1)
      }
    }
  }
}
