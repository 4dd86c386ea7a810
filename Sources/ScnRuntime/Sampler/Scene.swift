import ScnGeometry

/// One accepted sample, ready to print: every value already converted to JSON with its
/// unit, every actor reference to its name.
public struct Scene: Sendable, Equatable {
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let value: JSON
  }

  public struct Actor: Sendable, Equatable {
    public let name: String
    public let type: String
    public let className: String
    public let position: Vec3
    public let heading: Double
    public let size: Vec3
    public let color: JSON
    public let fields: [Entry]
    public let behavior: JSON
  }

  public struct Sensor: Sendable, Equatable {
    public let name: String
    public let type: String
    public let mount: String?
    public let pose: SensorPose
    public let fields: [Entry]
  }

  public struct Cover: Sendable, Equatable {
    public let name: String
    public let value: JSON
    public let key: CoverKey
    public let bucket: String
  }

  /// How a coverage-guided sample was drawn.
  public struct Guidance: Sendable, Equatable {
    /// Per targeted cover point, the bucket this sample aimed at.
    public let buckets: [Entry]
    /// Probability of the aimed-at bucket(s) under `--cover-target` (1 / number of buckets).
    public let targetProbability: Double
    /// Probability of the same bucket(s) without guidance, given the draws it depends on;
    /// nil when a target was reached by rejection (the probability is not known exactly).
    public let naturalProbability: Double?
    /// `naturalProbability / targetProbability`: multiply statistics by it to recover the
    /// natural distribution.
    public var weight: Double? { naturalProbability.map { $0 / targetProbability } }
  }

  public let sample: UInt64
  public let scenario: String
  public let seed: UInt64
  public let attempts: Int
  public let params: [Entry]
  public let actors: [Actor]
  public let sensors: [Sensor]
  public let environment: [Entry]
  public let covers: [Cover]
  public let guidance: Guidance?

  /// The JSON Lines object (without the newline). Key order is fixed.
  public func json() -> JSON {
    func object(_ entries: [Entry]) -> JSON { .object(entries.map { ($0.name, $0.value) }) }
    func vec(_ v: Vec3) -> JSON { .array([.number(v.x), .number(v.y), .number(v.z)]) }
    var fields: [(String, JSON)] = [
      ("sample", .int(Int64(bitPattern: sample))),
      ("scenario", .string(scenario)),
      ("seed", .int(Int64(bitPattern: seed))),
      ("attempts", .int(Int64(attempts))),
      ("params", object(params)),
      ("actors", .array(actors.map { a in
        .object([
          ("name", .string(a.name)), ("type", .string(a.type)), ("class", .string(a.className)),
          ("position", vec(a.position)),
          ("heading", .object([("rad", .number(a.heading)), ("deg", .number(a.heading * 180 / .pi))])),
          ("size", vec(a.size)), ("color", a.color), ("fields", object(a.fields)), ("behavior", a.behavior),
        ])
      })),
      ("sensors", .array(sensors.map { s in
        .object([
          ("name", .string(s.name)), ("type", .string(s.type)), ("mount", s.mount.map { .string($0) } ?? .null),
          ("pose", .object([
            ("position", vec(s.pose.position)), ("yaw", .number(s.pose.yaw)), ("pitch", .number(s.pose.pitch)),
            ("roll", .number(s.pose.roll)),
          ])),
          ("fields", object(s.fields)),
        ])
      })),
      ("environment", object(environment)),
      ("covers", .object(covers.map { c in (c.name, .object([("value", c.value), ("bucket", .string(c.bucket))])) })),
    ]
    if let g = guidance {
      fields.append(("guidance", .object([
        ("mode", .string("cover-target")),
        ("buckets", object(g.buckets)),
        ("target_probability", .number(g.targetProbability)),
        ("natural_probability", g.naturalProbability.map { .number($0) } ?? .null),
        ("weight", g.weight.map { .number($0) } ?? .null),
      ])))
    } else {
      fields.append(("guidance", .object([("mode", .string("natural")), ("weight", .number(1))])))
    }
    return .object(fields)
  }

  /// A readable summary for `--format table`.
  public func table() -> String {
    func plain(_ j: JSON) -> String {
      switch j {
      case .object(let pairs):
        if pairs.count == 2, pairs[0].0 == "value", case .string(let unit) = pairs[1].1 {
          return plain(pairs[0].1) + " " + unit
        }
        return "{" + pairs.map { "\($0.0): \(plain($0.1))" }.joined(separator: ", ") + "}"
      case .array(let xs): return "(" + xs.map(plain).joined(separator: ", ") + ")"
      case .number(let x): return short(x)
      case .string(let s): return s
      default: return j.serialized()
      }
    }
    func short(_ x: Double) -> String {
      guard x.isFinite else { return "nan" }
      let r = (x * 1000).rounded() / 1000
      return r == 0 ? "0" : (r == r.rounded() ? String(Int64(r)) : "\(r)")
    }
    var out = "sample \(sample)  scenario \(scenario)  attempts \(attempts)"
    if let w = guidance?.weight { out += "  weight \(short(w))" }
    out += "\n"
    if !params.isEmpty { out += "  params: " + params.map { "\($0.name) = \(plain($0.value))" }.joined(separator: ", ") + "\n" }
    for a in actors {
      out += "  \(a.name): \(a.type) at (\(short(a.position.x)), \(short(a.position.y)), \(short(a.position.z))) heading \(short(a.heading * 180 / .pi))°\n"
    }
    for s in sensors {
      out += "  \(s.name): \(s.type) on \(s.mount ?? "-") at (\(short(s.pose.position.x)), \(short(s.pose.position.y)), \(short(s.pose.position.z)))\n"
    }
    if !covers.isEmpty { out += "  covers: " + covers.map { "\($0.name) = \(plain($0.value)) in \($0.bucket)" }.joined(separator: ", ") + "\n" }
    return out
  }
}
