/// Builds `annotations/coco_{camera}.json` from the partial records, in sample order.
/// Image and annotation ids are assigned here, consecutively from 1, so they are the same
/// however the samples were produced.
struct COCOFile {
  var json: JSONValue
  var images = 0
  var annotations = 0

  init(camera: String, partials: [JSONValue], card: DatasetCardInfo, license: String) {
    var images: [JSONValue] = []
    var annotations: [JSONValue] = []
    for partial in partials {
      let sample = partial["sample"]
      for image in partial["images"]?.arrayValue ?? [] where image["camera"]?.stringValue == camera {
        let imageID = images.count + 1
        images.append(
          .object([
            ("id", .integer(imageID)), ("file_name", image["file_name"] ?? .null), ("width", image["width"] ?? .null),
            ("height", image["height"] ?? .null), ("license", .integer(1)), ("sample", sample?["index"] ?? .null),
            ("frame", image["frame"] ?? .null), ("split", sample?["split"] ?? .null),
          ]))
        for annotation in image["annotations"]?.arrayValue ?? [] {
          let members = [("id", JSONValue.integer(annotations.count + 1)), ("image_id", .integer(imageID))]
            + (annotation.objectMembers ?? [])
          annotations.append(.object(members))
        }
      }
    }
    self.images = images.count
    self.annotations = annotations.count
    json = .object([
      ("info", .object([
        ("description", .string(card.prettyName ?? card.name)), ("version", .string(card.version)),
        ("contributor", .string(card.owner)), ("camera", .string(camera)),
      ])),
      ("licenses", .array([.object([("id", .integer(1)), ("name", .string(license)), ("url", .string(""))])])),
      ("images", .array(images)),
      ("annotations", .array(annotations)),
      ("categories", .array(card.classes.sorted { $0.id < $1.id }.map { c in
        .object([("id", .integer(c.id)), ("name", .string(c.name)), ("supercategory", .string("object"))])
      })),
    ])
  }
}
