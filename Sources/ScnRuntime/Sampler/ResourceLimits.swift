import Foundation

/// The bounds on the work and memory of one run, checked before anything they bound is
/// allocated (docs/architecture.md, "Resource limits"). Each has a name: a message that
/// refuses a run names the limit it hit and says how to raise it, `--limit NAME=VALUE` on
/// `check`, `sample`, `generate`, `card` and `repl`. Limits only decide whether a run is
/// refused: a sample that is within them has the same bytes whatever they are set to.
public struct ResourceLimits: Sendable, Equatable {
  /// List elements one attempt may build in all (ranges, comprehensions, literals): about
  /// 0.5 GiB of values at the default. Nested comprehensions multiply their sizes.
  public var elements = 20_000_000
  /// Actors and sensors one scene may hold (the non-overlap rule is quadratic in it).
  public var actors = 100_000
  /// Steps of one simulation (`simulate 1h at 1000Hz` is 3.6 M).
  public var steps = 10_000_000
  /// Actor states one simulation's trace may hold: steps × actors.
  public var trace = 20_000_000
  /// Samples one run may draw: `--count` per shard of `generate` and `card`, `check
  /// --estimate`. The manifest and index lists of a run grow with it.
  public var samples = 10_000_000
  /// Bytes the estimated peak of a run's camera buffers may take across its workers; nil:
  /// three quarters of this machine's physical memory.
  public var memory: Double?

  public init() {}

  /// The defaults.
  public static let standard = ResourceLimits()

  /// The names `--limit` accepts, in the order `--help` lists them.
  public static let names = ["elements", "actors", "steps", "trace", "samples", "memory"]

  /// The memory limit in bytes: the set one, or three quarters of physical memory.
  public var memoryBytes: Double { memory ?? Double(ProcessInfo.processInfo.physicalMemory) * 0.75 }

  /// The clause a refusal ends with: how to raise the limit `name`.
  public static func howToRaise(_ name: String) -> String {
    name == "memory"
      ? "raise the limit with --limit memory=BYTES (e.g. 32GiB) if the machine has the memory"
      : "raise the limit with --limit \(name)=N"
  }

  /// Sets one limit from `NAME=VALUE` (`--limit`); the error says what was wrong.
  /// Counts are whole numbers ≥ 1 (underscores allowed); `memory` takes bytes with an
  /// optional KiB, MiB, GiB or TiB suffix.
  public mutating func set(_ assignment: String) throws(LimitError) {
    guard let eq = assignment.firstIndex(of: "=") else {
      throw LimitError("'--limit \(assignment)': expected NAME=VALUE, e.g. --limit elements=50000000")
    }
    let name = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
    let text = String(assignment[assignment.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
    guard Self.names.contains(name) else {
      throw LimitError("'--limit \(assignment)': there is no limit named '\(name)'; the limits are "
        + Self.names.joined(separator: ", "))
    }
    if name == "memory" {
      guard let bytes = Self.bytes(text), bytes >= 1 else {
        throw LimitError("'--limit \(assignment)': expected a number of bytes, optionally with KiB, MiB, GiB or TiB, e.g. memory=16GiB")
      }
      memory = bytes
      return
    }
    guard let n = Int(text.replacingOccurrences(of: "_", with: "")), n >= 1 else {
      throw LimitError("'--limit \(assignment)': expected a whole number from 1 to \(Int.max)")
    }
    switch name {
    case "elements": elements = n
    case "actors": actors = n
    case "steps": steps = n
    case "trace": trace = n
    default: samples = n
    }
  }

  /// Parses every `--limit` value in order (later ones win).
  public static func parse(_ assignments: [String]) throws(LimitError) -> ResourceLimits {
    var limits = ResourceLimits()
    for a in assignments { try limits.set(a) }
    return limits
  }

  private static func bytes(_ text: String) -> Double? {
    let units: [(String, Double)] = [("TiB", 0x1p40), ("GiB", 0x1p30), ("MiB", 0x1p20), ("KiB", 0x1p10), ("B", 1)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      let number = text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
      guard let x = Double(number), x.isFinite, x > 0 else { return nil }
      return x * scale
    }
    guard let x = Double(text), x.isFinite, x > 0 else { return nil }
    return x
  }
}

/// A `--limit` value that could not be read.
public struct LimitError: Error, Sendable, CustomStringConvertible {
  public let description: String
  public init(_ description: String) { self.description = description }
}
