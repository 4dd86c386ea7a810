import Foundation
import ScnDataset
import Testing

/// A dataset `scn generate` writes must pass `scn verify --labels`: every Example (one sample,
/// one frame) and rack runs placed end to end 2.7 m apart as `std.warehouse` advises, seen
/// by a camera writing depth and instance images and a 16-channel LiDAR.
@Suite struct ExamplesVerifyLabelsTests {
  static let examples = ["highway_cut_in.scn", "meeting_room_chairs.scn", "tabletop_grasping.scn", "town_drive.scn",
                         "urban_night_crossing.scn", "warehouse_pallets.scn", "warehouse_suite.scn"]

  static let racks = """
    import std.warehouse
    import std.vehicles

    @dataset(name: "racks", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing labels.")
    @out_of_scope("Everything else.")
    scenario Racks {
        param y: Length = uniform(1.5m, 6.0m)
        param yaw: Angle = uniform(10deg, 60deg)
        ego car = Car at (0m, 0m, 0m) facing 0deg
        let racks = [Rack at (6m + 2.7m * i, y, 0m) facing 0deg for i in 0..<8]
        sensor cam = Camera { mount: car, offset: (0m, 0m, 1.6m), yaw: yaw, resolution: (320, 240),
            outputs: [rgb, depth, instance, boxes2d] }
        sensor lidar = Lidar { mount: car, offset: (0m, 0m, 1.8m), channels: 16, yaw: yaw, noise: 0.01m }
    }

    """

  func generateAndVerify(_ source: String, count: Int, extra: [String] = []) throws {
    let out = Paths.temporary("examples-verify")
    try? FileManager.default.removeItem(at: out)
    defer { try? FileManager.default.removeItem(at: out) }
    let generated = try SCNProcess.run(["generate", source, "--count", String(count), "--out", out.path] + extra)
    try #require(generated.status == 0, "\(generated.stderr)")
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(source): \(report.problems)")
  }

  @Test(arguments: examples) func exampleDatasetPassesVerifyLabels(_ file: String) throws {
    let example = Paths.repository.appendingPathComponent("Examples/" + file).path
    try generateAndVerify(example, count: 1, extra: ["--max-frames", "1", "--jobs", "2"])
  }

  @Test func rackRunsEndToEndPassVerifyLabels() throws {
    let source = try Fixture.file(Self.racks, name: "racks.scn")
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    try generateAndVerify(source.path, count: 4, extra: ["--jobs", "2"])
  }
}
