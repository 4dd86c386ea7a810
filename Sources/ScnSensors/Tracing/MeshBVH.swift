import CMesh
import ScnGeometry

/// Size limits for triangle meshes, checked before anything is allocated for them.
public enum MeshLimits {
  /// Triangles in one mesh (indices / 3, degenerate ones included).
  public static let maxTrianglesPerMesh = 1 << 20
  /// Triangles over all distinct meshes of one scene. Instances of one mesh count once: the
  /// mesh is stored once, whatever the number of instances.
  public static let maxTrianglesPerScene = 1 << 22
}

/// The shape of a mesh BVH apart from its bounds: how its nodes link and which triangle each
/// leaf slot holds. Meshes with the same index list over the same number of vertices, whose
/// degenerate triangles are the same, can share it: a person's body part in every gait phase
/// (the same tessellation with moved vertices), a parametric vehicle's cabin at every size.
/// The BVH of such a mesh is then a refit (`MeshBVH.init(refitting:…)`: the bounds recomputed
/// bottom-up, linear in the triangles) instead of a new SAH build. See the ScnSensors
/// README, "Acceleration structure".
///
/// Immutable after `init`.
final class MeshTopology: @unchecked Sendable {
  // @unchecked: `triangleOfSlot` is written only in `init` and read-only afterwards.
  struct Link {
    let child0: UInt32
    let child1: UInt32
    let count0: UInt32
    let count1: UInt32
  }

  /// Per node (node 0 the root, children after their parents), its two child references.
  let links: [Link]
  /// Per leaf slot, the mesh triangle stored there (its index in `indices` / 3).
  let triangleOfSlot: UnsafeMutablePointer<UInt32>
  /// The BVH's leaf table (slot → index among the non-degenerate triangles).
  let leafOrder: [UInt32]
  let depth: Int
  /// Non-degenerate triangles (leaf slots) and all triangles of the mesh.
  let slotCount: Int
  let declaredCount: Int

  init(bvh: BVH, nodes: [BVH.BuildNode], kept: [Int], declaredCount: Int) {
    links = nodes.map { Link(child0: $0.child0, child1: $0.child1, count0: $0.count0, count1: $0.count1) }
    leafOrder = Array(UnsafeBufferPointer(start: bvh.leaves, count: kept.count))
    depth = bvh.depth
    slotCount = kept.count
    self.declaredCount = declaredCount
    triangleOfSlot = .allocate(capacity: Swift.max(1, kept.count))
    for slot in 0..<kept.count { triangleOfSlot[slot] = UInt32(kept[Int(bvh.leaves[slot])]) }
  }

  deinit { triangleOfSlot.deallocate() }

  /// Bytes held (for the topology table's bound).
  var byteCount: Int {
    links.count * MemoryLayout<Link>.stride + slotCount * 2 * MemoryLayout<UInt32>.stride
  }
}

/// One triangle mesh prepared for ray casting in its own frame: a BVH over its triangles
/// (the bottom level of the two-level hierarchy), the triangles' vertices copied in leaf
/// order so that a leaf's triangles are contiguous, and per-vertex normals where the mesh
/// has them. Built once per distinct mesh and shared by every instance of it.
///
/// Immutable after `init`.
final class MeshBVH: @unchecked Sendable {
  // @unchecked: the storage below is written only in `init` and read-only afterwards.
  let bvh: BVH
  /// The tree's shape, shared with every mesh refitted from it.
  let topology: MeshTopology
  /// Nine doubles per triangle (v0, v1, v2), indexed by leaf slot.
  let triangles: UnsafeMutablePointer<Double>
  /// Nine doubles per triangle (unit normals at v0, v1, v2), indexed by leaf slot; nil when
  /// the mesh has no per-vertex normals (the geometric normal is used).
  let normals: UnsafeMutablePointer<Double>?
  /// Six floats per triangle (u, v at v0, v1, v2), indexed by leaf slot; nil when the mesh
  /// has no texture coordinates. Read only once a hit is found (`SceneIntersector`), never
  /// by the traversal. The triangle's index in the mesh is `topology.triangleOfSlot`.
  let uvs: UnsafeMutablePointer<Float>?
  /// Non-degenerate triangles stored.
  let triangleCount: Int
  /// Bounds of the stored triangles in the mesh frame (empty for a mesh of only degenerate
  /// triangles).
  let bounds: AABB

  deinit {
    triangles.deallocate()
    normals?.deallocate()
    uvs?.deallocate()
  }

  /// Checks what both initialisers need; returns the number of triangles.
  private static func validate(
    vertices: [Vec3], indices: [UInt32], normals vertexNormals: [Vec3]?, reject: (String) -> RenderError
  ) throws -> Int {
    guard indices.count % 3 == 0 else { throw reject("mesh index count is not a multiple of 3") }
    let declared = indices.count / 3
    guard declared <= MeshLimits.maxTrianglesPerMesh else {
      throw reject("mesh has \(declared) triangles, more than the limit of \(MeshLimits.maxTrianglesPerMesh)")
    }
    guard allFinite(vertices) else { throw reject("non-finite mesh vertex") }
    if let vertexNormals {
      guard vertexNormals.count == vertices.count else {
        throw reject("mesh has \(vertexNormals.count) normals for \(vertices.count) vertices")
      }
      guard allFinite(vertexNormals) else { throw reject("non-finite mesh normal") }
    }
    return declared
  }

  /// Whether every coordinate of `points` is finite: x − x is 0 for a finite x and NaN for
  /// an infinite or NaN one, and a NaN term leaves the sum NaN (one subtraction and one
  /// addition per vector instead of three tests; every refit checks its mesh's vertices and
  /// normals, `MeshBVHCache`).
  static func allFinite(_ points: [Vec3]) -> Bool {
    points.withUnsafeBufferPointer { points in
      var sum = Vec3.zero
      for p in points { sum += p - p }
      return sum == .zero
    }
  }

  /// Validates and builds (binned SAH over the triangles' boxes). `reject` turns a reason
  /// into the error to throw (it names the object the mesh belongs to).
  init(
    vertices: [Vec3], indices: [UInt32], normals vertexNormals: [Vec3]?, uvs vertexUVs: [SIMD2<Float>]? = nil,
    reject: (String) -> RenderError
  ) throws {
    let declared = try Self.validate(vertices: vertices, indices: indices, normals: vertexNormals, reject: reject)
    var kept: [Int] = []
    kept.reserveCapacity(declared)
    var boxes: [AABB] = []
    boxes.reserveCapacity(declared)
    for triangle in 0..<declared {
      let (i0, i1, i2) = (Int(indices[3 * triangle]), Int(indices[3 * triangle + 1]), Int(indices[3 * triangle + 2]))
      guard i0 < vertices.count, i1 < vertices.count, i2 < vertices.count else {
        throw reject("mesh index out of range")
      }
      let (v0, v1, v2) = (vertices[i0], vertices[i1], vertices[i2])
      // A triangle of zero area covers nothing (and no ray can hit it watertightly anyway).
      if (v1 - v0).cross(v2 - v0) == .zero { continue }
      kept.append(triangle)
      boxes.append(AABB(lower: v0, upper: v0).union(v1).union(v2))
    }
    var builder = BVH.Builder(bounds: boxes, order: (0..<UInt32(kept.count)).map { $0 })
    builder.buildRoot()
    bvh = BVH(nodes: builder.nodes, leaves: builder.order, depth: builder.depth)
    topology = MeshTopology(bvh: bvh, nodes: builder.nodes, kept: kept, declaredCount: declared)
    triangleCount = kept.count
    bounds = boxes.reduce(AABB.empty) { $0.union($1) }
    (triangles, normals, uvs) = Self.store(
      vertices: vertices, indices: indices, normals: vertexNormals, uvs: vertexUVs, topology: topology)
  }

  /// The BVH of a mesh whose index list and vertex count are those `topology` was built for,
  /// by refitting: the same tree with every node's bounds recomputed from the new vertices.
  /// Returns nil when the mesh's degenerate triangles differ from the topology's (the caller
  /// then builds). The tree is as deep as the original; its quality depends on how far the
  /// vertices moved, never its answers (see `MeshTraversal.intersect`).
  init?(
    refitting topology: MeshTopology, vertices: [Vec3], indices: [UInt32], normals vertexNormals: [Vec3]?,
    uvs vertexUVs: [SIMD2<Float>]? = nil, reject: (String) -> RenderError
  ) throws {
    let declared = try Self.validate(vertices: vertices, indices: indices, normals: vertexNormals, reject: reject)
    guard declared == topology.declaredCount else { return nil }
    let count = topology.slotCount
    // Slot boxes, and whether the non-degenerate triangles are exactly the topology's; then
    // the nodes bottom-up. Raw buffers: this runs for every body part of every walking
    // person in every frame (`MeshBVHCache`).
    let vertexCount = vertices.count
    let links = topology.links
    // The triangles in leaf-slot order are written as the slot boxes are worked out (the
    // corners are at hand), and the nodes straight into the tree's storage: no second pass
    // over the mesh (`store`) and no array of build nodes to convert (`BVH.init(nodes:…)`).
    let triangles = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, count * 9))
    let tree = BVH.Storage(nodeCount: links.count)
    let root: AABB? = vertices.withUnsafeBufferPointer { vertices in
      indices.withUnsafeBufferPointer { indices in
        links.withUnsafeBufferPointer { links in
          // Boxes as six doubles (lower x, y, z, upper x, y, z) with scalar min / max: the
          // same values as `AABB.union`, whose SIMD3 form cost more than the rest of the refit.
          withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(1, 6 * count)) { boxes in
            @inline(__always) func corners(_ triangle: Int) -> (Vec3, Vec3, Vec3)? {
              let (i0, i1, i2) = (Int(indices[3 * triangle]), Int(indices[3 * triangle + 1]), Int(indices[3 * triangle + 2]))
              guard i0 < vertexCount, i1 < vertexCount, i2 < vertexCount else { return nil }
              return (vertices[i0], vertices[i1], vertices[i2])
            }
            // `pointwiseMin` / `pointwiseMax` lane by lane (the first operand kept on a tie).
            @inline(__always) func low(_ a: Double, _ b: Double) -> Double { b < a ? b : a }
            @inline(__always) func high(_ a: Double, _ b: Double) -> Double { a < b ? b : a }
            for slot in 0..<count {
              guard let (v0, v1, v2) = corners(Int(topology.triangleOfSlot[slot])) else { return nil }
              if (v1 - v0).cross(v2 - v0) == .zero { return nil }
              let q = triangles + 9 * slot
              (q[0], q[1], q[2]) = (v0.x, v0.y, v0.z)
              (q[3], q[4], q[5]) = (v1.x, v1.y, v1.z)
              (q[6], q[7], q[8]) = (v2.x, v2.y, v2.z)
              let box = 6 * slot
              boxes[box] = low(low(v0.x, v1.x), v2.x)
              boxes[box + 1] = low(low(v0.y, v1.y), v2.y)
              boxes[box + 2] = low(low(v0.z, v1.z), v2.z)
              boxes[box + 3] = high(high(v0.x, v1.x), v2.x)
              boxes[box + 4] = high(high(v0.y, v1.y), v2.y)
              boxes[box + 5] = high(high(v0.z, v1.z), v2.z)
            }
            if count < declared {
              var nonDegenerate = 0
              for triangle in 0..<declared {
                guard let (v0, v1, v2) = corners(triangle) else { return nil }
                if (v1 - v0).cross(v2 - v0) != .zero { nonDegenerate += 1 }
              }
              guard nonDegenerate == count else { return nil }
            }
            // Children come after their parents, so one backward pass sees every child first.
            // Each node's lanes go to the tree as `BVH.init(nodes:…)` stores a build node's.
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(1, 6 * links.count)) {
              nodeBox in
              // A while loop: `stride(from:through:by:)` was a call per node (seen with callgrind).
              var index = links.count - 1
              while index >= 0 {
                let link = links[index]
                @inline(__always) func laneBox(_ child: UInt32, _ size: UInt32) -> (Vec3, Vec3) {
                  if size == 0 {
                    let b = 6 * Int(child)
                    return (
                      Vec3(nodeBox[b], nodeBox[b + 1], nodeBox[b + 2]),
                      Vec3(nodeBox[b + 3], nodeBox[b + 4], nodeBox[b + 5])
                    )
                  }
                  var (lx, ly, lz) = (Double.infinity, Double.infinity, Double.infinity)
                  var (ux, uy, uz) = (-Double.infinity, -Double.infinity, -Double.infinity)
                  for slot in Int(child)..<(Int(child) + Int(size)) {
                    let b = 6 * slot
                    (lx, ly, lz) = (low(lx, boxes[b]), low(ly, boxes[b + 1]), low(lz, boxes[b + 2]))
                    (ux, uy, uz) = (high(ux, boxes[b + 3]), high(uy, boxes[b + 4]), high(uz, boxes[b + 5]))
                  }
                  return (Vec3(lx, ly, lz), Vec3(ux, uy, uz))
                }
                let (lower0, upper0) = laneBox(link.child0, link.count0)
                let (lower1, upper1) = laneBox(link.child1, link.count1)
                tree.store(
                  node: index, lower: (lower0, lower1), upper: (upper0, upper1), child: (link.child0, link.child1),
                  count: (link.count0, link.count1))
                let b = 6 * index
                nodeBox[b] = low(lower0.x, lower1.x)
                nodeBox[b + 1] = low(lower0.y, lower1.y)
                nodeBox[b + 2] = low(lower0.z, lower1.z)
                nodeBox[b + 3] = high(upper0.x, upper1.x)
                nodeBox[b + 4] = high(upper0.y, upper1.y)
                nodeBox[b + 5] = high(upper0.z, upper1.z)
                index -= 1
              }
              return links.isEmpty
                ? .empty
                : AABB(
                  lower: Vec3(nodeBox[0], nodeBox[1], nodeBox[2]), upper: Vec3(nodeBox[3], nodeBox[4], nodeBox[5]))
            }
          }
        }
      }
    }
    guard let root else {
      triangles.deallocate()
      tree.deallocate()
      return nil
    }
    bvh = BVH(storage: tree, leaves: topology.leafOrder, depth: topology.depth)
    self.topology = topology
    triangleCount = count
    bounds = root
    self.triangles = triangles
    (normals, uvs) = Self.storeAttributes(
      vertices: vertices, indices: indices, normals: vertexNormals, uvs: vertexUVs, topology: topology)
  }

  /// The triangles' vertices (and unit vertex normals, and texture coordinates when there is
  /// one pair per vertex; non-finite ones read as 0) copied in leaf-slot order. Each vertex
  /// normal is normalised once, not once per corner that uses it (the same values).
  private static func store(
    vertices: [Vec3], indices: [UInt32], normals vertexNormals: [Vec3]?, uvs vertexUVs: [SIMD2<Float>]?,
    topology: MeshTopology
  ) -> (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Float>?) {
    let count = topology.slotCount
    let triangles = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(1, count * 9))
    indices.withUnsafeBufferPointer { indices in
      vertices.withUnsafeBufferPointer { vertices in
        for slot in 0..<count {
          let triangle = Int(topology.triangleOfSlot[slot])
          for corner in 0..<3 {
            let v = vertices[Int(indices[3 * triangle + corner])]
            let q = triangles + slot * 9 + corner * 3
            (q[0], q[1], q[2]) = (v.x, v.y, v.z)
          }
        }
      }
    }
    let (smooth, texture) = storeAttributes(
      vertices: vertices, indices: indices, normals: vertexNormals, uvs: vertexUVs, topology: topology)
    return (triangles, smooth, texture)
  }

  /// The unit vertex normals and texture coordinates of `store`, in leaf-slot order.
  private static func storeAttributes(
    vertices: [Vec3], indices: [UInt32], normals vertexNormals: [Vec3]?, uvs vertexUVs: [SIMD2<Float>]?,
    topology: MeshTopology
  ) -> (UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Float>?) {
    let count = topology.slotCount
    // A closure, not the key path `\.normalized`: that is looked up per element (seen with perf).
    let unitNormals = vertexNormals?.map { $0.normalized }
    let smooth: UnsafeMutablePointer<Double>? =
      unitNormals == nil ? nil : .allocate(capacity: Swift.max(1, count * 9))
    let texture: UnsafeMutablePointer<Float>? =
      vertexUVs.flatMap { $0.count == vertices.count ? .allocate(capacity: Swift.max(1, count * 6)) : nil }
    indices.withUnsafeBufferPointer { indices in
      // `write(slot, corner, perVertex[vertex])` for every corner of every stored triangle.
      @inline(__always) func gather<Value>(_ perVertex: [Value], _ write: (Int, Int, Value) -> Void) {
        perVertex.withUnsafeBufferPointer { perVertex in
          for slot in 0..<count {
            let triangle = Int(topology.triangleOfSlot[slot])
            for corner in 0..<3 { write(slot, corner, perVertex[Int(indices[3 * triangle + corner])]) }
          }
        }
      }
      if let smooth, let unitNormals {
        gather(unitNormals) { slot, corner, n in
          let r = smooth + slot * 9 + corner * 3
          (r[0], r[1], r[2]) = (n.x, n.y, n.z)
        }
      }
      if let texture, let vertexUVs {
        gather(vertexUVs) { slot, corner, uv in
          texture[slot * 6 + corner * 2] = uv.x.isFinite ? uv.x : 0
          texture[slot * 6 + corner * 2 + 1] = uv.y.isFinite ? uv.y : 0
        }
      }
    }
    return (smooth, texture)
  }

  /// A reference-free view for the hot loops.
  var view: MeshView {
    MeshView(
      nodes: bvh.nodes, nodeCount: bvh.nodeCount, triangles: UnsafePointer(triangles),
      normals: normals.map { UnsafePointer($0) }, triangleOfSlot: UnsafePointer(topology.triangleOfSlot),
      slotCount: triangleCount)
  }

  /// Bytes of the stored triangles, normals, texture coordinates, nodes and leaf table (the
  /// topology's tables are counted by the topology table).
  var byteCount: Int {
    triangleCount * 9 * MemoryLayout<Double>.stride * (normals == nil ? 1 : 2) + bvh.nodeCount * BVH.nodeBytes
      + triangleCount * MemoryLayout<UInt32>.stride + (uvs == nil ? 0 : triangleCount * 6 * MemoryLayout<Float>.stride)
  }

  /// Traversal stack entries a walk of this mesh needs.
  var stackDepth: Int { bvh.depth + 2 }
}

/// Plain pointers into a `MeshBVH` (kept alive by its owner), so that the traversal loops
/// do no reference counting: the C kernel's `cmesh_view` (Sources/CMesh), so that the instance
/// test hands it to `cmesh_intersect_instance` as it is. Its fields `nodes`, `triangles` and
/// `normals` read as they are; the others under the names below.
typealias MeshView = cmesh_view

extension MeshView {
  init(
    nodes: UnsafeRawPointer, nodeCount: Int, triangles: UnsafePointer<Double>, normals: UnsafePointer<Double>?,
    triangleOfSlot: UnsafePointer<UInt32>, slotCount: Int
  ) {
    self.init(
      nodes: nodes, node_count: nodeCount, triangles: triangles, normals: normals, triangle_of_slot: triangleOfSlot,
      slot_count: slotCount)
  }

  var nodeCount: Int { node_count }
  /// Per leaf slot, the mesh triangle stored there (`MeshTopology.triangleOfSlot`).
  var triangleOfSlot: UnsafePointer<UInt32> { triangle_of_slot }
  /// Leaf slots (stored triangles): bounds `MeshHitScratch.seed`.
  var slotCount: Int { slot_count }
}

/// Where a ray met a mesh instance: written by `MeshTraversal` (and the C walk,
/// `cmesh_intersect`) whenever it reports a hit, so after a closest-hit query it describes the
/// nearest one. The C kernel's `cmesh_scratch`:
/// - `stack`: the bottom-level traversal stack (separate from the scene-level walk that is
///   suspended while an instance is tested);
/// - `slot`: leaf slot of the triangle hit in its mesh;
/// - `u`, `v`: barycentric weights of the triangle's v1 and v2;
/// - `seed`: a leaf slot the next walk tests before any node (the triangle a neighbouring ray
///   of the same bundle hit, `RayHint`), or −1. Set by the caller around one instance's test
///   only; a slot past the mesh's is ignored. It changes which triangles are tested, never
///   the answer (see `MeshTraversal.intersect`).
typealias MeshHitScratch = cmesh_scratch

extension MeshHitScratch {
  init(stack: UnsafeMutablePointer<UInt32>) {
    self.init(stack: stack, slot: -1, u: 0, v: 0, seed: -1)
  }
}

/// The bottom level of the two-level walk: one mesh, in its own frame.
enum MeshTraversal {
  /// The nearest (or, with `anyHit`, the first found) triangle hit with t in (tMin, tMax)
  /// of a ray given in the mesh frame. The ray is moved into the mesh frame by a rigid
  /// transform, so t is the same parameter as in the world. Of several triangles hit at
  /// exactly the nearest t (a ray through a shared edge), the one first in the mesh's index
  /// list is reported, so the answer depends on the triangles alone, not on the tree: a
  /// refitted BVH (`MeshTopology`) answers exactly as a rebuilt one, and so does a BVH
  /// refitted from whichever mesh of the same topology the process happened to build first.
  /// For the same reason a seed triangle (`MeshHitScratch.seed`) tested before the walk only
  /// lowers the limit sooner, so that fewer nodes are entered: a node holding a triangle at
  /// the nearest t is entered whatever the limit (the Float32 window is widened), and a tie
  /// at that t still goes to the triangle first in the index list.
  ///
  /// Kept out of line: inlined into the scene-level walk, the two nested loops share one
  /// register file and spill on every node (seen with `perf annotate`).
  @inline(never)
  static func intersect(
    _ mesh: MeshView, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, anyHit: Bool,
    scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> Double? {
    guard mesh.nodeCount > 0 else { return nil }
    let ray = FloatRay(origin: origin, direction: direction)
    // Prepared at the first leaf reached: many rays that enter an instance's bounds miss both
    // children of its root, and the shear costs three divisions.
    var exact = WatertightRay()
    var prepared = false
    let lowerLimit = FloatRay.lowerLimit(tMin)
    var best = tMax
    var found = false
    var bestSlot = 0
    var upperLimit = FloatRay.upperLimit(best)
    let stack = scratch.pointee.stack
    var stackSize = 0
    var node = 0
    let nodes = mesh.nodes
    let triangles = mesh.triangles

    /// Keeps `hit` on the triangle at `slot` as the nearest so far, and says so in `scratch`.
    @inline(__always)
    func keep(_ hit: (t: Double, u: Double, v: Double), slot: Int) {
      scratch.pointee.slot = slot
      scratch.pointee.u = hit.u
      scratch.pointee.v = hit.v
      best = hit.t
      bestSlot = slot
      found = true
      upperLimit = FloatRay.upperLimit(best)
    }

    let seed = scratch.pointee.seed
    if seed >= 0 && seed < mesh.slotCount {
      exact = WatertightRay(origin: origin, direction: direction)
      prepared = true
      if let hit = exact.intersect(triangles + seed * 9, tMin: tMin, tMax: best) {
        keep(hit, slot: seed)
        if anyHit { return hit.t }
      }
    }

    let planes = ray.nodePlaneOffsets

    @inline(__always)
    func slab(_ base: UnsafeRawPointer, _ lane: Int) -> (near: Float, far: Float) {
      ray.nodeSlab(base, lane: lane, planes: planes, lowerLimit: lowerLimit, upperLimit: upperLimit)
    }

    while true {
      let base = nodes + node * BVH.nodeBytes
      let (near0, far0) = slab(base, 0)
      let (near1, far1) = slab(base, 1)
      let child0 = base.load(fromByteOffset: 48, as: UInt32.self)
      let child1 = base.load(fromByteOffset: 52, as: UInt32.self)
      let count0 = base.load(fromByteOffset: 56, as: UInt32.self)
      let count1 = base.load(fromByteOffset: 60, as: UInt32.self)
      if count0 | count1 == 0 {
        if BVHWalk.descendInterior(
          enter0: near0 <= far0, enter1: near1 <= far1, nearer1: near1 < near0, child0: child0, child1: child1,
          node: &node, stack: stack, stackSize: &stackSize)
        {
          continue
        }
        break
      }
      var nextNode = -1
      var pushNode = -1
      let firstLane = near1 < near0 ? 1 : 0
      for k in 0..<2 {
        let lane = k == 0 ? firstLane : 1 - firstLane
        let entered = lane == 0 ? near0 <= far0 : near1 <= far1
        if !entered { continue }
        let child = lane == 0 ? child0 : child1
        let count = lane == 0 ? count0 : count1
        if count == 0 {
          if nextNode < 0 { nextNode = Int(child) } else { pushNode = Int(child) }
          continue
        }
        // A root over a handful of triangles names the same leaf in both lanes.
        if k == 1 && child0 == child1 && count0 == count1 { continue }
        if !prepared {
          exact = WatertightRay(origin: origin, direction: direction)
          prepared = true
        }
        var slot = Int(child)
        let end = slot + Int(count)
        while slot < end {
          // After a first hit, a hit at exactly the same t is kept when its triangle comes
          // first in the mesh: the answer is the least (t, triangle), whatever the tree.
          if let hit = exact.intersect(triangles + slot * 9, tMin: tMin, tMax: best, includingTMax: found),
            hit.t < best || mesh.triangleOfSlot[slot] < mesh.triangleOfSlot[bestSlot]
          {
            keep(hit, slot: slot)
            if anyHit { return hit.t }
          }
          slot += 1
        }
      }
      if BVHWalk.advance(next: nextNode, push: pushNode, node: &node, stack: stack, stackSize: &stackSize) {
        continue
      }
      break
    }
    return found ? best : nil
  }

  /// The unit normal of triangle `slot` at barycentric (u, v), in the mesh frame, facing
  /// the ray `direction` (also in the mesh frame): the geometric normal turned towards the
  /// ray, or, where the mesh has vertex normals, the interpolated one turned to the same side
  /// as that geometric normal (so it never points through the surface the ray came from).
  static func facingNormal(_ mesh: MeshView, slot: Int, u: Double, v: Double, direction: Vec3) -> Vec3 {
    let p = mesh.triangles + slot * 9
    let v0 = Vec3(p[0], p[1], p[2])
    var geometric = (Vec3(p[3], p[4], p[5]) - v0).cross(Vec3(p[6], p[7], p[8]) - v0).normalized
    if geometric.dot(direction) > 0 { geometric = -geometric }
    guard let normals = mesh.normals else { return geometric }
    let n = normals + slot * 9
    let w = 1 - u - v
    let smooth = (Vec3(n[0], n[1], n[2]) * w + Vec3(n[3], n[4], n[5]) * u + Vec3(n[6], n[7], n[8]) * v).normalized
    if smooth == .zero { return geometric }
    return smooth.dot(geometric) < 0 ? -smooth : smooth
  }
}
