import ScnGeometry
import ScnScene

/// Where a visibility query looks from: a sensor's pose (body frame: x forward, y left, z up),
/// its field of view and range.
public struct SensorView: Sendable, Equatable {
  public var pose: Transform
  /// Full horizontal opening angle (radians).
  public var horizontalFOV: Double
  public var verticalFOVLower: Double
  public var verticalFOVUpper: Double
  public var minRange: Double
  public var maxRange: Double
  /// A fisheye camera's lens; nil for a pinhole camera or a LiDAR.
  public var fisheye: FisheyeDistortion?

  public init(
    pose: Transform, horizontalFOV: Double, verticalFOVLower: Double, verticalFOVUpper: Double, minRange: Double,
    maxRange: Double, fisheye: FisheyeDistortion? = nil
  ) {
    self.fisheye = fisheye
    self.pose = pose
    self.horizontalFOV = horizontalFOV
    self.verticalFOVLower = verticalFOVLower
    self.verticalFOVUpper = verticalFOVUpper
    self.minRange = minRange
    self.maxRange = maxRange
  }
}

/// What a visibility query finds of its target.
public struct VisibilityAnswer: Sendable, Equatable {
  public let visible: Bool
  /// Share of the target's in-view rays that other parts hide (1 when none is in view).
  public let occlusion: Double
  /// LiDAR returns on the target in one sweep (0 for a camera).
  public let lidarPoints: Int
}

/// `visible`, `occlusion` and `lidar_points` answered by this module's ray caster instead of
/// the sampler's 27 probe points: the target's and its occluders' parts (the same parts the
/// sensors render: cylinders stay cylinders, meshes stay meshes) become a small render
/// scene; a camera gets a grid of `columns` × `rows` rays through its field of view, a LiDAR
/// the beams of one sweep. Deterministic: every ray is a pure function of the query.
public struct RayCastVisibility: Sendable {
  public let columns: Int
  public let rows: Int

  public init(columns: Int = 160, rows: Int = 120) {
    self.columns = max(1, columns)
    self.rows = max(1, rows)
  }

  /// `target` and `occluders` are parts placed in the world; a LiDAR query gives its
  /// `horizontalResolution` and `channels`, a camera query neither.
  public func query(
    target: [Part], occluders: [Part], from sensor: SensorView, horizontalResolution: Double?, channels: Int?
  ) -> VisibilityAnswer {
    let hidden = VisibilityAnswer(visible: false, occlusion: 1, lidarPoints: 0)
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
    let position = sensor.pose.translation
    guard valid, !target.isEmpty, position.x.isFinite, position.y.isFinite, position.z.isFinite else {
      return hidden
    }
    var objects = [object(1, target)]
    if !occluders.isEmpty { objects.append(object(2, occluders)) }
    guard let intersector = try? SceneIntersector(scene: RenderScene(objects: objects)) else { return hidden }
    let pose = sensor.pose
    if let resolution = horizontalResolution, let channels, resolution > 0, channels > 0 {
      let steps = min(200_000, max(1, Int((2 * .pi / resolution).rounded())))
      let lidar = LidarSensor(
        channels: channels, minElevation: sensor.verticalFOVLower, maxElevation: sensor.verticalFOVUpper,
        azimuthSteps: steps, minRange: sensor.minRange, maxRange: sensor.maxRange.isFinite ? sensor.maxRange : 1000,
        pose: pose)
      guard let scan = try? intersector.scan(lidar, threads: 1) else { return hidden }
      let half = sensor.horizontalFOV / 2
      let onTarget = scan.points.filter { p in
        p.instance == 1 && (half >= .pi - 1e-9 || abs(atan2Double(Double(p.y), Double(p.x))) <= half)
      }.count
      return VisibilityAnswer(visible: onTarget > 0, occlusion: onTarget > 0 ? 0 : 1, lidarPoints: onTarget)
    }
    if let lens = sensor.fisheye {
      // The fisheye's own rays, over an image whose height spans the vertical field.
      let hfov = min(max(sensor.horizontalFOV, 1e-3), 2 * .pi)
      let vhalf = max(abs(sensor.verticalFOVLower), abs(sensor.verticalFOVUpper), 1e-3)
      let width = 640
      let height = max(1, min(16384, Int((Double(width) * lens.radius(vhalf) / lens.radius(hfov / 2)).rounded())))
      guard let camera = try? Camera(width: width, height: height, horizontalFOV: hfov, lens: .fisheye(lens), pose: pose),
        let estimate = intersector.visibility(ofInstance: 1, from: camera, columns: columns, rows: rows)
      else { return hidden }
      return VisibilityAnswer(
        visible: estimate.visibleRays > 0, occlusion: estimate.coveredRays > 0 ? 1 - estimate.fraction : 1,
        lidarPoints: 0)
    }
    let hfov = min(max(sensor.horizontalFOV, 1e-3), .pi - 1e-3)
    let vfov = min(max(sensor.verticalFOVUpper - sensor.verticalFOVLower, 1e-3), .pi - 1e-3)
    let width = 640
    let height = max(1, min(16384, Int((Double(width) * (vfov / 2).tangent / (hfov / 2).tangent).rounded())))
    guard let camera = try? Camera(width: width, height: height, horizontalFOV: hfov, pose: pose),
      let estimate = intersector.visibility(ofInstance: 1, from: camera, columns: columns, rows: rows)
    else { return hidden }
    return VisibilityAnswer(
      visible: estimate.visibleRays > 0, occlusion: estimate.coveredRays > 0 ? 1 - estimate.fraction : 1, lidarPoints: 0)
  }
}
