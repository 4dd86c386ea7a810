import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Parses the code blocks of the language brief (`/work/shared/LANGUAGE.md`, or the file
/// named by `SCN_LANGUAGE_MD`). The brief is not part of the repository, so the test is
/// skipped when it is absent. Deliberately skipped blocks:
/// - rendered diagnostics (a block starting with a `path:line:col:` header), which are output,
///   not code;
/// - the part of the Behaviors block after `// inside a scenario:` is a scenario fragment and
///   is parsed wrapped in `scenario S { … }`.
@Suite struct LanguageBriefTests {
  static var briefURL: URL {
    URL(fileURLWithPath: ProcessInfo.processInfo.environment["SCN_LANGUAGE_MD"] ?? "/work/shared/LANGUAGE.md")
  }

  static func codeBlocks(_ text: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        if let c = current {
          blocks.append(c.joined(separator: "\n"))
          current = nil
        } else {
          current = []
        }
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: briefURL.path)))
  func everyCompleteCodeBlockParses() throws {
    let text = try String(contentsOf: Self.briefURL, encoding: .utf8)
    let blocks = Self.codeBlocks(text)
    #expect(blocks.count >= 3)
    var parsed = 0
    for block in blocks {
      if block.firstMatch(of: #/^\S+\.scn:\d+:\d+: /#) != nil { continue }
      var pieces = [block]
      if let marker = block.range(of: "// inside a scenario:") {
        pieces = [String(block[..<marker.lowerBound]), "scenario S {\n" + block[marker.upperBound...] + "\n}\n"]
      }
      for piece in pieces {
        let p = parse(piece, path: "LANGUAGE.md")
        #expect(p.diagnostics.isEmpty, "\(p.rendered)")
        parsed += 1
      }
    }
    #expect(parsed >= 3)
  }
}
