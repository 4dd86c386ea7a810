import Foundation
import ScnDataset
import ScnGeometry
import ScnSensors
import Testing

/// Renders small scenes and compares every image pixel-exactly with the PNGs committed in
/// Goldens/. `SCN_RECORD=1 swift test` rewrites them.
@Suite struct GoldenRenderTests {
  static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
  static let recording = ProcessInfo.processInfo.environment["SCN_RECORD"] == "1"

  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var scene: RenderScene
    var camera: Camera
    var options: CameraRenderOptions
    var description: String { name }
  }

  static func cases() throws -> [Case] {
    [
      Case(
        name: "primitives", scene: TestScenes.primitives(),
        camera: try TestScenes.camera(width: 160, height: 120, fovDegrees: 75, at: Vec3(0, 0, 1.6)),
        options: CameraRenderOptions()),
      Case(
        name: "mesh_fog_distorted", scene: TestScenes.meshInFog(),
        camera: try TestScenes.camera(
          width: 160, height: 120, fovDegrees: 80, at: Vec3(0, 0, 1.2),
          distortion: LensDistortion(k1: -0.25, k2: 0.06, p1: 0.001, p2: -0.0005)),
        options: CameraRenderOptions()),
      Case(
        name: "mounted_noise", scene: TestScenes.mounted(),
        camera: try TestScenes.camera(width: 160, height: 120, fovDegrees: 70, at: Vec3(0.5, 0, 1.4)),
        options: CameraRenderOptions(noise: SensorNoise(), noiseSeed: 99, excludedInstance: 20)),
    ]
  }

  @Test(arguments: try cases())
  func matchesGolden(_ testCase: Case) throws {
    let frame = try SceneIntersector(scene: testCase.scene).render(testCase.camera, options: testCase.options)
    let encoded = try frame.encodePNGs()
    let images: [(String, [UInt8])] = [
      ("rgb", encoded.rgb), ("depth", encoded.depth), ("instance", encoded.instance), ("semantic", encoded.semantic),
    ]
    for (kind, png) in images {
      let url = Self.goldens.appendingPathComponent("\(testCase.name)_\(kind).png")
      if Self.recording {
        try Data(png).write(to: url)
        continue
      }
      let golden = try #require(
        try? Data(contentsOf: url), "missing golden \(url.lastPathComponent); run with SCN_RECORD=1 to create it")
      let expected = try PNGImage(decoding: Array(golden))
      let actual = try PNGImage(decoding: png)
      #expect(actual.width == expected.width && actual.height == expected.height)
      let differing = zip(actual.samples, expected.samples).filter { $0 != $1 }.count
      let identical = actual.samples == expected.samples
      #expect(identical, "\(testCase.name) \(kind): \(differing) samples differ")
    }
  }

  @Test func mountedActorIsInvisible() throws {
    let scene = TestScenes.mounted()
    let camera = try TestScenes.camera(width: 160, height: 120, fovDegrees: 70, at: Vec3(0.5, 0, 1.4))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(excludedInstance: 20))
    #expect(!frame.instance.contains(20))
    #expect(frame.instance.contains(21))
    #expect(!frame.objects.contains { $0.instanceID == 20 })
  }

  @Test func renderIsIdenticalForAnyThreadCount() throws {
    let intersector = try SceneIntersector(scene: TestScenes.primitives())
    let camera = try TestScenes.camera(width: 123, height: 77, fovDegrees: 75, at: Vec3(0, 0, 1.6))
    for exposure in [CameraExposure.scene, .automatic] {
      let options = CameraRenderOptions(threads: 1, exposure: exposure, noise: SensorNoise(), noiseSeed: 5)
      try Self.expectSameForAnyThreadCount(intersector, camera, options)
    }
  }

  static func expectSameForAnyThreadCount(
    _ intersector: SceneIntersector, _ camera: Camera, _ options: CameraRenderOptions
  ) throws {
    let single = try intersector.render(camera, options: options)
    for threads in [2, 3, 8] {
      var parallel = options
      parallel.threads = threads
      let many = try intersector.render(camera, options: parallel)
      #expect(many.rgb == single.rgb)
      #expect(many.depth == single.depth)
      #expect(many.instance == single.instance)
      #expect(many.semantic == single.semantic)
      #expect(many.objects == single.objects)
      #expect(try many.encodePNGs(threads: threads) == single.encodePNGs(threads: 1))
    }
  }
}
