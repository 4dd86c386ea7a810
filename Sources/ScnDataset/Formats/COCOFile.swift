import ScnEncoding

/// One camera's `annotations/coco_{camera}.json`, or with a split its
/// `annotations/splits/{split}/coco_{camera}.json`, written as the finaliser walks the
/// per-sample records once: the images go straight to the file, the annotations to a spool
/// (`SpoolFile`: memory, then an unlinked temporary file) that `finish` appends after the
/// image list, so neither list is held in memory and no record is read twice. Ids count
/// from 1 in sample, then frame order, over the camera's whole
/// dataset, so a split's file keeps the ids of the whole file (predictions made against one
/// can be scored against the other); the bytes equal the compact form of the whole document
/// followed by a newline.
struct COCOFile {
  let camera: String
  /// Only this split's images and annotations; nil for the whole dataset.
  let split: String?
  let path: String
  private let file: StreamingFile
  /// The annotation list, written while the images are, appended to `file` by `finish`.
  private let annotationSpool: SpoolFile
  private let categories: JSONValue
  /// Images and annotations written.
  private(set) var images = 0
  private(set) var annotations = 0
  /// Ids given so far over the whole dataset (every split).
  private var imageIDs = 0
  private var annotationIDs = 0

  static func path(camera: String, split: String?) -> String {
    split.map { "annotations/splits/\($0)/coco_\(camera).json" } ?? "annotations/coco_\(camera).json"
  }

  init(camera: String, split: String? = nil, store: FileStore, card: DatasetCardInfo, license: String) throws(DatasetError) {
    self.camera = camera
    self.split = split
    path = COCOFile.path(camera: camera, split: split)
    if let split, !SplitFraction.isValidName(split) {
      throw .corrupt(path: path, reason: "split name '\(split)' cannot name a folder")
    }
    file = try StreamingFile(store: store, relativePath: path)
    annotationSpool = SpoolFile(store: store, name: path.replacingOccurrences(of: "/", with: "%") + ".annotations")
    var infoMembers: [(String, JSONValue)] = [
      ("description", .string(card.prettyName ?? card.name)), ("version", .string(card.version)),
      ("contributor", .string(card.owner)), ("camera", .string(camera)),
    ]
    if let split { infoMembers.append(("split", .string(split))) }
    let info: JSONValue = .object(infoMembers)
    let licenses: JSONValue = .array([.object([("id", .integer(1)), ("name", .string(license)), ("url", .string(""))])])
    // Stuff classes have no instances, hence no COCO category.
    categories = .array(card.classes.filter { $0.stuff != true }.sorted { $0.id < $1.id }.map { c in
      .object([("id", .integer(c.id)), ("name", .string(c.name)), ("supercategory", .string("object"))])
    })
    try file.append("{\"info\":" + info.compact + ",\"licenses\":" + licenses.compact + ",\"images\":[")
  }

  private func cameraImages(_ partial: JSONValue) -> [JSONValue] {
    (partial["images"]?.arrayValue ?? []).filter { $0["camera"]?.stringValue == camera }
  }

  /// This sample's images of the camera and their annotations, with the ids they get.
  mutating func add(_ partial: JSONValue) throws(DatasetError) {
    let sample = partial["sample"]
    let included = split == nil || sample?["split"]?.stringValue == split
    for image in cameraImages(partial) {
      imageIDs += 1
      let annotationList = image["annotations"]?.arrayValue ?? []
      guard included else {
        annotationIDs += annotationList.count
        continue
      }
      images += 1
      var members: [(String, JSONValue)] = [
        ("id", .integer(imageIDs)), ("file_name", image["file_name"] ?? .null), ("width", image["width"] ?? .null),
        ("height", image["height"] ?? .null), ("license", .integer(1)), ("sample", sample?["index"] ?? .null),
        ("frame", image["frame"] ?? .null), ("split", sample?["split"] ?? .null),
      ]
      // Instances in the masks the scenario keeps out of the labels (distractors).
      if let skipped = image["unannotated_instance_ids"] { members.append(("unannotated_instance_ids", skipped)) }
      let record: JSONValue = .object(members)
      try file.append((images > 1 ? "," : "") + record.compact)
      for annotation in annotationList {
        annotationIDs += 1
        annotations += 1
        let members = [("id", JSONValue.integer(annotationIDs)), ("image_id", .integer(imageIDs))]
          + (annotation.objectMembers ?? [])
        try annotationSpool.append((annotations > 1 ? "," : "") + JSONValue.object(members).compact)
      }
    }
  }

  /// Closes the image list, appends the spooled annotation list and the categories.
  func finish() throws(DatasetError) -> FileEntry {
    try file.append("],\"annotations\":[")
    try annotationSpool.drain(into: file)
    try file.append("],\"categories\":" + categories.compact + "}\n")
    return try file.finish()
  }
}
