import Foundation
import ScnEncoding
import Testing

/// The bytes `scn sample --format json` prints are pinned: a writer change that alters them
/// (a digit, a key, the order) is a decision, not an accident. `Goldens/sample_golden.scn`
/// has params, a cover, a camera, a random environment and an ego with five free boxes.
@Suite struct SampleGoldenTests {
  static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
  /// SHA-256 of the JSON Lines of samples 0..<3000 (seed 7), and of samples 5..<3005: many
  /// blocks of `Sampler.stream`, more than one turn of its ring with two or three jobs.
  static let hash3000 = "63c1d149c4bf10201907d05ac420b65d5f6e6da707a872942064c3c903cae94f"
  static let hash3000From5 = "182ffbbbd9c6f71b5f053ae75f587adc80321ca880813418db69d00293b0ea33"

  func sample(_ extra: [String]) throws -> SCNResult {
    let program = try String(contentsOf: Self.goldens.appendingPathComponent("sample_golden.scn"), encoding: .utf8)
    let dir = try temporaryDirectory(files: ["golden.scn": program])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try SCNProcess.run(["sample", "golden.scn", "--seed", "7", "--format", "json"] + extra, in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    return r
  }

  @Test func firstScenesAreTheGoldenBytes() throws {
    let out = try sample(["--count", "3"]).stdout
    let url = Self.goldens.appendingPathComponent("sample_golden_first3.jsonl")
    if ProcessInfo.processInfo.environment["SCN_RECORD"] == "1" { try Data(out.utf8).write(to: url) }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(out == golden)
  }

  @Test(arguments: [1, 2, 3])
  func manyScenesHashTheSameForAnyJobs(jobs: Int) throws {
    let out = try sample(["--count", "3000", "--jobs", String(jobs)]).stdout
    #expect(out.split(separator: "\n").count == 3000)
    #expect(SHA256Hex.of(Array(out.utf8)) == Self.hash3000)
    let shifted = try sample(["--start", "5", "--count", "3000", "--jobs", String(jobs)]).stdout
    #expect(SHA256Hex.of(Array(shifted.utf8)) == Self.hash3000From5)
  }
}
