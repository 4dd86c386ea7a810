import ScnEncoding
import ScnGeometry

/// Each instance's size box in the world at one frame, from the dataset's own records: the
/// size (`size_lwh` of `samples.jsonl`, bottom-centre origin) posed as `frames.jsonl` says.
/// `verify --labels` uses it to tell a contact between two instances, which a camera
/// cannot resolve below its pixel footprint, from a labelling error (see `DepthComparison`).
struct InstanceBoxes: Sendable {
  private var boxes: [UInt32: OrientedBox] = [:]

  init() {}

  /// Boxes for the actors of one `frames.jsonl` record (`actors[].instance_id`, `pose`),
  /// sized by `sizes` (instance id → length, width, height). Actors missing either are left out.
  init(frame: JSONValue, sizes: [Int: Vec3]) {
    for actor in frame["actors"]?.arrayValue ?? [] {
      guard let id = actor["instance_id"]?.intValue, id > 0, id <= Int(UInt32.max), let size = sizes[id],
        let pose = Transform(datasetPose: actor["pose"])
      else { continue }
      let half = size * 0.5
      boxes[UInt32(id)] = OrientedBox(
        center: pose.apply(toPoint: Vec3(0, 0, half.z)), halfExtents: half, rotation: pose.rotation)
    }
  }

  /// Distance in metres from `p` (world) to instance `id`'s box (0 inside); for id 0, the
  /// ground and background, its height above the ground plane z = 0; nil for an instance
  /// without a box.
  func distance(from p: Vec3, to id: UInt32) -> Double? {
    if id == 0 { return abs(p.z) }
    guard let box = boxes[id] else { return nil }
    let local = box.rotation.conjugate.rotate(p - box.center)
    let outside = Vec3(
      max(0, abs(local.x) - box.halfExtents.x), max(0, abs(local.y) - box.halfExtents.y),
      max(0, abs(local.z) - box.halfExtents.z))
    return outside.length
  }

  /// `samples.jsonl` as sample index → instance id → size (l, w, h) in metres.
  static func sizes(samplesJSONL bytes: [UInt8]) -> [Int: [Int: Vec3]] {
    var result: [Int: [Int: Vec3]] = [:]
    for line in bytes.split(separator: UInt8(ascii: "\n")) {
      guard let record = try? JSONValue.parse(bytes: Array(line)), let index = record["index"]?.intValue else { continue }
      var sizes: [Int: Vec3] = [:]
      for actor in record["actors"]?.arrayValue ?? [] {
        guard let id = actor["instance_id"]?.intValue,
          let lwh = actor["size_lwh"]?.arrayValue?.compactMap(\.doubleValue), lwh.count == 3,
          lwh.allSatisfy({ $0.isFinite && $0 >= 0 })
        else { continue }
        sizes[id] = Vec3(lwh[0], lwh[1], lwh[2])
      }
      result[index] = sizes
    }
    return result
  }
}
