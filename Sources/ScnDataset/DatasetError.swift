/// Why a dataset could not be written, merged or read. Messages name the path or sample
/// concerned and are meant to be shown to the user as they are.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  case outputNotEmpty(String)
  case refusingToReplace(String)
  case differentDataset(String)
  case invalidName(String, kind: String)
  case invalidCard(String)
  case invalidSample(index: Int, reason: String)
  case sampleOutOfRange(index: Int, count: Int)
  case sampleNotInShard(index: Int, shard: Shard)
  case sampleAlreadyWritten(Int)
  case incomplete(missing: [Int], total: Int)
  case io(path: String, reason: String)
  case corrupt(path: String, reason: String)
  case invalidShard(String)
  case shardsDoNotMatch(String)
  case invalidSourceDateEpoch(String)

  public var description: String {
    switch self {
    case .outputNotEmpty(let path):
      return "output directory '\(path)' is not empty; use --resume to continue an interrupted run or --force to replace it"
    case .refusingToReplace(let path):
      return "refusing to replace '\(path)': it holds files but no scn dataset (no manifest.json or .scn-work)"
    case .differentDataset(let path):
      return "'\(path)' holds a different dataset (scenario, seed, count, overrides, splits or version differ); cannot resume into it"
    case .invalidName(let name, let kind):
      return "\(kind) name '\(name)' cannot be used in a file name (use letters, digits, '-', '_' and '.')"
    case .invalidCard(let reason):
      return "dataset card: \(reason)"
    case .invalidSample(let index, let reason):
      return "sample \(index): \(reason)"
    case .sampleOutOfRange(let index, let count):
      return "sample \(index) is outside 0..<\(count)"
    case .sampleNotInShard(let index, let shard):
      return "sample \(index) does not belong to shard \(shard.index)/\(shard.count)"
    case .sampleAlreadyWritten(let index):
      return "sample \(index) was already written"
    case .incomplete(let missing, let total):
      let shown = missing.prefix(5).map(String.init).joined(separator: ", ")
      return "\(missing.count) of \(total) samples are missing (\(shown)\(missing.count > 5 ? ", …" : "")); run again with --resume"
    case .io(let path, let reason):
      return "\(path): \(reason)"
    case .corrupt(let path, let reason):
      return "\(path): \(reason)"
    case .invalidShard(let text):
      return "invalid shard '\(text)': expected k/N with 0 ≤ k < N"
    case .shardsDoNotMatch(let reason):
      return "cannot merge: \(reason)"
    case .invalidSourceDateEpoch(let text):
      return "SOURCE_DATE_EPOCH='\(text)' is not a whole number of seconds between 0 and 253402300799"
    }
  }
}

/// `--shard k/N`: this run writes the samples `i` with `i % N == k`.
///
/// Round-robin rather than contiguous blocks: costly samples (long rejection runs) cluster by
/// parameter region, not by index, so interleaving spreads them evenly over the shards.
public struct Shard: Sendable, Equatable, Codable {
  public var index: Int
  public var count: Int

  public init(index: Int, count: Int) throws(DatasetError) {
    guard count > 0, index >= 0, index < count else { throw .invalidShard("\(index)/\(count)") }
    self.index = index
    self.count = count
  }

  /// Parses `k/N`.
  public init(parsing text: String) throws(DatasetError) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else { throw .invalidShard(text) }
    try self.init(index: k, count: n)
  }

  public func contains(_ sample: Int) -> Bool { sample % count == index }
}
