import Foundation
import ScnTestSupport
import Testing

@testable import ScnDataset

@Suite struct VerifyAndValidateTests {
  @Test func verifyNamesChangedMissingAndExtraFiles() throws {
    let url = Fixture.temporaryDirectory("verify")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: Array(0..<4), count: 4)
    let clean = DatasetVerifier.verify(directory: url, labels: true)
    #expect(clean.isClean, "\(clean.problems)")
    #expect(clean.labelsChecked == 16)
    #expect(clean.filesChecked > 40)

    let flipped = url.appendingPathComponent("images/front/000002_0001.png")
    var bytes = [UInt8](try Data(contentsOf: flipped))
    bytes[40] ^= 0x01
    try Data(bytes).write(to: flipped)
    try FileManager.default.removeItem(at: url.appendingPathComponent("lidar/roof/000001_0000.ply"))
    try Data("stray".utf8).write(to: url.appendingPathComponent("images/front/stray.png"))
    let report = DatasetVerifier.verify(directory: url)
    let found = report.problems.map { "\($0.kind.rawValue) \($0.path)" }.sorted()
    #expect(found == [
      "changed images/front/000002_0001.png", "extra images/front/stray.png", "missing lidar/roof/000001_0000.ply",
    ])

    try FileManager.default.removeItem(at: url.appendingPathComponent("manifest.json"))
    #expect(DatasetVerifier.verify(directory: url).problems.map(\.kind) == [.missing])
  }

  @Test func labelCheckCatchesDisagreeingBoxes() throws {
    let url = Fixture.temporaryDirectory("labels")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: [0, 1], count: 2)
    let path = url.appendingPathComponent("annotations/kitti/front/000001_0000.txt")
    let text = try String(contentsOf: path, encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    var fields = lines[0].split(separator: " ").map(String.init)
    fields[4] = "0.00"
    try ((([fields.joined(separator: " ")] + lines.dropFirst()).joined(separator: "\n")) + "\n").write(
      to: path, atomically: false, encoding: .utf8)
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.problems.contains { $0.kind == .changed && $0.path == "annotations/kitti/front/000001_0000.txt" })
    #expect(report.problems.contains { $0.kind == .label && $0.path == "annotations/kitti/front/000001_0000.txt" })
  }

  /// Third-party readers (Pillow, pycocotools with COCOeval, plyfile, mlcroissant, PyYAML,
  /// the OpenLineage client) read the dataset: Tests/Readers/check_dataset.py, with the
  /// readers pinned in Tests/Readers/requirements.txt that scripts/test installs. Without
  /// SCN_PYTHON the test is reported as skipped, never as passed.
  @Test(.enabled(if: Readers.python != nil, Readers.skipReason))
  func independentReadersAccept() throws {
    let url = Fixture.temporaryDirectory("validate")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: Array(0..<6))
    let (status, output) = try Readers.check(url)
    #expect(status == 0, "\(output)")
    #expect(!output.contains("FAIL"), "\(output)")
    for check in [
      "PASS png:pillow-decodes", "PASS coco[annotations/coco_front.json]:pycocotools", "PASS ply:plyfile",
      "PASS kitti:fields", "PASS card:yaml-front-matter", "PASS croissant:mlcroissant", "PASS lineage:openlineage-client",
    ] {
      #expect(output.contains(check), "\(check) did not run: \(output)")
    }
  }

  @Test func reportIsSelfContained() throws {
    let url = Fixture.temporaryDirectory("report")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: Array(0..<6))
    let html = try DatasetReport.render(directory: url)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("data:image/png;base64,"))
    #expect(html.contains("data-cover=\"occlusion\"") && html.contains("data-param=\"gap\""))
    // One frame per sample, each with its two labelled boxes and the sample's tags.
    #expect(html.components(separatedBy: "<figure class=\"sample\"").count - 1 == 6)
    #expect(html.components(separatedBy: "<g class=\"box object\">").count - 1 == 12)
    #expect(html.contains("<span class=\"tag\">occlusion partial</span><span class=\"tag\">FM-1</span>"))
    let external = ["src=\"http", "href=\"http", "url(http", "<link", "<script"]
    #expect(!external.contains { html.contains($0) })
  }
}

@Suite struct DatasetCardTests {
  @Test func cardStatesProvenanceUseAndCoverage() throws {
    let url = Fixture.temporaryDirectory("card")
    defer { try? FileManager.default.removeItem(at: url) }
    try Fixture.write(to: url, order: Array(0..<6))
    let card = try String(contentsOf: url.appendingPathComponent("README.md"), encoding: .utf8)
    for expected in [
      "license: cc-by-4.0\n", "task_categories:\n- \"object-detection\"\n", "size_categories:\n- \"n<1K\"\n",
      "## Intended use\n\nTraining and testing", "## Out-of-scope use\n\nOutdoor driving",
      "| `gap` | Length (m) | `uniform(0.5 m, 2 m)` | Aisle gap |", "| Seed | `7` |",
      "| `FM-1` | Person half hidden behind a pallet | `occlusion` in partial | 3 (50.0 %) |",
      "| none | 3 | 50.0 % | 2 ✓ |", "6 samples accepted out of 12 attempts (acceptance rate 50.0 %)",
      "| `std/actors.scn` | `\(String(repeating: "02", count: 32))` |", "## Privacy\n\nEvery sample is generated procedurally",
      "| `train` | 0.8 | 5 |",
    ] {
      #expect(card.contains(expected), "card lacks \(expected)")
    }
  }

  @Test func missingLicenceBecomesOtherWithAName() throws {
    var description = Fixture.description(count: 1)
    description.card.license = nil
    let url = Fixture.temporaryDirectory("card-other")
    defer { try? FileManager.default.removeItem(at: url) }
    let writer = try DatasetWriter(outputDirectory: url, description: description, options: Fixture.options())
    try writer.write(sample: Fixture.sample(0))
    _ = try writer.finalize()
    let card = try String(contentsOf: url.appendingPathComponent("README.md"), encoding: .utf8)
    #expect(card.contains("license: other\nlicense_name: \"not stated by the scenario\"\n"))
    var badTask = Fixture.description(count: 1)
    badTask.card.taskCategories = ["Object Detection"]
    #expect(throws: DatasetError.self) {
      _ = try DatasetWriter(outputDirectory: Fixture.temporaryDirectory("never"), description: badTask, options: Fixture.options())
    }
  }
}
