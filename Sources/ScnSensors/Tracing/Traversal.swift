import ScnGeometry

/// The BVH walk shared by closest-hit and any-hit queries.
enum Traversal {
  /// Returns the nearest (or, with `anyHit`, the first found) primitive hit with t in
  /// (tMin, tMax), skipping primitives of object `exclude`. `stack` must hold `bvh.depth + 2`.
  @inline(__always)
  static func run(
    bvh: BVH, table: PrimitiveTable, origin: Vec3, direction: Vec3, tMin: Double, tMax: Double, exclude: UInt32,
    anyHit: Bool, stack: UnsafeMutablePointer<UInt32>
  ) -> (t: Double, primitive: Int)? {
    guard bvh.nodeCount > 0 else { return nil }
    return table.data.withUnsafeBufferPointer { dataBuffer in
      table.kinds.withUnsafeBufferPointer { kindBuffer in
        table.objectIndex.withUnsafeBufferPointer { objectBuffer in
          bvh.primitiveIndices.withUnsafeBufferPointer { leafBuffer in
            guard let data = dataBuffer.baseAddress, let kinds = kindBuffer.baseAddress,
              let objects = objectBuffer.baseAddress, let leaves = leafBuffer.baseAddress
            else { return nil }
            return walk(
              nodes: bvh.nodes, data: data, kinds: kinds, objects: objects, leaves: leaves, origin: origin,
              direction: direction, tMin: tMin, tMax: tMax, exclude: exclude, anyHit: anyHit, stack: stack)
          }
        }
      }
    }
  }

  @inline(__always)
  private static func safeInverse(_ d: Double) -> Float {
    // Keeps the slab test free of infinities times zero (NaN).
    let clamped = abs(d) < 1e-30 ? (d < 0 ? -1e-30 : 1e-30) : d
    return Float(1 / clamped)
  }

  @inline(__always)
  private static func walk(
    nodes: UnsafeRawPointer, data: UnsafePointer<Double>, kinds: UnsafePointer<PrimitiveTable.Kind>,
    objects: UnsafePointer<UInt32>, leaves: UnsafePointer<UInt32>, origin: Vec3, direction: Vec3, tMin: Double,
    tMax: Double, exclude: UInt32, anyHit: Bool, stack: UnsafeMutablePointer<UInt32>
  ) -> (t: Double, primitive: Int)? {
    let ox = SIMD2<Float>(repeating: Float(origin.x))
    let oy = SIMD2<Float>(repeating: Float(origin.y))
    let oz = SIMD2<Float>(repeating: Float(origin.z))
    let ix = SIMD2<Float>(repeating: safeInverse(direction.x))
    let iy = SIMD2<Float>(repeating: safeInverse(direction.y))
    let iz = SIMD2<Float>(repeating: safeInverse(direction.z))
    // Float slab distances carry relative error ~1e-7; widen the window so culling never
    // rejects a box the exact test would enter.
    let lowerLimit = SIMD2<Float>(repeating: Float(tMin) * 0.9999 - 1e-6)
    var best = tMax
    var bestPrimitive = -1
    var upperLimit = SIMD2<Float>(repeating: best.isFinite ? Float(best) * 1.0001 + 1e-6 : .infinity)
    var stackSize = 0
    var node = 0

    while true {
      let base = nodes + node * BVH.nodeBytes
      let lx = base.loadUnaligned(fromByteOffset: 0, as: SIMD2<Float>.self)
      let ly = base.loadUnaligned(fromByteOffset: 8, as: SIMD2<Float>.self)
      let lz = base.loadUnaligned(fromByteOffset: 16, as: SIMD2<Float>.self)
      let hx = base.loadUnaligned(fromByteOffset: 24, as: SIMD2<Float>.self)
      let hy = base.loadUnaligned(fromByteOffset: 32, as: SIMD2<Float>.self)
      let hz = base.loadUnaligned(fromByteOffset: 40, as: SIMD2<Float>.self)
      let ax = (lx - ox) * ix, bx = (hx - ox) * ix
      let ay = (ly - oy) * iy, by = (hy - oy) * iy
      let az = (lz - oz) * iz, bz = (hz - oz) * iz
      let near = pointwiseMax(
        pointwiseMax(pointwiseMin(ax, bx), pointwiseMin(ay, by)), pointwiseMax(pointwiseMin(az, bz), lowerLimit))
      let far = pointwiseMin(
        pointwiseMin(pointwiseMax(ax, bx), pointwiseMax(ay, by)), pointwiseMin(pointwiseMax(az, bz), upperLimit))
      let enter0 = near[0] <= far[0]
      let enter1 = near[1] <= far[1]
      let child0 = base.load(fromByteOffset: 48, as: UInt32.self)
      let child1 = base.load(fromByteOffset: 52, as: UInt32.self)
      let count0 = base.load(fromByteOffset: 56, as: UInt32.self)
      let count1 = base.load(fromByteOffset: 60, as: UInt32.self)

      // Leaves are tested at once (nearer first); interior children are visited nearer
      // first with the other pushed.
      var nextNode = -1
      var pushNode = -1
      let firstLane = near[1] < near[0] ? 1 : 0
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
          if let t = PrimitiveIntersection.intersect(
            kinds[prim], data + prim * PrimitiveTable.stride, origin: origin, direction: direction, tMin: tMin,
            tMax: best)
          {
            if anyHit { return (t, prim) }
            best = t
            bestPrimitive = prim
            upperLimit = SIMD2<Float>(repeating: Float(best) * 1.0001 + 1e-6)
          }
        }
      }
      if pushNode >= 0 {
        stack[stackSize] = UInt32(pushNode)
        stackSize += 1
      }
      if nextNode >= 0 {
        node = nextNode
        continue
      }
      if stackSize == 0 { break }
      stackSize -= 1
      node = Int(stack[stackSize])
    }
    return bestPrimitive >= 0 ? (best, bestPrimitive) : nil
  }
}
