import ArgumentParser
import Foundation
import ScnDataset
import ScnDriver
import CSystem
import ScnSource

struct GenerateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "generate",
    abstract: "Sample, render and write a labelled dataset with its card, provenance and coverage.",
    discussion: """
      The dataset is a pure function of (file, scenario, seed, count, params, splits, cover targets,
      version): the same bytes for any --jobs, for a run resumed after a kill, and for shards merged
      with 'scn merge'. With SOURCE_DATE_EPOCH set, the one timestamp (Croissant, OpenLineage) is fixed too.
      The same bytes on any processor: SCN_CPU_PATH=portable|sse|avx2|avx512 caps the vector code the
      kernels may use (unset or auto: the best the processor has); the closing line names the one that ran.
      --shard k/N may also come from a Slurm array task (k = (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN) /
      SLURM_ARRAY_TASK_STEP, N = SLURM_ARRAY_TASK_COUNT; an array that is no arithmetic progression, such as
      --array=1,3,7, is refused), or from
      JOB_COMPLETION_INDEX (Kubernetes indexed jobs) with --shards N or SCN_SHARDS.
      Semantic ids: 0 sky, 1 ground, then 2, 3, … for the sorted set of every class the program
      can produce: the `class` of each actor type it builds (default or literal) and the stuff
      classes of the roads, sidewalks and rooms it builds, listed with colours in the card.
      Frames: every step of the simulation trace at which a sensor is due, at each sensor's rate
      (--max-frames N keeps the first N); without `simulate`, one frame at t = 0.
      Exit status: 0 success, 1 errors in the input, a scenario without @dataset / @intended_use /
      @out_of_scope, an impossible scenario or an output problem, 2 usage error or unreadable input.
      """)

  @OptionGroup var input: ScenarioArguments

  @Option(help: "Number of samples.")
  var count: Int

  @Option(help: "Output directory.")
  var out: String

  @Option(help: "Worker threads (the output does not depend on it).")
  var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "Splits by fraction, e.g. train=0.8,val=0.1,test=0.1 (default: everything in train).")
  var split: String?

  // `.unconditional`: `--shard -1/2` is a wrong shard, not a missing value.
  @Option(
    parsing: .unconditional, help: "Generate only shard k of N (k = 0 … N-1): the samples with index % N == k.")
  var shard: String?

  @Option(help: "Number of shards when the index comes from JOB_COMPLETION_INDEX.")
  var shards: Int?

  @Flag(help: "Continue an interrupted run of the same dataset in --out.")
  var resume = false

  @Flag(help: "Replace an scn dataset or work area in --out (never other files, never a folder holding an input).")
  var force = false

  @OptionGroup var attempts: AttemptOptions

  @OptionGroup var limitOptions: LimitOptions

  @Option(help: "Re-weight sampling towards the gaps of an evaluation (the gaps.json of scn eval).")
  var focus: String?

  @Option(help: "Record at most N frames of each sample's simulation (default: every frame; recorded in the manifest).")
  var maxFrames: Int?

  @OptionGroup var colorOption: ColorOption

  func validate() throws {
    guard count >= 0 else { throw ValidationError("--count must be ≥ 0, got \(count)") }
    guard !out.isEmpty else { throw ValidationError("--out must name a directory, got an empty string") }
    guard jobs >= 1 else { throw ValidationError("--jobs must be ≥ 1, got \(jobs)") }
    if let maxFrames { guard maxFrames >= 1 else { throw ValidationError("--max-frames must be ≥ 1, got \(maxFrames)") } }
    guard !(resume && force) else { throw ValidationError("--resume and --force exclude each other") }
  }

  /// `--shard`, else the batch system's array index.
  static func resolveShard(_ flag: String?, shards: Int?, environment: [String: String]) throws -> Shard? {
    do {
      if let flag { return try Shard(parsing: flag) }
      if let shard = try Shard.slurmArrayTask(environment: environment) { return shard }
      if let id = environment["JOB_COMPLETION_INDEX"] {
        guard let n = shards ?? environment["SCN_SHARDS"].flatMap(Int.init) else {
          throw ValidationError("JOB_COMPLETION_INDEX is set: give the number of shards with --shards N or SCN_SHARDS")
        }
        return try Shard(parsing: "\(id)/\(n)")
      }
      return nil
    } catch let e as DatasetError {
      if case .invalidSlurmArray = e { throw ValidationError(e.description) }
      throw ValidationError("invalid shard: \(e.description)")
    }
  }

  func run() throws {
    let environment = ProcessInfo.processInfo.environment
    let renderer = DiagnosticRenderer(useColor: colorOption.color.enabled(for: .standardError))
    let outURL = URL(fileURLWithPath: out)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: outURL.path)) ?? []
    if !entries.isEmpty && !resume && !force {
      standardError("error: '\(out)' is not empty; use --resume to continue an interrupted run or --force to replace it\n")
      throw ExitCode(2)
    }
    var request = GenerateRequest(path: input.path, count: count, output: outURL)
    request.scenario = input.scenario
    request.seed = input.seed
    request.maxAttempts = attempts.maxAttempts
    request.params = input.params
    request.coverTargets = attempts.coverTargets
    request.limits = limitOptions.limits
    if let focus {
      guard let bytes = FileManager.default.contents(atPath: focus) else {
        standardError("error: cannot read '\(focus)'\n")
        throw ExitCode(2)
      }
      request.focus = (URL(fileURLWithPath: focus).lastPathComponent, Array(bytes))
    }
    request.jobs = jobs
    request.maxFrames = maxFrames
    request.existingOutput = resume ? .resume : (force ? .replace : .refuse)
    do {
      request.shard = try GenerateCommand.resolveShard(shard, shards: shards, environment: environment)
      if let split { request.splits = try GenerateRequest.parseSplits(split) }
      request.timestamp = try DatasetTimestamp.resolve(environment: environment, now: { Date() })
    } catch let e as GenerateError {
      standardError("error: \(e.description)\n")
      throw ExitCode(2)
    } catch let e as DatasetError {
      standardError("error: \(e.description)\n")
      throw ExitCode(2)
    }
    let session: GenerateSession
    do {
      session = try Driver().prepareGeneration(request)
    } catch {
      throw report(error, renderer: renderer)
    }
    if !session.warnings.isEmpty { standardError(renderer.render(session.warnings, sources: session.sources)) }
    let progress = ProgressReporter(isTerminal: isatty(2) == 1)
    GenerateCommand.keepFreedMemory()
    do {
      let outcome = try session.run(request) { progress.update($0) }
      progress.finish()
      var line = "generated \(outcome.rendered) sample(s), \(outcome.frames) frame(s) in "
        + String(format: "%.1f", outcome.seconds) + " s (CPU path \(cpuPathInEffect))"
      switch outcome.finalization {
      case .dataset(let summary): line += "; dataset of \(summary.samples) samples, \(summary.files) files in \(out)"
      case .shard(let s, let n): line += "; shard \(s.index)/\(s.count) with \(n) samples in \(out) (join with scn merge)"
      }
      standardError(line + "\n")
    } catch {
      progress.finish()
      throw report(error, renderer: renderer)
    }
  }

  /// Asks glibc's allocator to keep the memory a frame frees for the next frame: every frame
  /// allocates and frees the same tens of megabytes (images, ray tables, PNG and PLY buffers,
  /// trees of people's meshes), and by default glibc hands the top of a heap back to the
  /// kernel once 2× its mmap threshold is free and maps blocks over that threshold anew
  /// each time, so the pages were faulted in and zeroed by the kernel again every frame
  /// (about a sixth of a run's page faults at `--count 4`). Blocks up to 32 MiB (glibc's
  /// largest threshold) now come from the heaps, and up to 256 MiB of free memory at a heap's
  /// top stays mapped (`csystem_keep_freed_memory`). Peak memory is what the run holds at
  /// once, as before; no output byte depends on where memory comes from.
  static func keepFreedMemory() { csystem_keep_freed_memory() }

  private func report(_ error: GenerateError, renderer: DiagnosticRenderer) -> ExitCode {
    switch error {
    case .input(let sources, let diagnostics):
      standardError(renderer.render(diagnostics, sources: sources))
      return ExitCode(1)
    case .usage(let text):
      standardError("error: \(text)\n")
      return ExitCode(2)
    case .scene(let text), .dataset(let text):
      standardError("error: \(text)\n")
      return ExitCode(1)
    }
  }
}

/// A progress bar on a terminal (rate, ETA, rejection rate), else a log line every 5 s.
final class ProgressReporter: @unchecked Sendable {
  private let isTerminal: Bool
  private let start = Date()
  private var lastPrint = Date.distantPast
  private var last: GenerateProgress?
  private let lock = NSLock()

  init(isTerminal: Bool) { self.isTerminal = isTerminal }

  func update(_ p: GenerateProgress) {
    lock.lock()
    defer { lock.unlock() }
    last = p
    let now = Date()
    let interval = isTerminal ? 0.1 : 5.0
    guard now.timeIntervalSince(lastPrint) >= interval || p.done == p.total else { return }
    lastPrint = now
    let elapsed = max(1e-9, now.timeIntervalSince(start))
    let rate = Double(p.done) / elapsed
    let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
    let stats = String(format: "%d/%d samples  %.1f samples/s  ETA %.0f s  rejected %.1f%%",
                       p.done, p.total, rate, eta, p.rejectionRate * 100)
    if isTerminal {
      let width = 30
      let filled = p.total == 0 ? width : width * p.done / p.total
      let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
      standardError("\r\u{1B}[2K" + bar + " " + stats)
    } else {
      standardError("progress: " + stats + "\n")
    }
  }

  func finish() {
    lock.lock()
    defer { lock.unlock() }
    if isTerminal, last != nil { standardError("\n") }
  }
}
