import ScnGeometry
import ScnIR
import ScnScene

/// The dataset's label classes: every `class` string the program can give an actor, sorted,
/// numbered from 2 (0 is sky / no hit and 1 the ground, `ScnScene.SemanticClass`). Ids
/// depend only on the program, never on which samples a run produced, so shards and
/// resumed runs agree.
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

/// Why a sampled scene has no physical model.
public struct SceneModelError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
}

/// A sampled scene as the physical world the sensors observe (docs/scene-model.md): one
/// `SceneObject` per actor (instance id = actor position in the scene + 1) with the parts
/// `ActorShapes` builds from its fields, and the environment's stated conditions.
public struct SceneModel: Sendable {
  public let objects: [SceneObject]
  public let conditions: Conditions
  /// Instance id of each actor, by actor name.
  public let instanceIDs: [String: UInt32]

  public init(scene: Scene, classes: ClassTable) throws(SceneModelError) {
    guard scene.actors.count <= 65_535 else {
      throw SceneModelError(
        description: "sample \(scene.sample) has \(scene.actors.count) actors; instance images hold at most 65535")
    }
    var objects: [SceneObject] = []
    var ids: [String: UInt32] = [:]
    for (k, actor) in scene.actors.enumerated() {
      guard let semantic = classes.id(of: actor.className), semantic <= 255 else {
        throw SceneModelError(
          description: "actor '\(actor.name)' has class '\(actor.className)', which is not a literal the program declares")
      }
      let id = UInt32(k + 1)
      ids[actor.name] = id
      let size = actor.size
      guard size.x > 0, size.y > 0, size.z > 0, size.x.isFinite, size.y.isFinite, size.z.isFinite else {
        throw SceneModelError(description: "actor '\(actor.name)' has a non-positive size")
      }
      let request = ShapeRequests.request(size: size, names: actor.layout.fieldNames, types: actor.layout.fieldTypes,
                                          values: actor.values, shapeIndex: actor.layout.shape)
      objects.append(
        SceneObject(
          instanceID: id, semanticClass: UInt8(semantic), className: actor.className,
          material: ShapeRequests.material(request), parts: ActorShapes.parts(request),
          transform: Transform(position: actor.position, yaw: actor.heading)))
    }
    self.objects = objects
    conditions = SceneModel.conditions(scene.environment)
    instanceIDs = ids
  }

  /// The prelude's environment record (every field present: `Scene.environment` fills the
  /// defaults) → the stated conditions. The extinction comes from `visibility` when the
  /// scenario gives one (σ = 3.912 / V, Koschmieder) and otherwise from `fog`, the fraction of
  /// light lost per 100 m (σ = −ln(1 − fog) / 100 m); docs/weather.md.
  public static func conditions(_ entries: [Scene.Entry]) -> Conditions {
    func value(_ name: String) -> Value? { entries.first { $0.name == name }?.value }
    func real(_ name: String) -> Double? {
      switch value(name) {
      case .real(let x)?: x.isFinite ? x : nil
      case .int(let i)?: Double(i)
      default: nil
      }
    }
    var indoor = false
    if case .bool(let b)? = value("indoor") { indoor = b }
    let extinction: Double
    if let visibility = real("visibility"), visibility > 0 {
      extinction = Conditions.koschmieder / visibility
    } else {
      let fog = min(0.999_999, max(0, real("fog") ?? 0))
      extinction = -logDouble(1 - fog) / 100
    }
    var weather = "clear"
    if case .enumCase(let w)? = value("weather") { weather = w }
    // Precipitation is in base units (m/s); the conditions take mm/h.
    let rate = max(0, real("precipitation") ?? 0) * 3_600_000
    let precipitation: Precipitation =
      switch weather {
      case "rain": .rain(millimetresPerHour: rate)
      case "snow": .snow(millimetresPerHour: rate)
      default: .none
      }
    return Conditions(
      illuminance: real("light") ?? 100_000, indoor: indoor, sunElevation: real("sun_elevation") ?? .pi / 3,
      sunAzimuth: real("sun_azimuth") ?? .pi, fogExtinction: extinction, sky: weather == "clear" ? .clear : .overcast,
      precipitation: precipitation)
  }
}

/// Actor fields → the shape builder's language-neutral request. Used for records during
/// sampling (overlap, visibility, physics) and for sampled scenes (sensors), so both build
/// the same parts from the same values.
enum ShapeRequests {
  static func request(size: Vec3, names: [String], types: [IRType], values: [Value], shapeIndex: Int) -> ShapeRequest {
    var kind = "box"
    if shapeIndex >= 0, shapeIndex < values.count, case .enumCase(let s) = values[shapeIndex] { kind = s }
    var parameters: [String: ShapeParameter] = [:]
    for k in names.indices where k < values.count && k < types.count {
      if let p = parameter(values[k], type: types[k]) { parameters[names[k]] = p }
    }
    return ShapeRequest(kind: kind, size: size, parameters: parameters)
  }

  static func parameter(_ v: Value, type: IRType) -> ShapeParameter? {
    // `Color` is the prelude's alias of (Float, Float, Float): sRGB components.
    if type == .color || type == .tuple([.float, .float, .float]) {
      guard case .tuple(let xs) = v, xs.count == 3 else {
        if case .vector(let c) = v { return .colour(RGB.fromSRGB(c.x, c.y, c.z)) }
        return nil
      }
      return .colour(RGB.fromSRGB(xs[0].asDouble, xs[1].asDouble, xs[2].asDouble))
    }
    switch v {
    case .real(let x): return x.isFinite ? .real(x) : nil
    case .int(let i): return .real(Double(i))
    case .bool(let b): return .flag(b)
    case .string(let s), .enumCase(let s): return .name(s)
    case .list(let xs):
      var reals: [Double] = []
      for x in xs {
        switch x {
        case .real(let r) where r.isFinite: reals.append(r)
        case .int(let i): reals.append(Double(i))
        default: return nil
        }
      }
      return .reals(reals)
    default: return nil
    }
  }

  /// The object's default material: its `color` (sRGB in the language, linear here), grey
  /// when it has none (docs/scene-model.md).
  static func material(_ request: ShapeRequest) -> Material {
    Material(baseColour: request.colour("color") ?? RGB(0.5, 0.5, 0.5))
  }
}
