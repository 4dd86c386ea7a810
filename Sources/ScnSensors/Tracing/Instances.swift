import ScnGeometry

/// The distinct meshes of a scene, each built once (`MeshBVH`) however many parts use it.
///
/// Two parts share a mesh when their `.mesh` shapes hold the same vertex and index storage
/// (copies of one array value share storage until one of them is modified).
struct MeshStore: Sendable {
  private(set) var meshes: [MeshBVH] = []
  private var indexOfKey: [Key: Int] = [:]
  /// Triangles (indices / 3) over the distinct meshes so far.
  private(set) var triangleTotal = 0

  /// Identity of a mesh's storage. The arrays it names are kept alive by the scene, which
  /// the intersector holds, so an address cannot be reused while the key is in use.
  struct Key: Hashable, Sendable {
    let vertices: Int
    let vertexCount: Int
    let indices: Int
    let indexCount: Int
    let normals: Int
    let normalCount: Int
  }

  private static func address<T>(_ array: [T]) -> Int {
    array.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
  }

  /// The index of the built mesh for this storage, building it the first time.
  mutating func mesh(
    vertices: [Vec3], indices: [UInt32], normals: [Vec3]?, instanceID: UInt32
  ) throws -> Int {
    let key = Key(
      vertices: Self.address(vertices), vertexCount: vertices.count, indices: Self.address(indices),
      indexCount: indices.count, normals: normals.map { Self.address($0) } ?? 0, normalCount: normals?.count ?? -1)
    if let known = indexOfKey[key] { return known }
    let declared = indices.count / 3
    guard declared <= MeshLimits.maxTrianglesPerScene - triangleTotal else {
      throw RenderError.invalidPart(
        instanceID: instanceID,
        reason:
          "the scene's distinct meshes hold more than \(MeshLimits.maxTrianglesPerScene) triangles together "
          + "(\(triangleTotal) before this mesh of \(declared))")
    }
    let built = try MeshBVH(vertices: vertices, indices: indices, normals: normals) { reason in
      RenderError.invalidPart(instanceID: instanceID, reason: reason)
    }
    triangleTotal += declared
    meshes.append(built)
    indexOfKey[key] = meshes.count - 1
    return meshes.count - 1
  }
}

extension PrimitiveTable {
  /// The world bounds of a mesh placed by `placed`: its local box's corners, transformed.
  static func instanceBounds(_ mesh: MeshBVH, placed: Transform) -> AABB {
    let box = mesh.bounds
    guard !box.isEmpty else { return AABB(lower: placed.translation, upper: placed.translation) }
    var world = AABB.empty
    for x in [box.lower.x, box.upper.x] {
      for y in [box.lower.y, box.upper.y] {
        for z in [box.lower.z, box.upper.z] { world = world.union(placed.apply(toPoint: Vec3(x, y, z))) }
      }
    }
    return world
  }
}

extension PrimitiveIntersection {
  /// A mesh instance: the ray moved into the mesh frame (rows 0–8 world→local rotation,
  /// 9–11 the frame's origin, 12 the mesh index), then the mesh's own BVH. The transform is
  /// rigid, so t is unchanged.
  @inline(__always)
  static func instance(
    _ p: UnsafePointer<Double>, _ o: Vec3, _ d: Vec3, _ tMin: Double, _ tMax: Double, meshes: UnsafePointer<MeshView>,
    anyHit: Bool, scratch: UnsafeMutablePointer<MeshHitScratch>
  ) -> Double? {
    let (lo, ld) = toLocal(p, o, d)
    return MeshTraversal.intersect(
      meshes[Int(p[12])], origin: lo, direction: ld, tMin: tMin, tMax: tMax, anyHit: anyHit, scratch: scratch)
  }

  /// The facing unit normal (world) of the last hit `scratch` recorded on instance `p`.
  static func instanceNormal(
    _ p: UnsafePointer<Double>, direction d: Vec3, meshes: UnsafePointer<MeshView>, scratch: MeshHitScratch
  ) -> Vec3 {
    let (_, ld) = toLocal(p, .zero, d)
    let local = MeshTraversal.facingNormal(
      meshes[Int(p[12])], slot: scratch.slot, u: scratch.u, v: scratch.v, direction: ld)
    return toWorld(p, local)
  }
}
