import ScnGeometry
import ScnIR
import ScnMap
import ScnSource
import ScnUnits

/// Turns an accepted attempt into a `Scene`: evaluates the environment and the covers and
/// names every actor by where the definitions hold it (`forklift`, `pallets[2]`).
struct SceneBuilder {
  let sampler: Sampler
  let scenario: CompiledScenario
  let ctx: Context

  /// The environment fields and their defaults (prelude, "The environment"), in output order.
  static let environmentDefaults: [Scene.Entry] = [
    Scene.Entry(name: "light", value: .real(100_000), type: .quantity(Dimension(base: "Illuminance"))),
    Scene.Entry(name: "indoor", value: .bool(false), type: .bool),
    Scene.Entry(name: "sun_elevation", value: .real(60 * .pi / 180), type: .quantity(Dimension(base: "Angle"))),
    Scene.Entry(name: "sun_azimuth", value: .real(.pi), type: .quantity(Dimension(base: "Angle"))),
    Scene.Entry(name: "fog", value: .real(0), type: .float),
    Scene.Entry(name: "weather", value: .enumCase("clear"), type: .enumeration("Weather")),
    Scene.Entry(name: "precipitation", value: .real(0), type: .quantity(Dimension(base: "Length") / Dimension(base: "Time"))),
  ]

  /// The precipitation rate a weather brings when the scenario gives none (base units, m/s):
  /// moderate rain, 4 mm/h; a moderate snowfall, 1 mm/h of melted water; none otherwise.
  static func typicalPrecipitation(weather: Value?) -> Double {
    guard case .enumCase(let w)? = weather else { return 0 }
    switch w {
    case "rain": return 4 / 3_600_000
    case "snow": return 1 / 3_600_000
    default: return 0
    }
  }

  /// The physical range of an environment field's sampled value (constant values are checked
  /// by the checker already; these are the random ones).
  static func checkEnvironment(_ name: String, _ value: Value, at range: SourceRange) throws(RuntimeError) {
    let x: Double
    switch value {
    case .real(let r): x = r
    case .int(let i): x = Double(i)
    default: return
    }
    let problem: String? =
      switch name {
      case "visibility": x > 0 && x.isFinite ? nil : "visibility must be a positive length"
      case "precipitation": x >= 0 && x.isFinite ? nil : "precipitation must be a rate of 0 mm/h or more"
      case "fog": x >= 0 && x < 1 ? nil : "fog must be a fraction in 0 ..< 1 (light lost per 100 m)"
      case "light": x >= 0 && x.isFinite ? nil : "light must be 0 lx or more"
      default: nil
      }
    if let problem {
      throw RuntimeError(
        .badEnvironment, "environment field '\(name)' sampled out of range: \(problem)", at: range,
        notes: [Note("sampled value: \(x) (base units)")])
    }
  }

  /// The scene of the accepted attempt in `ctx`, with its simulated `trace` and the values
  /// of the `observing` expressions (evaluated last, as the scene's own values are first).
  func build(
    sample: UInt64, attempts: Int, aimed: [CoverKey], targetProbability: Double,
    focus: (plan: SamplerFocus, focused: Bool)? = nil, trace: Trace? = nil, observing: [Eval] = []
  ) throws(RuntimeError) -> Scene {
    let ir = scenario.ir
    let names = recordNames()
    var given: [Scene.Entry] = []
    for e in scenario.environment {
      let value = try e.eval(ctx)
      try Self.checkEnvironment(e.name, value, at: e.range)
      given.append(Scene.Entry(name: e.name, value: value, type: e.type))
    }
    var covers: [Scene.Cover] = []
    for c in scenario.covers {
      let v = try c.eval(ctx)
      covers.append(Scene.Cover(name: c.spec.name, value: v, type: c.type, key: c.spec.key(of: v), spec: c.spec))
    }
    var params: [Scene.Entry] = []
    params.reserveCapacity(ir.params.count)
    for (i, p) in ir.params.enumerated() { params.append(Scene.Entry(name: p.name, value: ctx.params[i] ?? .void, type: p.type)) }
    var actors: [Scene.Actor] = []
    actors.reserveCapacity(ctx.records.count)
    var sensors: [Scene.Sensor] = []
    let types = sampler.types
    // Each record is read in place (`records[i].…`): a copy of a `Record` retains and
    // releases every array and class it holds.
    let records = ctx.records
    // The ego's record, if the scenario names one: its place among the actors is the count
    // of actors appended before it.
    var egoRecord: Int?
    if let d = scenario.egoDefinition, ctx.definitions.indices.contains(d), case .record(let r)? = ctx.definitions[d] {
      egoRecord = r
    }
    var egoIndex: Int?
    for i in records.indices where records[i].definition >= 0 {
      let t = types[records[i].typeIndex]
      let name = names[i] ?? "\(ir.definitions[records[i].definition].name)#\(i)"
      if t.isSensor {
        var mount: String?
        if t.mount >= 0, case .record(let m) = records[i].field(t.mount), names.indices.contains(m) { mount = names[m] }
        sensors.append(Scene.Sensor(name: name, type: t.name, mount: mount,
                                    pose: SensorPose.of(records[i], type: t, records: records),
                                    fieldValues: records[i].values, layout: t))
        continue
      }
      var className = ""
      if t.className >= 0, case .string(let s) = records[i].field(t.className) { className = s }
      if i == egoRecord { egoIndex = actors.count }
      actors.append(Scene.Actor(name: name, type: t.name, className: className, position: records[i].position,
                                heading: records[i].heading, size: records[i].size, behavior: records[i].behavior,
                                fieldValues: records[i].values, layout: t))
    }
    var guidance: Scene.Guidance?
    if let focus, !focus.focused {
      // Not aimed: natural draws, weighted by whether they fell in the focus region.
      let inRegion = focus.plan.contains { point in covers.first { $0.name == point }?.bucket }
      guidance = Scene.Guidance(
        buckets: [], targetProbability: 1, naturalProbability: nil, focus: (focus.plan.share, false),
        inFocusRegion: inRegion)
    } else if !scenario.targets.isEmpty {
      var natural: Double? = 1
      var buckets: [(cover: String, bucket: String)] = []
      for (k, t) in scenario.targets.enumerated() {
        let spec = scenario.covers[t.cover].spec
        buckets.append((spec.name, spec.label(aimed[k])))
        switch t.guide {
        case .conditioned(let slot):
          if let p = ctx.conditionedProbability[slot], let n = natural { natural = n * p } else { natural = nil }
        case .rejection: natural = nil
        }
      }
      guidance = Scene.Guidance(
        buckets: buckets, targetProbability: targetProbability, naturalProbability: natural,
        focus: focus.map { ($0.plan.share, true) })
    }
    let (roads, rooms, maps) = surfaces()
    var signalTimings: [SignalTiming] = []
    if !maps.isEmpty {
      let timings = MapRoutes.timings(definitions: ctx.definitions)
      signalTimings = maps.map { timings[ObjectIdentifier($0)] ?? .standard }
    }
    // The scene's draws are those of the attempt, without any an observed expression makes.
    let draws = ctx.empiricalDraws
    var observed: [Value] = []
    for o in observing { observed.append(try o(ctx)) }
    var scene = Scene(sample: sample, scenario: ir.name, seed: sampler.options.seed, attempts: attempts, params: params,
                      actors: actors, sensors: sensors, environmentGiven: given, covers: covers, guidance: guidance,
                      recordNames: names, units: sampler.units, trace: trace, observed: observed, roads: roads,
                      rooms: rooms, empiricalDraws: draws, maps: maps, signalTimings: signalTimings)
    scene.egoIndex = egoIndex
    return scene
  }

  /// The roads, sidewalks and rooms in the definitions' values, each once, in definition order.
  private func surfaces() -> ([RoadShape], [Region], [MapModel]) {
    var found: [RoadShape] = []
    var rooms: [Region] = []
    var maps: [MapModel] = []
    func visit(_ v: Value) {
      switch v {
      case .region(.map(let m)):
        if !maps.contains(where: { $0 === m.model }) { maps.append(m.model) }
      case .region(.road(let shape, _)):
        // A road and the same road with a stop line or crossing painted on it are one surface.
        if let k = found.firstIndex(where: { $0.sameSurface(shape) }) {
          found[k] = found[k].merged(shape)
        } else {
          found.append(shape)
        }
      case .region(let r) where { if case .room = r { true } else { false } }():
        if !rooms.contains(r) { rooms.append(r) }
      case .list(let xs), .tuple(let xs):
        for x in xs { visit(x) }
      default: break
      }
    }
    for case let v? in ctx.definitions { visit(v) }
    return (found, rooms, maps)
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
        for (k, x) in xs.enumerated() where x.mayHoldRecords { assign(x, path + "[" + String(k) + "]") }
      default: break
      }
    }
    // By index: each `DefinitionIR` copied out of the list (`enumerated()`) retained and
    // released every string and expression it holds; only a name is read, and rarely.
    let definitions = scenario.ir.definitions
    for j in definitions.indices where j < ctx.definitions.count {
      guard let v = ctx.definitions[j] else { continue }
      if case .list(let xs) = v, j < scenario.elementNames.count {
        // A list of actors, the common case: its elements' names are spelled already.
        let spelled = scenario.elementNames[j]
        for (k, x) in xs.enumerated() {
          if case .record(let i) = x, k < spelled.count, names.indices.contains(i) {
            if names[i] == nil { names[i] = spelled[k] }
          } else if x.mayHoldRecords {
            assign(x, definitions[j].name + "[" + String(k) + "]")
          }
        }
      } else if v.mayHoldRecords {
        assign(v, definitions[j].name)
      }
    }
    return names
  }
}

extension Value {
  /// Whether a value can contain actor references (skips walking lists of numbers).
  var mayHoldRecords: Bool {
    switch self {
    case .record: true
    case .list(let xs), .tuple(let xs): xs.contains { $0.mayHoldRecords }
    default: false
    }
  }
}
