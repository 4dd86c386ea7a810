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
