import CSystem
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `scn repl` on a pseudo-terminal, so the real readline edits the lines: Tab completion,
/// the history file, and `:hist` of an expression typed at the prompt.
@Suite(.serialized) struct ReplTerminalTests {
  /// The master side of a pseudo-terminal whose slave is the REPL's standard input, output
  /// and error.
  final class Terminal {
    let master: Int32
    let process = Process()
    private(set) var transcript = ""

    init(arguments: [String], environment: [String: String]) throws {
      var name = [CChar](repeating: 0, count: 256)
      master = csystem_open_pty(&name, name.count)
      guard master >= 0 else { throw CocoaError(.fileNoSuchFile) }
      let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
      guard slave >= 0 else { throw CocoaError(.fileNoSuchFile) }
      let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
      process.executableURL = SCNProcess.binary
      process.arguments = arguments
      process.environment = environment
      process.standardInput = handle
      process.standardOutput = handle
      process.standardError = handle
      try process.run()
    }

    func send(_ text: String) {
      var bytes = Array(text.utf8)
      _ = write(master, &bytes, bytes.count)
    }

    /// Reads until `marker` appears in what is shown after what was already read, or
    /// `seconds` pass; returns that text without terminal controls (escape sequences, bells,
    /// backspaces), as a user would read it.
    @discardableResult
    func read(until marker: String, seconds: Double = 60) -> String {
      let start = transcript.count
      let deadline = Date().addingTimeInterval(seconds)
      var buffer = [UInt8](repeating: 0, count: 4096)
      func shown() -> String { Terminal.visible(String(transcript.dropFirst(start))) }
      while Date() < deadline {
        if shown().contains(marker) { break }
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 100) > 0 else { continue }
        let n = Glibc.read(master, &buffer, buffer.count)
        if n <= 0 { break }
        transcript += String(decoding: buffer[0..<n], as: UTF8.self)
      }
      return shown()
    }

    /// `text` without ANSI escape sequences and control characters other than newlines.
    static func visible(_ text: String) -> String {
      var out = ""
      var escape = false
      for scalar in text.unicodeScalars {
        if escape {
          if scalar.properties.isAlphabetic || scalar == "~" { escape = false }
          continue
        }
        if scalar == "\u{1B}" {
          escape = true
          continue
        }
        if scalar.value < 0x20 && scalar != "\n" { continue }
        out.unicodeScalars.append(scalar)
      }
      return out
    }

    deinit {
      if process.isRunning { process.terminate() }
      close(master)
    }
  }

  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  func environment(state: URL) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env["TERM"] = "xterm"
    env["INPUTRC"] = "/dev/null"
    env["XDG_STATE_HOME"] = state.path
    env["SCN_STDLIB"] = Self.repository.appendingPathComponent("StdLib").path
    return env
  }

  @Test func tabCompletesAndHistExpressionsChartInTheirUnit() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("scn-pty-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let terminal = try Terminal(arguments: ["repl"], environment: environment(state: state))
    terminal.read(until: "scn> ")
    // `unifo` + Tab: readline completes the distribution's name in place.
    terminal.send(":hist unifo\t")
    let completed = terminal.read(until: "uniform", seconds: 20)
    #expect(completed.contains("uniform"), "\(terminal.transcript)")
    terminal.send("(0m, 10m) 4000\r")
    let output = terminal.read(until: "scn> ")
    let mean = output.split(separator: "\n").first { $0.contains("over 4000 samples") }
      .flatMap { line in line.range(of: "mean ").map { line[$0.upperBound...].prefix { $0 != " " } } }
      .flatMap { Double($0) }
    let value = try #require(mean, "\(terminal.transcript)")
    #expect(value > 4.8 && value < 5.2)
    #expect(output.contains(" m, max "), "the mean is in metres: \(output)")
    #expect(output.contains("sd "), "\(output)")
    // Commands complete too: `:expl` + Tab.
    terminal.send(":expl\t")
    #expect(terminal.read(until: ":explain", seconds: 20).contains(":explain"), "\(terminal.transcript)")
    terminal.send("\u{15}")  // Ctrl-U: drop the line
    // Up arrow recalls the previous input from the history.
    terminal.send("\u{1B}[A")
    #expect(terminal.read(until: "4000", seconds: 20).contains("uniform(0m, 10m) 4000"), "\(terminal.transcript)")
    terminal.send("\u{15}:quit\r")
    terminal.process.waitUntilExit()
    #expect(terminal.process.terminationStatus == 0)
    let history = try String(contentsOf: state.appendingPathComponent("scn/history"), encoding: .utf8)
    #expect(history.contains(":hist uniform(0m, 10m) 4000"), "\(history)")
  }

  @Test func fieldsAndUnitsComplete() throws {
    let state = FileManager.default.temporaryDirectory.appendingPathComponent("scn-pty-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: state) }
    let example = Self.repository.appendingPathComponent("Examples/warehouse_pallets.scn").path
    let terminal = try Terminal(arguments: ["repl", example], environment: environment(state: state))
    terminal.read(until: "scn> ")
    // A field after `.` (the ego's type's fields), then a unit after a number.
    terminal.send(":type forklift.max_spe\t")
    #expect(terminal.read(until: "max_speed", seconds: 20).contains("forklift.max_speed"), "\(terminal.transcript)")
    terminal.send("\r")
    #expect(terminal.read(until: "scn> ").contains("Speed"), "\(terminal.transcript)")
    terminal.send(":type 3k\t\t")
    let units = terminal.read(until: "km", seconds: 20)
    #expect(units.contains("3km") && units.contains("3kg"), "\(terminal.transcript)")
    terminal.send("\u{15}:quit\r")
    terminal.process.waitUntilExit()
  }
}
