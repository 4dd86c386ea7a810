import Foundation
import ScnGeometry

/// Meshes of the parametric assets, built once per distinct set of mesh-determining
/// parameters and shared by every part that uses them (the sampler asks for an actor's
/// parts on every overlap test, the sensors once per frame). Thread-safe; bounded: when a
/// kind holds `capacity` entries it is emptied before the next is added, so a scenario that
/// draws a fresh size for every actor costs rebuilds, never unbounded memory. The meshes of
/// a key do not depend on what else is cached, so output never depends on the cache.
final class AssetCache: @unchecked Sendable {
  // @unchecked: every access to the dictionaries holds `lock`.
  static let shared = AssetCache()
  static let capacity = 4096

  private let lock = NSLock()
  private var people: [Person.Key: [Person.Piece]] = [:]
  private var vehicles: [Vehicle.Key: [Vehicle.Piece]] = [:]
  private var props: [Prop.Key: [Part]] = [:]

  func person(_ key: Person.Key, build: (Person.Key) -> [Person.Piece]) -> [Person.Piece] {
    if let hit = lock.withLock({ people[key] }) { return hit }
    let made = build(key)
    lock.withLock {
      if people.count >= AssetCache.capacity { people.removeAll() }
      people[key] = made
    }
    return made
  }

  func vehicle(_ key: Vehicle.Key, build: (Vehicle.Key) -> [Vehicle.Piece]) -> [Vehicle.Piece] {
    if let hit = lock.withLock({ vehicles[key] }) { return hit }
    let made = build(key)
    lock.withLock {
      if vehicles.count >= AssetCache.capacity { vehicles.removeAll() }
      vehicles[key] = made
    }
    return made
  }

  func prop(_ key: Prop.Key, build: (Prop.Key) -> [Part]) -> [Part] {
    if let hit = lock.withLock({ props[key] }) { return hit }
    let made = build(key)
    lock.withLock {
      if props.count >= AssetCache.capacity { props.removeAll() }
      props[key] = made
    }
    return made
  }
}
