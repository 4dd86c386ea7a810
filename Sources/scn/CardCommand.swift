import ArgumentParser
import Foundation
import ScnDataset
import ScnDriver
import ScnSource

struct CardCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "card",
    abstract: "Preview a scenario's dataset card without rendering a dataset.",
    discussion: """
      Samples --count scenes (no frames are rendered) and prints the README.md that 'scn generate' would \
      write: annotations, parameters with their distributions, sensors, and the coverage and acceptance \
      rates measured on those scenes. Image and frame counts in the preview are 0.
      """)

  @Argument(help: "The main scenario file.")
  var path: String

  @Option(help: "The scenario (default: the last one in the file).")
  var scenario: String?

  @Option(help: "How many scenes to sample for the coverage and acceptance figures.")
  var count: Int = 100

  @Option(help: "The dataset seed.")
  var seed: UInt64 = 0

  @Option(name: .customLong("param"), help: "Override a param, e.g. --param light=300lx (repeatable).")
  var params: [String] = []

  @Option(help: "Split fractions, e.g. train=0.8,val=0.1,test=0.1.")
  var split: String?

  @Option(help: "Colour in diagnostics: auto, always or never.")
  var color: ColorChoice = .auto

  func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be ≥ 1, got \(count)") }
  }

  func run() throws {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("scn-card-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: work) }
    var request = GenerateRequest(path: path, count: count, output: work)
    request.scenario = scenario
    request.seed = seed
    request.params = params
    request.maxFrames = 0
    request.existingOutput = .replace
    do {
      if let split { request.splits = try GenerateRequest.parseSplits(split) }
      request.timestamp = try DatasetTimestamp.resolve(environment: ProcessInfo.processInfo.environment, now: { Date() })
    } catch {
      throw ValidationError("\(error)")
    }
    let renderer = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
    do throws(GenerateError) {
      let session = try Driver().prepareGeneration(request)
      if !session.warnings.isEmpty {
        standardError(renderer.render(session.warnings, sources: session.sources))
      }
      _ = try session.run(request, progress: { _ in })
    } catch {
      switch error {
      case .input(let sources, let diagnostics):
        standardError(renderer.render(diagnostics, sources: sources))
        throw ExitCode(1)
      case .usage:
        standardError("scn card: error: \(error.description)")
        throw ExitCode(2)
      default:
        standardError("scn card: error: \(error.description)")
        throw ExitCode(1)
      }
    }
    guard let card = FileManager.default.contents(atPath: work.appendingPathComponent("README.md").path) else {
      standardError("scn card: error: no card was written")
      throw ExitCode(1)
    }
    FileHandle.standardOutput.write(card)
    standardError("scn card: preview from \(count) sampled scene\(count == 1 ? "" : "s"); no frames rendered")
  }
}
