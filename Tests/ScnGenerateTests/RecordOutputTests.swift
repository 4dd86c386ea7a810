import Foundation
import ScnEncoding
import Testing

@testable import ScnDriver

/// `record` values in `samples.jsonl` (docs/language-tour.md, "Recording values";
/// docs/architecture.md, "Dataset layout"): present only when the scenario records.
@Suite struct RecordOutputTests {
  static let scenario = Fixture.boxes
    .replacingOccurrences(of: "cover near:", with: """
      record robot.position.x as robot_x
          record initial distance as start_distance
          record final sim_time() as end
          simulate 1s at 2Hz
          cover near:
      """)

  @Test func samplesCarryRecordedValues() throws {
    let source = try Fixture.file(Self.scenario)
    let out = Paths.temporary("recorded")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "2", "--seed", "3", "--out", out.path])
    try #require(result.status == 0, "\(result.stderr)")
    let files = try snapshot(out)
    let samples = try DatasetRecordsTests.lines(files["samples.jsonl"])
    #expect(samples.count == 2)
    for s in samples {
      let records = try #require(s["records"])
      let xs = try #require(records["robot_x"]?.arrayValue)
      #expect(xs.compactMap { $0["step"]?.intValue } == [0, 1, 2])
      #expect(xs.compactMap { $0["time"]?.doubleValue } == [0, 0.5, 1])
      // A quantity with its unit, as every value in samples.jsonl.
      #expect(xs.allSatisfy { $0["value"]?["unit"]?.stringValue == "m" }, "\(xs)")
      #expect(xs.allSatisfy { abs($0["value"]?["value"]?.doubleValue ?? .nan) < 1e-3 }, "\(xs)")
      #expect(records["start_distance"]?["value"]?.doubleValue == s["params"]?["distance"]?["value"]?.doubleValue)
      #expect(records["end"]?["value"]?.doubleValue == 1)
    }
  }

  /// A scenario that records nothing writes no `records` member.
  @Test func noRecordsNoMember() throws {
    let source = try Fixture.file()
    let out = Paths.temporary("unrecorded")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "1", "--seed", "3", "--out", out.path])
    try #require(result.status == 0, "\(result.stderr)")
    let samples = try DatasetRecordsTests.lines(try snapshot(out)["samples.jsonl"])
    #expect(samples.first?["records"] == nil)
  }
}
