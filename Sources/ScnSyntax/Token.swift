import ScnSource

/// A comment (or the newlines around comments) that precedes a token. Plain whitespace is
/// not recorded: the formatter re-lays it out. A token's `leadingTrivia` is empty unless a
/// comment precedes it; `newlineBefore` and `blankLinesBefore` summarise the layout always.
public struct Trivia: Sendable, Hashable {
  public enum Kind: UInt8, Sendable, Hashable {
    /// One or more line breaks; `count` says how many.
    case newlines
    /// `// …` up to (not including) the line break.
    case lineComment
    /// `/// …`: documentation for the declaration that follows.
    case docComment
    /// `/* … */`, possibly nested and spanning lines.
    case blockComment
  }

  public let kind: Kind
  public let range: SourceRange
  /// The number of line breaks for `.newlines`, 1 otherwise.
  public let count: Int

  public init(kind: Kind, range: SourceRange, count: Int = 1) {
    self.kind = kind
    self.range = range
    self.count = count
  }
}

/// One lexical token, as handed to tools such as the formatter: what it is, exactly which
/// bytes it covers, and the comments before it. Text is not stored; ask with `text(in:)`.
public struct Token: Sendable, Hashable {
  public let kind: TokenKind
  /// For `.name` tokens, the contextual keyword this word can act as (`.none` otherwise).
  public let contextual: ContextualKeyword
  /// True when a line break separates this token from the previous one (or it is first).
  public let newlineBefore: Bool
  /// Blank lines directly before this token (after the last comment, if any), capped at 255.
  public let blankLinesBefore: UInt8
  public let range: SourceRange
  /// For `.quantity`, the offset where the unit suffix begins; `range.end` otherwise.
  public let unitStart: Int
  /// Comments before this token, interleaved with `.newlines` pieces; empty (and free)
  /// when no comment precedes it. The `.eof` token carries the comments at the end of the file.
  public let leadingTrivia: [Trivia]

  public init(
    kind: TokenKind, contextual: ContextualKeyword = .none, newlineBefore: Bool, blankLinesBefore: UInt8 = 0,
    range: SourceRange, unitStart: Int? = nil, leadingTrivia: [Trivia] = []
  ) {
    self.kind = kind
    self.contextual = contextual
    self.newlineBefore = newlineBefore
    self.blankLinesBefore = blankLinesBefore
    self.range = range
    self.unitStart = unitStart ?? range.end
    self.leadingTrivia = leadingTrivia
  }

  /// The token's source text.
  public func text(in file: SourceFile) -> String { file.text(of: range) }

  /// For a quantity `9.81m/s^2`, the range of `9.81`; for other numbers, the whole token.
  public var numberRange: SourceRange { SourceRange(file: range.file, start: range.start, end: unitStart) }
  /// For a quantity `9.81m/s^2`, the range of `m/s^2`; empty for other tokens.
  public var unitRange: SourceRange { SourceRange(file: range.file, start: unitStart, end: range.end) }

  /// True if this is `.name` spelling the contextual keyword `word`.
  public func isContextual(_ word: ContextualKeyword) -> Bool { kind == .name && contextual == word }

  /// Doc comment text (`///` lines directly before the token, prefix and one space
  /// stripped, joined by newlines), or nil when there is none.
  public func documentation(in file: SourceFile) -> String? {
    Trivia.documentation(from: leadingTrivia[...], in: file)
  }
}

/// The lexer's and parser's internal token: like `Token`, but a plain value (no references)
/// so the hot path copies it for free; its comments live in the scanner's trivia table.
struct RawToken: Sendable, Hashable {
  let kind: TokenKind
  let contextual: ContextualKeyword
  let newlineBefore: Bool
  let blankLinesBefore: UInt8
  /// Where this token's comments start in the trivia table, and how many there are.
  let triviaStart: Int32
  let triviaCount: Int32
  let range: SourceRange
  let unitStart: Int

  init(
    kind: TokenKind, contextual: ContextualKeyword = .none, newlineBefore: Bool, blankLinesBefore: UInt8 = 0,
    range: SourceRange, unitStart: Int? = nil, triviaStart: Int32 = 0, triviaCount: Int32 = 0
  ) {
    self.kind = kind
    self.contextual = contextual
    self.newlineBefore = newlineBefore
    self.blankLinesBefore = blankLinesBefore
    self.triviaStart = triviaStart
    self.triviaCount = triviaCount
    self.range = range
    self.unitStart = unitStart ?? range.end
  }

  func text(in file: SourceFile) -> String { file.text(of: range) }
  var numberRange: SourceRange { SourceRange(file: range.file, start: range.start, end: unitStart) }
  var unitRange: SourceRange { SourceRange(file: range.file, start: unitStart, end: range.end) }

  @inline(__always)
  func isContextual(_ word: ContextualKeyword) -> Bool { kind == .name && contextual == word }

  /// The public form, with the comments copied out of `trivia`.
  func token(trivia: [Trivia]) -> Token {
    Token(kind: kind, contextual: contextual, newlineBefore: newlineBefore, blankLinesBefore: blankLinesBefore,
          range: range, unitStart: unitStart,
          leadingTrivia: triviaCount == 0 ? [] : Array(Trivia.run(of: self, in: trivia)))
  }
}

extension Trivia {
  static func run(of token: RawToken, in trivia: [Trivia]) -> ArraySlice<Trivia> {
    let start = Int(token.triviaStart)
    let end = start + Int(token.triviaCount)
    guard start >= 0, end <= trivia.count, start <= end else { return [] }
    return trivia[start..<end]
  }

  /// Doc comment text from a token's leading trivia: the `///` lines directly before the
  /// token, prefix and one space stripped, joined by newlines; nil when there are none. A
  /// blank line or an ordinary comment ends the run. Trailing spaces and tabs of a line are
  /// not part of the text: `scn fmt` removes them, and formatting must not change a
  /// program's meaning (found by Fuzz/FuzzParse).
  public static func documentation(from pieces: ArraySlice<Trivia>, in file: SourceFile) -> String? {
    var lines: [String] = []
    loop: for piece in pieces.reversed() {
      switch piece.kind {
      case .newlines:
        if piece.count > 1 { break loop }
      case .docComment:
        var text = file.text(of: piece.range).dropFirst(3)
        if text.first == " " { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        lines.append(String(text))
      case .lineComment, .blockComment:
        break loop
      }
    }
    return lines.isEmpty ? nil : lines.reversed().joined(separator: "\n")
  }
}
