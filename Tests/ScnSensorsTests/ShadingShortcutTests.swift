import ScnScene
import ScnGeometry
import Testing

@testable import ScnSensors

/// The camera's shortcuts must give the answers of the long way round: the per-tile slope
/// table, and the puddle reflections traced against the tile's mirrored pyramid.
@Suite struct ShadingShortcutTests {
  @Test(arguments: zip([640, 37, 16, 1, 17], [480, 23, 16, 1, 33]))
  func tileSlopesAreThoseOfTheTilesPixels(width: Int, height: Int) throws {
    for distortion in [LensDistortion.none, LensDistortion(k1: -0.25, k2: 0.06, p1: 0.001, p2: -0.0005)] {
      let camera = try TestScenes.camera(width: width, height: height, fovDegrees: 70, distortion: distortion)
      let table = camera.rayTable
      let side = RayTable.tileSide
      #expect(table.tilesX == (width + side - 1) / side)
      #expect(table.tileSlopes.count == table.tilesX * ((height + side - 1) / side))
      for (index, slopes) in table.tileSlopes.enumerated() {
        let x0 = (index % table.tilesX) * side
        let y0 = (index / table.tilesX) * side
        var lowerY = Double.infinity, upperY = -Double.infinity
        var lowerZ = Double.infinity, upperZ = -Double.infinity
        for y in y0..<min(y0 + side, height) {
          for x in x0..<min(x0 + side, width) {
            let d = table.directions[y * width + x]
            lowerY = min(lowerY, d.y)
            upperY = max(upperY, d.y)
            lowerZ = min(lowerZ, d.z)
            upperZ = max(upperZ, d.z)
          }
        }
        #expect(slopes.dy.lower == lowerY && slopes.dy.upper == upperY)
        #expect(slopes.dz.lower == lowerZ && slopes.dz.upper == upperZ)
        #expect(slopes.step >= 0 && slopes.step.isFinite)
      }
    }
  }

  /// The ground's value noise with the last lattice cell kept (`NoiseCell2D`) gives the
  /// value it gives from a fresh cell, along a path that stays in cells, crosses them and
  /// jumps back, at the ground's four frequencies; and so do the ground albedo and the
  /// puddles through one `GroundNoiseCells`.
  @Test func cachedGroundNoiseIsTheNoise() {
    var numbers = RayBundleTests.Numbers(state: 97)
    let seeds: [UInt64] = [0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A]
    var cells = [NoiseCell2D](repeating: NoiseCell2D(), count: seeds.count)
    var x = -3.7
    var y = 12.2
    var hits = 0
    for step in 0..<4000 {
      if step % 97 == 0 {
        x = numbers.next() * 200 - 100
        y = numbers.next() * 200 - 100
      } else {
        x += numbers.next() * 0.05 - 0.01
        y += numbers.next() * 0.02 - 0.01
      }
      for (k, seed) in seeds.enumerated() {
        let scale = [0.7, 6, 0.3, 1.1][k]
        let kept = cells[k]
        let cached = Hash.valueNoise2D(seed: seed, x * scale, y * scale, cell: &cells[k])
        if kept.valid && kept.ix == cells[k].ix && kept.iy == cells[k].iy { hits += 1 }
        var fresh = NoiseCell2D()
        #expect(cached == Hash.valueNoise2D(seed: seed, x * scale, y * scale, cell: &fresh))
      }
    }
    #expect(hits > 8000)  // most steps stay in their cells
    let rain = WeatherTests.overcast(precipitation: .rain(millimetresPerHour: 4))
    let shader = Shader(environment: rain, lamps: LampSet([], environment: rain) { _ in nil })
    var ground = GroundNoiseCells()
    for _ in 0..<2000 {
      let p = Vec3(numbers.next() * 30, numbers.next() * 30 - 15, 0)
      var fresh = GroundNoiseCells()
      #expect(shader.groundAlbedo(at: p, cells: &ground) == shader.groundAlbedo(at: p, cells: &fresh))
      var freshPuddle = GroundNoiseCells()
      #expect(shader.puddle(at: p, cells: &ground) == shader.puddle(at: p, cells: &freshPuddle))
    }
  }

  /// The environment term's exponential skipped where a lower bound clears the roughness
  /// term gives the value `min` takes from the exponential (`SurfaceBRDF.exp2Above`), and so
  /// the same `environmentSpecular` bits.
  @Test func exponentialSkipKeepsTheMinimum() {
    var numbers = RayBundleTests.Numbers(state: 2026)
    var skipped = 0
    for k in 0..<100_000 {
      let nv = k % 10 == 0 ? 1e-4 : numbers.next()
      let r = [numbers.next(), 0.9, 0.85, 0.35, 1, 0][k % 6]
      let rx = 1 - r
      let floor = rx * rx
      let x = -9.28 * nv
      let long = Swift.min(floor, expDouble(x * 0.6931471805599453))
      let short = Swift.min(floor, SurfaceBRDF.exp2Above(x, floor: floor))
      #expect(long == short, "nv \(nv), roughness \(r)")
      if expDouble(x * 0.6931471805599453) != SurfaceBRDF.exp2Above(x, floor: floor) { skipped += 1 }
    }
    #expect(skipped > 10_000, "the shortcut must be taken often enough to matter")
  }

  /// `SurfaceBRDF.reflectance` (n·h and v·h from one reciprocal of |l + v|, π·D·V as one
  /// quotient) is the textbook evaluation (h normalised, π·D and V divided out separately)
  /// to within rounding, for mirror-like to fully rough dielectrics and metals, lights from
  /// grazing to normal and views down to the clamp of n·v; light from behind gives 0.
  @Test func reflectanceIsTheTextbookLobe() {
    var numbers = RayBundleTests.Numbers(state: 77)
    func unit() -> Vec3 {
      while true {
        let v = Vec3(2 * numbers.next() - 1, 2 * numbers.next() - 1, 2 * numbers.next() - 1)
        let l = v.length
        if l > 0.1, l <= 1 { return v / l }
      }
    }
    var lit = 0
    for k in 0..<50_000 {
      let n = unit()
      var v = unit()
      if v.dot(n) < 0 { v = v * -1 }
      let l = unit()
      let roughness = [numbers.next(), 0, 0.08, 0.9, 1][k % 5]
      let metallic = k % 3 == 0 ? 1 : numbers.next()
      let base = SIMD3(numbers.next(), numbers.next(), numbers.next())
      let brdf = SurfaceBRDF(base: base, roughness: roughness, metallic: metallic, normal: n, view: v)
      let fast = brdf.reflectance(toward: l)
      // The textbook form.
      let nl = n.dot(l)
      guard nl > 0 else {
        #expect(fast == .zero)
        continue
      }
      let sum = l + v
      guard sum.length > 1e-12 else { continue }
      let h = sum / sum.length
      let nh = Swift.max(0, n.dot(h))
      let vh = Swift.max(0, v.dot(h))
      let fresnel = SurfaceBRDF.schlick(brdf.f0, vh)
      let a2 = brdf.alpha2
      let t = nh * nh * (a2 - 1) + 1
      let piD = a2 / (t * t)
      let nv = brdf.nv
      let visibility =
        0.5 / (nl * (nv * nv * (1 - a2) + a2).squareRoot() + nv * (nl * nl * (1 - a2) + a2).squareRoot())
      let slow = brdf.diffuse * (SIMD3(repeating: 1) - fresnel) + fresnel * (piD * visibility)
      // Near the peak of a mirror-like lobe t = 1 − (n·h)²(1 − α²) is about α² ≥ 4·10⁻⁵, so
      // one rounding of n·h, in either form, moves π·D by up to 10⁻¹¹ of itself.
      for c in 0..<3 {
        #expect(abs(fast[c] - slow[c]) <= 1e-10 * Swift.max(1, abs(slow[c])), "\(n) \(v) \(l) \(roughness)")
      }
      lit += 1
    }
    #expect(lit > 10_000)
  }

  /// A puddle's reflection ray traced as the mirror image of the primary ray, against the
  /// candidates of the tile's mirrored pyramid, hits what a walk of the whole BVH hits.
  @Test(arguments: [6, 12, 40, 300])
  func mirroredPyramidHoldsEveryReflectionHit(objectCount: Int) throws {
    var numbers = RayBundleTests.Numbers(state: UInt64(objectCount) &* 31)
    let intersector = try RayBundleTests.randomScene(objects: objectCount, numbers: &numbers)
    var culledBundles = 0
    var groundRays = 0
    var reflectedHits = 0
    for bundle in 0..<400 {
      let eye = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, 0.3 + numbers.next() * 4)
      // Looking down at the ground beyond an object, so reflections see the objects.
      let object = intersector.scene.objects[bundle % objectCount].transform.translation
      let target = Vec3(object.x + numbers.next() * 6 - 3, object.y + numbers.next() * 6 - 3, 0)
      let forward = (target - eye).normalized
      let left = Vec3.unitZ.cross(forward).normalized
      let up = forward.cross(left)
      let width = numbers.next() * (bundle % 5 == 0 ? 0.3 : 0.04)
      let height = numbers.next() * (bundle % 5 == 0 ? 0.3 : 0.04)
      let y0 = numbers.next() * 0.2 - 0.1 - width / 2
      let z0 = numbers.next() * 0.2 - 0.1 - height / 2
      let excluded: Int? = bundle % 3 == 0 ? bundle % objectCount : nil
      let pyramid = RayPyramid(
        origin: eye, forward: forward, left: left, up: up, y0: y0, y1: y0 + width, z0: z0, z1: z0 + height)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          intersector.collectCandidates(
            RayPyramid(mirroredInGround: pyramid), exclude: excluded.map(UInt32.init) ?? .max, into: &list,
            stack: stack)
          if !list.overflowed { culledBundles += 1 }
          let fractions = [0.0, 1.0, 0.5] + (0..<5).map { _ in numbers.next() }
          for fy in fractions {
            for fz in fractions {
              let direction = forward + left * (y0 + width * fy) + up * (z0 + height * fz)
              guard direction.z < 0 else { continue }
              let t = -eye.z / direction.z
              let point = eye + direction * t
              groundRays += 1
              let mirrorEye = Vec3(eye.x, eye.y, -eye.z)
              let mirrorDirection = Vec3(direction.x, direction.y, -direction.z)
              let tMin = t + 1e-6 * (1 + max(abs(point.x), abs(point.y))) / -direction.z
              let culled = intersector.closestHit(
                origin: mirrorEye, direction: mirrorDirection, tMin: tMin, tMax: .infinity, excluding: excluded,
                includeGround: false, stack: stack, candidates: list)
              let whole = intersector.closestHit(
                origin: mirrorEye, direction: mirrorDirection, tMin: tMin, tMax: .infinity, excluding: excluded,
                includeGround: false, stack: stack)
              #expect(culled == whole, "bundle \(bundle), fy \(fy), fz \(fz)")
              if whole != nil { reflectedHits += 1 }
              // The mirror image is the reflected ray: it passes through the ground point.
              let reflected = Vec3(direction.x, direction.y, -direction.z)
              let onLine = mirrorEye + mirrorDirection * t
              #expect((onLine - point).length <= 1e-9 * (1 + point.length))
              #expect(reflected.z > 0)
            }
          }
        }
      }
    }
    if objectCount <= 12 { #expect(culledBundles == 400) }
    #expect(groundRays > 5_000)
    #expect(reflectedHits > 100, "enough reflections must hit objects for the comparison to mean anything")
  }
}
