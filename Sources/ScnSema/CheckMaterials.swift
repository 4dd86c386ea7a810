import ScnSource
import ScnSyntax
import ScnUnits

/// Materials as plain values (docs/scene-model.md, "Materials"): `material Paint : Material
/// { roughness = 0.35 }` declares a record type that is not an actor, and `Paint { color:
/// RED }` builds a value of it. The checker turns a construction into the tuple (type name,
/// then the root's fields in `MaterialLayout` order, defaults filled in), and a member
/// `m.roughness` into an index into it, so the runtime sees ordinary tuples.
extension SemaType {
  /// The types of the root `Material`'s fields, in `MaterialLayout.fieldNames` order.
  public static let materialFields: [SemaType] = [
    .tuple([.float, .float, .float]), .float, .float, .enumeration("Texture"),
    .quantity(Dimension(base: "LuminousIntensity") / Dimension(base: "Length").power(2)), .float,
  ]
  /// The tuple a material value is: its type's name, then the fields.
  public static let materialTuple = SemaType.tuple([.string] + materialFields)
}

extension SemaDiagnostics {
  static func specifierOnMaterial(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0609"), "a material is a value, not an actor: it takes no specifiers", at: r,
      notes: [Note("set it as an actor's 'material' field: 'Box { material: Paint { … } }'")])
  }
  static func materialOutOfRange(_ problem: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0610"), problem, at: r)
  }
  static func materialWithoutBase(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0611"), "material '\(name)' must extend '\(MaterialLayout.rootName)' or another material", at: r,
      notes: [Note("the renderer reads every material by the prelude's 'Material' fields")],
      fixIts: [FixIt("extend Material", edits: [TextEdit(range: SourceRange(file: r.file, start: r.end, end: r.end), replacement: " : Material")])])
  }
  static func badRootMaterial(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0611"),
      "the root 'Material' must declare exactly the fields \(MaterialLayout.fieldNames.joined(separator: ", ")) with their prelude types",
      at: r)
  }
  static func materialAddsField(_ field: String, material: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0612"),
      "material '\(material)' declares a new field '\(field)'; a material may only change the defaults of Material's fields",
      at: r, notes: [Note("Material's fields: \(MaterialLayout.fieldNames.joined(separator: ", "))")])
  }
  static func shapeMaterialFields(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0613"),
      "'\(MaterialLayout.shapeMaterialName)' stands for the shape's own material and takes no fields", at: r,
      notes: [Note("to change a field, give a material of its own, e.g. 'Material { roughness: 0.2 }'")])
  }
  static func badMaterialBase(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0614"), "'\(name)' is not a material type", at: r,
      notes: suggestion.map { [Note("did you mean '\($0)'?")] } ?? [],
      fixIts: suggestion.map { [FixIt("use '\($0)'", edits: [TextEdit(range: r, replacement: $0)])] } ?? [])
  }
  static func colorIgnored(at r: SourceRange, removing removal: SourceRange, material: SourceRange) -> Diagnostic {
    .warning(
      DiagnosticCode("W0610"), "'color' has no effect: the actor's 'material' sets its look", at: r,
      notes: [Note("the material is given here", at: material)],
      fixIts: [FixIt("remove 'color'", edits: [TextEdit(range: removal, replacement: "")])])
  }
}

extension Checker {
  /// `Paint { color: RED, roughness: uniform(0.2, 0.6) }`: the tuple of the type's name and
  /// every field (given or default), typed as the material.
  func materialValue(
    _ info: RecordInfo, fields typedFields: [(name: String, value: TypedExpr)], specifiers: [Specifier],
    base: Expr, range: SourceRange
  ) -> TypedExpr {
    if let s = specifiers.first { report(SemaDiagnostics.specifierOnMaterial(at: s.range)) }
    if info.name == MaterialLayout.shapeMaterialName, !typedFields.isEmpty {
      report(SemaDiagnostics.shapeMaterialFields(at: typedFields[0].value.range))
    }
    for f in typedFields { checkMaterialFieldRange(f.name, f.value) }
    var parts = [constantExpr(.string(info.name), .string, base.range)]
    for name in MaterialLayout.fieldNames {
      if let given = typedFields.first(where: { $0.name == name }) {
        parts.append(given.value)
      } else if let d = info.fields[name]?.defaultValue {
        parts.append(TypedExpr(d.kind, type: d.type, isRandom: d.isRandom, constant: d.constant, range: base.range))
      } else {
        return invalid(range)
      }
    }
    let constants = parts.compactMap(\.constant)
    return TypedExpr(
      .tuple(parts), type: .material(info.name), isRandom: parts.contains { $0.isRandom },
      constant: constants.count == parts.count ? .tuple(constants) : nil, range: range)
  }

  /// `m.roughness` on a material value: the field's element of the tuple.
  func materialMember(_ b: TypedExpr, material: String, _ name: Identifier, range: SourceRange) -> TypedExpr {
    guard let k = MaterialLayout.fieldNames.firstIndex(of: name.name) else {
      report(
        SemaDiagnostics.unknownField(
          name.name, of: material, at: name.range, suggestion: nearest(name.name, in: MaterialLayout.fieldNames)))
      return invalid(range)
    }
    var folded: ConstValue?
    if case .tuple(let xs)? = b.constant, k + 1 < xs.count { folded = xs[k + 1] }
    let index = constantExpr(.int(Int64(k + 1)), .int, name.range)
    return TypedExpr(
      .index(b, index), type: SemaType.materialFields[k], isRandom: b.isRandom, constant: folded, range: range)
  }

  /// E0610: a material field's constant value, or a constant bound of the draw that gives
  /// it, outside the field's range (`MaterialLayout.problem`). Other random values are
  /// checked when the scene is built.
  func checkMaterialFieldRange(_ field: String, _ v: TypedExpr) {
    func check(_ c: ConstValue, at r: SourceRange) {
      if field == "color", case .tuple(let xs) = c {
        for x in xs { if let n = x.number, let p = MaterialLayout.problem(field: field, value: n) {
          report(SemaDiagnostics.materialOutOfRange(p, at: r))
          return
        } }
      } else if let n = c.number, let p = MaterialLayout.problem(field: field, value: n) {
        report(SemaDiagnostics.materialOutOfRange(p, at: r))
      }
    }
    if let c = v.constant {
      check(c, at: v.range)
      return
    }
    switch v.kind {
    case .draw(let d, let args) where d == .uniform || d == .oneOf || d == .truncnormal:
      // uniform(a, b), one_of(a, b, …), truncnormal(mean, sd, lo, hi): the bounds.
      let bounds = d == .truncnormal ? Array(args.dropFirst(2)) : args
      for a in bounds { if let c = a.constant { check(c, at: a.range) } }
    case .choice(_, let alternatives):
      for a in alternatives { checkMaterialFieldRange(field, a) }
    default:
      break
    }
  }

  /// The root material (no base): only the prelude's `Material`, with exactly the layout's
  /// fields and types.
  func checkRootMaterial(_ info: RecordInfo, decl g: GlobalSymbol) {
    let at = g.decl.name?.range ?? g.decl.range
    guard info.name == MaterialLayout.rootName, files[g.file].isStdLib else {
      report(SemaDiagnostics.materialWithoutBase(info.name, at: at))
      return
    }
    let types = info.fieldOrder.compactMap { info.fields[$0]?.type }
    if info.fieldOrder != MaterialLayout.fieldNames || types != SemaType.materialFields
      || info.fieldOrder.contains(where: { info.fields[$0]?.defaultValue == nil })
    {
      report(SemaDiagnostics.badRootMaterial(at: at))
    }
  }

  /// W0610: an actor construction that gives both `color` and `material` (the material
  /// decides the look; the colour is unused unless the material is `ShapeMaterial`).
  func checkColorBesideMaterial(_ fields: [ScnSyntax.FieldInit], typed: [(name: String, value: TypedExpr)]) {
    guard let colour = fields.first(where: { $0.name.name == "color" }),
      let material = typed.first(where: { $0.name == "material" })?.value
    else { return }
    if case .tuple(let parts) = material.kind, case .string(MaterialLayout.shapeMaterialName)? = parts.first?.constant {
      return
    }
    guard case .material = material.type else { return }
    // The fix-it removes the field with its separator: up to the next field, or from the
    // end of the previous one.
    var removal = colour.range
    if let k = fields.firstIndex(where: { $0.range == colour.range }) {
      if k + 1 < fields.count {
        removal = SourceRange(file: colour.range.file, start: colour.range.start, end: fields[k + 1].range.start)
      } else if k > 0 {
        removal = SourceRange(file: colour.range.file, start: fields[k - 1].range.end, end: colour.range.end)
      }
    }
    report(SemaDiagnostics.colorIgnored(at: colour.range, removing: removal, material: material.range))
  }
}
