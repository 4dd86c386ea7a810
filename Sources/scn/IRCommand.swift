import ArgumentParser
import Foundation
import ScnDriver
import ScnIR
import ScnSource

struct IRCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ir",
    abstract: "Print a scenario's canonical IR and its hash.",
    discussion: """
      The first line is 'ir-hash: <sha256>': the scenario's identity in manifests and cards. It covers
      semantics only, so reformatting, comments or file names never change it; any change of meaning does.
      """)

  @Argument(help: "The main scenario file.")
  var file: String

  @Option(help: "The scenario to lower (default: the last one in the file).")
  var scenario: String?

  @Flag(help: "Print the IR as JSON (sorted keys; the hash is the 'hash' field) instead of canonical text.")
  var json = false

  @Option(help: "Colour in diagnostics: auto, always or never.")
  var color: ColorChoice = .auto

  func run() throws {
    _ = try Driver().fileSystem.readFile(file)  // an unreadable path is a usage error (exit 2)
    let driver = Driver()
    let result = driver.compile(file, scenario: scenario)
    if !result.diagnostics.isEmpty {
      let text = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
        .render(result.diagnostics, sources: driver.sourcesForDisplay(result, mainFile: file))
      FileHandle.standardError.write(Data(text.utf8))
    }
    guard var program = result.program else { throw ExitCode(1) }
    // Imported assets are input files of the program: their hashes are part of the IR hash.
    if case .failure(let problems) = driver.attachAssets(to: &program, mainFile: file, sources: result.sources) {
      let text = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
        .render(problems.diagnostics, sources: driver.sourcesForDisplay(result, mainFile: file))
      FileHandle.standardError.write(Data(text.utf8))
      throw ExitCode(1)
    }
    if json {
      // The hash is of the canonical text, whichever form is printed.
      let body = program.json()
      print("{\n  \"hash\" : \"\(program.hash)\",\n  \"ir\" : " + body.dropLast().replacingOccurrences(of: "\n", with: "\n  ") + "\n}")
    } else {
      print("ir-hash: \(program.hash)")
      print(IRPrinter.print(program), terminator: "")
    }
  }
}
