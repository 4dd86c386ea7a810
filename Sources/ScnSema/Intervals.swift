import ScnSource

/// A closed interval `[lo, hi]` that contains every value an expression can take (bounds
/// may be infinite). Arithmetic rounds outward, so the enclosure stays sound in floating point.
struct Interval: Equatable {
  var lo: Double
  var hi: Double

  static func point(_ x: Double) -> Interval { Interval(lo: x, hi: x) }
  static let everything = Interval(lo: -.infinity, hi: .infinity)

  func hull(_ o: Interval) -> Interval { Interval(lo: min(lo, o.lo), hi: max(hi, o.hi)) }

  private static func outward(_ lo: Double, _ hi: Double) -> Interval? {
    guard !lo.isNaN, !hi.isNaN else { return nil }
    return Interval(lo: lo.isFinite ? lo.nextDown : lo, hi: hi.isFinite ? hi.nextUp : hi)
  }

  static func + (a: Interval, b: Interval) -> Interval? { outward(a.lo + b.lo, a.hi + b.hi) }
  static func - (a: Interval, b: Interval) -> Interval? { outward(a.lo - b.hi, a.hi - b.lo) }
  static prefix func - (a: Interval) -> Interval { Interval(lo: -a.hi, hi: -a.lo) }

  static func * (a: Interval, b: Interval) -> Interval? {
    let ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
    guard !ps.contains(where: \.isNaN) else { return nil }
    return outward(ps.min() ?? 0, ps.max() ?? 0)
  }

  static func / (a: Interval, b: Interval) -> Interval? {
    guard b.lo > 0 || b.hi < 0 else { return nil }
    return a * Interval(lo: 1 / b.hi, hi: 1 / b.lo).widened
  }

  private var widened: Interval { Interval(lo: lo.nextDown, hi: hi.nextUp) }

  var text: String {
    func f(_ x: Double) -> String {
      if x == .infinity { return "+inf" }
      if x == -.infinity { return "-inf" }
      let r = (x * 1e6).rounded() / 1e6
      return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : "\(r)"
    }
    return "[\(f(lo)), \(f(hi))]"
  }
}

extension Checker {
  /// An enclosure of the values of a numeric expression, or nil when unknown.
  func interval(of e: TypedExpr, context: ScenarioContext, depth: Int = 0) -> Interval? {
    if let x = e.constant?.number { return .point(x) }
    guard depth < 64 else { return nil }
    func sub(_ x: TypedExpr) -> Interval? { interval(of: x, context: context, depth: depth + 1) }
    switch e.kind {
    case .member(let ref):
      let name: String
      switch ref {
      case .param(let n), .definition(let n): name = n
      }
      guard let slot = context.members[name], let value = slot.typed else { return nil }
      return sub(value)
    case .globalConstant(_, let v): return sub(v)
    case .unary(.negate, let x): return sub(x).map { -$0 }
    case .binary(let op, let a, let b):
      guard let x = sub(a), let y = sub(b) else { return nil }
      switch op {
      case .add: return x + y
      case .sub: return x - y
      case .mul: return x * y
      case .div: return x / y
      default: return nil
      }
    case .draw(let d, let args):
      switch d {
      case .uniform, .uniformInt:
        guard args.count == 2, let a = sub(args[0]), let b = sub(args[1]) else { return nil }
        return a.hull(b)
      case .truncnormal:
        guard args.count == 4, let lo = sub(args[2]), let hi = sub(args[3]) else { return nil }
        return lo.hull(hi)
      case .normal: return .everything
      case .lognormal: return Interval(lo: 0, hi: .infinity)
      case .oneOf:
        let xs = args.map(sub)
        guard let first = xs.first ?? nil, xs.allSatisfy({ $0 != nil }) else { return nil }
        return xs.compactMap { $0 }.reduce(first) { $0.hull($1) }
      default: return nil
      }
    case .choice(_, let alternatives):
      let xs = alternatives.map(sub)
      guard let first = xs.first ?? nil, xs.allSatisfy({ $0 != nil }) else { return nil }
      return xs.compactMap { $0 }.reduce(first) { $0.hull($1) }
    case .native("distance", _): return Interval(lo: 0, hi: .infinity)
    case .native("abs", let args) where args.count == 1:
      guard let x = sub(args[0]) else { return Interval(lo: 0, hi: .infinity) }
      let m = max(abs(x.lo), abs(x.hi))
      return Interval(lo: x.lo <= 0 && x.hi >= 0 ? 0 : min(abs(x.lo), abs(x.hi)), hi: m)
    default: return nil
    }
  }

  /// Proves a hard or soft requirement unsatisfiable (error) or always true (warning) from
  /// interval enclosures. Silent whenever the enclosures do not decide it.
  func analyseRequirement(_ c: TypedExpr, context: ScenarioContext) {
    if let b = c.constant?.bool {
      if b {
        report(SemaDiagnostics.requirementAlwaysTrue(at: c.range, note: "it is a constant"))
      } else {
        report(SemaDiagnostics.requirementNeverHolds(at: c.range, note: "it is a constant that is false"))
      }
      return
    }
    var pairs: [(TypedExpr, TypedBinaryOp, TypedExpr)] = []
    switch c.kind {
    case .binary(let op, let a, let b) where [.lt, .le, .gt, .ge].contains(op): pairs = [(a, op, b)]
    case .compareChain(let xs, let ops):
      for (i, op) in ops.enumerated() where [.lt, .le, .gt, .ge].contains(op) { pairs.append((xs[i], op, xs[i + 1])) }
    default: return
    }
    var allAlways = !pairs.isEmpty
    var notes: [String] = []
    for (a, op, b) in pairs {
      guard let x = interval(of: a, context: context), let y = interval(of: b, context: context) else {
        allAlways = false
        continue
      }
      let unit = a.type.numericDimension.map { $0.isDimensionless ? "" : " " + unitSpelling($0) } ?? ""
      let lhs = "'\(text(a.range))' is in \(x.text)\(unit)"
      let rhs = "'\(text(b.range))' is in \(y.text)\(unit)"
      let never: Bool
      let always: Bool
      switch op {
      case .lt: never = x.lo >= y.hi; always = x.hi < y.lo
      case .le: never = x.lo > y.hi; always = x.hi <= y.lo
      case .gt: never = x.hi <= y.lo; always = x.lo > y.hi
      default: never = x.hi < y.lo; always = x.lo >= y.hi
      }
      if never {
        report(SemaDiagnostics.requirementNeverHolds(at: c.range, note: lhs + "; " + rhs))
        return
      }
      if always { notes.append(lhs + "; " + rhs) } else { allAlways = false }
    }
    if allAlways {
      report(SemaDiagnostics.requirementAlwaysTrue(at: c.range, note: notes.joined(separator: "; ")))
    }
  }
}
