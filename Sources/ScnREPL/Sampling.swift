import ScnDriver
import ScnEncoding
import ScnRuntime
import ScnSource

extension REPLSession {
  /// `:sample [N] [table|json]`: the next N scenes, as `scn sample --format table` or
  /// `scn sample` (JSON Lines) prints them. Later calls continue where this one stopped.
  mutating func sample(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    var n = 1
    var json = false
    let words = arguments.split(whereSeparator: \.isWhitespace)
    // Anything but a count and a format is an expression to sample.
    let countLike = { (w: Substring) in !w.isEmpty && w.drop { $0 == "-" }.allSatisfy(\.isNumber) }
    if !words.allSatisfy({ $0 == "json" || $0 == "table" || countLike($0) }) {
      return sampleExpression(arguments, command)
    }
    for word in words {
      switch word {
      case "json": json = true
      case "table": json = false
      default:
        guard let value = parseCount(word, limit: 100_000) else {
          return .error(.badArguments, "':sample \(arguments)': expected a count from 1 to 100000 and/or 'table' or 'json'",
                        note: "usage: :sample \(command.arguments)")
        }
        n = value
      }
    }
    guard let sampling else { return noSampler() }
    let run = sampling.sampler.run(start: nextSample, count: n, jobs: jobs)
    var reply = REPLReply()
    for scene in run.scenes {
      if json {
        var line = JSONBytes()
        scene.write(into: &line)
        reply.output += line.text + "\n"
      } else {
        reply.output += scene.table()
      }
    }
    nextSample += UInt64(run.scenes.count)
    if let failure = run.failure { reply.append(explainFailure(failure, in: sampling)) }
    return reply
  }

  /// `:hist EXPR [N] [BINS]`: a histogram of one scene value (a param, cover point,
  /// environment field or `ACTOR.FIELD` by name) or of any expression in the scenario's
  /// scope, over samples `0 ..< N` (so it does not depend on earlier `:sample` calls).
  func histogram(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    guard !arguments.isEmpty else { return usage(command) }
    let (checked, numbers) = splitCounts(arguments, counts: 2)
    var n = 1000
    var bins = 10
    if let count = numbers.first {
      guard let value = parseCount(count, limit: 1_000_000) else {
        return .error(.badArguments, "':hist \(arguments)': the sample count must be a whole number from 1 to 1000000")
      }
      n = value
    }
    if numbers.count == 2 {
      guard let value = parseCount(numbers[1], limit: 200) else {
        return .error(.badArguments, "':hist \(arguments)': the number of bins must be a whole number from 1 to 200")
      }
      bins = value
    }
    let words = arguments.split(whereSeparator: \.isWhitespace)
    let name = words.dropLast(numbers.count).joined(separator: " ")
    // A bare name of a scene value (`light`, `forklift.x`) is charted from the scenes;
    // anything else is checked and evaluated as an expression.
    guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
      switch checked {
      case .failure(let reply): return reply
      case .success(let e): return histogramOfExpression(e, count: n, bins: bins)
      }
    }
    guard let sampling else { return noSampler() }
    if let fixed = overrides.last(where: { $0.name == name }) {
      return REPLReply(output: "\(name) is constant: fixed by :set \(fixed.name) = \(fixed.value)\n")
    }
    // A param the checker proved constant needs no sampling to be described.
    if let param = reachedScenarios.lazy.flatMap(\.params).first(where: { $0.name == name }), !param.value.isRandom {
      return REPLReply(output: "\(name) is constant: \(sourceText(param.value.range, in: sampling.sources))\n")
    }
    let run = sampling.sampler.run(start: 0, count: n, jobs: jobs)
    var values: [Double] = []
    var labels: [String] = []
    var unit = ""
    var absent = 0
    var known: Set<String> = []
    for scene in run.scenes {
      switch SceneValues.observe(name, in: scene) {
      case .number(let x, let u):
        values.append(x)
        unit = u
      case .label(let l): labels.append(l)
      case nil:
        absent += 1
        if absent <= 20 { known.formUnion(SceneValues.names(in: scene)) }  // enough for a suggestion
      }
    }
    var reply = REPLReply()
    if values.isEmpty, labels.isEmpty {
      if let failure = run.failure { return explainFailure(failure, in: sampling) }
      // Not a scene value: a name in the scenario's scope (a `let`, a function) is an
      // expression like any other.
      if case .success(let e) = checked { return histogramOfExpression(e, count: n, bins: bins) }
      return .error(
        .unknownName, "no param, cover point, environment field or actor value named '\(name)' with a number or a label",
        note: nearest(name, in: known.sorted()).map { "did you mean '\($0)'?" } ?? ":params lists the params")
    }
    if !values.isEmpty, !labels.isEmpty {
      return .error(.unknownName, "'\(name)' is a number in some samples and a label in others")
    }
    reply.output += values.isEmpty ? Histogram.labels(name, labels) : Histogram.numbers(name, values, unit: unit, bins: bins)
    if absent > 0 { reply.output += "  (absent from \(absent) of \(run.scenes.count) samples)\n" }
    if let failure = run.failure { reply.append(explainFailure(failure, in: sampling)) }
    return reply
  }

  /// `:explain [N]`: per requirement, how often it held over samples `0 ..< N`
  /// (`scn check --estimate` with this session's seed and overrides).
  func explain(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    let n: Int
    switch optionalCount(arguments, "explain", counting: "sample", fallback: 1000) {
    case .failure(let reply): return reply
    case .success(let value): n = value
    }
    guard let sampling else { return noSampler() }
    let estimate = sampling.estimate(count: n)
    var reply = REPLReply(output: "\(estimate.samples) of \(n) scenes sampled\n")
    reply.output += estimate.report(location: sampling.location)
    if let note = sampling.unsimulatedNote { reply.diagnostics += "note: " + note + "\n" }
    if let failure = estimate.failure { reply.append(render([failure], sources: sampling.sources)) }
    return reply
  }

  /// A sampling failure as `scn sample` reports it: the diagnostic, and for an impossible
  /// scenario the table of which requirements rejected the attempts.
  func explainFailure(_ failure: SamplerFailure, in sampling: SamplingSession) -> REPLReply {
    var reply = render([failure.diagnostic], sources: sampling.sources)
    if case .impossible(_, _, let stats) = failure { reply.diagnostics += stats.table(location: sampling.location) }
    return reply
  }
}
