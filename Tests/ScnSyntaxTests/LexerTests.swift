import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

@Suite struct LexerTests {
  /// `kind:text` for every token but `.eof`, quantities as `number|unit`.
  func describe(_ text: String) -> [String] {
    let (toks, _, file) = tokens(text)
    return toks.dropLast().map { t in
      if t.kind == .quantity { return "q:\(file.text(of: t.numberRange))|\(file.text(of: t.unitRange))" }
      return "\(t.kind):\(t.text(in: file))"
    }
  }

  @Test(arguments: [
    ("3m", ["q:3|m"]),
    ("2.5m/s", ["q:2.5|m/s"]),
    ("9.81m/s^2", ["q:9.81|m/s^2"]),
    ("30km/h", ["q:30|km/h"]),
    ("1e3m", ["q:1e3|m"]),
    ("500ms", ["q:500|ms"]),
    ("10s^-1", ["q:10|s^-1"]),
    ("400lx", ["q:400|lx"]),
    ("90deg", ["q:90|deg"]),
    ("1e-3", ["float:1e-3"]),
    ("2E+5", ["float:2E+5"]),
    ("42", ["integer:42"]),
    ("3.5", ["float:3.5"]),
    ("0.5m*i", ["q:0.5|m", "star:*", "name:i"]),
    ("6m/gap", ["q:6|m/gap"]),
    ("6m / gap", ["q:6|m", "slash:/", "name:gap"]),
    ("3m/2", ["q:3|m", "slash:/", "integer:2"]),
    ("0..<n", ["integer:0", "dotDotLess:..<", "name:n"]),
    ("a..b", ["name:a", "dotDot:..", "name:b"]),
    ("1..5", ["integer:1", "dotDot:..", "integer:5"]),
    ("3em", ["q:3|em"]),
    ("5µs", ["q:5|µs"]),
    ("x -1m", ["name:x", "minus:-", "q:1|m"]),
  ])
  func numbersAndQuantities(source: String, expected: [String]) {
    #expect(describe(source) == expected)
    #expect(tokens(source).diagnostics.isEmpty)
  }

  @Test func unitFactorsSplitOnSlashAndCaret() {
    let p = parse("const a = 9.81m/s^2\nconst b = 1kg*m/s/s")
    guard case .const(_, _, let value) = p.ast.declarations[0].kind, case .quantity(let n, let unit) = value.kind else {
      Issue.record("not a quantity")
      return
    }
    #expect(n == "9.81")
    #expect(unit.factors.map { "\($0.name)^\($0.exponent)" } == ["m^1", "s^-2"])
    // `*` is not part of a unit suffix, so `1kg*m/s/s` is arithmetic on names after `1kg`.
    #expect(p.dump.hasSuffix("(Const b = (Binary / (Binary / (Binary * (Quantity 1 kg) (Name m)) (Name s)) (Name s)))\n"))
    #expect(p.diagnostics.isEmpty)
  }

  @Test func keywordsAndContextualWords() {
    let (toks, _, _) = tokens("scenario left of by x.left from range")
    #expect(toks[0].kind == .kwScenario)
    #expect(toks[1].kind == .name && toks[1].contextual == .left)
    #expect(toks[2].contextual == .of)
    #expect(toks[3].contextual == .by)
    #expect(toks[6].kind == .name && toks[6].contextual == .left)
    // `from` is contextual since `angle from P to Q`; still a `.name` token everywhere else.
    #expect(toks[7].kind == .name && toks[7].contextual == .from)
    #expect(toks[8].kind == .name && toks[8].contextual == ContextualKeyword.none)
    for kind in TokenKind.allCases where kind.isKeyword {
      #expect(tokens(kind.spelling).tokens[0].kind == kind, "\(kind)")
    }
    #expect(tokens("scenarios").tokens[0].kind == .name)
  }

  @Test func commentsAreTriviaOnTheNextToken() {
    let (toks, diagnostics, file) = tokens("a // one\n\n\n/* two /* nested */ */ /// doc\nb /* end */")
    #expect(diagnostics.isEmpty)
    #expect(toks.count == 3)
    let b = toks[1]
    #expect(b.newlineBefore)
    let trivia = b.leadingTrivia
    #expect(trivia.map(\.kind) == [.lineComment, .newlines, .blockComment, .docComment, .newlines])
    #expect(trivia[1].count == 3)
    #expect(file.text(of: trivia[1].range) == "\n\n\n")
    #expect(file.text(of: trivia[2].range) == "/* two /* nested */ */")
    #expect(file.text(of: trivia[4].range) == "\n")
    #expect(b.documentation(in: file) == "doc")
    #expect(toks[2].kind == .eof)
    #expect(toks[2].leadingTrivia.map(\.kind) == [.blockComment])
    #expect(toks[0].leadingTrivia.isEmpty)
  }

  @Test func blankLinesAndNewlines() {
    let (toks, _, _) = tokens("a\nb\n\n\nc d")
    #expect(toks.map(\.newlineBefore) == [true, true, true, false, false])
    #expect(toks.map(\.blankLinesBefore) == [0, 0, 2, 0, 0])
    #expect(toks.allSatisfy { $0.leadingTrivia.isEmpty })
  }

  @Test func stringsAndEscapes() {
    let p = parse(#"const s = "a\n\t\"\\\u{1F600}é""#)
    #expect(p.diagnostics.isEmpty)
    #expect(p.dump == "(Const s = (String \"a\\n\\t\\\"\\\\😀é\"))\n")
    let bad = tokens(#""bad \q escape" "\u{110000}" "\u{}" "\u00""#)
    #expect(bad.diagnostics.map(\.code.rawValue) == ["E0004", "E0005", "E0005", "E0005"])
    #expect(bad.tokens.filter { $0.kind == .string }.count == 4)
  }

  @Test func unterminatedStringStopsAtEndOfLine() {
    let (toks, diagnostics, _) = tokens("\"abc\nx")
    #expect(diagnostics.map(\.code.rawValue) == ["E0003"])
    #expect(toks.map(\.kind) == [.string, .name, .eof])
  }

  @Test func invalidUTF8IsReportedOncePerRun() {
    let bytes: [UInt8] = Array("a ".utf8) + [0xFF, 0xFE, 0xC0] + Array(" b ".utf8) + [0xE2, 0x28] + Array(" // \u{00}".utf8)
      + [0x80]
    let file = SourceFile(id: FileID(0), path: "t.scn", bytes: bytes)
    let (toks, diagnostics) = Lexer.tokenize(file)
    #expect(diagnostics.map(\.code.rawValue) == ["E0002", "E0002", "E0002"])
    #expect(diagnostics[0].range.length == 3)
    #expect(toks.filter { $0.kind == .name }.count == 2)
  }

  @Test func badCharactersAreReportedOncePerRun() {
    let (toks, diagnostics, _) = tokens("a $$? b ° c")
    #expect(diagnostics.map(\.code.rawValue) == ["E0001", "E0001"])
    #expect(diagnostics[0].message == "unexpected character '$$?'")
    #expect(toks.filter { $0.kind == .name }.count == 3)
  }

  @Test func foreignOperatorsGetFixIts() {
    let (toks, diagnostics, _) = tokens("a && b || !c")
    #expect(diagnostics.map(\.code.rawValue) == ["E0009", "E0009", "E0009"])
    #expect(toks.map(\.kind).prefix(6) == [.name, .kwAnd, .name, .kwOr, .kwNot, .name])
    #expect(diagnostics[0].fixIts.first?.edits.first?.replacement == "and")
  }

  @Test func unterminatedBlockCommentAtEndOfFile() {
    let (toks, diagnostics, _) = tokens("a /* b /* c */")
    #expect(diagnostics.map(\.code.rawValue) == ["E0006"])
    #expect(diagnostics[0].range.start == 2)
    #expect(toks.last?.kind == .eof)
  }

  @Test func exactRangesAndBOM() {
    let (toks, _, file) = tokens("\u{FEFF}let é_x = 1")
    #expect(toks[0].range.start == 3)
    #expect(toks[1].text(in: file) == "é_x")
    #expect(toks[1].range.length == 4)
    #expect(toks[3].range == SourceRange(file: FileID(0), start: 14, end: 15))
  }

  @Test func malformedExponentsAreReported() {
    #expect(tokens("1e-").diagnostics.map(\.code.rawValue) == ["E0007"])
    #expect(tokens("3m^x").diagnostics.map(\.code.rawValue) == ["E0008"])
  }
}

@Suite struct TokenCoverageTests {
  /// The formatter relies on this: every byte that is not whitespace belongs to exactly one
  /// token or one comment, in order, so nothing in the source can be lost by re-printing.
  @Test(arguments: GoldenTests.inputNames())
  func tokensAndCommentsCoverEveryNonSpaceByte(name: String) throws {
    let bytes = try [UInt8](Data(contentsOf: GoldenTests.inputs.appendingPathComponent(name)))
    let file = SourceFile(id: FileID(0), path: name, bytes: bytes)
    let (tokens, _) = Lexer.tokenize(file)
    var covered = [Bool](repeating: false, count: bytes.count)
    var last = -1
    for t in tokens {
      for piece in t.leadingTrivia where piece.kind != .newlines {
        #expect(piece.range.start >= last)
        for k in piece.range.start..<piece.range.end { covered[k] = true }
        last = piece.range.end
      }
      #expect(t.range.start >= last, "tokens overlap in \(name)")
      for k in t.range.start..<t.range.end { covered[k] = true }
      last = t.range.end
    }
    let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    for k in bom..<bytes.count where !covered[k] {
      #expect([0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(bytes[k]), "byte \(k) of \(name) is lost")
    }
  }
}
