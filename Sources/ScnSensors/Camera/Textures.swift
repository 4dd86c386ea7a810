import ScnGeometry
import ScnScene

/// Procedural surface textures (docs/scene-model.md, "Textures"): each modulates a material's
/// base colour (a per-channel factor around 1) and its roughness (an offset) as a pure function
/// of the seed, the texture kind and a position in metres: object space for actors (so the
/// pattern moves with them), world space for the ground, roads, kerbs and walls. No global
/// random state is involved; the same point always gets the same value.
/// The patch of surface one camera ray stands for (`Shader.footprint(distance:cosine:)`),
/// kept as the two factors of its squared width w² = spread / cosine so that the level of
/// detail needs no division (`ProceduralTexture.detail`).
struct TextureFootprint {
  /// (distance × ray angle)²: the squared width across the view.
  var spread: Double
  /// |cos i| of the view to the normal, at least 0.05.
  var cosine: Double

  /// Every detail.
  static let none = TextureFootprint(spread: 0, cosine: 1)

  /// A footprint `width` metres wide.
  init(width: Double) {
    spread = width * width
    cosine = 1
  }

  init(spread: Double, cosine: Double) {
    self.spread = spread
    self.cosine = cosine
  }

  /// The width in metres: √(spread / cosine).
  var width: Double { (spread / cosine).squareRoot() }
}

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

  /// The level of detail of a pattern of `frequency` lattice cells (or cycles) per metre over
  /// `footprint` (docs/scene-model.md, "Texture level of detail"): 1 while a cell spans at
  /// least two footprint widths, 0 once it spans one or less (finer detail would only
  /// alias), a smoothstep between. `TextureFootprint.none` (or a NaN footprint) keeps every
  /// detail. Without a division or square root outside the fade.
  @inline(__always)
  static func detail(frequency: Double, footprint: TextureFootprint) -> Double {
    // q² = (f·w)² = f²·spread / cosine.
    let q2c = frequency * frequency * footprint.spread
    guard q2c > 0.25 * footprint.cosine else { return 1 }
    guard q2c < footprint.cosine else { return 0 }
    let t = 2 - 2 * (q2c / footprint.cosine).squareRoot()
    return t * t * (3 - 2 * t)
  }

  /// One octave of value noise around 0 (−0.5…0.5) at `frequency` per metre, faded to its
  /// mean 0 by `detail(frequency:footprint:)` and not evaluated where that is 0.
  @inline(__always)
  static func octave(_ seed: UInt64, _ p: Vec3, _ frequency: Double, footprint: TextureFootprint) -> Double {
    let k = detail(frequency: frequency, footprint: footprint)
    guard k > 0 else { return 0 }
    return (Hash.valueNoise(seed: seed, p * frequency) - 0.5) * k
  }

  /// `octave` with the noise's last lattice cell kept in `cell` (the same value).
  @inline(__always)
  static func octave(
    _ seed: UInt64, _ p: Vec3, _ frequency: Double, footprint: TextureFootprint, cell: inout NoiseCell3D
  ) -> Double {
    let k = detail(frequency: frequency, footprint: footprint)
    guard k > 0 else { return 0 }
    return (Hash.valueNoise(seed: seed, p * frequency, cell: &cell) - 0.5) * k
  }

  /// A fine feature (`value`, evaluated only where it is needed) faded to its `mean` by
  /// `detail`: exactly `value()` at full detail.
  @inline(__always)
  static func feature(detail k: Double, mean: Double, _ value: () -> Double) -> Double {
    guard k > 0 else { return mean }
    let v = value()
    return k == 1 ? v : mean + (v - mean) * k
  }

  /// Mean of the asphalt's stones, smoothstep(0.68, 0.8, n) of value noise n over a level
  /// plane at a lattice height (the ground: bilinear noise; tested by
  /// `TextureDetailTests`).
  static let meanStones = 0.1539
  /// Mean of the concrete's pores, smoothstep(0.8, 0.9, n) of value noise n over space.
  static let meanPores = 0.0270
  /// Mean over a cycle of the wood's late-wood band, smoothstep(0.55, 0.75, r) ·
  /// (1 − smoothstep(0.85, 1, r)) for r uniform in 0…1: 0.1 + 0.1 + 0.075.
  static let meanLateWood = 0.275

  /// `p` in metres; `normal` is the world normal (wood picks its grain direction from it);
  /// `roughness` is the material's own (the plain grain is stronger for rough materials);
  /// `footprint` the patch of surface one camera ray stands for (`.none` for every detail):
  /// octaves too fine for it fade to their mean (`detail(frequency:footprint:)`); `cells`
  /// keeps every octave's last lattice cell (the same values without it).
  @inline(__always)
  static func sample(
    _ kind: SurfaceTexture, seed: UInt64, at p: Vec3, normal: Vec3, roughness r: Double, footprint w: TextureFootprint,
    cells: inout TextureNoiseCells
  ) -> TextureSample {
    switch kind {
    case .plain:
      // Value noise over the surface, stronger for rougher materials.
      let noise = octave(seed, p, 6, footprint: w, cell: &cells.plain)
      let fine = octave(seed ^ 0xABCD, p, 23, footprint: w, cell: &cells.plainFine)
      return TextureSample(tint: SIMD3(repeating: 1 + (0.12 + 0.25 * r) * noise + 0.08 * r * fine), roughness: 0)
    case .asphalt:
      // Binder with light aggregate stones (about 1 cm) and worn patches over metres.
      let coarse = octave(seed ^ 0x11, p, 0.45, footprint: w, cell: &cells.asphaltCoarse)
      let mid = octave(seed ^ 0x12, p, 3.1, footprint: w, cell: &cells.asphaltMid)
      let stones = feature(detail: detail(frequency: 55, footprint: w), mean: meanStones) {
        smoothstep(0.68, 0.8, Hash.valueNoise(seed: seed ^ 0x13, p * 55, cell: &cells.asphaltStones))
      }
      let v = 1 + 0.3 * coarse + 0.14 * mid + 0.75 * stones
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.05 * coarse - 0.08 * stones)
    case .concrete:
      // Cloudy mottling, sand grain and small dark pores.
      let coarse = octave(seed ^ 0x21, p, 0.8, footprint: w, cell: &cells.concreteCoarse)
      let mid = octave(seed ^ 0x22, p, 4.3, footprint: w, cell: &cells.concreteMid)
      let fine = octave(seed ^ 0x23, p, 31, footprint: w, cell: &cells.concreteFine)
      let pores = feature(detail: detail(frequency: 70, footprint: w), mean: meanPores) {
        smoothstep(0.8, 0.9, Hash.valueNoise(seed: seed ^ 0x24, p * 70, cell: &cells.concretePores))
      }
      let v = 1 + 0.2 * coarse + 0.1 * mid + 0.1 * fine - 0.3 * pores
      return TextureSample(tint: SIMD3(v, v, v * 0.98), roughness: 0.1 * coarse)
    case .paint:
      // Nearly uniform: a faint orange peel and slightly uneven gloss.
      let mid = octave(seed ^ 0x31, p, 2.2, footprint: w, cell: &cells.paint)
      let fine = octave(seed ^ 0x32, p, 40, footprint: w, cell: &cells.paintFine)
      let v = 1 + 0.05 * mid + 0.03 * fine
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.08 * mid)
    case .wood:
      // Growth rings as bands across the grain, warped by low-frequency noise; the grain runs
      // along x on upward faces and is level on side faces.
      let late = feature(detail: detail(frequency: 55, footprint: w), mean: meanLateWood) {
        let warp = Hash.valueNoise(seed: seed ^ 0x41, Vec3(p.x * 0.8, p.y * 0.8, p.z * 3), cell: &cells.woodWarp) - 0.5
        let across = abs(normal.z) > 0.7 ? p.y : p.z
        let phase = (across + 0.06 * warp) * 55
        let ring = abs(phase) < 1e15 ? phase - Double(Hash.floorInt(phase)) : 0
        return smoothstep(0.55, 0.75, ring) * (1 - smoothstep(0.85, 1, ring))
      }
      let board = octave(seed ^ 0x42, p, 1.3, footprint: w, cell: &cells.wood)
      // The fibres are 60 cells per metre across the grain.
      let fibre = feature(detail: detail(frequency: 60, footprint: w), mean: 0) {
        Hash.valueNoise(seed: seed ^ 0x43, Vec3(p.x * 6, p.y * 60, p.z * 60), cell: &cells.woodFibre) - 0.5
      }
      let v = 1 + 0.22 * board + 0.08 * fibre - 0.28 * late
      return TextureSample(tint: SIMD3(v, v * 0.97, v * 0.93), roughness: 0.1 * late)
    case .cardboard:
      // Fibre mottling and the faint ridges of the flutes (about 8 mm apart, level: 125
      // cycles per metre).
      let coarse = octave(seed ^ 0x51, p, 1.7, footprint: w, cell: &cells.cardboard)
      let fibre = octave(seed ^ 0x52, p, 45, footprint: w, cell: &cells.cardboardFibre)
      let flute = feature(detail: detail(frequency: 125, footprint: w), mean: 0) { (p.z * 785.4).sine }
      let v = 1 + 0.12 * coarse + 0.08 * fibre + 0.025 * flute
      return TextureSample(tint: SIMD3(v, v, v * 0.96), roughness: 0)
    case .fabric:
      // Weave (about 3 mm: up to 580 cycles per metre) over dye mottling.
      let mottle = octave(seed ^ 0x61, p, 4, footprint: w, cell: &cells.fabric)
      let weave = feature(detail: detail(frequency: 580, footprint: w), mean: 0) {
        (p.x * 2094.4 + p.z * 1047.2).sine * (p.y * 2094.4 - p.z * 1047.2).sine
      }
      let fine = octave(seed ^ 0x62, p, 80, footprint: w, cell: &cells.fabricFine)
      let v = 1 + 0.14 * mottle + 0.05 * weave + 0.06 * fine
      return TextureSample(tint: SIMD3(repeating: v), roughness: 0.05 * mottle)
    case .skin:
      // Gentle blotches, redder where darker, and fine pores.
      let blotch = octave(seed ^ 0x71, p, 12, footprint: w, cell: &cells.skin)
      let fine = octave(seed ^ 0x72, p, 90, footprint: w, cell: &cells.skinFine)
      let v = 1 + 0.06 * blotch + 0.03 * fine
      return TextureSample(tint: SIMD3(v + 0.03 * blotch, v - 0.02 * blotch, v - 0.03 * blotch), roughness: 0.05 * fine)
    }
  }
}
