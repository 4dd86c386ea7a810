import ScnSource

/// The recursive-descent parser. It never throws and never stops early on a normal error:
/// malformed input yields `.missing`/`.error` nodes plus diagnostics, so the tree is always
/// well formed and every independent error in a file is reported once.
public enum Parser {
  /// Brackets, blocks, prefix operators, the operators of a chain (`1 + 1 + …`) and postfix
  /// steps (`a.b.c`) may nest this deep; beyond it the parser reports one diagnostic and
  /// skips the rest of the file (so 100k `(` or a 1M-term sum cannot overflow the stack here
  /// or in any later stage).
  public static let maxNestingDepth = 256
  /// Syntax diagnostics beyond this many end the parse with one final diagnostic.
  public static let diagnosticLimit = 200

  /// Lexes and parses `file`. Diagnostics (lexical and syntax) are in source order.
  public static func parse(file: SourceFile) -> (ast: SourceFileSyntax, diagnostics: [Diagnostic]) {
    file.bytes.withUnsafeBufferPointer { buffer in
      let state = ParserState(file: file, scanner: Scanner(buffer: buffer, file: file.id))
      let ast = state.parseSourceFile()
      return (ast, state.allDiagnostics())
    }
  }

  /// Parses `file` as one expression (REPL input, tests). Trailing tokens are an error.
  public static func parseExpression(file: SourceFile) -> (expr: Expr, diagnostics: [Diagnostic]) {
    file.bytes.withUnsafeBufferPointer { buffer in
      let state = ParserState(file: file, scanner: Scanner(buffer: buffer, file: file.id))
      let expr = state.parseStandaloneExpression()
      return (expr, state.allDiagnostics())
    }
  }
}

/// Binding strength of infix operators, loosest first.
enum Precedence: Int, Comparable {
  case lowest = 0, or, and, not, comparison, range, additive, multiplicative, prefix

  static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Mutable parsing state over a token stream pulled from the lexer on demand (a small window
/// gives lookahead), so memory stays bounded however large the input. A class so the many
/// small recursive functions share it without `inout` plumbing. Lives only inside the
/// `withUnsafeBufferPointer` call that owns the scanner's bytes.
final class ParserState {
  // The state is only ever touched by the one thread running the parse, and no accessor
  // re-enters another; dynamic exclusivity checks cost ~10% of parse time, so they are off.
  let file: SourceFile
  @exclusivity(unchecked) private(set) var scanner: Scanner
  /// Tokens pulled from the scanner and not yet dropped; `window[windowIndex]` is current.
  @exclusivity(unchecked) private var window: [RawToken] = []
  @exclusivity(unchecked) private var windowIndex = 0
  /// How many tokens have been consumed: a cheap "did we make progress" check.
  @exclusivity(unchecked) private(set) var position = 0
  @exclusivity(unchecked) private var lastEnd = 0
  @exclusivity(unchecked) var diagnostics: [Diagnostic] = []
  /// Set after an error until the next statement or declaration starts, so one mistake
  /// yields one diagnostic.
  @exclusivity(unchecked) var panicking = false
  @exclusivity(unchecked) var depth = 0
  @exclusivity(unchecked) var nestingExceeded = false
  @exclusivity(unchecked) var stopped = false

  /// Whether a line break ends the construct being parsed (false inside `()`, `[]`, records).
  @exclusivity(unchecked) var newlinesSignificant = true
  /// Inside a specifier argument or a `simulate` duration: specifier words end the expression
  /// instead of starting a construction.
  @exclusivity(unchecked) var specifiersAllowed = true
  /// Parsing a condition (`require`, `terminate when`, `until`): a stray `=` gets a fix-it.
  @exclusivity(unchecked) var inCondition = false
  /// In the head of a behavior's `if`, `while`, `for` or `interrupt when`: `{` opens the
  /// block, so `if flag {` is not a record construction `flag { … }`.
  @exclusivity(unchecked) var braceOpensBlock = false
  /// Inside a scenario's `setup { … }` (they do not nest).
  @exclusivity(unchecked) var insideSetup = false
  /// Inside an `if initial scenario { … }` block (no `compose` and no other such block there).
  @exclusivity(unchecked) var insideInitialScenario = false
  /// Inside the right-hand side of a `type` declaration: `*`, `/`, `^` and `1` are types.
  @exclusivity(unchecked) var dimensionsAllowed = false

  init(file: SourceFile, scanner: Scanner) {
    self.file = file
    self.scanner = scanner
    window.reserveCapacity(64)
    window.append(self.scanner.next())
    lastEnd = window[0].range.start
  }

  /// Lexical diagnostics and syntax diagnostics together, in source order.
  func allDiagnostics() -> [Diagnostic] {
    // Whatever the parser skipped is still lexed, so every lexical error is reported.
    while window.last?.kind != .eof { window.append(scanner.next()) }
    return (scanner.diagnostics + diagnostics).sortedBySource()
  }

  // MARK: RawToken access

  @inline(__always) var token: RawToken { window[windowIndex] }
  @inline(__always) var kind: TokenKind { window[windowIndex].kind }
  var isAtEnd: Bool { window[windowIndex].kind == .eof }

  /// The token `k` places ahead (the `.eof` token repeats at the end).
  func peek(_ k: Int) -> RawToken {
    while windowIndex + k >= window.count {
      guard let last = window.last, last.kind != .eof else { return window[window.count - 1] }
      window.append(scanner.next())
    }
    return window[windowIndex + k]
  }

  /// The end offset of the previous token (where a missing token would be inserted).
  var previousEnd: Int { lastEnd }

  @discardableResult
  func advance() -> RawToken {
    let t = window[windowIndex]
    guard t.kind != .eof else { return t }
    position += 1
    lastEnd = t.range.end
    windowIndex += 1
    if windowIndex > 256 {
      // Drop consumed tokens; only the (short) lookahead is moved.
      window.removeFirst(windowIndex)
      windowIndex = 0
    }
    if windowIndex == window.count { window.append(scanner.next()) }
    return t
  }

  /// Consumes every remaining token.
  func skipToEnd() {
    while !isAtEnd { advance() }
  }

  func eat(_ k: TokenKind) -> RawToken? {
    guard kind == k else { return nil }
    return advance()
  }

  func eatContextual(_ word: ContextualKeyword) -> RawToken? {
    guard token.isContextual(word) else { return nil }
    return advance()
  }

  func range(from start: Int) -> SourceRange {
    SourceRange(file: file.id, start: start, end: max(start, previousEnd))
  }

  func point(_ offset: Int) -> SourceRange { .point(file.id, offset) }

  /// True when a line break before the current token ends the current construct.
  var lineBreakHere: Bool { newlinesSignificant && token.newlineBefore }

  // MARK: Describing tokens

  func describe(_ t: RawToken) -> String {
    switch t.kind {
    case .eof: return "end of file"
    case .string: return "a string"
    case .name, .integer, .float, .quantity:
      var text = t.text(in: file)
      if text.unicodeScalars.count > 24 { text = String(text.unicodeScalars.prefix(24)) + "…" }
      return "'\(text)'"
    default: return t.kind.displayName
    }
  }

  /// "newline" (pointing just after the previous token) when the current token starts a new
  /// line in a context where that matters, the token itself otherwise.
  func foundHere() -> (String, SourceRange) {
    if token.newlineBefore, kind != .eof, position > 0 { return ("newline", point(previousEnd)) }
    return (describe(token), token.range)
  }

  func locationText(_ offset: Int) -> String {
    let l = file.location(of: offset)
    return "\(l.line):\(l.column)"
  }

  // MARK: Diagnostics

  func report(_ d: Diagnostic) {
    guard !panicking, !stopped else { return }
    panicking = true
    // The lexer already reported the bad bytes this token stands for.
    if kind == .unknown { return }
    if diagnostics.count >= Parser.diagnosticLimit {
      diagnostics.append(SyntaxError.tooManyErrors(at: d.range))
      stopped = true
      skipToEnd()
      return
    }
    diagnostics.append(d)
  }

  // MARK: Nesting

  /// Call before recursing into a nested construct; false means the limit was hit and the
  /// rest of the input has been skipped.
  func enterNesting() -> Bool {
    depth += 1
    if depth <= Parser.maxNestingDepth { return true }
    if !nestingExceeded {
      nestingExceeded = true
      if !stopped { diagnostics.append(SyntaxError.nestingTooDeep(limit: Parser.maxNestingDepth, at: token.range)) }
    }
    panicking = true
    stopped = true
    skipToEnd()
    return false
  }

  func leaveNesting() { depth -= 1 }

  /// Runs `body` with bracket context: newlines and specifier words behave normally again.
  func insideBrackets<T>(_ body: () -> T) -> T {
    let saved = (newlinesSignificant, specifiersAllowed, inCondition, braceOpensBlock)
    newlinesSignificant = false
    specifiersAllowed = true
    inCondition = false
    braceOpensBlock = false
    defer { (newlinesSignificant, specifiersAllowed, inCondition, braceOpensBlock) = saved }
    return body()
  }

  // MARK: Delimiters and recovery

  static func closer(for opener: TokenKind) -> TokenKind {
    switch opener {
    case .leftParen: .rightParen
    case .leftBracket: .rightBracket
    default: .rightBrace
    }
  }

  static func isOpener(_ k: TokenKind) -> Bool { k == .leftParen || k == .leftBracket || k == .leftBrace }
  static func isCloser(_ k: TokenKind) -> Bool { k == .rightParen || k == .rightBracket || k == .rightBrace }

  /// Consumes the closer matching `opener`, or reports it missing (with a note at the opener
  /// and an insertion fix-it) and, if the closer appears later on the same line, skips to it.
  @discardableResult
  func expectCloser(for opener: RawToken) -> Bool {
    let closer = Self.closer(for: opener.kind)
    if eat(closer) != nil { return true }
    reportUnclosed(opener)
    if skipOnLine(to: closer) { return true }
    return false
  }

  func reportUnclosed(_ opener: RawToken) {
    let closer = Self.closer(for: opener.kind)
    let (found, at) = foundHere()
    report(SyntaxError.unclosedDelimiter(
      closer: closer.spelling, opener: opener.kind.spelling, openerRange: opener.range,
      openerLocation: locationText(opener.range.start), found: found, at: at, insertAt: previousEnd))
  }

  /// `[1m 2m]`: the next element follows without a comma.
  func reportMissingSeparator(_ opener: RawToken) {
    let closer = Self.closer(for: opener.kind)
    report(SyntaxError.missingSeparator(
      closer: closer.spelling, opener: opener.kind.spelling, openerRange: opener.range,
      openerLocation: locationText(opener.range.start), found: describe(token), at: token.range,
      insertAt: previousEnd))
  }

  /// Looks for `closer` at bracket depth 0 on the current line (within a bounded lookahead);
  /// consumes through it if found.
  func skipOnLine(to closer: TokenKind) -> Bool {
    var nesting = 0
    for k in 0..<Self.recoveryLookahead {
      let t = peek(k)
      if t.kind == .eof || (k > 0 && t.newlineBefore) { return false }
      if Self.isOpener(t.kind) {
        nesting += 1
      } else if Self.isCloser(t.kind) {
        if nesting == 0 {
          guard t.kind == closer else { return false }
          for _ in 0...k { advance() }
          return true
        }
        nesting -= 1
      }
    }
    return false
  }

  /// How far recovery looks ahead for a closer; keeps recovery linear on pathological lines.
  static let recoveryLookahead = 512

  /// After a broken statement: skip to the next line break, `;` or block-closing `}` at
  /// bracket depth 0 (brackets opened while skipping are skipped whole).
  func synchronizeStatement() {
    var nesting = 0
    var first = true
    while !isAtEnd {
      let t = token
      if nesting == 0, !first, t.newlineBefore { return }
      if nesting == 0, t.kind == .semicolon { return }
      if nesting == 0, t.kind == .rightBrace {
        // A `}` that closes a block ends its line (or precedes `or`, `;`, `}`); one followed by
        // more of the statement is stray and skipped with the rest.
        let after = peek(1)
        if after.newlineBefore || after.kind == .eof || after.kind == .semicolon || after.kind == .rightBrace
          || after.kind == .kwOr
        {
          return
        }
      }
      if Self.isOpener(t.kind) {
        nesting += 1
      } else if Self.isCloser(t.kind) {
        nesting = max(0, nesting - 1)
      }
      first = false
      advance()
    }
  }

  /// Checks what follows a complete statement: `;`, a line break, `}` or the end.
  func expectStatementEnd() {
    if eat(.semicolon) != nil { return }
    if token.newlineBefore || kind == .rightBrace || isAtEnd { return }
    report(SyntaxError.expectedStatementEnd(found: describe(token), at: token.range))
    synchronizeStatement()
    _ = eat(.semicolon)
  }

  // MARK: Names

  /// A name, or a reserved word used as one (reported, kept for recovery), or a missing name.
  func expectName(_ what: String) -> Identifier {
    if kind == .name {
      let t = advance()
      return Identifier(name: t.text(in: file), range: t.range)
    }
    if kind.isKeyword, !token.newlineBefore || !newlinesSignificant {
      let t = advance()
      report(SyntaxError.keywordAsName(t.kind.spelling, at: t.range))
      return Identifier(name: t.kind.spelling, range: t.range)
    }
    let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.expectedName(what, found: found, at: at))
    return Identifier(name: "", range: point(previousEnd))
  }

  /// `name` or `_` as a binder: `_` is allowed here.
  func expectBinder() -> Identifier { expectName("a name to bind") }

  /// A label in `label: value` (call arguments, record fields): names and reserved words.
  var atLabel: Bool {
    (kind == .name || kind.isKeyword) && peek(1).kind == .colon
  }

  func identifier(_ t: RawToken) -> Identifier {
    Identifier(name: t.kind.isKeyword ? t.kind.spelling : t.text(in: file), range: t.range)
  }

  /// Consumes `=`; accepts `:=` with a fix-it. Reports and returns false when neither is there.
  @discardableResult
  func expectEquals(_ context: String) -> Bool {
    if eat(.equal) != nil { return true }
    if let t = eat(.colonEqual) {
      report(SyntaxError.colonEqual(at: t.range))
      return true
    }
    let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.expected("'=' \(context)", found: found, at: at))
    return false
  }

  /// Consumes `k` or reports it missing.
  @discardableResult
  func expect(_ k: TokenKind, _ context: String) -> RawToken? {
    if let t = eat(k) { return t }
    let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.expected("\(k.displayName) \(context)", found: found, at: at))
    return nil
  }

  // MARK: Documentation and annotations

  func documentation(of t: RawToken) -> Documentation? {
    Trivia.documentation(from: Trivia.run(of: t, in: scanner.trivia), in: file).map(Documentation.init(text:))
  }

  /// `@name` / `@name(args)` repeated; newlines between them are fine.
  func parseAnnotations() -> [Annotation] {
    var result: [Annotation] = []
    while kind == .atSign {
      let at = advance()
      let name = expectName("an annotation name after '@'")
      var arguments: [Argument]?
      if kind == .leftParen, !token.newlineBefore {
        arguments = parseArgumentList()
      }
      result.append(Annotation(name: name, arguments: arguments, range: range(from: at.range.start)))
    }
    return result
  }
}
