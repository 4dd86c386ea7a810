import Foundation
import ScnTestSupport
import Testing

/// Every example generates a dataset that third-party readers accept
/// (`Tests/Readers/check_dataset.py`: Pillow, pycocotools with COCOeval, plyfile, mlcroissant,
/// PyYAML, the OpenLineage client, pinned in `Tests/Readers/requirements.txt`, which
/// scripts/test installs). Without SCN_PYTHON the cases are reported as skipped.
@Suite struct ExamplesValidateTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let file: String
    let params: [String]
    var testDescription: String { file }
  }

  static let cases: [Case] = [
    Case(file: "highway_cut_in.scn", params: []),
    Case(file: "tabletop_grasping.scn", params: []),
    Case(file: "town_drive.scn", params: []),
    Case(file: "urban_night_crossing.scn", params: []),
    // A full aisle shows more than 100 objects in a frame; a short, half-empty aisle keeps the
    // example quick (the COCOeval self-AP check raises maxDets to the largest image anyway).
    Case(file: "warehouse_pallets.scn", params: ["bays=6", "occupancy=0.3"]),
    Case(file: "warehouse_suite.scn", params: []),
  ]

  @Test(
    .enabled(if: Readers.python != nil, Readers.skipReason),
    arguments: cases)
  func exampleDatasetPassesTheReaders(_ c: Case) throws {
    let out = Paths.temporary("example")
    defer { try? FileManager.default.removeItem(at: out) }
    let example = Paths.repository.appendingPathComponent("Examples/" + c.file).path
    var arguments = ["generate", example, "--count", "1", "--seed", "1", "--out", out.path, "--jobs", "2", "--max-frames", "1"]
    for p in c.params { arguments += ["--param", p] }
    let generated = try SCNProcess.run(arguments)
    #expect(generated.status == 0, "\(generated.stderr)")
    let (status, output) = try Readers.check(out)
    #expect(status == 0, "\(output)")
    #expect(!output.contains("FAIL"), "\(output)")
    for check in ["PASS coco[", "PASS card:yaml-front-matter", "PASS croissant:mlcroissant", "PASS lineage:openlineage-client"] {
      #expect(output.contains(check), "\(check) did not run: \(output)")
    }
  }
}
