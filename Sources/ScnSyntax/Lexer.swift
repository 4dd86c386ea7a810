import ScnSource

/// Turns UTF-8 bytes into tokens with exact byte ranges. Never fails: bad input produces a
/// diagnostic and lexing continues, so the parser always sees a well-formed stream ending in
/// `.eof`. Invalid bytes and bad characters are reported once per run and become one
/// `.unknown` token, which the parser skips without a second diagnostic.
public enum Lexer {
  /// Lexical diagnostics beyond this many are summarised by one final diagnostic.
  public static let diagnosticLimit = 100

  /// Every token of `file` (the last is `.eof`) and the lexical diagnostics, in source order.
  public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    file.bytes.withUnsafeBufferPointer { buffer in
      var scanner = Scanner(buffer: buffer, file: file.id)
      var raw: [RawToken] = []
      raw.reserveCapacity(buffer.count / 5 + 1)
      while true {
        let t = scanner.next()
        raw.append(t)
        if t.kind == .eof { break }
      }
      return (raw.map { $0.token(trivia: scanner.trivia) }, scanner.diagnostics)
    }
  }
}

/// The lexer's working state over one file's bytes. It hands out one token at a time so the
/// parser can stream (memory stays bounded on huge inputs); `Lexer.tokenize` collects them.
/// The buffer must outlive the scanner.
struct Scanner {
  let buffer: UnsafeBufferPointer<UInt8>
  let count: Int
  let file: FileID
  var index = 0
  /// The token just lexed, handed out by `next()`.
  private var produced: RawToken?
  var diagnostics: [Diagnostic] = []
  private var truncated = false

  // Layout seen since the previous token.
  var newlineBefore = true
  var newlineRunStart = 0
  var newlineRunCount = 0
  /// Every comment piece so far; a token's run is `trivia[triviaRunStart...]` when emitted.
  var trivia: [Trivia] = []
  var triviaRunStart = 0

  init(buffer: UnsafeBufferPointer<UInt8>, file: FileID) {
    self.buffer = buffer
    self.count = buffer.count
    self.file = file
    // A UTF-8 byte order mark is not part of the program.
    if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { index = 3 }
  }

  @inline(__always) func peek(_ offset: Int = 0) -> UInt8 {
    let k = index + offset
    return k < count ? buffer[k] : 0
  }

  func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: file, start: start, end: end) }

  mutating func report(_ d: Diagnostic) {
    guard !truncated else { return }
    if diagnostics.count >= Lexer.diagnosticLimit {
      truncated = true
      diagnostics.append(SyntaxError.tooManyLexicalErrors(at: d.range))
      return
    }
    diagnostics.append(d)
  }

  /// The next token; after the end, `.eof` again and again.
  mutating func next() -> RawToken {
    skipTrivia()
    if index >= count {
      emit(.eof, count, count)
    } else {
      lexToken()
    }
    let t = produced ?? RawToken(kind: .eof, newlineBefore: true, range: range(count, count))
    produced = nil
    return t
  }

  // MARK: Trivia

  /// Records the pending run of line breaks (ending where the comment or token at `end` begins).
  mutating func flushNewlines(upTo end: Int) {
    if newlineRunCount > 0 {
      trivia.append(Trivia(kind: .newlines, range: range(newlineRunStart, end), count: newlineRunCount))
      newlineRunCount = 0
    }
  }

  mutating func skipTrivia() {
    while index < count {
      let c = buffer[index]
      switch c {
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0B, 0x0C:
        index += 1
      case UInt8(ascii: "\n"):
        if newlineRunCount == 0 { newlineRunStart = index }
        newlineRunCount += 1
        newlineBefore = true
        index += 1
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "/"):
        let start = index
        let isDoc = peek(2) == UInt8(ascii: "/") && peek(3) != UInt8(ascii: "/")
        flushNewlines(upTo: start)
        skipToLineEnd()
        trivia.append(Trivia(kind: isDoc ? .docComment : .lineComment, range: range(start, index)))
      case UInt8(ascii: "/") where peek(1) == UInt8(ascii: "*"):
        let start = index
        flushNewlines(upTo: start)
        skipBlockComment()
        trivia.append(Trivia(kind: .blockComment, range: range(start, index)))
      case UInt8(ascii: "#"):
        // A common slip from Python/shell; treat the line as a comment so nothing cascades.
        let start = index
        flushNewlines(upTo: start)
        skipToLineEnd()
        report(SyntaxError.hashComment(at: range(start, start + 1)))
        trivia.append(Trivia(kind: .lineComment, range: range(start, index)))
      default:
        return
      }
    }
  }

  /// Advances to the next `\n` (not consumed), validating UTF-8 on the way.
  mutating func skipToLineEnd() {
    while index < count {
      let c = buffer[index]
      if c == UInt8(ascii: "\n") { return }
      if c < 0x80 { index += 1 } else { skipNonASCII(reportBadCharacter: false) }
    }
  }

  mutating func skipBlockComment() {
    let start = index
    index += 2
    var depth = 1
    while index < count {
      let c = buffer[index]
      if c == UInt8(ascii: "*"), peek(1) == UInt8(ascii: "/") {
        index += 2
        depth -= 1
        if depth == 0 { return }
      } else if c == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
        index += 2
        depth += 1
      } else if c < 0x80 {
        index += 1
      } else {
        skipNonASCII(reportBadCharacter: false)
      }
    }
    report(SyntaxError.unterminatedBlockComment(at: range(start, start + 2), endOfFile: range(count, count)))
  }

  // MARK: UTF-8

  /// The length of the valid UTF-8 scalar at `k`, or nil for an invalid sequence.
  func scalarLength(at k: Int) -> (length: Int, scalar: UInt32)? {
    let b0 = buffer[k]
    if b0 < 0x80 { return (1, UInt32(b0)) }
    func continuation(_ j: Int) -> UInt32? {
      guard k + j < count else { return nil }
      let b = buffer[k + j]
      return b & 0xC0 == 0x80 ? UInt32(b & 0x3F) : nil
    }
    if b0 >= 0xC2, b0 <= 0xDF {
      guard let c1 = continuation(1) else { return nil }
      return (2, UInt32(b0 & 0x1F) << 6 | c1)
    }
    if b0 >= 0xE0, b0 <= 0xEF {
      guard let c1 = continuation(1), let c2 = continuation(2) else { return nil }
      let v = UInt32(b0 & 0x0F) << 12 | c1 << 6 | c2
      // Overlong forms and UTF-16 surrogates are not valid UTF-8.
      guard v >= 0x800, !(0xD800...0xDFFF).contains(v) else { return nil }
      return (3, v)
    }
    if b0 >= 0xF0, b0 <= 0xF4 {
      guard let c1 = continuation(1), let c2 = continuation(2), let c3 = continuation(3) else { return nil }
      let v = UInt32(b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3
      guard v >= 0x10000, v <= 0x10FFFF else { return nil }
      return (4, v)
    }
    return nil
  }

  /// Skips one non-ASCII scalar, or a whole run of invalid bytes (reported once). With
  /// `reportBadCharacter`, a valid scalar is itself an error (it appeared outside a name,
  /// string or comment) and the run of such characters is reported once.
  mutating func skipNonASCII(reportBadCharacter: Bool) {
    let start = index
    if scalarLength(at: index) == nil {
      while index < count, buffer[index] >= 0x80, scalarLength(at: index) == nil { index += 1 }
      report(SyntaxError.invalidUTF8(at: range(start, index)))
      return
    }
    if let (length, _) = scalarLength(at: index) { index += length }
    if reportBadCharacter { reportBadCharacterRun(from: start) }
  }

  /// Extends a bad-character run that began at `start` over the following bad characters.
  mutating func reportBadCharacterRun(from start: Int) {
    while index < count {
      let c = buffer[index]
      if c < 0x80 {
        guard isBadASCII(c) else { break }
        index += 1
      } else {
        guard let (length, scalar) = scalarLength(at: index), !isNameScalar(scalar) else { break }
        index += length
      }
    }
    report(SyntaxError.unexpectedCharacter(at: range(start, index), text: characterText(start, index)))
  }

  func characterText(_ start: Int, _ end: Int) -> String {
    let bytes = UnsafeBufferPointer(rebasing: buffer[start..<min(end, start + 40)])
    var text = ""
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      text += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return text
  }

  func isBadASCII(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "$"), UInt8(ascii: "?"), UInt8(ascii: "~"), UInt8(ascii: "`"), UInt8(ascii: "\\"),
      UInt8(ascii: "'"):
      true
    case 0..<0x20: c != UInt8(ascii: "\n") && c != UInt8(ascii: "\t") && c != UInt8(ascii: "\r") && c != 0x0B
      && c != 0x0C
    case 0x7F: true
    default: false
    }
  }

  func isNameScalar(_ value: UInt32) -> Bool {
    guard let scalar = Unicode.Scalar(value) else { return false }
    return scalar.properties.isAlphabetic
  }

  @inline(__always) func isNameStart(_ c: UInt8) -> Bool {
    (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c == UInt8(ascii: "_")
  }

  @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

  /// True if a name starts at `k` (ASCII letter, `_`, or a non-ASCII letter).
  func nameStarts(at k: Int) -> Bool {
    guard k < count else { return false }
    let c = buffer[k]
    if c < 0x80 { return isNameStart(c) }
    guard let (_, scalar) = scalarLength(at: k) else { return false }
    return isNameScalar(scalar)
  }

  /// Consumes a name starting at `index` (which must start one).
  mutating func scanName() {
    while index < count {
      let c = buffer[index]
      if c < 0x80 {
        guard isNameStart(c) || isDigit(c) else { return }
        index += 1
      } else {
        guard let (length, scalar) = scalarLength(at: index), isNameScalar(scalar) else { return }
        index += length
      }
    }
  }

  // MARK: Tokens

  mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int, contextual: ContextualKeyword = .none,
                     unitStart: Int? = nil) {
    let blank = UInt8(min(255, max(0, newlineRunCount - 1)))
    if trivia.count > triviaRunStart { flushNewlines(upTo: start) }
    produced = RawToken(kind: kind, contextual: contextual, newlineBefore: newlineBefore,
                     blankLinesBefore: blank, range: range(start, end), unitStart: unitStart,
                     triviaStart: Int32(truncatingIfNeeded: triviaRunStart),
                     triviaCount: Int32(truncatingIfNeeded: trivia.count - triviaRunStart))
    triviaRunStart = trivia.count
    newlineBefore = false
    newlineRunCount = 0
  }

  mutating func lexToken() {
    let start = index
    let c = buffer[index]
    if isNameStart(c) {
      index += 1
      scanName()
      let (kind, contextual) = KeywordTable.shared.lookup(buffer, start, index)
      emit(kind, start, index, contextual: contextual)
      return
    }
    if isDigit(c) {
      lexNumber()
      return
    }
    index += 1
    switch c {
    case UInt8(ascii: "("): emit(.leftParen, start, index)
    case UInt8(ascii: ")"): emit(.rightParen, start, index)
    case UInt8(ascii: "["): emit(.leftBracket, start, index)
    case UInt8(ascii: "]"): emit(.rightBracket, start, index)
    case UInt8(ascii: "{"): emit(.leftBrace, start, index)
    case UInt8(ascii: "}"): emit(.rightBrace, start, index)
    case UInt8(ascii: ","): emit(.comma, start, index)
    case UInt8(ascii: ";"): emit(.semicolon, start, index)
    case UInt8(ascii: "+"): emit(.plus, start, index)
    case UInt8(ascii: "*"): emit(.star, start, index)
    case UInt8(ascii: "/"): emit(.slash, start, index)
    case UInt8(ascii: "%"): emit(.percent, start, index)
    case UInt8(ascii: "^"): emit(.caret, start, index)
    case UInt8(ascii: "@"): emit(.atSign, start, index)
    case UInt8(ascii: "\""): lexString(start)
    case UInt8(ascii: "."):
      if peek() == UInt8(ascii: ".") {
        index += 1
        if peek() == UInt8(ascii: "<") {
          index += 1
          emit(.dotDotLess, start, index)
        } else {
          emit(.dotDot, start, index)
        }
      } else {
        emit(.dot, start, index)
      }
    case UInt8(ascii: "-"):
      if peek() == UInt8(ascii: ">") {
        index += 1
        emit(.arrow, start, index)
      } else {
        emit(.minus, start, index)
      }
    case UInt8(ascii: "="):
      if peek() == UInt8(ascii: "=") {
        index += 1
        emit(.equalEqual, start, index)
      } else {
        emit(.equal, start, index)
      }
    case UInt8(ascii: "<"):
      if peek() == UInt8(ascii: "=") {
        index += 1
        emit(.lessEqual, start, index)
      } else {
        emit(.less, start, index)
      }
    case UInt8(ascii: ">"):
      if peek() == UInt8(ascii: "=") {
        index += 1
        emit(.greaterEqual, start, index)
      } else {
        emit(.greater, start, index)
      }
    case UInt8(ascii: ":"):
      if peek() == UInt8(ascii: "=") {
        index += 1
        emit(.colonEqual, start, index)
      } else {
        emit(.colon, start, index)
      }
    case UInt8(ascii: "!"):
      if peek() == UInt8(ascii: "=") {
        index += 1
        emit(.bangEqual, start, index)
      } else {
        // `!x` becomes `not x`: the word needs a space before its operand.
        let spaced = peek() == UInt8(ascii: " ") || peek() == UInt8(ascii: "(") ? "not" : "not "
        report(SyntaxError.foreignOperator(at: range(start, index), found: "!", replacement: spaced))
        emit(.kwNot, start, index)
      }
    case UInt8(ascii: "&") where peek() == UInt8(ascii: "&"):
      index += 1
      report(SyntaxError.foreignOperator(at: range(start, index), found: "&&", replacement: "and"))
      emit(.kwAnd, start, index)
    case UInt8(ascii: "|") where peek() == UInt8(ascii: "|"):
      index += 1
      report(SyntaxError.foreignOperator(at: range(start, index), found: "||", replacement: "or"))
      emit(.kwOr, start, index)
    case UInt8(ascii: "'"):
      lexSingleQuotedString(start)
    default:
      index = start
      if c >= 0x80 {
        if nameStarts(at: index) {
          scanName()
          emit(.name, start, index)
        } else {
          skipNonASCII(reportBadCharacter: true)
          emit(.unknown, start, index)
        }
      } else {
        index += 1
        reportBadCharacterRun(from: start)
        emit(.unknown, start, index)
      }
    }
  }

  mutating func skipDigits() {
    while index < count, isDigit(buffer[index]) { index += 1 }
  }

  /// `digits (. digits)? (e [+-]? digits)? unit?` where `unit = name (/ name | ^ -? digits)*`.
  mutating func lexNumber() {
    let start = index
    var isFloat = false
    skipDigits()
    if peek() == UInt8(ascii: "."), isDigit(peek(1)) {
      isFloat = true
      index += 1
      skipDigits()
    }
    if peek() | 0x20 == UInt8(ascii: "e") {
      let sign = peek(1) == UInt8(ascii: "+") || peek(1) == UInt8(ascii: "-")
      if isDigit(peek(sign ? 2 : 1)) {
        isFloat = true
        index += sign ? 2 : 1
        skipDigits()
      } else if sign {
        // `1e-` has an exponent marker and sign but no digits: nothing sensible to recover.
        index += 2
        report(SyntaxError.malformedExponent(at: range(start, index)))
        emit(.float, start, index)
        return
      }
    }
    let unitStart = index
    guard nameStarts(at: index) else {
      emit(isFloat ? .float : .integer, start, index)
      return
    }
    scanName()
    while index < count {
      let c = buffer[index]
      if c == UInt8(ascii: "/"), nameStarts(at: index + 1) {
        index += 1
        scanName()
      } else if c == UInt8(ascii: "^") {
        let negative = peek(1) == UInt8(ascii: "-")
        if isDigit(peek(negative ? 2 : 1)) {
          index += negative ? 2 : 1
          skipDigits()
        } else {
          report(SyntaxError.malformedUnitExponent(at: range(index, index + 1)))
          // Keep what follows in the same token so the parser sees one (already reported) literal.
          index += 1
          if nameStarts(at: index) { scanName() }
        }
      } else {
        break
      }
    }
    emit(.quantity, start, index, unitStart: unitStart)
  }

  /// `'text'` is a common slip: lex it as a string (one diagnostic with a fix-it) when the
  /// closing `'` is on the same line, as a bad character otherwise.
  mutating func lexSingleQuotedString(_ start: Int) {
    var k = index
    while k < count, buffer[k] != UInt8(ascii: "'"), buffer[k] != UInt8(ascii: "\n") { k += 1 }
    guard k < count, buffer[k] == UInt8(ascii: "'") else {
      reportBadCharacterRun(from: start)
      emit(.unknown, start, index)
      return
    }
    while index < k {
      if buffer[index] < 0x80 { index += 1 } else { skipNonASCII(reportBadCharacter: false) }
    }
    index = k + 1
    report(SyntaxError.singleQuotedString(at: range(start, index)))
    emit(.string, start, index)
  }

  mutating func lexString(_ start: Int) {
    while index < count {
      let c = buffer[index]
      switch c {
      case UInt8(ascii: "\""):
        index += 1
        emit(.string, start, index)
        return
      case UInt8(ascii: "\n"):
        report(SyntaxError.unterminatedString(at: range(start, index)))
        emit(.string, start, index)
        return
      case UInt8(ascii: "\\"):
        lexEscape()
      default:
        if c < 0x80 { index += 1 } else { skipNonASCII(reportBadCharacter: false) }
      }
    }
    report(SyntaxError.unterminatedString(at: range(start, index)))
    emit(.string, start, index)
  }

  /// Validates one escape sequence starting at the backslash.
  mutating func lexEscape() {
    let start = index
    index += 1
    guard index < count else { return }
    let c = buffer[index]
    switch c {
    case UInt8(ascii: "n"), UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "\""), UInt8(ascii: "\\"),
      UInt8(ascii: "0"):
      index += 1
    case UInt8(ascii: "u"):
      index += 1
      guard peek() == UInt8(ascii: "{") else {
        report(SyntaxError.invalidUnicodeEscape(at: range(start, index), reason: "expected '{' after '\\u'"))
        return
      }
      index += 1
      var value: UInt32 = 0
      var digits = 0
      while index < count, let d = hexValue(buffer[index]) {
        if digits < 8 { value = value << 4 | d }
        digits += 1
        index += 1
      }
      guard peek() == UInt8(ascii: "}") else {
        report(SyntaxError.invalidUnicodeEscape(at: range(start, index), reason: "expected '}' to end '\\u{'"))
        return
      }
      index += 1
      if digits == 0 || digits > 8 {
        report(SyntaxError.invalidUnicodeEscape(at: range(start, index), reason: "expected 1 to 8 hex digits"))
      } else if Unicode.Scalar(value) == nil {
        report(SyntaxError.invalidUnicodeEscape(
          at: range(start, index), reason: "U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar"))
      }
    case UInt8(ascii: "\n"):
      report(SyntaxError.invalidEscape(at: range(start, index), text: "\\"))
    default:
      let length = c < 0x80 ? 1 : (scalarLength(at: index)?.length ?? 1)
      index += length
      report(SyntaxError.invalidEscape(at: range(start, index), text: characterText(start, index)))
    }
  }

  func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}

extension Lexer {
  /// The value of a string token's contents with escapes decoded. Escapes the lexer
  /// reported as invalid are kept verbatim, and a missing closing quote is tolerated.
  public static func decodeString(_ token: Token, in file: SourceFile) -> String {
    decodeString(range: token.range, in: file)
  }

  static func decodeString(range: SourceRange, in file: SourceFile) -> String {
    let bytes = file.bytes
    guard range.start < bytes.count else { return "" }
    let quote = bytes[range.start]
    var k = range.start + 1
    var end = min(range.end, bytes.count)
    if end > k, bytes[end - 1] == quote { end -= 1 }
    var out: [UInt8] = []
    out.reserveCapacity(max(0, end - k))
    while k < end {
      let c = bytes[k]
      guard c == UInt8(ascii: "\\"), k + 1 < end else {
        out.append(c)
        k += 1
        continue
      }
      let e = bytes[k + 1]
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A); k += 2
      case UInt8(ascii: "t"): out.append(0x09); k += 2
      case UInt8(ascii: "r"): out.append(0x0D); k += 2
      case UInt8(ascii: "0"): out.append(0x00); k += 2
      case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e); k += 2
      case UInt8(ascii: "u") where k + 2 < end && bytes[k + 2] == UInt8(ascii: "{"):
        var j = k + 3
        var value: UInt32 = 0
        var digits = 0
        while j < end, let d = hexDigit(bytes[j]), digits < 8 {
          value = value << 4 | d
          digits += 1
          j += 1
        }
        if j < end, bytes[j] == UInt8(ascii: "}"), digits > 0, let scalar = Unicode.Scalar(value) {
          out.append(contentsOf: Array(String(Character(scalar)).utf8))
          k = j + 1
        } else {
          out.append(c)
          k += 1
        }
      default:
        out.append(c)
        k += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func hexDigit(_ c: UInt8) -> UInt32? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}
