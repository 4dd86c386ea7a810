import ScnEncoding

/// Per cover point, how many samples fell in each bucket: the dataset's `coverage.json`.
public struct CoverageReport: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    public let spec: CoverSpec
    /// Counts by bucket; every known bucket is present (possibly 0).
    public var counts: [CoverKey: Int]
  }

  /// Cover points by name (sorted), merged across the scenarios of a mixture.
  public private(set) var points: [Point] = []
  public private(set) var samples = 0
  /// `natural`, or `guided` with the targeted cover points.
  public var targets: [String] = []

  public init(specs: [CoverSpec] = [], targets: [String] = []) {
    for s in specs { add(spec: s) }
    self.targets = targets
  }

  mutating func add(spec: CoverSpec) {
    guard !points.contains(where: { $0.spec.name == spec.name }) else { return }
    var counts: [CoverKey: Int] = [:]
    for k in spec.knownKeys { counts[k] = 0 }
    points.append(Point(spec: spec, counts: counts))
    points.sort { $0.spec.name < $1.spec.name }
  }

  /// Counts one scene's cover values.
  public mutating func record(_ scene: Scene) {
    samples += 1
    for c in scene.covers {
      guard let i = points.firstIndex(where: { $0.spec.name == c.name }) else { continue }
      points[i].counts[c.key, default: 0] += 1
    }
  }

  /// Adds the counts of a report over other samples with the same cover points (a block of
  /// a streamed run, `Sampler.stream`).
  public mutating func merge(_ other: CoverageReport) {
    samples += other.samples
    for p in other.points {
      guard let i = points.firstIndex(where: { $0.spec.name == p.spec.name }) else { continue }
      for (k, n) in p.counts where n > 0 { points[i].counts[k, default: 0] += n }
    }
  }

  /// Forgets the counts, keeping the cover points and their buckets.
  public mutating func removeCounts() {
    samples = 0
    for i in points.indices {
      for k in points[i].counts.keys { points[i].counts[k] = 0 }
    }
  }

  /// A readable summary: per cover point its buckets in order, each with its count and
  /// share of the samples, and how many buckets no sample reached.
  public func table() -> String {
    var out = "\(samples) sample\(samples == 1 ? "" : "s")\n"
    for p in points {
      let keys = p.counts.keys.sorted()
      let empty = keys.filter { (p.counts[$0] ?? 0) == 0 }.count
      out += "cover \(p.spec.name): \(keys.count) bucket\(keys.count == 1 ? "" : "s")"
        + (empty > 0 ? ", \(empty) empty" : "") + "\n"
      let labels = keys.map { p.spec.label($0) }
      let width = labels.map(\.count).max() ?? 0
      for (k, label) in zip(keys, labels) {
        let count = p.counts[k] ?? 0
        let share = samples == 0 ? 0 : 100 * Double(count) / Double(samples)
        let percent = (share * 10).rounded() / 10
        out += "  " + label + String(repeating: " ", count: width - label.count) + "  \(count)  \(percent)%\n"
      }
    }
    return out
  }

  /// Canonical JSON (fixed key order, buckets in report order), one line, no newline.
  public func json() -> String {
    var covers: [JSONValue] = []
    for p in points {
      let keys = p.counts.keys.sorted()
      var fields: [(String, JSONValue)] = [("name", .string(p.spec.name))]
      switch p.spec.kind {
      case .edges(let edges, let unit):
        fields.append(("kind", .string("edges")))
        fields.append(("unit", unit.isEmpty ? .null : .string(unit)))
        fields.append(("edges", .array(edges.map { .number($0) })))
      case .values:
        fields.append(("kind", .string("values")))
      }
      fields.append(("buckets", .array(keys.map { k in
        .object([("bucket", .string(p.spec.label(k))), ("count", .int(Int64(p.counts[k] ?? 0)))])
      })))
      covers.append(.object(fields))
    }
    return JSONValue.object([
      ("samples", .int(Int64(samples))),
      ("mode", .string(targets.isEmpty ? "natural" : "guided")),
      ("targets", .array(targets.map { .string($0) })),
      ("covers", .array(covers)),
    ]).compact
  }
}
