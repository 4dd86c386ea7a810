import ScnSource

/// One REPL command as `:help` lists it.
public struct CommandInfo: Sendable, Equatable {
  public let name: String
  /// The argument synopsis, e.g. `NAME = VALUE`; empty when the command takes none.
  public let arguments: String
  public let summary: String
}

/// Every command, in the order `:help` lists them.
public enum CommandTable {
  public static let all: [CommandInfo] = [
    CommandInfo(name: "load", arguments: "FILE", summary: "compile FILE and sample its last scenario"),
    CommandInfo(name: "reload", arguments: "", summary: "compile the file again, keeping scenario, seed and overrides"),
    CommandInfo(name: "scenarios", arguments: "", summary: "list the file's scenarios (* marks the one sampled)"),
    CommandInfo(name: "scenario", arguments: "NAME", summary: "sample another scenario of the file"),
    CommandInfo(name: "params", arguments: "", summary: "each param's type, value as written and override"),
    CommandInfo(name: "set", arguments: "NAME = VALUE", summary: "override a param, checked like `scn generate --param`"),
    CommandInfo(name: "unset", arguments: "NAME", summary: "drop a param's override"),
    CommandInfo(name: "seed", arguments: "N", summary: "set the dataset seed (sampling restarts at sample 0)"),
    CommandInfo(name: "sample", arguments: "[EXPR] [N] [table|json]",
                summary: "the next N scenes (default 1) as a table or JSON Lines, or EXPR's value in each"),
    CommandInfo(name: "hist", arguments: "EXPR [N] [BINS]",
                summary: "histogram with mean, sd and quantiles of a param, cover point, environment field, ACTOR.FIELD or any expression over N samples (default 1000, 10 bins)"),
    CommandInfo(name: "explain", arguments: "[N]", summary: "how often each requirement holds over N samples (default 1000)"),
    CommandInfo(name: "type", arguments: "EXPR", summary: "the type of an expression in the scenario's scope"),
    CommandInfo(name: "render", arguments: "CAMERA [FILE.png]",
                summary: "render the last sampled scene (sample 0 before any :sample) from a camera to a PNG"),
    CommandInfo(name: "card", arguments: "[N]", summary: "the dataset card 'scn generate' would write, from N sampled scenes (default 100)"),
    CommandInfo(name: "ir", arguments: "", summary: "the scenario's IR in canonical text, with its hash"),
    CommandInfo(name: "cover", arguments: "[N]", summary: "each cover point's buckets and how N samples fill them (default 1000)"),
    CommandInfo(name: "help", arguments: "[COMMAND]", summary: "this list, or one command's line"),
    CommandInfo(name: "quit", arguments: "", summary: "leave the REPL (also Ctrl-D)"),
  ]

  /// What a typed command name refers to.
  public enum Lookup: Sendable, Equatable {
    case found(CommandInfo)
    /// A prefix of several commands (`:s`).
    case ambiguous([String])
    /// No command; the closest name when one is plausibly meant.
    case unknown(suggestion: String?)
  }

  /// An exact name wins, then a unique prefix (`:q`, `:hi`), else a did-you-mean.
  public static func lookup(_ name: String) -> Lookup {
    if let exact = all.first(where: { $0.name == name }) { return .found(exact) }
    let prefixed = all.filter { !name.isEmpty && $0.name.hasPrefix(name) }
    if prefixed.count == 1, let only = prefixed.first { return .found(only) }
    if prefixed.count > 1 { return .ambiguous(prefixed.map(\.name)) }
    return .unknown(suggestion: nearest(name, in: all.map(\.name)))
  }

  /// The `:help` text: one aligned line per command.
  public static func help(for commands: [CommandInfo] = all) -> String {
    let usages = commands.map { ":" + $0.name + ($0.arguments.isEmpty ? "" : " " + $0.arguments) }
    let width = usages.map(\.count).max() ?? 0
    var out = ""
    for (usage, command) in zip(usages, commands) {
      out += "  " + usage + String(repeating: " ", count: width - usage.count + 2) + command.summary + "\n"
    }
    return out
  }
}
