/// Codes of the errors the REPL reports about its own command line (E07xx; the stages and
/// the driver own E00xx–E06xx, see Sources/ScnDriver/DiagnosticCodes.md). Errors about the
/// loaded file keep the stages' own codes and locations.
public enum REPLErrorCode: String, Sendable, CaseIterable {
  /// The input is not a command, or names no command (or several, as a prefix).
  case unknownCommand = "E0701"
  /// A command's arguments are missing, extra or malformed (a count, a seed).
  case badArguments = "E0702"
  /// The command needs a loaded file that compiles.
  case nothingLoaded = "E0703"
  /// `:load`/`:reload` could not read the file.
  case unreadableFile = "E0704"
  /// A scenario, override or scene value of that name does not exist (or is not charted).
  case unknownName = "E0705"
}
