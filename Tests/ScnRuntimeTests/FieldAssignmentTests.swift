import ScnRuntime
import Testing

/// Behaviors that assign actor fields (`self.field = v` on fields declared `var`;
/// docs/language-tour.md, "Behaviors"). Most tests translate a test function of Scenic 3's
/// `tests/syntax/test_dynamics.py` (named in each; docs/scenic-coverage.md maps them), with
/// `take k` written as in `BehaviorFlowTests`.
@Suite struct FieldAssignmentTests {
  static let counter = "actor Counter : Box { var blah: Int = 0, var flag: Float = 0 }\n"

  static func positions(_ trace: Trace, actor: Int = 0) -> [Double] {
    trace.frames.map { $0.actors[actor].position.x }
  }

  /// test_dynamic_property: the position moves 1 m a step; `terminate when` sees it.
  @Test func dynamicProperty() throws {
    let (_, trace, _) = try BehaviorFlowTests.run("""
      behavior Foo() {
          for i in 0..<3 {
              self.position = self.position + (1m, 0m, 0m)
              wait 1s
          }
      }
      """, steps: 4, extra: "terminate when ego.position.x >= 3m")
    #expect(trace.terminated)
    #expect(trace.endTime == 3)
    #expect(Self.positions(trace) == [0, 1, 2, 3])
  }

  /// test_termination_reason_condition_1: the run ends by the condition, before its time.
  @Test func terminationByCondition() throws {
    let (_, trace, _) = try BehaviorFlowTests.run("""
      behavior Foo() {
          for i in 0..<3 {
              self.position = self.position + (1m, 0m, 0m)
              wait 1s
          }
      }
      """, steps: 2, extra: "terminate when ego.position.x >= 1m")
    #expect(trace.terminated && trace.endTime == 1)
  }

  /// test_dynamic_derived_property: a point derived from the actor (`left of ego`, Scenic's
  /// `ego.left.position`) follows the assigned position.
  @Test func derivedPointFollows() throws {
    let (_, trace, _) = try BehaviorFlowTests.run("""
      behavior Foo() {
          for i in 0..<3 {
              self.position = self.position + (0m, 1m, 0m)
              wait 1s
          }
      }
      """, steps: 4, extra: "terminate when (left of ego).y >= 3m")
    #expect(trace.terminated)
    #expect(trace.endTime == 3)
  }

  /// test_behavior_self: `for Obj` lets the behavior read a field only `Obj` declares.
  @Test func readsOwnTypesField() throws {
    let (_, _, a) = try BehaviorFlowTests.run("behavior Foo() for Obj {\n take_bar\n}"
      .replacingOccurrences(of: "take_bar", with: "do set_speed(self.bar * 1m/s) for 1s"),
      steps: 1, actor: "ego b = Obj { bar: 3 } at (0m, 0m, 0m) with behavior Foo()")
    #expect(a == [3])
  }

  /// An assigned heading turns the actor.
  @Test func headingTurnsTheActor() throws {
    let (_, trace, _) = try BehaviorFlowTests.run("""
      behavior Foo() {
          self.heading = 90deg
          wait 1s
          self.heading = self.heading + 90deg
          wait 1s
      }
      """, steps: 3)
    let headings = trace.frames.map { ($0.actors[0].heading * 180 / .pi).rounded() }
    #expect(headings == [0, 90, 180, 180])
  }

  /// test_behavior_object_argument: a behavior reads a field another actor's behavior set.
  @Test func readsAFieldAnotherBehaviorSets() throws {
    let (scene, trace, _) = try BehaviorFlowTests.run(Self.counter + """
      behavior Foo(obj: Counter) {
          while true { do set_speed(obj.flag * 1m/s) for 1s }
      }
      behavior Bar() for Counter {
          self.flag = 1
          wait 1s
      }
      """, steps: 2, actor: "ego e = Counter at (10m, 0m, 0m) with behavior Foo(other)",
      extra: "let other = Counter at (0m, 0m, 0m) with behavior Bar()")
    let ego = try SimulationSupport.actor(scene, "e")
    let a = BehaviorFlowTests.actions(trace, actor: ego, steps: 2)
    #expect(a[1] == 1)
  }

  /// test_require_always: `self.blah` grows by `uniform_int(0, 1)` a step; `require always
  /// blah < 1` keeps only the runs where it stayed 0.
  @Test func requireAlwaysOverAssignedField() throws {
    let src = BehaviorFlowTests.source(Self.counter + """
      behavior Foo() for Counter {
          while true {
              do set_speed(self.blah * 1m/s) for 1s
              self.blah = self.blah + uniform_int(0, 1)
          }
      }
      """, actor: "ego b = Counter at (0m, 0m, 0m) with behavior Foo()", steps: 2, extra: "require always ego.blah < 1")
    let scenes = try SamplerSupport.scenes(src, count: 30, SimulationSupport.options())
    #expect(scenes.count == 30)
    for s in scenes { #expect(BehaviorFlowTests.actions(try #require(s.trace), steps: 2) == [0, 0]) }
  }

  /// test_require_eventually: only runs where it became 1 after the first step are kept.
  @Test func requireEventuallyOverAssignedField() throws {
    let src = BehaviorFlowTests.source(Self.counter + """
      behavior Foo() for Counter {
          while true {
              do set_speed(self.blah * 1m/s) for 1s
              self.blah = self.blah + uniform_int(0, 1)
          }
      }
      """, actor: "ego b = Counter at (0m, 0m, 0m) with behavior Foo()", steps: 2, extra: "require eventually ego.blah > 0")
    let scenes = try SamplerSupport.scenes(src, count: 30, SimulationSupport.options())
    #expect(scenes.count == 30)
    for s in scenes { #expect(BehaviorFlowTests.actions(try #require(s.trace), steps: 2) == [0, 1]) }
  }

  /// test_require_eventually_2: three `require eventually` over the counter all hold.
  @Test func requireEventuallyEachValue() throws {
    let (_, _, a) = try BehaviorFlowTests.run(Self.counter + """
      behavior Foo() for Counter {
          while true {
              do set_speed(self.blah * 1m/s) for 1s
              self.blah = self.blah + 1
          }
      }
      """, steps: 3, actor: "ego b = Counter at (0m, 0m, 0m) with behavior Foo()",
      extra: "require eventually ego.blah == 0\nrequire eventually ego.blah == 1\nrequire eventually ego.blah == 2")
    #expect(a == [0, 1, 2])
  }

  /// test_behavior_invariant: the position moves back by a random amount each step; runs
  /// where it reaches 0 break the invariant and are redrawn.
  @Test func invariantOverAssignedPosition() throws {
    let src = BehaviorFlowTests.source("""
      behavior Foo() {
          invariant: self.position.x > 0m
          while true {
              do stop() for 1s
              self.position = self.position - (uniform(0m, 2m), 0m, 0m)
          }
      }
      """, actor: "ego b = Box at (1m, 0m, 0m) with behavior Foo()", steps: 3)
    let scenes = try SamplerSupport.scenes(src, count: 30, SimulationSupport.options())
    #expect(scenes.count == 30)
    var moved = 0
    for s in scenes {
      let xs = Self.positions(try #require(s.trace))
      #expect(xs[0] == 1)
      #expect(xs[2] > 0 && xs[2] < 1)
      if xs[2] < 0.5 { moved += 1 }
    }
    #expect(moved > 0)
  }

  /// test_monitor: the monitor reads the field the behavior counts up (passed the actor:
  /// inside a monitor `ego` is an `Actor`, whose fields do not include `blah`).
  @Test func monitorReadsAssignedField() throws {
    let (_, trace, a) = try BehaviorFlowTests.run(Self.counter + """
      monitor Monitor(c: Counter) {
          while true {
              if c.blah >= 3 { terminate }
              wait 1s
          }
      }
      behavior Foo() for Counter {
          while true {
              do set_speed(self.blah * 1m/s) for 1s
              self.blah = self.blah + 1
          }
      }
      """, steps: 5, actor: "ego b = Counter at (0m, 0m, 0m) with behavior Foo()", extra: "require monitor Monitor(b)")
    #expect(a == [0, 1, 2, 3, nil])
    #expect(trace.terminated && trace.endTime == 4)
  }

  /// The fields are restored after the run: the scene keeps the sampled values.
  @Test func sceneKeepsSampledValues() throws {
    let (scene, trace, _) = try BehaviorFlowTests.run("""
      behavior Foo() {
          self.position = (5m, 0m, 0m)
          wait 1s
      }
      """, steps: 2)
    #expect(scene.actors[0].position.x == 0)
    #expect(Self.positions(trace) == [0, 5, 5])
  }

  /// A vehicle moved by its behavior keeps driving from the new pose.
  @Test func vehicleCarriesOnFromTheNewPose() throws {
    let (_, trace, _) = try BehaviorFlowTests.run("""
      actor Kart : Vehicle { size = (2m, 1m, 1m) }
      behavior Foo() {
          do set_speed(2m/s) for 1s
          self.position = (100m, 0m, 0m)
          wait 2s
      }
      """, steps: 3, actor: "ego c = Kart at (0m, 0m, 0m) with behavior Foo()")
    let xs = Self.positions(trace)
    #expect(xs[1] < 10)
    #expect(xs[2] >= 100 && xs[2] < 110)
    #expect(xs[3] > xs[2])
  }

  /// Same seed, same run: assignments draw from the sample's streams.
  @Test func deterministic() throws {
    let src = BehaviorFlowTests.source(Self.counter + """
      behavior Foo() for Counter {
          while true {
              do set_speed(self.blah * 1m/s) for 1s
              self.blah = self.blah + uniform_int(0, 3)
          }
      }
      """, actor: "ego b = Counter at (0m, 0m, 0m) with behavior Foo()", steps: 4)
    let a = try SamplerSupport.scenes(src, count: 5, SimulationSupport.options())
    let b = try SamplerSupport.scenes(src, count: 5, SimulationSupport.options())
    #expect(a.map { $0.trace?.actions.map(\.arguments) } == b.map { $0.trace?.actions.map(\.arguments) })
  }
}

/// E0540: a `for T` behavior reaches an actor of another type only as a value kept in a
/// `let` (the checker sees `with behavior`, `do`, `do choose` and `do shuffle` of the
/// behavior itself); the run stops at the assignment.
@Suite struct FieldAssignmentErrorTests {
  @Test func assignmentOnAnActorWithoutTheField() throws {
    let source = """
      actor Counter : Box { var count: Int = 0 }
      behavior Count() for Counter {
          self.count = 1
          wait 1s
      }
      scenario S {
          let beh = Count()
          ego x = Box at (0m, 0m, 0m) with behavior beh
          simulate 2s at 1Hz
      }
      """
    let (d, line) = try SimulationErrorTests().failure(source)
    #expect(d.code.rawValue == "E0540")
    #expect(d.message.contains("actor 'x' is a 'Box', which has no field 'count' to assign"), "\(d.message)")
    #expect(line == 3)
  }
}
