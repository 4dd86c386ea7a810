import ArgumentParser
import Foundation
import ScnDataset
import ScnEval

struct EvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Evaluate a detector's COCO results on a dataset, per slice, and find the gaps.",
    discussion: """
      Reads detections in the COCO results format (image_id, category_id, bbox, score) for one camera's \
      images and writes OUT/eval.json (schema scn-eval/1: COCOeval's AP, AP50, AP75 and recall overall, per \
      class and per slice, with 95 % bootstrap intervals over samples), OUT/gaps.json (the slices wholly below \
      --below or the overall value, for `scn generate --focus`), OUT/eval.html and OUT/lineage.json. OUT must \
      lie outside the dataset. Exit status 1 on a bad prediction record, naming it.
      """)

  @Argument(help: "The dataset directory.")
  var directory: String

  @Option(help: "The detections: a COCO results JSON array.")
  var predictions: String

  @Option(help: "The camera whose images the detections are for (needed when the dataset has several).")
  var camera: String?

  @Option(help: "IoU at which recall is reported, in [0.5, 0.95].")
  var iou: Double = 0.5

  @Option(help: "A slice whose interval lies wholly below this value is a gap.")
  var below: Double = 0.5

  @Option(help: "The metric gaps are found on: AP50 or recall.")
  var metric: String = "AP50"

  @Option(help: "The directory to write the evaluation to (created; outside the dataset).")
  var out: String

  func validate() throws {
    try requireDirectory(directory)
    guard (0.5...0.95).contains(iou) else { throw ValidationError("--iou must lie in [0.5, 0.95], found \(iou)") }
    guard (0...1).contains(below) else { throw ValidationError("--below must lie in [0, 1], found \(below)") }
    guard EvalOptions.Metric(rawValue: metric) != nil else { throw ValidationError("--metric must be AP50 or recall") }
    let dataset = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
    let output = URL(fileURLWithPath: out).standardizedFileURL.resolvingSymlinksInPath().path
    guard output != dataset, !output.hasPrefix(dataset + "/") else {
      throw ValidationError("--out '\(out)' lies inside the dataset; a dataset's files never change after verify")
    }
  }

  func run() throws {
    let root = URL(fileURLWithPath: directory)
    let predictionBytes: [UInt8]
    do { predictionBytes = Array(try Data(contentsOf: URL(fileURLWithPath: predictions))) } catch {
      throw ValidationError("cannot read '\(predictions)': \(error.localizedDescription)")
    }
    let output: EvalOutput
    do {
      let timestamp = try DatasetTimestamp.resolve(environment: ProcessInfo.processInfo.environment, now: { Date() })
      let dataset = try EvalDataset.load(camera: camera) { path in
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
      }
      output = try Evaluation.run(
        dataset: dataset, predictions: predictionBytes,
        predictionsPath: URL(fileURLWithPath: predictions).lastPathComponent,
        options: EvalOptions(iou: iou, below: below, metric: EvalOptions.Metric(rawValue: metric) ?? .ap50),
        timestamp: timestamp)
    } catch {
      standardError("scn eval: error: \(error)")
      throw ExitCode(1)
    }
    let outURL = URL(fileURLWithPath: out)
    do {
      try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true)
      for (name, text) in [
        ("eval.json", output.evalJSON), ("gaps.json", output.gapsJSON), ("eval.html", output.html),
        ("lineage.json", output.lineageJSON),
      ] {
        try Data(text.utf8).write(to: outURL.appendingPathComponent(name), options: .atomic)
      }
    } catch {
      throw ValidationError("cannot write to '\(out)': \(error.localizedDescription)")
    }
    if output.gapNames.isEmpty {
      standardError("eval: no gaps")
    } else {
      standardError("eval: \(output.gapNames.count) gap\(output.gapNames.count == 1 ? "" : "s"), worst first:")
      for (name, value) in output.gapNames.prefix(10) {
        standardError("  \(name): \(value.map { String(format: "%.3f", $0) } ?? "-")")
      }
    }
  }
}
