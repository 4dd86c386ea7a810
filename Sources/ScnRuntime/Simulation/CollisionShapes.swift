import ScnGeometry
import ScnPhysics
import ScnScene

/// An actor's collision shape in physics, from the parts the scene model builds for it
/// (`ScnScene.ActorShapes`, the request the sampler's overlap test and the sensors use): each
/// part as the convex solid the overlap test sees (`Part.solid`): boxes, spheres and
/// cylinders exactly, meshes as their convex hulls, in the body frame centred on the size
/// box (docs/scene-model.md, "Overlap tests and physics"). An actor of one part centred on
/// its size box (a box, a ball, an upright cylinder) is that part's plain shape.
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
    let pieces = parts.prefix(CollisionShape.maxCompoundBoxes).map { part -> CompoundPart in
      let (shape, transform) = solid(part)
      return CompoundPart(shape, center: transform.translation - lift, rotation: transform.rotation)
    }
    if pieces.isEmpty
      || (pieces.count == 1 && pieces[0].center == .zero && pieces[0].rotation == .identity
        && pieces[0].shape == .box(halfExtents: half))
    {
      return .box(halfExtents: half)
    }
    // One part centred on the size box: the part's own shape, with its own inertia (a ball).
    if pieces.count == 1, pieces[0].center == .zero, pieces[0].rotation == .identity, pieces[0].shape.isValid {
      return pieces[0].shape
    }
    let shape = CollisionShape.compound(Array(pieces))
    return shape.isValid ? shape : .box(halfExtents: half)
  }

  /// A part as a physics shape placed by the returned transform in the frame the part's
  /// transform maps into: a box, sphere or cylinder exactly (sizes raised to
  /// `minimumHalfExtent`), a mesh as its convex hull (`TriangleMesh.convexHull`), or its
  /// oriented bounding box when the hull spans no volume.
  static func solid(_ part: Part) -> (CollisionShape, Transform) {
    let m = minimumHalfExtent
    switch part.shape {
    case .sphere(let r):
      return (.sphere(radius: max(r, m)), part.transform)
    case .cylinder(let r, let h):
      return (.cylinder(radius: max(r, m), halfHeight: max(h / 2, m)), part.transform)
    case .mesh(let mesh):
      if let hull = ConvexPolytope(mesh.convexHull) { return (.hull(hull), part.transform) }
    case .box:
      break
    }
    let b = part.box
    let h = b.halfExtents
    return (.box(halfExtents: Vec3(max(h.x, m), max(h.y, m), max(h.z, m))), Transform(rotation: b.rotation, translation: b.center))
  }
}
