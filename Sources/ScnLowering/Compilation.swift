import ScnIR
import ScnSema
import ScnSource

/// A file the compilation read, for provenance: its display path (relative to the main
/// file's folder for user files, `std/…` or `prelude.scn` for StdLib files) and its bytes.
public struct LoadedSource: Sendable, Hashable {
  public let path: String
  public let isStdLib: Bool
  public let bytes: [UInt8]
}

/// Everything a driver needs after compiling one main file.
public struct CompilationResult: Sendable {
  public let sources: SourceManager
  /// Lexical, syntax and semantic diagnostics, in source order.
  public let diagnostics: [Diagnostic]
  /// The lowered program; nil when there are errors (or no scenario to run).
  public let program: ProgramIR?
  /// The main file's scenarios in source order.
  public let scenarioNames: [String]
  /// Per scenario of the main file, the required dataset annotations it lacks
  /// (`dataset`, `intended_use`, `out_of_scope`); `scn generate` treats any as an error.
  public let missingDatasetAnnotations: [String: [String]]
  /// Every file read, main file first after the prelude, in load order, then the real-data
  /// files `empirical(...)` read (their SHA-256 joins the manifest's sources).
  public let loadedFiles: [LoadedSource]
  /// Input files besides sources (maps), with their SHA-256, sorted by path: provenance for
  /// manifests and cards.
  public let inputFiles: [InputFileIR]
  /// The checked program, for tools that want types (REPL `:type`, cards).
  public let checked: CheckedProgram?

  public var hasErrors: Bool { diagnostics.hasErrors }
}

/// The compiler's façade: lex, parse, check and lower.
public enum Compilation {
  /// Compiles `mainFile` with the StdLib at `stdlibRoot`. `scenario` names the entry; by
  /// default the last scenario of the main file. Reading is injected (`readFile`), so this
  /// touches no disk itself.
  public static func compile(
    mainFile path: String, readFile: @escaping (String) throws -> [UInt8],
    stdlibRoot: String, scenario: String? = nil, readData: ((String) throws -> [UInt8])? = nil
  ) -> CompilationResult {
    let sema = SemanticAnalysis.analyze(mainFile: path, readFile: readFile, stdlibRoot: stdlibRoot, readData: readData)
    var diagnostics = sema.diagnostics
    for file in sema.program?.maps ?? [] { diagnostics += MapCheck.diagnostics(file) }
    let names = sema.program?.scenarios.filter(\.isInMainFile).map(\.name) ?? []
    var missing: [String: [String]] = [:]
    for s in sema.program?.scenarios ?? [] where s.isInMainFile && !s.missingDatasetAnnotations.isEmpty {
      missing[s.name] = s.missingDatasetAnnotations
    }
    var program: ProgramIR?
    if let checked = sema.program {
      let entry = scenario ?? names.last
      if let scenario, !names.contains(scenario), let main = sema.mainFile {
        let file = sema.files[main].id
        diagnostics.append(
          .error(
            DiagnosticCode("E0253"), "no scenario named '\(scenario)' in this file",
            at: .point(file, 0),
            notes: nearest(scenario, in: names).map { [Note("did you mean '\($0)'?")] } ?? []))
      }
      // Every error path of the checker reports; should one ever not, refuse to lower a
      // tree that still holds an error node rather than emit a wrong program.
      if !diagnostics.hasErrors,
        let range = checked.scenarios.flatMap(\.expressions)
          .lazy.compactMap(\.firstInvalidRange).first
      {
        diagnostics.append(
          .error(
            DiagnosticCode("E0299"), "internal error: an ill-typed expression reached lowering",
            at: range, notes: [Note("please report this with the input")]))
      }
      if let entry, let s = checked.scenarios.first(where: { $0.name == entry }), let read = s.parentEgoRead {
        diagnostics.append(
          .error(
            DiagnosticCode("E0296"),
            "scenario '\(entry)' has no ego of its own: it reads the ego of the scenario that runs it, so it cannot run alone",
            at: read,
            notes: [
              Note("'\(entry)' is the entry scenario here", at: s.nameRange),
              Note("run the scenario whose 'compose' runs it ('--scenario'), or give '\(entry)' an 'ego'"),
            ]))
      }
      if !diagnostics.hasErrors, let entry, names.contains(entry) {
        program = Lowering.lower(checked, entry: entry)
      }
    }
    let loaded =
      sema.files.compactMap { f -> LoadedSource? in
        sema.sources[f.id].map { LoadedSource(path: f.displayPath, isStdLib: f.isStdLib, bytes: $0.bytes) }
      } + sema.dataFiles.map { LoadedSource(path: $0.displayPath, isStdLib: false, bytes: $0.bytes) }
    let inputs = (sema.program?.maps ?? []).map { InputFileIR(path: $0.path, bytes: $0.bytes) }
    return CompilationResult(
      sources: sema.sources, diagnostics: diagnostics.sortedBySource(), program: program, scenarioNames: names,
      missingDatasetAnnotations: missing, loadedFiles: loaded, inputFiles: inputs, checked: sema.program)
  }

  /// `scn check` over many files: each compiled as its own main file, every scenario checked.
  public static func checkOnly(
    files: [String], readFile: @escaping (String) throws -> [UInt8], stdlibRoot: String
  )
    -> [(path: String, result: CompilationResult)]
  {
    files.map { ($0, compile(mainFile: $0, readFile: readFile, stdlibRoot: stdlibRoot)) }
  }
}

/// An expression checked and lowered in the context of a scenario (REPL `:type`, `:hist`).
public struct ExpressionResult: Sendable {
  public let sources: SourceManager
  /// Diagnostics of the expression itself (the program's are in `programDiagnostics`).
  public let diagnostics: [Diagnostic]
  public let programDiagnostics: [Diagnostic]
  public let scenario: String?
  /// The type as diagnostics spell it (`Length`, `[Car]`); nil after an error.
  public let type: String?
  /// Whether the value can differ between samples.
  public let isRandom: Bool
  /// The folded value in base units when the expression is constant.
  public let constant: IRValue?
  /// The expression lowered against the scenario's IR: `%i`/`$i` are the same slots as in
  /// `Compilation.compile(…, scenario:)`'s program. Nil when there are errors.
  public let ir: IRExpr?
}

extension Compilation {
  /// Checks `text` as an expression inside `scenario` (default: the main file's last one).
  /// With `asValueOfParam`, `text` is a `--param NAME=VALUE` override: it must fit that
  /// param's type (E0204), name an existing param (E0256) and read no definition (E0254);
  /// its `ir` (possibly random, e.g. `uniform(5lx, 50lx)`) replaces the param's value.
  public static func checkExpression(
    _ text: String, mainFile path: String,
    readFile: @escaping (String) throws -> [UInt8], stdlibRoot: String,
    scenario: String? = nil, asValueOfParam param: String? = nil, readData: ((String) throws -> [UInt8])? = nil
  ) -> ExpressionResult {
    let a = SemanticAnalysis.analyze(
      expression: text, mainFile: path, readFile: readFile, stdlibRoot: stdlibRoot,
      scenario: scenario, asValueOfParam: param, readData: readData)
    var ir: IRExpr?
    var constant: IRValue?
    if let e = a.expression, !a.diagnostics.hasErrors {
      if let checked = a.program.program?.scenarios.first(where: { $0.name == a.scenario }) {
        ir = Lowering.lowerExpression(e, in: checked)
      } else if a.scenario == nil {
        var l = ExpressionLowering(paramIndex: [:], definitionIndex: [:], owner: "<expression>", sites: SiteAllocator())
        ir = l.lower(e)
      }
      if !e.isRandom, let c = e.constant { constant = ValueLowering.value(c, e.type) }
    }
    return ExpressionResult(
      sources: a.program.sources, diagnostics: a.diagnostics, programDiagnostics: a.program.diagnostics,
      scenario: a.scenario, type: a.typeDescription, isRandom: a.expression?.isRandom ?? false, constant: constant,
      ir: ir)
  }
}
