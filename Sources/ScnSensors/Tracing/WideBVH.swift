import ScnGeometry

/// How a mesh's binary BVH (`BVH.Builder`'s nodes) is collapsed into a four-wide one: per
/// wide node, four lanes, each naming the binary child whose box it takes (node and lane) and
/// what it refers to (a wide node, or a leaf: `count` leaf slots from `child`). The plan is
/// part of a `MeshTopology`, so a refit (new bounds, the same binary shape) collapses the
/// same way: each lane's box is read from the refitted binary node it names.
///
/// Each wide node starts from one binary node's two children and repeatedly opens the
/// interior child with the largest box (surface area) into its two children, until it has
/// four lanes or only leaves; what is left over is padded with empty lanes that no ray
/// enters. See the ScnSensors README, "Acceleration structure".
struct WidePlan: Sendable {
  struct Lane: Sendable {
    /// The binary node and lane whose bounds this lane takes; `WidePlan.empty` for an empty lane.
    var node: UInt32
    var lane: UInt32
    var child: UInt32
    var count: UInt32
  }

  static let empty = UInt32.max
  static let lanes = 4

  /// `lanes` per wide node, node 0 the root, each node before its children.
  let lanes: [Lane]
  /// Longest root-to-leaf path in wide nodes (0 for an empty tree).
  let depth: Int

  var nodeCount: Int { lanes.count / Self.lanes }

  init(binary nodes: [BVH.BuildNode]) {
    var lanes: [Lane] = []
    var depth = 0
    let emptyLane = Lane(node: Self.empty, lane: 0, child: 0, count: 0)
    guard let root = nodes.first else {
      self.lanes = lanes
      self.depth = depth
      return
    }
    lanes.reserveCapacity(Swift.max(Self.lanes, 2 * nodes.count))
    lanes.append(contentsOf: repeatElement(emptyLane, count: Self.lanes))
    // Wide nodes still to fill, breadth first: (wide index, binary node, level).
    var work: [(wide: Int, binary: Int, level: Int)] = [(0, 0, 1)]
    // A root over a handful of primitives names the same leaf in both lanes (`BVH.Builder`).
    let rootSameLeaf = root.count0 > 0 && root.child0 == root.child1 && root.count0 == root.count1
    var next = 0
    var open: [(node: Int, lane: Int)] = []
    while next < work.count {
      let (wide, binary, level) = work[next]
      next += 1
      depth = Swift.max(depth, level)
      open.removeAll(keepingCapacity: true)
      open.append((binary, 0))
      if !(binary == 0 && rootSameLeaf) { open.append((binary, 1)) }
      while open.count < Self.lanes {
        var pick = -1
        var pickArea = -Double.infinity
        for (k, ref) in open.enumerated() {
          let node = nodes[ref.node]
          guard (ref.lane == 0 ? node.count0 : node.count1) == 0 else { continue }
          let area = (ref.lane == 0 ? node.bounds0 : node.bounds1).halfArea
          if area > pickArea {
            pick = k
            pickArea = area
          }
        }
        if pick < 0 { break }
        let node = nodes[open[pick].node]
        let child = Int(open[pick].lane == 0 ? node.child0 : node.child1)
        open.replaceSubrange(pick...pick, with: [(node: child, lane: 0), (node: child, lane: 1)])
      }
      for (k, ref) in open.enumerated() {
        let node = nodes[ref.node]
        let count = ref.lane == 0 ? node.count0 : node.count1
        var child = ref.lane == 0 ? node.child0 : node.child1
        if count == 0 {
          let index = lanes.count / Self.lanes
          lanes.append(contentsOf: repeatElement(emptyLane, count: Self.lanes))
          work.append((index, Int(child), level + 1))
          child = UInt32(index)
        }
        lanes[wide * Self.lanes + k] = Lane(node: UInt32(ref.node), lane: UInt32(ref.lane), child: child, count: count)
      }
    }
    self.lanes = lanes
    self.depth = depth
  }
}

/// A four-wide BVH in raw memory: one 128-byte node per wide node, the four lanes' bounds as
/// structure of arrays (`lowerX[4], lowerY[4], lowerZ[4], upperX[4], upperY[4], upperZ[4]`,
/// Float32, rounded outwards like `BVH`'s), then `child[4]` and `count[4]` (UInt32; count 0:
/// an interior node). An empty lane has lower +∞ and upper −∞ on every axis, which no slab
/// test enters. One `FloatRay.wideSlab` decides all four children of a node at once.
final class WideBVH: @unchecked Sendable {
  // @unchecked: the node storage is written only in `init` and read-only afterwards.
  private let storage: UnsafeMutableRawPointer
  let nodeCount: Int
  /// Longest root-to-leaf path in nodes.
  let depth: Int

  static let nodeBytes = 128

  var nodes: UnsafeRawPointer { UnsafeRawPointer(storage) }

  deinit { storage.deallocate() }

  /// The wide nodes of `plan`, each lane's bounds taken from the binary nodes (the build's
  /// or a refit's) it was planned from.
  init(plan: WidePlan, binary nodes: UnsafeBufferPointer<BVH.BuildNode>) {
    nodeCount = plan.nodeCount
    depth = plan.depth
    storage = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, nodeCount) * Self.nodeBytes, alignment: 64)
    plan.lanes.withUnsafeBufferPointer { lanes in
      for index in 0..<lanes.count {
        let base = storage + (index / WidePlan.lanes) * Self.nodeBytes
        let lane = index % WidePlan.lanes
        let source = lanes[index]
        @inline(__always) func store(_ axis: Int, _ low: Float, _ high: Float) {
          base.storeBytes(of: low, toByteOffset: (axis * 4 + lane) * 4, as: Float.self)
          base.storeBytes(of: high, toByteOffset: ((3 + axis) * 4 + lane) * 4, as: Float.self)
        }
        if source.node == WidePlan.empty || Int(source.node) >= nodes.count {
          for axis in 0..<3 { store(axis, .infinity, -.infinity) }
        } else {
          let node = nodes[Int(source.node)]
          let box = source.lane == 0 ? node.bounds0 : node.bounds1
          let x = BVH.conservative(lower: box.lower.x, upper: box.upper.x)
          let y = BVH.conservative(lower: box.lower.y, upper: box.upper.y)
          let z = BVH.conservative(lower: box.lower.z, upper: box.upper.z)
          store(0, x.0, x.1)
          store(1, y.0, y.1)
          store(2, z.0, z.1)
        }
        base.storeBytes(of: source.child, toByteOffset: 96 + lane * 4, as: UInt32.self)
        base.storeBytes(of: source.count, toByteOffset: 112 + lane * 4, as: UInt32.self)
      }
    }
  }

  /// Traversal stack entries (`UInt32`s) a walk needs: a visit pushes at most three of a
  /// node's children, two entries each (node and entry distance).
  var stackEntries: Int { 2 * (3 * depth + 1) }
}

/// A `FloatRay` prepared for `WideBVH` nodes: its origin and inverse direction in all four
/// lanes, and the byte offsets of each axis's near and far planes.
struct WideRay {
  typealias F4 = SIMD4<Float>
  let ox: F4, oy: F4, oz: F4
  let ix: F4, iy: F4, iz: F4
  let nearX: Int, nearY: Int, nearZ: Int
  let farX: Int, farY: Int, farZ: Int

  @inline(__always)
  init(_ ray: FloatRay) {
    (ox, oy, oz) = (F4(repeating: ray.ox), F4(repeating: ray.oy), F4(repeating: ray.oz))
    (ix, iy, iz) = (F4(repeating: ray.ix), F4(repeating: ray.iy), F4(repeating: ray.iz))
    // The lower planes where the direction is positive, the upper where it is negative.
    nearX = ray.ix < 0 ? 48 : 0
    nearY = ray.iy < 0 ? 64 : 16
    nearZ = ray.iz < 0 ? 80 : 32
    farX = ray.ix < 0 ? 0 : 48
    farY = ray.iy < 0 ? 16 : 64
    farZ = ray.iz < 0 ? 32 : 80
  }

  /// The slab test of the four lanes of the `WideBVH` node at `base`, as `FloatRay.nodeSlab`
  /// does it for one lane: bit k of `entered` is set when the ray enters lane k within the
  /// window, and `near` holds the entry distances.
  @inline(__always)
  func slab(_ base: UnsafeRawPointer, lowerLimit: F4, upperLimit: F4) -> (entered: Int, near: F4) {
    @inline(__always) func load(_ offset: Int) -> F4 { base.load(fromByteOffset: offset, as: F4.self) }
    @inline(__always) func minf(_ a: F4, _ b: F4) -> F4 { b.replacing(with: a, where: a .< b) }
    @inline(__always) func maxf(_ a: F4, _ b: F4) -> F4 { b.replacing(with: a, where: a .> b) }
    let nx = (load(nearX) - ox) * ix
    let ny = (load(nearY) - oy) * iy
    let nz = (load(nearZ) - oz) * iz
    let fx = (load(farX) - ox) * ix
    let fy = (load(farY) - oy) * iy
    let fz = (load(farZ) - oz) * iz
    let near = maxf(maxf(nx, ny), maxf(nz, lowerLimit))
    let far = minf(minf(fx, fy), minf(fz, upperLimit))
    let entered = unsafeBitCast(near .<= far, to: SIMD4<Int32>.self)
    return (Int((entered & SIMD4<Int32>(1, 2, 4, 8)).wrappedSum()), near)
  }
}
