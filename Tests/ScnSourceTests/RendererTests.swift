import Foundation
import Testing
@testable import ScnSource

@Suite struct RendererTests {
  let sources: SourceManager
  let file: FileID

  init() {
    var sm = SourceManager()
    file = sm.add(path: "Examples/aisle.scn", text: """
      scenario A {
          let reach = forklift.length + 2s
          let x = (a
      }
      """)
    sources = sm
  }

  /// Offset of the first occurrence of `needle` in the file.
  func at(_ needle: String, length: Int? = nil) -> SourceRange {
    let text = String(decoding: sources[file]!.bytes, as: UTF8.self)
    let start = text.utf8.count - text[text.range(of: needle)!.lowerBound...].utf8.count
    return SourceRange(file: file, start: start, end: start + (length ?? needle.utf8.count))
  }

  var unitMismatch: Diagnostic {
    .error(
      DiagnosticCode("E0203"), "cannot add 'Length' and 'Time'", at: at("+"),
      highlights: [at("forklift.length"), at("2s")],
      notes: [Note("'forklift.length' is Length (m); '2s' is Time (s)")])
  }

  /// A megabyte-long line is shown as a window around the caret, with "…" where it is cut.
  @Test func longLineIsClippedAroundTheCaret() throws {
    var sm = SourceManager()
    let line = String(repeating: "1 + ", count: 250_000) + "x"
    let id = sm.add(path: "long.scn", text: "let y = " + line + "\n")
    let bytes = try #require(sm[id]).bytes
    let start = bytes.count - 2
    let d = Diagnostic.error(DiagnosticCode("E0200"), "unknown name 'x'", at: SourceRange(file: id, start: start, end: start + 1))
    let text = DiagnosticRenderer().render(d, sources: sm)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(text.utf8.count < 1_000)
    #expect(lines[0] == "long.scn:1:1000009: error[E0200]: unknown name 'x'")
    let shown = String(lines[2])
    #expect(shown.hasPrefix("1 | …") && shown.hasSuffix(" + x"))
    // The caret sits under the `x`.
    let caret = String(lines[3])
    #expect(caret.count == shown.count && caret.hasSuffix("^"))
  }

  @Test func textShowsSourceLineCaretsAndNotes() {
    let text = DiagnosticRenderer().render(unitMismatch, sources: sources)
    #expect(text == """
      Examples/aisle.scn:2:33: error[E0203]: cannot add 'Length' and 'Time'
        |
      2 |     let reach = forklift.length + 2s
        |                 ~~~~~~~~~~~~~~~ ^ ~~
        = note: 'forklift.length' is Length (m); '2s' is Time (s)

      """)
  }

  @Test func remoteNotesGetTheirOwnSnippetAndFixItsShowTheResult() {
    let d = Diagnostic.error(
      DiagnosticCode("E0101"), "expected ')' to close '('", at: .point(file, at("\n}").start),
      notes: [Note("'(' opened here", at: at("(a", length: 1))],
      fixIts: [.insert(")", at: at("\n}").start, in: file, "insert ')'")])
    let text = DiagnosticRenderer().render(d, sources: sources)
    #expect(text == """
      Examples/aisle.scn:3:15: error[E0101]: expected ')' to close '('
        |
      3 |     let x = (a
        |             - ^
        = note: '(' opened here
        = fix-it: insert ')'
        |
      3 |     let x = (a)

      """)
  }

  @Test func colourOnlyWhenAsked() {
    #expect(!DiagnosticRenderer(useColor: false).render(unitMismatch, sources: sources).contains("\u{1B}"))
    #expect(DiagnosticRenderer(useColor: true).render(unitMismatch, sources: sources).contains("\u{1B}[1;31m"))
  }

  @Test func summaryCountsErrorsAndWarnings() {
    let w = Diagnostic.warning(DiagnosticCode("W0301"), "always true", at: at("reach"))
    #expect(DiagnosticRenderer.summaryLine([unitMismatch, w, w]) == "1 error, 2 warnings")
    #expect(DiagnosticRenderer.summaryLine([]) == nil)
  }

  @Test func jsonIsValidAndCarriesPositions() throws {
    let json = MachineDiagnosticRenderer(toolVersion: "0.1.0").json([unitMismatch], sources: sources)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let diags = try #require(obj["diagnostics"] as? [[String: Any]])
    #expect(diags.count == 1)
    #expect(diags[0]["code"] as? String == "E0203")
    let range = try #require(diags[0]["range"] as? [String: Any])
    let start = try #require(range["start"] as? [String: Any])
    #expect(start["line"] as? Int == 2 && start["column"] as? Int == 33)
    #expect(obj["errors"] as? Int == 1)
  }

  @Test func sarifHasRequiredShape() throws {
    let d = Diagnostic.error(
      DiagnosticCode("E0101"), "expected ')'", at: at("(a", length: 1),
      fixIts: [.insert(")", at: at("\n}").start, in: file, "insert ')'")])
    let s = MachineDiagnosticRenderer(toolVersion: "0.1.0").sarif([d], sources: sources)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any])
    #expect(obj["version"] as? String == "2.1.0")
    #expect(obj["$schema"] as? String != nil)
    let run = try #require((obj["runs"] as? [[String: Any]])?.first)
    let result = try #require((run["results"] as? [[String: Any]])?.first)
    #expect(result["ruleId"] as? String == "E0101")
    #expect(result["level"] as? String == "error")
    let loc = try #require((result["locations"] as? [[String: Any]])?.first)
    let phys = try #require(loc["physicalLocation"] as? [String: Any])
    #expect((phys["artifactLocation"] as? [String: Any])?["uri"] as? String == "Examples/aisle.scn")
    #expect((phys["region"] as? [String: Any])?["startLine"] as? Int == 3)
    #expect((result["fixes"] as? [[String: Any]])?.count == 1)
  }

  @Test func githubAnnotationsEscapeDataAndProperties() {
    var sm = SourceManager()
    let f = sm.add(path: "dir,with:odd.scn", text: "x\n")
    let d = Diagnostic.warning(
      DiagnosticCode("W0001"), "50% sure\nsecond line", at: SourceRange(file: f, start: 0, end: 1))
    let line = MachineDiagnosticRenderer(toolVersion: "0").github([d], sources: sm)
    #expect(line == "::warning file=dir%2Cwith%3Aodd.scn,line=1,col=1,endLine=1,endColumn=2,title=W0001::50%25 sure%0Asecond line\n")
  }
}

@Suite struct RendererRobustnessTests {
  /// Found by the fuzzer: invalid UTF-8 decodes to U+FFFD (3 bytes), so byte and text
  /// lengths of a line differ; rendering must work from raw byte bounds.
  @Test func invalidUTF8LinesRenderWithoutTrapping() {
    var sm = SourceManager()
    let f = sm.add(path: "bad.scn", bytes: [0x46, 0x63, 0xA5, 0x23, 0x0A, 0xFF, 0xFE, 0x78])
    let d = Diagnostic.error(
      DiagnosticCode("E0002"), "invalid UTF-8", at: SourceRange(file: f, start: 2, end: 3),
      notes: [Note("here too", at: SourceRange(file: f, start: 5, end: 7))],
      fixIts: [.replace(SourceRange(file: f, start: 2, end: 4), with: "", "remove the bytes")])
    let text = DiagnosticRenderer().render(d, sources: sm)
    #expect(text.contains("bad.scn:1:3: error[E0002]"))
    #expect(text.contains("  |   ^"))
    // Ranges past the end of the file clamp instead of trapping.
    let past = Diagnostic.error(DiagnosticCode("E0001"), "x", at: SourceRange(file: f, start: 100, end: 200),
      fixIts: [.insert(")", at: 100, in: f, "insert")])
    #expect(DiagnosticRenderer().render(past, sources: sm).contains("error[E0001]"))
  }

  /// A source line holding terminal escape sequences (colour, clear screen, a title change)
  /// or a bidirectional override is echoed with visible stand-ins, not interpreted by the
  /// terminal; carets stay under the right column.
  @Test func terminalEscapesInSourceLinesAreNeutralised() {
    var sm = SourceManager()
    let id = sm.add(path: "evil.scn", text: "let s = \"\u{1B}[2J\u{1B}]0;owned\u{07}\u{202E}x\" + 1m\n")
    let text = String(decoding: sm[id]!.bytes, as: UTF8.self)
    let plus = text.utf8.count - text[text.range(of: "+")!.lowerBound...].utf8.count
    let d = Diagnostic.error(
      DiagnosticCode("E0203"), "cannot add 'String' and \u{1B}[31m'Length'", at: SourceRange(file: id, start: plus, end: plus + 1))
    let rendered = DiagnosticRenderer().render(d, sources: sm)
    #expect(!rendered.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
    #expect(rendered == """
      evil.scn:1:28: error[E0203]: cannot add 'String' and \u{241B}[31m'Length'
        |
      1 | let s = "\u{241B}[2J\u{241B}]0;owned\u{2407}\u{FFFD}x" + 1m
        |                            ^

      """)
  }
}
