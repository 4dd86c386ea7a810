import ScnDriver
import ScnIR
import ScnLowering
import ScnSource

extension REPLSession {
  /// `:load FILE` (and `scn repl FILE`): compiles the file and samples its last scenario
  /// with no overrides. Diagnostics are rendered as `scn check` renders them.
  public mutating func load(_ file: String) -> REPLReply {
    let previous = (path, scenario, overrides)
    path = file
    scenario = nil
    overrides = []
    let (reply, readable) = compile()
    // A file that cannot be read leaves the session as it was.
    if !readable { (path, scenario, overrides) = previous }
    return reply
  }

  /// `:reload`: compiles the same file again, keeping the scenario, seed and overrides.
  mutating func reload() -> REPLReply {
    guard path != nil else { return .error(.nothingLoaded, "no file loaded", note: "use :load FILE") }
    return compile().reply
  }

  /// `:scenario NAME`: samples another scenario of the loaded file.
  mutating func chooseScenario(_ name: String) -> REPLReply {
    guard let compiled else { return .error(.nothingLoaded, "no file loaded", note: "use :load FILE") }
    guard compiled.scenarioNames.contains(name) else {
      let known = compiled.scenarioNames.joined(separator: ", ")
      return .error(.unknownName, "no scenario named '\(name)' in \(path ?? "the file")",
                    note: nearest(name, in: compiled.scenarioNames).map { "did you mean '\($0)'?" }
                      ?? (known.isEmpty ? "the file declares no scenario" : "scenarios: " + known))
    }
    scenario = name
    return compile().reply
  }

  /// `:scenarios`: the main file's scenarios, the sampled one marked.
  func listScenarios() -> REPLReply {
    guard let compiled else { return .error(.nothingLoaded, "no file loaded", note: "use :load FILE") }
    guard !compiled.scenarioNames.isEmpty else { return REPLReply(output: "the file declares no scenario\n") }
    let current = currentScenarioName
    return REPLReply(output: compiled.scenarioNames.map { ($0 == current ? "* " : "  ") + $0 + "\n" }.joined())
  }

  /// The scenario being sampled: the chosen one, else the file's last.
  var currentScenarioName: String? { scenario ?? compiled?.scenarioNames.last }

  /// Compiles `path` for the current scenario and builds the sampler. When the overrides
  /// no longer fit (a param was renamed or retyped), they are reported and dropped.
  /// `readable` is false when the file could not be read (the session is then unchanged).
  mutating func compile() -> (reply: REPLReply, readable: Bool) {
    guard let path else { return (.error(.nothingLoaded, "no file loaded", note: "use :load FILE"), true) }
    let result: CompilationResult
    do { result = try driver.compileMain(path, scenario: scenario) } catch {
      return (.error(.unreadableFile, "\(error)"), false)
    }
    return (adopt(result, path: path), true)
  }

  /// Keeps a fresh compilation and builds its sampler, reporting its diagnostics.
  private mutating func adopt(_ result: CompilationResult, path: String) -> REPLReply {
    compiled = result
    sampling = nil
    nextSample = 0
    var reply = REPLReply()
    if !result.diagnostics.isEmpty {
      let display = driver.sourcesForDisplay(result, mainFile: path)
      reply.diagnostics += renderer.render(result.diagnostics, sources: display, summary: false)
      if let summary = DiagnosticRenderer.summaryLine(result.diagnostics) { reply.diagnostics += summary + "\n" }
    }
    guard !result.hasErrors else {
      reply.diagnostics += "note: fix the errors and :reload\n"
      return reply
    }
    guard result.program != nil, let name = currentScenarioName else {
      reply.diagnostics += "note: \(path) declares no scenario to sample\n"
      return reply
    }
    switch makeSampling(overrides) {
    case nil: return reply
    case .success(let session)?:
      sampling = session
    case .failure(let failure)?:
      reply.append(render(failure))
      guard !overrides.isEmpty else { return reply }
      let dropped = overrides.map(\.argument).joined(separator: ", ")
      overrides = []
      switch makeSampling([]) {
      case nil: return reply
      case .success(let session)?:
        sampling = session
        reply.diagnostics += "note: dropped the overrides \(dropped)\n"
      case .failure(let again)?:
        reply.append(render(again))
        return reply
      }
    }
    reply.output += "loaded \(path): scenario \(name)" + describeState() + "\n"
    return reply
  }

  /// `, seed 3, light=300lx` for the status lines.
  func describeState() -> String {
    var s = ", seed \(seed)"
    if !overrides.isEmpty { s += ", " + overrides.map(\.argument).joined(separator: ", ") }
    return s
  }

  /// A sampler for the compiled file with these overrides, built by the driver exactly as
  /// `scn sample --param` builds one.
  /// Nil when no file compiled.
  func makeSampling(_ settings: [ParamSetting]) -> Result<SamplingSession, SamplingFailure>? {
    guard let path, let compiled else { return nil }
    var request = SamplingRequest(
      path: path, scenario: scenario, seed: seed, maxAttempts: maxAttempts, params: settings.map(\.argument))
    request.paramOrigin = ":set"
    request.limits = limits
    return driver.prepareSampling(request, compiled: compiled)
  }

  /// Diagnostics against the compilation's sources, user files named as `scn check` names
  /// them; files the driver added after compiling (`--param` text) keep their names.
  func render(_ failure: SamplingFailure) -> REPLReply {
    render(failure.diagnostics, sources: failure.sources)
  }

  func render(_ diagnostics: [Diagnostic], sources: SourceManager) -> REPLReply {
    var display = sources
    if let path, let compiled {
      display = driver.sourcesForDisplay(compiled, mainFile: path)
      for file in sources.files.dropFirst(display.files.count) { display.add(path: file.path, bytes: file.bytes) }
    }
    return REPLReply(diagnostics: renderer.render(diagnostics, sources: display, summary: false))
  }

  /// The entry scenario and every scenario its mixture reaches, entry first, then in
  /// program order: the scenarios whose params `:set` can override.
  var reachedScenarios: [ScenarioIR] {
    guard let program = sampling?.program, let entry = program.scenario(named: program.entry) else { return [] }
    var reached: Set<String> = [entry.name]
    var work = [entry]
    while let s = work.popLast() {
      for inc in s.includes where !reached.contains(inc.scenario) {
        reached.insert(inc.scenario)
        if let t = program.scenario(named: inc.scenario) { work.append(t) }
      }
    }
    return [entry] + program.scenarios.filter { $0.name != entry.name && reached.contains($0.name) }
  }
}
