import ArgumentParser
import Foundation
import ScnDriver
import ScnREPL

struct ReplCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "repl",
    abstract: "Explore a scenario interactively: sample it, override params, histogram values.",
    discussion: """
      Commands start with ':' (:help lists them). On a terminal, lines are edited with readline
      and kept in $XDG_STATE_HOME/scn/history, else ~/.scn_history. With standard input from a
      pipe or file, commands are read from it without a prompt, so the REPL can be scripted:
        printf ':sample 2\\n:hist light\\n' | scn repl scenario.scn
      Output goes to standard output, diagnostics to standard error. Exit status: 0 at :quit
      or end of input (errors in commands are reported and the REPL goes on).
      """)

  @Argument(help: "A scenario file to load at start.")
  var path: String?

  @Option(help: "Dataset seed.")
  var seed: UInt64 = 0

  @OptionGroup var limitOptions: LimitOptions

  @OptionGroup var colorOption: ColorOption

  func run() throws {
    var session = REPLSession(
      driver: Driver(stdlibRoot: locateStdLib()), seed: seed, useColor: colorOption.color.enabled(for: .standardError),
      jobs: ProcessInfo.processInfo.activeProcessorCount, limits: limitOptions.limits)
    let interactive = isatty(STDIN_FILENO) != 0
    if interactive {
      print("scn \(ScnVersion.string) repl: :help lists the commands, :quit or Ctrl-D leaves")
    }
    if let path { write(session.load(path)) }
    if interactive {
      let input = ReadlineInput(historyFile: replHistoryFile(environment: ProcessInfo.processInfo.environment))
      REPLLoop.run(&session, input: input, write: write)
    } else {
      REPLLoop.run(&session, input: StandardInputLines(), write: write)
    }
  }

  private func write(_ reply: REPLReply) {
    // Diagnostics first: a command's errors and warnings come before its result.
    if !reply.diagnostics.isEmpty { FileHandle.standardError.write(Data(reply.diagnostics.utf8)) }
    if !reply.output.isEmpty { FileHandle.standardOutput.write(Data(reply.output.utf8)) }
  }
}
