import ScnGeometry
import ScnIR
import ScnSource

/// Arithmetic and comparison on runtime values. Ints stay exact (overflow is an error);
/// anything mixed with a real is real; vectors add, subtract and scale.
enum Operators {
  static func arithmetic(_ op: IRBinaryOp, _ a: Value, _ b: Value, at range: SourceRange) throws(RuntimeError) -> Value {
    switch (a, b) {
    case (.int(let x), .int(let y)):
      switch op {
      case .add: return try checked(x.addingReportingOverflow(y), range)
      case .sub: return try checked(x.subtractingReportingOverflow(y), range)
      case .mul: return try checked(x.multipliedReportingOverflow(by: y), range)
      case .div:
        guard y != 0 else { throw RuntimeError(.divisionByZero, "division by zero", at: range) }
        return try checked(x.dividedReportingOverflow(by: y), range)
      case .mod:
        guard y != 0 else { throw RuntimeError(.divisionByZero, "remainder by zero", at: range) }
        // Floored remainder: the result has the divisor's sign, so `k % 6` cycles 0…5 for
        // negative k too.
        let r = x.remainderReportingOverflow(dividingBy: y).partialValue
        return .int(r != 0 && (r < 0) != (y < 0) ? r + y : r)
      default: break
      }
    case (.vector(let u), .vector(let v)):
      switch op {
      case .add: return .vector(u + v)
      case .sub: return .vector(u - v)
      default: break
      }
    case (.vector(let u), _):
      let s = b.asDouble
      switch op {
      case .mul: return .vector(u * s)
      case .div:
        guard s != 0 else { throw RuntimeError(.divisionByZero, "division by zero", at: range) }
        return .vector(u / s)
      default: break
      }
    case (_, .vector(let v)):
      if op == .mul { return .vector(v * a.asDouble) }
    default:
      let x = a.asDouble, y = b.asDouble
      switch op {
      case .add: return .real(x + y)
      case .sub: return .real(x - y)
      case .mul: return .real(x * y)
      case .div:
        guard y != 0 else { throw RuntimeError(.divisionByZero, "division by zero", at: range) }
        return .real(x / y)
      case .mod:
        guard y != 0 else { throw RuntimeError(.divisionByZero, "remainder by zero", at: range) }
        return .real(x - (x / y).rounded(.down) * y)
      default: break
      }
    }
    throw RuntimeError(.unsupported, "operator '\(op.rawValue)' cannot combine these values", at: range)
  }

  private static func checked(_ r: (partialValue: Int64, overflow: Bool), _ range: SourceRange) throws(RuntimeError) -> Value {
    guard !r.overflow else { throw RuntimeError(.arithmetic, "integer overflow", at: range) }
    return .int(r.partialValue)
  }

  static func equal(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.int(let x), .real(let y)), (.real(let y), .int(let x)): return Double(x) == y
    default: return a == b
    }
  }

  static func compare(_ op: IRBinaryOp, _ a: Value, _ b: Value, records: [Record]) -> Bool {
    switch op {
    case .eq: return equal(a, b)
    case .ne: return !equal(a, b)
    case .contains, .notContains:
      let found = contains(b, a, records: records)
      return op == .contains ? found : !found
    default: break
    }
    if case .int(let x) = a, case .int(let y) = b {
      switch op {
      case .lt: return x < y
      case .le: return x <= y
      case .gt: return x > y
      default: return x >= y
      }
    }
    let x = a.asDouble, y = b.asDouble
    switch op {
    case .lt: return x < y
    case .le: return x <= y
    case .gt: return x > y
    default: return x >= y
    }
  }

  /// `x in container`: list membership, or a point (or an actor's position) in a region.
  static func contains(_ container: Value, _ x: Value, records: [Record]) -> Bool {
    switch container {
    case .list(let xs): return xs.contains { equal($0, x) }
    case .region(let r):
      switch x {
      case .vector(let p): return r.contains(p)
      case .record(let i):
        guard records.indices.contains(i) else { return false }
        return r.contains(Geometry.position(of: records[i]))
      default: return false
      }
    default: return false
    }
  }
}
