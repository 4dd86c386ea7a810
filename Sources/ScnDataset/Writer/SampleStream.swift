import ScnEncoding

/// Writes one sample frame by frame, so that a worker holds one frame at a time rather than
/// the whole sample (a long 720p trace is hundreds of megabytes). Obtained from
/// `DatasetWriter.beginSample(_:)` and used by one thread. `finish` writes the partial
/// record, which marks the sample done; a stream dropped without `finish` (an error) leaves
/// the sample pending, exactly as a killed run would, and its files are rewritten on resume.
public final class SampleStream {
  public let index: Int
  private let writer: DatasetWriter
  private let encoder: SampleEncoder
  /// Per camera frame: its image record and its written files, put in (camera, frame) order
  /// at `finish` so the partial does not depend on the order frames arrive in.
  private var cameras: [(camera: String, frame: Int, image: JSONValue, files: [JSONValue])] = []
  private var lidarFiles: [JSONValue] = []
  private var paths: Set<String> = []
  private var finished = false

  init(index: Int, writer: DatasetWriter, encoder: SampleEncoder) {
    self.index = index
    self.writer = writer
    self.encoder = encoder
  }

  deinit {
    if !finished { writer.release(index) }
  }

  /// Encodes one camera frame (COCO masks from its instance image, KITTI labels) and writes
  /// its files; only its small image record is kept.
  public func write(camera: CameraFrame) throws(DatasetError) {
    let encoded = try encoder.camera(camera, sample: index)
    let entries = try write(encoded.files)
    cameras.append((camera.camera, camera.frame, encoded.image, entries))
  }

  public func write(lidar: LidarFrame) throws(DatasetError) {
    let file = try encoder.lidar(lidar, sample: index)
    lidarFiles += try write([file])
  }

  /// Writes the partial record: the sample is done.
  public func finish(record: SampleRecord, frames: [FrameRecord]) throws(DatasetError) {
    guard record.index == index else {
      throw .invalidSample(index: index, reason: "the record is of sample \(record.index)")
    }
    cameras.sort { a, b in a.camera == b.camera ? a.frame < b.frame : FileStore.pathOrder(a.camera, b.camera) }
    let partial = try encoder.partial(record: record, frames: frames, images: cameras.map(\.image))
    let calibrations = try write(
      encoder.sensors.sorted { FileStore.pathOrder($0.name, $1.name) }.map { sensor in
        (path: "calib/\(sensor.name)/\(SampleEncoder.pad(index, 6)).json", bytes: Array(sensor.json.pretty.utf8))
      })
    let files = cameras.flatMap(\.files) + lidarFiles + calibrations
    try writer.commit(index, partial: .object(partial + [("files", .array(files))]))
    finished = true
  }

  private func write(_ files: [(path: String, bytes: [UInt8])]) throws(DatasetError) -> [JSONValue] {
    var entries: [JSONValue] = []
    for file in files {
      guard paths.insert(file.path).inserted else {
        throw .invalidSample(index: index, reason: "two outputs share a camera/sensor and frame index")
      }
      entries.append(try writer.store.write(file.bytes, to: file.path).json)
    }
    return entries
  }
}
