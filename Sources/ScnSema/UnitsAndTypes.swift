import ScnSource
import ScnSyntax
import ScnUnits

extension Checker {
  // MARK: - Dimensions and units

  /// Declares every dimension and unit of every loaded file: base units first, then derived
  /// ones in as many passes as their definitions need (a derived unit may use another).
  func declareUnits() {
    var pending: [(Identifier, Expr, Int)] = []
    var declared: [String: SourceRange] = [:]
    for (index, file) in files.enumerated() {
      for decl in file.ast.declarations {
        switch decl.kind {
        case .dimension(let id) where !id.isMissing:
          baseDimensions.append(id.name)
          quantityNames[Dimension(base: id.name)] = quantityNames[Dimension(base: id.name)] ?? id.name
        case .unit(let id, .base(let dim)) where !id.isMissing:
          if let previous = declared[id.name] {
            report(SemaDiagnostics.duplicateDefinition(id.name, at: id.range, previous: previous))
            continue
          }
          guard globals[dim.name]?.kind == .dimension else {
            report(
              SemaDiagnostics.unknownType(dim.name, at: dim.range, suggestion: nearest(dim.name, in: baseDimensions)))
            continue
          }
          declared[id.name] = id.range
          units.declare(ScnUnits.UnitDefinition(name: id.name, dimension: Dimension(base: dim.name), factor: .one))
          if baseUnitOfDimension[dim.name] == nil { baseUnitOfDimension[dim.name] = id.name }
        case .unit(let id, .derived(let e)) where !id.isMissing:
          if let previous = declared[id.name] {
            report(SemaDiagnostics.duplicateDefinition(id.name, at: id.range, previous: previous))
            continue
          }
          declared[id.name] = id.range
          pending.append((id, e, index))
        default:
          continue
        }
      }
    }
    // Resolve derived units until no progress; what is left names unknown units.
    var progress = true
    while progress && !pending.isEmpty {
      progress = false
      var next: [(Identifier, Expr, Int)] = []
      for (id, e, file) in pending {
        if let def = derivedUnit(id, e, reportErrors: false) {
          units.declare(def)
          progress = true
        } else {
          next.append((id, e, file))
        }
      }
      pending = next
    }
    for (id, e, _) in pending { _ = derivedUnit(id, e, reportErrors: true) }
  }

  private func derivedUnit(_ id: Identifier, _ e: Expr, reportErrors: Bool) -> ScnUnits.UnitDefinition? {
    guard case .quantity(let number, let suffix) = e.kind else {
      if reportErrors { report(SemaDiagnostics.unitNeedsQuantity(at: e.range)) }
      return nil
    }
    switch units.resolve(suffix.text) {
    case .success(let resolved):
      if let f = resolved.factor, let v = Rational(decimal: number), let exact = v.multiplied(by: f) {
        return ScnUnits.UnitDefinition(name: id.name, dimension: resolved.dimension, factor: exact)
      }
      guard let value = resolved.baseValue(ofDecimal: number) else { return nil }
      return ScnUnits.UnitDefinition(name: id.name, dimension: resolved.dimension, inexactFactor: value)
    case .failure(let error):
      if reportErrors { reportUnitError(error, suffix: suffix, number: number, literal: e.range, scope: nil) }
      return nil
    }
  }

  /// Reports an unresolvable unit suffix. When the unknown name after a `/` is a value in
  /// scope (`6m/gap`), the fix-it separates it: `6m / gap`.
  func reportUnitError(_ error: UnitError, suffix: UnitSuffix, number: String, literal: SourceRange, scope: Scope?) {
    switch error {
    case .unknownUnit(let name, let offset):
      let start = suffix.range.start + offset
      let range = SourceRange(file: suffix.range.file, start: start, end: start + name.utf8.count)
      let bytes = Array(suffix.text.utf8)
      let isAfterSlash = offset > 0 && offset <= bytes.count && bytes[offset - 1] == UInt8(ascii: "/")
      if isAfterSlash, let scope, scope.isValueName(name, checker: self) {
        let head = String(decoding: bytes[0..<(offset - 1)], as: UTF8.self)
        let tail = String(decoding: bytes[offset...], as: UTF8.self)
        let fixed = number + head + " / " + tail
        report(SemaDiagnostics.unitIsAValue(name, at: range, literal: literal, fixed: fixed))
      } else {
        report(SemaDiagnostics.unknownUnit(name, at: range, suggestion: units.suggestion(for: name)))
      }
    case .malformed:
      report(SemaDiagnostics.malformedUnit(suffix.text, at: suffix.range))
    case .overflow:
      report(SemaDiagnostics.unitOverflow(suffix.text, at: suffix.range))
    }
  }

  // MARK: - Type names

  func describe(_ t: SemaType) -> String {
    switch t {
    case .bool: "Bool"
    case .int: "Int"
    case .string: "String"
    case .quantity(let d): describe(d)
    case .vector(let d):
      if let d, d == Dimension(base: "Length") {
        "Position"
      } else if let d, !d.isDimensionless {
        "Vec3<\(describe(d))>"
      } else {
        "Vec3"
      }
    case .list(let e): "[\(describe(e))]"
    case .tuple(let ts):
      ts.count == 3 && ts.allSatisfy({ $0 == .float }) ? "Color" : "(" + ts.map(describe).joined(separator: ", ") + ")"
    case .enumeration(let n), .actor(let n), .sensor(let n), .material(let n): n
    case .region: "Region"
    case .map: "Map"
    case .headingField: "HeadingField"
    case .behavior: "Behavior"
    case .void: "Void"
    case .error: "<error>"
    }
  }

  func describe(_ d: Dimension) -> String {
    if d.isDimensionless { return "Float" }
    return quantityNames[d] ?? d.description
  }

  /// The coherent unit of a dimension spelled with the base units (`m/s^2`).
  func unitSpelling(_ d: Dimension) -> String {
    if d.isDimensionless { return "1" }
    func term(_ f: Dimension.Factor, _ e: Int) -> String {
      let u = baseUnitOfDimension[f.base] ?? f.base
      return e == 1 ? u : "\(u)^\(e)"
    }
    let num = d.factors.filter { $0.exponent > 0 }.map { term($0, $0.exponent) }
    let den = d.factors.filter { $0.exponent < 0 }.map { term($0, -$0.exponent) }
    var s = num.isEmpty ? "1" : num.joined(separator: "*")
    for x in den { s += "/" + x }
    return s
  }

  // MARK: - Resolving written types

  func resolveType(_ t: TypeExpr, file: Int) -> SemaType {
    switch t.kind {
    case .missing: return .error
    case .list(let e): return .list(resolveType(e, file: file))
    case .tuple(let es): return .tuple(es.map { resolveType($0, file: file) })
    case .product, .quotient, .power, .one:
      guard let d = resolveDimension(t, file: file) else { return .error }
      return .quantity(d)
    case .name(let parts):
      guard let last = parts.last, parts.count == 1 else {
        report(SemaDiagnostics.unknownType(parts.map(\.name).joined(separator: "."), at: t.range, suggestion: nil))
        return .error
      }
      return resolveTypeName(last, file: file)
    }
  }

  func resolveTypeName(_ id: Identifier, file: Int) -> SemaType {
    switch id.name {
    case "Bool": return .bool
    case "Int": return .int
    case "Float": return .float
    case "String": return .string
    case "Vec3": return .vector(nil)
    case "Region": return .region
    case "Map": return .map
    case "HeadingField": return .headingField
    case "": return .error
    default: break
    }
    guard let g = lookupGlobal(id.name, from: file, at: id.range) else {
      let candidates =
        visibleNames(from: file, kinds: [.dimension, .typeAlias, .enumeration, .actor, .sensor, .material])
        + builtinTypeNames.sorted()
      report(SemaDiagnostics.unknownType(id.name, at: id.range, suggestion: nearest(id.name, in: candidates)))
      return .error
    }
    switch g.kind {
    case .dimension: return .quantity(Dimension(base: g.name))
    case .typeAlias: return aliasType(g.name) ?? .error
    case .enumeration: return .enumeration(g.name)
    case .actor: return .actor(g.name)
    case .sensor: return .sensor(g.name)
    case .material: return .material(g.name)
    default:
      report(SemaDiagnostics.notAType(id.name, at: id.range))
      return .error
    }
  }

  func resolveDimension(_ t: TypeExpr, file: Int) -> Dimension? {
    switch t.kind {
    case .one: return .dimensionless
    case .product(let a, let b):
      guard let x = resolveDimension(a, file: file), let y = resolveDimension(b, file: file) else { return nil }
      return x * y
    case .quotient(let a, let b):
      guard let x = resolveDimension(a, file: file), let y = resolveDimension(b, file: file) else { return nil }
      return x / y
    case .power(let a, let text):
      guard let x = resolveDimension(a, file: file) else { return nil }
      guard let k = Int(text), abs(k) <= 64 else {
        report(SemaDiagnostics.badExponent(text, at: t.range))
        return nil
      }
      return x.power(k)
    default:
      switch resolveType(t, file: file) {
      case .quantity(let d): return d
      case .error: return nil
      case let other:
        report(SemaDiagnostics.notADimension(describe(other), at: t.range))
        return nil
      }
    }
  }

  /// The type a `type X = …` alias stands for. `Position` is the built-in `Vec3` of lengths.
  func aliasType(_ name: String) -> SemaType? {
    if let cached = aliasCache[name] {
      if case .done(let t) = cached { return t }
      if let g = globals[name], let id = g.decl.name {
        report(SemaDiagnostics.definitionCycle([name, name], at: id.range))
      }
      return .error
    }
    guard let g = globals[name], case .typeAlias(_, let te) = g.decl.kind else { return nil }
    guard nesting < maxNesting else {
      report(SemaDiagnostics.nestedTooDeeply(name, at: g.decl.name?.range ?? g.decl.range))
      return .error
    }
    nesting += 1
    defer { nesting -= 1 }
    aliasCache[name] = .inProgress
    var t = resolveType(te, file: g.file)
    if name == "Position", t == .vector(nil) { t = .position }
    if case .quantity(let d) = t, quantityNames[d] == nil { quantityNames[d] = name }
    aliasCache[name] = .done(t)
    return t
  }

  // MARK: - Assignability

  /// Whether a value of type `actual` may be used where `expected` is wanted.
  func accepts(_ expected: SemaType, _ actual: SemaType) -> Bool {
    if expected == actual || expected.isError || actual.isError { return true }
    switch (expected, actual) {
    case (.quantity(let d), .int): return d.isDimensionless
    case (.vector(let d), .vector(let e)): return d == nil || e == nil || d == e
    case (.vector(let d), .tuple(let ts)):
      guard ts.count == 3 else { return false }
      let dims = ts.compactMap(\.numericDimension)
      guard dims.count == 3 else { return ts.contains(.error) }
      return dims.allSatisfy { $0 == dims[0] } && (d == nil || d == dims[0])
    case (.tuple(let ts), .vector(let d)):
      return ts.count == 3 && ts.allSatisfy { accepts($0, d.map(SemaType.quantity) ?? .error) }
    case (.tuple(let a), .tuple(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { accepts($0, $1) }
    case (.list(let a), .list(let b)): return accepts(a, b)
    case (.region, .map): return true
    case (.actor(let a), .actor(let b)), (.sensor(let a), .sensor(let b)), (.material(let a), .material(let b)):
      return isSubtype(b, of: a)
    default: return false
    }
  }

  func isSubtype(_ a: String, of b: String) -> Bool {
    if a == b { return true }
    guard let r = record(a) else { return false }
    return r.bases.contains(b)
  }

  // MARK: - Records (actor and sensor types)

  func record(_ name: String) -> RecordInfo? {
    if let cached = recordCache[name] {
      if case .done(let r) = cached { return r }
      return nil
    }
    guard let g = globals[name] else { return nil }
    let isSensor: Bool
    let baseId: Identifier?
    let fields: [FieldDecl]
    switch g.decl.kind {
    case .actor(_, let b, let fs):
      isSensor = false
      baseId = b
      fields = fs
    case .sensor(_, let b, let fs):
      isSensor = true
      baseId = b
      fields = fs
    case .material(_, let b, let fs):
      isSensor = false
      baseId = b
      fields = fs
    default: return nil
    }
    guard nesting < maxNesting else {
      report(SemaDiagnostics.nestedTooDeeply(name, at: g.decl.name?.range ?? g.decl.range))
      return nil
    }
    nesting += 1
    defer { nesting -= 1 }
    recordCache[name] = .inProgress
    let isMaterial = g.kind == .material
    let baseKind: GlobalSymbol.Kind = isSensor ? .sensor : isMaterial ? .material : .actor
    var base: RecordInfo?
    if let baseId, !baseId.isMissing {
      if case .inProgress = recordCache[baseId.name] {
        report(SemaDiagnostics.inheritanceCycle(name, base: baseId.name, at: baseId.range))
      } else if let bg = lookupGlobal(baseId.name, from: g.file, at: baseId.range),
        bg.kind == baseKind
      {
        base = record(baseId.name)
      } else {
        let candidates = visibleNames(from: g.file, kinds: [baseKind])
        if isMaterial {
          report(SemaDiagnostics.badMaterialBase(baseId.name, at: baseId.range, suggestion: nearest(baseId.name, in: candidates)))
        } else {
        report(
          SemaDiagnostics.badBase(
            baseId.name, isSensor: isSensor, at: baseId.range,
            suggestion: nearest(baseId.name, in: candidates)))
        }
      }
    }
    let info = RecordInfo(name: name, isSensor: isSensor, bases: base.map { [$0.name] + $0.bases } ?? [])
    info.isMaterial = isMaterial
    if let base {
      info.fieldOrder = base.fieldOrder
      info.fields = base.fields
    }
    // Publish before checking defaults: a default may construct another actor.
    recordCache[name] = .done(info)
    var seen: Set<String> = []
    for f in fields where !f.name.isMissing {
      if seen.contains(f.name.name) {
        report(SemaDiagnostics.duplicateDefinition(f.name.name, at: f.name.range, previous: nil))
        continue
      }
      seen.insert(f.name.name)
      checkMemberAnnotations(f.annotations)
      let inherited = info.fields[f.name.name]
      // A material whose base could not be resolved has reported that already.
      if isMaterial, baseId != nil, base == nil { continue }
      if isMaterial, inherited == nil, baseId != nil {
        report(SemaDiagnostics.materialAddsField(f.name.name, material: name, at: f.name.range))
        continue
      }
      if !isSensor, !isMaterial, Self.derivedActorFields.contains(f.name.name) {
        report(SemaDiagnostics.derivedField(f.name.name, at: f.name.range))
        continue
      }
      var type = f.type.map { resolveType($0, file: g.file) } ?? inherited?.type ?? .error
      if f.type == nil && inherited == nil {
        report(SemaDiagnostics.fieldNeedsType(f.name.name, at: f.name.range))
      }
      if let inherited, f.type != nil, !inherited.type.isError, !type.isError,
        !(accepts(inherited.type, type) && accepts(type, inherited.type))
      {
        report(
          SemaDiagnostics.fieldOverrideType(
            f.name.name, base: describe(inherited.type), found: describe(type),
            at: f.type?.range ?? f.name.range))
      }
      var defaultValue = inherited?.defaultValue
      if let d = f.defaultValue {
        let scope = Scope(file: g.file)
        let typed = check(d, expected: type, scope)
        expectType(type, typed)
        if f.name.name == "class", !isSensor { checkClassNames(typed) }
        if typed.isRandom { report(SemaDiagnostics.randomDefault(f.name.name, at: d.range)) }
        if isMaterial { checkMaterialFieldRange(f.name.name, typed) }
        if case .vector(nil) = type, case .vector(let dim?) = typed.type { type = .vector(dim) }
        defaultValue = typed
      }
      if inherited == nil { info.fieldOrder.append(f.name.name) }
      var checked = CheckedField(
        name: f.name.name, type: type, defaultValue: defaultValue,
        doc: docText(f.annotations) ?? inherited?.doc)
      // `var` is inherited: an override without it keeps the field assignable.
      checked.isVar = f.isVar || inherited?.isVar == true
      checked.declaration = f.isVar && inherited?.isVar != true ? f.name.range : inherited?.declaration ?? f.name.range
      info.fields[f.name.name] = checked
    }
    if isMaterial, baseId == nil || baseId?.isMissing == true { checkRootMaterial(info, decl: g) }
    return info
  }

  /// Read-only fields every actor has, derived from `size`: `radius` (half the footprint
  /// diagonal) and `length`, `width`, `height` (its components).
  static let derivedActorFields = ["height", "length", "radius", "width"]

  /// The type of `field` on a record type, including the derived fields of every actor.
  func fieldType(of recordName: String, _ field: String) -> SemaType? {
    guard let r = record(recordName) else { return nil }
    if let f = r.fields[field] { return f.type }
    if Self.derivedActorFields.contains(field), !r.isSensor, !r.isMaterial { return .quantity(Dimension(base: "Length")) }
    return nil
  }

  func fieldNames(of recordName: String) -> [String] {
    guard let r = record(recordName) else { return [] }
    return r.fieldOrder + (r.isSensor || r.isMaterial ? [] : Self.derivedActorFields.filter { r.fields[$0] == nil })
  }

  /// The text of an `@doc` annotation. `///` comments are deliberately not used: they are
  /// comments, and the IR (whose hash is the scenario identity) must not depend on them.
  func docText(_ annotations: [Annotation]) -> String? {
    for a in annotations where a.name.name == "doc" {
      if let arg = a.arguments?.first, case .string(let s) = arg.value.kind { return s }
    }
    return nil
  }
}
