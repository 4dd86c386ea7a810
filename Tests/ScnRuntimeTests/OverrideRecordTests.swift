import ScnGeometry
import ScnRuntime
import Testing

/// `override` and `record` (docs/language-tour.md, "Overrides" and "Recording values").
/// Each test translates a test function of Scenic 3's `tests/syntax/test_modular.py` or
/// `test_dynamics.py` (named in each; docs/scenic-coverage.md maps them). Scenic's `take k`
/// is `do set_speed(k m/s) for 1s` at 1 Hz, as in `BehaviorFlowTests`.
@Suite struct OverrideRecordTests {
  static let types = """
    actor Obj : Box { foo: Float = 0, var prop: Int = 0 }
    behavior Bar() for Obj {
        while true { take self.foo }
    }
    behavior Up() {
        var x = 1
        while true {
            take_x
            x = x + 1
        }
    }
    behavior Down() {
        var x = -1
        while true {
            take_x
            x = x - 1
        }
    }

    """

  /// `take e` → one `set_speed` action of e m/s for a step.
  static func expand(_ s: String) -> String {
    s.replacingOccurrences(of: "take_x", with: "do set_speed(x * 1m/s) for 1s")
      .replacingOccurrences(of: "take self.foo", with: "do set_speed(self.foo * 1m/s) for 1s")
  }

  static func run(_ scenarios: String, steps: Int) throws -> (Scene, Trace, [Double?]) {
    let (scene, trace) = try SimulationSupport.trace(expand(types + scenarios))
    return (scene, trace, BehaviorFlowTests.actions(trace, steps: steps))
  }

  // MARK: override (test_modular.py)

  /// test_override_basic: a sub-scenario's `override ego with foo 2` is what the ego's
  /// behavior reads while the sub-scenario runs, and only then: run as the middle step of a
  /// sequence (`wait`, `do Sub()`, `wait`), the ego takes 1, 2, 1. Run for the whole run,
  /// the override holds throughout.
  @Test func overrideBasic() throws {
    let (_, _, a) = try Self.run("""
      scenario Sub {
          override ego with foo 2
          terminate after 1s
      }
      scenario Main {
          ego e = Obj { foo: 1 } at (0m, 0m, 0m) with behavior Bar()
          compose {
              wait
              do Sub()
              wait
          }
          simulate 3s at 1Hz
      }
      """, steps: 3)
    #expect(a == [1, 2, 1])
    let (_, _, whole) = try Self.run("""
      scenario Sub {
          override ego with foo 2
      }
      scenario Main {
          ego e = Obj { foo: 1 } at (0m, 0m, 0m) with behavior Bar()
          compose { do Sub() for 3s }
          simulate 3s at 1Hz
      }
      """, steps: 3)
    #expect(whole == [2, 2, 2])
    let (_, _, alone) = try Self.run("""
      scenario Main {
          ego e = Obj { foo: 1 } at (0m, 0m, 0m) with behavior Bar()
          simulate 3s at 1Hz
      }
      """, steps: 3)
    #expect(alone == [1, 1, 1])
  }

  /// test_override_behavior: `override ego with behavior B` runs B instead of the ego's own
  /// behavior while the sub-scenario runs; when it ends, the own behavior resumes where it
  /// was suspended (Up's 1, then Down's −1, −2, then Up's 2).
  @Test func overrideBehavior() throws {
    let (scene, _, a) = try Self.run("""
      scenario Sub {
          override ego with behavior Down()
      }
      scenario Main {
          ego e = Obj at (0m, 0m, 0m) with behavior Up()
          compose {
              wait
              do Sub() for 2s
              wait
          }
          simulate 4s at 1Hz
      }
      """, steps: 4)
    #expect(a == [1, -1, -2, 2])
    // The sampled scene keeps the ego's own behavior.
    #expect(scene.actors[0].behavior?.name == "Up")
  }

  /// test_override_none_behavior: an actor without a behavior runs the override's while the
  /// sub-scenario runs, and none again after; `with behavior none` takes one away.
  @Test func overrideNoneBehavior() throws {
    let (_, _, a) = try Self.run("""
      scenario Sub {
          override ego with behavior Down()
      }
      scenario Main {
          ego e = Obj at (0m, 0m, 0m)
          compose {
              wait
              do Sub() for 2s
              wait
          }
          simulate 4s at 1Hz
      }
      """, steps: 4)
    #expect(a == [nil, -1, -2, nil])
    let (_, _, none) = try Self.run("""
      scenario Sub {
          override ego with behavior none
      }
      scenario Main {
          ego e = Obj at (0m, 0m, 0m) with behavior Up()
          compose {
              do Sub() for 2s
              wait
          }
          simulate 3s at 1Hz
      }
      """, steps: 3)
    #expect(none == [nil, nil, 1])
  }

  /// test_override_leakage: the override does not leak into the sampled scene, before or
  /// after the simulation (the behavior ends the run at once).
  @Test func overrideLeakage() throws {
    let (scene, trace, _) = try Self.run("""
      behavior End() {
          terminate
      }
      scenario Sub1 {
          override ego with prop 2, with behavior End()
      }
      scenario Main {
          ego e = Obj { prop: 1 } at (0m, 0m, 0m)
          compose { do Sub1() }
          simulate 3s at 1Hz
      }
      """, steps: 1)
    #expect(trace.reason == .behavior)
    #expect(trace.endTime == 0)
    let prop = scene.actors[0].fields.first { $0.name == "prop" }
    #expect(prop?.value == .int(1))
    #expect(scene.actors[0].behavior == nil)
  }

  /// An overridden `var` field is what behaviors, requirements and `record` see; a
  /// behavior may assign it further.
  @Test func overriddenVarFieldIsAssignable() throws {
    let (_, trace, _) = try Self.run("""
      behavior Count() for Obj {
          while true {
              self.prop = self.prop + 1
              wait 1s
          }
      }
      scenario Main {
          ego e = Obj { prop: 1 } at (0m, 0m, 0m) with behavior Count()
          override e with prop 10
          record e.prop as prop
          require always e.prop >= 10
          simulate 2s at 1Hz
      }
      """, steps: 2)
    let values = trace.records.first?.samples.map(\.value)
    #expect(values == [.int(10), .int(11), .int(12)])
  }

  /// test_override_dynamic, _nonexistent, _non_object, _malformed, _no_specifiers: each is
  /// rejected when checked (E0157, E0156, E0155, E0155, E0158).
  @Test(arguments: [
    ("override ego with position (5m, 5m, 0m)", "E0157"),
    ("override ego with blob \"hello!\"", "E0156"),
    ("override true with blob \"hello!\"", "E0155"),
    ("override 101 with blob \"hello!\"", "E0155"),
    ("override ego", "E0158"),
  ])
  func overrideMisuse(_ line: String, _ code: String) {
    let error = SubScenarioTests.compileError("""
      scenario Main {
          ego e = Box at (0m, 0m, 0m)
          \(line)
      }
      """)
    #expect(error.contains(code), "\(line): \(error)")
  }

  /// test_ego_top_level, as scn has it: the ego is declared in the scenario (scn has no
  /// statements outside one, E0126), and a sub-scenario without an ego of its own reads it.
  @Test func subScenarioReadsItsRunnersEgo() throws {
    let src = """
      actor Obj : Box { foo: Int = 0 }
      scenario Sub {
          require ego.foo == 42
      }
      scenario Main {
          ego e = Obj { foo: FOO } at (0m, 0m, 0m)
          require ego.foo == 42
          compose { do Sub }
          simulate 1s at 1Hz
      }
      """
    let (scene, trace) = try SimulationSupport.trace(src.replacingOccurrences(of: "FOO", with: "42"))
    #expect(scene.actors.count == 1 && trace.frames.count == 2)
    // The sub-scenario's requirement alone (the parent's removed) rejects every other ego.
    let other = src.replacingOccurrences(of: "FOO", with: "41")
      .replacingOccurrences(of: "    require ego.foo == 42\n    compose", with: "    compose")
    #expect(throws: (any Error).self) { try SamplerSupport.scenes(other, count: 1, SimulationSupport.options(maxAttempts: 20)) }
  }

  /// test_independent_requirements: each invocation's `require eventually` is about its own
  /// box, so both hold in every accepted run (x = start + 1 after the one random step).
  @Test func independentRequirements() throws {
    let src = """
      behavior Step() {
          while true {
              wait 1s
              self.position = self.position + (uniform_int(0, 1) * 1m, 0m, 0m)
          }
      }
      scenario Sub(start: Length = 0m, dest: Length = 1m) {
          let b = Box at (start, 0m, 0m) with behavior Step()
          require eventually b.position.x >= dest
      }
      scenario Main {
          compose { do Sub(0m, 1m), Sub(2m, 3m) }
          simulate 2s at 1Hz
      }
      """
    for sample in UInt64(0)..<30 {
      let (scene, trace) = try SimulationSupport.trace(src, sample: sample)
      let first = try SimulationSupport.actor(scene, "Sub.1.b")
      let second = try SimulationSupport.actor(scene, "Sub.2.b")
      let last = try #require(trace.frames.last)
      #expect(trace.frames.count == 3)
      #expect(abs(last.actors[first].position.x - 1) < 1e-3)
      #expect(abs(last.actors[second].position.x - 3) < 1e-3)
    }
  }

  // MARK: record (test_dynamics.py)

  /// test_record: `record initial`, `record final` and `record e` (a value per step, taken
  /// before the behaviors act), with the run ended by `terminate when`.
  @Test func record() throws {
    let (_, trace) = try SimulationSupport.trace("""
      behavior Foo() {
          for i in 0..<3 {
              self.position = self.position + (2m, 0m, 0m)
              wait 1s
          }
      }
      scenario Main {
          ego e = Box at (0m, 0m, 0m) with behavior Foo()
          terminate when e.position.x >= 6m
          record initial e.position as initial
          record final e.position as final
          record e.position as position
          simulate 4s at 1Hz
      }
      """)
    func x(_ v: Value) -> Double { if case .vector(let p) = v { p.x } else { .nan } }
    let byName = Dictionary(uniqueKeysWithValues: trace.records.map { ($0.name, $0) })
    #expect(trace.records.map(\.name) == ["initial", "final", "position"])
    let initial = try #require(byName["initial"]?.samples)
    #expect(initial.count == 1 && initial[0].step == 0 && abs(x(initial[0].value)) < 1e-6)
    let final = try #require(byName["final"]?.samples)
    #expect(final.count == 1 && final[0].step == 3 && abs(x(final[0].value) - 6) < 1e-6)
    let position = try #require(byName["position"]?.samples)
    #expect(position.map(\.step) == [0, 1, 2, 3])
    #expect(position.map(\.time) == [0, 1, 2, 3])
    #expect(zip(position.map { x($0.value) }, [0.0, 2, 4, 6]).allSatisfy { abs($0 - $1) < 1e-6 })
  }

  /// A sub-scenario's record is named `Sub.name`, like its members; a record without `as`
  /// is named by its text.
  @Test func recordNames() throws {
    let (_, trace) = try SimulationSupport.trace("""
      scenario Sub {
          record sim_time() as clock
      }
      scenario Main {
          ego e = Box at (0m, 0m, 0m)
          record e.position.x
          compose { do Sub() }
          simulate 1s at 1Hz
      }
      """)
    #expect(Set(trace.records.map(\.name)) == ["e.position.x", "Sub.clock"])
    let clock = try #require(trace.records.first { $0.name == "Sub.clock" })
    #expect(clock.samples.map(\.value) == [.real(0), .real(1)])
  }

  /// A sub-scenario run as a step of a sequence records while it runs: `record e` at each
  /// of its steps, `record initial` at its first and `record final` at its last.
  @Test func recordInASequencedStep() throws {
    let (_, trace) = try SimulationSupport.trace("""
      scenario Watched {
          record sim_time() as t
          record initial sim_time() as t0
          record final sim_time() as t1
          terminate after 2s
      }
      scenario Main {
          ego e = Box at (0m, 0m, 0m)
          record sim_time() as clock
          compose {
              wait 1s
              do Watched()
              wait 1s
          }
          simulate 10s at 1Hz
      }
      """)
    let byName = Dictionary(uniqueKeysWithValues: trace.records.map { ($0.name, $0.samples.map(\.step)) })
    #expect(byName["Watched.t"] == [1, 2])
    #expect(byName["Watched.t0"] == [1])
    #expect(byName["Watched.t1"] == [2])
    #expect(byName["clock"] == [0, 1, 2, 3, 4])
  }

  /// A scenario without `simulate` still records its initial state (one step, t = 0).
  @Test func recordWithoutSimulate() throws {
    let (_, trace) = try SimulationSupport.trace("""
      scenario Main {
          ego e = Box at (uniform(1m, 2m), 0m, 0m)
          record initial e.position.x as x
      }
      """)
    let x = try #require(trace.records.first?.samples.first?.value)
    if case .real(let v) = x { #expect(v >= 1 && v <= 2) } else { Issue.record("not a number: \(x)") }
  }

  /// `record e` values count against the trace limit: a run that would keep more stops
  /// before it starts, with E0551 at `simulate`.
  @Test func recordsAreBoundedByTheTraceLimit() throws {
    var options = SimulationSupport.options(maxAttempts: 1)
    options.limits.trace = 50
    let src = """
      scenario Main {
          ego e = Box at (0m, 0m, 0m)
          record e.position as p
          record sim_time() as t
          simulate 20s at 1Hz
      }
      """
    // At 1 Hz, 21 actor states and 21 steps × 2 records = 42 values fit; at 2 Hz the 41 actor
    // states still fit, but 41 × 2 = 82 values do not.
    #expect(try SamplerSupport.scenes(src, count: 1, options).count == 1)
    let doubled = src.replacingOccurrences(of: "20s at 1Hz", with: "20s at 2Hz")
    do {
      _ = try SamplerSupport.scenes(doubled, count: 1, options)
      Issue.record("expected E0551")
    } catch {
      #expect("\(error)".contains("E0551") || "\(error)".contains("recorded values"), "\(error)")
    }
  }

  // MARK: other rows (test_specifiers.py)

  /// test_on_position: `on P` with P a point puts the bottom centre on it, as `at P` (Scenic's
  /// centre is 0.5 m above, its box being 1 m tall).
  @Test func onAPosition() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Main {
          ego e = Box on (0m, 0m, 0m)
          let b = Box on (uniform(2m, 3m), 0m, 0m)
      }
      """, count: 30)
    #expect(scenes.count == 30)
    for scene in scenes {
      #expect(scene.actors.first { $0.name == "e" }?.position == Vec3(0, 0, 0))
      let b = try #require(scene.actors.first { $0.name == "b" })
      #expect(b.position.x >= 2 && b.position.x <= 3 && b.position.y == 0 && b.position.z == 0)
    }
  }

  /// test_facing_random_parentOrientation: `facing (Y, P, R)` is the world orientation
  /// (scn has no parent orientation that could change it), whatever else is drawn. Scenic's
  /// (90deg, 90deg, 90deg) is scn's (180deg, −90deg, 90deg) (docs/scenic-coverage.md).
  @Test func facingAnOrientationIsTheWorldOrientation() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Main {
          ego e = Box at (uniform(0m, 5m), 0m, 0m) facing (180deg, -90deg, 90deg)
      }
      """, count: 10)
    let expected = Quaternion(yaw: .pi, pitch: -.pi / 2, roll: .pi / 2)
    for scene in scenes {
      let q = try #require(scene.actors.first?.rotation)
      // The same rotation (q and −q are one).
      #expect(abs(abs(q.w * expected.w + q.x * expected.x + q.y * expected.y + q.z * expected.z) - 1) < 1e-9)
    }
  }
}
