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

  init(_ r: RecordIR, compiler: ExprCompiler) {
    name = r.name
    time = r.time
    type = r.value.type
    eval = compiler.compile(r.value)
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

  init(_ o: OverrideIR, compiler: ExprCompiler) {
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
  /// initial` at step 0, and `record final` (kept until a later step replaces it).
  mutating func take(step: Int, time: Double, _ ctx: Context) throws(RuntimeError) {
    for (k, r) in specs.enumerated() {
      switch r.time {
      case .initial where step > 0: continue
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

extension Simulator {
  /// Applies the scenario's `override` statements to the attempt's records before the
  /// world is built: the fields and behaviors the simulation reads (docs/language-tour.md,
  /// "Overrides"). Sub-scenarios run for the whole simulation, so the overrides hold for
  /// all of it; the records are restored when the run returns (`run()`'s `defer`), so the
  /// sampled scene keeps the values it was sampled with.
  func applyOverrides() throws(RuntimeError) {
    _ = try applyOverrides(scenario.overrides.indices)
  }

  /// Applies overrides `which` (indices into `scenario.overrides`, e.g. those of the
  /// sub-scenarios a step starts: `OverrideIR.invocation`) and returns what they replaced,
  /// last applied last, for `restoreOverrides` when the step ends.
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

  /// Puts back what `applyOverrides` replaced, newest first. (A restored behavior takes
  /// effect for a runner built after this; the running ones are the scheduler's to swap.)
  func restoreOverrides(_ undo: [OverrideUndo]) {
    for u in undo.reversed() where ctx.records.indices.contains(u.record) {
      var r = ctx.records[u.record]
      for (k, v) in u.fields where (0..<r.fieldCount).contains(k) { r.fields[k] = v }
      if let b = u.behavior { r.behavior = b }
      ctx.records[u.record] = r
    }
  }
}
