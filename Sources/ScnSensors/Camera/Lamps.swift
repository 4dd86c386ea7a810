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
    /// `light`'s beam with its constants worked out once (`beam(toward:)` per pixel).
    var beam: PreparedBeam
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
        light: light, beam: PreparedBeam(light), colour: SIMD3(light.colour.red, light.colour.green, light.colour.blue),
        owner: light.owner == 0 ? nil : ownerIndex(light.owner), rangeSquared: range * range)
    }
    scale = 1 / Swift.max(1e-3, environment.illuminance)
    extinction = environment.extinction
  }

  var isEmpty: Bool { lamps.isEmpty }
}

/// Per image tile, the scene culled for each lamp's shadow rays: lamp k's list holds the
/// primitives (other than the lamp's owner's) that a segment from a point of box k to the
/// lamp may hit, box k bounding the tile's shadow-ray origins that the lamp may light (in
/// range, facing it, inside its beam). A shadow ray from a point inside box k tests only
/// those candidates; any other falls back to the whole BVH, so the answer never depends on
/// the culling (`BundleRegion`). A lamp that lights none of the tile's points has an empty
/// box and costs nothing more.
///
/// With at most 64 lamps each of the tile's pixels also has a mask of the lamps that may light
/// its surface point (bit k: in range, facing it up to rounding, inside its beam by
/// `PreparedBeam.mayLight`); `lampLight` visits only those, in scene order, and a pixel whose
/// mask is empty skips the lamps altogether. A clear bit is a lamp `lampLightSum` would skip
/// by its own tests, so the sum is the same.
struct LampShadowCulling {
  let lists: UnsafeMutablePointer<CandidateList>
  /// Per lamp: lower and upper corner of the box of origins its list serves.
  let boxes: UnsafeMutablePointer<(lower: Vec3, upper: Vec3)>
  let count: Int
  /// The lamps in range of the box of all the tile's shadow-ray origins, in scene order
  /// (`activeCount` of them): no other lamp lights any of its points, so `lampLight` skips
  /// them without a per-point test.
  let active: UnsafeMutablePointer<Int>
  var activeCount = 0
  /// Per tile slot (`pixels` of them), the lamps that may light its point (bit k for lamp
  /// k); used only when `usesMasks`, and valid only while `activeCount` > 0.
  let masks: UnsafeMutablePointer<UInt64>
  let pixels: Int
  /// At most 64 lamps: one bit each.
  let usesMasks: Bool
  /// The tile slot being shaded (set for each pixel by the shading pass, `ShadingPass.lampCulling(_:)`).
  var pixel = 0

  /// The lamps that may light the point of slot `pixel` (every lamp when masks are not used
  /// or the slot is out of range).
  @inline(__always)
  var pixelMask: UInt64 {
    usesMasks && pixel >= 0 && pixel < pixels ? masks[pixel] : ~0
  }

  /// Runs `body` with scratch for `lamps` lamps and a tile of `pixels` slots (lists empty,
  /// boxes empty).
  static func withScratch<R>(lamps: Int, pixels: Int, _ body: (inout LampShadowCulling) -> R) -> R {
    let n = Swift.max(1, lamps)
    let slots = Swift.max(1, pixels)
    let masks = UnsafeMutablePointer<UInt64>.allocate(capacity: slots)
    masks.initialize(repeating: 0, count: slots)
    let primitives = UnsafeMutablePointer<UInt32>.allocate(capacity: n * CandidateList.capacity)
    let bounds = UnsafeMutablePointer<Float>.allocate(capacity: n * CandidateList.capacity * 6)
    let lists = UnsafeMutablePointer<CandidateList>.allocate(capacity: n)
    let boxes = UnsafeMutablePointer<(lower: Vec3, upper: Vec3)>.allocate(capacity: n)
    let active = UnsafeMutablePointer<Int>.allocate(capacity: n)
    active.initialize(repeating: 0, count: n)
    for k in 0..<n {
      (lists + k).initialize(
        to: CandidateList(
          primitives: primitives + k * CandidateList.capacity, bounds: bounds + k * CandidateList.capacity * 6))
      (boxes + k).initialize(to: (Vec3(repeating: .infinity), Vec3(repeating: -.infinity)))
    }
    defer {
      lists.deinitialize(count: n)
      boxes.deinitialize(count: n)
      active.deinitialize(count: n)
      active.deallocate()
      masks.deinitialize(count: slots)
      masks.deallocate()
      lists.deallocate()
      boxes.deallocate()
      primitives.deallocate()
      bounds.deallocate()
    }
    var culling = LampShadowCulling(
      lists: lists, boxes: boxes, count: lamps, active: active, masks: masks, pixels: slots, usesMasks: lamps <= 64)
    return body(&culling)
  }

  /// Whether lamp k's list serves a shadow ray from `origin`.
  @inline(__always)
  func covers(_ k: Int, _ origin: Vec3) -> Bool {
    guard k < count else { return false }
    let box = boxes[k]
    return origin.x >= box.lower.x && origin.y >= box.lower.y && origin.z >= box.lower.z
      && origin.x <= box.upper.x && origin.y <= box.upper.y && origin.z <= box.upper.z
  }
}

extension SceneIntersector {
  /// The shadow-ray origin for a surface point with normal `n`, towards a lamp (`lampLight`)
  /// or the sun (`renderTile`): the point lifted off the surface so the ray cannot re-hit it.
  /// The lift is 10⁻⁶·(1 + max(|x|, max(|y|, |z|))) with Swift's `max(a, b)`, which is
  /// `b >= a ? b : a`; here as `b > a ? b : a` (one `maxsd`, not a compare and a blend),
  /// which differs only where a == b: magnitudes are never -0, so a and b then have the same
  /// bits (a NaN b gives a in both, a NaN a gives a in both).
  @inline(__always)
  static func shadowOrigin(_ p: Vec3, normal n: Vec3) -> Vec3 {
    let (ax, ay, az) = (abs(p.x), abs(p.y), abs(p.z))
    let yz = az > ay ? az : ay
    let largest = yz > ax ? yz : ax
    let lift = 1e-6 * (1 + largest)
    return p + n * lift
  }

  /// Fills `culling` for the shadow rays to every lamp from the surface points of a tile's
  /// primary hits (rays from `eye`). `hitLower`…`hitUpper` bounds the hit points
  /// (`eye + direction · t`, before the shadow origin's lift): a tile no lamp reaches from
  /// that box, widened by the most the lift moves a point, is done without visiting its hits.
  func cullLampShadows(
    hits: UnsafePointer<PrimaryHit>, count: Int, eye: Vec3, hitLower: Vec3, hitUpper: Vec3, lamps: LampSet,
    into culling: inout LampShadowCulling, stack: UnsafeMutablePointer<UInt32>
  ) {
    culling.activeCount = 0
    if !Self.mayReach(lamps, lower: hitLower, upper: hitUpper) {
      for k in 0..<Swift.min(lamps.lamps.count, culling.count) {
        culling.boxes[k] = (Vec3(repeating: .infinity), Vec3(repeating: -.infinity))
        culling.lists[k].count = 0
      }
      return
    }
    let useMasks = culling.usesMasks && count <= culling.pixels
    if useMasks { culling.masks.update(repeating: 0, count: count) }
    // The shadow-ray origins once for every lamp (the same formula as `lampLight`), and
    // their box: a lamp out of range of the whole box lights none of them, so its per-point
    // tests are skipped (exact: each point's squared distance is at least the box's, as the
    // rounding of each step is monotonic).
    withUnsafeTemporaryAllocation(of: (origin: Vec3, normal: Vec3, slot: Int).self, capacity: Swift.max(1, count)) {
      scratch in
    guard let points = scratch.baseAddress else { return }
    var used = 0
    var tileLower = Vec3(repeating: .infinity)
    var tileUpper = Vec3(repeating: -.infinity)
    for slot in 0..<count {
      guard let (t, n) = hits[slot].distanceAndNormal else { continue }
      let p = eye + hits[slot].direction * t
      let origin = Self.shadowOrigin(p, normal: n)
      points[used] = (origin, n, slot)
      used += 1
      tileLower = lanewiseMin(tileLower, origin)
      tileUpper = lanewiseMax(tileUpper, origin)
    }
    for (k, lamp) in lamps.lamps.enumerated() where k < culling.count {
      var lower = Vec3(repeating: .infinity)
      var upper = Vec3(repeating: -.infinity)
      let q = lamp.light.position
      let gap = pointwiseMax(pointwiseMax(tileLower - q, q - tileUpper), .zero)
      if used > 0, gap.dot(gap) < lamp.rangeSquared {
        culling.active[culling.activeCount] = k
        culling.activeCount += 1
        let bit: UInt64 = k < 64 ? 1 << UInt64(k) : 0
        for i in 0..<used {
          let (origin, n, slot) = points[i]
          let v = q - origin
          let d2 = v.dot(v)
          guard d2 < lamp.rangeSquared, d2 > 1e-12 else { continue }
          // `lampLightSum` skips the lamp where n·(v/d) ≤ 0; n·v and n·(v/d)·d differ by a few
          // ulps of d (n is a unit vector), far below 10⁻⁹·(1 + d²) ≥ 2·10⁻⁹·d.
          let facing = n.dot(v)
          guard facing > -1e-9 * (1 + d2), lamp.beam.mayLight(toward: -(v / d2.squareRoot())) else { continue }
          if useMasks { culling.masks[slot] |= bit }
          guard facing > 0 else { continue }
          lower = lanewiseMin(lower, origin)
          upper = lanewiseMax(upper, origin)
        }
      }
      culling.boxes[k] = (lower, upper)
      if lower.x <= upper.x {
        collectCandidates(
          SegmentsToPoint(lower: lower, upper: upper, target: lamp.light.position),
          exclude: lamp.owner.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max, into: &culling.lists[k],
          stack: stack)
      } else {
        culling.lists[k].count = 0
      }
    }
    }
    // Masks from a tile too large for them would be stale: every lamp for every slot then.
    if !useMasks, culling.usesMasks { culling.masks.update(repeating: ~0, count: culling.pixels) }
  }

  /// Whether any lamp may be in range of a shadow-ray origin of a hit point inside
  /// `lower`…`upper`: the box widened by 4·10⁻⁶·(1 + its largest coordinate), more than
  /// `shadowOrigin`'s lift of at most 10⁻⁶·(1 + |p|∞) along a unit normal, so every origin lies
  /// inside it and its distance to a lamp is at most any origin's (false for an empty box).
  static func mayReach(_ lamps: LampSet, lower: Vec3, upper: Vec3) -> Bool {
    guard lower.x <= upper.x, lower.y <= upper.y, lower.z <= upper.z else { return false }
    let reach = Swift.max(
      Swift.max(Swift.max(abs(lower.x), abs(upper.x)), Swift.max(abs(lower.y), abs(upper.y))),
      Swift.max(abs(lower.z), abs(upper.z)))
    guard reach.isFinite else { return true }
    let widen = Vec3(repeating: 4e-6 * (1 + reach))
    let low = lower - widen
    let high = upper + widen
    for lamp in lamps.lamps {
      let q = lamp.light.position
      let gap = pointwiseMax(pointwiseMax(low - q, q - high), .zero)
      if gap.dot(gap) < lamp.rangeSquared { return true }
    }
    return false
  }

  /// Radiance the lamps add to a surface point of reflectance `brdf` (see `LampSet`).
  /// `object` is the index of the object hit, nil for the ground. Where the tile's culling
  /// leaves no lamp (most of a daylight frame) this is two tests in the caller; the sum is a
  /// call of its own (`lampLightSum`).
  @inline(__always)
  func lampLight(
    at p: Vec3, normal n: Vec3, brdf: SurfaceBRDF, object: Int?, lamps: LampSet, stack: UnsafeMutablePointer<UInt32>,
    culling: LampShadowCulling? = nil
  ) -> SIMD3<Double> {
    if lamps.isEmpty { return .zero }
    if let culling, culling.activeCount == 0 || culling.pixelMask == 0 { return .zero }
    return lampLightSum(at: p, normal: n, brdf: brdf, object: object, lamps: lamps, stack: stack, culling: culling)
  }

  @inline(never)
  private func lampLightSum(
    at p: Vec3, normal n: Vec3, brdf: SurfaceBRDF, object: Int?, lamps: LampSet, stack: UnsafeMutablePointer<UInt32>,
    culling: LampShadowCulling?
  ) -> SIMD3<Double> {
    var sum = SIMD3<Double>.zero
    let origin = Self.shadowOrigin(p, normal: n)
    // With the tile's culling, only the lamps in range of the tile, and of those only the
    // ones the pixel's mask holds when there is one (the same answer, in the same order).
    let mask = culling.map { $0.usesMasks ? $0.pixelMask : 0 } ?? 0
    var remaining = mask
    let candidates = mask != 0 ? mask.nonzeroBitCount : (culling?.activeCount ?? lamps.lamps.count)
    for i in 0..<candidates {
      let k: Int
      if mask != 0 {
        k = remaining.trailingZeroBitCount
        remaining &= remaining &- 1
      } else {
        k = culling.map { $0.active[i] } ?? i
      }
      guard k < lamps.lamps.count else { break }
      let lamp = lamps.lamps[k]
      if let object, lamp.owner == object { continue }
      let v = lamp.light.position - origin
      let d2 = v.dot(v)
      guard d2 < lamp.rangeSquared, d2 > 1e-12 else { continue }
      let d = d2.squareRoot()
      let l = v / d
      let cosTheta = n.dot(l)
      guard cosTheta > 0 else { continue }
      let b = lamp.beam.share(toward: -l)
      guard b > 0 else { continue }
      // The tile's culled list when it serves this origin (the same answer, fewer tests).
      let list = culling.flatMap { $0.covers(k, origin) ? $0.lists[k] : nil }
      if occluded(origin: origin, direction: v, tMin: 0, tMax: 1, excluding: lamp.owner, stack: stack, candidates: list) {
        continue
      }
      var e = lamp.light.intensity * b * cosTheta / d2
      if lamps.extinction > 0 { e *= expDouble(-lamps.extinction * d) }
      sum += lamp.colour * brdf.reflectance(toward: l) * e
    }
    return sum * lamps.scale
  }
}
