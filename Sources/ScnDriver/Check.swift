import ScnSource
import ScnSyntax

/// What `scn check` found: the loaded sources (for rendering) and every diagnostic.
public struct CheckOutcome: Sendable {
  public var sources: SourceManager
  public var diagnostics: [Diagnostic]

  /// 0 clean (warnings allowed unless `werror`), 1 when any error remains.
  public func exitCode(werror: Bool) -> Int32 {
    let failing = diagnostics.contains { $0.severity == .error || (werror && $0.severity == .warning) }
    return failing ? 1 : 0
  }

  /// With `--werror`, warnings are reported as errors too (so renderers and counts agree).
  public func promotingWarnings(_ werror: Bool) -> CheckOutcome {
    guard werror else { return self }
    var copy = self
    copy.diagnostics = diagnostics.map { $0.severity == .warning ? $0.promotedToError() : $0 }
    return copy
  }
}

/// The compile pipeline as far as it exists: read, lex, parse (and, as later stages land,
/// resolve, type-check and lower). Pure apart from the injected file system.
public struct Driver: Sendable {
  public var fileSystem: FileSystem

  public init(fileSystem: FileSystem = .disk) { self.fileSystem = fileSystem }

  /// Checks every file named (directories expand to their `.scn` files).
  /// Throws `FileSystemError` only for paths named on the command line that cannot be read.
  public func check(paths: [String]) throws -> CheckOutcome {
    let files = try collectScenarioFiles(paths, fileSystem: fileSystem)
    var sources = SourceManager()
    var diagnostics: [Diagnostic] = []
    for path in files {
      let bytes = try fileSystem.readFile(path)
      let id = sources.add(path: path, bytes: bytes)
      guard let file = sources[id] else { continue }
      let result = Parser.parse(file: file)
      diagnostics += result.diagnostics
    }
    return CheckOutcome(sources: sources, diagnostics: diagnostics.sortedBySource())
  }
}
