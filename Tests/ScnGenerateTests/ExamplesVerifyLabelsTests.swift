import Foundation
import ScnDataset
import ScnSensors
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

  /// The same rack runs 1.5–2.5 m from a 64×48 camera and a 64-channel LiDAR firing every
  /// 0.1°: a pixel is about 12 cm wide at 5 m, wider than a rack upright, so the LiDAR hits
  /// uprights and the seams between touching bays that no pixel centre hits. This is what
  /// made rack runs fail `verify --labels` (issue 17): the instance check took those
  /// points for labelling errors (1.1–1.3 % of a frame, over the 1 % allowed).
  static let coarseRacks = racks
    .replacingOccurrences(of: "resolution: (320, 240)", with: "resolution: (64, 48)")
    .replacingOccurrences(of: "channels: 16", with: "channels: 64, horizontal_resolution: 0.1deg")
    .replacingOccurrences(of: "uniform(1.5m, 6.0m)", with: "uniform(1.5m, 2.5m)")

  @discardableResult
  func generateAndVerify(_ source: String, count: Int, extra: [String] = [], keep: URL? = nil) throws
    -> VerificationReport
  {
    let out = keep ?? Paths.temporary("examples-verify")
    try? FileManager.default.removeItem(at: out)
    defer { if keep == nil { try? FileManager.default.removeItem(at: out) } }
    let generated = try SCNProcess.run(["generate", source, "--count", String(count), "--out", out.path] + extra)
    try #require(generated.status == 0, "\(generated.stderr)")
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(source): \(report.problems)")
    return report
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

  /// Touching bays and uprights thinner than a pixel: the LiDAR hits what the camera cannot
  /// resolve, and verify tells that from a labelling error with the instances' boxes.
  @Test func racksThinnerThanAPixelPassVerifyLabels() throws {
    let source = try Fixture.file(Self.coarseRacks, name: "racks.scn")
    defer { try? FileManager.default.removeItem(at: source.deletingLastPathComponent()) }
    let report = try generateAndVerify(source.path, count: 4, extra: ["--jobs", "2"])
    // The case arises (the test cannot pass for want of it) and is told apart, not ignored.
    #expect(report.lidarInstancesUnresolved > 0)
    #expect(report.depthPointsBetweenPixels > 0)
    #expect(report.lidarInstancesCompared > 10 * report.lidarInstancesUnresolved)
  }

  /// The excuses do not blind the check: instance images whose rack ids are moved one bay
  /// along (each bay labelled as its neighbour) fail it.
  @Test func shiftedInstanceIdsStillFailVerifyLabels() throws {
    let source = try Fixture.file(Self.racks, name: "racks.scn")
    let out = Paths.temporary("racks-shifted")
    defer {
      try? FileManager.default.removeItem(at: source.deletingLastPathComponent())
      try? FileManager.default.removeItem(at: out)
    }
    try generateAndVerify(source.path, count: 2, extra: ["--jobs", "2"], keep: out)
    let folder = out.appendingPathComponent("instance/cam")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".png") }
    try #require(!names.isEmpty)
    for name in names {
      let url = folder.appendingPathComponent(name)
      let png = try PNGImage(decoding: Array(try Data(contentsOf: url)))
      // Instance 1 is the car; the racks are 2…9: each becomes the next bay's id.
      let shifted = png.samples.map { id -> UInt16 in id >= 2 ? (id >= 9 ? 2 : id + 1) : id }
      let bytes = png.layout == .gray16
        ? try PNGEncoder().encodeGray16(shifted, width: png.width, height: png.height)
        : try PNGEncoder().encodeGray(shifted.map { UInt8(truncatingIfNeeded: $0) }, width: png.width, height: png.height)
      try Data(bytes).write(to: url)
    }
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems.contains { $0.detail.contains("hit an instance absent from the 3×3 pixels") },
            "\(report.problems)")
  }
}
