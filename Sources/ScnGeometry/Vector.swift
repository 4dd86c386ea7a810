/// Three-component vectors in the world frame: metres, right-handed, x forward, y left, z up
/// (ISO 8855). `SIMD3<Double>` gives element-wise arithmetic that the optimiser vectorises;
/// the helpers below add the geometric products the simulation and sensors need.
public typealias Vec3 = SIMD3<Double>

extension SIMD3 where Scalar == Double {
  @inlinable public static var unitX: Vec3 { Vec3(1, 0, 0) }
  @inlinable public static var unitY: Vec3 { Vec3(0, 1, 0) }
  @inlinable public static var unitZ: Vec3 { Vec3(0, 0, 1) }

  @inlinable public func dot(_ other: Vec3) -> Double { x * other.x + y * other.y + z * other.z }

  @inlinable public func cross(_ o: Vec3) -> Vec3 {
    Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
  }

  @inlinable public var lengthSquared: Double { dot(self) }
  @inlinable public var length: Double { lengthSquared.squareRoot() }

  /// The unit vector in this direction, or zero for a zero vector (never NaN).
  @inlinable public var normalized: Vec3 {
    let len = length
    return len > 0 ? self / len : .zero
  }

  @inlinable public var maxComponent: Double { Swift.max(x, Swift.max(y, z)) }
  @inlinable public var minComponent: Double { Swift.min(x, Swift.min(y, z)) }
}
