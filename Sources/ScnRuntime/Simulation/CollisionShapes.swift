import ScnGeometry
import ScnPhysics
import ScnScene

/// An actor's collision shape in physics, from the parts the scene model builds for it
/// (`ScnScene.ActorShapes`, the request the sampler's overlap test and the sensors use):
/// one box per part, the part's oriented bounding box (exact for box parts, conservative
/// for cylinders, spheres and meshes), in the body frame centred on the size box
/// (docs/scene-model.md). An actor whose parts are just its size box keeps the plain box.
enum CollisionShapes {
  /// Half extents below this are raised to it (a flat part still has a little thickness).
  static let minimumHalfExtent = 0.0005

  static func shape(of r: Record, type: CompiledType) -> CollisionShape {
    let half = r.size / 2
    let request = ShapeRequests.request(
      size: r.size, names: type.fieldNames, types: type.fieldTypes, values: r.fields, shapeIndex: type.shape,
      assets: type.assets)
    return shape(parts: ActorShapes.parts(request), halfSize: half)
  }

  /// `parts` in the object frame (origin at the bottom centre of the size box).
  static func shape(parts: [Part], halfSize half: Vec3) -> CollisionShape {
    let lift = Vec3(0, 0, half.z)
    let boxes = parts.prefix(CollisionShape.maxCompoundBoxes).map { part -> OrientedBox in
      let b = part.box
      let h = b.halfExtents
      return OrientedBox(
        center: b.center - lift,
        halfExtents: Vec3(max(h.x, minimumHalfExtent), max(h.y, minimumHalfExtent), max(h.z, minimumHalfExtent)),
        rotation: b.rotation)
    }
    if boxes.isEmpty
      || (boxes.count == 1 && boxes[0].center == .zero && boxes[0].rotation == .identity && boxes[0].halfExtents == half)
    {
      return .box(halfExtents: half)
    }
    let shape = CollisionShape.compound(Array(boxes))
    return shape.isValid ? shape : .box(halfExtents: half)
  }
}
