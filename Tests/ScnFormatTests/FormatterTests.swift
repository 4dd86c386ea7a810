import Foundation
import ScnFormat
import ScnSource
import ScnSyntax
import Testing

private func format(_ text: String) -> String? {
  Formatter.format(SourceFile(id: FileID(0), path: "t.scn", text: text)).text
}

private func ast(_ text: String) -> String {
  ASTDump.dump(Parser.parse(file: SourceFile(id: FileID(0), path: "t.scn", text: text)).ast)
}

/// Every `.scn` file the repository ships: Examples, StdLib and the syntax golden inputs
/// that parse cleanly. The formatter must be idempotent on all of them and keep their parse.
private func repositoryScenarioFiles() -> [URL] {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  var out: [URL] = []
  for dir in ["Examples", "StdLib", "Tests/ScnSyntaxTests/Goldens/Inputs", "Tests/ScnSemaTests/Goldens/Inputs", "Grammar"] {
    guard let e = FileManager.default.enumerator(at: root.appendingPathComponent(dir), includingPropertiesForKeys: nil) else { continue }
    for case let url as URL in e where url.pathExtension == "scn" { out.append(url) }
  }
  return out.sorted { $0.path < $1.path }
}

@Suite struct FormatterTests {
  @Test func canonicalSpacingAndIndentation() {
    let input = """
      scenario  S{
      param w:Length=uniform( 2.5m,4m )
        let xs=[ Box at (i*1m , -w/2, 0m) for i in 0..< 3 ]
          require[0.9] all b in xs : distance(b,ego)>1m
      }
      """
    #expect(format(input) == """
      scenario S {
          param w: Length = uniform(2.5m, 4m)
          let xs = [Box at (i * 1m, -w / 2, 0m) for i in 0..<3]
          require[0.9] all b in xs: distance(b, ego) > 1m
      }

      """)
  }

  @Test func commentsAreKeptWhereTheyWere() {
    let input = """
      // header comment

      /// Docs for S.
      scenario S {   // trailing on the brace
          /* block */ let x = 1m  // trailing
          // own line, before the closing brace
      }
      // end of file
      """
    #expect(format(input) == """
      // header comment

      /// Docs for S.
      scenario S { // trailing on the brace
          /* block */ let x = 1m // trailing
          // own line, before the closing brace
      }
      // end of file

      """)
  }

  @Test func blankLinesCollapseAndNeverHugBraces() {
    let input = "scenario S {\n\n\n    let a = 1\n\n\n\n    let b = 2\n\n}\n\n\n"
    #expect(format(input) == "scenario S {\n    let a = 1\n\n    let b = 2\n}\n")
  }

  @Test func continuationLinesIndentOneLevel() {
    let input = """
      scenario S {
      ego car = Car at (0m, 0m, 0m)
      facing 0deg
      let d = 1m +
      2m
      let c = Camera { mount: car,
      fov: 90deg }
      }
      """
    #expect(format(input) == """
      scenario S {
          ego car = Car at (0m, 0m, 0m)
              facing 0deg
          let d = 1m +
              2m
          let c = Camera { mount: car,
              fov: 90deg }
      }

      """)
  }

  @Test func conditionalBranchesOnTheirOwnLinesIndentAndKeepTheParse() {
    let input = """
      scenario S {
      let k = if flag
      then (1m, 0m, 0m)
      else beyond(2m)
      let d = distance from(0m, 0m, 0m) to(1m, 1m, 0m)
      }
      """
    let output = """
      scenario S {
          let k = if flag
              then (1m, 0m, 0m)
              else beyond (2m)
          let d = distance from (0m, 0m, 0m) to (1m, 1m, 0m)
      }

      """
    #expect(format(input) == output)
    #expect(ast(output) == ast(input))
  }

  @Test func unaryMinusHugsAndBinaryMinusIsSpaced() {
    #expect(format("const A = -1m\nconst B = A -1m\nconst C = (-A)\n") == "const A = -1m\nconst B = A - 1m\nconst C = (-A)\n")
  }

  /// Found by Fuzz/FuzzParse: a doc comment line ending in spaces or a tab lost them to
  /// the formatter, and with them the documentation text the parse carries.
  @Test func trailingSpacesOfADocCommentAreNotItsText() throws {
    let input = "/// Twice the lane width  \nfn lane_gap() -> Length = 2 * 3.5m\n"
    let formatted = try #require(format(input))
    #expect(ast(formatted) == ast(input))
  }

  /// `left`, `right`, `ahead` and `behind` start a continued line only as specifiers
  /// (`left of X`, `behind X`); as enum cases on lines of their own they do not.
  @Test func specifierWordsAsEnumCasesStartTheirOwnLines() throws {
    let input = "enum Side {\n    left\n    right\n    ahead\n    behind\n}\n"
    #expect(format(input) == input)
    let placed = "scenario S {\n    ego a = Box at (0m, 0m, 0m)\n    let b = Box\n        left of a\n    let c = Box\n        behind a by 2m\n}\n"
    #expect(format(placed) == placed)
  }

  @Test func refusesToFormatAFileThatDoesNotParse() {
    let result = Formatter.format(SourceFile(id: FileID(0), path: "t.scn", text: "scenario S {\n let x = (1m +\n}\n"))
    #expect(result.text == nil)
    #expect(result.diagnostics.hasErrors)
  }

  @Test func examplesAndStdLibAreInCanonicalLayout() throws {
    let shipped = repositoryScenarioFiles().filter { $0.path.contains("/Examples/") || $0.path.contains("/StdLib/") }
    #expect(shipped.count >= 10)
    for url in shipped {
      let text = try String(contentsOf: url, encoding: .utf8)
      #expect(format(text) == text, "run 'scn fmt \(url.lastPathComponent)'")
    }
  }

  @Test func idempotentAndParsePreservingOnEveryShippedFile() throws {
    let files = repositoryScenarioFiles()
    #expect(!files.isEmpty)
    for url in files {
      let text = try String(contentsOf: url, encoding: .utf8)
      let parsed = Parser.parse(file: SourceFile(id: FileID(0), path: url.path, text: text))
      guard !parsed.diagnostics.hasErrors else { continue }  // malformed golden inputs
      let once = try #require(format(text), "\(url.lastPathComponent) did not format")
      #expect(format(once) == once, "not idempotent: \(url.lastPathComponent)")
      #expect(ast(once) == ast(text), "formatting changed the parse of \(url.lastPathComponent)")
    }
  }
}

@Suite struct FormatterLayoutTests {
  @Test func specifierLineAfterARecordBodyStillContinues() {
    let input = """
      scenario S {
      let car = Car { speed: 3m/s }
      ahead of ego by 5m facing 0deg
      }
      """
    #expect(format(input) == """
      scenario S {
          let car = Car { speed: 3m/s }
              ahead of ego by 5m facing 0deg
      }

      """)
  }

  @Test func actorBaseKeepsItsSpacedColon() {
    #expect(format("actor Car : Vehicle {\nwheelbase: Length = 2.7m\n}\n") == "actor Car : Vehicle {\n    wheelbase: Length = 2.7m\n}\n")
  }

  @Test func trailingCommentsOnConsecutiveLinesAlign() {
    let input = """
      scenario S {
          let a = 1m // short
          let longer_name = 22m   // long
          let b = 3m

          let c = 4m // alone
      }
      """
    let expected = """
      scenario S {
          let a = 1m            // short
          let longer_name = 22m // long
          let b = 3m

          let c = 4m // alone
      }

      """
    #expect(format(input) == expected)
    #expect(format(expected) == expected)
  }
}
