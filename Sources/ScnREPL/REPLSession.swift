import ScnDriver
import ScnLowering
import ScnRuntime
import ScnSource

/// What one command printed: `output` for standard output, `diagnostics` (errors, warnings,
/// notes) for standard error, and whether the REPL should stop.
public struct REPLReply: Sendable, Equatable {
  public var output: String = ""
  public var diagnostics: String = ""
  public var quit = false

  public init(output: String = "", diagnostics: String = "", quit: Bool = false) {
    self.output = output
    self.diagnostics = diagnostics
    self.quit = quit
  }

  static func error(_ code: REPLErrorCode, _ message: String, note: String? = nil) -> REPLReply {
    REPLReply(diagnostics: "error[\(code.rawValue)]: \(message)\n" + (note.map { "note: \($0)\n" } ?? ""))
  }

  mutating func append(_ other: REPLReply) {
    output += other.output
    diagnostics += other.diagnostics
    quit = quit || other.quit
  }
}

/// A reply is also what a command's failing step hands back (`Result<_, REPLReply>`).
extension REPLReply: Error {}

/// A `:set` override as typed: the param's name and the value's text.
public struct ParamSetting: Sendable, Equatable {
  public let name: String
  public let value: String

  /// The `--param` argument the driver parses.
  var argument: String { name + "=" + value }
}

/// The REPL's state and its commands. Each input (one line, or several joined by
/// continuation) goes through `handle`, which returns the text to print; nothing here
/// touches the terminal, so the whole REPL is testable with strings.
public struct REPLSession: Sendable {
  public let driver: Driver
  let renderer: DiagnosticRenderer
  /// Worker threads for `:sample`, `:hist` and `:explain` (results do not depend on it).
  let jobs: Int
  let maxAttempts: Int
  /// `scn repl --limit`: the bounds every sampling command of the session runs under.
  let limits: ResourceLimits

  /// The loaded file, even when it failed to compile (so `:reload` can retry).
  public internal(set) var path: String?
  /// The scenario `:scenario` chose; nil samples the file's last scenario.
  public internal(set) var scenario: String?
  public internal(set) var seed: UInt64
  public internal(set) var overrides: [ParamSetting] = []
  /// The last compilation of `path` (possibly with errors).
  var compiled: CompilationResult?
  /// The sampler for the current file, scenario, seed and overrides; nil when there is none.
  var sampling: SamplingSession?
  /// The index `:sample` draws next.
  public internal(set) var nextSample: UInt64 = 0

  public init(driver: Driver, seed: UInt64 = 0, useColor: Bool = false, jobs: Int = 1, maxAttempts: Int = 100_000,
              limits: ResourceLimits = .standard) {
    self.limits = limits
    self.driver = driver
    self.renderer = DiagnosticRenderer(useColor: useColor)
    self.seed = seed
    self.jobs = max(1, jobs)
    self.maxAttempts = max(1, maxAttempts)
  }

  /// Runs one input: a `:command` with its arguments. Blank input does nothing.
  public mutating func handle(_ input: String) -> REPLReply {
    let text = input.trimmingWhitespace
    if text.isEmpty { return REPLReply() }
    guard text.first == ":" else {
      return .error(.unknownCommand, "'\(text)' is not a command", note: "commands start with ':', e.g. ':type \(text)'; :help lists them")
    }
    let body = text.dropFirst()
    let nameEnd = body.firstIndex(where: \.isWhitespace) ?? body.endIndex
    let name = String(body[..<nameEnd])
    let arguments = String(body[nameEnd...]).trimmingWhitespace
    switch CommandTable.lookup(name) {
    case .ambiguous(let names):
      return .error(.unknownCommand, "':\(name)' is ambiguous", note: "it could be " + names.map { ":" + $0 }.joined(separator: ", "))
    case .unknown(let suggestion):
      return .error(
        .unknownCommand, "unknown command ':\(name)'",
        note: suggestion.map { "did you mean ':\($0)'?" } ?? "type :help for the commands")
    case .found(let command):
      return run(command, arguments)
    }
  }

  private mutating func run(_ command: CommandInfo, _ arguments: String) -> REPLReply {
    if command.arguments.isEmpty, !arguments.isEmpty {
      return .error(.badArguments, ":\(command.name) takes no arguments, got '\(arguments)'")
    }
    switch command.name {
    case "load": return arguments.isEmpty ? usage(command) : load(arguments)
    case "reload": return reload()
    case "scenarios": return listScenarios()
    case "scenario": return arguments.isEmpty ? usage(command) : chooseScenario(arguments)
    case "params": return listParams()
    case "set": return set(arguments, command)
    case "unset": return arguments.isEmpty ? usage(command) : unset(arguments)
    case "seed": return setSeed(arguments, command)
    case "sample": return sample(arguments, command)
    case "hist": return histogram(arguments, command)
    case "explain": return explain(arguments, command)
    case "type": return arguments.isEmpty ? usage(command) : typeOf(arguments)
    case "render": return arguments.isEmpty ? usage(command) : renderCamera(arguments, command)
    case "card": return card(arguments)
    case "ir": return printIR()
    case "cover": return cover(arguments)
    case "help": return help(arguments)
    case "quit": return REPLReply(quit: true)
    default: return .error(.unknownCommand, "unknown command ':\(command.name)'")
    }
  }

  func usage(_ command: CommandInfo) -> REPLReply {
    .error(.badArguments, ":\(command.name) expects \(command.arguments)", note: "usage: :\(command.name) \(command.arguments)")
  }

  private func help(_ arguments: String) -> REPLReply {
    guard !arguments.isEmpty else { return REPLReply(output: CommandTable.help()) }
    let name = arguments.hasPrefix(":") ? String(arguments.dropFirst()) : arguments
    switch CommandTable.lookup(name) {
    case .found(let command): return REPLReply(output: CommandTable.help(for: [command]))
    case .ambiguous(let names): return REPLReply(output: CommandTable.help(for: CommandTable.all.filter { names.contains($0.name) }))
    case .unknown(let suggestion):
      return .error(
        .unknownCommand, "unknown command ':\(name)'",
        note: suggestion.map { "did you mean ':\($0)'?" } ?? "type :help for the commands")
    }
  }

  /// A count argument: a whole number in `1...limit`.
  func parseCount(_ text: Substring, limit: Int = 1_000_000) -> Int? {
    guard let n = Int(text), n >= 1, n <= limit else { return nil }
    return n
  }

  /// The optional count of `:NAME [N]`: `fallback` when absent, else a whole number in
  /// `1...limit`, or the error that names the command and what N counts.
  func optionalCount(_ arguments: String, _ command: String, counting what: String, fallback: Int,
                     limit: Int = 1_000_000) -> Result<Int, REPLReply>
  {
    guard !arguments.isEmpty else { return .success(fallback) }
    guard let value = parseCount(Substring(arguments), limit: limit) else {
      return .failure(.error(.badArguments, "':\(command) \(arguments)': the \(what) count must be a whole number from 1 to \(limit)"))
    }
    return .success(value)
  }
}

extension StringProtocol {
  var trimmingWhitespace: String {
    var s = Substring(self)
    while s.first?.isWhitespace == true { s.removeFirst() }
    while s.last?.isWhitespace == true { s.removeLast() }
    return String(s)
  }
}
