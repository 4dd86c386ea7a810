import ScnRuntime
import ScnSource
import ScnSyntax
import ScnUnits

/// `--param name=value`: the value is read with the language's own lexer and parser, so
/// `300lx`, `30km/h`, `-2m`, `5`, `true`, `rain` and `"text"` mean what they mean in a file.
struct ParamArgumentError: Error {
  let diagnostic: Diagnostic
}

enum ParamArgument {
  private static func fail(_ d: Diagnostic) -> Result<ParamOverride, ParamArgumentError> {
    .failure(ParamArgumentError(diagnostic: d))
  }

  static func parse(_ text: String, units: UnitTable, origin: String = "--param", sources: inout SourceManager) -> Result<ParamOverride, ParamArgumentError> {
    let id = sources.add(path: origin, text: text)
    let whole = SourceRange(file: id, start: 0, end: text.utf8.count)
    let code = DiagnosticCode(RuntimeErrorCode.badParamOverride.rawValue)
    guard let eq = text.firstIndex(of: "=") else {
      return fail(.error(code, "\(origin) expects name=value, got '\(text)'", at: whole))
    }
    let name = String(text[..<eq]).trimmingSpaces
    let valueText = String(text[text.index(after: eq)...])
    let valueStart = text.utf8.distance(from: text.utf8.startIndex, to: eq.samePosition(in: text.utf8) ?? text.utf8.startIndex) + 1
    let valueRange = SourceRange(file: id, start: valueStart, end: text.utf8.count)
    guard !name.isEmpty else { return fail(.error(code, "\(origin) expects name=value, got '\(text)'", at: whole)) }
    var exprSources = SourceManager()
    let exprID = exprSources.add(path: origin, text: valueText)
    guard let file = exprSources[exprID] else { return fail(.error(code, "cannot read '\(valueText)'", at: valueRange)) }
    let (expr, diagnostics) = Parser.parseExpression(file: file)
    let notAValue = Diagnostic.error(code, "\(origin) \(name): '\(valueText.trimmingSpaces)' is not a number with an optional unit, true, false, an enum case or a string", at: valueRange)
    func outOfRange(_ literal: String) -> Diagnostic {
      .error(code, "\(origin) \(name): number '\(literal)' is out of range (its value in base units is not finite)", at: valueRange)
    }
    guard !diagnostics.hasErrors else { return fail(notAValue) }
    var negate = false
    var e = expr
    if case .unary(.negate, let inner) = e.kind {
      negate = true
      e = inner
    }
    let sign = negate ? -1.0 : 1.0
    switch e.kind {
    case .integer(let digits):
      guard let v = Double(digits.replacingOccurrences(of: "_", with: "")) else { return fail(notAValue) }
      return .success(ParamOverride(name: name, literal: .number(sign * v, .dimensionless, isInteger: true), text: text, origin: origin))
    case .float(let digits):
      guard let v = Double(digits.replacingOccurrences(of: "_", with: "")) else { return fail(notAValue) }
      guard v.isFinite else { return fail(outOfRange(digits)) }
      return .success(ParamOverride(name: name, literal: .number(sign * v, .dimensionless, isInteger: false), text: text, origin: origin))
    case .quantity(let number, let suffix):
      switch units.resolve(suffix.text) {
      case .success(let unit):
        guard let v = unit.baseValue(ofDecimal: number) else { return fail(notAValue) }
        // The same rule as the literal in source (E0247/E0257): no value the runtime cannot hold.
        guard v.isFinite else { return fail(outOfRange(number + suffix.text)) }
        return .success(ParamOverride(name: name, literal: .number(sign * v, unit.dimension, isInteger: false), text: text, origin: origin))
      case .failure:
        let suggestion = units.suggestion(for: suffix.text).map { [Note("did you mean '\($0)'?")] } ?? []
        return fail(.error(code, "\(origin) \(name): unknown unit '\(suffix.text)'", at: valueRange, notes: suggestion))
      }
    case .bool(let b) where !negate:
      return .success(ParamOverride(name: name, literal: .word(b ? "true" : "false"), text: text, origin: origin))
    case .name(let id) where !negate:
      return .success(ParamOverride(name: name, literal: .word(id.name), text: text, origin: origin))
    case .string(let s) where !negate:
      return .success(ParamOverride(name: name, literal: .string(s), text: text, origin: origin))
    default:
      return fail(notAValue)
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " { s.removeFirst() }
    while s.last == " " { s.removeLast() }
    return String(s)
  }
}
