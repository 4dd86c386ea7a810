import ScnScene
import ScnSource

extension SemaDiagnostics {
  static func partMaterialNoPart(
    _ name: String, kind: String, labels: [String], groups: Bool, at r: SourceRange, suggestion: String?
  ) -> Diagnostic {
    var shown = labels.prefix(24).joined(separator: ", ") + (labels.count > 24 ? ", …" : "")
    if groups { shown += "; or a group: " + PartNames.personGroups.keys.sorted().joined(separator: ", ") }
    let expected =
      labels.isEmpty
      ? "a '\(kind)' has no labelled parts: set its look with 'material'"
      : "expected a part label or the first words of one (e.g. 'wheel' for 'wheel_front_left'): \(shown)"
    return .warning(
      DiagnosticCode("W0611"),
      "'part_materials' names part '\(name)', which shape '\(kind)' does not have: the entry would stop the run",
      at: r, notes: suggestion.map { [Note("did you mean '\($0)'?")] }.map { $0 + [Note(expected)] } ?? [Note(expected)],
      fixIts: suggestion.map { s in [FixIt("use '\(s)'", edits: [TextEdit(range: r, replacement: "\"\(s)\"")])] } ?? [])
  }
}

extension Checker {
  /// W0611: an actor construction whose `part_materials` names, as a constant string, a part
  /// its shape does not have, when the shape is known at check time (a constant `shape`
  /// given or the type's default, not `asset`). The runtime refuses such an entry when the
  /// actor is built (docs/scene-model.md, "Materials"); this says so before sampling.
  func checkPartMaterialNames(_ info: RecordInfo, typed: [(name: String, value: TypedExpr)]) {
    guard let value = typed.first(where: { $0.name == "part_materials" })?.value else { return }
    func constant(_ field: String) -> ConstValue? {
      if let given = typed.first(where: { $0.name == field }) { return given.value.constant }
      return info.fields[field]?.defaultValue?.constant
    }
    guard case .enumCase(_, let kind)? = constant("shape") else { return }
    var rider = true
    if case .bool(let b)? = constant("rider") { rider = b }
    guard let labels = PartNames.labels(kind: kind, rider: rider) else { return }
    guard case .list(let entries) = value.kind else { return }
    for entry in entries {
      guard case .tuple(let xs) = entry.kind, let first = xs.first, case .string(let name)? = first.constant else {
        continue
      }
      if labels.contains(where: { PartNames.covers(name, label: $0, kind: kind) }) { continue }
      // Suggest among the labels and their first words (and a person's groups).
      var candidates = labels
      for l in labels {
        if let word = l.split(separator: "_").first.map(String.init), !candidates.contains(word) { candidates.append(word) }
      }
      if kind == "person" { candidates += PartNames.personGroups.keys.sorted() }
      report(
        SemaDiagnostics.partMaterialNoPart(
          name, kind: kind, labels: labels, groups: kind == "person", at: first.range,
          suggestion: nearest(name, in: candidates)))
    }
  }
}
