import Foundation
import ScnEncoding

/// What the writer needs besides the samples, stored in `.scn-work/` so a resumed run can
/// prove it continues the same dataset and `scn merge` can finish shards on its own.
public struct DatasetDescription: Sendable, Codable, Equatable {
  public var identity: DatasetIdentity
  public var card: DatasetCardInfo
  public var sensors: [SensorCalibration]
  public init(identity: DatasetIdentity, card: DatasetCardInfo, sensors: [SensorCalibration]) {
    self.identity = identity
    self.card = card
    self.sensors = sensors
  }
}

/// How a writer treats an output directory that already holds files.
public enum ExistingOutputPolicy: Sendable, Equatable {
  /// Refuse a non-empty directory (the default).
  case refuse
  /// Continue an interrupted run of the same dataset (`--resume`); samples already written
  /// are kept and reported by `pendingSampleIndices`.
  case resume
  /// Empty a directory that holds an scn dataset or work area, then start over (`--force`).
  case replace
}

/// Run-specific settings: none of them reaches an output byte except `timestamp`, which
/// only the formats that demand one carry.
public struct DatasetWriterOptions: Sendable {
  public var existingOutput: ExistingOutputPolicy
  public var shard: Shard?
  /// Seconds since 1970-01-01 UTC for Croissant `datePublished` and OpenLineage `eventTime`;
  /// obtain it from `DatasetTimestamp.resolve`.
  public var timestamp: Int64
  /// Files and folders the run reads (scenario, imports, shards): `.replace` refuses to empty
  /// a directory that holds one of them.
  public var inputs: [URL]
  public init(existingOutput: ExistingOutputPolicy = .refuse, shard: Shard? = nil, timestamp: Int64, inputs: [URL] = []) {
    self.existingOutput = existingOutput
    self.shard = shard
    self.timestamp = timestamp
    self.inputs = inputs
  }
}

/// What `finalize()` produced.
public enum DatasetFinalization: Sendable, Equatable {
  /// A complete dataset: its manifest is written.
  case dataset(DatasetSummary)
  /// A shard: per-sample files, partial records and `.scn-work/shard.json`, ready for `scn merge`.
  case shard(Shard, samples: Int)
}

/// Counts of a finished dataset (also recorded under `counts` in the manifest).
public struct DatasetSummary: Sendable, Equatable {
  public var samples: Int
  public var frames: Int
  public var images: Int
  public var annotations: Int
  public var files: Int
  public var bytes: Int
}

/// Writes a dataset directory (layout in docs/architecture.md) sample by sample.
///
/// `write(sample:)` may be called from several threads at once and in any order; each sample's
/// files are written atomically and then its partial record `.scn-work/samples/NNNNNN.json`,
/// which marks the sample done. `finalize()` folds the partial records, in index order, into the
/// aggregate files and writes `manifest.json` last, then removes `.scn-work/`. A run killed at
/// any point and resumed with `.resume` therefore produces the same bytes as an uninterrupted one.
public final class DatasetWriter: Sendable {
  /// What this writer writes: identity, card and sensors.
  public let dataset: DatasetDescription
  public let options: DatasetWriterOptions
  let store: FileStore
  private let state: Locked<WriterState>
  /// Held from opening to deinit: no other scn process writes to the same directory meanwhile.
  private let lock: DirectoryLock

  struct WriterState {
    var completed: Set<Int>
    var inFlight: Set<Int> = []
    /// The directory already holds the finished dataset (resume after completion).
    var finished: Bool
  }

  static let descriptionFile = FileStore.workDirectory + "/description.json"
  static let shardFile = FileStore.workDirectory + "/shard.json"
  /// Present while `--force` empties the directory; holds the new run's description.
  static let replacingFile = FileStore.workDirectory + "/replacing.json"
  static func partialPath(_ index: Int) -> String {
    FileStore.workDirectory + "/samples/" + SampleEncoder.pad(index, 6) + ".json"
  }

  /// Opens `outputDirectory` for writing, applying `options.existingOutput` to what is there.
  public convenience init(
    outputDirectory: URL, identity: DatasetIdentity, card: DatasetCardInfo, sensors: [SensorCalibration],
    options: DatasetWriterOptions
  ) throws(DatasetError) {
    try self.init(
      outputDirectory: outputDirectory,
      description: DatasetDescription(identity: identity, card: card, sensors: sensors), options: options)
  }

  public init(outputDirectory: URL, description: DatasetDescription, options: DatasetWriterOptions) throws(DatasetError) {
    try DatasetWriter.validate(description)
    self.dataset = description
    self.options = options
    let store = FileStore(root: outputDirectory)
    self.store = store
    // The lock comes first: what is in the directory is only looked at while no other scn
    // process can change it.
    lock = try DirectoryLock(outputDirectory)
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
    var completed: Set<Int> = []
    var finished = false
    if !entries.isEmpty {
      switch options.existingOutput {
      case .refuse:
        throw .outputNotEmpty(outputDirectory.path)
      case .replace:
        guard DatasetWriter.isScnDirectory(store) else { throw .refusingToReplace(outputDirectory.path) }
        try DatasetWriter.refuseToDeleteInputs(options.inputs, in: outputDirectory)
        try DatasetWriter.replaceContents(store, with: description)
      case .resume:
        if let replacing = DatasetWriter.decodeDescription(store, DatasetWriter.replacingFile) {
          // A `--force` run was killed while it emptied the directory: finish emptying it.
          guard replacing == description else {
            throw .differentDataset(outputDirectory.path, DatasetWriter.differences(replacing, description))
          }
          try DatasetWriter.refuseToDeleteInputs(options.inputs, in: outputDirectory)
          try DatasetWriter.replaceContents(store, with: description)
        } else if store.exists(DatasetWriter.descriptionFile) {
          let found = try DatasetWriter.readDescription(store)
          guard found == description else {
            throw .differentDataset(outputDirectory.path, DatasetWriter.differences(found, description))
          }
          // Until the new manifest is written the directory is, visibly, unfinished.
          try store.remove("manifest.json")
          try store.remove(DatasetWriter.shardFile)
          completed = DatasetWriter.intactSamples(store)
        } else if let manifest = DatasetWriter.scnManifest(store) {
          guard manifest["identity"]?.compact == dataset.identity.json.compact else {
            throw .differentDataset(outputDirectory.path, [])
          }
          // The manifest is written last, after everything it lists reached the disk: the
          // dataset is finished. A work area left beside it is what remained when a run was
          // killed while removing it; removing it now makes `verify` agree.
          try store.remove(FileStore.workDirectory)
          finished = true
        } else if entries == [FileStore.workDirectory], DatasetWriter.workAreaHoldsNoRecord(store) {
          // Killed before the description was stored: nothing was committed yet, so the run
          // starts afresh in its own work area.
          try store.remove(FileStore.workDirectory)
        } else {
          throw .refusingToReplace(outputDirectory.path)
        }
      }
    }
    if !finished {
      if !store.exists(DatasetWriter.descriptionFile) {
        // The description is the work area's first record: with it, the folder is provably scn's.
        try store.write(try DatasetWriter.encode(description), to: DatasetWriter.descriptionFile)
      }
      try store.makeDirectory(store.workURL.appendingPathComponent("samples", isDirectory: true))
    }
    state = Locked(WriterState(completed: completed, finished: finished))
  }

  static func encode(_ description: DatasetDescription) throws(DatasetError) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    guard let data = try? encoder.encode(description) else {
      throw .io(path: DatasetWriter.descriptionFile, reason: "cannot encode the dataset description")
    }
    return [UInt8](data)
  }

  static func decodeDescription(_ store: FileStore, _ path: String) -> DatasetDescription? {
    guard store.exists(path), let bytes = try? store.read(path) else { return nil }
    return try? JSONDecoder().decode(DatasetDescription.self, from: Data(bytes))
  }

  /// The manifest, when the directory holds one that parses and carries scn's format marker.
  static func scnManifest(_ store: FileStore) -> JSONValue? {
    guard store.exists("manifest.json"), let manifest = try? store.readJSON("manifest.json"),
      manifest["format"]?.stringValue == Finalizer.manifestFormat
    else { return nil }
    return manifest
  }

  /// Whether `--force` may empty the directory: it must provably hold scn's output, a manifest
  /// with scn's format marker that parses, or a work area whose description (or pending
  /// replacement) decodes. A web app's `manifest.json` or an empty `.scn-work` is not enough.
  static func isScnDirectory(_ store: FileStore) -> Bool {
    scnManifest(store) != nil || decodeDescription(store, descriptionFile) != nil
      || decodeDescription(store, replacingFile) != nil
  }

  /// A work area holding only empty folders (and temporary files): what a run killed before it
  /// stored its description leaves.
  static func workAreaHoldsNoRecord(_ store: FileStore) -> Bool {
    let work = FileStore(root: store.workURL)
    return work.listFiles(skipping: ["tmp"]).isEmpty
  }

  /// Refuses when a file the run reads (the scenario, its imports, a shard) lies inside `directory`.
  static func refuseToDeleteInputs(_ inputs: [URL], in directory: URL) throws(DatasetError) {
    guard let root = FileStore.realPath(directory.path) else { return }
    for input in inputs {
      guard let path = FileStore.realPath(input.path) else { continue }
      if path == root || path.hasPrefix(root == "/" ? "/" : root + "/") {
        throw .wouldDeleteInput(directory: directory.path, input: input.path)
      }
    }
  }

  /// Empties a provably-scn directory for `description`, in an order a kill cannot spoil:
  /// first the new description goes to `.scn-work/replacing.json` (the directory stays
  /// provably scn's, and `--resume` knows to finish the job), then everything else goes, the
  /// manifest first, and last the description takes its normal place.
  static func replaceContents(_ store: FileStore, with description: DatasetDescription) throws(DatasetError) {
    try store.write(try encode(description), to: replacingFile)
    let work = (try? FileManager.default.contentsOfDirectory(atPath: store.workURL.path)) ?? []
    for name in work.sorted() where name != "replacing.json" && name != "tmp" {
      try store.remove(FileStore.workDirectory + "/" + name)
    }
    try store.remove("manifest.json")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: store.root.path)) ?? []
    for name in entries.sorted() where name != FileStore.workDirectory { try store.remove(name) }
    try store.write(try encode(description), to: descriptionFile)
    try store.remove(replacingFile)
  }

  /// The fields in which two descriptions differ, named as the user knows them.
  static func differences(_ a: DatasetDescription, _ b: DatasetDescription) -> [String] {
    let x = a.identity, y = b.identity
    var out: [String] = []
    if x.scenario != y.scenario { out.append("scenario ('\(x.scenario)' vs '\(y.scenario)')") }
    if x.sources != y.sources { out.append("source files") }
    if x.irHash != y.irHash, x.sources == y.sources { out.append("compiled program") }
    if x.generatorName != y.generatorName || x.generatorVersion != y.generatorVersion {
      out.append("generator version (\(x.generatorVersion) vs \(y.generatorVersion))")
    }
    if x.seed != y.seed { out.append("--seed (\(x.seed) vs \(y.seed))") }
    if x.count != y.count { out.append("--count (\(x.count) vs \(y.count))") }
    func frames(_ i: DatasetIdentity) -> String? { i.overrides.first { $0.name == "--max-frames" }?.value }
    if frames(x) != frames(y) { out.append("--max-frames (\(frames(x) ?? "none") vs \(frames(y) ?? "none"))") }
    if x.overrides.filter({ $0.name != "--max-frames" }) != y.overrides.filter({ $0.name != "--max-frames" }) {
      out.append("--param overrides")
    }
    func splits(_ i: DatasetIdentity) -> String {
      i.splits.isEmpty ? "none" : i.splits.map { "\($0.name)=\($0.fraction)" }.joined(separator: ",")
    }
    if x.splits != y.splits { out.append("--split (\(splits(x)) vs \(splits(y)))") }
    if x.coverTarget != y.coverTarget { out.append("--cover-target") }
    if out.isEmpty, a.card != b.card { out.append("dataset card annotations") }
    if out.isEmpty, a.sensors != b.sensors { out.append("sensors") }
    return out
  }

  /// The samples this run (or shard) must still write, ascending.
  public var pendingSampleIndices: [Int] {
    let done = state.withLock { $0.finished ? nil : $0.completed }
    guard let done else { return [] }
    return expectedSamples.filter { !done.contains($0) }
  }

  /// Whether the directory already held the finished dataset when it was opened.
  public var isFinished: Bool { state.withLock { $0.finished } }

  var expectedSamples: [Int] {
    let all = 0..<dataset.identity.count
    guard let shard = options.shard else { return Array(all) }
    return all.filter(shard.contains)
  }

  /// Writes one whole sample and marks it done. Thread-safe; samples may come in any order.
  public func write(sample: SampleOutput) throws(DatasetError) {
    let stream = try beginSample(sample.record.index)
    for camera in sample.cameras { try stream.write(camera: camera) }
    for lidar in sample.lidars { try stream.write(lidar: lidar) }
    try stream.finish(record: sample.record, frames: sample.frames)
  }

  /// Starts writing sample `index` frame by frame (see `SampleStream`). Thread-safe; each
  /// sample may be begun once, and samples may come in any order.
  ///
  /// `calibrations` are this sample's sensors (a random `fov` or mount offset differs from
  /// sample to sample); nil means the dataset's. They must name the dataset's sensors, each
  /// with its kind, and are written as `calib/{sensor}/{sample:06}.json`.
  public func beginSample(_ index: Int, calibrations: [SensorCalibration]? = nil) throws(DatasetError) -> SampleStream {
    let sensors = calibrations ?? dataset.sensors
    let expected = dataset.sensors.map { "\($0.name) \($0.kind)" }.sorted()
    guard sensors.map({ "\($0.name) \($0.kind)" }).sorted() == expected else {
      throw .invalidSample(
        index: index, reason: "its calibrations name \(sensors.map(\.name).sorted()), the dataset's sensors are \(dataset.sensors.map(\.name).sorted())")
    }
    try claim(index)
    return SampleStream(index: index, writer: self, encoder: SampleEncoder(card: dataset.card, sensors: sensors))
  }

  /// Gives back the claim of a sample whose stream ended without `finish`.
  func release(_ index: Int) {
    state.withLock { _ = $0.inFlight.remove(index) }
  }

  /// Takes over a finished sample from another directory (a shard), re-checking each file's hash.
  func adopt(index: Int, partial: JSONValue, from source: FileStore) throws(DatasetError) {
    try claim(index)
    do throws(DatasetError) {
      let partialPath = DatasetWriter.partialPath(index)
      guard partial["index"]?.intValue == index, let files = partial["files"]?.arrayValue else {
        throw DatasetError.corrupt(path: source.url(partialPath).path, reason: "not the partial record of sample \(index)")
      }
      // Image records name files the COCO files will point at: only files the record lists.
      let listed = Set(files.compactMap { $0["path"]?.stringValue })
      for image in partial["images"]?.arrayValue ?? [] {
        let named = [image["file_name"]] + (image["files"]?.objectMembers ?? []).map { Optional($0.1) }
        for name in named where !(name?.stringValue.map(listed.contains) ?? false) {
          throw DatasetError.corrupt(
            path: source.url(partialPath).path, reason: "an image names '\(name?.compact ?? "nothing")', not a file of sample \(index)")
        }
      }
      for file in files {
        let entry = try FileEntry(json: file, in: partialPath)
        // The record comes from another directory: it may name only this sample's own files,
        // and the path check runs before either side is touched.
        guard SampleEncoder.isFile(entry.path, ofSample: index) else {
          throw DatasetError.corrupt(
            path: source.url(partialPath).path, reason: "'\(entry.path)' is not a file of sample \(index)")
        }
        _ = try source.checkedURL(entry.path)
        _ = try store.checkedURL(entry.path, followingLast: false)
        let bytes = try source.read(entry.path)
        guard SHA256Hex.of(bytes) == entry.sha256 else {
          throw DatasetError.corrupt(path: source.url(entry.path).path, reason: "sha256 differs from the shard's record")
        }
        try store.write(bytes, to: entry.path)
      }
      try commit(index, partial: partial)
    } catch {
      state.withLock { _ = $0.inFlight.remove(index) }
      throw error
    }
  }

  private func claim(_ index: Int) throws(DatasetError) {
    let count = dataset.identity.count
    guard index >= 0, index < count else { throw .sampleOutOfRange(index: index, count: count) }
    if let shard = options.shard, !shard.contains(index) { throw .sampleNotInShard(index: index, shard: shard) }
    let claimed = state.withLock { s -> Bool in
      if s.finished || s.completed.contains(index) || s.inFlight.contains(index) { return false }
      s.inFlight.insert(index)
      return true
    }
    guard claimed else { throw .sampleAlreadyWritten(index) }
  }

  func commit(_ index: Int, partial: JSONValue) throws(DatasetError) {
    try store.write(partial.compact, to: DatasetWriter.partialPath(index))
    state.withLock { s in
      s.inFlight.remove(index)
      s.completed.insert(index)
    }
  }

  /// Writes the aggregate files and the manifest (or, for a shard, the shard record).
  /// Throws `.incomplete` while samples are missing.
  public func finalize() throws(DatasetError) -> DatasetFinalization {
    let (finished, done) = state.withLock { ($0.finished, $0.completed) }
    if finished { return .dataset(try DatasetWriter.summary(fromManifest: store.readJSON("manifest.json"))) }
    let missing = expectedSamples.filter { !done.contains($0) }
    guard missing.isEmpty else { throw .incomplete(missing: missing, total: expectedSamples.count) }
    if let shard = options.shard {
      let record: JSONValue = .object([
        ("identity", dataset.identity.json),
        ("shard", .object([("index", .integer(shard.index)), ("count", .integer(shard.count))])),
        ("samples", .array(expectedSamples.map(JSONValue.integer))),
      ])
      try store.flushToDisk()
      try store.write(record.pretty, to: DatasetWriter.shardFile)
      try store.flushToDisk()
      return .shard(shard, samples: expectedSamples.count)
    }
    let summary = try Finalizer(store: store, description: dataset, timestamp: options.timestamp).run()
    try store.remove(FileStore.workDirectory)
    state.withLock { $0.finished = true }
    return .dataset(summary)
  }

  static func readDescription(_ store: FileStore) throws(DatasetError) -> DatasetDescription {
    let bytes = try store.read(descriptionFile)
    guard let decoded = try? JSONDecoder().decode(DatasetDescription.self, from: Data(bytes)) else {
      throw .corrupt(path: store.url(descriptionFile).path, reason: "not a dataset description")
    }
    return decoded
  }

  /// Samples whose partial record exists. A partial is renamed into place only after all of
  /// the sample's files, so its presence means the sample is whole.
  static func completedSamples(_ store: FileStore) -> Set<Int> {
    let directory = store.workURL.appendingPathComponent("samples", isDirectory: true)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var done: Set<Int> = []
    for name in names where name.hasSuffix(".json") {
      if let index = Int(name.dropLast(5)) { done.insert(index) }
    }
    return done
  }

  /// The completed samples whose files all still have the size and SHA-256 their partial
  /// record lists. Files are not synced one by one, so after a power loss (not a mere kill) a
  /// sample can be recorded while its data never reached the disk; such a sample loses its
  /// record here and is rendered again.
  static func intactSamples(_ store: FileStore) -> Set<Int> {
    var intact: Set<Int> = []
    for index in completedSamples(store).sorted() {
      let partialPath = partialPath(index)
      guard let partial = try? store.readJSON(partialPath), partial["index"]?.intValue == index,
        let files = partial["files"]?.arrayValue,
        files.allSatisfy({ file in
          guard let entry = try? FileEntry(json: file, in: partialPath), let bytes = try? store.read(entry.path) else {
            return false
          }
          return bytes.count == entry.bytes && SHA256Hex.of(bytes) == entry.sha256
        })
      else {
        try? store.remove(partialPath)
        continue
      }
      intact.insert(index)
    }
    return intact
  }

  static func summary(fromManifest manifest: JSONValue) throws(DatasetError) -> DatasetSummary {
    guard let counts = manifest["counts"], let samples = counts["samples"]?.intValue,
      let frames = counts["frames"]?.intValue, let images = counts["images"]?.intValue,
      let annotations = counts["annotations"]?.intValue, let files = counts["files"]?.intValue,
      let bytes = counts["bytes"]?.intValue
    else { throw .corrupt(path: "manifest.json", reason: "no counts") }
    return DatasetSummary(
      samples: samples, frames: frames, images: images, annotations: annotations, files: files, bytes: bytes)
  }

  static func validate(_ description: DatasetDescription) throws(DatasetError) {
    let card = description.card
    for sensor in description.sensors where !SampleEncoder.validName(sensor.name) {
      throw .invalidName(sensor.name, kind: "sensor")
    }
    let names = description.sensors.map(\.name)
    guard Set(names).count == names.count else { throw .invalidCard("two sensors share a name") }
    guard !card.taskCategories.isEmpty,
      card.taskCategories.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(DatasetWriter.isHubIDScalar) })
    else {
      throw .invalidCard("task categories must be lowercase Hub task ids such as 'object-detection'")
    }
    if let license = card.license, SPDXLicenses.canonical(license) == nil {
      throw .invalidCard(
        "license '\(license)' is not an SPDX license id (SPDX License List \(SPDXLicenses.listVersion)), e.g. 'CC-BY-4.0'")
    }
    for c in card.classes where KITTILabel.typeName(c.name) != c.name {
      throw .invalidCard("class name '\(c.name)' contains whitespace or a control character")
    }
    let classIDs = card.classes.map(\.id)
    guard Set(classIDs).count == classIDs.count else { throw .invalidCard("two classes share an id") }
    guard description.identity.count >= 0 else { throw .invalidCard("negative sample count") }
  }

  static func isHubIDScalar(_ s: Unicode.Scalar) -> Bool {
    (s >= "a" && s <= "z") || (s >= "0" && s <= "9") || s == "-"
  }
}
