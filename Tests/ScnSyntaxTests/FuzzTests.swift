import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Random token soups (deterministic) must parse in bounded time with well-formed results:
/// catches recovery loops that fail to make progress and ranges that leave the file.
@Suite struct FuzzTests {
  static let vocabulary: [String] = {
    var words = TokenKind.allCases.map(\.spelling).filter { !$0.isEmpty }
    words += ContextualKeyword.allCases.map(\.spelling).filter { !$0.isEmpty }
    words += ["x", "Car", "_", "1", "2.5", "3m", "9.81m/s^2", "\"s\"", "\n", "\n", "\n", "// c\n", "/* b */", "$",
              "'q'", "&&", "#h\n"]
    return words
  }()

  @Test func randomTokenSoupsTerminateWithSaneRanges() {
    var state: UInt64 = 42
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    let start = Date()
    for _ in 0..<1_500 {
      var text = ""
      for _ in 0..<(next() % 60) {
        text += Self.vocabulary[next() % Self.vocabulary.count]
        text += next() % 3 == 0 ? "" : " "
      }
      let p = parse(text)
      for d in p.diagnostics {
        #expect(d.range.start >= 0 && d.range.end <= p.file.bytes.count, "\(text)")
      }
      _ = p.dump
    }
    #expect(Date().timeIntervalSince(start) < 30)
  }

  /// Deleting any one token from a valid program gives diagnostics, never a hang or crash.
  @Test func everySingleTokenDeletionOfAValidProgramRecovers() {
    let source = """
      behavior B(v: Speed) {
          wait until distance(self, ego) < 20m
          either { do stop() for 1s } or { wait 2s }
      }
      scenario S {
          param gap: Length = uniform(4m, 12m)
          ego car = Car { color: red } at (0m, 0m, 0m) facing 0deg with behavior B(v: 1m/s)
          let xs = [Car ahead of car by gap * i for i in 1..3 if i != 2]
          require[0.5] all c in xs: distance(car, c) > 3m
          environment { light: choice { 0.5: 10lx, 0.5: 20lx } }
          cover n: 3 buckets [1, 2]
      }
      """
    let (tokens, _) = Lexer.tokenize(SourceFile(id: FileID(0), path: "t.scn", text: source))
    let bytes = Array(source.utf8)
    for t in tokens where t.kind != .eof {
      let mutated = Array(bytes[..<t.range.start]) + Array(bytes[t.range.end...])
      let p = parse(bytes: mutated)
      _ = p.dump
      #expect(p.diagnostics.count <= 3, "\(String(decoding: mutated, as: UTF8.self))\n\(p.rendered)")
    }
  }
}
