import ScnIR
import ScnLowering
import ScnRuntime
import ScnSource
import ScnSyntax
import ScnUnits

/// Everything `scn sample` needs once the program compiled: the sampler, the sources for
/// rendering, and the warnings to show.
public struct SamplingSession: Sendable {
  public let sources: SourceManager
  public let warnings: [Diagnostic]
  public let program: ProgramIR
  public let sampler: Sampler

  /// `path:line:col` of a range, for explanation tables.
  public func location(_ range: SourceRange) -> String {
    guard let file = sources[range.file] else { return "?" }
    let l = file.location(of: range.start)
    return "\(file.path):\(l.line):\(l.column)"
  }
}

/// Why sampling could not start or stopped: diagnostics to render against `sources`.
public struct SamplingFailure: Error, Sendable {
  public let sources: SourceManager
  public let diagnostics: [Diagnostic]
}

/// What to sample.
public struct SamplingRequest: Sendable {
  public var path: String
  public var scenario: String?
  public var seed: UInt64
  public var maxAttempts: Int
  /// `name=value` arguments of `--param`, as typed.
  public var params: [String]
  public var coverTargets: [String]
  public var stdlibRoot: String

  public init(path: String, scenario: String? = nil, seed: UInt64 = 0, maxAttempts: Int = 100_000,
              params: [String] = [], coverTargets: [String] = [], stdlibRoot: String)
  {
    self.path = path
    self.scenario = scenario
    self.seed = seed
    self.maxAttempts = maxAttempts
    self.params = params
    self.coverTargets = coverTargets
    self.stdlibRoot = stdlibRoot
  }
}

extension Driver {
  /// Compiles the file and builds a sampler. Throws `FileSystemError` when the main file
  /// cannot be read (exit status 2); returns a failure for compile errors, bad `--param`
  /// or `--cover-target` arguments (exit status 1).
  public func prepareSampling(_ request: SamplingRequest) throws -> Result<SamplingSession, SamplingFailure> {
    // Read the main file once up front: a path named on the command line that cannot be
    // read is a usage error (exit 2), not a compile diagnostic.
    _ = try fileSystem.readFile(request.path)
    let fs = fileSystem
    let result = Compilation.compile(mainFile: request.path, readFile: { try fs.readFile($0) },
                                     stdlibRoot: request.stdlibRoot, scenario: request.scenario)
    return prepareSampling(request, compiled: result)
  }

  /// Builds a sampler from a compilation the caller already ran for `request` (the REPL
  /// compiles once per `:load` and rebuilds the sampler on every `:set` and `:seed`).
  /// `request.path`, `scenario` and `stdlibRoot` must be the ones `result` was compiled with.
  public func prepareSampling(_ request: SamplingRequest, compiled result: CompilationResult)
    -> Result<SamplingSession, SamplingFailure>
  {
    var sources = result.sources
    guard !result.hasErrors, let program = result.program else {
      var diagnostics = result.diagnostics
      if !result.hasErrors, result.program == nil, let main = sources.files.last?.id {
        diagnostics.append(.error(DiagnosticCode("E0601"), "the file declares no scenario to sample", at: .point(main, 0)))
      }
      return .failure(SamplingFailure(sources: sources, diagnostics: diagnostics))
    }
    let catalog = UnitCatalog(files: result.loadedFiles)
    var overrides: [ParamOverride] = []
    var problems: [Diagnostic] = []
    for text in request.params {
      switch ParamArgument.parse(text, units: catalog, sources: &sources) {
      case .success(let o): overrides.append(o)
      case .failure(let e): problems.append(e.diagnostic)
      }
    }
    guard problems.isEmpty else { return .failure(SamplingFailure(sources: sources, diagnostics: problems)) }
    var options = SamplerOptions(seed: request.seed, maxAttempts: request.maxAttempts, overrides: overrides,
                                 coverTargets: request.coverTargets, units: catalog.names)
    // `visible`/`occlusion` answered by the renderer's ray caster, as in `scn generate`,
    // so a scene `sample` accepts is one `generate` accepts.
    options.visibility = RayCastVisibility()
    do throws(RuntimeError) {
      let sampler = try Sampler(program: program, options: options)
      return .success(SamplingSession(sources: sources, warnings: result.diagnostics, program: program, sampler: sampler))
    } catch {
      return .failure(SamplingFailure(sources: sources, diagnostics: [error.diagnostic]))
    }
  }
}

/// The units the loaded StdLib and user files declare, rebuilt from their syntax the way
/// the checker does (base units first, then derived ones until no progress), for reading
/// `--param light=300lx`.
struct UnitCatalog {
  private(set) var table = UnitTable()
  private(set) var baseUnits: [String: String] = [:]

  init(files: [LoadedSource]) {
    var pending: [(String, String, String)] = []
    for f in files {
      var sm = SourceManager()
      let id = sm.add(path: f.path, bytes: f.bytes)
      guard let file = sm[id] else { continue }
      for decl in Parser.parse(file: file).ast.declarations {
        guard case .unit(let name, let def) = decl.kind else { continue }
        switch def {
        case .base(let dimension):
          table.declare(ScnUnits.UnitDefinition(name: name.name, dimension: Dimension(base: dimension.name), factor: .one))
          if baseUnits[dimension.name] == nil { baseUnits[dimension.name] = name.name }
        case .derived(let e):
          if case .quantity(let number, let suffix) = e.kind { pending.append((name.name, number, suffix.text)) }
        }
      }
    }
    var progress = true
    while progress, !pending.isEmpty {
      progress = false
      pending = pending.filter { (name, number, suffix) in
        guard case .success(let r) = table.resolve(suffix) else { return true }
        if let f = r.factor, let v = Rational(decimal: number), let exact = v.multiplied(by: f) {
          table.declare(ScnUnits.UnitDefinition(name: name, dimension: r.dimension, factor: exact))
        } else if let value = r.baseValue(ofDecimal: number) {
          table.declare(ScnUnits.UnitDefinition(name: name, dimension: r.dimension, inexactFactor: value))
        } else {
          return true
        }
        progress = true
        return false
      }
    }
  }

  var names: UnitNames { baseUnits.isEmpty ? .prelude : UnitNames(baseUnits: baseUnits) }
}

/// `--param name=value`: the value is read with the language's own lexer and parser, so
/// `300lx`, `30km/h`, `-2m`, `5`, `true`, `rain` and `"text"` mean what they mean in a file.
struct ParamArgumentError: Error {
  let diagnostic: Diagnostic
}

enum ParamArgument {
  private static func fail(_ d: Diagnostic) -> Result<ParamOverride, ParamArgumentError> {
    .failure(ParamArgumentError(diagnostic: d))
  }

  static func parse(_ text: String, units: UnitCatalog, sources: inout SourceManager) -> Result<ParamOverride, ParamArgumentError> {
    let id = sources.add(path: "--param", text: text)
    let whole = SourceRange(file: id, start: 0, end: text.utf8.count)
    let code = DiagnosticCode(RuntimeErrorCode.badParamOverride.rawValue)
    guard let eq = text.firstIndex(of: "=") else {
      return fail(.error(code, "--param expects name=value, got '\(text)'", at: whole))
    }
    let name = String(text[..<eq]).trimmingSpaces
    let valueText = String(text[text.index(after: eq)...])
    let valueStart = text.utf8.distance(from: text.utf8.startIndex, to: eq.samePosition(in: text.utf8) ?? text.utf8.startIndex) + 1
    let valueRange = SourceRange(file: id, start: valueStart, end: text.utf8.count)
    guard !name.isEmpty else { return fail(.error(code, "--param expects name=value, got '\(text)'", at: whole)) }
    var exprSources = SourceManager()
    let exprID = exprSources.add(path: "--param", text: valueText)
    guard let file = exprSources[exprID] else { return fail(.error(code, "cannot read '\(valueText)'", at: valueRange)) }
    let (expr, diagnostics) = Parser.parseExpression(file: file)
    func outOfRange(_ literal: String) -> Diagnostic {
      .error(code, "--param \(name): number '\(literal)' is out of range (its value in base units is not finite)", at: valueRange)
    }
    let notAValue = Diagnostic.error(code, "--param \(name): '\(valueText.trimmingSpaces)' is not a number with an optional unit, true, false, an enum case or a string", at: valueRange)
    guard !diagnostics.hasErrors else { return fail(notAValue) }
    var negate = false
    var e = expr
    if case .unary(.negate, let inner) = e.kind {
      negate = true
      e = inner
    }
    let sign = negate ? -1.0 : 1.0
    switch e.kind {
    case .integer(let digits):
      guard let v = Double(digits.replacingOccurrences(of: "_", with: "")) else { return fail(notAValue) }
      return .success(ParamOverride(name: name, literal: .number(sign * v, .dimensionless, isInteger: true), text: text))
    case .float(let digits):
      guard let v = Double(digits.replacingOccurrences(of: "_", with: "")) else { return fail(notAValue) }
      guard v.isFinite else { return fail(outOfRange(digits)) }
      return .success(ParamOverride(name: name, literal: .number(sign * v, .dimensionless, isInteger: false), text: text))
    case .quantity(let number, let suffix):
      switch units.table.resolve(suffix.text) {
      case .success(let unit):
        guard let v = unit.baseValue(ofDecimal: number) else { return fail(notAValue) }
        // The same rule as the literal in source (E0247): no value the runtime cannot hold.
        guard v.isFinite else { return fail(outOfRange(number + suffix.text)) }
        return .success(ParamOverride(name: name, literal: .number(sign * v, unit.dimension, isInteger: false), text: text))
      case .failure:
        let suggestion = units.table.suggestion(for: suffix.text).map { [Note("did you mean '\($0)'?")] } ?? []
        return fail(.error(code, "--param \(name): unknown unit '\(suffix.text)'", at: valueRange, notes: suggestion))
      }
    case .bool(let b) where !negate:
      return .success(ParamOverride(name: name, literal: .word(b ? "true" : "false"), text: text))
    case .name(let id) where !negate:
      return .success(ParamOverride(name: name, literal: .word(id.name), text: text))
    case .string(let s) where !negate:
      return .success(ParamOverride(name: name, literal: .string(s), text: text))
    default:
      return fail(notAValue)
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}

/// Where the StdLib is: `SCN_STDLIB`, else a `StdLib/` with a `prelude.scn` in the
/// executable's folder or any folder above it (the package checkout it was built in),
/// else `StdLib/` in the current directory.
public enum StdLibLocator {
  public static func locate(environment: [String: String], executablePath: String, currentDirectory: String,
                            exists: (String) -> Bool) -> String
  {
    if let explicit = environment["SCN_STDLIB"], !explicit.isEmpty { return explicit }
    var dir = executablePath
    while let slash = dir.lastIndex(of: "/") {
      dir = String(dir[..<slash])
      let candidate = (dir.isEmpty ? "" : dir) + "/StdLib"
      if exists(candidate + "/prelude.scn") { return candidate }
      if dir.isEmpty { break }
    }
    return currentDirectory.hasSuffix("/") ? currentDirectory + "StdLib" : currentDirectory + "/StdLib"
  }
}
