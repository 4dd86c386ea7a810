import ScnIR
import ScnSource

/// A scenario's `compose` steps run in sequence (docs/language-tour.md, "Sub-scenarios in
/// sequence"), compiled: per branch (one sub-scenario invocation) the definitions whose
/// actors it creates and the checks that hold while it runs.
struct CompiledSchedule: Sendable {
  struct Step: Sendable {
    let kind: ScheduleIR.Kind
    let branches: [Int]
    let weights: [Double]
    let duration: Eval?
    let until: Eval?
    /// The check info a `do choose`/`do shuffle` step rejects with when no candidate can start.
    let deadlock: Int?
    let range: SourceRange
  }
  struct Branch: Sendable {
    let name: String
    let deferred: Bool
    let definitions: Set<Int>
    /// Hard requirements of a deferred branch: checked when it starts (info, condition).
    let starts: [(info: Int, eval: Eval)]
    /// `always` (every step it runs) and `eventually` (by its end).
    let temporal: [TemporalCheck]
    let terminations: [Eval]
    let after: [Eval]
    let monitors: [Eval]
    /// The invocation (where a bad `terminate after` points).
    let range: SourceRange
  }
  let steps: [Step]
  let branches: [Branch]

  init(_ ir: ScheduleIR, compiler: ExprCompiler, infos: inout [CheckInfo]) {
    var branches: [Branch] = []
    for b in ir.branches {
      var starts: [(info: Int, eval: Eval)] = []
      var temporal: [TemporalCheck] = []
      for r in b.requirements {
        let text = b.name + ": " + r.text
        switch r.mode {
        case .always:
          infos.append(CheckInfo(kind: .requirement(.always), text: text, range: r.range))
          temporal.append(TemporalCheck(info: infos.count - 1, mode: .always, eval: compiler.compile(r.condition)))
        case .eventually:
          infos.append(CheckInfo(kind: .requirement(.eventually), text: text, range: r.range))
          temporal.append(TemporalCheck(info: infos.count - 1, mode: .eventually, eval: compiler.compile(r.condition)))
        case .hard, .soft:
          infos.append(CheckInfo(kind: .precondition, text: text, range: r.range))
          starts.append((infos.count - 1, compiler.compile(r.condition)))
        }
      }
      branches.append(Branch(
        name: b.name, deferred: b.deferred, definitions: Set(b.definitions), starts: starts, temporal: temporal,
        terminations: b.terminations.map { compiler.compile($0) }, after: b.after.map { compiler.compile($0) },
        monitors: b.monitors.map { compiler.compile($0) }, range: b.range))
    }
    var steps: [Step] = []
    for s in ir.steps {
      var deadlock: Int?
      if s.kind == .choose || s.kind == .shuffle {
        infos.append(CheckInfo(kind: .precondition,
                               text: "do \(s.kind.rawValue): some sub-scenario's requirements hold when the step starts",
                               range: s.range))
        deadlock = infos.count - 1
      }
      steps.append(Step(kind: s.kind, branches: s.branches, weights: s.weights, duration: s.duration.map { compiler.compile($0) },
                        until: s.until.map { compiler.compile($0) }, deadlock: deadlock, range: s.range))
    }
    self.steps = steps
    self.branches = branches
  }
}

/// Where a schedule is while one simulation runs.
struct ScheduleRun {
  let schedule: CompiledSchedule
  /// The current step (-1: not started).
  var step = -1
  var stepStart = 0
  /// Branches running now, with the simulation step each started at.
  var running: [(branch: Int, start: Int)] = []
  /// Per branch: whether it has started, and its `eventually` checks met so far.
  var started: [Bool]
  var eventually: [[Bool]]
  /// Branches whose actor's behavior or monitor ran `terminate`: they end at the next step.
  var terminatedByBehavior: Set<Int> = []
  /// `do shuffle`: the branches of the current step not run yet; picks made in it.
  var remaining: [Int] = []
  var picks = 0
  /// Per running branch: what its overrides changed, put back when it ends.
  var overrides: [Int: BranchOverrides] = [:]

  init(_ schedule: CompiledSchedule) {
    self.schedule = schedule
    started = Array(repeating: false, count: schedule.branches.count)
    eventually = schedule.branches.map { Array(repeating: false, count: $0.temporal.count) }
  }

  /// Whether definition `d`'s actors wait for a branch to start.
  func isDeferredDefinition(_ d: Int) -> Bool { schedule.branches.contains { $0.definitions.contains(d) } }

  /// The branch that creates definition `d`'s actors.
  func branch(ofDefinition d: Int) -> Int? { schedule.branches.firstIndex { $0.definitions.contains(d) } }
}

/// What the schedule asks of the run at one step.
enum ScheduleSignal: Equatable {
  case none
  /// The last step ended: the scenario's `compose` is done, and with it the run.
  case finished
  /// A requirement failed (the info index).
  case reject(Int)
}

extension Simulator {
  /// Advances the schedule to step `k`: ends the branches and steps whose bounds hold, starts
  /// the steps that follow (creating their actors), and checks the running branches'
  /// `always` requirements. Called before anything else is evaluated at the step, so a
  /// sub-scenario started at step k has its actors in frame k.
  func updateSchedule(step k: Int) throws(RuntimeError) -> ScheduleSignal {
    guard var run = sequence, !run.schedule.steps.isEmpty, run.step < run.schedule.steps.count else { return .none }
    defer { sequence = run }
    if run.step < 0 {
      run.step = 0
      run.stepStart = k
      if case .reject(let i) = try startStep(&run, k) { return .reject(i) }
    }
    // The running sub-scenarios' requirements see this step before any of them ends at it.
    if let failed = try checkRunning(&run) { return .reject(failed) }
    // Each pass ends at most one step; a step may end as it starts (a zero duration), so
    // bound the passes by the number of steps.
    for _ in 0...run.schedule.steps.count {
      // Branches that end now.
      var stillRunning: [(branch: Int, start: Int)] = []
      for (b, start) in run.running {
        let branch = run.schedule.branches[b]
        var ends = run.terminatedByBehavior.contains(b)
        for t in branch.terminations where !ends { ends = try t(ctx).asBool }
        for a in branch.after where !ends {
          ends = k - start >= (try stepCount(try a(ctx).asDouble, what: "'terminate after' of \(branch.name)", at: branch.range))
        }
        if ends {
          if let missed = endBranch(&run, b) { return .reject(missed) }
        } else {
          stillRunning.append((b, start))
        }
      }
      run.running = stillRunning
      let step = run.schedule.steps[run.step]
      var ends = false
      if let d = step.duration {
        ends = k - run.stepStart >= (try stepCount(try d(ctx).asDouble, what: "this 'compose' step", at: step.range))
      }
      if !ends, let u = step.until { ends = try u(ctx).asBool }
      if !ends {
        switch step.kind {
        case .wait: ends = step.duration == nil && step.until == nil && k - run.stepStart >= 1
        case .run, .choose: ends = run.running.isEmpty && !step.branches.isEmpty
        case .shuffle:
          if run.running.isEmpty {
            if run.remaining.isEmpty {
              ends = true
            } else if case .reject(let i) = try pick(&run, step, k) {
              return .reject(i)
            }
          }
        }
      }
      guard ends else { break }
      for (b, _) in run.running { if let missed = endBranch(&run, b) { return .reject(missed) } }
      run.running = []
      run.step += 1
      run.stepStart = k
      if run.step >= run.schedule.steps.count { return .finished }
      if case .reject(let i) = try startStep(&run, k) { return .reject(i) }
    }
    // And those that started at this step.
    if let failed = try checkRunning(&run) { return .reject(failed) }
    return .none
  }

  /// Checks the running branches' `always` (the info of one that fails) and notes their
  /// `eventually` that hold now.
  private func checkRunning(_ run: inout ScheduleRun) throws(RuntimeError) -> Int? {
    for (b, _) in run.running {
      if let failed = try checkTemporal(run.schedule.branches[b].temporal, met: &run.eventually[b]) { return failed }
    }
    return nil
  }

  /// Simulation steps in `seconds` of a step's or sub-scenario's bound (E0546 when negative or not finite).
  private func stepCount(_ seconds: Double, what: String, at range: SourceRange) throws(RuntimeError) -> Int {
    guard seconds >= 0, seconds.isFinite else {
      throw RuntimeError(.badStepDuration, "\(what) lasts \(seconds) s; a duration must be finite and ≥ 0", at: range)
    }
    return try steps(seconds, at: range)
  }

  /// At the end of the run: the first `eventually` of a branch still running that never held.
  func scheduleMissedEventually() -> Int? {
    guard let run = sequence else { return nil }
    for (b, _) in run.running {
      for (i, check) in run.schedule.branches[b].temporal.enumerated() where check.mode == .eventually && !run.eventually[b][i] {
        return check.info
      }
    }
    return nil
  }

  /// A behavior or monitor of `runner` ran `terminate`: the branch it belongs to ends (nil:
  /// it belongs to the scenario itself, and the run ends).
  func branchTerminated(byRunner i: Int) -> Bool {
    guard var run = sequence, i < runnerBranch.count, let b = runnerBranch[i] else { return false }
    run.terminatedByBehavior.insert(b)
    for j in runners.indices where j < runnerBranch.count && runnerBranch[j] == b { runnerActive[j] = false }
    sequence = run
    return true
  }

  private func startStep(_ run: inout ScheduleRun, _ k: Int) throws(RuntimeError) -> ScheduleSignal {
    let step = run.schedule.steps[run.step]
    run.picks = 0
    switch step.kind {
    case .wait: return .none
    case .run:
      for b in step.branches {
        if let failed = try failedStart(run.schedule.branches[b]) { return .reject(failed) }
        try startBranch(&run, b, k)
      }
      return .none
    case .choose:
      run.remaining = step.branches
      return try pick(&run, step, k)
    case .shuffle:
      run.remaining = step.branches
      return try pick(&run, step, k)
    }
  }

  /// `do choose` / `do shuffle`: starts one of the remaining branches whose requirements hold
  /// now, drawn by weight; none → the run is rejected (Scenic's deadlock).
  private func pick(_ run: inout ScheduleRun, _ step: CompiledSchedule.Step, _ k: Int) throws(RuntimeError) -> ScheduleSignal {
    var eligible: [(branch: Int, weight: Double)] = []
    for b in run.remaining where try failedStart(run.schedule.branches[b]) == nil {
      let w = step.weights.count == step.branches.count ? step.branches.firstIndex(of: b).map { step.weights[$0] } ?? 1 : 1
      eligible.append((b, w))
    }
    guard !eligible.isEmpty else { return .reject(step.deadlock ?? 0) }
    let key = ctx.key
    let u = uniform01(seed: key.seed, domain: .subScenarioChoice, index: key.sample, subkey: key.attempt,
                      draw: UInt32(truncatingIfNeeded: run.step) &* 1024 &+ UInt32(truncatingIfNeeded: run.picks))
    run.picks += 1
    let total = eligible.reduce(0) { $0 + $1.weight }
    var target = u * total
    var chosen = eligible[eligible.count - 1].branch
    for e in eligible {
      if target < e.weight {
        chosen = e.branch
        break
      }
      target -= e.weight
    }
    run.remaining = step.kind == .shuffle ? run.remaining.filter { $0 != chosen } : []
    try startBranch(&run, chosen, k)
    return .none
  }

  /// The first start requirement of a deferred branch that does not hold now.
  private func failedStart(_ branch: CompiledSchedule.Branch) throws(RuntimeError) -> Int? {
    for s in branch.starts where !(try s.eval(ctx).asBool) { return s.info }
    return nil
  }

  /// Creates the branch's actors (physics bodies), starts their behaviors and its monitors.
  private func startBranch(_ run: inout ScheduleRun, _ b: Int, _ k: Int) throws(RuntimeError) {
    let branch = run.schedule.branches[b]
    run.started[b] = true
    run.running.append((b, k))
    for a in actors.indices where !present[a] {
      let record = actors[a].record
      guard branch.definitions.contains(ctx.records[record].definition) else { continue }
      try materialize(a)
    }
    for j in runners.indices where j < runnerBranch.count && runnerBranch[j] == b && runners[j].actor != nil {
      runnerActive[j] = true
    }
    for m in branch.monitors {
      guard case .behavior(let call) = try m(ctx),
        let runner = BehaviorRunner(actor: nil, call: call, table: behaviors, localCount: localCount)
      else {
        throw RuntimeError(.unsupported, "'require monitor' needs a monitor", at: scenario.ir.range)
      }
      addRunner(runner, branch: b, active: true)
    }
    // Its overrides hold from now until it ends (docs/language-tour.md, "Overrides").
    run.overrides[b] = try startBranchOverrides(b)
  }

  /// Ends a branch: its behaviors and monitors stop (its actors stay, as in Scenic); returns
  /// the info of an `eventually` it never met.
  private func endBranch(_ run: inout ScheduleRun, _ b: Int) -> Int? {
    for j in runners.indices where j < runnerBranch.count && runnerBranch[j] == b { runnerActive[j] = false }
    if let o = run.overrides.removeValue(forKey: b) { endBranchOverrides(o) }
    let branch = run.schedule.branches[b]
    for (i, check) in branch.temporal.enumerated() where check.mode == .eventually && !run.eventually[b][i] {
      return check.info
    }
    return nil
  }
}
