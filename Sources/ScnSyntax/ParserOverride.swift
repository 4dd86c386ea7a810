import ScnSource

/// `record` and `override` statements of a scenario body (docs/language-tour.md,
/// "Recording values" and "Overrides").
extension ParserState {
  /// At `record …` or `override …` starting a statement: the word followed, on its line, by
  /// what starts an expression other than `-` (so `record - 1` stays an expression). A `(`
  /// starts the statement too, spaced or not, since `scn fmt` may remove the space: a
  /// statement `record(x)` is `record (x)`.
  func startsRecordOrOverride(_ t: RawToken) -> Bool {
    guard t.kind == .name, t.contextual == .record || t.contextual == .override else { return false }
    let next = peek(1)
    return !next.newlineBefore && startsExpression(next) && next.kind != .minus
  }

  /// `record [initial|final] e [as name]`.
  func parseRecordStatement() -> StmtKind {
    advance()  // record
    var time = RecordTime.everyStep
    if (token.isContextual(.initial) || token.isContextual(.final)), !peek(1).newlineBefore, startsExpression(peek(1)) {
      time = advance().contextual == .initial ? .initial : .final
    }
    let value = parseExpr()
    return .record(
      time, value,
      name: parseAsName(
        expected: "a name after 'as' (a name or a string)", integers: false,
        note: "'record e as name' keeps the values under that name"))
  }

  /// `override X with f v [,] with behavior B …`: at least one `with`.
  func parseOverrideStatement() -> StmtKind {
    let word = advance()  // override
    let saved = specifiersAllowed
    specifiersAllowed = false
    let target = parseExpr()
    specifiersAllowed = saved
    var items: [OverrideItem] = []
    // `with` may begin the next line, as a specifier word continues the previous line.
    while true {
      if kind == .comma, !lineBreakHere, peek(1).kind == .kwWith { advance() }
      guard kind == .kwWith else { break }
      let with = advance()
      if eat(.kwBehavior) != nil {
        if token.kind == .name, token.text(in: file) == "none", peek(1).newlineBefore || peek(1).kind == .comma
          || peek(1).kind == .kwWith || peek(1).kind == .rightBrace || peek(1).kind == .semicolon || peek(1).kind == .eof
        {
          let none = advance()
          items.append(.behavior(nil, range: with.range.union(none.range)))
        } else {
          let b = parseSpecifierArgument()
          items.append(.behavior(b, range: with.range.union(b.range)))
        }
        continue
      }
      guard kind == .name, !lineBreakHere else {
        let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
        report(SyntaxError.expected("a field name or 'behavior' after 'with' ('with speed_limit 5m/s')", found: found,
                                    at: at))
        return .error
      }
      let name = advance()
      let id = Identifier(name: name.text(in: file), range: name.range)
      let value = parseSpecifierArgument()
      items.append(.field(FieldInit(name: id, value: value, range: with.range.union(value.range))))
    }
    if items.isEmpty, !lineBreakHere, isSpecifierStart {
      // `override Box at P …`: the target is an actor of the scene, not a new one.
      report(SyntaxError.expected("'with' after the actor to override", found: describe(token), at: token.range,
                                  notes: [Note("'override' changes an actor the scenario already has: name it")]))
      return .error
    }
    if items.isEmpty {
      report(SyntaxError.overrideWithoutItems(at: word.range.union(target.range)))
    }
    return .override(target: target, items: items)
  }
}
