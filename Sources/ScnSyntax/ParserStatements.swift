import ScnSource

/// Scenario and behavior bodies.
extension ParserState {
  /// Parses `{ item* }` where items are separated by line breaks or `;`. A declaration
  /// keyword at the start of a line means the `}` is missing: it is reported and the block
  /// ends there, so the next declaration still parses.
  ///
  /// When the `{` itself is missing (already reported) and statements follow on the next
  /// line, the body is parsed anyway, up to a `}` or the next declaration.
  func parseBlock<Item>(_ parseItem: () -> Item?) -> [Item] {
    let open = kind == .leftBrace ? advance() : token
    guard enterNesting() else { return [] }
    let saved = (newlinesSignificant, specifiersAllowed, inCondition, braceOpensBlock)
    newlinesSignificant = true
    specifiersAllowed = true
    inCondition = false
    braceOpensBlock = false
    defer {
      (newlinesSignificant, specifiersAllowed, inCondition, braceOpensBlock) = saved
      leaveNesting()
    }
    var items: [Item] = []
    while true {
      panicking = false
      while eat(.semicolon) != nil {}
      if eat(.rightBrace) != nil { break }
      if isAtEnd || (token.newlineBefore && startsDeclarationOnly(token)) {
        if open.kind == .leftBrace { reportUnclosed(open) }
        break
      }
      if kind == .rightParen || kind == .rightBracket {
        let t = advance()
        report(SyntaxError.unmatchedCloser(t.kind.spelling, at: t.range))
        continue
      }
      let before = position
      guard let item = parseItem() else {
        synchronizeStatement()
        if position == before { advance() }
        continue
      }
      items.append(item)
      if kind == .kwOr, peek(1).kind == .leftBrace, open.kind == .leftBrace {
        // `either { … or { … }`: the branch's `}` is missing; let `either` see the `or`.
        reportUnclosed(open)
        break
      }
      if position == before {
        synchronizeStatement()
        if position == before { advance() }
        continue
      }
      expectStatementEnd()
    }
    return items
  }

  /// Declaration keywords that cannot start a statement inside a body.
  func startsDeclarationOnly(_ t: RawToken) -> Bool {
    switch t.kind {
    case .kwImport, .kwEnum, .kwActor, .kwFn, .kwNative, .kwBehavior, .kwScenario, .kwDimension, .kwUnit, .kwType:
      return true
    default:
      return false
    }
  }

  // MARK: Scenario statements

  /// A scenario body. `setup { … }` blocks are flattened into it: a scenario's setup is its
  /// body (docs/language-tour.md, "Composition").
  func parseScenarioBlock() -> [Stmt] {
    parseBlock { () -> [Stmt]? in
      if let block = parseSetupBlock() { return block }
      if let conditional = parseScenarioIf() { return [conditional] }
      return parseScenarioStatement().map { [$0] }
    }.flatMap { $0 }
  }

  /// `if initial scenario { … } [else { … }]` (`else` may start the next line); nil when the
  /// line is not a statement `if`. Any other condition is E0160 (a scenario body has no
  /// other conditional statement; the expression `if c then a else b` is untouched: a `{`
  /// before any `then` on the line makes the statement form), and one such block inside
  /// another is E0161.
  private func parseScenarioIf() -> Stmt? {
    guard kind == .kwIf else { return nil }
    let initial = peek(1).isContextual(.initial) && peek(2).kind == .kwScenario && !peek(1).newlineBefore
      && !peek(2).newlineBefore
    if !initial {
      // The statement form: a `{` at depth 0 on the `if` line before any `then`.
      var depth = 0
      var k = 1
      var statementForm = false
      while k < 256 {
        let t = peek(k)
        if t.kind == .eof || t.newlineBefore && depth == 0 { break }
        if t.kind == .leftParen || t.kind == .leftBracket { depth += 1 }
        if t.kind == .rightParen || t.kind == .rightBracket { depth = max(0, depth - 1) }
        if depth == 0 && t.isContextual(.then) { break }
        if depth == 0 && t.kind == .leftBrace {
          statementForm = true
          break
        }
        k += 1
      }
      guard statementForm else { return nil }
    }
    let start = token.range.start
    let word = advance()
    var condition: SourceRange?
    if initial {
      advance()
      advance()
      if insideInitialScenario { report(SyntaxError.nestedInitialScenario(at: range(from: word.range.start))) }
    } else {
      let savedBrace = braceOpensBlock
      braceOpensBlock = true
      let c = parseCondition()
      braceOpensBlock = savedBrace
      condition = c.range
      report(SyntaxError.scenarioIfCondition(at: c.range))
    }
    let saved = insideInitialScenario
    insideInitialScenario = true
    defer { insideInitialScenario = saved }
    var then: [Stmt] = []
    if kind == .leftBrace { then = parseScenarioBlock() } else { expect(.leftBrace, "after 'if initial scenario'") }
    var otherwise: [Stmt] = []
    if token.isContextual(.else) {
      let elseWord = advance()
      if kind == .kwIf {
        report(SyntaxError.scenarioIfCondition(at: elseWord.range.union(token.range)))
        _ = parseScenarioIf()
      } else if kind == .leftBrace {
        otherwise = parseScenarioBlock()
      } else {
        expect(.leftBrace, "after 'else'")
      }
    }
    let r = range(from: start)
    if condition != nil { return Stmt(.error, range: r) }
    return Stmt(.initialScenario(then: then, otherwise: otherwise), range: r)
  }

  /// `setup { statements }` (the word, then `{` on its line, not opening a record body
  /// `setup { name: … }`); nil when the statement is none.
  private func parseSetupBlock() -> [Stmt]? {
    guard token.isContextual(.setup), peek(1).kind == .leftBrace, !peek(1).newlineBefore,
      !(peek(2).kind == .name && peek(3).kind == .colon && peek(2).contextual != .precondition
        && peek(2).contextual != .invariant)
    else { return nil }
    let word = advance()
    if insideSetup { report(SyntaxError.nestedSetup(at: word.range)) }
    let saved = insideSetup
    insideSetup = true
    defer { insideSetup = saved }
    return parseScenarioBlock()
  }

  func parseScenarioStatement() -> Stmt? {
    let first = token
    let documentation = documentation(of: first)
    let annotations = parseAnnotations()
    let start = first.range.start
    let t = token
    let result: StmtKind
    switch t.kind {
    case .kwParam:
      advance()
      let name = expectName("a parameter name")
      var type: TypeExpr?
      var defaultValue: Expr?
      if eat(.colon) != nil { type = parseType() }
      if kind == .equal || kind == .colonEqual {
        expectEquals("")
        defaultValue = parseExpr()
      }
      if type == nil, defaultValue == nil, !name.isMissing {
        let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
        report(SyntaxError.expected("':' and a type, or '=' and a default value, after the parameter name",
                                    found: found, at: at))
      }
      result = .param(name: name, type: type, defaultValue: defaultValue)
    case .kwLet:
      advance()
      result = parseLetBody()
    case .kwConst:
      advance()
      report(SyntaxError.topLevelOnly("const", at: t.range))
      result = parseLetBody()
    case .kwEgo where peek(1).kind == .name || peek(1).kind == .equal || peek(1).kind == .colonEqual:
      advance()
      var name: Identifier?
      if kind == .name { name = expectName("the ego actor's name") }
      result = expectEquals("and the ego actor") ? .ego(name: name, value: parseExpr()) : .error
    case .kwRequire:
      result = parseRequire()
    case .kwTerminate where peek(1).isContextual(.after) && !peek(1).newlineBefore:
      // `terminate after T` is `terminate when sim_time() >= T`.
      // The clock is spelled by the words `terminate after`, which diagnostics then quote.
      advance()
      let words = t.range.union(advance().range)
      let limit = parseCondition()
      let clock = Expr(.call(Expr(.name(Identifier(name: "sim_time", range: words)), range: words), []), range: words)
      result = .terminate(Expr(.comparison(clock, [ComparisonLink(op: .greaterEqual, operatorRange: words, rhs: limit)]),
                               range: words.union(limit.range)))
    case .kwTerminate:
      advance()
      // `terminate simulation when c` (Scenic): the same as `terminate when c` here, since a
      // scenario's `terminate when` ends the whole simulation.
      if token.isContextual(.simulation), !lineBreakHere, peek(1).isContextual(.when) { advance() }
      if eatContextual(.when) == nil {
        let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
        report(SyntaxError.expected("'when' after 'terminate'", found: found, at: at,
                                    fixIts: [.insert("when ", at: at.start, in: file.id, "insert 'when'")]))
      }
      result = .terminate(parseCondition())
    case .kwEnvironment:
      advance()
      if kind == .leftBrace {
        result = .environment(parseFieldInitList())
      } else if !token.newlineBefore, kind == .name, peek(1).kind == .colon {
        expect(.leftBrace, "after 'environment'")
        result = .environment(parseFieldInitList())
      } else {
        expect(.leftBrace, "after 'environment'")
        result = .error
      }
    case .kwSensor where peek(2).kind == .leftBrace || peek(2).kind == .colon:
      // `sensor Camera { … }` declares a type, which belongs at top level.
      report(SyntaxError.topLevelOnly("sensor", at: t.range))
      _ = parseRecordType()
      // Parsed whole for recovery; nothing left to skip.
      return Stmt(.error, annotations: annotations, documentation: documentation, range: range(from: start))
    case .kwSensor:
      advance()
      let name = expectName("a sensor name")
      result = expectEquals("and the sensor's value") ? .sensor(name: name, value: parseExpr()) : .error
    case .kwSimulate:
      advance()
      let saved = specifiersAllowed
      specifiersAllowed = false
      let duration = parseExpr()
      specifiersAllowed = saved
      var rate: Expr?
      // `at` may begin the next line: a specifier word continues the previous line.
      if eat(.kwAt) != nil { rate = parseExpr() }
      result = .simulate(duration: duration, rate: rate)
    case .kwCover:
      advance()
      let name = expectName("a coverage name")
      if expect(.colon, "after the coverage name ('cover name: value')") != nil {
        let value = parseExpr()
        var buckets: Expr?
        if !lineBreakHere, eatContextual(.buckets) != nil { buckets = parseExpr() }
        result = .cover(name: name, value: value, buckets: buckets)
      } else {
        result = .error
      }
    case .kwAllow:
      advance()
      if eatContextual(.overlap) != nil {
        result = .allowOverlap
      } else {
        let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
        report(SyntaxError.expected("'overlap' after 'allow'", found: found, at: at))
        result = .error
      }
    case .kwInclude:
      advance()
      let name = expectName("the name of the scenario to include")
      var weight: Expr?
      if !lineBreakHere, eatContextual(.weight) != nil { weight = parseExpr() }
      result = .include(scenario: name, weight: weight)
    case .name where t.contextual == .workspace && !peek(1).newlineBefore && startsExpression(peek(1))
      && peek(1).kind != .leftParen && peek(1).kind != .leftBracket && peek(1).kind != .minus:
      // `workspace R`; `workspace(…)`, `workspace.x` and a name alone stay expressions.
      advance()
      result = .workspace(parseExpr())
    case .name where (t.contextual == .precondition || t.contextual == .invariant)
      && !peek(1).newlineBefore && (peek(1).kind == .colon || peek(1).kind == .name):
      // `precondition: c` holds when the scenario starts (time 0, the sampled scene): a
      // requirement; `invariant: c` at every step: `require always`.
      advance()
      if expect(.colon, "after '\(t.contextual.spelling)' ('\(t.contextual.spelling): condition')") == nil {
        synchronizeStatement()
        result = .error
      } else {
        result = .require(t.contextual == .precondition ? .hard : .always, parseCondition(), name: nil)
      }
    case .name where t.contextual == .compose && peek(1).kind == .leftBrace && !peek(1).newlineBefore:
      advance()
      if insideInitialScenario { report(SyntaxError.composeInInitialScenario(at: t.range)) }
      result = .compose(parseBlock { parseComposeStep() })
    case .name where startsRecordOrOverride(t):
      result = t.contextual == .record ? parseRecordStatement() : parseOverrideStatement()
    case .kwWait, .kwDo, .kwEither:
      report(SyntaxError.expected("a scenario statement ('\(t.kind.spelling)' belongs in a behavior body)",
                                  found: describe(t), at: t.range))
      result = .error
    default:
      if !annotations.isEmpty, !startsExpression(t) {
        report(SyntaxError.danglingAnnotation(found: describe(t), at: t.range))
        result = .error
      } else if t.kind == .minus {
        // `-1m` alone on a line is almost always a continuation the newline cut off.
        report(SyntaxError.leadingOperator(at: t.range))
        result = .error
      } else if startsExpression(t) {
        result = .expression(parseExpr())
      } else if Self.isBinaryOperatorToken(t.kind) {
        report(SyntaxError.leadingOperator(at: t.range))
        result = .error
      } else {
        report(SyntaxError.expectedStatement(found: describe(t), at: t.range))
        result = .error
      }
    }
    if case .error = result {
      synchronizeStatement()
    }
    return Stmt(result, annotations: annotations, documentation: documentation, range: range(from: start))
  }

  /// One line of a `compose { … }` block: `do A(args), B(args) [for T] [until c]`,
  /// `do choose { … }` / `do shuffle { … }` (or without braces, `do choose A(), B()`), or
  /// `wait [T | for T | until c]`; anything else is E0143.
  private func parseComposeStep() -> ComposeStep? {
    let t = token
    if t.kind == .kwWait {
      // `wait` alone waits one simulation step; `wait T` (or Scenic's `wait for T`), `wait until c`.
      advance()
      var duration: Expr?
      var until: Expr?
      if !lineBreakHere, eat(.kwFor) != nil {
        duration = parseExpr()
      } else if !lineBreakHere, eatContextual(.until) != nil {
        until = parseCondition()
      } else if !lineBreakHere, startsExpression(token) {
        duration = parseExpr()  // `wait 2s`, as in a behavior
      }
      return ComposeStep(form: .wait, invocations: [], duration: duration, until: until, range: range(from: t.range.start))
    }
    guard t.kind == .kwDo else {
      report(SyntaxError.notAComposeStep(found: describe(t), at: t.range))
      return nil
    }
    advance()
    let start = t.range.start
    // `do choose A(), B()` / `do shuffle A(), B()`: Scenic's spelling without braces.
    if token.isContextual(.choose) || token.isContextual(.shuffle), peek(1).kind == .name, !peek(1).newlineBefore {
      let word = advance()
      var invocations = [parseExpr()]
      while !lineBreakHere, eat(.comma) != nil { invocations.append(parseExpr()) }
      return ComposeStep(form: word.contextual == .choose ? .choose : .shuffle, invocations: invocations,
                         weights: invocations.map { _ in nil }, duration: nil, until: nil, range: range(from: start))
    }
    if let chosen = parseChooseOrShuffle(weightedShuffle: true) {
      switch chosen.kind {
      case .choose(let entries):
        return ComposeStep(form: .choose, invocations: entries.map(\.action), weights: entries.map(\.weight),
                           duration: nil, until: nil, range: range(from: start))
      case .shuffle:
        return ComposeStep(form: .shuffle, invocations: chosen.entries.map(\.action), weights: chosen.entries.map(\.weight),
                           duration: nil, until: nil, range: range(from: start))
      default:
        return nil
      }
    }
    var invocations = [parseExpr()]
    while !lineBreakHere, eat(.comma) != nil { invocations.append(parseExpr()) }
    var duration: Expr?
    var until: Expr?
    if !lineBreakHere, eat(.kwFor) != nil { duration = parseExpr() }
    if !lineBreakHere, eatContextual(.until) != nil { until = parseCondition() }
    return ComposeStep(invocations: invocations, duration: duration, until: until, range: range(from: start))
  }

  func parseLetBody() -> StmtKind {
    let name = expectBinder()
    var type: TypeExpr?
    if eat(.colon) != nil { type = parseType() }
    guard expectEquals("and a value after the name") else { return .error }
    return .let(name: name, type: type, value: parseExpr())
  }

  func parseCondition() -> Expr {
    let saved = inCondition
    inCondition = true
    defer { inCondition = saved }
    return parseExpr()
  }

  func parseRequire() -> StmtKind {
    advance()
    if token.isContextual(.monitor), peek(1).kind == .name, !peek(1).newlineBefore {
      advance()
      return .requireMonitor(parseExpr())
    }
    if kind == .leftBracket {
      // `require[` always opens the soft probability, even with a space before `[`.
      let open = advance()
      let probability = insideBrackets { parseExpr() }
      expectCloser(for: open)
      let condition = parseCondition()
      return .require(.soft(probability: probability), condition, name: parseRequirementName())
    }
    if (token.isContextual(.always) || token.isContextual(.eventually)), !peek(1).newlineBefore,
      startsExpression(peek(1))
    {
      let word = advance()
      let condition = parseCondition()
      return .require(word.contextual == .always ? .always : .eventually, condition, name: parseRequirementName())
    }
    let condition = parseCondition()
    return .require(.hard, condition, name: parseRequirementName())
  }

  /// The name of a requirement after `as` (Scenic's named requirements): a name, a string or
  /// an integer, on the same line.
  func parseRequirementName() -> Identifier? {
    parseAsName(
      expected: "a requirement name after 'as' (a name, a string or an integer)", integers: true,
      note: "'require c as name' names the requirement in explanations and the card")
  }

  /// `as name` after a requirement or a recorded value: a name, a string or (with
  /// `integers`) an integer literal, on the same line; nil without `as`. A missing name is
  /// reported as `expected`, with `note`.
  func parseAsName(expected: String, integers: Bool, note: String) -> Identifier? {
    guard !lineBreakHere, token.isContextual(.as) else { return nil }
    advance()  // as
    let t = token
    switch t.kind {
    case .name where !lineBreakHere, .integer where integers && !lineBreakHere:
      advance()
      return Identifier(name: t.text(in: file), range: t.range)
    case .string where !lineBreakHere:
      advance()
      return Identifier(name: Lexer.decodeString(range: t.range, in: file), range: t.range)
    default:
      let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(t), t.range)
      report(SyntaxError.expected(expected, found: found, at: at, notes: [Note(note)]))
      return nil
    }
  }

  // MARK: Behavior statements

  func parseBehaviorBlock() -> [BehaviorStmt] { parseBlock { parseBehaviorStatement() } }

  func parseBehaviorStatement() -> BehaviorStmt? {
    let t = token
    let start = t.range.start
    let result: BehaviorStmtKind
    switch t.kind {
    case .kwWait:
      advance()
      if eatContextual(.until) != nil {
        result = .waitUntil(parseCondition())
      } else {
        result = .wait(parseExpr())
      }
    case .kwDo:
      advance()
      if let chosen = parseChooseOrShuffle() {
        result = chosen
        break
      }
      let action = parseExpr()
      var duration: Expr?
      var until: Expr?
      if !lineBreakHere, eat(.kwFor) != nil { duration = parseExpr() }
      if !lineBreakHere, eatContextual(.until) != nil { until = parseCondition() }
      result = .perform(action: action, duration: duration, until: until)
    case .kwEither:
      advance()
      var branches: [[BehaviorStmt]] = []
      if kind == .leftBrace {
        branches.append(parseBehaviorBlock())
      } else {
        expect(.leftBrace, "after 'either'")
        if !token.newlineBefore, kind == .kwWait || kind == .kwDo { branches.append(parseBehaviorBlock()) }
      }
      // `or` may sit on the line after the closing brace.
      while kind == .kwOr {
        advance()
        guard kind == .leftBrace else {
          expect(.leftBrace, "after 'or'")
          break
        }
        branches.append(parseBehaviorBlock())
      }
      if branches.count == 1 { report(SyntaxError.eitherNeedsTwoBranches(at: t.range)) }
      result = .either(branches)
    default:
      if let flow = parseBehaviorFlowStatement() {
        result = flow
        if case .error = flow { synchronizeStatement() }
      } else {
        if Self.isBinaryOperatorToken(t.kind) {
          report(SyntaxError.leadingOperator(at: t.range))
        } else {
          report(SyntaxError.expectedBehaviorStatement(found: describe(t), at: t.range))
        }
        synchronizeStatement()
        result = .error
      }
    }
    return BehaviorStmt(result, range: range(from: start))
  }
}
