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
  /// Every file read, main file first after the prelude, in load order.
  public let loadedFiles: [LoadedSource]
  /// The checked program, for tools that want types (REPL `:type`, cards).
  public let checked: CheckedProgram?

  public var hasErrors: Bool { diagnostics.hasErrors }
}

/// The compiler's façade: lex, parse, check and lower.
public enum Compilation {
  /// Compiles `mainFile` with the StdLib at `stdlibRoot`. `scenario` names the entry; by
  /// default the last scenario of the main file. Reading is injected (`readFile`), so this
  /// touches no disk itself.
  public static func compile(mainFile path: String, readFile: @escaping (String) throws -> [UInt8],
                             stdlibRoot: String, scenario: String? = nil) -> CompilationResult
  {
    let sema = SemanticAnalysis.analyze(mainFile: path, readFile: readFile, stdlibRoot: stdlibRoot)
    var diagnostics = sema.diagnostics
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
        diagnostics.append(.error(DiagnosticCode("E0253"), "no scenario named '\(scenario)' in this file",
                                  at: .point(file, 0),
                                  notes: nearest(scenario, in: names).map { [Note("did you mean '\($0)'?")] } ?? []))
      }
      if !diagnostics.hasErrors, let entry, names.contains(entry) {
        program = Lowering.lower(checked, entry: entry)
      }
    }
    let loaded = sema.files.compactMap { f -> LoadedSource? in
      sema.sources[f.id].map { LoadedSource(path: f.displayPath, isStdLib: f.isStdLib, bytes: $0.bytes) }
    }
    return CompilationResult(
      sources: sema.sources, diagnostics: diagnostics.sortedBySource(), program: program, scenarioNames: names,
      missingDatasetAnnotations: missing, loadedFiles: loaded, checked: sema.program)
  }

  /// `scn check` over many files: each compiled as its own main file, every scenario checked.
  public static func checkOnly(files: [String], readFile: @escaping (String) throws -> [UInt8], stdlibRoot: String)
    -> [(path: String, result: CompilationResult)]
  {
    files.map { ($0, compile(mainFile: $0, readFile: readFile, stdlibRoot: stdlibRoot)) }
  }
}
