import ScnSource

/// Behavior control flow (docs/language-tour.md, "Behaviors"): `var`, assignment, `if`,
/// `while`, `for`, `try … interrupt when`, `terminate`, `require`, `precondition:`,
/// `invariant:` and `do choose { … }` / `do shuffle { … }`. The words are contextual, so
/// names such as `var` or `choose` still work everywhere else.
extension ParserState {
  /// A control-flow statement starting at the current token, or nil when it starts none.
  func parseBehaviorFlowStatement() -> BehaviorStmtKind? {
    let t = token
    // `self.field = value` (any `name.field = value` parses too, for a located error).
    if t.kind == .kwSelf || t.kind == .name, peek(1).kind == .dot, !peek(1).newlineBefore,
      peek(2).kind == .name || peek(2).kind.isKeyword, peek(3).kind == .equal || peek(3).kind == .colonEqual,
      !peek(3).newlineBefore
    {
      let first = advance()
      let target = first.kind == .kwSelf ? Expr(.selfActor, range: first.range) : Expr(.name(identifier(first)), range: first.range)
      advance()
      let field = identifier(advance())
      expectEquals("after the field")
      return .setField(target: target, field: field, value: parseExpr())
    }
    switch t.kind {
    case .kwIf:
      return parseBehaviorIf()
    case .kwFor:
      advance()
      let binder = expectBinder()
      expect(.kwIn, "after the loop variable ('for x in xs { … }')")
      let sequence = parseBlockHead()
      return .forLoop(binder: binder, sequence: sequence, body: parseBehaviorBody(after: "the 'for' head"))
    case .kwTerminate:
      advance()
      if !lineBreakHere, eatContextual(.when) != nil { return .terminate(when: parseCondition()) }
      return .terminate(when: nil)
    case .kwRequire:
      advance()
      return .require(parseCondition())
    case .name:
      if peek(1).kind == .equal || peek(1).kind == .colonEqual, !peek(1).newlineBefore, !t.isContextual(.var) {
        let name = identifier(advance())
        expectEquals("after the variable")
        return .assign(name: name, value: parseExpr())
      }
      switch t.contextual {
      case .while:
        guard !peek(1).newlineBefore, startsExpression(peek(1)) else { return nil }
        advance()
        let condition = parseBlockHead()
        return .whileLoop(condition: condition, body: parseBehaviorBody(after: "the 'while' condition"))
      case .var:
        guard peek(1).kind == .name, !peek(1).newlineBefore else { return nil }
        advance()
        let name = expectBinder()
        var type: TypeExpr?
        if eat(.colon) != nil { type = parseType() }
        guard expectEquals("and a value after the variable ('var x = 0')") else { return .error }
        return .variable(name: name, type: type, value: parseExpr())
      case .try:
        guard peek(1).kind == .leftBrace else { return nil }
        return parseTryInterrupt()
      case .precondition, .invariant:
        guard peek(1).kind == .colon else { return nil }
        advance()
        advance()
        let condition = parseCondition()
        return t.contextual == .precondition ? .precondition(condition) : .invariant(condition)
      case .break, .continue, .return, .abort:
        // Alone on its line (or before `}` / `;`), so a variable of that name still works.
        let next = peek(1)
        guard next.newlineBefore || next.kind == .rightBrace || next.kind == .semicolon || next.kind == .eof else {
          return nil
        }
        advance()
        let jump: BehaviorJump = switch t.contextual {
        case .break: .break
        case .continue: .continue
        case .return: .return
        default: .abort
        }
        return .jump(jump)
      case .else:
        let word = advance()
        report(SyntaxError.elseWithoutIf(at: word.range))
        return .error
      default:
        return nil
      }
    default:
      return nil
    }
  }

  /// After `do`: `choose { … }` or `shuffle { … }`, or nil when the action is an ordinary one.
  func parseChooseOrShuffle() -> BehaviorStmtKind? { parseChooseOrShuffle(weightedShuffle: false).map(\.kind) }

  /// `choose { … }` / `shuffle { … }`; with `weightedShuffle` (a `compose` step, where Scenic
  /// weighs the order), `shuffle` entries keep their weights (`entries`).
  func parseChooseOrShuffle(weightedShuffle: Bool) -> (kind: BehaviorStmtKind, entries: [ChoiceEntry])? {
    guard token.isContextual(.choose) || token.isContextual(.shuffle), peek(1).kind == .leftBrace,
      !peek(1).newlineBefore
    else { return nil }
    let word = advance()
    let open = advance()
    var entries: [ChoiceEntry] = []
    insideBrackets {
      while kind != .rightBrace, !isAtEnd {
        let start = token.range.start
        let first = parseExpr()
        if eat(.colon) != nil {
          entries.append(ChoiceEntry(weight: first, action: parseExpr(), range: range(from: start)))
        } else {
          entries.append(ChoiceEntry(weight: nil, action: first, range: range(from: start)))
        }
        if eat(.comma) == nil { break }
      }
    }
    expectCloser(for: open)
    let what = word.contextual == .choose ? "do choose" : "do shuffle"
    if entries.isEmpty { report(SyntaxError.emptyBlockForm(what, at: range(from: word.range.start))) }
    if word.contextual == .shuffle {
      if !weightedShuffle, let weighted = entries.first(where: { $0.weight != nil }) {
        report(SyntaxError.weightInShuffle(at: weighted.range))
      }
      return (.shuffle(entries.map(\.action)), entries)
    }
    return (.choose(entries), entries)
  }

  /// `if c { … } [else if … | else { … }]`; `else` may start the line after the `}`.
  private func parseBehaviorIf() -> BehaviorStmtKind {
    advance()
    let condition = parseBlockHead()
    let then = parseBehaviorBody(after: "the 'if' condition")
    guard token.isContextual(.else) else { return .ifElse(condition: condition, then: then, otherwise: nil) }
    advance()
    if kind == .kwIf {
      let start = token.range.start
      let nested = parseBehaviorIf()
      return .ifElse(condition: condition, then: then, otherwise: [BehaviorStmt(nested, range: range(from: start))])
    }
    return .ifElse(condition: condition, then: then, otherwise: parseBehaviorBody(after: "'else'"))
  }

  /// `try { … } interrupt when c { … } …`: at least one handler.
  private func parseTryInterrupt() -> BehaviorStmtKind {
    let word = advance()
    let body = parseBehaviorBlock()
    var handlers: [InterruptHandler] = []
    while token.isContextual(.interrupt) {
      let start = advance().range.start
      expectWord(.when, "after 'interrupt'")
      let condition = parseBlockHead()
      let block = parseBehaviorBody(after: "the interrupt condition")
      handlers.append(InterruptHandler(condition: condition, body: block, range: range(from: start)))
    }
    if handlers.isEmpty { report(SyntaxError.tryWithoutInterrupt(at: word.range)) }
    return .tryInterrupt(body: body, handlers: handlers)
  }

  /// The expression between a block statement's word and its `{`.
  private func parseBlockHead() -> Expr {
    let saved = braceOpensBlock
    braceOpensBlock = true
    defer { braceOpensBlock = saved }
    return parseCondition()
  }

  private func parseBehaviorBody(after what: String) -> [BehaviorStmt] {
    guard kind == .leftBrace, !token.newlineBefore || kind == .leftBrace else {
      expect(.leftBrace, "after \(what)")
      return []
    }
    return parseBehaviorBlock()
  }
}
