// Lexer + parser throughput benchmark.
//   ScnSyntaxBench generate LINES > big.scn   writes a realistic program of at least LINES lines
//   ScnSyntaxBench time FILE                   lexes and parses FILE, best of 10, prints MB/s
import Foundation
import ScnSource
import ScnSyntax

/// A deterministic, realistic program: behaviors and scenarios with params, lets, actor
/// constructions with specifiers, comprehensions, requirements, sensors and comments.
func generateProgram(minimumLines: Int) -> String {
  var out = "import std.vehicles\nimport std.warehouse\n\nconst LANE_WIDTH = 3.5m\nenum Mode { calm, busy, chaotic }\n\n"
  var lines = 6
  var i = 0
  while lines < minimumLines {
    let chunk = """
      /// Pedestrian crossing variant \(i).
      behavior Cross\(i)(target: Position, speed: Speed) {
          wait until distance(self, ego) < \(10 + i % 20)m
          do walk_to(target, speed) until self.position.y > 4m   // reach the far kerb
          either {
              do stop() for 1s
          } or {
              do set_speed(speed * 1.5) for 500ms until self.speed > 2.5m/s
          }
      }

      @description("Generated scenario \(i) for the parser benchmark.")
      @tags("benchmark", "urban")
      scenario Street\(i) {
          @doc("Gap between queued cars")
          param gap: Length = uniform(4m, 12m)
          param light: Illuminance = choice { 0.7: 500lx, 0.3: uniform(50lx, 200lx) }
          param mode = Mode.busy
          ego car = Car { color: rgb(0.8, 0.1, 0.1), size: (4.8m, 1.9m, 1.5m) }
              at (0m, 0m, 0m) facing 0deg
              with behavior follow_lane(30km/h)
          let n = uniform_int(2, 6)
          let queue = [Car ahead of car by gap + 6m * k right of car by 2.6m for k in 1..n]
          let ped = Pedestrian at (30m, uniform(-4m, -2m), 0m) facing 90deg
                    with behavior Cross\(i)(target: (30m, 5m, 0m), speed: uniform(0.8m/s, 1.8m/s))
          let cones = [Box at (uniform(5m, 40m), uniform(-LANE_WIDTH / 2, LANE_WIDTH / 2), 0m)
                       facing normal(0deg, 5deg) for _ in 0..<uniform_int(1, 4)]
          Truck behind car by 15m
          /* parked cars along the kerb */
          Car left of car by 3.5m facing 180deg
          require all c in queue: distance(car, c) > 3m and c.speed < 50km/h
          require visible(ped, from: camera)
          require[0.8] 0m < ped.position.x - car.position.x < 40m
          require eventually distance(ped, car) > 2m
          terminate when car.position.x > 100m or distance(car, ped) < 0.5m
          environment { light: light, fog: uniform(0.0, 0.2) }
          sensor camera = Camera { mount: car, offset: (1.5m, 0m, 1.4m), resolution: (640, 480),
                                   fov: 90deg, rate: 10Hz, outputs: [rgb, depth, instance, boxes2d] }
          simulate 8s at 100Hz
          cover queue_length: n
          cover light_level: light buckets [0lx, 100lx, 300lx, 1000lx]
      }


      """
    out += chunk
    lines += chunk.utf8.count { $0 == UInt8(ascii: "\n") }
    i += 1
  }
  out += "scenario Suite { include Street0 weight 3; include Street1 weight 1 }\n"
  return out
}

/// Best wall-clock and best thread-CPU time over `runs` runs. The CPU time is what the
/// parse itself costs; the wall time also counts waiting when other processes share the cores.
/// `body` returns a count and whatever it built; what it built is freed after the clock
/// stops (a compiler keeps its tree, so freeing it is not part of parsing).
func time(file: SourceFile, runs: Int, _ body: (SourceFile) -> (Int, Any)) -> (wall: Double, cpu: Double, result: Int) {
  var bestWall = Double.infinity
  var bestCPU = Double.infinity
  var result = 0
  for _ in 0..<runs {
    let wall0 = wallSeconds()
    let cpu0 = threadCPUSeconds()
    let (count, built) = body(file)
    let cpu = threadCPUSeconds() - cpu0
    let wall = wallSeconds() - wall0
    withExtendedLifetime(built) {}
    result = count
    bestCPU = min(bestCPU, cpu)
    bestWall = min(bestWall, wall)
  }
  return (bestWall, bestCPU, result)
}

func wallSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func report(_ label: String, _ t: (wall: Double, cpu: Double, result: Int), megabytes: Double, runs: Int) {
  func f(_ x: Double) -> String { String(format: "%.1f", x) }
  print("\(label) best of \(runs): wall \(f(t.wall * 1000)) ms = \(f(megabytes / t.wall)) MB/s; "
    + "thread CPU \(f(t.cpu * 1000)) ms = \(f(megabytes / t.cpu)) MB/s")
}

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "generate":
  let lines = arguments.count > 2 ? Int(arguments[2]) ?? 50_000 : 50_000
  print(generateProgram(minimumLines: lines), terminator: "")
case "time" where arguments.count > 2:
  guard let data = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("cannot read \(arguments[2])\n".utf8))
    exit(1)
  }
  let file = SourceFile(id: FileID(0), path: arguments[2], bytes: [UInt8](data))
  let megabytes = Double(file.bytes.count) / 1_000_000
  let runs = 10
  let lex = time(file: file, runs: runs) { f in
    let (tokens, _) = Lexer.tokenize(f)
    return (tokens.count, tokens)
  }
  let parse = time(file: file, runs: runs) { f in
    let (ast, diagnostics) = Parser.parse(file: f)
    return (ast.declarations.count + diagnostics.count, ast)
  }
  let (_, diagnostics) = Parser.parse(file: file)
  print("input: \(file.lineCount) lines, \(String(format: "%.2f", megabytes)) MB, \(lex.result) tokens, "
    + "\(diagnostics.count) diagnostics")
  report("lex only:   ", lex, megabytes: megabytes, runs: runs)
  report("lex + parse:", parse, megabytes: megabytes, runs: runs)
  if !diagnostics.isEmpty { exit(2) }
default:
  FileHandle.standardError.write(Data("usage: ScnSyntaxBench generate LINES | time FILE\n".utf8))
  exit(64)
}
