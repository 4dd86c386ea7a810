import ScnSource

/// The checker's message catalog. Codes are stable (golden files and users' CI refer to
/// them): E02xx names and types, E03xx distributions, E04xx/W04xx static constraint
/// analysis, W05xx dataset annotations. Kept alphabetical by function name.
enum SemaDiagnostics {
  private static func suggest(_ s: String?) -> [Note] { s.map { [Note("did you mean '\($0)'?")] } ?? [] }
  private static func suggestFix(_ s: String?, _ range: SourceRange) -> [FixIt] {
    s.map { [FixIt.replace(range, with: $0, "replace with '\($0)'")] } ?? []
  }
  private static func previousNote(_ r: SourceRange?) -> [Note] {
    r.map { [Note("previously defined here", at: $0)] } ?? []
  }

  static func annotationArgumentType(_ name: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0214"), "argument of '@\(name)' must be a string literal, found '\(found)'", at: r)
  }
  static func annotationMissingArguments(_ name: String, _ missing: [String], at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0249"), "'@\(name)' is missing \(missing.joined(separator: ", "))", at: r)
  }
  static func mapPath(_ path: String, reason: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0275"), "cannot use '\(path)' as a map path: \(reason)", at: r,
      notes: [Note("a map path is a string literal relative to the scenario file, inside its folder")])
  }
  static func emptyRoute(_ action: String, what: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0278"), "'\(action)' needs at least one \(what), found an empty list", at: r,
      notes: [Note(what == "lane"
        ? "give the lanes to drive, in order (elements of 'town.lanes' and their 'successors'), or use follow_lane"
        : "give the points to drive through, in order, e.g. [(120m, 40m, 0m)]")])
  }
  static func roadArgumentOutOfRange(
    _ callee: String, _ parameter: String, expected: String, found: String, at r: SourceRange
  ) -> Diagnostic {
    .error(DiagnosticCode("E0279"), "'\(callee)': '\(parameter)' must be \(expected), found \(found)", at: r)
  }
  static func signalTimingOutOfRange(_ parameter: String, expected: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0283"), "'signal_timing': '\(parameter)' must be \(expected), found \(found)", at: r)
  }
  static func mapUnreadable(_ path: String, reason: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0276"), "cannot read the map file '\(path)': \(reason)", at: r)
  }
  static func argumentCount(_ callee: String, expected: Int, found: Int, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0206"), "'\(callee)' takes \(expected) argument\(expected == 1 ? "" : "s"), found \(found)",
      at: r)
  }
  static func noAlternatives(_ callee: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0206"), "'\(callee)' takes at least 1 alternative, found none", at: r)
  }
  static func badBase(_ name: String, isSensor: Bool, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0226"), "'\(name)' is not \(isSensor ? "a sensor" : "an actor") type", at: r,
      notes: suggest(suggestion), fixIts: suggestFix(suggestion, r))
  }
  static func badBuckets(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0242"), "cover buckets must be a constant list of increasing edges", at: r)
  }
  static func badExponent(_ text: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0225"), "dimension exponent '\(text)' must be a small integer", at: r)
  }
  static func badExtends(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0216"), "cannot extend '\(name)': it is not a scenario", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func badInclude(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0233"), "cannot include '\(name)': expected another scenario", at: r,
      notes: suggest(suggestion), fixIts: suggestFix(suggestion, r))
  }
  static func badIncludeWeight(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0250"), "an include weight must be a positive constant", at: r)
  }
  static func badOperand(_ op: String, _ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0210"), "cannot apply '\(op)' to '\(t)'", at: r)
  }
  static func badOperands(
    _ op: String, _ a: String, _ b: String, at r: SourceRange, highlights: [SourceRange]
  ) -> Diagnostic {
    .error(DiagnosticCode("E0210"), "cannot apply '\(op)' to '\(a)' and '\(b)'", at: r, highlights: highlights)
  }
  static func caseWhereNotEnum(_ name: String, enumName: String, expected: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0220"), "'\(name)' is a case of enum '\(enumName)', but '\(expected)' is expected here", at: r)
  }
  static func coverNeedsBuckets(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0251"),
      "cover of '\(t)' needs 'buckets [...]' (only Int, Bool and enums get one bucket per value)", at: r)
  }
  static func definitionCycle(_ names: [String], at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0212"), "definitions form a cycle: \(names.joined(separator: " -> "))", at: r)
  }
  static func derivedField(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0227"), "'\(name)' is derived from 'size' and cannot be set", at: r)
  }
  static func dimensionMismatch(
    op: TypedBinaryOp, _ a: String, _ b: String, at r: SourceRange, highlights: [SourceRange],
    note: String, fixIts: [FixIt] = []
  ) -> Diagnostic {
    let verb: String
    switch op {
    case .add: verb = "add"
    case .sub: verb = "subtract"
    case .mod: verb = "take the remainder of"
    default: verb = "compare"
    }
    let message = op == .sub ? "cannot subtract '\(b)' from '\(a)'" : "cannot \(verb) '\(a)' and '\(b)'"
    return .error(DiagnosticCode("E0203"), message, at: r, highlights: highlights, notes: [Note(note)], fixIts: fixIts)
  }
  static func distributionDimension(_ d: String, expected: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0248"), "arguments of '\(d)' must have one dimension: expected '\(expected)', found '\(found)'",
      at: r)
  }
  static func duplicateAnnotation(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0245"), "duplicate annotation '@\(name)'", at: r)
  }
  static func duplicateArgument(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0229"), "'\(name)' is given more than once", at: r)
  }
  static func duplicateDefinition(_ name: String, at r: SourceRange, previous: SourceRange?) -> Diagnostic {
    .error(DiagnosticCode("E0211"), "'\(name)' is defined more than once", at: r, notes: previousNote(previous))
  }
  // Sub-scenarios (docs/language-tour.md, "Sub-scenarios").
  static func stepNeverRuns(at r: SourceRange, unbounded: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0150"), "this step never runs: the step before it never ends", at: r,
      notes: [
        Note("this step runs sub-scenarios none of which has 'terminate', a behavior or a monitor that could end it", at: unbounded),
        Note("bound it with 'for T' or 'until c', or give its sub-scenario a 'terminate when' or 'terminate after'"),
      ])
  }
  static func nestedSchedule(_ name: String, at r: SourceRange, run: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0151"),
      "'\(name)' runs its sub-scenarios in steps ('wait', several 'do' lines, 'do choose', 'do shuffle'), so it cannot itself run as a sub-scenario",
      at: r,
      notes: [
        Note("run here", at: run),
        Note("only the scenario that is generated may run steps one after another; move the steps into it"),
      ])
  }
  static func extendsSchedule(_ name: String, _ base: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0153"),
      "'\(name)' cannot extend '\(base)': '\(base)' runs its sub-scenarios in steps, which a derived scenario does not inherit",
      at: r, notes: [Note("run '\(base)' from a 'compose' step of '\(name)', or copy its steps")])
  }
  static func badStepWeight(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0152"), "a 'do choose' or 'do shuffle' weight must be a positive constant number", at: r)
  }
  static func composeTooDeep(_ limit: Int, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0142"), "sub-scenarios nested more than \(limit) deep are not supported", at: r,
      notes: [Note("each scenario here runs the next through 'compose'")])
  }
  static func notAScenarioInvocation(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0144"), "expected a scenario to run ('Name' or 'Name(arguments)')", at: r)
  }
  static func unknownSubScenario(_ name: String, at r: SourceRange, note: String?, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0144"), "cannot run '\(name)' as a sub-scenario: expected a scenario", at: r,
      notes: (note.map { [Note($0)] } ?? []) + suggest(suggestion), fixIts: suggestFix(suggestion, r))
  }
  static func subScenarioArgument(_ message: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(DiagnosticCode("E0145"), message, at: r, notes: suggest(suggestion), fixIts: suggestFix(suggestion, r))
  }
  static func composeCycle(_ names: [String], at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0146"), "scenarios run each other in a cycle: \(names.joined(separator: " -> "))", at: r,
      notes: [Note("a sub-scenario cannot run itself or a scenario that runs it")])
  }
  static func composeTwice(at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0147"), "a scenario has at most one 'compose' block", at: r, notes: previousNote(previous))
  }
  static func composeMixture(_ name: String, at r: SourceRange, include: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0149"), "'\(name)' is a mixture ('include'), which cannot run as a sub-scenario", at: r,
      notes: [Note("its 'include' is here", at: include)])
  }
  static func duplicateEgo(at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0244"), "a scenario has at most one 'ego'", at: r, notes: previousNote(previous))
  }
  static func duplicateFailureModeCover(_ point: String, at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0271"), "cover point '\(point)' appears twice in one failure mode's 'covers'", at: r,
      notes: [Note("first named here; one range may span several buckets", at: previous)])
  }
  static func egoNotActor(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0235"), "'ego' must be an actor, found '\(t)'", at: r)
  }
  static func egoOutsideScenario(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0234"), "'ego' is only available inside a scenario or behavior", at: r)
  }
  static func emptyTruncation(at r: SourceRange, highlights: [SourceRange]) -> Diagnostic {
    .error(DiagnosticCode("E0303"), "'truncnormal' needs lo < hi", at: r, highlights: highlights)
  }
  static func environmentFieldNoEffect(_ name: String, reason: String, at r: SourceRange) -> Diagnostic {
    .warning(DiagnosticCode("W0290"), "environment field '\(name)' has no effect", at: r, notes: [Note(reason)])
  }
  static func environmentOutOfRange(_ name: String, expected: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0291"), "environment field '\(name)' is out of range", at: r, notes: [Note("expected \(expected)")])
  }
  static func extendsCycle(_ names: [String], at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0252"), "scenarios extend each other in a cycle: \(names.joined(separator: " -> "))", at: r)
  }
  static func fieldNeedsType(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0227"), "field '\(name)' needs a type (it overrides nothing)", at: r)
  }
  static func fieldOverrideType(_ name: String, base: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0227"), "field '\(name)' is '\(base)' in the base type, found '\(found)'", at: r)
  }
  static func fogAndVisibility(at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0290"), "'fog' and 'visibility' both set the air's extinction; give one of them", at: r,
      notes: [Note("the other is set here", at: previous), Note("visibility V and fog f are related by 3.912 / V = -ln(1 - f) / 100m")])
  }
  static func functionAsValue(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0224"), "'\(name)' is a function; call it with '(...)'", at: r)
  }
  static func importCycle(_ files: [String], at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0231"), "import cycle: \(files.joined(separator: " -> "))", at: r)
  }
  static func indexOutOfRange(_ k: Int64, count: Int, at r: SourceRange, tuple: Bool = false) -> Diagnostic {
    .error(DiagnosticCode("E0237"), "index \(k) is out of range for a \(tuple ? "tuple" : "list") of \(count)", at: r)
  }
  static func inheritanceCycle(_ name: String, base: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0226"), "'\(name)' inherits from itself through '\(base)'", at: r)
  }
  static func failureModeCoverEdge(_ bound: String, point: String, edges: [String], at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0272"), "'\(bound)' is not a bucket edge of cover point '\(point)'", at: r,
      notes: edges.isEmpty ? [] : [Note("the edges are \(edges.joined(separator: ", "))")])
  }
  static func failureModeCoverRange(_ point: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0273"),
      "cover point '\(point)' has bucket edges: name its buckets with a half-open range 'lo..<hi' of two edges, lo < hi",
      at: r)
  }
  static func failureModeCoverValue(_ point: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0273"), "cover point '\(point)' has one bucket per value: name it with '== value' (a constant)",
      at: r)
  }
  static func failureModeCoversForm(at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0270"),
      "'covers' takes a list of cover-point conditions such as '[lighting in 0lx..<10lx, weather == rain]'", at: r)
  }
  static func integerOverflow(_ text: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0247"), "number '\(text)' is out of range", at: r)
  }
  /// E0630: a fisheye camera whose constant lens cannot cover its image (`FisheyeLimits`).
  static func fisheyeOutOfRange(_ problem: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0630"), problem, at: r)
  }
  /// E0631: a pinhole camera with a constant fov of 180° or more (its image plane cannot
  /// hold it); the fix-it makes the camera a fisheye.
  static func pinholeTooWide(degrees: Double, at r: SourceRange, fieldStart: Int) -> Diagnostic {
    let found = degrees == degrees.rounded() ? String(Int(degrees)) : String(degrees)
    return .error(
      DiagnosticCode("E0631"),
      "a pinhole camera's fov must be less than 180deg, found \(found)deg", at: r,
      notes: [Note("a lens this wide needs the fisheye model: 'model: fisheye' (Kannala–Brandt, 'fisheye_distortion')")],
      fixIts: [.insert("model: fisheye, ", at: fieldStart, in: r.file, "make the camera a fisheye")])
  }
  /// W0630 (fisheye coefficients on a pinhole), W0631 (Brown–Conrady coefficients on a
  /// fisheye): lens coefficients of the other model, which the renderer does not use.
  static func lensFieldWithoutEffect(_ field: String, model: String, uses: String, at r: SourceRange) -> Diagnostic {
    .warning(
      DiagnosticCode(model == "pinhole" ? "W0630" : "W0631"),
      "'\(field)' has no effect on a \(model) camera", at: r,
      notes: [Note("a \(model) camera's lens is set by '\(uses)'; '\(field)' is for 'model: \(model == "pinhole" ? "fisheye" : "pinhole")'")])
  }
  /// E0258: a constant sensor setting outside what the renderer supports (`SensorLimits`).
  static func badSensorSetting(_ problem: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0258"), problem, at: r)
  }
  /// E0257: a constant expression whose value the runtime could not represent.
  static func constantOverflow(_ found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0257"), "this constant expression overflows: expected a finite value, found \(found)", at: r)
  }
  static func listElementMismatch(expected: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0238"), "list elements must have one type: expected '\(expected)', found '\(found)'", at: r)
  }
  static func malformedUnit(_ text: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0222"), "malformed unit '\(text)'", at: r)
  }
  static func misplacedAnnotation(_ name: String, onScenario: Bool, at r: SourceRange) -> Diagnostic {
    onScenario
      ? .error(DiagnosticCode("E0215"), "'@\(name)' belongs on a member or field, not on a scenario", at: r)
      : .error(DiagnosticCode("E0215"), "'@\(name)' belongs on a scenario", at: r)
  }
  static func missingArguments(_ names: [String], callee: String, at r: SourceRange) -> Diagnostic {
    let list = names.map { "'\($0)'" }.joined(separator: ", ")
    return .error(
      DiagnosticCode("E0208"), "missing argument\(names.count == 1 ? "" : "s") \(list) in call to '\(callee)'", at: r)
  }
  static func missingDatasetAnnotations(_ scenario: String, _ missing: [String], at r: SourceRange) -> Diagnostic {
    .warning(
      DiagnosticCode("W0501"),
      "scenario '\(scenario)' lacks \(missing.map { "@\($0)" }.joined(separator: ", ")) (required by 'scn generate')",
      at: r)
  }
  static func missingFields(_ names: [String], of type: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0228"), "'\(type)' needs \(names.map { "'\($0)'" }.joined(separator: ", ")) (no default)", at: r)
  }
  static func missingImport(_ path: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0230"), "cannot find module '\(path)'", at: r)
  }
  static func missingImportedFile(_ path: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0230"), "cannot find file '\(path)'", at: r)
  }
  static func negativeDeviation(_ d: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0301"), "the standard deviation of '\(d)' must not be negative", at: r)
  }
  static func negativeWeight(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0305"), "a choice weight must not be negative", at: r)
  }
  static func expressionsTooDeep(limit: Int, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0255"),
           "this expression, with the constants and functions it reads, nests more than \(limit) levels deep; split it with shorter definitions",
           at: r)
  }
  static func nestedTooDeeply(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0255"), "'\(name)' depends on a chain of more than 400 definitions; split the chain", at: r)
  }
  static func noEgo(scenario: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0234"), "scenario '\(scenario)' has no 'ego'", at: r)
  }
  static func notABehavior(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0236"), "'with behavior' needs a behavior or action invocation, found '\(t)'", at: r)
  }
  static func notADimension(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0225"), "'\(t)' is not a dimension", at: r)
  }
  static func notAType(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0225"), "'\(name)' is not a type", at: r)
  }
  static func notAnActor(_ specifier: String, found: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0218"), "'\(specifier)' needs an actor, found '\(found)'", at: r)
  }
  static func notCallable(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0209"), "'\(name)' is not a function", at: r)
  }
  static func notConstructible(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0235"), "'\(name)' is not an actor or sensor type", at: r)
  }
  static func notImported(_ name: String, module: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0223"), "'\(name)' is declared in \(module), which this file does not import", at: r,
      notes: [Note("add 'import \(module)'")])
  }
  /// E0293: a tuple indexed by a value that is not a constant Int (its elements may differ
  /// in type, so the index must be known when checking).
  static func tupleIndexNotConstant(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0293"), "a tuple's index must be a constant Int ('\(t)' has elements of their own types)", at: r,
      notes: [Note("use a list ('[a, b]') to pick an element by a computed or random index")])
  }
  /// E0294: `resample(x)` whose argument is not a `let` bound to one distribution.
  static func resampleArgument(_ found: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0294"), "'resample' takes the name of a 'let' bound to one distribution, found \(found)", at: r,
      notes: [Note("name the distribution first ('let x = uniform(0m, 1m)') and resample that: 'resample(x)'")])
  }
  /// E0295: a mutable global (`var x = …` at the top level) whose initial value is not a
  /// constant.
  static func globalVariableNotConstant(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0295"), "the initial value of global 'var \(name)' must be a constant", at: r,
      notes: [Note("every simulation starts from this value; draw random values in the scenario ('let') and assign them in a behavior")])
  }
  static func notIndexable(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0237"), "cannot index '\(t)'", at: r)
  }
  static func notIterable(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0237"), "cannot iterate over '\(t)'; expected a list or range", at: r)
  }
  static func overrideNonParam(_ name: String, at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0217"), "cannot override '\(name)': only a 'param' of the base scenario can be overridden",
      at: r,
      notes: [Note("inherited definition is here", at: previous)])
  }
  static func paramNeedsDefault(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0240"), "'\(name)' needs a value", at: r)
  }
  static func paramReadsDefinition(_ name: String, definition: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0254"),
      "param '\(name)' cannot read '\(definition)': a param's value may only use constants and other params", at: r)
  }
  static func parameterNeedsType(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0240"), "parameter '\(name)' needs a type", at: r)
  }
  static func probabilityOutOfRange(_ p: Double, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0304"), "probability \(p) is outside 0...1", at: r)
  }
  static func randomConstant(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0241"), "'const \(name)' must not be random; use a 'param' or 'let' in a scenario", at: r)
  }
  static func randomDefault(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0241"), "the default of field '\(name)' must not be random", at: r)
  }
  static func redefinesBuiltin(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0246"), "'\(name)' is built in and cannot be redefined", at: r)
  }
  static func requirementAlwaysTrue(at r: SourceRange, note: String) -> Diagnostic {
    .warning(DiagnosticCode("W0401"), "requirement always holds", at: r, notes: [Note(note)])
  }
  static func requirementNeverHolds(at r: SourceRange, note: String) -> Diagnostic {
    .error(DiagnosticCode("E0401"), "requirement can never hold", at: r, notes: [Note(note)])
  }
  static func requirementNotBool(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0219"), "a requirement must be 'Bool', found '\(t)'", at: r)
  }
  static func reversedBounds(_ d: String, at r: SourceRange, highlights: [SourceRange], swap: FixIt) -> Diagnostic {
    .error(DiagnosticCode("E0302"), "'\(d)' needs its lower bound first", at: r, highlights: highlights, fixIts: [swap])
  }
  static func sampleCount(_ k: Int64, available: Int?, at r: SourceRange) -> Diagnostic {
    if let available {
      return .error(DiagnosticCode("E0307"), "cannot sample \(k) elements from a list of \(available)", at: r)
    }
    return .error(DiagnosticCode("E0307"), "cannot sample a negative number of elements", at: r)
  }
  static func selfOutsideBehavior(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0234"), "'self' is only available inside a behavior", at: r)
  }
  static func sensorNotSensor(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0235"), "'sensor' needs a sensor type such as 'Camera', found '\(t)'", at: r)
  }
  static func softProbability(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0243"), "a soft requirement's probability must be a constant in 0...1", at: r)
  }
  static func specifierOnSensor(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0235"), "a sensor is placed by its 'mount' and 'offset', not by specifiers", at: r)
  }
  static func statementHasNoEffect(_ t: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0239"), "a bare statement must build an actor; this is '\(t)'", at: r)
  }
  static func conditionalBranches(_ a: String, _ b: String, at r: SourceRange, highlights: [SourceRange]) -> Diagnostic {
    .error(
      DiagnosticCode("E0259"), "the branches of 'if' have different types: '\(a)' and '\(b)'", at: r,
      highlights: highlights, notes: [Note("both branches must have one type (an Int branch is promoted to Float)")])
  }
  static func notAFloat(_ function: String, found: String, unit: String?, at r: SourceRange) -> Diagnostic {
    let fix = unit.map { " divide by a unit first: '\(function)(x / 1\($0))'" } ?? ""
    return .error(
      DiagnosticCode("E0260"), "'\(function)' takes a plain number (Float or Int), found '\(found)'", at: r,
      notes: [Note("it returns an Int, which carries no unit;\(fix.isEmpty ? " pass a Float" : fix)")])
  }
  static func inexactEquality(_ op: String, at r: SourceRange, division: SourceRange) -> Diagnostic {
    .warning(
      DiagnosticCode("W0260"), "'\(op)' compares a Float quotient with an Int", at: r, highlights: [division],
      notes: [Note("'/' always gives a Float (7 / 2 is 3.5), and a computed Float rarely equals an Int exactly; "
        + "use 'div(a, b)' for whole-number division, or compare with a tolerance")])
  }
  /// E0292: `P offset by V` (the vector operator) with P not a position.
  static func offsetOperatorBase(_ found: String, what: String, isActor: Bool, at r: SourceRange, offset: SourceRange)
    -> Diagnostic
  {
    .error(
      DiagnosticCode("E0292"), "\(what) needs a position before 'offset', found '\(found)'", at: r,
      notes: [Note("the vector operator adds V to P; an actor type here ('Box offset by V') places a new actor relative to ego instead", at: offset)],
      fixIts: isActor ? [.insert(".position", at: r.end, in: r.file, "offset the actor's position")] : [])
  }
  static func propertySpecifiedTwice(_ property: String, at r: SourceRange, previous: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0261"), "'\(property)' is specified twice", at: r,
      notes: [Note("first specified here", at: previous),
              Note("each property is given by one specifier; only 'on R' may modify a position another gives, "
                + "'contained in R' check it, and relative specifiers from one reference combine")])
  }
  static func cyclicSpecifiers(at r: SourceRange, position: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0262"), "the heading depends on the position and the position on the heading", at: r,
      notes: [Note("this position is measured in the actor's own frame, so it needs the heading", at: position),
              Note("give the heading with 'facing A', or place the actor relative to an actor instead of a point")])
  }
  static func typeAsValue(_ name: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0224"), "'\(name)' is a type, not a value", at: r)
  }
  static func typeMismatch(
    expected: String, found: String, unit: String?, at r: SourceRange, what: String?
  ) -> Diagnostic {
    let subject = what.map { " for \($0)" } ?? ""
    // Descriptions such as "a list" are not type names and are not quoted.
    let wanted = expected.hasPrefix("a ") || expected.hasPrefix("an ") ? expected : "'\(expected)'"
    return .error(
      DiagnosticCode("E0204"), "expected \(wanted)\(subject), found '\(found)'\(unit.map { " (\($0))" } ?? "")", at: r)
  }
  static func unitIsAValue(_ name: String, at r: SourceRange, literal: SourceRange, fixed: String) -> Diagnostic {
    .error(
      DiagnosticCode("E0221"), "unknown unit '\(name)'; '\(name)' is a value here", at: r,
      notes: [Note("a unit suffix is glued to its number; put spaces around '/' to divide")],
      fixIts: [FixIt.replace(literal, with: fixed, "divide by '\(name)'")])
  }
  static func unitNeedsQuantity(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0222"), "a unit is defined by a quantity literal such as '0.01m'", at: r)
  }
  static func unitOverflow(_ text: String, at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0222"), "unit '\(text)' is too large to represent", at: r)
  }
  static func unknownAnnotation(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0213"), "unknown annotation '@\(name)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func unknownArgumentLabel(
    _ label: String, callee: String, at r: SourceRange, suggestion: String?
  ) -> Diagnostic {
    .error(
      DiagnosticCode("E0207"), "'\(callee)' has no parameter '\(label)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func unknownCoverPoint(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0274"), "the scenario has no cover point '\(name)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func unknownField(
    _ name: String, of type: String, at r: SourceRange, suggestion: String?,
    hint: String? = nil
  ) -> Diagnostic {
    .error(
      DiagnosticCode("E0205"), "'\(type)' has no field '\(name)'", at: r,
      notes: suggest(suggestion) + (hint.map { [Note($0)] } ?? []), fixIts: suggestFix(suggestion, r))
  }
  static func unknownName(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0200"), "unknown name '\(name)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func unknownParam(_ name: String, scenario: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0256"), "scenario '\(scenario)' has no param '\(name)'", at: r, notes: suggest(suggestion))
  }
  static func badClassName(_ name: String, reason: String, at r: SourceRange) -> Diagnostic {
    .error(
      DiagnosticCode("E0265"), "class name \(ClassNames.quoted(name)) contains \(reason)", at: r,
      notes: [
        Note(
          "expected a label name without whitespace or control characters (it becomes a token in KITTI and other line-based label files), e.g. \(ClassNames.quoted(ClassNames.suggestion(name)))"
        )
      ])
  }
  static func unknownType(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0201"), "unknown type '\(name)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  static func unknownUnit(_ name: String, at r: SourceRange, suggestion: String?) -> Diagnostic {
    .error(
      DiagnosticCode("E0202"), "unknown unit '\(name)'", at: r, notes: suggest(suggestion),
      fixIts: suggestFix(suggestion, r))
  }
  /// A main file that cannot be read: no location (`FileID.unlocated`), the message names it.
  static func unreadableFile(_ path: String) -> Diagnostic {
    .error(DiagnosticCode("E0232"), "cannot read '\(path)'", at: .point(.unlocated, 0))
  }
  /// The StdLib's prelude cannot be read at `path` (README.md, "Set-up": where the binary
  /// looks for its StdLib): the same code as any unreadable file, with where it looked and
  /// how to point it elsewhere. It concerns no construct of the user's files, so it has no
  /// location (`FileID.unlocated`).
  static func missingPrelude(_ path: String) -> Diagnostic {
    .error(
      DiagnosticCode("E0232"), "cannot read the StdLib's prelude at '\(path)'",
      at: .point(.unlocated, 0),
      notes: [Note("set SCN_STDLIB to the folder that holds prelude.scn (the StdLib/ folder of the scn checkout)")])
  }
  static func zeroWeights(at r: SourceRange) -> Diagnostic {
    .error(DiagnosticCode("E0305"), "choice weights sum to 0", at: r)
  }
}
