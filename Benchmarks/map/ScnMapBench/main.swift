// OpenDRIVE load time and lane queries of ScnMap, one thread, release build.
// Usage: ScnMapBench MAP.xodr [LOADS] [QUERIES]
// Prints tab-separated: path, load wall ms (median, min), load thread-CPU ms (median), lanes+index
// build thread-CPU ms, point-in-lane queries/s, nearest-lane queries/s, direction-field queries/s,
// points in lanes, point-in-drivable-lane queries/s, points in drivable lanes, and the build's
// parts in thread-CPU ms: lane strips and graph, grids, nearest-lane candidate lists (built on
// the first nearest-lane query).
import Foundation
import ScnMap

func threadCPUSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func wallSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: ScnMapBench MAP.xodr [LOADS] [QUERIES]\n".utf8))
  exit(2)
}
let url = URL(fileURLWithPath: arguments[1])
let loads = arguments.count > 2 ? max(Int(arguments[2]) ?? 10, 1) : 10
let queries = arguments.count > 3 ? max(Int(arguments[3]) ?? 1_000_000, 1) : 1_000_000

var walls: [Double] = []
var cpus: [Double] = []
var network: RoadNetwork?
for _ in 0..<loads {
  let w0 = wallSeconds()
  let c0 = threadCPUSeconds()
  do {
    network = try OpenDriveReader.read(contentsOf: url)
  } catch {
    FileHandle.standardError.write(Data("\(arguments[1]): \(error)\n".utf8))
    exit(1)
  }
  cpus.append(threadCPUSeconds() - c0)
  walls.append(wallSeconds() - w0)
}
guard let network else { exit(1) }
let b0 = threadCPUSeconds()
let lanes = LaneNetwork(network)
let b1 = threadCPUSeconds()
let index = LaneIndex(lanes)
let b2 = threadCPUSeconds()
// The nearest-lane candidate lists are built a tile of the grid at a time, on the first
// nearest-lane query inside the tile: b3 - b2 is the first tile.
let inside = lanes.lanes.first { !$0.centre.isEmpty }.map { SIMD2($0.centre[0].x, $0.centre[0].y) } ?? .zero
_ = index.nearestLane(to: inside)
let b3 = threadCPUSeconds()
let build = b3 - b0

// Uniform points over the lanes' bounding box (a fixed SplitMix64 stream).
let summary = MapSummary(lanes)
struct SplitMix64 {
  var state: UInt64
  mutating func next() -> Double {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
  }
}
var random = SplitMix64(state: 1)
let lo = summary.bounds.min
let span = summary.bounds.max - summary.bounds.min
let points = (0..<queries).map { _ in lo + span * SIMD2(random.next(), random.next()) }

func rate(_ points: [SIMD2<Double>], _ body: (SIMD2<Double>) -> Bool) -> (Double, Int) {
  var hits = 0
  let c0 = threadCPUSeconds()
  for p in points where body(p) { hits += 1 }
  return (Double(points.count) / (threadCPUSeconds() - c0), hits)
}
let (inLane, found) = rate(points) { index.lane(containing: $0) != nil }
// A first pass of nearest-lane queries builds every tile the points touch (all of them, for
// 1M uniform points); the rate is then measured on the same points with every tile built.
let t0 = threadCPUSeconds()
for p in points { _ = index.nearestLane(to: p) }
let firstPass = threadCPUSeconds() - t0
let (nearest, _) = rate(points) { index.nearestLane(to: $0) != nil }
let (field, _) = rate(points) { index.direction(at: $0) != nil }
let (drivable, foundDrivable) = rate(points) { index.lane(containing: $0, .drivable) != nil }

func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
print(
  [
    arguments[1], String(format: "%.1f", median(walls) * 1000), String(format: "%.1f", (walls.min() ?? 0) * 1000),
    String(format: "%.1f", median(cpus) * 1000), String(format: "%.1f", build * 1000), String(format: "%.0f", inLane),
    String(format: "%.0f", nearest), String(format: "%.0f", field), "\(found)", String(format: "%.0f", drivable),
    "\(foundDrivable)", String(format: "%.1f", (b1 - b0) * 1000), String(format: "%.1f", (b2 - b1) * 1000),
    String(format: "%.1f", (b3 - b2) * 1000), String(format: "%.1f", firstPass * 1000),
  ].joined(separator: "\t"))
