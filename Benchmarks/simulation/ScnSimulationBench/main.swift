// Per-sample simulation cost of each program: sampling with the simulation on minus
// sampling alone, single-threaded. Usage: ScnSimulationBench STDLIB_ROOT PROGRAM.scn:COUNT …
import Foundation
import ScnLowering
import ScnRuntime

func read(_ path: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
  return [UInt8](data)
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

let arguments = Array(CommandLine.arguments.dropFirst())
guard let stdlib = arguments.first else {
  FileHandle.standardError.write(Data("usage: ScnSimulationBench STDLIB_ROOT PROGRAM.scn:COUNT …\n".utf8))
  exit(2)
}
print("program\tms/sample sampling only\tms/sample with simulation\tattempts/sample (sim)\tsteps/sample\tactors")
for spec in arguments.dropFirst() {
  let parts = spec.split(separator: ":")
  guard parts.count == 2, let count = Int(parts[1]), count > 0 else { continue }
  let path = String(parts[0])
  let result = Compilation.compile(mainFile: path, readFile: read, stdlibRoot: stdlib)
  guard let program = result.program else {
    FileHandle.standardError.write(Data("\(path): does not compile\n".utf8))
    exit(1)
  }
  var plain = SamplerOptions(seed: 1)
  plain.simulation = .off
  var simulated = plain
  simulated.simulation = .always
  let clock = ContinuousClock()
  let a = try Sampler(program: program, options: plain)
  let b = try Sampler(program: program, options: simulated)
  _ = b.run(start: 0, count: 1)  // warm-up
  let tPlain = clock.measure { _ = a.run(start: 0, count: count) }
  var run: SamplerRun?
  let tSim = clock.measure { run = b.run(start: 0, count: count) }
  let attempts = run?.statistics.reduce(0) { $0 + $1.attempts } ?? 0
  let frames = run?.scenes.map { $0.trace?.frames.last?.stepIndex ?? 0 }.reduce(0, +) ?? 0
  let actors = run?.scenes.first?.actors.count ?? 0
  if let f = run?.failure { print("\(path): failed: \(f.diagnostic.message)") }
  print("\((path as NSString).lastPathComponent)\t\(String(format: "%.2f", seconds(tPlain) * 1000 / Double(count)))\t\(String(format: "%.2f", seconds(tSim) * 1000 / Double(count)))\t\(String(format: "%.2f", Double(attempts) / Double(count)))\t\(frames / count)\t\(actors)")
}
