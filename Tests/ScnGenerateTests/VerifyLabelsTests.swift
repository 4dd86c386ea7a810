import Foundation
import ScnDataset
import Testing

/// `scn verify --labels` on datasets the generator wrote: they pass, with LiDAR points really
/// compared, and files swapped between samples are caught by the label checks alone.
@Suite struct VerifyLabelsTests {
  /// The test scene with a wall behind the boxes (so most LiDAR returns land on something
  /// whose depth changes from sample to sample) and a noisy 16-channel LiDAR mounted above
  /// and behind the camera (so parallax is real).
  /// `lens`: "pinhole" (ideal), "brown" (Brown–Conrady distortion) or "fisheye" (a 190°
  /// Kannala–Brandt lens, which sees the wall, the ground beside the robot and the LiDAR's
  /// returns out to 95° off axis, depth as range).
  static func scene(lens: String = "pinhole") -> String {
    Fixture.boxes
      .replacingOccurrences(
        of: "    require visible",
        with: "    let wall = Box { size: (0.5m, 40m, 8m), class: \"crate\" } at (distance + 5m, 0m, 0m) facing 0deg\n"
          + "    require visible"
      )
      .replacingOccurrences(of: "offset: (0m, 0m, 1m), resolution", with: "offset: (0.2m, 0m, 1m), resolution")
      .replacingOccurrences(
        of: "fov: 90deg,",
        with: lens == "brown"
          ? "fov: 90deg, distortion: (-0.12, 0.02, 0.001, -0.002, 0.0),"
          : lens == "fisheye" ? "fov: 190deg, model: fisheye, fisheye_distortion: (0.02, -0.004, 0.0005, 0.0)," : "fov: 90deg,"
      )
      .replacingOccurrences(
        of: "offset: (0m, 0m, 1m), channels: 4, horizontal_resolution: 2deg, range: 30m",
        with: "offset: (0m, 0m, 1.3m), channels: 16, horizontal_resolution: 1deg, range: 30m, noise: 0.02m")
  }

  static func generate(_ text: String, count: Int = 2) throws -> (source: URL, out: URL) {
    let source = try Fixture.file(text)
    let out = Paths.temporary("verify-labels")
    try FileManager.default.removeItem(at: out)
    let result = try SCNProcess.run(["generate", source.path, "--count", String(count), "--out", out.path])
    #expect(result.status == 0, "\(result.stderr)")
    return (source, out)
  }

  @Test(arguments: ["pinhole", "brown", "fisheye"]) func generatedDatasetPassesWithPointsCompared(lens: String) throws {
    let scene = Self.scene(lens: lens)
    #expect(scene.contains("let wall") && scene.contains("channels: 16") && scene.contains("(0.2m, 0m, 1m)"))
    #expect(scene.contains("distortion:") == (lens != "pinhole"))
    let (source, out) = try Self.generate(scene)
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let report = DatasetVerifier.verify(directory: out, labels: true)
    #expect(report.problems == [], "\(report.problems)")
    #expect(report.instanceImagesChecked == 2)
    #expect(report.depthPointsCompared > 1000, "\(report.depthPointsCompared)")
    // The 4σ tolerance leaves Gaussian noise and edges almost no room to contradict.
    #expect(report.depthPointsContradicting * 100 < report.depthPointsCompared)
    #expect(
      report.lidarInstancesCompared + report.depthPointsContradicting + report.depthPointsHidden
        == report.depthPointsCompared)
    #expect(report.notes == [], "\(report.notes)")
    let cli = try SCNProcess.run(["verify", "--labels", out.path])
    #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
    #expect(
      cli.stderr.contains("verify: OK:")
        && cli.stderr.contains("\(report.depthPointsCompared) LiDAR points against depth"),
      "\(cli.stderr)")
  }

  @Test func depthOrInstanceImagesSwappedBetweenSamplesAreCaught() throws {
    let (source, out) = try Self.generate(Self.scene())
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    for folder in ["depth", "instance"] {
      let a = "\(folder)/cam/000000_0000.png"
      let b = "\(folder)/cam/000001_0000.png"
      let copy = Paths.temporary("swap-\(folder)")
      try FileManager.default.removeItem(at: copy)
      try FileManager.default.copyItem(at: out, to: copy)
      defer { try? FileManager.default.removeItem(at: copy) }
      let left = try Data(contentsOf: out.appendingPathComponent(a))
      try Data(contentsOf: out.appendingPathComponent(b)).write(to: copy.appendingPathComponent(a))
      try left.write(to: copy.appendingPathComponent(b))
      // Without --labels only the hashes notice; the label problems come from decoding the images.
      #expect(DatasetVerifier.verify(directory: copy).problems.map(\.kind) == [.changed, .changed])
      let problems = DatasetVerifier.verify(directory: copy, labels: true).problems.filter { $0.kind == .label }
      if folder == "depth" {
        #expect(problems.map(\.path) == [a, b], "\(problems)")
        #expect(problems.allSatisfy { $0.detail.contains(": the depth image ") })
      } else {
        for path in [a, b] {
          #expect(
            problems.contains {
              $0.path == "annotations/coco_cam.json" && $0.detail.contains("its mask") && $0.detail.contains(path)
            },
            "\(problems)")
          #expect(
            problems.contains {
              $0.path == path && $0.detail.contains("LiDAR points whose depth agrees hit an instance absent")
            }, "\(problems)")
        }
      }
      let cli = try SCNProcess.run(["verify", "--labels", copy.path])
      #expect(cli.status == 1)
      #expect(cli.stdout.contains("label: \(a): "), "\(cli.stdout)")
    }
  }
}
