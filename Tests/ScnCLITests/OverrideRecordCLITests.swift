import Foundation
import Testing

/// `scn fmt` keeps the IR hash of `record` and `override` (docs/language-tour.md,
/// "Recording values" and "Overrides"); `scn ir` prints them.
@Suite struct OverrideRecordCLITests {
  @Test func formattingRecordAndOverrideKeepsTheHash() throws {
    let messy = """
      actor Obj : Box { foo: Float = 0 }
      behavior Stop() { do stop() }
      scenario Sub { override   ego with foo 2,with behavior Stop( )
      override ego
          with foo 3 }
      scenario S {
          ego e = Obj at (0m,0m,0m)
          record   initial e.position.x   as   x0
          record e.foo
          record final( e.foo ,1 )as "last"
          compose { do Sub }
      }

      """
    // The first override sets `foo` and the second too: keep one `foo` (E0157 otherwise).
    let valid = messy.replacingOccurrences(of: "\noverride ego\n    with foo 3 }", with: " }")
    #expect(valid != messy)
    let dir = try temporaryDirectory(files: ["a.scn": valid, "b.scn": valid, "c.scn": messy])
    func ir(_ f: String) throws -> String { try SCNProcess.run(["ir", f], in: dir).stdout }
    let before = try ir("a.scn")
    #expect(before.hasPrefix("ir-hash: "), "\(before)")
    #expect(before.contains("  record initial "))
    #expect(before.contains(" as \"last\""))
    #expect(before.contains("  override "))
    #expect(before.contains(" with behavior "))
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    let formatted = try String(contentsOf: dir.appendingPathComponent("b.scn"), encoding: .utf8)
    #expect(formatted != valid)
    #expect(formatted.contains("    record initial e.position.x as x0\n"))
    #expect(formatted.contains("override ego with foo 2, with behavior Stop()"))
    #expect(try ir("b.scn") == before)
    // The two-line override keeps its continuation line when formatted.
    #expect(try SCNProcess.run(["fmt", "c.scn"], in: dir).status == 0)
    let continued = try String(contentsOf: dir.appendingPathComponent("c.scn"), encoding: .utf8)
    #expect(continued.contains("\n    override ego\n        with foo 3 }\n"), "\(continued)")
  }

  /// A sub-scenario that reads its runner's ego cannot be the entry (E0296).
  @Test func subScenarioReadingTheParentsEgoCannotRunAlone() throws {
    let src = """
      actor Obj : Box { foo: Float = 0 }
      scenario S {
          ego e = Obj at (0m, 0m, 0m)
          compose { do Sub }
      }
      scenario Sub { override ego with foo 2 }

      """
    let dir = try temporaryDirectory(files: ["s.scn": src])
    let alone = try SCNProcess.run(["ir", "s.scn"], in: dir)
    #expect(alone.status != 0)
    #expect(alone.stderr.contains("E0296"), "\(alone.stderr)")
    let run = try SCNProcess.run(["ir", "s.scn", "--scenario", "S"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
  }
}
