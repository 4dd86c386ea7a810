import ScnGeometry
import ScnIR
import ScnRuntime
import ScnSensors

/// The dataset's label classes: every `class` string the program can give an actor, sorted,
/// numbered from 2 (0 is sky / no hit and 1 the ground, as in the semantic palette of
/// ScnSensors). Ids depend only on the program, never on which samples a run produced, so
/// shards and resumed runs agree.
public struct ClassTable: Sendable, Equatable {
  /// Class names in id order; `names[k]` has semantic id `k + 2`.
  public let names: [String]

  /// Collects the default of every actor type's `class` field and every literal written to a
  /// `class:` field anywhere in the program.
  public init(program: ProgramIR) {
    var found: Set<String> = []
    for type in program.types where type.kind == .actor {
      for field in type.fields where field.name == "class" {
        if let e = field.defaultValue, case .constant(.string(let s)) = e.kind { found.insert(s) }
      }
    }
    ClassTable.collectClassLiterals(in: program.scenarios, into: &found)
    ClassTable.collectClassLiterals(in: program.functions, into: &found)
    names = found.sorted()
  }

  public init(names: [String]) { self.names = names.sorted() }

  /// Semantic id of a class, nil when the program cannot produce it.
  public func id(of name: String) -> Int? {
    var low = 0, high = names.count
    while low < high {
      let mid = (low + high) / 2
      if names[mid] < name { low = mid + 1 } else { high = mid }
    }
    return low < names.count && names[low] == name ? low + 2 : nil
  }

  /// Walks any IR value by reflection: `construct` expressions hold their field inits deep in
  /// definitions, comprehensions and functions, and a reflective walk needs no case list that
  /// would silently miss a new expression kind. Only names are collected (into a set), so the
  /// walk's order cannot reach an output.
  static func collectClassLiterals(in value: Any, into found: inout Set<String>) {
    if let field = value as? IRExpr.FieldInit {
      if field.name == "class", case .constant(.string(let s)) = field.value.kind { found.insert(s) }
    }
    for child in Mirror(reflecting: value).children {
      collectClassLiterals(in: child.value, into: &found)
    }
  }
}

/// Turns a sampled `Scene` into what the renderer draws: one `RenderObject` per actor (instance
/// id = actor position in the scene + 1) with parts from its `shape`, the environment's light,
/// sun and fog, and every camera and LiDAR with its intrinsics and world pose.
public struct SceneRenderMapping: Sendable {
  public let renderScene: RenderScene
  /// Instance id of each actor, by actor name.
  public let instanceIDs: [String: UInt32]

  public init(scene: Scene, classes: ClassTable) throws(GenerateError) {
    guard scene.actors.count <= 65_535 else {
      throw .scene("sample \(scene.sample) has \(scene.actors.count) actors; instance images hold at most 65535")
    }
    var objects: [RenderObject] = []
    var ids: [String: UInt32] = [:]
    for (k, actor) in scene.actors.enumerated() {
      guard let semantic = classes.id(of: actor.className), semantic <= 255 else {
        throw .scene("actor '\(actor.name)' has class '\(actor.className)', which is not a literal the program declares")
      }
      let id = UInt32(k + 1)
      ids[actor.name] = id
      let size = actor.size
      guard size.x > 0, size.y > 0, size.z > 0, size.x.isFinite, size.y.isFinite, size.z.isFinite else {
        throw .scene("actor '\(actor.name)' has a non-positive size")
      }
      objects.append(
        RenderObject(
          instanceID: id, semanticClass: UInt8(semantic), className: actor.className,
          baseColour: SceneRenderMapping.colour(of: actor), parts: SceneRenderMapping.parts(of: actor),
          transform: Transform(position: actor.position, yaw: actor.heading)))
    }
    renderScene = RenderScene(objects: objects, environment: SceneRenderMapping.environment(scene.environment))
    instanceIDs = ids
  }

  /// `color` is sRGB in the language; the renderer wants linear RGB.
  static func colour(of actor: Scene.Actor) -> RGB {
    guard let entry = actor.color, let c = SensorFields.vector(entry.value) else { return RGB(0.5, 0.5, 0.5) }
    func linear(_ v: Double) -> Double {
      let s = min(1, max(0, v))
      return s <= 0.04045 ? s / 12.92 : powDouble((s + 0.055) / 1.055, 2.4)
    }
    return RGB(linear(c.x), linear(c.y), linear(c.z))
  }

  /// Parts in the object frame (bottom centre, heading along +x). Cylinders and ellipsoids
  /// use the smaller footprint side as diameter: the renderer has no elliptical shapes.
  static func parts(of actor: Scene.Actor) -> [RenderPart] {
    let l = actor.size.x, w = actor.size.y, h = actor.size.z
    let shape = actor.fields.first { $0.name == "shape" }.flatMap { e -> String? in
      if case .enumCase(let s) = e.value { return s }
      return nil
    }
    switch shape {
    case "cylinder":
      return [RenderPart(.cylinder(radius: min(l, w) / 2, height: h), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    case "sphere":
      return [RenderPart(.sphere(radius: min(l, w, h) / 2), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    case "frame":
      // The prelude's `Shape.frame`: four 0.04 × 0.1 m uprights and a pair of 0.12 × 0.05 m
      // beams at each level and at the top (the same parts the sampler's overlap checks use).
      var parts: [RenderPart] = []
      for sx in [-1.0, 1.0] {
        for sy in [-1.0, 1.0] {
          parts.append(RenderPart(.box(size: Vec3(0.04, 0.1, h)),
                                  transform: Transform(translation: Vec3(sx * (l / 2 - 0.02), sy * (w / 2 - 0.05), h / 2))))
        }
      }
      var levels: [Double] = []
      if let entry = actor.fields.first(where: { $0.name == "levels" }), case .list(let xs) = entry.value {
        levels = xs.compactMap(SensorFields.real).filter { $0 > 0.12 && $0 < h }
      }
      levels.append(h)
      let beamLength = max(0.01, l - 0.08)
      for level in levels {
        for sy in [-1.0, 1.0] {
          parts.append(RenderPart(.box(size: Vec3(beamLength, 0.05, 0.12)),
                                  transform: Transform(translation: Vec3(0, sy * (w / 2 - 0.025), level - 0.06))))
        }
      }
      return parts
    default:
      return [RenderPart(.box(size: actor.size), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    }
  }

  /// The prelude's environment record (every field present: `Scene.environment` fills the
  /// defaults) → the sensors' environment; the light and weather model is
  /// `ScnSensors.Environment.scene` (docs/weather.md). The extinction comes from
  /// `visibility` when the scenario gives one (σ = 3.912 / V) and otherwise from `fog`, the
  /// fraction of light lost per 100 m (σ = −ln(1 − fog) / 100 m).
  static func environment(_ entries: [Scene.Entry]) -> ScnSensors.Environment {
    func value(_ name: String) -> Value? { entries.first { $0.name == name }?.value }
    let light = value("light").flatMap(SensorFields.real) ?? 100_000
    var indoor = false
    if case .bool(let b)? = value("indoor") { indoor = b }
    let elevation = value("sun_elevation").flatMap(SensorFields.real) ?? .pi / 3
    let azimuth = value("sun_azimuth").flatMap(SensorFields.real) ?? .pi
    let extinction: Double
    if let visibility = value("visibility").flatMap(SensorFields.real), visibility > 0 {
      extinction = Koschmieder.extinction(visibility: visibility)
    } else {
      let fog = min(0.999_999, max(0, value("fog").flatMap(SensorFields.real) ?? 0))
      extinction = -logDouble(1 - fog) / 100
    }
    var weather = "clear"
    if case .enumCase(let w)? = value("weather") { weather = w }
    // Precipitation is in base units (m/s); the sensors take mm/h.
    let rate = max(0, value("precipitation").flatMap(SensorFields.real) ?? 0) * 3_600_000
    let precipitation: Precipitation =
      switch weather {
      case "rain": .rain(millimetresPerHour: rate)
      case "snow": .snow(millimetresPerHour: rate)
      default: .none
      }
    return ScnSensors.Environment.scene(
      illuminance: light, indoor: indoor, sunElevation: elevation, sunAzimuth: azimuth, fogExtinction: extinction,
      sky: weather == "clear" ? .clear : .overcast, precipitation: precipitation)
  }
}

/// Reading sensor and actor fields from sampled values.
enum SensorFields {
  static func real(_ v: Value) -> Double? {
    switch v {
    case .real(let x): return x.isFinite ? x : nil
    case .int(let i): return Double(i)
    default: return nil
    }
  }

  static func int(_ v: Value) -> Int? {
    switch v {
    case .int(let i): return Int(exactly: i)
    case .real(let x): return x.isFinite && x == x.rounded() && abs(x) < 1e9 ? Int(x) : nil
    default: return nil
    }
  }

  static func vector(_ v: Value) -> Vec3? {
    switch v {
    case .vector(let p): return p
    case .tuple(let xs) where xs.count == 3:
      guard let a = real(xs[0]), let b = real(xs[1]), let c = real(xs[2]) else { return nil }
      return Vec3(a, b, c)
    default: return nil
    }
  }

  static func field(_ sensor: Scene.Sensor, _ name: String) -> Value? {
    sensor.fields.first { $0.name == name }?.value
  }
}
