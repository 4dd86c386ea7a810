/// What a token is. Reserved words get their own kinds; words that are keywords only in
/// some positions (`ahead`, `of`, `buckets`, …) lex as `.name` and carry a
/// `ContextualKeyword` instead, so `x.left` or an argument `from:` stay ordinary names.
public enum TokenKind: UInt8, Sendable, Hashable, CaseIterable {
  case eof
  case name
  /// `42`: digits only.
  case integer
  /// `3.5`, `1e-3`: digits with a fraction or an exponent.
  case float
  /// `3m`, `9.81m/s^2`: a number glued to a unit suffix; `Token.unitStart` splits the two.
  case quantity
  /// `"text"`, including the quotes; escapes are validated by the lexer, decoded by the parser.
  case string
  /// Bytes the lexer rejected (bad characters, invalid UTF-8). Already reported; the parser
  /// skips them without another diagnostic.
  case unknown

  // Punctuation.
  case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
  case comma, colon, semicolon, dot, dotDot, dotDotLess
  case plus, minus, star, slash, percent, caret
  case equal, equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
  case arrow, atSign
  /// `:=`, lexed whole so the parser can offer a precise fix-it to `=`.
  case colonEqual

  // Reserved words: declarations.
  case kwImport, kwConst, kwEnum, kwActor, kwSensor, kwFn, kwNative, kwBehavior, kwScenario
  case kwDimension, kwUnit, kwType
  // Reserved words: statements.
  case kwParam, kwLet, kwEgo, kwRequire, kwTerminate, kwEnvironment, kwSimulate, kwCover
  case kwAllow, kwInclude, kwWait, kwDo, kwEither
  // Reserved words: expressions and specifiers.
  case kwIn, kwFor, kwIf, kwAnd, kwOr, kwNot, kwChoice, kwAt, kwOn, kwWithin, kwFacing, kwWith
  case kwTrue, kwFalse, kwSelf

  /// True for every reserved word.
  public var isKeyword: Bool { rawValue >= TokenKind.kwImport.rawValue }

  /// How the token is named in diagnostics ("')'", "'scenario'", "name").
  public var displayName: String {
    switch self {
    case .eof: "end of file"
    case .name: "name"
    case .integer: "integer"
    case .float: "number"
    case .quantity: "quantity"
    case .string: "string"
    case .unknown: "invalid character"
    default: "'\(spelling)'"
    }
  }

  /// The fixed source text of punctuation and keywords (empty for names and literals).
  public var spelling: String {
    switch self {
    case .eof, .name, .integer, .float, .quantity, .string, .unknown: ""
    case .leftParen: "("
    case .rightParen: ")"
    case .leftBracket: "["
    case .rightBracket: "]"
    case .leftBrace: "{"
    case .rightBrace: "}"
    case .comma: ","
    case .colon: ":"
    case .semicolon: ";"
    case .dot: "."
    case .dotDot: ".."
    case .dotDotLess: "..<"
    case .plus: "+"
    case .minus: "-"
    case .star: "*"
    case .slash: "/"
    case .percent: "%"
    case .caret: "^"
    case .equal: "="
    case .equalEqual: "=="
    case .bangEqual: "!="
    case .less: "<"
    case .lessEqual: "<="
    case .greater: ">"
    case .greaterEqual: ">="
    case .arrow: "->"
    case .atSign: "@"
    case .colonEqual: ":="
    case .kwImport: "import"
    case .kwConst: "const"
    case .kwEnum: "enum"
    case .kwActor: "actor"
    case .kwSensor: "sensor"
    case .kwFn: "fn"
    case .kwNative: "native"
    case .kwBehavior: "behavior"
    case .kwScenario: "scenario"
    case .kwDimension: "dimension"
    case .kwUnit: "unit"
    case .kwType: "type"
    case .kwParam: "param"
    case .kwLet: "let"
    case .kwEgo: "ego"
    case .kwRequire: "require"
    case .kwTerminate: "terminate"
    case .kwEnvironment: "environment"
    case .kwSimulate: "simulate"
    case .kwCover: "cover"
    case .kwAllow: "allow"
    case .kwInclude: "include"
    case .kwWait: "wait"
    case .kwDo: "do"
    case .kwEither: "either"
    case .kwIn: "in"
    case .kwFor: "for"
    case .kwIf: "if"
    case .kwAnd: "and"
    case .kwOr: "or"
    case .kwNot: "not"
    case .kwChoice: "choice"
    case .kwAt: "at"
    case .kwOn: "on"
    case .kwWithin: "within"
    case .kwFacing: "facing"
    case .kwWith: "with"
    case .kwTrue: "true"
    case .kwFalse: "false"
    case .kwSelf: "self"
    }
  }

  /// Tokens after which an expression cannot end, so a following newline is not a
  /// statement break (binary operators, `,`, `=`, `:`, `->`, `..`, `..<`, `.`, `not`).
  public var continuesLine: Bool {
    switch self {
    case .plus, .minus, .star, .slash, .percent, .caret, .comma, .equal, .colon, .colonEqual, .arrow,
      .dotDot, .dotDotLess, .dot, .kwNot, .kwAnd, .kwOr, .equalEqual, .bangEqual, .less, .lessEqual,
      .greater, .greaterEqual, .kwIn, .atSign:
      true
    default: false
    }
  }
}

/// Words that are keywords only where the grammar expects them. They lex as `.name`.
public enum ContextualKeyword: UInt8, Sendable, Hashable, CaseIterable {
  case none
  case action, extends, when, until
  case toward, ahead, behind, left, right, of, by
  case buckets, weight, overlap, always, eventually
  case all, any
  case then, `else`
  case offset, along, beyond, above, below, away, from, directly, apparently
  case relative, apparent, heading, angle, distance, past, to, front, back, top, bottom
  /// Regions and visibility (issue 15): `visible from`, `contained in`, `can see`, `workspace`.
  case visible, contained, can, see, workspace
  /// Heading fields (docs/language-tour.md, "Heading fields"): `following F from P for D`.
  case following
  /// Behavior control flow and monitors (docs/language-tour.md, "Behaviors").
  case `while`, `var`, `try`, interrupt, choose, shuffle, precondition, invariant, monitor
  /// `material Name : Base { … }` (docs/scene-model.md, "Materials").
  case material
  case `break`, `continue`, `return`, abort
  /// Modular scenarios (docs/language-tour.md, "Composition"): `setup { … }`,
  /// `terminate after T`, and `compose { do … }`, which runs sub-scenarios.
  case setup, compose, after
  /// `terminate simulation when c`: Scenic's spelling of a scenario's `terminate when c`.
  case simulation
  /// `require c as name`: a named requirement (Scenic's spelling).
  case `as`
  /// `record [initial|final] e as name` and `override X with f v` (docs/language-tour.md,
  /// "Recording values" and "Overrides").
  case record, initial, final, override

  public var spelling: String {
    switch self {
    case .none: ""
    case .action: "action"
    case .extends: "extends"
    case .when: "when"
    case .until: "until"
    case .toward: "toward"
    case .ahead: "ahead"
    case .behind: "behind"
    case .left: "left"
    case .right: "right"
    case .of: "of"
    case .by: "by"
    case .buckets: "buckets"
    case .weight: "weight"
    case .overlap: "overlap"
    case .always: "always"
    case .eventually: "eventually"
    case .all: "all"
    case .any: "any"
    case .then: "then"
    case .else: "else"
    case .offset: "offset"
    case .along: "along"
    case .beyond: "beyond"
    case .above: "above"
    case .below: "below"
    case .away: "away"
    case .from: "from"
    case .directly: "directly"
    case .apparently: "apparently"
    case .relative: "relative"
    case .apparent: "apparent"
    case .heading: "heading"
    case .angle: "angle"
    case .distance: "distance"
    case .past: "past"
    case .to: "to"
    case .front: "front"
    case .back: "back"
    case .top: "top"
    case .bottom: "bottom"
    case .visible: "visible"
    case .contained: "contained"
    case .can: "can"
    case .see: "see"
    case .workspace: "workspace"
    case .following: "following"
    case .while: "while"
    case .var: "var"
    case .try: "try"
    case .interrupt: "interrupt"
    case .choose: "choose"
    case .shuffle: "shuffle"
    case .precondition: "precondition"
    case .invariant: "invariant"
    case .monitor: "monitor"
    case .material: "material"
    case .break: "break"
    case .continue: "continue"
    case .return: "return"
    case .abort: "abort"
    case .setup: "setup"
    case .compose: "compose"
    case .after: "after"
    case .simulation: "simulation"
    case .as: "as"
    case .record: "record"
    case .initial: "initial"
    case .final: "final"
    case .override: "override"
    }
  }
}
