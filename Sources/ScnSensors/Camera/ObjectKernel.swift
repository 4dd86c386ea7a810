import CDevelop
import CShade
import ScnGeometry
import ScnScene

extension Shader {
  /// An object's surface at hit `g` of material slot `slot` (its values at `surface`) before
  /// lamps and fog: the texture (`objectMaterial`), the slot's base-colour image at `uv`
  /// (`SlotTextures.baseColour`), snow (`snowCovered`), the BRDF, the sun and sky (`surface`)
  /// and the emission. The reference for `ObjectKernel`, which gives the same bits; `cells`
  /// as for `ProceduralTexture.sample`.
  @inline(__always)
  func objectSurface(
    _ g: HitGeometry, litSide: Bool, surface: UnsafePointer<ObjectSurface>, slot: Int, uv: SIMD2<Double>?,
    textures: SlotTextures, cells: inout TextureNoiseCells
  ) -> (colour: SIMD3<Double>, brdf: SurfaceBRDF) {
    let n = g.normal
    var m = objectMaterial(surface, at: g.point, normal: n, footprint: g.footprint, cells: &cells)
    m.colour = textures.baseColour(m.colour, slot: slot, uv: uv)
    let brdf = SurfaceBRDF(
      base: snowCovered(m.colour, normal: n), roughness: m.roughness, metallic: surface.pointee.metallic, normal: n,
      view: g.view)
    return (self.surface(brdf, sunVisible: litSide) + surface.pointee.emission, brdf)
  }

  /// A stuff solid's surface at hit `g` (its look `look`) before lamps and fog: the texture
  /// (`stuffMaterial`), snow (`snowCovered`), the BRDF and the sun and sky (`surface`). The
  /// reference for `ObjectKernel` with `stuff`, which gives the same bits.
  @inline(__always)
  func stuffSurface(
    _ g: HitGeometry, litSide: Bool, look: StuffLook, cells: inout TextureNoiseCells
  ) -> (colour: SIMD3<Double>, brdf: SurfaceBRDF) {
    let n = g.normal
    let m = stuffMaterial(look, at: g.point, normal: n, footprint: g.footprint, cells: &cells)
    let brdf = SurfaceBRDF(
      base: snowCovered(m.colour, normal: n), roughness: m.roughness, metallic: look.metallic, normal: n, view: g.view)
    return (surface(brdf, sunVisible: litSide), brdf)
  }
}

/// The material slots (or stuff solids) as `ObjectKernel` reads them (`cshade_object_slot`),
/// and which texture each has for the kernel (`CSHADE_OBJECT_*`), or -1 for a slot the
/// Swift code shades (a base-colour image, or a texture the kernel lacks: asphalt, wood,
/// cardboard).
final class ObjectKernelSlots: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  let base: UnsafeMutablePointer<cshade_object_slot>
  let texture: UnsafeMutablePointer<Int32>
  let count: Int

  /// Kernel textures: 0 … `textures` − 1 (`CSHADE_OBJECT_TEXTURES`).
  static let textures = Int(CSHADE_OBJECT_TEXTURES)

  /// Counts of a tile's hits per kernel texture, and of the rest at index `textures`
  /// (`SceneIntersector.shadeByTexture`): `textures` + 1 fit (ground.c checks
  /// `CSHADE_OBJECT_TEXTURES` < 8 when it compiles, `ObjectKernelTests` checks it here).
  typealias Counts = SIMD8<Int>

  /// The kernel's texture code of `texture`, -1 for none.
  static func code(_ texture: SurfaceTexture) -> Int32 {
    switch texture {
    case .plain: Int32(CSHADE_OBJECT_PLAIN)
    case .paint: Int32(CSHADE_OBJECT_PAINT)
    case .skin: Int32(CSHADE_OBJECT_SKIN)
    case .fabric: Int32(CSHADE_OBJECT_FABRIC)
    case .concrete: Int32(CSHADE_OBJECT_CONCRETE)
    case .asphalt, .wood, .cardboard: -1
    }
  }

  /// The object surfaces of `materials`' slots.
  init(_ surfaces: UnsafePointer<ObjectSurface>, materials: [Material]) {
    count = materials.count
    base = .allocate(capacity: Swift.max(1, count))
    texture = .allocate(capacity: Swift.max(1, count))
    for (slot, material) in materials.enumerated() {
      let s = surfaces[slot]
      let q = s.worldToObject.rotation
      let p = s.worldToObject.translation
      base[slot] = cshade_object_slot(
        rotation: (q.x, q.y, q.z, q.w), translation: (p.x, p.y, p.z), colour: (s.colour.x, s.colour.y, s.colour.z),
        roughness: s.roughness, metallic: s.metallic, emission: (s.emission.x, s.emission.y, s.emission.z),
        seed: UInt32(truncatingIfNeeded: s.seed ^ (s.seed >> 32)), reserved: 0)
      texture[slot] = material.baseColourTexture == nil ? Self.code(s.texture) : -1
    }
  }

  /// The stuff solids' looks, `count` of them from `looks`, with `Shader.stuffMaterial`'s seed.
  init(stuff looks: UnsafePointer<StuffLook>, count: Int) {
    self.count = count
    base = .allocate(capacity: Swift.max(1, count))
    texture = .allocate(capacity: Swift.max(1, count))
    let seed: UInt64 = 0x5851_F42D
    for index in 0..<count {
      let look = looks[index]
      base[index] = cshade_object_slot(
        rotation: (0, 0, 0, 1), translation: (0, 0, 0), colour: (look.colour.x, look.colour.y, look.colour.z),
        roughness: look.roughness, metallic: look.metallic, emission: (0, 0, 0),
        seed: UInt32(truncatingIfNeeded: seed ^ (seed >> 32)), reserved: 0)
      texture[index] = Self.code(look.texture)
    }
  }

  deinit {
    base.deallocate()
    texture.deallocate()
  }

  /// Slot `slot`'s kernel texture, -1 for the Swift code (and for a slot outside the table).
  @inline(__always)
  func kernelTexture(_ slot: Int) -> Int32 { slot >= 0 && slot < count ? texture[slot] : -1 }
}

/// `Shader.objectSurface` (or, with `stuff`, `Shader.stuffSurface`), then the fog when no lamp
/// adds light, for many hits of one texture at once in `CShade` (C; AVX2 lanes where the
/// processor has them), with the same bits.
struct ObjectKernel {
  var params: cshade_object_params
  /// Which `CShade` path runs (`CDEVELOP_PATH_AUTO`: the best the processor has; tests force
  /// the others).
  var path = Int32(CDEVELOP_PATH_AUTO)

  init(shader: Shader, origin: Vec3, fog: Bool, stuff: Bool = false) {
    params = cshade_object_params(
      origin: (origin.x, origin.y, origin.z), ray_angle: shader.rayAngle, texture: 0, fog: fog ? 1 : 0, stuff: stuff ? 1 : 0,
      reserved: 0, snow_cover: shader.snowCover, light: cshade_light(shader))
  }

  /// Shades `count` hits of kernel texture `texture` whose fields are in `columns`
  /// (`HitColumns`) and whose material slots are in `slotOf`, writing into the columns'
  /// colour and, with `material`, albedo and roughness.
  func shade(
    _ columns: HitColumns, slotOf: UnsafePointer<Int32>, count: Int, texture: Int32, slots: ObjectKernelSlots,
    material: Bool
  ) {
    guard count > 0 else { return }
    let c = columns.base
    let s = columns.stride
    var hits = cshade_object_hits(
      t: c, nx: c + s, ny: c + 2 * s, nz: c + 3 * s, dx: c + 4 * s, dy: c + 5 * s, dz: c + 6 * s,
      lit: UnsafePointer(columns.lit), slot: slotOf)
    var out = cshade_object_out(
      r: c + 7 * s, g: c + 8 * s, b: c + 9 * s, albedo_r: material ? c + 10 * s : nil,
      albedo_g: material ? c + 11 * s : nil, albedo_b: material ? c + 12 * s : nil,
      roughness: material ? c + 13 * s : nil)
    var p = params
    p.texture = texture
    cshade_objects(&p, slots.base, &hits, count, &out, path)
  }
}
