import ScnGeometry
import ScnRuntime
import ScnUnits
import Testing

/// Scenario parameters, `setup { … }`, scenario `precondition:` / `invariant:` and
/// `terminate after T` (docs/language-tour.md, "Composition"). Each test translates a test
/// function of Scenic 3's `tests/syntax/test_modular.py` (named in each;
/// docs/scenic-coverage.md maps them).
@Suite struct ScenarioSetupTests {
  static func ego(_ scene: Scene) -> Scene.Actor? { scene.actors.first { $0.name == "b" } }

  /// test_single_scenario: the ego of a scenario's `setup` block.
  @Test func singleScenario() throws {
    let s = try SamplerSupport.scenes("scenario Blob {\n    setup {\n        ego b = Box at (1m, 2m, 3m)\n    }\n}\n",
                                      count: 1)
    #expect(Self.ego(try #require(s.first))?.position == Vec3(1, 2, 3))
  }

  /// test_simple_scenario: the same without `setup` (a scenario's body is its setup).
  @Test func simpleScenario() throws {
    let s = try SamplerSupport.scenes("scenario Main {\n    ego b = Box at (1m, 2m, 3m)\n}\n", count: 1)
    #expect(Self.ego(try #require(s.first))?.position == Vec3(1, 2, 3))
  }

  /// test_requirement: a requirement inside `setup`.
  @Test func requirementInSetup() throws {
    let src = """
      scenario Main {
          setup {
              ego b = Box { size: (1m, uniform(1m, 3m), 1m) }
              require b.width > 2m
          }
      }
      """
    let ws = try SamplerSupport.scenes(src, count: 60).compactMap { Self.ego($0)?.size.y }
    #expect(ws.count == 60)
    #expect(ws.allSatisfy { $0 > 2 && $0 <= 3 })
  }

  /// test_soft_requirement: `require[0.9]` inside `setup`.
  @Test func softRequirementInSetup() throws {
    let src = """
      scenario Main {
          setup {
              ego b = Box { size: (1m, uniform(1m, 3m), 1m) }
              require[0.9] b.width >= 2m
          }
      }
      """
    let ws = try SamplerSupport.scenes(src, count: 350).compactMap { Self.ego($0)?.size.y }
    let count = ws.filter { $0 >= 2 }.count
    #expect(count >= 255 && count < 350)
  }

  /// test_param: a `param` inside `setup`.
  @Test func paramInSetup() throws {
    let src = "scenario Main {\n    setup {\n        param p = uniform(3, 5)\n        ego b = Box\n    }\n}\n"
    for s in try SamplerSupport.scenes(src, count: 20) {
      let p = try #require(SamplerSupport.number(s, param: "p"))
      #expect(p >= 3 && p <= 5)
    }
  }

  /// Scenario parameters are its params: defaults, and `--param` overrides them.
  @Test func scenarioParameters() throws {
    let src = "scenario Sub(x: Length = 1m, n: Int = 2) {\n    ego b = Box at (x * n, 0m, 0m)\n}\n"
    let plain = try SamplerSupport.scenes(src, count: 1)
    #expect(Self.ego(try #require(plain.first))?.position.x == 2)
    var options = SamplerOptions()
    options.overrides = [ParamOverride(name: "x", literal: .number(5, Dimension(base: "Length"), isInteger: false),
                                       text: "x=5m")]
    let overridden = try SamplerSupport.scenes(src, count: 1, options)
    #expect(Self.ego(try #require(overridden.first))?.position.x == 10)
  }

  /// test_terminate_after: `terminate after 2s` at 1 Hz records 3 states.
  @Test func terminateAfter() throws {
    let (_, trace) = try SimulationSupport.trace(
      "scenario Main {\n    ego b = Box at (0m, 0m, 0m)\n    terminate after 2s\n    simulate 5s at 1Hz\n}\n")
    #expect(trace.frames.count == 3)
    #expect(trace.terminated && trace.endTime == 2)
  }

  /// test_top_level_precondition, test_top_level_invariant: a scenario's precondition or
  /// invariant that fails when the simulation starts (`sim_time() > 0s`) rejects every
  /// sample (Scenic raises a violation when simulating; scn rejects as for a behavior's).
  @Test(arguments: ["precondition", "invariant"])
  func failingGuardRejects(_ word: String) throws {
    let src = "scenario Main {\n    \(word): sim_time() > 0s\n    setup {\n        ego b = Box\n    }\n}\n"
    let run = try SamplerSupport.sampler(src, SimulationSupport.options(maxAttempts: 50)).run(start: 0, count: 1, jobs: 1)
    #expect(run.failure?.diagnostic.code.rawValue == "E0506")
  }

  /// A scenario invariant holds at every step: runs whose walker crosses it are redrawn.
  @Test func invariantAtEveryStep() throws {
    let src = """
      behavior Walk(v: Speed) { do set_speed(v) for 3s }
      scenario Main {
          invariant: b.position.x < 2m
          ego b = Box at (0m, 0m, 0m) with behavior Walk(uniform(0.1m/s, 2m/s))
          simulate 3s at 10Hz
      }
      """
    let scenes = try SamplerSupport.scenes(src, count: 10, SimulationSupport.options())
    for s in scenes {
      let trace = try #require(s.trace)
      #expect(trace.frames.allSatisfy { $0.actors[0].position.x < 2 })
    }
  }

  /// test_malformed_precondition, test_malformed_invariant: a name before the ':' is a
  /// syntax error.
  @Test(arguments: ["precondition hello: true", "invariant hello: true"])
  func malformedGuard(_ line: String) {
    let message = ScenicRequirementTests.compileError("scenario Main {\n    \(line)\n    ego b = Box\n}\n")
    #expect(message.contains("error[E0"))
  }
}
