import ScnGeometry

/// Contact generation for every supported pair of shapes. Each routine appends points to
/// a `ContactScratch` with normals pointing from its first body to its second, and keeps
/// points whose separation is below `margin` (speculative contacts: the solver lets the
/// gap close but not go negative, which stops fast bodies tunnelling or bouncing early).
@usableFromInline enum Narrowphase {
  /// Collides two shapes. Shapes are ordered by kind internally so each combination has
  /// one routine; the normals in `out` always point from `a` to `b`.
  static func collide(
    _ shapeA: CollisionShape, _ poseA: BodyPose, _ shapeB: CollisionShape, _ poseB: BodyPose,
    margin: Double, into out: inout ContactScratch
  ) {
    out.reset()
    if case .compound = shapeA {
      collideCompound(shapeA, poseA, shapeB, poseB, margin: margin, into: &out)
    } else if case .compound = shapeB {
      collideCompound(shapeA, poseA, shapeB, poseB, margin: margin, into: &out)
    } else if shapeA.kindRank <= shapeB.kindRank {
      collideOrdered(shapeA, poseA, shapeB, poseB, margin: margin, into: &out)
    } else {
      collideOrdered(shapeB, poseB, shapeA, poseA, margin: margin, into: &out)
      out.flipNormals()
    }
  }

  /// `a.kindRank <= b.kindRank`.
  private static func collideOrdered(
    _ a: CollisionShape, _ pa: BodyPose, _ b: CollisionShape, _ pb: BodyPose,
    margin: Double, into out: inout ContactScratch
  ) {
    switch (a, b) {
    case (.plane, .sphere(let r)):
      planeSphere(pa, center: pb.position, radius: r, feature: 0, margin: margin, into: &out)
    case (.plane, .capsule(let r, let h)):
      let axis = pb.axes.c2 * h
      planeSphere(pa, center: pb.position - axis, radius: r, feature: 0, margin: margin, into: &out)
      planeSphere(pa, center: pb.position + axis, radius: r, feature: 1, margin: margin, into: &out)
    case (.plane, .box(let h)):
      planeBox(pa, pb, halfExtents: h, margin: margin, into: &out)
    case (.sphere(let ra), .sphere(let rb)):
      sphereSphere(pa.position, ra, pb.position, rb, feature: 0, margin: margin, into: &out)
    case (.sphere(let ra), .capsule(let rb, let hb)):
      let q = closestOnSegment(center: pb.position, axis: pb.axes.c2, halfHeight: hb, to: pa.position)
      sphereSphere(pa.position, ra, q, rb, feature: 0, margin: margin, into: &out)
    case (.sphere(let r), .box(let h)):
      sphereBox(center: pa.position, radius: r, pb, halfExtents: h, feature: 0, margin: margin, into: &out)
    case (.capsule(let ra, let ha), .capsule(let rb, let hb)):
      capsuleCapsule(pa, ra, ha, pb, rb, hb, margin: margin, into: &out)
    case (.capsule(let r, let hc), .box(let h)):
      capsuleBox(pa, r, hc, pb, halfExtents: h, margin: margin, into: &out)
    case (.box(let ha), .box(let hb)):
      BoxBox.collide(pa, ha, pb, hb, margin: margin, into: &out)
    case (.plane, .cylinder), (.plane, .hull):
      ConvexContact.planeConvex(pa, b, pb, margin: margin, into: &out)
    case (.sphere, .cylinder), (.sphere, .hull), (.capsule, .cylinder), (.capsule, .hull), (.box, .cylinder),
      (.box, .hull), (.cylinder, .cylinder), (.cylinder, .hull), (.hull, .hull):
      ConvexContact.collide(a, pa, b, pb, margin: margin, into: &out)
    default:
      // Plane–plane: two static bodies never need contacts.
      break
    }
  }

  /// Most contact points kept for a pair with a compound (the deepest; warm starting
  /// matches at most 32 per pair).
  static let maxCompoundContacts = 32

  /// A pair in which one shape or both are compounds: every box of one against every box
  /// (or the plain shape) of the other whose bounds come within `margin`, through the plain
  /// routines. Feature keys are mixed with the two boxes' indices, so warm starting matches
  /// the same box pair from step to step; past `maxCompoundContacts` points the deepest are
  /// kept (ties by order found).
  static func collideCompound(
    _ a: CollisionShape, _ pa: BodyPose, _ b: CollisionShape, _ pb: BodyPose, margin: Double,
    into out: inout ContactScratch
  ) {
    func pieces(_ s: CollisionShape, _ p: BodyPose) -> [(shape: CollisionShape, pose: BodyPose)] {
      guard case .compound(let parts) = s else { return [(s, p)] }
      return parts.map { part in
        (part.shape, BodyPose(position: p.position + p.axes.apply(part.center), axes: p.axes * Mat3(rotation: part.rotation)))
      }
    }
    let piecesA = pieces(a, pa), piecesB = pieces(b, pb)
    let boundsB = piecesB.map { PhysicsWorld.bounds(shape: $0.shape, position: $0.pose.position, axes: $0.pose.axes, margin: margin) }
    var piece = ContactScratch()
    for (i, x) in piecesA.enumerated() {
      let boundsX = PhysicsWorld.bounds(shape: x.shape, position: x.pose.position, axes: x.pose.axes, margin: 0)
      for (j, y) in piecesB.enumerated() {
        let by = boundsB[j]
        if boundsX.lower.x > by.upper.x || by.lower.x > boundsX.upper.x || boundsX.lower.y > by.upper.y
          || by.lower.y > boundsX.upper.y || boundsX.lower.z > by.upper.z || by.lower.z > boundsX.upper.z
        {
          continue
        }
        collide(x.shape, x.pose, y.shape, y.pose, margin: margin, into: &piece)
        let key = (UInt32(truncatingIfNeeded: i) &* 0x9E37_79B1 &+ UInt32(truncatingIfNeeded: j) &* 0x85EB_CA77) &+ 1
        for k in 0..<piece.count {
          out.add(position: piece.positions[k], normal: piece.normals[k], separation: piece.separations[k],
                  feature: piece.features[k] ^ (key &* 0x0100_0193))
        }
      }
    }
    guard out.count > maxCompoundContacts else { return }
    let keep = out.separations.indices.sorted { (out.separations[$0], $0) < (out.separations[$1], $1) }
      .prefix(maxCompoundContacts).sorted()
    let positions = keep.map { out.positions[$0] }, normals = keep.map { out.normals[$0] }
    let separations = keep.map { out.separations[$0] }, features = keep.map { out.features[$0] }
    out.reset()
    for k in keep.indices {
      out.add(position: positions[k], normal: normals[k], separation: separations[k], feature: features[k])
    }
  }

  // MARK: - Spheres and planes

  static func planeSphere(
    _ plane: BodyPose, center: Vec3, radius: Double, feature: UInt32, margin: Double,
    into out: inout ContactScratch
  ) {
    let n = plane.axes.c2
    let separation = (center - plane.position).dot(n) - radius
    guard separation < margin else { return }
    let surface = center - n * radius
    out.add(position: surface - n * (separation / 2), normal: n, separation: separation, feature: feature)
  }

  static func planeBox(
    _ plane: BodyPose, _ box: BodyPose, halfExtents h: Vec3, margin: Double, into out: inout ContactScratch
  ) {
    let n = plane.axes.c2
    let ex = box.axes.c0 * h.x
    let ey = box.axes.c1 * h.y
    let ez = box.axes.c2 * h.z
    for corner in 0..<8 {
      let sx: Double = corner & 1 == 0 ? -1 : 1
      let sy: Double = corner & 2 == 0 ? -1 : 1
      let sz: Double = corner & 4 == 0 ? -1 : 1
      let p = box.position + ex * sx + ey * sy + ez * sz
      let separation = (p - plane.position).dot(n)
      if separation < margin {
        out.add(position: p - n * (separation / 2), normal: n, separation: separation, feature: UInt32(corner))
      }
    }
    out.reduceToFour(normal: n)
  }

  static func sphereSphere(
    _ ca: Vec3, _ ra: Double, _ cb: Vec3, _ rb: Double, feature: UInt32, margin: Double,
    into out: inout ContactScratch
  ) {
    let d = cb - ca
    let dist2 = d.lengthSquared
    let reach = ra + rb + margin
    guard dist2 < reach * reach else { return }
    let dist = dist2.squareRoot()
    // Coincident centres have no preferred direction; +z is a deterministic choice.
    let n = dist > 1e-12 ? d / dist : Vec3.unitZ
    let separation = dist - ra - rb
    let onA = ca + n * ra
    let onB = cb - n * rb
    out.add(position: (onA + onB) * 0.5, normal: n, separation: separation, feature: feature)
  }

  /// Sphere (first) against box (second).
  static func sphereBox(
    center: Vec3, radius: Double, _ box: BodyPose, halfExtents h: Vec3, feature: UInt32, margin: Double,
    into out: inout ContactScratch
  ) {
    let local = box.axes.applyTransposed(center - box.position)
    let clamped = pointwiseMin(pointwiseMax(local, -h), h)
    var outwardLocal: Vec3
    var separation: Double
    var surfaceLocal = clamped
    if clamped == local {
      // Centre inside the box: push out through the nearest face.
      let gap = h - Vec3(abs(local.x), abs(local.y), abs(local.z))
      var axis = 0
      if gap.y < gap[axis] { axis = 1 }
      if gap.z < gap[axis] { axis = 2 }
      let sign: Double = local[axis] >= 0 ? 1 : -1
      outwardLocal = .zero
      outwardLocal[axis] = sign
      surfaceLocal[axis] = sign * h[axis]
      separation = -gap[axis] - radius
    } else {
      let delta = local - clamped
      let dist = delta.length
      separation = dist - radius
      outwardLocal = delta / dist
    }
    guard separation < margin else { return }
    let outward = box.axes.apply(outwardLocal)
    let onBox = box.position + box.axes.apply(surfaceLocal)
    let onSphere = center - outward * radius
    // Normal from the sphere (first) to the box (second).
    out.add(position: (onBox + onSphere) * 0.5, normal: -outward, separation: separation, feature: feature)
  }

  // MARK: - Capsules

  @inlinable static func closestOnSegment(center: Vec3, axis: Vec3, halfHeight: Double, to p: Vec3) -> Vec3 {
    let t = Swift.min(Swift.max((p - center).dot(axis), -halfHeight), halfHeight)
    return center + axis * t
  }

  static func capsuleCapsule(
    _ pa: BodyPose, _ ra: Double, _ ha: Double, _ pb: BodyPose, _ rb: Double, _ hb: Double,
    margin: Double, into out: inout ContactScratch
  ) {
    let ua = pa.axes.c2
    let ub = pb.axes.c2
    let parallel = ua.cross(ub).lengthSquared < 1e-6
    if parallel && ha > 0 && hb > 0 {
      // Side by side: two contacts at the ends of the overlap keep a lying capsule from
      // rocking; fall back to one if the segments do not overlap lengthwise.
      let t0 = (pa.position - ua * ha - pb.position).dot(ub)
      let t1 = (pa.position + ua * ha - pb.position).dot(ub)
      let lo = Swift.max(Swift.min(t0, t1), -hb)
      let hi = Swift.min(Swift.max(t0, t1), hb)
      if hi - lo > 1e-6 {
        for k: UInt32 in 0..<2 {
          let onB = pb.position + ub * (k == 0 ? lo : hi)
          let onA = closestOnSegment(center: pa.position, axis: ua, halfHeight: ha, to: onB)
          sphereSphere(onA, ra, onB, rb, feature: k, margin: margin, into: &out)
        }
        return
      }
    }
    let (onA, onB) = closestPointsOfSegments(pa.position, ua, ha, pb.position, ub, hb)
    sphereSphere(onA, ra, onB, rb, feature: 2, margin: margin, into: &out)
  }

  /// Closest points of two segments `c ± u·h` (Ericson, Real-Time Collision Detection 5.1.9).
  static func closestPointsOfSegments(
    _ ca: Vec3, _ ua: Vec3, _ ha: Double, _ cb: Vec3, _ ub: Vec3, _ hb: Double
  ) -> (Vec3, Vec3) {
    let r = ca - cb
    let b = ua.dot(ub)
    let c = ua.dot(r)
    let f = ub.dot(r)
    let denom = 1 - b * b
    var s: Double = denom > 1e-12 ? Swift.min(Swift.max((b * f - c) / denom, -ha), ha) : 0
    var t = b * s + f
    if t < -hb {
      t = -hb
      s = Swift.min(Swift.max(-hb * b - c, -ha), ha)
    } else if t > hb {
      t = hb
      s = Swift.min(Swift.max(hb * b - c, -ha), ha)
    }
    return (ca + ua * s, cb + ub * t)
  }

  /// Capsule (first) against box (second). Exact for the nearest point; the patch is an
  /// approximation. The segment point nearest the box is found by alternating projection
  /// (converges for a convex box; six rounds). If the segment lies nearly parallel (within
  /// ~6°) to the box face it is nearest to, the segment is clipped to that face's
  /// rectangle and both ends of the clipped piece become contacts, so a lying capsule rests
  /// on two points, also when it overhangs the box; otherwise the nearest point is the one
  /// contact.
  static func capsuleBox(
    _ pc: BodyPose, _ r: Double, _ hc: Double, _ box: BodyPose, halfExtents h: Vec3, margin: Double,
    into out: inout ContactScratch
  ) {
    let axis = pc.axes.c2
    let p0 = box.axes.applyTransposed(pc.position - axis * hc - box.position)
    let p1 = box.axes.applyTransposed(pc.position + axis * hc - box.position)
    let d = p1 - p0
    let len2 = d.lengthSquared
    var t = 0.5
    var onBox = Vec3.zero
    for _ in 0..<6 {
      let onSegment = p0 + d * t
      onBox = pointwiseMin(pointwiseMax(onSegment, -h), h)
      t = len2 > 0 ? Swift.min(Swift.max((onBox - p0).dot(d) / len2, 0), 1) : 0.5
    }
    let nearest = p0 + d * t
    let gap = nearest - onBox
    if gap != .zero && len2 > 0 {
      // The face the capsule is nearest to, and whether the segment runs along it.
      var k = 0
      if abs(gap.y) > abs(gap[k]) { k = 1 }
      if abs(gap.z) > abs(gap[k]) { k = 2 }
      if abs(d[k]) < 0.1 * len2.squareRoot() {
        let sign: Double = gap[k] >= 0 ? 1 : -1
        var lo = 0.0
        var hi = 1.0
        for i in 0..<3 where i != k {
          // Keep the part of the segment whose projection lies on the face.
          if abs(d[i]) < 1e-12 {
            if abs(p0[i]) > h[i] {
              lo = 1
              hi = 0
            }
          } else {
            let ta = (-h[i] - p0[i]) / d[i]
            let tb = (h[i] - p0[i]) / d[i]
            lo = Swift.max(lo, Swift.min(ta, tb))
            hi = Swift.min(hi, Swift.max(ta, tb))
          }
        }
        if lo <= hi {
          var normalLocal = Vec3.zero
          normalLocal[k] = -sign
          let normal = box.axes.apply(normalLocal)
          for feature: UInt32 in 0..<2 where feature == 0 || hi - lo > 1e-9 {
            let p = p0 + d * (feature == 0 ? lo : hi)
            let separation = sign * p[k] - h[k] - r
            guard separation < margin else { continue }
            var surface = p
            surface[k] = sign * h[k]
            // Midway between the box face and the capsule's surface.
            let mid = (surface + p + normalLocal * r) * 0.5
            out.add(
              position: box.position + box.axes.apply(mid), normal: normal, separation: separation, feature: feature)
          }
          if out.count > 0 { return }
        }
      }
    }
    let center = box.position + box.axes.apply(nearest)
    sphereBox(center: center, radius: r, box, halfExtents: h, feature: 2, margin: margin, into: &out)
  }
}
