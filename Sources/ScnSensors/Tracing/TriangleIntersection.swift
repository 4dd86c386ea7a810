import ScnGeometry

/// A ray prepared for the watertight ray–triangle test of Woop, Benthin and Wald, "Watertight
/// Ray/Triangle Intersection", JCGT 2(1), 2013.
///
/// The test shears space so that the ray runs along +z through the origin, then decides
/// coverage from the signs of three 2-D edge functions of the sheared vertices. Every vertex
/// is transformed by the same per-ray arithmetic whichever triangle it belongs to, and an
/// edge function evaluated from the other side of a shared edge is the exact negation of this
/// side's (products commute exactly, and fl(a − b) = −fl(b − a)); edge values of exactly zero
/// count as inside. So a ray through a shared edge or vertex of a closed mesh hits at least
/// one of the triangles around it: no cracks. Computed in double precision throughout.
struct WatertightRay {
  /// The axis permutation: kz is the direction's dominant axis, kx and ky the other two
  /// (swapped when d_kz < 0 to keep the winding, and so the edge functions' signs).
  let kx: Int
  let ky: Int
  let kz: Int
  /// The origin's coordinates on kx, ky, kz.
  let ox: Double
  let oy: Double
  let oz: Double
  /// The shear: sheared x = (v_kx − o_kx) − sx·(v_kz − o_kz), y likewise with sy, and
  /// z = sz·(v_kz − o_kz), the ray parameter of the vertex's projection on the ray.
  let sx: Double
  let sy: Double
  let sz: Double

  /// A placeholder for a ray prepared later (its tests are meaningless).
  @inline(__always)
  init() {
    (kx, ky, kz) = (0, 1, 2)
    (ox, oy, oz, sx, sy, sz) = (0, 0, 0, 0, 0, 0)
  }

  @inline(__always)
  init(origin o: Vec3, direction d: Vec3) {
    let ax = abs(d.x)
    let ay = abs(d.y)
    let az = abs(d.z)
    let z = ax > ay ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2)
    var x = z == 2 ? 0 : z + 1
    var y = x == 2 ? 0 : x + 1
    let dz = d[z]
    if dz < 0 { swap(&x, &y) }
    kx = x
    ky = y
    kz = z
    ox = o[x]
    oy = o[y]
    oz = o[z]
    sx = d[x] / dz
    sy = d[y] / dz
    sz = 1 / dz
  }

  /// The hit of the triangle (v0, v1, v2), stored as nine doubles at `p`, with t in
  /// (tMin, tMax), or in (tMin, tMax] with `includingTMax`: its t and the barycentric
  /// weights of v1 and v2. Double-sided.
  @inline(__always)
  func intersect(
    _ p: UnsafePointer<Double>, tMin: Double, tMax: Double, includingTMax: Bool = false
  ) -> (t: Double, u: Double, v: Double)? {
    // Every vertex goes through the same arithmetic whichever triangle it belongs to.
    let az = p[kz] - oz
    let bz = p[3 + kz] - oz
    let cz = p[6 + kz] - oz
    let ax = (p[kx] - ox) - sx * az
    let ay = (p[ky] - oy) - sy * az
    let bx = (p[3 + kx] - ox) - sx * bz
    let by = (p[3 + ky] - oy) - sy * bz
    let cx = (p[6 + kx] - ox) - sx * cz
    let cy = (p[6 + ky] - oy) - sy * cz
    // Edge functions: e0 opposite v0 (the weight of v0), e1 of v1, e2 of v2. Two of
    // opposite signs already decide a miss (most tests), before the third is computed.
    let e0 = cx * by - cy * bx
    let e1 = ax * cy - ay * cx
    if (e0 < 0 && e1 > 0) || (e0 > 0 && e1 < 0) { return nil }
    let e2 = bx * ay - by * ax
    if (e0 < 0 || e1 < 0 || e2 < 0) && (e0 > 0 || e1 > 0 || e2 > 0) { return nil }
    let det = e0 + e1 + e2
    if det == 0 { return nil }  // the ray lies in the triangle's plane
    let t = (e0 * (sz * az) + e1 * (sz * bz) + e2 * (sz * cz)) / det
    guard t > tMin && (t < tMax || (includingTMax && t == tMax)) else { return nil }
    return (t, e1 / det, e2 / det)
  }
}
