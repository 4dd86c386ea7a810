import ScnGeometry
import ScnScene

/// What the shader needs of a stuff material (a road paint's or a stuff solid's), as plain
/// values worked out once per frame: reading a `Material` in the pixel loop copies it (its
/// optional image included) for every pixel.
struct StuffLook {
  /// Linear base colour.
  var colour: SIMD3<Double>
  /// Roughness clamped to 0…1 (0.5 when not finite).
  var roughness: Double
  var metallic: Double
  var texture: SurfaceTexture

  init(_ material: Material) {
    let c = material.baseColour
    colour = SIMD3(c.red, c.green, c.blue)
    roughness = material.roughness.isFinite ? Swift.min(1, Swift.max(0, material.roughness)) : 0.5
    metallic = material.metallic
    texture = material.texture
  }
}

/// The looks of a frame's stuff in raw memory for the pixel loop: one per stuff solid (a
/// hit's `.stuff` index), then the road's asphalt and marking paint.
final class StuffLooks: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  private let base: UnsafeMutablePointer<StuffLook>
  let solids: Int
  let asphalt: StuffLook
  let marking: StuffLook

  /// The solids as the object kernel reads them (`ObjectKernelSlots(stuff:count:)`).
  let kernel: ObjectKernelSlots

  init(_ stuff: Stuff) {
    let looks = stuff.solids.map { StuffLook($0.material) }
    base = .allocate(capacity: Swift.max(1, looks.count))
    base.initialize(from: looks, count: looks.count)
    solids = looks.count
    kernel = ObjectKernelSlots(stuff: base, count: looks.count)
    asphalt = StuffLook(Stuff.material(of: .asphalt))
    marking = StuffLook(Stuff.material(of: .marking))
  }

  deinit { base.deinitialize(count: solids).deallocate() }

  /// The look of stuff solid `index`, nil outside the table.
  @inline(__always)
  func solid(_ index: Int) -> StuffLook? { index >= 0 && index < solids ? base[index] : nil }

  @inline(__always)
  func paint(_ paint: GroundPaint) -> StuffLook {
    switch paint {
    case .asphalt: asphalt
    case .marking: marking
    }
  }
}

extension Shader {
  /// Base colour and roughness of a stuff surface (asphalt, line paint, kerb stone,
  /// concrete, wall paint) at world point `p`: its material's procedural texture
  /// (`ProceduralTexture`, world space, a fixed seed) at the detail of `footprint`;
  /// snow evens the pattern out as it does the ground's. `cells` as for
  /// `ProceduralTexture.sample`.
  @inline(__always)
  func stuffMaterial(
    _ look: StuffLook, at p: Vec3, normal n: Vec3, footprint: TextureFootprint, cells: inout TextureNoiseCells
  ) -> (colour: SIMD3<Double>, roughness: Double) {
    let r = look.roughness
    let t = ProceduralTexture.sample(
      look.texture, seed: 0x5851_F42D, at: p, normal: n, roughness: r, footprint: footprint, cells: &cells)
    let tint = snowCover > 0 ? SIMD3(repeating: 1) + (t.tint - SIMD3(repeating: 1)) * 0.3 : t.tint
    return (look.colour * tint, Swift.min(1, Swift.max(0, r + t.roughness)))
  }
}
