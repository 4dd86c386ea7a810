import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The per-tile lamp culling (`cullLampShadows`: the early exit for tiles no lamp reaches, the
/// lamps in range of the tile, each lamp's box and candidate list, and each pixel's mask of
/// the lamps that may light it) never changes a lamp's light: every pixel of a tile gets the
/// same radiance, bit for bit, as `lampLight` without culling.
@Suite struct LampCullingTests {
  typealias Numbers = RayBundleTests.Numbers

  /// Random boxes and spheres on the ground, some of them owning a lamp, and `count` lamps:
  /// points, spots and low beams, some in range of little, at heights of 0.5–8 m.
  static func scene(lamps count: Int, numbers: inout Numbers) throws -> (SceneIntersector, LampSet) {
    let objects = (0..<24).map { i in
      SceneObject(
        instanceID: UInt32(i + 1), semanticClass: 2, className: "b", baseColour: TestScenes.grey,
        parts: [
          Part(
            i % 2 == 0
              ? .box(size: Vec3(0.3 + 2 * numbers.next(), 0.3 + 2 * numbers.next(), 0.3 + 3 * numbers.next()))
              : .sphere(radius: 0.2 + numbers.next()))
        ],
        transform: Transform(
          rotation: Quaternion(yaw: numbers.next() * 6, pitch: 0, roll: 0),
          translation: Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 2)))
    }
    let lights = (0..<count).map { i in
      let position = Vec3(numbers.next() * 50 - 25, numbers.next() * 50 - 25, 0.5 + numbers.next() * 7.5)
      let intensity = 20 + numbers.next() * (i % 7 == 6 ? 20_000 : 2_000)
      let owner: UInt32 = i % 3 == 0 ? UInt32(1 + Int(numbers.next() * 23)) : 0
      switch i % 3 {
      case 0:
        return Light(position: position, intensity: intensity, owner: owner)
      case 1:
        let direction = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, -numbers.next())
        return Light(
          position: position, direction: direction, intensity: intensity, innerAngle: 0.3 + numbers.next() * 0.5,
          outerAngle: 0.9 + numbers.next() * 0.6, owner: owner)
      default:
        let heading = numbers.next() * 6.2
        return Light(
          position: position, direction: Vec3(heading.cosine, heading.sine, -0.05), intensity: intensity,
          innerAngle: 0.3, outerAngle: 0.6, lowBeam: true, owner: owner)
      }
    }
    // 5000 lx: lamps count down to 5 lx, so their ranges run from 2 m to 63 m.
    let environment = Environment(illuminance: 5000, precipitation: .rain(millimetresPerHour: 4))
    let intersector = try SceneIntersector(
      scene: RenderScene(objects: objects, environment: environment, lights: lights))
    return (intersector, LampSet(lights, environment: environment) { intersector.objectIndex(ofInstance: $0) })
  }

  @Test(arguments: [3, 5, 12, 70])
  func culledLampLightIsTheWholeSum(lampCount: Int) throws {
    var numbers = Numbers(state: 5150 + UInt64(lampCount))
    let (intersector, lamps) = try Self.scene(lamps: lampCount, numbers: &numbers)
    let side = RayTable.tileSide
    var lit = 0
    var skippedTiles = 0
    var maskedPixels = 0
    for tile in 0..<60 {
      // A tile's bundle of rays: from a random eye, around a random direction, a little
      // downwards so most rays meet the ground or an object.
      let eye = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, 0.5 + numbers.next() * 3)
      let heading = numbers.next() * 6.2
      let forward = Vec3(heading.cosine, heading.sine, -0.05 - 0.3 * numbers.next())
      let left = Vec3(-heading.sine, heading.cosine, 0)
      let up = Vec3(0, 0, 1)
      let spread = tile % 4 == 0 ? 0.5 : 0.04
      intersector.withTraversalStack { stack in
        withUnsafeTemporaryAllocation(of: PrimaryHit.self, capacity: side * side) { buffer in
          guard let hits = buffer.baseAddress else { return }
          var lower = Vec3(repeating: .infinity)
          var upper = Vec3(repeating: -.infinity)
          for slot in 0..<(side * side) {
            let direction =
              forward + left * (spread * (Double(slot % side) / Double(side) - 0.5))
              + up * (spread * (Double(slot / side) / Double(side) - 0.5))
            let hit = intersector.closestHit(
              origin: eye, direction: direction, tMin: 0, tMax: .infinity, excluding: nil, includeGround: true,
              stack: stack)
            if let hit {
              let p = eye + direction * hit.t
              lower = lanewiseMin(lower, p)
              upper = lanewiseMax(upper, p)
            }
            (hits + slot).initialize(to: PrimaryHit(hit: hit, direction: direction, litSide: false))
          }
          LampShadowCulling.withScratch(lamps: lamps.lamps.count, pixels: side * side) { culling in
            intersector.cullLampShadows(
              hits: hits, count: side * side, eye: eye, hitLower: lower, hitUpper: upper, lamps: lamps,
              into: &culling, stack: stack)
            if culling.activeCount == 0 { skippedTiles += 1 }
            for slot in 0..<(side * side) {
              guard let hit = hits[slot].hit else { continue }
              let direction = hits[slot].direction
              let p = eye + direction * hit.t
              var object: Int?
              if case .object(let index) = hit.surface { object = index }
              let brdf = SurfaceBRDF(
                base: SIMD3(0.5, 0.4, 0.3), roughness: 0.4, metallic: slot % 7 == 0 ? 1 : 0, normal: hit.normal,
                view: -direction.normalized)
              culling.pixel = slot
              if culling.activeCount > 0, culling.usesMasks, culling.pixelMask == 0 { maskedPixels += 1 }
              let culled = intersector.lampLight(
                at: p, normal: hit.normal, brdf: brdf, object: object, lamps: lamps, stack: stack, culling: culling)
              let whole = intersector.lampLight(
                at: p, normal: hit.normal, brdf: brdf, object: object, lamps: lamps, stack: stack)
              #expect(culled == whole, "tile \(tile), slot \(slot): \(culled) against \(whole)")
              if whole != .zero { lit += 1 }
            }
          }
        }
      }
    }
    // The comparison must cover lit pixels, skipped tiles and pixels their masks leave dark.
    #expect(lit > 500, "lit pixels: \(lit)")
    if lampCount <= 5 { #expect(skippedTiles > 0, "tiles no lamp reaches: \(skippedTiles)") }
    if lampCount <= 64 { #expect(maskedPixels > 0, "pixels of active tiles with no lamp: \(maskedPixels)") }
  }
}
