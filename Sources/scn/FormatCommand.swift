import ArgumentParser
import Foundation
import ScnDriver
import ScnSource

struct FormatCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fmt",
    abstract: "Rewrite scenario files in the canonical layout.",
    discussion: """
      Rewrites each file in place, atomically, keeping its mode and owner; a symbolic link is followed and
      its target rewritten; other hard links to a file keep the old text. '-' reads standard input and
      writes standard output.
      With --check nothing is written: files that would change are listed and the exit status is 1.
      A file that does not parse is left untouched and its diagnostics are shown (exit status 1).
      """)

  @Argument(help: "Scenario files or folders ('-' for standard input).")
  var paths: [String]

  @Flag(help: "Only report files whose layout is not canonical.")
  var check = false

  @Option(help: "Colour in diagnostics: auto, always or never.")
  var color: ColorChoice = .auto

  func run() throws {
    let driver = Driver()
    var failed = false
    let files = try paths.flatMap { $0 == "-" ? ["-"] : try collectScenarioFiles([$0], fileSystem: driver.fileSystem) }
    for path in files {
      let bytes = path == "-" ? [UInt8](FileHandle.standardInput.readDataToEndOfFile()) : try driver.fileSystem.readFile(path)
      let result = driver.format(path: path == "-" ? "<stdin>" : path, bytes: bytes)
      guard let formatted = result.formatted else {
        let text = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
          .render(result.diagnostics, sources: result.sources)
        FileHandle.standardError.write(Data(text.utf8))
        failed = true
        continue
      }
      if path == "-" {
        if check {
          if formatted != bytes { failed = true; print("<stdin>") }
        } else {
          FileHandle.standardOutput.write(Data(formatted))
        }
      } else if formatted != bytes {
        if check {
          print(path)
          failed = true
        } else {
          try driver.fileSystem.writeFile(path, formatted)
        }
      }
    }
    if failed { throw ExitCode(1) }
  }
}
