import ScnDriver
import ScnRuntime
import ScnSource

extension REPLSession {
  /// `:sample [N] [table|json]`: the next N scenes, as `scn sample --format table` or
  /// `scn sample` (JSON Lines) prints them. Later calls continue where this one stopped.
  mutating func sample(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    var n = 1
    var json = false
    for word in arguments.split(whereSeparator: \.isWhitespace) {
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
        scene.json().write(into: &reply.output)
        reply.output += "\n"
      } else {
        reply.output += scene.table()
      }
    }
    nextSample += UInt64(run.scenes.count)
    if let failure = run.failure { reply.append(explainFailure(failure, in: sampling)) }
    return reply
  }

  /// `:hist NAME [N]`: a histogram of one scene value over samples `0 ..< N` (so it does
  /// not depend on earlier `:sample` calls).
  func histogram(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    let words = arguments.split(whereSeparator: \.isWhitespace)
    guard let first = words.first, words.count <= 2 else { return usage(command) }
    let name = String(first)
    var n = 1000
    if words.count == 2 {
      guard let value = parseCount(words[1], limit: 1_000_000) else {
        return .error(.badArguments, "':hist \(arguments)': the sample count must be a whole number from 1 to 1000000")
      }
      n = value
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
    var numbers: [Double] = []
    var labels: [String] = []
    var unit = ""
    var absent = 0
    var known: Set<String> = []
    for scene in run.scenes {
      switch SceneValues.observe(name, in: scene) {
      case .number(let x, let u):
        numbers.append(x)
        unit = u
      case .label(let l): labels.append(l)
      case nil:
        absent += 1
        if absent <= 20 { known.formUnion(SceneValues.names(in: scene)) }  // enough for a suggestion
      }
    }
    var reply = REPLReply()
    if numbers.isEmpty, labels.isEmpty {
      if let failure = run.failure { return explainFailure(failure, in: sampling) }
      return .error(
        .unknownName, "no param, cover point, environment field or actor value named '\(name)' with a number or a label",
        note: nearest(name, in: known.sorted()).map { "did you mean '\($0)'?" } ?? ":params lists the params")
    }
    if !numbers.isEmpty, !labels.isEmpty {
      return .error(.unknownName, "'\(name)' is a number in some samples and a label in others")
    }
    reply.output += numbers.isEmpty ? Histogram.labels(name, labels) : Histogram.numbers(name, numbers, unit: unit)
    if absent > 0 { reply.output += "  (absent from \(absent) of \(run.scenes.count) samples)\n" }
    if let failure = run.failure { reply.append(explainFailure(failure, in: sampling)) }
    return reply
  }

  /// `:explain [N]`: per requirement, how often it held over samples `0 ..< N`
  /// (`scn check --estimate` with this session's seed and overrides).
  func explain(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    var n = 1000
    if !arguments.isEmpty {
      guard let value = parseCount(Substring(arguments), limit: 1_000_000) else {
        return .error(.badArguments, "':explain \(arguments)': the sample count must be a whole number from 1 to 1000000")
      }
      n = value
    }
    guard let sampling else { return noSampler() }
    let estimate = sampling.estimate(count: n)
    var reply = REPLReply(output: "\(estimate.samples) of \(n) scenes sampled\n")
    reply.output += estimate.report(location: sampling.location)
    if sampling.sampler.deferredChecks > 0 {
      reply.output += "note: \(sampling.sampler.deferredChecks) 'require eventually' / 'terminate when' condition(s) are checked by the simulator, not here\n"
    }
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
