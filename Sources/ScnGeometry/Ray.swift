/// A ray `origin + t * direction` for `t` in `[tMin, tMax]`.
public struct Ray: Sendable {
  public var origin: Vec3
  public var direction: Vec3
  public var tMin: Double
  public var tMax: Double

  @inlinable public init(origin: Vec3, direction: Vec3, tMin: Double = 0, tMax: Double = .infinity) {
    self.origin = origin
    self.direction = direction
    self.tMin = tMin
    self.tMax = tMax
  }

  @inlinable public func at(_ t: Double) -> Vec3 { origin + direction * t }
}
