import ScnEncoding
import Foundation
import Testing

@testable import ScnDataset

/// A failure mode tied to cover buckets: the card and coverage.json count the samples that
/// reached it (Fixture: odd samples fall in `occlusion` = `partial`).
@Suite struct FailureModeCardTests {
  @Test func cardAndCoverageCountSamplesReachingAFailureMode() throws {
    let url = Fixture.temporaryDirectory("failure-mode")
    defer { try? FileManager.default.removeItem(at: url) }
    _ = try Fixture.write(to: url, order: Array(0..<6))
    let card = try String(contentsOf: url.appendingPathComponent("README.md"), encoding: .utf8)
    let row = card.split(separator: "\n").first { $0.contains("`FM-1`") }.map(String.init) ?? ""
    #expect(row.contains("`occlusion` in partial"), "\(row)")
    #expect(row.contains("| 3 ("), "\(row)")
    let coverage = try JSONValue.parse(String(contentsOf: url.appendingPathComponent("coverage.json"), encoding: .utf8))
    let mode = coverage["failure_modes"]?.arrayValue?.first
    #expect(mode?["id"]?.stringValue == "FM-1")
    #expect(mode?["samples"]?.intValue == 3)
    #expect(mode?["covers"]?.arrayValue?.first?["buckets"]?.arrayValue?.compactMap(\.stringValue) == ["partial"])
  }

  @Test func reachedNeedsEveryEntry() {
    let mode = FailureMode(
      id: "FM", text: "", covers: [
        FailureModeCover(point: "a", buckets: ["x", "y"]), FailureModeCover(point: "b", buckets: ["z"]),
      ])
    #expect(mode.reached { ["a": "y", "b": "z"][$0] })
    #expect(!mode.reached { ["a": "y", "b": "w"][$0] })
    #expect(!mode.reached { ["a": "y"][$0] })
    #expect(!FailureMode(id: "untied", text: "").reached { _ in "x" })
  }
}

/// The report bins quantities (`{"value", "unit"}` in samples.jsonl) like numbers, instead
/// of one bar per distinct value.
@Suite struct ReportHistogramTests {
  @Test func quantitiesAreBinnedWithTheirUnit() {
    let values: [JSONValue] = (0..<40).map { i in
      .object([("value", .double(8 + Double(i) * 0.1 + 0.013)), ("unit", .string("m/s"))])
    }
    let svg = DatasetReport.histogram(values)
    #expect(svg.components(separatedBy: "<rect").count - 1 == 20, "\(svg)")
    #expect(svg.contains("8.01 m/s"), "\(svg)")
    #expect(!svg.contains("{&quot;value&quot;") && !svg.contains("{\"value\""))
  }
}
