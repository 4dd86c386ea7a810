import ScnDataset
import ScnIR
import ScnRuntime
import ScnScene
import ScnSensors

/// The dataset card's content, read from the entry scenario's annotations (`@dataset`,
/// `@description`, `@intended_use`, `@out_of_scope`, `@failure_mode`, `@limitations`,
/// `@privacy`, `@owner`, `@tags`, `@citation`), its params' `@doc`s with the distribution as
/// the IR printer writes it, the sensors, the label types their outputs imply, and the class
/// table with palette colours.
enum CardFromIR {
  static func card(
    scenario: ScenarioIR, classes: ClassTable, sensors: [SensorPlan], coverSpecs: [CoverSpec], author: AuthorText
  ) -> DatasetCardInfo {
    func annotation(_ name: String) -> IRAnnotation? { scenario.annotations.first { $0.name == name } }
    func text(_ a: IRAnnotation?, label: String = "") -> String? {
      guard let a else { return nil }
      let found = a.arguments.first { $0.label == label } ?? (label.isEmpty ? a.arguments.first : nil)
      return found.map { plain($0.value) }
    }
    let dataset = annotation("dataset")
    let name = text(dataset, label: "name") ?? scenario.name
    let failureModes = scenario.annotations.filter { $0.name == "failure_mode" }.map { a in
      FailureMode(
        id: text(a, label: "id") ?? "", text: a.arguments.first { $0.label.isEmpty }.map { plain($0.value) } ?? "",
        covers: a.arguments.first { $0.label == "covers" }.map { failureModeCovers($0.value, coverSpecs) } ?? [])
    }
    let tags = annotation("tags").map { $0.arguments.map { plain($0.value) } } ?? []
    // Types and values as written; the IR's own spelling only where the source has none.
    let params = scenario.params.map { p in
      let written = author.text(p.value.range)
      var unit: DisplayUnit?
      if case .quantity(let d) = p.type, let written { unit = author.authorUnit(in: written, dimension: d) }
      return ParamDoc(
        name: p.name, type: author.declaredType(of: p) ?? p.type.description,
        distribution: written ?? IRPrinter.expr(p.value), doc: p.doc ?? "", unit: unit,
        declared: AuthorText.declaredLaw(p.value))
    }
    var outputs: Set<String> = []
    var hasLidar = false
    for s in sensors {
      switch s.kind {
      case .camera(_, _, _, _, let o): outputs.formUnion(o)
      case .lidar: hasLidar = true
      }
    }
    var labelTypes: [String] = []
    var tasks: [String] = []
    if outputs.contains("boxes2d") {
      labelTypes += ["2d-bounding-boxes", "instance-masks (COCO RLE)"]
      tasks.append("object-detection")
    }
    if outputs.contains("boxes3d") { labelTypes.append("3d-bounding-boxes (KITTI)") }
    if outputs.contains("instance") { labelTypes.append("instance-segmentation") }
    if outputs.contains("parts") { labelTypes.append("part-segmentation") }
    if outputs.contains("semantic") {
      labelTypes.append("semantic-segmentation")
      tasks.append("image-segmentation")
    }
    if outputs.contains("depth") {
      labelTypes.append("depth")
      tasks.append("depth-estimation")
    }
    if hasLidar { labelTypes.append("lidar-point-clouds") }
    if tasks.isEmpty { tasks.append("image-classification") }
    // The ground plane (id 1) is in every scene; the program's classes follow from id 2.
    let stuff = classes.stuff
    let stuffIDs: Set<UInt8> = [stuff.road, stuff.laneMarking, stuff.sidewalk, stuff.curb, stuff.wall]
    let classes =
      [LabelClass(id: Int(SemanticClass.ground), name: "ground", color: SemanticPalette.colour(of: SemanticClass.ground),
                  stuff: true)]
      + classes.names.enumerated().map { k, n in
        let id = UInt8(clamping: k + 2)
        return LabelClass(id: k + 2, name: n, color: SemanticPalette.colour(of: id), stuff: stuffIDs.contains(id) ? true : nil)
      }
    let covers = coverSpecs.map { spec in
      let modes = failureModes.filter { $0.covers.contains { $0.point == spec.name } }.map(\.id)
      var unit: DisplayUnit?
      if case .edges = spec.kind, let cover = scenario.covers.first(where: { $0.name == spec.name }),
        case .quantity(let d) = cover.value.type
      {
        unit = author.authorUnit(in: spec.edgeTexts.joined(separator: ", "), dimension: d)
      }
      return CoverPointPlan(
        name: spec.name, buckets: spec.knownKeys.map { spec.label($0) },
        failureMode: modes.isEmpty ? nil : modes.joined(separator: ", "), unit: unit)
    }
    let environment = scenario.environment.map {
      ParamDoc(
        name: $0.name, type: $0.value.type.description, distribution: author.text($0.value.range) ?? IRPrinter.expr($0.value),
        doc: "")
    }
    return DatasetCardInfo(
      name: name, version: text(dataset, label: "version") ?? "0.0.0", license: text(dataset, label: "license"),
      description: text(annotation("description")) ?? "", intendedUse: text(annotation("intended_use")) ?? "",
      outOfScopeUse: text(annotation("out_of_scope")) ?? "", failureModes: failureModes,
      limitations: text(annotation("limitations")) ?? "",
      privacy: annotation("privacy")?.arguments.first { $0.label.isEmpty }.map { plain($0.value) },
      owner: text(annotation("owner")) ?? "", homepage: text(dataset, label: "homepage"), tags: tags,
      citation: text(annotation("citation")), params: params,
      sensors: sensors.map { SensorDoc(name: $0.name, type: $0.typeName, settings: $0.settingsText) },
      labelTypes: labelTypes, taskCategories: tasks, classes: classes, coverPoints: covers,
      requirements: scenario.requirements.map { r in
        RequirementDoc(name: requirementName(r.requirement.mode, r.requirement.text), text: r.requirement.text)
      },
      environment: environment, modelledEffects: modelledEffects(scenario.environment))
  }

  /// A requirement as `samples.jsonl` counts its rejections and the card's acceptance table
  /// names it: the kind and the source text (`require visible(person, from: cam)`).
  static func requirementName(_ mode: RequirementIR.Mode, _ text: String) -> String {
    let kind: String
    switch mode {
    case .hard: kind = "require"
    case .soft(let p): kind = "require[\(p)]"
    case .always: kind = "require always"
    case .eventually: kind = "require eventually"
    }
    return kind + " " + text
  }

  /// The name a check's rejections are counted under: requirements by their text, the other
  /// checks (`no overlap`, `cover target`) by their label.
  static func name(of check: CheckInfo) -> String {
    if case .requirement(let mode) = check.kind { return requirementName(mode, check.text) }
    return check.label
  }

  /// `covers: [(point, lo, hi) | (point, value)]` as bucket labels: the intervals of the
  /// point lying within `[lo, hi)`, or the one bucket of the value.
  static func failureModeCovers(_ v: IRValue, _ specs: [CoverSpec]) -> [FailureModeCover] {
    guard case .list(let entries) = v else { return [] }
    return entries.compactMap { entry in
      guard case .tuple(let parts) = entry, case .string(let point)? = parts.first,
        let spec = specs.first(where: { $0.name == point })
      else { return nil }
      switch (spec.kind, parts.count) {
      case (.edges(let edges, _), 3):
        guard case .real(let lo, _) = parts[1], case .real(let hi, _) = parts[2] else { return nil }
        let keys = spec.targetKeys.filter { key in
          guard case .interval(let i) = key, i + 1 < edges.count else { return false }
          return edges[i] >= lo - 1e-9 * max(1, abs(lo)) && edges[i + 1] <= hi + 1e-9 * max(1, abs(hi))
        }
        return FailureModeCover(point: point, buckets: keys.map { spec.label($0) })
      case (.values, 2):
        let key: CoverKey
        switch parts[1] {
        case .int(let i): key = .int(i)
        case .bool(let b): key = .bool(b)
        case .enumCase(_, let name): key = .name(name)
        case .string(let s): key = .name(s)
        default: return nil
        }
        return FailureModeCover(point: point, buckets: [spec.label(key)])
      default: return nil
      }
    }
  }


  /// The effects the sensors model for the conditions this environment can produce: every
  /// `Weather` case its `weather` expression names (clear without one), fog when `fog` or
  /// `visibility` is set, indoors and outdoors as `indoor` allows.
  static func modelledEffects(_ fields: [IRExpr.FieldInit]) -> [String] {
    func field(_ name: String) -> IRExpr? { fields.first { $0.name == name }?.value }
    func cases(_ e: IRExpr) -> (enums: Set<String>, bools: Set<Bool>) {
      var enums: Set<String> = []
      var bools: Set<Bool> = []
      var work = [e]
      while let next = work.popLast() {
        if case .constant(let v) = next.kind {
          if case .enumCase(_, let name) = v { enums.insert(name) }
          if case .bool(let b) = v { bools.insert(b) }
        }
        work += next.children
      }
      return (enums, bools)
    }
    let weathers = field("weather").map { cases($0).enums } ?? ["clear"]
    // A non-constant `indoor` may be either.
    let indoorValues: Set<Bool> =
      field("indoor").map { e in
        if case .constant(.bool(let b)) = e.kind { return [b] }
        return [false, true]
      } ?? [false]
    let outdoor = indoorValues.contains(false)
    var fog = field("visibility") != nil
    if let f = field("fog") {
      if case .constant(let v) = f.kind, case .real(let x, _) = v { fog = fog || x > 0 } else { fog = true }
    }
    return ModelledEffects.describe(
      outdoor: outdoor, indoor: indoorValues.contains(true), clear: weathers.contains("clear"),
      overcast: outdoor && weathers.contains("overcast"), rain: outdoor && weathers.contains("rain"),
      snow: outdoor && weathers.contains("snow"), fog: fog)
  }

  /// An annotation argument as card text: strings without quotes, anything else as printed.
  /// `@privacy(min_record_distance: d, max_share: s)`'s policy; nil when either is absent
  /// (the checker requires both together).
  static func privacyPolicy(_ scenario: ScenarioIR) -> PrivacyPolicy? {
    guard let a = scenario.annotations.first(where: { $0.name == "privacy" }) else { return nil }
    func number(_ label: String) -> Double? {
      switch a.arguments.first(where: { $0.label == label })?.value {
      case .real(let x, _)?: x
      case .int(let i)?: Double(i)
      default: nil
      }
    }
    guard let d = number("min_record_distance"), let s = number("max_share") else { return nil }
    return PrivacyPolicy(minRecordDistance: d, maxShare: s)
  }

  static func plain(_ v: IRValue) -> String {
    if case .string(let s) = v { return s }
    return IRPrinter.value(v)
  }
}
