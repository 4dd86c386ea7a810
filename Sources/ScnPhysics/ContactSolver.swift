import ScnGeometry

extension PhysicsWorld {
  /// Sequential impulses (Catto) with warm starting, Coulomb friction on two tangents
  /// (clamped to the friction circle), restitution above a speed threshold and
  /// speculative contacts, then split-impulse position correction: penetration is removed
  /// with pseudo-velocities that move positions but never enter the real velocities.
  mutating func solveContacts(_ h: Double) {
    prepareConstraints(h)
    guard !constraints.isEmpty else { return }
    let velocityIterations = Swift.max(settings.velocityIterations, 0)
    let positionIterations = Swift.max(settings.positionIterations, 0)
    let warmStarting = settings.warmStarting
    constraints.withUnsafeMutableBufferPointer { cs in
      linearVelocities.withUnsafeMutableBufferPointer { v in
        angularVelocities.withUnsafeMutableBufferPointer { w in
          if warmStarting {
            Self.warmStart(cs, v, w)
          } else {
            for k in 0..<cs.count {
              cs[k].normalImpulse = 0
              cs[k].tangentImpulse1 = 0
              cs[k].tangentImpulse2 = 0
            }
          }
          for _ in 0..<velocityIterations { Self.solveVelocities(cs, v, w) }
        }
      }
      pseudoLinear.withUnsafeMutableBufferPointer { v in
        pseudoAngular.withUnsafeMutableBufferPointer { w in
          for _ in 0..<positionIterations { Self.solvePositions(cs, v, w) }
        }
      }
    }
    for c in constraints {
      let p = Int(c.pointIndex)
      points[p].normalImpulse = c.normalImpulse
      points[p].tangentImpulse1 = c.tangentImpulse1
      points[p].tangentImpulse2 = c.tangentImpulse2
    }
    // A pair the solver bounced apart from a speculative contact (restitution reverses the
    // approach before the gap closes) touched: its event fires now, whatever the speed.
    for k in bouncing {
      let m = manifolds[Int(k)]
      let range = Int(m.firstPoint)..<Int(m.firstPoint + m.pointCount)
      if points[range].contains(where: { $0.normalImpulse > 0 }) { manifolds[Int(k)].touching = true }
    }
  }

  /// A fixed tangent basis from the normal, so accumulated friction impulses keep their
  /// meaning from step to step (needed for warm starting).
  @inlinable static func tangentBasis(_ n: Vec3) -> (Vec3, Vec3) {
    let t1 = abs(n.x) >= 0.57735 ? Vec3(n.y, -n.x, 0).normalized : Vec3(0, n.z, -n.y).normalized
    return (t1, n.cross(t1))
  }

  /// Builds the constraints of this substep's contacts, and lists in `bouncing` the
  /// manifolds (not touching yet) of which a contact bounces before its gap closes.
  mutating func prepareConstraints(_ h: Double) {
    constraints.removeAll(keepingCapacity: true)
    bouncing.removeAll(keepingCapacity: true)
    let slop = settings.linearSlop
    let beta = settings.positionCorrection
    let threshold = settings.restitutionThreshold
    let touchTolerance = settings.touchTolerance
    for (index, m) in manifolds.enumerated() {
      let a = Int(m.bodyA)
      let b = Int(m.bodyB)
      // Only awake dynamic bodies respond; everything else acts as infinitely heavy.
      let respondsA = awake[a] && motions[a] == .dynamic
      let respondsB = awake[b] && motions[b] == .dynamic
      guard respondsA || respondsB else { continue }
      let mA = respondsA ? inverseMasses[a] : 0
      let mB = respondsB ? inverseMasses[b] : 0
      let iA = respondsA ? inverseInertiasWorld[a] : Mat3.zero
      let iB = respondsB ? inverseInertiasWorld[b] : Mat3.zero
      let friction = (frictions[a] * frictions[b]).squareRoot()
      let restitution = Swift.max(restitutions[a], restitutions[b])
      let xA = positions[a]
      let xB = positions[b]
      let vA = linearVelocities[a]
      let vB = linearVelocities[b]
      let wA = angularVelocities[a]
      let wB = angularVelocities[b]
      for p in Int(m.firstPoint)..<Int(m.firstPoint + m.pointCount) {
        let point = points[p]
        let n = point.normal
        let (t1, t2) = Self.tangentBasis(n)
        let rA = point.position - xA
        let rB = point.position - xB
        let rAxN = rA.cross(n)
        let rBxN = rB.cross(n)
        let rAxT1 = rA.cross(t1)
        let rBxT1 = rB.cross(t1)
        let rAxT2 = rA.cross(t2)
        let rBxT2 = rB.cross(t2)
        let angNA = iA.apply(rAxN)
        let angNB = iB.apply(rBxN)
        let angT1A = iA.apply(rAxT1)
        let angT1B = iB.apply(rBxT1)
        let angT2A = iA.apply(rAxT2)
        let angT2B = iB.apply(rBxT2)
        let kN = mA + mB + rAxN.dot(angNA) + rBxN.dot(angNB)
        let kT1 = mA + mB + rAxT1.dot(angT1A) + rBxT1.dot(angT1B)
        let kT2 = mA + mB + rAxT2.dot(angT2A) + rBxT2.dot(angT2B)
        let separation = point.separation
        let vn = (vB - vA).dot(n) + wB.dot(rBxN) - wA.dot(rAxN)
        var velocityBias = 0.0
        if separation > 0 {
          // Speculative: may approach until the gap closes, not further.
          velocityBias = -separation / h
        }
        if restitution > 0 && vn < -threshold && separation + vn * h < 0 {
          velocityBias = -restitution * vn
          // The bounce starts before the gap closes: the solver makes the contact now.
          if separation > touchTolerance && !m.touching && bouncing.last != Int32(index) {
            bouncing.append(Int32(index))
          }
        }
        let positionBias = separation < -slop ? beta * (-separation - slop) / h : 0
        constraints.append(
          ContactConstraint(
            bodyA: m.bodyA, bodyB: m.bodyB, invMassA: mA, invMassB: mB, normal: n, tangent1: t1, tangent2: t2,
            rAxN: rAxN, rBxN: rBxN, rAxT1: rAxT1, rBxT1: rBxT1, rAxT2: rAxT2, rBxT2: rBxT2,
            angNA: angNA, angNB: angNB, angT1A: angT1A, angT1B: angT1B, angT2A: angT2A, angT2B: angT2B,
            normalMass: kN > 0 ? 1 / kN : 0, tangentMass1: kT1 > 0 ? 1 / kT1 : 0,
            tangentMass2: kT2 > 0 ? 1 / kT2 : 0, friction: friction, velocityBias: velocityBias,
            positionBias: positionBias, normalImpulse: point.normalImpulse,
            tangentImpulse1: point.tangentImpulse1, tangentImpulse2: point.tangentImpulse2, pseudoImpulse: 0,
            pointIndex: Int32(p)))
      }
    }
  }

  @inlinable static func warmStart(
    _ cs: UnsafeMutableBufferPointer<ContactConstraint>, _ v: UnsafeMutableBufferPointer<Vec3>,
    _ w: UnsafeMutableBufferPointer<Vec3>
  ) {
    for k in 0..<cs.count {
      let c = cs[k]
      let a = Int(c.bodyA)
      let b = Int(c.bodyB)
      let impulse = c.normal * c.normalImpulse + c.tangent1 * c.tangentImpulse1 + c.tangent2 * c.tangentImpulse2
      v[a] -= impulse * c.invMassA
      v[b] += impulse * c.invMassB
      w[a] -= c.angNA * c.normalImpulse + c.angT1A * c.tangentImpulse1 + c.angT2A * c.tangentImpulse2
      w[b] += c.angNB * c.normalImpulse + c.angT1B * c.tangentImpulse1 + c.angT2B * c.tangentImpulse2
    }
  }

  @inlinable static func solveVelocities(
    _ cs: UnsafeMutableBufferPointer<ContactConstraint>, _ v: UnsafeMutableBufferPointer<Vec3>,
    _ w: UnsafeMutableBufferPointer<Vec3>
  ) {
    for k in 0..<cs.count {
      let c = cs[k]
      let a = Int(c.bodyA)
      let b = Int(c.bodyB)
      var vA = v[a]
      var wA = w[a]
      var vB = v[b]
      var wB = w[b]

      // Friction first, bounded by the current normal impulse (friction circle).
      let dv = vB - vA
      let vt1 = dv.dot(c.tangent1) + wB.dot(c.rBxT1) - wA.dot(c.rAxT1)
      let vt2 = dv.dot(c.tangent2) + wB.dot(c.rBxT2) - wA.dot(c.rAxT2)
      var l1 = c.tangentImpulse1 - vt1 * c.tangentMass1
      var l2 = c.tangentImpulse2 - vt2 * c.tangentMass2
      let maxFriction = c.friction * c.normalImpulse
      let len2 = l1 * l1 + l2 * l2
      if len2 > maxFriction * maxFriction {
        let scale = len2 > 0 ? maxFriction / len2.squareRoot() : 0
        l1 *= scale
        l2 *= scale
      }
      let d1 = l1 - c.tangentImpulse1
      let d2 = l2 - c.tangentImpulse2
      let pt = c.tangent1 * d1 + c.tangent2 * d2
      vA -= pt * c.invMassA
      vB += pt * c.invMassB
      wA -= c.angT1A * d1 + c.angT2A * d2
      wB += c.angT1B * d1 + c.angT2B * d2

      // Normal: non-penetration (or bounce / speculative target), impulse never pulls.
      let vn = (vB - vA).dot(c.normal) + wB.dot(c.rBxN) - wA.dot(c.rAxN)
      let ln = Swift.max(c.normalImpulse - c.normalMass * (vn - c.velocityBias), 0)
      let dn = ln - c.normalImpulse
      let pn = c.normal * dn
      vA -= pn * c.invMassA
      vB += pn * c.invMassB
      wA -= c.angNA * dn
      wB += c.angNB * dn

      v[a] = vA
      w[a] = wA
      v[b] = vB
      w[b] = wB
      // Store only the three impulses, not the whole 600-byte constraint.
      cs[k].tangentImpulse1 = l1
      cs[k].tangentImpulse2 = l2
      cs[k].normalImpulse = ln
    }
  }

  @inlinable static func solvePositions(
    _ cs: UnsafeMutableBufferPointer<ContactConstraint>, _ v: UnsafeMutableBufferPointer<Vec3>,
    _ w: UnsafeMutableBufferPointer<Vec3>
  ) {
    for k in 0..<cs.count {
      let c = cs[k]
      let a = Int(c.bodyA)
      let b = Int(c.bodyB)
      let vn = (v[b] - v[a]).dot(c.normal) + w[b].dot(c.rBxN) - w[a].dot(c.rAxN)
      let lp = Swift.max(c.pseudoImpulse + c.normalMass * (c.positionBias - vn), 0)
      let dp = lp - c.pseudoImpulse
      cs[k].pseudoImpulse = lp
      let p = c.normal * dp
      v[a] -= p * c.invMassA
      v[b] += p * c.invMassB
      w[a] -= c.angNA * dp
      w[b] += c.angNB * dp
    }
  }
}
