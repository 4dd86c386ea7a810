import ScnScene
import Foundation
import ScnDataset
import ScnRuntime
import ScnSensors
import ScnSource

extension SamplingSession {
  /// The frame-0 RGB image of `scene` from the camera sensor named `camera`, as a PNG: what
  /// `scn generate` renders for the first frame, without the sensor noise (REPL `:render`).
  public func renderPNG(_ scene: Scene, camera name: String, threads: Int = 1) throws(GenerateError) -> [UInt8] {
    let cameras = scene.sensors.filter { (try? scene.sensorPlan($0))?.isCamera == true }
    guard let sensor = scene.sensors.first(where: { $0.name == name }) else {
      let names = cameras.map(\.name)
      throw .usage("no sensor named '\(name)' in the scene" + (names.isEmpty ? " (it has no camera)" : "; cameras: " + names.joined(separator: ", ")))
    }
    let plan = try scene.sensorPlan(sensor)
    guard case .camera(let width, let height, let fov, let lens, _) = plan.kind else {
      throw .usage("'\(name)' is a \(sensor.type), not a camera")
    }
    let model: SceneModel
    do { model = try SceneModel(scene: scene, classes: ClassTable(program: program)) } catch { throw .scene(error.description) }
    let sceneAtStart = RenderScene(model)
    do {
      var camera = try Camera(width: width, height: height, horizontalFOV: fov, lens: lens)
      camera.pose = plan.pose
      let intersector = try SceneIntersector(scene: sceneAtStart)
      let frame = try intersector.render(
        camera,
        options: CameraRenderOptions(
          threads: max(1, threads), exposure: plan.exposure, noise: nil, noiseSeed: 0,
          excludedInstance: plan.mount.flatMap { model.instanceIDs[$0] }, labels: false,
          whiteBalance: plan.whiteBalanceGains))
      return try PNGEncoder(compressionLevel: 6).encodeRGB(frame.rgb, width: frame.width, height: frame.height)
    } catch let e as GenerateError {
      throw e
    } catch {
      throw .scene("camera '\(name)': \(error)")
    }
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
