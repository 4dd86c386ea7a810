import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The mesh level's four-wide BVH (`WidePlan`, `WideBVH`, `MeshTraversal`): the collapse of
/// the binary build keeps every leaf exactly once under bounds that contain its triangles,
/// and small meshes (a root that is a leaf) answer like brute force.
@Suite struct WideBVHTests {
  typealias Stream = MeshTracingTests.Stream
  let reject = { (reason: String) in RenderError.invalidPart(instanceID: 1, reason: reason) }

  /// Every leaf slot of the mesh is under exactly one wide lane; each wide node's lanes hold
  /// at least one child and at most four; interior lanes name later nodes (each node once);
  /// the tree is no deeper than the binary one and has fewer nodes; and every lane's Float32
  /// box contains the triangles below it.
  @Test func collapseKeepsEveryLeafOnceUnderContainingBounds() throws {
    for subdivisions in 0...3 {
      let sphere = MeshTracingTests.icosphere(subdivisions: subdivisions)
      let mesh = try MeshBVH(vertices: sphere.vertices, indices: sphere.indices, normals: nil, reject: reject)
      let plan = mesh.topology.plan
      #expect(plan.nodeCount == mesh.bvh.nodeCount)
      #expect(plan.nodeCount < mesh.topology.links.count || mesh.topology.links.count == 1)
      var slotSeen = [Int](repeating: 0, count: mesh.triangleCount)
      var nodeSeen = [Int](repeating: 0, count: plan.nodeCount)
      nodeSeen[0] = 1
      let nodes = mesh.bvh.nodes
      // The triangles' corners below each wide node, gathered bottom-up.
      func check(_ node: Int) -> [Vec3] {
        var below: [Vec3] = []
        var used = 0
        for lane in 0..<WidePlan.lanes {
          let entry = plan.lanes[node * WidePlan.lanes + lane]
          if entry.node == WidePlan.empty { continue }
          used += 1
          var corners: [Vec3] = []
          if entry.count == 0 {
            #expect(Int(entry.child) > node && Int(entry.child) < plan.nodeCount)
            nodeSeen[Int(entry.child)] += 1
            corners = check(Int(entry.child))
          } else {
            for slot in Int(entry.child)..<(Int(entry.child) + Int(entry.count)) {
              slotSeen[slot] += 1
              let p = mesh.triangles + slot * 9
              for k in 0..<3 { corners.append(Vec3(p[3 * k], p[3 * k + 1], p[3 * k + 2])) }
            }
          }
          let base = nodes + node * WideBVH.nodeBytes
          func bound(_ k: Int) -> Double { Double(base.load(fromByteOffset: (k * 4 + lane) * 4, as: Float.self)) }
          for c in corners {
            #expect(c.x >= bound(0) && c.y >= bound(1) && c.z >= bound(2))
            #expect(c.x <= bound(3) && c.y <= bound(4) && c.z <= bound(5))
          }
          below += corners
        }
        #expect(used >= 1 && used <= 4)
        return below
      }
      _ = check(0)
      #expect(slotSeen.allSatisfy { $0 == 1 })
      #expect(nodeSeen.allSatisfy { $0 == 1 })
      #expect(plan.depth >= 1)
      // Four-wide: about half the binary depth for a balanced tree, never more.
      var binaryDepth = 0
      func depth(_ node: Int, _ level: Int) {
        binaryDepth = Swift.max(binaryDepth, level)
        let link = mesh.topology.links[node]
        if link.count0 == 0 { depth(Int(link.child0), level + 1) }
        if link.count1 == 0 { depth(Int(link.child1), level + 1) }
      }
      depth(0, 1)
      #expect(plan.depth <= binaryDepth)
      if subdivisions >= 2 { #expect(plan.depth < binaryDepth) }
    }
  }

  /// Meshes of one to five triangles (a root whose lanes name the same leaf, and the smallest
  /// trees above it) answer closest-hit and any-hit queries like brute force.
  @Test func smallMeshesAnswerLikeBruteForce() throws {
    var stream = Stream(state: 12)
    for triangles in 1...5 {
      var vertices: [Vec3] = []
      var indices: [UInt32] = []
      for k in 0..<triangles {
        let centre = Vec3(stream.next() * 2 - 1, stream.next() * 2 - 1, stream.next() * 2 - 1)
        for _ in 0..<3 {
          vertices.append(centre + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5))
        }
        indices += [UInt32(3 * k), UInt32(3 * k + 1), UInt32(3 * k + 2)]
      }
      let mesh = try MeshBVH(vertices: vertices, indices: indices, normals: nil, reject: reject)
      let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: mesh.stackDepth)
      defer { stack.deallocate() }
      var scratch = MeshHitScratch(stack: stack)
      var hits = 0
      for _ in 0..<300 {
        let origin = Vec3(stream.next() * 6 - 3, stream.next() * 6 - 3, stream.next() * 6 - 3)
        let direction = Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) - origin * 0.3
        let exact = WatertightRay(origin: origin, direction: direction)
        var expected: (t: Double, triangle: Int)? = nil
        for k in 0..<triangles {
          var corners: [Double] = []
          for j in 0..<3 {
            let v = vertices[Int(indices[3 * k + j])]
            corners += [v.x, v.y, v.z]
          }
          guard let hit = corners.withUnsafeBufferPointer({ exact.intersect($0.baseAddress!, tMin: 0, tMax: .infinity) })
          else { continue }
          if expected == nil || hit.t < expected!.t { expected = (hit.t, k) }
        }
        let t = MeshTraversal.intersect(
          mesh.view, origin: origin, direction: direction, tMin: 0, tMax: .infinity, anyHit: false, scratch: &scratch)
        #expect(t == expected?.t)
        if let expected, t != nil {
          hits += 1
          #expect(Int(mesh.topology.triangleOfSlot[scratch.slot]) == expected.triangle)
        }
        let any = MeshTraversal.intersect(
          mesh.view, origin: origin, direction: direction, tMin: 0, tMax: .infinity, anyHit: true, scratch: &scratch)
        #expect((any != nil) == (expected != nil))
      }
      #expect(hits > 10)
    }
  }
}
