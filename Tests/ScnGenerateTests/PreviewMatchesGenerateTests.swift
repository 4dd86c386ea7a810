import Foundation
import ScnDataset
import ScnEncoding
import Testing

@testable import ScnDriver

/// What you preview is what you get: for every Example and seeds 0…4, `scn sample` prints
/// the params of the record `scn generate` writes to `samples.jsonl` with the same
/// arguments, and the actor poses of the scene generate renders. Generate runs through the
/// library with `maxFrames = 0` (what `scn card` does: sampling and simulation, no
/// rendering), so the test stays fast.
@Suite struct PreviewMatchesGenerateTests {
  static let examples = [
    "highway_cut_in.scn", "tabletop_grasping.scn", "town_drive.scn", "urban_night_crossing.scn",
    "warehouse_pallets.scn", "warehouse_suite.scn",
  ]

  @Test(arguments: examples) func sampleEqualsGenerate(_ example: String) throws {
    let path = Paths.repository.appendingPathComponent("Examples/" + example).path
    let driver = Driver(stdlibRoot: Paths.repository.appendingPathComponent("StdLib").path)
    for seed: UInt64 in 0...4 {
      let printed = try SCNProcess.run(["sample", path, "--seed", String(seed), "--count", "1", "--jobs", "1"])
      try #require(printed.status == 0, "\(example) seed \(seed): \(printed.stderr)")
      let preview = try JSONValue.parse(printed.stdout.trimmingCharacters(in: .newlines))

      let out = Paths.temporary("preview")
      defer { try? FileManager.default.removeItem(at: out) }
      var request = GenerateRequest(path: path, count: 1, output: out)
      request.seed = seed
      request.maxFrames = 0
      request.existingOutput = .replace
      let session = try driver.prepareGeneration(request)
      _ = try session.run(request)
      let records = try String(contentsOf: out.appendingPathComponent("samples.jsonl"), encoding: .utf8)
        .split(separator: "\n").map { try JSONValue.parse(String($0)) }
      let record = try #require(records.first { $0["index"]?.intValue == 0 })
      #expect(preview["params"] == record["params"], "\(example) seed \(seed): params differ")

      // The poses of the scene generate rendered (sample 0, as its render loop draws it).
      let rendered = try #require(session.sample(0).scenes.first)
      let actors = try #require(preview["actors"]?.arrayValue)
      #expect(actors.count == rendered.actors.count, "\(example) seed \(seed)")
      for (printedActor, actor) in zip(actors, rendered.actors) {
        #expect(printedActor["name"]?.stringValue == actor.name)
        let position = printedActor["position"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        #expect(position == [actor.position.x, actor.position.y, actor.position.z], "\(example) \(actor.name)")
        #expect(printedActor["heading"]?["rad"]?.doubleValue == actor.heading, "\(example) \(actor.name)")
      }
    }
  }

  /// `--no-simulate` is a different, faster preview: it says what it does not check.
  @Test func noSimulateSaysWhatIsNotChecked() throws {
    let path = Paths.repository.appendingPathComponent("Examples/highway_cut_in.scn").path
    let result = try SCNProcess.run(["sample", path, "--no-simulate", "--count", "1"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("note: the simulation was skipped (--no-simulate)"), "\(result.stderr)")
    #expect(result.stderr.contains("are not checked"))
  }
}
