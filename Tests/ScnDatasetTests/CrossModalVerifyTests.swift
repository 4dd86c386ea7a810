import Foundation
import ScnGeometry
import Testing

@testable import ScnDataset
import ScnEncoding

/// The hand-made fixture, but with LiDAR sweeps that agree with the depth and instance
/// images: one return through every other pixel centre, at the depth the image holds.
enum ConsistentFixture {
  static let lidarMount = Vec3(0, 0, 2)

  static func cameraPosition(frame: Int) -> Vec3 { Vec3(0.5 + Double(frame) * 0.15, 0, 1.5) }
  static func lidarPosition(frame: Int) -> Vec3 { Vec3(Double(frame) * 0.15, 0, 2) }

  static func sample(_ index: Int) -> SampleOutput {
    var sample = Fixture.sample(index)
    for f in sample.frames.indices {
      sample.frames[f].sensors.append(SensorPose(sensor: "roof", pose: Pose(position: lidarPosition(frame: f))))
    }
    sample.lidars = sample.cameras.map { camera in
      LidarFrame(sensor: "roof", frame: camera.frame, ply: ply(for: camera))
    }
    return sample
  }

  /// Points in the LiDAR frame (identity rotation) from the camera's depth and ids. The
  /// fixture camera looks along +x with K = [16 0 16; 0 16 12; 0 0 1].
  static func ply(for camera: CameraFrame) -> [UInt8] {
    let depth = depthImage(camera)
    let ids = camera.instanceIDs ?? []
    let c = cameraPosition(frame: camera.frame)
    let l = lidarPosition(frame: camera.frame)
    var lines: [String] = []
    for j in stride(from: 0, to: Fixture.height, by: 2) {
      for i in stride(from: 0, to: Fixture.width, by: 2) {
        let z = Double(depth[j * Fixture.width + i]) / 1000
        let right = (Double(i) + 0.5 - 16) / 16 * z
        let down = (Double(j) + 0.5 - 12) / 16 * z
        // Camera body (x forward, y left, z up) → world → LiDAR frame.
        let world = (c.x + z, c.y - right, c.z - down)
        lines.append("\(world.0 - l.x) \(world.1 - l.y) \(world.2 - l.z) \(ids[j * Fixture.width + i])")
      }
    }
    var text = "ply\nformat ascii 1.0\nelement vertex \(lines.count)\n"
    text += "property double x\nproperty double y\nproperty double z\nproperty uint instance\nend_header\n"
    return Array((text + lines.joined(separator: "\n") + "\n").utf8)
  }

  static func depthImage(_ camera: CameraFrame) -> [UInt16] {
    (try? PNGImage(decoding: camera.depthPNG ?? []).samples) ?? []
  }

  static func write(to url: URL, count: Int = 3) throws {
    let writer = try DatasetWriter(
      outputDirectory: url, description: Fixture.description(count: count), options: Fixture.options())
    for i in 0..<count { try writer.write(sample: sample(i)) }
    _ = try writer.finalize()
  }

  /// Rewrites `path`'s manifest entry to the file's current size and hash, so that only the
  /// label checks can notice a change.
  static func reseal(_ url: URL, _ paths: String...) throws {
    let store = FileStore(root: url)
    let manifest = try store.readJSON("manifest.json")
    guard case .object(var members) = manifest, let k = members.firstIndex(where: { $0.0 == "files" }),
      case .array(let files) = members[k].1
    else { throw DatasetError.corrupt(path: "manifest.json", reason: "no files") }
    var updated: [JSONValue] = []
    for entry in files {
      guard let path = entry["path"]?.stringValue, paths.contains(path) else {
        updated.append(entry)
        continue
      }
      let bytes = try store.read(path)
      updated.append(FileEntry(path: path, bytes: bytes.count, sha256: SHA256Hex.of(bytes)).json)
    }
    members[k].1 = .array(updated)
    try Data(JSONValue.object(members).pretty.utf8).write(to: url.appendingPathComponent("manifest.json"))
  }

  static func read(_ url: URL, _ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: url.appendingPathComponent(path)))
  }

  static func write(_ bytes: [UInt8], _ url: URL, _ path: String) throws {
    try Data(bytes).write(to: url.appendingPathComponent(path))
  }
}

@Suite struct CrossModalVerifyTests {
  static let frame = "000001_0000"

  @Test func consistentDatasetPassesAndSaysWhatItCompared() throws {
    let url = Fixture.temporaryDirectory("cross-ok")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.problems == [], "\(report.problems)")
    // 3 samples × 2 frames × (16 × 12 points).
    #expect(report.depthPointsCompared == 3 * 2 * 192)
    #expect(report.depthPointsContradicting == 0 && report.depthPointsHidden == 0)
    #expect(report.lidarInstancesCompared == 3 * 2 * 192)
    #expect(report.instanceImagesChecked == 6)
    #expect(!report.notes.contains { $0.contains("not compared") }, "\(report.notes)")
  }

  /// +2 m puts the image beyond the LiDAR's surfaces (impossible); −2 m in front of them
  /// everywhere (more than parallax can hide).
  @Test(arguments: [2000, -2000]) func depthShiftedByTwoMetresIsCaught(millimetres: Int) throws {
    let url = Fixture.temporaryDirectory("cross-depth")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let path = "depth/front/\(Self.frame).png"
    let depth = try PNGImage(decoding: ConsistentFixture.read(url, path))
    let shifted = depth.samples.map { $0 == 0 ? 0 : UInt16(Int($0) + millimetres) }
    try ConsistentFixture.write(StoredPNG.encode(width: depth.width, height: depth.height, .gray16(shifted)), url, path)
    try ConsistentFixture.reseal(url, path)
    #expect(DatasetVerifier.verify(directory: url).isClean, "only the label check can see this")
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.problems.count == 1, "\(report.problems)")
    let problem = try #require(report.problems.first)
    #expect(problem.kind == .label && problem.path == path)
    let pair = "camera front, LiDAR roof, frame \(Self.frame): "
    if millimetres > 0 {
      #expect(
        problem.detail.hasPrefix(
          pair + "the depth image lies beyond the LiDAR's surface for \(report.depthPointsContradicting) of 192"),
        "\(problem.detail)")
      #expect(problem.detail.contains("median LiDAR − image -2.000 m"), "\(problem.detail)")
      // A few points at object edges still fall inside their neighbourhood's depth range.
      #expect(report.depthPointsContradicting > 170 && report.depthPointsHidden == 0)
    } else {
      #expect(
        problem.detail.hasPrefix(
          pair + "the depth image is nearer than the LiDAR's surface for \(report.depthPointsHidden) of 192 points"),
        "\(problem.detail)")
      #expect(problem.detail.contains("median LiDAR − image 2.000 m"), "\(problem.detail)")
      #expect(report.depthPointsHidden > 170 && report.depthPointsContradicting == 0)
    }
  }

  @Test func depthImagesSwappedBetweenSamplesAreCaught() throws {
    let url = Fixture.temporaryDirectory("cross-swap")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    // The objects sit three columns apart in these two frames.
    let a = "depth/front/000000_0000.png"
    let b = "depth/front/000002_0001.png"
    let (bytesA, bytesB) = (try ConsistentFixture.read(url, a), try ConsistentFixture.read(url, b))
    try ConsistentFixture.write(bytesB, url, a)
    try ConsistentFixture.write(bytesA, url, b)
    try ConsistentFixture.reseal(url, a, b)
    #expect(DatasetVerifier.verify(directory: url).isClean)
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.problems.map(\.path) == [a, b], "\(report.problems)")
    #expect(report.problems.allSatisfy { $0.kind == .label && $0.detail.contains("the depth image lies beyond") })
  }

  @Test func tamperedInstanceImageIsCaughtByMasksSemanticsAndLidar() throws {
    let url = Fixture.temporaryDirectory("cross-instance")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let path = "instance/front/\(Self.frame).png"
    var ids = try PNGImage(decoding: ConsistentFixture.read(url, path)).samples
    // Relabel the pallet (1) as the person (2).
    ids = ids.map { $0 == 1 ? 2 : $0 }
    try ConsistentFixture.write(StoredPNG.encode(width: Fixture.width, height: Fixture.height, .gray16(ids)), url, path)
    try ConsistentFixture.reseal(url, path)
    #expect(DatasetVerifier.verify(directory: url).isClean)
    let problems = DatasetVerifier.verify(directory: url, labels: true).problems
    #expect(problems.allSatisfy { $0.kind == .label })
    let coco = "annotations/coco_front.json"
    // Both masks differ: the pallet's pixels are gone, the person's grew.
    #expect(
      problems.filter { $0.path == coco && $0.detail.contains("pixels of instance") && $0.detail.contains(path) }.count
        == 2,
      "\(problems)")
    #expect(
      problems.contains {
        $0.path == "semantic/front/\(Self.frame).png" && $0.detail.contains("instance 2 are not class 2")
      })
    #expect(
      problems.contains {
        $0.path == path && $0.detail.contains("LiDAR points whose depth agrees hit an instance absent")
      })
  }

  @Test func cocoMaskThatNoLongerMatchesTheInstanceImageIsCaught() throws {
    let url = Fixture.temporaryDirectory("cross-coco")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let coco = "annotations/coco_front.json"
    let store = FileStore(root: url)
    // Give the first annotation the second one's mask, box and area: box and mask still
    // agree with each other, only the instance image can tell.
    guard case .object(var members) = try store.readJSON(coco),
      let k = members.firstIndex(where: { $0.0 == "annotations" }),
      case .array(var annotations) = members[k].1, case .object(var first) = annotations[0],
      case .object(let second) = annotations[1]
    else { throw DatasetError.corrupt(path: coco, reason: "unexpected layout") }
    for key in ["bbox", "area", "segmentation"] {
      if let i = first.firstIndex(where: { $0.0 == key }), let value = second.first(where: { $0.0 == key })?.1 {
        first[i].1 = value
      }
    }
    annotations[0] = .object(first)
    members[k].1 = .array(annotations)
    try Data(JSONValue.object(members).pretty.utf8).write(to: url.appendingPathComponent(coco))
    try ConsistentFixture.reseal(url, coco)
    let problems = DatasetVerifier.verify(directory: url, labels: true).problems
    #expect(
      problems.contains {
        $0.kind == .label && $0.path == coco && $0.detail.hasPrefix("annotation 1: its mask")
          && $0.detail.contains("instance/front/000000_0000.png")
      }, "\(problems)")
  }

  @Test func unannotatedInstanceIsCaught() throws {
    let url = Fixture.temporaryDirectory("cross-missing")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let path = "instance/front/\(Self.frame).png"
    var ids = try PNGImage(decoding: ConsistentFixture.read(url, path)).samples
    ids[0] = 77  // one pixel of an object nobody labelled
    try ConsistentFixture.write(StoredPNG.encode(width: Fixture.width, height: Fixture.height, .gray16(ids)), url, path)
    try ConsistentFixture.reseal(url, path)
    let problems = DatasetVerifier.verify(directory: url, labels: true).problems
    #expect(
      problems.contains {
        $0.path == path && $0.detail.contains("1 instance with no annotation") && $0.detail.contains("77 (1 pixels)")
      },
      "\(problems)")
  }

  @Test func corruptPNGsAreProblemsNotCrashes() throws {
    let url = Fixture.temporaryDirectory("cross-corrupt")
    defer { try? FileManager.default.removeItem(at: url) }
    try ConsistentFixture.write(to: url)
    let paths = ["depth/front/\(Self.frame).png", "instance/front/\(Self.frame).png", "semantic/front/000000_0001.png"]
    for (n, path) in paths.enumerated() {
      let bytes = try ConsistentFixture.read(url, path)
      let damaged =
        n == 0 ? Array(bytes.prefix(bytes.count / 2)) : n == 1 ? Array("not a png".utf8) : bytes.map { $0 ^ 0x5A }
      try ConsistentFixture.write(damaged, url, path)
    }
    try ConsistentFixture.reseal(url, paths[0], paths[1], paths[2])
    let problems = DatasetVerifier.verify(directory: url, labels: true).problems
    for path in paths {
      #expect(
        problems.contains { $0.kind == .label && $0.path == path && $0.detail.hasPrefix("cannot decode PNG") },
        "\(problems)")
    }
  }

  @Test func datasetWithoutLidarSaysSo() throws {
    let url = Fixture.temporaryDirectory("cross-no-lidar")
    defer { try? FileManager.default.removeItem(at: url) }
    var description = Fixture.description(count: 1)
    description.sensors.removeAll { $0.kind == .lidar }
    let writer = try DatasetWriter(outputDirectory: url, description: description, options: Fixture.options())
    var sample = Fixture.sample(0)
    sample.lidars = []
    try writer.write(sample: sample)
    _ = try writer.finalize()
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.problems == [], "\(report.problems)")
    #expect(report.instanceImagesChecked == 2)
    #expect(report.notes == ["depth at LiDAR points was not compared with LiDAR ranges: the dataset has no LiDAR"])
  }

  @Test func missingPosesAndMissingLidarAreNotedNotPassedSilently() throws {
    let url = Fixture.temporaryDirectory("cross-note")
    defer { try? FileManager.default.removeItem(at: url) }
    // The plain fixture records no LiDAR pose in frames.jsonl.
    try Fixture.write(to: url, order: [0, 1], count: 2)
    let report = DatasetVerifier.verify(directory: url, labels: true)
    #expect(report.depthPointsCompared == 0)
    #expect(
      report.notes.contains { $0.contains("4 of 4 camera/LiDAR frame pairs were not compared") }, "\(report.notes)")
  }
}

@Suite struct PLYPointsTests {
  @Test func binaryPLYAsScnWritesIt() throws {
    let header = [
      "ply", "format binary_little_endian 1.0", "element vertex 2", "property float x", "property float y",
      "property float z", "property float intensity", "property ushort ring", "property uint instance", "end_header",
      "",
    ]
    var bytes = Array(header.joined(separator: "\n").utf8)
    for (p, id) in [((1.5, -2.0, 0.25), UInt32(7)), ((3.0, 0.5, -1.0), UInt32(0))] {
      for v in [Float(p.0), Float(p.1), Float(p.2), 0.5] {
        withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
      }
      withUnsafeBytes(of: UInt16(3).littleEndian) { bytes += $0 }
      withUnsafeBytes(of: id.littleEndian) { bytes += $0 }
    }
    let points = try PLYPoints(bytes)
    #expect(points.positions == [SIMD3(1.5, -2.0, 0.25), SIMD3(3.0, 0.5, -1.0)])
    #expect(points.instances == [7, 0])
    #expect(throws: CheckFailure.self) { try PLYPoints(Array(bytes.dropLast(5))) }
    #expect(throws: CheckFailure.self) { try PLYPoints(Array("ply\nformat binary_big_endian 1.0\nend_header\n".utf8)) }
  }
}
