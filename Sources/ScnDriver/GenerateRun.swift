import Foundation
import ScnDataset
import ScnEncoding
import ScnGeometry
import ScnRuntime
import ScnSensors

/// What a finished run produced.
public struct GenerateOutcome: Sendable {
  /// `.dataset` for a whole run, `.shard` for `--shard k/N`.
  public let finalization: DatasetFinalization
  /// Samples rendered by this run (not counting those a resumed run kept).
  public let rendered: Int
  public let frames: Int
  public let seconds: Double
}

extension GenerateSession {
  /// Samples, renders and writes every pending sample of `request` on `request.jobs` threads,
  /// then finalises. Each worker takes the next pending index, so at most `jobs` samples are
  /// in memory at once, and a sample's bytes depend only on its index: the result is the same
  /// for any `jobs`. A worker that finds no sample left lends its thread to those still
  /// rendering: each of their frames is rendered on 1 + (idle workers) / (busy workers)
  /// threads, which gives the same bytes (`CameraRenderOptions.threads`,
  /// `SceneIntersector.scan`), so the last samples of a run do not leave cores idle.
  /// `progress` is called (serially) after each sample.
  public func run(
    _ request: GenerateRequest, progress: @escaping @Sendable (GenerateProgress) -> Void = { _ in }
  ) throws(GenerateError) -> GenerateOutcome {
    let start = Date()
    try checkResourceLimits(request)
    let writer: DatasetWriter
    do {
      writer = try DatasetWriter(
        outputDirectory: request.output, description: description,
        options: DatasetWriterOptions(
          existingOutput: request.existingOutput, shard: request.shard, timestamp: request.timestamp,
          // `--force` must never empty a folder holding the scenario or a file it imports.
          inputs: [URL(fileURLWithPath: request.path)] + sources.files.map { URL(fileURLWithPath: $0.path) }))
    } catch {
      throw .dataset(error.description)
    }
    let wanted = Set(indices(count: request.count, shard: request.shard))
    let pending = writer.pendingSampleIndices.filter { wanted.contains($0) }.sorted()
    let workers = max(1, min(request.jobs, pending.count))
    let state = RunState(total: pending.count, workers: workers)
    let session = self
    let body: @Sendable (Int) -> Void = { _ in
      while let position = state.next() {
        let index = pending[position]
        do {
          let (frames, attempts) = try session.render(index: index, into: writer, threads: { state.threadsPerSample })
          state.finished(frames: frames, attempts: attempts, report: progress)
        } catch let e as GenerateError {
          state.fail(e)
        } catch {
          state.fail(.dataset("\(error)"))
        }
      }
    }
    Self.onThreads(workers, body)
    if let error = state.error { throw error }
    let finalization: DatasetFinalization
    do { finalization = try writer.finalize() } catch { throw .dataset(error.description) }
    return GenerateOutcome(
      finalization: finalization, rendered: pending.count, frames: state.frameCount,
      seconds: Date().timeIntervalSince(start))
  }

  /// Runs `body(0)` … `body(workers − 1)` at once, `body(0)` on the calling thread and each
  /// other on a thread of its own, and returns when all have. Not `concurrentPerform`: a
  /// worker's frames fan out over `Parallel.forEach` (libdispatch's `concurrentPerform`), and
  /// libdispatch runs a `concurrentPerform` nested in another one serially (it divides the
  /// cores by the outer call's width), so the threads an idle worker lends to the last
  /// samples (`run`) would never be used: at `--count 5 --jobs 2` the last sample ran on one
  /// core for a fifth of the run.
  static func onThreads(_ workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
    guard workers > 1 else {
      body(0)
      return
    }
    let finished = DispatchSemaphore(value: 0)
    for worker in 1..<workers {
      Thread {
        body(worker)
        finished.signal()
      }.start()
    }
    body(0)
    for _ in 1..<workers { finished.wait() }
  }

  /// Bytes a camera's per-pixel state takes while a frame is rendered and encoded (ray
  /// table, colour, depth, instance and label buffers, the PNG being written): 8 GiB for
  /// a 16384×16384 camera, as measured.
  static let cameraBytesPerPixel = 32

  /// Refuses a run whose size or peak memory is out of bounds before anything is allocated:
  /// more samples than `limits.samples` for this run (shard), or cameras whose pixels ×
  /// per-pixel bytes × workers exceed `limits.memory` (three quarters of physical memory
  /// unless set).
  func checkResourceLimits(_ request: GenerateRequest) throws(GenerateError) {
    let perRun = request.shard.map { s in request.count / s.count + (request.count % s.count > s.index ? 1 : 0) } ?? request.count
    let most = request.limits.samples
    guard perRun <= most else {
      throw .usage("--count \(request.count) gives this run \(perRun) samples, more than the limit of \(most) per run; "
                   + "split it into shards with --shard k/N (each at most \(most) samples) and join them with scn merge, or "
                   + ResourceLimits.howToRaise("samples"))
    }
    let limit = request.limits.memoryBytes
    let workers = max(1, min(request.jobs, perRun))
    let perWorker = plans.reduce(0.0) { total, plan in
      guard case .camera(let w, let h, _, _, _) = plan.kind else { return total }
      return total + Double(w) * Double(h) * Double(Self.cameraBytesPerPixel)
    }
    let peak = perWorker * Double(workers)
    guard peak <= limit else {
      let gib = { (x: Double) in String(Double((x / 1_073_741_824 * 10).rounded(.up)) / 10) }
      let fits = Int(limit / max(perWorker, 1))
      let what = request.limits.memory == nil ? "three quarters of this machine's memory" : "set by --limit memory"
      throw .usage("rendering the cameras needs about \(gib(perWorker)) GiB per worker, \(gib(peak)) GiB with \(workers) jobs; "
                   + "the limit is \(gib(limit)) GiB (\(what)): "
                   + (fits >= 1 ? "use --jobs \(fits) or fewer, lower the camera resolution, or " : "lower the camera resolution, or ")
                   + ResourceLimits.howToRaise("memory"))
    }
  }


  /// One sample: sample (and simulate) the scene, then render every recorded frame of the
  /// trace (each sensor when it is due at its own rate, the world posed as the trace has it)
  /// and hand each frame to `writer` as soon as it is encoded, so memory holds one frame,
  /// not the sample. A scenario without `simulate` gives one frame at t = 0.
  /// `threads` is asked before each frame for the threads to render it on (the bytes are the
  /// same for any number).
  func render(
    index: Int, into writer: DatasetWriter, threads: () -> Int = { 1 }
  ) throws(GenerateError) -> (frames: Int, attempts: Int) {
    let result = sample(index)
    if let failure = result.failure { throw .input(sources, [failure.diagnostic]) }
    guard let scene = result.scenes.first else { throw .scene("sample \(index) produced no scene") }
    let model: SceneModel
    do { model = try SceneModel(scene: scene, classes: classes) } catch { throw .scene(error.description) }
    let plans = try scene.sensorPlans()
    var frames: [FrameRecord] = []
    let stream: SampleStream
    do {
      stream = try writer.beginSample(index, calibrations: plans.map(\.calibration))
    } catch { throw .dataset("\(error)") }
    let seed = description.identity.seed
    // Each sensor's mount as an actor index (nil: on no actor).
    let mounts = plans.map { plan in plan.mount.flatMap { name in scene.actors.firstIndex { $0.name == name } } }
    // One camera per sensor and sample: its per-pixel ray table is the costly part to set
    // up, and only the pose changes from frame to frame.
    var cameraModels: [Camera?] = []
    for plan in plans {
      guard case .camera(let width, let height, let fov, let lens, _) = plan.kind else {
        cameraModels.append(nil)
        continue
      }
      do {
        cameraModels.append(try Camera(width: width, height: height, horizontalFOV: fov, lens: lens))
      } catch {
        throw .scene("sample \(index), sensor '\(plan.name)': \(error)")
      }
    }
    var scenes = FrameScenes(model)
    for world in FrameWorld.frames(of: scene, mounts: mounts, limit: maxFrames) {
      let renderScene = scenes.scene(of: world)
      let intersector: SceneIntersector
      do { intersector = try SceneIntersector(scene: renderScene) } catch {
        throw .scene("sample \(index) frame \(world.index): \(error)")
      }
      let frameThreads = max(1, threads())
      for (k, plan) in plans.enumerated() where world.due(k) {
        let pose = world.sensorPose(k) ?? plan.pose
        let excluded = plan.mount.flatMap { model.instanceIDs[$0] }
        let noiseSeed = NoiseSeed.of(seed: seed, sample: index, frame: world.index, sensor: k)
        let output: SensorOutput
        do {
          switch plan.kind {
          case .camera(_, _, _, _, let outputs):
            guard var camera = cameraModels[k] else { continue }
            camera.pose = pose
            let wantsLabels = outputs.contains("boxes2d") || outputs.contains("boxes3d")
            let rendered = try intersector.render(
              camera,
              options: CameraRenderOptions(threads: frameThreads, exposure: plan.exposure, noise: plan.noise, noiseSeed: noiseSeed,
                                           excludedInstance: excluded, labels: wantsLabels,
                                           samplesPerPixel: plan.samplesPerPixel, whiteBalance: plan.whiteBalanceGains,
                                           partLabels: outputs.contains("parts") ? partLabels : nil))
            output = .camera(
              try DatasetLabels.cameraFrame(
                rendered, name: plan.name, frame: world.index, outputs: outputs, unannotated: model.unannotatedInstances,
                threads: frameThreads))
          case .lidar(var lidar):
            lidar.seed = noiseSeed
            lidar.pose = pose
            let scan = try intersector.scan(lidar, excludedInstance: excluded, threads: frameThreads)
            let half = plan.horizontalFOV / 2
            let points = half >= .pi - 1e-9
              ? scan.points : scan.points.filter { abs(atan2Double(Double($0.y), Double($0.x))) <= half + 1e-12 }
            output = .lidar(LidarFrame(sensor: plan.name, frame: world.index, ply: PLYWriter.encode(points)))
          }
        } catch let e as GenerateError {
          throw e
        } catch {
          throw .scene("sample \(index), sensor '\(plan.name)': \(error)")
        }
        do {
          switch output {
          case .camera(let frame): try stream.write(camera: frame)
          case .lidar(let frame): try stream.write(lidar: frame)
          }
        } catch {
          throw .dataset("\(error)")
        }
      }
      // The ego's pose, none while it does not exist (or when there is no ego).
      let ego = scene.egoIndex.flatMap { e in
        world.actors.indices.contains(e) && !world.absent.contains(e) ? world.actors[e] : nil
      }
      frames.append(FrameRecord(
        index: world.index, time: world.time, ego: ego.map(DatasetLabels.pose),
        sensors: plans.enumerated().filter { world.exists($0.offset) }.map { k, plan in
          ScnDataset.SensorPose(sensor: plan.name, pose: DatasetLabels.pose(world.sensorPose(k) ?? plan.pose))
        },
        actors: zip(scene.actors.indices, world.actors).filter { !world.absent.contains($0.0) }.map { k, pose in
          ActorPose(name: scene.actors[k].name, instanceID: k + 1, pose: DatasetLabels.pose(pose))
        }))
    }
    var record = SampleRecord(
      index: index, split: split(of: index), scenario: scene.scenario,
      params: scene.params.map { NamedValue($0.name, scene.json($0.value, $0.type)) },
      seed: seed, attempts: scene.attempts,
      coverHits: scene.covers.map { CoverHit(point: $0.name, bucket: $0.bucket) },
      rejections: result.statistics.flatMap { s in
        s.checks.indices.compactMap { c in
          s.firstFailures[c] > 0 ? RequirementRejections(requirement: CardFromIR.name(of: s.checks[c]), count: s.firstFailures[c]) : nil
        }
      },
      guidance: scene.guidance.flatMap { $0.focus == nil ? nil : $0.json },
      environment: scene.environment.map { NamedValue($0.name, scene.json($0.value, $0.type)) },
      actors: scene.actors.enumerated().map { k, a in
        ActorRecord(
          name: a.name, type: a.type, className: a.className, instanceID: k + 1,
          pose: DatasetLabels.pose(a.pose),
          size: Vec3(a.size.x, a.size.y, a.size.z),
          fields: (a.color.map { [$0] } ?? []).map { NamedValue($0.name, scene.json($0.value, $0.type)) }
            + a.fields.map { NamedValue($0.name, scene.json($0.value, $0.type)) },
          behavior: a.behavior?.name)
      },
      coverValues: scene.covers.map { c in NamedValue(c.name, coverValue(c, in: scene)) })
    let columns = sampler.empiricalColumns
    record.empirical = scene.empiricalDraws.compactMap { d in
      columns.indices.contains(d.column) ? RealDataDraw(input: d.column, value: d.value / columns[d.column].unitFactor) : nil
    }
    record.records = (scene.trace?.records ?? []).map { r in
      NamedValue(r.name, r.isPerStep
        ? .array(r.samples.map { .object([("step", .integer($0.step)), ("time", .double($0.time)),
                                          ("value", scene.json($0.value, r.type))]) })
        : r.samples.first.map { scene.json($0.value, r.type) } ?? .null)
    }
    do { try stream.finish(record: record, frames: frames) } catch { throw .dataset("\(error)") }
    return (frames.count, scene.attempts)
  }

  /// A cover point's value for `samples.jsonl`: a quantity in the unit its bucket edges are
  /// written in (`{"value": 36.2, "unit": "km/h"}`), anything else as scenes write values.
  func coverValue(_ cover: Scene.Cover, in scene: Scene) -> JSONValue {
    let plan = description.card.coverPoints.first { $0.name == cover.name }
    if let unit = plan?.unit, case .real(let x) = cover.value, x.isFinite {
      return .object([("value", .double(x / unit.scale)), ("unit", .string(unit.symbol))])
    }
    return scene.json(cover.value, cover.type)
  }

  /// The split of a sample: a stateless hash of its index (`RandomDomain.splitAssignment`)
  /// against the cumulative fractions, so shards and resumed runs agree.
  func split(of index: Int) -> String {
    let splits = description.identity.splits
    guard !splits.isEmpty else { return "train" }
    let u = uniform01(seed: description.identity.seed, domain: .splitAssignment, index: UInt64(index))
    var running = 0.0
    for s in splits {
      running += s.fraction
      if u < running { return s.name }
    }
    return splits[splits.count - 1].name
  }
}

/// The world at one recorded instant of a sample: every actor's pose and every sensor's
/// pose and whether it records now. From the simulation trace (`frames[k].actors[i]` is
/// `scene.actors[i]`, `frames[k].sensors[j]` is `scene.sensors[j]`), or the sampled scene at
/// t = 0 when there is no trace.
struct FrameWorld {
  let index: Int
  let time: Double
  let actors: [Transform]
  /// Actors not created yet at this instant (`Trace.Frame.absent`).
  var absent: Set<Int> = []
  /// Sensors that do not exist now: those whose mount is one of `absent`, and those of a
  /// sub-scenario that is not running (`Trace.Frame.idle`). They record nothing and have
  /// no pose (docs/language-tour.md, "Sub-scenarios in sequence").
  var unmounted: Set<Int> = []
  private let sensors: [(pose: Transform, due: Bool)]

  func due(_ sensor: Int) -> Bool { sensors.isEmpty || (sensors.indices.contains(sensor) && sensors[sensor].due) }
  func sensorPose(_ sensor: Int) -> Transform? { sensors.indices.contains(sensor) ? sensors[sensor].pose : nil }
  func exists(_ sensor: Int) -> Bool { !unmounted.contains(sensor) }

  /// The recorded frames in time order (at most `limit`), keeping only instants at which
  /// some sensor is due. Frame indices are positions in the trace, so they name the same
  /// instant in every file. `mounts` are the sensors' mounts as actor indices: a sensor is
  /// not due while its mount is absent or its sub-scenario does not run, and a sample whose
  /// sensors are never due while they exist has no frame.
  static func frames(of scene: Scene, mounts: [Int?], limit: Int?) -> [FrameWorld] {
    // A limit of 0 samples without rendering anything (`scn card` previews).
    if limit == 0 { return [] }
    let start = FrameWorld(
      index: 0, time: 0, actors: scene.actors.map(\.pose), sensors: [])
    guard let trace = scene.trace, !trace.frames.isEmpty else { return [start] }
    var worlds: [FrameWorld] = []
    var unmountedOnly = false
    for (k, f) in trace.frames.enumerated() {
      if let limit, worlds.count >= limit { break }
      let absent = Set(f.absent)
      let unmounted = Set(mounts.indices.filter { j in mounts[j].map { absent.contains($0) } ?? false }).union(f.idle)
      let sensors = f.sensors.enumerated().map { j, s in
        (pose: Transform(rotation: s.rotation, translation: s.position), due: s.due && !unmounted.contains(j))
      }
      guard sensors.contains(where: \.due) else {
        unmountedOnly = unmountedOnly || f.sensors.contains(where: \.due)
        continue
      }
      var world = FrameWorld(
        index: k, time: f.time, actors: f.actors.map { Transform(rotation: $0.rotation, translation: $0.position) },
        sensors: sensors)
      world.absent = absent
      world.unmounted = unmounted
      worlds.append(world)
    }
    return worlds.isEmpty && !unmountedOnly ? [start] : worlds
  }
}

/// The world the sensors see at each recorded frame of a sample (`FrameWorld`), built frame
/// after frame: the actors where the trace has them, the parts of people who walk and wheels
/// that roll (`SceneModel.Motion`, which needs every frame in order), traffic lights in the
/// phase of the frame's time, and none of the actors that do not exist yet. `scn generate`
/// renders these scenes, and so does the REPL's `:render` (`SamplingSession.renderPNG`).
struct FrameScenes {
  let model: SceneModel
  private let start: RenderScene
  // People who move walk; everyone else keeps the parts it started with.
  private var motion: SceneModel.Motion

  init(_ model: SceneModel) {
    self.model = model
    start = RenderScene(model)
    motion = SceneModel.Motion(model)
  }

  /// The scene at `world`; called for every frame of `FrameWorld.frames`, in order.
  mutating func scene(of world: FrameWorld) -> RenderScene {
    var renderScene = start
    for (k, pose) in world.actors.enumerated() { renderScene.move(object: k, to: pose) }
    for change in motion.advance(to: world.actors, at: world.time) where renderScene.objects.indices.contains(change.object) {
      renderScene.objects[change.object].parts = change.parts
    }
    // Traffic lights show the phase of the frame's time.
    for change in model.trafficLightParts(at: world.time) where renderScene.objects.indices.contains(change.object) {
      renderScene.objects[change.object].parts = change.parts
    }
    // Actors of a sub-scenario that has not started yet are not in the world: nothing
    // draws, hits or labels them (docs/language-tour.md, "Sub-scenarios in sequence").
    if !world.absent.isEmpty {
      let gone = Set(world.absent.compactMap { renderScene.objects.indices.contains($0) ? renderScene.objects[$0].instanceID : nil })
      renderScene.objects = renderScene.objects.enumerated().filter { !world.absent.contains($0.offset) }.map(\.element)
      renderScene.lights.removeAll { $0.owner != 0 && gone.contains($0.owner) }
    }
    return renderScene
  }
}

/// Shared progress of the workers: the next pending position, counters and the first error.
final class RunState: @unchecked Sendable {
  private let lock = NSLock()
  private let total: Int
  private var position = 0
  private var done = 0
  private var frames = 0
  private var attempts = 0
  private var failure: GenerateError?
  /// Workers rendering a sample, and those that found none left (`next` returned nil).
  private var busy: Int
  private var idle = 0

  init(total: Int, workers: Int) {
    self.total = total
    busy = workers
  }

  /// The next pending position; nil when none is left, and the caller then counts as idle.
  func next() -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard failure == nil, position < total else {
      busy -= 1
      idle += 1
      return nil
    }
    position += 1
    return position - 1
  }

  /// Threads for a busy worker's next frame: its own plus its share of the idle workers'.
  var threadsPerSample: Int {
    lock.lock()
    defer { lock.unlock() }
    return 1 + (busy > 0 ? idle / busy : 0)
  }

  func finished(frames f: Int, attempts a: Int, report: (GenerateProgress) -> Void) {
    lock.lock()
    defer { lock.unlock() }
    done += 1
    frames += f
    attempts += a
    report(GenerateProgress(done: done, total: total, frames: frames, attempts: attempts))
  }

  func fail(_ e: GenerateError) {
    lock.lock()
    defer { lock.unlock() }
    if failure == nil { failure = e }
  }

  var error: GenerateError? {
    lock.lock()
    defer { lock.unlock() }
    return failure
  }

  var frameCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return frames
  }
}

/// One sensor's encoded output at one frame, on its way to the sample's stream.
private enum SensorOutput {
  case camera(ScnDataset.CameraFrame)
  case lidar(LidarFrame)
}
