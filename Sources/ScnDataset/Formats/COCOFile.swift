import ScnEncoding

/// One camera's `annotations/coco_{camera}.json`, written as the finaliser walks the
/// per-sample records: images in a first walk, annotations in a second, so neither list is
/// held in memory. Ids count from 1 in sample, then frame order; the bytes equal the compact
/// form of the whole document followed by a newline.
struct COCOFile {
  let camera: String
  private let file: StreamingFile
  private let categories: JSONValue
  private(set) var images = 0
  private(set) var annotations = 0
  /// Images met so far in the annotation walk (their ids, as the image walk gave them).
  private var imagesAnnotated = 0

  init(camera: String, store: FileStore, card: DatasetCardInfo, license: String) throws(DatasetError) {
    self.camera = camera
    file = try StreamingFile(store: store, relativePath: "annotations/coco_\(camera).json")
    let info: JSONValue = .object([
      ("description", .string(card.prettyName ?? card.name)), ("version", .string(card.version)),
      ("contributor", .string(card.owner)), ("camera", .string(camera)),
    ])
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

  /// First walk: this sample's images of the camera.
  mutating func addImages(of partial: JSONValue) throws(DatasetError) {
    let sample = partial["sample"]
    for image in cameraImages(partial) {
      images += 1
      let record: JSONValue = .object([
        ("id", .integer(images)), ("file_name", image["file_name"] ?? .null), ("width", image["width"] ?? .null),
        ("height", image["height"] ?? .null), ("license", .integer(1)), ("sample", sample?["index"] ?? .null),
        ("frame", image["frame"] ?? .null), ("split", sample?["split"] ?? .null),
      ])
      try file.append((images > 1 ? "," : "") + record.compact)
    }
  }

  /// Ends the image list; the annotation walk follows.
  func beginAnnotations() throws(DatasetError) { try file.append("],\"annotations\":[") }

  /// Second walk: this sample's annotations, with the image ids the first walk gave.
  mutating func addAnnotations(of partial: JSONValue) throws(DatasetError) {
    for image in cameraImages(partial) {
      imagesAnnotated += 1
      for annotation in image["annotations"]?.arrayValue ?? [] {
        annotations += 1
        let members = [("id", JSONValue.integer(annotations)), ("image_id", .integer(imagesAnnotated))]
          + (annotation.objectMembers ?? [])
        try file.append((annotations > 1 ? "," : "") + JSONValue.object(members).compact)
      }
    }
  }

  func finish() throws(DatasetError) -> FileEntry {
    try file.append("],\"categories\":" + categories.compact + "}\n")
    return try file.finish()
  }
}
