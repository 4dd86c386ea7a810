import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The camera's white balance shifts the channels in the documented direction
/// (docs/scene-model.md, "Exposure, tone curve and noise"): balanced for a warmer light than
/// the renderer's 6500 K white the image turns bluer, for a colder one warmer.
@Suite struct WhiteBalanceTests {
  /// Linear channel means of a grey wall filling the view.
  static func means(kelvin: Double) throws -> SIMD3<Double> {
    let scene = RenderScene(
      objects: [ExposureTests.wall(0.4)], environment: ExposureTests.environment(illuminance: 1000))
    let camera = try TestScenes.camera(width: 24, height: 24, fovDegrees: 10, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: scene).render(
      camera,
      options: CameraRenderOptions(
        threads: 1, exposure: .fixed(ev100: 8), whiteBalance: WhiteBalance.gains(kelvin: kelvin)))
    var sum = SIMD3<Double>(0, 0, 0)
    let n = 24 * 24
    for i in 0..<n {
      sum += SIMD3(
        ExposureTests.linear(frame.rgb[i * 3]), ExposureTests.linear(frame.rgb[i * 3 + 1]),
        ExposureTests.linear(frame.rgb[i * 3 + 2]))
    }
    return sum / Double(n)
  }

  @Test func neutralIsTheIdentityAndGreenKeepsItsGain() {
    #expect(WhiteBalance.gains(kelvin: 6500) == SIMD3(1, 1, 1))
    for k in [2000.0, 3200, 5000, 8000, 15000] {
      let g = WhiteBalance.gains(kelvin: k)
      #expect(g.y == 1)
      #expect(g.x.isFinite && g.z.isFinite && g.x > 0 && g.z > 0)
    }
    // Warmer settings (lower kelvin) lower red and raise blue, monotonically.
    let ks = [2000.0, 3200, 4500, 6500, 8000, 12000]
    let gains = ks.map { WhiteBalance.gains(kelvin: $0) }
    for k in 1..<gains.count {
      #expect(gains[k].x > gains[k - 1].x, "red gain at \(ks[k]) K")
      #expect(gains[k].z < gains[k - 1].z, "blue gain at \(ks[k]) K")
    }
  }

  @Test func tungstenBalanceTurnsTheImageBlueAndShadeBalanceWarm() throws {
    let neutral = try Self.means(kelvin: 6500)
    let tungsten = try Self.means(kelvin: 3200)
    let shade = try Self.means(kelvin: 10_000)
    // A grey wall under white light reads grey at 6500 K (the texture's grain averages out).
    #expect(abs(neutral.x / neutral.y - 1) < 0.03 && abs(neutral.z / neutral.y - 1) < 0.03, "\(neutral)")
    // 3200 K: blue up, red down (relative to green, which keeps its gain).
    #expect(tungsten.z / tungsten.y > 1.3 * neutral.z / neutral.y, "\(tungsten)")
    #expect(tungsten.x / tungsten.y < 0.85 * neutral.x / neutral.y, "\(tungsten)")
    #expect(abs(tungsten.y / neutral.y - 1) < 0.03)
    // 10 000 K: red up, blue down.
    #expect(shade.x / shade.y > 1.05 * neutral.x / neutral.y, "\(shade)")
    #expect(shade.z / shade.y < 0.95 * neutral.z / neutral.y, "\(shade)")
    // The means follow the gains (off the tone curve's shoulder, the encoding is exact to
    // 8-bit rounding).
    let g = WhiteBalance.gains(kelvin: 3200)
    #expect(abs(tungsten.z / neutral.z - g.z) / g.z < 0.05, "blue \(tungsten.z / neutral.z) against gain \(g.z)")
  }
}
