import Foundation
import Testing

@Suite struct CheckCommandTests {
  static let clean = """
    @dataset(name: "tiny", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing the CLI.")
    @out_of_scope("Everything else.")
    scenario Tiny {
        let x = 3m
    }

    """
  static let warnsOnly = """
    scenario Bare {
        let x = 3m
    }

    """
  static let broken = """
    scenario Broken {
        let x = (3m +
    }

    """

  /// Found through PATH (`argv[0]` is then just "scn"), from a folder with no StdLib in
  /// sight, scn must still find the StdLib beside its real (symlink-resolved) location.
  @Test func findsItsStdLibWhenRunThroughPATH() throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.clean])
    let bin = dir.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("scn"), withDestinationURL: SCNProcess.binary)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "scn check a.scn"]
    process.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["SCN_STDLIB"] = nil
    env["PATH"] = bin.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    process.environment = env
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(errors)")
  }

  @Test func cleanFileExitsZeroSilently() throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.clean])
    let r = try SCNProcess.run(["check", "a.scn"], in: dir)
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
  }

  @Test func syntaxErrorExitsOneWithLocatedDiagnostic() throws {
    let dir = try temporaryDirectory(files: ["b.scn": Self.broken])
    let r = try SCNProcess.run(["check", "b.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("b.scn:"))
    #expect(r.stderr.contains("error[E0"))
    #expect(r.stderr.contains(" | "))
    #expect(!r.stderr.contains("\u{1B}["))  // NO_COLOR and not a TTY
  }

  @Test func directoriesExpandToTheirScenarioFiles() throws {
    let dir = try temporaryDirectory(files: ["ok/a.scn": Self.clean, "ok/notes.txt": "not a scenario", "bad/b.scn": Self.broken])
    #expect(try SCNProcess.run(["check", "ok"], in: dir).status == 0)
    let r = try SCNProcess.run(["check", "."], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("bad/b.scn"))
  }

  @Test func warningsExitZeroUnlessWerror() throws {
    let dir = try temporaryDirectory(files: ["w.scn": Self.warnsOnly])
    let r = try SCNProcess.run(["check", "w.scn"], in: dir)
    #expect(r.status == 0)
    #expect(r.stderr.contains("warning[W0501]"))
    let strict = try SCNProcess.run(["check", "--werror", "w.scn"], in: dir)
    #expect(strict.status == 1)
    #expect(strict.stderr.contains("error[W0501]"))
  }

  @Test func semanticErrorsAreReportedWithFixIts() throws {
    let source = """
      scenario S {
          let gap = 3m
          let d = 6m/gap
          let t = gap + 2s
      }

      """
    let dir = try temporaryDirectory(files: ["s.scn": source])
    let r = try SCNProcess.run(["check", "s.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0203]: cannot add 'Length' and 'Time'"))
    #expect(r.stderr.contains("let d = 6m / gap"))
  }

  @Test func unreadablePathOrBadFlagExitsTwo() throws {
    let dir = try temporaryDirectory(files: [:])
    let missing = try SCNProcess.run(["check", "nope.scn"], in: dir)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("nope.scn"))
    #expect(try SCNProcess.run(["check", "--no-such-flag", "x.scn"], in: dir).status == 2)
    #expect(try SCNProcess.run(["check", "--format", "xml", "x.scn"], in: dir).status == 2)
    #expect(try SCNProcess.run(["frobnicate"], in: dir).status == 2)
  }

  @Test func helpAndVersionExitZero() throws {
    let v = try SCNProcess.run(["--version"])
    #expect(v.status == 0)
    #expect(v.stdout.contains("0."))
    #expect(try SCNProcess.run(["check", "--help"]).status == 0)
  }

  @Test func machineFormatsGoToStdoutAndParse() throws {
    let dir = try temporaryDirectory(files: ["b.scn": Self.broken])
    let json = try SCNProcess.run(["check", "--format", "json", "b.scn"], in: dir)
    #expect(json.status == 1)
    let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    #expect((obj?["errors"] as? Int ?? 0) >= 1)

    let sarif = try SCNProcess.run(["check", "--format", "sarif", "b.scn"], in: dir)
    let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
    #expect(log?["version"] as? String == "2.1.0")

    let gh = try SCNProcess.run(["check", "--format", "github", "b.scn"], in: dir)
    #expect(gh.stdout.contains("::error file=b.scn,line=3,"))
  }

  @Test func colourIsForcedWithAlways() throws {
    let dir = try temporaryDirectory(files: ["b.scn": Self.broken])
    let r = try SCNProcess.run(["check", "--color", "always", "b.scn"], in: dir)
    #expect(r.stderr.contains("\u{1B}[1;31m"))
  }
}

@Suite struct EstimateTests {
  @Test func estimateReportsAcceptancePerRequirement() throws {
    let source = """
      @dataset(name: "half", version: "0.1.0", license: "CC-BY-4.0")
      @intended_use("Testing --estimate.")
      @out_of_scope("Everything else.")
      scenario Half {
          param x: Length = uniform(0m, 10m)
          require x > 5m
      }

      """
    let dir = try temporaryDirectory(files: ["h.scn": source])
    let r = try SCNProcess.run(["check", "--estimate", "400", "h.scn"], in: dir)
    #expect(r.status == 0)
    #expect(r.stdout.contains("400 of 400 scenes sampled"))
    #expect(r.stdout.contains("require x > 5m"))
    // About half the attempts fail x > 5m, so about 2 attempts per scene.
    let line = r.stdout.split(separator: "\n").first { $0.contains("expected attempts per scene") }.map(String.init) ?? ""
    let value = line.split(separator: " ").dropFirst(4).first.flatMap { Double($0) } ?? 0
    #expect(value > 1.7 && value < 2.3, "\(line)")
    #expect(try SCNProcess.run(["check", "--estimate", "0", "h.scn"], in: dir).status == 2)
  }
}
