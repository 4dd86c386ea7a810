import ScnGeometry

/// A linear RGB colour with components in 0…1 (1 = a perfectly white diffuse reflector).
public struct RGB: Hashable, Sendable {
  public var red: Double
  public var green: Double
  public var blue: Double

  public init(_ red: Double, _ green: Double, _ blue: Double) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  public static let black = RGB(0, 0, 0)

  /// Rec. 709 relative luminance.
  public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

  /// The linear colour of an sRGB-encoded one (IEC 61966-2-1), each component clamped to 0…1.
  /// The language writes colours in sRGB; everything inside the scene model is linear.
  public static func fromSRGB(_ r: Double, _ g: Double, _ b: Double) -> RGB {
    func linear(_ v: Double) -> Double {
      let s = v.isFinite ? Swift.min(1, Swift.max(0, v)) : 0
      return s <= 0.04045 ? s / 12.92 : powDouble((s + 0.055) / 1.055, 2.4)
    }
    return RGB(linear(r), linear(g), linear(b))
  }
}

/// How a surface's base colour varies over it (docs/scene-model.md). `.plain` is the
/// value-noise grain every surface has today; the others are procedural patterns.
public enum SurfaceTexture: String, Hashable, Sendable, CaseIterable {
  case plain
  case asphalt
  case concrete
  case paint
  case wood
  case cardboard
  case fabric
  case skin
}

/// A surface material, glTF 2.0's metallic-roughness model (docs/scene-model.md).
public struct Material: Hashable, Sendable {
  /// Linear base colour (the language writes sRGB; `RGB.fromSRGB` converts).
  public var baseColour: RGB
  /// Perceptual roughness 0 (mirror) … 1 (fully rough).
  public var roughness: Double
  /// 0 dielectric … 1 metal.
  public var metallic: Double
  /// Emitted luminance in cd/m² (nits) times a linear colour; `.black` for none.
  public var emissive: RGB
  /// Diffuse reflectivity at the LiDAR's wavelength (0…1); nil: the base colour's luminance.
  public var lidarReflectivity: Double?
  public var texture: SurfaceTexture
  /// An image multiplying the base colour at a mesh's texture coordinates (an imported
  /// asset's glTF `baseColorTexture` or OBJ `map_Kd`); nil for none. Only the camera reads
  /// it: the LiDAR's reflectivity stays the base colour factor's (docs/scene-model.md).
  public var baseColourTexture: TextureImage?

  public init(
    baseColour: RGB, roughness: Double = 0.5, metallic: Double = 0, emissive: RGB = .black,
    lidarReflectivity: Double? = nil, texture: SurfaceTexture = .plain, baseColourTexture: TextureImage? = nil
  ) {
    self.baseColourTexture = baseColourTexture
    self.baseColour = baseColour
    self.roughness = roughness
    self.metallic = metallic
    self.emissive = emissive
    self.lidarReflectivity = lidarReflectivity
    self.texture = texture
  }

  /// Mid-grey plain paint: the material of an actor whose scenario gives no colour.
  public static let neutral = Material(baseColour: RGB(0.5, 0.5, 0.5))

  /// Reflectivity the LiDAR sees.
  public var reflectivity: Double { lidarReflectivity ?? baseColour.luminance }
}

/// An immutable indexed triangle mesh in its own frame. One instance may be shared by any
/// number of parts (the ray caster builds its acceleration structure once per mesh).
public final class TriangleMesh: Hashable, Sendable {
  public let vertices: [Vec3]
  /// Three vertex indices per triangle, counter-clockwise seen from the front.
  public let indices: [UInt32]
  /// Per-vertex unit normals for smooth shading, or nil for flat faces.
  public let normals: [Vec3]?
  /// Per-vertex texture coordinates (u, v) in glTF's convention, (0, 0) the image's top-left
  /// corner and v growing downwards (OBJ's `vt`, whose v grows upwards, is flipped on import),
  /// or nil. Float pairs: 8 bytes a vertex, shared by every part and instance that holds the
  /// mesh (docs/scene-model.md, "Materials").
  public let uvs: [SIMD2<Float>]?

  /// Bounds of the vertices (an empty mesh has a zero box at the origin), computed once:
  /// overlap tests ask for a part's box many times per sampled scene.
  public let bounds: AABB

  public init(vertices: [Vec3], indices: [UInt32], normals: [Vec3]? = nil, uvs: [SIMD2<Float>]? = nil) {
    self.vertices = vertices
    self.indices = indices
    self.normals = normals.flatMap { $0.count == vertices.count ? $0 : nil }
    self.uvs = uvs.flatMap { $0.count == vertices.count ? $0 : nil }
    if let first = vertices.first {
      var box = AABB(lower: first, upper: first)
      for v in vertices.dropFirst() { box = box.union(v) }
      bounds = box
    } else {
      bounds = AABB(lower: .zero, upper: .zero)
    }
  }

  public var triangleCount: Int { indices.count / 3 }

  /// The mesh's convex hull (`ConvexHull`, at most 64 vertices, containing every vertex),
  /// computed on first use and kept with the mesh (docs/scene-model.md).
  public var convexHull: ConvexHull { hullStore.hull(of: vertices) }
  private let hullStore = MeshHullStore()

  /// What the ray caster builds for this mesh (its BVH), released with the mesh
  /// (`MeshDerivedStore`).
  public let derived = MeshDerivedStore()

  public static func == (a: TriangleMesh, b: TriangleMesh) -> Bool {
    a === b || (a.vertices == b.vertices && a.indices == b.indices && a.normals == b.normals && a.uvs == b.uvs)
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(vertices.count)
    hasher.combine(indices)
  }
}

/// The geometry of one part, in the part's own frame (centred on its origin).
public enum PartShape: Hashable, Sendable {
  /// A box with the given full extents along the part's x, y, z.
  case box(size: Vec3)
  case sphere(radius: Double)
  /// A capped cylinder around the part's z axis, `height` long, centred on the origin.
  case cylinder(radius: Double, height: Double)
  /// A triangle mesh. Both faces render.
  case mesh(TriangleMesh)

  /// The part's bounds in its own frame, as a box centred on `center` with `halfExtents`.
  public var localBox: (center: Vec3, halfExtents: Vec3) {
    switch self {
    case .box(let size): return (.zero, size / 2)
    case .sphere(let r): return (.zero, Vec3(repeating: r))
    case .cylinder(let r, let h): return (.zero, Vec3(r, r, h / 2))
    case .mesh(let m):
      let b = m.bounds
      return ((b.lower + b.upper) / 2, (b.upper - b.lower) / 2)
    }
  }
}

/// What a part is for, beyond its shape: glazing (opaque dark glass in this release) and
/// lamps (marked so light sources can be attached to them).
public enum PartRole: Hashable, Sendable {
  case solid
  /// Windows: rendered, ranged and labelled as an opaque dark surface (docs/scene-model.md).
  case glass
  case lamp(LampKind)
}

public enum LampKind: String, Hashable, Sendable {
  case head, tail, brake, indicator, street, ceiling
}

/// One rigid piece of an object: a shape placed by `transform` in the object's frame, with
/// its own material (nil: the object's) and an optional part label (`head`, `wheel`, …).
public struct Part: Hashable, Sendable {
  public var shape: PartShape
  public var transform: Transform
  public var material: Material?
  public var label: String?
  public var role: PartRole

  public init(
    _ shape: PartShape, transform: Transform = .identity, material: Material? = nil, label: String? = nil,
    role: PartRole = .solid
  ) {
    self.shape = shape
    self.transform = transform
    self.material = material
    self.label = label
    self.role = role
  }

  /// The part's bounds as an oriented box in the frame its transform maps into.
  public var box: OrientedBox {
    let (c, h) = shape.localBox
    return OrientedBox(
      center: transform.apply(toPoint: c), halfExtents: h, rotation: transform.rotation)
  }
}

/// One physical thing in a scene: what the sampler's overlap and visibility tests, physics
/// and every sensor see of an actor (docs/scene-model.md).
///
/// Semantic class ids 0 (sky / no hit) and 1 (ground) are reserved; objects use 2…255.
public struct SceneObject: Hashable, Sendable {
  /// Instance id, 1…65535 (it is written to 16-bit instance images); 0 means background.
  public var instanceID: UInt32
  public var semanticClass: UInt8
  public var className: String
  /// The material of every part that has none of its own.
  public var material: Material
  public var parts: [Part]
  /// The object's frame in the world. For actors this is the bottom centre, heading on x.
  public var transform: Transform

  public init(
    instanceID: UInt32, semanticClass: UInt8, className: String, material: Material, parts: [Part],
    transform: Transform
  ) {
    self.instanceID = instanceID
    self.semanticClass = semanticClass
    self.className = className
    self.material = material
    self.parts = parts
    self.transform = transform
  }

  /// An object whose material is plain paint of `baseColour`.
  public init(
    instanceID: UInt32, semanticClass: UInt8, className: String, baseColour: RGB, roughness: Double? = nil,
    lidarReflectivity: Double? = nil, parts: [Part], transform: Transform
  ) {
    self.init(
      instanceID: instanceID, semanticClass: semanticClass, className: className,
      material: Material(baseColour: baseColour, roughness: roughness ?? 0.5, lidarReflectivity: lidarReflectivity),
      parts: parts, transform: transform)
  }

  /// A single box of full extents `size` standing on the object's origin (bottom centre).
  public static func box(
    instanceID: UInt32, semanticClass: UInt8, className: String, baseColour: RGB, size: Vec3,
    transform: Transform
  ) -> SceneObject {
    SceneObject(
      instanceID: instanceID, semanticClass: semanticClass, className: className, baseColour: baseColour,
      parts: [Part(.box(size: size), transform: Transform(translation: Vec3(0, 0, size.z / 2)))],
      transform: transform)
  }

  /// The material a part is drawn with.
  public func material(of part: Part) -> Material { part.material ?? material }
}

/// Reserved semantic class ids; see docs/scene-model.md for the palette convention.
public enum SemanticClass {
  /// Pixels whose ray hits nothing (sky), and LiDAR beams without a return.
  public static let sky: UInt8 = 0
  /// The ground plane z = 0.
  public static let ground: UInt8 = 1
}
