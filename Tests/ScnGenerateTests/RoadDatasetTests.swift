import Foundation
import ScnDataset
import Testing

/// A dataset of a street with a drawn road and sidewalk: stuff classes in the semantic images
/// and the card, none in COCO, `verify --labels` passing, the same bytes for any `--jobs`.
@Suite struct RoadDatasetTests {
  static let scene = """
    import std.vehicles
    import std.pedestrians

    @dataset(name: "roads-test", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing drawn roads.")
    @out_of_scope("Everything else.")
    scenario Street {
        let street = road(start: (-20m, 1.75m, 0m), heading: 0deg, segments: [straight(60m), arc(radius: 80m, turn: 20deg)],
            lanes: 2, lane_width: 3.5m)
        let walk = sidewalk(street, 0.5m, 2m)
        ego car = Car at (0m, 0m, 0m) facing 0deg
        let ahead = Car at (uniform(12m, 20m), 3.5m, 0m) facing 0deg
        let people = [Pedestrian on walk facing 0deg for _ in 0..<2]
        sensor cam = Camera { mount: car, offset: (0.5m, 0m, 1.4m), resolution: (160, 120), fov: 70deg,
            outputs: [rgb, depth, instance, semantic, boxes2d, boxes3d] }
        sensor lidar = Lidar { mount: car, offset: (0m, 0m, 1.8m), channels: 16, horizontal_resolution: 1deg,
            range: 60m, noise: 0.01m }
    }

    """

  @Test func streetDatasetHasStuffInMasksOnlyAndPassesVerify() throws {
    let source = try Fixture.file(Self.scene, name: "street.scn")
    let one = Paths.temporary("roads-1"), two = Paths.temporary("roads-2")
    defer { for u in [one, two, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    for (out, jobs) in [(one, "1"), (two, "2")] {
      try? FileManager.default.removeItem(at: out)
      let result = try SCNProcess.run(["generate", source.path, "--count", "2", "--out", out.path, "--jobs", jobs])
      try #require(result.status == 0, "\(result.stderr)")
    }
    #expect(try snapshot(one) == snapshot(two))

    let report = DatasetVerifier.verify(directory: one, labels: true)
    #expect(report.problems == [], "\(report.problems)")
    #expect(report.depthPointsCompared > 100)

    let card = try String(contentsOf: one.appendingPathComponent("README.md"), encoding: .utf8)
    for row in ["| 1 | ground |", "| 2 | car |", "| 3 | curb |", "| 4 | lane\\_marking |", "| 5 | pedestrian |",
                "| 6 | road |", "| 7 | sidewalk |"] {
      #expect(card.contains(row), "\(row)")
    }
    #expect(card.contains("Stuff classes (`ground`, `curb`, `lane_marking`, `road`, `sidewalk`)"))

    let coco = try JSONSerialization.jsonObject(
      with: Data(contentsOf: one.appendingPathComponent("annotations/coco_cam.json"))) as? [String: Any]
    let categories = (coco?["categories"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(categories == ["car", "pedestrian"])
    let annotated = Set((coco?["annotations"] as? [[String: Any]] ?? []).compactMap { $0["category_id"] as? Int })
    #expect(annotated.isSubset(of: [2, 5]) && annotated.contains(2))
  }

  static let hall = """
    import std.warehouse

    @dataset(name: "room-test", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing rooms.")
    @out_of_scope("Everything else.")
    scenario Hall {
        let hall = room((5m, 0m, 0m), (16m, 10m, 4m))
        ego forklift = Forklift at (-1m, 0m, 0m) facing 0deg
        let pallets = [Pallet on inset(hall, 1m) facing 0deg for _ in 0..<3]
        environment { indoor: true, light: 300lx }
        sensor cam = Camera { mount: forklift, offset: (0m, 0m, 2m), resolution: (160, 120), fov: 80deg,
            outputs: [rgb, depth, instance, semantic, boxes2d] }
        sensor lidar = Lidar { mount: forklift, offset: (0m, 0m, 2.2m), channels: 16, range: 40m }
    }

    """

  @Test func roomWallsAreStuffInMasksDepthAndLidar() throws {
    let source = try Fixture.file(Self.hall, name: "hall.scn")
    let out = Paths.temporary("hall")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    try? FileManager.default.removeItem(at: out)
    let result = try SCNProcess.run(["generate", source.path, "--count", "2", "--out", out.path])
    try #require(result.status == 0, "\(result.stderr)")
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(report.problems)")
    let card = try String(contentsOf: out.appendingPathComponent("README.md"), encoding: .utf8)
    for row in ["| 1 | ground |", "| 2 | forklift |", "| 3 | pallet |", "| 4 | wall |"] { #expect(card.contains(row), "\(row)") }
    // Seen from inside, the walls fill a large part of the frame; they have no instance.
    let semantic = try PNGImage(decoding: [UInt8](Data(contentsOf: out.appendingPathComponent("semantic/cam/000000_0000.png"))))
    let instance = try PNGImage(decoding: [UInt8](Data(contentsOf: out.appendingPathComponent("instance/cam/000000_0000.png"))))
    let walls = semantic.samples.indices.filter { semantic.samples[$0] == 4 }
    #expect(walls.count > semantic.samples.count / 10, "\(walls.count) wall pixels")
    #expect(walls.allSatisfy { instance.samples[$0] == 0 })
  }
}
