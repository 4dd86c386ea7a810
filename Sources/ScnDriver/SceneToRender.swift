import ScnScene
import ScnGeometry
import ScnIR
import ScnRuntime
import ScnSensors

extension RenderScene {
  /// What the sensors see of a sampled scene: the runtime's physical model
  /// (`ScnRuntime.SceneModel`, docs/scene-model.md) under the environment its conditions give.
  init(_ model: SceneModel) {
    self.init(objects: model.objects, stuff: model.stuff, environment: Environment(model.conditions), lights: model.lights)
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
