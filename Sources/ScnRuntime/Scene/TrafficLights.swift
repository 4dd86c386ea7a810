import ScnGeometry
import ScnMap
import ScnScene

/// The traffic lights of a scene's maps as objects (docs/stdlib.md, "Traffic lights"): one
/// instance of class `traffic_light` per light of each map's `SignalPlan`, numbered after the
/// actors in map and light order. Each is a grey pole 0.12 m thick standing where the light is
/// (on the road surface at the light's s and t), a dark housing 0.3 × 0.35 × 0.95 m at its top
/// facing the traffic it governs, and three round lenses 0.2 m across on the housing's front,
/// red over yellow over green. The lens of the phase the light shows glows in its colour at
/// `luminance`; the others are dark glass. The phase follows the map's timing at each frame.
struct TrafficLights: Sendable {
  static let className = "traffic_light"
  /// Luminance of a lit lens, cd/m² (a 200 mm signal of some 300 cd, EN 12368).
  static let luminance = 10_000.0
  static let poleHeight = 3.6
  static let housing = Vec3(0.3, 0.35, 0.95)
  static let lensRadius = 0.1

  struct Entry: Sendable {
    let object: Int
    let map: Int
    let light: Int
  }

  let objects: [SceneObject]
  let entries: [Entry]
  let maps: [MapModel]
  let timings: [SignalTiming]

  init(_ maps: [MapModel], timings: [SignalTiming], semanticClass: UInt8, firstID: Int) {
    var objects: [SceneObject] = []
    var entries: [Entry] = []
    self.maps = maps
    self.timings = timings
    guard semanticClass != 0 else {
      self.objects = []
      self.entries = []
      return
    }
    for (m, model) in maps.enumerated() {
      let timing = timings.indices.contains(m) ? timings[m] : .standard
      for (i, light) in model.signals.lights.enumerated() {
        let id = firstID + objects.count
        guard id <= 65_535 else { break }
        let state = model.signals.state(light: i, at: 0, timing: timing)
        entries.append(Entry(object: firstID - 1 + objects.count, map: m, light: i))
        objects.append(
          SceneObject(
            instanceID: UInt32(id), semanticClass: semanticClass, className: Self.className,
            material: Material(baseColour: RGB(0.35, 0.36, 0.37), roughness: 0.6, lidarReflectivity: 0.3),
            parts: Self.parts(state),
            transform: Transform(rotation: Quaternion(yaw: light.facing), translation: light.position)))
      }
    }
    self.objects = objects
    self.entries = entries
  }

  /// The parts of a light showing `state`: the pole, the housing and the three lenses.
  static func parts(_ state: LightState) -> [Part] {
    let top = poleHeight
    let housingCentre = Vec3(0, 0, top - housing.z / 2)
    let dark = Material(baseColour: RGB(0.05, 0.05, 0.05), roughness: 0.5, lidarReflectivity: 0.1)
    var parts = [
      Part(.cylinder(radius: 0.06, height: top - housing.z), transform: Transform(translation: Vec3(0, 0, (top - housing.z) / 2)),
           label: "pole"),
      Part(.box(size: housing), transform: Transform(translation: housingCentre), material: dark, label: "housing"),
    ]
    let lenses: [(LightState, RGB, Double)] = [
      (.red, RGB(1, 0.05, 0.02), 0.3), (.yellow, RGB(1, 0.65, 0.02), 0), (.green, RGB(0.1, 1, 0.35), -0.3),
    ]
    let lensGlass = Material(baseColour: RGB(0.12, 0.12, 0.12), roughness: 0.2)
    for (phase, colour, dz) in lenses {
      let lit = phase == state
      // A disc standing on the housing's front face (+x), its axis along x.
      parts.append(
        Part(.cylinder(radius: lensRadius, height: 0.02),
             transform: Transform(rotation: Quaternion(axis: .unitY, angle: .pi / 2),
                                  translation: housingCentre + Vec3(housing.x / 2 + 0.01, 0, dz)),
             material: lit ? Lamps.glowing(colour, luminance: luminance, base: colour) : lensGlass,
             label: phase.rawValue))
    }
    return parts
  }

  /// The pole and housing of each light of `plan`, placed in the world: what the sampler's
  /// non-overlap rule and physics see of a map's lights (docs/scene-model.md, "Traffic
  /// lights"; the 2 cm lenses on the housing's front are left out).
  static func obstacles(_ plan: SignalPlan) -> [LightObstacle] {
    let frame = parts(.red).prefix(2)
    var out: [LightObstacle] = []
    for (i, light) in plan.lights.enumerated() {
      let pose = Transform(rotation: Quaternion(yaw: light.facing), translation: light.position)
      for part in frame {
        var placed = part
        placed.transform = pose * part.transform
        let box = placed.box
        out.append(LightObstacle(light: i, part: placed, box: box, bounds: box.bounds))
      }
    }
    return out
  }

  /// The maps the definitions hold (as `SceneBuilder` collects `Scene.maps`), each once in
  /// definition order, with the first definition that holds it.
  static func maps(in definitions: [Value?]) -> [(model: MapModel, definition: Int)] {
    var maps: [(model: MapModel, definition: Int)] = []
    func visit(_ v: Value, _ j: Int) {
      switch v {
      case .region(.map(let m)):
        if !maps.contains(where: { $0.model === m.model }) { maps.append((m.model, j)) }
      case .list(let xs), .tuple(let xs):
        for x in xs { visit(x, j) }
      default: break
      }
    }
    for (j, v) in definitions.enumerated() {
      if let v { visit(v, j) }
    }
    return maps
  }

  /// The first physical actor (record index) whose parts overlap a pole or housing of a
  /// traffic light of the maps the definitions hold, with that map, its definition and the
  /// light's index; nil when none does. The same test as between actors: boxes, then the
  /// parts' convex solids.
  static func obstacleHit(_ ctx: Context, _ types: [CompiledType])
    -> (record: Int, map: MapModel, definition: Int, light: Int)?
  {
    let maps = maps(in: ctx.definitions).filter { !$0.model.lightObstacles.isEmpty }
    guard !maps.isEmpty else { return nil }
    for i in ctx.records.indices {
      let r = ctx.records[i]
      guard r.definition >= 0, !types[r.typeIndex].isSensor else { continue }
      let bounds = SensorQueries.cachedBounds(i, ctx, types)
      guard var all = bounds.first else { continue }
      for b in bounds.dropFirst() { all = all.union(b) }
      for (model, definition) in maps {
        for o in model.lightObstacles where Geometry.boundsOverlap(all, o.bounds) {
          let boxes = SensorQueries.cachedParts(i, ctx, types), parts = SensorQueries.cachedShapes(i, ctx, types)
          for n in boxes.indices where Geometry.boundsOverlap(bounds[n], o.bounds) {
            if boxes[n].overlaps(o.box, tolerance: Geometry.contactTolerance), Geometry.solidsOverlap(parts[n], o.part) {
              return (i, model, definition, o.light)
            }
          }
        }
      }
    }
    return nil
  }

  /// The poles and housings of the traffic lights of the maps the definitions hold, as
  /// occluders for `visible`, `occlusion`, `lidar_points` and `can_see`: those within
  /// `range` of `position` (all of them for an unbounded range).
  static func occluders(_ ctx: Context, near position: Vec3, within range: Double = .infinity) -> [Part] {
    var parts: [Part] = []
    for (model, _) in maps(in: ctx.definitions) {
      for o in model.lightObstacles {
        let reach = (o.box.halfExtents).length
        if range.isFinite && (o.box.center - position).length > range + reach { continue }
        parts.append(o.part)
      }
    }
    return parts
  }

  /// Each light's object index and parts at `time`.
  func parts(at time: Double) -> [(object: Int, parts: [Part])] {
    entries.map { e in
      let timing = timings.indices.contains(e.map) ? timings[e.map] : .standard
      return (e.object, Self.parts(maps[e.map].signals.state(light: e.light, at: time, timing: timing)))
    }
  }
}

/// One fixed part of a map's traffic light (`TrafficLights.obstacles`), placed in the world.
struct LightObstacle: Sendable {
  /// The light's index in the map's `SignalPlan`.
  let light: Int
  let part: Part
  let box: OrientedBox
  let bounds: AABB
}
