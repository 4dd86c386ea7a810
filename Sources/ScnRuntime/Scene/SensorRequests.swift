import ScnGeometry
import ScnScene

extension Scene {
  /// Each sensor of the scene as the sensors module reads it (`ScnScene.SensorRequest`):
  /// its pose, its mount's pose at t = 0 and its fields in language-neutral form.
  public var sensorRequests: [SensorRequest] { sensors.map(request) }

  public func request(_ sensor: Sensor) -> SensorRequest {
    var parameters: [String: SensorParameter] = [:]
    for f in sensor.fields where parameters[f.name] == nil {
      parameters[f.name] = Self.parameter(f.value)
    }
    let mountPose = sensor.mount.flatMap { name in
      actors.first { $0.name == name }.map(\.pose)
    }
    return SensorRequest(
      name: sensor.name, type: sensor.type, mount: sensor.mount,
      pose: Transform(rotation: sensor.pose.rotation, translation: sensor.pose.position), mountPose: mountPose,
      parameters: parameters)
  }

  static func parameter(_ v: Value) -> SensorParameter {
    switch v {
    case .int(let i): .int(i)
    case .real(let x): .real(x)
    case .enumCase(let s): .name(s)
    case .tuple(let xs): .tuple(xs.map(parameter))
    case .list(let xs): .list(xs.map(parameter))
    default: .other
    }
  }
}

extension SceneModel: PhysicalScene {}
