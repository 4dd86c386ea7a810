import ScnSource

/// Heading-field syntax (docs/language-tour.md, "Heading fields").
extension ParserState {
  /// After `following`: `F [from P] for D`. The `for` is required, so in a comprehension
  /// `[Car following F for 5m for i in 0..<3]` the first `for` after `following` belongs to it.
  func parseFollowing() -> SpecifierKind {
    let field = parseSpecifierArgument()
    var from: Expr?
    if !lineBreakHere, eatContextual(.from) != nil { from = parseSpecifierArgument() }
    if lineBreakHere || eat(.kwFor) == nil {
      let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("'for D' after 'following F' ('following F from P for D')", found: found, at: at))
      return .following(field, from: from, distance: missingExpr())
    }
    return .following(field, from: from, distance: parseSpecifierArgument())
  }

  /// After `visible` (at `peek(offset)`): a name on the same line that is not `from` (the
  /// specifier `visible from S`; `(` stays the query `visible(x, from: camera)`), so
  /// `visible R` is the region operator.
  func startsVisibleRegion(at offset: Int) -> Bool {
    let next = peek(offset)
    // A region operand starts with a name (`lot`, `rect(...)`, `town.lanes[0]`); words that
    // continue an expression instead (`if visible then …`) are not operands.
    return !next.newlineBefore && next.kind == .name && !next.isContextual(.from) && !next.isContextual(.then)
      && !next.isContextual(.else) && !(next.isContextual(.relative) && peek(offset + 1).isContextual(.to))
      && !(next.isContextual(.can) && peek(offset + 1).isContextual(.see))
  }
}
