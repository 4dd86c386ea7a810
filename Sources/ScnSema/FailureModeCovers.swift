import ScnSource
import ScnSyntax

/// `@failure_mode(id: "FM-22", "…", covers: [lighting in 0lx..<10lx, weather == rain])`:
/// the cover-point buckets that exercise a failure mode.
///
/// Each entry names a `cover` point of the scenario. A point with bucket edges takes a
/// half-open range `lo..<hi` whose ends are edges of that point, so the range is exactly a
/// run of one or more buckets; a point with one bucket per value (Int, Bool, enum) takes
/// `== value`. A sample reaches the failure mode when every entry holds (one entry per
/// point). Checked entries become constants: `(point, lo, hi)` in base units, or
/// `(point, value)`.
extension Checker {
  func failureModeCovers(_ e: Expr, _ covers: [CheckedCover]) -> ConstValue? {
    guard case .list(let entries) = e.kind else {
      report(SemaDiagnostics.failureModeCoversForm(at: e.range))
      return nil
    }
    var result: [ConstValue] = []
    var seen: [String: SourceRange] = [:]
    var ok = true
    for entry in entries {
      guard let checked = failureModeCover(entry, covers, seen: &seen) else {
        ok = false
        continue
      }
      result.append(checked)
    }
    return ok ? .list(result) : nil
  }

  private func failureModeCover(_ e: Expr, _ covers: [CheckedCover], seen: inout [String: SourceRange]) -> ConstValue? {
    guard case .comparison(let lhs, let links) = e.kind, links.count == 1, case .name(let id) = lhs.kind,
      let link = links.first, link.op == .in || link.op == .equal
    else {
      report(SemaDiagnostics.failureModeCoversForm(at: e.range))
      return nil
    }
    guard let cover = covers.last(where: { $0.name == id.name }) else {
      report(
        SemaDiagnostics.unknownCoverPoint(
          id.name, at: id.range, suggestion: nearest(id.name, in: covers.map(\.name))))
      return nil
    }
    if let previous = seen[id.name] {
      report(SemaDiagnostics.duplicateFailureModeCover(id.name, at: e.range, previous: previous))
      return nil
    }
    seen[id.name] = e.range
    let scope = Scope(file: fileIndex(e.range.file))
    if let edges = cover.edges {
      guard link.op == .in, case .range(let lo, let hi, let halfOpen) = link.rhs.kind, halfOpen else {
        report(SemaDiagnostics.failureModeCoverRange(id.name, at: link.rhs.range))
        return nil
      }
      var bounds: [ConstValue] = []
      for bound in [lo, hi] {
        let v = check(bound, expected: cover.value.type, scope)
        guard !v.type.isError else { return nil }
        guard expectType(cover.value.type, v, what: "bound of cover point '\(id.name)'") else { return nil }
        guard let x = v.constant?.number, edges.contains(where: { abs($0 - x) <= 1e-9 * max(1, abs($0)) }) else {
          report(
            SemaDiagnostics.failureModeCoverEdge(
              text(bound.range), point: id.name, edges: cover.edgeTexts, at: bound.range))
          return nil
        }
        bounds.append(.real(x, exact: nil))
      }
      guard let a = bounds.first?.number, let b = bounds.last?.number, a < b else {
        report(SemaDiagnostics.failureModeCoverRange(id.name, at: link.rhs.range))
        return nil
      }
      return .tuple([.string(id.name)] + bounds)
    }
    guard link.op == .equal else {
      report(SemaDiagnostics.failureModeCoverValue(id.name, at: link.rhs.range))
      return nil
    }
    let v = check(link.rhs, expected: cover.value.type, scope)
    guard !v.type.isError else { return nil }
    guard expectType(cover.value.type, v, what: "value of cover point '\(id.name)'") else { return nil }
    guard let constant = v.constant else {
      report(SemaDiagnostics.failureModeCoverValue(id.name, at: link.rhs.range))
      return nil
    }
    return .tuple([.string(id.name), constant])
  }
}
