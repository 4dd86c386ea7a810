import ArgumentParser
import ScnDriver

struct SCN: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scn",
    abstract: "Compile and run .scn scenarios into reproducible, labelled synthetic datasets.",
    version: ScnVersion.string,
    subcommands: [
      CheckCommand.self, FormatCommand.self, IRCommand.self, SampleCommand.self, GenerateCommand.self, CardCommand.self,
      VerifyCommand.self, MergeCommand.self, ReportCommand.self, EvalCommand.self, ReplCommand.self, MapCommand.self,
    ])
}
