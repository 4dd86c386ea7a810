import CMesh
import CTrace
import ScnGeometry

/// A bundle's rays (a camera tile's primary rays, or its sun shadow rays) slab-tested
/// against the bundle's candidate list all at once, before any ray is cast: sixteen rays per
/// vector instruction in C (`CTrace`, AVX-512 where the processor has it; eight with AVX2,
/// otherwise) instead of one ray
/// against four boxes at a time per cast (`FloatRay.slab4`). Each ray then tests only the
/// candidates it enters (`SceneIntersector.closestHit(prepared:…)`, `occluded(prepared:…)`).
/// The kernel does the Swift code's Float32 operations in its order, never fused, so the
/// boxes entered, their entry distances and so every hit are the same (Sources/ScnSensors/
/// README.md, "Ray bundles"; `TileRaysTests` compares them bit for bit).
struct TileRays {
  /// Rays of one bundle: at most a camera tile's.
  static let capacity = RayTable.tileSide * RayTable.tileSide
  /// Per ray: its direction (rays from one point) or its origin (rays along one direction),
  /// x components here, y and z in the two columns of `capacity` doubles that follow.
  let x: UnsafeMutablePointer<Double>
  var y: UnsafeMutablePointer<Double> { x + Self.capacity }
  var z: UnsafeMutablePointer<Double> { x + 2 * Self.capacity }
  /// Per ray, bit k: it enters candidate k; bit 31: it meets the ground first (rays from one
  /// point).
  let entered: UnsafeMutablePointer<UInt32>
  /// Per ray, its upper t after the ground (rays from one point).
  let limit: UnsafeMutablePointer<Double>
  /// Entry distance of ray r into candidate k at `near[k · capacity + r]` (rays from one point).
  let near: UnsafeMutablePointer<Float>
  var count = 0
  /// Which `CTrace` path runs (`CTRACE_PATH_AUTO`: the best the processor has).
  var path = Int32(CTRACE_PATH_AUTO)

  static let groundBit: UInt32 = 1 << 31

  static func withScratch<R>(_ body: (inout TileRays) -> R) -> R {
    let x = UnsafeMutablePointer<Double>.allocate(capacity: 3 * capacity)
    let entered = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
    let limit = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
    let near = UnsafeMutablePointer<Float>.allocate(capacity: capacity * CandidateList.capacity)
    defer {
      x.deallocate()
      entered.deallocate()
      limit.deallocate()
      near.deallocate()
    }
    var rays = TileRays(x: x, entered: entered, limit: limit, near: near)
    return body(&rays)
  }

  /// Adds a ray (its direction, or its origin); the caller checks `count < capacity`.
  @inline(__always)
  mutating func append(_ v: Vec3) {
    x[count] = v.x
    y[count] = v.y
    z[count] = v.z
    count += 1
  }

  /// Ray `r`'s vector as appended.
  @inline(__always)
  func vector(_ r: Int) -> Vec3 { Vec3(x[r], y[r], z[r]) }

  /// Slab-tests the rays from `origin` along the appended directions, over (tMin, tMax) cut
  /// at the ground as `SceneIntersector.closestHit` cuts it, against `list` (not overflowed).
  func prepare(from origin: Vec3, tMin: Double, tMax: Double, includeGround: Bool, list: CandidateList) {
    var constants = ctrace_constants(
      tiny: FloatRay.tiny, upper_scale: FloatRay.upperScale, upper_offset: FloatRay.upperOffset)
    var o = (origin.x, origin.y, origin.z)
    withUnsafeMutablePointer(to: &o) { o in
      o.withMemoryRebound(to: Double.self, capacity: 3) { o in
        ctrace_from_point(
          &constants, o, x, y, z, count, tMin, tMax, includeGround ? 1 : 0, FloatRay.lowerLimit(tMin), list.bounds,
          Swift.min(list.count, CandidateList.capacity), entered, near, Self.capacity, limit, path)
      }
    }
  }

  /// Slab-tests the rays from the appended origins along `direction` over (tMin, tMax)
  /// against `list` (not overflowed).
  func prepare(along direction: Vec3, tMin: Double, tMax: Double, list: CandidateList) {
    let ray = FloatRay(origin: .zero, direction: direction)
    var inverse = (ray.ix, ray.iy, ray.iz)
    withUnsafeMutablePointer(to: &inverse) { inverse in
      inverse.withMemoryRebound(to: Float.self, capacity: 3) { inverse in
        ctrace_along_direction(
          inverse, x, y, z, count, FloatRay.lowerLimit(tMin), FloatRay.upperLimit(tMax), list.bounds,
          Swift.min(list.count, CandidateList.capacity), entered, path)
      }
    }
  }
}

extension SceneIntersector {
  /// `closestHit(…, candidates: list)` for ray `r` of `rays`, prepared from `origin` with
  /// `tMin` against `list` (`TileRays.prepare(from:…)`): the same hit (without
  /// `surfacePoint`, a mesh hit's triangle, barycentric weights and texture coordinates are
  /// left out, as the LiDAR's beams need none). A ray that enters no candidate's box meets
  /// the ground or nothing, answered without the walk's set-up.
  @inline(__always)
  func closestHit(
    prepared rays: TileRays, ray r: Int, origin: Vec3, tMin: Double, list: CandidateList,
    stack: UnsafeMutablePointer<UInt32>, surfacePoint: Bool = true
  ) -> RayHit? {
    let entered = rays.entered[r]
    if entered & ~TileRays.groundBit == 0 {
      return entered & TileRays.groundBit != 0 ? RayHit(t: rays.limit[r], surface: .ground, normal: .unitZ) : nil
    }
    return enteredHit(
      prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack, surfacePoint: surfacePoint)
  }

  /// `closestHit(prepared:…)` for a ray that enters a candidate's box: the walk over the
  /// candidates it enters, then `hit(_:origin:…)`.
  @inline(__always)
  private func enteredHit(
    prepared rays: TileRays, ray r: Int, origin: Vec3, tMin: Double, list: CandidateList,
    stack: UnsafeMutablePointer<UInt32>, surfacePoint: Bool = true
  ) -> RayHit? {
    let entered = rays.entered[r]
    let limit = rays.limit[r]
    let direction = rays.vector(r)
    var scratch = MeshHitScratch(stack: stack + topStackCapacity)
    let found: (t: Double, primitive: Int)? = withUnsafeMutablePointer(to: &scratch) { scratch in
      Traversal.runEntered(
        list, entered: entered & ~TileRays.groundBit, near: rays.near + r, stride: TileRays.capacity,
        primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: limit, scratch: scratch)
    }
    return hit(
      found, origin: origin, direction: direction, limit: limit, ground: entered & TileRays.groundBit != 0,
      scratch: scratch, surfacePoint: surfacePoint)
  }

  /// `PrimaryHit(hit: closestHit(prepared: rays, ray: r, …), direction: rays.vector(r),
  /// litSide: false)` stored at `hit`, for a ray that enters a candidate's box (`castPrepared`
  /// answers the others itself).
  @inline(never)
  func primaryHit(
    prepared rays: TileRays, ray r: Int, origin: Vec3, tMin: Double, list: CandidateList,
    stack: UnsafeMutablePointer<UInt32>, into hit: UnsafeMutablePointer<PrimaryHit>
  ) {
    hit.pointee = PrimaryHit(
      hit: enteredHit(prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack),
      direction: rays.vector(r), litSide: false)
  }

  /// Whether ray `r` of `rays` (prepared from a point) is one `primaryHits` answers: the
  /// nearest box it enters (the first of `Traversal.runEntered`'s order: least entry, then
  /// first listed) is a mesh instance's, entered no farther than its limit (so that
  /// `runEntered` tests that instance first, with the ray's whole window); its position in
  /// `list`, or −1.
  @inline(__always)
  func packetPosition(prepared rays: TileRays, ray r: Int, list: CandidateList) -> Int {
    let entered = rays.entered[r] & ~TileRays.groundBit
    var position = entered.trailingZeroBitCount
    var near = rays.near[position &* TileRays.capacity &+ r]
    var others = entered & (entered &- 1)
    while others != 0 {
      let k = others.trailingZeroBitCount
      others &= others &- 1
      let entry = rays.near[k &* TileRays.capacity &+ r]
      if entry < near { (position, near) = (k, entry) }
    }
    guard position < Swift.min(list.count, CandidateList.capacity),
      primitives.kinds[Int(list.primitives[position])] == .instance, near <= FloatRay.upperLimit(rays.limit[r])
    else { return -1 }
    return position
  }

  /// `primaryHit(prepared:…)` of `count` (1 to `CMESH_PACKET_MAX`) rays of `rays` (their
  /// indices at `indices`) whose nearest box entered is candidate `position` of `list`, a
  /// mesh instance (`packetPosition`), from `packetHits`: the k-th ray's record is stored at
  /// `hits + slots[k]`.
  @inline(never)
  func primaryHits(
    prepared rays: TileRays, indices: UnsafePointer<UInt16>, count: Int, position: Int, origin: Vec3, tMin: Double,
    list: CandidateList, stack: UnsafeMutablePointer<UInt32>, into hits: UnsafeMutablePointer<PrimaryHit>,
    slots: UnsafePointer<UInt16>
  ) {
    packetHits(
      prepared: rays, indices: indices, count: count, position: position, origin: origin, tMin: tMin, list: list,
      stack: stack
    ) { k, direction, hit in
      hits[Int(slots[k])] = PrimaryHit(hit: hit, direction: direction, litSide: false)
    }
  }

  /// `closestHit(prepared:…)` of `count` (1 to `CMESH_PACKET_MAX`) rays of `rays` (their
  /// indices at `indices`) whose nearest box entered is candidate `position` of `list`, a
  /// mesh instance (`packetPosition`): the instance's mesh walked by all of them at once
  /// (`cmesh_intersect_instance_packet`, each ray with its own window), which answers each
  /// ray's own walk's hit, bit for bit; a ray that enters other boxes then tests them as
  /// `Traversal.runEntered` would after that one. `body(k, direction, hit)` receives the k-th
  /// ray's direction and hit (without `surfacePoint`, a mesh hit's triangle, barycentric
  /// weights and texture coordinates are left out, as `closestHit(prepared:…)` leaves them).
  @inline(__always)
  func packetHits(
    prepared rays: TileRays, indices: UnsafePointer<UInt16>, count: Int, position: Int, origin: Vec3, tMin: Double,
    list: CandidateList, stack: UnsafeMutablePointer<UInt32>, surfacePoint: Bool = true,
    _ body: (_ k: Int, _ direction: Vec3, _ hit: RayHit?) -> Void
  ) {
    let prim = Int(list.primitives[position])
    let record = primitives.record(prim)
    let lowerLimit = FloatRay.lowerLimit(tMin)
    let meshStack = stack + topStackCapacity
    withUnsafeTemporaryAllocation(of: cmesh_packet.self, capacity: 1) { packet in
      withUnsafeTemporaryAllocation(of: cmesh_hit.self, capacity: Int(CMESH_PACKET_MAX)) { found in
        guard let packet = packet.baseAddress, let found = found.baseAddress else { return }
        packet.pointee.tiny = FloatRay.tiny
        packet.pointee.upper_scale = FloatRay.upperScale
        packet.pointee.upper_offset = FloatRay.upperOffset
        for k in 0..<count {
          let r = Int(indices[k])
          cmesh_packet_set(
            packet, k, origin.x, origin.y, origin.z, rays.x[r], rays.y[r], rays.z[r], tMin, rays.limit[r], lowerLimit)
        }
        let mask = cmesh_intersect_instance_packet(
          record, primitives.meshes + Int(record[12]), packet, count, meshStack, found, Int32(CMESH_PATH_AUTO))
        for k in 0..<count {
          let r = Int(indices[k])
          let direction = rays.vector(r)
          let kept = mask & (1 << k) != 0
          let hit = kept ? found[k] : cmesh_hit(t: 0, u: 0, v: 0, slot: -1)
          let t = kept ? hit.t : nil
          var scratch = MeshHitScratch(stack: meshStack, slot: hit.slot, u: hit.u, v: hit.v, seed: -1)
          let entered = rays.entered[r] & ~TileRays.groundBit
          let nearest: (t: Double, primitive: Int)?
          if entered & (entered &- 1) == 0 {
            nearest = t.map { ($0, prim) }
          } else {
            nearest = Traversal.runEntered(
              list, entered: entered, near: rays.near + r, stride: TileRays.capacity, primitives: primitives,
              origin: origin, direction: direction, tMin: tMin, tMax: rays.limit[r], scratch: &scratch, first: t)
          }
          body(
            k, direction,
            self.hit(
              nearest, origin: origin, direction: direction, limit: rays.limit[r],
              ground: rays.entered[r] & TileRays.groundBit != 0, scratch: scratch, surfacePoint: surfacePoint))
        }
      }
    }
  }

  /// Walks the rays `walks[0..<count]` of `rays` (prepared from a point against `list`; each
  /// enters a candidate's box), in packets where it can: a ray whose nearest box entered is a
  /// mesh instance's (`packetPosition`) waits in that candidate's bucket (its index and
  /// `slot(r)`), and a full bucket is handed to `packet(indices, slots, n, position)` as one
  /// packet of n rays (for `packetHits`); the other rays, and a bucket left with one ray at the
  /// end, go to `single(r, slot(r))` one by one. Each ray's hit is its own walk's, whatever the
  /// grouping.
  @inline(__always)
  func walkEntered(
    prepared rays: TileRays, walks: UnsafePointer<UInt16>, count: Int, list: CandidateList, slot: (Int) -> Int,
    single: (_ ray: Int, _ slot: Int) -> Void,
    packet: (_ indices: UnsafePointer<UInt16>, _ slots: UnsafePointer<UInt16>, _ count: Int, _ position: Int) -> Void
  ) {
    let packetSize = Int(CMESH_PACKET_MAX)
    let bucketCapacity = CandidateList.capacity * packetSize
    withUnsafeTemporaryAllocation(of: UInt16.self, capacity: 2 * bucketCapacity) { buckets in
      withUnsafeTemporaryAllocation(of: Int.self, capacity: CandidateList.capacity) { fill in
        guard let indices = buckets.baseAddress, let fill = fill.baseAddress else { return }
        let slots = indices + bucketCapacity
        fill.initialize(repeating: 0, count: CandidateList.capacity)
        func flush(_ position: Int) {
          let first = position &* packetSize
          let n = fill[position]
          fill[position] = 0
          if n == 1 {
            single(Int(indices[first]), Int(slots[first]))
            return
          }
          packet(indices + first, slots + first, n, position)
        }
        for w in 0..<count {
          let r = Int(walks[w])
          let position = packetPosition(prepared: rays, ray: r, list: list)
          guard position >= 0 else {
            single(r, slot(r))
            continue
          }
          let at = position &* packetSize &+ fill[position]
          indices[at] = UInt16(truncatingIfNeeded: r)
          slots[at] = UInt16(truncatingIfNeeded: slot(r))
          fill[position] &+= 1
          if fill[position] == packetSize { flush(position) }
        }
        for position in 0..<CandidateList.capacity where fill[position] > 0 { flush(position) }
      }
    }
  }

  /// `occluded(…, candidates: list)` for ray `r` of `rays`, prepared along `direction` with
  /// (tMin, tMax) against `list` (`TileRays.prepare(along:…)`): the same answer, and the same
  /// hint left in the list.
  @inline(__always)
  func occluded(
    prepared rays: TileRays, ray r: Int, direction: Vec3, tMin: Double, tMax: Double, list: CandidateList,
    stack: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    let entered = rays.entered[r]
    guard entered != 0 else { return false }
    let origin = rays.vector(r)
    return withMeshScratch(stack) { scratch in
      Traversal.runEnteredAnyHit(
        list, entered: entered, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax,
        scratch: scratch) != nil
    }
  }
}
