import Foundation
import ScnDriver
import ScnEncoding
import ScnIR
import ScnLowering
import ScnRuntime
import ScnSource

/// An expression typed at the prompt, checked by the compiler in the current scenario.
struct CheckedExpression {
  let text: String
  let result: ExpressionResult
  /// The type as diagnostics spell it (`Length`).
  var type: String { result.type ?? "" }
}

extension REPLSession {
  /// Checks `text` as an expression in the current scenario's scope (the StdLib alone when
  /// no file is loaded). Fails with the compiler's diagnostics.
  func checkExpression(_ text: String) -> Result<CheckedExpression, REPLReply> {
    let fs = driver.fileSystem
    let main = path ?? Self.scratchFile
    let readFile: (String) throws -> [UInt8] = { file in
      file == Self.scratchFile ? Self.scratchText : try fs.readFile(file)
    }
    let result = Compilation.checkExpression(
      text, mainFile: main, readFile: readFile, stdlibRoot: driver.stdlibRoot,
      scenario: path == nil ? Self.scratchScenario : currentScenarioName,
      readData: { [folder = (main as NSString).deletingLastPathComponent] in try fs.readFileInside($0, folder) })
    if result.programDiagnostics.hasErrors, path != nil {
      return .failure(.error(.nothingLoaded, "\(main) has errors, so expressions in it cannot be checked",
                             note: "fix it and :reload"))
    }
    guard result.diagnostics.isEmpty, result.type != nil else {
      var reply = REPLReply(diagnostics: renderer.render(result.diagnostics, sources: result.sources, summary: false))
      if result.diagnostics.isEmpty { reply.diagnostics += "error: '\(text)' has no type\n" }
      return .failure(reply)
    }
    return .success(CheckedExpression(text: text, result: result))
  }

  /// Splits `EXPR N M` into the expression and up to `counts` trailing whole numbers: the
  /// longest split whose expression checks wins, so `:hist uniform(0m, 10m) 4000` is the
  /// expression with a count, and `:sample x + 1` is the whole expression.
  func splitCounts(_ arguments: String, counts: Int) -> (expression: Result<CheckedExpression, REPLReply>, numbers: [Substring]) {
    let words = arguments.split(whereSeparator: \.isWhitespace)
    var trailing = 0
    while trailing < min(counts, words.count - 1), words[words.count - 1 - trailing].allSatisfy(\.isNumber) {
      trailing += 1
    }
    // When no split checks, the failure reported is that of the longest split (the
    // expression without its counts).
    var failure: Result<CheckedExpression, REPLReply>?
    for k in stride(from: trailing, through: 0, by: -1) {
      let checked = checkExpression(words.dropLast(k).joined(separator: " "))
      if case .success = checked { return (checked, Array(words.suffix(k))) }
      if failure == nil { failure = checked }
    }
    return (failure ?? checkExpression(arguments), Array(words.suffix(trailing)))
  }

  /// The values of `expression` in samples `start ..< start + count` (the scenes are those
  /// `:sample` gives; the expression's own draws come from its own sites).
  /// Each scene of the entry scenario carries the value in `observed[0]`.
  func observe(_ expression: CheckedExpression, start: UInt64, count: Int)
    -> Result<(run: SamplerRun, sampling: SamplingSession), REPLReply>
  {
    guard let ir = expression.result.ir else { return .failure(noSampler()) }
    let compilation: CompilationResult
    if path != nil {
      guard let compiled else { return .failure(noSampler()) }
      compilation = compiled
    } else {
      // No file: the expression alone, in an empty scenario.
      let fs = driver.fileSystem
      compilation = Compilation.compile(
        mainFile: Self.scratchFile, readFile: { $0 == Self.scratchFile ? Self.scratchText : try fs.readFile($0) },
        stdlibRoot: driver.stdlibRoot, scenario: Self.scratchScenario)
    }
    var request = SamplingRequest(
      path: path ?? Self.scratchFile, scenario: path == nil ? Self.scratchScenario : scenario, seed: seed,
      maxAttempts: maxAttempts, params: overrides.map(\.argument))
    request.paramOrigin = ":set"
    request.limits = limits
    switch driver.prepareSampling(request, compiled: compilation, observing: [ir]) {
    case .failure(let failure): return .failure(render(failure))
    case .success(let session):
      return .success((session.sampler.run(start: start, count: count, jobs: jobs), session))
    }
  }

  /// `:sample EXPR [N]`: the expression's value in the next N samples, one line each.
  mutating func sampleExpression(_ arguments: String, _ command: CommandInfo) -> REPLReply {
    let (checked, numbers) = splitCounts(arguments, counts: 1)
    let expression: CheckedExpression
    switch checked {
    case .failure(let reply): return reply
    case .success(let e): expression = e
    }
    var n = 1
    if let word = numbers.first {
      guard let value = parseCount(word, limit: 100_000) else {
        return .error(.badArguments, "':sample \(arguments)': the sample count must be a whole number from 1 to 100000")
      }
      n = value
    }
    if let constant = expression.result.constant {
      return REPLReply(output: "\(expression.text) is constant: \(ConstantText.text(constant))\n")
    }
    switch observe(expression, start: nextSample, count: n) {
    case .failure(let reply): return reply
    case .success(let observed):
      var reply = REPLReply()
      let type = expression.result.ir?.type ?? .void
      var absent = 0
      for scene in observed.run.scenes {
        guard let value = scene.observed.first else {
          absent += 1
          continue
        }
        reply.output += "sample \(scene.sample): " + Self.describe(scene.json(value, type)) + "\n"
      }
      if absent > 0 { reply.output += "(\(absent) sample(s) come from another scenario of the mixture)\n" }
      nextSample += UInt64(observed.run.scenes.count)
      if let failure = observed.run.failure { reply.append(explainFailure(failure, in: observed.sampling)) }
      return reply
    }
  }

  /// `:hist EXPR [N] [BINS]` for an expression (not a scene value's name).
  func histogramOfExpression(_ expression: CheckedExpression, count n: Int, bins: Int) -> REPLReply {
    if let constant = expression.result.constant {
      return REPLReply(output: "\(expression.text) is constant: \(ConstantText.text(constant))\n")
    }
    switch observe(expression, start: 0, count: n) {
    case .failure(let reply): return reply
    case .success(let observed):
      let type = expression.result.ir?.type ?? .void
      var numbers: [Double] = []
      var labels: [String] = []
      var unit = ""
      for scene in observed.run.scenes {
        guard let value = scene.observed.first else { continue }
        switch SceneValues.observation(scene.json(value, type)) {
        case .number(let x, let u)?:
          numbers.append(x)
          unit = u
        case .label(let l)?: labels.append(l)
        case nil: break
        }
      }
      var reply = REPLReply()
      if numbers.isEmpty, labels.isEmpty {
        if let failure = observed.run.failure { return explainFailure(failure, in: observed.sampling) }
        return .error(.badArguments, "'\(expression.text)' is a \(expression.type): :hist charts numbers and labels",
                      note: ":sample \(expression.text) prints its values")
      }
      reply.output += numbers.isEmpty
        ? Histogram.labels(expression.text, labels) : Histogram.numbers(expression.text, numbers, unit: unit, bins: bins)
      let absent = observed.run.scenes.count - numbers.count - labels.count
      if absent > 0 { reply.output += "  (no value in \(absent) of \(observed.run.scenes.count) samples)\n" }
      if let failure = observed.run.failure { reply.append(explainFailure(failure, in: observed.sampling)) }
      return reply
    }
  }

  /// A value as one line: `4.21 m`, `rain`, or its JSON.
  static func describe(_ json: JSONValue) -> String {
    switch SceneValues.observation(json) {
    case .number(let x, let unit)?: return JSONValue.spell(x, negativeZero: false) + (unit.isEmpty ? "" : " " + unit)
    case .label(let l)?: return l
    case nil: return json.compact
    }
  }
}
