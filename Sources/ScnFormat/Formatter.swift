import ScnSource
import ScnSyntax

/// `scn fmt`: the canonical layout of a `.scn` file.
///
/// The formatter works on the token stream (with its comment trivia) rather than the AST, so
/// nothing the author wrote can be lost: every token and comment is re-emitted in order.
/// Line breaks are the author's (they carry meaning: a newline ends a statement); what is
/// canonical is everything between tokens — indentation (4 spaces per brace level, 4 more
/// per open bracket or continued line), spacing, blank lines (at most one, none after `{` or
/// before `}`), and the end of the file (exactly one newline). Because the same rules apply
/// to their own output, formatting is idempotent, and because token order and line breaks
/// are unchanged, the parse (and the IR hash) is unchanged.
public enum Formatter {
  public static let indentWidth = 4

  /// The formatted text, or nil with the diagnostics when the file does not parse:
  /// reformatting a broken file could move an error somewhere confusing.
  public static func format(_ file: SourceFile) -> (text: String?, diagnostics: [Diagnostic]) {
    let parsed = Parser.parse(file: file)
    if parsed.diagnostics.hasErrors { return (nil, parsed.diagnostics) }
    let (tokens, lexDiagnostics) = Lexer.tokenize(file)
    if lexDiagnostics.hasErrors { return (nil, lexDiagnostics) }
    var printer = LayoutPrinter(file: file, tokens: tokens)
    return (printer.run(), parsed.diagnostics)
  }
}

/// One pass over the tokens that decides, for each gap between two tokens, whether it is a
/// line break (kept from the source) or a space (from the spacing rules).
private struct LayoutPrinter {
  let file: SourceFile
  let tokens: [Token]
  var out = ""
  /// Open brackets, innermost last: each adds one indentation level.
  var openers: [TokenKind] = []
  /// The last two tokens emitted (a `-` is unary or binary depending on the one before it).
  var previous: Token?
  var beforePrevious: Token?
  /// True right after a line break, before anything is written on the new line.
  var atLineStart = true
  /// True when the last thing written was an opening brace (no blank line may follow it).
  var justOpenedBrace = false
  /// Byte offsets in `out` where a trailing `//` comment (one after code) begins.
  var trailingCommentOffsets: [Int] = []

  /// The (up to) two tokens after the one being laid out: `visible from`, `contained in` and
  /// `not visible from` are specifiers only with the words that follow.
  var upcoming: [Token] = []

  init(file: SourceFile, tokens: [Token]) {
    self.file = file
    self.tokens = tokens
  }

  mutating func run() -> String {
    for (i, token) in tokens.enumerated() {
      upcoming = Array(tokens[min(i + 1, tokens.count)..<min(i + 3, tokens.count)])
      layOutGap(before: token)
      if token.kind == .eof { break }
      emit(token)
    }
    while out.hasSuffix("\n") || out.hasSuffix(" ") { out.removeLast() }
    return out.isEmpty ? "" : alignTrailingComments(out) + "\n"
  }

  /// Trailing comments on consecutive lines at the same indentation line up one space after
  /// the longest code among them (as gofmt does), so hand-aligned comment columns survive
  /// formatting. A line without a trailing comment, a blank line or a change of indentation
  /// ends a run. Idempotent: the code widths do not depend on the padding.
  func alignTrailingComments(_ text: String) -> String {
    guard !trailingCommentOffsets.isEmpty else { return text }
    let bytes = Array(text.utf8)
    var commentStarts = Set(trailingCommentOffsets)
    var lineStart = 0
    var splitLines: [(code: ArraySlice<UInt8>, comment: ArraySlice<UInt8>?)] = []
    for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "\n") {
      var comment: ArraySlice<UInt8>?
      var codeEnd = i
      for k in lineStart..<i where commentStarts.contains(k) {
        comment = bytes[k..<i]
        codeEnd = k
        commentStarts.remove(k)
        break
      }
      var code = bytes[lineStart..<codeEnd]
      while let last = code.last, last == UInt8(ascii: " ") { code = code.dropLast() }
      splitLines.append((code, comment))
      lineStart = i + 1
    }
    func width(_ b: ArraySlice<UInt8>) -> Int { b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
    var result: [UInt8] = []
    var index = 0
    while index < splitLines.count {
      guard splitLines[index].comment != nil else {
        result += splitLines[index].code
        result.append(UInt8(ascii: "\n"))
        index += 1
        continue
      }
      func indentation(_ b: ArraySlice<UInt8>) -> Int { b.prefix { $0 == UInt8(ascii: " ") }.count }
      let runIndent = indentation(splitLines[index].code)
      var end = index
      while end < splitLines.count, splitLines[end].comment != nil, indentation(splitLines[end].code) == runIndent {
        end += 1
      }
      let column = splitLines[index..<end].map { width($0.code) }.max() ?? 0
      for line in splitLines[index..<end] {
        result += line.code
        result += [UInt8](repeating: UInt8(ascii: " "), count: column - width(line.code) + 1)
        result += line.comment ?? []
        result.append(UInt8(ascii: "\n"))
      }
      index = end
    }
    if result.last == UInt8(ascii: "\n") { result.removeLast() }
    return String(decoding: result, as: UTF8.self)
  }

  // MARK: - Gaps: line breaks and comments

  mutating func layOutGap(before token: Token) {
    if token.leadingTrivia.isEmpty {
      if previous != nil, token.newlineBefore, token.kind != .eof {
        lineBreak(count: 1 + Int(token.blankLinesBefore), beforeCloser: isCloser(token.kind))
      }
      return
    }
    var pendingBreaks = 0
    var lastWasLineComment = false
    for piece in token.leadingTrivia {
      switch piece.kind {
      case .newlines:
        pendingBreaks += piece.count
      case .lineComment, .docComment, .blockComment:
        if out.isEmpty {
          // Comments at the very top of the file.
        } else if pendingBreaks > 0 || lastWasLineComment {
          lineBreak(count: max(1, pendingBreaks), beforeCloser: false)
        } else {
          out += " "
          if piece.kind != .blockComment { trailingCommentOffsets.append(out.utf8.count) }
        }
        if atLineStart { out += indent(levels: openers.count) }
        out += file.text(of: piece.range)
        atLineStart = false
        justOpenedBrace = false
        pendingBreaks = 0
        lastWasLineComment = piece.kind != .blockComment
      }
    }
    guard token.kind != .eof else { return }
    if pendingBreaks > 0 || lastWasLineComment {
      lineBreak(count: max(1, pendingBreaks), beforeCloser: isCloser(token.kind))
    }
  }

  mutating func lineBreak(count: Int, beforeCloser: Bool) {
    guard !out.isEmpty else { return }
    while out.hasSuffix(" ") { out.removeLast() }
    let blank = count >= 2 && !justOpenedBrace && !beforeCloser
    out += blank ? "\n\n" : "\n"
    atLineStart = true
  }

  // MARK: - Tokens

  mutating func emit(_ token: Token) {
    if atLineStart {
      out += indentation(for: token)
      atLineStart = false
    } else if let prev = previous, needsSpace(between: prev, and: token), !out.hasSuffix(" ") {
      out += " "
    }
    out += file.text(of: token.range)
    switch token.kind {
    case .leftBrace, .leftParen, .leftBracket: openers.append(token.kind)
    case .rightBrace, .rightParen, .rightBracket: if !openers.isEmpty { openers.removeLast() }
    default: break
    }
    justOpenedBrace = token.kind == .leftBrace
    beforePrevious = previous
    previous = token
  }

  func isCloser(_ k: TokenKind) -> Bool { k == .rightBrace || k == .rightParen || k == .rightBracket }

  func indent(levels: Int) -> String { String(repeating: " ", count: levels * Formatter.indentWidth) }

  /// One level per open bracket; a closing bracket lines up with the line that opened it;
  /// a continued statement (see `continues`) gets one more level.
  func indentation(for token: Token) -> String {
    var levels = openers.count
    if isCloser(token.kind), levels > 0 { levels -= 1 }
    if continues(token) { levels += 1 }
    return indent(levels: levels)
  }

  /// A line continues the previous statement when the previous line ended with a token that
  /// cannot end an expression, or this line starts with a specifier word or `with`
  /// (LANGUAGE.md, "Statements and newlines"). Inside `(` or `[` the bracket already indents.
  func continues(_ token: Token) -> Bool {
    guard let prev = previous, !isCloser(token.kind) else { return false }
    if let innermost = openers.last, innermost != .leftBrace { return false }
    // `else {` (or `else if`) on the line after a block's `}`: the block statement's `else`
    // (a behavior's `if`, `if initial scenario`) lines up with its `if`.
    if token.kind == .name, token.contextual == .else, prev.kind == .rightBrace,
      let next = upcoming.first, next.kind == .leftBrace || next.kind == .kwIf
    {
      return false
    }
    // A line that starts with a specifier word always continues the line before, even when
    // that line ended with a record body's `}` (`let car = Car { … }` / `ahead of ego by 5m`).
    if startsWithSpecifier(token) { return prev.kind != .leftBrace && prev.kind != .semicolon }
    switch prev.kind {
    case .leftBrace, .rightBrace, .semicolon, .comma: return false
    default: return prev.kind.continuesLine
    }
  }

  func startsWithSpecifier(_ token: Token) -> Bool {
    switch token.kind {
    case .kwAt, .kwFacing, .kwOn, .kwWithin, .kwWith: return true
    case .kwNot:
      return upcoming.count == 2 && upcoming[0].isContextual(.visible) && upcoming[1].isContextual(.from)
    case .name where token.contextual == .visible:
      return upcoming.first?.isContextual(.from) == true
    case .name where token.contextual == .contained:
      return upcoming.first?.kind == .kwIn
    case .name where [.ahead, .left, .right].contains(token.contextual):
      // `ahead of`, `left of`, `right of`; alone (an enum case `left`) they start a line.
      return upcoming.first?.isContextual(.of) == true
    case .name where token.contextual == .behind:
      // `behind X`; `behind` alone on its line (an enum case) starts a line of its own.
      return upcoming.first.map { !$0.newlineBefore && $0.kind != .rightBrace } ?? false
    case .name:
      // `then`/`else` of an `if` expression, which also continue a line.
      // (`offset`, `above` … are left out: as field names they start lines of their own.)
      return [.then, .else].contains(token.contextual)
    default: return false
    }
  }

  // MARK: - Spaces

  /// Whether a `-` or `not` after `prev` is a prefix operator.
  func isPrefixPosition(after prev: Token?) -> Bool {
    guard let prev else { return true }
    switch prev.kind {
    case .name, .integer, .float, .quantity, .string, .rightParen, .rightBracket, .rightBrace, .kwTrue, .kwFalse,
      .kwSelf, .kwEgo:
      return false
    default:
      return true
    }
  }

  func needsSpace(between prev: Token, and next: Token) -> Bool {
    switch next.kind {
    case .colon:
      // `actor Car : Vehicle`, `sensor Lidar2 : Lidar` and `material Paint : Material` keep the spaced colon of LANGUAGE.md.
      return beforePrevious.map { $0.kind == .kwActor || $0.kind == .kwSensor || $0.isContextual(.material) } ?? false
    case .comma, .semicolon, .rightParen, .rightBracket, .dot, .dotDot, .dotDotLess, .caret:
      return false
    case .leftParen, .leftBracket:
      switch prev.kind {
      // Calls and indexing hug their callee; `require[0.9]` is the soft form.
      case .name: return isSpecifierWord(prev)
      case .rightParen, .rightBracket, .kwSelf, .kwEgo, .atSign, .leftParen, .leftBracket, .dot: return false
      case .kwRequire: return next.kind == .leftParen
      case .minus: return !isPrefixPosition(after: beforePrevious)
      default: return true
      }
    default:
      break
    }
    switch prev.kind {
    case .leftParen, .leftBracket, .atSign, .dot, .dotDot, .dotDotLess, .caret:
      return false
    case .minus:
      return !isPrefixPosition(after: beforePrevious)
    default:
      return true
    }
  }

  /// Contextual keywords that take an expression after them: `by (gap + 1m)`, `toward (x, y, z)`.
  func isSpecifierWord(_ t: Token) -> Bool {
    [.of, .by, .toward, .weight, .buckets, .until, .when, .all, .any, .then, .else, .from, .to, .along, .beyond,
     .above, .below, .past, .see].contains(t.contextual)
  }
}
