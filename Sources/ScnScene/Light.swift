import ScnGeometry

/// A lamp: a point source with an optional beam (docs/scene-model.md, "Lights").
///
/// Illuminance at a point at distance d, seen at angle θ from the surface normal and at
/// angle α off the beam axis: E = I · b(α) · cos θ / d² lux, I in candela (1 lx = 1 lm/m²
/// and 1 lm = 1 cd·sr). b is 1 inside `innerAngle`, 0 outside `outerAngle` and a smooth step
/// between; a point light (`outerAngle` = π) shines the same in every direction.
public struct Light: Hashable, Sendable {
  public var position: Vec3
  /// Unit beam axis (ignored by a point light).
  public var direction: Vec3
  /// Luminous intensity on the axis, candela.
  public var intensity: Double
  /// Linear colour of the light, scaled to luminance 1.
  public var colour: RGB
  /// Half-angles of the beam's full-intensity core and of its edge, radians.
  public var innerAngle: Double
  public var outerAngle: Double
  /// A vehicle's dipped (low) beam instead of a round cone: `innerAngle` and `outerAngle`
  /// bound it sideways; vertically it has a sharp cut-off at the horizon of the (level) axis
  /// and falls off below as the road gets nearer (`beam(toward:)`).
  public var lowBeam: Bool
  /// The instance id of the object the lamp belongs to (its housing neither blocks nor is
  /// lit by it), 0 for none.
  public var owner: UInt32

  public init(
    position: Vec3, direction: Vec3 = Vec3(0, 0, -1), intensity: Double, colour: RGB = RGB(1, 1, 1),
    innerAngle: Double = .pi, outerAngle: Double = .pi, lowBeam: Bool = false, owner: UInt32 = 0
  ) {
    self.lowBeam = lowBeam
    self.position = position
    let d = direction.normalized
    self.direction = d == .zero ? Vec3(0, 0, -1) : d
    self.intensity = intensity.isFinite ? Swift.max(0, intensity) : 0
    let l = colour.luminance
    self.colour = l > 0 && l.isFinite ? RGB(colour.red / l, colour.green / l, colour.blue / l) : RGB(1, 1, 1)
    let outer = outerAngle.isFinite ? Swift.min(.pi, Swift.max(1e-3, outerAngle)) : .pi
    self.outerAngle = outer
    self.innerAngle = innerAngle.isFinite ? Swift.min(outer, Swift.max(0, innerAngle)) : outer
    self.owner = owner
  }

  /// The share of the axial intensity sent along unit direction `toward` (from the lamp).
  ///
  /// A low beam: with h the horizontal angle off the axis and v the elevation above the
  /// axis's, the share is s(h) · c(v), s as for a cone over h; c rises from 0 at v = +1° to
  /// 1 at v = −0.5°, stays 1 down to −3° and then falls as (3° / |v|)², so the road a few
  /// metres ahead gets about as much light as the road 30 m ahead, as with real dipped beams.
  @inlinable
  public func beam(toward: Vec3) -> Double { PreparedBeam(self).share(toward: toward) }

  /// Distance beyond which this lamp's illuminance stays below `threshold` lux.
  public func range(threshold: Double) -> Double {
    threshold > 0 ? (intensity / threshold).squareRoot() : .infinity
  }
}

/// A lamp's beam with the cosines of its angles and its axis's elevation worked out once, for
/// renderers that evaluate `Light.beam(toward:)` per pixel (which is this, built each call).
public struct PreparedBeam: Sendable {
  public let lowBeam: Bool
  public let direction: Vec3
  public let isPoint: Bool
  public let cosInner: Double
  public let cosOuter: Double
  /// asin of the axis's z component (low beams only).
  public let axisElevation: Double
  /// A low beam sends nothing along directions whose z component is at least this: sin of
  /// the cut-off's elevation (1° above the axis's), plus 1e-9 so rounding cannot matter.
  public let cutOffZ: Double

  @inlinable
  public init(_ light: Light) {
    lowBeam = light.lowBeam
    direction = light.direction
    isPoint = light.outerAngle >= .pi
    cosInner = light.innerAngle.cosine
    cosOuter = light.outerAngle.cosine
    axisElevation = light.lowBeam ? asinDouble(Swift.max(-1, Swift.min(1, light.direction.z))) : 0
    cutOffZ = light.lowBeam ? (axisElevation + Double.pi / 180).sine + 1e-9 : 2
  }

  /// False only where `share(toward:)` is 0, without its inverse sine: a cheap conservative
  /// test for culling (the margins of 1e-9 cover rounding).
  @inlinable
  public func mayLight(toward: Vec3) -> Bool {
    if isPoint && !lowBeam { return true }
    if lowBeam {
      if toward.z >= cutOffZ { return false }
      let a = Vec3(direction.x, direction.y, 0), b = Vec3(toward.x, toward.y, 0)
      let la = a.length, lb = b.length
      guard la > 0, lb > 0 else { return false }
      return a.dot(b) / (la * lb) > cosOuter - 1e-9
    }
    return direction.dot(toward) > cosOuter - 1e-9
  }

  /// The share of the axial intensity sent along unit direction `toward` (from the lamp).
  ///
  /// A low beam: with h the horizontal angle off the axis and v the elevation above the
  /// axis's, the share is s(h) · c(v), s as for a cone over h; c rises from 0 at v = +1° to
  /// 1 at v = −0.5°, stays 1 down to −3° and then falls as (3° / |v|)², so the road a few
  /// metres ahead gets about as much light as the road 30 m ahead, as with real dipped beams.
  @inlinable
  public func share(toward: Vec3) -> Double {
    if lowBeam { return lowBeamShare(toward) }
    if isPoint { return 1 }
    let c = direction.dot(toward)
    if c >= cosInner { return 1 }
    if c <= cosOuter { return 0 }
    let t = (c - cosOuter) / Swift.max(1e-12, cosInner - cosOuter)
    return t * t * (3 - 2 * t)
  }

  @inlinable
  func lowBeamShare(_ toward: Vec3) -> Double {
    let degree = Double.pi / 180
    let v = asinDouble(Swift.max(-1, Swift.min(1, toward.z))) - axisElevation
    let vertical: Double
    if v >= 1 * degree {
      return 0
    } else if v > -0.5 * degree {
      let t = (1 * degree - v) / (1.5 * degree)
      vertical = t * t * (3 - 2 * t)
    } else if v >= -3 * degree {
      vertical = 1
    } else {
      let r = 3 * degree / v
      vertical = r * r
    }
    let a = Vec3(direction.x, direction.y, 0), b = Vec3(toward.x, toward.y, 0)
    let la = a.length, lb = b.length
    guard la > 0, lb > 0 else { return 0 }
    let c = a.dot(b) / (la * lb)
    if c <= cosOuter { return 0 }
    if c >= cosInner { return vertical }
    let t = (c - cosOuter) / Swift.max(1e-12, cosInner - cosOuter)
    return vertical * t * t * (3 - 2 * t)
  }
}
