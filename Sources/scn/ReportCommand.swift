import ArgumentParser
import Foundation
import ScnDataset
import ScnDriver

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML page about a dataset.",
    discussion: """
      Parameter histograms in the scenario's units against each param's declared law, coverage per cover point \
      and a heat map per pair of points, requirement acceptance, and a contact sheet with one frame per sample \
      (boxes, class names, slice tags). With --eval DIR (an `scn eval` output folder): the metric per slice with \
      its interval, the gaps highlighted, and the worst frames with missed and false detections drawn.
      """)

  @Argument(help: "The dataset directory.")
  var directory: String

  @Option(help: "An `scn eval` output folder (its eval.json) to show beside the dataset.")
  var eval: String?

  @Option(help: "Where to write the page ('-' for standard output).")
  var out: String = "-"

  @Option(help: "At most this many samples in the contact sheet (default: every sample).")
  var frames: Int?

  func validate() throws {
    if let frames, frames < 0 { throw ValidationError("--frames must be 0 or more") }
  }

  func run() throws {
    try requireDirectory(directory)
    var options = DatasetReport.Options(contactSheetSamples: frames)
    if let eval {
      try requireDirectory(eval)
      let path = URL(fileURLWithPath: eval).appendingPathComponent("eval.json").path
      guard let data = FileManager.default.contents(atPath: path) else {
        standardError("scn report: error: \(path): cannot be read (is \(eval) an scn eval output folder?)")
        throw ExitCode(1)
      }
      options.evaluation = [UInt8](data)
    }
    let html: String
    do {
      html = try DatasetReport.render(directory: URL(fileURLWithPath: directory), options: options)
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
