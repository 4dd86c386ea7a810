import Foundation
@testable import ScnDataset
import ScnGeometry

/// A small hand-made dataset: one 32×24 camera with two boxes moving with the sample index,
/// one LiDAR, two frames per sample.
enum Fixture {
  static let width = 32
  static let height = 24
  static let epoch: Int64 = 1_790_000_000

  static func identity(count: Int = 6) -> DatasetIdentity {
    DatasetIdentity(
      scenario: "ForkliftAisle", irHash: String(repeating: "ab", count: 32),
      sources: [
        SourceFileHash(path: "aisle.scn", sha256: String(repeating: "01", count: 32)),
        SourceFileHash(path: "std/actors.scn", sha256: String(repeating: "02", count: 32)),
      ],
      generatorVersion: "0.1.0", seed: 7, count: count,
      overrides: [ParamOverride(name: "speed", value: "1.5 m/s")],
      splits: [SplitFraction(name: "train", fraction: 0.8), SplitFraction(name: "val", fraction: 0.2)])
  }

  static let card = DatasetCardInfo(
    name: "forklift-aisle", prettyName: "Forklift aisle (synthetic)", version: "1.0.0", license: "CC-BY-4.0",
    description: "Pallets and people in a warehouse aisle seen from a forklift.",
    intendedUse: "Training and testing pallet and person detectors for warehouse forklifts.",
    outOfScopeUse: "Outdoor driving; identifying people.",
    failureModes: [
      FailureMode(
        id: "FM-1", text: "Person half hidden behind a pallet", covers: [FailureModeCover(point: "occlusion", buckets: ["partial"])])
    ],
    limitations: "Simple shading; no motion blur.", owner: "Warehouse Robotics Team", tags: ["warehouse"],
    citation: "@misc{forklift, title={Forklift aisle}}",
    params: [ParamDoc(name: "gap", type: "Length (m)", distribution: "uniform(0.5 m, 2 m)", doc: "Aisle gap")],
    sensors: [SensorDoc(name: "front", type: "camera", settings: "32×24, 90° HFOV"), SensorDoc(name: "roof", type: "lidar", settings: "16 rings")],
    labelTypes: ["2D boxes", "instance masks", "3D boxes", "depth"], taskCategories: ["object-detection"],
    classes: [LabelClass(id: 1, name: "pallet", color: [200, 120, 0]), LabelClass(id: 2, name: "person", color: [0, 90, 255])],
    coverPoints: [CoverPointPlan(name: "occlusion", buckets: ["none", "partial"], failureMode: "FM-1", targetPerBucket: 2)],
    requirements: [RequirementDoc(name: "visible", text: "require visible(person)")])

  static let sensors = [
    SensorCalibration(
      name: "front", kind: .camera, extrinsics: Pose(position: Vec3(0.5, 0, 1.5)), width: width, height: height,
      intrinsics: [16, 0, 16, 0, 16, 12, 0, 0, 1], rateHz: 10),
    SensorCalibration(
      name: "roof", kind: .lidar, extrinsics: Pose(position: Vec3(0, 0, 2)), rateHz: 10,
      settings: ["rings": "16", "range": "30 m"]),
  ]

  static func description(count: Int = 6) -> DatasetDescription {
    DatasetDescription(identity: identity(count: count), card: card, sensors: sensors)
  }

  static func options(_ policy: ExistingOutputPolicy = .refuse, shard: Shard? = nil, epoch: Int64 = epoch) -> DatasetWriterOptions {
    DatasetWriterOptions(existingOutput: policy, shard: shard, timestamp: epoch)
  }

  static func sample(_ index: Int) -> SampleOutput {
    let frames = (0..<2).map { f in
      FrameRecord(
        index: f, time: Double(f) * 0.1, ego: Pose(position: Vec3(Double(f) * 0.15, 0, 0)),
        sensors: [SensorPose(sensor: "front", pose: Pose(position: Vec3(0.5 + Double(f) * 0.15, 0, 1.5)))])
    }
    let cameras = (0..<2).map { f in camera(sample: index, frame: f) }
    let lidars = (0..<2).map { f in
      LidarFrame(sensor: "roof", frame: f, ply: ply(points: [(1, 0, 0.5), (2, Double(index) * 0.1, 0.25), (3, -1, Double(f))]))
    }
    let record = SampleRecord(
      index: index, split: index % 5 == 4 ? "val" : "train",
      params: [NamedValue("gap", .double(0.5 + Double(index) * 0.25)), NamedValue("lit", .bool(index % 2 == 0))],
      seed: UInt64.max - UInt64(index), attempts: 1 + index % 3,
      coverHits: [CoverHit(point: "occlusion", bucket: index % 2 == 0 ? "none" : "partial")],
      rejections: index % 3 == 0 ? [] : [RequirementRejections(requirement: "visible", count: index % 3)])
    return SampleOutput(record: record, frames: frames, cameras: cameras, lidars: lidars)
  }

  static func camera(sample: Int, frame: Int) -> CameraFrame {
    var ids = [UInt16](repeating: 0, count: width * height)
    let shift = (sample + frame) % 6
    // A pallet (id 1) on the left and a person (id 2) partly behind it.
    for y in 10..<20 { for x in (2 + shift)..<(12 + shift) { ids[y * width + x] = 1 } }
    for y in 4..<22 { for x in (14 + shift)..<(20 + shift) where ids[y * width + x] == 0 { ids[y * width + x] = 2 } }
    var rgb = [UInt8](repeating: 30, count: width * height * 3)
    var depth = [UInt16](repeating: 5000, count: width * height)
    for (i, id) in ids.enumerated() where id != 0 {
      rgb[i * 3] = id == 1 ? 200 : 0
      rgb[i * 3 + 1] = id == 1 ? 120 : 90
      rgb[i * 3 + 2] = id == 1 ? 0 : 255
      depth[i] = id == 1 ? 3000 : 3500
    }
    let semantic = ids.map { $0 == 0 ? UInt16(0) : UInt16($0) }
    let objects = [
      ObjectLabel(
        instanceID: 2, className: "person", semanticID: 2, occlusion: 0.2, truncation: 0,
        box3D: Box3D(center: Vec3(3.5, -0.3, 0.9), size: Vec3(0.4, 0.5, 1.8), yaw: 0.3)),
      ObjectLabel(
        instanceID: 1, className: "pallet", semanticID: 1, amodalBox: Box2D(x: 2, y: 10, width: 10, height: 10),
        occlusion: 0, truncation: 0, box3D: Box3D(center: Vec3(3, 0.8, 0.5), size: Vec3(1.2, 0.8, 1), yaw: 0)),
      // Hidden entirely: no pixels, so no 2D label.
      ObjectLabel(instanceID: 3, className: "pallet", semanticID: 1, occlusion: 1, truncation: 0),
    ]
    return CameraFrame(
      camera: "front", frame: frame, width: width, height: height,
      rgbPNG: StoredPNG.encode(width: width, height: height, .rgb8(rgb)),
      depthPNG: StoredPNG.encode(width: width, height: height, .gray16(depth)),
      instancePNG: StoredPNG.encode(width: width, height: height, .gray16(ids)),
      semanticPNG: StoredPNG.encode(width: width, height: height, .gray16(semantic)),
      instanceIDs: ids, objects: objects)
  }

  static func ply(points: [(Double, Double, Double)]) -> [UInt8] {
    var text = "ply\nformat ascii 1.0\nelement vertex \(points.count)\n"
    text += "property float x\nproperty float y\nproperty float z\nproperty float intensity\nproperty ushort ring\nend_header\n"
    for (i, p) in points.enumerated() { text += "\(p.0) \(p.1) \(p.2) 0.5 \(i)\n" }
    return Array(text.utf8)
  }

  static func temporaryDirectory(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("scn-dataset-\(name)-\(UUID().uuidString)")
  }

  /// Writes samples in the given order and finalises.
  @discardableResult
  static func write(to url: URL, order: [Int], count: Int = 6, epoch: Int64 = epoch) throws -> DatasetSummary {
    let writer = try DatasetWriter(outputDirectory: url, description: description(count: count), options: options(epoch: epoch))
    for i in order { try writer.write(sample: sample(i)) }
    guard case .dataset(let summary) = try writer.finalize() else { throw DatasetError.invalidCard("not a dataset") }
    return summary
  }

  /// Every file under `url`, relative path → bytes.
  static func snapshot(_ url: URL) -> [String: [UInt8]] {
    let store = FileStore(root: url)
    var out: [String: [UInt8]] = [:]
    for path in store.listFiles() { out[path] = (try? store.read(path)) ?? [] }
    return out
  }
}
