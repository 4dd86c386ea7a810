import Crypto
import Foundation
import ScnDataset
import ScnGeometry
import ScnIR
import ScnLowering
import ScnRuntime
import ScnSource

/// Why `scn generate` stopped. `.input` carries diagnostics (exit status 1); `.scene` and
/// `.dataset` describe a sample or output problem (exit status 1); `.usage` exit status 2.
public enum GenerateError: Error, Sendable, CustomStringConvertible {
  case input(SourceManager, [Diagnostic])
  case scene(String)
  case dataset(String)
  case usage(String)

  public var description: String {
    switch self {
    case .input(_, let d): d.map(\.message).joined(separator: "\n")
    case .scene(let s), .dataset(let s), .usage(let s): s
    }
  }
}

/// What to generate (`scn generate` arguments that define the data, plus the run's own).
public struct GenerateRequest: Sendable {
  public var path: String
  public var scenario: String?
  public var count: Int
  public var seed: UInt64 = 0
  public var maxAttempts: Int = 100_000
  /// `name=value` as typed.
  public var params: [String] = []
  public var coverTargets: [String] = []
  /// Record at most this many frames of each sample's trace (nil: all). It defines the data,
  /// so it is recorded with the param overrides as `--max-frames`.
  public var maxFrames: Int?
  public var splits: [SplitFraction] = []
  /// Run-specific: none of these reaches an output byte.
  public var output: URL
  public var jobs: Int = 1
  public var shard: Shard?
  public var existingOutput: ExistingOutputPolicy = .refuse
  public var timestamp: Int64 = 0

  public init(path: String, count: Int, output: URL) {
    self.path = path
    self.count = count
    self.output = output
  }

  /// Parses `train=0.8,val=0.1,test=0.1`: names unique, fractions positive and summing to 1.
  public static func parseSplits(_ text: String) throws(GenerateError) -> [SplitFraction] {
    var result: [SplitFraction] = []
    for part in text.split(separator: ",") {
      let pair = part.split(separator: "=", omittingEmptySubsequences: false)
      guard pair.count == 2, let f = Double(pair[1].trimmingCharacters(in: .whitespaces)), f > 0, f.isFinite else {
        throw .usage("--split expects name=fraction,…, got '\(part)'")
      }
      let name = pair[0].trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty, !result.contains(where: { $0.name == name }) else {
        throw .usage("--split: '\(name)' is empty or named twice")
      }
      result.append(SplitFraction(name: name, fraction: f))
    }
    let sum = result.reduce(0) { $0 + $1.fraction }
    guard !result.isEmpty, abs(sum - 1) < 1e-9 else { throw .usage("--split fractions must sum to 1, they sum to \(sum)") }
    return result
  }
}

/// Progress of a run, reported after each sample.
public struct GenerateProgress: Sendable {
  public var done: Int
  public var total: Int
  public var frames: Int
  public var attempts: Int
  public var rejectionRate: Double { attempts == 0 ? 0 : Double(attempts - done) / Double(attempts) }
}

/// A compiled scenario ready to generate: sampler, render mapping inputs, dataset description.
public struct GenerateSession: Sendable {
  public let sources: SourceManager
  public let warnings: [Diagnostic]
  public let program: ProgramIR
  public let sampler: Sampler
  public let classes: ClassTable
  public let description: DatasetDescription
  let plans: [SensorPlan]
  let maxFrames: Int?

  /// The indices this run is responsible for (its shard), in order.
  public func indices(count: Int, shard: Shard?) -> [Int] {
    guard let shard else { return Array(0..<max(0, count)) }
    return Array(stride(from: shard.index, to: max(0, count), by: shard.count))
  }
}

extension Driver {
  /// Compiles, checks the dataset annotations, builds the sampler (with the exact ray-cast
  /// visibility) and the dataset description from sample 0's sensors.
  public func prepareGeneration(_ request: GenerateRequest) throws(GenerateError) -> GenerateSession {
    do { _ = try fileSystem.readFile(request.path) } catch {
      // The file system's error already names the path and the reason.
      throw .usage(error is FileSystemError ? "\(error)" : "cannot read '\(request.path)': \(error)")
    }
    let fs = fileSystem
    let result = Compilation.compile(mainFile: request.path, readFile: { try fs.readFile($0) },
                                     stdlibRoot: stdlibRoot, scenario: request.scenario)
    var sources = result.sources
    guard !result.hasErrors, let program = result.program else {
      var diagnostics = result.diagnostics
      if !result.hasErrors, let main = sources.files.last?.id {
        diagnostics.append(.error(DiagnosticCode("E0601"), "the file declares no scenario to generate from", at: .point(main, 0)))
      }
      throw .input(sources, diagnostics)
    }
    guard let entry = program.scenario(named: program.entry) else {
      throw .scene("the program has no entry scenario '\(program.entry)'")
    }
    if let missing = result.missingDatasetAnnotations[entry.name], !missing.isEmpty {
      let main = sources.files.last?.id
      let d = Diagnostic.error(
        DiagnosticCode("E0602"),
        "scenario '\(entry.name)' lacks " + missing.sorted().map { "@\($0)" }.joined(separator: ", ")
          + "; scn generate needs @dataset, @intended_use and @out_of_scope for the dataset card",
        at: main.map { _ in entry.range } ?? entry.range)
      throw .input(sources, [d])
    }
    let catalog = UnitCatalog(files: result.loadedFiles)
    var overrides: [ScnRuntime.ParamOverride] = []
    var problems: [Diagnostic] = []
    for text in request.params {
      switch ParamArgument.parse(text, units: catalog, sources: &sources) {
      case .success(let o): overrides.append(o)
      case .failure(let e): problems.append(e.diagnostic)
      }
    }
    guard problems.isEmpty else { throw .input(sources, problems) }
    var options = SamplerOptions(seed: request.seed, maxAttempts: request.maxAttempts, overrides: overrides,
                                 coverTargets: request.coverTargets, units: catalog.names)
    // A dataset records the simulated trace and must honour `require always/eventually`.
    options.simulate = true
    // Requirements on visibility are decided by the same ray caster that renders the labels.
    options.visibility = RayCastVisibility()
    let sampler: Sampler
    do throws(RuntimeError) {
      sampler = try Sampler(program: program, options: options)
    } catch {
      throw .input(sources, [error.diagnostic])
    }
    let classes = ClassTable(program: program)
    // Calibration comes from sample 0, which every shard can compute on its own.
    let first = sampler.run(start: 0, count: 1, jobs: 1)
    if let failure = first.failure { throw .input(sources, [failure.diagnostic]) }
    guard let scene = first.scenes.first else { throw .scene("sample 0 produced no scene") }
    var plans: [SensorPlan] = []
    for s in scene.sensors { plans.append(try SensorPlan(s)) }
    guard !plans.isEmpty else { throw .scene("scenario '\(entry.name)' declares no sensor: there is nothing to record") }
    let calibrations = plans.map { plan in
      plan.calibration(mountPose: plan.mount.flatMap { name in
        scene.actors.first { $0.name == name }.map { Transform(position: $0.position, yaw: $0.heading) }
      })
    }
    let card = CardFromIR.card(scenario: entry, classes: classes, sensors: plans, coverSpecs: sampler.coverSpecs)
    if let license = card.license, SPDXLicenses.canonical(license) == nil {
      throw .input(sources, [
        .error(
          DiagnosticCode("E0603"),
          "@dataset license '\(license)' is not an SPDX license id (SPDX License List \(SPDXLicenses.listVersion))",
          at: entry.range,
          notes: [Note("expected an id such as 'CC-BY-4.0', 'CC0-1.0' or 'MIT'; see https://spdx.org/licenses/")])
      ])
    }
    let identity = DatasetIdentity(
      scenario: program.entry, irHash: program.hash,
      sources: result.loadedFiles.map { SourceFileHash(path: $0.path, sha256: SHA256Text.hex(of: $0.bytes)) }
        .sorted { $0.path < $1.path },
      generatorName: "scn", generatorVersion: ScnVersion.string, seed: request.seed, count: request.count,
      overrides: zip(request.params, overrides).map { text, o in
        ScnDataset.ParamOverride(name: o.name, value: GenerateRequest.valueText(of: text))
      } + (request.maxFrames.map { [ScnDataset.ParamOverride(name: "--max-frames", value: String($0))] } ?? []),
      splits: request.splits, coverTarget: request.coverTargets.isEmpty ? nil : request.coverTargets.joined(separator: ","))
    return GenerateSession(
      sources: sources, warnings: result.diagnostics, program: program, sampler: sampler, classes: classes,
      description: DatasetDescription(identity: identity, card: card, sensors: calibrations), plans: plans,
      maxFrames: request.maxFrames)
  }
}

extension GenerateRequest {
  /// The value part of `name=value`, trimmed.
  static func valueText(of text: String) -> String {
    guard let eq = text.firstIndex(of: "=") else { return text }
    return text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
  }
}

/// SHA-256 of file bytes as lowercase hex, for the provenance of source files.
enum SHA256Text {
  static func hex(of bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in SHA256.hash(data: bytes) {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
