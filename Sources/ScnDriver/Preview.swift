import ScnScene
import Foundation
import ScnDataset
import ScnRuntime
import ScnSensors
import ScnSource

extension SamplingSession {
  /// The camera named `camera`'s first RGB image of `scene`, as a PNG: what `scn generate`
  /// writes for that camera's first frame of the sample (the world of that frame, without
  /// the actors of sub-scenarios that have not started; `FrameScenes`), without the sensor
  /// noise (REPL `:render`). A camera that records no frame in the sample (its mount or its
  /// sub-scenario never appears) is a usage error.
  public func renderPNG(_ scene: Scene, camera name: String, threads: Int = 1) throws(GenerateError) -> [UInt8] {
    guard let k = scene.sensors.firstIndex(where: { $0.name == name }) else {
      let names = scene.sensors.filter { (try? scene.sensorPlan($0))?.isCamera == true }.map(\.name)
      throw .usage("no sensor named '\(name)' in the scene" + (names.isEmpty ? " (it has no camera)" : "; cameras: " + names.joined(separator: ", ")))
    }
    let plans = try scene.sensorPlans()
    let plan = plans[k]
    guard case .camera(let width, let height, let fov, let lens, _) = plan.kind else {
      throw .usage("'\(name)' is a \(scene.sensors[k].type), not a camera")
    }
    let model: SceneModel
    do { model = try SceneModel(scene: scene, classes: ClassTable(program: program)) } catch { throw .scene(error.description) }
    let mounts = plans.map { plan in plan.mount.flatMap { name in scene.actors.firstIndex { $0.name == name } } }
    var scenes = FrameScenes(model)
    for world in FrameWorld.frames(of: scene, mounts: mounts, limit: nil) {
      // Every frame moves the scenes on (walking people need each), but only the camera's first is drawn.
      let renderScene = scenes.scene(of: world)
      guard world.due(k) else { continue }
      do {
        var camera = try Camera(width: width, height: height, horizontalFOV: fov, lens: lens)
        camera.pose = world.sensorPose(k) ?? plan.pose
        let intersector = try SceneIntersector(scene: renderScene)
        let frame = try intersector.render(
          camera,
          options: CameraRenderOptions(
            threads: max(1, threads), exposure: plan.exposure, noise: nil, noiseSeed: 0,
            excludedInstance: plan.mount.flatMap { model.instanceIDs[$0] }, labels: false,
            samplesPerPixel: plan.samplesPerPixel, whiteBalance: plan.whiteBalanceGains))
        return try PNGEncoder(compressionLevel: 6).encodeRGB(frame.rgb, width: frame.width, height: frame.height)
      } catch let e as GenerateError {
        throw e
      } catch {
        throw .scene("camera '\(name)': \(error)")
      }
    }
    throw .usage("camera '\(name)' records no image in sample \(scene.sample): its mount or its sub-scenario never appears")
  }
}

extension SensorPlan {
  var isCamera: Bool {
    if case .camera = kind { return true }
    return false
  }
}

extension Driver {
  /// The `README.md` that `scn generate` would write for `request`, from `request.count`
  /// sampled (and simulated) scenes with no frame rendered (`scn card`, REPL `:card`).
  public func previewCard(_ request: GenerateRequest) throws(GenerateError) -> (card: String, warnings: [Diagnostic], sources: SourceManager) {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("scn-card-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    var request = request
    request.output = work
    request.maxFrames = 0
    request.existingOutput = .replace
    let session = try prepareGeneration(request)
    _ = try session.run(request, progress: { _ in })
    guard let card = FileManager.default.contents(atPath: work.appendingPathComponent("README.md").path) else {
      throw .dataset("no card was written")
    }
    return (String(decoding: card, as: UTF8.self), session.warnings, session.sources)
  }
}
