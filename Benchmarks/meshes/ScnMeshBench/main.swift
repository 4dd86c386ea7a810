import ScnGeometry
import ScnScene
import ScnSensors

#if canImport(Glibc)
  import Glibc
#endif

// Mesh ray-casting benchmark: our two-level BVH against Embree 3 on the same scenes and rays.
// Benchmarks/meshes/run.sh drives it and the Embree peer (embree_rays.c).
// Usage: ScnMeshBench SCENE DIR [REPEATS]   SCENE: instances | street
// Writes DIR/{meshes,instances,rays,ours_t}.bin (little-endian, see embree_rays.c) and prints
// our single-thread closest-hit rays/s.
let arguments = CommandLine.arguments
guard arguments.count >= 3, let scene = MeshBenchScene(rawValue: arguments[1]) else {
  print("usage: ScnMeshBench instances|street DIR [REPEATS]")
  exit(2)
}
let directory = arguments[2]
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5

/// A tiny deterministic generator so the scenes are the same on every run.
struct SplitMix {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform(_ range: ClosedRange<Double>) -> Double {
    range.lowerBound + Double(next() >> 11) * 0x1.0p-53 * (range.upperBound - range.lowerBound)
  }
}

enum MeshBenchScene: String {
  case instances, street
}

struct Mesh {
  var vertices: [Vec3]
  var indices: [UInt32]
}

/// A closed, bumpy blob around the origin standing on z = 0: a latitude/longitude sphere
/// with `rings` rings and `segments` segments (2·segments·(rings − 1) triangles), stretched
/// by `scale` and displaced by a few sine waves. Vertices are rounded to Float32 so that both
/// ray casters see exactly the same geometry.
func blob(rings: Int, segments: Int, scale: Vec3, bumps: Double, seed: UInt64) -> Mesh {
  var rng = SplitMix(state: seed)
  let (a, b, c) = (rng.uniform(2...5).rounded(), rng.uniform(2...6).rounded(), rng.uniform(0...6.28))
  var vertices: [Vec3] = [Vec3(0, 0, 1)]
  for ring in 1..<rings {
    let polar = Double(ring) / Double(rings) * Double.pi
    for segment in 0..<segments {
      let azimuth = Double(segment) / Double(segments) * 2 * Double.pi
      let r = 1 + bumps * sin(a * polar + c) * cos(b * azimuth)
      vertices.append(Vec3(r * sin(polar) * cos(azimuth), r * sin(polar) * sin(azimuth), r * cos(polar)))
    }
  }
  vertices.append(Vec3(0, 0, -1))
  let top = 0
  let bottom = vertices.count - 1
  func ringVertex(_ ring: Int, _ segment: Int) -> UInt32 {
    UInt32(1 + (ring - 1) * segments + (segment % segments))
  }
  var indices: [UInt32] = []
  for s in 0..<segments { indices += [UInt32(top), ringVertex(1, s), ringVertex(1, s + 1)] }
  for ring in 1..<(rings - 1) {
    for s in 0..<segments {
      let (p, q, r, t) = (ringVertex(ring, s), ringVertex(ring, s + 1), ringVertex(ring + 1, s), ringVertex(ring + 1, s + 1))
      indices += [p, r, q, q, r, t]
    }
  }
  for s in 0..<segments { indices += [ringVertex(rings - 1, s), UInt32(bottom), ringVertex(rings - 1, s + 1)] }
  // Stand on the ground and round to Float32.
  let placed = vertices.map { v -> Vec3 in
    let w = v * scale + Vec3(0, 0, scale.z * (1 + bumps))
    return Vec3(Double(Float(w.x)), Double(Float(w.y)), Double(Float(w.z)))
  }
  return Mesh(vertices: placed, indices: indices)
}

struct Instance {
  var mesh: Int
  var transform: Transform
}

func buildScene(_ kind: MeshBenchScene) -> (meshes: [Mesh], instances: [Instance], camera: Transform) {
  var rng = SplitMix(state: 2026)
  switch kind {
  case .instances:
    // 200 instances of one 20,000-triangle blob (≈ 1.6 × 1.2 × 1.5 m) on a 20 × 10 grid.
    let mesh = blob(rings: 101, segments: 100, scale: Vec3(0.8, 0.6, 0.75), bumps: 0.15, seed: 1)
    var instances: [Instance] = []
    for i in 0..<20 {
      for j in 0..<10 {
        let position = Vec3(6 + Double(i) * 4 + rng.uniform(-1...1), Double(j - 5) * 4 + rng.uniform(-1...1), 0)
        instances.append(Instance(mesh: 0, transform: Transform(position: position, yaw: rng.uniform(-3...3))))
      }
    }
    return ([mesh], instances, Transform(position: Vec3(0, 0, 1.5), yaw: 0))
  case .street:
    // 20 distinct meshes of 3,000–5,000 triangles (car- and person-sized blobs) along both
    // sides of a street, camera at 1.5 m looking down it.
    var meshes: [Mesh] = []
    var instances: [Instance] = []
    for k in 0..<20 {
      let person = k % 3 == 2
      let rings = 31 + Int(rng.uniform(0...20))
      let segments = 50 + Int(rng.uniform(0...30))
      let scale = person ? Vec3(0.3, 0.25, 0.85) : Vec3(2.2, 0.9, 0.7)
      meshes.append(blob(rings: rings, segments: segments, scale: scale, bumps: 0.12, seed: UInt64(10 + k)))
      let side = k % 2 == 0 ? -1.0 : 1.0
      let position = Vec3(8 + Double(k) * 3.5 + rng.uniform(-1...1), side * (person ? 5.5 : 3) + rng.uniform(-0.5...0.5), 0)
      instances.append(
        Instance(mesh: k, transform: Transform(position: position, yaw: (person ? rng.uniform(-3...3) : rng.uniform(-0.1...0.1)))))
    }
    return (meshes, instances, Transform(position: Vec3(0, 0, 1.5), yaw: 0))
  }
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
  guard let f = fopen(path, "wb") else {
    print("cannot write \(path)")
    exit(1)
  }
  _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
  fclose(f)
}

struct Writer {
  var bytes: [UInt8] = []
  mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
  mutating func f32(_ v: Float) { u32(v.bitPattern) }
  mutating func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
}

let clock = ContinuousClock()
func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

let (meshes, instances, cameraPose) = buildScene(scene)
// Instances share one TriangleMesh object per distinct mesh: one mesh BVH each.
let shared = meshes.map { TriangleMesh(vertices: $0.vertices, indices: $0.indices) }
let objects = instances.enumerated().map { index, instance in
  SceneObject(
    instanceID: UInt32(index + 1), semanticClass: 2, className: "blob", baseColour: RGB(0.5, 0.5, 0.5),
    parts: [Part(.mesh(shared[instance.mesh]))], transform: instance.transform)
}
let buildStart = clock.now
let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
let buildSeconds = seconds(clock.now - buildStart)

// 640 × 480 pinhole rays, 70° horizontal field of view, unit directions.
let (width, height) = (640, 480)
let focal = Double(width) / 2 / tan(35 * Double.pi / 180)
var rays: [(Vec3, Vec3)] = []
rays.reserveCapacity(width * height)
for y in 0..<height {
  for x in 0..<width {
    let body = Vec3(focal, Double(width) / 2 - (Double(x) + 0.5), Double(height) / 2 - (Double(y) + 0.5)).normalized
    let d = cameraPose.apply(toVector: body)
    rays.append((cameraPose.translation, Vec3(Double(Float(d.x)), Double(Float(d.y)), Double(Float(d.z)))))
  }
}
let origin = cameraPose.translation
precondition(origin == Vec3(Double(Float(origin.x)), Double(Float(origin.y)), Double(Float(origin.z))))

/// CPU time of the calling thread: on a shared machine it moves far less than wall time.
func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// One timed cast of every ray. The rays and results are the function's own (a loop over
/// top-level variables pays Swift's dynamic exclusivity checks on every access, about 5 % of
/// the loop, which the C peer's loop does not).
func castAll(_ rays: [(Vec3, Vec3)], into ts: inout [Double]) {
  intersector.withRayCaster { caster in
    ts.withUnsafeMutableBufferPointer { out in
      rays.withUnsafeBufferPointer { rays in
        for k in 0..<rays.count {
          out[k] = caster.closestHit(origin: rays[k].0, direction: rays[k].1)?.t ?? .infinity
        }
      }
    }
  }
}

var ts = [Double](repeating: .infinity, count: rays.count)
var best = Double.infinity
var bestCPU = Double.infinity
for _ in 0..<repeats {
  let start = clock.now
  let startCPU = threadCPUSeconds()
  castAll(rays, into: &ts)
  bestCPU = min(bestCPU, threadCPUSeconds() - startCPU)
  best = min(best, seconds(clock.now - start))
}
let hits = ts.filter(\.isFinite).count
let triangles = meshes.reduce(0) { $0 + $1.indices.count / 3 }
let instanced = instances.reduce(0) { $0 + meshes[$1.mesh].indices.count / 3 }
print(
  "scene \(scene.rawValue): \(meshes.count) distinct meshes, \(triangles) distinct triangles, "
    + "\(instances.count) instances (\(instanced) instanced triangles) + ground; "
    + "\(intersector.meshCount) mesh BVHs built with \(intersector.meshTriangleCount) triangles")
print("ours_build_seconds \(buildSeconds)")
print("ours_rays_per_second \(Double(rays.count) / best) wall, \(Double(rays.count) / bestCPU) thread CPU")
print("ours_hits \(hits)")

// Files for the Embree peer.
var m = Writer()
m.u32(UInt32(meshes.count))
for mesh in meshes {
  m.u32(UInt32(mesh.vertices.count))
  m.u32(UInt32(mesh.indices.count / 3))
  for v in mesh.vertices { m.f32(Float(v.x)); m.f32(Float(v.y)); m.f32(Float(v.z)) }
  for i in mesh.indices { m.u32(i) }
}
writeFile(directory + "/meshes.bin", m.bytes)
var inst = Writer()
inst.u32(UInt32(instances.count))
for instance in instances {
  inst.u32(UInt32(instance.mesh))
  // Column-major 3 × 4 (RTC_FORMAT_FLOAT3X4_COLUMN_MAJOR): the rotated axes, then the origin.
  let t = instance.transform
  for axis in [Vec3.unitX, .unitY, .unitZ] {
    let a = t.apply(toVector: axis)
    inst.f32(Float(a.x)); inst.f32(Float(a.y)); inst.f32(Float(a.z))
  }
  inst.f32(Float(t.translation.x)); inst.f32(Float(t.translation.y)); inst.f32(Float(t.translation.z))
}
writeFile(directory + "/instances.bin", inst.bytes)
var r = Writer()
r.u32(UInt32(rays.count))
for ray in rays {
  for c in [ray.0.x, ray.0.y, ray.0.z, ray.1.x, ray.1.y, ray.1.z] { r.f32(Float(c)) }
}
writeFile(directory + "/rays.bin", r.bytes)
var out = Writer()
for t in ts { out.f64(t) }
writeFile(directory + "/ours_t.bin", out.bytes)
