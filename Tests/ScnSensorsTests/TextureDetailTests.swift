import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The texture level of detail (docs/scene-model.md, "Texture level of detail") and the value
/// noise under it.
@Suite struct TextureDetailTests {
  /// The value noise as it was first written, one corner at a time: the SIMD version must
  /// give the same bits.
  static func scalarValueNoise(seed: UInt64, _ p: Vec3) -> Double {
    func lattice(_ x: Int, _ y: Int, _ z: Int) -> Double {
      var h = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
      h ^= UInt32(truncatingIfNeeded: x) &* 0x27D4_EB2D
      h ^= UInt32(truncatingIfNeeded: y) &* 0x1656_67B1
      h ^= UInt32(truncatingIfNeeded: z) &* 0x9E37_79B1
      h ^= h >> 15
      h &*= 0x2C1B_3C6D
      h ^= h >> 12
      h &*= 0x297A_2D39
      h ^= h >> 15
      return Double(h) * 0x1.0p-32
    }
    func smooth(_ t: Double) -> Double { t * t * (3 - 2 * t) }
    func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double { a + (b - a) * t }
    let ix = Int(p.x.rounded(.down))
    let iy = Int(p.y.rounded(.down))
    let iz = Int(p.z.rounded(.down))
    let tx = smooth(p.x - Double(ix))
    let ty = smooth(p.y - Double(iy))
    let tz = smooth(p.z - Double(iz))
    let c00 = lerp(lattice(ix, iy, iz), lattice(ix + 1, iy, iz), tx)
    let c10 = lerp(lattice(ix, iy + 1, iz), lattice(ix + 1, iy + 1, iz), tx)
    let c01 = lerp(lattice(ix, iy, iz + 1), lattice(ix + 1, iy, iz + 1), tx)
    let c11 = lerp(lattice(ix, iy + 1, iz + 1), lattice(ix + 1, iy + 1, iz + 1), tx)
    return lerp(lerp(c00, c10, ty), lerp(c01, c11, ty), tz)
  }

  @Test func valueNoiseIsTheScalarNoise() {
    var numbers = RayBundleTests.Numbers(state: 5)
    for k in 0..<20_000 {
      let scale = [1.0, 55, 1e4, 1e9][k % 4]
      let p = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, k % 3 == 0 ? 0 : numbers.next() - 0.5) * scale
      let seed = Hash.mix(UInt64(k))
      #expect(Hash.valueNoise(seed: seed, p) == Self.scalarValueNoise(seed: seed, p), "\(p)")
    }
    // With the last cell kept: along a path that stays in cells, crosses them, jumps and
    // changes seed.
    var cell = NoiseCell3D()
    var p = Vec3(0.3, -2.2, 0.9)
    var hits = 0
    for k in 0..<20_000 {
      p = k % 101 == 0 ? Vec3(numbers.next(), numbers.next(), numbers.next()) * 40 : p + Vec3(0.01, 0.004, -0.002)
      let seed: UInt64 = k % 503 < 250 ? 7 : 8
      let kept = cell
      let value = Hash.valueNoise(seed: seed, p, cell: &cell)
      if kept.valid && kept.seed == seed && kept.ix == cell.ix && kept.iy == cell.iy && kept.iz == cell.iz { hits += 1 }
      #expect(value == Hash.valueNoise(seed: seed, p))
    }
    #expect(hits > 15_000)
    var unused = NoiseCell3D()
    #expect(Hash.valueNoise(seed: 1, Vec3(1e16, 0, 0), cell: &unused) == 0.5)
    #expect(Hash.valueNoise(seed: 1, Vec3(1e16, 0, 0)) == 0.5)
    #expect(Hash.valueNoise(seed: 1, Vec3(0, .nan, 0)) == 0.5)
  }

  @Test func detailFadesBetweenHalfACellAndOneCellPerFootprint() {
    #expect(ProceduralTexture.detail(frequency: 55, footprint: TextureFootprint(width: 0)) == 1)
    #expect(ProceduralTexture.detail(frequency: 55, footprint: TextureFootprint(width: .nan)) == 1)
    #expect(ProceduralTexture.detail(frequency: 10, footprint: TextureFootprint(width: 0.04)) == 1)
    #expect(ProceduralTexture.detail(frequency: 10, footprint: TextureFootprint(width: 0.1)) == 0)
    #expect(ProceduralTexture.detail(frequency: 10, footprint: TextureFootprint(width: 1)) == 0)
    #expect(abs(ProceduralTexture.detail(frequency: 10, footprint: TextureFootprint(width: 0.075)) - 0.5) < 1e-12)
    var last = 1.0
    for i in 0...100 {
      let k = ProceduralTexture.detail(frequency: 1, footprint: TextureFootprint(width: 0.5 + Double(i) / 200))
      #expect(k <= last && k >= 0)
      last = k
    }
    #expect(last == 0)
  }

  /// The means the thresholded features fade to are the means of the features: the stones
  /// over the ground plane, the pores over space.
  @Test func featureMeansAreTheFeaturesMeans() {
    var numbers = RayBundleTests.Numbers(state: 11)
    var stones = 0.0
    var pores = 0.0
    let n = 200_000
    for _ in 0..<n {
      let ground = Vec3(numbers.next() * 400 - 200, numbers.next() * 400 - 200, 0)
      stones += ProceduralTexture.smoothstep(0.68, 0.8, Hash.valueNoise(seed: 0x5851_F42D ^ 0x13, ground * 55))
      let space = Vec3(numbers.next() * 50, numbers.next() * 50, numbers.next() * 50)
      pores += ProceduralTexture.smoothstep(0.8, 0.9, Hash.valueNoise(seed: 0x5851_F42D ^ 0x24, space * 70))
    }
    #expect(abs(stones / Double(n) - ProceduralTexture.meanStones) < 0.004)
    #expect(abs(pores / Double(n) - ProceduralTexture.meanPores) < 0.002)
    // The late-wood band over one ring.
    let steps = 100_000
    let late = (0..<steps).reduce(0.0) { sum, i in
      let r = (Double(i) + 0.5) / Double(steps)
      return sum + ProceduralTexture.smoothstep(0.55, 0.75, r) * (1 - ProceduralTexture.smoothstep(0.85, 1, r))
    }
    #expect(abs(late / Double(steps) - ProceduralTexture.meanLateWood) < 1e-6)
  }

  /// Up close every texture is its full-detail pattern; far away the fine octaves are gone
  /// and what is left is the coarse pattern around the fine features' means.
  @Test(arguments: [
    SurfaceTexture.plain, .asphalt, .concrete, .paint, .wood, .cardboard, .fabric, .skin,
  ])
  func farTexturesKeepOnlyTheirCoarsePattern(_ kind: SurfaceTexture) {
    var numbers = RayBundleTests.Numbers(state: UInt64(kind.hashValue & 0xFFFF))
    var nearSteps = 0.0
    var farSteps = 0.0
    var nearSum = 0.0
    var farSum = 0.0
    let n = 4000
    var cells = TextureNoiseCells()
    for _ in 0..<n {
      let p = Vec3(numbers.next() * 20, numbers.next() * 20, kind == .asphalt ? 0 : numbers.next() * 20)
      // Second differences over 1 mm steps: the coarse octaves are smooth (they grow with the
      // square of the frequency), the fine ones are not.
      let step = Vec3(0.001, 0.0007, kind == .asphalt ? 0 : 0.0005)
      let q = p + step
      let r = q + step
      let normal = Vec3(0, 0, 1)
      // Through the cells kept from the last call, checked against fresh cells.
      func tint(_ at: Vec3, _ width: Double) -> Double {
        let footprint = width == 0 ? TextureFootprint.none : TextureFootprint(width: width)
        let kept = ProceduralTexture.sample(
          kind, seed: 77, at: at, normal: normal, roughness: 0.7, footprint: footprint, cells: &cells)
        var fresh = TextureNoiseCells()
        let t = ProceduralTexture.sample(
          kind, seed: 77, at: at, normal: normal, roughness: 0.7, footprint: footprint, cells: &fresh)
        #expect(kept.tint == t.tint && kept.roughness == t.roughness)
        return t.tint.x
      }
      #expect(tint(p, 0) == tint(p, 1e-5))
      nearSteps += abs(tint(p, 0) - 2 * tint(q, 0) + tint(r, 0))
      farSteps += abs(tint(p, 0.05) - 2 * tint(q, 0.05) + tint(r, 0.05))
      nearSum += tint(p, 0)
      farSum += tint(p, 0.05)
    }
    #expect(farSteps < nearSteps * 0.5, "\(kind): \(farSteps) vs \(nearSteps)")
    // The mean brightness stays (within the sampling error of 4000 points).
    #expect(abs(farSum - nearSum) / Double(n) < 0.02, "\(kind): \(farSum / Double(n)) vs \(nearSum / Double(n))")
  }

  /// The footprint: distance × ray angle, stretched by 1/√cos i up to 1/√0.05.
  @Test func footprintGrowsWithDistanceAndObliquity() {
    let sunny = WeatherTests.overcast()
    let shader = Shader(environment: sunny, lamps: LampSet([], environment: sunny) { _ in nil }, rayAngle: 0.002)
    #expect(abs(shader.footprint(distance: 10, cosine: 1).width - 0.02) < 1e-15)
    #expect(abs(shader.footprint(distance: 10, cosine: -0.25).width - 0.04) < 1e-15)
    #expect(shader.footprint(distance: 10, cosine: 0).width == shader.footprint(distance: 10, cosine: 0.05).width)
    let unfiltered = Shader(environment: sunny, lamps: LampSet([], environment: sunny) { _ in nil })
    #expect(unfiltered.footprint(distance: 1000, cosine: 0.1).width == 0)
    // The level of detail from the footprint is that from its width.
    for w in [0.001, 0.009, 0.0125, 0.015, 0.019, 0.03] {
      let f = shader.footprint(distance: w / 0.002 * 0.5.squareRoot(), cosine: 0.5)
      #expect(abs(f.width - w) < 1e-12)
      #expect(
        abs(
          ProceduralTexture.detail(frequency: 55, footprint: f)
            - ProceduralTexture.detail(frequency: 55, footprint: TextureFootprint(width: w))) < 1e-9)
    }
  }
}
