import CReadline
import Foundation

/// Where the REPL's lines come from. The terminal is reached only through this.
public protocol LineInput: AnyObject {
  /// The next line without its newline, or nil at end of input.
  func readLine(prompt: String) -> String?
  /// An input worth recalling later (history).
  func remember(_ entry: String)
  /// What Tab completes, for inputs that edit lines (readline); others ignore it.
  func setCompletion(_ complete: @escaping (_ line: String, _ start: Int, _ end: Int) -> CompletionAnswer)
}

extension LineInput {
  public func setCompletion(_ complete: @escaping (_ line: String, _ start: Int, _ end: Int) -> CompletionAnswer) {}
}

/// Lines from standard input, with no prompt and no history: for pipes and scripts.
public final class StandardInputLines: LineInput {
  public init() {}
  public func readLine(prompt: String) -> String? { Swift.readLine(strippingNewline: true) }
  public func remember(_ entry: String) {}
}

/// Lines from an array, for tests and for replaying a transcript.
public final class ScriptedLines: LineInput {
  private var lines: [String]
  public private(set) var prompts: [String] = []

  public init(_ lines: [String]) { self.lines = lines }

  public func readLine(prompt: String) -> String? {
    prompts.append(prompt)
    return lines.isEmpty ? nil : lines.removeFirst()
  }

  public func remember(_ entry: String) {}
}

/// Line editing and history on a terminal, through readline. History is read from
/// `historyFile` at start and written back after every input (so Ctrl-C during a long
/// command loses none); a history file that cannot be read or written is ignored, since
/// losing it never matters enough to stop the REPL.
public final class ReadlineInput: LineInput {
  private let historyFile: String?
  private static let historyLimit: Int32 = 1000

  private var complete: ((String, Int, Int) -> CompletionAnswer)?

  public init(historyFile: String?) {
    self.historyFile = historyFile
    "scn".withCString { scn_set_name(strdup($0)) }  // readline keeps the pointer
    if let historyFile { _ = scn_read_history(historyFile) }
    // readline calls back with this object as its context; the REPL keeps it alive for as
    // long as readline runs.
    scn_set_completer({ context, line, start, end in
      guard let context, let line else { return 0 }
      let input = Unmanaged<ReadlineInput>.fromOpaque(context).takeUnretainedValue()
      return input.completions(String(cString: line), Int(start), Int(end))
    }, Unmanaged.passUnretained(self).toOpaque())
  }

  public func setCompletion(_ complete: @escaping (String, Int, Int) -> CompletionAnswer) { self.complete = complete }

  private func completions(_ line: String, _ start: Int, _ end: Int) -> Int32 {
    switch complete?(line, start, end) ?? .candidates([]) {
    case .fileNames: return 1
    case .candidates(let words):
      for w in words { scn_add_completion(w) }
      return 0
    }
  }

  public func readLine(prompt: String) -> String? {
    // At Ctrl-D readline itself ends the prompt's line.
    guard let line = scn_readline(prompt) else { return nil }
    defer { scn_free_line(line) }
    return String(cString: line)
  }

  public func remember(_ entry: String) {
    scn_add_history(entry)
    saveHistory()
  }

  /// Writes the session's history (the newest `historyLimit` entries) to the history file.
  public func saveHistory() {
    guard let historyFile else { return }
    let folder = (historyFile as NSString).deletingLastPathComponent
    if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    _ = scn_write_history(historyFile, Self.historyLimit)
  }
}

/// Where the REPL keeps its history: `$XDG_STATE_HOME/scn/history` when that variable is
/// set, else `~/.scn_history`; nil when neither can be determined.
public func replHistoryFile(environment: [String: String]) -> String? {
  if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
    return (state.hasSuffix("/") ? state : state + "/") + "scn/history"
  }
  if let home = environment["HOME"], !home.isEmpty {
    return (home.hasSuffix("/") ? home : home + "/") + ".scn_history"
  }
  return nil
}
