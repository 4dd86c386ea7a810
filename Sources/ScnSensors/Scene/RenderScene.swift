import ScnGeometry
import ScnScene

/// Everything a sensor sees: objects, stuff (roads, markings, kerbs, sidewalks: classed
/// surfaces without an instance) plus lighting and atmosphere. The ground is the plane z = 0
/// and is always present; the stuff's road bands are painted on it.
public struct RenderScene: Hashable, Sendable {
  public var objects: [SceneObject]
  public var stuff: Stuff
  public var environment: Environment

  public init(objects: [SceneObject], stuff: Stuff = .none, environment: Environment = Environment()) {
    self.objects = objects
    self.stuff = stuff
    self.environment = environment
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
