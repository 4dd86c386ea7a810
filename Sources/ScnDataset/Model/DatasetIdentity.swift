import ScnEncoding

/// One scenario source file: its path relative to the main file's folder (or `std/…` for
/// the standard library) and the SHA-256 of its bytes, lowercase hex.
public struct SourceFileHash: Sendable, Codable, Equatable {
  public var path: String
  public var sha256: String
  public init(path: String, sha256: String) {
    self.path = path
    self.sha256 = sha256
  }
}

/// A `--param name=value` override exactly as written on the command line.
public struct ParamOverride: Sendable, Codable, Equatable {
  public var name: String
  public var value: String
  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// One `--split name=fraction` entry.
public struct SplitFraction: Sendable, Codable, Equatable {
  public var name: String
  public var fraction: Double
  public init(name: String, fraction: Double) {
    self.name = name
    self.fraction = fraction
  }

  /// A split's name names a folder (`annotations/splits/{split}/`): letters, digits, `-`,
  /// `_` and `.`, not starting with `.`, at most 128 bytes.
  public static func isValidName(_ name: String) -> Bool { SampleEncoder.validName(name) }
}

/// What defines the data, and nothing else: two runs with equal identities produce the same
/// bytes. Output directory, job count, shard layout and resume flags are deliberately absent
/// (docs/architecture.md, "Determinism contract").
public struct DatasetIdentity: Sendable, Codable, Equatable {
  public var scenario: String
  /// SHA-256 of the IR's canonical form, lowercase hex.
  public var irHash: String
  public var sources: [SourceFileHash]
  public var generatorName: String
  public var generatorVersion: String
  public var seed: UInt64
  /// Number of samples in the whole dataset (all shards together).
  public var count: Int
  public var overrides: [ParamOverride]
  public var splits: [SplitFraction]
  /// The `--cover-target` mode, or `nil` when samples are drawn without steering.
  public var coverTarget: String?
  /// `--focus`: the SHA-256 of the gaps file that drove the sampling, and its file name.
  /// Absent from the identity's JSON when nil, so unfocused datasets keep their identity.
  public var focus: SourceFileHash?

  public init(
    scenario: String, irHash: String, sources: [SourceFileHash], generatorName: String = "scn",
    generatorVersion: String, seed: UInt64, count: Int, overrides: [ParamOverride] = [],
    splits: [SplitFraction] = [], coverTarget: String? = nil
  ) {
    self.scenario = scenario
    self.irHash = irHash
    self.sources = sources
    self.generatorName = generatorName
    self.generatorVersion = generatorVersion
    self.seed = seed
    self.count = count
    self.overrides = overrides
    self.splits = splits
    self.coverTarget = coverTarget
  }

  /// The identity in its canonical JSON form (this exact object appears in the manifest).
  public var json: JSONValue {
    .object([
      ("scenario", .string(scenario)),
      ("ir_sha256", .string(irHash)),
      ("sources", .array(sources.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
      ("generator", .object([("name", .string(generatorName)), ("version", .string(generatorVersion))])),
      ("seed", .unsigned(seed)),
      ("count", .integer(count)),
      ("overrides", .array(overrides.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })),
      ("splits", .array(splits.map { .object([("name", .string($0.name)), ("fraction", .double($0.fraction))]) })),
      ("cover_target", coverTarget.map(JSONValue.string) ?? .null),
    ] + (focus.map { [("focus", .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]))] } ?? []))
  }

  /// SHA-256 of `json.compact`: a short name for "this exact dataset", used to derive the
  /// OpenLineage run id.
  public var hash: String { SHA256Hex.of(Array(json.compact.utf8)) }
}
