import Foundation
@testable import ScnRuntime
import Testing

/// Mutable globals (`var x = …` at the top level, assigned by behaviors and monitors) and
/// why a simulation ended (`Trace.reason`): translations of Scenic 3's
/// `tests/syntax/test_dynamics.py` functions that write `global` variables or read
/// `terminationType` (docs/scenic-coverage.md, "MG"). `take k` is
/// `do set_speed(k m/s) for 1s` at 1 Hz, as in `BehaviorFlowTests`.
@Suite struct MutableGlobalTests {
  /// The speeds actor `index` set at each of `steps` steps.
  func actions(_ trace: Trace, actor index: Int, steps: Int) -> [Double?] {
    BehaviorFlowTests.actions(trace, actor: index, steps: steps)
  }

  func index(_ scene: Scene, _ name: String) throws -> Int {
    try #require(scene.actors.firstIndex { $0.name == name })
  }

  /// test_behavior_globals_write: Foo sets `glob = 2` after its first step; Bar takes
  /// `glob < 1`: true at step 0, false by step 2.
  @Test func behaviorsWriteAGlobal() throws {
    let behaviors = """
      var glob = 0
      behavior Foo() {
          while true {
              take 0
              glob = 2
          }
      }
      behavior Bar() {
          while true {
              do set_speed((if glob < 1 then 1.0 else 0.0) * 1m/s) for 1s
          }
      }
      """
    let (scene, trace, _) = try BehaviorFlowTests.run(
      behaviors, steps: 3, actor: "ego b = Box at (10m, 10m, 0m) with behavior Bar()",
      extra: "let other = Box at (0m, 0m, 0m) with behavior Foo()")
    let a = actions(trace, actor: try index(scene, "b"), steps: 3)
    #expect(a.count == 3 && a[0] == 1 && a[2] == 0)
  }

  /// test_terminate_when: `flag` set by the behavior between its two actions ends the run
  /// through the scenario's `terminate when flag`: actions (1, 2), then the end.
  @Test func terminateWhenAGlobalIsSet() throws {
    let (_, trace, a) = try BehaviorFlowTests.run(
      """
      var flag = false
      behavior Foo() {
          take 1
          flag = true
          take 2
          take 3
      }
      """, steps: 3, extra: "terminate when flag")
    #expect(a == [1, 2, nil])
    #expect(trace.terminated && trace.reason == .condition && trace.endTime == 2)
  }

  /// test_behavior_ordering_default: three actors each add 1 to `count` and take it: the
  /// behaviors run one after another in the scene's actor order (scn's rule; Scenic runs
  /// the ego first, then the others in creation order), so they take 1, 2 and 3 in that
  /// order, and a new simulation starts from the initial value again.
  @Test func behaviorsRunInActorOrder() throws {
    let behaviors = """
      var count = 0
      behavior Foo() {
          count = count + 1
          do set_speed(count * 1m/s) for 1s
      }
      """
    let extra = """
      let a = Box at (0m, 0m, 0m) with behavior Foo()
          let c = Box at (10m, 0m, 0m) with behavior Foo()
      """
    for sample in [UInt64(0), 1] {
      let (scene, trace, _) = try BehaviorFlowTests.run(
        behaviors, steps: 1, actor: "ego b = Box at (20m, 0m, 0m) with behavior Foo()", extra: extra, sample: sample)
      #expect(scene.actors.count == 3)
      let taken = scene.actors.indices.map { actions(trace, actor: $0, steps: 1).first ?? nil }
      #expect(taken == [1, 2, 3])
    }
  }

  /// A monitor writes a global that behaviors read at the same step (monitors run first),
  /// and `require always` reads it too.
  @Test func monitorsWriteBeforeBehaviorsRead() throws {
    let src = """
      var phase = 0
      monitor Clock() {
          while true {
              phase = phase + 1
              wait 1s
          }
      }
      behavior Foo() {
          while true {
              do set_speed(phase * 1m/s) for 1s
          }
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m) with behavior Foo()
          require monitor Clock()
          require always phase <= 3
          simulate 3s at 1Hz
      }
      """
    let (_, trace) = try SimulationSupport.trace(src)
    #expect(BehaviorFlowTests.actions(trace, steps: 3) == [1, 2, 3])
  }

  /// test_termination_reason_time, _behavior, _monitor, _condition_1 and _condition_2:
  /// the trace says why the run ended. scn's top-level `terminate when` and Scenic's
  /// `terminate simulation when` both end the whole simulation (`condition`).
  @Test func terminationReasons() throws {
    let (_, time, _) = try BehaviorFlowTests.run("behavior Foo() {\n take 1\n}", steps: 2)
    #expect(!time.terminated && time.reason == .timeLimit)
    let (_, behavior, _) = try BehaviorFlowTests.run("behavior Foo() {\n terminate\n}", steps: 2)
    #expect(behavior.terminated && behavior.reason == .behavior)
    let (_, monitor) = try SimulationSupport.trace(
      """
      monitor Foo() {
          terminate
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m)
          require monitor Foo()
          simulate 2s at 1Hz
      }
      """)
    #expect(monitor.terminated && monitor.reason == .monitor)
    let mover = """
      behavior Foo() {
          for i in 0..<3 {
              self.position = self.position + (1m, 0m, 0m)
              wait 1s
          }
      }
      """
    for spelling in ["terminate when", "terminate simulation when"] {
      let (_, t, _) = try BehaviorFlowTests.run(mover, steps: 2, extra: "\(spelling) ego.position.x >= 1m")
      #expect(t.terminated && t.reason == .condition && t.endTime == 1, "\(spelling)")
    }
  }

  /// test_behavior_require_call: `x = Uniform([], [1, 2])`, `require len(x) > 0`, `take x`:
  /// lists of different lengths in one `one_of`; the empty one is always rejected, so the
  /// action is always the one from [1, 2] (scn's action takes `x[0] * 10 + x[1]`, 12).
  @Test func requireOverAListOfRandomLength() throws {
    let src = BehaviorFlowTests.source(
      """
      behavior Foo() {
          var x: [Int] = one_of([], [1, 2])
          require len(x) > 0
          do set_speed((x[0] * 10 + x[1]) * 1m/s) for 1s
      }
      """, steps: 1)
    let scenes = try SamplerSupport.scenes(src, count: 30, SimulationSupport.options())
    for s in scenes {
      #expect(BehaviorFlowTests.actions(try #require(s.trace), steps: 1) == [12])
    }
    // Half the attempts draw the empty list and are rejected.
    #expect(scenes.contains { $0.attempts > 1 })
  }
}
