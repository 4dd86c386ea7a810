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

/// The report bins quantities (`{"value", "unit"}` in samples.jsonl) like numbers, in the unit
/// the scenario writes them in, with the declared law drawn over the accepted samples.
@Suite struct ReportHistogramTests {
  @Test func quantitiesAreBinnedInTheAuthorsUnitAgainstTheDeclaredLaw() {
    // ego_speed = uniform(30km/h, 50km/h), accepted only below 40 km/h.
    let kmh = 1000.0 / 3600
    let samples: [JSONValue] = (0..<40).map { i in
      .object([("params", .object([("ego_speed", .object([("value", .double((30 + Double(i) * 0.25) * kmh)), ("unit", .string("m/s"))]))]))])
    }
    let coverage: JSONValue = .object([
      ("parameters", .array([.object([
        ("name", .string("ego_speed")), ("type", .string("Speed")), ("distribution", .string("uniform(30km/h, 50km/h)")),
        ("unit", .object([("symbol", .string("km/h")), ("scale", .double(kmh))])),
        ("declared", .object([("law", .string("uniform")), ("parameters", .array([.double(30 * kmh), .double(50 * kmh)])), ("scale", .double(1))])),
      ])])),
    ])
    let html = DatasetReport.parameterSection(coverage: coverage, samples: samples)
    #expect(html.components(separatedBy: "<rect class=\"bar\"").count - 1 == 20, "\(html)")
    #expect(html.contains(">30 km/h<") && html.contains(">50 km/h<"), "\(html)")
    #expect(html.contains("uniform(30km/h, 50km/h)") && html.contains("Speed"))
    // The declared line: 2 expected per bin (40 samples over 20 bins of the uniform law).
    #expect(html.contains("class=\"declared\""))
    #expect(html.contains("0 samples, 2 expected from the declared law"), "\(html)")
    #expect(!html.contains("{&quot;value&quot;") && !html.contains("{\"value\""))
  }

  @Test func declaredLawsIntegrateToOne() throws {
    for law in [
      ("uniform", [1.0, 3.0]), ("normal", [0.0, 2.0]), ("lognormal", [0.3, 0.2]), ("truncnormal", [0.0, 1.0, -0.5, 2.0]),
      ("uniform_int", [1.0, 4.0]),
    ] {
      let json: JSONValue = .object([
        ("law", .string(law.0)), ("parameters", .array(law.1.map(JSONValue.double))), ("scale", .double(1)),
      ])
      let d = try #require(DeclaredDistribution(json, unitScale: 1))
      let (lo, hi) = d.span
      #expect(d.cdf(lo - 1e-9) < 0.002 && d.cdf(hi) > 0.998, "\(law.0): \(d.cdf(lo)) \(d.cdf(hi))")
    }
  }
}
