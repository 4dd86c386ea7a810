import ScnEncoding

/// Turns a sample's frames into the files they contribute and the sample into its partial
/// record: the JSON the finaliser later folds into `samples.jsonl`, `frames.jsonl` and the
/// COCO files.
///
/// Labels are derived here, once: the COCO box of an object is the extent of its mask in the
/// instance image (so box and mask agree by construction), its area is the mask's pixel count,
/// and objects with no visible pixel are left out of COCO and KITTI (they stay in the 3D
/// ground truth of `frames.jsonl`'s sensors only as poses; the card says so).
struct SampleEncoder {
  let card: DatasetCardInfo
  let sensors: [SensorCalibration]

  static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  static func stem(sample: Int, frame: Int) -> String { pad(sample, 6) + "_" + pad(frame, 4) }

  /// Whether `path` has the shape of one of sample `index`'s own files
  /// (`{images,depth,instance,semantic,parts}/CAM/NNNNNN_FFFF.png`, `annotations/kitti/CAM/NNNNNN_FFFF.txt`,
  /// `lidar/SENSOR/NNNNNN_FFFF.ply`, `calib/SENSOR/NNNNNN.json`): what `scn merge` accepts from a shard's partial record,
  /// so a forged record can name neither the dataset's aggregate files nor the work area.
  static func isFile(_ path: String, ofSample index: Int) -> Bool {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    if parts.count == 3, parts[0] == "calib", validName(parts[1]), parts[2] == pad(index, 6) + ".json" { return true }
    guard let name = parts.last, name.hasPrefix(pad(index, 6) + "_"), parts.dropLast().allSatisfy(validName) else {
      return false
    }
    let stem = name.prefix { $0 != "." }
    guard stem.count == name.count - 4, stem.dropFirst(pad(index, 6).count + 1).allSatisfy(\.isNumber) else {
      return false
    }
    switch (parts.count, parts.first, name.suffix(4)) {
    case (3, "images", ".png"), (3, "depth", ".png"), (3, "instance", ".png"), (3, "semantic", ".png"),
      (3, "parts", ".png"), (3, "lidar", ".ply"):
      return true
    case (4, "annotations", ".txt"): return parts[1] == "kitti"
    default: return false
    }
  }

  /// Names become path components, so they must not escape their folder or hide.
  static func validName(_ name: String) -> Bool {
    guard !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 128 else { return false }
    return name.unicodeScalars.allSatisfy { s in
      (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_" || s == "."
    }
  }

  /// One camera frame's files (PNGs, then the KITTI labels) and its image record for the
  /// partial (file names, size, COCO annotations without ids).
  func camera(_ camera: CameraFrame, sample index: Int) throws(DatasetError)
    -> (files: [(path: String, bytes: [UInt8])], image: JSONValue)
  {
    guard sensors.contains(where: { $0.kind == .camera && $0.name == camera.camera }) else {
      throw .invalidSample(index: index, reason: "camera '\(camera.camera)' has no calibration")
    }
    let stem = SampleEncoder.stem(sample: index, frame: camera.frame)
    var files: [(path: String, bytes: [UInt8])] = []
    var imagePaths: [(String, String)] = []
    for (folder, png) in [
      ("images", camera.rgbPNG), ("depth", camera.depthPNG), ("instance", camera.instancePNG),
      ("semantic", camera.semanticPNG), ("parts", camera.partsPNG),
    ] {
      guard let png else { continue }
      let path = "\(folder)/\(camera.camera)/\(stem).png"
      files.append((path, png))
      imagePaths.append((folder, path))
    }
    guard let fileName = imagePaths.first?.1 else {
      throw .invalidSample(index: index, reason: "camera '\(camera.camera)' frame \(camera.frame) has no image")
    }
    let (annotations, kitti) = try labels(for: camera, sample: index)
    files.append(("annotations/kitti/\(camera.camera)/\(stem).txt", Array(kitti.utf8)))
    var imageMembers: [(String, JSONValue)] = [
      ("camera", .string(camera.camera)), ("frame", .integer(camera.frame)), ("file_name", .string(fileName)),
      ("width", .integer(camera.width)), ("height", .integer(camera.height)),
      ("files", .object(imagePaths.map { ($0.0, .string($0.1)) })),
      ("annotations", .array(annotations)),
    ]
    if !camera.unannotatedInstances.isEmpty {
      imageMembers.append(("unannotated_instance_ids", .array(camera.unannotatedInstances.map { .integer(Int($0)) })))
    }
    let image: JSONValue = .object(imageMembers)
    return (files, image)
  }

  /// A LiDAR sweep's file.
  func lidar(_ lidar: LidarFrame, sample index: Int) throws(DatasetError) -> (path: String, bytes: [UInt8]) {
    guard sensors.contains(where: { $0.kind == .lidar && $0.name == lidar.sensor }) else {
      throw .invalidSample(index: index, reason: "LiDAR '\(lidar.sensor)' has no calibration")
    }
    return ("lidar/\(lidar.sensor)/\(SampleEncoder.stem(sample: index, frame: lidar.frame)).ply", lidar.ply)
  }

  /// The partial record without its `files` list (added by the caller once the files are
  /// written). `images` must already be in (camera, frame) order.
  func partial(record: SampleRecord, frames: [FrameRecord], images: [JSONValue]) throws(DatasetError)
    -> [(String, JSONValue)]
  {
    let index = record.index
    let frameIndices = frames.map(\.index)
    if Set(frameIndices).count != frameIndices.count {
      throw .invalidSample(index: index, reason: "two frames share an index")
    }
    var sampleMembers: [(String, JSONValue)] = [("index", .integer(index)), ("split", .string(record.split))]
    if let scenario = record.scenario { sampleMembers.append(("scenario", .string(scenario))) }
    sampleMembers += [
      ("seed", .unsigned(record.seed)), ("attempts", .integer(record.attempts)),
      ("params", .object(record.params.map { ($0.name, $0.value) })),
      ("environment", .object(record.environment.map { ($0.name, $0.value) })),
      ("actors", .array(record.actors.map(\.json))),
      ("cover", .object(record.coverHits.map { ($0.point, .string($0.bucket)) })),
      ("cover_values", .object(record.coverValues.map { ($0.name, $0.value) })),
      ("rejections", .object(record.rejections.map { ($0.requirement, .integer($0.count)) })),
    ]
    if let guidance = record.guidance { sampleMembers.append(("guidance", guidance)) }
    if !record.empirical.isEmpty {
      sampleMembers.append(
        ("empirical", .array(record.empirical.map { .object([("input", .integer($0.input)), ("value", .double($0.value))]) })))
    }
    if !record.records.isEmpty { sampleMembers.append(("records", .object(record.records.map { ($0.name, $0.value) }))) }
    let frameRecords: [JSONValue] = frames.sorted { $0.index < $1.index }.map { frame in
      .object([
        ("sample", .integer(index)), ("frame", .integer(frame.index)), ("time", .double(frame.time)),
        ("ego", frame.ego?.json ?? .null),
        ("sensors", .object(frame.sensors.map { ($0.sensor, $0.pose.json) })),
        ("actors", .array(frame.actors.map(\.json))),
      ])
    }
    return [
      ("index", .integer(index)), ("sample", .object(sampleMembers)), ("frames", .array(frameRecords)),
      ("images", .array(images)),
    ]
  }

  /// COCO annotations (without ids, which the finaliser assigns) and the KITTI file text.
  private func labels(for camera: CameraFrame, sample: Int) throws(DatasetError) -> ([JSONValue], String) {
    let classIDs = Set(card.classes.map(\.id))
    if let ids = camera.instanceIDs, ids.count != camera.width * camera.height {
      throw .invalidSample(
        index: sample,
        reason: "camera '\(camera.camera)' frame \(camera.frame): instance image has \(ids.count) values, expected \(camera.width)×\(camera.height)"
      )
    }
    if let calibration = sensors.first(where: { $0.name == camera.camera }), let width = calibration.width,
      let height = calibration.height, width != camera.width || height != camera.height
    {
      throw .invalidSample(
        index: sample,
        reason: "camera '\(camera.camera)' frame \(camera.frame) is \(camera.width)×\(camera.height), its calibration says \(width)×\(height)")
    }
    let objects = camera.objects.sorted { $0.instanceID < $1.instanceID }
    if Set(objects.map(\.instanceID)).count != objects.count {
      throw .invalidSample(index: sample, reason: "camera '\(camera.camera)' frame \(camera.frame): two objects share an instance id")
    }
    var annotations: [JSONValue] = []
    var kittiLines: [String] = []
    let masks = camera.instanceIDs.map {
      RunLengthMask.masks(for: objects.map(\.instanceID), in: $0, width: camera.width, height: camera.height)
    }
    for (position, object) in objects.enumerated() {
      guard classIDs.contains(object.semanticID) else {
        throw .invalidSample(
          index: sample, reason: "object \(object.instanceID) has semantic id \(object.semanticID), not a declared class")
      }
      var members: [(String, JSONValue)] = [("category_id", .integer(object.semanticID))]
      let visible: Box2D
      if let masks {
        let mask = masks[position]
        guard object.instanceID != 0, let extent = mask.extent else { continue }
        visible = extent
        members += [
          ("bbox", extent.json), ("area", .integer(mask.area)), ("iscrowd", .integer(0)),
          ("segmentation", .object([
            ("size", .array([.integer(camera.height), .integer(camera.width)])),
            ("counts", .string(mask.compressedCounts)),
          ])),
        ]
      } else {
        guard let box = object.modalBox, box.width > 0, box.height > 0 else { continue }
        visible = box
        members += [("bbox", box.json), ("area", .double(box.width * box.height)), ("iscrowd", .integer(0))]
      }
      members += [
        ("instance_id", .integer(Int(object.instanceID))), ("class", .string(object.className)),
        ("occlusion", .double(object.occlusion)), ("truncation", .double(object.truncation)),
      ]
      if let amodal = object.amodalBox { members.append(("amodal_bbox", amodal.json)) }
      if let box3D = object.box3D { members.append(("box_3d", box3D.json)) }
      annotations.append(.object(members))
      kittiLines.append(KITTILabel(object: object, visibleBox: visible).line)
    }
    return (annotations, kittiLines.map { $0 + "\n" }.joined())
  }
}
