import ArgumentParser
import Foundation
import ScnDataset

struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join finished shards (scn generate --shard k/N) into one dataset.",
    discussion: """
      The result is byte-identical to a single run. Every shard must come from the same scenario, seed, \
      count and version, and together they must hold every sample exactly once.
      """)

  @Argument(help: "The shard directories.")
  var shards: [String]

  @Option(help: "The merged dataset's directory.")
  var out: String

  @Flag(help: "Continue an interrupted merge into --out.")
  var resume = false

  @Flag(help: "Replace an existing dataset in --out.")
  var force = false

  func validate() throws {
    if resume && force { throw ValidationError("--resume and --force exclude each other") }
    guard !out.isEmpty else { throw ValidationError("--out must name a directory, got an empty string") }
    for shard in shards { try requireDirectory(shard) }
  }

  func run() throws {
    let timestamp: Int64
    do {
      timestamp = try DatasetTimestamp.resolve(environment: ProcessInfo.processInfo.environment, now: Date.init)
    } catch {
      throw ValidationError("\(error)")
    }
    let options = DatasetWriterOptions(existingOutput: resume ? .resume : force ? .replace : .refuse, timestamp: timestamp)
    do {
      let summary = try DatasetMerger.merge(
        shards: shards.map { URL(fileURLWithPath: $0) }, into: URL(fileURLWithPath: out), options: options)
      standardError("merge: \(summary.samples) samples, \(summary.frames) frames, \(summary.files) files in \(out)")
    } catch {
      standardError("scn merge: error: \(error)")
      throw ExitCode(1)
    }
  }
}
