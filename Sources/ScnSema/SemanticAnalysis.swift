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
  /// Real-data files the program reads (`empirical(...)`), in first-use order.
  public var dataFiles: [DataFileRead] = []
}

/// Entry point of the checker: loads the main file, the prelude and every import through
/// the injected `readFile`, then checks the whole program.
public enum SemanticAnalysis {
  public static func analyze(
    mainFile path: String, readFile: @escaping (String) throws -> [UInt8],
    stdlibRoot: String, readData: ((String) throws -> [UInt8])? = nil
  ) -> SemaResult {
    var loader = ModuleLoader(readFile: readFile, stdlibRoot: stdlibRoot)
    let main = loader.loadProgram(mainFile: path)
    var diagnostics = loader.diagnostics
    var program: CheckedProgram?
    var dataFiles: [DataFileRead] = []
    if let main {
      let checker = Checker(files: loader.files, sources: loader.sources, mainFile: main, readFile: readData ?? readFile)
      checker.readData = readData ?? readFile
      program = checker.run()
      diagnostics += checker.diagnostics
      dataFiles = checker.dataFilesRead
    }
    var seen: Set<Diagnostic> = []
    let unique = diagnostics.filter { seen.insert($0).inserted }
    var result = SemaResult(
      sources: loader.sources, files: loader.files, diagnostics: unique.sortedBySource(),
      program: program, mainFile: main)
    result.dataFiles = dataFiles
    return result
  }
}

/// One expression checked in the context of a scenario of a program, for the REPL
/// (`:type`, `:hist`) and other tools.
public struct ExpressionAnalysis: Sendable {
  /// The program the expression was checked against (its diagnostics included).
  public let program: SemaResult
  /// The scenario whose members the expression could read; nil when the file has none.
  public let scenario: String?
  /// The checked expression; nil when it could not be parsed or the program not loaded.
  public let expression: TypedExpr?
  /// The expression's type as diagnostics spell it (`Length`, `[Car]`, `Speed`).
  public let typeDescription: String?
  /// Lexical, syntax and semantic diagnostics of the expression itself.
  public let diagnostics: [Diagnostic]
}

extension SemanticAnalysis {
  /// Checks `text` as an expression inside `scenario` (default: the main file's last one),
  /// seeing its params and definitions. The expression is its own file, `<expression>`.
  public static func analyze(
    expression text: String, mainFile path: String,
    readFile: @escaping (String) throws -> [UInt8], stdlibRoot: String,
    scenario: String?, asValueOfParam param: String? = nil, readData: ((String) throws -> [UInt8])? = nil
  ) -> ExpressionAnalysis {
    var loader = ModuleLoader(readFile: readFile, stdlibRoot: stdlibRoot)
    let main = loader.loadProgram(mainFile: path)
    let exprID = loader.sources.add(path: "<expression>", text: text)
    guard let main, let exprFile = loader.sources[exprID] else {
      let result = SemaResult(
        sources: loader.sources, files: loader.files, diagnostics: loader.diagnostics.sortedBySource(),
        program: nil, mainFile: main)
      return ExpressionAnalysis(program: result, scenario: nil, expression: nil, typeDescription: nil, diagnostics: [])
    }
    let (expr, parseDiagnostics) = Parser.parseExpression(file: exprFile)
    let checker = Checker(files: loader.files, sources: loader.sources, mainFile: main, readFile: readData ?? readFile)
    checker.readData = readData ?? readFile
    let program = checker.run()
    let programDiagnostics = loader.diagnostics + checker.diagnostics
    let scenarioDecls = loader.files[main].ast.declarations.compactMap { d -> GlobalSymbol? in
      guard let name = d.name?.name, let g = checker.globals[name], g.kind == .scenario, g.decl === d else {
        return nil
      }
      return g
    }
    let target =
      scenario.flatMap { name in scenarioDecls.first { $0.name == name } }
      ?? (scenario == nil ? scenarioDecls.last : nil)
    let context = target.map { checker.makeContext($0, statements: checker.scenarioStatements($0)) }
    let scope = Scope(file: main, scenario: context)
    let before = checker.diagnostics.count
    var expected: SemaType?
    if let param {
      // A `--param NAME=VALUE` override: the value must fit the param's type and, like a
      // param's own default, read only constants and other params.
      if let slot = context?.members[param], slot.kind == .param {
        context?.force(slot, checker: checker, at: nil)
        expected = slot.type
      } else {
        let names = context?.order.filter { $0.kind == .param }.map(\.name) ?? []
        checker.report(
          SemaDiagnostics.unknownParam(param, scenario: target?.name ?? "", at: .point(exprID, 0),
                                       suggestion: nearest(param, in: names)))
      }
    }
    var typed = checker.check(expr, expected: expected, scope)
    if let expected, checker.expectType(expected, typed, what: "param '\(param ?? "")'") {
      typed = checker.promoteForParameter(typed, expected)
      for case .definition(let n) in scope.reads {
        checker.report(SemaDiagnostics.paramReadsDefinition(param ?? "", definition: n, at: typed.range))
      }
    }
    let own = checker.diagnostics[before...].filter { $0.range.file == exprID }
    var seen: Set<Diagnostic> = []
    let result = SemaResult(
      sources: loader.sources, files: loader.files,
      diagnostics: programDiagnostics.filter { seen.insert($0).inserted }.sortedBySource(),
      program: program, mainFile: main)
    var ownSeen: Set<Diagnostic> = []
    return ExpressionAnalysis(
      program: result, scenario: target?.name, expression: typed,
      typeDescription: typed.type.isError ? nil : checker.describe(typed.type),
      diagnostics: (parseDiagnostics + own).filter { ownSeen.insert($0).inserted }.sortedBySource())
  }
}
