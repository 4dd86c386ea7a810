import ScnGeometry

/// A linear RGB colour with components in 0…1 (1 = a perfectly white diffuse reflector).
public struct RGB: Hashable, Sendable {
  public var red: Double
  public var green: Double
  public var blue: Double

  public init(_ red: Double, _ green: Double, _ blue: Double) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  /// Rec. 709 relative luminance.
  public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }
}

/// The geometry of one part, in the part's own frame (centred on its origin).
public enum PartShape: Hashable, Sendable {
  /// A box with the given full extents along the part's x, y, z.
  case box(size: Vec3)
  case sphere(radius: Double)
  /// A capped cylinder around the part's z axis, `height` long, centred on the origin.
  case cylinder(radius: Double, height: Double)
  /// A triangle mesh; `indices` holds three vertex indices per triangle. Both faces render.
  case mesh(vertices: [Vec3], indices: [UInt32])
}

/// One rigid piece of an object: a shape placed by `transform` in the object's frame.
public struct RenderPart: Hashable, Sendable {
  public var shape: PartShape
  public var transform: Transform

  public init(_ shape: PartShape, transform: Transform = .identity) {
    self.shape = shape
    self.transform = transform
  }
}

/// One visible thing in the scene.
///
/// Semantic class ids 0 (sky / no hit) and 1 (ground) are reserved; objects use 2…255.
public struct RenderObject: Hashable, Sendable {
  /// Instance id, 1…65535 (it is written to 16-bit instance images); 0 means background.
  public var instanceID: UInt32
  public var semanticClass: UInt8
  public var className: String
  public var baseColour: RGB
  /// Surface roughness 0…1; rougher surfaces get stronger procedural texture variation.
  public var roughness: Double?
  /// Diffuse reflectivity seen by LiDAR (0…1); defaults to the base colour's luminance.
  public var lidarReflectivity: Double?
  public var parts: [RenderPart]
  /// The object's frame in the world. For actors this is the bottom centre, heading on x.
  public var transform: Transform

  public init(
    instanceID: UInt32, semanticClass: UInt8, className: String, baseColour: RGB, roughness: Double? = nil,
    lidarReflectivity: Double? = nil, parts: [RenderPart], transform: Transform
  ) {
    self.instanceID = instanceID
    self.semanticClass = semanticClass
    self.className = className
    self.baseColour = baseColour
    self.roughness = roughness
    self.lidarReflectivity = lidarReflectivity
    self.parts = parts
    self.transform = transform
  }

  /// A single box of full extents `size` standing on the object's origin (bottom centre).
  public static func box(
    instanceID: UInt32, semanticClass: UInt8, className: String, baseColour: RGB, size: Vec3,
    transform: Transform
  ) -> RenderObject {
    RenderObject(
      instanceID: instanceID, semanticClass: semanticClass, className: className, baseColour: baseColour,
      parts: [RenderPart(.box(size: size), transform: Transform(translation: Vec3(0, 0, size.z / 2)))],
      transform: transform)
  }
}

/// Everything a sensor sees: objects plus lighting and atmosphere. The ground is the plane
/// z = 0 and is always present.
public struct RenderScene: Hashable, Sendable {
  public var objects: [RenderObject]
  public var environment: Environment

  public init(objects: [RenderObject], environment: Environment = Environment()) {
    self.objects = objects
    self.environment = environment
  }
}

/// Reserved semantic class ids; see README.md for the full palette convention.
public enum SemanticClass {
  /// Pixels whose ray hits nothing (sky), and LiDAR beams without a return.
  public static let sky: UInt8 = 0
  /// The ground plane z = 0.
  public static let ground: UInt8 = 1
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
