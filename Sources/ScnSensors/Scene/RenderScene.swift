import ScnGeometry
import ScnScene

/// Everything a sensor sees: objects, stuff (roads, markings, kerbs, sidewalks: classed
/// surfaces without an instance) plus lighting and atmosphere. The ground is the plane z = 0
/// and is always present; the stuff's road bands are painted on it.
public struct RenderScene: Hashable, Sendable {
  public var objects: [SceneObject]
  public var stuff: Stuff
  public var environment: Environment
  /// Lamps (docs/scene-model.md, "Lights"); they light camera images, not LiDAR returns.
  public var lights: [Light]

  public init(
    objects: [SceneObject], stuff: Stuff = .none, environment: Environment = Environment(), lights: [Light] = []
  ) {
    self.objects = objects
    self.stuff = stuff
    self.environment = environment
    self.lights = lights
  }

  /// Moves object `index` to `pose`, carrying the lamps it owns along.
  public mutating func move(object index: Int, to pose: Transform) {
    guard objects.indices.contains(index) else { return }
    let old = objects[index].transform
    objects[index].transform = pose
    let owner = objects[index].instanceID
    guard lights.contains(where: { $0.owner == owner }) else { return }
    let delta = pose * old.inverse
    for k in lights.indices where lights[k].owner == owner {
      lights[k].position = delta.apply(toPoint: lights[k].position)
      lights[k].direction = delta.apply(toVector: lights[k].direction)
    }
  }
}

/// Why a scene or sensor configuration cannot be rendered.
public enum RenderError: Error, Hashable, Sendable, CustomStringConvertible {
  case instanceIDOutOfRange(UInt32)
  case duplicateInstanceID(UInt32)
  case reservedSemanticClass(instanceID: UInt32, semanticClass: UInt8)
  case invalidPart(instanceID: UInt32, reason: String)
  case invalidSensor(String)
  case encodingFailed(String)

  public var description: String {
    switch self {
    case .instanceIDOutOfRange(let id): "instance id \(id) is outside 1…65535"
    case .duplicateInstanceID(let id): "instance id \(id) is used by more than one object"
    case .reservedSemanticClass(let id, let cls):
      "object \(id) uses semantic class \(cls), reserved for \(cls == 0 ? "sky" : "ground")"
    case .invalidPart(let id, let reason): "object \(id) has an invalid part: \(reason)"
    case .invalidSensor(let reason): "invalid sensor configuration: \(reason)"
    case .encodingFailed(let reason): "PNG encoding failed: \(reason)"
    }
  }
}
