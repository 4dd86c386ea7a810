import ScnSource

/// Expressions: Pratt parsing over the precedence table in `Grammar/scn.ebnf`.
extension ParserState {
  func missingExpr() -> Expr { Expr(.missing, range: point(token.range.start)) }

  func parseStandaloneExpression() -> Expr {
    let e = parseExpr()
    if !isAtEnd {
      report(SyntaxError.expectedStatementEnd(found: describe(token), at: token.range))
    }
    return e
  }

  /// An expression whose operators all bind at least as tightly as `minimum`.
  func parseExpr(_ minimum: Precedence = .or) -> Expr {
    guard enterNesting() else { return missingExpr() }
    // Every operator of a left-associative chain (`1 + 1 + …`, `a < b < …`) adds one level
    // to the tree, so it counts towards the nesting limit like a bracket: later stages
    // (checking, lowering, hashing, evaluation, freeing) recurse once per level.
    var links = 1
    defer { depth -= links }
    let start = token.range.start
    var lhs = parsePrefix(minimum)
    while !lineBreakHere {
      let k = kind
      if let op = binaryOperator(k) {
        let precedence: Precedence = op == .or ? .or : op == .and ? .and : (op == .add || op == .subtract)
          ? .additive : .multiplicative
        guard precedence >= minimum else { break }
        links += 1
        guard enterNesting() else { break }
        advance()
        let next = Precedence(rawValue: precedence.rawValue + 1) ?? .prefix
        let rhs = parseExpr(next)
        lhs = Expr(.binary(op, lhs, rhs), range: range(from: start))
      } else if isComparisonStart {
        guard minimum <= .comparison else { break }
        var comparisonLinks: [ComparisonLink] = []
        while !lineBreakHere, let (op, opRange) = eatComparisonOperator() {
          links += 1
          guard enterNesting() else { break }
          comparisonLinks.append(ComparisonLink(op: op, operatorRange: opRange, rhs: parseExpr(.range)))
        }
        lhs = Expr(.comparison(lhs, comparisonLinks), range: range(from: start))
      } else if token.isContextual(.can), peek(1).isContextual(.see), !peek(1).newlineBefore {
        // `X can see Y`, at the level of a comparison.
        guard minimum <= .comparison else { break }
        links += 1
        guard enterNesting() else { break }
        advance()
        advance()
        let rhs = parseExpr(.range)
        lhs = Expr(.spatial(.canSee, operands: [lhs, rhs]), range: range(from: start))
      } else if token.isContextual(.relative), peek(1).isContextual(.to), !peek(1).newlineBefore {
        // `A relative to B`, at the level of `+`.
        guard minimum <= .additive else { break }
        links += 1
        guard enterNesting() else { break }
        advance()
        advance()
        let rhs = parseExpr(.multiplicative)
        lhs = Expr(.spatial(.relativeTo, operands: [lhs, rhs]), range: range(from: start))
      } else if k == .dotDot || k == .dotDotLess {
        guard minimum <= .range else { break }
        advance()
        let rhs = parseExpr(.additive)
        lhs = Expr(.range(lhs, rhs, halfOpen: k == .dotDotLess), range: range(from: start))
        if !lineBreakHere, kind == .dotDot || kind == .dotDotLess {
          report(SyntaxError.chainedRange(at: token.range))
        }
      } else {
        break
      }
    }
    return lhs
  }

  func binaryOperator(_ k: TokenKind) -> BinaryOperator? {
    switch k {
    case .kwOr: .or
    case .kwAnd: .and
    case .plus: .add
    case .minus: .subtract
    case .star: .multiply
    case .slash: .divide
    case .percent: .remainder
    default: nil
    }
  }

  var isComparisonStart: Bool {
    switch kind {
    case .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .kwIn: return true
    case .kwNot: return peek(1).kind == .kwIn
    case .equal: return inCondition
    default: return false
    }
  }

  func eatComparisonOperator() -> (ComparisonOperator, SourceRange)? {
    let t = token
    let op: ComparisonOperator
    switch t.kind {
    case .equalEqual: op = .equal
    case .bangEqual: op = .notEqual
    case .less: op = .less
    case .lessEqual: op = .lessEqual
    case .greater: op = .greater
    case .greaterEqual: op = .greaterEqual
    case .kwIn: op = .in
    case .kwNot where peek(1).kind == .kwIn:
      advance()
      let inToken = advance()
      return (.notIn, t.range.union(inToken.range))
    case .equal where inCondition:
      report(SyntaxError.assignmentInCondition(at: t.range))
      op = .equal
    default: return nil
    }
    advance()
    return (op, t.range)
  }

  /// Prefix operators, quantifiers, then a postfix expression.
  func parsePrefix(_ minimum: Precedence) -> Expr {
    let start = token.range.start
    switch kind {
    case .kwNot where peek(1).isContextual(.visible) && startsVisibleRegion(at: 2):
      // `not visible R`: the part of R outside ego's view (not `not visible(x, from: c)`).
      advance()
      advance()
      let operand = parseWordOperand()
      return Expr(.spatial(.notVisibleRegion, operands: [operand]), range: range(from: start))
    case .kwNot where peek(1).kind != .kwIn:
      advance()
      // At statement level `not a == b` negates the comparison; deeper (`x == not y`) it
      // takes the tightest sensible operand.
      let operand = parseExpr(minimum <= .not ? .not : .range)
      return Expr(.unary(.not, operand), range: range(from: start))
    case .minus:
      advance()
      let operand = parseExpr(.prefix)
      return Expr(.unary(.negate, operand), range: range(from: start))
    case .plus:
      let t = advance()
      report(SyntaxError.unaryPlus(at: t.range))
      return parseExpr(.prefix)
    case .name where (token.contextual == .all || token.contextual == .any) && peek(1).kind == .name
      && peek(2).kind == .kwIn:
      return parseQuantifier()
    case .kwIf:
      return parseConditional()
    default:
      return parsePostfix()
    }
  }

  func parseQuantifier() -> Expr {
    let start = token.range.start
    let quantifier: Quantifier = advance().contextual == .all ? .all : .any
    let binder = expectBinder()
    advance()  // `in`, checked by the caller
    let sequence = parseExpr(.range)
    expect(.colon, "after the quantifier's sequence ('all x in xs: body')")
    let body = parseExpr(.or)
    return Expr(.quantifier(quantifier, binder: binder, sequence: sequence, body: body), range: range(from: start))
  }

  /// `if c then a else b`. Like a quantifier, the `else` branch extends as far right as it
  /// can. `then` and `else` may begin a new line (the expression is incomplete without them),
  /// and a nested `if` without its own `else` cannot occur, so each `else` has one owner.
  func parseConditional() -> Expr {
    let start = advance().range.start  // `if`
    let condition = parseExpr(.or)
    if eatContextual(.then) == nil {
      let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("'then' after the condition of 'if'", found: found, at: at,
                                  notes: [Note("an 'if' expression reads 'if c then a else b'")]))
      return Expr(.conditional(condition, then: missingExpr(), else: missingExpr()), range: range(from: start))
    }
    let whenTrue = parseExpr(.or)
    if eatContextual(.else) == nil {
      let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("'else' in 'if … then … else …'", found: found, at: at,
                                  notes: [Note("an 'if' expression always has both branches")]))
      return Expr(.conditional(condition, then: whenTrue, else: missingExpr()), range: range(from: start))
    }
    let whenFalse = parseExpr(.or)
    return Expr(.conditional(condition, then: whenTrue, else: whenFalse), range: range(from: start))
  }

  /// The inside of `base[…]`: an index, or a slice `lo:hi` with either bound optional.
  func parseIndexOrSlice(_ base: Expr, start: Int) -> Expr {
    let open = advance()
    return insideBrackets {
      var lower: Expr?
      if kind != .colon { lower = parseExpr() }
      if eat(.colon) != nil {
        var upper: Expr?
        if kind != .rightBracket { upper = parseExpr() }
        expectCloser(for: open)
        return Expr(.slice(base, lower: lower, upper: upper), range: range(from: start))
      }
      expectCloser(for: open)
      return Expr(.index(base, lower ?? missingExpr()), range: range(from: start))
    }
  }

  func parsePostfix() -> Expr {
    let start = token.range.start
    var e = parsePrimary()
    // Like operator chains, each postfix step (`a.b.c`, `f()()`, `x[0][0]`) nests the tree
    // one level deeper and counts towards the nesting limit.
    var links = 0
    defer { depth -= links }
    loop: while true {
      switch kind {
      case .dot where !lineBreakHere, .leftParen where !token.newlineBefore, .leftBracket where !token.newlineBefore,
           .leftBrace where !token.newlineBefore && !braceOpensBlock && isTypeReference(e):
        links += 1
        guard enterNesting() else { break loop }
      default: break
      }
      switch kind {
      case .dot where !lineBreakHere:
        advance()
        let name: Identifier
        if kind == .name || kind.isKeyword {
          // Any word works after `.` (`x.left`, `lane.type`).
          name = identifier(advance())
        } else {
          name = expectName("a member name after '.'")
        }
        e = Expr(.member(e, name), range: range(from: start))
      case .leftParen where !token.newlineBefore:
        let arguments = parseArgumentList()
        e = Expr(.call(e, arguments), range: range(from: start))
      case .leftBracket where !token.newlineBefore:
        e = parseIndexOrSlice(e, start: start)
      case .leftBrace where !token.newlineBefore && !braceOpensBlock && isTypeReference(e):
        let fields = parseFieldInitList()
        e = Expr(.record(e, fields), range: range(from: start))
      default:
        break loop
      }
    }
    if specifiersAllowed, isSpecifierStart {
      var specifiers: [Specifier] = []
      while isSpecifierStart, !isAtEnd {
        let before = position
        specifiers.append(parseSpecifier())
        if position == before { break }
      }
      e = Expr(.construction(e, specifiers), range: range(from: start))
    }
    return e
  }

  func isTypeReference(_ e: Expr) -> Bool {
    switch e.kind {
    case .name, .member: true
    default: false
    }
  }

  // MARK: Primary

  func parsePrimary() -> Expr {
    let t = token
    switch t.kind {
    case .integer:
      advance()
      return Expr(.integer(t.text(in: file)), range: t.range)
    case .float:
      advance()
      return Expr(.float(t.text(in: file)), range: t.range)
    case .quantity:
      advance()
      return Expr(.quantity(number: file.text(of: t.numberRange), unit: unitSuffix(of: t)), range: t.range)
    case .string:
      advance()
      return Expr(.string(Lexer.decodeString(range: t.range, in: file)), range: t.range)
    case .kwTrue, .kwFalse:
      advance()
      return Expr(.bool(t.kind == .kwTrue), range: t.range)
    case .kwSelf:
      advance()
      return Expr(.selfActor, range: t.range)
    case .kwEgo:
      advance()
      return Expr(.ego, range: t.range)
    case .name where t.contextual != .none && startsWordOperator:
      return parseWordOperator()
    case .name:
      advance()
      let id = Identifier(name: t.text(in: file), range: t.range)
      if id.name == "_" { report(SyntaxError.discardAsValue(at: t.range)) }
      return Expr(.name(id), range: t.range)
    case .leftParen:
      return parseParenthesized()
    case .leftBracket:
      return parseListOrComprehension()
    case .kwChoice:
      return parseChoice()
    case .kwAt, .kwFacing, .kwOn, .kwWithin, .kwWith:
      report(SyntaxError.specifierWithoutActor(t.kind.spelling, at: t.range))
      return missingExpr()
    default:
      let (found, at) = lineBreakHere || (t.kind == .eof) ? (t.kind == .eof ? "end of file" : "newline",
        point(previousEnd)) : (describe(t), t.range)
      report(SyntaxError.expectedExpression(found: found, at: at))
      return missingExpr()
    }
  }

  // MARK: Word operators

  /// At `relative heading of`, `apparent heading of`, `angle from`/`angle to`,
  /// `distance from`/`to`/`past`, `front of`, `back left of`, `left of` …: these words are
  /// operators only in this order, in prefix position (after an expression, `left of X`
  /// is the specifier), so names such as `angle`, `front` or `distance(a, b)` keep working.
  var startsWordOperator: Bool {
    let next = peek(1)
    switch token.contextual {
    case .relative, .apparent: return next.isContextual(.heading) && peek(2).isContextual(.of)
    case .angle: return next.isContextual(.from) || next.isContextual(.to)
    case .distance: return next.isContextual(.from) || next.isContextual(.to) || next.isContextual(.past)
    case .front, .back:
      return next.isContextual(.of) || ((next.isContextual(.left) || next.isContextual(.right)) && peek(2).isContextual(.of))
    case .left, .right, .top, .bottom: return next.isContextual(.of)
    case .visible: return startsVisibleRegion(at: 1)
    default: return false
    }
  }

  /// One operand of a word operator: a prefix expression (`-10deg`, `cars[0].x`) without
  /// specifiers, so `distance from a to b + 1m` adds 1 m to the distance.
  func parseWordOperand() -> Expr {
    let saved = specifiersAllowed
    specifiersAllowed = false
    defer { specifiersAllowed = saved }
    return parseExpr(.prefix)
  }

  func expectWord(_ word: ContextualKeyword, _ context: String) {
    if eatContextual(word) != nil { return }
    let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.expected("'\(word.spelling)' \(context)", found: found, at: at))
  }

  func parseWordOperator() -> Expr {
    let first = advance()
    let start = first.range.start
    func make(_ op: SpatialOperator, _ xs: [Expr]) -> Expr { Expr(.spatial(op, operands: xs), range: range(from: start)) }
    switch first.contextual {
    case .relative, .apparent:
      advance()  // heading
      advance()  // of
      let x = parseWordOperand()
      var xs = [x]
      if eatContextual(.from) != nil { xs.append(parseWordOperand()) }
      return make(first.contextual == .relative ? .relativeHeading : .apparentHeading, xs)
    case .visible:
      return make(.visibleRegion, [parseWordOperand()])
    case .angle, .distance:
      if first.contextual == .distance, eatContextual(.past) != nil {
        var xs = [parseWordOperand()]
        if eatContextual(.of) != nil { xs.append(parseWordOperand()) }
        return make(.distancePast, xs)
      }
      // `angle from P to Q` / `angle to Q`: the target first, the optional origin second.
      var origin: Expr?
      if eatContextual(.from) != nil {
        origin = parseWordOperand()
        expectWord(.to, "in '\(first.contextual.spelling) from P to Q'")
      } else {
        advance()  // to
      }
      let target = parseWordOperand()
      return make(first.contextual == .angle ? .angle : .distance, [target] + (origin.map { [$0] } ?? []))
    default:
      var point: BoxPoint
      switch first.contextual {
      case .front: point = .front
      case .back: point = .back
      case .left: point = .left
      case .right: point = .right
      case .top: point = .top
      default: point = .bottom
      }
      if point == .front || point == .back, let side = eatContextual(.left) ?? eatContextual(.right) {
        let isLeft = side.contextual == .left
        point = point == .front ? (isLeft ? .frontLeft : .frontRight) : (isLeft ? .backLeft : .backRight)
      }
      advance()  // of
      return Expr(.boxPoint(point, parseWordOperand()), range: range(from: start))
    }
  }

  func parseParenthesized() -> Expr {
    let open = advance()
    return insideBrackets {
      if eat(.rightParen) != nil { return Expr(.tuple([]), range: range(from: open.range.start)) }
      let first = parseExpr()
      guard kind == .comma else {
        expectCloser(for: open)
        return first
      }
      var elements = [first]
      while eat(.comma) != nil {
        if kind == .rightParen { break }
        let before = position
        elements.append(parseExpr())
        if position == before { break }
      }
      if kind != .rightParen, startsExpression(token), !token.newlineBefore {
        // `(1m, 2m 3m)`: a missing comma; report once and keep the rest of the tuple.
        reportMissingSeparator(open)
        while startsExpression(token), !isAtEnd {
          let before = position
          elements.append(parseExpr())
          _ = eat(.comma)
          if position == before { break }
        }
      }
      expectCloser(for: open)
      return Expr(.tuple(elements), range: range(from: open.range.start))
    }
  }

  func parseListOrComprehension() -> Expr {
    let open = advance()
    return insideBrackets {
      if eat(.rightBracket) != nil { return Expr(.list([]), range: range(from: open.range.start)) }
      let first = parseExpr()
      if eat(.kwFor) != nil {
        let binder = expectBinder()
        expect(.kwIn, "after the comprehension variable")
        let sequence = parseExpr(.range)
        var condition: Expr?
        if eat(.kwIf) != nil { condition = parseExpr() }
        expectCloser(for: open)
        return Expr(.comprehension(element: first, binder: binder, sequence: sequence, condition: condition),
                    range: range(from: open.range.start))
      }
      var elements = [first]
      parseRemainingElements(into: &elements, open: open)
      return Expr(.list(elements), range: range(from: open.range.start))
    }
  }

  /// `, e, e ]` after the first element; a missing comma on the same line is reported once
  /// and parsing goes on.
  func parseRemainingElements(into elements: inout [Expr], open: RawToken) {
    let closer = Self.closer(for: open.kind)
    while true {
      if eat(closer) != nil { return }
      if eat(.comma) != nil {
        if eat(closer) != nil { return }
      } else if startsExpression(token), !token.newlineBefore {
        reportMissingSeparator(open)
      } else {
        expectCloser(for: open)
        return
      }
      let before = position
      elements.append(parseExpr())
      if position == before {
        expectCloser(for: open)
        return
      }
    }
  }

  func parseArgumentList() -> [Argument] {
    let open = advance()
    return insideBrackets {
      var arguments: [Argument] = []
      if eat(.rightParen) != nil { return arguments }
      while true {
        let before = position
        arguments.append(parseArgument())
        if eat(.rightParen) != nil { return arguments }
        if eat(.comma) != nil {
          if eat(.rightParen) != nil { return arguments }
          continue
        }
        if position != before, startsExpression(token), !token.newlineBefore {
          reportMissingSeparator(open)
          continue
        }
        expectCloser(for: open)
        return arguments
      }
    }
  }

  func parseArgument() -> Argument {
    let start = token.range.start
    var label: Identifier?
    if atLabel {
      label = identifier(advance())
      advance()  // `:`
    }
    let value = parseExpr()
    return Argument(label: label, value: value, range: range(from: start))
  }

  /// `{ name: value, … }` with `,` or line breaks between fields.
  /// When the `{` is missing (already reported), the fields are parsed up to the `}`.
  func parseFieldInitList() -> [FieldInit] {
    let open = kind == .leftBrace ? advance() : token
    return insideBrackets {
      var fields: [FieldInit] = []
      while true {
        while eat(.comma) != nil || eat(.semicolon) != nil {}
        if eat(.rightBrace) != nil { return fields }
        if isAtEnd || (token.newlineBefore && startsStatement(token)) {
          if open.kind == .leftBrace { reportUnclosed(open) }
          return fields
        }
        let before = position
        let start = token.range.start
        let name: Identifier
        if kind == .name || (kind.isKeyword && (peek(1).kind == .colon || peek(1).kind == .equal)) {
          name = identifier(advance())
        } else {
          name = expectName("a field name")
        }
        if let eq = eat(.equal) {
          report(SyntaxError.recordFieldEquals(at: eq.range))
        } else {
          expect(.colon, "after the field name")
        }
        let value = parseExpr()
        fields.append(FieldInit(name: name, value: value, range: range(from: start)))
        // No progress (a stray token such as `)`): stop here, or the loop would spin on it.
        if position == before {
          expectCloser(for: open)
          return fields
        }
        if eat(.comma) != nil || eat(.semicolon) != nil || kind == .rightBrace || token.newlineBefore { continue }
        if !(kind == .name && peek(1).kind == .colon) {
          expectCloser(for: open)
          return fields
        }
        reportMissingSeparator(open)
      }
    }
  }

  func parseChoice() -> Expr {
    let keyword = advance()
    guard kind == .leftBrace else {
      expect(.leftBrace, "after 'choice'")
      return Expr(.choice([]), range: range(from: keyword.range.start))
    }
    let open = advance()
    let arms: [ChoiceArm] = insideBrackets {
      var arms: [ChoiceArm] = []
      while true {
        while eat(.comma) != nil || eat(.semicolon) != nil {}
        if eat(.rightBrace) != nil { break }
        if isAtEnd || (token.newlineBefore && startsStatement(token)) {
          reportUnclosed(open)
          break
        }
        let before = position
        let start = token.range.start
        let weight = parseExpr()
        guard expect(.colon, "after the weight in 'choice { weight: value }'") != nil else {
          synchronizeInBraces()
          break
        }
        let value = parseExpr()
        arms.append(ChoiceArm(weight: weight, value: value, range: range(from: start)))
        if position == before { break }
        if eat(.comma) != nil || eat(.semicolon) != nil || kind == .rightBrace || token.newlineBefore { continue }
        expectCloser(for: open)
        break
      }
      return arms
    }
    if arms.isEmpty { report(SyntaxError.emptyBlockForm("choice", at: range(from: keyword.range.start))) }
    return Expr(.choice(arms), range: range(from: keyword.range.start))
  }

  /// Skips to the `}` closing the current brace form (inclusive) or to a statement start.
  func synchronizeInBraces() {
    var nesting = 0
    while !isAtEnd {
      if Self.isOpener(kind) {
        nesting += 1
      } else if Self.isCloser(kind) {
        if nesting == 0 {
          _ = eat(.rightBrace)
          return
        }
        nesting -= 1
      } else if nesting == 0, token.newlineBefore, startsStatement(token) {
        return
      }
      advance()
    }
  }

  // MARK: Specifiers

  /// True at `at`, `facing`, `on`, `within`, `with`, `ahead of`, `behind X`, `left of`,
  /// `right of`. Such a word at the start of a line continues the previous line.
  var isSpecifierStart: Bool {
    switch kind {
    case .kwAt, .kwFacing, .kwOn, .kwWithin, .kwWith: return true
    case .kwNot: return peek(1).isContextual(.visible) && peek(2).isContextual(.from)
    case .name:
      switch token.contextual {
      case .visible: return peek(1).isContextual(.from)
      case .contained: return peek(1).kind == .kwIn
      case .following: return !peek(1).newlineBefore && startsExpression(peek(1))
      case .ahead, .left, .right:
        let next = peek(1)
        return next.isContextual(.of) || (!next.newlineBefore && startsExpression(next) && next.kind != .leftParen
          && next.kind != .leftBracket && next.kind != .minus)
      case .behind, .beyond, .above, .below:
        let next = peek(1)
        return !next.newlineBefore && startsExpression(next) && next.kind != .leftBracket && next.kind != .minus
      case .offset:
        let next = peek(1)
        return next.isContextual(.by) || next.isContextual(.along)
      case .apparently:
        return peek(1).kind == .kwFacing
      default: return false
      }
    default: return false
    }
  }

  func parseSpecifierArgument() -> Expr {
    let saved = specifiersAllowed
    specifiersAllowed = false
    defer { specifiersAllowed = saved }
    return parseExpr(.additive)
  }

  func parseSpecifier() -> Specifier {
    let word = advance()
    let start = word.range.start
    let kind: SpecifierKind
    switch word.kind {
    case .kwAt: kind = .at(parseSpecifierArgument())
    case .kwOn: kind = .on(parseSpecifierArgument())
    case .kwWithin: kind = .within(parseSpecifierArgument())
    case .kwFacing:
      if token.isContextual(.directly), peek(1).isContextual(.toward), !peek(2).newlineBefore,
        startsExpression(peek(2))
      {
        advance()
        advance()
        kind = .facingDirectly(parseSpecifierArgument(), away: false)
      } else if token.isContextual(.directly), peek(1).isContextual(.away), peek(2).isContextual(.from) {
        advance()
        advance()
        advance()
        kind = .facingDirectly(parseSpecifierArgument(), away: true)
      } else if token.isContextual(.toward), !peek(1).newlineBefore, startsExpression(peek(1)) {
        advance()
        kind = .facingToward(parseSpecifierArgument())
      } else if token.isContextual(.away), peek(1).isContextual(.from) {
        advance()
        advance()
        kind = .facingAwayFrom(parseSpecifierArgument())
      } else {
        kind = .facing(parseSpecifierArgument())
      }
    case .kwWith:
      if eat(.kwBehavior) == nil {
        report(SyntaxError.expectedSpecifierWord(after: "with", expected: "behavior", found: describe(token),
                                                 at: token.range))
      }
      kind = .withBehavior(parseSpecifierArgument())
    case .name where word.contextual == .apparently:
      advance()  // facing
      let heading = parseSpecifierArgument()
      var from: Expr?
      if !lineBreakHere, eatContextual(.from) != nil { from = parseSpecifierArgument() }
      kind = .apparentlyFacing(heading, from: from)
    case .kwNot:
      advance()  // visible
      advance()  // from
      kind = .visibleFrom(parseSpecifierArgument(), negated: true)
    case .name where word.contextual == .visible:
      advance()  // from
      kind = .visibleFrom(parseSpecifierArgument(), negated: false)
    case .name where word.contextual == .contained:
      advance()  // in
      kind = .containedIn(parseSpecifierArgument())
    case .name where word.contextual == .following:
      kind = parseFollowing()
    case .name where word.contextual == .offset:
      var along: Expr?
      if eatContextual(.along) != nil {
        along = parseSpecifierArgument()
        expectWord(.by, "after 'offset along H' ('offset along H by V')")
      } else {
        advance()  // by
      }
      kind = .offset(by: parseSpecifierArgument(), along: along)
    case .name where word.contextual == .beyond:
      let target = parseSpecifierArgument()
      expectWord(.by, "after 'beyond P' ('beyond P by V')")
      let by = parseSpecifierArgument()
      var from: Expr?
      if !lineBreakHere, eatContextual(.from) != nil { from = parseSpecifierArgument() }
      kind = .beyond(target, by: by, from: from)
    case .name where word.contextual == .above || word.contextual == .below:
      let reference = parseSpecifierArgument()
      var distance: Expr?
      if !lineBreakHere, eatContextual(.by) != nil { distance = parseSpecifierArgument() }
      kind = .vertical(above: word.contextual == .above, reference: reference, distance: distance)
    default:
      let direction: RelativeDirection
      switch word.contextual {
      case .ahead: direction = .ahead
      case .left: direction = .left
      case .right: direction = .right
      default: direction = .behind
      }
      if direction != .behind, eatContextual(.of) == nil {
        report(SyntaxError.expectedSpecifierWord(after: word.contextual.spelling, expected: "of",
                                                 found: describe(token), at: token.range))
      }
      let reference = parseSpecifierArgument()
      var distance: Expr?
      if !lineBreakHere, eatContextual(.by) != nil { distance = parseSpecifierArgument() }
      kind = .relative(direction, reference: reference, distance: distance)
    }
    return Specifier(kind, range: range(from: start))
  }

  // MARK: RawToken classes

  func startsExpression(_ t: RawToken) -> Bool {
    switch t.kind {
    case .integer, .float, .quantity, .string, .name, .kwTrue, .kwFalse, .kwSelf, .kwEgo, .leftParen, .leftBracket,
      .kwChoice, .kwNot, .minus, .kwIf:
      true
    default: false
    }
  }

  /// Reserved words that begin a statement or declaration: at the start of a line inside
  /// braces they mean a closing brace went missing.
  func startsStatement(_ t: RawToken) -> Bool {
    switch t.kind {
    case .kwImport, .kwConst, .kwEnum, .kwActor, .kwSensor, .kwFn, .kwNative, .kwBehavior, .kwScenario,
      .kwDimension, .kwUnit, .kwType, .kwParam, .kwLet, .kwEgo, .kwRequire, .kwTerminate, .kwEnvironment,
      .kwSimulate, .kwCover, .kwAllow, .kwInclude, .kwWait, .kwDo, .kwEither, .atSign:
      true
    default: false
    }
  }

  // MARK: Units

  /// Splits a quantity token's unit text into factors: `/` negates the next name's exponent,
  /// `^n` multiplies the previous name's.
  func unitSuffix(of t: RawToken) -> UnitSuffix {
    let bytes = file.bytes
    let end = min(t.range.end, bytes.count)
    var factors: [UnitFactor] = []
    var k = t.unitStart
    var sign = 1
    while k < end {
      let c = bytes[k]
      if c == UInt8(ascii: "/") {
        sign = -1
        k += 1
      } else if c == UInt8(ascii: "^") {
        var j = k + 1
        var negative = false
        if j < end, bytes[j] == UInt8(ascii: "-") {
          negative = true
          j += 1
        }
        let digitStart = j
        while j < end, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9") { j += 1 }
        if let last = factors.popLast() {
          let digits = String(decoding: bytes[digitStart..<j], as: UTF8.self)
          let power = (Int(digits) ?? 0) * (negative ? -1 : 1)
          let (product, overflow) = last.exponent.multipliedReportingOverflow(by: power)
          factors.append(UnitFactor(name: last.name, exponent: overflow ? 0 : product,
                                    range: SourceRange(file: file.id, start: last.range.start, end: j)))
        }
        k = max(j, k + 1)
      } else {
        let nameStart = k
        while k < end, bytes[k] != UInt8(ascii: "/"), bytes[k] != UInt8(ascii: "^") { k += 1 }
        factors.append(UnitFactor(name: String(decoding: bytes[nameStart..<k], as: UTF8.self), exponent: sign,
                                  range: SourceRange(file: file.id, start: nameStart, end: k)))
        sign = 1
      }
    }
    return UnitSuffix(text: file.text(of: t.unitRange), factors: factors, range: t.unitRange)
  }
}
