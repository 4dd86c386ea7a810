import ScnGeometry
import ScnScene

extension StuffSolid {
  /// The solid as a pseudo-object for the primitive table (instance id 0 is never written:
  /// hits on it are reported as `RayHit.Surface.stuff`).
  var asObject: SceneObject {
    SceneObject(
      instanceID: 0, semanticClass: semanticClass, className: className, material: material,
      parts: [Part(.mesh(mesh))], transform: .identity)
  }
}

/// What a hit is, for the label images and the LiDAR: its semantic class, its instance (0
/// for ground and stuff) and its material (nil for plain ground, which the environment colours).
struct HitSurface {
  var semanticClass: UInt8
  var instanceID: UInt32
  var material: Material?

  /// The surface of a stuff solid or of the ground at `point` (a road band or plain ground).
  @inline(__always)
  static func stuffOrGround(_ surface: RayHit.Surface, at point: Vec3, stuff: Stuff) -> HitSurface? {
    switch surface {
    case .object: return nil
    case .stuff(let index):
      guard stuff.solids.indices.contains(index) else { return nil }
      let solid = stuff.solids[index]
      return HitSurface(semanticClass: solid.semanticClass, instanceID: 0, material: solid.material)
    case .ground:
      if let painted = stuff.ground(atX: point.x, y: point.y) {
        return HitSurface(semanticClass: painted.semanticClass, instanceID: 0, material: painted.material)
      }
      return HitSurface(semanticClass: SemanticClass.ground, instanceID: 0, material: nil)
    }
  }
}
