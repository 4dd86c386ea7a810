import ScnRuntime
import ScnSource

/// `scn check --estimate N`: how often each requirement holds, measured by sampling.
public struct AcceptanceEstimate: Sendable {
  public let statistics: [RejectionStatistics]
  /// Samples produced before any failure (N when the scenario is satisfiable in budget).
  public let samples: Int
  /// A runtime error or an impossible sample stops the estimate; rendered by the caller.
  public let failure: Diagnostic?
  public let sources: SourceManager

  /// The acceptance table per scenario and the expected attempts per scene.
  public func report(location: (SourceRange) -> String) -> String {
    var out = ""
    for s in statistics {
      out += s.table(location: location)
      if s.accepted > 0 {
        let perScene = Double(s.attempts) / Double(s.accepted)
        out += "  expected attempts per scene: \(formatted(perScene)) (acceptance \(formatted(100 / perScene))%)\n"
      } else {
        out += "  no scene accepted in \(s.attempts) attempts\n"
      }
    }
    return out
  }

  private func formatted(_ x: Double) -> String {
    let rounded = (x * 100).rounded() / 100
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }
}

extension Driver {
  /// Samples `count` scenes of the file's entry scenario with seed 0 (simulated when the
  /// scenario has a simulation, as `scn generate` does) and gathers the
  /// rejection statistics. Nil when the file does not compile (its diagnostics come from `check`).
  public func estimate(
    path: String, count: Int, maxAttempts: Int = 100_000, limits: ResourceLimits = .standard
  ) throws -> AcceptanceEstimate? {
    var request = SamplingRequest(path: path, seed: 0, maxAttempts: maxAttempts)
    request.limits = limits
    switch try prepareSampling(request) {
    case .failure:
      return nil
    case .success(let session):
      return session.estimate(count: count)
    }
  }
}

extension SamplingSession {
  /// Samples indices `0 ..< count` with this session's seed and overrides and gathers the
  /// rejection statistics (`scn check --estimate`, REPL `:explain`).
  public func estimate(count: Int) -> AcceptanceEstimate {
    let run = sampler.measure(count: count)
    return AcceptanceEstimate(
      statistics: run.statistics, samples: run.samples, failure: run.failure?.diagnostic, sources: sources)
  }
}
