import ScnSource
import Testing

@testable import ScnSyntax

/// A parsed snippet with everything a test may want to look at.
struct Parsed {
  let file: SourceFile
  let ast: SourceFileSyntax
  let diagnostics: [Diagnostic]

  var dump: String { ASTDump.dump(ast) }
  var codes: [String] { diagnostics.map(\.code.rawValue) }

  /// Diagnostics rendered the way `scn check` prints them, without colour.
  var rendered: String {
    var sources = SourceManager()
    sources.add(path: file.path, bytes: file.bytes)
    return DiagnosticRenderer(useColor: false).render(diagnostics, sources: sources)
  }
}

func parse(_ text: String, path: String = "test.scn") -> Parsed {
  parse(bytes: Array(text.utf8), path: path)
}

func parse(bytes: [UInt8], path: String = "test.scn") -> Parsed {
  let file = SourceFile(id: FileID(0), path: path, bytes: bytes)
  let (ast, diagnostics) = Parser.parse(file: file)
  return Parsed(file: file, ast: ast, diagnostics: diagnostics)
}

/// The dump of one expression, or of its diagnostics' codes when it has errors.
func expr(_ text: String) -> String {
  let file = SourceFile(id: FileID(0), path: "expr.scn", text: text)
  let (e, diagnostics) = Parser.parseExpression(file: file)
  if !diagnostics.isEmpty { return "errors: " + diagnostics.map(\.code.rawValue).joined(separator: " ") }
  return ASTDump.dump(e)
}

/// Wraps statements in a scenario and returns the dump of the body's statements.
func scenarioBody(_ body: String) -> Parsed {
  parse("scenario S {\n\(body)\n}\n")
}

func tokens(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic], file: SourceFile) {
  let file = SourceFile(id: FileID(0), path: "t.scn", text: text)
  let (tokens, diagnostics) = Lexer.tokenize(file)
  return (tokens, diagnostics, file)
}
