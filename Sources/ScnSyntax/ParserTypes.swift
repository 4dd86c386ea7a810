import ScnSource

/// Types: `Name`, `a.b.Name`, `[T]`, `(T, U)`; in `type` declarations also dimension
/// expressions built with `*`, `/`, `^ -?digits` and the literal `1`.
extension ParserState {
  /// A type; dimension operators are accepted when `allowDimensions` (or, when nil, when an
  /// enclosing `type` declaration allowed them).
  func parseType(allowDimensions: Bool? = nil) -> TypeExpr {
    guard enterNesting() else { return TypeExpr(.missing, range: point(token.range.start)) }
    let allowed = allowDimensions ?? dimensionsAllowed
    let saved = dimensionsAllowed
    dimensionsAllowed = allowed
    defer {
      leaveNesting()
      dimensionsAllowed = saved
    }
    let start = token.range.start
    var lhs = parseTypePower()
    var usedDimensionOperator = false
    var links = 0
    defer { depth -= links }
    while !lineBreakHere, kind == .star || kind == .slash {
      links += 1
      guard enterNesting() else { break }
      let op = advance()
      usedDimensionOperator = true
      let rhs = parseTypePower()
      lhs = TypeExpr(op.kind == .star ? .product(lhs, rhs) : .quotient(lhs, rhs), range: range(from: start))
    }
    if case .power = lhs.kind { usedDimensionOperator = true }
    if case .one = lhs.kind { usedDimensionOperator = true }
    if usedDimensionOperator, !allowed {
      report(SyntaxError.dimensionOutsideTypeDecl(at: lhs.range))
    }
    return lhs
  }

  func parseTypePower() -> TypeExpr {
    let start = token.range.start
    let base = parseTypePrimary()
    guard !lineBreakHere, kind == .caret else { return base }
    advance()
    let negative = eat(.minus) != nil
    guard kind == .integer else {
      let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("an integer exponent after '^'", found: found, at: at))
      return base
    }
    let digits = advance().text(in: file)
    return TypeExpr(.power(base, exponentText: (negative ? "-" : "") + digits), range: range(from: start))
  }

  func parseTypePrimary() -> TypeExpr {
    let t = token
    switch t.kind {
    case .name:
      var parts = [identifier(advance())]
      while !lineBreakHere, kind == .dot {
        advance()
        parts.append(expectName("a type name after '.'"))
      }
      return TypeExpr(.name(parts), range: range(from: t.range.start))
    case .integer where t.text(in: file) == "1":
      advance()
      return TypeExpr(.one, range: t.range)
    case .leftBracket:
      let open = advance()
      let element = insideBrackets { parseType() }
      expectCloser(for: open)
      return TypeExpr(.list(element), range: range(from: t.range.start))
    case .leftParen:
      let open = advance()
      let elements: [TypeExpr] = insideBrackets {
        var elements: [TypeExpr] = []
        if kind == .rightParen { return elements }
        repeat {
          if kind == .rightParen { break }
          let before = position
          elements.append(parseType())
          if position == before { break }
        } while eat(.comma) != nil
        return elements
      }
      expectCloser(for: open)
      // `(T)` is grouping, not a one-element tuple.
      if elements.count == 1, let only = elements.first { return only }
      return TypeExpr(.tuple(elements), range: range(from: t.range.start))
    default:
      let (found, at) = lineBreakHere || t.kind == .eof
        ? (t.kind == .eof ? "end of file" : "newline", point(previousEnd)) : (describe(t), t.range)
      report(SyntaxError.expectedType(found: found, at: at))
      return TypeExpr(.missing, range: point(t.range.start))
    }
  }
}
