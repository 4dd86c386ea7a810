import Foundation
import ScnLowering
import ScnSource
import Testing

/// The checker must survive any damage to a valid program: deleting a line or cutting a
/// file short yields diagnostics (or a clean program), never a crash, and a program is
/// produced exactly when there is no error.
@Suite struct RobustnessTests {
  static let examples: [String] = {
    let folder = TestSupport.repoRoot.appendingPathComponent("Examples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".scn") }.sorted().compactMap {
      try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
    }
  }()

  func compileAndCheckInvariant(_ text: String) {
    let result = TestSupport.compile(text)
    #expect((result.program == nil) == result.hasErrors || result.scenarioNames.isEmpty)
  }

  @Test func examplesAreFound() { #expect(Self.examples.count >= 4) }

  @Test func lineDeletionsNeverCrash() {
    for text in Self.examples {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      // Every third line keeps the suite fast while touching every kind of statement.
      for i in stride(from: 0, to: lines.count, by: 3) {
        var copy = lines
        copy.remove(at: i)
        compileAndCheckInvariant(copy.joined(separator: "\n"))
      }
    }
  }

  @Test func truncationsNeverCrash() {
    for text in Self.examples {
      let bytes = Array(text.utf8)
      for cut in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 40)) {
        compileAndCheckInvariant(String(decoding: bytes[0..<cut], as: UTF8.self))
      }
    }
  }
}

/// Long dependency chains written backwards (each definition reads the next one) and
/// recursive functions must end in diagnostics, not in a stack overflow.
@Suite struct DeepChainTests {
  @Test func backwardChainsAreCutWithAnError() {
    var text = "scenario Deep {\n"
    for i in stride(from: 1000, to: 0, by: -1) { text += "    let a\(i) = a\(i - 1) + 1m\n" }
    text += "    let a0 = 0m\n}\n"
    for i in 0..<1000 { text += "const K\(i) = K\(i + 1)\n" }
    text += "const K1000 = 1m\n"
    let r = TestSupport.compile(text)
    #expect(r.diagnostics.contains { $0.code.rawValue == "E0255" })
  }

  @Test func recursiveFunctionsDoNotLoop() {
    let r = TestSupport.compile(
      """
      fn f(x: Int) -> Int = f(x) + 1
      const C = f(2)
      scenario S { let a = C }
      """)
    #expect(!r.hasErrors)
  }
}

/// Random token soup (from a fixed-seed generator, so failures reproduce) must never crash
/// the checker.
@Suite struct TokenSoupTests {
  static let vocabulary = [
    "scenario", "S", "{", "}", "(", ")", "[", "]", "param", "let", "ego", "sensor", "require", "x", "y", "=", ":",
    "Length", "3m", "2s", "uniform", "choice", "0.5", ",", "+", "-", "*", "/", "<", "and", "not", "Car", "Box",
    "at", "facing", "ahead", "of", "by", "with", "behavior", "follow_lane", "for", "in", "0..<", "if", "all",
    "Camera", "mount", "rgb", "depth", "\n", "\n", "\n", "extends", "include", "weight", "@doc", "\"t\"", "self",
    "ego", ".", "radius", "const", "fn", "->", "actor", "enum", "import", "std.vehicles", "6m/x", "1", "true",
  ]

  @Test func randomTokenSequencesNeverCrash() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    for _ in 0..<150 {
      let count = 5 + next() % 60
      var text = ""
      for _ in 0..<count { text += Self.vocabulary[next() % Self.vocabulary.count] + " " }
      let result = TestSupport.compile(text)
      #expect(result.program == nil || !result.hasErrors)
    }
  }
}
