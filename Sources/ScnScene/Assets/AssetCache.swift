import Foundation
import ScnGeometry

/// Meshes of the parametric assets, built once per distinct set of mesh-determining
/// parameters and shared by every part that uses them (the sampler asks for an actor's
/// parts on every overlap test, the sensors once per frame). Thread-safe; bounded by the
/// bytes its meshes hold (`byteBudget`, with at most `capacity` entries of a kind): when the
/// next entry would exceed the budget, the whole cache is emptied first, so a run that
/// draws fresh people for every sample (50 distinct people of about 1 MiB of mesh each)
/// costs rebuilds, never memory that grows with the samples (docs/scene-model.md). The
/// meshes of a key do not depend on what else is cached, so output never depends on the
/// cache; meshes dropped here take their ray-tracing BVHs with them (`MeshBVHCache`).
final class AssetCache: @unchecked Sendable {
  // @unchecked: every access to the dictionaries and `bytes` holds `lock`.
  static let shared = AssetCache()
  static let capacity = 4096
  /// Mesh bytes the cache may hold in all: enough for a few hundred distinct people, far
  /// below the 1 GiB a run with 50 people per sample must stay within.
  static let byteBudget = 96 << 20

  private let lock = NSLock()
  private var people: [Person.Key: [Person.Piece]] = [:]
  private var vehicles: [Vehicle.Key: [Vehicle.Piece]] = [:]
  private var props: [Prop.Key: [Part]] = [:]
  private var bicycles: [Bicycle.Key: [Bicycle.Piece]] = [:]
  /// Mesh bytes of everything cached.
  private var bytes = 0

  /// Bytes currently held (for tests).
  var heldBytes: Int { lock.withLock { bytes } }

  func person(_ key: Person.Key, build: (Person.Key) -> [Person.Piece]) -> [Person.Piece] {
    cached(\.people, key, build: build) { $0.mesh.byteCount }
  }

  func vehicle(_ key: Vehicle.Key, build: (Vehicle.Key) -> [Vehicle.Piece]) -> [Vehicle.Piece] {
    cached(\.vehicles, key, build: build) { $0.shape.byteCount }
  }

  func prop(_ key: Prop.Key, build: (Prop.Key) -> [Part]) -> [Part] {
    cached(\.props, key, build: build) { $0.shape.byteCount }
  }

  func bicycle(_ key: Bicycle.Key, build: (Bicycle.Key) -> [Bicycle.Piece]) -> [Bicycle.Piece] {
    cached(\.bicycles, key, build: build) { $0.shape.byteCount }
  }

  /// The pieces of `key` in one kind's table: a hit, or built outside the lock and stored,
  /// counting the bytes of each piece's mesh.
  private func cached<Key: Hashable, Piece>(
    _ table: ReferenceWritableKeyPath<AssetCache, [Key: [Piece]]>, _ key: Key, build: (Key) -> [Piece],
    bytes pieceBytes: (Piece) -> Int
  ) -> [Piece] {
    if let hit = lock.withLock({ self[keyPath: table][key] }) { return hit }
    let made = build(key)
    let size = made.reduce(0) { $0 + pieceBytes($1) }
    lock.withLock {
      makeRoom(for: size, count: self[keyPath: table].count)
      self[keyPath: table][key] = made
    }
    return made
  }

  /// Empties the cache when an entry of `size` bytes would take it over the budget, or its
  /// kind already holds `capacity` entries (called with `lock` held).
  private func makeRoom(for size: Int, count: Int) {
    if bytes + size > Self.byteBudget || count >= Self.capacity {
      people.removeAll()
      vehicles.removeAll()
      props.removeAll()
      bicycles.removeAll()
      bytes = 0
    }
    bytes += size
  }
}

extension TriangleMesh {
  /// Bytes of the vertex, index, normal and texture-coordinate arrays.
  var byteCount: Int {
    vertices.count * MemoryLayout<Vec3>.stride + indices.count * MemoryLayout<UInt32>.stride
      + (normals?.count ?? 0) * MemoryLayout<Vec3>.stride + (uvs?.count ?? 0) * MemoryLayout<SIMD2<Float>>.stride
  }
}

extension PartShape {
  /// Bytes a mesh part holds (primitives: none worth counting).
  var byteCount: Int {
    if case .mesh(let m) = self { return m.byteCount }
    return 0
  }
}
