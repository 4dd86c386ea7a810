import ScnGeometry

/// Box–box contacts: separating-axis test over the 15 candidate axes, then either
/// face clipping (Sutherland–Hodgman of the incident face against the reference face's
/// side planes, up to 8 points reduced to 4) or one edge–edge point.
///
/// Face axes win over edge axes, and box A's faces over box B's, unless the other is
/// clearly better (relative and absolute tolerances, as in Box2D): a resting box keeps
/// the same reference face from step to step, so its contact ids persist and warm
/// starting works.
enum BoxBox {
  static let relativeTolerance = 0.95
  static let absoluteTolerance = 0.0025
  static let clipTolerance = 0.001

  static func collide(
    _ pa: BodyPose, _ ha: Vec3, _ pb: BodyPose, _ hb: Vec3, margin: Double, into out: inout ContactScratch
  ) {
    let d = pb.position - pa.position
    let a = pa.axes
    let b = pb.axes
    // Rows of A's axes dotted with B's axes; the small epsilon keeps near-parallel edge
    // pairs from reporting a spurious separation through round-off.
    let c0 = Vec3(a.c0.dot(b.c0), a.c0.dot(b.c1), a.c0.dot(b.c2))
    let c1 = Vec3(a.c1.dot(b.c0), a.c1.dot(b.c1), a.c1.dot(b.c2))
    let c2 = Vec3(a.c2.dot(b.c0), a.c2.dot(b.c1), a.c2.dot(b.c2))
    let eps = 1e-9
    let ac0 = Vec3(abs(c0.x), abs(c0.y), abs(c0.z)) + eps
    let ac1 = Vec3(abs(c1.x), abs(c1.y), abs(c1.z)) + eps
    let ac2 = Vec3(abs(c2.x), abs(c2.y), abs(c2.z)) + eps
    let dA = a.applyTransposed(d)
    let dB = b.applyTransposed(d)

    // Faces of A.
    var sepA = -Double.infinity
    var axisA = 0
    for i in 0..<3 {
      let row = i == 0 ? ac0 : (i == 1 ? ac1 : ac2)
      let s = abs(dA[i]) - ha[i] - hb.dot(row)
      if s > margin { return }
      if s > sepA {
        sepA = s
        axisA = i
      }
    }
    // Faces of B.
    var sepB = -Double.infinity
    var axisB = 0
    for j in 0..<3 {
      let column = Vec3(ac0[j], ac1[j], ac2[j])
      let s = abs(dB[j]) - hb[j] - ha.dot(column)
      if s > margin { return }
      if s > sepB {
        sepB = s
        axisB = j
      }
    }
    // Edge pairs.
    var sepE = -Double.infinity
    var edgeA = 0
    var edgeB = 0
    var edgeNormal = Vec3.zero
    for i in 0..<3 {
      let ai = a.column(i)
      for j in 0..<3 {
        let axis = ai.cross(b.column(j))
        let len = axis.length
        if len < 1e-6 { continue }
        let n = axis / len
        let ra = ha.x * abs(a.c0.dot(n)) + ha.y * abs(a.c1.dot(n)) + ha.z * abs(a.c2.dot(n))
        let rb = hb.x * abs(b.c0.dot(n)) + hb.y * abs(b.c1.dot(n)) + hb.z * abs(b.c2.dot(n))
        let s = abs(d.dot(n)) - ra - rb
        if s > margin { return }
        if s > sepE {
          sepE = s
          edgeA = i
          edgeB = j
          edgeNormal = n
        }
      }
    }

    let useB = sepB > relativeTolerance * sepA + absoluteTolerance
    let faceSep = useB ? sepB : sepA
    if sepE > relativeTolerance * faceSep + absoluteTolerance {
      var n = edgeNormal
      if n.dot(d) < 0 { n = -n }
      edgeContact(pa, ha, edgeA, pb, hb, edgeB, normal: n, margin: margin, into: &out)
      return
    }
    if useB {
      let sign: Double = dB[axisB] >= 0 ? 1 : -1
      // B's reference face looks back toward A.
      let refNormal = b.column(axisB) * -sign
      faceContact(
        reference: pb, ha: hb, axis: axisB, refNormal: refNormal, incident: pa, hi: ha,
        featureBase: 1 << 31 | UInt32(axisB * 2 + (sign > 0 ? 1 : 0)) << 24, manifoldNormal: -refNormal,
        margin: margin, into: &out)
    } else {
      let sign: Double = dA[axisA] >= 0 ? 1 : -1
      let refNormal = a.column(axisA) * sign
      faceContact(
        reference: pa, ha: ha, axis: axisA, refNormal: refNormal, incident: pb, hi: hb,
        featureBase: UInt32(axisA * 2 + (sign > 0 ? 0 : 1)) << 24, manifoldNormal: refNormal,
        margin: margin, into: &out)
    }
  }

  /// Clips the incident box's face most opposed to `refNormal` against the reference
  /// face (`axis` of the reference box, outward `refNormal`).
  private static func faceContact(
    reference ref: BodyPose, ha: Vec3, axis: Int, refNormal: Vec3, incident inc: BodyPose, hi: Vec3,
    featureBase: UInt32, manifoldNormal: Vec3, margin: Double, into out: inout ContactScratch
  ) {
    // Incident face: the incident box's face whose outward normal is most anti-parallel.
    var incAxis = 0
    var best = -1.0
    for j in 0..<3 {
      let v = abs(inc.axes.column(j).dot(refNormal))
      if v > best {
        best = v
        incAxis = j
      }
    }
    let incSign: Double = inc.axes.column(incAxis).dot(refNormal) > 0 ? -1 : 1
    let incFace = UInt32(incAxis * 2 + (incSign > 0 ? 0 : 1))
    let faceCenter = inc.position + inc.axes.column(incAxis) * (incSign * hi[incAxis])
    let u = inc.axes.column((incAxis + 1) % 3) * hi[(incAxis + 1) % 3]
    let v = inc.axes.column((incAxis + 2) % 3) * hi[(incAxis + 2) % 3]

    out.polygon.removeAll(keepingCapacity: true)
    out.polygonKeys.removeAll(keepingCapacity: true)
    out.polygon.append(faceCenter + u + v)
    out.polygon.append(faceCenter - u + v)
    out.polygon.append(faceCenter - u - v)
    out.polygon.append(faceCenter + u - v)
    for key: UInt32 in 0..<4 { out.polygonKeys.append(key) }

    // Side planes of the reference face.
    let p = ref.axes.column((axis + 1) % 3)
    let q = ref.axes.column((axis + 2) % 3)
    let hp = ha[(axis + 1) % 3]
    let hq = ha[(axis + 2) % 3]
    let cp = ref.position.dot(p)
    let cq = ref.position.dot(q)
    clip(&out, normal: p, offset: cp + hp, plane: 0)
    clip(&out, normal: -p, offset: -cp + hp, plane: 1)
    clip(&out, normal: q, offset: cq + hq, plane: 2)
    clip(&out, normal: -q, offset: -cq + hq, plane: 3)

    let faceOffset = ref.position.dot(refNormal) + ha[axis]
    for k in out.polygon.indices {
      let x = out.polygon[k]
      let separation = x.dot(refNormal) - faceOffset
      guard separation < margin else { continue }
      out.add(
        position: x - refNormal * (separation / 2), normal: manifoldNormal, separation: separation,
        feature: featureBase | incFace << 20 | (out.polygonKeys[k] & 0xFFFFF))
    }
    out.reduceToFour(normal: manifoldNormal)
  }

  /// One Sutherland–Hodgman pass keeping the side `x · normal <= offset`. New vertices get
  /// a key derived from the two vertices of the cut edge and the plane, so the same
  /// geometric feature gets the same key in the next step.
  static func clip(_ s: inout ContactScratch, normal: Vec3, offset: Double, plane: UInt32) {
    let n = s.polygon.count
    guard n > 0 else { return }
    s.clipped.removeAll(keepingCapacity: true)
    s.clippedKeys.removeAll(keepingCapacity: true)
    // Vertices up to a millimetre outside count as inside: equal boxes stacked flush have
    // incident corners on the side planes, and a tiny sideways creep must not flip them
    // between an original corner and a pair of clipped points (different contact ids, a
    // different reduced set, lost warm starts — enough to set a tall stack rocking).
    let tolerance = clipTolerance
    for k in 0..<n {
      let cur = s.polygon[k]
      let next = s.polygon[(k + 1) % n]
      let dc = cur.dot(normal) - offset
      let dn = next.dot(normal) - offset
      if dc <= tolerance {
        s.clipped.append(cur)
        s.clippedKeys.append(s.polygonKeys[k])
      }
      if (dc <= tolerance) != (dn <= tolerance) {
        let t = dc / (dc - dn)
        s.clipped.append(cur + (next - cur) * t)
        let ka = s.polygonKeys[k] & 0x3FF
        let kb = s.polygonKeys[(k + 1) % n] & 0x3FF
        s.clippedKeys.append((4 + plane) << 16 ^ (ka &* 0x9E37 &+ kb &* 31 &+ plane) & 0xFFFF)
      }
    }
    swap(&s.polygon, &s.clipped)
    swap(&s.polygonKeys, &s.clippedKeys)
  }

  private static func edgeContact(
    _ pa: BodyPose, _ ha: Vec3, _ i: Int, _ pb: BodyPose, _ hb: Vec3, _ j: Int, normal n: Vec3,
    margin: Double, into out: inout ContactScratch
  ) {
    // The edge of A furthest along n and the edge of B furthest along -n.
    var ca = pa.position
    var cb = pb.position
    for k in 0..<3 {
      if k != i {
        let ax = pa.axes.column(k)
        ca += ax * (ax.dot(n) >= 0 ? ha[k] : -ha[k])
      }
      if k != j {
        let bx = pb.axes.column(k)
        cb += bx * (bx.dot(n) <= 0 ? hb[k] : -hb[k])
      }
    }
    let (onA, onB) = Narrowphase.closestPointsOfSegments(
      ca, pa.axes.column(i), ha[i], cb, pb.axes.column(j), hb[j])
    let separation = (onB - onA).dot(n)
    guard separation < margin else { return }
    out.add(
      position: (onA + onB) * 0.5, normal: n, separation: separation,
      feature: 1 << 30 | UInt32(i * 3 + j) << 24)
  }
}
