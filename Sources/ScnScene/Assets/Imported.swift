import Foundation
import ScnGeometry

/// An imported asset (a glTF file read by `ScnAssets`) as scene-model parts: triangle meshes
/// in the asset's own frame, converted to the scene's axes (z up, front along +x, metres
/// times the declared scale), each with its material and its glTF node's name as part
/// label. Immutable; compared and hashed by identity (one file is imported once).
public final class ImportedAsset: Hashable, Sendable {
  /// The name the scenario gives it (`asset <name> = …`).
  public let name: String
  public let parts: [Part]
  /// Bounds of every part's vertices in the asset frame.
  public let bounds: AABB

  public init(name: String, parts: [Part]) {
    self.name = name
    self.parts = parts
    var box: AABB?
    for part in parts {
      guard case .mesh(let m) = part.shape, !m.vertices.isEmpty else { continue }
      for v in m.vertices {
        let w = part.transform.apply(toPoint: v)
        box = box.map { $0.union(w) } ?? AABB(lower: w, upper: w)
      }
    }
    bounds = box ?? AABB(lower: .zero, upper: .zero)
  }

  public var triangleCount: Int {
    parts.reduce(0) { n, p in
      if case .mesh(let m) = p.shape { return n + m.triangleCount }
      return n
    }
  }

  public static func == (a: ImportedAsset, b: ImportedAsset) -> Bool { a === b }
  public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// The prelude's `Shape.asset`: the actor's imported asset scaled uniformly to fit its size
/// box (the largest scale at which the asset's bounds fit in length, width and height),
/// standing on z = 0 and centred on the footprint. Meshes are rebuilt per distinct
/// (asset, size) and shared through a bounded cache.
enum Imported {
  struct Key: Hashable {
    let asset: ImportedAsset
    let size: Vec3
  }

  static func parts(_ asset: ImportedAsset, size: Vec3) -> [Part] {
    ImportedCache.shared.parts(Key(asset: asset, size: size)) { key in build(key.asset, size: key.size) }
  }

  static func build(_ asset: ImportedAsset, size: Vec3) -> [Part] {
    let b = asset.bounds
    let extent = b.upper - b.lower
    var scale = Double.infinity
    if extent.x > 0 { scale = Swift.min(scale, size.x / extent.x) }
    if extent.y > 0 { scale = Swift.min(scale, size.y / extent.y) }
    if extent.z > 0 { scale = Swift.min(scale, size.z / extent.z) }
    guard scale.isFinite, scale > 0 else { return [] }
    // Bottom centre of the bounds goes to the origin.
    let anchor = Vec3((b.lower.x + b.upper.x) / 2, (b.lower.y + b.upper.y) / 2, b.lower.z)
    return asset.parts.map { part in
      guard case .mesh(let m) = part.shape else { return part }
      let vertices = m.vertices.map { (part.transform.apply(toPoint: $0) - anchor) * scale }
      let normals = m.normals.map { ns in ns.map { part.transform.apply(toVector: $0) } }
      var out = part
      out.shape = .mesh(TriangleMesh(vertices: vertices, indices: m.indices, normals: normals, uvs: m.uvs))
      out.transform = .identity
      return out
    }
  }
}

/// `Imported`'s cache: thread-safe, emptied when it holds `capacity` entries.
final class ImportedCache: @unchecked Sendable {
  // @unchecked: every access to `entries` holds `lock`.
  static let shared = ImportedCache()
  static let capacity = 1024

  private let lock = NSLock()
  private var entries: [Imported.Key: [Part]] = [:]

  func parts(_ key: Imported.Key, build: (Imported.Key) -> [Part]) -> [Part] {
    if let hit = lock.withLock({ entries[key] }) { return hit }
    let made = build(key)
    lock.withLock {
      if entries.count >= ImportedCache.capacity { entries.removeAll() }
      entries[key] = made
    }
    return made
  }
}
