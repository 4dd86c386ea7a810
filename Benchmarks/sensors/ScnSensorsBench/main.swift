import ScnScene
import Dispatch
import ScnGeometry
import ScnSensors

#if canImport(Glibc)
  import Glibc
#endif

// Benchmarks for ScnSensors; Benchmarks/sensors/run.sh drives them and the peers.
// Usage: ScnSensorsBench rays DIR | frames N | png DIR N | sample DIR
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  print("usage: ScnSensorsBench rays DIR | frames N | png DIR N | sample DIR")
  exit(2)
}

/// CPU time of the whole process (all threads), seconds: unlike wall time it barely moves
/// when other processes compete for the cores.
func processCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

func seconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
  guard let f = fopen(path, "wb") else {
    print("cannot write \(path)")
    exit(1)
  }
  _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
  fclose(f)
}

func littleEndian(_ values: [Float]) -> [UInt8] {
  var out: [UInt8] = []
  out.reserveCapacity(values.count * 4)
  for v in values {
    let b = v.bitPattern
    out += [
      UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16),
      UInt8(truncatingIfNeeded: b >> 24),
    ]
  }
  return out
}

let clock = ContinuousClock()

switch arguments[1] {
case "rays":
  // Primary-ray throughput: 640×480 camera rays against 100 boxes, one thread.
  let dir = arguments.count > 2 ? arguments[2] : "/tmp"
  let boxes = BenchScenes.hundredBoxes()
  let intersector = try SceneIntersector(scene: BenchScenes.scene(boxes: boxes))
  let camera = try BenchScenes.camera()
  let rays = Benchmarks.cameraRays(camera)
  var hits = 0
  var best = Double.infinity
  // Best of 15: on a shared machine the fastest repetition is the least disturbed one.
  for _ in 0..<15 {
    let start = clock.now
    hits = Benchmarks.castAll(intersector, rays: rays)
    best = min(best, seconds(clock.now - start))
  }
  print("swift_rays_per_second \(Double(rays.count) / best)")
  print("swift_hits \(hits)")
  print("bvh_build_seconds \(intersector.buildSeconds) nodes \(intersector.nodeCount)")
  var boxValues: [Float] = []
  for b in boxes {
    boxValues += [b.center.x, b.center.y, b.center.z, b.size.x, b.size.y, b.size.z, b.yaw].map(Float.init)
  }
  writeFile(dir + "/boxes.f32", littleEndian(boxValues))
  var rayValues: [Float] = []
  rayValues.reserveCapacity(rays.count * 6)
  for r in rays { rayValues += [r.0.x, r.0.y, r.0.z, r.1.x, r.1.y, r.1.z].map(Float.init) }
  writeFile(dir + "/rays.f32", littleEndian(rayValues))
case "frames":
  // Labelled frames: render (shadows) + labels + four PNGs, 50 actors, two threads.
  let count = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
  let camera = try BenchScenes.camera()
  let encoder = PNGEncoder(compressionLevel: 1, filter: .sub)
  var renderTotal = 0.0
  var labelTotal = 0.0
  var encodeTotal = 0.0
  var buildTotal = 0.0
  var frameTimes: [Double] = []
  let cpuStart = processCPUSeconds()
  let start = clock.now
  for frame in 0..<count {
    let frameStart = clock.now
    // Objects move a little every frame, so the BVH is rebuilt each time.
    var scene = BenchScenes.actors()
    for i in scene.objects.indices { scene.objects[i].transform.translation.x -= Double(frame) * 0.1 }
    let intersector = try SceneIntersector(scene: scene)
    buildTotal += intersector.buildSeconds
    let rendered = try intersector.render(camera, options: CameraRenderOptions(threads: 2))
    renderTotal += rendered.renderSeconds
    labelTotal += rendered.labelSeconds
    let t0 = clock.now
    let encoded = try rendered.encodePNGs(with: encoder, threads: 2)
    encodeTotal += seconds(clock.now - t0)
    if encoded.rgb.isEmpty { exit(1) }
    frameTimes.append(seconds(clock.now - frameStart))
  }
  let total = seconds(clock.now - start)
  let cpuPerFrame = (processCPUSeconds() - cpuStart) / Double(count)
  let n = Double(count)
  print("cpu_ms_per_frame \(cpuPerFrame * 1e3) (all threads; 2 cores fully ours would give at most \(2 / cpuPerFrame) frames/s)")
  // Other processes share the cores; the fastest quarter of frames shows the machine's
  // capacity when it is not contended, the total shows what this run got.
  let fastest = frameTimes.sorted().prefix(Swift.max(1, count / 4))
  print("frames_per_second \(n / total) (fastest quarter of frames: \(Double(fastest.count) / fastest.reduce(0, +)))")
  print("ms_per_frame build \(buildTotal / n * 1e3) render \(renderTotal / n * 1e3)", terminator: "")
  print(" labels \(labelTotal / n * 1e3) png \(encodeTotal / n * 1e3)")
case "frames-concurrent":
  // The same labelled frames, but two frames in flight, each rendered and encoded on one
  // thread: how a dataset generator with two jobs uses the two cores.
  let count = arguments.count > 2 ? Int(arguments[2]) ?? 20 : 20
  let camera = try BenchScenes.camera()
  let start = clock.now
  DispatchQueue.concurrentPerform(iterations: 2) { worker in
    let encoder = PNGEncoder(compressionLevel: 1, filter: .sub)
    var frame = worker
    while frame < count {
      var scene = BenchScenes.actors()
      for i in scene.objects.indices { scene.objects[i].transform.translation.x -= Double(frame) * 0.1 }
      guard let intersector = try? SceneIntersector(scene: scene) else { return }
      guard let rendered = try? intersector.render(camera, options: CameraRenderOptions(threads: 1)) else { return }
      guard let encoded = try? rendered.encodePNGs(with: encoder, threads: 1), !encoded.rgb.isEmpty else { return }
      frame += 2
    }
  }
  print("frames_per_second_two_in_flight \(Double(count) / seconds(clock.now - start))")
case "render-once":
  // One single-threaded frame, for instruction counting under callgrind.
  let intersector = try SceneIntersector(scene: BenchScenes.actors())
  let frame = try intersector.render(try BenchScenes.camera(), options: CameraRenderOptions(threads: 1))
  print("rendered \(frame.objects.count) labels")
case "render":
  // Render cost breakdown on one thread (for tuning; not part of run.sh's headline numbers).
  let camera = try BenchScenes.camera()
  let intersector = try SceneIntersector(scene: BenchScenes.actors())
  for (name, options) in [
    ("full", CameraRenderOptions(threads: 1)), ("no-shadows", CameraRenderOptions(threads: 1, shadows: false)),
    ("no-labels", CameraRenderOptions(threads: 1, labels: false)),
  ] {
    var best = Double.infinity
    var labels = 0.0
    for _ in 0..<5 {
      let frame = try intersector.render(camera, options: options)
      if frame.renderSeconds < best {
        best = frame.renderSeconds
        labels = frame.labelSeconds
      }
    }
    print("\(name) render_ms \(best * 1e3) labels_ms \(labels * 1e3)")
  }
  let rays = Benchmarks.cameraRays(camera)
  var best = Double.infinity
  for _ in 0..<5 {
    let start = clock.now
    _ = Benchmarks.castAll(intersector, rays: rays)
    best = min(best, seconds(clock.now - start))
  }
  print("primary rays only (objects) ms \(best * 1e3)")
  best = .infinity
  for _ in 0..<5 {
    let start = clock.now
    _ = Benchmarks.castAll(intersector, rays: rays, ground: true)
    best = min(best, seconds(clock.now - start))
  }
  print("primary rays only (objects + ground) ms \(best * 1e3)")
case "queries":
  // Sampler-side visibility queries and LiDAR sweeps on the 50-actor scene.
  let camera = try BenchScenes.camera()
  let scene = BenchScenes.actors()
  let intersector = try SceneIntersector(scene: scene)
  var best = Double.infinity
  var visible = 0
  for _ in 0..<5 {
    let start = clock.now
    visible = 0
    for object in scene.objects {
      if let estimate = intersector.visibility(ofInstance: object.instanceID, from: camera), estimate.fraction > 0 {
        visible += 1
      }
    }
    best = min(best, seconds(clock.now - start))
  }
  print("visibility_query_us \(best / Double(scene.objects.count) * 1e6) (64x48 grid, \(visible) of 50 visible)")
  for (channels, steps) in [(32, 1024), (64, 2048)] {
    let lidar = LidarSensor(
      channels: channels, minElevation: -25.0.radians, maxElevation: 10.0.radians, azimuthSteps: steps,
      maxRange: 120, rangeNoise: 0.01, dropoutProbability: 0.02, seed: 1, pose: Transform(translation: Vec3(0, 0, 2)))
    var fastest = Double.infinity
    var points = 0
    for _ in 0..<5 {
      let scan = try intersector.scan(lidar, threads: 2)
      fastest = min(fastest, scan.seconds)
      points = scan.points.count
    }
    print("lidar_\(channels)x\(steps)_ms \(fastest * 1e3) points \(points) (2 threads)")
  }
case "png":
  // PNG encode of a smooth 640×480 RGB image, level 1, SUB filter, one thread.
  let dir = arguments.count > 2 ? arguments[2] : "/tmp"
  let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 50 : 50
  let image = Benchmarks.smoothImage(width: 640, height: 480)
  writeFile(dir + "/smooth.rgb", image)
  let encoder = PNGEncoder(compressionLevel: 1, filter: .sub)
  var bytes: [UInt8] = []
  var best = Double.infinity
  for _ in 0..<iterations {
    let start = clock.now
    bytes = try encoder.encodeRGB(image, width: 640, height: 480)
    best = min(best, seconds(clock.now - start))
  }
  writeFile(dir + "/smooth_swift.png", bytes)
  print("swift_png_ms \(best * 1e3) bytes \(bytes.count)")
case "sample":
  let dir = arguments.count > 2 ? arguments[2] : "/tmp"
  let camera = try BenchScenes.camera()
  let intersector = try SceneIntersector(scene: BenchScenes.actors())
  let frame = try intersector.render(camera)
  let encoded = try frame.encodePNGs()
  writeFile(dir + "/sample_rgb.png", encoded.rgb)
  writeFile(dir + "/sample_depth.png", encoded.depth)
  let palette = frame.semantic.flatMap { SemanticPalette.colour(of: $0) }
  writeFile(
    dir + "/sample_semantic_colour.png", try PNGEncoder().encodeRGB(palette, width: frame.width, height: frame.height))
  let lidar = LidarSensor(
    channels: 32, minElevation: -25.0.radians, maxElevation: 10.0.radians, azimuthSteps: 1024,
    maxRange: 100, rangeNoise: 0.01, dropoutProbability: 0.05, seed: 1,
    pose: Transform(translation: Vec3(0, 0, 2)))
  let scan = try intersector.scan(lidar)
  writeFile(dir + "/sample.ply", PLYWriter.encode(scan.points))
  for label in frame.objects.prefix(8) {
    print(
      label.instanceID, label.className, label.visiblePixels, label.unoccludedPixels, label.modalBox as Any,
      label.truncation)
  }
  print("lidar points \(scan.points.count) in \(scan.seconds * 1e3) ms")
default:
  print("unknown mode \(arguments[1])")
  exit(2)
}

enum Benchmarks {
  static func cameraRays(_ camera: Camera) -> [(Vec3, Vec3)] {
    var rays: [(Vec3, Vec3)] = []
    rays.reserveCapacity(camera.intrinsics.width * camera.intrinsics.height)
    for v in 0..<camera.intrinsics.height {
      for u in 0..<camera.intrinsics.width {
        let d = camera.pose.rotation.rotate(camera.bodyDirection(u: Double(u) + 0.5, v: Double(v) + 0.5))
        rays.append((camera.pose.translation, d.normalized))
      }
    }
    return rays
  }

  /// Closest hit per ray against the objects only (no ground), as Open3D does.
  static func castAll(_ intersector: SceneIntersector, rays: [(Vec3, Vec3)], ground: Bool = false) -> Int {
    var hits = 0
    intersector.withRayCaster { caster in
      for (origin, direction) in rays
      where caster.closestHit(origin: origin, direction: direction, includeGround: false) != nil {
        hits += 1
      }
    }
    return hits
  }

  static func smoothImage(width: Int, height: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
      for x in 0..<width {
        let i = (y * width + x) * 3
        let fx = Double(x) / Double(width)
        let fy = Double(y) / Double(height)
        out[i] = UInt8(255 * fx)
        out[i + 1] = UInt8(255 * fy)
        out[i + 2] = UInt8(127 + 120 * (6.0 * fx + 4.0 * fy).sine)
      }
    }
    return out
  }
}
