import ScnGeometry
import ScnRuntime
import Testing

/// Sub-scenarios run from `compose { do A(args), B(args) }` (docs/language-tour.md,
/// "Sub-scenarios"). Each test translates a test function of Scenic 3's
/// `tests/syntax/test_modular.py` (named in each; docs/scenic-coverage.md maps them) or
/// checks a rule scn adds.
@Suite struct SubScenarioTests {
  static func compileError(_ src: String) -> String {
    do {
      _ = try SamplerSupport.compile(src)
      return ""
    } catch {
      return "\(error)"
    }
  }

  /// test_parallel_composition: `do Sub(1), Sub(5)` starts both with the scenario; each
  /// invocation has its own scope (`Sub.1.b`, `Sub.2.b`), and their actors are in every state.
  /// (On the ground, z = 0: scn's physics would drop Scenic's boxes at z = 2 m.)
  @Test func parallelComposition() throws {
    let (scene, trace) = try SimulationSupport.trace("""
      scenario Sub(x: Length = 0m) {
          let b = Box at (x, 1m, 0m)
      }
      scenario Main {
          compose {
              do Sub(1m), Sub(5m)
          }
          simulate 1s at 1Hz
      }
      """)
    #expect(trace.frames.count == 2)
    let first = try SimulationSupport.actor(scene, "Sub.1.b")
    let second = try SimulationSupport.actor(scene, "Sub.2.b")
    #expect(scene.actors.count == 2)
    #expect(scene.actors[first].position == Vec3(1, 1, 0))
    #expect(scene.actors[second].position == Vec3(5, 1, 0))
    for frame in trace.frames {
      #expect(frame.actors.count == 2)
      #expect((frame.actors[first].position - Vec3(1, 1, 0)).length < 1e-2)
      #expect((frame.actors[second].position - Vec3(5, 1, 0)).length < 1e-2)
    }
  }

  /// test_shared_scope_read: an argument is evaluated in the parent's scope.
  @Test func argumentReadsTheParentsScope() throws {
    let s = try SamplerSupport.scenes("""
      scenario Sub(x: Length = 0m) {
          ego b = Box at (x, 1m, 2m)
      }
      scenario Main {
          let y = 3m
          compose { do Sub(y) }
      }
      """, count: 1)
    let scene = try #require(s.first)
    #expect(scene.actors.first { $0.name == "Sub.b" }?.position == Vec3(3, 1, 2))
  }

  /// Labelled arguments, defaults, and a parameter declared in the sub-scenario's body.
  @Test func labelledArgumentsAndDefaults() throws {
    let s = try SamplerSupport.scenes("""
      scenario Pair(x: Length = 1m, gap: Length = 2m) {
          param y: Length = 4m
          let a = Box at (x, y, 0m)
          let b = Box at (x + gap, y, 0m)
      }
      scenario Main {
          compose { do Pair(gap: 5m) }
      }
      """, count: 1)
    let scene = try #require(s.first)
    #expect(scene.actors.first { $0.name == "Pair.a" }?.position == Vec3(1, 4, 0))
    #expect(scene.actors.first { $0.name == "Pair.b" }?.position == Vec3(6, 4, 0))
    // A sub-scenario's parameters are values of the invocation, not params of the scene.
    #expect(SamplerSupport.number(scene, param: "y") == nil)
    #expect(SamplerSupport.number(scene, param: "Pair.y") == nil)
  }

  /// A sub-scenario's requirement and precondition hold in the parent's one rejection loop.
  @Test func requirementsOfASubScenarioRejectTheSample() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Sub(lo: Length = 0m) {
          let b = Box at (uniform(0m, 10m), 0m, 0m)
          require b.position.x > lo
          precondition: b.position.x < lo + 2m
      }
      scenario Main {
          ego c = Box at (0m, 5m, 0m)
          compose { do Sub(5m) }
      }
      """, count: 40)
    let xs = scenes.compactMap { $0.actors.first { $0.name == "Sub.b" }?.position.x }
    #expect(xs.count == 40)
    #expect(xs.allSatisfy { $0 > 5 && $0 < 7 })
  }

  /// A sub-scenario's `terminate after` ends it, its step and the run (Scenic's
  /// test_terminate_after, run as a sub-scenario).
  @Test func subScenarioTerminationEndsTheRun() throws {
    let (_, trace) = try SimulationSupport.trace("""
      scenario Sub {
          ego b = Box
          terminate after 2s
      }
      scenario Main {
          compose { do Sub }
          simulate 5s at 1Hz
      }
      """)
    #expect(trace.frames.count == 3)
    #expect(trace.terminated)
  }

  /// `do Sub() for 2s` and `do Sub() until c` end the step, and with it the run.
  @Test(arguments: ["for 2s", "until sim_time() >= 2s"])
  func boundedStep(_ bound: String) throws {
    let (_, trace) = try SimulationSupport.trace("""
      scenario Sub {
          ego b = Box
      }
      scenario Main {
          compose { do Sub() \(bound) }
          simulate 5s at 1Hz
      }
      """)
    #expect(trace.frames.count == 3)
    #expect(trace.terminated)
  }

  /// A sub-scenario's `require always` holds over the run (the sub-scenario runs for all of it).
  @Test func subScenarioInvariantRejectsRuns() throws {
    let src = """
      behavior Go(v: Speed) { do set_speed(v) for 3s }
      scenario Sub(limit: Length = 1m) {
          ego b = Box at (0m, 0m, 0m) with behavior Go(uniform(0m/s, 1m/s))
          invariant: b.position.x < limit
      }
      scenario Main {
          compose { do Sub(limit: 1.5m) }
          simulate 3s at 10Hz
      }
      """
    let scenes = try SamplerSupport.scenes(src, count: 10, SimulationSupport.options())
    for scene in scenes {
      let trace = try #require(scene.trace)
      let i = try SimulationSupport.actor(scene, "Sub.b")
      #expect(trace.frames.allSatisfy { $0.actors[i].position.x < 1.5 })
    }
  }

  /// A sub-scenario's `cover` points are scoped like its members; the parent's `simulate`
  /// and `environment` fields win over a sub-scenario's.
  @Test func coversSimulationAndEnvironment() throws {
    let program = try #require(try SamplerSupport.compile("""
      scenario Sub(x: Length = 0m) {
          let b = Box at (x, 0m, 0m)
          cover place: x buckets [0m, 5m, 10m]
          environment { fog: 0.5, light: 200lx }
          simulate 9s at 2Hz
      }
      scenario Main {
          compose { do Sub(1m), Sub(6m) }
          environment { fog: 0.1 }
          simulate 2s at 1Hz
      }
      """).program)
    let main = try #require(program.scenarios.first { $0.name == "Main" })
    #expect(main.covers.map(\.name).sorted() == ["Sub.1.place", "Sub.2.place"])
    #expect(main.environment.map(\.name).sorted() == ["fog", "light"])
    let text = SamplerSupport.lines(try SamplerSupport.scenes("""
      scenario Sub { let b = Box; environment { fog: 0.5, light: 200lx } }
      scenario Main { compose { do Sub }; environment { fog: 0.1 } }
      """, count: 1))
    #expect(text.contains("\"fog\":0.1"))
    #expect(text.contains("\"light\":{\"value\":200.0"))
  }

  /// A named requirement of a sub-scenario is scoped like its members (`Sub.1.near`).
  @Test func namedRequirementsAreScoped() throws {
    let program = try #require(try SamplerSupport.compile("""
      scenario Sub(x: Length = 1m) {
          let b = Box at (x, 0m, 0m)
          require b.position.x > 0m as near
      }
      scenario Main { compose { do Sub(1m), Sub(2m) } }
      """).program)
    let main = try #require(program.scenarios.first { $0.name == "Main" })
    #expect(main.requirements.map(\.requirement.text) == ["Sub.1.near: b.position.x > 0m", "Sub.2.near: b.position.x > 0m"])
  }

  /// A sub-scenario may itself compose others: names nest (`Mid.Leaf.b`).
  @Test func nestedComposition() throws {
    let s = try SamplerSupport.scenes("""
      scenario Leaf(x: Length = 0m) { let b = Box at (x, 0m, 0m) }
      scenario Mid { compose { do Leaf(2m) } }
      scenario Main { compose { do Mid, Leaf(7m) } }
      """, count: 1)
    let names = Set(try #require(s.first).actors.map(\.name))
    #expect(names == ["Mid.Leaf.b", "Leaf.b"])
  }

  /// test_compose_illegal_statement, test_compose_illegal_yield (scn has no `yield`; any
  /// statement other than `do` is refused), test_compose_illegal_action (an action where a
  /// scenario is expected), test_compose_nested_definition (a declaration inside `compose`).
  @Test(arguments: [
    ("compose {\n        ego c = Box\n    }", "error[E0143]"),
    ("compose {\n        let y = 1m\n        do Sub()\n    }", "error[E0143]"),
    ("compose {\n        do set_speed(1m/s)\n    }", "error[E0144]"),
    ("compose {\n        do Sub\n        behavior Foo() { wait 1s }\n    }", "error[E01"),
  ])
  func illegalComposeContents(_ block: String, _ code: String) {
    let src = "scenario Sub { let b = Box }\nscenario Main {\n    ego e = Box\n    \(block)\n}\n"
    #expect(Self.compileError(src).contains(code), "\(src)")
  }

  /// Forms scn refuses, and misuse, each with its code.
  @Test(arguments: [
    ("compose { do Sbu() }", "error[E0144]"),
    ("compose { do Sub(1m, 2m) }", "error[E0145]"),
    ("compose { do Sub(y: 1m) }", "error[E0145]"),
    ("compose { do Main() }", "error[E0146]"),
    ("compose { do Sub() }\n    compose { do Sub() }", "error[E0147]"),
    ("compose { do Mix() }", "error[E0149]"),
  ])
  func refusedForms(_ block: String, _ code: String) {
    let src = """
      scenario Sub(x: Length = 0m) { let b = Box at (x, 0m, 0m) }
      scenario Stop { let s = Box; terminate after 1s }
      scenario Mix { include Sub weight 1; include Stop weight 1 }
      scenario Main {
          ego e = Box
          \(block)
      }

      """
    #expect(Self.compileError(src).contains(code), "\(src)")
  }

  /// A chain of sub-scenarios deeper than the checker's bound is refused, not a stack overflow.
  @Test func deepChainIsRefused() {
    var src = "scenario S0 { let b = Box }\n"
    for i in 1...40 { src += "scenario S\(i) { compose { do S\(i - 1) } }\n" }
    let message = Self.compileError(src)
    #expect(message.contains("error[E0142]"))
    #expect(message.contains("nested more than 32 deep"))
  }

  /// A cycle through another scenario is reported at the invocation that closes it.
  @Test func cycleThroughAnotherScenario() {
    let message = Self.compileError("""
      scenario A { compose { do B() } }
      scenario B { compose { do A() } }
      """)
    #expect(message.contains("error[E0146]"))
    #expect(message.contains("A -> B -> A") || message.contains("B -> A -> B"))
  }
}
