import ScnGeometry

/// The reflectance of one surface point seen from the camera: glTF 2.0's metallic-roughness
/// model (docs/scene-model.md, "Shading").
///
/// - Specular: the Cook–Torrance microfacet lobe with the GGX (Trowbridge–Reitz)
///   distribution D, α = roughness², the height-correlated Smith masking–shadowing term in
///   its visibility form V = G / (4 n·l n·v), and Schlick's Fresnel F with F0 = 0.04 for a
///   dielectric and the base colour for a metal (blended by `metallic`).
/// - Diffuse: Lambert, base colour × (1 − metallic), weighted by (1 − F) so that light a
///   surface reflects specularly is not also reflected diffusely.
///
/// `reflectance(toward:)` gives π·f(l, v): the factor that turns the illuminance a light
/// gives on the surface into the radiance the camera sees, in the shader's units (for a
/// Lambertian surface it is the albedo). Punctual lights (sun, lamps) use a roughness of at
/// least 0.08 so that a mirror-like surface gives a bright, bounded glint rather than an
/// unbounded spike.
struct SurfaceBRDF {
  let normal: Vec3
  let view: Vec3
  let nv: Double
  /// Diffuse albedo: base colour × (1 − metallic).
  let diffuse: SIMD3<Double>
  /// Reflectance at normal incidence.
  let f0: SIMD3<Double>
  /// Perceptual roughness (0…1) as given.
  let roughness: Double
  /// α² for punctual lights.
  let alpha2: Double

  static let dielectricF0 = 0.04
  static let minimumPunctualRoughness = 0.08

  /// `view` is the unit direction from the point towards the camera; `normal` faces it.
  init(base: SIMD3<Double>, roughness r: Double, metallic m: Double, normal: Vec3, view: Vec3) {
    let metallic = m.isFinite ? Swift.min(1, Swift.max(0, m)) : 0
    let rough = r.isFinite ? Swift.min(1, Swift.max(0, r)) : 0.5
    self.normal = normal
    self.view = view
    nv = Swift.max(1e-4, normal.dot(view))
    diffuse = base * (1 - metallic)
    f0 = SIMD3(repeating: Self.dielectricF0 * (1 - metallic)) + base * metallic
    roughness = rough
    let pr = Swift.max(Self.minimumPunctualRoughness, rough)
    let alpha = pr * pr
    alpha2 = alpha * alpha
  }

  /// Schlick's approximation of the Fresnel reflectance at `cosine` from the normal.
  @inline(__always)
  static func schlick(_ f0: SIMD3<Double>, _ cosine: Double) -> SIMD3<Double> {
    let m = 1 - Swift.min(1, Swift.max(0, cosine))
    let m2 = m * m
    return f0 + (SIMD3(repeating: 1) - f0) * (m2 * m2 * m)
  }

  /// π·f(l, v) for a light from unit direction `l` (towards the light), 0 when it is behind
  /// the surface.
  @inline(__always)
  func reflectance(toward l: Vec3) -> SIMD3<Double> {
    let nl = normal.dot(l)
    guard nl > 0 else { return .zero }
    // The half vector h = (l + v)/|l + v| enters only through n·h and v·h: one reciprocal
    // and two products instead of dividing h's three components.
    let sum = l + view
    let hl = sum.length
    guard hl > 1e-12 else { return diffuse }
    let inverse = 1 / hl
    let nh = Swift.max(0, normal.dot(sum) * inverse)
    let vh = Swift.max(0, view.dot(sum) * inverse)
    let fresnel = Self.schlick(f0, vh)
    let t = nh * nh * (alpha2 - 1) + 1
    let a = nl * (nv * nv * (1 - alpha2) + alpha2).squareRoot()
    let b = nv * (nl * nl * (1 - alpha2) + alpha2).squareRoot()
    // π·D·V = (α² / t²) · (0.5 / (a + b)) as one quotient (t² ≥ α⁴ ≥ 0.08⁸ and a + b at
    // least 10⁻¹², so the denominator stays a normal number).
    let piDV = (0.5 * alpha2) / (t * t * Swift.max(1e-12, a + b))
    return diffuse * (SIMD3(repeating: 1) - fresnel) + fresnel * piDV
  }

  /// The directional albedo of the specular lobe under uniform light (Karis's analytic fit
  /// to the split-sum environment BRDF, "Physically Based Shading on Mobile", 2014): the share
  /// of light from the environment the lobe reflects towards the camera, f0·A + B.
  @inline(__always)
  var environmentSpecular: SIMD3<Double> {
    let r = roughness
    let rx = -r + 1
    let ry = -0.0275 * r + 0.0425
    let rz = -0.572 * r + 1.04
    let rw = 0.022 * r - 0.04
    let a004 = Swift.min(rx * rx, Self.exp2Above(-9.28 * nv, floor: rx * rx)) * rx + ry
    let scale = a004 * -1.04 + rz
    let bias = a004 * 1.04 + rw
    return f0 * scale + SIMD3(repeating: Swift.max(0, bias))
  }

  /// 2^x (x ≤ 0), except that any value at least `floor` may be returned as `floor`: the
  /// value `min(floor, 2^x)` needs, the same bits, without the call to `exp` where a cheap
  /// lower bound already clears `floor` (rough surfaces seen obliquely: most of a road).
  /// The bound is (1 − y/8)⁸ ≤ e^(−y) for 0 ≤ y ≤ 8, y = −x·ln 2, with a relative margin of
  /// 10⁻⁹ for rounding (of the bound and of `exp`).
  @inline(__always)
  static func exp2Above(_ x: Double, floor: Double) -> Double {
    let y = -x * 0.6931471805599453
    if y >= 0, y <= 8 {
      let t = 1 - y * 0.125
      let t2 = t * t
      let t4 = t2 * t2
      if t4 * t4 >= floor * (1 + 1e-9) { return floor }
    }
    return expDouble(x * 0.6931471805599453)
  }

  /// The mirror direction of the view about the normal.
  @inline(__always)
  var reflected: Vec3 { normal * (2 * nv) - view }
}
