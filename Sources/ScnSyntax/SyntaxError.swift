import ScnSource

/// The catalog of lexical (E0001–E0099) and syntax (E0100–E0199) diagnostics. Codes are
/// stable; keep the cases in code order and never reuse a retired code.
public enum SyntaxError {
  // MARK: Lexical

  /// E0001
  static func unexpectedCharacter(at range: SourceRange, text: String) -> Diagnostic {
    var fixIts: [FixIt] = []
    var notes: [Note] = []
    if text.unicodeScalars.first?.value == 0xB0 {
      notes.append(Note("write degrees as a unit suffix, like '90deg'"))
      fixIts.append(.replace(range, with: "deg", "use the 'deg' unit"))
    }
    return .error(DiagnosticCode("E0001"), "unexpected character '\(text)'", at: range, notes: notes, fixIts: fixIts)
  }

  /// E0002
  static func invalidUTF8(at range: SourceRange) -> Diagnostic {
    let n = range.length
    return .error(DiagnosticCode("E0002"), "invalid UTF-8 (\(n) byte\(n == 1 ? "" : "s"))", at: range)
  }

  /// E0003
  static func unterminatedString(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0003"), "unterminated string literal; expected '\"' before the end of the line",
           at: SourceRange(file: range.file, start: range.start, end: range.start + 1),
           fixIts: [.insert("\"", at: range.end, in: range.file, "close the string")])
  }

  /// E0004
  static func invalidEscape(at range: SourceRange, text: String) -> Diagnostic {
    .error(DiagnosticCode("E0004"), "invalid escape sequence '\(text)' in string",
           at: range, notes: [Note("valid escapes are \\n \\t \\r \\0 \\\" \\\\ and \\u{…}")])
  }

  /// E0005
  static func invalidUnicodeEscape(at range: SourceRange, reason: String) -> Diagnostic {
    .error(DiagnosticCode("E0005"), "invalid Unicode escape: \(reason)", at: range)
  }

  /// E0006
  static func unterminatedBlockComment(at opener: SourceRange, endOfFile: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0006"), "unterminated block comment; expected '*/' before the end of the file",
           at: opener, fixIts: [.insert("*/", at: endOfFile.start, in: endOfFile.file, "close the comment")])
  }

  /// E0007
  static func malformedExponent(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0007"), "expected digits after the exponent sign in a number like '1e-3'", at: range)
  }

  /// E0008
  static func malformedUnitExponent(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0008"), "expected an integer exponent after '^' in a unit, like 'm/s^2'", at: range)
  }

  /// E0009
  static func foreignOperator(at range: SourceRange, found: String, replacement: String) -> Diagnostic {
    let word = replacement.filter { $0 != " " }
    return .error(DiagnosticCode("E0009"), "scn spells '\(found)' as '\(word)'", at: range,
                  fixIts: [.replace(range, with: replacement, "replace '\(found)' with '\(word)'")])
  }

  /// E0010
  static func hashComment(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0010"), "'#' does not start a comment; use '//'", at: range,
           fixIts: [.replace(range, with: "//", "use a line comment")])
  }

  /// E0011
  static func singleQuotedString(at range: SourceRange) -> Diagnostic {
    let open = SourceRange(file: range.file, start: range.start, end: range.start + 1)
    let close = SourceRange(file: range.file, start: range.end - 1, end: range.end)
    return .error(DiagnosticCode("E0011"), "string literals use double quotes", at: range,
                  fixIts: [FixIt("use double quotes", edits: [TextEdit(range: open, replacement: "\""),
                                                              TextEdit(range: close, replacement: "\"")])])
  }

  /// E0099
  static func tooManyLexicalErrors(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0099"), "too many lexical errors; the rest of the file is not reported", at: range)
  }

  // MARK: Syntax

  /// E0100
  static func expectedExpression(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0100"), "expected expression, found \(found)", at: range)
  }

  /// E0101
  static func expected(_ what: String, found: String, at range: SourceRange, notes: [Note] = [],
                       fixIts: [FixIt] = []) -> Diagnostic {
    .error(DiagnosticCode("E0101"), "expected \(what), found \(found)", at: range, notes: notes, fixIts: fixIts)
  }

  /// E0102
  static func unclosedDelimiter(closer: String, opener: String, openerRange: SourceRange, openerLocation: String,
                                found: String, at range: SourceRange, insertAt: Int) -> Diagnostic {
    .error(DiagnosticCode("E0102"), "expected '\(closer)' to close '\(opener)' at \(openerLocation), found \(found)",
           at: range, notes: [Note("'\(opener)' opened here", at: openerRange)],
           fixIts: [.insert(closer, at: insertAt, in: range.file, "insert '\(closer)'")])
  }

  /// E0103
  static func unmatchedCloser(_ closer: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0103"), "unexpected '\(closer)' with no matching opener", at: range,
           fixIts: [.replace(range, with: "", "remove '\(closer)'")])
  }

  /// E0104
  static func expectedDeclaration(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0104"), "expected a declaration (import, const, enum, actor, sensor, fn, native, "
           + "behavior, scenario, dimension, unit, type), found \(found)", at: range)
  }

  /// E0105
  static func letAtTopLevel(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0105"), "'let' is not allowed at top level; use 'const'", at: range,
           fixIts: [.replace(range, with: "const", "replace 'let' with 'const'")])
  }

  /// E0106
  static func expectedStatement(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0106"), "expected a scenario statement (param, let, ego, require, terminate, "
           + "environment, sensor, simulate, cover, allow, include) or an expression, found \(found)", at: range)
  }

  /// E0107
  static func assignmentInCondition(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0107"), "'=' is not a comparison; use '==' to compare", at: range,
           fixIts: [.replace(range, with: "==", "replace '=' with '=='")])
  }

  /// E0108
  static func colonEqual(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0108"), "':=' is not an scn operator; bindings use '='", at: range,
           fixIts: [.replace(range, with: "=", "replace ':=' with '='")])
  }

  /// E0109
  static func missingArrow(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0109"), "expected '->' before the return type, found \(found)", at: range,
           fixIts: [.insert("-> ", at: range.start, in: range.file, "insert '->'")])
  }

  /// E0110
  static func nestingTooDeep(limit: Int, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0110"), "expressions nest more than \(limit) levels deep; the rest of the file is skipped",
           at: range)
  }

  /// E0111
  static func expectedName(_ what: String, found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0111"), "expected \(what), found \(found)", at: range)
  }

  /// E0112
  static func expectedStatementEnd(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0112"), "expected newline or ';' after the statement, found \(found)", at: range)
  }

  /// E0113
  static func expectedBehaviorStatement(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0113"), "expected a behavior statement (wait, do, either, if, while, for, var, try, terminate, require), found \(found)", at: range)
  }

  /// E0114
  static func discardAsValue(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0114"), "'_' discards a value and cannot be used as one", at: range)
  }

  /// E0115
  static func unaryPlus(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0115"), "scn has no unary '+'", at: range,
           fixIts: [.replace(range, with: "", "remove '+'")])
  }

  /// E0116
  static func nativeWithBody(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0116"), "a native function has no body; it is implemented in Swift", at: range)
  }

  /// E0117
  static func functionWithoutBody(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0117"), "expected '=' and the function body, found \(found)", at: range,
           notes: [Note("a function implemented in Swift is declared 'native fn'")])
  }

  /// E0118
  static func expectedType(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0118"), "expected a type, found \(found)", at: range)
  }

  /// E0119
  static func dimensionOutsideTypeDecl(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0119"),
           "dimension expressions are only allowed in 'type' declarations; name the type with 'type X = …'",
           at: range)
  }

  /// E0120
  static func eitherNeedsTwoBranches(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0120"), "'either' needs at least two branches; add 'or { … }'", at: range)
  }

  /// E0121
  static func danglingAnnotation(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0121"), "an annotation must be followed by a declaration, statement or field, found \(found)",
           at: range)
  }

  /// E0122
  static func keywordAsName(_ keyword: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0122"), "'\(keyword)' is a reserved word and cannot be used as a name", at: range)
  }

  /// E0123
  static func chainedRange(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0123"), "ranges do not chain; parenthesise one of them", at: range)
  }

  /// E0124
  static func recordFieldEquals(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0124"), "record fields are written 'name: value'", at: range,
           fixIts: [.replace(range, with: ":", "replace '=' with ':'")])
  }

  /// E0125
  static func topLevelOnly(_ keyword: String, at range: SourceRange) -> Diagnostic {
    let fix: [FixIt] = keyword == "const" ? [.replace(range, with: "let", "replace 'const' with 'let'")] : []
    return .error(DiagnosticCode("E0125"), "'\(keyword)' declarations are only allowed at top level"
                  + (keyword == "const" ? "; use 'let' inside a scenario" : ""), at: range, fixIts: fix)
  }

  /// E0126
  static func scenarioOnly(_ keyword: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0126"), "'\(keyword)' is a scenario statement; put it inside 'scenario Name { … }'",
           at: range)
  }

  /// E0127
  static func expectedSpecifierWord(after word: String, expected: String, found: String,
                                    at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0127"), "expected '\(expected)' after '\(word)', found \(found)", at: range)
  }

  /// E0128
  static func specifierWithoutActor(_ word: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0128"), "specifier '\(word)' must follow an actor constructor such as 'Car'", at: range)
  }

  /// E0129
  static func leadingOperator(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0129"), "a statement cannot start with an operator", at: range,
           notes: [Note("a newline ends the statement before it; move the operator to the end of the previous line")])
  }

  /// E0130
  static func emptyBlockForm(_ what: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0130"), "'\(what)' needs at least one entry", at: range)
  }

  /// E0131
  static func missingSeparator(closer: String, opener: String, openerRange: SourceRange, openerLocation: String,
                               found: String, at range: SourceRange, insertAt: Int) -> Diagnostic {
    .error(DiagnosticCode("E0131"), "expected ',' or '\(closer)' in the list opened at \(openerLocation), found \(found)",
           at: range, notes: [Note("'\(opener)' opened here", at: openerRange)],
           fixIts: [.insert(",", at: insertAt, in: range.file, "insert ','")])
  }

  /// E0132
  static func tryWithoutInterrupt(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0132"), "'try' needs at least one 'interrupt when c { … }' handler after its block",
           at: range)
  }

  /// E0135
  static func monitorWithActor(at range: SourceRange, monitor: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0135"), "a monitor runs without an actor, so it takes no 'for Type'", at: range,
           notes: [Note("declared as a monitor here; use 'behavior' for one that runs on an actor", at: monitor)])
  }

  /// E0141
  static func nestedSetup(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0141"), "'setup' blocks do not nest: a scenario has one setup, its body", at: range,
           notes: [Note("move these statements into the enclosing block")])
  }

  /// E0160
  static func scenarioIfCondition(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0160"), "a scenario body's only conditional statement is 'if initial scenario { … } else { … }'",
           at: range,
           notes: [Note("a scenario's statements always run; choose values with 'if c then a else b', or put "
                          + "alternatives in scenarios picked by 'include … weight' or 'do choose'")])
  }

  /// E0161
  static func nestedInitialScenario(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0161"), "'if initial scenario' blocks do not nest", at: range,
           notes: [Note("the condition is the same inside: move these statements into the enclosing block")])
  }

  static func composeInInitialScenario(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0161"), "'compose' cannot be inside 'if initial scenario { … }'", at: range,
           notes: [Note("a scenario runs the same sub-scenarios however it is run: put 'compose' in the scenario's body")])
  }

  /// E0143
  static func notAComposeStep(found: String, at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0143"), "a 'compose' block holds only 'do' steps that run sub-scenarios and 'wait' steps; found \(found)",
           at: range,
           notes: [Note("put the scenario's own statements in its body or 'setup { … }', and declarations at top level")])
  }

  /// E0133
  static func elseWithoutIf(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0133"), "'else' must follow the closing '}' of an 'if' block", at: range)
  }

  /// E0134
  static func weightInShuffle(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0134"), "'do shuffle' runs every entry once and takes no weights", at: range,
           notes: [Note("'do choose { w: A(), … }' picks one entry by weight")])
  }

  /// E0158
  static func overrideWithoutItems(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0158"), "'override' needs at least one 'with': the fields or the behavior it changes", at: range,
           notes: [Note("for example 'override ego with behavior Brake()' or 'override ego with limit 5m/s'")],
           fixIts: [.insert(" with behavior none", at: range.end, in: range.file, "override the behavior")])
  }

  /// E0199
  static func tooManyErrors(at range: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0199"), "too many syntax errors; the rest of the file is not checked", at: range)
  }
}
