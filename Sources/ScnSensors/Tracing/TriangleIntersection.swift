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
  /// The shear rows: sheared x = rowX · (v − origin), and likewise y and z (scaled so the ray
  /// direction has unit z). Each row has one coefficient 1 (or 1/d_kz) and one −S.
  let origin: Vec3
  let rowX: Vec3
  let rowY: Vec3
  let rowZ: Vec3

  @inline(__always)
  init(origin: Vec3, direction d: Vec3) {
    self.origin = origin
    // kz: the dominant axis of the direction; kx, ky the other two, swapped when d_kz < 0 to
    // keep the winding (and so the sign convention of the edge functions) unchanged.
    let ax = abs(d.x)
    let ay = abs(d.y)
    let az = abs(d.z)
    let kz = ax > ay ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2)
    var kx = kz == 2 ? 0 : kz + 1
    var ky = kx == 2 ? 0 : kx + 1
    let dz = d[kz]
    if dz < 0 { swap(&kx, &ky) }
    let sx = d[kx] / dz
    let sy = d[ky] / dz
    var x = Vec3.zero
    var y = Vec3.zero
    var z = Vec3.zero
    x[kx] = 1
    x[kz] = -sx
    y[ky] = 1
    y[kz] = -sy
    z[kz] = 1 / dz
    rowX = x
    rowY = y
    rowZ = z
  }

  /// Sheared coordinates of a vertex relative to the ray: the ray is the +z axis through the
  /// origin, and z is the ray parameter t of the vertex's projection.
  @inline(__always)
  func shear(_ vx: Double, _ vy: Double, _ vz: Double) -> (x: Double, y: Double, z: Double) {
    let px = vx - origin.x
    let py = vy - origin.y
    let pz = vz - origin.z
    return (
      rowX.x * px + rowX.y * py + rowX.z * pz, rowY.x * px + rowY.y * py + rowY.z * pz,
      rowZ.x * px + rowZ.y * py + rowZ.z * pz
    )
  }

  /// The hit of the triangle (v0, v1, v2), stored as nine doubles at `p`, with t in
  /// (tMin, tMax): its t and the barycentric weights of v1 and v2. Double-sided.
  @inline(__always)
  func intersect(_ p: UnsafePointer<Double>, tMin: Double, tMax: Double) -> (t: Double, u: Double, v: Double)? {
    let a = shear(p[0], p[1], p[2])
    let b = shear(p[3], p[4], p[5])
    let c = shear(p[6], p[7], p[8])
    // Edge functions: e0 opposite v0 (the weight of v0), e1 of v1, e2 of v2.
    let e0 = c.x * b.y - c.y * b.x
    let e1 = a.x * c.y - a.y * c.x
    let e2 = b.x * a.y - b.y * a.x
    if (e0 < 0 || e1 < 0 || e2 < 0) && (e0 > 0 || e1 > 0 || e2 > 0) { return nil }
    let det = e0 + e1 + e2
    if det == 0 { return nil }  // the ray lies in the triangle's plane
    let tScaled = e0 * a.z + e1 * b.z + e2 * c.z
    let t = tScaled / det
    guard t > tMin && t < tMax else { return nil }
    return (t, e1 / det, e2 / det)
  }
}
