import ScnGeometry

/// How much of one object a camera sees, estimated on a coarse grid of rays.
public struct VisibilityEstimate: Hashable, Sendable {
  /// Grid rays whose first hit is the object.
  public var visibleRays: Int
  /// Grid rays that would hit the object if it were alone.
  public var coveredRays: Int
  /// visibleRays / coveredRays, 0 when the object is not in view at all.
  public var fraction: Double { coveredRays > 0 ? Double(visibleRays) / Double(coveredRays) : 0 }
}

extension SceneIntersector {
  /// The fraction of object `instanceID` that `camera` sees, from a `columns × rows` grid of
  /// rays through the image (one per grid cell centre). Meant for samplers that reject scenes
  /// with hidden targets: each grid ray first tests the object alone and only rays that hit
  /// it look for something nearer. Returns nil for an unknown instance id or a non-finite
  /// camera pose.
  public func visibility(
    ofInstance instanceID: UInt32, from camera: Camera, columns: Int = 64, rows: Int = 48,
    excludingInstance mount: UInt32? = nil
  ) -> VisibilityEstimate? {
    guard let target = objectIndex(ofInstance: instanceID), columns > 0, rows > 0, camera.pose.isFinite else {
      return nil
    }
    let excluded = mount.flatMap { objectIndex(ofInstance: $0) }
    if excluded == target { return VisibilityEstimate(visibleRays: 0, coveredRays: 0) }
    let cellWidth = Double(camera.intrinsics.width) / Double(columns)
    let cellHeight = Double(camera.intrinsics.height) / Double(rows)
    let origin = camera.pose.translation
    // Skip grid cells outside the object's projected box: they cannot hit it.
    guard
      let box = amodalBox(of: target, camera: camera)?.clipped(
        width: camera.intrinsics.width, height: camera.intrinsics.height)
    else { return VisibilityEstimate(visibleRays: 0, coveredRays: 0) }
    let c0 = Swift.max(0, Int((box.xMin / cellWidth - 1).rounded(.down)))
    let c1 = Swift.min(columns - 1, Int((box.xMax / cellWidth + 1).rounded(.up)))
    let r0 = Swift.max(0, Int((box.yMin / cellHeight - 1).rounded(.down)))
    let r1 = Swift.min(rows - 1, Int((box.yMax / cellHeight + 1).rounded(.up)))
    guard c1 >= c0, r1 >= r0 else { return VisibilityEstimate(visibleRays: 0, coveredRays: 0) }
    var visible = 0
    var covered = 0
    withTraversalStack { stack in
      for row in r0...r1 {
        for column in c0...c1 {
          let body = camera.bodyDirection(u: (Double(column) + 0.5) * cellWidth, v: (Double(row) + 0.5) * cellHeight)
          let direction = camera.pose.rotation.rotate(body)
          guard
            coversAlone(
              object: target, origin: origin, direction: direction, near: camera.nearClip, far: camera.farClip,
              stack: stack)
          else { continue }
          covered += 1
          let nearest = closestHit(
            origin: origin, direction: direction, tMin: camera.nearClip, tMax: camera.farClip, excluding: excluded,
            includeGround: true, stack: stack)
          if case .object(let index)? = nearest?.surface, index == target { visible += 1 }
        }
      }
    }
    return VisibilityEstimate(visibleRays: visible, coveredRays: covered)
  }
}
