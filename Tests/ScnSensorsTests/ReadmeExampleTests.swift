import ScnScene
import ScnGeometry
import ScnSensors
import Testing

/// The usage example of Sources/ScnSensors/README.md, kept compiling and working.
@Suite struct ReadmeExampleTests {
  @Test func exampleRuns() throws {
    let scene = RenderScene(
      objects: [
        .box(
          instanceID: 1, semanticClass: 2, className: "car", baseColour: RGB(0.6, 0.1, 0.1),
          size: Vec3(4.4, 1.8, 1.5), transform: Transform(position: Vec3(12, 2, 0), yaw: 0.3))
      ], environment: Environment(sunDirection: Environment.sunDirection(hourOfDay: 15), illuminance: 30_000))
    let intersector = try SceneIntersector(scene: scene)
    let camera = try Camera(
      width: 64, height: 48, horizontalFOV: 90.0.radians, pose: Transform(position: Vec3(0, 0, 1.6), yaw: 0))
    let frame = try intersector.render(camera, options: CameraRenderOptions(excludedInstance: nil))
    let pngs = try frame.encodePNGs(with: PNGEncoder(compressionLevel: 1, filter: .sub))
    let seen = intersector.visibility(ofInstance: 1, from: camera)?.fraction
    let points = try intersector.scan(
      LidarSensor(channels: 32, minElevation: -0.4, maxElevation: 0.2, azimuthSteps: 256, maxRange: 100)
    ).points
    let ply = PLYWriter.encode(points)
    #expect(!pngs.rgb.isEmpty && seen == 1 && points.contains { $0.instance == 1 } && ply.count > points.count * 22)
  }
}
