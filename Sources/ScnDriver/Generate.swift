import Foundation
import ScnAssets
import ScnDataset
import ScnEncoding
import ScnGeometry
import ScnIR
import ScnLowering
import ScnRuntime
import ScnScene
import ScnSensors
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
  /// `--focus gaps.json`: the file's name and bytes.
  public var focus: (name: String, bytes: [UInt8])?
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
  /// `--limit`: bounds on the run's size and memory (`ResourceLimits`).
  public var limits: ResourceLimits = .standard

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
      // A split names the folder of its COCO files (annotations/splits/{split}/).
      guard SplitFraction.isValidName(name) else {
        throw .usage("--split: '\(name)' is not a valid split name (letters, digits, '-', '_' and '.', not starting with '.')")
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
  public let sampling: SamplingSession
  public let classes: ClassTable
  /// The ids of the `parts/` images: the built-in part labels and the imported assets' labels.
  public let partLabels: PartLabelTable
  public let description: DatasetDescription
  let plans: [SensorPlan]
  let maxFrames: Int?
  /// Sample 0, drawn once for the calibration and reused when its turn comes to render.
  let first: SamplerRun

  public var sources: SourceManager { sampling.sources }
  public var warnings: [Diagnostic] { sampling.warnings }
  public var program: ProgramIR { sampling.program }
  public var sampler: Sampler { sampling.sampler }

  /// The indices this run is responsible for (its shard), in order.
  public func indices(count: Int, shard: Shard?) -> [Int] {
    guard let shard else { return Array(0..<max(0, count)) }
    return Array(stride(from: shard.index, to: max(0, count), by: shard.count))
  }

  /// Sample `index` with its rejection statistics (sample 0 from the calibration run).
  func sample(_ index: Int) -> SamplerRun {
    index == 0 ? first : sampler.run(start: UInt64(index), count: 1, jobs: 1)
  }
}

extension GenerateRequest {
  /// The arguments that define the samples, as `scn sample` takes them: the same request
  /// gives the same scenes (generate simulates always, which accepts the same scenes).
  public var sampling: SamplingRequest {
    var request = SamplingRequest(
      path: path, scenario: scenario, seed: seed, maxAttempts: maxAttempts, params: params,
      coverTargets: coverTargets, simulation: .always)
    request.limits = limits
    return request
  }
}

extension Driver {
  /// Compiles, builds the sampler (`prepareSampling`, with the simulation always on), checks
  /// the dataset annotations and builds the dataset description from sample 0's sensors.
  public func prepareGeneration(_ request: GenerateRequest) throws(GenerateError) -> GenerateSession {
    let compiled: CompilationResult
    do { compiled = try compileMain(request.path, scenario: request.scenario) } catch {
      throw .usage("\(error)")
    }
    var session: SamplingSession
    switch prepareSampling(request.sampling, compiled: compiled) {
    case .failure(let f): throw .input(f.sources, f.diagnostics)
    case .success(let s): session = s
    }
    let program = session.program
    let sources = session.sources
    guard let entry = program.scenario(named: program.entry) else {
      throw .scene("the program has no entry scenario '\(program.entry)'")
    }
    if let missing = compiled.missingDatasetAnnotations[entry.name], !missing.isEmpty {
      let d = Diagnostic.error(
        DiagnosticCode("E0602"),
        "scenario '\(entry.name)' lacks " + missing.sorted().map { "@\($0)" }.joined(separator: ", ")
          + "; scn generate needs @dataset, @intended_use and @out_of_scope for the dataset card",
        at: entry.range)
      throw .input(sources, [d])
    }
    // `--focus` re-weights the sampler towards the gaps of an evaluation (GenerateFocus).
    let focus = try request.focus.map { file throws(GenerateError) in
      try GenerateFocus.plan(file, program: program, options: session.sampler.options, sources: sources)
    }
    if let focus {
      var options = session.sampler.options
      options.focus = focus.sampler
      let focused: Sampler
      do throws(RuntimeError) {
        focused = try Sampler(program: program, options: options)
      } catch {
        throw .input(sources, [error.diagnostic])
      }
      session = SamplingSession(
        sources: session.sources, warnings: session.warnings, program: program, sampler: focused,
        compilation: session.compilation, overrides: session.overrides, assets: session.assets)
    }
    let sampler = session.sampler
    let classes = ClassTable(program: program)
    // The dataset's sensors (names, kinds, the card's summary) come from sample 0, which every
    // shard can compute on its own; each sample writes its own calibration.
    let first = sampler.run(start: 0, count: 1, jobs: 1)
    if let failure = first.failure { throw .input(sources, [failure.diagnostic]) }
    guard let scene = first.scenes.first else { throw .scene("sample 0 produced no scene") }
    let plans = try scene.sensorPlans()
    guard !plans.isEmpty else { throw .scene("scenario '\(entry.name)' declares no sensor: there is nothing to record") }
    let calibrations = plans.map(\.calibration)
    var card = CardFromIR.card(
      scenario: entry, classes: classes, sensors: plans, coverSpecs: sampler.coverSpecs,
      author: AuthorText(sources: sources, units: session.compilation.checked?.units))
    card.focus = focus?.card
    card.realData = sampler.empiricalColumns.map { c in
      RealDataInput(
        path: c.path, sha256: c.sha256, column: c.column, unit: c.unit, bandwidth: c.bandwidth / c.unitFactor,
        bandwidthDeclared: c.bandwidthDeclared, values: c.values.map { $0 / c.unitFactor })
    }
    card.privacyPolicy = CardFromIR.privacyPolicy(entry)
    if !session.assets.isEmpty { card.assets = AssetDeclarations.docs(session.assets, program: program) }
    let partLabels = PartLabelTable(extra: session.assets.flatMap { $0.asset.parts.compactMap(\.label) })
    if plans.contains(where: { if case .camera(_, _, _, _, let o) = $0.kind { o.contains("parts") } else { false } }) {
      card.partLabels = partLabels.names.enumerated().map { PartLabelDoc(id: $0 + 1, name: $1) }
    }
    if let license = card.license, SPDXLicenses.canonical(license) == nil {
      throw .input(sources, [
        .error(
          DiagnosticCode("E0603"),
          "@dataset license '\(license)' is not an SPDX license id (SPDX License List \(SPDXLicenses.listVersion))",
          at: entry.range,
          notes: [Note("expected an id such as 'CC-BY-4.0', 'CC0-1.0' or 'MIT'; see https://spdx.org/licenses/")])
      ])
    }
    var identity = DatasetIdentity(
      scenario: program.entry, irHash: program.hash,
      // Sources and the program's input files (the maps `map("…")` reads, the imported
      // assets and the files they name): all decide what the dataset holds.
      sources: (compiled.loadedFiles.map { SourceFileHash(path: $0.path, sha256: SHA256Hex.of($0.bytes)) }
        + program.inputs.map { SourceFileHash(path: $0.path, sha256: $0.sha256) })
        .sorted { $0.path < $1.path },
      generatorName: "scn", generatorVersion: ScnVersion.string, seed: request.seed, count: request.count,
      overrides: zip(request.params, session.overrides).map { text, o in
        ScnDataset.ParamOverride(name: o.name, value: GenerateRequest.valueText(of: text))
      } + (request.maxFrames.map { [ScnDataset.ParamOverride(name: "--max-frames", value: String($0))] } ?? []),
      splits: request.splits, coverTarget: request.coverTargets.isEmpty ? nil : request.coverTargets.joined(separator: ","))
    identity.focus = focus?.source
    return GenerateSession(
      sampling: session, classes: classes, partLabels: partLabels,
      description: DatasetDescription(identity: identity, card: card, sensors: calibrations), plans: plans,
      maxFrames: request.maxFrames, first: first)
  }
}

extension GenerateRequest {
  /// The value part of `name=value`, trimmed.
  static func valueText(of text: String) -> String {
    guard let eq = text.firstIndex(of: "=") else { return text }
    return text[text.index(after: eq)...].trimmingCharacters(in: .whitespaces)
  }
}
