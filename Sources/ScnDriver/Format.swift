import ScnFormat
import ScnSource

/// The result of formatting one file: the new bytes, or nil (with diagnostics) when the
/// file does not parse.
public struct FormatOutcome: Sendable {
  public let formatted: [UInt8]?
  public let diagnostics: [Diagnostic]
  public let sources: SourceManager
}

extension Driver {
  public func format(path: String, bytes: [UInt8]) -> FormatOutcome {
    var sources = SourceManager()
    let id = sources.add(path: path, bytes: bytes)
    guard let file = sources[id] else { return FormatOutcome(formatted: nil, diagnostics: [], sources: sources) }
    let (text, diagnostics) = Formatter.format(file)
    return FormatOutcome(formatted: text.map { Array($0.utf8) }, diagnostics: diagnostics, sources: sources)
  }
}
