import ArgumentParser
import ScnDriver
import ScnRuntime

/// What names the samples, shared by `sample`, `generate` and `card`: the file, the
/// scenario, the seed and the param overrides (sample i is a pure function of these and i).
struct ScenarioArguments: ParsableArguments {
  @Argument(help: "The scenario file.")
  var path: String

  @Option(help: "The scenario (default: the last one in the file).")
  var scenario: String?

  @Option(help: "Dataset seed.")
  var seed: UInt64 = 0

  @Option(name: .customLong("param"), help: "Override a param: name=value, e.g. light=300lx (repeatable).")
  var params: [String] = []
}

/// How hard to try and where to aim, shared by `sample` and `generate`.
struct AttemptOptions: ParsableArguments {
  @Option(help: "Attempts per sample before giving up.")
  var maxAttempts: Int = 100_000

  @Option(name: .customLong("cover-target"), help: "Spread samples evenly over this cover point's buckets (repeatable).")
  var coverTargets: [String] = []

  func validate() throws {
    guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be ≥ 1, got \(maxAttempts)") }
  }
}

/// `--color`, shared by every command that prints diagnostics.
struct ColorOption: ParsableArguments {
  @Option(help: "Colour in diagnostics: auto, always or never.")
  var color: ColorChoice = .auto
}

/// `--limit NAME=VALUE`, shared by every command that samples: raises (or lowers) one of
/// the bounds on a run's size and memory that refuse it before allocating
/// (`ResourceLimits`; docs/architecture.md, "Resource limits").
struct LimitOptions: ParsableArguments {
  @Option(name: .customLong("limit"), help: ArgumentHelp(
    "Set a resource limit: elements, actors, steps, trace, samples (counts) or memory (bytes, e.g. 16GiB); repeatable.",
    valueName: "name=value"))
  var assignments: [String] = []

  func validate() throws {
    do { _ = try ResourceLimits.parse(assignments) } catch { throw ValidationError(error.description) }
  }

  /// The limits, defaults overridden by each `--limit` in order.
  var limits: ResourceLimits { (try? ResourceLimits.parse(assignments)) ?? .standard }
}
