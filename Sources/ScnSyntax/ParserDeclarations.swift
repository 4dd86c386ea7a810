import ScnSource

/// Top-level declarations.
extension ParserState {
  func parseSourceFile() -> SourceFileSyntax {
    var declarations: [Decl] = []
    while !isAtEnd {
      panicking = false
      if eat(.semicolon) != nil { continue }
      if Self.isCloser(kind) {
        let t = advance()
        report(SyntaxError.unmatchedCloser(t.kind.spelling, at: t.range))
        continue
      }
      let before = position
      let decl = parseDeclaration()
      declarations.append(decl)
      if position == before {
        // Nothing could be parsed here; skip the line so the loop always moves on.
        synchronizeStatement()
        if position == before { advance() }
        continue
      }
      if case .error = decl.kind {
        synchronizeStatement()
      } else {
        expectStatementEnd()
      }
    }
    return SourceFileSyntax(file: file.id, declarations: declarations,
                            range: SourceRange(file: file.id, start: 0, end: file.bytes.count))
  }

  func parseDeclaration() -> Decl {
    let first = token
    let documentation = documentation(of: first)
    let annotations = parseAnnotations()
    let start = first.range.start
    let t = token
    let kind: DeclKind
    switch t.kind {
    case .kwImport: kind = parseImport()
    case .kwConst:
      advance()
      kind = parseConstBody()
    case .kwLet:
      advance()
      report(SyntaxError.letAtTopLevel(at: t.range))
      kind = parseConstBody()
    case .kwEnum: kind = parseEnum()
    case .kwActor, .kwSensor: kind = parseRecordType()
    case .kwFn: kind = parseFunction(native: false)
    case .kwNative: kind = parseNative()
    case .kwBehavior: kind = parseBehavior()
    case .name where t.isContextual(.monitor) && peek(1).kind == .name && !peek(1).newlineBefore:
      kind = parseMonitor()
    case .name where t.isContextual(.var) && peek(1).kind == .name && !peek(1).newlineBefore:
      advance()
      kind = parseVariableBody()
    case .name where t.isContextual(.material) && peek(1).kind == .name && !peek(1).newlineBefore:
      kind = parseMaterialType()
    case .kwScenario: kind = parseScenario()
    case .kwDimension:
      advance()
      kind = .dimension(expectName("a dimension name"))
    case .kwUnit: kind = parseUnit()
    case .kwType: kind = parseTypeAlias()
    case .kwParam, .kwEgo, .kwRequire, .kwTerminate, .kwEnvironment, .kwSimulate, .kwCover, .kwAllow, .kwInclude:
      report(SyntaxError.scenarioOnly(t.kind.spelling, at: t.range))
      kind = .error
    case .kwWait, .kwDo, .kwEither:
      report(SyntaxError.expectedDeclaration(found: describe(t), at: t.range))
      kind = .error
    default:
      if !annotations.isEmpty {
        report(SyntaxError.danglingAnnotation(found: describe(t), at: t.range))
      } else if Self.isBinaryOperatorToken(t.kind) {
        report(SyntaxError.leadingOperator(at: t.range))
      } else {
        report(SyntaxError.expectedDeclaration(found: describe(t), at: t.range))
      }
      kind = .error
    }
    return Decl(kind, annotations: annotations, documentation: documentation, range: range(from: start))
  }

  static func isBinaryOperatorToken(_ k: TokenKind) -> Bool {
    switch k {
    case .plus, .star, .slash, .percent, .kwAnd, .kwOr, .equalEqual, .bangEqual, .less, .lessEqual, .greater,
      .greaterEqual, .dotDot, .dotDotLess:
      true
    default: false
    }
  }

  func parseImport() -> DeclKind {
    advance()
    if kind == .string {
      let t = advance()
      return .importFile(path: Lexer.decodeString(range: t.range, in: file), pathRange: t.range)
    }
    guard kind == .name, !token.newlineBefore else {
      let (found, at) = token.newlineBefore || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("a module name like 'std.vehicles' or a path string after 'import'", found: found,
                                  at: at))
      return .error
    }
    var parts = [identifier(advance())]
    while !lineBreakHere, eat(.dot) != nil {
      if kind == .name || kind.isKeyword {
        parts.append(identifier(advance()))
      } else {
        parts.append(expectName("a module name after '.'"))
        break
      }
    }
    return .importModule(parts)
  }

  /// After `const` (or a misplaced top-level `let`): `NAME (: Type)? = value`.
  func parseConstBody() -> DeclKind {
    let name = expectName("a constant name")
    var type: TypeExpr?
    if eat(.colon) != nil { type = parseType() }
    guard expectEquals("and a value after the constant's name") else { return .error }
    return .const(name, type: type, value: parseExpr())
  }

  /// `var name: Type = value` at the top level (after `var`).
  func parseVariableBody() -> DeclKind {
    let name = expectName("a variable name")
    var type: TypeExpr?
    if eat(.colon) != nil { type = parseType() }
    guard expectEquals("and a value after the variable's name") else { return .error }
    return .variable(name, type: type, value: parseExpr())
  }

  func parseEnum() -> DeclKind {
    let keyword = advance()
    let name = expectName("an enum name")
    guard kind == .leftBrace else {
      expect(.leftBrace, "to start the enum's cases")
      return .error
    }
    let open = advance()
    let cases: [EnumCase] = insideBrackets {
      var cases: [EnumCase] = []
      while true {
        while eat(.comma) != nil || eat(.semicolon) != nil {}
        if eat(.rightBrace) != nil { break }
        if isAtEnd || (token.newlineBefore && startsStatement(token)) {
          reportUnclosed(open)
          break
        }
        let doc = documentation(of: token)
        let before = position
        let caseName = expectName("an enum case name")
        if position == before {
          synchronizeInBraces()
          break
        }
        cases.append(EnumCase(name: caseName, documentation: doc, range: caseName.range))
        if kind == .comma || kind == .semicolon || kind == .rightBrace || token.newlineBefore { continue }
        expectCloser(for: open)
        break
      }
      return cases
    }
    if cases.isEmpty, !panicking { report(SyntaxError.emptyBlockForm("enum", at: range(from: keyword.range.start))) }
    return .enumeration(name, cases: cases)
  }

  /// `actor Name : Base { fields }` and `sensor Name : Base { fields }`.
  func parseRecordType() -> DeclKind {
    let keyword = advance()
    let name = expectName(keyword.kind == .kwActor ? "an actor type name" : "a sensor type name")
    var base: Identifier?
    if eat(.colon) != nil { base = expectName("a base type name after ':'") }
    guard kind == .leftBrace else {
      if base == nil, kind == .equal || kind == .colonEqual, keyword.kind == .kwSensor {
        report(SyntaxError.scenarioOnly("sensor \(name.name) = …", at: keyword.range))
      } else {
        expect(.leftBrace, "to start the fields")
      }
      return .error
    }
    let fields = parseFieldDeclBlock()
    return keyword.kind == .kwActor ? .actor(name, base: base, fields: fields) : .sensor(name, base: base, fields: fields)
  }

  /// `material Name : Base { fields }`: a record type whose values are plain values.
  func parseMaterialType() -> DeclKind {
    advance()
    let name = expectName("a material type name")
    var base: Identifier?
    if eat(.colon) != nil { base = expectName("a base material name after ':'") }
    guard kind == .leftBrace else {
      expect(.leftBrace, "to start the fields")
      return .error
    }
    return .material(name, base: base, fields: parseFieldDeclBlock())
  }

  /// `{ name: Type = default … }`, fields separated by `,` or line breaks.
  func parseFieldDeclBlock() -> [FieldDecl] {
    let open = advance()
    let saved = (newlinesSignificant, specifiersAllowed, inCondition)
    newlinesSignificant = true
    specifiersAllowed = true
    inCondition = false
    defer { (newlinesSignificant, specifiersAllowed, inCondition) = saved }
    var fields: [FieldDecl] = []
    while true {
      panicking = false
      while eat(.comma) != nil || eat(.semicolon) != nil {}
      if eat(.rightBrace) != nil { break }
      if isAtEnd || (token.newlineBefore && startsStatement(token) && kind != .atSign) {
        reportUnclosed(open)
        break
      }
      let before = position
      let doc = documentation(of: token)
      let start = token.range.start
      let annotations = parseAnnotations()
      // `var name: …` (a field behaviors may assign); `var` alone or before ':' / '=' is a name.
      var isVar = false
      if token.isContextual(.var), peek(1).kind == .name, !peek(1).newlineBefore {
        advance()
        isVar = true
      }
      let name = expectName("a field name")
      var type: TypeExpr?
      var defaultValue: Expr?
      if eat(.colon) != nil { type = parseType() }
      if kind == .equal || kind == .colonEqual {
        expectEquals("")
        defaultValue = parseExpr()
      }
      if type == nil, defaultValue == nil, !name.isMissing {
        let (found, at) = lineBreakHere ? ("newline", point(previousEnd)) : (describe(token), token.range)
        report(SyntaxError.expected("':' and a type, or '=' and a default, after the field name", found: found,
                                    at: at))
      }
      var field = FieldDecl(name: name, type: type, defaultValue: defaultValue, annotations: annotations,
                            documentation: doc, range: range(from: start))
      field.isVar = isVar
      fields.append(field)
      if position == before {
        synchronizeStatement()
        if position == before { advance() }
        continue
      }
      if eat(.comma) != nil || eat(.semicolon) != nil || token.newlineBefore || kind == .rightBrace { continue }
      report(SyntaxError.expectedStatementEnd(found: describe(token), at: token.range))
      synchronizeStatement()
    }
    return fields
  }

  func parseParameterList() -> [Parameter] {
    guard kind == .leftParen else {
      expect(.leftParen, "to start the parameter list")
      return []
    }
    let open = advance()
    return insideBrackets {
      var parameters: [Parameter] = []
      while true {
        if eat(.rightParen) != nil { break }
        if isAtEnd {
          reportUnclosed(open)
          break
        }
        let before = position
        let start = token.range.start
        let name = expectName("a parameter name")
        var type: TypeExpr?
        var defaultValue: Expr?
        if eat(.colon) != nil { type = parseType() }
        if kind == .equal || kind == .colonEqual {
          expectEquals("")
          defaultValue = parseExpr()
        }
        parameters.append(Parameter(name: name, type: type, defaultValue: defaultValue, range: range(from: start)))
        if eat(.comma) != nil { continue }
        if eat(.rightParen) != nil { break }
        if position == before || !(kind == .name && !token.newlineBefore) {
          expectCloser(for: open)
          break
        }
        reportMissingSeparator(open)
      }
      return parameters
    }
  }

  /// `-> Type`, reporting a missing arrow (with a fix-it) when a type follows directly.
  func parseReturnType(required: Bool) -> TypeExpr? {
    if eat(.arrow) != nil { return parseType() }
    if kind == .name, !token.newlineBefore {
      report(SyntaxError.missingArrow(found: describe(token), at: token.range))
      return parseType()
    }
    if required {
      let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
      report(SyntaxError.expected("'->' and the return type of a native function", found: found, at: at))
    }
    return nil
  }

  func parseFunction(native: Bool) -> DeclKind {
    advance()
    let name = expectName("a function name")
    let parameters = parseParameterList()
    let returnType = parseReturnType(required: native)
    if native {
      if let eq = eat(.equal) {
        report(SyntaxError.nativeWithBody(at: eq.range))
        _ = parseExpr()
      }
      return .nativeFunction(name, parameters: parameters,
                             returnType: returnType ?? TypeExpr(.missing, range: point(previousEnd)))
    }
    if kind == .equal || kind == .colonEqual {
      expectEquals("")
      return .function(name, parameters: parameters, returnType: returnType, body: parseExpr())
    }
    let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.functionWithoutBody(found: found, at: at))
    return .function(name, parameters: parameters, returnType: returnType, body: Expr(.missing, range: at))
  }

  func parseNative() -> DeclKind {
    let native = advance()
    if kind == .kwFn { return parseFunction(native: true) }
    if token.isContextual(.action) {
      advance()
      let name = expectName("an action name")
      let parameters = parseParameterList()
      if kind == .arrow {
        report(SyntaxError.expected("the end of the action declaration (actions return nothing)",
                                    found: describe(token), at: token.range))
      }
      return .nativeAction(name, parameters: parameters)
    }
    report(SyntaxError.expectedSpecifierWord(after: "native", expected: "fn' or 'action", found: describe(token),
                                             at: token.range.start == native.range.end ? native.range : token.range))
    return .error
  }

  func parseBehavior() -> DeclKind {
    advance()
    let name = expectName("a behavior name")
    let parameters = kind == .leftParen ? parseParameterList() : []
    // `for Type`: the actor type the behavior runs on (`self`'s type).
    var actor: Identifier?
    if kind == .kwFor, !token.newlineBefore {
      advance()
      actor = expectName("the actor type the behavior runs on ('behavior B() for Car { … }')")
    }
    guard kind == .leftBrace else {
      expect(.leftBrace, "to start the behavior's body")
      guard bodyFollowsMissingBrace() else { return .error }
      return .behavior(name, parameters: parameters, actor: actor, body: parseBehaviorBlock())
    }
    return .behavior(name, parameters: parameters, actor: actor, body: parseBehaviorBlock())
  }

  /// `monitor Name(params) { body }`: the body of a behavior, run without an actor.
  func parseMonitor() -> DeclKind {
    let word = token
    guard case .behavior(let name, let parameters, let actor, let body) = parseBehavior() else { return .error }
    if let actor { report(SyntaxError.monitorWithActor(at: actor.range, monitor: word.range)) }
    return .monitor(name, parameters: parameters, body: body)
  }

  func parseScenario() -> DeclKind {
    advance()
    let name = expectName("a scenario name")
    // `scenario S(x: T = d)`: each parameter is the scenario's `param x: T = d`.
    var params: [Stmt] = []
    if kind == .leftParen, !token.newlineBefore {
      for p in parseParameterList() where !p.name.isMissing {
        if p.type == nil, p.defaultValue == nil {
          report(SyntaxError.expected("':' and a type, or '=' and a default value, after the scenario parameter",
                                      found: "'\(p.name.name)' alone", at: p.range))
          continue
        }
        params.append(Stmt(.param(name: p.name, type: p.type, defaultValue: p.defaultValue), range: p.range))
      }
    }
    var base: Identifier?
    if eatContextual(.extends) != nil { base = expectName("the name of the scenario to extend") }
    guard kind == .leftBrace else {
      expect(.leftBrace, "to start the scenario's body")
      guard bodyFollowsMissingBrace() else { return .error }
      return .scenario(name, base: base, body: params + parseScenarioBlock())
    }
    return .scenario(name, base: base, body: params + parseScenarioBlock())
  }

  /// After a missing `{`: does a body statement start the next line?
  func bodyFollowsMissingBrace() -> Bool {
    token.newlineBefore && startsStatement(token) && !startsDeclarationOnly(token) && kind != .kwConst
  }

  func parseUnit() -> DeclKind {
    advance()
    let name = expectName("a unit name")
    if eat(.colon) != nil { return .unit(name, .base(dimension: expectName("a dimension name after ':'"))) }
    if kind == .equal || kind == .colonEqual {
      expectEquals("")
      return .unit(name, .derived(parseExpr()))
    }
    let (found, at) = lineBreakHere || isAtEnd ? ("newline", point(previousEnd)) : (describe(token), token.range)
    report(SyntaxError.expected("': Dimension' or '= quantity' after the unit name", found: found, at: at))
    return .error
  }

  func parseTypeAlias() -> DeclKind {
    advance()
    let name = expectName("a type name")
    guard expectEquals("after the type name") else { return .error }
    return .typeAlias(name, parseType(allowDimensions: true))
  }
}
