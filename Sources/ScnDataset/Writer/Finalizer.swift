/// Folds the partial records into the aggregate files, in a fixed order, and writes the
/// manifest last: a directory without `manifest.json` is, by definition, unfinished.
struct Finalizer {
  let store: FileStore
  let description: DatasetDescription
  let timestamp: Int64

  static let manifestFormat = "scn-dataset/1"

  func run() throws(DatasetError) -> DatasetSummary {
    let identity = description.identity
    let card = description.card
    var partials: [JSONValue] = []
    partials.reserveCapacity(identity.count)
    for index in 0..<identity.count {
      partials.append(try store.readJSON(DatasetWriter.partialPath(index)))
    }
    var entries: [FileEntry] = []
    for (index, partial) in partials.enumerated() {
      for file in partial["files"]?.arrayValue ?? [] {
        entries.append(try FileEntry(json: file, in: DatasetWriter.partialPath(index)))
      }
    }

    let samples = partials.compactMap { $0["sample"] }
    let frames = partials.flatMap { $0["frames"]?.arrayValue ?? [] }
    entries.append(try store.write(samples.map { $0.compact + "\n" }.joined(), to: "samples.jsonl"))
    entries.append(try store.write(frames.map { $0.compact + "\n" }.joined(), to: "frames.jsonl"))

    var images = 0
    var annotations = 0
    var cocoFiles: [(camera: String, entry: FileEntry)] = []
    for camera in description.sensors where camera.kind == .camera {
      let coco = COCOFile(camera: camera.name, partials: partials, card: card, license: card.license ?? "unspecified")
      images += coco.images
      annotations += coco.annotations
      let entry = try store.write(coco.json.compact + "\n", to: "annotations/coco_\(camera.name).json")
      entries.append(entry)
      cocoFiles.append((camera.name, entry))
    }
    for sensor in description.sensors {
      entries.append(try store.write(sensor.json.pretty, to: "calib/\(sensor.name).json"))
    }
    let tally = CoverageTally(samples: samples, card: card, identity: identity)
    entries.append(try store.write(tally.json.pretty, to: "coverage.json"))

    let summaryBeforeMeta = DatasetSummary(
      samples: samples.count, frames: frames.count, images: images, annotations: annotations, files: 0, bytes: 0)
    let context = CardContext(
      description: description, tally: tally, summary: summaryBeforeMeta, entries: entries, timestamp: timestamp,
      cocoFiles: cocoFiles.map { ($0.camera, $0.entry.path) })
    entries.append(try store.write(DatasetCard.render(context), to: "README.md"))
    entries.append(try store.write(Croissant.document(context).pretty, to: "croissant.json"))
    entries.append(try store.write(Lineage.event(context).pretty, to: "lineage.json"))

    entries.sort { FileStore.pathOrder($0.path, $1.path) }
    let summary = DatasetSummary(
      samples: samples.count, frames: frames.count, images: images, annotations: annotations,
      files: entries.count, bytes: entries.reduce(0) { $0 + $1.bytes })
    let manifest: JSONValue = .object([
      ("format", .string(Finalizer.manifestFormat)),
      ("generator", .object([
        ("name", .string(identity.generatorName)), ("version", .string(identity.generatorVersion)),
      ])),
      ("ir_sha256", .string(identity.irHash)),
      ("sources", identity.json["sources"] ?? .array([])),
      ("identity_sha256", .string(identity.hash)),
      ("identity", identity.json),
      ("counts", .object([
        ("samples", .integer(summary.samples)), ("frames", .integer(summary.frames)),
        ("images", .integer(summary.images)), ("annotations", .integer(summary.annotations)),
        ("files", .integer(summary.files)), ("bytes", .integer(summary.bytes)),
      ])),
      ("files", .array(entries.map(\.json))),
    ])
    // Every listed file reaches the disk before the manifest that vouches for it, and the
    // manifest itself before the run reports success.
    try store.flushToDisk()
    try store.write(manifest.pretty, to: "manifest.json")
    try store.flushToDisk()
    return summary
  }
}

/// What the card, Croissant and lineage writers read.
struct CardContext {
  var description: DatasetDescription
  var tally: CoverageTally
  var summary: DatasetSummary
  /// Files written so far (per-sample files and the data aggregates).
  var entries: [FileEntry]
  var timestamp: Int64
  var cocoFiles: [(camera: String, path: String)]

  var identity: DatasetIdentity { description.identity }
  var card: DatasetCardInfo { description.card }

  func entry(_ path: String) -> FileEntry? { entries.first { $0.path == path } }

  /// The card's licence as a lowercase Hub id: SPDX ids lowercase to Hub ids
  /// (`CC-BY-4.0` → `cc-by-4.0`); no licence becomes `other`.
  var hubLicense: String {
    guard let license = card.license?.lowercased(), !license.isEmpty,
      license.unicodeScalars.allSatisfy({ DatasetWriter.isHubIDScalar($0) || $0 == "." || $0 == "+" })
    else { return "other" }
    return license
  }
}
