import Foundation
import ScnDriver
import ScnIR
import ScnSource

extension REPLSession {
  /// `:params`: per param its declared type, its value as written and its override.
  func listParams() -> REPLReply {
    guard let sampling else { return noSampler() }
    var rows: [[String]] = [["name", "type", "value", "override"]]
    let scenarios = reachedScenarios
    for s in scenarios {
      // Declaration order (the IR orders params for evaluation).
      for p in s.params.sorted(by: { ($0.range.file, $0.range.start) < ($1.range.file, $1.range.start) }) {
        let name = scenarios.count > 1 ? s.name + "." + p.name : p.name
        let written = sourceText(p.value.range, in: sampling.sources)
        rows.append([name, declaredType(p, in: sampling.sources), written,
                     overrides.last { $0.name == p.name }?.value ?? ""])
      }
    }
    guard rows.count > 1 else { return REPLReply(output: "scenario \(currentScenarioName ?? "") declares no param\n") }
    return REPLReply(output: table(rows))
  }

  /// `:set NAME = VALUE`: the override is parsed and checked by the driver as
  /// `scn generate --param NAME=VALUE` is, then sample 0 is drawn with it; on error (or
  /// when sample 0 fails) the previous state stays.
  mutating func set(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    guard let eq = arguments.firstIndex(of: "=") else { return usage(command) }
    let name = arguments[..<eq].trimmingWhitespace
    let value = arguments[arguments.index(after: eq)...].trimmingWhitespace
    guard !name.isEmpty, !value.isEmpty else { return usage(command) }
    guard sampling != nil else { return noSampler() }
    var next = overrides.filter { $0.name != name }
    next.append(ParamSetting(name: name, value: value))
    switch makeSampling(next) {
    case nil: return noSampler()
    case .failure(let failure)?:
      var reply = render(failure)
      let known = reachedScenarios.flatMap { $0.params.map(\.name) }
      if !known.contains(name) {
        reply.diagnostics += nearest(name, in: known).map { "note: did you mean '\($0)'?\n" } ?? ""
      }
      return reply
    case .success(let session)?:
      // A value the type check accepts can still fail when drawn (a negative deviation,
      // an empty range) or leave no scene possible: try sample 0 before keeping it.
      if let failure = session.sampler.run(start: 0, count: 1).failure {
        var reply = explainFailure(failure, in: session)
        reply.diagnostics += "note: ':set \(name) = \(value)' was not kept\n"
        return reply
      }
      sampling = session
      overrides = next
      nextSample = 0
      return REPLReply(output: "\(name) = \(value)\n")
    }
  }

  /// `:unset NAME`: the param draws from its own distribution again.
  mutating func unset(_ name: String) -> REPLReply {
    guard overrides.contains(where: { $0.name == name }) else {
      let set = overrides.map(\.name)
      return .error(.unknownName, "'\(name)' has no override",
                    note: nearest(name, in: set).map { "did you mean '\($0)'?" }
                      ?? (set.isEmpty ? "nothing is :set" : "overridden: " + set.joined(separator: ", ")))
    }
    let next = overrides.filter { $0.name != name }
    switch makeSampling(next) {
    case nil: return noSampler()
    case .failure(let failure)?: return render(failure)
    case .success(let session)?:
      sampling = session
      overrides = next
      nextSample = 0
      return REPLReply(output: "\(name) unset\n")
    }
  }

  /// `:seed N`: a new dataset seed; `:sample` starts again at sample 0.
  mutating func setSeed(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    guard !arguments.isEmpty else { return REPLReply(output: "seed \(seed)\n") }
    guard let value = UInt64(arguments) else {
      return .error(.badArguments, "seed must be a whole number from 0 to \(UInt64.max), got '\(arguments)'")
    }
    seed = value
    nextSample = 0
    if sampling != nil {
      switch makeSampling(overrides) {
      case nil: return noSampler()
      case .failure(let failure)?: return render(failure)
      case .success(let session)?: sampling = session
      }
    }
    return REPLReply(output: "seed \(seed)\n")
  }

  func noSampler() -> REPLReply {
    path == nil ? .error(.nothingLoaded, "no file loaded", note: "use :load FILE")
      : .error(.nothingLoaded, "\(path ?? "") did not compile", note: "fix it and :reload")
  }

  func sourceText(_ range: SourceRange, in sources: SourceManager) -> String {
    guard let file = sources[range.file] else { return "" }
    return file.text(of: range).split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace }.joined(separator: " ")
  }

  /// The type as the param's declaration spells it (`Speed`): the source between the `:`
  /// after the `param` keyword and the `=` before the value (the declaration's range may
  /// start at a `@doc` whose text holds any of these); the dimension or the IR's spelling
  /// when no type is written.
  func declaredType(_ p: ParamIR, in sources: SourceManager) -> String {
    if let file = sources[p.range.file], p.range.start <= p.value.range.start {
      let whole = file.text(of: SourceRange(file: p.range.file, start: p.range.start, end: p.value.range.start))
      let head = whole.range(of: "param ", options: .backwards).map { whole[$0.upperBound...] } ?? whole[...]
      if let eq = head.lastIndex(of: "="), let colon = head[..<eq].firstIndex(of: ":") {
        let written = head[head.index(after: colon)..<eq].trimmingWhitespace
        if !written.isEmpty { return written }
      }
    }
    // No type written (a param refined by `extends`): name a quantity by its dimension.
    if case .quantity(let d) = p.type, !d.isDimensionless { return "\(d)" }
    return p.type.description
  }

  /// Left-aligned columns separated by two spaces, trailing spaces trimmed.
  func table(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    var out = ""
    for row in rows {
      var line = ""
      for (c, cell) in row.enumerated() {
        line += cell + (c == row.count - 1 ? "" : String(repeating: " ", count: widths[c] - cell.count + 2))
      }
      out += line.trimmingWhitespace + "\n"
    }
    return out
  }
}
