import ScnSource
import ScnSyntax

/// The result of checking one main file.
public struct SemaResult: Sendable {
  /// Every loaded file (prelude, main file, imports), for rendering diagnostics.
  public let sources: SourceManager
  public let files: [LoadedFile]
  /// Lexical, syntax and semantic diagnostics, deduplicated and in source order.
  public let diagnostics: [Diagnostic]
  /// The checked program; nil only when the main file could not be read.
  public let program: CheckedProgram?
  /// Index into `files` of the main file.
  public let mainFile: Int?
}

/// Entry point of the checker: loads the main file, the prelude and every import through
/// the injected `readFile`, then checks the whole program.
public enum SemanticAnalysis {
  public static func analyze(mainFile path: String, readFile: @escaping (String) throws -> [UInt8],
                             stdlibRoot: String) -> SemaResult
  {
    var loader = ModuleLoader(readFile: readFile, stdlibRoot: stdlibRoot)
    let main = loader.loadProgram(mainFile: path)
    var diagnostics = loader.diagnostics
    var program: CheckedProgram?
    if let main {
      let checker = Checker(files: loader.files, sources: loader.sources, mainFile: main)
      program = checker.run()
      diagnostics += checker.diagnostics
    }
    var seen: Set<Diagnostic> = []
    let unique = diagnostics.filter { seen.insert($0).inserted }
    return SemaResult(sources: loader.sources, files: loader.files, diagnostics: unique.sortedBySource(),
                      program: program, mainFile: main)
  }
}
