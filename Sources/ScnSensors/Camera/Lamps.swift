import ScnGeometry
import ScnScene

/// The scene's lamps prepared for one camera frame (docs/scene-model.md, "Lights").
///
/// A lamp lights a surface point with E = I·b(α)·cos θ / d² lux, times e^(−σd) for the air's
/// extinction σ over the path, when nothing blocks the segment between them (a shadow ray
/// per lamp and point; the lamp's own object neither blocks nor receives its light). The
/// shader's radiance is in units of the scene's ambient illuminance, so a lamp adds
/// π·f(l, v) · E / illuminance (`SurfaceBRDF.reflectance`; the albedo for a Lambertian
/// surface). A lamp is skipped where its light, before the beam and
/// attenuation, would be below `threshold` lux: 0.05 lx or 0.1 % of the ambient illuminance,
/// whichever is larger (so a daylight scene pays almost nothing for its lamps).
struct LampSet: Sendable {
  struct Lamp: Sendable {
    var light: Light
    var colour: SIMD3<Double>
    /// Index of the owner in `RenderScene.objects`.
    var owner: Int?
    var rangeSquared: Double
  }

  let lamps: [Lamp]
  /// 1 / ambient illuminance.
  let scale: Double
  let extinction: Double

  static func threshold(illuminance: Double) -> Double { Swift.max(0.05, 0.001 * Swift.max(0, illuminance)) }

  init(_ lights: [Light], environment: Environment, ownerIndex: (UInt32) -> Int?) {
    let threshold = Self.threshold(illuminance: environment.illuminance)
    lamps = lights.compactMap { light in
      guard light.intensity > 0, light.position.x.isFinite, light.position.y.isFinite, light.position.z.isFinite
      else { return nil }
      let range = light.range(threshold: threshold)
      return Lamp(
        light: light, colour: SIMD3(light.colour.red, light.colour.green, light.colour.blue),
        owner: light.owner == 0 ? nil : ownerIndex(light.owner), rangeSquared: range * range)
    }
    scale = 1 / Swift.max(1e-3, environment.illuminance)
    extinction = environment.extinction
  }

  var isEmpty: Bool { lamps.isEmpty }
}

extension SceneIntersector {
  /// Radiance the lamps add to a surface point of reflectance `brdf` (see `LampSet`).
  /// `object` is the index of the object hit, nil for the ground.
  @inline(__always)
  func lampLight(
    at p: Vec3, normal n: Vec3, brdf: SurfaceBRDF, object: Int?, lamps: LampSet, stack: UnsafeMutablePointer<UInt32>
  ) -> SIMD3<Double> {
    if lamps.isEmpty { return .zero }
    var sum = SIMD3<Double>.zero
    let lift = 1e-6 * (1 + Swift.max(abs(p.x), Swift.max(abs(p.y), abs(p.z))))
    let origin = p + n * lift
    for lamp in lamps.lamps {
      if let object, lamp.owner == object { continue }
      let v = lamp.light.position - origin
      let d2 = v.dot(v)
      guard d2 < lamp.rangeSquared, d2 > 1e-12 else { continue }
      let d = d2.squareRoot()
      let l = v / d
      let cosTheta = n.dot(l)
      guard cosTheta > 0 else { continue }
      let b = lamp.light.beam(toward: -l)
      guard b > 0 else { continue }
      if occluded(origin: origin, direction: v, tMin: 0, tMax: 1, excluding: lamp.owner, stack: stack) { continue }
      var e = lamp.light.intensity * b * cosTheta / d2
      if lamps.extinction > 0 { e *= expDouble(-lamps.extinction * d) }
      sum += lamp.colour * brdf.reflectance(toward: l) * e
    }
    return sum * lamps.scale
  }
}
