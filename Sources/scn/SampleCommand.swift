import ArgumentParser
import Foundation
import ScnDriver
import ScnEncoding
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
      alone (--start i --count 1), in a batch, or on any number of threads, and it is sample i
      of 'scn generate' with the same arguments: a scenario with 'simulate', a temporal
      requirement or 'terminate when' is simulated as generate simulates it (--no-simulate skips that).
      Exit status: 0 success, 1 errors in the input or an impossible scenario (with an
      explanation of which requirements rejected the attempts), 2 usage or I/O error.
      The StdLib is read from $SCN_STDLIB, else from the StdLib/ folder next to the executable's
      package, else from ./StdLib.
      """)

  @OptionGroup var input: ScenarioArguments

  @Option(help: "Number of samples.")
  var count: Int = 1

  @Option(help: "Index of the first sample.")
  var start: UInt64 = 0

  @OptionGroup var attempts: AttemptOptions

  @OptionGroup var limitOptions: LimitOptions

  @Option(help: "Output: json (JSON Lines) or table (a readable summary).")
  var format: SampleFormat = .json

  @Flag(help: "Print rejection statistics per requirement to standard error.")
  var explain = false

  @Flag(help: "Skip the simulation: faster, but 'require eventually', 'terminate when', 'require always' after t = 0 and the physics are then not checked.")
  var noSimulate = false

  @Option(help: "Write the coverage report (canonical JSON) to this file.")
  var coverage: String?

  @Option(help: "Worker threads (the output does not depend on it).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @OptionGroup var colorOption: ColorOption

  func validate() throws {
    guard count >= 0 else { throw ValidationError("--count must be ≥ 0, got \(count)") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    guard start <= UInt64.max - UInt64(count) else { throw ValidationError("--start + --count overflows") }
  }

  func run() throws {
    var request = SamplingRequest(
      path: input.path, scenario: input.scenario, seed: input.seed, maxAttempts: attempts.maxAttempts,
      params: input.params, coverTargets: attempts.coverTargets, simulation: noSimulate ? .off : .whenNeeded)
    request.limits = limitOptions.limits
    let renderer = DiagnosticRenderer(useColor: colorOption.color.enabled(for: .standardError))
    let session: SamplingSession
    switch try Driver().prepareSampling(request) {
    case .failure(let f):
      standardError(renderer.render(f.diagnostics, sources: f.sources))
      throw ExitCode(1)
    case .success(let s):
      session = s
      if !s.warnings.isEmpty { standardError(renderer.render(s.warnings, sources: s.sources)) }
      if let note = s.unsimulatedNote { standardError("note: \(note)\n") }
    }
    let sampler = session.sampler
    var report = CoverageReport(specs: sampler.coverSpecs, targets: attempts.coverTargets)
    // Streamed: each worker writes its block's scenes as bytes into the block's buffer (and
    // counts their covers); the buffers reach standard output in sample order and are
    // reused, so memory does not grow with --count and printing allocates nothing per scene.
    let blank = CoverageReport(specs: sampler.coverSpecs)
    let format = format
    let summary = try sampler.stream(
      start: start, count: count, jobs: jobs,
      part: { SampleBlock(out: .cachingNumbers(capacity: 1 << 19), memo: SceneJSONMemo(), coverage: blank) },
      add: { block, scene in
        block.coverage.record(scene)
        switch format {
        case .json:
          scene.write(into: &block.out, memo: &block.memo)
          block.out.byte(0x0A)
        case .table:
          block.out.plain(scene.table())
        }
      },
      emit: { block in
        report.merge(block.coverage)
        block.coverage.removeCounts()
        try StandardOutput.send(block.out.bytes)
        block.out.removeAll()
      })
    let statistics = summary.statistics.sorted { $0.scenario < $1.scenario }
    let failure = summary.failure
    if let coverage {
      try Driver().fileSystem.writeFile(coverage, Array((report.json() + "\n").utf8))
    }
    if explain {
      var text = ""
      for s in statistics { text += s.table(location: session.location) }
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

/// One block of `scn sample`'s output: its JSON Lines (or table) bytes and cover counts,
/// and the JSON parts remembered from the scenes this part held before (each part is
/// filled by one worker at a time).
struct SampleBlock {
  var out: JSONBytes
  var memo: SceneJSONMemo
  var coverage: CoverageReport
}
