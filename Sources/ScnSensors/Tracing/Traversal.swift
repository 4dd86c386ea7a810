import ScnGeometry

/// The BVH walk shared by closest-hit and any-hit queries.
enum Traversal {
  /// Returns the nearest (or, with `anyHit`, the first found) primitive hit with t in
  /// (tMin, tMax), skipping primitives of object `exclude`. `stack` must hold `bvh.depth + 2`;
  /// `scratch` carries the mesh-level stack and receives where a mesh instance was hit.
  @inline(__always)
  static func run(
    bvh: BVH, primitives: FlatPrimitives, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, exclude: UInt32,
    anyHit: Bool, stack: UnsafeMutablePointer<UInt32>, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> (t: Double, primitive: Int)? {
    guard bvh.nodeCount > 0 else { return nil }
    return walk(
      nodes: bvh.nodes, data: primitives.data, kinds: primitives.kinds, objects: primitives.objects,
      bounds: primitives.bounds, leaves: bvh.leaves, meshes: primitives.meshes, origin: origin, direction: direction,
      tMin: tMin, tMax: tMax, exclude: exclude, anyHit: anyHit, stack: stack, scratch: scratch)
  }

  /// The same query over a candidate list (see `CandidateList`): a Float32 slab test on four
  /// candidates' bounds at once, then the exact test of each one entered. The answer is that
  /// of a pass in list order, which keeps the first candidate listed among hits at the same
  /// t: any hit for `anyHit`, else the least (t, list position).
  ///
  /// For `anyHit` (shadow rays), the candidate the list's hint names (`RayHint`: what the
  /// previous ray was blocked by) is tested first when the ray enters its box, its mesh walk
  /// seeded with the triangle hit, and not again; the hint is then set to this ray's blocker.
  /// Any hit is an answer, so the order does not matter. Closest-hit queries do not use the
  /// hint: tested first, the hinted candidate was measured to cost more than it saved on
  /// street_people_roads (its mesh walked with the full limit where a nearer candidate would
  /// have shortened it, and the seed test on rays that hit another triangle; see
  /// `Benchmarks/generate/RESULTS.md`).
  @inline(__always)
  static func runList(
    _ list: CandidateList, primitives: FlatPrimitives, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double,
    anyHit: Bool, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> (t: Double, primitive: Int)? {
    // A tile that sees only sky or bare ground has nothing to test: no ray set-up either.
    guard list.count > 0 else { return nil }
    let ray = FloatRay(origin: origin, direction: direction)
    let lowerLimit = FloatRay.lowerLimit(tMin)
    let lanes = CandidateList.lanes

    guard !anyHit else {
      let upperLimit = FloatRay.upperLimit(tMax)
      return firstHit(
        list, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax, scratch: scratch,
        enters: { position in
          let (lower, upper) = list.box(at: position)
          let (near, far) = ray.slab(lower: lower, upper: upper, lowerLimit: lowerLimit, upperLimit: upperLimit)
          return near <= far
        },
        enteredGroup: { first in
          // Lanes past the end of the list hold no candidate.
          ray.slab4(list.bounds + first * 6, lowerLimit: lowerLimit, upperLimit: upperLimit).entered
            & ((1 << Swift.min(lanes, list.count - first)) - 1)
        })
    }
    // The closest hit: the candidates entered, nearest entry first (list order among equal
    // entries), so that once a hit is found every box entered beyond it is skipped untested.
    let upperLimit = FloatRay.upperLimit(tMax)
    return withUnsafeTemporaryAllocation(of: (near: Float, position: Int).self, capacity: CandidateList.capacity) {
      order in
      guard let order = order.baseAddress else { return nil }
      var count = 0
      var first = 0
      while first < list.count {
        let (mask, near) = ray.slab4(list.bounds + first * 6, lowerLimit: lowerLimit, upperLimit: upperLimit)
        var entered = mask & ((1 << Swift.min(lanes, list.count - first)) - 1)
        while entered != 0 {
          let lane = entered.trailingZeroBitCount
          entered &= entered - 1
          insert((near[lane], first + lane), into: order, count: &count)
        }
        first += lanes
      }
      return nearestOf(
        order, count: count, list: list, primitives: primitives, origin: origin, direction: direction, tMin: tMin,
        tMax: tMax, scratch: scratch)
    }
  }

  /// `runList`'s any hit for a ray whose slab tests against the list were made in advance
  /// (`TileRays`): bit k of `entered` is set when it enters candidate k. The same boxes
  /// entered, so the same candidates tested in the same order, the same answer and hint.
  @inline(__always)
  static func runEnteredAnyHit(
    _ list: CandidateList, entered: UInt32, primitives: FlatPrimitives, origin: Vec3, direction: Vec3, tMin: Double,
    tMax: Double, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> (t: Double, primitive: Int)? {
    guard entered != 0 else { return nil }
    return firstHit(
      list, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax, scratch: scratch,
      enters: { position in entered & (1 << UInt32(truncatingIfNeeded: position)) != 0 },
      enteredGroup: { first in Int((entered >> UInt32(truncatingIfNeeded: first)) & 0xF) })
  }

  /// The any-hit pass over a candidate list (`runList`): the hinted candidate first when
  /// `enters` says the ray enters its box, then, group by group of four, the candidates
  /// `enteredGroup(first)` says it enters (bit k: candidate first + k; none past the list's
  /// end), in list order.
  @inline(__always)
  private static func firstHit(
    _ list: CandidateList, primitives: FlatPrimitives, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double,
    scratch: UnsafeMutablePointer<MeshHitScratch>, enters: (Int) -> Bool, enteredGroup: (Int) -> Int
  ) -> (t: Double, primitive: Int)? {
    /// The exact any-hit test of candidate `prim`, its mesh walk seeded with `seed` (−1:
    /// none).
    @inline(__always)
    func test(_ prim: Int, seed: Int = -1) -> Double? {
      scratch.pointee.seed = seed
      defer { scratch.pointee.seed = -1 }
      return PrimitiveIntersection.intersect(
        primitives.kinds[prim], primitives.record(prim), origin: origin, direction: direction, tMin: tMin,
        tMax: tMax, meshes: primitives.meshes, anyHit: true, scratch: scratch)
    }
    /// Records the blocker found as the list's hint for the next ray.
    @inline(__always)
    func remember(position: Int, primitive prim: Int) {
      guard let hint = list.hint else { return }
      let slot = primitives.kinds[prim] == .instance ? scratch.pointee.slot : -1
      hint.pointee = RayHint(
        position: Int32(truncatingIfNeeded: position), primitive: UInt32(truncatingIfNeeded: prim),
        slot: Int32(truncatingIfNeeded: slot))
    }
    // The hinted candidate, when the ray enters its box: tested first, and skipped below.
    var skip = -1
    if let (position, prim, seed) = list.hinted(), enters(position) {
      skip = position
      if let t = test(prim, seed: seed) {
        remember(position: position, primitive: prim)
        return (t, prim)
      }
    }
    var first = 0
    while first < list.count {
      var entered = enteredGroup(first)
      while entered != 0 {
        let position = first + entered.trailingZeroBitCount
        entered &= entered - 1
        if position == skip { continue }
        let prim = Int(list.primitives[position])
        if let t = test(prim) {
          remember(position: position, primitive: prim)
          return (t, prim)
        }
      }
      first += CandidateList.lanes
    }
    return nil
  }

  /// `runList`'s closest hit for a ray whose slab tests against the list were made in advance
  /// (`TileRays`, the tile's rays at once): bit k of `entered` is set when it enters candidate
  /// k, whose entry distance is `near[k · stride]`. The same entered boxes, the same entry
  /// distances and the same order as `runList` works out for itself, so the same answer.
  @inline(__always)
  static func runEntered(
    _ list: CandidateList, entered: UInt32, near: UnsafePointer<Float>, stride: Int, primitives: FlatPrimitives,
    origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> (t: Double, primitive: Int)? {
    guard entered != 0 else { return nil }
    // One box entered (most rays that enter any): what `nearestOf` does with a one-entry
    // order, without building it: skipped when its entry lies past the limit, else tested
    // with the full limit.
    if entered & (entered &- 1) == 0 {
      let position = entered.trailingZeroBitCount
      if near[position * stride] > FloatRay.upperLimit(tMax) { return nil }
      let prim = Int(list.primitives[position])
      guard
        let t = PrimitiveIntersection.intersect(
          primitives.kinds[prim], primitives.record(prim), origin: origin, direction: direction, tMin: tMin,
          tMax: tMax, meshes: primitives.meshes, anyHit: false, scratch: scratch)
      else { return nil }
      return (t, prim)
    }
    return withUnsafeTemporaryAllocation(of: (near: Float, position: Int).self, capacity: CandidateList.capacity) {
      order in
      guard let order = order.baseAddress else { return nil }
      let count = enteredOrder(entered, near: near, stride: stride, into: order)
      return nearestOf(
        order, count: count, list: list, primitives: primitives, origin: origin, direction: direction, tMin: tMin,
        tMax: tMax, scratch: scratch)
    }
  }

  /// `runEntered` for a ray that enters several boxes, the nearest of which (the first of its
  /// order, entered no farther than `tMax`'s limit) has been tested already with the whole
  /// window: `first` is that test's answer (with a mesh hit in `scratch`). The others are
  /// tested as `runEntered` tests them after it, so the same answer.
  static func runEntered(
    _ list: CandidateList, entered: UInt32, near: UnsafePointer<Float>, stride: Int, primitives: FlatPrimitives,
    origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, scratch: UnsafeMutablePointer<MeshHitScratch>,
    first: Double?
  ) -> (t: Double, primitive: Int)? {
    withUnsafeTemporaryAllocation(of: (near: Float, position: Int).self, capacity: CandidateList.capacity) { order in
      guard let order = order.baseAddress else { return nil }
      let count = enteredOrder(entered, near: near, stride: stride, into: order)
      let position = order[0].position
      return nearestOf(
        order, count: count, list: list, primitives: primitives, origin: origin, direction: direction, tMin: tMin,
        tMax: tMax, scratch: scratch, from: 1, kept: first.map { ($0, position, Int(list.primitives[position])) })
    }
  }

  /// The candidates bit k of `entered` names (entry distance `near[k · stride]`) in `order`,
  /// nearest entry first (`insert`); returns their count.
  @inline(__always)
  private static func enteredOrder(
    _ entered: UInt32, near: UnsafePointer<Float>, stride: Int, into order: UnsafeMutablePointer<(near: Float, position: Int)>
  ) -> Int {
    var count = 0
    var bits = entered
    // At most `capacity` positions: the list holds no more.
    while bits != 0 && count < CandidateList.capacity {
      let position = bits.trailingZeroBitCount
      bits &= bits - 1
      insert((near[position * stride], position), into: order, count: &count)
    }
    return count
  }

  /// Inserts an entered candidate into `order` (nearest entry first, earlier entries first
  /// among equal ones).
  @inline(__always)
  private static func insert(
    _ entry: (near: Float, position: Int), into order: UnsafeMutablePointer<(near: Float, position: Int)>,
    count: inout Int
  ) {
    var slot = count
    while slot > 0 && order[slot - 1].near > entry.near {
      order[slot] = order[slot - 1]
      slot -= 1
    }
    order[slot] = entry
    count += 1
  }

  /// The nearest hit among the candidates entered, in `order` (nearest entry first): once a
  /// hit is found, every box entered beyond it is skipped untested. From entry `start` on,
  /// with `kept` the hit the entries before it gave (t, position, primitive), if any.
  @inline(__always)
  private static func nearestOf(
    _ order: UnsafeMutablePointer<(near: Float, position: Int)>, count: Int, list: CandidateList,
    primitives: FlatPrimitives, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double,
    scratch: UnsafeMutablePointer<MeshHitScratch>, from start: Int = 0,
    kept: (t: Double, position: Int, primitive: Int)? = nil
  ) -> (t: Double, primitive: Int)? {
    var best = kept?.t ?? tMax
    var upperLimit = FloatRay.upperLimit(best)
    var bestPosition = kept?.position ?? Int.max
    var bestPrimitive = kept?.primitive ?? -1
    for k in start..<Swift.max(start, count) {
      let (near, position) = order[k]
      // Entered with the first limit; the nearer one now (a one-box slab test's far end is
      // at most the limit, so the box is missed when its entry is past it).
      if near > upperLimit { break }
      let prim = Int(list.primitives[position])
      // A candidate listed before the best so far wins at the same t, as in list order:
      // its test then admits t up to and including the best's.
      let limit = bestPrimitive >= 0 && position < bestPosition ? best.nextUp : best
      if let t = PrimitiveIntersection.intersect(
        primitives.kinds[prim], primitives.record(prim), origin: origin, direction: direction, tMin: tMin,
        tMax: limit, meshes: primitives.meshes, anyHit: false, scratch: scratch)
      {
        best = t
        bestPosition = position
        bestPrimitive = prim
        upperLimit = FloatRay.upperLimit(best)
      }
    }
    return bestPrimitive >= 0 ? (best, bestPrimitive) : nil
  }

  @inline(__always)
  private static func walk(
    nodes: UnsafeRawPointer, data: UnsafePointer<Double>, kinds: UnsafePointer<PrimitiveTable.Kind>,
    objects: UnsafePointer<UInt32>, bounds: UnsafePointer<Float>, leaves: UnsafePointer<UInt32>,
    meshes: UnsafePointer<MeshView>, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, exclude: UInt32,
    anyHit: Bool, stack: UnsafeMutablePointer<UInt32>, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> (t: Double, primitive: Int)? {
    let ray = FloatRay(origin: origin, direction: direction)
    let lowerLimit = FloatRay.lowerLimit(tMin)
    var best = tMax
    var bestPrimitive = -1
    var upperLimit = FloatRay.upperLimit(best)
    var stackSize = 0
    var node = 0

    let planes = ray.nodePlaneOffsets

    // Scalar per lane: the generic SIMD2 min/max do not inline and cost more than they save.
    @inline(__always)
    func slab(_ base: UnsafeRawPointer, _ lane: Int) -> (near: Float, far: Float) {
      ray.nodeSlab(base, lane: lane, planes: planes, lowerLimit: lowerLimit, upperLimit: upperLimit)
    }

    while true {
      let base = nodes + node * BVH.nodeBytes
      let (near0, far0) = slab(base, 0)
      let (near1, far1) = slab(base, 1)
      let enter0 = near0 <= far0
      let enter1 = near1 <= far1
      let child0 = base.load(fromByteOffset: 48, as: UInt32.self)
      let child1 = base.load(fromByteOffset: 52, as: UInt32.self)
      let count0 = base.load(fromByteOffset: 56, as: UInt32.self)
      let count1 = base.load(fromByteOffset: 60, as: UInt32.self)
      if count0 | count1 == 0 {
        if BVHWalk.descendInterior(
          enter0: enter0, enter1: enter1, nearer1: near1 < near0, child0: child0, child1: child1, node: &node,
          stack: stack, stackSize: &stackSize)
        {
          continue
        }
        break
      }

      // Leaves are tested at once (nearer first); interior children are visited nearer
      // first with the other pushed.
      var nextNode = -1
      var pushNode = -1
      let firstLane = near1 < near0 ? 1 : 0
      for k in 0..<2 {
        let lane = k == 0 ? firstLane : 1 - firstLane
        let entered = lane == 0 ? enter0 : enter1
        if !entered { continue }
        let child = lane == 0 ? child0 : child1
        let count = lane == 0 ? count0 : count1
        if count == 0 {
          if nextNode < 0 { nextNode = Int(child) } else { pushNode = Int(child) }
          continue
        }
        var slot = Int(child)
        let end = slot + Int(count)
        while slot < end {
          let prim = Int(leaves[slot])
          slot += 1
          if objects[prim] == exclude { continue }
          // The primitive's own bounds first: a leaf's box holds several primitives, and a
          // mesh instance's exact test starts with a change of frame and its own walk.
          let b = bounds + prim * 6
          let (primNear, primFar) = ray.slab(
            lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: lowerLimit, upperLimit: upperLimit)
          if primNear > primFar { continue }
          if let t = PrimitiveIntersection.intersect(
            kinds[prim], data + prim * PrimitiveTable.stride, origin: origin, direction: direction, tMin: tMin,
            tMax: best, meshes: meshes, anyHit: anyHit, scratch: scratch)
          {
            if anyHit { return (t, prim) }
            best = t
            bestPrimitive = prim
            upperLimit = FloatRay.upperLimit(best)
          }
        }
      }
      if BVHWalk.advance(next: nextNode, push: pushNode, node: &node, stack: stack, stackSize: &stackSize) {
        continue
      }
      break
    }
    return bestPrimitive >= 0 ? (best, bestPrimitive) : nil
  }
}

/// The node-to-node steps shared by the scene-level walk (`Traversal`) and the mesh-level
/// walk (`MeshTraversal`) of the two-wide BVH: which node comes next and what is deferred on
/// the stack. Both walks visit entered children nearer first (by the slab's entry distance,
/// lane 0 on a tie), so of several hits at the same t the first found is the same whichever
/// path a node takes.
enum BVHWalk {
  /// A node whose two children are both interior (most nodes): with both entered, the nearer
  /// is visited next and the other pushed; with one, it is visited; with neither, the next
  /// deferred node is. The same order as the walks' general path, without its per-lane
  /// selects. Returns false when nothing is left to visit.
  @inline(__always)
  static func descendInterior(
    enter0: Bool, enter1: Bool, nearer1: Bool, child0: UInt32, child1: UInt32, node: inout Int,
    stack: UnsafeMutablePointer<UInt32>, stackSize: inout Int
  ) -> Bool {
    if enter0 && enter1 {
      stack[stackSize] = nearer1 ? child0 : child1
      stackSize += 1
      node = Int(nearer1 ? child1 : child0)
      return true
    }
    if enter0 || enter1 {
      node = Int(enter0 ? child0 : child1)
      return true
    }
    return pop(node: &node, stack: stack, stackSize: &stackSize)
  }

  /// After a node with a leaf child: `push` (an interior child entered after `next`, or −1)
  /// is deferred, then `next` (the first interior child entered, or −1) is visited, or else
  /// the next deferred node. Returns false when nothing is left to visit.
  @inline(__always)
  static func advance(
    next: Int, push: Int, node: inout Int, stack: UnsafeMutablePointer<UInt32>, stackSize: inout Int
  ) -> Bool {
    if push >= 0 {
      stack[stackSize] = UInt32(push)
      stackSize += 1
    }
    if next >= 0 {
      node = next
      return true
    }
    return pop(node: &node, stack: stack, stackSize: &stackSize)
  }

  /// The next deferred node; false when the stack is empty.
  @inline(__always)
  static func pop(node: inout Int, stack: UnsafeMutablePointer<UInt32>, stackSize: inout Int) -> Bool {
    if stackSize == 0 { return false }
    stackSize -= 1
    node = Int(stack[stackSize])
    return true
  }
}

/// Byte offsets of a node's near and far planes for one ray (`FloatRay.nodePlaneOffsets`).
struct NodePlanes {
  let nearX: Int, nearY: Int, nearZ: Int
  let farX: Int, farY: Int, farZ: Int
}

/// A ray rounded to Float32 for the conservative slab tests of BVH nodes and candidate
/// bounds (both padded outwards, see `BVH.conservative`).
struct FloatRay {
  let ox: Float, oy: Float, oz: Float
  /// Inverse direction, kept finite so the slab test never computes infinity × 0.
  let ix: Float, iy: Float, iz: Float

  /// Direction components of magnitude below this are clamped to ±tiny before inversion.
  static let tiny = 1e-30
  /// `upperLimit(t)` = Float(t) · upperScale + upperOffset for finite t.
  static let upperScale: Float = 1.0001
  static let upperOffset: Float = 1e-6

  @inline(__always)
  init(origin: Vec3, direction: Vec3) {
    @inline(__always) func safeInverse(_ d: Double) -> Float {
      let clamped = abs(d) < Self.tiny ? (d < 0 ? -Self.tiny : Self.tiny) : d
      return Float(1 / clamped)
    }
    ox = Float(origin.x)
    oy = Float(origin.y)
    oz = Float(origin.z)
    ix = safeInverse(direction.x)
    iy = safeInverse(direction.y)
    iz = safeInverse(direction.z)
  }

  /// Byte offsets, within a BVH node, of the near and far planes of lane 0 on each axis: the
  /// lower bound where the direction is positive, the upper where it is negative (a node
  /// stores `lowerX[2], lowerY[2], lowerZ[2], upperX[2], …`; see `BVH`).
  @inline(__always)
  var nodePlaneOffsets: NodePlanes {
    NodePlanes(
      nearX: ix < 0 ? 24 : 0, nearY: iy < 0 ? 32 : 8, nearZ: iz < 0 ? 40 : 16, farX: ix < 0 ? 0 : 24,
      farY: iy < 0 ? 8 : 32, farZ: iz < 0 ? 16 : 40)
  }

  /// The slab test of lane `lane` of the BVH node at `base`, reading each axis's near plane
  /// and far plane directly (`planes` from `nodePlaneOffsets`). The inverse direction is
  /// finite and never zero, so (plane − o)·inverse is monotone in the plane and the nearer of
  /// a lane's two planes is known from the sign alone: the result is bit-identical to `slab`
  /// on the same bounds, with six fewer min/max operations.
  @inline(__always)
  func nodeSlab(
    _ base: UnsafeRawPointer, lane: Int, planes: NodePlanes, lowerLimit: Float, upperLimit: Float
  ) -> (near: Float, far: Float) {
    @inline(__always) func minf(_ a: Float, _ b: Float) -> Float { a < b ? a : b }
    @inline(__always) func maxf(_ a: Float, _ b: Float) -> Float { a > b ? a : b }
    @inline(__always) func load(_ offset: Int) -> Float { base.load(fromByteOffset: offset + lane * 4, as: Float.self) }
    let nx = (load(planes.nearX) - ox) * ix
    let ny = (load(planes.nearY) - oy) * iy
    let nz = (load(planes.nearZ) - oz) * iz
    let fx = (load(planes.farX) - ox) * ix
    let fy = (load(planes.farY) - oy) * iy
    let fz = (load(planes.farZ) - oz) * iz
    return (maxf(maxf(nx, ny), maxf(nz, lowerLimit)), minf(minf(fx, fy), minf(fz, upperLimit)))
  }

  /// The Float32 window for a double-precision (tMin, tMax): slab distances carry relative
  /// error ~1e-7, so the window is widened until culling can never reject a box the exact
  /// test would enter.
  @inline(__always)
  static func lowerLimit(_ tMin: Double) -> Float { Float(tMin) * 0.9999 - 1e-6 }

  @inline(__always)
  static func upperLimit(_ tMax: Double) -> Float { tMax.isFinite ? Float(tMax) * upperScale + upperOffset : .infinity }

  /// `slab` on four boxes at once, stored as a `CandidateList` group (lower x of the four,
  /// lower y, lower z, upper x, upper y, upper z): bit k of `entered` is set when the ray
  /// enters box k (near ≤ far), and `near` holds the four entry distances. Each lane computes
  /// exactly what `slab` computes (the same operations in the same order;
  /// `replacing(with:where:)` as below is `minps`/`maxps`).
  @inline(__always)
  func slab4(
    _ group: UnsafePointer<Float>, lowerLimit: Float, upperLimit: Float
  ) -> (entered: Int, near: SIMD4<Float>) {
    typealias F4 = SIMD4<Float>
    let raw = UnsafeRawPointer(group)
    @inline(__always) func load(_ k: Int) -> F4 { raw.loadUnaligned(fromByteOffset: k * 16, as: F4.self) }
    @inline(__always) func minf(_ a: F4, _ b: F4) -> F4 { b.replacing(with: a, where: a .< b) }
    @inline(__always) func maxf(_ a: F4, _ b: F4) -> F4 { b.replacing(with: a, where: a .> b) }
    let (ox, oy, oz) = (F4(repeating: self.ox), F4(repeating: self.oy), F4(repeating: self.oz))
    let (ix, iy, iz) = (F4(repeating: self.ix), F4(repeating: self.iy), F4(repeating: self.iz))
    let ax = (load(0) - ox) * ix
    let bx = (load(3) - ox) * ix
    let ay = (load(1) - oy) * iy
    let by = (load(4) - oy) * iy
    let az = (load(2) - oz) * iz
    let bz = (load(5) - oz) * iz
    let near = maxf(maxf(minf(ax, bx), minf(ay, by)), maxf(minf(az, bz), F4(repeating: lowerLimit)))
    let far = minf(minf(maxf(ax, bx), maxf(ay, by)), minf(maxf(az, bz), F4(repeating: upperLimit)))
    let entered = unsafeBitCast(near .<= far, to: SIMD4<Int32>.self)
    return (Int((entered & SIMD4<Int32>(1, 2, 4, 8)).wrappedSum()), near)
  }

  /// The (near, far) parameter interval of the box clipped to [lowerLimit, upperLimit];
  /// the ray misses when near > far.
  @inline(__always)
  func slab(
    lower: (Float, Float, Float), upper: (Float, Float, Float), lowerLimit: Float, upperLimit: Float
  ) -> (near: Float, far: Float) {
    // Plain compare-and-select maps to one minss/maxss; Swift.min/max add NaN handling the
    // slab test does not need (its inputs are never NaN for finite rays).
    @inline(__always) func minf(_ a: Float, _ b: Float) -> Float { a < b ? a : b }
    @inline(__always) func maxf(_ a: Float, _ b: Float) -> Float { a > b ? a : b }
    let ax = (lower.0 - ox) * ix
    let bx = (upper.0 - ox) * ix
    let ay = (lower.1 - oy) * iy
    let by = (upper.1 - oy) * iy
    let az = (lower.2 - oz) * iz
    let bz = (upper.2 - oz) * iz
    let near = maxf(maxf(minf(ax, bx), minf(ay, by)), maxf(minf(az, bz), lowerLimit))
    let far = minf(minf(maxf(ax, bx), maxf(ay, by)), minf(maxf(az, bz), upperLimit))
    return (near, far)
  }
}
