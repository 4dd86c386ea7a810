import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  func invalid(_ range: SourceRange) -> TypedExpr { TypedExpr(.invalid, type: .error, isRandom: false, range: range) }

  func constantExpr(_ v: ConstValue, _ type: SemaType, _ range: SourceRange) -> TypedExpr {
    TypedExpr(.constant(v), type: type, isRandom: false, constant: v, range: range)
  }

  /// Reports a type mismatch unless `actual` is acceptable where `expected` is wanted.
  @discardableResult
  func expectType(_ expected: SemaType, _ e: TypedExpr, what: String? = nil) -> Bool {
    if accepts(expected, e.type) { return true }
    if e.type == .headingField, expected == Self.angleType || expected == .orientation || expected == .bool {
      report(SemaDiagnostics.fieldAsValue("expected '\(describe(expected))'\(what.map { " for \($0)" } ?? "")", at: e.range))
      return false
    }
    report(
      SemaDiagnostics.typeMismatch(
        expected: describe(expected), found: describe(e.type), unit: unitNote(e),
        at: e.range, what: what))
    return false
  }

  func unitNote(_ e: TypedExpr) -> String? {
    if case .quantity(let d) = e.type, !d.isDimensionless { return unitSpelling(d) }
    return nil
  }

  /// Checks an expression. `expected` guides bare enum cases, tuple-vs-vector literals and
  /// list element types; the caller still checks the result against what it needs.
  func check(_ e: Expr, expected: SemaType?, _ scope: Scope) -> TypedExpr {
    guard expressionDepth < Checker.maxExpressionDepth else {
      if !reportedExpressionDepth {
        reportedExpressionDepth = true
        report(SemaDiagnostics.expressionsTooDeep(limit: Checker.maxExpressionDepth, at: e.range))
      }
      return invalid(e.range)
    }
    expressionDepth += 1
    defer { expressionDepth -= 1 }
    return checkExpression(e, expected: expected, scope)
  }

  private func checkExpression(_ e: Expr, expected: SemaType?, _ scope: Scope) -> TypedExpr {
    switch e.kind {
    case .missing: return invalid(e.range)
    case .integer(let text):
      guard let v = Int64(text.replacingOccurrences(of: "_", with: "")) else {
        report(SemaDiagnostics.integerOverflow(text, at: e.range))
        return invalid(e.range)
      }
      if case .quantity(let d)? = expected, d.isDimensionless {
        return constantExpr(.exactReal(Rational(integer: v)), .float, e.range)
      }
      return constantExpr(.int(v), .int, e.range)
    case .float(let text):
      if let r = Rational(decimal: text) { return constantExpr(.exactReal(r), .float, e.range) }
      guard let x = Double(text.replacingOccurrences(of: "_", with: "")), x.isFinite else {
        report(SemaDiagnostics.integerOverflow(text, at: e.range))
        return invalid(e.range)
      }
      return constantExpr(.real(x), .float, e.range)
    case .quantity(let number, let suffix):
      switch resolveUnit(suffix.text) {
      case .success(let unit):
        if let f = unit.factor, let v = Rational(decimal: number), let exact = v.multiplied(by: f) {
          return constantExpr(.exactReal(exact), .quantity(unit.dimension), e.range)
        }
        guard let x = unit.baseValue(ofDecimal: number), x.isFinite else {
          report(SemaDiagnostics.integerOverflow(number, at: e.range))
          return invalid(e.range)
        }
        return constantExpr(.real(x), .quantity(unit.dimension), e.range)
      case .failure(let error):
        reportUnitError(error, suffix: suffix, number: number, literal: e.range, scope: scope)
        return invalid(e.range)
      }
    case .string(let s): return constantExpr(.string(s), .string, e.range)
    case .bool(let b): return constantExpr(.bool(b), .bool, e.range)
    case .name(let id): return checkName(id, expected: expected, scope, range: e.range)
    case .selfActor:
      guard let t = scope.selfType else {
        report(SemaDiagnostics.selfOutsideBehavior(at: e.range))
        return invalid(e.range)
      }
      return TypedExpr(.selfActor, type: t, isRandom: true, range: e.range)
    case .ego:
      if let s = scope.scenario {
        guard let egoType = s.egoType(checker: self, scope: scope, at: e.range) else { return invalid(e.range) }
        return TypedExpr(.ego, type: egoType, isRandom: true, range: e.range)
      }
      if scope.selfType != nil || scope.inMonitor { return TypedExpr(.ego, type: .actor("Actor"), isRandom: true, range: e.range) }
      report(SemaDiagnostics.egoOutsideScenario(at: e.range))
      return invalid(e.range)
    case .member(let base, let name):
      return checkMember(base, name, scope, range: e.range)
    case .call(let callee, let args):
      return checkCall(callee, args, expected: expected, scope, range: e.range)
    case .index(let base, let index):
      let b = check(base, expected: nil, scope)
      let i = check(index, expected: .int, scope)
      expectType(.int, i, what: "list index")
      if case .tuple(let parts) = b.type {
        // A tuple's element by a constant index (Scenic's `t[1]`): its own type.
        guard !i.type.isError else { return invalid(e.range) }
        guard case .int(let k)? = i.constant else {
          report(SemaDiagnostics.tupleIndexNotConstant(describe(b.type), at: index.range))
          return invalid(e.range)
        }
        guard k >= 0 && k < parts.count else {
          report(SemaDiagnostics.indexOutOfRange(k, count: parts.count, at: index.range, tuple: true))
          return invalid(e.range)
        }
        var folded: ConstValue?
        if case .tuple(let xs)? = b.constant, xs.count == parts.count { folded = xs[Int(k)] }
        return TypedExpr(.index(b, i), type: parts[Int(k)], isRandom: b.isRandom, constant: folded, range: e.range)
      }
      guard case .list(let element) = b.type else {
        if !b.type.isError { report(SemaDiagnostics.notIndexable(describe(b.type), at: base.range)) }
        return invalid(e.range)
      }
      var folded: ConstValue?
      if case .list(let xs)? = b.constant, case .int(let k)? = i.constant {
        if k >= 0 && k < xs.count {
          folded = xs[Int(k)]
        } else {
          report(SemaDiagnostics.indexOutOfRange(k, count: xs.count, at: index.range))
        }
      }
      return TypedExpr(
        .index(b, i), type: element, isRandom: b.isRandom || i.isRandom, constant: folded,
        range: e.range)
    case .tuple(let es): return checkTuple(es, expected: expected, scope, range: e.range)
    case .list(let es): return checkList(es, expected: expected, scope, range: e.range)
    case .comprehension(let element, let binder, let sequence, let condition):
      let src = check(sequence, expected: nil, scope)
      let elementType = iterationType(src, at: sequence.range)
      var expectedElement: SemaType?
      if case .list(let t)? = expected { expectedElement = t }
      return scope.withLocal(binder.name, type: elementType) { slot in
        let el = check(element, expected: expectedElement, scope)
        let cond = condition.map { check($0, expected: .bool, scope) }
        if let cond { expectType(.bool, cond, what: "comprehension filter") }
        return TypedExpr(
          .comprehension(slot: slot, source: src, element: el, filter: cond), type: .list(el.type),
          isRandom: src.isRandom || el.isRandom || (cond?.isRandom ?? false), range: e.range)
      }
    case .range(let lo, let hi, let halfOpen):
      let a = check(lo, expected: .int, scope)
      let b = check(hi, expected: .int, scope)
      expectType(.int, a, what: "range bound")
      expectType(.int, b, what: "range bound")
      var folded: ConstValue?
      if case .int(let x)? = a.constant, case .int(let y)? = b.constant {
        let end = halfOpen ? y : y &+ 1
        if end - x <= 100_000 { folded = .list(x < end ? (x..<end).map { .int($0) } : []) }
      }
      return TypedExpr(
        .range(a, b, inclusive: !halfOpen), type: .list(.int), isRandom: a.isRandom || b.isRandom,
        constant: folded, range: e.range)
    case .unary(let op, let x):
      return checkUnary(op, x, expected: expected, scope, range: e.range)
    case .binary(let op, let a, let b):
      return checkBinary(op, a, b, expected: expected, scope, range: e.range)
    case .comparison(let first, let links):
      return checkComparison(first, links, scope, range: e.range)
    case .quantifier(let q, let binder, let sequence, let body):
      let src = check(sequence, expected: nil, scope)
      let elementType = iterationType(src, at: sequence.range)
      return scope.withLocal(binder.name, type: elementType) { slot in
        let b = check(body, expected: .bool, scope)
        expectType(.bool, b, what: "quantifier body")
        return TypedExpr(
          .quantifier(q == .all ? .all : .any, slot: slot, source: src, body: b), type: .bool,
          isRandom: src.isRandom || b.isRandom, range: e.range)
      }
    case .choice(let arms):
      return checkChoice(arms, expected: expected, scope, range: e.range)
    case .conditional(let condition, let whenTrue, let whenFalse):
      return checkConditional(condition, whenTrue, whenFalse, expected: expected, scope, range: e.range)
    case .slice(let base, let lower, let upper):
      return checkSlice(base, lower, upper, scope, range: e.range)
    case .spatial(let op, let operands):
      return checkSpatial(op, operands, scope, range: e.range)
    case .boxPoint(let point, let x):
      return checkBoxPoint(point, x, scope, range: e.range)
    case .record(let base, let fields):
      return checkConstruction(base, fields: fields, specifiers: [], scope, range: e.range)
    case .construction(let base, let specs):
      if case .record(let inner, let fields) = base.kind {
        return checkConstruction(inner, fields: fields, specifiers: specs, scope, range: e.range)
      }
      return checkConstruction(base, fields: [], specifiers: specs, scope, range: e.range)
    }
  }

  /// `if c then a else b`: a Bool condition and two branches of one type (an Int branch
  /// beside a Float one is promoted). Only the chosen branch is evaluated, so a draw in the
  /// other branch is simply not made; draws are keyed by site, so nothing else moves.
  func checkConditional(
    _ condition: Expr, _ whenTrue: Expr, _ whenFalse: Expr, expected: SemaType?, _ scope: Scope, range: SourceRange
  ) -> TypedExpr {
    let c = check(condition, expected: .bool, scope)
    expectType(.bool, c, what: "condition of 'if'")
    let a = check(whenTrue, expected: expected, scope)
    let b = check(whenFalse, expected: expected ?? (a.type.isError ? nil : a.type), scope)
    let type: SemaType
    if a.type.isError || b.type.isError {
      type = a.type.isError ? b.type : a.type
    } else if accepts(a.type, b.type) {
      type = a.type
    } else if accepts(b.type, a.type) {
      type = b.type
    } else {
      report(SemaDiagnostics.conditionalBranches(describe(a.type), describe(b.type), at: range,
                                                 highlights: [a.range, b.range]))
      return invalid(range)
    }
    var folded: ConstValue?
    if let chosen = c.constant?.bool {
      folded = (chosen ? a : b).constant.map { type == .int ? $0 : promoteConst($0) }
    }
    return TypedExpr(
      .conditional(c, promoteForParameter(a, type), promoteForParameter(b, type)), type: type,
      isRandom: c.isRandom || a.isRandom || b.isRandom, constant: folded, range: range)
  }

  /// `xs[lo:hi]`: the elements from `lo` up to (not including) `hi`, as in Python: a missing
  /// bound is the start or the end, a negative one counts from the end, and bounds outside
  /// the list are clamped. Lowered to the built-in `slice(xs, lo, hi)`.
  func checkSlice(_ base: Expr, _ lower: Expr?, _ upper: Expr?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    let b = check(base, expected: nil, scope)
    func bound(_ e: Expr?, _ missing: Int64) -> TypedExpr {
      guard let e else { return constantExpr(.int(missing), .int, range) }
      let v = check(e, expected: .int, scope)
      expectType(.int, v, what: "slice bound")
      return v
    }
    let lo = bound(lower, 0)
    let hi = bound(upper, Int64.max)
    guard case .list = b.type else {
      if !b.type.isError { report(SemaDiagnostics.notIndexable(describe(b.type), at: base.range)) }
      return invalid(range)
    }
    var folded: ConstValue?
    if case .list(let xs)? = b.constant, case .int(let l)? = lo.constant, case .int(let h)? = hi.constant {
      let r = Self.sliceBounds(count: xs.count, lower: l, upper: h)
      folded = .list(Array(xs[r]))
    }
    return TypedExpr(
      .native("slice", [b, lo, hi]), type: b.type, isRandom: b.isRandom || lo.isRandom || hi.isRandom,
      constant: folded, range: range)
  }

  /// Python's slice bounds for a list of `count` elements (the runtime uses the same rule).
  static func sliceBounds(count: Int, lower: Int64, upper: Int64) -> Range<Int> {
    func clamp(_ k: Int64) -> Int {
      let n = Int64(count)
      let v = k < 0 ? max(0, n &+ k) : min(k, n)
      return Int(v)
    }
    let l = clamp(lower), h = clamp(upper)
    return l..<max(l, h)
  }

  func resolveUnit(_ suffix: String) -> Result<ResolvedUnit, UnitError> {
    if let cached = unitCache[suffix] { return cached }
    let resolved = units.resolve(suffix)
    unitCache[suffix] = resolved
    return resolved
  }

  /// The element type when iterating `src` (a list or a range).
  func iterationType(_ src: TypedExpr, at range: SourceRange) -> SemaType {
    switch src.type {
    case .list(let t): return t
    case .tuple(let ts) where !ts.isEmpty && ts.allSatisfy({ $0 == ts[0] }):
      // A tuple whose elements share one type iterates like a list (Scenic's `for x in t`).
      return ts[0]
    case .error: return .error
    default:
      report(SemaDiagnostics.notIterable(describe(src.type), at: range))
      return .error
    }
  }

  // MARK: - Names

  func checkName(_ id: Identifier, expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    if id.isMissing { return invalid(range) }
    if let local = scope.lookupLocal(id.name) {
      return TypedExpr(.local(local.slot), type: local.type, isRandom: true, range: range)
    }
    if let s = scope.scenario, let ref = s.reference(id.name, checker: self, scope: scope, at: range) {
      return ref
    }
    // A bare enum case where an enum is expected wins over any global of the same name.
    if case .enumeration(let en)? = expected, enumCases[en]?.contains(id.name) == true {
      return constantExpr(.enumCase(type: en, name: id.name), .enumeration(en), range)
    }
    if case .list(.enumeration(let en))? = expected, enumCases[en]?.contains(id.name) == true {
      return constantExpr(.enumCase(type: en, name: id.name), .enumeration(en), range)
    }
    if let g = lookupGlobal(id.name, from: scope.file, at: id.range) {
      switch g.kind {
      case .constant:
        guard let value = constant(g.name) else { return invalid(range) }
        return TypedExpr(
          .globalConstant(name: g.name, value: value), type: value.type, isRandom: value.isRandom,
          constant: value.constant, range: range)
      case .variable:
        guard let initial = globalVariable(g.name) else { return invalid(range) }
        return globalVariableRead(g.name, initial: initial, range: range)
      case .actor:
        return checkConstruction(Expr(.name(id), range: range), fields: [], specifiers: [], scope, range: range)
      case .enumeration:
        report(SemaDiagnostics.typeAsValue(id.name, at: range))
        return invalid(range)
      case .function, .nativeFunction, .action, .behavior:
        report(SemaDiagnostics.functionAsValue(id.name, at: range))
        return invalid(range)
      default:
        report(SemaDiagnostics.typeAsValue(id.name, at: range))
        return invalid(range)
      }
    }
    // A case of exactly one enum may be written bare anywhere.
    let owners = enumCases.keys.sorted().filter { enumCases[$0]?.contains(id.name) == true }
    if owners.count == 1, let en = owners.first {
      if let expected, !accepts(expected, .enumeration(en)) {
        report(SemaDiagnostics.caseWhereNotEnum(id.name, enumName: en, expected: describe(expected), at: range))
        return invalid(range)
      }
      return constantExpr(.enumCase(type: en, name: id.name), .enumeration(en), range)
    }
    if let region = builtinRegion(id.name, range: range) { return region }
    var candidates = scope.valueNames(checker: self)
    if case .enumeration(let en)? = expected { candidates += enumCases[en] ?? [] }
    report(SemaDiagnostics.unknownName(id.name, at: range, suggestion: nearest(id.name, in: candidates)))
    return invalid(range)
  }

  /// A mutable global's initial value, checked once: a constant (E0295 otherwise), of the
  /// declared type when one is given (docs/language-tour.md, "Mutable globals").
  func globalVariable(_ name: String) -> TypedExpr? {
    if let cached = constCache[name] {
      if case .done(let t) = cached { return t }
      if let g = globals[name], let id = g.decl.name {
        report(SemaDiagnostics.definitionCycle([name, name], at: id.range))
      }
      return nil
    }
    guard let g = globals[name], case .variable(_, let te, let value) = g.decl.kind else { return nil }
    constCache[name] = .inProgress
    let declared = te.map { resolveType($0, file: g.file) }
    var typed = check(value, expected: declared, Scope(file: g.file))
    if let declared, !declared.isError {
      expectType(declared, typed, what: "initial value of '\(name)'")
      typed = promoteForParameter(typed, declared)
    }
    guard typed.type.isError || (!typed.isRandom && typed.constant != nil) else {
      report(SemaDiagnostics.globalVariableNotConstant(name, at: value.range))
      constCache[name] = .done(invalid(value.range))
      return nil
    }
    constCache[name] = .done(typed)
    return typed.type.isError ? nil : typed
  }

  /// A read of mutable global `name`: the runtime's current value (its initial value
  /// outside a simulation), by the native `global_var(name, initial)`.
  func globalVariableRead(_ name: String, initial: TypedExpr, range: SourceRange) -> TypedExpr {
    let key = ConstValue.string(name)
    let nameArg = TypedExpr(.constant(key), type: .string, isRandom: false, constant: key, range: range)
    let start = TypedExpr(initial.kind, type: initial.type, isRandom: false, constant: initial.constant, range: range)
    return TypedExpr(.native("global_var", [nameArg, start]), type: initial.type, isRandom: true, range: range)
  }

  /// A global constant's checked value (cycle-safe).
  func constant(_ name: String) -> TypedExpr? {
    if let cached = constCache[name] {
      if case .done(let t) = cached { return t }
      if let g = globals[name], let id = g.decl.name {
        report(SemaDiagnostics.definitionCycle([name, name], at: id.range))
      }
      return nil
    }
    guard let g = globals[name], case .const(_, let te, let value) = g.decl.kind else { return nil }
    guard nesting < maxNesting else {
      report(SemaDiagnostics.nestedTooDeeply(name, at: g.decl.name?.range ?? g.decl.range))
      return nil
    }
    nesting += 1
    defer { nesting -= 1 }
    constCache[name] = .inProgress
    let declared = te.map { resolveType($0, file: g.file) }
    let typed = check(value, expected: declared, Scope(file: g.file))
    if let declared { expectType(declared, typed) }
    if typed.isRandom { report(SemaDiagnostics.randomConstant(name, at: value.range)) }
    let result =
      declared.map { d in
        TypedExpr(
          typed.kind, type: d.isError ? typed.type : d, isRandom: typed.isRandom, constant: typed.constant,
          range: typed.range)
      } ?? typed
    constCache[name] = .done(result)
    return result
  }

  // MARK: - Members

  func checkMember(_ base: Expr, _ name: Identifier, _ scope: Scope, range: SourceRange) -> TypedExpr {
    // `Weather.rain`: a qualified enum case.
    if case .name(let id) = base.kind, scope.lookupLocal(id.name) == nil, scope.scenario?.hasMember(id.name) != true,
      let g = lookupGlobal(id.name, from: scope.file, at: id.range, report: false), g.kind == .enumeration
    {
      let cases = enumCases[g.name] ?? []
      guard cases.contains(name.name) else {
        report(
          SemaDiagnostics.unknownField(
            name.name, of: id.name, at: name.range, suggestion: nearest(name.name, in: cases)))
        return invalid(range)
      }
      return constantExpr(.enumCase(type: g.name, name: name.name), .enumeration(g.name), range)
    }
    let b = check(base, expected: nil, scope)
    func fieldExpr(_ t: SemaType, constant: ConstValue? = nil) -> TypedExpr {
      TypedExpr(.field(b, name.name), type: t, isRandom: b.isRandom, constant: constant, range: range)
    }
    if let mapMember = checkMapMember(b, name, range: range) { return mapMember }
    switch b.type {
    case .error: return invalid(range)
    case .material(let n):
      return materialMember(b, material: n, name, range: range)
    case .actor(let n), .sensor(let n):
      if let t = fieldType(of: n, name.name) { return fieldExpr(t) }
      report(
        SemaDiagnostics.unknownField(
          name.name, of: n, at: name.range,
          suggestion: nearest(name.name, in: fieldNames(of: n))))
      return invalid(range)
    case .vector(let d):
      let axes = ["x", "y", "z"]
      guard let axis = axes.firstIndex(of: name.name) else {
        report(
          SemaDiagnostics.unknownField(
            name.name, of: describe(b.type), at: name.range,
            suggestion: nearest(name.name, in: axes)))
        return invalid(range)
      }
      var folded: ConstValue?
      if case .tuple(let xs)? = b.constant, xs.count == 3 { folded = xs[axis] }
      return fieldExpr(d.map(SemaType.quantity) ?? .error, constant: folded)
    case let t where t == SemaType.orientedPoint:
      let members = ["position", "heading", "pitch", "roll"]
      guard let i = members.firstIndex(of: name.name) else {
        report(
          SemaDiagnostics.unknownField(
            name.name, of: describe(b.type), at: name.range, suggestion: nearest(name.name, in: members)))
        return invalid(range)
      }
      var folded: ConstValue?
      if case .tuple(let xs)? = b.constant, xs.count == 4 { folded = xs[i] }
      return fieldExpr(i == 0 ? .position : .quantity(Dimension(base: "Angle")), constant: folded)
    case .tuple(let ts) where ts.count == 3 && ts.allSatisfy({ $0 == .float }):
      let channels = ["r", "g", "b"]
      guard let i = channels.firstIndex(of: name.name) else {
        report(
          SemaDiagnostics.unknownField(
            name.name, of: describe(b.type), at: name.range,
            suggestion: nearest(name.name, in: channels)))
        return invalid(range)
      }
      var folded: ConstValue?
      if case .tuple(let xs)? = b.constant, xs.count == 3 { folded = xs[i] }
      return fieldExpr(.float, constant: folded)
    case .list:
      report(
        SemaDiagnostics.unknownField(
          name.name, of: describe(b.type), at: name.range, suggestion: nil,
          hint: "the length of a list is 'len(\(text(base.range)))'"))
      return invalid(range)
    default:
      report(SemaDiagnostics.unknownField(name.name, of: describe(b.type), at: name.range, suggestion: nil))
      return invalid(range)
    }
  }

  // MARK: - Tuples and lists

  func checkTuple(_ es: [Expr], expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    var elementExpectations: [SemaType?] = Array(repeating: nil, count: es.count)
    var wantsVector = false
    var vectorDimension: Dimension?
    switch expected {
    case .vector(let d)? where es.count == 3:
      wantsVector = true
      vectorDimension = d
      elementExpectations = Array(repeating: d.map(SemaType.quantity), count: 3)
    case .tuple(let ts)? where ts.count == es.count:
      elementExpectations = ts
    default: break
    }
    let xs = zip(es, elementExpectations).map { check($0, expected: $1, scope) }
    let random = xs.contains { $0.isRandom }
    let folded: ConstValue? = xs.allSatisfy { $0.constant != nil } ? .tuple(xs.compactMap(\.constant)) : nil
    let dims = xs.compactMap(\.type.numericDimension)
    let uniform = xs.count == 3 && dims.count == 3 && dims.allSatisfy { $0 == dims[0] }
    if wantsVector || (expected == nil && uniform && !dims[0].isDimensionless) {
      if xs.count == 3, uniform || xs.contains(where: { $0.type.isError }) {
        let d = dims.first(where: { _ in uniform }) ?? vectorDimension
        let promoted = xs.map { promoteIntToFloat($0) }
        return TypedExpr(
          .vector(promoted[0], promoted[1], promoted[2]), type: .vector(d), isRandom: random,
          constant: folded.map(promoteConst), range: range)
      }
    }
    var types = xs.map(\.type)
    if case .tuple(let ts)? = expected, ts.count == types.count {
      types = zip(ts, types).map { accepts($0, $1) ? $0 : $1 }
    }
    return TypedExpr(.tuple(xs), type: .tuple(types), isRandom: random, constant: folded, range: range)
  }

  func promoteIntToFloat(_ e: TypedExpr) -> TypedExpr {
    guard e.type == .int else { return e }
    return TypedExpr(
      e.kind, type: .float, isRandom: e.isRandom, constant: e.constant.map(promoteConst),
      range: e.range)
  }

  func promoteConst(_ v: ConstValue) -> ConstValue {
    switch v {
    case .int(let i): .exactReal(Rational(integer: i))
    case .tuple(let xs): .tuple(xs.map(promoteConst))
    default: v
    }
  }

  func checkList(_ es: [Expr], expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    var elementExpected: SemaType?
    if case .list(let t)? = expected { elementExpected = t }
    var xs: [TypedExpr] = []
    var elementType = elementExpected
    for e in es {
      let x = check(e, expected: elementType, scope)
      if let t = elementType {
        if !x.type.isError, !accepts(t, x.type) {
          report(SemaDiagnostics.listElementMismatch(expected: describe(t), found: describe(x.type), at: x.range))
        }
      } else if !x.type.isError {
        elementType = x.type
      }
      xs.append(x)
    }
    let folded: ConstValue? = xs.allSatisfy { $0.constant != nil } ? .list(xs.compactMap(\.constant)) : nil
    return TypedExpr(
      .list(xs), type: .list(elementType ?? .error), isRandom: xs.contains { $0.isRandom },
      constant: folded, range: range)
  }
}
