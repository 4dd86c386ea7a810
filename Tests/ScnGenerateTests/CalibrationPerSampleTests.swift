import Foundation
import ScnEncoding
import Testing

/// A sensor whose field of view and mount offset are random has a calibration per sample
/// (`calib/{sensor}/{sample:06}.json`), and `verify --labels` projects each sample's LiDAR
/// points with its own file.
@Suite struct CalibrationPerSampleTests {
  static let scenario = Fixture.boxes
    .replacingOccurrences(of: "offset: (0m, 0m, 1m), resolution: (80, 60), fov: 90deg,",
                          with: "offset: (0m, uniform(-0.3m, 0.3m), 1m), resolution: (80, 60), fov: uniform(60deg, 100deg),")

  @Test func eachSampleHasItsOwnCalibration() throws {
    #expect(Self.scenario != Fixture.boxes, "the fixture's camera line changed; update this test")
    let source = try Fixture.file(Self.scenario)
    let out = Paths.temporary("calib")
    defer { for u in [out, source.deletingLastPathComponent()] { try? FileManager.default.removeItem(at: u) } }
    let run = try SCNProcess.run(["generate", source.path, "--count", "3", "--seed", "4", "--out", out.path])
    #expect(run.status == 0, "\(run.stderr)")
    var matrices: [String] = []
    var offsets: [String] = []
    for sample in 0..<3 {
      let name = String(format: "%06d", sample)
      let cam = try JSONValue.parse(bytes: Array(Data(contentsOf: out.appendingPathComponent("calib/cam/\(name).json"))))
      let lidar = out.appendingPathComponent("calib/lidar/\(name).json")
      #expect(FileManager.default.fileExists(atPath: lidar.path))
      matrices.append(try #require(cam["K"]).compact)
      offsets.append(try #require(cam["extrinsics_to_mount"]).compact)
    }
    #expect(Set(matrices).count == 3, "the fov is random, so K differs per sample: \(matrices)")
    #expect(Set(offsets).count == 3, "the mount offset is random: \(offsets)")
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("calib/cam.json").path))
    let verify = try SCNProcess.run(["verify", out.path, "--labels"])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }
}
