import ScnGeometry
import ScnIR
import ScnScene

/// The dataset's label classes: every class the program can produce, sorted, numbered from 2
/// (0 is sky / no hit and 1 the ground, `ScnScene.SemanticClass`). Ids depend only on the
/// program, never on which samples a run produced, so shards and resumed runs agree.
///
/// The classes are the `class` of every actor type the program constructs (its default, or
/// the literal a construction writes to `class:`), and the stuff classes of the surfaces it
/// builds: `road` and `lane_marking` when it calls `road(...)`, `curb` and `sidewalk` too
/// when it calls `sidewalk(...)` or `map(...)` (docs/scene-model.md, "Stuff"), and
/// `traffic_light` when it calls `map(...)`.
public struct ClassTable: Sendable, Equatable {
  /// Class names in id order; `names[k]` has semantic id `k + 2`.
  public let names: [String]

  public init(program: ProgramIR) {
    var found: Set<String> = []
    var constructed: Set<String> = []
    var natives: Set<String> = []
    ClassTable.collect(in: program.scenarios, classes: &found, types: &constructed, natives: &natives)
    ClassTable.collect(in: program.functions, classes: &found, types: &constructed, natives: &natives)
    var types: [String: RecordTypeIR] = [:]
    for type in program.types where types[type.name] == nil { types[type.name] = type }
    for name in constructed {
      if let s = ClassTable.defaultClass(of: name, in: types, depth: 0) { found.insert(s) }
    }
    if natives.contains("road") || natives.contains("sidewalk") { found.formUnion(StuffClasses.roadNames) }
    if natives.contains("sidewalk") { found.formUnion(StuffClasses.sidewalkNames) }
    // A map draws its lanes' asphalt and markings, its sidewalks and their kerbs.
    // and its traffic lights (instances of class `traffic_light`).
    if natives.contains("map") {
      found.formUnion(StuffClasses.roadNames + StuffClasses.sidewalkNames)
      found.insert(TrafficLights.className)
    }
    if natives.contains("room") { found.formUnion(StuffClasses.roomNames) }
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

  /// The ids of the stuff classes (0 for those the program cannot produce).
  public var stuff: StuffClasses {
    func id(_ name: String) -> UInt8 { self.id(of: name).map { UInt8(clamping: $0) } ?? 0 }
    return StuffClasses(
      road: id("road"), laneMarking: id("lane_marking"), sidewalk: id("sidewalk"), curb: id("curb"), wall: id("wall"))
  }

  /// The default of an actor type's `class` field, looked up through its bases.
  static func defaultClass(of name: String, in types: [String: RecordTypeIR], depth: Int) -> String? {
    guard depth < 64, let type = types[name], type.kind == .actor else { return nil }
    if let field = type.fields.first(where: { $0.name == "class" }) {
      if let e = field.defaultValue, case .constant(.string(let s)) = e.kind { return s }
      return nil
    }
    for base in type.bases {
      if let s = defaultClass(of: base, in: types, depth: depth + 1) { return s }
    }
    return nil
  }

  /// Walks any IR value by reflection: `construct` expressions hold their field inits deep in
  /// definitions, comprehensions and functions, and a reflective walk needs no case list that
  /// would silently miss a new expression kind. Collects `class:` literals, the types built
  /// without one and the natives called. Only names are collected (into sets), so the walk's
  /// order cannot reach an output.
  static func collect(
    in value: Any, classes: inout Set<String>, types: inout Set<String>, natives: inout Set<String>
  ) {
    if let field = value as? IRExpr.FieldInit {
      if field.name == "class", case .constant(.string(let s)) = field.value.kind { classes.insert(s) }
    }
    if let kind = value as? IRExpr.Kind {
      switch kind {
      case .construct(let type, let fields, _) where !fields.contains(where: { $0.name == "class" }):
        types.insert(type)
      case .native(let name, _): natives.insert(name)
      default: break
      }
    }
    for child in Mirror(reflecting: value).children {
      collect(in: child.value, classes: &classes, types: &types, natives: &natives)
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
  /// Roads, lane markings, kerbs and sidewalks (no instances; docs/scene-model.md).
  public let stuff: Stuff
  /// Lamps of the actors that carry them, in actor order (docs/scene-model.md, "Lights").
  public let lights: [Light]
  public let conditions: Conditions
  /// Instance id of each actor, by actor name.
  public let instanceIDs: [String: UInt32]
  /// Instances of actors whose `annotated` field is false: in the masks, not in COCO or
  /// KITTI labels (`std.distractors`).
  public let unannotatedInstances: Set<UInt32>
  /// The maps' traffic lights, objects after the actors' (`TrafficLights`).
  let trafficLights: TrafficLights
  /// Per object, how its shape changes as it moves: walking and running people swing their
  /// limbs through the gait cycle (`parts(ofObject:travelled:)`); nil for rigid shapes.
  let gaits: [Gait?]
  /// Per object, its wheels when it has any (parts labelled `wheel_…` that are cylinders, or
  /// meshes centred on their axle): they turn with the
  /// distance rolled and the front ones steer (`parts(ofObject:rolled:steering:)`).
  let wheels: [Wheels?]

  /// A wheeled object's wheels: each wheel part's index, radius and steering factor (1 for
  /// the front wheels of a road vehicle or bicycle, −1 for a forklift's rear steer wheels, 0
  /// for wheels that do not steer), and the wheelbase (front to rear axle).
  struct Wheels: Sendable {
    var parts: [Part]
    var wheels: [(index: Int, radius: Double, steer: Double)]
    var wheelbase: Double

    init?(_ parts: [Part], kind: String) {
      var wheels: [(index: Int, radius: Double, steer: Double)] = []
      var front: [Double] = [], rear: [Double] = []
      for (i, p) in parts.enumerated() {
        guard let label = p.label, label.hasPrefix("wheel_") else { continue }
        // A cylinder (a car's wheel), or a mesh in a frame centred on its axle along y (a
        // bicycle's spoked wheel): its radius is the mesh's reach in x.
        let radius: Double
        switch p.shape {
        case .cylinder(let r, _): radius = r
        case .mesh(let m): radius = Swift.max(m.bounds.upper.x, -m.bounds.lower.x)
        default: continue
        }
        guard radius > 0, radius.isFinite else { continue }
        let isFront = label.hasPrefix("wheel_front")
        let steer: Double = kind == "forklift" ? (isFront ? 0 : -1) : (isFront ? 1 : 0)
        wheels.append((i, radius, steer))
        if isFront { front.append(p.transform.translation.x) } else { rear.append(p.transform.translation.x) }
      }
      guard !wheels.isEmpty else { return nil }
      self.parts = parts
      self.wheels = wheels
      let mean = { (xs: [Double]) in xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
      wheelbase = front.isEmpty || rear.isEmpty ? 0 : abs(mean(front) - mean(rear))
    }
  }

  /// A person's gait: the request its parts come from, the distance one cycle covers, and
  /// where in the cycle it starts (a fraction from its name, so a crowd is not in step).
  struct Gait: Sendable {
    var request: ShapeRequest
    var stride: Double
    var offset: Double
    /// The actor's `part_materials`, applied again to each new pose.
    var partMaterials: [MaterialValues.PartMaterial] = []
    var objectMaterial = Material.neutral
  }

  public init(scene: Scene, classes: ClassTable) throws(SceneModelError) {
    guard scene.actors.count <= 65_535 else {
      throw SceneModelError(
        description: "sample \(scene.sample) has \(scene.actors.count) actors; instance images hold at most 65535")
    }
    var objects: [SceneObject] = []
    var lamps: [Light] = []
    var gaits: [Gait?] = []
    var wheels: [Wheels?] = []
    var ids: [String: UInt32] = [:]
    var unannotated: Set<UInt32> = []
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
                                          values: actor.values, shapeIndex: actor.layout.shape,
                                          assets: actor.layout.assets)
      if request.kind == "asset", request.asset == nil {
        let named = request.name("asset").map { "'\($0)'" } ?? "nothing (it has no String field 'asset')"
        let declared = actor.layout.assets.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
        throw SceneModelError(
          description: "actor '\(actor.name)' has shape 'asset' but its 'asset' field names \(named), not an @asset of the "
            + "scenario" + (declared.isEmpty ? " (it declares none)" : " (declared: \(declared))"))
      }
      // The actor's `material` (docs/scene-model.md, "Materials"): `ShapeMaterial` (nil here)
      // is the shape's own finish in its `color`.
      let layout = actor.layout
      var material = ShapeRequests.material(request)
      if let k = layout.fieldIndex["material"], k < actor.fieldValues.count,
        let given = try MaterialValues.material(actor.fieldValues[k], actor: actor.name, field: "material")
      {
        material = given
      }
      var parts = ActorShapes.parts(request)
      var partMaterials: [MaterialValues.PartMaterial] = []
      if let k = layout.fieldIndex["part_materials"], k < actor.fieldValues.count {
        partMaterials = try MaterialValues.partMaterials(actor.fieldValues[k], actor: actor.name)
        try MaterialValues.apply(partMaterials, to: &parts, object: material, kind: request.kind, actor: actor.name)
      }
      if let k = layout.fieldIndex["annotated"], k < actor.fieldValues.count, case .bool(false) = actor.fieldValues[k] {
        unannotated.insert(id)
      }
      var object = SceneObject(
        instanceID: id, semanticClass: UInt8(semantic), className: actor.className,
        material: material, parts: parts, transform: actor.pose)
      lamps += Lamps.lights(of: &object, request: request)
      objects.append(object)
      wheels.append(Wheels(object.parts, kind: request.kind))
      gaits.append(
        ActorShapes.gaitStride(request).map {
          Gait(
            request: request, stride: $0, offset: SceneModel.phaseOffset(actor.name), partMaterials: partMaterials,
            objectMaterial: material)
        })
    }
    let semantic = classes.id(of: TrafficLights.className).map { UInt8(clamping: $0) } ?? 0
    let lights = TrafficLights(scene.maps, timings: scene.signalTimings, semanticClass: semantic, firstID: objects.count + 1)
    guard objects.count + lights.objects.count <= 65_535 else {
      throw SceneModelError(
        description: "sample \(scene.sample) has \(objects.count) actors and \(lights.objects.count) traffic lights; instance images hold at most 65535")
    }
    objects += lights.objects
    trafficLights = lights
    self.objects = objects
    self.gaits = gaits
    self.wheels = wheels
    var stuff = SceneModel.stuff(scene.roads, rooms: scene.rooms, classes: classes.stuff)
    for map in scene.maps { stuff.solids += map.meshes.solids(classes.stuff) }
    self.stuff = stuff
    self.lights = lamps
    conditions = SceneModel.conditions(scene.environment)
    instanceIDs = ids
    unannotatedInstances = unannotated
  }

  /// Object `k`'s parts while it moves, after it has travelled `distance` metres along its
  /// path: a person at the matching phase of its gait cycle, running if its `pose` is
  /// `running`, else walking. Nil when the object's shape does not change as it moves, so
  /// it keeps its parts (a person standing still keeps its declared pose).
  public func parts(ofObject k: Int, travelled distance: Double) -> [Part]? {
    guard gaits.indices.contains(k), let gait = gaits[k], gait.stride > 0, distance.isFinite, distance >= 0 else {
      return nil
    }
    var request = gait.request
    if request.name("pose") != "running" { request.parameters["pose"] = .name("walking") }
    request.parameters["gait_phase"] = .real(gait.offset + distance / gait.stride)
    var parts = ActorShapes.parts(request)
    // The names were matched when the scene was built; the gait keeps the same labels.
    try? MaterialValues.apply(gait.partMaterials, to: &parts, object: gait.objectMaterial, kind: request.kind, actor: "")
    return parts
  }

  /// The largest steering angle of a front wheel (35°).
  public static let maxSteering = 35.0 * Double.pi / 180

  /// Object `k`'s parts with its wheels turned: each wheel spun about its axle by the
  /// distance `rolled` (signed: negative when reversing) over its radius, the steering ones
  /// then turned about the vertical by `steering` (radians, positive to the left, clamped to
  /// ±`maxSteering`; a forklift's rear wheels the other way). Nil when the object has no
  /// wheels.
  public func parts(ofObject k: Int, rolled: Double, steering: Double) -> [Part]? {
    guard wheels.indices.contains(k), let w = wheels[k], rolled.isFinite, steering.isFinite else { return nil }
    var parts = w.parts
    let angle = Swift.min(SceneModel.maxSteering, Swift.max(-SceneModel.maxSteering, steering))
    for wheel in w.wheels where parts.indices.contains(wheel.index) {
      let steer = Quaternion(yaw: wheel.steer * angle)
      // Rolling along +x turns a wheel about +y (its axle, across the vehicle).
      let spin = Quaternion(axis: .unitY, angle: (rolled / wheel.radius).truncatingRemainder(dividingBy: 2 * .pi))
      let base = w.parts[wheel.index].transform
      parts[wheel.index].transform = Transform(
        rotation: steer * spin * base.rotation, translation: base.translation)
    }
    return parts
  }

  /// The traffic lights whose lamps show another phase at `time` than the parts they have:
  /// each light's object index and its parts at `time`.
  public func trafficLightParts(at time: Double) -> [(object: Int, parts: [Part])] {
    trafficLights.parts(at: time)
  }

  /// Follows the objects from frame to frame and gives the parts of those whose shape moves
  /// with them: people walking (the ground each has covered since the first frame, when it
  /// moved faster than 0.1 m/s since the previous frame) and wheels turning (the ground
  /// covered, negative while reversing, and a steering angle from the path's curvature: the front
  /// wheels of a vehicle with wheelbase L on a path turning at κ rad/m steer by atan(L κ),
  /// the kinematic bicycle model). Wheels keep their angles while the vehicle stands.
  public struct Motion: Sendable {
    let model: SceneModel
    var travelled: [Double]
    var rolled: [Double]
    var steering: [Double]
    var previous: [Transform] = []
    var previousTime = 0.0

    public init(_ model: SceneModel) {
      self.model = model
      travelled = Array(repeating: 0, count: model.objects.count)
      rolled = travelled
      steering = travelled
    }

    /// The frame at `time` with the objects at `poses` (object order): for each object
    /// whose parts change, its index and parts (`parts(ofObject:travelled:)`,
    /// `parts(ofObject:rolled:steering:)`). The first frame changes nothing: there is no
    /// earlier one to tell what moves.
    public mutating func advance(to poses: [Transform], at time: Double) -> [(object: Int, parts: [Part])] {
      var changed: [(object: Int, parts: [Part])] = []
      let dt = Swift.max(time - previousTime, 1e-9)
      for (k, pose) in poses.enumerated() where previous.indices.contains(k) && travelled.indices.contains(k) {
        let step = pose.translation - previous[k].translation
        let length = (step.x * step.x + step.y * step.y).squareRoot()
        travelled[k] += length
        if length > 0.1 * dt, let parts = model.parts(ofObject: k, travelled: travelled[k]) {
          changed.append((k, parts))
        }
        guard model.wheels.indices.contains(k), let wheels = model.wheels[k] else { continue }
        let forward = pose.rotation.rotate(.unitX)
        let along = step.x * forward.x + step.y * forward.y
        // Rolling without slip: the ground covered, backwards when the step is.
        rolled[k] += along < 0 ? -length : length
        if abs(along) > 1e-6 {
          var turn = pose.rotation.yaw - previous[k].rotation.yaw
          turn = turn.remainder(dividingBy: 2 * .pi)
          steering[k] = atan2Double(wheels.wheelbase * turn / along, 1)
        }
        if rolled[k] != 0 || steering[k] != 0,
          let parts = model.parts(ofObject: k, rolled: rolled[k], steering: steering[k])
        {
          changed.append((k, parts))
        }
      }
      previous = poses
      previousTime = time
      return changed
    }
  }

  /// A fraction in [0, 1) from an actor's name (FNV-1a): where its gait cycle starts.
  static func phaseOffset(_ name: String) -> Double {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in name.utf8 {
      h ^= UInt64(b)
      h = h &* 0x100_0000_01b3
    }
    return Double(h >> 11) / Double(UInt64(1) << 53)
  }

  /// The scene's roads, sidewalks and rooms as stuff: each carriageway a marked band of its full
  /// width, each sidewalk a plain asphalt band over its gap and a raised kerb and walk.
  static func stuff(_ roads: [RoadShape], rooms: [Region], classes: StuffClasses) -> Stuff {
    var bands: [RoadBand] = []
    var walks: [Sidewalk] = []
    for road in roads {
      if let walk = road.sidewalk {
        let line = ReferenceLine(segments: road.segments.map {
          ReferenceLine.Segment(origin: $0.origin - Vec3(0, 0, walk.kerbHeight), heading: $0.heading, length: $0.length,
                                curvature: $0.curvature)
        })
        if walk.kerbSide < walk.roadEdge {
          bands.append(RoadBand(line: line, lateral: walk.kerbSide...walk.roadEdge, lanes: 0))
        }
        walks.append(Sidewalk(line: line, kerbSide: walk.kerbSide, outerSide: walk.outerSide, kerbHeight: walk.kerbHeight))
      } else {
        let line = ReferenceLine(segments: road.segments.map {
          ReferenceLine.Segment(origin: $0.origin, heading: $0.heading, length: $0.length, curvature: $0.curvature)
        })
        bands.append(RoadBand(line: line, lateral: (-road.width / 2)...(road.width / 2), lanes: road.lanes,
                              stopLines: road.stopLines, crossings: road.crossings))
      }
    }
    let walls: [Room] = rooms.compactMap {
      guard case .room(let c, let h) = $0 else { return nil }
      return Room(center: c, floorX: 2 * h.x, floorY: 2 * h.y, height: 2 * h.z)
    }
    return Stuff(bands: bands, sidewalks: walks, rooms: walls, classes: classes)
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
  static func request(
    size: Vec3, names: [String], types: [IRType], values: [Value], shapeIndex: Int, assets: [String: ImportedAsset] = [:]
  ) -> ShapeRequest {
    var kind = "box"
    if shapeIndex >= 0, shapeIndex < values.count, case .enumCase(let s) = values[shapeIndex] { kind = s }
    var parameters: [String: ShapeParameter] = [:]
    for k in names.indices where k < values.count && k < types.count {
      if let p = parameter(values[k], type: types[k]) { parameters[names[k]] = p }
    }
    var asset: ImportedAsset?
    if kind == "asset", case .name(let name)? = parameters["asset"] { asset = assets[name] }
    return ShapeRequest(kind: kind, size: size, parameters: parameters, asset: asset)
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
  /// when it has none (docs/scene-model.md), with the texture and finish its shape implies:
  /// a pallet is wood, a vehicle's body painted metal (a clear coat: roughness 0.35).
  static func material(_ request: ShapeRequest) -> Material {
    let colour = request.colour("color") ?? RGB(0.5, 0.5, 0.5)
    switch request.kind {
    case "pallet": return Material(baseColour: colour, roughness: 0.8, texture: .wood)
    case "car", "van", "truck", "bus", "forklift": return Material(baseColour: colour, roughness: 0.35, texture: .paint)
    default: return Material(baseColour: colour)
    }
  }
}

/// The lamps an actor carries (docs/scene-model.md, "Lights"): street and ceiling lamp parts
/// shine down with the actor's `intensity`, `beam` and `light_color`; a vehicle's
/// `headlights` give two forward beams. A lamp that is on makes its lamp part glow.
enum Lamps {
  /// Street and ceiling lamps: full intensity within the beam's half-angle less 15°.
  static let beamEdge = 15.0 * .pi / 180
  /// Low beam (`Light.lowBeam`): full intensity within 12° either side of the heading, none
  /// beyond 25°, cut off at the horizon.
  static let headInner = 12.0 * .pi / 180
  static let headOuter = 25.0 * .pi / 180

  static func lights(of object: inout SceneObject, request: ShapeRequest) -> [Light] {
    var out: [Light] = []
    let pose = object.transform
    let intensity = request.real("intensity") ?? 0
    let colour = request.colour("light_color") ?? RGB(1, 1, 1)
    if intensity > 0 {
      let outer = min(.pi, max(1e-3, (request.real("beam") ?? 150 * .pi / 180) / 2))
      for k in object.parts.indices {
        guard case .lamp(let kind) = object.parts[k].role, kind == .street || kind == .ceiling else { continue }
        let box = object.parts[k].box
        // The light leaves the lens, the part's bottom face.
        let lens = box.center - Vec3(0, 0, box.halfExtents.z + 1e-3)
        out.append(
          Light(
            position: pose.apply(toPoint: lens), direction: Vec3(0, 0, -1), intensity: intensity, colour: colour,
            innerAngle: max(0, outer - beamEdge), outerAngle: outer, owner: object.instanceID))
        object.parts[k].material = glowing(colour, luminance: intensity / max(1e-4, 4 * box.halfExtents.x * box.halfExtents.y))
      }
    }
    let headlights = request.real("headlights") ?? 0
    if headlights > 0 {
      let forward = Vec3(1, 0, 0)
      var lenses: [Vec3] = []
      for k in object.parts.indices {
        guard case .lamp(.head) = object.parts[k].role else { continue }
        let box = object.parts[k].box
        lenses.append(box.center + Vec3(box.halfExtents.x + 1e-3, 0, 0))
        object.parts[k].material = glowing(RGB(1, 1, 1), luminance: headlights / max(1e-4, 4 * box.halfExtents.y * box.halfExtents.z))
      }
      if lenses.isEmpty {
        // No lamp parts: the two lamps sit in the front face of the size box.
        let s = request.size
        let side = s.y >= 0.8 ? s.y / 2 - 0.25 : s.y / 4
        let height = min(0.65, s.z / 2)
        lenses = [Vec3(s.x / 2 + 1e-3, side, height), Vec3(s.x / 2 + 1e-3, -side, height)]
      }
      for lens in lenses {
        out.append(
          Light(
            position: pose.apply(toPoint: lens), direction: pose.apply(toVector: forward), intensity: headlights,
            colour: RGB(1, 1, 1), innerAngle: headInner, outerAngle: headOuter, lowBeam: true, owner: object.instanceID))
      }
    }
    // Tail lamps: lit with the headlights (position lamps, `tailLuminance`), brighter while
    // the vehicle brakes (`brakeLuminance`). They glow; they cast no light of their own.
    var braking = false
    if case .flag(let b)? = request.parameters["braking"] { braking = b }
    if headlights > 0 || braking {
      let luminance = braking ? brakeLuminance : tailLuminance
      for k in object.parts.indices {
        guard case .lamp(.tail) = object.parts[k].role else { continue }
        object.parts[k].material = glowing(RGB(1, 0.02, 0.01), luminance: luminance, base: RGB(0.45, 0.01, 0.01))
      }
    }
    return out
  }

  /// Luminance of a lit tail lamp's lens, cd/m² (UN R7: about 5 cd over some 100 cm²).
  static let tailLuminance = 500.0
  /// Luminance of a brake lamp's lens, cd/m² (UN R7: 60–185 cd over some 100 cm²).
  static let brakeLuminance = 8_000.0

  /// A lens lit from behind: white diffuse base and an emission of `luminance` cd/m².
  static func glowing(_ colour: RGB, luminance: Double, base: RGB = RGB(0.8, 0.8, 0.8)) -> Material {
    let l = colour.luminance > 0 ? luminance / colour.luminance : luminance
    return Material(
      baseColour: base, roughness: 0.2,
      emissive: RGB(colour.red * l, colour.green * l, colour.blue * l))
  }
}
