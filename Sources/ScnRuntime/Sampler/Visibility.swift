import ScnGeometry
import ScnScene

/// What a sensor query sees of one actor at time 0.
public struct VisibilityResult: Sendable, Equatable {
  /// Some part of the actor is in the field of view and not hidden.
  public let visible: Bool
  /// Share of the actor's in-view probe points hidden by other actors (1 when none is in view).
  public let occlusion: Double
  /// Estimated LiDAR returns on the actor in one sweep (before dropout).
  public let lidarPoints: Int

  public init(visible: Bool, occlusion: Double, lidarPoints: Int) {
    self.visible = visible
    self.occlusion = occlusion
    self.lidarPoints = lidarPoints
  }
}

/// The visibility queries behind `visible`, `occlusion` and `lidar_points`. The sampler
/// uses `CoarseVisibility`; the sensors module can supply its exact ray caster instead.
public protocol VisibilityModel: Sendable {
  /// - Parameters:
  ///   - target: the actor's parts (`ScnScene.ActorShapes`), placed in the world.
  ///   - bounds: the actor's size box (probe points are spread over it).
  ///   - sensor: pose and field of view.
  ///   - occluders: the parts of every other actor except the sensor's mount, placed in the world.
  func query(target: [Part], bounds: OrientedBox, sensor: SensorPose, occluders: [Part],
             horizontalResolution: Double?, channels: Int?) -> VisibilityResult
}

/// A coarse, deterministic model: 27 probe points on the target's size box (a 3×3×3 grid
/// at ±90 % of the half extents and the centre) are tested against the sensor's frustum and
/// range; each point in view casts a segment to the sensor that other actors' boxes may
/// block. LiDAR returns are the beams whose directions fall inside the target's angular
/// extent, scaled by the unoccluded share.
public struct CoarseVisibility: VisibilityModel {
  public init() {}

  public func query(target: [Part], bounds: OrientedBox, sensor: SensorPose, occluders occluderParts: [Part],
                    horizontalResolution: Double?, channels: Int?) -> VisibilityResult
  {
    let occluders = occluderParts.map(\.box)
    let inverse = sensor.rotation.conjugate
    let (ax, ay, az) = bounds.rotation.basis
    var inView = 0, hidden = 0
    var minAz = Double.infinity, maxAz = -Double.infinity, minEl = Double.infinity, maxEl = -Double.infinity
    let occluderBounds = occluders.map(\.bounds)
    // Azimuth spans are measured around the direction to the target's centre, so a target
    // behind the sensor (near ±180°) does not look as wide as the whole circle.
    let toCentre = inverse.rotate(bounds.center - sensor.position)
    let centreAzimuth = atan2Double(toCentre.y, toCentre.x)
    for fx in [-0.9, 0.0, 0.9] {
      for fy in [-0.9, 0.0, 0.9] {
        for fz in [-0.9, 0.0, 0.9] {
          let p = bounds.center + ax * (fx * bounds.halfExtents.x) + ay * (fy * bounds.halfExtents.y)
            + az * (fz * bounds.halfExtents.z)
          let local = inverse.rotate(p - sensor.position)
          let distance = local.length
          let azimuth = atan2Double(local.y, local.x)
          let elevation = atan2Double(local.z, (local.x * local.x + local.y * local.y).squareRoot())
          let relative = wrapAngle(azimuth - centreAzimuth)
          minAz = min(minAz, relative); maxAz = max(maxAz, relative)
          minEl = min(minEl, elevation); maxEl = max(maxEl, elevation)
          let inFrustum: Bool
          if sensor.horizontalFov >= 2 * .pi - 1e-9 {
            inFrustum = true
          } else if sensor.horizontalFov > .pi {
            inFrustum = abs(azimuth) <= sensor.horizontalFov / 2
          } else {
            inFrustum = local.x > 1e-6 && abs(azimuth) <= sensor.horizontalFov / 2
          }
          guard inFrustum, elevation >= sensor.verticalFovLower - 1e-12, elevation <= sensor.verticalFovUpper + 1e-12,
            distance <= sensor.maxRange, distance >= sensor.minRange
          else { continue }
          inView += 1
          if blocked(from: sensor.position, to: p, occluders, occluderBounds) { hidden += 1 }
        }
      }
    }
    let occlusion = inView == 0 ? 1.0 : Double(hidden) / Double(inView)
    var points = 0
    if let resolution = horizontalResolution, let channels, resolution > 0, inView > 0, maxAz - minAz < .pi {
      let azBeams = ((maxAz - minAz) / resolution).rounded(.down) + 1
      let span = sensor.verticalFovUpper - sensor.verticalFovLower
      var rings = 0
      for c in 0..<max(channels, 0) {
        let el = channels <= 1 ? sensor.verticalFovLower : sensor.verticalFovLower + span * Double(c) / Double(channels - 1)
        if el >= minEl, el <= maxEl { rings += 1 }
      }
      points = Int((azBeams * Double(rings) * (1 - occlusion)).rounded(.down))
    }
    return VisibilityResult(visible: inView > hidden, occlusion: occlusion, lidarPoints: points)
  }

  private func blocked(from a: Vec3, to b: Vec3, _ boxes: [OrientedBox], _ bounds: [AABB]) -> Bool {
    let segment = AABB(lower: Vec3(min(a.x, b.x), min(a.y, b.y), min(a.z, b.z)),
                       upper: Vec3(max(a.x, b.x), max(a.y, b.y), max(a.z, b.z)))
    for (i, box) in boxes.enumerated() where bounds[i].intersects(segment) {
      if Self.segmentHits(box, a, b) { return true }
    }
    return false
  }

  /// Slab test of the open segment a→b (ends excluded) against an oriented box.
  static func segmentHits(_ box: OrientedBox, _ a: Vec3, _ b: Vec3) -> Bool {
    let inverse = box.rotation.conjugate
    let o = inverse.rotate(a - box.center)
    let d = inverse.rotate(b - a)
    var t0 = 1e-6, t1 = 1 - 1e-6
    for axis in 0..<3 {
      let origin = o[axis], dir = d[axis], half = box.halfExtents[axis]
      if abs(dir) < 1e-15 {
        if abs(origin) > half { return false }
        continue
      }
      var near = (-half - origin) / dir, far = (half - origin) / dir
      if near > far { swap(&near, &far) }
      t0 = max(t0, near)
      t1 = min(t1, far)
      if t0 > t1 { return false }
    }
    return true
  }
}
