import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  func checkCall(
    _ callee: Expr, _ args: [Argument], expected: SemaType?, _ scope: Scope, range: SourceRange
  )
    -> TypedExpr
  {
    guard case .name(let id) = callee.kind, !id.isMissing else {
      _ = check(callee, expected: nil, scope)
      for a in args { _ = check(a.value, expected: nil, scope) }
      report(SemaDiagnostics.notCallable(text(callee.range), at: callee.range))
      return invalid(range)
    }
    if scope.lookupLocal(id.name) != nil || scope.scenario?.hasMember(id.name) == true {
      report(SemaDiagnostics.notCallable(id.name, at: callee.range))
      return invalid(range)
    }
    if let dist = DistributionKind(rawValue: id.name) {
      if dist == .empirical { return checkEmpirical(args, expected: expected, scope, range: range) }
      return checkDistribution(dist, args, expected: expected, scope, range: range, nameRange: id.range)
    }
    if id.name == "heading_field", globals[id.name] == nil { return checkHeadingFieldCall(id, args, scope, range: range) }
    if id.name == "resample", globals[id.name] == nil { return checkResample(id, args, scope, range: range) }
    if let builtin = checkBuiltinCall(id, args, scope, range: range) { return builtin }
    guard let g = lookupGlobal(id.name, from: scope.file, at: id.range) else {
      let candidates =
        visibleNames(from: scope.file, kinds: [.function, .nativeFunction, .action, .behavior])
        + DistributionKind.allCases.map(\.rawValue) + builtinFunctionNames
      for a in args { _ = check(a.value, expected: nil, scope) }
      report(SemaDiagnostics.unknownName(id.name, at: id.range, suggestion: nearest(id.name, in: candidates)))
      return invalid(range)
    }
    switch g.kind {
    case .function, .nativeFunction, .action, .behavior:
      guard let sig = signature(g.name) else {
        // Only a call inside its own signature (a parameter default) has none yet.
        report(SemaDiagnostics.definitionCycle([g.name, g.name], at: id.range))
        return invalid(range)
      }
      guard let typedArgs = matchArguments(sig, args, callee: id, scope, range: range) else { return invalid(range) }
      let random = typedArgs.contains { $0.isRandom }
      if Self.roadCallables.contains(g.name), files[g.file].isStdLib { checkRoadArguments(g.name, typedArgs) }
      // A call given an actor or sensor reads the sampled (and simulated) scene, so its
      // value varies between samples even when the actor's specification is constant.
      let readsScene = typedArgs.contains {
        if case .actor = $0.type { true } else if case .sensor = $0.type { true } else { false }
      }
      switch g.kind {
      case .function:
        let folded = random || readsScene ? nil : foldCall(g.name, typedArgs)
        return TypedExpr(
          .call(g.name, typedArgs), type: sig.result, isRandom: random || readsScene, constant: folded, range: range)
      case .nativeFunction where g.name == "map" && files[g.file].isStdLib:
        return checkMapCall(typedArgs, scope, range: range)
      case .nativeFunction:
        return TypedExpr(.native(g.name, typedArgs), type: sig.result, isRandom: random || readsScene, range: range)
      default:
        return TypedExpr(.invoke(g.name, typedArgs), type: .behavior, isRandom: random, range: range)
      }
    default:
      for a in args { _ = check(a.value, expected: nil, scope) }
      report(SemaDiagnostics.notCallable(id.name, at: id.range))
      return invalid(range)
    }
  }

  /// `resample(x)` with x a scenario `let` bound to one distribution (`let x = uniform(0m,
  /// 1m)`): another, independent draw from that distribution (Scenic's `resample`). The
  /// distribution's arguments are read, not redrawn: they may name other values (those
  /// stay one draw each) but may not draw themselves. Anything else is E0294.
  func checkResample(_ id: Identifier, _ args: [Argument], _ scope: Scope, range: SourceRange) -> TypedExpr {
    func refuse(_ found: String, at r: SourceRange) -> TypedExpr {
      report(SemaDiagnostics.resampleArgument(found, at: r))
      return invalid(range)
    }
    guard args.count == 1, args[0].label == nil else {
      for a in args { _ = check(a.value, expected: nil, scope) }
      report(SemaDiagnostics.argumentCount(id.name, expected: 1, found: args.count, at: range))
      return invalid(range)
    }
    let arg = args[0].value
    guard case .name(let x) = arg.kind, scope.lookupLocal(x.name) == nil, let s = scope.scenario,
      let slot = s.members[x.name], slot.kind == .letValue
    else {
      let v = check(arg, expected: nil, scope)
      if v.type.isError { return invalid(range) }
      return refuse("an expression", at: arg.range)
    }
    let ref = check(arg, expected: nil, scope)
    guard !ref.type.isError, let typed = slot.typed else { return invalid(range) }
    /// Whether a subtree draws (a distribution or `choice`), and the members it reads.
    func draws(_ e: TypedExpr) -> Bool {
      switch e.kind {
      case .draw, .choice: return true
      case .member(let r):
        scope.noteRead(r)
        return false
      default: return e.children.contains(where: draws)
      }
    }
    let operands: [TypedExpr]
    switch typed.kind {
    case .draw(let kind, let xs) where kind != .empirical: operands = xs
    case .choice(let w, let a): operands = w + a
    default: return refuse("'\(x.name)', which is not bound to a distribution", at: arg.range)
    }
    if operands.contains(where: draws) {
      return refuse("'\(x.name)', a distribution whose arguments draw too", at: arg.range)
    }
    return TypedExpr(typed.kind, type: typed.type, isRandom: true, constant: nil, range: range)
  }

  var builtinFunctionNames: [String] {
    ["abs", "atan2", "ceil", "div", "floor", "len", "max", "min", "oriented", "round", "sqrt"]
  }

  /// `len`, `abs`, `min`, `max`, `sqrt`, `atan2`, `floor`, `ceil`, `round`, `div`: generic
  /// helpers no `native fn` line can type.
  func checkBuiltinCall(_ id: Identifier, _ args: [Argument], _ scope: Scope, range: SourceRange) -> TypedExpr? {
    guard builtinFunctionNames.contains(id.name), globals[id.name] == nil else { return nil }
    let xs = args.map { check($0.value, expected: nil, scope) }
    for a in args where a.label != nil {
      report(SemaDiagnostics.unknownArgumentLabel(a.label?.name ?? "", callee: id.name, at: a.range, suggestion: nil))
    }
    let random = xs.contains { $0.isRandom }
    /// Two numbers of one dimension (`atan2(y, x)`, `div(a, b)`).
    func sameDimension() -> Bool {
      guard xs.count == 2, !xs[0].type.isError, !xs[1].type.isError else { return false }
      for (i, x) in xs.enumerated() where x.type.numericDimension == nil {
        report(
          SemaDiagnostics.typeMismatch(
            expected: "a number", found: describe(x.type), unit: nil, at: x.range,
            what: "argument \(i + 1) of '\(id.name)'"))
        return false
      }
      if xs[0].type.numericDimension == xs[1].type.numericDimension { return true }
      report(
        SemaDiagnostics.typeMismatch(
          expected: describe(xs[0].type), found: describe(xs[1].type), unit: unitNote(xs[1]), at: xs[1].range,
          what: "argument 2 of '\(id.name)' (both arguments have one dimension)"))
      return false
    }
    func arity(_ n: Int) -> Bool {
      if xs.count == n { return true }
      report(SemaDiagnostics.argumentCount(id.name, expected: n, found: xs.count, at: range))
      return false
    }
    switch id.name {
    case "len":
      guard arity(1) else { return invalid(range) }
      if case .tuple(let parts) = xs[0].type {
        // A tuple's length is part of its type.
        let n = ConstValue.int(Int64(parts.count))
        return TypedExpr(.constant(n), type: .int, isRandom: false, constant: n, range: range)
      }
      guard case .list = xs[0].type else {
        if !xs[0].type.isError {
          report(
            SemaDiagnostics.typeMismatch(
              expected: "a list", found: describe(xs[0].type), unit: nil, at: xs[0].range, what: nil))
        }
        return invalid(range)
      }
      var folded: ConstValue?
      if case .list(let vs)? = xs[0].constant { folded = .int(Int64(vs.count)) }
      return TypedExpr(.native("len", xs), type: .int, isRandom: random, constant: folded, range: range)
    case "abs", "sqrt":
      guard arity(1) else { return invalid(range) }
      guard let d = xs[0].type.numericDimension else {
        if !xs[0].type.isError {
          report(
            SemaDiagnostics.typeMismatch(
              expected: "a number", found: describe(xs[0].type), unit: nil, at: xs[0].range, what: nil))
        }
        return invalid(range)
      }
      if id.name == "abs" {
        var folded: ConstValue?
        switch xs[0].constant {
        case .int(let i)? where i != .min: folded = .int(abs(i))
        case .real(let x, let e)?: folded = .real(abs(x), exact: e.flatMap { $0 < .zero ? $0.negated : $0 })
        default: break
        }
        return TypedExpr(.native("abs", xs), type: xs[0].type, isRandom: random, constant: folded, range: range)
      }
      guard d.factors.allSatisfy({ $0.exponent % 2 == 0 }) else {
        report(
          SemaDiagnostics.typeMismatch(
            expected: "a squared quantity", found: describe(xs[0].type), unit: nil, at: xs[0].range, what: nil))
        return invalid(range)
      }
      let root = Dimension(exponents: d.factors.map { ($0.base, $0.exponent / 2) })
      return TypedExpr(
        .native("sqrt", [promoteIntToFloat(xs[0])]), type: .quantity(root), isRandom: random,
        range: range)
    case "oriented":
      // oriented(R, F): region R whose points carry heading field F's orientation, which an
      // actor placed on or in R without `facing` takes (docs/language-tour.md, "Heading fields").
      guard arity(2) else { return invalid(range) }
      var ok = true
      for (i, (x, want)) in zip(xs, [SemaType.region, .headingField]).enumerated() where x.type != want {
        if !x.type.isError {
          report(
            SemaDiagnostics.typeMismatch(
              expected: describe(want), found: describe(x.type), unit: nil, at: x.range,
              what: "argument \(i + 1) of 'oriented' (a region, then a heading field)"))
        }
        ok = false
      }
      guard ok else { return invalid(range) }
      return TypedExpr(.native("oriented", xs), type: .region, isRandom: random, range: range)
    case "atan2":
      // atan2(y, x): the heading of the vector (x, y), in (-180deg, 180deg]; y and x of one dimension.
      guard arity(2), sameDimension() else { return invalid(range) }
      // Not folded: the checker has no libm; the runtime computes it (like `sin` and `cos`).
      return TypedExpr(
        .native("atan2", xs.map(promoteIntToFloat)), type: .quantity(Dimension(base: "Angle")), isRandom: random,
        range: range)
    case "floor", "ceil", "round":
      guard arity(1) else { return invalid(range) }
      if xs[0].type == .int { return xs[0] }
      guard xs[0].type == .float else {
        if !xs[0].type.isError {
          report(SemaDiagnostics.notAFloat(id.name, found: describe(xs[0].type), unit: unitNote(xs[0]), at: xs[0].range))
        }
        return invalid(range)
      }
      var folded: ConstValue?
      if let x = xs[0].constant?.number, let k = Self.roundedToInt(id.name, x) { folded = .int(k) }
      return TypedExpr(.native(id.name, xs), type: .int, isRandom: random, constant: folded, range: range)
    case "div":
      // div(a, b): whole-number division rounding toward -infinity (Python's `//`), an Int.
      // Two Ints, or two quantities of one dimension (how many whole b fit in a).
      guard arity(2), sameDimension() else { return invalid(range) }
      let allInt = xs.allSatisfy { $0.type == .int }
      var folded: ConstValue?
      if allInt, case .int(let a)? = xs[0].constant, case .int(let b)? = xs[1].constant, let q = Self.floorDivide(a, b) {
        folded = .int(q)
      } else if !allInt, let a = xs[0].constant?.number, let b = xs[1].constant?.number, b != 0,
        let k = Self.roundedToInt("floor", a / b)
      {
        folded = .int(k)
      }
      return TypedExpr(
        .native("div", allInt ? xs : xs.map(promoteIntToFloat)), type: .int, isRandom: random, constant: folded,
        range: range)
    default:  // min, max
      if xs.count == 1, case .list(let element) = xs[0].type {
        // `max(xs)`: the largest element of a list of numbers (Scenic's `max(*xs)`); an empty
        // list stops the sample with E0541.
        guard let d = element.numericDimension else {
          report(
            SemaDiagnostics.typeMismatch(
              expected: "a list of numbers", found: describe(xs[0].type), unit: nil, at: xs[0].range,
              what: "the argument of '\(id.name)'"))
          return invalid(range)
        }
        return TypedExpr(
          .native(id.name + "_of_list", xs), type: element == .int ? .int : .quantity(d), isRandom: random,
          range: range)
      }
      guard xs.count >= 2 else {
        report(SemaDiagnostics.argumentCount(id.name, expected: 2, found: xs.count, at: range))
        return invalid(range)
      }
      let ok = xs.dropFirst().allSatisfy { comparable(.lt, xs[0], $0, operatorRange: $0.range) }
      guard ok, let d = xs[0].type.numericDimension else { return invalid(range) }
      let allInt = xs.allSatisfy { $0.type == .int }
      return TypedExpr(
        .native(id.name, allInt ? xs : xs.map(promoteIntToFloat)),
        type: allInt ? .int : .quantity(d), isRandom: random, range: range)
    }
  }

  /// `floor`, `ceil` or `round` (half to even, as Python's `round`) of `x` as an Int, or nil
  /// when the result is not finite or leaves the Int range.
  static func roundedToInt(_ name: String, _ x: Double) -> Int64? {
    let r: Double
    switch name {
    case "floor": r = x.rounded(.down)
    case "ceil": r = x.rounded(.up)
    default: r = x.rounded(.toNearestOrEven)
    }
    guard r.isFinite, r >= -9.223_372_036_854_775_808e18, r < 9.223_372_036_854_775_808e18 else { return nil }
    return Int64(r)
  }

  /// `a` divided by `b` rounded toward -infinity, or nil for a zero divisor or an overflow.
  static func floorDivide(_ a: Int64, _ b: Int64) -> Int64? {
    guard b != 0, !(a == .min && b == -1) else { return nil }
    let q = a / b
    return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q
  }

  /// Matches arguments to parameters: positional ones first, in order, then labelled ones
  /// by name; a missing parameter takes its default. Returns the arguments in parameter order.
  func matchArguments(
    _ sig: Signature, _ args: [Argument], callee: Identifier, _ scope: Scope, range: SourceRange
  )
    -> [TypedExpr]?
  {
    var slots: [TypedExpr?] = Array(repeating: nil, count: sig.parameters.count)
    var ok = true
    var nextPositional = 0
    for a in args {
      let index: Int
      if let label = a.label {
        guard let i = sig.parameters.firstIndex(where: { $0.name == label.name }) else {
          _ = check(a.value, expected: nil, scope)
          report(
            SemaDiagnostics.unknownArgumentLabel(
              label.name, callee: callee.name, at: label.range,
              suggestion: nearest(label.name, in: sig.parameters.map(\.name))))
          ok = false
          continue
        }
        index = i
      } else {
        while nextPositional < slots.count, slots[nextPositional] != nil { nextPositional += 1 }
        guard nextPositional < slots.count else {
          _ = check(a.value, expected: nil, scope)
          report(
            SemaDiagnostics.argumentCount(
              callee.name, expected: sig.parameters.count, found: args.count,
              at: a.value.range))
          ok = false
          continue
        }
        index = nextPositional
      }
      if slots[index] != nil {
        report(SemaDiagnostics.duplicateArgument(sig.parameters[index].name, at: a.range))
        ok = false
        continue
      }
      let p = sig.parameters[index]
      let v = check(a.value, expected: p.type, scope)
      if !expectType(p.type, v, what: "argument '\(p.name)' of '\(callee.name)'") { ok = false }
      slots[index] = promoteForParameter(v, p.type)
    }
    var result: [TypedExpr] = []
    var missing: [String] = []
    for (i, p) in sig.parameters.enumerated() {
      if let v = slots[i] {
        result.append(v)
      } else if let d = p.defaultValue {
        result.append(d)
      } else {
        missing.append(p.name)
      }
    }
    if ok, !missing.isEmpty {
      report(SemaDiagnostics.missingArguments(missing, callee: callee.name, at: range))
      return nil
    }
    return ok && missing.isEmpty ? result : nil
  }

  func promoteForParameter(_ v: TypedExpr, _ t: SemaType) -> TypedExpr {
    if case .quantity = t { return promoteIntToFloat(v) }
    return v
  }

  /// A callable's signature (cycle-safe: a default value may call another function).
  func signature(_ name: String) -> Signature? {
    if let cached = signatureCache[name] {
      if case .done(let s) = cached { return s }
      return nil
    }
    guard let g = globals[name] else { return nil }
    let params: [Parameter]
    var result: SemaType = .behavior
    var resultExpr: TypeExpr?
    switch g.decl.kind {
    case .function(_, let ps, let rt, _):
      params = ps
      resultExpr = rt
    case .nativeFunction(_, let ps, let rt):
      params = ps
      resultExpr = rt
    case .nativeAction(_, let ps), .behavior(_, let ps, _, _), .monitor(_, let ps, _):
      params = ps
    default: return nil
    }
    signatureCache[name] = .inProgress
    var seen: Set<String> = []
    var parameters: [Signature.Parameter] = []
    for p in params where !p.name.isMissing {
      if seen.contains(p.name.name) {
        report(SemaDiagnostics.duplicateDefinition(p.name.name, at: p.name.range, previous: nil))
      }
      seen.insert(p.name.name)
      var type: SemaType = .error
      if let t = p.type {
        type = resolveType(t, file: g.file)
      } else if p.defaultValue == nil {
        report(SemaDiagnostics.parameterNeedsType(p.name.name, at: p.name.range))
      }
      var def: TypedExpr?
      if let d = p.defaultValue {
        let v = check(d, expected: p.type == nil ? nil : type, Scope(file: g.file))
        if p.type == nil { type = v.type } else { expectType(type, v) }
        def = promoteForParameter(v, type)
      }
      parameters.append(.init(name: p.name.name, type: type, defaultValue: def))
    }
    if let resultExpr { result = resolveType(resultExpr, file: g.file) }
    if case .function(_, _, nil, let body) = g.decl.kind {
      // No declared result: infer it from the body (parameters bound as locals).
      let scope = Scope(file: g.file)
      result = bindParameters(parameters, scope) { check(body, expected: nil, scope).type }
    }
    let sig = Signature(parameters: parameters, result: result)
    signatureCache[name] = .done(sig)
    return sig
  }

  func bindParameters<T>(_ ps: [Signature.Parameter], _ scope: Scope, _ body: () -> T) -> T {
    func go(_ i: Int) -> T {
      if i == ps.count { return body() }
      return scope.withLocal(ps[i].name, type: ps[i].type) { _ in go(i + 1) }
    }
    return go(0)
  }

  func checkFunctionBody(_ g: GlobalSymbol) {
    guard checkedFunctions[g.name] == nil, !functionsInProgress.contains(g.name),
      case .function(_, _, let rt, let body) = g.decl.kind, let sig = signature(g.name)
    else { return }
    functionsInProgress.insert(g.name)
    defer { functionsInProgress.remove(g.name) }
    let scope = Scope(file: g.file)
    let typed = bindParameters(sig.parameters, scope) { check(body, expected: sig.result, scope) }
    if rt != nil { expectType(sig.result, typed, what: "result of '\(g.name)'") }
    checkedFunctions[g.name] = CheckedFunction(
      name: g.name, parameters: sig.parameters.map { ($0.name, $0.type) },
      result: sig.result, body: promoteForParameter(typed, sig.result))
  }

  /// Evaluates a call of a user `fn` on constant arguments, so `rgb(0.5, 0.5, 0.5)` folds.
  func foldCall(_ name: String, _ args: [TypedExpr]) -> ConstValue? {
    guard let f = checkedFunctions[name] ?? functionForFolding(name) else { return nil }
    let values = args.compactMap(\.constant)
    guard values.count == args.count else { return nil }
    return ConstantEvaluator(checker: self, locals: values).evaluate(f.body)
  }

  private func functionForFolding(_ name: String) -> CheckedFunction? {
    guard let g = globals[name], g.kind == .function else { return nil }
    checkFunctionBody(g)
    return checkedFunctions[name]
  }
}
