import ScnGeometry
import ScnIR
import ScnScene
import ScnSource

/// An expression compiled to a closure: the IR tree is walked once, when the program is
/// prepared, so sampling runs no `switch` over node kinds and constants are pre-built.
typealias Eval = @Sendable (Context) throws(RuntimeError) -> Value

/// Function bodies, filled in after every call site is compiled (so recursion works).
/// Written only while the program is being compiled, before any thread can read it.
final class FunctionTable: @unchecked Sendable {
  var bodies: [Eval?] = []
  /// Levels of each body's expression tree: a call nests that many evaluation frames.
  var depths: [Int] = []
  var names: [String] = []
  var frameSizes: [Int] = []
}

/// Compiles IR expressions of one program; collects the draw sites and local slots it meets.
final class ExprCompiler {
  let program: ProgramIR
  private(set) var types: [CompiledType] = []
  private(set) var typeIndex: [String: Int] = [:]
  private(set) var sites: [UInt32] = []
  private(set) var siteSlot: [UInt32: Int] = [:]
  private(set) var maxLocal = 0
  let functions = FunctionTable()
  private var functionIndex: [String: Int] = [:]
  /// Compiled field defaults per type (nil: no default; the checker demands the field).
  private(set) var defaults: [[Eval?]] = []

  /// `units` spell the units of the scene JSON the types' tables hold (`CompiledType`).
  init(program: ProgramIR, assets: [String: ImportedAsset] = [:], units: UnitNames = .prelude) {
    self.program = program
    for t in program.types {
      typeIndex[t.name] = types.count
      types.append(CompiledType(name: t.name, isSensor: t.kind == .sensor, bases: t.bases,
                                fieldNames: t.fields.map(\.name), fieldTypes: t.fields.map(\.type), assets: assets,
                                units: units))
    }
    for f in program.functions {
      functionIndex[f.name] = functions.names.count
      functions.names.append(f.name)
      functions.bodies.append(nil)
      functions.frameSizes.append(f.parameters.count)
      functions.depths.append(IRWalk.depth(f.body))
    }
    defaults = program.types.map { t in t.fields.map { f in f.defaultValue.map { compile($0) } } }
    for (i, f) in program.functions.enumerated() {
      let saved = maxLocal
      maxLocal = f.parameters.count
      let body = compile(f.body)
      functions.bodies[i] = body
      functions.frameSizes[i] = max(maxLocal, f.parameters.count)
      maxLocal = max(saved, maxLocal)
    }
  }

  /// The `empirical` columns the program draws from, in first-compiled order (deduplicated).
  private(set) var empiricalColumns: [EmpiricalColumn] = []

  /// `empirical(...)`: its arguments are constants the checker made (path, column, sha256,
  /// unit factor, values, bandwidth); the law is built once, here. Each draw is logged on
  /// the context for the privacy audit.
  private func compileEmpirical(slot: Int, _ args: [IRExpr], range: SourceRange) -> Eval {
    func string(_ i: Int) -> String? {
      if i < args.count, case .constant(.string(let s)) = args[i].kind { s } else { nil }
    }
    func real(_ i: Int) -> Double? {
      if i < args.count, case .constant(.real(let x, _)) = args[i].kind { x } else { nil }
    }
    guard let path = string(0), let column = string(1), let sha = string(2), let factor = real(3),
      args.count == 8, case .constant(.list(let items)) = args[4].kind, let bandwidth = real(5), let unit = string(6),
      case .constant(.bool(let declared)) = args[7].kind
    else {
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "empirical: malformed arguments", at: range) }
    }
    let values = items.compactMap { v -> Double? in if case .real(let x, _) = v { x } else { nil } }
    let law: EmpiricalLaw
    do throws(DistributionError) { law = try EmpiricalLaw(values: values, bandwidth: bandwidth) } catch {
      return { _ throws(RuntimeError) in throw Draws.fail(error, range) }
    }
    let entry = EmpiricalColumn(
      path: path, sha256: sha, column: column, unit: unit, unitFactor: factor, bandwidth: bandwidth,
      bandwidthDeclared: declared, values: values)
    let index: Int
    if let i = empiricalColumns.firstIndex(of: entry) { index = i } else {
      index = empiricalColumns.count
      empiricalColumns.append(entry)
    }
    return { ctx throws(RuntimeError) in
      let x = try ctx.withStream(slot) { (stream: inout RandomStream) -> Double in law.sample(using: &stream) }
      ctx.empiricalDraws.append(EmpiricalDraw(column: index, value: x))
      return .real(x)
    }
  }

  func slot(for site: UInt32) -> Int {
    if let s = siteSlot[site] { return s }
    siteSlot[site] = sites.count
    sites.append(site)
    return sites.count - 1
  }

  private func noteLocal(_ slot: Int) { maxLocal = max(maxLocal, slot + 1) }

  // MARK: - Expressions

  /// `e` compiled; a real or vector result of an operation that can overflow or lose its
  /// value (arithmetic, a native, a draw, a member such as `radius`) is checked to be
  /// finite, so `1e308m * 10` or `lognormal(1000, 1)` stops the run at that expression
  /// instead of reaching the dataset as `null` or a clamped number.
  func compile(_ e: IRExpr) -> Eval {
    let c = compileNode(e)
    guard Self.mayBecomeNonFinite(e) else { return c }
    let range = e.range
    return { ctx throws(RuntimeError) in
      let v = try c(ctx)
      switch v {
      case .real(let x) where !x.isFinite:
        throw RuntimeError(.arithmetic, "this expression's value is not finite (\(x))", at: range)
      case .vector(let p) where !(p.x.isFinite && p.y.isFinite && p.z.isFinite):
        throw RuntimeError(.arithmetic, "this expression's value is not finite (\(p.x), \(p.y), \(p.z))", at: range)
      default:
        return v
      }
    }
  }

  /// Whether `e` computes a real or vector that may be non-finite although its inputs are finite.
  static func mayBecomeNonFinite(_ e: IRExpr) -> Bool {
    switch e.type {
    case .quantity, .vector: break
    default: return false
    }
    switch e.kind {
    case .binary(let op, _, _): return op == .add || op == .sub || op == .mul || op == .div || op == .mod
    case .draw(.uniform, _, let args) where args.count == 2:
      // `uniform(a, b)` with constant finite bounds a finite distance apart stays between them.
      func constant(_ a: IRExpr) -> Double? {
        switch a.kind {
        case .constant(.real(let x, _)): x
        case .constant(.int(let i)): Double(i)
        default: nil
        }
      }
      guard let lo = constant(args[0]), let hi = constant(args[1]) else { return true }
      return !(hi - lo).isFinite
    case .native, .draw, .member, .call: return true
    default: return false
    }
  }

  private func compileNode(_ e: IRExpr) -> Eval {
    let range = e.range
    switch e.kind {
    case .constant(let v):
      let value = Self.value(v)
      return { _ in value }
    case .variable(let v):
      return variable(v, range: range)
    case .unary(let op, let x):
      let cx = compile(x)
      switch op {
      case .not: return { ctx throws(RuntimeError) in .bool(!(try cx(ctx)).asBool) }
      case .negate:
        return { ctx throws(RuntimeError) in
          switch try cx(ctx) {
          case .int(let i):
            guard i != .min else { throw RuntimeError(.arithmetic, "integer overflow", at: range) }
            return .int(-i)
          case .real(let x): return .real(-x)
          case .vector(let v): return .vector(-v)
          default: throw RuntimeError(.unsupported, "cannot negate this value", at: range)
          }
        }
      }
    case .binary(let op, let a, let b):
      let ca = compile(a), cb = compile(b)
      switch op {
      case .and: return { ctx throws(RuntimeError) in .bool(try ca(ctx).asBool ? try cb(ctx).asBool : false) }
      case .or: return { ctx throws(RuntimeError) in .bool(try ca(ctx).asBool ? true : try cb(ctx).asBool) }
      case .add where Self.isList(e.type):
        // List concatenation, within the context's element budget.
        return { ctx throws(RuntimeError) in
          let xs = try ca(ctx).asList, ys = try cb(ctx).asList
          try ctx.reserveElements(xs.count + ys.count, at: range)
          return .list(xs + ys)
        }
      case .add, .sub, .mul, .div, .mod:
        return { ctx throws(RuntimeError) in try Operators.arithmetic(op, try ca(ctx), try cb(ctx), at: range) }
      default:
        return { ctx throws(RuntimeError) in .bool(Operators.compare(op, try ca(ctx), try cb(ctx), records: ctx.records)) }
      }
    case .compareChain(let xs, let ops):
      let cs = xs.map(compile)
      return { ctx throws(RuntimeError) in
        guard let first = cs.first, cs.count == ops.count + 1 else {
          throw RuntimeError(.unsupported, "malformed comparison chain", at: range)
        }
        var left = try first(ctx)
        for i in ops.indices {
          let right = try cs[i + 1](ctx)
          if !Operators.compare(ops[i], left, right, records: ctx.records) { return .bool(false) }
          left = right
        }
        return .bool(true)
      }
    case .member(let base, let name):
      return member(compile(base), type: base.type, name: name, range: range)
    case .index(let x, let i):
      let cx = compile(x), ci = compile(i)
      return { ctx throws(RuntimeError) in
        let xs = try cx(ctx).asList
        let k = try ci(ctx).asInt
        guard k >= 0, k < Int64(xs.count) else {
          throw RuntimeError(.indexOutOfRange, "index \(k) is out of range for a list of \(xs.count) element\(xs.count == 1 ? "" : "s")", at: range)
        }
        return xs[Int(k)]
      }
    case .list(let xs):
      let cs = xs.map(compile)
      return { ctx throws(RuntimeError) in
        try ctx.reserveElements(cs.count, at: range)
        var out: [Value] = []
        out.reserveCapacity(cs.count)
        for c in cs { out.append(try c(ctx)) }
        return .list(out)
      }
    case .tuple(let xs):
      let cs = xs.map(compile)
      return { ctx throws(RuntimeError) in
        var out: [Value] = []
        out.reserveCapacity(cs.count)
        for c in cs { out.append(try c(ctx)) }
        return .tuple(out)
      }
    case .vector(let x, let y, let z):
      let cx = compile(x), cy = compile(y), cz = compile(z)
      return { ctx throws(RuntimeError) in .vector(Vec3(try cx(ctx).asDouble, try cy(ctx).asDouble, try cz(ctx).asDouble)) }
    case .range(let a, let b, let inclusive):
      let ca = compile(a), cb = compile(b)
      return { ctx throws(RuntimeError) in
        let lo = try ca(ctx).asInt, hi = try cb(ctx).asInt
        let end = inclusive ? hi.addingReportingOverflow(1).partialValue : hi
        guard end > lo else { return .list([]) }
        let size = end.subtractingReportingOverflow(lo)
        guard !size.overflow, size.partialValue <= ctx.limits.elements else {
          throw RuntimeError(.resourceLimit,
                             "range \(lo)..<\(end) has more than \(ctx.limits.elements) elements (the limit per sample); "
                               + ResourceLimits.howToRaise("elements"), at: range)
        }
        try ctx.reserveElements(Int(size.partialValue), at: range)
        return .list((lo..<end).map { .int($0) })
      }
    case .native("map", let args):
      return MapNatives.compileMap(args, compiler: self, range: range)
    case .native(let name, let args) where FieldNatives.names.contains(name):
      return FieldNatives.compile(name, args, compiler: self, range: range)
    case .native(let name, let args):
      return Natives.compile(name, args.map(compile), argTypes: args.map(\.type), compiler: self, range: range)
    case .call(let name, let args):
      return call(name, args.map(compile), range: range)
    case .draw(.empirical, let site, let args):
      return compileEmpirical(slot: slot(for: site), args, range: range)
    case .draw(let d, let site, let args):
      let constants: [Double?] = args.map { a in
        switch a.kind {
        case .constant(.real(let x, _)): x
        case .constant(.int(let i)): Double(i)
        default: nil
        }
      }
      return Draws.compile(d, slot: slot(for: site), args: args.map(compile), argTypes: args.map(\.type),
                           constants: constants, resultType: e.type, range: range)
    case .choice(let site, let weights, let alternatives):
      let s = slot(for: site)
      let ws = weights.map(compile), alts = alternatives.map(compile)
      return Draws.choice(slot: s, weights: ws, alternatives: alts, shapes: alternatives.map(choiceShape), range: range)
    case .conditional(let c, let a, let b):
      let cc = compile(c), ca = compile(a), cb = compile(b)
      return { ctx throws(RuntimeError) in try cc(ctx).asBool ? try ca(ctx) : try cb(ctx) }
    case .comprehension(let slot, let source, let element, let filter):
      noteLocal(slot)
      let cs = compile(source), ce = compile(element), cf = filter.map(compile)
      return { ctx throws(RuntimeError) in
        let xs = try cs(ctx).asList
        try ctx.reserveElements(xs.count, at: range)
        var out: [Value] = []
        out.reserveCapacity(xs.count)
        for x in xs {
          ctx.locals[slot] = x
          if let cf, !(try cf(ctx).asBool) { continue }
          out.append(try ce(ctx))
        }
        return .list(out)
      }
    case .quantifier(let q, let slot, let source, let body):
      noteLocal(slot)
      let cs = compile(source), cb = compile(body)
      return { ctx throws(RuntimeError) in
        for x in try cs(ctx).asList {
          ctx.locals[slot] = x
          let holds = try cb(ctx).asBool
          if q == .all, !holds { return .bool(false) }
          if q == .any, holds { return .bool(true) }
        }
        return .bool(q == .all)
      }
    case .construct(let type, let fields, let specifiers):
      return Construction.compile(type: type, fields: fields, specifiers: specifiers, compiler: self, range: range)
    case .invoke(let name, let args):
      let cs = args.map(compile)
      let ranges = args.map(\.range)
      return { ctx throws(RuntimeError) in
        var values: [Value] = []
        for c in cs { values.append(try c(ctx)) }
        return .behavior(BehaviorCall(name: name, arguments: values, argumentRanges: ranges))
      }
    }
  }

  static func isList(_ t: IRType) -> Bool {
    if case .list = t { return true }
    return false
  }

  /// What a `choice` alternative is, for drawing the choice conditioned on a cover bucket.
  func choiceShape(_ e: IRExpr) -> Draws.Alternative {
    switch e.kind {
    case .constant(let v): return .value(Self.value(v))
    case .draw(let d, let site, let args):
      let xs: [Double] = args.compactMap { a in
        switch a.kind {
        case .constant(.real(let x, _)): x
        case .constant(.int(let i)): Double(i)
        default: nil
        }
      }
      guard xs.count == args.count else { return .other }
      let law: (any ContinuousDistribution)?
      switch (d, xs.count) {
      case (.uniform, 2): law = try? UniformDistribution(lower: xs[0], upper: xs[1])
      case (.normal, 2): law = try? NormalDistribution(mean: xs[0], sd: xs[1])
      case (.truncnormal, 4): law = try? TruncatedNormalDistribution(mean: xs[0], sd: xs[1], lower: xs[2], upper: xs[3])
      case (.lognormal, 2): law = try? LogNormalDistribution(mu: xs[0], sigma: xs[1])
      default: law = nil
      }
      guard let law else { return .other }
      return .law(law, slot: slot(for: site))
    default: return .other
    }
  }

  private func variable(_ v: IRVariable, range: SourceRange) -> Eval {
    switch v {
    case .param(let i):
      return { ctx throws(RuntimeError) in
        guard ctx.params.indices.contains(i) else { throw RuntimeError(.unsupported, "unknown param %\(i)", at: range) }
        if let value = ctx.params[i] { return value }
        return try ctx.evaluateParam(i, at: range)
      }
    case .definition(let i):
      return { ctx throws(RuntimeError) in
        guard ctx.definitions.indices.contains(i) else {
          throw RuntimeError(.unsupported, "unknown definition $\(i)", at: range)
        }
        if let value = ctx.definitions[i] { return value }
        return try ctx.definitionValue(i, at: range)
      }
    case .local(let slot):
      noteLocal(slot)
      return { ctx in ctx.locals[slot] }
    case .ego:
      return { ctx throws(RuntimeError) in
        guard let ego = ctx.egoDefinition else {
          throw RuntimeError(.unsupported, "the scenario has no ego actor", at: range)
        }
        return try ctx.definitionValue(ego, at: range)
      }
    case .selfActor:
      return { ctx throws(RuntimeError) in
        if let r = ctx.selfRecord { return .record(r) }
        throw RuntimeError(.unsupported, "'self' has a value only while a behavior runs (in the simulator)", at: range)
      }
    }
  }

  /// The user function `name` as a function of one value (`heading_field(f)` calls it with a
  /// point); nil when there is no such function.
  func unaryFunction(_ name: String, range: SourceRange) -> (@Sendable (Vec3, Context) throws(RuntimeError) -> Value)? {
    guard let index = functionIndex[name] else { return nil }
    let table = functions
    return { p, ctx throws(RuntimeError) in
      try ExprCompiler.invoke(table, index, name, frame: [.vector(p)], ctx, range)
    }
  }

  private func call(_ name: String, _ args: [Eval], range: SourceRange) -> Eval {
    guard let index = functionIndex[name] else {
      return { _ throws(RuntimeError) in throw RuntimeError(.unsupported, "unknown function '\(name)'", at: range) }
    }
    let table = functions
    return { ctx throws(RuntimeError) in
      var frame: [Value] = []
      frame.reserveCapacity(max(table.frameSizes[index], args.count))
      for a in args { frame.append(try a(ctx)) }
      return try ExprCompiler.invoke(table, index, name, frame: frame, ctx, range)
    }
  }

  /// Runs user function `index` on its arguments (`frame`, padded here to the function's
  /// frame size), within the call-depth and nesting bounds; `call` and `unaryFunction` share it.
  @inline(__always)
  private static func invoke(
    _ table: FunctionTable, _ index: Int, _ name: String, frame arguments: [Value], _ ctx: Context, _ range: SourceRange
  ) throws(RuntimeError) -> Value {
    var frame = arguments
    while frame.count < table.frameSizes[index] { frame.append(.void) }
    guard let body = table.bodies[index] else {
      throw RuntimeError(.unsupported, "function '\(name)' has no body", at: range)
    }
    guard ctx.callDepth < 256 else {
      throw RuntimeError(.resourceLimit, "calls nested more than 256 deep (unbounded recursion in '\(name)'?)", at: range)
    }
    // Each call nests its body's levels of evaluation: bound their sum, not only the count.
    let levels = index < table.depths.count ? table.depths[index] : 1
    guard ctx.callLevels + levels <= Context.maxCallLevels else {
      throw RuntimeError(.resourceLimit,
                         "calls nest expressions more than \(Context.maxCallLevels) levels deep (at '\(name)'); split long expressions in the functions it calls",
                         at: range)
    }
    ctx.callDepth += 1
    ctx.callLevels += levels
    let saved = ctx.locals
    ctx.locals = frame
    defer {
      ctx.locals = saved
      ctx.callDepth -= 1
      ctx.callLevels -= levels
    }
    return try body(ctx)
  }

  private func member(_ base: @escaping Eval, type: IRType, name: String, range: SourceRange) -> Eval {
    switch type {
    case .actor(let t), .sensor(let t):
      let staticIndex = typeIndex[t].flatMap { types[$0].fieldIndex[name] }
      let layouts = self.types
      switch name {
      case "radius", "length", "width", "height":
        return { ctx throws(RuntimeError) in
          let r = try Self.record(try base(ctx), ctx, range)
          let s = r.size
          switch name {
          case "radius": return .real((s.x * s.x + s.y * s.y).squareRoot() / 2)
          case "length": return .real(s.x)
          case "width": return .real(s.y)
          default: return .real(s.z)
          }
        }
      default:
        return { ctx throws(RuntimeError) in
          let r = try Self.record(try base(ctx), ctx, range)
          let layout = layouts[r.typeIndex]
          if let i = staticIndex, i < layout.fieldNames.count, layout.fieldNames[i] == name { return r.field(i) }
          guard let i = layout.fieldIndex[name] else {
            throw RuntimeError(.unsupported, "'\(layout.name)' has no field '\(name)'", at: range)
          }
          return r.field(i)
        }
      }
    case .region where FieldNatives.pathMembers.contains(name):
      return FieldNatives.pathEnd(base, end: name == "end", range: range)
    case .region:
      return MapNatives.member(base, name: name, range: range)
    case .vector:
      let axis = ["x": 0, "y": 1, "z": 2][name] ?? 0
      return { ctx throws(RuntimeError) in .real(try base(ctx).asVector[axis]) }
    case .list:
      return { ctx throws(RuntimeError) in .int(Int64(try base(ctx).asList.count)) }
    default:
      // Colours (r, g, b), vectors, and oriented points `(position, heading, pitch, roll)`.
      let channel = ["r": 0, "g": 1, "b": 2, "x": 0, "y": 1, "z": 2, "position": 0, "heading": 1, "pitch": 2, "roll": 3,
                     "kind": 0, "incoming": 1, "connecting": 2, "outgoing": 3][name] ?? 0
      return { ctx throws(RuntimeError) in
        let v = try base(ctx)
        if case .vector(let p) = v { return .real(p[channel]) }
        let xs = v.asList
        guard channel < xs.count else { throw RuntimeError(.unsupported, "no member '\(name)'", at: range) }
        return xs[channel]
      }
    }
  }

  static func record(_ v: Value, _ ctx: Context, _ range: SourceRange) throws(RuntimeError) -> Record {
    guard case .record(let i) = v, ctx.records.indices.contains(i) else {
      throw RuntimeError(.unsupported, "expected an actor", at: range)
    }
    return ctx.records[i]
  }

  static func value(_ v: IRValue) -> Value {
    switch v {
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .real(let x, _): .real(x)
    case .string(let s): .string(s)
    case .vector(let x, let y, let z, _): .vector(Vec3(x, y, z))
    case .color(let r, let g, let b): .tuple([.real(r), .real(g), .real(b)])
    case .enumCase(_, let n): .enumCase(n)
    case .list(let xs): .list(xs.map(value))
    case .tuple(let xs): .tuple(xs.map(value))
    }
  }
}
