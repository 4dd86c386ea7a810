import ScnGeometry
import ScnRuntime
import ScnScene
import ScnSensors

// Wiring only: the runtime's sampled sensors to the sensors module's plans, and the
// sensors module's ray caster as the sampler's visibility model (docs/architecture.md).

extension Scene {
  /// The plan of each sensor (`ScnSensors.SensorPlan`, from `ScnRuntime`'s language-neutral
  /// request); a sensor generate cannot render is a scene error.
  func sensorPlans() throws(GenerateError) -> [SensorPlan] {
    var plans: [SensorPlan] = []
    for s in sensors { plans.append(try sensorPlan(s)) }
    return plans
  }

  func sensorPlan(_ sensor: Sensor) throws(GenerateError) -> SensorPlan {
    do throws(SensorPlanError) { return try SensorPlan(request(sensor)) } catch { throw .scene(error.description) }
  }
}

/// `visible`, `occlusion` and `lidar_points` during `sample` and `generate`: the sampler's
/// query handed to the sensors' ray caster unchanged.
extension RayCastVisibility: VisibilityModel {
  public func query(
    target: [Part], bounds: OrientedBox, sensor: ScnRuntime.SensorPose, occluders: [Part], horizontalResolution: Double?,
    channels: Int?
  ) -> VisibilityResult {
    let view = SensorView(
      pose: Transform(rotation: sensor.rotation, translation: sensor.position), horizontalFOV: sensor.horizontalFov,
      verticalFOVLower: sensor.verticalFovLower, verticalFOVUpper: sensor.verticalFovUpper, minRange: sensor.minRange,
      maxRange: sensor.maxRange, fisheye: sensor.fisheye)
    let answer = query(
      target: target, occluders: occluders, from: view, horizontalResolution: horizontalResolution, channels: channels)
    return VisibilityResult(visible: answer.visible, occlusion: answer.occlusion, lidarPoints: answer.lidarPoints)
  }
}
