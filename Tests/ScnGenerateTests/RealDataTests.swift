import Foundation
import ScnEncoding
import Testing

/// `empirical(...)` and `@privacy` end to end: the drawn values are recorded per sample, the
/// data file's SHA-256 joins the manifest's sources, the card lists the real input and the
/// distances, a policy that is not met stops generation before anything vouches for the data,
/// and a symbolic link leaving the scenario's folder is refused.
@Suite struct RealDataTests {
  /// 200 walking speeds (m/s) and heights (cm), a deterministic pseudo-survey.
  static let csv: String = {
    var s = "id,speed,height\n"
    var x: UInt64 = 12345
    func next() -> Double {
      x = x &* 6364136223846793005 &+ 1442695040888963407
      return Double(x >> 11) / Double(1 << 53)
    }
    for i in 0..<200 {
      s += "\(i),\(String(format: "%.3f", 1.1 + 0.6 * next())),\(String(format: "%.1f", 150 + 40 * next()))\n"
    }
    return s
  }()

  static func scenario(policy: String) -> String {
    """
    @dataset(name: "walkers", version: "0.1.0", license: "CC0-1.0")
    @description("Boxes whose size follows real walking speeds and heights.")
    @intended_use("Testing empirical distributions.")
    @out_of_scope("Training anything.")
    \(policy)
    scenario Walkers {
        param speed: Speed = empirical("data/walk.csv", column: "speed", unit: m/s, bandwidth: 0.02m/s)
        param height: Length = empirical("data/walk.csv", column: "height", unit: cm)
        ego robot = Box { size: (0.5m, 0.5m, 0.5m), class: "robot" } at (0m, 0m, 0m) facing 0deg
        let target = Box { size: (1m, 1m, height), class: "target" } at (5m, 0m, 0m) facing 0deg
        sensor cam = Camera { mount: robot, offset: (0m, 0m, 1m), resolution: (32, 24), fov: 90deg, outputs: [rgb, boxes2d] }
    }

    """
  }

  static func source(policy: String) throws -> URL {
    let url = try Fixture.file(scenario(policy: policy), name: "walkers.scn")
    let data = url.deletingLastPathComponent().appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try Data(csv.utf8).write(to: data.appendingPathComponent("walk.csv"))
    return url
  }

  @Test func drawnValuesAreRecordedAndTheCardListsTheRealData() throws {
    let source = try Self.source(policy: "@privacy(\"Speeds and heights from a survey.\", min_record_distance: 0.001, max_share: 0.5)")
    let out = Paths.temporary("walkers")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "12", "--out", out.path])
    #expect(run.status == 0, "\(run.stderr)")

    // Every sample records both draws, in the file's unit, and they equal its params.
    let lines = try String(contentsOf: out.appendingPathComponent("samples.jsonl"), encoding: .utf8)
      .split(separator: "\n")
    #expect(lines.count == 12)
    let speeds = Set(Self.csv.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",")[1]) })
    for line in lines {
      let record = try JSONValue.parse(bytes: Array(line.utf8))
      let draws = record["empirical"]?.arrayValue ?? []
      #expect(draws.count == 2)
      let byInput = Dictionary(draws.compactMap { d in d["input"]?.intValue.map { ($0, d["value"]?.doubleValue ?? .nan) } }, uniquingKeysWith: { a, _ in a })
      // Inputs are numbered in the order the card lists them: height (cm) first, then speed.
      let height = try #require(byInput[0]), speed = try #require(byInput[1])
      #expect(abs((record["params"]?["height"]?["value"]?.doubleValue ?? 0) - height / 100) < 1e-12)
      #expect(abs((record["params"]?["speed"]?["value"]?.doubleValue ?? 0) - speed) < 1e-12)
      // Heights have no declared bandwidth, so Silverman's rule smooths them; speeds stay
      // within a few bandwidths (0.02 m/s) of a surveyed speed.
      #expect(speeds.contains { abs($0 - speed) < 0.1 })
    }

    let card = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    let sha = SHA256Hex.of(Array(Self.csv.utf8))
    #expect(card.contains("| `data/walk.csv` | `\(sha)` | 200 | `speed` | `m/s` | 0.02 m/s (declared) |"))
    #expect(card.contains("| `data/walk.csv` | `\(sha)` | 200 | `height` | `cm` |"))
    #expect(card.contains("(Silverman's rule)"))
    #expect(card.contains("Speeds and heights from a survey."))
    #expect(card.contains("| 24 |"), "24 records: 12 samples × 2 draws")
    #expect(card.contains("(met)"))

    let manifest = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("manifest.json"))))
    let sources = manifest["sources"]?.arrayValue ?? []
    #expect(sources.filter { $0["path"]?.stringValue == "data/walk.csv" && $0["sha256"]?.stringValue == sha }.count == 1)
    let verify = try SCNProcess.run(["verify", out.path])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func aPolicyThatIsNotMetStopsBeforeTheManifest() throws {
    // A bandwidth of 0 copies real values exactly: every record is at distance 0.
    let text = Self.scenario(policy: "@privacy(min_record_distance: 0.01, max_share: 0.05)")
      .replacingOccurrences(of: "bandwidth: 0.02m/s", with: "bandwidth: 0m/s")
    let source = try Self.source(policy: "")
    try Data(text.utf8).write(to: source)
    let out = Paths.temporary("walkers-fail")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "6", "--out", out.path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("privacy audit failed"), "\(run.stderr)")
    #expect(run.stderr.contains("data/walk.csv:speed"), "the report names the closest records")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("manifest.json").path))
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("README.md").path))
    // Resuming cannot make the same data pass.
    let again = try SCNProcess.run(["generate", source.path, "--count", "6", "--out", out.path, "--resume"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("privacy audit failed"))
  }

  @Test func aSymbolicLinkOutOfTheScenarioFolderIsRefused() throws {
    let source = try Self.source(policy: "")
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    let outside = Paths.temporary("outside")
    defer { try? FileManager.default.removeItem(at: outside) }
    try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
    try Data(Self.csv.utf8).write(to: outside.appendingPathComponent("walk.csv"))
    let link = source.deletingLastPathComponent().appendingPathComponent("data/walk.csv")
    try FileManager.default.removeItem(at: link)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent("walk.csv"))
    let run = try SCNProcess.run(["check", source.path])
    #expect(run.status == 1)
    #expect(run.stdout.contains("E0286") || run.stderr.contains("E0286"), "\(run.stdout)\(run.stderr)")
    #expect((run.stdout + run.stderr).contains("outside the scenario's folder"))
  }
}
