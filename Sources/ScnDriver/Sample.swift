import Foundation
import ScnAssets
import ScnIR
import ScnLowering
import ScnRuntime
import ScnSensors
import ScnSource
import ScnSyntax
import ScnUnits

/// A compiled scenario with its sampler: what `scn sample`, `scn generate`, `scn card`,
/// `check --estimate` and the REPL all start from (`Driver.prepareSampling`).
public struct SamplingSession: Sendable {
  public let sources: SourceManager
  public let warnings: [Diagnostic]
  public let program: ProgramIR
  public let sampler: Sampler
  /// The compilation the sampler was built from (files read, checked program, units).
  public let compilation: CompilationResult
  /// The request's `--param` overrides as parsed, in the order given.
  public let overrides: [ParamOverride]
  /// The entry scenario's imported assets (`@asset`), read and checked.
  public var assets: [LoadedAsset] = []

  /// `path:line:col` of a range, for explanation tables.
  public func location(_ range: SourceRange) -> String {
    guard let file = sources[range.file] else { return "?" }
    let l = file.location(of: range.start)
    return "\(file.path):\(l.line):\(l.column)"
  }

  /// What sampling leaves unchecked when the simulation is off (`--no-simulate`), as a
  /// note for the user; nil when the simulation runs or the scenario needs none.
  public var unsimulatedNote: String? {
    guard sampler.options.simulation == .off, sampler.needsSimulation else { return nil }
    return "the simulation was skipped (--no-simulate): \(sampler.deferredChecks) 'require eventually' / "
      + "'terminate when' condition(s), 'require always' after t = 0 and the physics are not checked, "
      + "so these scenes may differ from those 'scn generate' records"
  }
}

/// Why sampling could not start or stopped: diagnostics to render against `sources`.
public struct SamplingFailure: Error, Sendable {
  public let sources: SourceManager
  public let diagnostics: [Diagnostic]
}

/// The arguments that define the samples: sample i is a pure function of these and i.
public struct SamplingRequest: Sendable {
  public var path: String
  public var scenario: String?
  public var seed: UInt64
  public var maxAttempts: Int
  /// `name=value` arguments of `--param`, as typed.
  public var params: [String]
  public var coverTargets: [String]
  /// Run the simulation (and the temporal requirements it decides) for every scenario that
  /// has one (`.whenNeeded`, the default); `.off` with `--no-simulate`; `scn generate` uses
  /// `.always`, which accepts the same scenes and also gives a one-frame trace to scenarios
  /// without `simulate`.
  public var simulation: SimulationMode
  /// How messages about `params` name where they came from (`--param`, `:set`).
  public var paramOrigin: String = "--param"
  /// Bounds on elements, actors, steps and trace states (`--limit`); they decide only
  /// whether a sample is refused, never its values.
  public var limits: ResourceLimits = .standard

  public init(path: String, scenario: String? = nil, seed: UInt64 = 0, maxAttempts: Int = 100_000,
              params: [String] = [], coverTargets: [String] = [], simulation: SimulationMode = .whenNeeded)
  {
    self.path = path
    self.scenario = scenario
    self.seed = seed
    self.maxAttempts = maxAttempts
    self.params = params
    self.coverTargets = coverTargets
    self.simulation = simulation
  }
}

extension Driver {
  /// Compiles `path` with the driver's StdLib, reading the main file once. Throws
  /// `FileSystemError` when the main file cannot be read (a usage error, exit status 2,
  /// not a compile diagnostic).
  public func compileMain(_ path: String, scenario: String? = nil) throws -> CompilationResult {
    let main = try fileSystem.readFile(path)
    let fs = fileSystem
    return Compilation.compile(
      mainFile: path, readFile: { $0 == path ? main : try fs.readFile($0) }, stdlibRoot: stdlibRoot,
      scenario: scenario, readData: { [folder = (path as NSString).deletingLastPathComponent] in try fs.readFileInside($0, folder) })
  }

  /// Compiles the file and builds a sampler. Throws `FileSystemError` when the main file
  /// cannot be read (exit status 2); returns a failure for compile errors, bad `--param`
  /// or `--cover-target` arguments (exit status 1).
  public func prepareSampling(_ request: SamplingRequest) throws -> Result<SamplingSession, SamplingFailure> {
    prepareSampling(request, compiled: try compileMain(request.path, scenario: request.scenario))
  }

  /// Builds a sampler from a compilation the caller already ran for `request` (the REPL
  /// compiles once per `:load` and rebuilds the sampler on every `:set` and `:seed`).
  /// `request.path` and `scenario` must be the ones `result` was compiled with. `observing`
  /// are expressions lowered against the entry scenario whose values every scene carries
  /// (`Scene.observed`; the REPL's `:sample EXPR` and `:hist EXPR`).
  public func prepareSampling(
    _ request: SamplingRequest, compiled result: CompilationResult, observing: [IRExpr] = []
  ) -> Result<SamplingSession, SamplingFailure> {
    var sources = result.sources
    guard !result.hasErrors, var program = result.program, let checked = result.checked else {
      var diagnostics = result.diagnostics
      if !result.hasErrors, result.program == nil, let main = sources.files.last?.id {
        diagnostics.append(.error(DiagnosticCode("E0601"), "the file declares no scenario", at: .point(main, 0)))
      }
      return .failure(SamplingFailure(sources: sources, diagnostics: diagnostics))
    }
    var overrides: [ParamOverride] = []
    var problems: [Diagnostic] = []
    for text in request.params {
      switch ParamArgument.parse(text, units: checked.units, origin: request.paramOrigin, sources: &sources) {
      case .success(let o): overrides.append(o)
      case .failure(let e): problems.append(e.diagnostic)
      }
    }
    guard problems.isEmpty else { return .failure(SamplingFailure(sources: sources, diagnostics: problems)) }
    let assets: [LoadedAsset]
    switch attachAssets(to: &program, mainFile: request.path, sources: sources) {
    case .success(let a): assets = a
    case .failure(let p): return .failure(SamplingFailure(sources: sources, diagnostics: p.diagnostics))
    }
    var options = SamplerOptions(
      seed: request.seed, maxAttempts: request.maxAttempts, overrides: overrides, coverTargets: request.coverTargets,
      units: checked.baseUnits.isEmpty ? .prelude : UnitNames(baseUnits: checked.baseUnits))
    options.simulation = request.simulation
    options.limits = request.limits
    // `visible`/`occlusion` answered by the renderer's ray caster, as in `scn generate`,
    // so a scene `sample` accepts is one `generate` accepts.
    options.visibility = RayCastVisibility()
    options.assets = Dictionary(assets.map { ($0.name, $0.asset) }, uniquingKeysWith: { a, _ in a })
    do throws(RuntimeError) {
      let sampler = try Sampler(program: program, options: options, observing: observing)
      return .success(SamplingSession(
        sources: sources, warnings: result.diagnostics, program: program, sampler: sampler, compilation: result,
        overrides: overrides, assets: assets))
    } catch {
      return .failure(SamplingFailure(sources: sources, diagnostics: [error.diagnostic]))
    }
  }
}

extension Driver {
  /// Reads, checks and imports the entry scenario's `@asset`s (each file once, bounded
  /// before it is read) and adds their files to the program's input files beside the maps,
  /// so they join the IR hash and the manifest's inputs (docs/assets.md).
  public func attachAssets(
    to program: inout ProgramIR, mainFile: String, sources: SourceManager
  ) -> Result<[LoadedAsset], AssetProblems> {
    guard let entry = program.scenario(named: program.entry) else { return .success([]) }
    let result = AssetDeclarations.load(
      scenario: entry, scenarioPath: mainFile, sources: sources, readFile: fileSystem.readFileLimited)
    if case .success(let assets) = result { program.inputs += assets.flatMap(\.inputs) }
    return result
  }
}
