import ScnGeometry

/// A scene intersector with a traversal stack of its own, for casting many rays on one
/// thread without allocating per ray. Obtain one with `SceneIntersector.withRayCaster`; it
/// must not escape that call.
public struct RayCaster {
  let intersector: SceneIntersector
  let stack: UnsafeMutablePointer<UInt32>

  /// The nearest hit, as `SceneIntersector.closestHit`.
  public func closestHit(
    origin: Vec3, direction: Vec3, tMin: Double = 0, tMax: Double = .infinity, excluding: Int? = nil,
    includeGround: Bool = true
  ) -> RayHit? {
    intersector.closestHit(
      origin: origin, direction: direction, tMin: tMin, tMax: tMax, excluding: excluding,
      includeGround: includeGround, stack: stack)
  }

  /// Whether any object blocks the segment t in (tMin, tMax).
  public func isOccluded(origin: Vec3, direction: Vec3, tMin: Double = 0, tMax: Double = .infinity) -> Bool {
    intersector.occluded(origin: origin, direction: direction, tMin: tMin, tMax: tMax, stack: stack)
  }
}

extension SceneIntersector {
  /// Runs `body` with a ray caster bound to this scene.
  public func withRayCaster<R>(_ body: (RayCaster) throws -> R) rethrows -> R {
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: stackCapacity)
    defer { stack.deallocate() }
    return try body(RayCaster(intersector: self, stack: stack))
  }
}
