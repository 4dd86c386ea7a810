import ScnGeometry

/// A two-wide bounding volume hierarchy built with the binned surface-area heuristic.
///
/// Layout: one 64-byte node per interior node, holding both children's bounds as
/// structure-of-arrays lanes (`lowerX[2], lowerY[2], …`, Float32), then the two child
/// references. One cache line answers "which children does this ray enter, and in which
/// order", the same idea as Embree's SoA BVH4 nodes. Bounds are rounded outwards to Float32
/// and padded so that the single-precision slab test can only over-report; primitives are
/// then tested exactly in double precision, so results do not depend on the Float32 step.
///
/// A child reference is either an interior node index (`count == 0`) or a leaf: `count`
/// entries of `primitiveIndices` starting at `first`. The root is node 0; an empty tree
/// has no nodes.
final class BVH: @unchecked Sendable {
  // @unchecked: the node storage is written only in `init` and read-only afterwards.
  private let storage: UnsafeMutableRawPointer
  let nodeCount: Int
  /// Longest root-to-leaf path in nodes; bounds the traversal stack.
  let depth: Int
  /// Leaf slot → primitive index in the primitive table.
  let leaves: UnsafeMutablePointer<UInt32>

  static let nodeBytes = 64
  static let maxLeafSize = 4
  static let binCount = 12

  var nodes: UnsafeRawPointer { UnsafeRawPointer(storage) }

  deinit {
    storage.deallocate()
    leaves.deallocate()
  }

  /// Builds over the given primitives (indices into `bounds`). `fewLimit` is for tests: ranges
  /// of at most this many primitives use `Builder.bestSplitOfFew` (the same plans, see there).
  convenience init(bounds: [AABB], primitives: [UInt32], fewLimit: Int = Builder.fewLimit) {
    var builder = Builder(bounds: bounds, order: primitives, fewLimit: fewLimit)
    builder.buildRoot()
    self.init(nodes: builder.nodes, leaves: builder.order, depth: builder.depth)
  }

  /// Stores a tree given as build nodes (node 0 the root, children after their parents) and
  /// its leaf table: what `init(bounds:primitives:)` builds.
  convenience init(nodes: [BuildNode], leaves order: [UInt32], depth: Int) {
    let storage = Storage(nodeCount: nodes.count)
    for (i, node) in nodes.enumerated() {
      storage.store(
        node: i, lower: (node.bounds0.lower, node.bounds1.lower), upper: (node.bounds0.upper, node.bounds1.upper),
        child: (node.child0, node.child1), count: (node.count0, node.count1))
    }
    self.init(storage: storage, leaves: order, depth: depth)
  }

  /// A tree whose nodes were written into `storage` (every node, both lanes), with its leaf
  /// table: `init(nodes:…)`, or a refit of a tree of the same shape writing its nodes as it
  /// goes (`MeshBVH.init(refitting:…)`). The tree owns `storage` from here on.
  init(storage: Storage, leaves order: [UInt32], depth: Int) {
    nodeCount = storage.nodeCount
    self.depth = depth
    leaves = UnsafeMutablePointer<UInt32>.allocate(capacity: Swift.max(1, order.count))
    leaves.initialize(from: order, count: order.count)
    self.storage = storage.base
  }

  /// Node memory being written: each lane's box rounded outwards (`conservative`) into the
  /// node's Float32 lanes, and its child reference.
  struct Storage {
    let base: UnsafeMutableRawPointer
    let nodeCount: Int

    init(nodeCount: Int) {
      self.nodeCount = nodeCount
      base = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(1, nodeCount) * BVH.nodeBytes, alignment: 64)
    }

    /// Node `node`: lane k's box from `lower.k` to `upper.k` rounded outwards into the node's
    /// Float32 lanes (`conservative`, four axes at a time: x and y of both lanes, then z of
    /// both) and its child reference.
    @inline(__always)
    func store(
      node: Int, lower: (Vec3, Vec3), upper: (Vec3, Vec3), child: (UInt32, UInt32), count: (UInt32, UInt32)
    ) {
      let node = base.advanced(by: node * BVH.nodeBytes)
      let (lowXY, highXY) = BVH.conservative(
        lower: SIMD4(lower.0.x, lower.1.x, lower.0.y, lower.1.y),
        upper: SIMD4(upper.0.x, upper.1.x, upper.0.y, upper.1.y))
      let (lowZ, highZ) = BVH.conservative(
        lower: SIMD4(lower.0.z, lower.1.z, 0, 0), upper: SIMD4(upper.0.z, upper.1.z, 0, 0))
      // The node's order: lowerX[2], lowerY[2], lowerZ[2], upperX[2], upperY[2], upperZ[2].
      node.storeBytes(of: lowXY.lowHalf, toByteOffset: 0, as: SIMD2<Float>.self)
      node.storeBytes(of: lowXY.highHalf, toByteOffset: 8, as: SIMD2<Float>.self)
      node.storeBytes(of: lowZ.lowHalf, toByteOffset: 16, as: SIMD2<Float>.self)
      node.storeBytes(of: highXY.lowHalf, toByteOffset: 24, as: SIMD2<Float>.self)
      node.storeBytes(of: highXY.highHalf, toByteOffset: 32, as: SIMD2<Float>.self)
      node.storeBytes(of: highZ.lowHalf, toByteOffset: 40, as: SIMD2<Float>.self)
      node.storeBytes(of: child.0, toByteOffset: 48, as: UInt32.self)
      node.storeBytes(of: child.1, toByteOffset: 52, as: UInt32.self)
      node.storeBytes(of: count.0, toByteOffset: 56, as: UInt32.self)
      node.storeBytes(of: count.1, toByteOffset: 60, as: UInt32.self)
    }

    /// Frees the memory of a tree that was not made after all.
    func deallocate() { base.deallocate() }
  }

  /// Float32 bounds that contain the double-precision box with a margin covering the
  /// rounding of the ray origin to Float32 as well.
  static func conservative(_ box: AABB) -> (SIMD3<Float>, SIMD3<Float>) {
    let x = conservative(lower: box.lower.x, upper: box.upper.x)
    let y = conservative(lower: box.lower.y, upper: box.upper.y)
    let z = conservative(lower: box.lower.z, upper: box.upper.z)
    return (SIMD3(x.0, y.0, z.0), SIMD3(x.1, y.1, z.1))
  }

  /// `conservative` on one axis.
  @inline(__always)
  static func conservative(lower: Double, upper: Double) -> (Float, Float) {
    let pad = 1e-5 * (1 + Swift.max(abs(lower), abs(upper)))
    return (Float(lower - pad).nextDown, Float(upper + pad).nextUp)
  }

  /// `conservative(lower:upper:)` on four axes at once, lane by lane with the same operations
  /// (`abs`, `Swift.max`, `nextDown`, `nextUp` written out as below), so the same bits
  /// (`BVHTests` compares the two): how nodes are stored, every node of every refit.
  @inline(__always)
  static func conservative(lower: SIMD4<Double>, upper: SIMD4<Double>) -> (SIMD4<Float>, SIMD4<Float>) {
    @inline(__always) func magnitude(_ v: SIMD4<Double>) -> SIMD4<Double> {
      unsafeBitCast(
        unsafeBitCast(v, to: SIMD4<UInt64>.self) & SIMD4(repeating: 0x7fff_ffff_ffff_ffff), to: SIMD4<Double>.self)
    }
    let a = magnitude(lower)
    let b = magnitude(upper)
    // `Swift.max(a, b)` is b where b >= a, else a.
    let pad = 1e-5 * (1 + a.replacing(with: b, where: b .>= a))
    let low = SIMD4<Float>(lower - pad)
    let high = SIMD4<Float>(upper + pad)
    // `nextDown` is −(−x).nextUp.
    return (negated(nextUp(negated(low))), nextUp(high))
  }

  /// `Float.nextUp` lane by lane: x + 0 (−0 becomes +0), then below +∞ one step of the bit
  /// pattern away from zero when positive, towards it when negative; +∞ and NaN stay.
  @inline(__always)
  static func nextUp(_ x: SIMD4<Float>) -> SIMD4<Float> {
    let y = x + 0
    let bits = unsafeBitCast(y, to: SIMD4<Int32>.self)
    let next = unsafeBitCast(bits &+ ((bits &>> 31) | 1), to: SIMD4<Float>.self)
    return y.replacing(with: next, where: y .< SIMD4(repeating: .infinity))
  }

  /// Scalar negation lane by lane (the sign bit flipped; SIMD's prefix minus is 0 − x).
  @inline(__always)
  static func negated(_ x: SIMD4<Float>) -> SIMD4<Float> {
    unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt32>.self) ^ SIMD4(repeating: 0x8000_0000), to: SIMD4<Float>.self)
  }

  /// A node while building: plain fields, no per-node arrays to allocate.
  struct BuildNode {
    var bounds0 = AABB.empty
    var bounds1 = AABB.empty
    var child0: UInt32 = 0
    var child1: UInt32 = 0
    var count0: UInt32 = 0
    var count1: UInt32 = 0

    mutating func set(lane: Int, bounds: AABB) {
      if lane == 0 { bounds0 = bounds } else { bounds1 = bounds }
    }

    mutating func set(lane: Int, child: UInt32, count: UInt32) {
      if lane == 0 {
        child0 = child
        count0 = count
      } else {
        child1 = child
        count1 = count
      }
    }
  }

  struct Builder {
    let bounds: [AABB]
    /// Per primitive (indexed like `bounds`), its box's centre, computed once.
    let centers: [Vec3]
    var order: [UInt32]
    var nodes: [BuildNode] = []
    var depth = 0
    let fewLimit: Int
    /// Ranges this small are planned by `bestSplitOfFew`.
    static let fewLimit = 8

    init(bounds: [AABB], order: [UInt32], fewLimit: Int = Self.fewLimit) {
      self.bounds = bounds
      self.centers = bounds.map { $0.center }
      self.order = order
      self.fewLimit = fewLimit
      nodes.reserveCapacity(Swift.max(1, order.count / 2))
    }

    typealias Plan = (axis: Int, bin: Int, cost: Double)

    mutating func buildRoot() {
      guard !order.isEmpty else { return }
      nodes.append(BuildNode())
      depth = 1
      let all = rangeBounds(0, order.count)
      if order.count <= BVH.maxLeafSize {
        // Both lanes name the same leaf: an empty lane cannot be expressed in the
        // min/max slab test, and testing a handful of primitives twice is harmless.
        for lane in 0..<2 {
          nodes[0].set(lane: lane, bounds: all.box)
          nodes[0].set(lane: lane, child: 0, count: UInt32(order.count))
        }
        return
      }
      let mid = split(0, order.count, all, plan: bestSplit(0, order.count, all))
      fill(node: 0, lane: 0, start: 0, end: mid, level: 1)
      fill(node: 0, lane: 1, start: mid, end: order.count, level: 1)
    }

    private mutating func fill(node: Int, lane: Int, start: Int, end: Int, level: Int) {
      let info = rangeBounds(start, end)
      nodes[node].set(lane: lane, bounds: info.box)
      let count = end - start
      var mid = start
      if count > BVH.maxLeafSize {
        mid = split(start, end, info, plan: bestSplit(start, end, info))
      } else if count > 1, let plan = bestSplit(start, end, info), plan.cost < Double(count) {
        // A small range stays a leaf unless the SAH says splitting is cheaper.
        mid = split(start, end, info, plan: plan)
      }
      if mid == start {
        nodes[node].set(lane: lane, child: UInt32(start), count: UInt32(count))
        return
      }
      let index = nodes.count
      nodes.append(BuildNode())
      depth = Swift.max(depth, level + 1)
      nodes[node].set(lane: lane, child: UInt32(index), count: 0)
      fill(node: index, lane: 0, start: start, end: mid, level: level + 1)
      fill(node: index, lane: 1, start: mid, end: end, level: level + 1)
    }

    struct RangeInfo {
      var box: AABB
      var centroids: AABB
    }

    private func rangeBounds(_ start: Int, _ end: Int) -> RangeInfo {
      var box = AABB.empty
      var centroids = AABB.empty
      for i in start..<end {
        let primitive = Int(order[i])
        box = box.union(bounds[primitive])
        centroids = centroids.union(centers[primitive])
      }
      return RangeInfo(box: box, centroids: centroids)
    }

    /// One bin of the SAH sweep: the boxes and count of the primitives whose centres fall in
    /// it, and the area and count of everything from it to the last bin.
    private struct Bin {
      var box = AABB.empty
      var count = 0
      var rightArea = 0.0
      var rightCount = 0
    }

    /// Binned SAH over all three axes; returns the bin boundary with the lowest cost
    /// (traversal 1, intersection 1 per primitive, areas relative to the parent's). One pass
    /// over the range fills the bins of all three axes.
    private func bestSplit(_ start: Int, _ end: Int, _ info: RangeInfo) -> Plan? {
      if end - start <= fewLimit { return bestSplitOfFew(start, end, info) }
      let extent = info.centroids.extent
      let parentArea = Swift.max(info.box.halfArea, 1e-300)
      let bins = BVH.binCount
      let binned = extent .> 0
      guard any(binned) else { return nil }
      // Axes with no extent are skipped (their infinite scale is never used).
      let scale = Vec3(repeating: Double(bins)) / extent
      let lower = info.centroids.lower
      // The bins live on the stack: the build calls this once or twice per node.
      return withUnsafeTemporaryAllocation(of: Bin.self, capacity: 3 * bins) { bin in
        for k in 0..<(3 * bins) { bin.initializeElement(at: k, to: Bin()) }
        // The axes written out (x, y, z in turn, as the loop over the axes visits them): a
        // lane picked by a variable axis went through the stack for every primitive.
        let (binX, binY, binZ) = (binned[0], binned[1], binned[2])
        bounds.withUnsafeBufferPointer { bounds in
          centers.withUnsafeBufferPointer { centers in
            order.withUnsafeBufferPointer { order in
              @inline(__always) func add(_ k: Int, _ box: AABB) {
                bin[k].count += 1
                bin[k].box = bin[k].box.union(box)
              }
              for i in start..<end {
                let primitive = Int(order[i])
                let box = bounds[primitive]
                let c = centers[primitive]
                if binX { add(Swift.min(bins - 1, Int((c.x - lower.x) * scale.x)), box) }
                if binY { add(bins + Swift.min(bins - 1, Int((c.y - lower.y) * scale.y)), box) }
                if binZ { add(2 * bins + Swift.min(bins - 1, Int((c.z - lower.z) * scale.z)), box) }
              }
            }
          }
        }
        var best: Plan? = nil
        for axis in 0..<3 where binned[axis] {
          let first = axis * bins
          var acc = AABB.empty
          var n = 0
          for k in stride(from: bins - 1, to: 0, by: -1) {
            acc = acc.union(bin[first + k].box)
            n += bin[first + k].count
            bin[first + k].rightArea = acc.halfArea
            bin[first + k].rightCount = n
          }
          acc = .empty
          n = 0
          for k in 1..<bins {
            acc = acc.union(bin[first + k - 1].box)
            n += bin[first + k - 1].count
            let right = bin[first + k]
            guard n > 0, right.rightCount > 0 else { continue }
            let cost = 1 + (acc.halfArea * Double(n) + right.rightArea * Double(right.rightCount)) / parentArea
            if let current = best, current.cost <= cost { continue }
            best = (axis, k, cost)
          }
        }
        return best
      }
    }

    /// `bestSplit` for a range of a few primitives, without the 36 bins: a boundary k between
    /// bins only matters through the primitives on either side, which are the same for
    /// every k from one occupied bin b (exclusive) to the next (inclusive), so the costs
    /// there are equal and the sweep's choice among them is the first, k = b + 1. This
    /// evaluates exactly those boundaries, in the same order (axes, then k ascending), with
    /// the same arithmetic on the same boxes (unions are exact), so it returns the same plan.
    private func bestSplitOfFew(_ start: Int, _ end: Int, _ info: RangeInfo) -> Plan? {
      let extent = info.centroids.extent
      let parentArea = Swift.max(info.box.halfArea, 1e-300)
      let bins = BVH.binCount
      let binned = extent .> 0
      guard any(binned) else { return nil }
      let scale = Vec3(repeating: Double(bins)) / extent
      let lower = info.centroids.lower
      let count = end - start
      // Per axis: (bin, primitive) sorted by bin, and the union of each suffix of that order.
      return withUnsafeTemporaryAllocation(of: (bin: Int, primitive: Int).self, capacity: count) { items in
        withUnsafeTemporaryAllocation(of: AABB.self, capacity: count) { suffix in
          var best: Plan? = nil
          for axis in 0..<3 where binned[axis] {
            for j in 0..<count {
              let primitive = Int(order[start + j])
              let k = Swift.min(bins - 1, Int((centers[primitive][axis] - lower[axis]) * scale[axis]))
              var slot = j
              while slot > 0 && items[slot - 1].bin > k {
                items[slot] = items[slot - 1]
                slot -= 1
              }
              items[slot] = (k, primitive)
            }
            var acc = AABB.empty
            for j in stride(from: count - 1, through: 0, by: -1) {
              acc = acc.union(bounds[items[j].primitive])
              suffix[j] = acc
            }
            var left = AABB.empty
            var j = 0
            while j < count {
              let b = items[j].bin
              while j < count && items[j].bin == b {
                left = left.union(bounds[items[j].primitive])
                j += 1
              }
              if j == count { break }  // the last occupied bin: nothing on the right
              let cost = 1 + (left.halfArea * Double(j) + suffix[j].halfArea * Double(count - j)) / parentArea
              if let current = best, current.cost <= cost { continue }
              best = (axis, b + 1, cost)
            }
          }
          return best
        }
      }
    }

    /// Partitions `order[start..<end]` by `plan` (from `bestSplit`) and returns the split
    /// point; falls back to the median (by index) without a plan (every centroid coincides).
    private mutating func split(_ start: Int, _ end: Int, _ info: RangeInfo, plan: Plan?) -> Int {
      guard let plan else { return (start + end) / 2 }
      let scale = Double(BVH.binCount) / info.centroids.extent[plan.axis]
      let lower = info.centroids.lower[plan.axis]
      var i = start
      var j = end - 1
      while i <= j {
        let c = centers[Int(order[i])][plan.axis]
        let bin = Swift.min(BVH.binCount - 1, Int((c - lower) * scale))
        if bin < plan.bin {
          i += 1
        } else {
          order.swapAt(i, j)
          j -= 1
        }
      }
      if i == start || i == end { return (start + end) / 2 }
      return i
    }
  }
}
