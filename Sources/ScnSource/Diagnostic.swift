/// How bad a diagnostic is. Only `.error` makes `scn check` exit 1 (unless `--werror`).
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
  case note
  case warning
  case error

  private var rank: Int {
    switch self {
    case .note: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A stable diagnostic code such as `E0101` or `W0301`. Codes never change meaning once
/// shipped: golden files, docs and users' CI suppressions refer to them.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible {
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A secondary message attached to a diagnostic, optionally pointing at another range.
public struct Note: Hashable, Sendable {
  public let message: String
  public let range: SourceRange?

  public init(_ message: String, at range: SourceRange? = nil) {
    self.message = message
    self.range = range
  }
}

/// One text edit: replace `range` with `replacement`.
public struct TextEdit: Hashable, Sendable {
  public let range: SourceRange
  public let replacement: String

  public init(range: SourceRange, replacement: String) {
    self.range = range
    self.replacement = replacement
  }
}

/// A suggested change that resolves a diagnostic; the renderer shows it and editors can apply it.
public struct FixIt: Hashable, Sendable {
  public let message: String
  public let edits: [TextEdit]

  public init(_ message: String, edits: [TextEdit]) {
    self.message = message
    self.edits = edits
  }

  /// The common single-edit case.
  public static func replace(_ range: SourceRange, with text: String, _ message: String) -> FixIt {
    FixIt(message, edits: [TextEdit(range: range, replacement: text)])
  }

  public static func insert(_ text: String, at offset: Int, in file: FileID, _ message: String) -> FixIt {
    FixIt(message, edits: [TextEdit(range: .point(file, offset), replacement: text)])
  }
}

/// A problem found in user input, as a value. Every stage returns these; only the edges
/// (CLI, REPL) render them.
public struct Diagnostic: Hashable, Sendable {
  public let code: DiagnosticCode
  public let severity: Severity
  public let message: String
  /// The primary range, shown with `^`.
  public let range: SourceRange
  /// Extra ranges on the primary line(s), shown with `~` (e.g. both operands of `+`).
  public let highlights: [SourceRange]
  public let notes: [Note]
  public let fixIts: [FixIt]

  public init(
    _ severity: Severity, _ code: DiagnosticCode, _ message: String, at range: SourceRange,
    highlights: [SourceRange] = [], notes: [Note] = [], fixIts: [FixIt] = []
  ) {
    self.code = code
    self.severity = severity
    self.message = message
    self.range = range
    self.highlights = highlights
    self.notes = notes
    self.fixIts = fixIts
  }

  public static func error(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange,
    highlights: [SourceRange] = [], notes: [Note] = [], fixIts: [FixIt] = []
  ) -> Diagnostic {
    Diagnostic(.error, code, message, at: range, highlights: highlights, notes: notes, fixIts: fixIts)
  }

  public static func warning(
    _ code: DiagnosticCode, _ message: String, at range: SourceRange,
    highlights: [SourceRange] = [], notes: [Note] = [], fixIts: [FixIt] = []
  ) -> Diagnostic {
    Diagnostic(.warning, code, message, at: range, highlights: highlights, notes: notes, fixIts: fixIts)
  }

  /// A copy with the severity raised to error (for `--werror`).
  public func promotedToError() -> Diagnostic {
    Diagnostic(.error, code, message, at: range, highlights: highlights, notes: notes, fixIts: fixIts)
  }
}

/// Collects diagnostics from a stage. A value type: stages own one and hand back the array.
public struct DiagnosticBag: Sendable {
  public private(set) var diagnostics: [Diagnostic] = []
  public init() {}

  public mutating func add(_ d: Diagnostic) { diagnostics.append(d) }
  public mutating func add(contentsOf ds: [Diagnostic]) { diagnostics.append(contentsOf: ds) }

  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
  public var errorCount: Int { diagnostics.count { $0.severity == .error } }
}

extension Array where Element == Diagnostic {
  public var hasErrors: Bool { contains { $0.severity == .error } }

  /// Source order (file, offset), then code; the order every renderer and golden uses.
  public func sortedBySource() -> [Diagnostic] {
    enumerated().sorted { l, r in
      let a = l.element
      let b = r.element
      if a.range.file != b.range.file { return a.range.file < b.range.file }
      if a.range.start != b.range.start { return a.range.start < b.range.start }
      return l.offset < r.offset
    }.map(\.element)
  }
}
