import Foundation
import Testing

@Suite struct FormatCommandTests {
  static let messy = "scenario  S {\n  let x=( 3m+2m )\n\n\n\n  let y = x*2 // keep me\n}"
  static let canonical = "scenario S {\n    let x = (3m + 2m)\n\n    let y = x * 2 // keep me\n}\n"

  @Test func rewritesInPlaceAndIsIdempotent() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.messy])
    #expect(try SCNProcess.run(["fmt", "s.scn"], in: dir).status == 0)
    let once = try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8)
    #expect(once == Self.canonical)
    #expect(try SCNProcess.run(["fmt", "--check", "s.scn"], in: dir).status == 0)
  }

  @Test func checkNamesFilesThatWouldChangeAndWritesNothing() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.messy])
    let r = try SCNProcess.run(["fmt", "--check", "s.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout == "s.scn\n")
    #expect(try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8) == Self.messy)
  }

  @Test func stdinToStdout() throws {
    let r = try SCNProcess.run(["fmt", "-"], stdin: Self.messy)
    #expect(r.status == 0)
    #expect(r.stdout == Self.canonical)
  }

  @Test func fileThatDoesNotParseIsLeftAlone() throws {
    let broken = "scenario S {\n  let x = (3m +\n}\n"
    let dir = try temporaryDirectory(files: ["s.scn": broken])
    let r = try SCNProcess.run(["fmt", "s.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0"))
    #expect(try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8) == broken)
  }
}
