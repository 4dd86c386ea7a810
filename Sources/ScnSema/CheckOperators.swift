import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  func checkUnary(_ op: UnaryOperator, _ x: Expr, expected: SemaType?, _ scope: Scope, range: SourceRange) -> TypedExpr
  {
    let v = check(x, expected: op == .not ? .bool : expected, scope)
    switch op {
    case .not:
      expectType(.bool, v, what: "operand of 'not'")
      let folded = v.constant?.bool.map { ConstValue.bool(!$0) }
      return TypedExpr(.unary(.not, v), type: .bool, isRandom: v.isRandom, constant: folded, range: range)
    case .negate:
      switch v.type {
      case .int, .quantity, .vector, .error: break
      default:
        report(SemaDiagnostics.badOperand("-", describe(v.type), at: range))
        return invalid(range)
      }
      var folded: ConstValue?
      switch v.constant {
      case .int(let i)? where i != .min: folded = .int(-i)
      case .real(let d, let ex)?: folded = .real(-d, exact: ex?.negated)
      default: break
      }
      return TypedExpr(.unary(.negate, v), type: v.type, isRandom: v.isRandom, constant: folded, range: range)
    }
  }

  func checkBinary(
    _ op: BinaryOperator, _ a: Expr, _ b: Expr, expected: SemaType?, _ scope: Scope,
    range: SourceRange
  ) -> TypedExpr {
    if op == .and || op == .or {
      let x = check(a, expected: .bool, scope)
      let y = check(b, expected: .bool, scope)
      expectType(.bool, x, what: "operand of '\(op.rawValue)'")
      expectType(.bool, y, what: "operand of '\(op.rawValue)'")
      var folded: ConstValue?
      if let p = x.constant?.bool, let q = y.constant?.bool { folded = .bool(op == .and ? p && q : p || q) }
      return TypedExpr(
        .binary(op == .and ? .and : .or, x, y), type: .bool, isRandom: x.isRandom || y.isRandom,
        constant: folded, range: range)
    }
    let x = check(a, expected: (op == .add || op == .subtract) ? expected : nil, scope)
    let y = check(b, expected: (op == .add || op == .subtract) ? x.type.expectationForOther : nil, scope)
    let typedOp: TypedBinaryOp
    switch op {
    case .add: typedOp = .add
    case .subtract: typedOp = .sub
    case .multiply: typedOp = .mul
    case .divide: typedOp = .div
    case .remainder: typedOp = .mod
    case .and, .or: typedOp = .and
    }
    let operatorRange = operatorRangeBetween(x.range, y.range, op.rawValue) ?? range
    guard let type = arithmeticType(typedOp, x, y, operatorRange: operatorRange) else { return invalid(range) }
    let folded = foldArithmetic(typedOp, x.constant, y.constant, resultIsInt: type == .int)
    if folded == nil, !x.isRandom, !y.isRandom, let overflow = overflowOfFolding(typedOp, x.constant, y.constant, type) {
      report(SemaDiagnostics.constantOverflow(overflow, at: range))
    }
    return TypedExpr(
      .binary(typedOp, promoteIfNeeded(x, for: type), promoteIfNeeded(y, for: type)), type: type,
      isRandom: x.isRandom || y.isRandom, constant: folded, range: range)
  }

  /// What `x op y` of two constants gives when folding failed because the value cannot be
  /// represented (`1e308m * 10` is infinite, `9223372036854775807 + 1` overflows), or nil
  /// when folding failed for another reason (a division by zero is the runtime's to report).
  private func overflowOfFolding(_ op: TypedBinaryOp, _ a: ConstValue?, _ b: ConstValue?, _ type: SemaType) -> String? {
    guard let p = a?.number, let q = b?.number, !type.isError else { return nil }
    if (op == .div || op == .mod), q == 0 { return nil }
    if type == .int { return "an integer outside the 64-bit range" }
    let r: Double
    switch op {
    case .add: r = p + q
    case .sub: r = p - q
    case .mul: r = p * q
    case .div: r = p / q
    case .mod: r = p.truncatingRemainder(dividingBy: q)
    default: return nil
    }
    return r.isFinite ? nil : "\(r)"
  }

  private func promoteIfNeeded(_ e: TypedExpr, for result: SemaType) -> TypedExpr {
    result == .int ? e : promoteIntToFloat(e)
  }

  /// The operator token's range: the first occurrence of its text between the operands.
  func operatorRangeBetween(_ a: SourceRange, _ b: SourceRange, _ op: String) -> SourceRange? {
    guard let file = sources[a.file], a.end <= b.start else { return nil }
    let gap = Array(file.bytes[a.end..<min(b.start, file.bytes.count)])
    let opBytes = Array(op.utf8)
    guard gap.count >= opBytes.count else { return nil }
    for i in 0...(gap.count - opBytes.count) where Array(gap[i..<(i + opBytes.count)]) == opBytes {
      return SourceRange(file: a.file, start: a.end + i, end: a.end + i + opBytes.count)
    }
    return nil
  }

  /// The result type of `x op y`, or nil after reporting why it has none.
  func arithmeticType(_ op: TypedBinaryOp, _ x: TypedExpr, _ y: TypedExpr, operatorRange: SourceRange) -> SemaType? {
    if x.type.isError || y.type.isError { return .error }
    let symbol = symbolOf(op)
    switch (x.type, y.type) {
    case (.string, .string) where op == .add: return .string
    case (.list(let l), .list(let r)) where op == .add:
      // Concatenation: both element types the same (an empty list takes the other's).
      if l.isError { return .list(r) }
      if r.isError || l == r { return .list(l) }
      if case .actor = l, accepts(l, r) { return .list(l) }
      if case .actor = r, accepts(r, l) { return .list(r) }
      report(
        SemaDiagnostics.badOperands(
          symbolOf(op), describe(x.type), describe(y.type), at: operatorRange, highlights: [x.range, y.range]))
      return nil
    case (.int, .int):
      return op == .div ? .float : .int
    case (let l, let r) where l.isNumeric && r.isNumeric:
      guard let dl = l.numericDimension, let dr = r.numericDimension else { return .error }
      switch op {
      case .add, .sub, .mod:
        guard dl == dr else {
          reportMismatch(op, x, y, operatorRange: operatorRange)
          return nil
        }
        return .quantity(dl)
      case .mul: return .quantity(dl * dr)
      case .div: return .quantity(dl / dr)
      default: return .error
      }
    case (.vector(let dl), .vector(let dr)) where op == .add || op == .sub:
      if let dl, let dr, dl != dr {
        reportMismatch(op, x, y, operatorRange: operatorRange)
        return nil
      }
      return .vector(dl ?? dr)
    case (.vector(let d), let s) where s.isNumeric && (op == .mul || op == .div):
      guard let ds = s.numericDimension, let d else { return .vector(nil) }
      return .vector(op == .mul ? d * ds : d / ds)
    case (let s, .vector(let d)) where s.isNumeric && op == .mul:
      guard let ds = s.numericDimension, let d else { return .vector(nil) }
      return .vector(d * ds)
    default:
      if (op == .add || op == .sub) && x.type.isNumeric != y.type.isNumeric || x.type.isNumeric && y.type.isNumeric {
        reportMismatch(op, x, y, operatorRange: operatorRange)
      } else {
        report(
          SemaDiagnostics.badOperands(
            symbol, describe(x.type), describe(y.type), at: operatorRange,
            highlights: [x.range, y.range]))
      }
      return nil
    }
  }

  func symbolOf(_ op: TypedBinaryOp) -> String {
    switch op {
    case .add: "+"
    case .sub: "-"
    case .mul: "*"
    case .div: "/"
    case .mod: "%"
    case .and: "and"
    case .or: "or"
    case .eq: "=="
    case .ne: "!="
    case .lt: "<"
    case .le: "<="
    case .gt: ">"
    case .ge: ">="
    case .contains: "in"
    case .notContains: "not in"
    }
  }

  /// E0203 and friends: both operands' types and units in one note.
  func reportMismatch(_ op: TypedBinaryOp, _ x: TypedExpr, _ y: TypedExpr, operatorRange: SourceRange) {
    func side(_ e: TypedExpr) -> String {
      let t = describe(e.type)
      if let u = unitNote(e) { return "'\(text(e.range))' is \(t) (\(u))" }
      return "'\(text(e.range))' is \(t)"
    }
    report(
      SemaDiagnostics.dimensionMismatch(
        op: op, describe(x.type), describe(y.type), at: operatorRange,
        highlights: [x.range, y.range], note: side(x) + "; " + side(y),
        fixIts: [missingUnitFix(x, y), missingUnitFix(y, x)].compactMap { $0 }))
  }

  /// `distance(a, b) > 3`: a bare number compared with a quantity probably lacks its unit;
  /// offer the other side's coherent unit (`3m`).
  private func missingUnitFix(_ bare: TypedExpr, _ other: TypedExpr) -> FixIt? {
    guard case .constant = bare.kind, bare.type == .int || bare.type == .float,
      case .quantity(let d) = other.type, !d.isDimensionless
    else { return nil }
    let literal = text(bare.range)
    guard !literal.isEmpty, literal.allSatisfy({ $0.isNumber || $0 == "." || $0 == "_" }) else { return nil }
    let unit = unitSpelling(d)
    // Only spellings a suffix can carry: no products, no leading `1/`.
    guard !unit.contains("*"), !unit.hasPrefix("1") else { return nil }
    return FixIt.replace(bare.range, with: literal + unit, "write the unit: '\(literal + unit)'")
  }

  func foldArithmetic(_ op: TypedBinaryOp, _ a: ConstValue?, _ b: ConstValue?, resultIsInt: Bool) -> ConstValue? {
    guard let a, let b else { return nil }
    if case .string(let s) = a, case .string(let t) = b, op == .add { return .string(s + t) }
    if case .list(let s) = a, case .list(let t) = b, op == .add { return .list(s + t) }
    if resultIsInt, case .int(let x) = a, case .int(let y) = b {
      switch op {
      case .add:
        let (r, o) = x.addingReportingOverflow(y)
        return o ? nil : .int(r)
      case .sub:
        let (r, o) = x.subtractingReportingOverflow(y)
        return o ? nil : .int(r)
      case .mul:
        let (r, o) = x.multipliedReportingOverflow(by: y)
        return o ? nil : .int(r)
      case .mod:
        // Floored, like the runtime: the result has the divisor's sign (-7 % 3 is 2).
        guard y != 0, !(x == .min && y == -1) else { return nil }
        let r = x % y
        return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
      default: return nil
      }
    }
    guard let x = a.number, let y = b.number else { return nil }
    var exact: Rational?
    if let p = a.exact, let q = b.exact {
      switch op {
      case .add: exact = p.adding(q)
      case .sub: exact = q.negated.flatMap { p.adding($0) }
      case .mul: exact = p.multiplied(by: q)
      case .div: exact = p.divided(by: q)
      default: exact = nil
      }
    }
    if let exact { return .exactReal(exact) }
    let r: Double
    switch op {
    case .add: r = x + y
    case .sub: r = x - y
    case .mul: r = x * y
    case .div:
      guard y != 0 else { return nil }
      r = x / y
    case .mod:
      guard y != 0 else { return nil }
      r = x.truncatingRemainder(dividingBy: y)
    default: return nil
    }
    return r.isFinite ? .real(r) : nil
  }

  // MARK: - Comparisons

  func checkComparison(_ first: Expr, _ links: [ComparisonLink], _ scope: Scope, range: SourceRange) -> TypedExpr {
    var operands = [check(first, expected: nil, scope)]
    var ops: [TypedBinaryOp] = []
    var ok = true
    for link in links {
      let lhs = operands[operands.count - 1]
      let expectedRhs: SemaType? = (link.op == .in || link.op == .notIn) ? nil : lhs.type.expectationForOther
      let rhs = check(link.rhs, expected: expectedRhs, scope)
      let op: TypedBinaryOp
      switch link.op {
      case .equal: op = .eq
      case .notEqual: op = .ne
      case .less: op = .lt
      case .lessEqual: op = .le
      case .greater: op = .gt
      case .greaterEqual: op = .ge
      case .in: op = .contains
      case .notIn: op = .notContains
      }
      if !comparable(op, lhs, rhs, operatorRange: link.operatorRange) { ok = false }
      if op == .eq || op == .ne { warnInexactEquality(op, lhs, rhs, operatorRange: link.operatorRange) }
      ops.append(op)
      operands.append(rhs)
    }
    let random = operands.contains { $0.isRandom }
    var folded: ConstValue?
    if ok, operands.allSatisfy({ $0.constant != nil }) {
      var result = true
      var known = true
      for (i, op) in ops.enumerated() {
        guard let a = operands[i].constant, let b = operands[i + 1].constant, let r = foldComparison(op, a, b) else {
          known = false
          break
        }
        result = result && r
      }
      if known { folded = .bool(result) }
    }
    let promoted = operands.map { e -> TypedExpr in
      operands.contains { if case .quantity = $0.type { true } else { false } } ? promoteIntToFloat(e) : e
    }
    let kind: TypedExpr.Kind = ops.count == 1 ? .binary(ops[0], promoted[0], promoted[1]) : .compareChain(promoted, ops)
    return TypedExpr(kind, type: ok ? .bool : .error, isRandom: random, constant: folded, range: range)
  }

  /// W0260: `a / b == n` with `n` an Int: the quotient is a Float, so the test is exact
  /// floating-point equality, which is rarely what was meant (Scenic programs ported from
  /// Python 2 habits write `/` for whole-number division); the note points to `div(a, b)`.
  func warnInexactEquality(_ op: TypedBinaryOp, _ a: TypedExpr, _ b: TypedExpr, operatorRange: SourceRange) {
    for (quotient, other) in [(a, b), (b, a)] {
      guard other.type == .int, quotient.type == .float, case .binary(.div, _, _) = quotient.kind else { continue }
      report(SemaDiagnostics.inexactEquality(symbolOf(op), at: operatorRange, division: quotient.range))
      return
    }
  }

  func comparable(_ op: TypedBinaryOp, _ a: TypedExpr, _ b: TypedExpr, operatorRange: SourceRange) -> Bool {
    if a.type.isError || b.type.isError { return true }
    switch op {
    case .contains, .notContains:
      switch b.type {
      case .list(let t):
        if accepts(t, a.type) || accepts(a.type, t) { return true }
      case .region, .map:
        if case .actor = a.type { return true }
        if case .vector = a.type { return true }
      default: break
      }
      report(
        SemaDiagnostics.badOperands(
          symbolOf(op), describe(a.type), describe(b.type), at: operatorRange,
          highlights: [a.range, b.range]))
      return false
    case .lt, .le, .gt, .ge:
      if let da = a.type.numericDimension, let db = b.type.numericDimension {
        if da == db { return true }
        reportMismatch(op, a, b, operatorRange: operatorRange)
        return false
      }
      report(
        SemaDiagnostics.badOperands(
          symbolOf(op), describe(a.type), describe(b.type), at: operatorRange,
          highlights: [a.range, b.range]))
      return false
    default:
      if let da = a.type.numericDimension, let db = b.type.numericDimension {
        if da == db { return true }
        reportMismatch(op, a, b, operatorRange: operatorRange)
        return false
      }
      if accepts(a.type, b.type) || accepts(b.type, a.type) { return true }
      report(
        SemaDiagnostics.badOperands(
          symbolOf(op), describe(a.type), describe(b.type), at: operatorRange,
          highlights: [a.range, b.range]))
      return false
    }
  }

  /// Compares constants exactly when both are exact rationals, otherwise as doubles.
  func foldComparison(_ op: TypedBinaryOp, _ a: ConstValue, _ b: ConstValue) -> Bool? {
    if let p = a.exact, let q = b.exact {
      switch op {
      case .eq: return p == q
      case .ne: return p != q
      case .lt: return p < q
      case .le: return p <= q
      case .gt: return p > q
      case .ge: return p >= q
      default: break
      }
    }
    if let x = a.number, let y = b.number {
      switch op {
      case .eq: return x == y
      case .ne: return x != y
      case .lt: return x < y
      case .le: return x <= y
      case .gt: return x > y
      case .ge: return x >= y
      default: break
      }
    }
    switch op {
    case .eq: return a == b
    case .ne: return a != b
    case .contains, .notContains:
      guard case .list(let xs) = b else { return nil }
      let found = xs.contains { x in foldComparison(.eq, a, x) ?? false }
      return op == .contains ? found : !found
    default: return nil
    }
  }
}

extension SemaType {
  /// What to expect of the other operand of `+`, `-` or a comparison: the same type, so a
  /// bare enum case on the right of `weather == rain` resolves.
  var expectationForOther: SemaType? {
    switch self {
    case .enumeration: self
    default: nil
    }
  }
}
