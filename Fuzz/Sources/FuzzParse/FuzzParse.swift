import ScnFormat
import ScnSource
import ScnSyntax

/// Lexes, parses and formats arbitrary bytes. Crashes, traps, sanitizer reports and
/// timeouts are the failures; so are these properties:
/// - every diagnostic range lies inside the file;
/// - a file that formats re-formats to itself and keeps its parse.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzParse(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let file = SourceFile(id: FileID(0), path: "fuzz.scn", bytes: bytes)
  let (ast, diagnostics) = Parser.parse(file: file)
  for d in diagnostics where d.range.start < 0 || d.range.end > bytes.count {
    fatalError("diagnostic range \(d.range) outside a \(bytes.count)-byte file: \(d.message)")
  }
  _ = DiagnosticRenderer().render(diagnostics, sources: { var s = SourceManager(); s.add(path: "fuzz.scn", bytes: bytes); return s }())
  if let formatted = Formatter.format(file).text {
    let again = SourceFile(id: FileID(0), path: "fuzz.scn", text: formatted)
    guard let twice = Formatter.format(again).text else { fatalError("formatted output does not parse:\n\(formatted)") }
    if twice != formatted { fatalError("formatter not idempotent:\n\(formatted)\n---\n\(twice)") }
    if ASTDump.dump(Parser.parse(file: again).ast) != ASTDump.dump(ast) { fatalError("formatting changed the parse:\n\(formatted)") }
  }
  return 0
}
