import ScnScene
import ScnGeometry
import ScnRuntime
import ScnSensors

/// `visible`, `occlusion` and `lidar_points` answered by the sensors module's ray caster
/// instead of the sampler's 27 probe points: the target's and its occluders' parts (the same
/// parts the sensors render: cylinders stay cylinders) become a small render scene, a camera gets a 160 × 120 grid of rays through its field of view, a
/// LiDAR the beams of one sweep. Deterministic: every ray is a pure function of the query.
public struct RayCastVisibility: VisibilityModel {
  public let columns: Int
  public let rows: Int

  public init(columns: Int = 160, rows: Int = 120) {
    self.columns = max(1, columns)
    self.rows = max(1, rows)
  }

  public func query(target: [Part], bounds: OrientedBox, sensor: ScnRuntime.SensorPose, occluders: [Part],
                    horizontalResolution: Double?, channels: Int?) -> VisibilityResult
  {
    let hidden = VisibilityResult(visible: false, occlusion: 1, lidarPoints: 0)
    func object(_ id: UInt32, _ parts: [Part]) -> SceneObject {
      SceneObject(
        instanceID: id, semanticClass: 2, className: "query", baseColour: RGB(0.5, 0.5, 0.5), parts: parts,
        transform: .identity)
    }
    // Meshes may be flat (zero extent along one axis); solid primitives may not.
    let valid = (target + occluders).allSatisfy { part in
      let b = part.box, h = b.halfExtents
      let positive = h.x > 0 && h.y > 0 && h.z > 0
      let flatAllowed = if case .mesh = part.shape { true } else { false }
      return (positive || (flatAllowed && h.x >= 0 && h.y >= 0 && h.z >= 0)) && b.center.x.isFinite
        && b.center.y.isFinite && b.center.z.isFinite
    }
    guard valid, !target.isEmpty, sensor.position.x.isFinite, sensor.position.y.isFinite, sensor.position.z.isFinite else {
      return hidden
    }
    var objects = [object(1, target)]
    if !occluders.isEmpty { objects.append(object(2, occluders)) }
    guard let intersector = try? SceneIntersector(scene: RenderScene(objects: objects)) else { return hidden }
    let pose = Transform(rotation: sensor.rotation, translation: sensor.position)
    if let resolution = horizontalResolution, let channels, resolution > 0, channels > 0 {
      let steps = min(200_000, max(1, Int((2 * .pi / resolution).rounded())))
      let lidar = LidarSensor(
        channels: channels, minElevation: sensor.verticalFovLower, maxElevation: sensor.verticalFovUpper,
        azimuthSteps: steps, minRange: sensor.minRange, maxRange: sensor.maxRange.isFinite ? sensor.maxRange : 1000,
        pose: pose)
      guard let scan = try? intersector.scan(lidar, threads: 1) else { return hidden }
      let half = sensor.horizontalFov / 2
      let onTarget = scan.points.filter { p in
        p.instance == 1 && (half >= .pi - 1e-9 || abs(atan2Double(Double(p.y), Double(p.x))) <= half)
      }.count
      return VisibilityResult(visible: onTarget > 0, occlusion: onTarget > 0 ? 0 : 1, lidarPoints: onTarget)
    }
    let hfov = min(max(sensor.horizontalFov, 1e-3), .pi - 1e-3)
    let vfov = min(max(sensor.verticalFovUpper - sensor.verticalFovLower, 1e-3), .pi - 1e-3)
    let width = 640
    let height = max(1, min(16384, Int((Double(width) * (vfov / 2).tangent / (hfov / 2).tangent).rounded())))
    guard let camera = try? Camera(width: width, height: height, horizontalFOV: hfov, pose: pose),
      let estimate = intersector.visibility(ofInstance: 1, from: camera, columns: columns, rows: rows)
    else { return hidden }
    return VisibilityResult(
      visible: estimate.visibleRays > 0, occlusion: estimate.coveredRays > 0 ? 1 - estimate.fraction : 1, lidarPoints: 0)
  }
}
