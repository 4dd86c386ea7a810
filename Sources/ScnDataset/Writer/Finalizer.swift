import ScnEncoding

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
    // One walk over the per-sample records, one record in memory at a time: it collects
    // file entries and sample records and streams samples.jsonl, frames.jsonl and each
    // camera's COCO images and (spooled until the images are done) annotations.
    var entries: [FileEntry] = []
    var samples: [JSONValue] = []
    var frameCount = 0
    let samplesFile = try StreamingFile(store: store, relativePath: "samples.jsonl")
    let framesFile = try StreamingFile(store: store, relativePath: "frames.jsonl")
    var cocoFiles: [COCOFile] = []
    // One file per camera for the whole dataset, then one per camera and split.
    for camera in description.sensors where camera.kind == .camera {
      cocoFiles.append(
        try COCOFile(camera: camera.name, store: store, card: card, license: card.license ?? "unspecified"))
    }
    for split in identity.splits {
      for camera in description.sensors where camera.kind == .camera {
        cocoFiles.append(
          try COCOFile(
            camera: camera.name, split: split.name, store: store, card: card, license: card.license ?? "unspecified"))
      }
    }
    for index in 0..<identity.count {
      let partialPath = DatasetWriter.partialPath(index)
      let partial = try store.readJSON(partialPath)
      for file in partial["files"]?.arrayValue ?? [] {
        entries.append(try FileEntry(json: file, in: partialPath))
      }
      if let sample = partial["sample"] {
        samples.append(sample)
        try samplesFile.append(sample.compact + "\n")
      }
      for frame in partial["frames"]?.arrayValue ?? [] {
        frameCount += 1
        try framesFile.append(frame.compact + "\n")
      }
      for k in cocoFiles.indices { try cocoFiles[k].add(partial) }
    }
    entries.append(try samplesFile.finish())
    entries.append(try framesFile.finish())
    var images = 0
    var annotations = 0
    var cocoEntries: [(camera: String, split: String?, entry: FileEntry)] = []
    for coco in cocoFiles {
      // The split files repeat the whole files' records.
      if coco.split == nil {
        images += coco.images
        annotations += coco.annotations
      }
      let entry = try coco.finish()
      entries.append(entry)
      cocoEntries.append((coco.camera, coco.split, entry))
    }
    // The privacy audit runs before any aggregate that vouches for the data is written: a
    // dataset that fails `@privacy` never gets its card or manifest.
    let audit = try PrivacyAudit(inputs: card.realData, policy: card.privacyPolicy, samples: samples)
    guard audit.passes else { throw .privacyAudit(audit.failureReport) }
    let tally = CoverageTally(samples: samples, card: card, identity: identity)
    entries.append(try store.write(tally.json.pretty, to: "coverage.json"))
    if let labels = card.partLabels {
      entries.append(try store.write(PartLabelsFile.json(labels).pretty, to: PartLabelsFile.path))
    }

    let summaryBeforeMeta = DatasetSummary(
      samples: samples.count, frames: frameCount, images: images, annotations: annotations, files: 0, bytes: 0)
    let context = CardContext(
      description: description, tally: tally, summary: summaryBeforeMeta, entries: entries, timestamp: timestamp, audit: audit,
      cocoFiles: cocoEntries.map { ($0.camera, $0.split, $0.entry.path) })
    entries.append(try store.write(DatasetCard.render(context), to: "README.md"))
    entries.append(try store.write(Croissant.document(context).pretty, to: "croissant.json"))
    entries.append(try store.write(Lineage.event(context).pretty, to: "lineage.json"))

    entries.sort { FileStore.pathOrder($0.path, $1.path) }
    let summary = DatasetSummary(
      samples: samples.count, frames: frameCount, images: images, annotations: annotations,
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
  /// Generated records against the real data they were drawn from (empty without `empirical`).
  var audit: PrivacyAudit
  /// Every COCO file: per camera (`split` nil), then per camera and split.
  var cocoFiles: [(camera: String, split: String?, path: String)]

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
