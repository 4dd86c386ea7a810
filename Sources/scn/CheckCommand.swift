import ArgumentParser
import Foundation
import ScnDriver
import ScnRuntime
import ScnSource

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  case auto, always, never

  /// Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
  func enabled(for handle: FileHandle) -> Bool {
    switch self {
    case .always: true
    case .never: false
    case .auto: isatty(handle.fileDescriptor) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
  }
}

extension DiagnosticFormat: ExpressibleByArgument {}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Report diagnostics for scenario files and folders.",
    discussion: "Exit status: 0 clean (warnings allowed), 1 errors found, 2 usage or I/O error.")

  @Argument(help: "Scenario files, or folders to search for .scn files.")
  var paths: [String]

  @Option(help: "Output format: text, json, sarif or github.")
  var format: DiagnosticFormat = .text

  @Option(help: "Colour in text output: auto, always or never.")
  var color: ColorChoice = .auto

  @Flag(help: "Treat warnings as errors.")
  var werror = false

  @Option(help: ArgumentHelp(
    "Sample N scenes (seed 0) of each file's entry scenario and report how often each requirement holds.",
    valueName: "N"))
  var estimate: Int?

  @OptionGroup var limitOptions: LimitOptions

  func validate() throws {
    if let estimate, estimate < 1 { throw ValidationError("--estimate needs at least 1 sample") }
    // Memory stays constant in the count; the limit bounds the time.
    let most = limitOptions.limits.samples
    if let estimate, estimate > most {
      throw ValidationError("--estimate \(estimate) is more than the limit of \(most) samples; "
        + ResourceLimits.howToRaise("samples"))
    }
  }

  func run() throws {
    let outcome = try Driver().check(paths: paths).promotingWarnings(werror)
    let machine = MachineDiagnosticRenderer(toolVersion: ScnVersion.string)
    var output = ""
    switch format {
    case .text:
      let renderer = DiagnosticRenderer(useColor: color.enabled(for: .standardError))
      for unit in outcome.units { output += renderer.render(unit.diagnostics, sources: unit.sources, summary: false) }
      if let summary = DiagnosticRenderer.summaryLine(outcome.allDiagnostics) { output += summary + "\n" }
    case .json, .sarif:
      // One document for all files: merge the units' sources so every range resolves.
      let (sources, diagnostics) = outcome.merged()
      output = format == .json ? machine.json(diagnostics, sources: sources) : machine.sarif(diagnostics, sources: sources)
    case .github:
      for unit in outcome.units { output += machine.github(unit.diagnostics, sources: unit.sources) }
    }
    // Human text goes to stderr like every compiler's; machine formats are the command's
    // product and go to stdout so they can be redirected into a file.
    if format == .text {
      FileHandle.standardError.write(Data(output.utf8))
    } else {
      FileHandle.standardOutput.write(Data(output.utf8))
    }
    var code = outcome.exitCode(werror: werror)
    if let estimate, code == 0 { code = try printEstimates(count: estimate) }
    if code != 0 { throw ExitCode(code) }
  }

  /// Acceptance rates by sampling, to stdout; an impossible or failing scenario is exit 1.
  func printEstimates(count: Int) throws -> Int32 {
    let driver = Driver()
    var code: Int32 = 0
    for path in try collectScenarioFiles(paths, fileSystem: driver.fileSystem) {
      guard let estimate = try driver.estimate(path: path, count: count, limits: limitOptions.limits) else { continue }
      let location = { (range: SourceRange) -> String in
        guard let file = estimate.sources[range.file] else { return "?" }
        let l = file.location(of: range.start)
        return "\(file.path):\(l.line):\(l.column)"
      }
      print("\(path): \(estimate.samples) of \(count) scenes sampled")
      print(estimate.report(location: location), terminator: "")
      if let failure = estimate.failure {
        let text = DiagnosticRenderer(useColor: color.enabled(for: .standardError)).render([failure], sources: estimate.sources)
        FileHandle.standardError.write(Data(text.utf8))
        code = 1
      }
    }
    return code
  }
}
