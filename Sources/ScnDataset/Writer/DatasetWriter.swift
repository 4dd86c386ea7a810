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
  public init(existingOutput: ExistingOutputPolicy = .refuse, shard: Shard? = nil, timestamp: Int64) {
    self.existingOutput = existingOutput
    self.shard = shard
    self.timestamp = timestamp
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

/// Writes a dataset directory (layout in DESIGN.md) sample by sample.
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

  struct WriterState {
    var completed: Set<Int>
    var inFlight: Set<Int> = []
    /// The directory already holds the finished dataset (resume after completion).
    var finished: Bool
  }

  static let descriptionFile = FileStore.workDirectory + "/description.json"
  static let shardFile = FileStore.workDirectory + "/shard.json"
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
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: outputDirectory.path)) ?? []
    var completed: Set<Int> = []
    var finished = false
    if !entries.isEmpty {
      switch options.existingOutput {
      case .refuse:
        throw .outputNotEmpty(outputDirectory.path)
      case .replace:
        guard entries.contains("manifest.json") || entries.contains(FileStore.workDirectory) else {
          throw .refusingToReplace(outputDirectory.path)
        }
        for name in entries.sorted() { try store.remove(name) }
      case .resume:
        if store.exists(DatasetWriter.descriptionFile) {
          guard try DatasetWriter.readDescription(store) == description else {
            throw .differentDataset(outputDirectory.path)
          }
          // Until the new manifest is written the directory is, visibly, unfinished.
          try store.remove("manifest.json")
          try store.remove(DatasetWriter.shardFile)
          completed = DatasetWriter.intactSamples(store)
        } else if store.exists(FileStore.workDirectory) && !store.exists("manifest.json") {
          // Killed before the description was stored: no sample was committed yet, so the
          // run starts afresh in its own work area.
        } else if store.exists("manifest.json") {
          guard try store.readJSON("manifest.json")["identity"]?.compact == dataset.identity.json.compact else {
            throw .differentDataset(outputDirectory.path)
          }
          finished = true
        } else {
          throw .refusingToReplace(outputDirectory.path)
        }
      }
    }
    if !finished, !store.exists(DatasetWriter.descriptionFile) {
      try store.makeDirectory(store.workURL.appendingPathComponent("samples", isDirectory: true))
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      guard let data = try? encoder.encode(description) else {
        throw .io(path: DatasetWriter.descriptionFile, reason: "cannot encode the dataset description")
      }
      try store.write([UInt8](data), to: DatasetWriter.descriptionFile)
    }
    state = Locked(WriterState(completed: completed, finished: finished))
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
  public func beginSample(_ index: Int) throws(DatasetError) -> SampleStream {
    try claim(index)
    return SampleStream(index: index, writer: self, encoder: SampleEncoder(card: dataset.card, sensors: dataset.sensors))
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
      for file in files {
        let entry = try FileEntry(json: file, in: partialPath)
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
    let classIDs = card.classes.map(\.id)
    guard Set(classIDs).count == classIDs.count else { throw .invalidCard("two classes share an id") }
    guard description.identity.count >= 0 else { throw .invalidCard("negative sample count") }
  }

  static func isHubIDScalar(_ s: Unicode.Scalar) -> Bool {
    (s >= "a" && s <= "z") || (s >= "0" && s <= "9") || s == "-"
  }
}
