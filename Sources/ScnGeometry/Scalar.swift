#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Thin wrappers so the rest of ScnGeometry (and its clients) never import the C library
// directly; every transcendental goes through one place, which keeps platform differences
// (and any future correctly-rounded replacements) in a single file.

extension Double {
  @inlinable public var sine: Double { sin(self) }
  @inlinable public var cosine: Double { cos(self) }
  @inlinable public var tangent: Double { tan(self) }
  /// Degrees → radians.
  @inlinable public var radians: Double { self * .pi / 180 }
  /// Radians → degrees.
  @inlinable public var degrees: Double { self * 180 / .pi }
}

@inlinable public func atan2Double(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@inlinable public func acosDouble(_ x: Double) -> Double { acos(Swift.min(1, Swift.max(-1, x))) }
@inlinable public func asinDouble(_ x: Double) -> Double { asin(Swift.min(1, Swift.max(-1, x))) }
@inlinable public func expDouble(_ x: Double) -> Double { exp(x) }
@inlinable public func logDouble(_ x: Double) -> Double { log(x) }
@inlinable public func powDouble(_ x: Double, _ y: Double) -> Double { pow(x, y) }

/// Wraps an angle to (-π, π].
@inlinable public func wrapAngle(_ a: Double) -> Double {
  var r = a.truncatingRemainder(dividingBy: 2 * .pi)
  if r <= -.pi { r += 2 * .pi } else if r > .pi { r -= 2 * .pi }
  return r
}
