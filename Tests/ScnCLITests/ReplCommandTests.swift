import Foundation
import Testing

/// `scn repl` with commands piped in, as a script would drive it.
@Suite struct ReplCommandTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let example = "Examples/urban_night_crossing.scn"

  func repl(_ commands: String, _ arguments: [String] = [example]) throws -> SCNResult {
    try SCNProcess.run(["repl"] + arguments, stdin: commands, in: Self.repository)
  }

  @Test func runsPipedCommandsWithoutAPrompt() throws {
    let r = try repl(":params\n:set light = 300lx\n:sample json\n:hist ego_speed 40\n:quit\n:sample\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr == "")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "loaded \(Self.example): scenario NightCrossing, seed 0")
    #expect(!r.stdout.contains("scn>"))
    #expect(lines.contains("light           Illuminance        uniform(2lx, 30lx)"))
    #expect(lines.contains("light = 300lx"))
    let scene = try #require(lines.first { $0.hasPrefix("{\"sample\":0,") })
    #expect(scene.contains(#""light":{"value":300.0,"unit":"lx"}"#))
    #expect(lines.contains { $0.hasPrefix("ego_speed over 40 samples: min 8.") && $0.hasSuffix(" m/s") })
    // :quit stops before the last :sample.
    #expect(lines.filter { $0.hasPrefix("{\"sample\":") }.count == 1)
  }

  @Test func reportsErrorsAndCarriesOn() throws {
    let r = try repl(":smaple\n:set light = 3m\n:set lights = 3lx\n:load missing.scn\n:hist nothing_here 5\n:seed 2\n")
    #expect(r.status == 0)
    #expect(r.stderr.contains("error[E0701]: unknown command ':smaple'\nnote: did you mean ':sample'?"))
    #expect(r.stderr.contains("error[E0507]: :set light=3m: param 'light' expects Illuminance (lx), found Length (m)"))
    #expect(r.stderr.contains("note: did you mean 'light'?"))
    #expect(r.stderr.contains("error[E0704]: cannot read 'missing.scn': no such file"))
    #expect(r.stderr.contains("named 'nothing_here'"))
    // The errors did not stop the REPL: the last command ran.
    #expect(r.stdout.hasSuffix("seed 2\n"))
  }

  @Test func theSameSeedGivesTheSameTranscript() throws {
    // Few samples: each runs the night crossing's simulation, and debug builds are slow.
    let commands = ":sample 2\n:hist trigger 5\n"
    let a = try repl(commands, [Self.example, "--seed", "11"])
    let b = try repl(commands, [Self.example, "--seed", "11"])
    let c = try repl(commands, [Self.example, "--seed", "12"])
    #expect(a.status == 0)
    #expect(a.stdout == b.stdout)
    #expect(a.stdout != c.stdout)
    #expect(a.stdout.hasPrefix("loaded \(Self.example): scenario NightCrossing, seed 11\nsample 0  scenario NightCrossing"))
  }

  @Test func startsWithoutAFile() throws {
    let r = try repl(":type 30km/h\n:load \(Self.example)\n:scenarios\n", [])
    #expect(r.status == 0)
    #expect(r.stdout == "Speed = 8.333 m/s\nloaded \(Self.example): scenario NightCrossing, seed 0\n* NightCrossing\n")
  }
}
