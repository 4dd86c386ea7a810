import ScnGeometry
import ScnRuntime
import Testing

/// Sub-scenarios run one after another: several `compose` steps, `wait`, `do choose` and
/// `do shuffle` (docs/language-tour.md, "Sub-scenarios in sequence"). Each test translates a
/// test function of Scenic 3's `tests/syntax/test_modular.py` (named in each;
/// docs/scenic-coverage.md maps them). Scenic counts steps; scn counts seconds, so the
/// simulations run at 1 Hz (a step is 1 s) unless a test is about times shorter than a step.
@Suite struct SubScenarioSequenceTests {
  /// Whether actor `i` exists at each frame of the trace.
  static func presence(_ trace: Trace, _ i: Int) -> [Bool] { trace.frames.map { !$0.absent.contains(i) } }

  /// A `scenario Main` that runs one `compose` step line for `length` at 1 Hz.
  static func main(_ step: String, _ length: String) -> String {
    "scenario Main {\n    compose { \(step) }\n    simulate \(length) at 1Hz\n}\n"
  }

  /// Compiles `src` and samples its first scene with at most `maxAttempts` attempts: the
  /// code and message of the failure that stopped it, nil when it was accepted.
  static func firstFailure(_ src: String, maxAttempts: Int) throws -> (code: String, message: String)? {
    let run = try SamplerSupport.sampler(src, SimulationSupport.options(maxAttempts: maxAttempts)).run(start: 0, count: 1, jobs: 1)
    return run.failure.map { ($0.diagnostic.code.rawValue, $0.diagnostic.message) }
  }

  /// `chooser` or `shuffler` without the precondition.
  static func unconditional(_ subs: String) -> String {
    subs.replacingOccurrences(of: "precondition: sim_time() >= x * 1s", with: "")
  }

  /// Whether every sample of `src` is rejected (the sampler gives up with E0506).
  static func alwaysRejected(_ src: String) throws -> Bool {
    try firstFailure(src, maxAttempts: 40)?.code == "E0506"
  }

  /// `count` accepted samples of `src` with their traces.
  static func traces(_ src: String, count: Int) throws -> [(scene: Scene, trace: Trace)] {
    try SamplerSupport.scenes(src, count: count, SimulationSupport.options(maxAttempts: 100)).map { scene in
      (scene, try #require(scene.trace))
    }
  }

  /// test_sequential_composition: the second step starts when the first sub-scenario ends;
  /// its actor exists from then on, and the first one's stays.
  @Test func sequentialComposition() throws {
    let (scene, trace) = try SimulationSupport.trace("""
      scenario Sub(x: Length = 0m) {
          let b = Box at (x, 0m, 0m)
          terminate after 1s
      }
      scenario Main {
          compose {
              do Sub(1m)
              do Sub(5m)
          }
          simulate 5s at 1Hz
      }
      """)
    let first = try SimulationSupport.actor(scene, "Sub.1.b")
    let second = try SimulationSupport.actor(scene, "Sub.2.b")
    #expect(trace.frames.count == 3)
    #expect(trace.terminated)
    #expect(trace.reason == .condition)
    #expect(Self.presence(trace, first) == [true, true, true])
    #expect(Self.presence(trace, second) == [false, true, true])
    for frame in trace.frames {
      #expect((frame.actors[first].position - Vec3(1, 0, 0)).length < 1e-2)
      #expect((frame.actors[second].position - Vec3(5, 0, 0)).length < 1e-2)
    }
  }

  /// test_subscenario_for_steps (`for 2s` at 1 Hz), test_subscenario_for_time (`for 1s` at
  /// 2 Hz), test_subscenario_until: the step ends at its bound, and the next starts then.
  @Test(arguments: [
    ("do Sub(1m) for 2s", "1Hz", "3s"), ("do Sub(1m) for 1s", "2Hz", "1.5s"),
    ("do Sub(1m) until sim_time() >= 2s", "1Hz", "3s"),
  ])
  func boundedStepThenNext(_ step: String, _ rate: String, _ length: String) throws {
    let (scene, trace) = try SimulationSupport.trace("""
      scenario Sub(x: Length = 0m) {
          let b = Box at (x, 0m, 0m)
          terminate after 3s
      }
      scenario Main {
          compose {
              \(step)
              do Sub(5m)
          }
          simulate \(length) at \(rate)
      }
      """)
    #expect(trace.frames.count == 4)
    #expect(Self.presence(trace, try SimulationSupport.actor(scene, "Sub.1.b")) == [true, true, true, true])
    #expect(Self.presence(trace, try SimulationSupport.actor(scene, "Sub.2.b")) == [false, false, true, true])
  }

  /// test_subscenario_wait_for_steps (`wait 2s`; Scenic's `wait for` is accepted too),
  /// test_subscenario_wait_for_time (at 2 Hz), test_subscenario_wait_until: no actor exists
  /// before the step after the `wait`.
  @Test(arguments: [("wait 2s", "1Hz", "3s"), ("wait for 1s", "2Hz", "1.5s"), ("wait until sim_time() >= 2s", "1Hz", "3s")])
  func waitThenRun(_ wait: String, _ rate: String, _ length: String) throws {
    let (scene, trace) = try SimulationSupport.trace("""
      scenario Sub(x: Length = 0m) {
          let b = Box at (x, 0m, 0m)
          terminate after 3s
      }
      scenario Main {
          compose {
              \(wait)
              do Sub(5m)
          }
          simulate \(length) at \(rate)
      }
      """)
    #expect(trace.frames.count == 4)
    let b = try SimulationSupport.actor(scene, "Sub.b")
    #expect(Self.presence(trace, b) == [false, false, true, true])
    #expect((trace.frames[3].actors[b].position - Vec3(5, 0, 0)).length < 1e-2)
  }

  /// test_subscenario_require_eventually: a sub-scenario's `require eventually` must hold
  /// before it ends, not by the end of the run; test_subscenario_terminate_when: the same
  /// with `terminate when`.
  @Test(arguments: ["terminate after 1s", "terminate when sim_time() >= 1s"])
  func eventuallyBeforeTheSubScenarioEnds(_ end: String) throws {
    let src = """
      scenario Sub {
          let b = Box
          require eventually sim_time() >= 2s
          \(end)
      }
      scenario Main {
          compose {
              do Sub()
              wait
          }
          simulate 2s at 1Hz
      }
      """
    #expect(try Self.alwaysRejected(src))
    // Met while it runs: accepted.
    #expect(try !Self.alwaysRejected(src.replacingOccurrences(of: ">= 2s", with: ">= 1s")))
  }

  /// test_subscenario_require_monitor: a sub-scenario's monitor stops with it (its
  /// `require sim_time() <= 2s` would fail at 3 s); the run goes on through the `wait`.
  @Test func monitorStopsWithTheSubScenario() throws {
    let (_, trace) = try SimulationSupport.trace("""
      monitor TimeLimit() {
          while true {
              require sim_time() <= 2s
              wait 1s
          }
      }
      scenario Sub {
          let b = Box
          require monitor TimeLimit()
          terminate after 2s
      }
      scenario Main {
          compose {
              do Sub()
              wait
          }
          simulate 3s at 1Hz
      }
      """)
    #expect(trace.frames.count == 4)
  }

  /// test_subscenario_terminate_behavior: `terminate` in a sub-scenario's behavior ends that
  /// sub-scenario (its behaviors stop), not the run: the parent's `wait` still runs.
  @Test func behaviorTerminatesItsSubScenarioOnly() throws {
    let (_, trace) = try SimulationSupport.trace("""
      behavior Foo() {
          do set_speed(1m/s) for 1s
          terminate
      }
      scenario Sub {
          let p = Box at (0m, 0m, 0m) with behavior Foo()
      }
      scenario Main {
          compose {
              do Sub()
              wait
          }
          simulate 10s at 1Hz
      }
      """)
    #expect(trace.reason == .condition)
    #expect(trace.frames.count == 4)
    #expect(trace.actions.count == 1)
    #expect(trace.actions.allSatisfy { $0.step == 0 })
  }

  /// test_subscenario_global_param: each step's sub-scenario reads the value it is given
  /// (scn passes the parent's param as an argument: a sub-scenario has its own scope).
  @Test func stepsReadTheParentsParams() throws {
    let (scene, trace) = try SimulationSupport.trace("""
      scenario Sub1(x: Length = 0m) { let b = Box at (x, 0m, 0m) }
      scenario Sub2(x: Length = 0m) { let b = Box at (x, 0m, 0m) }
      scenario Main {
          param foo = 10m
          param bar = 20m
          compose {
              do Sub1(foo) for 1s
              do Sub2(bar) for 1s
          }
          simulate 3s at 1Hz
      }
      """)
    #expect(trace.frames.count == 3)
    let one = try SimulationSupport.actor(scene, "Sub1.b")
    let two = try SimulationSupport.actor(scene, "Sub2.b")
    #expect(Self.presence(trace, one) == [true, true, true])
    #expect(Self.presence(trace, two) == [false, true, true])
    #expect(abs(trace.frames[1].actors[two].position.x - 20) < 1e-2)
  }

  static let chooser = """
    scenario Sub(x: Float = 0) {
        precondition: sim_time() >= x * 1s
        setup {
            let b = Box at (x * 2m, 0m, 0m)
        }
    }

    """

  /// The `x` of the branch that runs at frame 1 of each of `count` samples.
  static func chosen(_ src: String, count: Int, rate: String = "1Hz", frame: Int = 1) throws -> [Double] {
    return try traces(src, count: count).map { scene, trace in
      let f = trace.frames[min(frame, trace.frames.count - 1)]
      let present = scene.actors.indices.filter { !f.absent.contains($0) }
      let xs = present.map { f.actors[$0].position.x / 2 }
      return xs.count == 1 ? xs[0] : xs.reduce(0, +) + 1000
    }
  }

  /// test_choose_1: only candidates whose preconditions hold when the step starts are chosen.
  @Test func chooseSkipsFailingPreconditions() throws {
    let xs = try Self.chosen(Self.chooser + Self.main("do choose Sub(-1), Sub(3)", "1s"), count: 30)
    #expect(xs.allSatisfy { abs($0 + 1) < 1e-6 })
  }

  /// test_choose_2: among the eligible candidates, each is chosen.
  @Test func chooseDrawsAmongEligible() throws {
    let xs = try Self.chosen(Self.chooser + Self.main("do choose Sub(-1), Sub(-2), Sub(5)", "1s"), count: 30)
    #expect(xs.allSatisfy { abs($0 + 1) < 1e-6 || abs($0 + 2) < 1e-6 })
    #expect(xs.contains { abs($0 + 1) < 1e-6 })
    #expect(xs.contains { abs($0 + 2) < 1e-6 })
  }

  /// test_choose_3: weights (`do choose { 1: A, 9: B }`): 145 to 199 of 200 choose B.
  @Test func chooseFollowsWeights() throws {
    let xs = try Self.chosen(Self.unconditional(Self.chooser) + Self.main("do choose { 1: Sub(0), 9: Sub(1) }", "1s"), count: 200)
    #expect(xs.allSatisfy { abs($0) < 1e-6 || abs($0 - 1) < 1e-6 })
    let ones = xs.filter { abs($0 - 1) < 1e-6 }.count
    #expect((145..<200).contains(ones), "\(ones)")
  }

  /// test_choose_deadlock: no candidate's precondition holds: every sample is rejected.
  @Test func chooseDeadlockRejects() throws {
    #expect(try Self.alwaysRejected(Self.chooser + Self.main("do choose Sub(6), Sub(2)", "1s")))
  }

  static let shuffler = """
    scenario Sub(x: Float = 0) {
        precondition: sim_time() >= x * 1s
        setup {
            let b = Box at (x * 2m, 0m, 0m)
            terminate after 1s
        }
    }

    """

  /// test_shuffle_1: the only order whose preconditions hold is taken; test_shuffle_2: both
  /// orders occur, and each runs once.
  @Test func shuffleRunsEachOnce() throws {
    let fixed = try Self.traces(Self.shuffler + Self.main("do shuffle Sub(-1), Sub(1)", "3s"), count: 30)
    for (scene, trace) in fixed {
      #expect(trace.frames.count == 3)
      let a = try SimulationSupport.actor(scene, "Sub.1.b")
      let b = try SimulationSupport.actor(scene, "Sub.2.b")
      #expect(Self.presence(trace, a) == [true, true, true])
      #expect(Self.presence(trace, b) == [false, true, true])
    }
    let free = try Self.traces(Self.unconditional(Self.shuffler) + Self.main("do shuffle Sub(1), Sub(3)", "3s"), count: 30)
    var firstIsOne = 0
    for (scene, trace) in free {
      #expect(trace.frames.count == 3)
      let a = try SimulationSupport.actor(scene, "Sub.1.b")
      let b = try SimulationSupport.actor(scene, "Sub.2.b")
      let pa = Self.presence(trace, a), pb = Self.presence(trace, b)
      #expect(pa[0] != pb[0])
      #expect(pa[1] && pb[1])
      if pa[0] { firstIsOne += 1 }
    }
    #expect(firstIsOne > 0 && firstIsOne < 30)
  }

  /// test_shuffle_3: weights order a shuffle: Sub(1) (weight 9) runs first in 145 to 199 of 200.
  @Test func shuffleFollowsWeights() throws {
    let xs = try Self.chosen(Self.unconditional(Self.shuffler) + Self.main("do shuffle { 1: Sub(0), 9: Sub(1) }", "3s"), count: 200, frame: 0)
    #expect(xs.allSatisfy { abs($0) < 1e-6 || abs($0 - 1) < 1e-6 })
    let ones = xs.filter { abs($0 - 1) < 1e-6 }.count
    #expect((145..<200).contains(ones), "\(ones)")
  }

  /// test_subscenario_terminate_with_parent: a sub-scenario's own sub-scenario ends with it
  /// (its `require eventually`, due by 2 s, is never met: the run ends at 1 s).
  @Test func subScenarioEndsWithItsParent() throws {
    #expect(try Self.alwaysRejected("""
      scenario Bottom {
          require eventually sim_time() >= 2s
      }
      scenario Sub {
          setup {
              ego e = Box
              terminate after 1s
          }
          compose { do Bottom() }
      }
      scenario Main {
          compose { do Sub() }
          simulate 2s at 1Hz
      }
      """))
  }

  /// test_shuffle_deadlock: after Sub(-1) ends at 1 s, Sub(2)'s precondition fails: rejected.
  @Test func shuffleDeadlockRejects() throws {
    #expect(try Self.alwaysRejected(Self.shuffler + Self.main("do shuffle Sub(-1), Sub(2)", "2s")))
  }

  /// A later step's hard requirement is checked when it starts, on the state then.
  @Test func laterRequirementIsCheckedAtItsStart() throws {
    let src = """
      scenario Sub(limit: Time = 0s) {
          let b = Box
          require sim_time() >= limit
      }
      scenario Main {
          compose {
              wait 1s
              do Sub(limit: LIMIT)
          }
          simulate 2s at 1Hz
      }
      """
    #expect(try !Self.alwaysRejected(src.replacingOccurrences(of: "LIMIT", with: "1s")))
    #expect(try Self.alwaysRejected(src.replacingOccurrences(of: "LIMIT", with: "2s")))
  }

  /// Samples are reproducible: the same seed gives the same choices and traces.
  @Test func choicesAreDeterministic() throws {
    let src = Self.chooser + Self.main("do choose Sub(-1), Sub(-2), Sub(-3)", "1s")
    #expect(try Self.chosen(src, count: 20) == (try Self.chosen(src, count: 20)))
  }

  /// A step's duration drawn negative stops the run with E0546 at the step.
  @Test func negativeStepDurationIsAnError() throws {
    let src = """
      scenario Sub { let b = Box }
      scenario Main {
          param d: Time = uniform(-2s, -1s)
          compose {
              wait d
              do Sub()
          }
          simulate 3s at 1Hz
      }
      """
    let failure = try Self.firstFailure(src, maxAttempts: 5)
    #expect(failure?.code == "E0546")
    #expect(failure?.message.contains("'compose' step lasts") == true)
  }

  /// Misuse, each with its code.
  @Test(arguments: [
    ("compose {\n        do Forever()\n        do Sub()\n    }", "error[E0150]"),
    ("compose { do Nested() }", "error[E0151]"),
    ("compose { do choose { 0: Sub(), 1: Sub() } }", "error[E0152]"),
    ("compose {\n        wait 1m\n        do Sub()\n    }", "error[E0"),
  ])
  func misuse(_ block: String, _ code: String) {
    let src = """
      scenario Sub(x: Length = 0m) { let b = Box at (x, 0m, 0m); terminate after 1s }
      scenario Forever { let f = Box at (0m, 5m, 0m) }
      scenario Nested {
          compose {
              do Sub()
              do Sub()
          }
      }
      scenario Main {
          ego e = Box at (0m, -5m, 0m)
          \(block)
          simulate 3s at 1Hz
      }

      """
    #expect(SubScenarioTests.compileError(src).contains(code), "\(src)")
  }
}
