import CMesh
import ScnGeometry
import ScnScene
import Synchronization

/// The distinct meshes of a scene, each built once (`MeshBVH`) however many parts use it.
///
/// Parts share a mesh when their `.mesh` shapes hold the same `TriangleMesh` object (its
/// identity, not its contents: two equal meshes built separately are two meshes). The built
/// BVHs come from `MeshBVHCache`, so a mesh that stays alive across frames is built once per
/// process, not once per frame.
struct MeshStore: Sendable {
  private(set) var meshes: [MeshBVH] = []
  private var indexOfMesh: [ObjectIdentifier: Int] = [:]
  /// Triangles (indices / 3) over the distinct meshes so far.
  private(set) var triangleTotal = 0

  /// The index of the built mesh for `mesh`, building it the first time. The scene holds
  /// `mesh` while the store is in use, so its identifier cannot be reused meanwhile.
  mutating func mesh(_ mesh: TriangleMesh, instanceID: UInt32) throws -> Int {
    let key = ObjectIdentifier(mesh)
    if let known = indexOfMesh[key] { return known }
    let declared = mesh.indices.count / 3
    guard declared <= MeshLimits.maxTrianglesPerScene - triangleTotal else {
      throw RenderError.invalidPart(
        instanceID: instanceID,
        reason:
          "the scene's distinct meshes hold more than \(MeshLimits.maxTrianglesPerScene) triangles together "
          + "(\(triangleTotal) before this mesh of \(declared))")
    }
    let built = try MeshBVHCache.shared.bvh(for: mesh) { reason in
      RenderError.invalidPart(instanceID: instanceID, reason: reason)
    }
    triangleTotal += declared
    meshes.append(built)
    indexOfMesh[key] = meshes.count - 1
    return meshes.count - 1
  }
}

/// Built mesh BVHs, each kept with its mesh (`TriangleMesh.derived`) for as long as the mesh
/// lives: meshes are immutable, so a BVH built for one frame serves every later frame and
/// every thread, and it is released with the mesh (a walking person's gait meshes leave the
/// parametric asset cache together with their trees; nothing is swept).
///
/// A mesh met for the first time whose index list and vertex count match a mesh built
/// before (a walking person's body part in the next gait phase, a vehicle part at another
/// size) gets that mesh's tree refitted to its vertices (`MeshTopology`) instead of a new
/// SAH build. Which earlier mesh lent the tree depends on the order the threads met the
/// meshes in; the hits do not (see `MeshTraversal.intersect`).
final class MeshBVHCache: Sendable {
  static let shared = MeshBVHCache()

  /// What a tree's shape is keyed by: meshes with equal keys index their vertices alike.
  /// Equality compares the whole index list; the hash reads at most `hashedIndices` of its
  /// entries, spread over it (a person's body part has hundreds, hashed on every look-up
  /// of a mesh met for the first time, while meshes of different topologies almost always
  /// differ in their counts already), folded into one word (FNV-1a steps) that is hashed
  /// once: a `Hasher.combine` per entry cost more than the rest of the look-up.
  private struct TopologyKey: Hashable {
    let vertexCount: Int
    let indices: [UInt32]

    static let hashedIndices = 64

    func hash(into hasher: inout Hasher) {
      hasher.combine(vertexCount)
      hasher.combine(indices.count)
      let stride = Swift.max(1, indices.count / Self.hashedIndices)
      var folded: UInt64 = 0xcbf2_9ce4_8422_2325
      indices.withUnsafeBufferPointer { list in
        var k = 0
        while k < list.count {
          folded = (folded ^ UInt64(list[k])) &* 0x100_0000_01b3
          k += stride
        }
      }
      hasher.combine(folded)
    }
  }

  /// Tree shapes by topology, independent of the meshes' lifetimes (a person's next gait
  /// phase comes after the last one's meshes may be gone), emptied when the next would pass
  /// `maxTopologies` or `maxTopologyBytes`.
  private struct Topologies {
    var shapes: [TopologyKey: MeshTopology] = [:]
    var bytes = 0
  }

  static let maxTopologies = 4096
  static let maxTopologyBytes = 64 << 20

  private let topologies = Mutex(Topologies())

  /// The BVH of `mesh`: kept with it, refitted from a known topology, or built. `reject`
  /// turns a reason the mesh is malformed into the error to throw. Building happens outside
  /// the locks; if two threads build the same mesh at once, the first stored is kept (both
  /// answer every ray alike).
  func bvh(for mesh: TriangleMesh, reject: (String) -> RenderError) throws -> MeshBVH {
    if let cached = mesh.derived.stored(as: MeshBVH.self) { return cached }
    let shapeKey = TopologyKey(vertexCount: mesh.vertices.count, indices: mesh.indices)
    let known = topologies.withLock { $0.shapes[shapeKey] }
    let built: MeshBVH
    if let known,
      let refitted = try MeshBVH(
        refitting: known, vertices: mesh.vertices, indices: mesh.indices, normals: mesh.normals, uvs: mesh.uvs,
        reject: reject)
    {
      built = refitted
    } else {
      built = try MeshBVH(
        vertices: mesh.vertices, indices: mesh.indices, normals: mesh.normals, uvs: mesh.uvs, reject: reject)
      let topology = built.topology
      topologies.withLock { table in
        guard table.shapes[shapeKey] == nil else { return }
        let bytes = topology.byteCount + shapeKey.indices.count * MemoryLayout<UInt32>.stride
        if table.shapes.count >= Self.maxTopologies || table.bytes + bytes > Self.maxTopologyBytes {
          table.shapes = [:]
          table.bytes = 0
        }
        table.shapes[shapeKey] = topology
        table.bytes += bytes
      }
    }
    return mesh.derived.keep(built)
  }

  /// Tree shapes held for refits (for tests).
  var topologyCount: Int { topologies.withLock { $0.shapes.count } }

  /// The tree shape known for meshes indexed like `mesh`, if any (for tests).
  func topology(for mesh: TriangleMesh) -> MeshTopology? {
    topologies.withLock { $0.shapes[TopologyKey(vertexCount: mesh.vertices.count, indices: mesh.indices)] }
  }
}

extension PrimitiveTable {
  /// The world bounds of a mesh placed by `placed`: its local box's corners, transformed.
  static func instanceBounds(_ mesh: MeshBVH, placed: Transform) -> AABB {
    let box = mesh.bounds
    guard !box.isEmpty else { return AABB(lower: placed.translation, upper: placed.translation) }
    var world = AABB.empty
    // The corners x, then y, then z slowest to fastest, lower before upper (no array per
    // axis: this runs for every mesh part of every frame).
    for corner in 0..<8 {
      let x = corner & 4 == 0 ? box.lower.x : box.upper.x
      let y = corner & 2 == 0 ? box.lower.y : box.upper.y
      let z = corner & 1 == 0 ? box.lower.z : box.upper.z
      world = world.union(placed.apply(toPoint: Vec3(x, y, z)))
    }
    return world
  }
}

extension PrimitiveIntersection {
  /// A mesh instance: the ray moved into the mesh frame (rows 0–8 world→local rotation,
  /// 9–11 the frame's origin, 12 the mesh index), then the mesh's own BVH, both in C
  /// (`cmesh_intersect_instance`, Sources/CMesh). The transform is rigid, so t is unchanged.
  /// The same answer, bit for bit, as `instanceReference` (the Swift walk).
  @inline(__always)
  static func instance(
    _ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double, meshes: UnsafePointer<MeshView>,
    anyHit: Bool, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> Double? {
    var query = cmesh_query(
      origin: (o.x, o.y, o.z), direction: (d.x, d.y, d.z), t_min: tMin, t_max: tMax, tiny: FloatRay.tiny,
      lower_limit: FloatRay.lowerLimit(tMin), upper_scale: FloatRay.upperScale, upper_offset: FloatRay.upperOffset,
      any_hit: anyHit ? 1 : 0)
    var t = 0.0
    let hit = cmesh_intersect_instance(p, meshes + Int(p[12]), &query, scratch, &t, Int32(CMESH_PATH_AUTO))
    return hit != 0 ? t : nil
  }

  /// `instance` in Swift: `toLocal`, then `MeshTraversal.intersect` (the reference the C walk
  /// is tested against).
  static func instanceReference(
    _ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double, meshes: UnsafePointer<MeshView>,
    anyHit: Bool, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> Double? {
    let (lo, ld) = toLocal(p, o, d)
    return MeshTraversal.intersect(
      meshes[Int(p[12])], origin: lo, direction: ld, tMin: tMin, tMax: tMax, anyHit: anyHit, scratch: scratch)
  }

  /// The facing unit normal (world) of the last hit `scratch` recorded on instance `p`, in C
  /// (`cmesh_instance_normal`, Sources/CMesh): the same bits as `instanceNormalReference`.
  @inline(__always)
  static func instanceNormal(
    _ p: UnsafePointer<Double>, direction d: Vec3, meshes: UnsafePointer<MeshView>, scratch: MeshHitScratch
  ) -> Vec3 {
    let n = cmesh_instance_normal(p, meshes + Int(p[12]), scratch.slot, scratch.u, scratch.v, d.x, d.y, d.z)
    return Vec3(n.x, n.y, n.z)
  }

  /// `instanceNormal` in Swift: `toLocal`, `MeshTraversal.facingNormal`, `toWorld` (the
  /// reference the C is tested against).
  static func instanceNormalReference(
    _ p: UnsafePointer<Double>, direction d: Vec3, meshes: UnsafePointer<MeshView>, scratch: MeshHitScratch
  ) -> Vec3 {
    let (_, ld) = toLocal(p, .zero, d)
    let local = MeshTraversal.facingNormal(
      meshes[Int(p[12])], slot: scratch.slot, u: scratch.u, v: scratch.v, direction: ld)
    return toWorld(p, local)
  }
}
