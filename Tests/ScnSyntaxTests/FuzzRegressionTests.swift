import Foundation
import ScnSource
import Testing
@testable import ScnSyntax

/// Inputs the fuzzer (Fuzz/run.sh) found to crash or hang the front end. Each must now
/// produce diagnostics promptly. Their bytes also seed Fuzz/Corpus/parse.
@Suite struct FuzzRegressionTests {
  static let inputs: [(name: String, bytes: [UInt8])] = [
    // Hung: a record body whose next token was a stray `)` on a new line made no progress.
    ("stray closer in record body", Array("scenario {S{\n)".utf8)),
    ("stray closer in choice", Array("const c = choice {\n)".utf8)),
    ("full hang input", Array("scenario S {\nletm)\nS {\n  ) let x *Unsafe\0\n".utf8)),
    // Crashed the renderer (invalid UTF-8 made a line's byte and text lengths differ).
    ("invalid UTF-8 after a name", [0x46, 0x63, 0xA5, 0x23]),
  ]

  @Test(arguments: inputs.indices)
  func terminatesWithDiagnostics(index: Int) {
    let input = Self.inputs[index]
    let started = Date()
    var sources = SourceManager()
    let id = sources.add(path: "fuzz.scn", bytes: input.bytes)
    let result = Parser.parse(file: sources[id]!)
    #expect(result.diagnostics.hasErrors, "\(input.name)")
    _ = DiagnosticRenderer().render(result.diagnostics, sources: sources)
    #expect(Date().timeIntervalSince(started) < 5, "\(input.name) took too long")
  }
}
