import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Every example in `Grammar/scn.ebnf` (comment lines starting `example:`, `example-stmt:`,
/// `example-behavior:` or `example-expr:`) parses without diagnostics, so the reference
/// grammar and the parser cannot drift apart unnoticed.
@Suite struct GrammarExampleTests {
  struct Example: CustomTestStringConvertible, Sendable {
    let line: Int
    let kind: String
    let text: String
    var testDescription: String { "line \(line): \(text)" }
  }

  static func examples() -> [Example] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Grammar/scn.ebnf")
    guard let grammar = try? String(contentsOf: url, encoding: .utf8) else { return [] }
    var result: [Example] = []
    for (index, raw) in grammar.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      guard line.hasPrefix("/* example"), line.hasSuffix("*/"), let colon = line.firstIndex(of: ":") else {
        continue
      }
      let kind = String(line[line.index(line.startIndex, offsetBy: 3)..<colon])
      let text = line[line.index(after: colon)..<line.index(line.endIndex, offsetBy: -2)]
        .trimmingCharacters(in: .whitespaces)
      result.append(Example(line: index + 1, kind: kind, text: text))
    }
    return result
  }

  @Test func theGrammarHasExamplesForEveryPart() {
    let all = Self.examples()
    #expect(all.count >= 60)
    #expect(Set(all.map(\.kind)) == ["example", "example-stmt", "example-behavior", "example-expr"])
  }

  @Test(arguments: examples())
  func exampleParses(_ example: Example) {
    switch example.kind {
    case "example-expr":
      let result = expr(example.text)
      #expect(!result.hasPrefix("errors:"), "\(result)")
    case "example-stmt":
      let p = parse("scenario S {\n\(example.text)\n}\n")
      #expect(p.diagnostics.isEmpty, "\(p.rendered)")
      #expect(!p.dump.contains("<error>") && !p.dump.contains("<missing>"))
    case "example-behavior":
      let p = parse("behavior B {\n\(example.text)\n}\n")
      #expect(p.diagnostics.isEmpty, "\(p.rendered)")
    case "example":
      let p = parse(example.text)
      #expect(p.diagnostics.isEmpty, "\(p.rendered)")
      #expect(!p.ast.declarations.isEmpty)
    default:
      Issue.record("unknown example kind '\(example.kind)'")
    }
  }
}
