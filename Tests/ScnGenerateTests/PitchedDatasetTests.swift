import Foundation
import ScnDataset
import Testing

/// A pitched actor end to end: a 2 m post pitched nose up 90deg stands upright in the camera
/// image (its COCO box tall and thin, the level beam's wide and flat), the labels' own
/// `box_3d` carries its full rotation (the beam's, level, none), `samples.jsonl` and
/// `frames.jsonl` its full pose, and `verify --labels` finds the depth and instance images
/// agreeing with the labels (docs/scene-model.md).
@Suite struct PitchedDatasetTests {
  static let scene = """
    @dataset(name: "posts", version: "0.1.0", license: "CC-BY-4.0")
    @intended_use("Testing pitched actors.")
    @out_of_scope("Everything else.")
    scenario Posts {
        ego pole = Mast at (0m, 0m, 0m)
        let standing = Box { size: (2m, 0.3m, 0.3m), class: "post" } at (6m, -1m, 1m) facing (0deg, -90deg, 0deg)
        let lying = Box { size: (2m, 0.3m, 0.3m), class: "beam" } at (6m, 1.5m, 0.5m) facing 90deg
        sensor cam = Camera { mount: pole, offset: (0m, 0m, 1m), resolution: (96, 72), fov: 70deg,
            outputs: [rgb, depth, instance, boxes2d, boxes3d] }
    }

    """

  @Test func aPitchedPostStandsUprightInEveryOutput() throws {
    let source = try Fixture.file(Self.scene, name: "posts.scn")
    let out = Paths.temporary("posts")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let result = try SCNProcess.run(["generate", source.path, "--count", "1", "--out", out.path])
    try #require(result.status == 0, "\(result.stderr)")

    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(report.problems)")

    let coco = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("annotations/coco_cam.json")))
        as? [String: Any])
    let annotations = try #require(coco["annotations"] as? [[String: Any]])
    func annotation(_ name: String) throws -> [String: Any] {
      try #require(annotations.first { $0["class"] as? String == name }, "no \(name)")
    }
    let post = try annotation("post"), beam = try annotation("beam")
    let postBox = try #require(post["bbox"] as? [Double]), beamBox = try #require(beam["bbox"] as? [Double])
    // [x, y, width, height]: the post tall and thin, the beam wide and flat.
    #expect(postBox[3] > 3 * postBox[2], "\(postBox)")
    #expect(beamBox[2] > 3 * beamBox[3], "\(beamBox)")
    let post3D = try #require(post["box_3d"] as? [String: Any]), beam3D = try #require(beam["box_3d"] as? [String: Any])
    // Object → camera body: the post's +x turned to +z (pitch −90deg about y).
    let q = try #require(post3D["rotation_wxyz"] as? [Double])
    let half = 0.5.squareRoot()
    #expect(q.count == 4 && abs(q[0] - half) < 1e-9 && abs(q[2] + half) < 1e-9 && abs(q[1]) < 1e-9 && abs(q[3]) < 1e-9)
    #expect(beam3D["rotation_wxyz"] == nil)
    // Centre of the post's box: (5.85, −1, 1) in the world, the camera 1 m up.
    let centre = try #require(post3D["center"] as? [Double])
    #expect(abs(centre[0] - 5.85) < 1e-9 && abs(centre[1] + 1) < 1e-9 && abs(centre[2]) < 1e-9, "\(centre)")

    let samples = try String(contentsOf: out.appendingPathComponent("samples.jsonl"), encoding: .utf8)
    #expect(samples.contains("\"rotation_wxyz\":[0.7071067811865476,0.0,-0.7071067811865475,0.0]"))
    #expect(samples.contains("\"pitch\":{\"value\":-1.5707963267948966,\"unit\":\"rad\"}"))
    let frames = try String(contentsOf: out.appendingPathComponent("frames.jsonl"), encoding: .utf8)
    #expect(frames.contains("\"rotation_wxyz\":[0.7071067811865476,0.0,-0.7071067811865475,0.0]"))
  }
}
