import ScnGeometry
import ScnScene

extension Shader {
  /// Base colour and roughness of a stuff surface (asphalt, line paint, kerb stone,
  /// concrete, wall paint) at world point `p`: its material's procedural texture
  /// (`ProceduralTexture`, world space, a fixed seed); snow evens the pattern out as it does
  /// the ground's.
  @inline(__always)
  func stuffMaterial(_ material: Material, at p: Vec3, normal n: Vec3) -> (colour: SIMD3<Double>, roughness: Double) {
    let r = material.roughness.isFinite ? Swift.min(1, Swift.max(0, material.roughness)) : 0.5
    let t = ProceduralTexture.sample(material.texture, seed: 0x5851_F42D, at: p, normal: n, roughness: r)
    let tint = snowCover > 0 ? SIMD3(repeating: 1) + (t.tint - SIMD3(repeating: 1)) * 0.3 : t.tint
    let c = material.baseColour
    return (SIMD3(c.red, c.green, c.blue) * tint, Swift.min(1, Swift.max(0, r + t.roughness)))
  }
}
