import ArgumentParser
import Foundation
import ScnDataset
import ScnDriver

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML page about a dataset.",
    discussion: "Coverage per cover point, parameter histograms, acceptance rates and a contact sheet of frames with boxes.")

  @Argument(help: "The dataset directory.")
  var directory: String

  @Option(help: "Where to write the page ('-' for standard output).")
  var out: String = "-"

  @Option(help: "How many frames the contact sheet shows.")
  var frames: Int = 6

  func validate() throws {
    guard frames >= 0 else { throw ValidationError("--frames must be 0 or more") }
  }

  func run() throws {
    try requireDirectory(directory)
    let html: String
    do {
      html = try DatasetReport.render(directory: URL(fileURLWithPath: directory), contactSheetImages: frames)
    } catch {
      standardError("scn report: error: \(error)")
      throw ExitCode(1)
    }
    if out == "-" {
      FileHandle.standardOutput.write(Data(html.utf8))
    } else {
      // Atomic, keeping an existing page's mode and owner, through a symbolic link (as `scn fmt`).
      try Driver().fileSystem.writeFile(out, Array(html.utf8))
    }
  }
}
