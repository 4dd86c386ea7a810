import ScnGeometry

extension PhysicsWorld {
  /// Advances the world by `dt` seconds in `substeps` equal substeps. Each substep runs
  /// the whole pipeline: actors → forces → bounds → broad phase → narrow phase
  /// → contact solver → touch events → integration with position correction → sleeping.
  public mutating func step(dt: Double, substeps: Int = 1) throws(PhysicsError) {
    guard dt.isFinite, dt > 0 else { throw .invalidParameter("dt") }
    guard substeps >= 1 else { throw .invalidParameter("substeps") }
    let h = dt / Double(substeps)
    for _ in 0..<substeps { substep(h) }
    for i in forces.indices where forces[i] != .zero || torques[i] != .zero {
      forces[i] = .zero
      torques[i] = .zero
    }
  }

  @usableFromInline mutating func substep(_ h: Double) {
    advanceActors(h)
    integrateVelocities(h)
    updateBounds(h)
    findCandidatePairs()
    updateContacts(h)
    solveContacts(h)
    // After the solver: a contact it bounced off before the gap closed counts as touching.
    recordTouchChanges()
    integratePositions(h)
    placeActors()
    updateSleep(h)
    if h != substepLength {
      timeOrigin = time
      substepsSinceOrigin = 0
      substepLength = h
    }
    substepsSinceOrigin += 1
    time = timeOrigin + Double(substepsSinceOrigin) * h
  }

  // MARK: - Forces

  mutating func integrateVelocities(_ h: Double) {
    let gh = gravity * h
    for i in 0..<shapes.count where awake[i] && motions[i] == .dynamic {
      var v = linearVelocities[i] + gh + forces[i] * (inverseMasses[i] * h)
      var w = angularVelocities[i] + inverseInertiasWorld[i].apply(torques[i]) * h
      // Implicit damping: stable for any coefficient and step, never reverses velocity.
      let ld = linearDampings[i]
      if ld > 0 { v *= 1 / (1 + h * ld) }
      let ad = angularDampings[i]
      if ad > 0 { w *= 1 / (1 + h * ad) }
      linearVelocities[i] = v
      angularVelocities[i] = w
    }
  }

  /// How far any point of body `i` can move in `h` seconds: its speed plus its spin times
  /// its farthest point's distance from the centre. A tumbling box's corners outrun its
  /// centre; without the spin term they could skip the speculative zone and land deep in
  /// whatever they hit.
  @inlinable func travel(_ i: Int, _ h: Double) -> Double {
    // The shape's radius (`reachRadius(of:)`) was worked out when the body was added.
    (linearVelocities[i].length + angularVelocities[i].length * spinRadii[i]) * h
  }

  // MARK: - Broad phase

  /// Bounds of moving bodies, grown by the speculative margin plus the distance they may
  /// travel this substep so every contact the narrow phase may need is found.
  mutating func updateBounds(_ h: Double) {
    let base = settings.speculativeMargin
    for i in 0..<shapes.count where awake[i] {
      let reach = base + travel(i, h)
      bounds[i] = bodyBounds(i, margin: reach)
    }
  }

  /// Sweep and prune along x. The order is kept between steps and repaired by insertion
  /// sort, which is nearly linear because bodies move little per step; ties break by
  /// index so the order is a pure function of the bounds.
  mutating func findCandidatePairs() {
    candidatePairs.removeAll(keepingCapacity: true)
    let n = sweepOrder.count
    bounds.withUnsafeBufferPointer { box in
      sweepOrder.withUnsafeMutableBufferPointer { order in
        if n > 1 {
          for i in 1..<n {
            let item = order[i]
            let key = box[Int(item)].lower.x
            var j = i - 1
            while j >= 0 {
              let other = order[j]
              let otherKey = box[Int(other)].lower.x
              if otherKey < key || (otherKey == key && other < item) { break }
              order[j + 1] = other
              j -= 1
            }
            order[j + 1] = item
          }
        }
      }
    }
    bounds.withUnsafeBufferPointer { box in
      sweepOrder.withUnsafeBufferPointer { order in
        motions.withUnsafeBufferPointer { motion in
          for i in 0..<n {
            let a = Int(order[i])
            let boxA = box[a]
            let dynamicA = motion[a] == .dynamic
            var j = i + 1
            while j < n {
              let b = Int(order[j])
              let boxB = box[b]
              if boxB.lower.x > boxA.upper.x { break }
              j += 1
              // Pairs of two non-dynamic bodies are kept only when one is kinematic (for
              // collision events). Pairs where nothing moves stay in: their contacts are
              // carried over unchanged, so a sleeping pile keeps its touching state.
              guard dynamicA || motion[b] == .dynamic || motion[a] == .kinematic || motion[b] == .kinematic
              else { continue }
              if boxA.lower.y > boxB.upper.y || boxB.lower.y > boxA.upper.y || boxA.lower.z > boxB.upper.z
                || boxB.lower.z > boxA.upper.z
              {
                continue
              }
              let lo = UInt64(Swift.min(a, b))
              let hi = UInt64(Swift.max(a, b))
              candidatePairs.append(lo << 32 | hi)
            }
          }
        }
      }
    }
    // Planes meet dynamic bodies only (a vehicle always touches the ground; that is not news).
    for plane in planeBodies {
      let p = Int(plane)
      let n = axes[p].c2
      let origin = positions[p]
      for b in 0..<shapes.count where motions[b] == .dynamic {
        let box = bounds[b]
        // The box corner deepest along -n decides whether the plane may be in reach.
        let corner = Vec3(
          n.x >= 0 ? box.lower.x : box.upper.x, n.y >= 0 ? box.lower.y : box.upper.y,
          n.z >= 0 ? box.lower.z : box.upper.z)
        guard (corner - origin).dot(n) <= 0 else { continue }
        let lo = UInt64(Swift.min(p, b))
        let hi = UInt64(Swift.max(p, b))
        candidatePairs.append(lo << 32 | hi)
      }
    }
    candidatePairs.sort()
  }

  // MARK: - Narrow phase, warm-start matching, waking, events

  mutating func updateContacts(_ h: Double) {
    swap(&manifolds, &previousManifolds)
    swap(&points, &previousPoints)
    manifolds.removeAll(keepingCapacity: true)
    points.removeAll(keepingCapacity: true)
    var previousCursor = 0
    let touchTolerance = settings.touchTolerance
    let releaseDistance = Swift.max(settings.touchReleaseDistance, settings.touchTolerance)
    for key in candidatePairs {
      let a = Int(key >> 32)
      let b = Int(key & 0xFFFF_FFFF)
      while previousCursor < previousManifolds.count && previousManifolds[previousCursor].key < key {
        previousCursor += 1
      }
      let previous: Manifold? =
        previousCursor < previousManifolds.count && previousManifolds[previousCursor].key == key
        ? previousManifolds[previousCursor] : nil

      if !awake[a] && !awake[b] {
        // Both asleep (or asleep and static): nothing moved, keep last step's contacts.
        if let previous { keepManifold(previous) }
        continue
      }
      let margin = settings.speculativeMargin + travel(a, h) + travel(b, h)
      Narrowphase.collide(
        shapes[a], BodyPose(position: positions[a], axes: axes[a]),
        shapes[b], BodyPose(position: positions[b], axes: axes[b]),
        margin: margin, into: &scratch)
      let count = scratch.count
      guard count > 0 else { continue }

      var closest = Double.infinity
      var used: UInt32 = 0
      let first = Int32(points.count)
      for k in 0..<count {
        let feature = scratch.features[k]
        var point = ContactPoint(
          position: scratch.positions[k], normal: scratch.normals[k], separation: scratch.separations[k],
          feature: feature, normalImpulse: 0, tangentImpulse1: 0, tangentImpulse2: 0)
        if let previous, let q = matchPrevious(previous, feature: feature, position: point.position, used: &used) {
          point.normalImpulse = previousPoints[q].normalImpulse
          point.tangentImpulse1 = previousPoints[q].tangentImpulse1
          point.tangentImpulse2 = previousPoints[q].tangentImpulse2
        }
        closest = Swift.min(closest, point.separation)
        points.append(point)
      }
      let wasTouching = previous?.touching ?? false
      let touching = closest <= (wasTouching ? releaseDistance : touchTolerance)
      manifolds.append(
        Manifold(
          key: key, bodyA: Int32(a), bodyB: Int32(b), firstPoint: first, pointCount: Int32(count),
          touching: touching))
      wakeOnContact(a, b)
    }
  }

  /// Compares this substep's manifolds with the previous ones (both sorted by pair key)
  /// and records a `began` or `ended` event for every pair whose touching state changed,
  /// in pair order. Runs after the solver, which marks the pairs it bounced apart before
  /// their gap closed as touching (`solveContacts`).
  mutating func recordTouchChanges() {
    var i = 0
    var j = 0
    while i < manifolds.count || j < previousManifolds.count {
      let currentKey = i < manifolds.count ? manifolds[i].key : .max
      let previousKey = j < previousManifolds.count ? previousManifolds[j].key : .max
      if currentKey == previousKey {
        if manifolds[i].touching && !previousManifolds[j].touching {
          record(.began, manifolds[i], points)
        } else if !manifolds[i].touching && previousManifolds[j].touching {
          record(.ended, previousManifolds[j], previousPoints)
        }
        i += 1
        j += 1
      } else if currentKey < previousKey {
        if manifolds[i].touching { record(.began, manifolds[i], points) }
        i += 1
      } else {
        if previousManifolds[j].touching { record(.ended, previousManifolds[j], previousPoints) }
        j += 1
      }
    }
  }

  /// The previous point that a new one continues: the one with the same feature key, or
  /// failing that the nearest within `warmStartRadius` (features can change id when a
  /// clipped corner crosses a face edge). Each previous point is claimed at most once so
  /// an impulse is never warm-started twice.
  private func matchPrevious(_ previous: Manifold, feature: UInt32, position: Vec3, used: inout UInt32) -> Int? {
    let first = Int(previous.firstPoint)
    let count = Int(previous.pointCount)
    for k in 0..<count where used & (1 << UInt32(k)) == 0 && previousPoints[first + k].feature == feature {
      used |= 1 << UInt32(k)
      return first + k
    }
    var best = -1
    var bestDistance = warmStartRadius * warmStartRadius
    for k in 0..<count where used & (1 << UInt32(k)) == 0 {
      let d = (previousPoints[first + k].position - position).lengthSquared
      if d < bestDistance {
        bestDistance = d
        best = k
      }
    }
    guard best >= 0 else { return nil }
    used |= 1 << UInt32(best)
    return first + best
  }

  private var warmStartRadius: Double { 0.01 }

  private mutating func keepManifold(_ m: Manifold) {
    var copy = m
    copy.firstPoint = Int32(points.count)
    points.append(contentsOf: previousPoints[Int(m.firstPoint)..<Int(m.firstPoint + m.pointCount)])
    manifolds.append(copy)
  }

  /// A sleeping body hit by something moving wakes with its island. A neighbour that is
  /// itself nearly at rest does not wake it, so a settled pile can doze off piece by piece.
  private mutating func wakeOnContact(_ a: Int, _ b: Int) {
    func isPushing(_ i: Int) -> Bool {
      switch motions[i] {
      case .dynamic: return awake[i] && restingTime[i] == 0
      case .kinematic: return linearVelocities[i] != .zero || angularVelocities[i] != .zero
      case .static: return false
      }
    }
    if motions[a] == .dynamic && !awake[a] && isPushing(b) { wakeIsland(ofBody: a) }
    if motions[b] == .dynamic && !awake[b] && isPushing(a) { wakeIsland(ofBody: b) }
  }

  private mutating func record(_ kind: ContactEvent.Kind, _ m: Manifold, _ pointList: [ContactPoint]) {
    var deepest = Int(m.firstPoint)
    for q in Int(m.firstPoint)..<Int(m.firstPoint + m.pointCount)
    where pointList[q].separation < pointList[deepest].separation {
      deepest = q
    }
    contactEvents.append(
      ContactEvent(
        kind: kind, time: time, pair: Self.pair(fromKey: m.key), position: pointList[deepest].position,
        normal: pointList[deepest].normal))
    guard kind == .began else { return }
    let at = Self.lowerBound(everTouched, m.key)
    if at == everTouched.count || everTouched[at] != m.key { everTouched.insert(m.key, at: at) }
  }

  // MARK: - Integration

  mutating func integratePositions(_ h: Double) {
    for i in 0..<shapes.count where awake[i] {
      let dynamic = motions[i] == .dynamic
      let v = dynamic ? linearVelocities[i] + pseudoLinear[i] : linearVelocities[i]
      let w = dynamic ? angularVelocities[i] + pseudoAngular[i] : angularVelocities[i]
      positions[i] += v * h
      if dynamic && anisotropic[i] && angularVelocities[i] != .zero {
        turnConservingMomentum(i, h)
      } else if w != .zero {
        setRotation(i, rotations[i].integrated(angularVelocity: w, dt: h))
      }
      pseudoLinear[i] = .zero
      pseudoAngular[i] = .zero
    }
  }

  /// Turns dynamic body `i` for `h` seconds with its angular momentum L (world frame)
  /// held: a body whose principal moments differ changes its angular velocity as it turns
  /// (the gyroscopic term of Euler's equations), ω = R I⁻¹ Rᵀ L. The turn uses the mean of
  /// the angular velocities before and after it (the implicit midpoint rule, which is
  /// time-reversible, so a free body's energy oscillates within a small bound instead of
  /// drifting), found by a fixed three passes of fixed-point iteration (each pass shrinks
  /// the error by about h·|ω|); the angular velocity after is that of the final
  /// orientation, so L is kept to rounding. The split impulse's pseudo-velocity turns the
  /// body too but carries no momentum.
  mutating func turnConservingMomentum(_ i: Int, _ h: Double) {
    let inv = inverseInertiasLocal[i]
    let q0 = rotations[i]
    let omega = angularVelocities[i]
    let pseudo = pseudoAngular[i]
    let f0 = principalFrame(i, axes[i])
    let w0 = f0.applyTransposed(omega)
    let momentum = f0.apply(Vec3(w0.x / inv.x, w0.y / inv.y, w0.z / inv.z))
    var mid = omega
    var q1 = q0
    var omega1 = omega
    for _ in 0..<3 {
      q1 = q0.integrated(angularVelocity: mid + pseudo, dt: h)
      let f1 = principalFrame(i, Mat3(rotation: q1))
      omega1 = f1.apply(f1.applyTransposed(momentum) * inv)
      mid = (omega + omega1) * 0.5
    }
    setRotation(i, q1)
    angularVelocities[i] = omega1
  }

  // MARK: - Sleeping

  mutating func updateSleep(_ h: Double) {
    guard settings.sleepEnabled else { return }
    let linear2 = settings.sleepLinearSpeed * settings.sleepLinearSpeed
    let angular2 = settings.sleepAngularSpeed * settings.sleepAngularSpeed
    let count = shapes.count
    for i in 0..<count {
      islandParent[i] = Int32(i)
      guard awake[i] && motions[i] == .dynamic else { continue }
      if !sleepAllowed[i] || linearVelocities[i].lengthSquared > linear2
        || angularVelocities[i].lengthSquared > angular2
      {
        restingTime[i] = 0
      } else {
        restingTime[i] += h
      }
    }
    // Islands: awake dynamic bodies joined by contacts. Union by smaller index keeps the
    // root (and so the island id) independent of the order unions happen in.
    for m in manifolds where m.pointCount > 0 {
      let a = Int(m.bodyA)
      let b = Int(m.bodyB)
      let dynA = motions[a] == .dynamic && awake[a]
      let dynB = motions[b] == .dynamic && awake[b]
      if dynA && dynB {
        let ra = findRoot(a)
        let rb = findRoot(b)
        if ra != rb { islandParent[Swift.max(ra, rb)] = Int32(Swift.min(ra, rb)) }
      } else if dynA && isMovingKinematic(b) {
        restingTime[a] = 0
      } else if dynB && isMovingKinematic(a) {
        restingTime[b] = 0
      }
    }
    for i in 0..<count { islandMinResting[i] = .infinity }
    for i in 0..<count where awake[i] && motions[i] == .dynamic {
      let r = findRoot(i)
      islandMinResting[r] = Swift.min(islandMinResting[r], restingTime[i])
    }
    for i in 0..<count where awake[i] && motions[i] == .dynamic {
      let r = findRoot(i)
      if islandMinResting[r] >= settings.timeToSleep {
        awake[i] = false
        linearVelocities[i] = .zero
        angularVelocities[i] = .zero
        sleepIsland[i] = Int32(r)
      }
    }
  }

  private func isMovingKinematic(_ i: Int) -> Bool {
    motions[i] == .kinematic && (linearVelocities[i] != .zero || angularVelocities[i] != .zero)
  }

  private mutating func findRoot(_ i: Int) -> Int {
    var r = i
    while Int(islandParent[r]) != r { r = Int(islandParent[r]) }
    // Path compression.
    var j = i
    while Int(islandParent[j]) != r {
      let next = Int(islandParent[j])
      islandParent[j] = Int32(r)
      j = next
    }
    return r
  }

  mutating func wakeIsland(ofBody i: Int) {
    guard motions[i] == .dynamic, !awake[i] else { return }
    let island = sleepIsland[i]
    for j in 0..<shapes.count where !awake[j] && motions[j] == .dynamic && sleepIsland[j] == island {
      awake[j] = true
      restingTime[j] = 0
      sleepIsland[j] = -1
    }
  }
}
