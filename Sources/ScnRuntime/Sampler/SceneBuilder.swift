import ScnGeometry
import ScnIR
import ScnUnits

/// Turns an accepted attempt into a `Scene`: evaluates the environment and the covers,
/// names every actor by where the definitions hold it (`forklift`, `pallets[2]`), and
/// converts values to JSON with their units.
struct SceneBuilder {
  let sampler: Sampler
  let scenario: CompiledScenario
  let ctx: Context

  /// The environment fields and their defaults (prelude, "The environment"), in output order.
  static let environmentDefaults: [(name: String, value: Value, type: IRType)] = [
    ("light", .real(100_000), .quantity(Dimension(base: "Illuminance"))),
    ("indoor", .bool(false), .bool),
    ("sun_elevation", .real(60 * .pi / 180), .quantity(Dimension(base: "Angle"))),
    ("sun_azimuth", .real(.pi), .quantity(Dimension(base: "Angle"))),
    ("fog", .real(0), .float),
    ("weather", .enumCase("clear"), .enumeration("Weather")),
  ]

  func build(sample: UInt64, attempts: Int, aimed: [CoverKey], targetProbability: Double) throws(RuntimeError) -> Scene {
    let ir = scenario.ir
    let names = recordNames()
    var environment: [Scene.Entry] = []
    var given: [(String, Value, IRType)] = []
    for e in scenario.environment { given.append((e.name, try e.eval(ctx), e.type)) }
    for d in Self.environmentDefaults {
      let v = given.first { $0.0 == d.name }
      environment.append(Scene.Entry(name: d.name, value: json(v?.1 ?? d.value, v?.2 ?? d.type, names)))
    }
    for g in given where !Self.environmentDefaults.contains(where: { $0.name == g.0 }) {
      environment.append(Scene.Entry(name: g.0, value: json(g.1, g.2, names)))
    }
    var covers: [Scene.Cover] = []
    for c in scenario.covers {
      let v = try c.eval(ctx)
      let key = c.spec.key(of: v)
      covers.append(Scene.Cover(name: c.spec.name, value: json(v, c.type, names), key: key, bucket: c.spec.label(key)))
    }
    var params: [Scene.Entry] = []
    for (i, p) in ir.params.enumerated() {
      params.append(Scene.Entry(name: p.name, value: json(ctx.params[i] ?? .void, p.type, names)))
    }
    var actors: [Scene.Actor] = []
    var sensors: [Scene.Sensor] = []
    let types = sampler.types
    for (i, r) in ctx.records.enumerated() where r.definition >= 0 {
      let t = types[r.typeIndex]
      let name = names[i] ?? "\(ir.definitions[r.definition].name)#\(i)"
      var fields: [Scene.Entry] = []
      if t.isSensor {
        for (k, f) in t.fieldNames.enumerated() where k != t.mount {
          fields.append(Scene.Entry(name: f, value: json(r.fields[k], t.fieldTypes[k], names)))
        }
        var mount: String?
        if t.mount >= 0, case .record(let m) = r.fields[t.mount] { mount = names[m] }
        sensors.append(Scene.Sensor(name: name, type: t.name, mount: mount,
                                    pose: SensorPose.of(r, type: t, records: ctx.records), fields: fields))
        continue
      }
      let special: Set<Int> = [t.position, t.heading, t.size, t.color, t.className]
      for (k, f) in t.fieldNames.enumerated() where !special.contains(k) {
        fields.append(Scene.Entry(name: f, value: json(r.fields[k], t.fieldTypes[k], names)))
      }
      var className = ""
      if t.className >= 0, case .string(let s) = r.fields[t.className] { className = s }
      let color: JSON = t.color >= 0 ? json(r.fields[t.color], t.fieldTypes[t.color], names) : .null
      let behavior: JSON = r.behavior.map { json(.behavior($0), .behavior, names) } ?? .null
      actors.append(Scene.Actor(name: name, type: t.name, className: className, position: r.position, heading: r.heading,
                                size: r.size, color: color, fields: fields, behavior: behavior))
    }
    var guidance: Scene.Guidance?
    if !scenario.targets.isEmpty {
      var natural: Double? = 1
      var buckets: [Scene.Entry] = []
      for (k, t) in scenario.targets.enumerated() {
        let spec = scenario.covers[t.cover].spec
        buckets.append(Scene.Entry(name: spec.name, value: .string(spec.label(aimed[k]))))
        switch t.guide {
        case .conditioned(let slot):
          if let p = ctx.conditionedProbability[slot], let n = natural { natural = n * p } else { natural = nil }
        case .rejection: natural = nil
        }
      }
      guidance = Scene.Guidance(buckets: buckets, targetProbability: targetProbability, naturalProbability: natural)
    }
    return Scene(sample: sample, scenario: ir.name, seed: sampler.options.seed, attempts: attempts, params: params,
                 actors: actors, sensors: sensors, environment: environment, covers: covers, guidance: guidance)
  }

  /// Names records by the first definition (in IR order) that holds them: the definition's
  /// name, indexed for list elements (`pallets[2]`, `grid[1][0]`).
  private func recordNames() -> [String?] {
    var names = [String?](repeating: nil, count: ctx.records.count)
    func assign(_ v: Value, _ path: String) {
      switch v {
      case .record(let i) where names.indices.contains(i):
        if names[i] == nil { names[i] = path }
      case .list(let xs), .tuple(let xs):
        for (k, x) in xs.enumerated() { assign(x, "\(path)[\(k)]") }
      default: break
      }
    }
    for (j, d) in scenario.ir.definitions.enumerated() {
      if let v = ctx.definitions[j] { assign(v, d.name) }
    }
    return names
  }

  private func json(_ v: Value, _ t: IRType, _ names: [String?]) -> JSON {
    let units = sampler.options.units
    switch (v, t) {
    case (.real(let x), .quantity(let d)) where !d.isDimensionless:
      return .object([("value", .number(x)), ("unit", .string(units.spell(d)))])
    case (.int(let i), .quantity(let d)) where !d.isDimensionless:
      return .object([("value", .number(Double(i))), ("unit", .string(units.spell(d)))])
    case (.vector(let p), .vector(let d)) where !d.isDimensionless:
      return .object([("value", .array([.number(p.x), .number(p.y), .number(p.z)])), ("unit", .string(units.spell(d)))])
    case (.list(let xs), .list(let e)): return .array(xs.map { json($0, e, names) })
    case (.tuple(let xs), .tuple(let ts)) where xs.count == ts.count: return .array(zip(xs, ts).map { json($0, $1, names) })
    default: return untyped(v, names)
    }
  }

  private func untyped(_ v: Value, _ names: [String?]) -> JSON {
    switch v {
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .real(let x): return .number(x)
    case .string(let s), .enumCase(let s): return .string(s)
    case .vector(let p): return .array([.number(p.x), .number(p.y), .number(p.z)])
    case .list(let xs), .tuple(let xs): return .array(xs.map { untyped($0, names) })
    case .record(let i): return names.indices.contains(i) ? names[i].map { .string($0) } ?? .null : .null
    case .region(let r): return .object([("region", .string(Self.regionKind(r)))])
    case .behavior(let call):
      return .object([("name", .string(call.name)), ("arguments", .array(call.arguments.map { untyped($0, names) }))])
    case .void: return .null
    }
  }

  static func regionKind(_ r: Region) -> String {
    switch r {
    case .rect: "rect"
    case .polygon: "polygon"
    case .cuboid: "cuboid"
    case .road: "road"
    case .inset(let base, _): "inset " + regionKind(base)
    }
  }
}
