import ScnSource
import ScnSyntax

/// The annotations the checker knows: where each may appear and its parameters.
struct AnnotationSpec {
  struct Parameter {
    /// Empty for a positional-only parameter.
    let label: String
    let optional: Bool
    /// `covers: [point in lo..<hi, …]` of `@failure_mode`: cover-point conditions, not a
    /// string; only ever filled by its label.
    var coverList = false
    /// A constant number rather than a string (`@privacy(max_share: 0.01)`).
    var number = false
  }
  let name: String
  let onScenario: Bool
  let parameters: [Parameter]
  /// `@tags("a", "b", …)`: any number of positional strings.
  let variadic: Bool

  static let all: [AnnotationSpec] = [
    // `@asset("name", file: "assets/x.glb", license: "CC0-1.0", attribution: "…", up: "y")`:
    // an imported glTF asset an actor class can use as its shape (repeatable).
    .init(
      name: "asset", onScenario: true,
      parameters: [
        .init(label: "", optional: false), .init(label: "file", optional: false), .init(label: "license", optional: false),
        .init(label: "attribution", optional: true), .init(label: "up", optional: true),
      ], variadic: false),
    .init(name: "citation", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(
      name: "dataset", onScenario: true,
      parameters: [
        .init(label: "name", optional: false), .init(label: "version", optional: false),
        .init(label: "license", optional: false),
      ], variadic: false),
    .init(name: "description", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(name: "doc", onScenario: false, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(
      name: "failure_mode", onScenario: true,
      parameters: [
        .init(label: "id", optional: false), .init(label: "", optional: false),
        .init(label: "covers", optional: true, coverList: true),
      ], variadic: false),
    .init(name: "intended_use", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(name: "limitations", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(name: "out_of_scope", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(name: "owner", onScenario: true, parameters: [.init(label: "", optional: false)], variadic: false),
    .init(
      name: "privacy", onScenario: true,
      parameters: [
        .init(label: "", optional: true), .init(label: "min_record_distance", optional: true, number: true),
        .init(label: "max_share", optional: true, number: true),
      ], variadic: false),
    .init(name: "tags", onScenario: true, parameters: [], variadic: true),
  ]

  static func named(_ n: String) -> AnnotationSpec? { all.first { $0.name == n } }
}

extension Checker {
  /// Checks annotations on a member or field: only `@doc` belongs there.
  func checkMemberAnnotations(_ annotations: [Annotation]) {
    for a in annotations {
      guard let spec = knownAnnotation(a) else { continue }
      if spec.onScenario {
        report(SemaDiagnostics.misplacedAnnotation(a.name.name, onScenario: false, at: a.name.range))
        continue
      }
      _ = annotationArguments(a, spec)
    }
  }

  /// Scenario annotations, checked and converted to constants for the card; `covers` are
  /// the scenario's cover points, which `@failure_mode(covers: …)` names.
  func checkScenarioAnnotations(_ annotations: [Annotation], covers: [CheckedCover] = []) -> [CheckedAnnotation] {
    var result: [CheckedAnnotation] = []
    var seen: Set<String> = []
    for a in annotations {
      guard let spec = knownAnnotation(a) else { continue }
      guard spec.onScenario else {
        report(SemaDiagnostics.misplacedAnnotation(a.name.name, onScenario: true, at: a.name.range))
        continue
      }
      if seen.contains(spec.name), spec.name != "failure_mode", spec.name != "asset" {
        report(SemaDiagnostics.duplicateAnnotation(spec.name, at: a.name.range))
        continue
      }
      seen.insert(spec.name)
      if let args = annotationArguments(a, spec, covers: covers) { result.append(CheckedAnnotation(name: spec.name, arguments: args)) }
    }
    return result
  }

  /// Annotations anywhere but on scenarios and members (actors, functions …) are errors.
  func checkAnnotationsOutsideScenarios() {
    for file in files {
      for decl in file.ast.declarations {
        switch decl.kind {
        case .scenario: continue
        default:
          for a in decl.annotations where knownAnnotation(a) != nil {
            if a.name.name == "doc", let spec = AnnotationSpec.named("doc") {
              _ = annotationArguments(a, spec)
            } else {
              report(SemaDiagnostics.misplacedAnnotation(a.name.name, onScenario: false, at: a.name.range))
            }
          }
        }
      }
    }
  }

  private func knownAnnotation(_ a: Annotation) -> AnnotationSpec? {
    if a.name.isMissing { return nil }
    if let spec = AnnotationSpec.named(a.name.name) { return spec }
    report(
      SemaDiagnostics.unknownAnnotation(
        a.name.name, at: a.name.range,
        suggestion: nearest(a.name.name, in: AnnotationSpec.all.map(\.name))))
    return nil
  }

  /// Matches arguments (named or positional, in any order) and requires string constants.
  private func annotationArguments(
    _ a: Annotation, _ spec: AnnotationSpec, covers: [CheckedCover] = []
  ) -> [(label: String, value: ConstValue)]? {
    let args = a.arguments ?? []
    var values: [(label: String, value: ConstValue)] = []
    var ok = true
    func stringValue(_ arg: Argument) -> ConstValue? {
      let v = check(arg.value, expected: .string, Scope(file: fileIndex(arg.range.file)))
      if case .string? = v.constant { return v.constant }
      if case .list(let xs)? = v.constant, spec.variadic,
        xs.allSatisfy({ if case .string = $0 { true } else { false } })
      {
        return v.constant
      }
      report(SemaDiagnostics.annotationArgumentType(spec.name, found: describe(v.type), at: arg.value.range))
      return nil
    }
    func numberValue(_ arg: Argument) -> ConstValue? {
      let v = check(arg.value, expected: .float, Scope(file: fileIndex(arg.range.file)))
      if let x = v.constant?.number, v.type == .float || v.type == .int { return .real(x, exact: nil) }
      report(
        .error(
          DiagnosticCode("E0288"),
          "expected a constant number for '\(arg.label?.name ?? "")' of @\(spec.name), found \(v.constant == nil && !v.type.isError ? "a value that is not constant" : describe(v.type))",
          at: arg.value.range))
      return nil
    }
    if spec.variadic {
      for arg in args {
        if let label = arg.label {
          report(
            SemaDiagnostics.unknownArgumentLabel(label.name, callee: "@" + spec.name, at: label.range, suggestion: nil))
          ok = false
        } else if let v = stringValue(arg) {
          values.append(("", v))
        } else {
          ok = false
        }
      }
      return ok ? values : nil
    }
    var filled: [ConstValue?] = Array(repeating: nil, count: spec.parameters.count)
    var positional: [Argument] = []
    for arg in args {
      if let label = arg.label {
        guard let i = spec.parameters.firstIndex(where: { $0.label == label.name }) else {
          report(
            SemaDiagnostics.unknownArgumentLabel(
              label.name, callee: "@" + spec.name, at: label.range,
              suggestion: nearest(label.name, in: spec.parameters.map(\.label).filter { !$0.isEmpty })))
          ok = false
          continue
        }
        guard filled[i] == nil else {
          report(SemaDiagnostics.duplicateArgument(label.name, at: arg.range))
          ok = false
          continue
        }
        let v =
          spec.parameters[i].coverList
          ? failureModeCovers(arg.value, covers) : spec.parameters[i].number ? numberValue(arg) : stringValue(arg)
        if let v { filled[i] = v } else { ok = false }
      } else {
        positional.append(arg)
      }
    }
    for arg in positional {
      // Positional arguments fill unlabelled parameters first, then any left.
      let i =
        spec.parameters.indices.first { filled[$0] == nil && spec.parameters[$0].label.isEmpty }
        ?? spec.parameters.indices.first { filled[$0] == nil && !spec.parameters[$0].coverList && !spec.parameters[$0].number }
      guard let i else {
        report(
          SemaDiagnostics.argumentCount(
            "@" + spec.name, expected: spec.parameters.filter { !$0.coverList }.count, found: args.count,
            at: arg.range))
        ok = false
        continue
      }
      if let v = stringValue(arg) { filled[i] = v } else { ok = false }
    }
    let missing = spec.parameters.indices.filter { filled[$0] == nil && !spec.parameters[$0].optional }
    if ok, !missing.isEmpty {
      let names = missing.map { spec.parameters[$0].label.isEmpty ? "a text" : "'\(spec.parameters[$0].label)'" }
      report(SemaDiagnostics.annotationMissingArguments(spec.name, names, at: a.range))
      ok = false
    }
    if ok, spec.name == "privacy", !checkPrivacyPolicy(a, spec, filled) { ok = false }
    guard ok else { return nil }
    for (i, p) in spec.parameters.enumerated() {
      if let v = filled[i] { values.append((p.label, v)) }
    }
    return values
  }

  /// `@privacy`: a text, a policy (`min_record_distance` ≥ 0 with `max_share` in [0, 1],
  /// given together), or both.
  private func checkPrivacyPolicy(_ a: Annotation, _ spec: AnnotationSpec, _ filled: [ConstValue?]) -> Bool {
    func value(_ label: String) -> (Double, SourceRange)? {
      guard let i = spec.parameters.firstIndex(where: { $0.label == label }), let x = filled[i]?.number else { return nil }
      let range = (a.arguments ?? []).first { $0.label?.name == label }?.value.range ?? a.range
      return (x, range)
    }
    let distance = value("min_record_distance"), share = value("max_share")
    let hasText = filled.first.map { $0 != nil } ?? false
    if distance == nil, share == nil {
      if hasText { return true }
      report(SemaDiagnostics.annotationMissingArguments(spec.name, ["a text or 'min_record_distance' with 'max_share'"], at: a.range))
      return false
    }
    guard let (d, dr) = distance, let (s, sr) = share else {
      report(
        .error(
          DiagnosticCode("E0288"), "@privacy needs 'min_record_distance' and 'max_share' together, found only '\(distance == nil ? "max_share" : "min_record_distance")'",
          at: (distance ?? share)?.1 ?? a.range,
          notes: [Note("e.g. @privacy(min_record_distance: 0.05, max_share: 0.01): at most 1 % of generated values closer than 0.05 standard deviations to a real one")]))
      return false
    }
    var ok = true
    if !(d >= 0 && d.isFinite) {
      report(.error(DiagnosticCode("E0288"), "expected 'min_record_distance' of 0 or more (standard deviations of the column), found \(d)", at: dr))
      ok = false
    }
    if !(0...1).contains(s) {
      report(.error(DiagnosticCode("E0288"), "expected 'max_share' between 0 and 1, found \(s)", at: sr))
      ok = false
    }
    return ok
  }

  func fileIndex(_ id: FileID) -> Int { files.firstIndex { $0.id == id } ?? 0 }
}
