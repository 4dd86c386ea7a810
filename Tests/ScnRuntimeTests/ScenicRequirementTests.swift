import Foundation
import ScnRuntime
import Testing

/// Translations of Scenic 3's `tests/syntax/test_requirements.py` and of the parts of
/// `test_modular.py` that need no modular scenario (docs/scenic-coverage.md maps them).
/// Scenic's `Object` is 1 m wide; scn's `Box` is 0.4 m, so bounds that depend on the
/// object's size use 0.2 m half-widths.
@Suite struct ScenicRequirementTests {
  static func egoXs(_ body: String, count: Int) throws -> [Double] {
    let src = "scenario S {\n\(body)\n}\n"
    return try SamplerSupport.scenes(src, count: count, SamplerOptions()).map { s in
      s.actors.first { $0.name == "b" }?.position.x ?? .nan
    }
  }

  static func compileError(_ src: String) -> String {
    do {
      _ = try SamplerSupport.compile(src)
      return ""
    } catch {
      return "\(error)"
    }
  }

  /// test_requirement
  @Test func requirement() throws {
    let xs = try Self.egoXs("ego b = Box at (uniform(-10m, 10m), 0m, 0m)\nrequire b.position.x >= 0m", count: 60)
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 10 })
  }

  /// test_soft_requirement: enforced on 90 % of attempts, so about 95 % of scenes hold it.
  @Test func softRequirement() throws {
    let xs = try Self.egoXs("ego b = Box at (uniform(-10m, 10m), 0m, 0m)\nrequire[0.9] b.position.x >= 0m", count: 350)
    let count = xs.filter { $0 >= 0 }.count
    #expect(count >= 255 && count < 350)
  }

  /// test_object_in_requirement, test_param_in_requirement, test_require_in_requirement,
  /// test_runtime_parse_error_in_requirement: malformed requirements are rejected when
  /// the file is checked (Scenic raises some of them only when sampling).
  @Test(arguments: [
    ("require Box", "E0"),
    ("require param x = 4", "E0"),
    ("require (require true)", "E0"),
    ("require visible 4", "E0"),
  ])
  func malformedRequirements(_ line: String, _ code: String) {
    let message = Self.compileError("scenario S {\n    ego b = Box at (0m, 0m, 0m)\n    \(line)\n}\n")
    #expect(message.contains("error[\(code)"), "\(line): \(message)")
  }

  /// test_containment_workspace
  @Test func workspace() throws {
    let xs = try Self.egoXs("workspace rect((0m, 0m, 0m), 10m, 10m)\nego b = Box at (uniform(0m, 10m), 0m, 0m)", count: 60)
    #expect(xs.allSatisfy { $0 >= 0 && $0 <= 5 - 0.2 + 1e-9 })
  }

  /// test_intersection_requirement: physical actors may not overlap.
  @Test func intersection() throws {
    let xs = try Self.egoXs("ego b = Box at (uniform(0m, 2m), 0m, 0m)\nBox at (0m, 0m, 0m)", count: 60)
    #expect(xs.allSatisfy { $0 >= 0.4 - 1e-9 })
  }

  /// test_intersection_requirement_disabled_1/_2 (Scenic's per-object `allowCollisions`
  /// is scn's scenario-wide `allow overlap`).
  @Test func intersectionDisabled() throws {
    let xs = try Self.egoXs("allow overlap\nego b = Box at (uniform(0m, 2m), 0m, 0m)\nBox at (0m, 0m, 0m)", count: 60)
    #expect(xs.contains { $0 < 0.4 })
  }

  /// test_static_intersection_violation (+ _disabled): two boxes that always overlap make
  /// sampling give up (E0506; Scenic finds it when compiling); `allow overlap` samples.
  @Test func staticIntersection() throws {
    let src = "scenario S {\n    ego b = Box at (0m, 0m, 0m)\n    Box at (0.3m, 0m, 0m)\n}\n"
    let run = try SamplerSupport.sampler(src, SamplerOptions(maxAttempts: 50)).run(start: 0, count: 1, jobs: 1)
    #expect(run.failure?.diagnostic.code.rawValue == "E0506")
    let allowed = src.replacingOccurrences(of: "ego b", with: "allow overlap\n    ego b")
    #expect(try SamplerSupport.scenes(allowed, count: 1).count == 1)
  }

  /// test_static_containment_workspace: an actor that can never lie in the workspace makes
  /// sampling give up (E0506; Scenic finds it when compiling).
  @Test func staticContainment() throws {
    let src = "scenario S {\n    ego b = Box at (10m, 10m, 0m)\n    workspace rect((0m, 0m, 0m), 5m, 5m)\n}\n"
    let run = try SamplerSupport.sampler(src, SamplerOptions(maxAttempts: 50)).run(start: 0, count: 1, jobs: 1)
    #expect(run.failure?.diagnostic.code.rawValue == "E0506")
  }

  // MARK: test_modular.py, the functions that need no modular scenario

  /// test_time_limit: a run of 3 steps records 4 states.
  @Test func timeLimit() throws {
    let (_, trace) = try SimulationSupport.trace("scenario S {\n    ego b = Box at (0m, 0m, 0m)\n    simulate 3s at 1Hz\n}\n")
    #expect(trace.frames.count == 4)
    #expect(!trace.terminated)
  }

  /// test_terminate_when: `terminate when sim_time() > 1s` stops after 3 states.
  @Test func terminateWhen() throws {
    let (_, trace) = try SimulationSupport.trace(
      "scenario S {\n    ego b = Box at (0m, 0m, 0m)\n    terminate when sim_time() > 1s\n    simulate 5s at 1Hz\n}\n")
    #expect(trace.frames.count == 3)
    #expect(trace.terminated)
  }

  /// test_terminate_in_behavior: `wait; terminate` stops after 2 states.
  @Test func terminateInBehavior() throws {
    let (_, trace) = try SimulationSupport.trace("""
      behavior Foo() {
          wait 1s
          terminate
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m) with behavior Foo()
          simulate 5s at 1Hz
      }
      """)
    #expect(trace.frames.count == 2)
    #expect(trace.terminated)
  }

  /// test_main_scenario: of several scenarios the entry is run alone (scn: the last one,
  /// or `--scenario`; Scenic: the one named Main).
  @Test func entryScenarioOnly() throws {
    let src = """
      scenario Other {
          ego b = Box at (10m, 5m, 0m)
      }
      scenario Main {
          ego b = Box at (1m, 2m, 0m)
      }
      """
    let scene = try #require(try SamplerSupport.scenes(src, count: 1).first)
    #expect(scene.actors.count == 1)
    #expect(scene.actors[0].position.x == 1 && scene.actors[0].position.y == 2)
  }

  /// test_invalid_scenario_name, test_scenario_inside_behavior: syntax errors.
  @Test(arguments: ["scenario 101 {\n    ego b = Box at (0m, 0m, 0m)\n}\n",
                    "behavior Foo() {\n    scenario Bar {\n        Box at (10m, 10m, 0m)\n    }\n}\n"])
  func malformedScenarios(_ src: String) {
    #expect(Self.compileError(src).contains("error[E01"), "\(src)")
  }

  // MARK: test_dynamics.py functions that assert an error

  /// test_behavior_invoke_mistyped (`do 12`), test_behavior_no_actions (a bare call),
  /// test_behavior_invoke_multiple (`do Foo(), Foo()`), test_interrupt_unassigned_local (a
  /// handler reading a variable declared inside the body), test_interrupt_guard_subbehavior
  /// (a behavior as an interrupt condition): all rejected when the file is checked (Scenic
  /// raises the first, fourth and fifth only when simulating).
  @Test(arguments: [
    ("do 12", "error[E0204]"),
    ("Foo()", "error[E0113]"),
    ("do Foo(), Foo()", "error[E0112]"),
    ("try {\n        var i = 0\n        wait 1s\n    } interrupt when i == 1 {\n        wait 1s\n    }", "error[E0200]"),
    ("try { wait 1s } interrupt when Foo() { wait 1s }", "error[E0204]"),
  ])
  func behaviorMisuse(_ statement: String, _ expected: String) {
    let src = """
      behavior Foo() {
          wait 1s
      }
      behavior Bar() {
          \(statement)
      }
      scenario S {
          ego b = Box at (0m, 0m, 0m) with behavior Bar()
      }
      """
    let message = Self.compileError(src)
    #expect(message.contains(expected), "\(statement): \(message)")
  }
}
