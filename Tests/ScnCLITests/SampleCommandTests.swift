import Foundation
import Testing

@Suite struct SampleCommandTests {
  static let scenario = """
    scenario Aisle {
        param width: Length = uniform(2m, 4m)
        param n: Int = uniform_int(1, 3)
        let boxes = [Box at (3m * i, 0m, 0m) for i in 0..<n]
        cover count: n
        cover w: width buckets [2m, 3m, 4m]
    }
    """

  func run(_ args: [String], files: [String: String] = ["a.scn": scenario]) throws -> SCNResult {
    let dir = try temporaryDirectory(files: files)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try SCNProcess.run(args, in: dir)
  }

  @Test func printsOneJSONObjectPerSample() throws {
    let r = try run(["sample", "a.scn", "--seed", "3", "--count", "4"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 4)
    for (i, line) in lines.enumerated() {
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      #expect(object?["sample"] as? Int == i)
      #expect(object?["scenario"] as? String == "Aisle")
      #expect(object?["seed"] as? Int == 3)
    }
    #expect(lines[0].hasPrefix(#"{"sample":0,"scenario":"Aisle","seed":3,"attempts":1,"params":{"n":"#))
  }

  @Test func batchAndSingleSampleAgreeAndJobsDoNotMatter() throws {
    let batch = try run(["sample", "a.scn", "--count", "6", "--jobs", "1"])
    let parallel = try run(["sample", "a.scn", "--count", "6", "--jobs", "3"])
    let single = try run(["sample", "a.scn", "--start", "4", "--count", "1"])
    #expect(batch.stdout == parallel.stdout)
    #expect(batch.stdout.split(separator: "\n")[4] == single.stdout.split(separator: "\n")[0])
  }

  @Test func tableFormatAndExplain() throws {
    let r = try run(["sample", "a.scn", "--count", "2", "--format", "table", "--explain"])
    #expect(r.status == 0)
    #expect(r.stdout.hasPrefix("sample 0  scenario Aisle  attempts 1\n  params: n = "))
    #expect(r.stderr.contains("scenario Aisle: 2 attempts, 2 accepted"))
  }

  @Test func paramOverridesAreCheckedForUnits() throws {
    let good = try run(["sample", "a.scn", "--param", "width=250cm", "--param", "n=2"])
    #expect(good.status == 0)
    #expect(good.stdout.contains(#""params":{"n":2,"width":{"value":2.5,"unit":"m"}}"#))
    let wrong = try run(["sample", "a.scn", "--param", "width=3s"])
    #expect(wrong.status == 1)
    #expect(wrong.stderr.contains("param 'width' expects Length (m), found Time (s)"))
    let unknownUnit = try run(["sample", "a.scn", "--param", "width=3meters"])
    #expect(unknownUnit.status == 1)
    #expect(unknownUnit.stderr.contains("unknown unit 'meters'"))
  }

  @Test func coverTargetAndCoverageFile() throws {
    let dir = try temporaryDirectory(files: ["a.scn": Self.scenario])
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try SCNProcess.run(["sample", "a.scn", "--count", "6", "--cover-target", "count", "--coverage", "cov.json"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let report = try String(contentsOf: dir.appendingPathComponent("cov.json"), encoding: .utf8)
    #expect(report.contains(#""buckets":[{"bucket":"1","count":2},{"bucket":"2","count":2},{"bucket":"3","count":2}]"#))
    #expect(r.stdout.contains(#""guidance":{"mode":"cover-target","buckets":{"count":"#))
  }

  @Test func exitCodes() throws {
    let impossible = """
      scenario Never {
          let a = Box at (uniform(0m, 1m), 0m, 0m)
          let b = Box at (uniform(3m, 4m), 0m, 0m)
          require overlaps(a, b)
      }
      """
    let r = try run(["sample", "n.scn", "--max-attempts", "50"], files: ["n.scn": impossible])
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0506]"))
    #expect(r.stderr.contains("require overlaps(a, b)"))
    let broken = try run(["sample", "b.scn"], files: ["b.scn": "scenario B { let x = 3m + 2s }"])
    #expect(broken.status == 1)
    let missing = try run(["sample", "nope.scn"])
    #expect(missing.status == 2)
    let usage = try run(["sample", "a.scn", "--count", "-1"])
    #expect(usage.status == 2)
    let noSuchScenario = try run(["sample", "a.scn", "--scenario", "Isle"])
    #expect(noSuchScenario.status == 1)
  }
}
