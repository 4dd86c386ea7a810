/// An axis-aligned bounding box. An empty box has `lower > upper` so that `union`
/// with it is the identity and it intersects nothing.
public struct AABB: Hashable, Sendable {
  public var lower: Vec3
  public var upper: Vec3

  @inlinable public init(lower: Vec3, upper: Vec3) {
    self.lower = lower
    self.upper = upper
  }

  public static let empty = AABB(lower: Vec3(repeating: .infinity), upper: Vec3(repeating: -.infinity))

  @inlinable public var isEmpty: Bool { lower.x > upper.x || lower.y > upper.y || lower.z > upper.z }
  @inlinable public var center: Vec3 { (lower + upper) * 0.5 }
  @inlinable public var extent: Vec3 { upper - lower }

  /// Half the surface area; the SAH cost only needs areas up to a constant factor.
  @inlinable public var halfArea: Double {
    guard !isEmpty else { return 0 }
    let e = extent
    return e.x * e.y + e.y * e.z + e.z * e.x
  }

  @inlinable public func union(_ o: AABB) -> AABB {
    AABB(lower: pointwiseMin(lower, o.lower), upper: pointwiseMax(upper, o.upper))
  }

  @inlinable public func union(_ p: Vec3) -> AABB {
    AABB(lower: pointwiseMin(lower, p), upper: pointwiseMax(upper, p))
  }

  @inlinable public func intersects(_ o: AABB) -> Bool {
    lower.x <= o.upper.x && o.lower.x <= upper.x && lower.y <= o.upper.y && o.lower.y <= upper.y
      && lower.z <= o.upper.z && o.lower.z <= upper.z
  }

  @inlinable public func contains(_ p: Vec3) -> Bool {
    p.x >= lower.x && p.x <= upper.x && p.y >= lower.y && p.y <= upper.y && p.z >= lower.z && p.z <= upper.z
  }

  /// Grows the box by `margin` on every side.
  @inlinable public func expanded(by margin: Double) -> AABB {
    AABB(lower: lower - Vec3(repeating: margin), upper: upper + Vec3(repeating: margin))
  }
}
