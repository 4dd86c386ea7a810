// Falling-boxes throughput benchmark for ScnPhysics. The scene matches
// Benchmarks/physics/mujoco_bench.py box for box: two layers of cubes (0.2 m, 1 kg,
// friction 0.6) over a ground plane, turned and offset so the upper layer lands on the lower.
//
// Usage: ScnPhysicsBench [--boxes 50,200] [--seconds 4] [--dt 0.002] [--sleep on|off|both]
// Prints one `RESULT` line per run: engine, boxes, sleep, steps, CPU seconds, body-steps per
// CPU second, and a few state figures to check both engines simulated the same thing.
import Foundation
import ScnGeometry
import ScnPhysics

struct Options {
  var boxCounts = [50, 200]
  var seconds = 4.0
  var dt = 0.002
  var sleepModes = [true, false]
}

func parseOptions() -> Options? {
  var o = Options()
  var args = CommandLine.arguments.dropFirst().makeIterator()
  while let flag = args.next() {
    guard let value = args.next() else { return nil }
    switch flag {
    case "--boxes":
      let counts = value.split(separator: ",").compactMap { Int($0) }
      guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }) else { return nil }
      o.boxCounts = counts
    case "--seconds":
      guard let s = Double(value), s > 0 else { return nil }
      o.seconds = s
    case "--dt":
      guard let s = Double(value), s > 0 else { return nil }
      o.dt = s
    case "--sleep":
      switch value {
      case "on": o.sleepModes = [true]
      case "off": o.sleepModes = [false]
      case "both": o.sleepModes = [true, false]
      default: return nil
      }
    default: return nil
    }
  }
  return o
}

/// Box `i` of `count`: the same formula as `box_layout` in mujoco_bench.py.
func boxPose(_ i: Int, count: Int) -> (position: Vec3, yaw: Double) {
  let perLayer = (count + 1) / 2
  var side = 1
  while side * side < perLayer { side += 1 }
  let layer = i / perLayer
  let k = i % perLayer
  let offset = layer == 0 ? 0.0 : 0.12
  let x = Double(k % side) * 0.3 + offset
  let y = Double(k / side) * 0.3 + offset
  let z = 0.15 + Double(layer) * 0.35
  return (Vec3(x, y, z), Double(i % 7) * 0.2)
}

func makeWorld(boxes: Int, sleep: Bool) throws -> PhysicsWorld {
  var settings = SolverSettings()
  settings.sleepEnabled = sleep
  var world = PhysicsWorld(gravity: Vec3(0, 0, -9.81), settings: settings)
  try world.addGroundPlane(friction: 0.6)
  for i in 0..<boxes {
    let pose = boxPose(i, count: boxes)
    try world.addBody(
      RigidBodyDescriptor(
        shape: .box(halfExtents: Vec3(0.1, 0.1, 0.1)), transform: Transform(position: pose.position, yaw: pose.yaw),
        mass: .mass(1), friction: 0.6))
  }
  return world
}

/// CPU time of this process: the machine is shared, and CPU seconds are far less
/// disturbed by other jobs than wall seconds (the MuJoCo side uses `time.process_time`).
func cpuSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

guard let options = parseOptions() else {
  print("usage: ScnPhysicsBench [--boxes 50,200] [--seconds S] [--dt DT] [--sleep on|off|both]")
  exit(2)
}
for count in options.boxCounts {
  for sleep in options.sleepModes {
    do {
      var world = try makeWorld(boxes: count, sleep: sleep)
      let steps = Int((options.seconds / options.dt).rounded())
      let start = cpuSeconds()
      for _ in 0..<steps { try world.step(dt: options.dt) }
      let cpu = cpuSeconds() - start
      var meanZ = 0.0
      var awake = 0
      for id in world.bodyIDs.dropFirst() {
        meanZ += world.transform(of: id)?.translation.z ?? 0
        if world.isAwake(id) { awake += 1 }
      }
      meanZ /= Double(count)
      // FNV-1a over every final pose bit, to compare builds and runs for bit-identity.
      var stateHash: UInt64 = 0xcbf2_9ce4_8422_2325
      for id in world.bodyIDs {
        guard let t = world.transform(of: id) else { continue }
        for x in [
          t.translation.x, t.translation.y, t.translation.z, t.rotation.w, t.rotation.x, t.rotation.y,
          t.rotation.z,
        ] {
          stateHash = (stateHash ^ x.bitPattern) &* 0x100_0000_01b3
        }
      }
      let rate = Double(count * steps) / cpu
      print(
        "RESULT\tscn\t\(count)\t\(sleep ? "on" : "off")\t\(steps)\t\(String(format: "%.3f", cpu))\t"
          + "\(String(format: "%.0f", rate))\tmean_z=\(String(format: "%.4f", meanZ)) awake=\(awake) "
          + "contacts=\(world.contacts.count) state=\(String(stateHash, radix: 16))")
    } catch {
      print("error: \(error)")
      exit(1)
    }
  }
}
