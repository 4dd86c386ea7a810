import ScnScene
import ScnGeometry

/// What a ray hit first.
public struct RayHit: Hashable, Sendable {
  public enum Surface: Hashable, Sendable {
    /// Object `index` (into `RenderScene.objects`).
    case object(index: Int)
    /// Raised stuff `index` (into `RenderScene.stuff.solids`): a kerb or a sidewalk.
    case stuff(index: Int)
    /// The ground plane z = 0 (plain ground or a road band painted on it).
    case ground
  }
  /// Distance along the ray in units of the ray direction's length.
  public var t: Double
  public var surface: Surface
  /// Unit normal facing the ray.
  public var normal: Vec3
  /// The material slot of the surface hit (`SceneIntersector.material(ofSlot:)`); for an
  /// object it is the object's index unless the part hit has a material of its own.
  public var materialSlot: Int
  /// For a hit on a triangle mesh: the triangle's index in its `TriangleMesh` (indices
  /// 3k…3k+2) and the barycentric weights of its second and third vertex; -1 and zero for
  /// other surfaces.
  public var triangle: Int
  public var barycentric: SIMD2<Double>
  /// The mesh's texture coordinates interpolated at the hit (nil: no mesh, or a mesh
  /// without texture coordinates).
  public var uv: SIMD2<Double>?

  public init(
    t: Double, surface: Surface, normal: Vec3, materialSlot: Int? = nil, triangle: Int = -1,
    barycentric: SIMD2<Double> = .zero, uv: SIMD2<Double>? = nil
  ) {
    self.t = t
    self.surface = surface
    self.normal = normal
    self.triangle = triangle
    self.barycentric = barycentric
    self.uv = uv
    if let materialSlot {
      self.materialSlot = materialSlot
    } else if case .object(let index) = surface {
      self.materialSlot = index
    } else {
      self.materialSlot = -1
    }
  }
}

/// The scene prepared for ray casting: primitives (analytic shapes and mesh instances), a
/// BVH over them (rebuilt for each frame, since objects move), one BVH per distinct mesh
/// (shared by its instances), and the ground plane z = 0 tested analytically.
///
/// Immutable once built, so one intersector can serve any number of threads.
public final class SceneIntersector: Sendable {
  public let scene: RenderScene
  /// Wall-clock seconds spent flattening primitives and building the BVH.
  public let buildSeconds: Double
  let table: PrimitiveTable
  let primitives: FlatPrimitives
  let bvh: BVH
  private let indexOfInstance: [UInt32: Int]
  /// Per-object BVHs for objects with many primitives (meshes), used by "as if alone" tests.
  private let objectBVHs: [BVH?]
  /// Traversal stack entries: the scene-level walk's `topStackCapacity`, then the deepest
  /// mesh's walk (see `MeshHitScratch`) twice over (a packet walk's entries are pairs:
  /// `cmesh_intersect_instance_packet`).
  let stackCapacity: Int
  let topStackCapacity: Int
  static let objectBVHThreshold = 32

  /// Prepares `scene`; throws if an object is malformed (bad id, class or shape).
  public init(scene: RenderScene) throws {
    let clock = ContinuousClock()
    let start = clock.now
    var indexOfInstance: [UInt32: Int] = [:]
    for (index, object) in scene.objects.enumerated() {
      guard object.instanceID >= 1, object.instanceID <= 65535 else {
        throw RenderError.instanceIDOutOfRange(object.instanceID)
      }
      guard object.semanticClass > SemanticClass.ground else {
        throw RenderError.reservedSemanticClass(instanceID: object.instanceID, semanticClass: object.semanticClass)
      }
      guard indexOfInstance.updateValue(index, forKey: object.instanceID) == nil else {
        throw RenderError.duplicateInstanceID(object.instanceID)
      }
    }
    self.scene = scene
    self.indexOfInstance = indexOfInstance
    // Stuff solids follow the objects in the table (object indices ≥ objects.count).
    table = try PrimitiveTable(objects: scene.objects + scene.stuff.solids.map(\.asObject))
    primitives = FlatPrimitives(table)
    bvh = BVH(bounds: table.bounds, primitives: (0..<UInt32(table.count)).map { $0 })
    let bounds = table.bounds
    objectBVHs = table.primitivesOfObject.map { mine in
      mine.count > Self.objectBVHThreshold ? BVH(bounds: bounds, primitives: mine) : nil
    }
    topStackCapacity = 2 + Swift.max(bvh.depth, objectBVHs.reduce(0) { Swift.max($0, $1?.depth ?? 0) })
    stackCapacity = topStackCapacity + 2 * primitives.meshStackDepth
    let elapsed = clock.now - start
    buildSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }

  /// The material of a hit's slot, and the index of the object it belongs to.
  public func material(ofSlot slot: Int) -> (material: Material, object: Int)? {
    guard table.materials.indices.contains(slot) else { return nil }
    return (table.materials[slot], Int(table.materialOwner[slot]))
  }

  /// Index into `scene.objects` of the object with this instance id.
  public func objectIndex(ofInstance id: UInt32) -> Int? { indexOfInstance[id] }

  /// Number of BVH nodes (for reports).
  public var nodeCount: Int { bvh.nodeCount }

  /// Distinct meshes (each built once) and their triangles, for reports and tests.
  public var meshCount: Int { table.meshStore.meshes.count }
  public var meshTriangleCount: Int { table.meshStore.meshes.reduce(0) { $0 + $1.triangleCount } }

  /// Runs `body` with mesh-hit scratch whose stack is the mesh part of `stack`.
  @inline(__always)
  func withMeshScratch<R>(
    _ stack: UnsafeMutablePointer<UInt32>, _ body: (UnsafeMutablePointer<MeshHitScratch>) -> R
  ) -> R {
    var scratch = MeshHitScratch(stack: stack + topStackCapacity)
    return withUnsafeMutablePointer(to: &scratch, body)
  }

  /// The nearest hit along `origin + t·direction`, t in (tMin, tMax), ignoring object
  /// `excluding` (an index into `scene.objects`, e.g. the actor the sensor is mounted on).
  public func closestHit(
    origin: Vec3, direction: Vec3, tMin: Double = 0, tMax: Double = .infinity, excluding: Int? = nil,
    includeGround: Bool = true
  ) -> RayHit? {
    withTraversalStack { stack in
      closestHit(
        origin: origin, direction: direction, tMin: tMin, tMax: tMax, excluding: excluding,
        includeGround: includeGround, stack: stack)
    }
  }

  /// Runs `body` with a traversal stack deep enough for this BVH (reuse it for many rays).
  func withTraversalStack<R>(_ body: (UnsafeMutablePointer<UInt32>) -> R) -> R {
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: stackCapacity)
    defer { stack.deallocate() }
    return body(stack)
  }

  /// With `candidates` (culled for a bundle this ray belongs to, without `excluding`'s
  /// primitives) only those are tested; otherwise the whole BVH.
  func closestHit(
    origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, excluding: Int?, includeGround: Bool,
    stack: UnsafeMutablePointer<UInt32>, candidates: CandidateList? = nil
  ) -> RayHit? {
    var limit = tMax
    var ground = false
    if includeGround, direction.z < 0, origin.z > 0 {
      let t = -origin.z / direction.z
      if t > tMin && t < limit {
        limit = t
        ground = true
      }
    }
    // The walk in a small closure of its own and the hit worked out after it: a closure
    // around all of this was not inlined (a thunk per ray, seen with perf).
    var scratch = MeshHitScratch(stack: stack + topStackCapacity)
    let found: (t: Double, primitive: Int)? = withUnsafeMutablePointer(to: &scratch) { scratch in
      if let candidates, !candidates.overflowed {
        return Traversal.runList(
          candidates, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: limit,
          anyHit: false, scratch: scratch)
      }
      let exclude = excluding.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max
      return Traversal.run(
        bvh: bvh, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: limit,
        exclude: exclude, anyHit: false, stack: stack, scratch: scratch)
    }
    return hit(found, origin: origin, direction: direction, limit: limit, ground: ground, scratch: scratch)
  }

  /// The hit of a closest-hit query whose walk found `found` (nil: nothing before `limit`),
  /// `scratch` describing a mesh hit; else the ground at `limit` when `ground`. Without
  /// `surfacePoint` a mesh hit is left without its triangle, barycentric weights and texture
  /// coordinates (-1, zero and nil), which the LiDAR does not read.
  @inline(__always)
  func hit(
    _ found: (t: Double, primitive: Int)?, origin: Vec3, direction: Vec3, limit: Double, ground: Bool,
    scratch: MeshHitScratch, surfacePoint: Bool = true
  ) -> RayHit? {
    if case let (t, prim)? = found {
      let p = origin + direction * t
      let kind = primitives.kinds[prim]
      let n = PrimitiveIntersection.normal(
        kind, primitives.record(prim), at: p, direction: direction, meshes: primitives.meshes, scratch: scratch)
      // A mesh normal already faces the ray (a smooth one may not point against it).
      let facing = kind == .instance ? n : (n.dot(direction) > 0 ? -n : n)
      // Stuff solids follow the objects in the table (object indices ≥ objects.count).
      let index = Int(primitives.objects[prim])
      let count = scene.objects.count
      var hit = RayHit(
        t: t, surface: index < count ? .object(index: index) : .stuff(index: index - count), normal: facing,
        materialSlot: Int(primitives.materialSlots[prim]))
      if surfacePoint && kind == .instance {
        let point = primitives.surfacePoint(prim, slot: scratch.slot, u: scratch.u, v: scratch.v)
        hit.triangle = point.triangle
        hit.barycentric = SIMD2(scratch.u, scratch.v)
        hit.uv = point.uv
      }
      return hit
    }
    if ground { return RayHit(t: limit, surface: .ground, normal: .unitZ) }
    return nil
  }

  /// Whether anything (objects only; the ground cannot shadow a point above it) blocks the
  /// segment t in (tMin, tMax).
  ///
  /// An empty list (a tile whose shadow rays' swept box meets nothing) answers false here, in
  /// the caller, as `Traversal.runList` would: most of a street frame's shadow rays are asked
  /// so, and the call with its walk's set-up cost more than the answer.
  @inline(__always)
  func occluded(
    origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, excluding: Int? = nil,
    stack: UnsafeMutablePointer<UInt32>, candidates: CandidateList? = nil
  ) -> Bool {
    if let candidates, candidates.count == 0 { return false }
    return occludedWalk(
      origin: origin, direction: direction, tMin: tMin, tMax: tMax, excluding: excluding, stack: stack,
      candidates: candidates)
  }

  /// `occluded` with its list's candidates, or the BVH.
  private func occludedWalk(
    origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, excluding: Int?, stack: UnsafeMutablePointer<UInt32>,
    candidates: CandidateList?
  ) -> Bool {
    withMeshScratch(stack) { scratch in
      if let candidates, !candidates.overflowed {
        return Traversal.runList(
          candidates, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax,
          anyHit: true, scratch: scratch) != nil
      }
      let exclude = excluding.map { UInt32(truncatingIfNeeded: $0) } ?? UInt32.max
      return Traversal.run(
        bvh: bvh, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax,
        exclude: exclude, anyHit: true, stack: stack, scratch: scratch) != nil
    }
  }

  /// The nearest hit on object `index` alone (as if nothing else existed).
  func hitAlone(
    object index: Int, origin: Vec3, direction: Vec3, tMax: Double, stack: UnsafeMutablePointer<UInt32>
  ) -> Double? {
    hitAlone(object: index, origin: origin, direction: direction, tMin: 0, tMax: tMax, anyHit: false, stack: stack)
  }

  /// Whether the nearest hit on object `index` alone with t in (0, `far`) lies beyond `near`:
  /// `hitAlone(…, tMax: far)` > `near`, asked as any-hit queries (nothing in (0, near],
  /// something in (near, far)), which stop at the first triangle found instead of walking on
  /// for a nearer one.
  func coversAlone(
    object index: Int, origin: Vec3, direction: Vec3, near: Double, far: Double, stack: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    guard near < far else { return false }
    let tNear = Swift.max(0, near)
    if objectBVHs[index] != nil {
      if near > 0,
        hitAlone(
          object: index, origin: origin, direction: direction, tMin: 0, tMax: near.nextUp, anyHit: true, stack: stack)
          != nil
      {
        return false
      }
      return hitAlone(
        object: index, origin: origin, direction: direction, tMin: tNear, tMax: far, anyHit: true, stack: stack) != nil
    }
    // A few primitives: one pass, each box's slab test once for both questions.
    return withMeshScratch(stack) { scratch in
      let ray = FloatRay(origin: origin, direction: direction)
      let clip = AloneClip(near: near, far: far)
      var beyond = false
      for prim in table.primitivesOfObject[index] {
        let p = Int(prim)
        let b = primitives.bounds + p * 6
        let (entry, exit) = ray.slab(
          lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: clip.lowerLimit,
          upperLimit: clip.upperLimit)
        guard entry <= exit else { continue }
        switch aloneTest(p, entry: entry, origin: origin, direction: direction, clip: clip, askBeyond: !beyond, scratch: scratch)
        {
        case .hidden: return false
        case .beyond: beyond = true
        case .nothing: break
        }
      }
      return beyond
    }
  }

  /// `coversAlone(object:…)` for the object and clip of `target` (`withAloneTarget`): the
  /// same primitives tested in the same order, four slab tests at a time (`FloatRay.slab4`,
  /// the same entry and exit per box as `FloatRay.slab`), for the same answer. When no part
  /// of the object can be within the near clip along this ray (`AloneTarget.pastNearClip`),
  /// the first primitive hit beyond it answers and the rest are not tested: nothing can hide
  /// that hit. Compiled on its own (not inlined into the label pass's pixel loop, where the
  /// vector loads were left as calls).
  @inline(never)
  func coversAlone(
    _ target: AloneTarget, origin: Vec3, direction: Vec3, stack: UnsafeMutablePointer<UInt32>
  ) -> Bool {
    withMeshScratch(stack) { scratch in
      let ray = FloatRay(origin: origin, direction: direction)
      let mine = target.primitives
      let clip = target.clip
      let mayHide = clip.near > 0 && !target.pastNearClip(origin: origin, direction: direction)
      var beyond = false
      var first = 0
      while first < mine.count {
        let (mask, entries) = ray.slab4(
          target.boxes + first * 6, lowerLimit: clip.lowerLimit, upperLimit: clip.upperLimit)
        // Lanes past the end of the object's primitives hold no box.
        var entered = mask & ((1 << Swift.min(4, mine.count - first)) - 1)
        while entered != 0 {
          let lane = entered.trailingZeroBitCount
          entered &= entered - 1
          switch aloneTest(
            Int(mine[first + lane]), entry: entries[lane], origin: origin, direction: direction, clip: clip,
            askBeyond: !beyond, scratch: scratch)
          {
          case .hidden: return false
          case .beyond:
            if !mayHide { return true }
            beyond = true
          case .nothing: break
          }
        }
        first += 4
      }
      return beyond
    }
  }

  /// The near and far clip of `coversAlone` with their Float32 windows for the slab tests
  /// (the window widened as `FloatRay` does, so never too small).
  struct AloneClip {
    let near: Double
    let far: Double
    /// `near.nextUp`: a hit with t below it lies within the near clip.
    let nearEnd: Double
    let lowerLimit: Float
    let upperLimit: Float
    let nearLimit: Float

    init(near: Double, far: Double) {
      self.near = near
      self.far = far
      nearEnd = near.nextUp
      lowerLimit = FloatRay.lowerLimit(0)
      upperLimit = FloatRay.upperLimit(far)
      nearLimit = FloatRay.upperLimit(nearEnd)
    }
  }

  /// Object `index` prepared for many `coversAlone` rays with one clip (`withAloneTarget`):
  /// its primitives, their bounds in groups of four (per group, in the primitives' order: the
  /// lower x, y and z of the four, then the upper x, y and z; lanes past the last primitive
  /// zero) and the clip, worked out once rather than once per ray.
  struct AloneTarget {
    let primitives: UnsafeBufferPointer<UInt32>
    let boxes: UnsafePointer<Float>
    let clip: AloneClip
    /// The union of the primitives' bounds (`objectBounds`).
    let bounds: AABB

    /// Whether every point of the object's bounds lies farther from `origin` than the near
    /// clip reaches along `direction` (t = `clip.nearEnd`), by 1e-4 of that reach and 1 mm
    /// more, far beyond the rounding of a hit point: then no primitive has a hit within the
    /// near clip. A hit at t is t·|direction| from the origin, at least the gap between the
    /// origin and the bounds.
    @inline(__always)
    func pastNearClip(origin o: Vec3, direction d: Vec3) -> Bool {
      // Per axis, scalar (`pointwiseMax` on SIMD3 was a call).
      @inline(__always) func gap(_ lower: Double, _ upper: Double, _ o: Double) -> Double {
        Swift.max(lower - o, o - upper, 0)
      }
      let gx = gap(bounds.lower.x, bounds.upper.x, o.x)
      let gy = gap(bounds.lower.y, bounds.upper.y, o.y)
      let gz = gap(bounds.lower.z, bounds.upper.z, o.z)
      let reach = clip.nearEnd * (1 + 1e-4)
      return gx * gx + gy * gy + gz * gz > reach * reach * d.lengthSquared + 1e-6
    }
  }

  /// What primitive `p`, whose box the ray enters at `entry`, tells `coversAlone`: `.hidden`
  /// when it has a hit within the near clip (the answer is false), `.beyond` when it has one
  /// in (near, far) (asked only with `askBeyond`), else `.nothing`.
  @inline(__always)
  private func aloneTest(
    _ p: Int, entry: Float, origin: Vec3, direction: Vec3, clip: AloneClip, askBeyond: Bool,
    scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> AloneTest {
    // Within the near clip: a hit there hides everything of the object beyond.
    if clip.near > 0, entry <= clip.nearLimit,
      PrimitiveIntersection.intersect(
        primitives.kinds[p], primitives.record(p), origin: origin, direction: direction, tMin: 0,
        tMax: clip.nearEnd, meshes: primitives.meshes, anyHit: true, scratch: scratch) != nil
    {
      return .hidden
    }
    if askBeyond,
      PrimitiveIntersection.intersect(
        primitives.kinds[p], primitives.record(p), origin: origin, direction: direction, tMin: Swift.max(0, clip.near),
        tMax: clip.far, meshes: primitives.meshes, anyHit: true, scratch: scratch) != nil
    {
      return .beyond
    }
    return .nothing
  }

  /// What one primitive tells `coversAlone`.
  private enum AloneTest {
    case hidden
    case beyond
    case nothing
  }

  /// Runs `body` with object `index` prepared for `coversAlone(_:…)` with clip (`near`,
  /// `far`), or with nil where `coversAlone(object:…)` answers without boxes: an object with a
  /// BVH of its own (walked instead), one without primitives, or an empty clip.
  func withAloneTarget<R>(object index: Int, near: Double, far: Double, _ body: (AloneTarget?) -> R) -> R {
    let mine = table.primitivesOfObject[index]
    guard objectBVHs[index] == nil, !mine.isEmpty, near < far else { return body(nil) }
    let groups = (mine.count + 3) / 4
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: groups * 24) { buffer in
      guard let boxes = buffer.baseAddress else { return body(nil) }
      boxes.initialize(repeating: 0, count: groups * 24)
      for (k, prim) in mine.enumerated() {
        let b = primitives.bounds + Int(prim) * 6
        let group = boxes + (k / 4) * 24 + k % 4
        for c in 0..<6 { group[c * 4] = b[c] }
      }
      return mine.withUnsafeBufferPointer { list in
        body(
          AloneTarget(
            primitives: list, boxes: UnsafePointer(boxes), clip: AloneClip(near: near, far: far),
            bounds: objectBounds(index)))
      }
    }
  }

  /// A hit on object `index` alone with t in (tMin, tMax): the nearest, or with `anyHit` the
  /// first found.
  private func hitAlone(
    object index: Int, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, anyHit: Bool,
    stack: UnsafeMutablePointer<UInt32>
  ) -> Double? {
    withMeshScratch(stack) { scratch in
      if let own = objectBVHs[index] {
        return Traversal.run(
          bvh: own, primitives: primitives, origin: origin, direction: direction, tMin: tMin, tMax: tMax,
          exclude: UInt32.max, anyHit: anyHit, stack: stack, scratch: scratch)?.t
      }
      var best: Double? = nil
      var limit = tMax
      let ray = FloatRay(origin: origin, direction: direction)
      let lowerLimit = FloatRay.lowerLimit(tMin)
      var upperLimit = FloatRay.upperLimit(limit)
      for prim in table.primitivesOfObject[index] {
        let p = Int(prim)
        guard primitives.mayHit(p, ray, lowerLimit: lowerLimit, upperLimit: upperLimit) else { continue }
        if let t = PrimitiveIntersection.intersect(
          primitives.kinds[p], primitives.record(p), origin: origin, direction: direction, tMin: tMin, tMax: limit,
          meshes: primitives.meshes, anyHit: anyHit, scratch: scratch)
        {
          if anyHit { return t }
          best = t
          limit = t
          upperLimit = FloatRay.upperLimit(limit)
        }
      }
      return best
    }
  }
}
