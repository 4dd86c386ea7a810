/// Evaluates a checked expression whose inputs are all constant (a `fn` body applied to
/// constant arguments). Anything it does not know yields nil: folding is an optimisation
/// and a convenience for diagnostics, never required for correctness.
struct ConstantEvaluator {
  let checker: Checker
  let locals: [ConstValue]
  var depth = 0

  func evaluate(_ e: TypedExpr) -> ConstValue? {
    if let c = e.constant { return c }
    guard depth < 32 else { return nil }
    switch e.kind {
    case .constant(let v): return v
    case .local(let slot): return slot < locals.count ? locals[slot] : nil
    case .globalConstant(_, let v): return v.constant
    case .unary(let op, let x):
      guard let v = evaluate(x) else { return nil }
      switch (op, v) {
      case (.not, .bool(let b)): return .bool(!b)
      case (.negate, .int(let i)) where i != .min: return .int(-i)
      case (.negate, .real(let d, let ex)): return .real(-d, exact: ex?.negated)
      default: return nil
      }
    case .binary(let op, let a, let b):
      guard let x = evaluate(a), let y = evaluate(b) else { return nil }
      switch op {
      case .and, .or:
        guard let p = x.bool, let q = y.bool else { return nil }
        return .bool(op == .and ? p && q : p || q)
      case .eq, .ne, .lt, .le, .gt, .ge, .contains, .notContains:
        return checker.foldComparison(op, x, y).map(ConstValue.bool)
      default:
        return checker.foldArithmetic(op, x, y, resultIsInt: e.type == .int)
      }
    case .tuple(let xs), .list(let xs):
      let vs = xs.compactMap { evaluate($0) }
      guard vs.count == xs.count else { return nil }
      if case .list = e.kind { return .list(vs) }
      return .tuple(vs)
    case .vector(let a, let b, let c):
      guard let x = evaluate(a), let y = evaluate(b), let z = evaluate(c) else { return nil }
      return .tuple([x, y, z])
    case .call(let name, let args):
      guard let f = checker.checkedFunctions[name] else { return nil }
      let vs = args.compactMap { evaluate($0) }
      guard vs.count == args.count else { return nil }
      var inner = ConstantEvaluator(checker: checker, locals: vs)
      inner.depth = depth + 1
      return inner.evaluate(f.body)
    default:
      return nil
    }
  }
}
