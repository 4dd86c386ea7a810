import ScnEncoding
import Foundation
import ScnDataset
import Testing

/// `scn eval` as a user runs it: outputs beside the dataset, exit status 1 naming a bad
/// record, 2 for an --out inside the dataset, the same bytes twice.
@Suite struct EvalCommandTests {
  static var binary: URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("scn").path), dir.path != "/" {
      dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("scn")
  }

  /// Runs the `scn` binary with a fixed `SOURCE_DATE_EPOCH`, no colour and the repository's
  /// StdLib: its exit status and standard error.
  static func scn(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["SOURCE_DATE_EPOCH"] = "1790000000"
    env["NO_COLOR"] = "1"
    env["SCN_STDLIB"] = FocusAcceptanceTests.repository.appendingPathComponent("StdLib").path
    process.environment = env
    let err = Pipe()
    process.standardError = err
    process.standardOutput = Pipe()
    try process.run()
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  @Test func writesFourFilesDeterministicallyAndRejectsBadInput() throws {
    let root = EvalSupport.temporary("cli")
    defer { try? FileManager.default.removeItem(at: root) }
    let dataset = root.appendingPathComponent("dataset")
    let data = SyntheticDataset(samples: 30)
    try data.write(to: dataset)
    let predictions = root.appendingPathComponent("predictions.json")
    try Data(data.detections().utf8).write(to: predictions)
    var outputs: [[String: Data]] = []
    for run in ["a", "b"] {
      let out = root.appendingPathComponent("eval-\(run)")
      let result = try Self.scn(["eval", dataset.path, "--predictions", predictions.path, "--out", out.path])
      #expect(result.status == 0, "\(result.stderr)")
      var files: [String: Data] = [:]
      for name in ["eval.json", "gaps.json", "eval.html", "lineage.json"] {
        files[name] = try Data(contentsOf: out.appendingPathComponent(name))
      }
      outputs.append(files)
    }
    #expect(outputs[0] == outputs[1])
    let lineage = try JSONValue.parse(String(decoding: outputs[0]["lineage.json"] ?? Data(), as: UTF8.self))
    let inputs = lineage["inputs"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    #expect(inputs == ["dataset/Synthetic", "predictions/predictions.json"])
    #expect(lineage["eventTime"]?.stringValue == "2026-09-21T14:13:20Z")

    let bad = root.appendingPathComponent("bad.json")
    try Data("[{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,4,4],\"score\":0.5},{\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,4,4],\"score\":NaN}]".utf8).write(to: bad)
    let nan = try Self.scn(["eval", dataset.path, "--predictions", bad.path, "--out", root.appendingPathComponent("x").path])
    #expect(nan.status == 1)
    #expect(nan.stderr.contains("predictions[1]: score is NaN"), "\(nan.stderr)")
    let inside = try Self.scn(["eval", dataset.path, "--predictions", predictions.path, "--out", dataset.appendingPathComponent("eval").path])
    #expect(inside.status == 2)
    #expect(inside.stderr.contains("lies inside the dataset"), "\(inside.stderr)")
  }
}
