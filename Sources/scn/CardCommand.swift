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

  @OptionGroup var input: ScenarioArguments

  @Option(help: "How many scenes to sample for the coverage and acceptance figures.")
  var count: Int = 100

  @Option(help: "Split fractions, e.g. train=0.8,val=0.1,test=0.1.")
  var split: String?

  @OptionGroup var limitOptions: LimitOptions

  @OptionGroup var colorOption: ColorOption

  func validate() throws {
    guard count >= 1 else { throw ValidationError("--count must be ≥ 1, got \(count)") }
  }

  func run() throws {
    var request = GenerateRequest(path: input.path, count: count, output: FileManager.default.temporaryDirectory)
    request.scenario = input.scenario
    request.seed = input.seed
    request.params = input.params
    request.limits = limitOptions.limits
    do {
      if let split { request.splits = try GenerateRequest.parseSplits(split) }
      request.timestamp = try DatasetTimestamp.resolve(environment: ProcessInfo.processInfo.environment, now: { Date() })
    } catch {
      throw ValidationError("\(error)")
    }
    let renderer = DiagnosticRenderer(useColor: colorOption.color.enabled(for: .standardError))
    do throws(GenerateError) {
      let preview = try Driver().previewCard(request)
      if !preview.warnings.isEmpty {
        standardError(renderer.render(preview.warnings, sources: preview.sources))
      }
      FileHandle.standardOutput.write(Data(preview.card.utf8))
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
    standardError("scn card: preview from \(count) sampled scene\(count == 1 ? "" : "s"); no frames rendered")
  }
}
