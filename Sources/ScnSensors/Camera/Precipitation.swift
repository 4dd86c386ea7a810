import ScnScene
import ScnGeometry

/// Rain streaks and snowflakes in camera images (docs/weather.md).
///
/// Falling particles are drawn on a few fronto-parallel layers at fixed depths in front of
/// the camera. Each layer is cut into image cells whose size is a fixed spacing in the world
/// (so nearer layers have larger, sparser particles); a cell holds one particle with a
/// probability that grows with the precipitation rate, at a position hashed from the frame's
/// seed, the layer and the cell. A raindrop is a motion-blurred streak (its fall during the
/// exposure, projected), a flake a small disc with a short blur. A particle covers a pixel
/// only where the surface seen there lies behind its layer, so streaks never float in front
/// of a nearer object; coverage is anti-aliased over the pixel. Labels (depth, instance,
/// semantic, boxes) show the surfaces, not the particles.
struct ParticleLayers: Sendable {
  struct Layer: Sendable {
    /// Depth along the optical axis, metres (and millimetres for the depth test).
    var depth: Double
    var depthMillimetres: Double
    /// Cell size in pixels.
    var cellWidth: Double
    var cellHeight: Double
    var probability: Double
    /// Streak length (image rows) and half-width (pixels).
    var length: Double
    var halfWidth: Double
    /// Opacity at full coverage.
    var alpha: Double
  }

  let layers: [Layer]
  /// Horizontal image shift per row of a streak (wind slant).
  let slant: Double
  let seed: UInt64
  let colour: SIMD3<Double>

  static let rainDepths = [1.2, 2.5, 5.0, 10.0]
  static let snowDepths = [1.0, 2.0, 4.0, 8.0, 16.0]

  /// nil without precipitation (or with a rate of 0).
  init?(precipitation: Precipitation, shader: Shader, focalLength f: Double, seed: UInt64) {
    let rate = precipitation.rate
    guard rate > 0, f.isFinite, f > 0 else { return nil }
    self.seed = Hash.mix(seed ^ 0x5EED_0F_5A1A)
    // Light on a particle: sky light from all around plus half the sun (it lights one side).
    let light = shader.ambient + 0.5 * shader.sunStrength
    switch precipitation {
    case .none:
      return nil
    case .rain:
      // Drops fall at about 7 m/s; over a 1/90 s exposure that is 7.8 cm of streak. They
      // refract the bright sky, so they read a little brighter than the horizon.
      slant = 0.12 * (Hash.unit(self.seed) - 0.5)
      colour = shader.horizon * 1.35 + SIMD3(repeating: 0.04 * light)
      let p = Swift.min(0.85, 0.06 * rate.squareRoot())
      layers = Self.rainDepths.map { d in
        let length = f * 0.078 / d
        let cell = f * 0.35 / d
        return Layer(
          depth: d, depthMillimetres: d * 1000, cellWidth: cell, cellHeight: Swift.max(cell, length + 2),
          probability: p, length: length, halfWidth: Swift.max(0.5, f * 0.0015 / d), alpha: d < 3 ? 0.22 : 0.16)
      }
    case .snow:
      // Flakes of about 3 mm radius fall at about 1 m/s: a short blur.
      slant = 0.3 * (Hash.unit(self.seed) - 0.5)
      colour = SIMD3(repeating: 0.85 * light)
      let p = Swift.min(0.9, 0.35 * rate.squareRoot())
      layers = Self.snowDepths.map { d in
        let cell = f * 0.25 / d
        let length = f * 0.011 / d
        return Layer(
          depth: d, depthMillimetres: d * 1000, cellWidth: cell, cellHeight: Swift.max(cell, length + 2),
          probability: p, length: length, halfWidth: Swift.max(0.5, f * 0.003 / d), alpha: 0.85)
      }
    }
  }

  /// Blends every particle that reaches the tile `rect` into its radiance (row-major over the
  /// rect), where the surface behind lies beyond the particle's layer.
  func draw(
    over rect: PixelRect, radiance: UnsafeMutablePointer<SIMD3<Double>>, depth: SharedBuffer<UInt16>, width: Int
  ) {
    let rectWidth = rect.x1 - rect.x0
    for (k, layer) in layers.enumerated() {
      let layerSeed = Hash.combine(seed, UInt64(k))
      let reachX = abs(slant) * layer.length + layer.halfWidth + 1
      let reachY = layer.length + layer.halfWidth + 1
      let cx0 = Self.floorDiv(Double(rect.x0) - reachX, layer.cellWidth)
      let cx1 = Self.floorDiv(Double(rect.x1) + reachX, layer.cellWidth)
      let cy0 = Self.floorDiv(Double(rect.y0) - reachY, layer.cellHeight)
      let cy1 = Self.floorDiv(Double(rect.y1) + layer.halfWidth + 1, layer.cellHeight)
      guard cx0 <= cx1, cy0 <= cy1 else { continue }
      for cy in cy0...cy1 {
        for cx in cx0...cx1 {
          let h = Hash.combine(layerSeed, UInt64(bitPattern: Int64(cx)) &* 0x1_0000_0001 ^ UInt64(bitPattern: Int64(cy)))
          guard Hash.unit(h) < layer.probability else { continue }
          let u0 = (Double(cx) + Hash.unit(Hash.mix(h ^ 1))) * layer.cellWidth
          let v0 = (Double(cy) + Hash.unit(Hash.mix(h ^ 2))) * layer.cellHeight
          let size = 0.7 + 0.6 * Hash.unit(Hash.mix(h ^ 3))
          let length = layer.length * size
          let halfWidth = layer.halfWidth * (layer.halfWidth > 0.5 ? size : 1)
          let du = slant * length
          // Bounding box of the segment (u0, v0)–(u0 + du, v0 + length), widened.
          let xa = Swift.max(rect.x0, Int(Swift.min(u0, u0 + du) - halfWidth - 1))
          let xb = Swift.min(rect.x1, Int(Swift.max(u0, u0 + du) + halfWidth + 2))
          let ya = Swift.max(rect.y0, Int(v0 - halfWidth - 1))
          let yb = Swift.min(rect.y1, Int(v0 + length + halfWidth + 2))
          guard xa < xb, ya < yb else { continue }
          let lengthSquared = du * du + length * length
          for y in ya..<yb {
            for x in xa..<xb {
              let behind = depth.base[y * width + x]
              guard behind == 0 || Double(behind) > layer.depthMillimetres else { continue }
              // Distance from the pixel centre to the segment.
              let px = Double(x) + 0.5 - u0
              let py = Double(y) + 0.5 - v0
              var t = lengthSquared > 0 ? (px * du + py * length) / lengthSquared : 0
              t = t < 0 ? 0 : (t > 1 ? 1 : t)
              let ex = px - t * du
              let ey = py - t * length
              let distance = (ex * ex + ey * ey).squareRoot()
              let coverage = halfWidth + 0.5 - distance
              guard coverage > 0 else { continue }
              let a = layer.alpha * (coverage < 1 ? coverage : 1)
              let slot = (y - rect.y0) * rectWidth + (x - rect.x0)
              radiance[slot] = radiance[slot] * (1 - a) + colour * a
            }
          }
        }
      }
    }
  }

  /// ⌊a / b⌋ for the modest values of image coordinates.
  private static func floorDiv(_ a: Double, _ b: Double) -> Int {
    let q = a / b
    guard q.isFinite, abs(q) < 1e9 else { return 0 }
    let i = Int(q)
    return Double(i) > q ? i - 1 : i
  }
}
