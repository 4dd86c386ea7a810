import ScnEncoding

/// `croissant.json`: MLCommons Croissant 1.0 JSON-LD describing the files (with hashes) and
/// three kinds of records mlcroissant can read: samples, frames and each camera's objects.
enum Croissant {
  /// The full standard 1.0 context. A trimmed one can crash mlcroissant, so it is written out
  /// whole, exactly as the specification and mlcroissant define it.
  static let context: JSONValue = .object([
    ("@language", .string("en")),
    ("@vocab", .string("https://schema.org/")),
    ("citeAs", .string("cr:citeAs")),
    ("column", .string("cr:column")),
    ("conformsTo", .string("dct:conformsTo")),
    ("cr", .string("http://mlcommons.org/croissant/")),
    ("rai", .string("http://mlcommons.org/croissant/RAI/")),
    ("data", .object([("@id", .string("cr:data")), ("@type", .string("@json"))])),
    ("dataType", .object([("@id", .string("cr:dataType")), ("@type", .string("@vocab"))])),
    ("dct", .string("http://purl.org/dc/terms/")),
    ("examples", .object([("@id", .string("cr:examples")), ("@type", .string("@json"))])),
    ("extract", .string("cr:extract")),
    ("field", .string("cr:field")),
    ("fileProperty", .string("cr:fileProperty")),
    ("fileObject", .string("cr:fileObject")),
    ("fileSet", .string("cr:fileSet")),
    ("format", .string("cr:format")),
    ("includes", .string("cr:includes")),
    ("isLiveDataset", .string("cr:isLiveDataset")),
    ("jsonPath", .string("cr:jsonPath")),
    ("key", .string("cr:key")),
    ("md5", .string("cr:md5")),
    ("parentField", .string("cr:parentField")),
    ("path", .string("cr:path")),
    ("recordSet", .string("cr:recordSet")),
    ("references", .string("cr:references")),
    ("regex", .string("cr:regex")),
    ("repeated", .string("cr:repeated")),
    ("replace", .string("cr:replace")),
    ("sc", .string("https://schema.org/")),
    ("separator", .string("cr:separator")),
    ("source", .string("cr:source")),
    ("subField", .string("cr:subField")),
    ("transform", .string("cr:transform")),
  ])

  static func document(_ context: CardContext) -> JSONValue {
    let card = context.card
    var distribution: [JSONValue] = []
    func fileObject(_ path: String, _ format: String, _ about: String) {
      guard let entry = context.entry(path) else { return }
      distribution.append(
        .object([
          ("@type", .string("cr:FileObject")), ("@id", .string(path)), ("name", .string(path)),
          ("description", .string(about)), ("contentUrl", .string(path)), ("contentSize", .string("\(entry.bytes) B")),
          ("encodingFormat", .string(format)), ("sha256", .string(entry.sha256)),
        ]))
    }
    fileObject(
      "samples.jsonl", "application/jsonlines",
      "One record per sample: index, split, seed, attempts, parameters, environment, actors (class, pose, size, fields), cover buckets and values.")
    fileObject(
      "frames.jsonl", "application/jsonlines",
      "One record per frame: time, the ego actor's pose (null while the ego does not exist and when the scenario has none), every sensor's pose and every actor's pose."
    )
    fileObject("coverage.json", "application/json", "Samples per cover-point bucket and rejections per requirement.")
    fileObject(
      PartLabelsFile.path, "application/json",
      "Part-label ids: the pixel values of the parts/ images (0 = no labelled part) and their names.")
    for coco in context.cocoFiles {
      fileObject(
        coco.path, "application/json",
        "COCO detection labels with RLE masks for camera \(coco.camera)" + (coco.split.map { ", split \($0) only (ids as in the camera's whole file)." } ?? "."))
    }
    let fileSets: [(id: String, folder: String, pattern: String, format: String, about: String)] = [
      ("rgb-images", "images", "images/**/*.png", "image/png", "RGB camera images, 8-bit."),
      ("depth-images", "depth", "depth/**/*.png", "image/png",
       "Depth images, 16-bit millimetres: along the optical axis for a pinhole camera, along the ray (range) for a fisheye (the camera's calibration `model`)."),
      ("instance-images", "instance", "instance/**/*.png", "image/png", "Instance id images."),
      ("semantic-images", "semantic", "semantic/**/*.png", "image/png", "Semantic class id images."),
      ("part-images", "parts", "parts/**/*.png", "image/png",
       "Part-label id images, 16-bit (0 = no labelled part; ids in part_labels.json)."),
      ("lidar-sweeps", "lidar", "lidar/**/*.ply", "application/octet-stream", "LiDAR sweeps, PLY: x y z intensity ring."),
      ("calibration", "calib", "calib/**/*.json", "application/json",
       "Sensor calibration per sample (calib/{sensor}/{sample:06}.json): pose relative to the mount; cameras add `model` (pinhole or fisheye), `K`, `distortion_model` and `distortion` (opencv: k1 k2 p1 p2 k3 on a pinhole; kannala_brandt: k1 k2 k3 k4 of a fisheye's r = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸))."),
      ("kitti-labels", "annotations/kitti", "annotations/kitti/**/*.txt", "text/plain", "KITTI object labels per camera frame."),
    ]
    for set in fileSets where context.entries.contains(where: { $0.path.hasPrefix(set.folder + "/") }) {
      distribution.append(
        .object([
          ("@type", .string("cr:FileSet")), ("@id", .string(set.id)), ("name", .string(set.id)),
          ("description", .string(set.about)), ("encodingFormat", .string(set.format)),
          ("includes", .string(set.pattern)),
        ]))
    }

    var recordSets: [JSONValue] = []
    func field(_ set: String, _ name: String, _ type: String, _ about: String, _ source: [(String, JSONValue)]) -> JSONValue {
      .object([
        ("@type", .string("cr:Field")), ("@id", .string("\(set)/\(name)")), ("name", .string(name)),
        ("description", .string(about)), ("dataType", .string(type)), ("source", .object(source)),
      ])
    }
    func columns(_ set: String, _ file: String, _ about: String, _ fields: [(String, String, String)]) {
      guard context.entry(file) != nil else { return }
      recordSets.append(
        .object([
          ("@type", .string("cr:RecordSet")), ("@id", .string(set)), ("name", .string(set)),
          ("description", .string(about)),
          ("field", .array(fields.map { name, type, about in
            var built = field(set, name, type, about, [
              ("fileObject", .object([("@id", .string(file))])), ("extract", .object([("column", .string(name))])),
            ])
            if set == "samples", name == "split", !splits.isEmpty, case .object(let members) = built {
              built = .object(members + [("references", .object([("field", .object([("@id", .string("splits/name"))]))]))])
            }
            return built
          })),
        ]))
    }
    let splits = context.tally.splits
    if !splits.isEmpty {
      // Inline records, as the Croissant specification models splits (`cr:Split`).
      let fields: [(String, String, String)] = [
        ("name", "sc:Text", "Split name, as in samples' `split` field."),
        ("fraction", "sc:Float", "Requested share of the samples (--split); absent for splits outside the plan."),
        ("samples", "sc:Integer", "Samples in the split."),
      ]
      recordSets.append(
        .object([
          ("@type", .string("cr:RecordSet")), ("@id", .string("splits")), ("name", .string("splits")),
          ("description", .string("Splits; samples are assigned by a hash of their index.")),
          ("dataType", .string("cr:Split")), ("key", .object([("@id", .string("splits/name"))])),
          ("field", .array(fields.map { name, type, about in
            .object([
              ("@type", .string("cr:Field")), ("@id", .string("splits/\(name)")), ("name", .string(name)),
              ("description", .string(about)), ("dataType", .string(type)),
            ])
          })),
          ("data", .array(splits.map { split in
            .object([
              ("splits/name", .string(split.name)), ("splits/fraction", split.fraction.map(JSONValue.double) ?? .null),
              ("splits/samples", .integer(split.count)),
            ])
          })),
        ]))
    }
    columns("samples", "samples.jsonl", "Accepted samples.", [
      ("index", "sc:Integer", "Sample index, 0-based."), ("split", "sc:Text", "Split the sample belongs to."),
      ("attempts", "sc:Integer", "Attempts the sampler needed for this sample."),
    ])
    columns("frames", "frames.jsonl", "Simulated frames.", [
      ("sample", "sc:Integer", "Sample index."), ("frame", "sc:Integer", "Frame index within the sample."),
      ("time", "sc:Float", "Seconds since the start of the sample."),
    ])
    if context.entry(PartLabelsFile.path) != nil {
      let set = "part-labels"
      let fields: [(String, String, String)] = [
        ("id", "sc:Integer", "Pixel value in the parts/ images."), ("name", "sc:Text", "Part label, e.g. head."),
      ]
      recordSets.append(
        .object([
          ("@type", .string("cr:RecordSet")), ("@id", .string(set)), ("name", .string(set)),
          ("description", .string("Part labels of the parts/ images.")),
          ("field", .array(fields.map { name, type, about in
            field(set, name, type, about, [
              ("fileObject", .object([("@id", .string(PartLabelsFile.path))])),
              ("extract", .object([("jsonPath", .string("$.part_labels[*].\(name)"))])),
            ])
          })),
        ]))
    }
    // Record sets for the whole files; a split's file repeats a subset of their records.
    for coco in context.cocoFiles where context.summary.annotations > 0 && coco.split == nil {
      let set = "objects-\(coco.camera)"
      let fields: [(String, String, String)] = [
        ("id", "sc:Integer", "Annotation id."), ("image_id", "sc:Integer", "COCO image id."),
        ("category_id", "sc:Integer", "Class id (semantic id)."), ("area", "sc:Float", "Visible pixels."),
        ("instance_id", "sc:Integer", "Value of the object's pixels in the instance image."),
      ]
      recordSets.append(
        .object([
          ("@type", .string("cr:RecordSet")), ("@id", .string(set)), ("name", .string(set)),
          ("description", .string("Labelled objects seen by camera \(coco.camera).")),
          ("field", .array(fields.map { name, type, about in
            field(set, name, type, about, [
              ("fileObject", .object([("@id", .string(coco.path))])),
              ("extract", .object([("jsonPath", .string("$.annotations[*].\(name)"))])),
            ])
          })),
        ]))
    }

    var members: [(String, JSONValue)] = [
      ("@context", context_), ("@type", .string("sc:Dataset")),
      ("name", .string(card.name)), ("description", .string(DatasetCard.paragraph(card.description))),
      ("conformsTo", .string("http://mlcommons.org/croissant/1.0")),
      // The writer accepts only ids on the pinned SPDX list; the URL uses the canonical spelling.
      ("license", .string(card.license.flatMap { SPDXLicenses.canonical($0) }.map { "https://spdx.org/licenses/\($0).html" } ?? "not stated by the scenario")),
      ("url", .string(card.homepage ?? "README.md")),
      ("version", .string(card.version)),
      ("datePublished", .string(DatasetTimestamp.iso8601(context.timestamp))),
      ("creator", .object([("@type", .string("sc:Organization")), ("name", .string(card.owner))])),
      ("keywords", .array((["synthetic", "scn"] + card.tags).map(JSONValue.string))),
    ]
    if let citation = card.citation { members.append(("citeAs", .string(citation))) }
    // Imported assets the images are derived from (schema.org `isBasedOn`).
    if let assets = card.assets, !assets.isEmpty {
      members.append(("isBasedOn", .array(assets.map { a in
        var work: [(String, JSONValue)] = [
          ("@type", .string("sc:CreativeWork")), ("name", .string(a.name)), ("contentUrl", .string(a.file)),
          ("sha256", .string(a.sha256)),
          ("license", .string(SPDXLicenses.canonical(a.license).map { "https://spdx.org/licenses/\($0).html" } ?? a.license)),
        ]
        if let credit = a.attribution { work.append(("creditText", .string(credit))) }
        return .object(work)
      })))
    }
    members += [("distribution", .array(distribution)), ("recordSet", .array(recordSets))]
    return .object(members)
  }

  private static var context_: JSONValue { context }
}
