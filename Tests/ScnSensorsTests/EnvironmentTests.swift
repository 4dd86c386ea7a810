import ScnGeometry
import ScnSensors
import Testing

@Suite struct EnvironmentTests {
  @Test func sunFollowsTheDocumentedPath() {
    let noon = Environment.sunDirection(hourOfDay: 12, noonElevation: 60)
    #expect(abs(noon.z - 60.0.radians.sine) < 1e-12 && noon.x > 0 && abs(noon.y) < 1e-12)
    let sunrise = Environment.sunDirection(hourOfDay: 6)
    #expect(abs(sunrise.z) < 1e-12 && sunrise.y < -0.99)
    #expect(Environment.sunDirection(hourOfDay: 18).y > 0.99)
    #expect(Environment.sunDirection(hourOfDay: 2).z < 0)
  }

  @Test func exposureGrowsWithIlluminanceButLessThanTheLight() {
    let noon = Environment(illuminance: 50_000).exposureScale
    let dusk = Environment(illuminance: 500).exposureScale
    #expect(noon == 1)
    #expect(dusk < noon && dusk > 500.0 / 50_000)
  }

  @Test func shadowsFogAndNightChangeTheImage() throws {
    let camera = try TestScenes.camera(width: 80, height: 60, fovDegrees: 75, at: Vec3(0, 0, 1.6))
    func meanBrightness(_ environment: Environment, shadows: Bool = true) throws -> Double {
      var scene = TestScenes.primitives()
      scene.environment = environment
      let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(shadows: shadows))
      return Double(frame.rgb.reduce(0) { $0 + Int($1) }) / Double(frame.rgb.count)
    }
    let day = Environment(sunDirection: Environment.sunDirection(hourOfDay: 9))
    #expect(try meanBrightness(day, shadows: false) > meanBrightness(day))
    var night = day
    night.sunDirection = Environment.sunDirection(hourOfDay: 23)
    #expect(try meanBrightness(night) < meanBrightness(day))
    // Thick fog turns everything into the horizon colour: far less spread between pixels.
    var foggy = day
    foggy.fogExtinction = 2
    var scene = TestScenes.primitives()
    scene.environment = foggy
    let frame = try SceneIntersector(scene: scene).render(camera)
    let greens = stride(from: 1, to: frame.rgb.count, by: 3).map { frame.rgb[$0] }
    #expect((greens.max() ?? 0) - (greens.min() ?? 0) < 40)
  }
}
