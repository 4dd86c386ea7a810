import ScnGeometry

/// One field of a sensor in language-neutral form, as `ShapeParameter` is for actors: the
/// sampled value with the distinctions the sensor settings read (an integer is not a real,
/// a tuple is not a list).
public enum SensorParameter: Hashable, Sendable {
  case int(Int64)
  case real(Double)
  /// An enum case (e.g. `fixed`, `depth`).
  case name(String)
  case tuple([SensorParameter])
  case list([SensorParameter])
  /// Any other value (a flag, a vector, a string): no sensor setting reads it.
  case other

  /// A finite number (integers convert).
  public var real: Double? {
    switch self {
    case .real(let x): return x.isFinite ? x : nil
    case .int(let i): return Double(i)
    default: return nil
    }
  }

  /// An integer (a real converts when it is whole and below 10⁹ in magnitude).
  public var int: Int? {
    switch self {
    case .int(let i): return Int(exactly: i)
    case .real(let x): return x.isFinite && x == x.rounded() && abs(x) < 1e9 ? Int(x) : nil
    default: return nil
    }
  }
}

/// What to build the settings of one sensor from (`ScnSensors.SensorPlan`): its prelude type
/// (`Camera`, `Lidar`), its pose and its fields. The runtime makes it from a sampled
/// sensor (`ScnRuntime.Scene.Sensor.request`), so the sensors module reads no language value.
public struct SensorRequest: Hashable, Sendable {
  public var name: String
  /// The prelude type's name.
  public var type: String
  /// The mount actor's name (nil: the world).
  public var mount: String?
  /// The sensor's world pose (body frame: x forward, y left, z up).
  public var pose: Transform
  /// The mount's pose at t = 0 (position and heading), for calibration extrinsics.
  public var mountPose: Transform?
  /// Every field but the mount, by name.
  public var parameters: [String: SensorParameter]

  public init(
    name: String, type: String, mount: String?, pose: Transform, mountPose: Transform?,
    parameters: [String: SensorParameter]
  ) {
    self.name = name
    self.type = type
    self.mount = mount
    self.pose = pose
    self.mountPose = mountPose
    self.parameters = parameters
  }
}
