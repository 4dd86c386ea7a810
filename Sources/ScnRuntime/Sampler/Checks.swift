import ScnEncoding
import ScnIR
import ScnSource

/// Something an attempt can fail: a requirement, the non-overlap rule, or (coverage-guided
/// mode) reaching the aimed-at bucket by rejection.
public struct CheckInfo: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case requirement(RequirementIR.Mode)
    case nonOverlap
    case coverTarget(String)
    /// `on R` modifying another position specifier: R must lie below or above it.
    case placement
    /// A behavior's `precondition:` (when it starts) or `invariant:` (while it runs).
    case precondition, invariant
  }

  public let kind: Kind
  /// The requirement as written, or a description of the rule.
  public let text: String
  public let range: SourceRange

  /// `require`, `require[0.9]`, `require always (t = 0)`, `no overlap`, `cover target`.
  public var label: String {
    switch kind {
    case .requirement(.hard): "require"
    case .requirement(.soft(let p)): "require[\(JSONValue.spell(p, negativeZero: false).replacingZeroFraction)]"
    case .requirement(.always): "require always (t = 0)"
    case .requirement(.eventually): "require eventually"
    case .nonOverlap: "no overlap"
    case .placement: "placement"
    case .coverTarget: "cover target"
    case .precondition: "precondition"
    case .invariant: "invariant"
    }
  }
}

extension String {
  /// `0.9` stays, `1.0` becomes `1`.
  var replacingZeroFraction: String { hasSuffix(".0") ? String(dropLast(2)) : self }
}

/// Two actors the non-overlap rule found overlapping: the earlier and the later definition.
public struct OverlapPair: Sendable, Hashable {
  public struct Actor: Sendable, Hashable {
    public let name: String
    public let range: SourceRange
  }

  public let first: Actor
  public let second: Actor
}

/// How often each check of one scenario was evaluated, failed, and was an attempt's first
/// failure. Sums over samples, so merging workers' statistics is order-independent.
public struct RejectionStatistics: Sendable, Equatable {
  public let scenario: String
  public let scenarioRange: SourceRange
  public let checks: [CheckInfo]
  public internal(set) var evaluated: [Int]
  public internal(set) var failed: [Int]
  public internal(set) var firstFailures: [Int]
  /// Attempts made, accepted or not.
  public internal(set) var attempts: Int = 0
  /// Samples accepted.
  public internal(set) var accepted: Int = 0
  /// How often each pair of actors failed the non-overlap rule.
  public internal(set) var overlaps: [OverlapPair: Int] = [:]

  mutating func noteOverlap(_ first: OverlapPair.Actor, _ second: OverlapPair.Actor) {
    overlaps[OverlapPair(first: first, second: second), default: 0] += 1
  }

  /// The pair that overlapped most often (ties: the earliest in the source), if any did.
  public var commonestOverlap: (pair: OverlapPair, count: Int)? {
    overlaps.max { a, b in
      if a.value != b.value { return a.value < b.value }
      let ka = (a.key.second.range.file.raw, a.key.second.range.start, a.key.first.range.start)
      let kb = (b.key.second.range.file.raw, b.key.second.range.start, b.key.first.range.start)
      return ka > kb
    }.map { ($0.key, $0.value) }
  }

  /// The check that most often failed first (ties: the earliest), if any failed.
  public var commonestFirstFailure: Int? {
    var best: Int?
    for i in checks.indices where firstFailures[i] > 0 {
      if let b = best, firstFailures[b] >= firstFailures[i] { continue }
      best = i
    }
    return best
  }

  init(scenario: String, range: SourceRange, checks: [CheckInfo]) {
    self.scenario = scenario
    self.scenarioRange = range
    self.checks = checks
    self.evaluated = Array(repeating: 0, count: checks.count)
    self.failed = Array(repeating: 0, count: checks.count)
    self.firstFailures = Array(repeating: 0, count: checks.count)
  }

  /// The sums of two statistics of the same scenario.
  public func merging(_ other: RejectionStatistics) -> RejectionStatistics {
    var copy = self
    copy.merge(other)
    return copy
  }

  mutating func merge(_ other: RejectionStatistics) {
    for i in checks.indices {
      evaluated[i] += other.evaluated[i]
      failed[i] += other.failed[i]
      firstFailures[i] += other.firstFailures[i]
    }
    attempts += other.attempts
    accepted += other.accepted
    for (pair, n) in other.overlaps { overlaps[pair, default: 0] += n }
  }

  /// Share of attempts in which check i was the first to fail.
  public func firstFailureShare(_ i: Int) -> Double {
    attempts == 0 ? 0 : Double(firstFailures[i]) / Double(attempts)
  }

  /// A fixed-width table; `location` renders a source range (`file:line:col`).
  public func table(location: (SourceRange) -> String) -> String {
    var rows: [[String]] = [["check", "location", "evaluated", "failed", "first failure"]]
    for (i, c) in checks.enumerated() {
      let share = attempts == 0 ? "0%" : Self.percent(firstFailureShare(i))
      let text: String
      switch c.kind {
      case .nonOverlap, .placement: text = c.text
      default: text = "\(c.label) \(c.text)"
      }
      rows.append([text, location(c.range), String(evaluated[i]), String(failed[i]), share])
    }
    var widths = Array(repeating: 0, count: rows[0].count)
    for r in rows { for (j, cell) in r.enumerated() { widths[j] = max(widths[j], cell.count) } }
    var out = "scenario \(scenario): \(attempts) attempt\(attempts == 1 ? "" : "s"), \(accepted) accepted\n"
    for (k, r) in rows.enumerated() {
      var line = "  "
      for (j, cell) in r.enumerated() {
        let pad = String(repeating: " ", count: widths[j] - cell.count)
        line += j >= 2 && k > 0 ? pad + cell : cell + pad
        if j < r.count - 1 { line += "  " }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }

  static func percent(_ x: Double) -> String {
    let tenths = (x * 1000).rounded()
    return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))%" : "\(tenths / 10)%"
  }
}

/// Why a run stopped.
public enum SamplerFailure: Error, Sendable, Equatable {
  /// An evaluation error (bad distribution argument, index out of range …).
  case runtime(RuntimeError, sample: UInt64)
  /// Sample `sample` needed more than `maxAttempts` attempts.
  case impossible(sample: UInt64, maxAttempts: Int, statistics: RejectionStatistics)

  /// The diagnostic to render: E0506 with a note per check, or the runtime error.
  public var diagnostic: Diagnostic {
    switch self {
    case .runtime(let e, _): return e.diagnostic
    case .impossible(let sample, let max, let stats):
      var notes: [Note] = []
      for (i, c) in stats.checks.enumerated() where stats.evaluated[i] > 0 {
        let share = RejectionStatistics.percent(stats.firstFailureShare(i))
        let what = c.kind == .nonOverlap || c.kind == .placement ? c.text : "'\(c.text)'"
        notes.append(Note("\(what) failed \(stats.failed[i]) of \(stats.evaluated[i]) times; first failure in \(share) of attempts",
                          at: c.range))
      }
      // Point at what most often stopped an attempt: that requirement, or the later of the
      // two actors that most often overlapped (the note shows the other).
      var message = "scenario '\(stats.scenario)' is impossible or too unlikely: no attempt out of \(max) satisfied every requirement (sample \(sample))"
      var range = SourceRange.point(stats.scenarioRange.file, stats.scenarioRange.start)
      if let culprit = stats.commonestFirstFailure {
        let c = stats.checks[culprit]
        if c.kind == .nonOverlap, let (pair, count) = stats.commonestOverlap {
          message += "; most often actors '\(pair.first.name)' and '\(pair.second.name)' overlapped (\(count) time\(count == 1 ? "" : "s"))"
          range = pair.second.range
          notes.insert(Note("'\(pair.first.name)' is defined here", at: pair.first.range), at: 0)
        } else if c.kind != .nonOverlap {
          message += "; most often '\(c.text)' failed"
          range = c.range
        }
      }
      return .error(DiagnosticCode(RuntimeErrorCode.impossibleScenario.rawValue), message, at: range, notes: notes)
    }
  }
}
