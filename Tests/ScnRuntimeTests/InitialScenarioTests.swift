import ScnGeometry
import ScnRuntime
import Testing

/// `if initial scenario { … } else { … }` (docs/language-tour.md, "Initial scenario"). Each
/// test translates a test function of Scenic 3's `tests/syntax/test_modular.py` (named in
/// each; docs/scenic-coverage.md maps them): Scenic's `trajectory` of two states is a 1 s
/// simulation at 1 Hz, and the objects of its second state the actors present at frame 1.
@Suite struct InitialScenarioTests {
  static let sub = """
    scenario Sub(x: Length = 5m) {
        setup {
            if initial scenario {
                ego = Box
            }
            Box left of ego by x
        }
    }

    """

  /// The actors that exist at frame 1 of the first sample, and the frame count.
  static func present(_ src: String) throws -> (actors: Int, frames: Int, scene: Scene) {
    let (scene, trace) = try SimulationSupport.trace(src)
    let frame = try #require(trace.frames.count > 1 ? trace.frames[1] : nil)
    return (scene.actors.indices.filter { !frame.absent.contains($0) }.count, trace.frames.count, scene)
  }

  /// test_initial_scenario_basic: Main has only `compose`, so the sub-scenario it starts is
  /// the initial one and builds the ego: two actors.
  @Test func initialScenarioBasic() throws {
    let run = try Self.present(Self.sub + """
      scenario Main {
          compose { do Sub() }
          simulate 1s at 1Hz
      }
      """)
    #expect(run.frames == 2)
    #expect(run.actors == 2)
    // The box 5 m to the left of the ego (centre to centre).
    let ps = run.scene.actors.map(\.position)
    #expect(ps.count == 2 && abs((ps[0] - ps[1]).length - 5) < 1e-9)
  }

  /// test_initial_scenario_setup: Main has a setup of its own (its ego), so it is the
  /// initial scenario and Sub reads Main's ego: two actors, not three.
  @Test func initialScenarioSetup() throws {
    let run = try Self.present(Self.sub + """
      scenario Main {
          setup {
              ego = Box
          }
          compose { do Sub() }
          simulate 1s at 1Hz
      }
      """)
    #expect(run.frames == 2)
    #expect(run.actors == 2)
  }

  /// test_initial_scenario_parallel: of two sub-scenarios started together, the first is
  /// the initial one: one ego and two boxes.
  @Test func initialScenarioParallel() throws {
    let run = try Self.present(Self.sub + """
      scenario Main {
          compose { do Sub(2m), Sub(5m) }
          simulate 1s at 1Hz
      }
      """)
    #expect(run.frames == 2)
    #expect(run.actors == 3)
  }

  /// Run alone, the scenario is the initial one; the `else` block holds when another runs it.
  @Test func aloneAndRunByAnother() throws {
    let alone = try Self.present("""
      scenario Sub {
          if initial scenario {
              ego = Box
          } else {
              require ego.position.x > 100m
          }
          Box left of ego by 5m
          simulate 1s at 1Hz
      }
      """)
    #expect(alone.actors == 2)
    // Run by a scenario with its own ego: the `else` requirement fails on every attempt.
    let src = """
      scenario Sub {
          if initial scenario {
              ego = Box
          } else {
              require ego.position.x > X
          }
          Box left of ego by 5m
      }
      scenario Main {
          ego e = Box at (50m, 0m, 0m)
          compose { do Sub() }
          simulate 1s at 1Hz
      }
      """
    #expect(try Self.present(src.replacingOccurrences(of: "X", with: "10m")).actors == 2)
    let run = try SamplerSupport.sampler(src.replacingOccurrences(of: "X", with: "100m"), SimulationSupport.options(maxAttempts: 20))
      .run(start: 0, count: 1, jobs: 1)
    #expect(run.failure?.diagnostic.code.rawValue == "E0506")
  }

  /// Misuse, each with its code.
  @Test(arguments: [
    ("if ego.position.x > 0m {\n        Box\n    }", "error[E0160]"),
    ("if initial scenario {\n        Box\n    } else if true {\n        Box\n    }", "error[E0160]"),
    ("if initial scenario {\n        if initial scenario { Box }\n    }", "error[E0161]"),
    ("if initial scenario {\n        compose { do Other() }\n    }", "error[E0161]"),
  ])
  func misuse(_ block: String, _ code: String) {
    let src = """
      scenario Other { let b = Box at (0m, 5m, 0m) }
      scenario Main {
          ego e = Box
          \(block)
          simulate 1s at 1Hz
      }

      """
    #expect(SubScenarioTests.compileError(src).contains(code), "\(src)")
  }
}
