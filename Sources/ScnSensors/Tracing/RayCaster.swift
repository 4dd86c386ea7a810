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

/// Display colours for semantic ids (for previews; the semantic PNG stores the raw id).
/// 0 sky → (70, 130, 180) and 1 ground → (128, 64, 128), as in Cityscapes; every other id
/// gets a fixed hue stepped by the golden angle so neighbouring ids differ clearly.
public enum SemanticPalette {
  public static func colour(of id: UInt8) -> [UInt8] {
    switch id {
    case SemanticClass.sky: return [70, 130, 180]
    case SemanticClass.ground: return [128, 64, 128]
    default:
      let hue = (Double(id - 2) * 137.507_764 + 30).truncatingRemainder(dividingBy: 360) / 60
      let x = 1 - abs(hue.truncatingRemainder(dividingBy: 2) - 1)
      let (r, g, b): (Double, Double, Double) =
        switch Int(hue) {
        case 0: (1, x, 0)
        case 1: (x, 1, 0)
        case 2: (0, 1, x)
        case 3: (0, x, 1)
        case 4: (x, 0, 1)
        default: (1, 0, x)
        }
      return [r, g, b].map { UInt8(40 + 200 * $0) }
    }
  }
}
