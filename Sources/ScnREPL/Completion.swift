import ScnLowering
import ScnSema
import ScnSource
import ScnSyntax

/// What Tab offers for the word under the cursor.
public enum CompletionAnswer: Sendable, Equatable {
  /// Whole replacements for the word, sorted.
  case candidates([String])
  /// Let the line editor complete file names (after `:load`).
  case fileNames
}

extension REPLSession {
  /// Completions of the word `line[start..<end]` (byte offsets, as readline gives them):
  /// `:commands` at the start of a line, file names after `:load`, scenario names after
  /// `:scenario`, param names after `:set`/`:unset`, command names after `:help`, units
  /// after a number (`10k` → `10kg`, `10km`, …), fields after `NAME.` (`ego.he` →
  /// `ego.heading`), else keywords, distributions, functions, types, enum cases and the
  /// names in the current scenario's scope.
  public func complete(line: String, start: Int, end: Int) -> CompletionAnswer {
    let bytes = Array(line.utf8)
    guard start >= 0, start <= end, end <= bytes.count else { return .candidates([]) }
    let word = String(decoding: bytes[start..<end], as: UTF8.self)
    let before = String(decoding: bytes[..<start], as: UTF8.self).trimmingWhitespace
    func matching(_ names: [String]) -> CompletionAnswer {
      .candidates(Array(Set(names.filter { $0.hasPrefix(word) })).sorted())
    }
    if before.isEmpty, word.hasPrefix(":") { return matching(CommandTable.all.map { ":" + $0.name }) }
    if before.hasPrefix(":") {
      let name = String(before.dropFirst().prefix { !$0.isWhitespace })
      let arguments = before.drop { !$0.isWhitespace }.trimmingWhitespace
      if case .found(let command) = CommandTable.lookup(name) {
        switch command.name {
        case "load": return .fileNames
        case "scenario": return matching(compiled?.scenarioNames ?? [])
        case "set" where !arguments.contains("="), "unset":
          return matching(reachedScenarios.flatMap { $0.params.map(\.name) })
        case "help": return matching(CommandTable.all.map(\.name))
        case "render" where arguments.isEmpty: return matching(cameraNames)
        default: break
        }
      }
    }
    if let units = unitCompletions(word) { return matching(units) }
    if let dot = word.lastIndex(of: ".") { return matching(fieldCompletions(base: String(word[..<dot]))) }
    return matching(namesInScope)
  }

  /// `10k` → `10` + every unit name; nil when the word is not a number with a unit start.
  private func unitCompletions(_ word: String) -> [String]? {
    let digits = word.prefix { $0.isNumber || $0 == "." || $0 == "_" }
    guard let first = digits.first, first.isNumber, digits.count < word.count else { return nil }
    let rest = word[digits.endIndex...]
    guard rest.first?.isLetter == true else { return nil }
    // A unit such as km/h: complete the last name after '/'.
    let head = rest.lastIndex(of: "/").map { String(word[..<word.index(after: $0)]) } ?? String(digits)
    return unitNames.map { head + $0 }
  }

  /// `BASE.field` for every field of BASE's type (an actor, a sensor, or the environment).
  private func fieldCompletions(base: String) -> [String] {
    guard !base.isEmpty, let checked = compiled?.checked else { return [] }
    if base == "environment" {
      return ["light", "indoor", "sun_elevation", "sun_azimuth", "fog", "weather"].map { base + "." + $0 }
    }
    guard case .success(let e) = checkExpression(base) else { return [] }
    var typeName = e.type
    // A list of actors completes the element's fields after indexing: `boxes[0].`.
    if typeName.hasPrefix("["), typeName.hasSuffix("]") { typeName = String(typeName.dropFirst().dropLast()) }
    guard let record = checked.recordTypes.first(where: { $0.name == typeName }) else { return [] }
    return record.fields.map { base + "." + $0.name }
  }

  /// Names Tab offers for a bare word.
  var namesInScope: [String] {
    var names = TokenKind.allCases.filter(\.isKeyword).map(\.spelling)
    names += ContextualKeyword.allCases.filter { $0 != .none }.map(\.spelling)
    names += DistributionKind.allCases.map(\.rawValue)
    if let checked = compiled?.checked {
      names += checked.functions.map(\.name) + checked.recordTypes.map(\.name)
      names += checked.enums.flatMap { [$0.name] + $0.cases }
      if let current = checked.scenarios.first(where: { $0.name == currentScenarioName }) {
        names += current.params.map(\.name) + current.definitions.compactMap(\.name)
      }
      names += checked.scenarios.map(\.name)
    }
    return names.filter { !$0.isEmpty && !$0.contains("<") }
  }

  private var unitNames: [String] {
    compiled?.checked.map { Array($0.units.units.keys) } ?? ["m", "cm", "mm", "km", "s", "ms", "h", "deg", "rad", "kg", "lx", "Hz"]
  }

  private var cameraNames: [String] {
    guard let sampling, let scene = sampling.sampler.run(start: 0, count: 1).scenes.first else { return [] }
    return scene.sensors.map(\.name)
  }
}
