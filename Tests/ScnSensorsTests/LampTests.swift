import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// Lamps obey the inverse-square and cosine laws, respect their beam and cast shadows
/// (docs/scene-model.md, "Lights"), measured on rendered 8-bit pixels.
@Suite struct LampTests {
  /// A night without sky light, so every photon in the image comes from the lamps.
  static let dark = Environment(
    sunDirection: Vec3(0, 0.2, -1), illuminance: 1, skyColour: RGB(0, 0, 0), ambientFraction: 0)

  /// A large grey wall facing −x at x = 10 m, 20 m wide and tall, its centre at z = 10 m;
  /// fully rough, so its response is nearly Lambertian and the pixels measure illuminance.
  static let wall = SceneObject(
    instanceID: 1, semanticClass: 2, className: "wall", material: Material(baseColour: RGB(0.5, 0.5, 0.5), roughness: 1),
    parts: [Part(.box(size: Vec3(0.2, 20, 20)), transform: Transform(translation: Vec3(0.1, 0, 10)))],
    transform: Transform(translation: Vec3(10, 0, 0)))

  static func linear(_ v: UInt8) -> Double {
    let s = Double(v) / 255
    return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
  }

  /// Linear green value of the centre pixel of a camera at (0, 0, 10) looking at the wall.
  static func centre(_ lights: [Light], objects: [SceneObject] = [wall]) throws -> Double {
    let scene = RenderScene(objects: objects, environment: dark, lights: lights)
    let camera = try TestScenes.camera(width: 33, height: 33, fovDegrees: 30, at: Vec3(0, 0, 10))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(threads: 1))
    return linear(frame.rgb[(16 * 33 + 16) * 3 + 1])
  }

  @Test func illuminanceFallsWithTheInverseSquareOfDistance() throws {
    // The lamp moves back along the wall's normal; the lit point and its albedo stay put.
    let near = try Self.centre([Light(position: Vec3(6, 0, 10), intensity: 200)])  // 4 m: 12.5 lx
    let far = try Self.centre([Light(position: Vec3(2, 0, 10), intensity: 200)])  // 8 m: 3.1 lx
    let farther = try Self.centre([Light(position: Vec3(-2, 0, 10), intensity: 800)])  // 12 m, 4×I: 5.6 lx
    // Below the tone curve's knee (0.8) the pixel is linear in the light.
    #expect(near > 0.05 && near < 0.8, "keep the test pixel off the ends of the scale: \(near)")
    #expect(abs(near / far - 4) / 4 < 0.05, "4 m against 8 m: ratio \(near / far)")
    #expect(abs(near / farther - 2.25) / 2.25 < 0.05, "ratio \(near / farther)")
  }

  @Test func illuminanceFollowsTheCosineOfIncidence() throws {
    // The same distance (4 m), once along the normal and once at 60° to it.
    let straight = try Self.centre([Light(position: Vec3(6, 0, 10), intensity: 200)])
    let slanted = try Self.centre([Light(position: Vec3(8, 4 * (60.0 * .pi / 180).sine, 10), intensity: 200)])
    // The pixel is E × π·f(l, v): divide out the BRDF's own change between the two directions
    // (the wall is fully rough, so it is within a few per cent of Lambertian).
    let brdf = SurfaceBRDF(
      base: SIMD3(repeating: 0.5), roughness: 1, metallic: 0, normal: Vec3(-1, 0, 0), view: Vec3(-1, 0, 0))
    let response = brdf.reflectance(toward: Vec3(-0.5, (60.0 * .pi / 180).sine, 0)).y / brdf.reflectance(toward: Vec3(-1, 0, 0)).y
    #expect(abs(response - 1) < 0.1)
    let ratio = slanted / straight / response
    #expect(abs(ratio - 0.5) < 0.02, "cos 60° = 0.5, got \(ratio)")
  }

  @Test func aSpotLightsOnlyInsideItsBeam() throws {
    let aimed = try Self.centre([
      Light(position: Vec3(6, 0, 10), direction: Vec3(1, 0, 0), intensity: 400, innerAngle: 0.2, outerAngle: 0.3)
    ])
    let away = try Self.centre([
      Light(position: Vec3(6, 0, 10), direction: Vec3(1, 1, 0), intensity: 400, innerAngle: 0.2, outerAngle: 0.3)
    ])
    #expect(aimed > 0.05)
    #expect(away == 0)
  }

  @Test func anObjectBetweenLampAndWallCastsAShadow() throws {
    // The lamp stands off the camera's line of sight; a small board on the lamp's path to the
    // wall's centre (but not on the camera's) hides the lamp from that point.
    let lamp = Light(position: Vec3(4, 3, 10), intensity: 400)
    let board = SceneObject(
      instanceID: 2, semanticClass: 3, className: "board", baseColour: RGB(0.5, 0.5, 0.5),
      parts: [Part(.box(size: Vec3(0.05, 0.5, 0.5)))], transform: Transform(translation: Vec3(7, 1.5, 10)))
    let open = try Self.centre([lamp])
    let shadowed = try Self.centre([lamp], objects: [Self.wall, board])
    #expect(open > 0.02)
    #expect(shadowed == 0, "the board blocks the lamp: \(shadowed)")
  }

  @Test func theOwnerNeitherBlocksNorReceivesItsLamp() throws {
    // A lamp inside a housing box that belongs to the same object as the lamp.
    let housing = SceneObject(
      instanceID: 2, semanticClass: 3, className: "lamp", baseColour: RGB(0.5, 0.5, 0.5),
      parts: [Part(.box(size: Vec3(0.4, 0.4, 0.4)))], transform: Transform(translation: Vec3(6, 0, 10)))
    let lamp = Light(position: Vec3(6, 0, 10), intensity: 400, owner: 2)
    let bare = try Self.centre([Light(position: Vec3(6, 0, 10), intensity: 400)], objects: [Self.wall])
    // The camera sees the housing in the middle of the image: look at the wall beside it.
    let scene = RenderScene(objects: [Self.wall, housing], environment: Self.dark, lights: [lamp])
    let camera = try TestScenes.camera(width: 33, height: 33, fovDegrees: 30, at: Vec3(0, 0, 10))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(threads: 1))
    let beside = Self.linear(frame.rgb[(16 * 33 + 4) * 3 + 1])
    #expect(beside > 0, "the housing must not shadow its own lamp")
    #expect(frame.instance[16 * 33 + 16] == 2)
    #expect(bare > 0)
  }

  @Test func emissivePartsGlowWithoutLight() throws {
    let lens = SceneObject(
      instanceID: 1, semanticClass: 2, className: "sign",
      material: Material(baseColour: RGB(0.1, 0.1, 0.1), emissive: RGB(0.2, 0.2, 0.2)),
      parts: [Part(.box(size: Vec3(0.2, 20, 20)), transform: Transform(translation: Vec3(0.1, 0, 10)))],
      transform: Transform(translation: Vec3(10, 0, 0)))
    // 0.2 cd/m² reads as a white surface under π·0.2 lx: linear π·0.2 / 1 lx × exposure.
    let value = try Self.centre([], objects: [lens])
    let exposure = Environment(illuminance: 1).exposureScale
    #expect(abs(value - Double.pi * 0.2 * exposure) / (Double.pi * 0.2 * exposure) < 0.05, "\(value)")
  }
}
