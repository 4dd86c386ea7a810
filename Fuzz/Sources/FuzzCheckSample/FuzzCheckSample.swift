import Foundation
import ScnLowering
import ScnRuntime
import ScnSource

/// The repository's StdLib: Fuzz/run.sh runs the fuzzer from Fuzz/, so it is `../StdLib`
/// unless `SCN_STDLIB` says otherwise.
let stdlibRoot = ProcessInfo.processInfo.environment["SCN_STDLIB"] ?? "../StdLib"

/// Checks, lowers and samples arbitrary bytes as the main file of a program (with the real
/// StdLib): the whole path of `scn check` and `scn sample` (no simulation, a few attempts).
/// Crashes, traps, sanitizer reports, timeouts and running out of memory are the failures;
/// so is a diagnostic whose range lies outside its file.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCheckSample(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let main = "/fuzz/main.scn"
  let result = Compilation.compile(
    mainFile: main,
    readFile: { path in
      if path == main { return bytes }
      return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    },
    stdlibRoot: stdlibRoot)
  for d in result.diagnostics {
    guard let file = result.sources[d.range.file] else { continue }
    if d.range.start < 0 || d.range.end > file.bytes.count || d.range.start > d.range.end {
      fatalError("diagnostic range \(d.range) outside a \(file.bytes.count)-byte file: \(d.message)")
    }
  }
  guard !result.hasErrors, let program = result.program else { return 0 }
  let options = SamplerOptions(seed: UInt64(size), maxAttempts: 20)
  guard let sampler = try? Sampler(program: program, options: options) else { return 0 }
  let run = sampler.run(start: 0, count: 2, jobs: 1)
  if let failure = run.failure {
    let d = failure.diagnostic
    if let file = result.sources[d.range.file], d.range.end > file.bytes.count {
      fatalError("runtime diagnostic range \(d.range) outside a \(file.bytes.count)-byte file: \(d.message)")
    }
  }
  return 0
}
