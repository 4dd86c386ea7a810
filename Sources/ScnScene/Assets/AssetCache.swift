import Foundation
import ScnGeometry

/// Meshes of the parametric assets, built once per distinct set of mesh-determining
/// parameters and shared by every part that uses them (the sampler asks for an actor's
/// parts on every overlap test, the sensors once per frame). Thread-safe; bounded by the
/// bytes its meshes hold (`byteBudget`, with at most `capacity` entries of a kind): when the
/// next entry would exceed the budget, the whole cache is emptied first, so a run that
/// draws fresh people for every sample (a walking person's 17 parts hold about 165 KB of mesh per gait phase)
/// costs rebuilds, never memory that grows with the samples (docs/scene-model.md). People
/// are bounded apart as well (`peopleByteBudget`), oldest entry first: a walking person has
/// a mesh set per gait phase and a sample that draws new builds never meets its people's
/// meshes again, so they leave one by one in the order they came and the next ones reuse
/// the memory they free (emptying the whole cache at once handed that memory back to the
/// kernel, and every page of the next meshes, and of their ray-tracing trees, was faulted
/// in afresh). The meshes of a key do not depend on what else is cached, so output never
/// depends on the cache; meshes dropped here take their ray-tracing BVHs with them
/// (`MeshBVHCache`).
final class AssetCache: @unchecked Sendable {
  // @unchecked: every access to the dictionaries and `bytes` holds `lock`.
  static let shared = AssetCache()
  static let capacity = 4096
  /// Mesh bytes the cache may hold in all: enough for a few hundred distinct people, far
  /// below the 1 GiB a run with 50 people per sample must stay within.
  static let byteBudget = 96 << 20
  /// Mesh bytes the people may hold within `byteBudget`: two to three samples' worth of
  /// eight walking people in 16 gait phases each (about 17 MiB a sample, and two samples
  /// are made at once with `--jobs 2`), so a phase met again later in its sample, and the
  /// held pose the sampler and the physics both ask for, are still cached.
  static let peopleByteBudget = 48 << 20

  /// This cache's bound on the people's mesh bytes (`peopleByteBudget` for the shared one).
  let peopleBudget: Int

  init(peopleBudget: Int = AssetCache.peopleByteBudget) {
    self.peopleBudget = peopleBudget
  }

  private let lock = NSLock()
  private var people: [Person.Key: [Person.Piece]] = [:]
  /// The people's keys in the order they were stored, the oldest at `peopleHead`, and the
  /// mesh bytes of each (the entries before `peopleHead` are gone).
  private var peopleOrder: [(key: Person.Key, bytes: Int)] = []
  private var peopleHead = 0
  private var peopleBytes = 0
  private var vehicles: [Vehicle.Key: [Vehicle.Piece]] = [:]
  private var props: [Prop.Key: [Part]] = [:]
  private var bicycles: [Bicycle.Key: [Bicycle.Piece]] = [:]
  /// Mesh bytes of everything cached.
  private var bytes = 0

  /// Bytes currently held, in all and by people (for tests).
  var heldBytes: Int { lock.withLock { bytes } }
  var heldPeopleBytes: Int { lock.withLock { peopleBytes } }

  func person(_ key: Person.Key, build: (Person.Key) -> [Person.Piece]) -> [Person.Piece] {
    if let hit = lock.withLock({ people[key] }) { return hit }
    let made = build(key)
    let size = made.reduce(0) { $0 + $1.mesh.byteCount }
    lock.withLock {
      // Another thread may have stored the key meanwhile: keep its meshes, count once.
      if people[key] != nil { return }
      // The oldest people leave first until this one fits their budget.
      while peopleHead < peopleOrder.count, peopleBytes + size > peopleBudget {
        let (old, oldBytes) = peopleOrder[peopleHead]
        peopleHead += 1
        people[old] = nil
        peopleBytes -= oldBytes
        bytes -= oldBytes
      }
      if peopleHead >= 1024, peopleHead * 2 >= peopleOrder.count {
        peopleOrder.removeFirst(peopleHead)
        peopleHead = 0
      }
      makeRoom(for: size, count: people.count)
      people[key] = made
      peopleOrder.append((key, size))
      peopleBytes += size
    }
    return made
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
      peopleOrder.removeAll()
      peopleHead = 0
      peopleBytes = 0
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
