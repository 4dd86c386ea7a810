import ScnGeometry
import ScnScene

extension Shader {
  /// Albedo of a stuff surface (asphalt, line paint, kerb stone, concrete): its base colour
  /// with a fixed-seed grain, coarse patches plus fine aggregate, stronger for rougher
  /// materials; snow evens it out as it does the ground.
  @inline(__always)
  func stuffAlbedo(_ material: Material, at p: Vec3) -> SIMD3<Double> {
    let coarse = Hash.valueNoise2D(seed: 0x5851_F42D, p.x * 0.9 + p.z, p.y * 0.9) - 0.5
    let fine = Hash.valueNoise(seed: 0x4C95_7F2D, p * 14) - 0.5
    let r = Swift.min(1, Swift.max(0, material.roughness))
    let strength = snowCover > 0 ? 0.3 : 1
    let scale = 1 + strength * ((0.1 + 0.2 * r) * coarse + 0.2 * r * fine)
    let c = material.baseColour
    return SIMD3(c.red, c.green, c.blue) * scale
  }
}
