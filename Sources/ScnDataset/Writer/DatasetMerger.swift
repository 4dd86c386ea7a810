import Foundation

/// Joins finished shards (`--shard k/N` runs) into one dataset, byte-identical to a single run.
public enum DatasetMerger {
  /// Checks that the shards describe the same dataset and together hold every sample exactly
  /// once, copies each sample's files (re-checking their hashes) and finalises `output`.
  /// `options.shard` must be `nil`; `options.existingOutput` applies to `output` as usual.
  public static func merge(
    shards: [URL], into output: URL, options: DatasetWriterOptions
  ) throws(DatasetError) -> DatasetSummary {
    guard options.shard == nil else { throw .shardsDoNotMatch("the merged output cannot itself be a shard") }
    guard !shards.isEmpty else { throw .shardsDoNotMatch("no shard directories given") }
    var description: DatasetDescription?
    var owner: [Int: Int] = [:]
    var shardCount: Int?
    var plans: [(store: FileStore, samples: [Int])] = []
    for (position, url) in shards.enumerated() {
      let store = FileStore(root: url)
      guard store.exists(DatasetWriter.shardFile) else {
        throw .shardsDoNotMatch("'\(url.path)' is not a finished shard (no \(DatasetWriter.shardFile)); finish it with --resume")
      }
      let found = try DatasetWriter.readDescription(store)
      if let description, description != found {
        let fields = DatasetWriter.differences(description, found)
        throw .shardsDoNotMatch(
          "'\(url.path)' and '\(shards[0].path)' describe different datasets: they differ in "
            + (fields.isEmpty ? "their descriptions" : fields.joined(separator: ", ")))
      }
      description = found
      let record = try store.readJSON(DatasetWriter.shardFile)
      guard let k = record["shard"]?["index"]?.intValue, let n = record["shard"]?["count"]?.intValue,
        let samples = record["samples"]?.arrayValue?.compactMap(\.intValue)
      else { throw .corrupt(path: store.url(DatasetWriter.shardFile).path, reason: "not a shard record") }
      if let shardCount, shardCount != n {
        throw .shardsDoNotMatch("'\(url.path)' is shard \(k)/\(n) but another shard says \(shardCount) shards")
      }
      shardCount = n
      for sample in samples {
        if let previous = owner[sample] {
          throw .shardsDoNotMatch("sample \(sample) is in both '\(shards[previous].path)' and '\(url.path)'")
        }
        owner[sample] = position
      }
      plans.append((store, samples))
    }
    guard let description else { throw .shardsDoNotMatch("no shard directories given") }
    let missing = (0..<description.identity.count).filter { owner[$0] == nil }
    guard missing.isEmpty else { throw .incomplete(missing: missing, total: description.identity.count) }

    var options = options
    // `--force` must never empty a directory that holds one of the shards.
    options.inputs += shards
    let writer = try DatasetWriter(outputDirectory: output, description: description, options: options)
    let pending = Set(writer.pendingSampleIndices)
    for plan in plans {
      for sample in plan.samples where pending.contains(sample) {
        let partial = try plan.store.readJSON(DatasetWriter.partialPath(sample))
        try writer.adopt(index: sample, partial: partial, from: plan.store)
      }
    }
    guard case .dataset(let summary) = try writer.finalize() else {
      throw .shardsDoNotMatch("the merged output was opened as a shard")
    }
    return summary
  }
}
