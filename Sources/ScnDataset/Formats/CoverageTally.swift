import ScnEncoding

/// Counts over all samples: cover-point buckets, requirement rejections, attempts and splits.
/// Planned points, buckets and requirements come first in declaration order; anything the
/// samples report beyond the plan follows in byte order, so the result never depends on
/// which sample arrived first.
struct CoverageTally {
  struct Bucket { var name: String; var count: Int; var planned: Bool }
  struct Point { var name: String; var failureMode: String?; var target: Int?; var buckets: [Bucket] }
  struct Count { var name: String; var text: String?; var count: Int }

  var samples = 0
  var attempts = 0
  var points: [Point] = []
  var requirements: [Count] = []
  var splits: [(name: String, fraction: Double?, count: Int)] = []
  /// Per failure mode tied to cover points, the samples that reached it (every entry's
  /// point in one of the entry's buckets); `nil` for a mode with no `covers`.
  var failureModes: [(mode: FailureMode, reached: Int?)] = []
  /// The params as written, with the unit their literals use and their law before requirements.
  var params: [ParamDoc] = []
  /// The unit each cover point's edges are written in, by point name.
  var coverUnits: [String: DisplayUnit] = [:]

  init(samples sampleRecords: [JSONValue], card: DatasetCardInfo, identity: DatasetIdentity) {
    samples = sampleRecords.count
    params = card.params
    for plan in card.coverPoints { if let unit = plan.unit { coverUnits[plan.name] = unit } }
    var hits: [String: [String: Int]] = [:]
    var rejections: [String: Int] = [:]
    var splitCounts: [String: Int] = [:]
    var reached = Array(repeating: 0, count: card.failureModes.count)
    for record in sampleRecords {
      let cover = record["cover"]
      for (k, mode) in card.failureModes.enumerated() where mode.reached(by: { cover?[$0]?.stringValue }) {
        reached[k] += 1
      }
      attempts += record["attempts"]?.intValue ?? 0
      for (point, bucket) in record["cover"]?.objectMembers ?? [] {
        hits[point, default: [:]][bucket.stringValue ?? "", default: 0] += 1
      }
      for (requirement, count) in record["rejections"]?.objectMembers ?? [] {
        rejections[requirement, default: 0] += count.intValue ?? 0
      }
      splitCounts[record["split"]?.stringValue ?? "", default: 0] += 1
    }
    for plan in card.coverPoints {
      let seen = hits[plan.name] ?? [:]
      var buckets = plan.buckets.map { Bucket(name: $0, count: seen[$0] ?? 0, planned: true) }
      let extra = seen.keys.filter { !plan.buckets.contains($0) }.sorted(by: FileStore.pathOrder)
      buckets += extra.map { Bucket(name: $0, count: seen[$0] ?? 0, planned: false) }
      points.append(Point(name: plan.name, failureMode: plan.failureMode, target: plan.targetPerBucket, buckets: buckets))
    }
    let plannedPoints = Set(card.coverPoints.map(\.name))
    for name in hits.keys.filter({ !plannedPoints.contains($0) }).sorted(by: FileStore.pathOrder) {
      let seen = hits[name] ?? [:]
      let buckets = seen.keys.sorted(by: FileStore.pathOrder).map { Bucket(name: $0, count: seen[$0] ?? 0, planned: false) }
      points.append(Point(name: name, failureMode: nil, target: nil, buckets: buckets))
    }
    requirements = card.requirements.map { Count(name: $0.name, text: $0.text, count: rejections[$0.name] ?? 0) }
    let plannedRequirements = Set(card.requirements.map(\.name))
    for name in rejections.keys.filter({ !plannedRequirements.contains($0) }).sorted(by: FileStore.pathOrder) {
      requirements.append(Count(name: name, text: nil, count: rejections[name] ?? 0))
    }
    failureModes = card.failureModes.enumerated().map { k, mode in (mode, mode.covers.isEmpty ? nil : reached[k]) }
    splits = identity.splits.map { ($0.name, $0.fraction, splitCounts[$0.name] ?? 0) }
    let plannedSplits = Set(identity.splits.map(\.name))
    for name in splitCounts.keys.filter({ !plannedSplits.contains($0) }).sorted(by: FileStore.pathOrder) {
      splits.append((name, nil, splitCounts[name] ?? 0))
    }
  }

  /// Accepted samples per attempt, or `nil` before any attempt.
  var acceptanceRate: Double? { attempts > 0 ? Double(samples) / Double(attempts) : nil }

  func share(_ count: Int) -> Double { samples > 0 ? Double(count) / Double(samples) : 0 }

  static func json(_ p: ParamDoc) -> JSONValue {
    var declared: JSONValue = .null
    if let d = p.declared {
      declared = .object([
        ("law", .string(d.law)), ("parameters", .array(d.parameters.map(JSONValue.double))), ("scale", .double(d.scale)),
      ])
    }
    let unit: JSONValue = p.unit.map(\.json) ?? .null
    return .object([
      ("name", .string(p.name)), ("type", .string(p.type)), ("distribution", .string(p.distribution)), ("unit", unit),
      ("declared", declared),
    ])
  }

  var json: JSONValue {
    .object([
      ("samples", .integer(samples)), ("attempts", .integer(attempts)),
      ("acceptance_rate", acceptanceRate.map(JSONValue.double) ?? .null),
      ("cover_points", .array(points.map { point in
        .object([
          ("name", .string(point.name)), ("unit", coverUnits[point.name].map(\.json) ?? .null),
          ("failure_mode", point.failureMode.map(JSONValue.string) ?? .null),
          ("target_per_bucket", point.target.map(JSONValue.integer) ?? .null),
          ("buckets", .array(point.buckets.map { bucket in
            .object([
              ("bucket", .string(bucket.name)), ("count", .integer(bucket.count)), ("share", .double(share(bucket.count))),
              ("planned", .bool(bucket.planned)),
            ])
          })),
        ])
      })),
      ("failure_modes", .array(failureModes.map { entry in
        .object([
          ("id", .string(entry.mode.id)), ("text", .string(entry.mode.text)),
          ("covers", .array(entry.mode.covers.map { c in
            .object([("point", .string(c.point)), ("buckets", .array(c.buckets.map(JSONValue.string)))])
          })),
          ("samples", entry.reached.map(JSONValue.integer) ?? .null),
        ])
      })),
      ("requirements", .array(requirements.map { r in
        .object([
          ("name", .string(r.name)), ("text", r.text.map(JSONValue.string) ?? .null), ("rejections", .integer(r.count)),
        ])
      })),
      ("parameters", .array(params.map(CoverageTally.json))),
      ("splits", .array(splits.map { s in
        .object([
          ("name", .string(s.name)), ("fraction", s.fraction.map(JSONValue.double) ?? .null),
          ("samples", .integer(s.count)),
        ])
      })),
    ])
  }
}
