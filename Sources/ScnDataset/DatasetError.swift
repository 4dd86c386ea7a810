/// Why a dataset could not be written, merged or read. Messages name the path or sample
/// concerned and are meant to be shown to the user as they are.
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
  case outputNotEmpty(String)
  case refusingToReplace(String)
  /// The directory holds another dataset; the fields that differ, when known.
  case differentDataset(String, [String])
  case outputNotDirectory(String)
  case outputBusy(String)
  case wouldDeleteInput(directory: String, input: String)
  case invalidName(String, kind: String)
  case invalidCard(String)
  case invalidSample(index: Int, reason: String)
  case sampleOutOfRange(index: Int, count: Int)
  case sampleNotInShard(index: Int, shard: Shard)
  case sampleAlreadyWritten(Int)
  case incomplete(missing: [Int], total: Int)
  case io(path: String, reason: String)
  case corrupt(path: String, reason: String)
  /// A path read from a dataset file that would lead out of the dataset (see `FileStore.checkedURL`).
  case unsafePath(path: String, reason: String)
  case invalidShard(String)
  case invalidSlurmArray(String)
  case shardsDoNotMatch(String)
  case invalidSourceDateEpoch(String)
  /// `@privacy`'s policy is not met; the report names the closest records.
  case privacyAudit(String)

  public var description: String {
    switch self {
    case .outputNotEmpty(let path):
      return "output directory '\(path)' is not empty; use --resume to continue an interrupted run or --force to replace it"
    case .refusingToReplace(let path):
      return "refusing to replace '\(path)': it holds files but no scn dataset (no manifest.json with scn's format marker, no scn work area)"
    case .differentDataset(let path, let fields):
      let what = fields.isEmpty
        ? "scenario, seed, count, overrides, splits or version differ" : "differs in " + fields.joined(separator: ", ")
      return "'\(path)' holds a different dataset (\(what)); cannot resume into it"
    case .outputNotDirectory(let path):
      return "'\(path)' exists and is not a directory; --out must name a directory"
    case .privacyAudit(let report):
      return report
    case .outputBusy(let path):
      return "another scn process is writing to \(path)"
    case .wouldDeleteInput(let directory, let input):
      return "refusing to replace '\(directory)': it contains '\(input)', an input of this run"
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
    case .unsafePath(let path, let reason):
      return "'\(path)': path leaves the dataset directory (\(reason))"
    case .invalidShard(let text):
      return "invalid shard '\(text)': expected k/N with 0 ≤ k < N"
    case .invalidSlurmArray(let reason):
      return "cannot derive the shard from the Slurm array: \(reason); pass --shard k/N (k = 0 … N-1) explicitly"
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

extension Shard {
  /// The shard of a Slurm array task, from the variables Slurm sets for it: with the array's
  /// tasks `MIN, MIN + STEP, …, MAX` (`COUNT` of them; `--array=1-16`, `0-4:2`, `0-5%2`), task
  /// `ID` is shard k = (ID − MIN) / STEP of N = COUNT. A `%` limit changes only how many run at
  /// once. An array that is not such a progression (`--array=1,3,7`) has no shard numbering
  /// scn can derive: it is refused, and `--shard k/N` must be given. Nil outside an array task.
  public static func slurmArrayTask(environment: [String: String]) throws(DatasetError) -> Shard? {
    guard environment["SLURM_ARRAY_TASK_ID"] != nil else { return nil }
    func number(_ name: String) throws(DatasetError) -> Int {
      guard let text = environment[name], let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
        throw .invalidSlurmArray("SLURM_ARRAY_TASK_ID is set but \(name) is \(environment[name].map { "'\($0)'" } ?? "not set")")
      }
      return value
    }
    let id = try number("SLURM_ARRAY_TASK_ID"), count = try number("SLURM_ARRAY_TASK_COUNT")
    let min = try number("SLURM_ARRAY_TASK_MIN"), max = try number("SLURM_ARRAY_TASK_MAX")
    // Slurm leaves out the step of an array given without one.
    let step = environment["SLURM_ARRAY_TASK_STEP"] == nil ? 1 : try number("SLURM_ARRAY_TASK_STEP")
    guard count >= 1, step >= 1, max >= min,
      (max - min) % step == 0, (max - min) / step == count - 1,
      id >= min, id <= max, (id - min) % step == 0
    else {
      throw .invalidSlurmArray(
        "task \(id) of an array with MIN=\(min) MAX=\(max) STEP=\(step) COUNT=\(count) is not one of MIN, MIN+STEP, …, MAX "
          + "(an array such as --array=1,3,7 has no shard numbering)")
    }
    return try Shard(index: (id - min) / step, count: count)
  }
}
