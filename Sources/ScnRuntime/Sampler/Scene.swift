import ScnGeometry
import ScnIR
import ScnSource

/// One accepted sample. It keeps the sampled values as they are (with their IR types and
/// the actors' names); `json()` and `table()` convert them, so sampling pays nothing for
/// output it may never print.
public struct Scene: Sendable, Equatable {
  /// A named value and its type (which decides the unit it prints with).
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let value: Value
    public let type: IRType
  }

  public struct Actor: Sendable, Equatable {
    public let name: String
    public let type: String
    public let className: String
    public let position: Vec3
    public let heading: Double
    public let size: Vec3
    public let behavior: BehaviorCall?
    let values: [Value]
    let layout: CompiledType

    public static func == (a: Actor, b: Actor) -> Bool {
      a.name == b.name && a.type == b.type && a.values == b.values && a.behavior == b.behavior
    }

    /// The colour field, when the type has one.
    public var color: Entry? {
      layout.color >= 0 ? Entry(name: "color", value: values[layout.color], type: layout.fieldTypes[layout.color]) : nil
    }

    /// Every field but position, heading, size, colour and class (printed on their own).
    public var fields: [Entry] {
      let l = layout
      return l.fieldNames.indices.compactMap { k in
        k == l.position || k == l.heading || k == l.size || k == l.color || k == l.className
          ? nil : Entry(name: l.fieldNames[k], value: values[k], type: l.fieldTypes[k])
      }
    }
  }

  public struct Sensor: Sendable, Equatable {
    public let name: String
    public let type: String
    public let mount: String?
    public let pose: SensorPose
    let values: [Value]
    let layout: CompiledType

    public static func == (a: Sensor, b: Sensor) -> Bool {
      a.name == b.name && a.type == b.type && a.values == b.values && a.pose == b.pose
    }

    /// Every field but the mount.
    public var fields: [Entry] {
      layout.fieldNames.indices.compactMap { k in
        k == layout.mount ? nil : Entry(name: layout.fieldNames[k], value: values[k], type: layout.fieldTypes[k])
      }
    }
  }

  public struct Cover: Sendable, Equatable {
    public let name: String
    public let value: Value
    public let type: IRType
    public let key: CoverKey
    let spec: CoverSpec
    /// The bucket's label, e.g. `[10.0, 15.0)`.
    public var bucket: String { spec.label(key) }
  }

  /// How a coverage-guided sample was drawn.
  public struct Guidance: Sendable, Equatable {
    /// Per targeted cover point (in `--cover-target` order), the bucket this sample aimed at.
    public let buckets: [(cover: String, bucket: String)]
    /// Probability of the aimed-at bucket(s) under `--cover-target` (1 / number of buckets).
    public let targetProbability: Double
    /// Probability of the same bucket(s) without guidance, given the draws it depends on;
    /// nil when a target was reached by rejection (the probability is not known exactly).
    public let naturalProbability: Double?
    /// `naturalProbability / targetProbability`: multiply a statistic of guided samples by
    /// it to recover its value under the scenario's natural distribution.
    public var weight: Double? { naturalProbability.map { $0 / targetProbability } }

    public static func == (a: Guidance, b: Guidance) -> Bool {
      a.buckets.map(\.cover) == b.buckets.map(\.cover) && a.buckets.map(\.bucket) == b.buckets.map(\.bucket)
        && a.targetProbability == b.targetProbability && a.naturalProbability == b.naturalProbability
    }
  }

  public let sample: UInt64
  public let scenario: String
  public let seed: UInt64
  public let attempts: Int
  public let params: [Entry]
  public let actors: [Actor]
  public let sensors: [Sensor]
  /// The `environment { … }` fields the scenario sets; `environment` adds the defaults.
  let environmentGiven: [Entry]
  public let covers: [Cover]
  public let guidance: Guidance?
  /// Every environment field: the prelude's seven (set or default) in a fixed order, then any
  /// other field the scenario sets (`visibility`), by name. Without a `precipitation` field
  /// the weather's typical rate is filled in.
  public var environment: [Entry] {
    var out = SceneBuilder.environmentDefaults.map { d in
      if let given = environmentGiven.first(where: { $0.name == d.name }) { return given }
      guard d.name == "precipitation" else { return d }
      let weather = environmentGiven.first { $0.name == "weather" }?.value
      return Entry(name: d.name, value: .real(SceneBuilder.typicalPrecipitation(weather: weather)), type: d.type)
    }
    for g in environmentGiven where !SceneBuilder.environmentDefaults.contains(where: { $0.name == g.name }) {
      out.append(g)
    }
    return out
  }

  /// Names of the attempt's records by index, for values that refer to actors.
  let recordNames: [String?]
  let units: UnitNames
  /// The simulated motion (`Sampler` with `simulate` on): poses at every sensor frame time.
  public internal(set) var trace: Trace? = nil

  public static func == (a: Scene, b: Scene) -> Bool { a.json() == b.json() }

  /// A value as JSON: quantities as `{"value": x, "unit": "m/s"}` in base units, actors by
  /// name, enum cases as strings, tuples and lists as arrays.
  public func json(_ v: Value, _ t: IRType) -> JSON {
    switch (v, t) {
    case (.real(let x), .quantity(let d)) where !d.isDimensionless:
      return .object([("value", .number(x)), ("unit", .string(units.spell(d)))])
    case (.int(let i), .quantity(let d)) where !d.isDimensionless:
      return .object([("value", .number(Double(i))), ("unit", .string(units.spell(d)))])
    case (.vector(let p), .vector(let d)) where !d.isDimensionless:
      return .object([("value", .array([.number(p.x), .number(p.y), .number(p.z)])), ("unit", .string(units.spell(d)))])
    case (.list(let xs), .list(let e)): return .array(xs.map { json($0, e) })
    case (.tuple(let xs), .tuple(let ts)) where xs.count == ts.count: return .array(zip(xs, ts).map { json($0, $1) })
    default: return untyped(v)
    }
  }

  func untyped(_ v: Value) -> JSON {
    switch v {
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .real(let x): return .number(x)
    case .string(let s), .enumCase(let s): return .string(s)
    case .vector(let p): return .array([.number(p.x), .number(p.y), .number(p.z)])
    case .list(let xs), .tuple(let xs): return .array(xs.map(untyped))
    case .record(let i): return recordNames.indices.contains(i) ? recordNames[i].map { .string($0) } ?? .null : .null
    case .region(let r): return .object([("region", .string(r.kindName))])
    case .behavior(let call):
      return .object([("name", .string(call.name)), ("arguments", .array(call.arguments.map(untyped)))])
    case .void: return .null
    }
  }

  /// The JSON Lines object (without the newline). Key order is fixed.
  public func json() -> JSON {
    func object(_ entries: [Entry]) -> JSON { .object(entries.map { ($0.name, json($0.value, $0.type)) }) }
    func vec(_ v: Vec3) -> JSON { .array([.number(v.x), .number(v.y), .number(v.z)]) }
    var fields: [(String, JSON)] = [
      ("sample", .uint(sample)),
      ("scenario", .string(scenario)),
      ("seed", .uint(seed)),
      ("attempts", .int(Int64(attempts))),
      ("params", object(params)),
      ("actors", .array(actors.map { a in
        .object([
          ("name", .string(a.name)), ("type", .string(a.type)), ("class", .string(a.className)),
          ("position", vec(a.position)),
          ("heading", .object([("rad", .number(a.heading)), ("deg", .number(a.heading * 180 / .pi))])),
          ("size", vec(a.size)), ("color", a.color.map { json($0.value, $0.type) } ?? .null),
          ("fields", object(a.fields)), ("behavior", a.behavior.map { untyped(.behavior($0)) } ?? .null),
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
      ("covers", .object(covers.map { c in (c.name, .object([("value", json(c.value, c.type)), ("bucket", .string(c.bucket))])) })),
    ]
    if let g = guidance {
      fields.append(("guidance", .object([
        ("mode", .string("cover-target")),
        ("buckets", .object(g.buckets.map { ($0.cover, .string($0.bucket)) })),
        ("target_probability", .number(g.targetProbability)),
        ("natural_probability", g.naturalProbability.map { .number($0) } ?? .null),
        ("weight", g.weight.map { .number($0) } ?? .null),
      ])))
    } else {
      fields.append(("guidance", .object([("mode", .string("natural")), ("weight", .number(1))])))
    }
    return .object(fields)
  }

  /// A param's value as JSON, by name.
  public func param(_ name: String) -> JSON? {
    params.first { $0.name == name }.map { json($0.value, $0.type) }
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
      // A string from the scenario is one line of the table, never terminal control: with a
      // control character it is written quoted, its controls escaped.
      case .string(let s):
        return s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ? s.quotedForDump : s
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
    if !params.isEmpty {
      out += "  params: " + params.map { "\($0.name) = \(plain(json($0.value, $0.type)))" }.joined(separator: ", ") + "\n"
    }
    for a in actors {
      out += "  \(a.name): \(a.type) at (\(short(a.position.x)), \(short(a.position.y)), \(short(a.position.z))) heading \(short(a.heading * 180 / .pi))°\n"
    }
    for s in sensors {
      out += "  \(s.name): \(s.type) on \(s.mount ?? "-") at (\(short(s.pose.position.x)), \(short(s.pose.position.y)), \(short(s.pose.position.z)))\n"
    }
    if !covers.isEmpty {
      out += "  covers: " + covers.map { "\($0.name) = \(plain(json($0.value, $0.type))) in \($0.bucket)" }.joined(separator: ", ") + "\n"
    }
    return out
  }
}

extension Region {
  var kindName: String {
    switch self {
    case .rect: "rect"
    case .polygon: "polygon"
    case .cuboid: "cuboid"
    case .road: "road"
    case .inset(let base, _): "inset " + base.kindName
    }
  }
}
