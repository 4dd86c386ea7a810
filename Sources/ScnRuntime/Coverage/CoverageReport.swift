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

  /// Canonical JSON (fixed key order, buckets in report order), one line, no newline.
  public func json() -> String {
    var covers: [JSON] = []
    for p in points {
      let keys = p.counts.keys.sorted()
      var fields: [(String, JSON)] = [("name", .string(p.spec.name))]
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
    return JSON.object([
      ("samples", .int(Int64(samples))),
      ("mode", .string(targets.isEmpty ? "natural" : "guided")),
      ("targets", .array(targets.map { .string($0) })),
      ("covers", .array(covers)),
    ]).serialized()
  }
}
