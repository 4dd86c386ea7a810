import ScnIR
import ScnSource

/// The values one `record` statement kept during a simulation (docs/language-tour.md,
/// "Recording values"): one per step for `record e`, one for `record initial`/`final`.
public struct RecordedSeries: Sendable, Equatable {
  public struct Sample: Sendable, Equatable {
    /// The simulation step (time = step × `Trace.step`).
    public let step: Int
    public let time: Double
    public let value: Value
  }
  public let name: String
  public let time: RecordIR.Time
  /// The value's IR type, for writing it (`Scene.json(_:_:)`).
  public let type: IRType
  public internal(set) var samples: [Sample] = []
  /// `record e` (a value per step), not `record initial`/`final` (one value).
  public var isPerStep: Bool { time == .everyStep }
}

/// `record` compiled.
struct CompiledRecord: Sendable {
  let name: String
  let time: RecordIR.Time
  let type: IRType
  let eval: Eval
  /// The schedule branch it belongs to (nil: taken for the whole run).
  let branch: Int?

  init(_ r: RecordIR, compiler: ExprCompiler) {
    name = r.name
    time = r.time
    type = r.value.type
    eval = compiler.compile(r.value)
    branch = r.branch
  }
}

/// `override` compiled.
struct CompiledOverride: Sendable {
  enum Behavior: Sendable {
    case keep, none
    case run(Eval)
  }
  let target: Eval
  let fields: [(name: String, eval: Eval)]
  let behavior: Behavior
  let range: SourceRange
  /// The schedule branch it belongs to (nil: held for the whole run).
  let branch: Int?

  init(_ o: OverrideIR, compiler: ExprCompiler) {
    branch = o.branch
    target = compiler.compile(o.target)
    fields = o.fields.map { ($0.name, compiler.compile($0.value)) }
    switch o.behavior {
    case .keep: behavior = .keep
    case .none: behavior = .none
    case .run(let b): behavior = .run(compiler.compile(b))
    }
    range = o.range
  }
}

/// Takes the `record` values of one simulation, step by step.
struct Recorder {
  private let specs: [CompiledRecord]
  private(set) var series: [RecordedSeries]

  /// Bounds the values before the run: `steps + 1` per `record e`, against the trace limit.
  init(_ specs: [CompiledRecord], steps: Int, limit: Int, at range: SourceRange) throws(RuntimeError) {
    self.specs = specs
    series = specs.map { RecordedSeries(name: $0.name, time: $0.time, type: $0.type) }
    let perStep = specs.filter { $0.time == .everyStep }.count
    guard Double(steps + 1) * Double(perStep) <= Double(limit) else {
      throw RuntimeError(.recordLimit,
                         "record: \(steps + 1) steps × \(perStep) recorded values is more than \(limit) values "
                           + "(the trace limit); shorten the simulation, lower its rate, or "
                           + ResourceLimits.howToRaise("trace"), at: range)
    }
  }

  /// The values at step `step`, before the behaviors act: every `record e`, `record
  /// initial` at step 0, and `record final` (kept until a later step replaces it). A
  /// sequenced sub-scenario's records (`running(branch)`) only at the steps it runs: its
  /// `record initial` at the first of them, its `record final` at the last.
  mutating func take(step: Int, time: Double, _ ctx: Context, running: (Int) -> Bool) throws(RuntimeError) {
    for (k, r) in specs.enumerated() {
      if let b = r.branch {
        guard running(b) else { continue }
        if r.time == .initial, !series[k].samples.isEmpty { continue }
      }
      switch r.time {
      case .initial where step > 0 && r.branch == nil: continue
      case .everyStep, .initial:
        series[k].samples.append(RecordedSeries.Sample(step: step, time: time, value: try r.eval(ctx)))
      case .final:
        let s = RecordedSeries.Sample(step: step, time: time, value: try r.eval(ctx))
        if series[k].samples.isEmpty { series[k].samples.append(s) } else { series[k].samples[0] = s }
      }
    }
  }
}

/// What an override replaced on one record: restored by `Simulator.restoreOverrides`.
struct OverrideUndo {
  let record: Int
  let fields: [(index: Int, value: Value)]
  let behavior: BehaviorCall??
}

/// What a sequenced sub-scenario's overrides changed when its branch started: the records'
/// values, and the runners they suspended (the actor's own behavior, resumed where it was).
struct BranchOverrides {
  var undo: [OverrideUndo] = []
  var suspended: [Int] = []
}

extension Simulator {
  /// Applies the `override` statements that hold for the whole run (the scenario's own and
  /// those of sub-scenarios run from the start) to the attempt's records before the world is
  /// built: the fields and behaviors the simulation reads (docs/language-tour.md,
  /// "Overrides"). The records are restored when the run returns (`run()`'s `defer`), so the
  /// sampled scene keeps the values it was sampled with. A sequenced sub-scenario's
  /// overrides start and end with its branch (`startBranchOverrides`).
  func applyOverrides() throws(RuntimeError) {
    _ = try applyOverrides(scenario.overrides.indices.filter { scenario.overrides[$0].branch == nil })
  }

  /// Applies overrides `which` (indices into `scenario.overrides`) and returns what they
  /// replaced, last applied last, for `restoreOverrides`.
  func applyOverrides(_ which: some Sequence<Int>) throws(RuntimeError) -> [OverrideUndo] {
    var undo: [OverrideUndo] = []
    for n in which where scenario.overrides.indices.contains(n) {
      let o = scenario.overrides[n]
      guard case .record(let i) = try o.target(ctx), ctx.records.indices.contains(i), ctx.records[i].definition >= 0,
        !types[ctx.records[i].typeIndex].isSensor
      else {
        throw RuntimeError(.badOverride, "override: the target is not an actor of the scene", at: o.range)
      }
      var r = ctx.records[i]
      let t = types[r.typeIndex]
      var replaced: [(index: Int, value: Value)] = []
      for (name, eval) in o.fields {
        guard let k = t.fieldIndex[name], k < r.fieldCount else {
          throw RuntimeError(.badOverride, "override: actor \(definitionName(of: i)) is a '\(t.name)', which has no field '\(name)'",
                             at: o.range)
        }
        replaced.append((k, r.field(k)))
        r.fields[k] = try eval(ctx)
      }
      var oldBehavior: BehaviorCall??
      switch o.behavior {
      case .keep: break
      case .none:
        oldBehavior = .some(r.behavior)
        r.behavior = nil
      case .run(let eval):
        guard case .behavior(let call) = try eval(ctx) else {
          throw RuntimeError(.badOverride, "override: 'with behavior' needs a behavior", at: o.range)
        }
        oldBehavior = .some(r.behavior)
        r.behavior = call
      }
      ctx.records[i] = r
      undo.append(OverrideUndo(record: i, fields: replaced, behavior: oldBehavior))
    }
    return undo
  }

  /// Branch `b` starts: applies its overrides; one `with behavior` suspends the actor's
  /// running behaviors and runs the new one (none for `with behavior none`) as the
  /// branch's, so it stops when the branch ends.
  func startBranchOverrides(_ b: Int) throws(RuntimeError) -> BranchOverrides {
    let which = scenario.overrides.indices.filter { scenario.overrides[$0].branch == b }
    guard !which.isEmpty else { return BranchOverrides() }
    var result = BranchOverrides(undo: try applyOverrides(which))
    for u in result.undo where u.behavior != nil {
      guard actorOfRecord.indices.contains(u.record), case let a = actorOfRecord[u.record], a >= 0 else { continue }
      guard present.indices.contains(a), present[a] else {
        throw RuntimeError(.badOverride, "override: actor \(definitionName(of: u.record)) does not exist yet when this sub-scenario starts",
                           at: definitionRange(of: u.record))
      }
      for j in runners.indices where runners[j].actor == a && runnerActive[j] && runnerSuspended[j] == 0 {
        runnerSuspended[j] += 1
        result.suspended.append(j)
      }
      guard let call = ctx.records[u.record].behavior else { continue }
      guard let runner = BehaviorRunner(actor: a, call: call, table: behaviors, localCount: localCount),
        behaviors[call.name]?.isMonitor != true
      else {
        throw RuntimeError(.badOverride, "override: unknown behavior '\(call.name)'", at: definitionRange(of: u.record))
      }
      addRunner(runner, branch: b, active: true)
    }
    return result
  }

  /// Branch `b` ends: its overrides' values are put back and the behaviors they suspended
  /// resume where they were (its own runners stop with the branch).
  func endBranchOverrides(_ o: BranchOverrides) {
    restoreOverrides(o.undo)
    for j in o.suspended where runnerSuspended.indices.contains(j) { runnerSuspended[j] = max(0, runnerSuspended[j] - 1) }
  }

  /// Puts back what `applyOverrides` replaced, newest first.
  func restoreOverrides(_ undo: [OverrideUndo]) {
    for u in undo.reversed() where ctx.records.indices.contains(u.record) {
      var r = ctx.records[u.record]
      for (k, v) in u.fields where (0..<r.fieldCount).contains(k) { r.fields[k] = v }
      if let b = u.behavior { r.behavior = b }
      ctx.records[u.record] = r
    }
  }
}
