import ScnEncoding
import ScnGeometry
import ScnIR
import ScnMap
import ScnSource
import ScnUnits

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
    /// The record's fields as it holds them (`FieldValues`: no copy per actor).
    let fieldValues: FieldValues
    let layout: CompiledType

    /// Every field in the type's order, as one array.
    var values: [Value] { fieldValues.array }

    /// The constants of the construction that built it (`FieldTemplate`), when known.
    var template: FieldTemplate? { fieldValues.template }

    public static func == (a: Actor, b: Actor) -> Bool {
      a.name == b.name && a.type == b.type && a.values == b.values && a.behavior == b.behavior
    }

    /// The `pitch` and `roll` fields (0 for a type without them).
    public var pitch: Double { layout.pitch >= 0 && !layout.isSensor ? fieldValues[layout.pitch].asDouble : 0 }
    public var roll: Double { layout.roll >= 0 && !layout.isSensor ? fieldValues[layout.roll].asDouble : 0 }

    /// The full orientation (yaw `heading`, then `pitch`, then `roll`; docs/scene-model.md).
    public var rotation: Quaternion {
      let p = pitch, r = roll
      return p == 0 && r == 0 ? Quaternion(yaw: heading) : Quaternion(yaw: heading, pitch: p, roll: r)
    }

    /// The actor's frame in the world: its bottom centre and full orientation.
    public var pose: Transform { Transform(rotation: rotation, translation: position) }

    /// The colour field, when the type has one.
    public var color: Entry? {
      layout.color >= 0 ? Entry(name: "color", value: fieldValues[layout.color], type: layout.fieldTypes[layout.color]) : nil
    }

    /// Every field but position, heading, size, colour and class (printed on their own).
    public var fields: [Entry] {
      let l = layout
      return l.fieldNames.indices.compactMap { k in
        k == l.position || k == l.heading || k == l.size || k == l.color || k == l.className
          ? nil : Entry(name: l.fieldNames[k], value: fieldValues[k], type: l.fieldTypes[k])
      }
    }
  }

  public struct Sensor: Sendable, Equatable {
    public let name: String
    public let type: String
    public let mount: String?
    public let pose: SensorPose
    /// The record's fields as it holds them (`FieldValues`).
    let fieldValues: FieldValues
    let layout: CompiledType

    /// Every field in the type's order, as one array.
    var values: [Value] { fieldValues.array }

    public static func == (a: Sensor, b: Sensor) -> Bool {
      a.name == b.name && a.type == b.type && a.values == b.values && a.pose == b.pose
    }

    /// Every field but the mount.
    public var fields: [Entry] {
      layout.fieldNames.indices.compactMap { k in
        k == layout.mount ? nil : Entry(name: layout.fieldNames[k], value: fieldValues[k], type: layout.fieldTypes[k])
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
    /// Under `--focus`: the share of focused samples and whether this one is.
    public let focus: (share: Double, focused: Bool)?
    /// Multiply a statistic of guided samples by it to recover its value under the
    /// scenario's natural distribution: `naturalProbability / targetProbability` for
    /// `--cover-target`; for `--focus` see `SamplerFocus`.
    public let weight: Double?

    public init(
      buckets: [(cover: String, bucket: String)], targetProbability: Double, naturalProbability: Double?,
      focus: (share: Double, focused: Bool)? = nil, inFocusRegion: Bool = false
    ) {
      self.buckets = buckets
      self.targetProbability = targetProbability
      self.naturalProbability = naturalProbability
      self.focus = focus
      if let focus {
        weight =
          focus.focused
          ? naturalProbability.map { $0 / targetProbability / focus.share } : (inFocusRegion ? 0 : 1 / (1 - focus.share))
      } else {
        weight = naturalProbability.map { $0 / targetProbability }
      }
    }

    public static func == (a: Guidance, b: Guidance) -> Bool {
      a.buckets.map(\.cover) == b.buckets.map(\.cover) && a.buckets.map(\.bucket) == b.buckets.map(\.bucket)
        && a.targetProbability == b.targetProbability && a.naturalProbability == b.naturalProbability
        && a.focus?.share == b.focus?.share && a.focus?.focused == b.focus?.focused && a.weight == b.weight
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
  /// The index in `actors` of the scenario's `ego` actor; nil when it has none.
  public internal(set) var egoIndex: Int? = nil
  /// The values of the sampler's `observing` expressions, in order; empty for a scene of
  /// another scenario than the entry (a mixture's component) or when there are none.
  public internal(set) var observed: [Value] = []
  /// Every road and sidewalk the scenario's definitions hold (a lane or an inset region
  /// stands for its whole road), once each in definition order: the stuff the sensors draw.
  public internal(set) var roads: [RoadShape] = []
  /// Every `room(...)` region the definitions hold, once each in definition order.
  public internal(set) var rooms: [Region] = []
  /// The values drawn from real-data columns (`empirical`) in this sample, in draw order;
  /// `Sampler.empiricalColumns` names the columns.
  public internal(set) var empiricalDraws: [EmpiricalDraw] = []
  /// Every map (`map("…")`) a definition's value comes from, once each in definition order:
  /// its lanes are drawn whole (MapStuff.swift).
  public internal(set) var maps: [MapModel] = []
  /// Per map, the phase timing of its traffic lights (`signal_timing(...)`, else the default).
  public internal(set) var signalTimings: [SignalTiming] = []

  public static func == (a: Scene, b: Scene) -> Bool {
    var x = JSONBytes(), y = JSONBytes()
    a.write(into: &x)
    b.write(into: &y)
    return x.bytes == y.bytes
  }

  /// A value as JSON: quantities as `{"value": x, "unit": "m/s"}` in base units, actors by
  /// name, enum cases as strings, tuples and lists as arrays.
  public func json(_ v: Value, _ t: IRType) -> JSONValue {
    var out = JSONBytes()
    write(v, t, into: &out)
    return Scene.parse(out)
  }

  /// The JSON Lines object as a value (`write(into:)` is the fast path that prints it).
  public func json() -> JSONValue {
    var out = JSONBytes()
    write(into: &out)
    return Scene.parse(out)
  }

  /// Reads back what `write` wrote (always valid JSON; `null` would mean a writer bug).
  private static func parse(_ out: JSONBytes) -> JSONValue { (try? JSONValue.parse(bytes: out.bytes)) ?? .null }

  /// A double as scenes print it: shortest round-trip, -0 as `0.0`, non-finite as `null`.
  private static func number(_ x: Double, _ out: inout JSONBytes) { out.double(x, negativeZero: false) }

  private static func vector(_ p: Vec3, _ out: inout JSONBytes) {
    out.byte(UInt8(ascii: "["))
    number(p.x, &out)
    out.byte(UInt8(ascii: ","))
    number(p.y, &out)
    out.byte(UInt8(ascii: ","))
    number(p.z, &out)
    out.byte(UInt8(ascii: "]"))
  }

  /// Writes a value as `json(_:_:)` describes it.
  public func write(_ v: Value, _ t: IRType, into out: inout JSONBytes) {
    switch (v, t) {
    case (.real(let x), .quantity(let d)) where !d.isDimensionless:
      out.raw("{\"value\":")
      Scene.number(x, &out)
      out.raw(",\"unit\":")
      out.string(units.spell(d))
      out.byte(UInt8(ascii: "}"))
    case (.int(let i), .quantity(let d)) where !d.isDimensionless:
      out.raw("{\"value\":")
      Scene.number(Double(i), &out)
      out.raw(",\"unit\":")
      out.string(units.spell(d))
      out.byte(UInt8(ascii: "}"))
    case (.vector(let p), .vector(let d)) where !d.isDimensionless:
      out.raw("{\"value\":")
      Scene.vector(p, &out)
      out.raw(",\"unit\":")
      out.string(units.spell(d))
      out.byte(UInt8(ascii: "}"))
    case (.list(let xs), .list(let e)):
      out.byte(UInt8(ascii: "["))
      for (k, x) in xs.enumerated() {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        write(x, e, into: &out)
      }
      out.byte(UInt8(ascii: "]"))
    case (.tuple(let xs), .tuple(let ts)) where Scene.isMaterial(xs, ts):
      // A material value (docs/scene-model.md, "Materials in the language") by its field
      // names; `ShapeMaterial` by its name alone: it stands for the shape's own finish in the
      // actor's `color`, and its field values are not used.
      out.raw("{\"material\":")
      writeUntyped(xs[0], into: &out)
      if case .string(MaterialLayout.shapeMaterialName) = xs[0] {
        out.byte(UInt8(ascii: "}"))
        return
      }
      for (k, name) in MaterialLayout.fieldNames.enumerated() {
        out.byte(UInt8(ascii: ","))
        out.string(name)
        out.byte(UInt8(ascii: ":"))
        write(xs[k + 1], ts[k + 1], into: &out)
      }
      out.byte(UInt8(ascii: "}"))
    case (.tuple(let xs), .tuple(let ts)) where xs.count == ts.count:
      out.byte(UInt8(ascii: "["))
      for k in xs.indices {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        write(xs[k], ts[k], into: &out)
      }
      out.byte(UInt8(ascii: "]"))
    default: writeUntyped(v, into: &out)
    }
  }

  /// Whether a tuple is a material value: the layout the checker gives every material
  /// (`MaterialLayout`: its type name, then colour, roughness, metallic, a `Texture`, emissive
  /// luminance and LiDAR reflectivity). A user's tuple of exactly this shape would print the
  /// same way; no other tuple does.
  static func isMaterial(_ xs: [Value], _ ts: [IRType]) -> Bool {
    guard xs.count == MaterialLayout.fieldNames.count + 1, ts.count == xs.count, case .string = xs[0],
      ts[0] == .string, case .enumeration("Texture") = ts[4]
    else { return false }
    return true
  }

  func writeUntyped(_ v: Value, into out: inout JSONBytes) {
    switch v {
    case .bool(let b): out.bool(b)
    case .int(let i): out.int(i)
    case .real(let x): Scene.number(x, &out)
    case .string(let s), .enumCase(let s): out.string(s)
    case .vector(let p): Scene.vector(p, &out)
    case .list(let xs), .tuple(let xs):
      out.byte(UInt8(ascii: "["))
      for (k, x) in xs.enumerated() {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        writeUntyped(x, into: &out)
      }
      out.byte(UInt8(ascii: "]"))
    case .record(let i):
      if recordNames.indices.contains(i), let name = recordNames[i] { out.string(name) } else { out.raw("null") }
    case .region(let r):
      out.raw("{\"region\":")
      out.string(r.kindName)
      out.byte(UInt8(ascii: "}"))
    case .field(let f):
      out.raw("{\"field\":")
      out.string(f.kindName)
      out.byte(UInt8(ascii: "}"))
    case .behavior(let call): writeBehavior(call, into: &out)
    case .void: out.raw("null")
    }
  }

  private func writeBehavior(_ call: BehaviorCall, into out: inout JSONBytes) {
    out.raw("{\"name\":")
    out.string(call.name)
    out.raw(",\"arguments\":[")
    for (k, a) in call.arguments.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      writeUntyped(a, into: &out)
    }
    out.raw("]}")
  }

  private func writeObject(_ entries: [Entry], into out: inout JSONBytes) {
    out.byte(UInt8(ascii: "{"))
    for (k, e) in entries.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      out.key(e.name)
      write(e.value, e.type, into: &out)
    }
    out.byte(UInt8(ascii: "}"))
  }

  /// A record's field `k` as `write(_:_:into:)` writes it, with the unit's text from the
  /// type's table instead of a spelling looked up per value.
  @inline(__always)
  private func writeField(_ values: FieldValues, _ l: CompiledType, _ k: Int, into out: inout JSONBytes) {
    switch (l.fieldUnitKind[k], values[k]) {
    case (1, .real(let x)):
      out.raw("{\"value\":")
      Scene.number(x, &out)
      out.append(l.fieldUnitJSON[k])
    case (1, .int(let i)):
      out.raw("{\"value\":")
      Scene.number(Double(i), &out)
      out.append(l.fieldUnitJSON[k])
    case (2, .vector(let p)):
      out.raw("{\"value\":")
      Scene.vector(p, &out)
      out.append(l.fieldUnitJSON[k])
    default:
      write(values[k], l.fieldTypes[k], into: &out)
    }
  }

  /// The object of a record's listed fields (`Actor.fields`, `Sensor.fields`).
  private func writeFields(_ values: FieldValues, _ l: CompiledType, into out: inout JSONBytes) {
    out.byte(UInt8(ascii: "{"))
    var first = true
    for k in l.listedFields {
      if !first { out.byte(UInt8(ascii: ",")) }
      first = false
      out.append(l.fieldKeyJSON[k])
      writeField(values, l, k, into: &out)
    }
    out.byte(UInt8(ascii: "}"))
  }

  /// The object of `environment` from the memo when the scenario's fields print as last
  /// time, else written and remembered.
  private func writeEnvironment(into out: inout JSONBytes, memo: inout SceneJSONMemo) {
    guard memo.environmentTries.begin() else { return writeEnvironment(into: &out) }
    if let part = memo.environment, part.matches(environmentGiven, units.baseUnits) {
      memo.environmentTries.hit()
      memo.hits += 1
      return out.append(part.bytes)
    }
    if memo.environment != nil { memo.environmentTries.miss() }
    let start = out.count
    writeEnvironment(into: &out)
    memo.environment = SceneJSONMemo.EnvironmentPart(
      given: environmentGiven, baseUnits: units.baseUnits, bytes: out.bytes(from: start))
  }

  /// An actor's JSON from `,"size":` to the end of its object.
  private func writeActorRest(_ a: Actor, into out: inout JSONBytes) {
    out.raw(",\"size\":")
    Scene.vector(a.size, &out)
    out.raw(",\"color\":")
    let l = a.layout
    if l.color >= 0 { writeField(a.fieldValues, l, l.color, into: &out) } else { out.raw("null") }
    out.raw(",\"fields\":")
    writeFields(a.fieldValues, l, into: &out)
    out.raw(",\"behavior\":")
    if let b = a.behavior { writeBehavior(b, into: &out) } else { out.raw("null") }
    out.byte(UInt8(ascii: "}"))
  }

  /// `writeActorRest` for the `k`-th actor, from the memo when it prints as the `k`-th
  /// actor of the last scene did, else written and remembered.
  private func writeActorRest(_ a: Actor, _ k: Int, into out: inout JSONBytes, memo: inout SceneJSONMemo) {
    // `writeActor` made the part (k < maxActors).
    guard a.behavior == nil, k < memo.actors.count else { return writeActorRest(a, into: &out) }
    // The part is used in place (inout): reading it as a value copied it, retaining and
    // releasing each of its arrays and classes per actor and scene.
    if writeRemembered(a, &memo.actors[k], into: &out) {
      memo.hits += 1
    }
  }

  /// The actor's tail from `part` when it matches, else written and remembered in `part`
  /// (unless the part sits out, `SceneJSONMemo.Tries`); whether it was a hit.
  private func writeRemembered(_ a: Actor, _ part: inout SceneJSONMemo.ActorPart, into out: inout JSONBytes) -> Bool {
    guard part.tries.begin() else {
      writeActorRest(a, into: &out)
      return false
    }
    if part.matches(a) {
      part.tries.hit()
      out.append(part.bytes)
      return true
    }
    if part.layout != nil { part.tries.miss() }
    let start = out.count
    writeActorRest(a, into: &out)
    part.layout = a.layout
    part.values = a.fieldValues
    part.size = a.size
    part.className = a.className
    part.bytes = out.bytes(from: start)
    return false
  }

  /// The object of `environment`, written without building its entries.
  private func writeEnvironment(into out: inout JSONBytes) {
    out.byte(UInt8(ascii: "{"))
    var first = true
    func entry(_ name: String, _ value: Value, _ type: IRType) {
      if !first { out.byte(UInt8(ascii: ",")) }
      first = false
      out.key(name)
      write(value, type, into: &out)
    }
    for d in SceneBuilder.environmentDefaults {
      if let given = environmentGiven.first(where: { $0.name == d.name }) {
        entry(given.name, given.value, given.type)
      } else if d.name == "precipitation" {
        let weather = environmentGiven.first { $0.name == "weather" }?.value
        entry(d.name, .real(SceneBuilder.typicalPrecipitation(weather: weather)), d.type)
      } else {
        entry(d.name, d.value, d.type)
      }
    }
    for g in environmentGiven where !SceneBuilder.environmentDefaults.contains(where: { $0.name == g.name }) {
      entry(g.name, g.value, g.type)
    }
    out.byte(UInt8(ascii: "}"))
  }

  /// Appends the JSON Lines object (without the newline), key order fixed: `sample`,
  /// `scenario`, `seed`, `attempts`, `params`, `actors`, `sensors`, `environment`, `covers`,
  /// `guidance`. Straight into `out`, with no intermediate tree or `String`.
  public func write(into out: inout JSONBytes) {
    var memo = SceneJSONMemo()
    write(into: &out, memo: &memo, remembering: false)
  }

  /// `write(into:)` with the parts that print as in the scene last written with `memo`
  /// copied from it (`SceneJSONMemo`): the same bytes, written faster when a run's scenes
  /// share most of their values. A memo serves the scenes of one sampler.
  public func write(into out: inout JSONBytes, memo: inout SceneJSONMemo) {
    write(into: &out, memo: &memo, remembering: true)
  }

  /// An actor's JSON up to its position's value: `{"name":…,"type":…,"class":…,"position":`.
  private static func writeHead(_ a: Actor, into out: inout JSONBytes) {
    out.raw("{\"name\":")
    out.string(a.name)
    out.raw(",\"type\":")
    out.append(a.layout.nameJSON)
    out.raw(",\"class\":")
    out.string(a.className)
    out.raw(",\"position\":")
  }

  /// `writeHead`, copied from `part` when the actor has the name, type and class the part's
  /// head was written for (the n-th actor of a run's scenes usually has), else written and
  /// remembered there.
  private static func writeHead(_ a: Actor, _ part: inout SceneJSONMemo.ActorPart, into out: inout JSONBytes) {
    if part.headLayout === a.layout, part.headName == a.name, part.headClass == a.className {
      return out.append(part.head)
    }
    let start = out.count
    writeHead(a, into: &out)
    part.headLayout = a.layout
    part.headName = a.name
    part.headClass = a.className
    part.head = out.bytes(from: start)
  }

  /// The `k`-th actor's object.
  private func writeActor(_ a: borrowing Actor, _ k: Int, into out: inout JSONBytes, memo: inout SceneJSONMemo, remembering: Bool) {
    if k > 0 { out.byte(UInt8(ascii: ",")) }
    if remembering, k < SceneJSONMemo.maxActors {
      if k >= memo.actors.count {
        memo.actors.append(contentsOf: repeatElement(SceneJSONMemo.ActorPart(), count: k + 1 - memo.actors.count))
      }
      Self.writeHead(a, &memo.actors[k], into: &out)
    } else {
      Self.writeHead(a, into: &out)
    }
    Scene.vector(a.position, &out)
    out.raw(",\"heading\":{\"rad\":")
    Scene.number(a.heading, &out)
    out.raw(",\"deg\":")
    Scene.number(a.heading * 180 / .pi, &out)
    out.byte(UInt8(ascii: "}"))
    if remembering { writeActorRest(a, k, into: &out, memo: &memo) } else { writeActorRest(a, into: &out) }
  }

  private func write(into out: inout JSONBytes, memo: inout SceneJSONMemo, remembering: Bool) {
    out.raw("{\"sample\":")
    out.uint(sample)
    out.raw(",\"scenario\":")
    out.string(scenario)
    out.raw(",\"seed\":")
    out.uint(seed)
    out.raw(",\"attempts\":")
    out.int(attempts)
    out.raw(",\"params\":")
    writeObject(params, into: &out)
    out.raw(",\"actors\":[")
    // Each actor is read in place from the `let` array: a copy out of it (`for a in actors`,
    // or through a buffer pointer) retains and releases its fields and layout, shared with
    // the other workers' scenes.
    for k in actors.indices {
      writeActor(actors[k], k, into: &out, memo: &memo, remembering: remembering)
    }
    out.raw("],\"sensors\":[")
    for (k, s) in sensors.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      out.raw("{\"name\":")
      out.string(s.name)
      out.raw(",\"type\":")
      out.append(s.layout.nameJSON)
      out.raw(",\"mount\":")
      if let m = s.mount { out.string(m) } else { out.raw("null") }
      out.raw(",\"pose\":{\"position\":")
      Scene.vector(s.pose.position, &out)
      out.raw(",\"yaw\":")
      Scene.number(s.pose.yaw, &out)
      out.raw(",\"pitch\":")
      Scene.number(s.pose.pitch, &out)
      out.raw(",\"roll\":")
      Scene.number(s.pose.roll, &out)
      out.raw("},\"fields\":")
      writeFields(s.fieldValues, s.layout, into: &out)
      out.byte(UInt8(ascii: "}"))
    }
    out.raw("],\"environment\":")
    if remembering { writeEnvironment(into: &out, memo: &memo) } else { writeEnvironment(into: &out) }
    out.raw(",\"covers\":{")
    for (k, c) in covers.enumerated() {
      if k > 0 { out.byte(UInt8(ascii: ",")) }
      out.key(c.name)
      out.raw("{\"value\":")
      write(c.value, c.type, into: &out)
      out.raw(",\"bucket\":")
      out.string(c.bucket)
      out.byte(UInt8(ascii: "}"))
    }
    out.raw("},\"guidance\":")
    if let g = guidance, let focus = g.focus {
      out.raw("{\"mode\":\"focus\",\"focused\":")
      out.raw(focus.focused ? "true" : "false")
      out.raw(",\"share\":")
      Scene.number(focus.share, &out)
      out.raw(",\"buckets\":{")
      for (k, b) in g.buckets.enumerated() {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        out.key(b.cover)
        out.string(b.bucket)
      }
      out.raw("},\"natural_probability\":")
      if let p = g.naturalProbability { Scene.number(p, &out) } else { out.raw("null") }
      out.raw(",\"weight\":")
      if let w = g.weight { Scene.number(w, &out) } else { out.raw("null") }
      out.byte(UInt8(ascii: "}"))
    } else if let g = guidance {
      out.raw("{\"mode\":\"cover-target\",\"buckets\":{")
      for (k, b) in g.buckets.enumerated() {
        if k > 0 { out.byte(UInt8(ascii: ",")) }
        out.key(b.cover)
        out.string(b.bucket)
      }
      out.raw("},\"target_probability\":")
      Scene.number(g.targetProbability, &out)
      out.raw(",\"natural_probability\":")
      if let p = g.naturalProbability { Scene.number(p, &out) } else { out.raw("null") }
      out.raw(",\"weight\":")
      if let w = g.weight { Scene.number(w, &out) } else { out.raw("null") }
      out.byte(UInt8(ascii: "}"))
    } else {
      out.raw("{\"mode\":\"natural\",\"weight\":1.0}")
    }
    out.byte(UInt8(ascii: "}"))
  }

  /// A param's value as JSON, by name.
  public func param(_ name: String) -> JSONValue? {
    params.first { $0.name == name }.map { json($0.value, $0.type) }
  }

  /// A readable summary for `--format table`.
  public func table() -> String {
    func plain(_ j: JSONValue) -> String {
      switch j {
      case .object(let pairs):
        if pairs.count == 2, pairs[0].0 == "value", case .string(let unit) = pairs[1].1 {
          return plain(pairs[0].1) + " " + unit
        }
        return "{" + pairs.map { "\($0.0): \(plain($0.1))" }.joined(separator: ", ") + "}"
      case .array(let xs): return "(" + xs.map(plain).joined(separator: ", ") + ")"
      case .double(let x): return short(x)
      // A string from the scenario is one line of the table, never terminal control: with a
      // control character it is written quoted, its controls escaped.
      case .string(let s):
        return s.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) } ? s.quotedForDump : s
      default: return j.compact
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
    case .room: "room"
    case .everywhere: "everywhere"
    case .view(_, _, let negated): negated ? "not visible" : "visible"
    case .nowhere: "nowhere"
    case .map(let m): m.lanes.count == 1 ? "map lane" : "map lanes"
    case .inset(let base, _): "inset " + base.kindName
    case .shape(let s): s.kindName
    }
  }
}

extension Scene.Guidance {
  /// The guidance as a JSON value, with the keys and order `Scene.write(into:)` prints
  /// (`samples.jsonl` records it under `--focus`).
  public var json: JSONValue {
    let buckets: JSONValue = .object(buckets.map { ($0.cover, .string($0.bucket)) })
    let natural: JSONValue = naturalProbability.map { .double($0) } ?? .null
    let weight: JSONValue = self.weight.map { .double($0) } ?? .null
    if let focus {
      return .object([
        ("mode", .string("focus")), ("focused", .bool(focus.focused)), ("share", .double(focus.share)),
        ("buckets", buckets), ("natural_probability", natural), ("weight", weight),
      ])
    }
    return .object([
      ("mode", .string("cover-target")), ("buckets", buckets), ("target_probability", .double(targetProbability)),
      ("natural_probability", natural), ("weight", weight),
    ])
  }
}
