import Foundation
import Testing

/// Every example generates a dataset that the independent acceptance checker
/// (`../shared/acceptance/validate_dataset.py`: Pillow, pycocotools, plyfile, mlcroissant,
/// PyYAML, the OpenLineage client) accepts.
@Suite struct ExamplesValidateTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let file: String
    let params: [String]
    /// Checks the acceptance script is known to fail for a reason outside generate (see the
    /// comment at the case).
    let knownFailures: [String]
    var testDescription: String { file }
  }

  static let cases: [Case] = [
    Case(file: "highway_cut_in.scn", params: [], knownFailures: []),
    // Two cameras named `*_camera` with different resolutions: the checker groups PNGs into
    // frames by folder name without modality words and reports them as one inconsistent
    // frame (ScnDataset README, "Known limits"). Every other check must pass.
    Case(file: "tabletop_grasping.scn", params: [], knownFailures: ["png:size-consistent-per-frame"]),
    Case(file: "urban_night_crossing.scn", params: [], knownFailures: []),
    // A full aisle shows more than 100 objects in a frame, beyond COCOeval's 100 detections
    // per image, so the self-AP check cannot reach 1.0; a short, half-empty aisle stays below.
    Case(file: "warehouse_pallets.scn", params: ["bays=6", "occupancy=0.3"], knownFailures: []),
    Case(file: "warehouse_suite.scn", params: [], knownFailures: []),
  ]

  @Test(arguments: cases) func exampleDatasetPassesTheValidator(_ c: Case) throws {
    guard FileManager.default.fileExists(atPath: Paths.validator.path) else {
      print("skipped: \(Paths.validator.path) is absent (the acceptance checks live beside the repository)")
      return
    }
    let python = ProcessInfo.processInfo.environment["SCN_PYTHON"] ?? ""
    try #require(!python.isEmpty, "set SCN_PYTHON to a Python with ../shared/acceptance/requirements.txt installed")
    let out = Paths.temporary("example")
    defer { try? FileManager.default.removeItem(at: out) }
    let example = Paths.repository.appendingPathComponent("Examples/" + c.file).path
    var arguments = ["generate", example, "--count", "1", "--seed", "1", "--out", out.path, "--jobs", "2", "--max-frames", "1"]
    for p in c.params { arguments += ["--param", p] }
    let generated = try SCNProcess.run(arguments)
    #expect(generated.status == 0, "\(generated.stderr)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [Paths.validator.path, out.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let failures = output.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
    let unexpected = failures.filter { line in !c.knownFailures.contains { line.hasPrefix("FAIL " + $0) } }
    #expect(unexpected.isEmpty, "\(output)")
    #expect(failures.count == c.knownFailures.count, "a known failure no longer fails; drop it: \(output)")
    if c.knownFailures.isEmpty { #expect(process.terminationStatus == 0, "\(output)") }
    for check in ["coco", "card[README.md]:sections", "manifest[manifest.json]", "lineage[lineage.json]"] {
      #expect(output.contains(check), "\(check) did not run: \(output)")
    }
  }
}
