import ScnGeometry
import Synchronization

/// Where a `TriangleMesh` keeps its convex hull once computed: meshes are shared across
/// threads, and the hull is needed only by overlap tests, so it is made on first use.
/// A `Mutex` held inline: a walking person's meshes are made for every gait phase, and a
/// lock object per store was two more heap objects per mesh.
final class MeshHullStore: Sendable {
  private let hull = Mutex<ConvexHull?>(nil)

  func hull(of vertices: [Vec3]) -> ConvexHull {
    if let h = hull.withLock({ $0 }) { return h }
    // Computed outside the lock; two threads racing compute the same hull.
    let h = ConvexHull(containing: vertices)
    hull.withLock { $0 = h }
    return h
  }
}

/// What another module derives from a mesh and keeps for exactly as long as the mesh lives
/// (the ray caster's BVH, `MeshBVHCache` in ScnSensors): the object is released with the
/// mesh, so no table of weak references has to be swept for released meshes. Holds one
/// object; when two threads store one at once, the first stored is kept.
public final class MeshDerivedStore: @unchecked Sendable {
  // @unchecked: only `Sendable` objects are stored, and only under the mutex.
  private let object = Mutex<AnyObject?>(nil)

  /// The stored object when it is a `T`.
  public func stored<T: AnyObject & Sendable>(as _: T.Type) -> T? { object.withLock { $0 as? T } }

  /// Stores `made` unless a `T` is stored already; returns the one kept.
  public func keep<T: AnyObject & Sendable>(_ made: T) -> T {
    object.withLock {
      if let kept = $0 as? T { return kept }
      $0 = made
      return made
    }
  }
}

extension Part {
  /// The part as a convex solid in the frame its transform maps into: boxes, spheres and
  /// cylinders exactly, meshes as their convex hull (docs/scene-model.md).
  public var solid: ConvexSolid {
    switch shape {
    case .box(let size):
      return .box(OrientedBox(center: transform.translation, halfExtents: size / 2, rotation: transform.rotation))
    case .sphere(let r):
      return .sphere(center: transform.translation, radius: r)
    case .cylinder(let r, let h):
      return .cylinder(center: transform.translation, axis: transform.rotation.rotate(.unitZ), radius: r, halfHeight: h / 2)
    case .mesh(let m):
      return .hull(m.convexHull, transform)
    }
  }
}
