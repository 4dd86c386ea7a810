import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Hostile inputs: each gives diagnostics with a location (or none, for the empty file),
/// never a crash or a hang. Time bounds are generous for a debug build on a busy machine.
@Suite struct BadInputTests {
  func timed(_ limit: Double, _ body: () -> Void) {
    let start = Date()
    body()
    let elapsed = Date().timeIntervalSince(start)
    #expect(elapsed < limit, "took \(elapsed)s")
  }

  func expectLocated(_ p: Parsed) {
    for d in p.diagnostics {
      #expect(d.range.start >= 0 && d.range.end <= p.file.bytes.count)
    }
  }

  @Test func emptyAndWhitespaceFiles() {
    for text in ["", "\n\n", "   ", "// only a comment", "/// doc at end", ";;;"] {
      let p = parse(text)
      #expect(p.diagnostics.isEmpty, "\(text)")
      #expect(p.ast.declarations.isEmpty)
    }
  }

  @Test func binaryGarbage() {
    // A fixed pseudo-random byte soup (LCG) so the test is deterministic.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var bytes: [UInt8] = []
    for _ in 0..<200_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes.append(UInt8(truncatingIfNeeded: state >> 56))
    }
    timed(20) {
      let p = parse(bytes: bytes)
      #expect(!p.diagnostics.isEmpty)
      #expect(p.diagnostics.count <= Lexer.diagnosticLimit + Parser.diagnosticLimit + 2)
      expectLocated(p)
    }
  }

  @Test func invalidUTF8Everywhere() {
    let bytes: [UInt8] = [0xC0, 0xAF] + Array("const a = ".utf8) + [0xED, 0xA0, 0x80] + Array(" // ".utf8)
      + [0xF8] + Array("\n\"".utf8) + [0xFF] + Array("\"".utf8)
    let p = parse(bytes: bytes)
    #expect(p.codes.filter { $0 == "E0002" }.count == 4)
    expectLocated(p)
  }

  @Test func tenMegabytesOfOneName() {
    let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000)
    timed(30) {
      let p = parse(bytes: bytes)
      #expect(p.codes == ["E0104"])
      #expect(p.diagnostics[0].range.start == 0)
    }
  }

  @Test func tenMegabytesOfOpenParens() {
    let bytes = Array("const x = ".utf8) + [UInt8](repeating: UInt8(ascii: "("), count: 10_000_000)
    timed(60) {
      let p = parse(bytes: bytes)
      #expect(p.codes == ["E0110"])
    }
  }

  @Test func hundredThousandNestedParens() {
    timed(20) {
      let p = parse("const x = " + String(repeating: "(", count: 100_000) + String(repeating: ")", count: 100_000))
      #expect(p.codes == ["E0110"])
    }
  }

  @Test func oneMegabyteString() {
    let body = String(repeating: "abcdefgh", count: 131_072)
    timed(20) {
      let p = parse("const s = \"\(body)\"\n")
      #expect(p.diagnostics.isEmpty)
      guard case .const(_, _, let value)? = p.ast.declarations.first?.kind, case .string(let s) = value.kind else {
        Issue.record("not a string constant")
        return
      }
      #expect(s.utf8.count == 1_048_576)
      let unterminated = parse("const s = \"\(body)")
      #expect(unterminated.codes == ["E0003"])
    }
  }

  @Test func unterminatedBlockCommentAtEndOfFile() {
    let p = parse("scenario S {\n  let a = 1\n}\n/* trailing /* nested */")
    #expect(p.codes == ["E0006"])
    #expect(p.file.location(of: p.diagnostics[0].range.start).line == 4)
  }

  @Test func tooManyErrorsAreCapped() {
    let lexical = parse(String(repeating: "$ ", count: 500))
    #expect(lexical.codes.count == Lexer.diagnosticLimit + 1)
    #expect(lexical.codes.last == "E0099")
    let syntax = parse(String(repeating: "foo\n", count: 1_000))
    #expect(syntax.codes.count == Parser.diagnosticLimit + 1)
    #expect(syntax.codes.last == "E0199")
  }

  @Test func manyUnclosedCallsStayLinear() {
    let source = "scenario S {\n" + String(repeating: "    let x = f(a b c d e\n", count: 20_000) + "}\n"
    timed(20) {
      let p = parse(source)
      #expect(!p.diagnostics.isEmpty)
    }
  }
}
