import Foundation
import ScnRuntime
import Testing

/// Behavior control flow, state, interrupts, random choices and checks, step by step. Most
/// tests translate a test function of Scenic 3's `tests/syntax/test_dynamics.py` (named in
/// each test; docs/scenic-coverage.md maps them): Scenic's `take k` (one action for one
/// step) is `do set_speed(k m/s) for 1s` at `simulate … at 1Hz`, and the actions a behavior
/// took are read back from `Trace.actions`.
@Suite struct BehaviorFlowTests {
  /// `take 3` → `do set_speed(3m/s) for 1s`; the rest of the source is scn as written.
  static func source(_ behaviors: String, actor: String = "ego b = Box at (0m, 0m, 0m) with behavior Foo()",
                     steps: Int, rate: String = "1Hz", extra: String = "") -> String
  {
    let regex = try! NSRegularExpression(pattern: "take (-?[0-9.]+)")
    let body = regex.stringByReplacingMatches(
      in: behaviors, range: NSRange(behaviors.startIndex..., in: behaviors), withTemplate: "do set_speed($1m/s) for 1s")
    let seconds = rate == "1Hz" ? "\(steps)s" : "\(Double(steps) / 2)s"
    return """
      actor Obj : Box { bar: Float = 0, foo: Float = 0 }
      \(body)
      scenario S {
          \(actor)
          \(extra)
          simulate \(seconds) at \(rate)
      }
      """
  }

  /// The speed each step's action set for the actor (nil: no action started at that step),
  /// for the `steps` steps the behaviors ran.
  static func actions(_ trace: Trace, actor: Int = 0, steps: Int) -> [Double?] {
    var out = [Double?](repeating: nil, count: steps)
    for a in trace.actions where a.actor == actor && a.step < steps && a.name == "set_speed" {
      out[a.step] = a.arguments.first
    }
    return out
  }

  static func run(_ behaviors: String, steps: Int, actor: String = "ego b = Box at (0m, 0m, 0m) with behavior Foo()",
                  rate: String = "1Hz", extra: String = "", sample: UInt64 = 0) throws -> (Scene, Trace, [Double?])
  {
    let src = source(behaviors, actor: actor, steps: steps, rate: rate, extra: extra)
    let (scene, trace) = try SimulationSupport.trace(src, sample: sample)
    return (scene, trace, actions(trace, steps: rate == "1Hz" ? steps : steps))
  }

  // MARK: Basics (test_behavior_actions, test_behavior_end_early, test_behavior_nesting)

  @Test func actionsInOrder() throws {
    let (_, _, a) = try Self.run("behavior Foo() {\n take 3\n take 5\n}", steps: 2)
    #expect(a == [3, 5])
  }

  @Test func behaviorEndsEarly() throws {
    let (_, _, a) = try Self.run("behavior Foo() {\n take 5\n}", steps: 3)
    #expect(a == [5, nil, nil])
  }

  @Test func nestedBehavior() throws {
    let (_, _, a) = try Self.run("""
      behavior Inner(a: Float) {
          take_a(a)
          take_a(a)
      }
      behavior Foo() {
          take 1
          do Inner(2)
          take 3
      }
      """.replacingOccurrences(of: "take_a(a)", with: "do set_speed(a * 1m/s) for 1s"), steps: 4)
    #expect(a == [1, 2, 2, 3])
  }

  // MARK: Arguments, self, globals

  /// test_behavior_random_argument: an argument drawn with the scene stays fixed in it.
  @Test func randomArgument() throws {
    let behavior = "behavior Foo(arg: Speed) {\n do set_speed(arg) for 1s\n do set_speed(arg) for 1s\n}"
    let actor = "ego b = Box at (0m, 0m, 0m) with behavior Foo(uniform(10m/s, 25m/s))"
    let (_, _, a) = try Self.run(behavior, steps: 2, actor: actor)
    let (_, _, b) = try Self.run(behavior, steps: 2, actor: actor, sample: 1)
    let x = try #require(a[0]), y = try #require(b[0])
    #expect(x >= 10 && x <= 25)
    #expect(a[1] == x)
    #expect(x != y)
  }

  /// test_behavior_random_argument_list: a list argument with a random element.
  @Test func randomArgumentList() throws {
    let behavior = "behavior Foo(arg: [Speed]) {\n do set_speed(arg[1]) for 1s\n}"
    let actor = "ego b = Box at (0m, 0m, 0m) with behavior Foo([-5m/s, uniform(10m/s, 25m/s)])"
    let (_, _, a) = try Self.run(behavior, steps: 1, actor: actor)
    let (_, _, b) = try Self.run(behavior, steps: 1, actor: actor, sample: 1)
    let x = try #require(a[0])
    #expect(x >= 10 && x <= 25)
    #expect(a != b)
  }

  /// test_behavior_globals_read: another actor's random position, read at every step.
  @Test func readsAnotherActor() throws {
    let behavior = "behavior Foo(other: Actor) {\n while true {\n do set_speed(other.position.x / 1s) for 1s\n }\n}"
    let actor = """
      let other = Box at (uniform(10m, 20m), 15m, 0m)
          ego b = Box at (0m, 0m, 0m) with behavior Foo(other)
      """
    let (scene, trace, _) = try Self.run(behavior, steps: 2, actor: actor)
    let (scene1, trace1, _) = try Self.run(behavior, steps: 1, actor: actor, sample: 1)
    let a = Self.actions(trace, actor: try SimulationSupport.actor(scene, "b"), steps: 2)
    let b = Self.actions(trace1, actor: try SimulationSupport.actor(scene1, "b"), steps: 1)
    let x = try #require(a[0])
    #expect(x >= 10 && x <= 20)
    // The other box is a dynamic prop: it settles by a hair between the steps.
    #expect(abs((a[1] ?? 0) - x) < 1e-6)
    #expect(b[0] != x)
  }

  /// test_behavior_self: `self` is the actor running the behavior (typed `Actor`, so it
  /// reads `Actor`'s fields; Scenic reads a field `bar` the test adds).
  @Test func selfField() throws {
    let (_, _, a) = try Self.run("behavior Foo() {\n do set_speed(self.position.x / 1s) for 1s\n}", steps: 1,
                                 actor: "ego b = Box at (3m, 0m, 0m) with behavior Foo()")
    #expect(a == [3])
  }

  /// test_behavior_reuse: one behavior, two actors, their own arguments.
  @Test func reuse() throws {
    let actor = """
      ego b = Box at (0m, 0m, 0m) with behavior Foo(3m/s)
          let c = Box at (10m, 10m, 0m) with behavior Foo(5m/s)
      """
    let (scene, trace, _) = try Self.run("behavior Foo(v: Speed) {\n do set_speed(v) for 1s\n}", steps: 1, actor: actor)
    let b = try SimulationSupport.actor(scene, "b"), c = try SimulationSupport.actor(scene, "c")
    #expect(Self.actions(trace, actor: b, steps: 1) == [3])
    #expect(Self.actions(trace, actor: c, steps: 1) == [5])
  }

  /// test_behavior_reuse_2: a draw inside a behavior differs between the actors running it.
  @Test func drawsPerActor() throws {
    let actor = """
      ego b = Box at (0m, 0m, 0m) with behavior Foo()
          let c = Box at (10m, 10m, 0m) with behavior Foo()
      """
    let (scene, trace, _) = try Self.run("behavior Foo() {\n do set_speed(uniform(-10m/s, 10m/s)) for 1s\n}", steps: 1,
                                         actor: actor)
    let b = try SimulationSupport.actor(scene, "b"), c = try SimulationSupport.actor(scene, "c")
    let x = try #require(Self.actions(trace, actor: b, steps: 1)[0]), y = try #require(Self.actions(trace, actor: c, steps: 1)[0])
    #expect(x != y)
    #expect(abs(x) <= 10 && abs(y) <= 10)
  }

  /// test_behavior_calls_nested: ordinary functions inside behaviors.
  @Test func functionCalls() throws {
    let (_, _, a) = try Self.run("""
      fn funcA(x: Float) = x + 1
      fn funcB(x: Float) = x * 2
      behavior Foo() {
          do set_speed(funcA(funcB(5)) * 1m/s) for 1s
      }
      """, steps: 1)
    #expect(a == [11])
  }

  // MARK: Sub-behaviors for / until (test_subbehavior_for_steps/_time, test_subbehavior_until)

  @Test func subBehaviorForSteps() throws {
    let (_, _, a) = try Self.run("""
      behavior Ones() {
          while true { take 1 }
      }
      behavior Foo() {
          do Ones() for 3s
          take 2
      }
      """, steps: 4)
    #expect(a == [1, 1, 1, 2])
  }

  @Test func subBehaviorForTime() throws {
    let src = """
      behavior Ones() {
          while true { do set_speed(1m/s) for 0.5s }
      }
      behavior Foo() {
          do Ones() for 3s
          do set_speed(2m/s) for 0.5s
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m) with behavior Foo()
          simulate 3.5s at 2Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(src)
    #expect(Self.actions(trace, steps: 7) == [1, 1, 1, 1, 1, 1, 2])
  }

  @Test func subBehaviorUntil() throws {
    let (_, _, a) = try Self.run("""
      behavior Ones() {
          while true { take 1 }
      }
      behavior Foo() {
          do Ones() until sim_time() == 2s
          take 2
      }
      """, steps: 4)
    #expect(a == [1, 1, 2, nil])
  }

  // MARK: Termination (test_terminate, test_termination_reason_*)

  @Test func terminateEndsTheRun() throws {
    let (_, trace, a) = try Self.run("behavior Foo() {\n take 1\n terminate\n take 2\n}", steps: 3)
    #expect(a == [1, nil, nil])
    #expect(trace.terminated)
    #expect(trace.endTime == 1)
  }

  @Test func terminateWhenInBehavior() throws {
    let (_, trace, a) = try Self.run("""
      behavior Foo() {
          var n = 0
          while true {
              terminate when n == 2
              do set_speed(n * 1m/s) for 1s
              n = n + 1
          }
      }
      """, steps: 5)
    #expect(a == [0, 1, nil, nil, nil])
    #expect(trace.terminated && trace.endTime == 2)
  }

  @Test func timeLimitIsNotTermination() throws {
    let (_, trace, _) = try Self.run("behavior Foo() {\n take 1\n}", steps: 2)
    #expect(!trace.terminated)
    #expect(trace.endTime == 2)
  }

  // MARK: Control flow and state

  @Test func ifElseAndVariables() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          var i = 0
          while i < 5 {
              if i % 2 == 0 {
                  take 1
              } else if i == 3 {
                  take 3
              } else {
                  take 2
              }
              i = i + 1
          }
      }
      """, steps: 6)
    #expect(a == [1, 2, 1, 3, 1, nil])
  }

  @Test func forOverListAndRange() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          for v in [4m/s, 5m/s] {
              do set_speed(v) for 1s
          }
          for i in 0..<2 {
              do set_speed((i + 1) * 1m/s) for 1s
          }
          for i in 0..<0 {
              take 9
          }
          take 7
      }
      """, steps: 5)
    #expect(a == [4, 5, 1, 2, 7])
  }

  /// A `while` that never waits stops the run with E0530 at the loop, not at line 1.
  @Test func loopBudget() throws {
    let src = Self.source("""
      behavior Foo() {
          var i = 0
          while i >= 0 {
              i = i + 1
          }
      }
      """, steps: 2)
    let sampler = try SamplerSupport.sampler(src, SimulationSupport.options())
    let run = sampler.run(start: 0, count: 1, jobs: 1)
    let d = try #require(run.failure?.diagnostic)
    #expect(d.code.rawValue == "E0530")
    // The loop is on line 4 of the source (after `actor Obj`, `behavior Foo() {`, the `var`).
    let text = Array(src.utf8)
    let line = text[..<d.range.start].filter { $0 == UInt8(ascii: "\n") }.count + 1
    #expect(line == 4)
  }

  // MARK: Interrupts (test_interrupt*, in Scenic's priority order: a later handler wins)

  static let ones = "while true { take 1 }"

  @Test func interrupt() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          try { \(Self.ones) } interrupt when sim_time() % 3s == 2s { take 2 }
      }
      """, steps: 6)
    #expect(a == [1, 1, 2, 1, 1, 2])
  }

  @Test func interruptFirst() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          try { \(Self.ones) } interrupt when sim_time() == 0s { take 2 }
      }
      """, steps: 3)
    #expect(a == [2, 1, 1])
  }

  @Test func interruptPriority() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          try {
              \(Self.ones)
          } interrupt when sim_time() <= 1s {
              take 2
          } interrupt when sim_time() == 0s {
              take 3
          }
      }
      """, steps: 3)
    #expect(a == [3, 2, 1])
  }

  @Test func interruptInterrupted() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          try {
              \(Self.ones)
          } interrupt when sim_time() <= 1s {
              take 2
              take 3
          } interrupt when sim_time() == 1s {
              take 4
          }
      }
      """, steps: 5)
    #expect(a == [2, 4, 3, 1, 1])
  }

  /// test_interrupt_actionless: a handler that only assigns takes no time.
  @Test func interruptActionless() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          var i = 0
          try {
              for j in 0..<3 {
                  i = j
                  take 1
              }
          } interrupt when i == 1 {
              i = 2
          }
      }
      """, steps: 5)
    #expect(a == [1, 1, 1, nil, nil])
  }

  @Test func interruptNested() throws {
    let (_, _, a) = try Self.run("""
      behavior Inner() {
          try {
              for i in 0..<3 { take 1 }
          } interrupt when sim_time() >= 1s and sim_time() <= 2s {
              take 2
          }
      }
      behavior Foo() {
          try { do Inner() } interrupt when sim_time() == 1s { take 3 }
      }
      """, steps: 6)
    #expect(a == [1, 3, 2, 1, 1, nil])
  }

  @Test func interruptNested2() throws {
    let (_, _, a) = try Self.run("""
      behavior Inner() {
          try {
              for i in 0..<3 { take 1 }
          } interrupt when sim_time() == 1s {
              take 2
              take 3
          }
      }
      behavior Foo() {
          try { do Inner() } interrupt when sim_time() == 2s { take 4 }
      }
      """, steps: 7)
    #expect(a == [1, 2, 4, 3, 1, 1, nil])
  }

  @Test func interruptNested3() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          try {
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() >= 1s and sim_time() <= 2s {
                  take 2
              }
          } interrupt when sim_time() == 1s {
              take 3
          }
      }
      """, steps: 6)
    #expect(a == [1, 3, 2, 1, 1, nil])
  }

  // MARK: Leaving blocks (test_interrupt_break/_2, _continue/_2, _abort, _return)

  @Test func interruptBreak() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() == 2s {
                  take 2
                  break
                  take 3
              }
          }
      }
      """, steps: 4)
    #expect(a == [1, 1, 2, nil])
  }

  @Test func interruptBreak2() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() == 1s {
                  for i in 0..<3 {
                      take 2
                      break
                  }
              }
          }
      }
      """, steps: 4)
    #expect(a == [1, 2, 1, 1])
  }

  @Test func interruptContinue() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              take 4
              try {
                  for i in 0..<2 { take 1 }
              } interrupt when sim_time() == 2s {
                  take 2
                  continue
                  take 3
              }
          }
      }
      """, steps: 7)
    #expect(a == [4, 1, 2, 4, 1, 1, 4])
  }

  @Test func interruptContinue2() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() == 1s {
                  for i in 0..<3 {
                      if i == 0 {
                          continue
                      }
                      take 2
                  }
              }
          }
      }
      """, steps: 5)
    #expect(a == [1, 2, 2, 1, 1])
  }

  @Test func interruptAbort() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              take 3
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() == 2s {
                  for i in 0..<3 {
                      take 2
                      abort
                  }
              }
          }
      }
      """, steps: 8)
    #expect(a == [3, 1, 2, 3, 1, 1, 1, 3])
  }

  @Test func interruptReturn() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          while true {
              take 3
              try {
                  for i in 0..<3 { take 1 }
              } interrupt when sim_time() == 2s {
                  for i in 0..<3 {
                      take 2
                      return
                  }
              }
          }
      }
      """, steps: 4)
    #expect(a == [3, 1, 2, nil])
  }

  // MARK: Preconditions, invariants, requirements

  /// test_behavior_precondition: scenes whose actor breaks the precondition are redrawn.
  @Test func precondition() throws {
    let src = Self.source("""
      behavior Foo() {
          precondition: self.position.x > 0m
          do set_speed(self.position.x / 1s) for 1s
      }
      """, actor: "ego b = Box at (uniform(-1m, 1m), 0m, 0m) with behavior Foo()", steps: 1)
    let scenes = try SamplerSupport.scenes(src, count: 30, SimulationSupport.options())
    for s in scenes {
      let a = Self.actions(try #require(s.trace), steps: 1)
      #expect((a[0] ?? 0) > 0)
    }
  }

  /// A failed precondition is counted in the explanation table by its text and location.
  @Test func preconditionInTheExplanation() throws {
    let src = """
      behavior Foo() {
          precondition: self.position.x > 5m
          wait 1s
      }
      scenario S {
          ego b = Box at (uniform(0m, 6m), 0m, 0m) with behavior Foo()
          simulate 1s at 10Hz
      }
      """
    let run = try SamplerSupport.sampler(src, SimulationSupport.options()).run(start: 0, count: 20, jobs: 1)
    let stats = try #require(run.statistics.first)
    let k = try #require(stats.checks.firstIndex { $0.kind == .precondition })
    #expect(stats.checks[k].text == "self.position.x > 5m")
    #expect(stats.checks[k].label == "precondition")
    // Every simulated attempt evaluates it; about 5 in 6 fail it.
    #expect(stats.evaluated[k] == stats.attempts)
    #expect(stats.failed[k] == stats.attempts - 20)
    #expect(stats.failed[k] > 20)
  }

  /// test_behavior_invariant: a run whose behavior breaks its invariant is rejected (Scenic
  /// moves `self.position`; scn behaviors cannot assign actor fields, so a `var` moves).
  @Test func invariant() throws {
    let src = Self.source("""
      behavior Foo() {
          invariant: true
          var x = 1.0
          while true {
              do set_speed(x * 1m/s) for 1s
              x = x - uniform(0, 2)
              require x > 0
          }
      }
      """, steps: 3)
    let scenes = try SamplerSupport.scenes(src, count: 20, SimulationSupport.options())
    for s in scenes {
      let a = Self.actions(try #require(s.trace), steps: 3)
      #expect((a[1] ?? 0) > 0)
      #expect((a[2] ?? 0) > 0)
    }
  }

  /// An `invariant:` over the behavior's parameter, checked at every step.
  @Test func invariantOverParameter() throws {
    let src = Self.source("""
      behavior Foo(v: Speed) {
          invariant: v < 1m/s or sim_time() < 1s
          while true { do set_speed(v) for 1s }
      }
      """, actor: "ego b = Box at (0m, 0m, 0m) with behavior Foo(uniform(0m/s, 2m/s))", steps: 2)
    let run = try SamplerSupport.sampler(src, SimulationSupport.options()).run(start: 0, count: 20, jobs: 1)
    #expect(run.failure == nil)
    for s in run.scenes {
      #expect((Self.actions(try #require(s.trace), steps: 1)[0] ?? 9) < 1)
    }
  }

  /// test_behavior_require: a `require` inside a behavior rejects the sample.
  @Test func requireInBehavior() throws {
    let src = Self.source("""
      behavior Foo() {
          var x = uniform(-1, 1)
          while true {
              do set_speed(x * 1m/s) for 1s
              require x < 0
          }
      }
      """, steps: 2)
    for s in try SamplerSupport.scenes(src, count: 20, SimulationSupport.options()) {
      let a = Self.actions(try #require(s.trace), steps: 2)
      let x = try #require(a[0])
      #expect(x < 0)
      #expect(a[1] == x)
    }
  }

  /// test_behavior_require_scene: the same over a random property of the actor (its
  /// position: `self` is typed `Actor`, so a field only a subtype has is not readable).
  @Test func requireOverActorField() throws {
    let src = Self.source("""
      behavior Foo() {
          while true {
              do set_speed(self.position.x / 1s) for 1s
              require self.position.x < 0m
          }
      }
      """, actor: "ego b = Box at (uniform(-1m, 1m), 0m, 0m) with behavior Foo()", steps: 2)
    for s in try SamplerSupport.scenes(src, count: 20, SimulationSupport.options()) {
      let a = Self.actions(try #require(s.trace), steps: 2)
      #expect((a[0] ?? 1) < 0)
      #expect(a[0] == a[1])
    }
  }

  // MARK: do choose / do shuffle

  @Test func chooseFollowsWeights() throws {
    let src = Self.source("""
      behavior Foo() {
          do choose { 1: set_speed(1m/s), 9: set_speed(9m/s) }
      }
      """, steps: 1)
    let scenes = try SamplerSupport.scenes(src, count: 400, SimulationSupport.options())
    let nines = scenes.filter { Self.actions($0.trace!, steps: 1)[0] == 9 }.count
    // Binomial(400, 0.9): mean 360, sd 6.
    #expect(nines > 330 && nines < 390)
    // Deterministic: the same sample draws the same choice.
    let again = try SamplerSupport.scenes(src, count: 400, SimulationSupport.options())
    #expect(scenes.map { Self.actions($0.trace!, steps: 1) } == again.map { Self.actions($0.trace!, steps: 1) })
  }

  @Test func shuffleRunsEachOnce() throws {
    let src = Self.source("""
      behavior Go(v: Speed) {
          do set_speed(v) for 1s
      }
      behavior Foo() {
          do shuffle { Go(1m/s), Go(2m/s), Go(3m/s) }
          take 4
      }
      """, steps: 4)
    let scenes = try SamplerSupport.scenes(src, count: 60, SimulationSupport.options())
    var orders = Set<[Double?]>()
    for s in scenes {
      let a = Self.actions(try #require(s.trace), steps: 4)
      #expect(a[..<3].compactMap { $0 }.sorted() == [1, 2, 3])
      #expect(a[3] == 4)
      orders.insert(Array(a[..<3]))
    }
    #expect(orders.count == 6)
  }

  @Test func eitherStillChoosesPerOccurrence() throws {
    let (_, _, a) = try Self.run("""
      behavior Foo() {
          for i in 0..<8 {
              either { take 1 } or { take 2 }
          }
      }
      """, steps: 8)
    #expect(a.allSatisfy { $0 == 1 || $0 == 2 })
    #expect(Set(a.compactMap { $0 }).count == 2)
  }

  // MARK: Monitors (test_monitor, test_termination_reason_monitor)

  /// test_monitor: a monitor ends the run (Scenic's reads a field the behavior counts up;
  /// here it reads the time). Monitors run before the behaviors at each step.
  @Test func monitorTerminates() throws {
    let (_, trace, a) = try Self.run("""
      monitor Stopper() {
          while true {
              if sim_time() >= 4s { terminate }
              wait 1s
          }
      }
      behavior Foo() {
          var blah = 0
          while true {
              do set_speed(blah * 1m/s) for 1s
              blah = blah + 1
          }
      }
      """, steps: 5, extra: "require monitor Stopper()")
    #expect(a == [0, 1, 2, 3, nil])
    #expect(trace.terminated && trace.endTime == 4)
  }

  @Test func monitorThatTerminatesAtOnce() throws {
    let src = """
      monitor Foo() {
          terminate
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m)
          require monitor Foo()
          simulate 2s at 1Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(src)
    #expect(trace.terminated)
    #expect(trace.endTime == 0)
  }

  /// A `require` in a monitor rejects the samples where it fails at some step.
  @Test func monitorRequirementRejects() throws {
    let src = """
      monitor Bound(limit: Length) {
          while true {
              require ego.position.x < limit
              wait 1s
          }
      }
      scenario S {
          ego b = Box at (uniform(0m, 10m), 0m, 0m)
          require monitor Bound(5m)
          simulate 2s at 1Hz
      }
      """
    let run = try SamplerSupport.sampler(src, SimulationSupport.options()).run(start: 0, count: 30, jobs: 1)
    #expect(run.failure == nil)
    #expect(run.scenes.count == 30)
    for s in run.scenes {
      let x = try #require(s.actors.first).position.x
      #expect(x < 5)
    }
    // Without simulation the monitor still runs: it is what can reject these scenes.
    #expect(try SamplerSupport.sampler(src, SamplerOptions()).run(start: 0, count: 1, jobs: 1).scenes.first?.trace == nil)
  }

  // MARK: Actors whose behaviors name each other

  /// `a` follows `b` and `b` follows `a`: the arguments that read an actor built later are
  /// evaluated once both exist (no E0212 cycle).
  @Test func actorsFollowEachOther() throws {
    let src = """
      behavior Follow(target: Actor) {
          while true {
              do walk_to(target.position, 1m/s) for 1s
          }
      }
      scenario S {
          ego a = Box at (0m, 0m, 0m) with behavior Follow(b)
          let b = Box at (5m, 5m, 0m) with behavior Follow(a)
          simulate 2s at 1Hz
      }
      """
    let (scene, trace) = try SimulationSupport.trace(src)
    let a = try SimulationSupport.actor(scene, "a"), b = try SimulationSupport.actor(scene, "b")
    let first = trace.actions.filter { $0.step == 0 && $0.name == "walk_to" }
    let towardB = try #require(first.first { $0.actor == a }), towardA = try #require(first.first { $0.actor == b })
    #expect(Array(towardB.arguments[0..<2]) == [5, 5])
    #expect(Array(towardA.arguments[0..<2]) == [0, 0])
    #expect(scene.actors[b].behavior?.name == "Follow")
  }
}
