// Scenes per second of the scn sampler on the benchmark programs, single-threaded.
// Usage: ScnSamplerBench STDLIB_ROOT PROGRAM.scn:COUNT …
import Foundation
import ScnLowering
import ScnRuntime

func read(_ path: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
  return [UInt8](data)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let stdlib = arguments.first else {
  FileHandle.standardError.write(Data("usage: ScnSamplerBench STDLIB_ROOT PROGRAM.scn:COUNT …\n".utf8))
  exit(2)
}
for spec in arguments.dropFirst() {
  let parts = spec.split(separator: ":")
  guard parts.count == 2, let count = Int(parts[1]) else { continue }
  let path = String(parts[0])
  let result = Compilation.compile(mainFile: path, readFile: read, stdlibRoot: stdlib)
  guard let program = result.program else {
    FileHandle.standardError.write(Data("\(path): does not compile\n".utf8))
    exit(1)
  }
  let sampler = try Sampler(program: program, options: SamplerOptions(seed: 1))
  _ = sampler.run(start: 0, count: min(count, 100), jobs: 1)  // warm-up
  let clock = ContinuousClock()
  // In chunks, as `scn sample` runs: scenes are produced, handed on and released.
  var attempts = 0
  var failure: SamplerFailure?
  let elapsed = clock.measure {
    var done = 0
    while done < count, failure == nil {
      let n = min(1000, count - done)
      let run = sampler.run(start: 1_000_000 + UInt64(done), count: n, jobs: 1)
      attempts += run.statistics.reduce(0) { $0 + $1.attempts }
      failure = run.failure
      done += n
    }
  }
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  if let failure { print("\(path): failed: \(failure.diagnostic.message)") }
  print("\(path)\t\(String(format: "%.1f", Double(count) / seconds))\t\(String(format: "%.1f", Double(attempts) / seconds))")
}
