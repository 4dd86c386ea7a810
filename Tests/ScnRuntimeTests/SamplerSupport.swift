import ScnEncoding
import Foundation
import ScnIR
import ScnLowering
import ScnRuntime
import ScnSource
import Testing

/// Compiles scenario text against the repository's StdLib and builds samplers for tests.
enum SamplerSupport {
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let stdlibRoot = repoRoot.appendingPathComponent("StdLib").path
  static let examples = repoRoot.appendingPathComponent("Examples")

  struct CompileFailed: Error, CustomStringConvertible {
    let description: String
  }

  static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw CompileFailed(description: "no file \(path)") }
    return [UInt8](data)
  }

  static func compile(_ source: String, path: String = "/virtual/main.scn") throws -> CompilationResult {
    let result = Compilation.compile(
      mainFile: path, readFile: { p in p == path ? Array(source.utf8) : try readFile(p) }, stdlibRoot: stdlibRoot)
    guard !result.hasErrors, result.program != nil else {
      let text = DiagnosticRenderer(useColor: false).render(result.diagnostics, sources: result.sources)
      throw CompileFailed(description: "compile failed:\n" + text)
    }
    return result
  }

  static func sampler(_ source: String, _ options: SamplerOptions = SamplerOptions()) throws -> Sampler {
    guard let program = try compile(source).program else { throw CompileFailed(description: "no program") }
    return try Sampler(program: program, options: options)
  }

  /// Samples `count` scenes and fails the test on a sampler failure.
  static func scenes(_ source: String, count: Int, _ options: SamplerOptions = SamplerOptions(), start: UInt64 = 0,
                     jobs: Int = 1) throws -> [Scene]
  {
    let run = try sampler(source, options).run(start: start, count: count, jobs: jobs)
    if let f = run.failure { throw CompileFailed(description: "sampling failed: \(f.diagnostic.message)") }
    return run.scenes
  }

  static func lines(_ scenes: [Scene]) -> String {
    scenes.map { $0.json().compact + "\n" }.joined()
  }

  /// A param's number in base units.
  static func number(_ scene: Scene, param: String) -> Double? {
    guard let value = scene.param(param) else { return nil }
    switch value {
    case .double(let x): return x
    case .int(let i): return Double(i)
    case .object(let pairs):
      if case .double(let x)? = pairs.first(where: { $0.0 == "value" })?.1 { return x }
      return nil
    default: return nil
    }
  }
}
