import ArgumentParser
import Foundation
import ScnDriver
import ScnRuntime
import ScnSource

enum SampleFormat: String, ExpressibleByArgument, CaseIterable {
  case json, table
}

struct SampleCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sample",
    abstract: "Sample concrete scenes from a scenario and print them as JSON Lines.",
    discussion: """
      Sample i is a pure function of (file, scenario, seed, params, i): the same sample comes out
      alone (--start i --count 1), in a batch, or on any number of threads.
      Exit status: 0 success, 1 errors in the input or an impossible scenario (with an
      explanation of which requirements rejected the attempts), 2 usage or I/O error.
      The StdLib is read from $SCN_STDLIB, else from the StdLib/ folder next to the executable's
      package, else from ./StdLib.
      """)

  @Argument(help: "The scenario file.")
  var path: String

  @Option(help: "The scenario to sample (default: the last one in the file).")
  var scenario: String?

  @Option(help: "Dataset seed.")
  var seed: UInt64 = 0

  @Option(help: "Number of samples.")
  var count: Int = 1

  @Option(help: "Index of the first sample.")
  var start: UInt64 = 0

  @Option(name: .customLong("param"), help: "Override a param: name=value, e.g. light=300lx (repeatable).")
  var params: [String] = []

  @Option(help: "Attempts per sample before giving up.")
  var maxAttempts: Int = 100_000

  @Option(help: "Output: json (JSON Lines) or table (a readable summary).")
  var format: SampleFormat = .json

  @Flag(help: "Print rejection statistics per requirement to standard error.")
  var explain = false

  @Option(name: .customLong("cover-target"), help: "Spread samples evenly over this cover point's buckets (repeatable).")
  var coverTargets: [String] = []

  @Option(help: "Write the coverage report (canonical JSON) to this file.")
  var coverage: String?

  @Option(help: "Worker threads (the output does not depend on it).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Colour in diagnostics: auto, always or never.")
  var color: ColorChoice = .auto

  func validate() throws {
    guard count >= 0 else { throw ValidationError("--count must be ≥ 0, got \(count)") }
    guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be ≥ 1, got \(maxAttempts)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    guard start <= UInt64.max - UInt64(count) else { throw ValidationError("--start + --count overflows") }
  }

  func run() throws {
    let request = SamplingRequest(path: path, scenario: scenario, seed: seed, maxAttempts: maxAttempts, params: params,
                                  coverTargets: coverTargets, stdlibRoot: locateStdLib())
    let renderer = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
    let session: SamplingSession
    switch try Driver().prepareSampling(request) {
    case .failure(let f):
      standardError(renderer.render(f.diagnostics, sources: f.sources))
      throw ExitCode(1)
    case .success(let s):
      session = s
      if !s.warnings.isEmpty { standardError(renderer.render(s.warnings, sources: s.sources)) }
    }
    let sampler = session.sampler
    var report = CoverageReport(specs: sampler.coverSpecs, targets: coverTargets)
    var statistics: [RejectionStatistics] = []
    var failure: SamplerFailure?
    let chunk = max(256, jobs * 64)
    var done = 0
    while done < count, failure == nil {
      let n = min(chunk, count - done)
      let result = sampler.run(start: start + UInt64(done), count: n, jobs: jobs)
      var out = ""
      for scene in result.scenes {
        report.record(scene)
        switch format {
        case .json:
          scene.json().write(into: &out)
          out += "\n"
        case .table:
          out += scene.table()
        }
      }
      FileHandle.standardOutput.write(Data(out.utf8))
      for s in result.statistics {
        if let i = statistics.firstIndex(where: { $0.scenario == s.scenario }) {
          statistics[i] = statistics[i].merging(s)
        } else {
          statistics.append(s)
        }
      }
      failure = result.failure
      done += n
    }
    statistics.sort { $0.scenario < $1.scenario }
    if let coverage {
      try Driver().fileSystem.writeFile(coverage, Array((report.json() + "\n").utf8))
    }
    if explain {
      var text = ""
      for s in statistics { text += s.table(location: session.location) }
      if sampler.deferredChecks > 0 {
        text += "note: \(sampler.deferredChecks) 'require eventually' / 'terminate when' condition(s) are checked by the simulator, not here\n"
      }
      standardError(text)
    }
    if let failure {
      standardError(renderer.render([failure.diagnostic], sources: session.sources))
      if case .impossible(_, _, let stats) = failure, !explain {
        standardError(stats.table(location: session.location))
      }
      throw ExitCode(1)
    }
  }
}
