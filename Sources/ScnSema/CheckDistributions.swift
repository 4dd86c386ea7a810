import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  private func parameterNames(_ d: DistributionKind) -> [String] {
    switch d {
    case .uniform, .uniformInt: ["a", "b"]
    case .normal: ["mean", "sd"]
    case .truncnormal: ["mean", "sd", "lo", "hi"]
    case .lognormal: ["mu", "sigma"]
    case .bernoulli: ["p"]
    case .oneOf: []
    case .shuffle: ["xs"]
    case .sample: ["xs", "k"]
    case .empirical: ["path", "column", "unit", "bandwidth"]
    }
  }

  /// Checks a distribution call: argument types (generic over dimension), then constant
  /// arguments that can never be sampled (`normal(0m, -1m)`, `uniform(5m, 1m)` …).
  func checkDistribution(
    _ d: DistributionKind, _ args: [Argument], expected: SemaType?, _ scope: Scope,
    range: SourceRange, nameRange: SourceRange
  ) -> TypedExpr {
    let names = parameterNames(d)
    // Order arguments by parameter: positional first, then labels.
    var ordered: [Argument?] = Array(repeating: nil, count: names.count)
    var extra: [Argument] = []
    var next = 0
    for a in args {
      if let label = a.label {
        guard let i = names.firstIndex(of: label.name) else {
          report(
            SemaDiagnostics.unknownArgumentLabel(
              label.name, callee: d.rawValue, at: label.range,
              suggestion: nearest(label.name, in: names)))
          _ = check(a.value, expected: nil, scope)
          return invalid(range)
        }
        ordered[i] = a
      } else {
        while next < ordered.count, ordered[next] != nil { next += 1 }
        if next < ordered.count { ordered[next] = a } else { extra.append(a) }
      }
    }
    if d == .oneOf {
      guard !extra.isEmpty else {
        report(SemaDiagnostics.noAlternatives(d.rawValue, at: range))
        return invalid(range)
      }
      var xs: [TypedExpr] = []
      var type = expected
      for a in extra {
        let x = check(a.value, expected: type, scope)
        if let t = type, !accepts(t, x.type), !(t == .int && x.type == .float) {
          expectType(t, x, what: "alternative of 'one_of'")
        } else if type == nil || type == .int && x.type == .float {
          type = x.type
        }
        xs.append(x)
      }
      let t = type ?? .error
      return TypedExpr(.draw(.oneOf, xs.map { promoteForParameter($0, t) }), type: t, isRandom: true, range: range)
    }
    guard extra.isEmpty, ordered.allSatisfy({ $0 != nil }) else {
      for a in args { _ = check(a.value, expected: nil, scope) }
      report(SemaDiagnostics.argumentCount(d.rawValue, expected: names.count, found: args.count, at: range))
      return invalid(range)
    }
    let given = ordered.compactMap { $0 }
    switch d {
    case .uniform, .normal, .truncnormal:
      var xs: [TypedExpr] = []
      var dimension: Dimension?
      if case .quantity(let e)? = expected { dimension = e }
      for a in given {
        let x = check(a.value, expected: dimension.map(SemaType.quantity) ?? .float, scope)
        if let xd = x.type.numericDimension {
          if let dimension, dimension != xd {
            report(
              SemaDiagnostics.distributionDimension(
                d.rawValue, expected: describe(dimension), found: describe(xd),
                at: x.range))
            return invalid(range)
          }
          dimension = xd
        } else if !x.type.isError {
          report(
            SemaDiagnostics.typeMismatch(
              expected: "a number or quantity", found: describe(x.type), unit: nil,
              at: x.range, what: "argument of '\(d.rawValue)'"))
          return invalid(range)
        }
        xs.append(promoteIntToFloat(x))
      }
      validateReal(d, xs, range: range)
      return TypedExpr(.draw(d, xs), type: .quantity(dimension ?? .dimensionless), isRandom: true, range: range)
    case .uniformInt:
      let xs = given.map { check($0.value, expected: .int, scope) }
      for x in xs { expectType(.int, x, what: "argument of 'uniform_int'") }
      if case .int(let a)? = xs[0].constant, case .int(let b)? = xs[1].constant, a > b {
        report(
          SemaDiagnostics.reversedBounds(
            d.rawValue, at: range, highlights: [xs[0].range, xs[1].range],
            swap: swapFix(xs[0].range, xs[1].range)))
      }
      return TypedExpr(.draw(d, xs), type: .int, isRandom: true, range: range)
    case .lognormal, .bernoulli:
      let xs = given.map { promoteIntToFloat(check($0.value, expected: .float, scope)) }
      for x in xs { expectType(.float, x, what: "argument of '\(d.rawValue)'") }
      if d == .bernoulli, let p = xs[0].constant?.number, !(0...1).contains(p) {
        report(SemaDiagnostics.probabilityOutOfRange(p, at: xs[0].range))
      }
      if d == .lognormal, let s = xs[1].constant?.number, s < 0 {
        report(SemaDiagnostics.negativeDeviation(d.rawValue, at: xs[1].range))
      }
      return TypedExpr(.draw(d, xs), type: d == .bernoulli ? .bool : .float, isRandom: true, range: range)
    case .shuffle, .sample:
      let xs = check(given[0].value, expected: expected, scope)
      guard case .list = xs.type else {
        if !xs.type.isError {
          report(
            SemaDiagnostics.typeMismatch(
              expected: "a list", found: describe(xs.type), unit: nil, at: xs.range,
              what: "argument of '\(d.rawValue)'"))
        }
        return invalid(range)
      }
      var args = [xs]
      if d == .sample {
        let k = check(given[1].value, expected: .int, scope)
        expectType(.int, k, what: "argument 'k' of 'sample'")
        if case .int(let kv)? = k.constant {
          if kv < 0 {
            report(SemaDiagnostics.sampleCount(kv, available: nil, at: k.range))
          } else if case .list(let vs)? = xs.constant, kv > vs.count {
            report(SemaDiagnostics.sampleCount(kv, available: vs.count, at: k.range))
          }
        }
        args.append(k)
      }
      return TypedExpr(.draw(d, args), type: xs.type, isRandom: true, range: range)
    case .oneOf, .empirical:
      return invalid(range)
    }
  }

  private func swapFix(_ a: SourceRange, _ b: SourceRange) -> FixIt {
    FixIt(
      "swap the bounds", edits: [TextEdit(range: a, replacement: text(b)), TextEdit(range: b, replacement: text(a))])
  }

  private func validateReal(_ d: DistributionKind, _ xs: [TypedExpr], range: SourceRange) {
    let c = xs.map { $0.constant }
    func less(_ i: Int, _ j: Int) -> Bool? {
      guard let a = c[i], let b = c[j] else { return nil }
      return foldComparison(.lt, a, b)
    }
    switch d {
    case .uniform:
      if less(1, 0) == true {
        report(
          SemaDiagnostics.reversedBounds(
            d.rawValue, at: range, highlights: [xs[0].range, xs[1].range],
            swap: swapFix(xs[0].range, xs[1].range)))
      }
    case .normal, .truncnormal:
      if let sd = c[1]?.number, sd < 0 { report(SemaDiagnostics.negativeDeviation(d.rawValue, at: xs[1].range)) }
      if d == .truncnormal, let lo = c[2], let hi = c[3], foldComparison(.ge, lo, hi) == true {
        report(SemaDiagnostics.emptyTruncation(at: range, highlights: [xs[2].range, xs[3].range]))
      }
    default: break
    }
  }

  /// `choice { w: a, … }`: weights are non-negative numbers that do not sum to 0.
  func checkChoice(_ arms: [ChoiceArm], expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr {
    var weights: [TypedExpr] = []
    var alternatives: [TypedExpr] = []
    var type = expected
    var allConstant = true
    var sum = 0.0
    for arm in arms {
      let w = promoteIntToFloat(check(arm.weight, expected: .float, scope))
      expectType(.float, w, what: "choice weight")
      if let x = w.constant?.number {
        if x < 0 { report(SemaDiagnostics.negativeWeight(at: w.range)) }
        sum += max(0, x)
      } else {
        allConstant = false
      }
      let v = check(arm.value, expected: type, scope)
      if let t = type {
        if !accepts(t, v.type) { expectType(t, v, what: "choice alternative") }
      } else if !v.type.isError {
        type = v.type
      }
      weights.append(w)
      alternatives.append(v)
    }
    if arms.isEmpty || allConstant && sum == 0 {
      report(SemaDiagnostics.zeroWeights(at: range))
    }
    let t = type ?? .error
    return TypedExpr(
      .choice(weights: weights, alternatives: alternatives.map { promoteForParameter($0, t) }), type: t,
      isRandom: true, range: range)
  }
}
