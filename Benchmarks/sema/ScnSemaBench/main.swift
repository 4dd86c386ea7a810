// Times a full check (lex, parse, sema, lowering) of a generated ~50k-line program that uses
// the StdLib. `ScnSemaBench --file F.scn` instead compiles one file and prints its
// diagnostics and IR (a development aid).
import Foundation
import ScnIR
import ScnLowering
import ScnSource

func readFile(_ path: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: path) else {
    throw CocoaError(.fileReadNoSuchFile)
  }
  return [UInt8](data)
}

let arguments = CommandLine.arguments
let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let stdlib =
  ProcessInfo.processInfo.environment["SCN_STDLIB"]
  ?? here.appendingPathComponent("../../../StdLib").standardized.path

if arguments.count >= 3, arguments[1] == "--file" {
  let result = Compilation.compile(
    mainFile: arguments[2], readFile: readFile, stdlibRoot: stdlib,
    scenario: arguments.count > 3 ? arguments[3] : nil)
  print(DiagnosticRenderer().render(result.diagnostics, sources: result.sources), terminator: "")
  if let p = result.program {
    print("ir-hash: \(p.hash)")
    print(IRPrinter.print(p), terminator: "")
  }
  exit(result.hasErrors ? 1 : 0)
}

/// One generated scenario of about 50 lines.
func scenario(_ i: Int) -> String {
  """
  @dataset(name: "bench-\(i)", version: "1.0.0", license: "CC-BY-4.0")
  @intended_use("Benchmarking the checker.")
  @out_of_scope("Anything else.")
  scenario Bench\(i) {
      @doc("Gap between cars")
      param gap: Length = uniform(4m, 12m)
      param speed: Speed = uniform(20km/h, 50km/h)
      param light: Illuminance = choice { 0.7: 500lx, 0.3: uniform(50lx, 200lx) }
      ego car = Car at (0m, 0m, 0m) facing 0deg with behavior follow_lane(speed)
      let n = uniform_int(2, 6)
      let others = [Car ahead of car by gap + 6m * i for i in 0..<n]
      let ped = Pedestrian at (uniform(20m, 40m), -3m, 0m) with behavior Cross\(i % 10)(target: (30m, 5m, 0m), speed: uniform(0.8m/s, 1.8m/s))
      let boxes = [Box at (uniform(5m, 25m), uniform(-3m, 3m), 0m) facing normal(0deg, 5deg) for _ in 0..<3]
      let cone = TrafficCone at (uniform(2m, 8m), 2m, 0m)
      let spacing = gap / 2 + 1m
      let reach = spacing * 3 + car.length_hint
      let limit = 30km/h
      let a = speed * 2s
      let b = a + gap
      let c = b - 1m
      let d = [x * 2 for x in 0..<5 if x > 1]
      let e = all o in others: distance(car, o) > 2m
      let f = any o in others: distance(o, ped) < 50m
      require all o in others: distance(car, o) > 3m
      require speed < 40km/h or gap > 5m
      require[0.9] n >= 3
      require distance(car, ped) > 25m
      require e
      require b > 20m
      require always distance(car, ped) > 0.5m
      environment { light: light, fog: uniform(0.0, 0.2), weather: clear }
      sensor camera = Camera { mount: car, offset: (0m, 0m, 1.5m), resolution: (640, 480),
                               fov: 90deg, rate: 10Hz, outputs: [rgb, depth, semantic] }
      sensor lidar = Lidar { mount: car, offset: (0m, 0m, 1.9m), channels: 32 }
      require visible(ped, from: camera)
      simulate 3s at 100Hz
      cover gaps: gap buckets [4m, 6m, 8m, 10m, 12m]
      cover count: n
      terminate when distance(car, ped) < 1m
  }

  """
}

func behaviors() -> String {
  (0..<10).map { i in
    """
    behavior Cross\(i)(target: Position, speed: Speed) {
        wait until distance(self, ego) < 20m
        do walk_to(target, speed) until self.position.y > 4m
        do stop() for 1s
    }

    """
  }.joined()
}

let count = Int(ProcessInfo.processInfo.environment["SCN_BENCH_SCENARIOS"] ?? "") ?? 1250
var text = "import std.vehicles\nimport std.pedestrians\n\n" + behaviors()
for i in 0..<count { text += scenario(i).replacingOccurrences(of: " + car.length_hint", with: " + car.radius") }
let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
let bytes = Array(text.utf8)
let mainPath = "/bench/main.scn"
let read: (String) throws -> [UInt8] = { path in path == mainPath ? bytes : try readFile(path) }

/// CPU time of this thread: unlike wall time, barely affected by other processes on a
/// shared machine.
func threadCPUSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

var best = Double.infinity
var bestCPU = Double.infinity
var last: CompilationResult?
for _ in 0..<3 {
  let start = DispatchTime.now().uptimeNanoseconds
  let cpuStart = threadCPUSeconds()
  let result = Compilation.compile(mainFile: mainPath, readFile: read, stdlibRoot: stdlib)
  bestCPU = min(bestCPU, threadCPUSeconds() - cpuStart)
  let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
  best = min(best, seconds)
  last = result
}
if let last, !last.diagnostics.isEmpty {
  print(DiagnosticRenderer().render(Array(last.diagnostics.prefix(10)), sources: last.sources))
}
print("lines: \(lines), scenarios: \(count), diagnostics: \(last?.diagnostics.count ?? 0)")
print(String(format: "full check (lex+parse+sema+lowering), best of 3: %.3f s wall, %.3f s thread CPU", best, bestCPU))
