import ScnScene

/// The base-colour images of a frame's material slots (docs/scene-model.md, "Materials"):
/// the camera multiplies a hit's base colour by its slot's image sampled at the hit's
/// texture coordinates. Depth, instance, semantic and part images do not read it, nor does
/// the LiDAR (its reflectivity is the material's factor).
final class SlotTextures: @unchecked Sendable {
  // @unchecked: written only in `init`, read-only afterwards.
  /// Per material slot, its index into `images`, or -1.
  private let indexOfSlot: UnsafeMutablePointer<Int32>
  private let slots: Int
  private let images: [TextureImage]

  init(_ materials: [Material]) {
    var images: [TextureImage] = []
    indexOfSlot = .allocate(capacity: Swift.max(1, materials.count))
    for (slot, material) in materials.enumerated() {
      if let texture = material.baseColourTexture {
        indexOfSlot[slot] = Int32(images.count)
        images.append(texture)
      } else {
        indexOfSlot[slot] = -1
      }
    }
    slots = materials.count
    self.images = images
  }

  deinit { indexOfSlot.deallocate() }

  /// `colour` (the slot's base colour, procedural grain and tint applied) times the slot's
  /// image at `uv`; `colour` unchanged for a slot without an image or a hit without texture
  /// coordinates.
  @inline(__always)
  func baseColour(_ colour: SIMD3<Double>, slot: Int, uv: SIMD2<Double>?) -> SIMD3<Double> {
    guard slot >= 0, slot < slots, let uv else { return colour }
    let index = Int(indexOfSlot[slot])
    guard index >= 0 else { return colour }
    return colour * images[index].sample(uv)
  }
}
