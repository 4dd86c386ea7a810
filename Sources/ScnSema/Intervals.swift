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
    case .native("distance", let args) where args.count == 2:
      return distanceInterval(args[0], args[1], context: context, depth: depth + 1) ?? Interval(lo: 0, hi: .infinity)
    case .native("abs", let args) where args.count == 1:
      guard let x = sub(args[0]) else { return Interval(lo: 0, hi: .infinity) }
      let m = max(abs(x.lo), abs(x.hi))
      return Interval(lo: x.lo <= 0 && x.hi >= 0 ? 0 : min(abs(x.lo), abs(x.hi)), hi: m)
    default: return nil
    }
  }

  /// Bounds on `distance(a, b)` when both actors are placed by `at P` with bounded
  /// components. The lower bound uses only x and y, the upper bound all three axes, so the
  /// enclosure holds whether distance is measured in the plane or in space.
  func distanceInterval(_ a: TypedExpr, _ b: TypedExpr, context: ScenarioContext, depth: Int) -> Interval? {
    guard let p = positionBox(a, context: context, depth: depth), let q = positionBox(b, context: context, depth: depth)
    else { return nil }
    var lo2 = 0.0
    var hi2 = 0.0
    for axis in 0..<3 {
      guard let d = p[axis] - q[axis] else { return nil }
      let minAbs = d.lo <= 0 && d.hi >= 0 ? 0 : min(abs(d.lo), abs(d.hi))
      let maxAbs = max(abs(d.lo), abs(d.hi))
      if axis < 2 { lo2 += minAbs * minAbs }
      hi2 += maxAbs * maxAbs
    }
    let lo = lo2.squareRoot()
    let hi = hi2.squareRoot()
    guard lo.isFinite || hi.isFinite else { return nil }
    return Interval(lo: max(0, lo.nextDown), hi: hi.nextUp)
  }

  /// Per-axis enclosures of an actor's position, when it is placed only by `at P`.
  func positionBox(_ e: TypedExpr, context: ScenarioContext, depth: Int) -> [Interval]? {
    guard depth < 64 else { return nil }
    switch e.kind {
    case .member(.definition(let n)):
      guard let v = context.members[n]?.typed else { return nil }
      return positionBox(v, context: context, depth: depth + 1)
    case .ego:
      guard let v = context.egoSlot?.typed else { return nil }
      return positionBox(v, context: context, depth: depth + 1)
    case .construct(_, let fields, let specifiers):
      if fields.contains(where: { $0.name == "position" }) { return nil }
      var box: [Interval]?
      for s in specifiers {
        switch s {
        case .at(let p):
          if case .tuple(let xs)? = p.constant, xs.count == 3 {
            let ns = xs.compactMap(\.number)
            guard ns.count == 3 else { return nil }
            box = ns.map(Interval.point)
          } else if case .vector(let x, let y, let z) = p.kind {
            let axes = [x, y, z].map { interval(of: $0, context: context, depth: depth + 1) }
            guard axes.allSatisfy({ $0 != nil }) else { return nil }
            box = axes.compactMap { $0 }
          } else {
            return nil
          }
        case .on, .within, .relative, .offset, .beyond, .vertical, .visibleFrom, .containedIn: return nil
        case .facing, .facingToward, .facingAwayFrom, .facingDirectly, .apparentlyFacing, .behavior, .deferredBehavior: continue
        }
      }
      return box
    default:
      return nil
    }
  }

  /// Proves a hard or soft requirement unsatisfiable (error) or always true (warning) from
  /// interval enclosures. Silent whenever the enclosures do not decide it.
  func analyseRequirement(_ c: TypedExpr, context: ScenarioContext) {
    switch verdict(c, context: context) {
    case .never(let note): report(SemaDiagnostics.requirementNeverHolds(at: c.range, note: note))
    case .always(let note): report(SemaDiagnostics.requirementAlwaysTrue(at: c.range, note: note))
    case .unknown: break
    }
  }

  /// What intervals prove about a Boolean expression, with the evidence as a note.
  enum Verdict {
    case never(String)
    case always(String)
    case unknown
  }

  /// Comparisons (chained too), `and`, `or` and `not` over interval enclosures. `and` never
  /// holds if one side never does and always holds if both always do; `or` dually.
  func verdict(_ c: TypedExpr, context: ScenarioContext, depth: Int = 0) -> Verdict {
    if let b = c.constant?.bool { return b ? .always("it is a constant") : .never("it is a constant that is false") }
    guard depth < 32 else { return .unknown }
    switch c.kind {
    case .binary(.and, let a, let b):
      let x = verdict(a, context: context, depth: depth + 1)
      if case .never = x { return x }
      let y = verdict(b, context: context, depth: depth + 1)
      if case .never = y { return y }
      if case .always(let n) = x, case .always(let m) = y { return .always(n + "; " + m) }
      return .unknown
    case .binary(.or, let a, let b):
      let x = verdict(a, context: context, depth: depth + 1)
      if case .always = x { return x }
      let y = verdict(b, context: context, depth: depth + 1)
      if case .always = y { return y }
      if case .never(let n) = x, case .never(let m) = y { return .never(n + "; " + m) }
      return .unknown
    case .unary(.not, let a):
      switch verdict(a, context: context, depth: depth + 1) {
      case .never(let n): return .always(n)
      case .always(let n): return .never(n)
      case .unknown: return .unknown
      }
    case .binary(let op, let a, let b) where [.lt, .le, .gt, .ge].contains(op):
      return comparisonVerdict([(a, op, b)], context: context)
    case .compareChain(let xs, let ops):
      var pairs: [(TypedExpr, TypedBinaryOp, TypedExpr)] = []
      for (i, op) in ops.enumerated() where i + 1 < xs.count {
        guard [.lt, .le, .gt, .ge].contains(op) else { return .unknown }
        pairs.append((xs[i], op, xs[i + 1]))
      }
      return comparisonVerdict(pairs, context: context)
    default:
      return .unknown
    }
  }

  /// A conjunction of ordered comparisons (one link of a chain each).
  private func comparisonVerdict(_ pairs: [(TypedExpr, TypedBinaryOp, TypedExpr)], context: ScenarioContext) -> Verdict
  {
    var allAlways = !pairs.isEmpty
    var notes: [String] = []
    for (a, op, b) in pairs {
      guard let x = interval(of: a, context: context), let y = interval(of: b, context: context) else {
        allAlways = false
        continue
      }
      let unit = a.type.numericDimension.map { $0.isDimensionless ? "" : " " + unitSpelling($0) } ?? ""
      let evidence = "'\(text(a.range))' is in \(x.text)\(unit); '\(text(b.range))' is in \(y.text)\(unit)"
      let never: Bool
      let always: Bool
      switch op {
      case .lt:
        never = x.lo >= y.hi
        always = x.hi < y.lo
      case .le:
        never = x.lo > y.hi
        always = x.hi <= y.lo
      case .gt:
        never = x.hi <= y.lo
        always = x.lo > y.hi
      default:
        never = x.hi < y.lo
        always = x.lo >= y.hi
      }
      if never { return .never(evidence) }
      if always { notes.append(evidence) } else { allAlways = false }
    }
    return allAlways ? .always(notes.joined(separator: "; ")) : .unknown
  }
}
