import ScnGeometry
import ScnScene

/// Procedural surface textures (docs/scene-model.md, "Textures"): each modulates a material's
/// base colour (a per-channel factor around 1) and its roughness (an offset) as a pure function
/// of the seed, the texture kind and a position in metres: object space for actors (so the
/// pattern moves with them), world space for the ground, roads, kerbs and walls. No global
/// random state is involved; the same point always gets the same value.
struct TextureSample {
  var tint: SIMD3<Double>
  var roughness: Double
}

enum ProceduralTexture {
  @inline(__always)
  static func smoothstep(_ a: Double, _ b: Double, _ x: Double) -> Double {
    let t = Swift.min(1, Swift.max(0, (x - a) / (b - a)))
    return t * t * (3 - 2 * t)
  }

  /// `p` in metres; `normal` is the world normal (wood picks its grain direction from it);
  /// `roughness` is the material's own (the plain grain is stronger for rough materials).
  @inline(__always)
  static func sample(
    _ kind: SurfaceTexture, seed: UInt64, at p: Vec3, normal: Vec3, roughness r: Double
  ) -> TextureSample {
    switch kind {
    case .plain:
      // Value noise over the surface, stronger for rougher materials.
      let noise = Hash.valueNoise(seed: seed, p * 6) - 0.5
      let fine = Hash.valueNoise(seed: seed ^ 0xABCD, p * 23) - 0.5
      return TextureSample(tint: SIMD3(repeating: 1 + (0.12 + 0.25 * r) * noise + 0.08 * r * fine), roughness: 0)
    case .asphalt:
      // Binder with light aggregate stones (about 1 cm) and worn patches over metres.
      let coarse = Hash.valueNoise(seed: seed ^ 0x11, p * 0.45) - 0.5
      let mid = Hash.valueNoise(seed: seed ^ 0x12, p * 3.1) - 0.5
      let stones = smoothstep(0.68, 0.8, Hash.valueNoise(seed: seed ^ 0x13, p * 55))
      let v = 1 + 0.3 * coarse + 0.14 * mid + 0.75 * stones
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.05 * coarse - 0.08 * stones)
    case .concrete:
      // Cloudy mottling, sand grain and small dark pores.
      let coarse = Hash.valueNoise(seed: seed ^ 0x21, p * 0.8) - 0.5
      let mid = Hash.valueNoise(seed: seed ^ 0x22, p * 4.3) - 0.5
      let fine = Hash.valueNoise(seed: seed ^ 0x23, p * 31) - 0.5
      let pores = smoothstep(0.8, 0.9, Hash.valueNoise(seed: seed ^ 0x24, p * 70))
      let v = 1 + 0.2 * coarse + 0.1 * mid + 0.1 * fine - 0.3 * pores
      return TextureSample(tint: SIMD3(v, v, v * 0.98), roughness: 0.1 * coarse)
    case .paint:
      // Nearly uniform: a faint orange peel and slightly uneven gloss.
      let mid = Hash.valueNoise(seed: seed ^ 0x31, p * 2.2) - 0.5
      let fine = Hash.valueNoise(seed: seed ^ 0x32, p * 40) - 0.5
      let v = 1 + 0.05 * mid + 0.03 * fine
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.08 * mid)
    case .wood:
      // Growth rings as bands across the grain, warped by low-frequency noise; the grain runs
      // along x on upward faces and is level on side faces.
      let warp = Hash.valueNoise(seed: seed ^ 0x41, Vec3(p.x * 0.8, p.y * 0.8, p.z * 3)) - 0.5
      let across = abs(normal.z) > 0.7 ? p.y : p.z
      let phase = (across + 0.06 * warp) * 55
      let ring = abs(phase) < 1e15 ? phase - Double(Hash.floorInt(phase)) : 0
      let late = smoothstep(0.55, 0.75, ring) * (1 - smoothstep(0.85, 1, ring))
      let board = Hash.valueNoise(seed: seed ^ 0x42, p * 1.3) - 0.5
      let fibre = Hash.valueNoise(seed: seed ^ 0x43, Vec3(p.x * 6, p.y * 60, p.z * 60)) - 0.5
      let v = 1 + 0.22 * board + 0.08 * fibre - 0.28 * late
      return TextureSample(tint: SIMD3(v, v * 0.97, v * 0.93), roughness: 0.1 * late)
    case .cardboard:
      // Fibre mottling and the faint ridges of the flutes (about 8 mm apart, level).
      let coarse = Hash.valueNoise(seed: seed ^ 0x51, p * 1.7) - 0.5
      let fibre = Hash.valueNoise(seed: seed ^ 0x52, p * 45) - 0.5
      let flute = (p.z * 785.4).sine
      let v = 1 + 0.12 * coarse + 0.08 * fibre + 0.025 * flute
      return TextureSample(tint: SIMD3(v, v, v * 0.96), roughness: 0)
    case .fabric:
      // Weave (about 3 mm) over dye mottling.
      let mottle = Hash.valueNoise(seed: seed ^ 0x61, p * 4) - 0.5
      let weave = (p.x * 2094.4 + p.z * 1047.2).sine * (p.y * 2094.4 - p.z * 1047.2).sine
      let fine = Hash.valueNoise(seed: seed ^ 0x62, p * 80) - 0.5
      let v = 1 + 0.14 * mottle + 0.05 * weave + 0.06 * fine
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.05 * mottle)
    case .skin:
      // Gentle blotches, redder where darker, and fine pores.
      let blotch = Hash.valueNoise(seed: seed ^ 0x71, p * 12) - 0.5
      let fine = Hash.valueNoise(seed: seed ^ 0x72, p * 90) - 0.5
      let v = 1 + 0.06 * blotch + 0.03 * fine
      return TextureSample(tint: SIMD3(v + 0.03 * blotch, v - 0.02 * blotch, v - 0.03 * blotch), roughness: 0.05 * fine)
    }
  }
}
