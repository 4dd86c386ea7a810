import Foundation
import Testing

@Suite struct IRCommandTests {
  static let scenario = """
    // A comment that must not affect the hash.
    scenario S {
        param w: Length = uniform(2m, 4m)
        let b = Box at (w, 0m, 0m)
        require w > 2.5m
    }

    """

  @Test func firstLineIsTheHash() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.scenario])
    let r = try SCNProcess.run(["ir", "s.scn"], in: dir)
    #expect(r.status == 0)
    let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
    #expect(first.hasPrefix("ir-hash: "))
    #expect(first.dropFirst("ir-hash: ".count).count == 64)
    #expect(r.stdout.contains("scenario S {"))
  }

  @Test func hashIgnoresLayoutAndCommentsButNotMeaning() throws {
    let relaid = Self.scenario.replacingOccurrences(of: "// A comment that must not affect the hash.\n", with: "")
      .replacingOccurrences(of: "uniform(2m, 4m)", with: "uniform( 2m,4m )   // range")
    let changed = Self.scenario.replacingOccurrences(of: "4m", with: "5m")
    let dir = try temporaryDirectory(files: ["a.scn": Self.scenario, "b.scn": relaid, "c.scn": changed])
    func hash(_ f: String) throws -> String {
      String(try SCNProcess.run(["ir", f], in: dir).stdout.split(separator: "\n").first ?? "")
    }
    #expect(try hash("a.scn") == hash("b.scn"))
    #expect(try hash("a.scn") != hash("c.scn"))
    // `fmt` never changes the hash.
    #expect(try SCNProcess.run(["fmt", "b.scn"], in: dir).status == 0)
    #expect(try hash("a.scn") == hash("b.scn"))
  }

  @Test func errorsExitOneAndMissingFileTwo() throws {
    let dir = try temporaryDirectory(files: ["bad.scn": "scenario S {\n    let x = 1m + 1s\n}\n"])
    let bad = try SCNProcess.run(["ir", "bad.scn"], in: dir)
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("E0203"))
    #expect(try SCNProcess.run(["ir", "missing.scn"], in: dir).status == 2)
    #expect(try SCNProcess.run(["ir", "bad.scn", "--scenario", "Nope"], in: dir).status == 1)
  }
}
