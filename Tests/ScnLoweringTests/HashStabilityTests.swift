import ScnIR
import ScnLowering
import Testing

/// The IR hash is the scenario's identity: layout, comments and the order of a scenario's
/// declarations must not change it; any change of meaning must.
@Suite struct HashStabilityTests {
  static let original = """
    import std.vehicles

    @dataset(name: "cut-in", version: "1.0.0", license: "CC-BY-4.0")
    @intended_use("tests")
    @out_of_scope("none")
    scenario CutIn {
        param gap: Length = uniform(8m, 20m)
        param speed: Speed = 50km/h
        ego car = Car at (0m, 0m, 0m) facing 0deg with behavior follow_lane(speed)
        let n = uniform_int(1, 3)
        let others = [Car ahead of car by gap + 6m * i for i in 0..<n]
        Box at (uniform(5m, 9m), 4m, 0m)
        require n >= 1
        require all o in others: distance(car, o) > 5m
        sensor cam = Camera { mount: car, offset: (0m, 0m, 1.5m), outputs: [rgb, depth] }
        simulate 2s at 50Hz
        cover count: n
    }
    """

  /// The same program re-laid out by hand: other spacing, comments, blank lines, and the
  /// body's declarations in another order.
  static let relaidOut = """
    // A comment that changes nothing.
    import std.vehicles
    @dataset(name: "cut-in",   version: "1.0.0",   license: "CC-BY-4.0")
    @intended_use("tests")   @out_of_scope("none")

    scenario CutIn
    {
        cover count : n     // one bucket per value
        simulate 2s at 50Hz
        sensor cam = Camera {
            mount: car,
            offset: (0m,0m,1.5m),
            outputs: [rgb,depth]
        }

        /* requirements first this time */
        require all o in others: distance(car, o) > 5m
        require n >= 1
        Box at (uniform(5m, 9m), 4m, 0m)
        let others = [Car ahead of car by gap+6m*i for i in 0..<n]
        let n = uniform_int(1,3)


        ego car = Car at (0m, 0m, 0m)
              facing 0deg
              with behavior follow_lane(speed)
        param speed: Speed = 50km/h
        param gap: Length = uniform(8m,20m)
    }
    """

  func hash(_ source: String) -> String? {
    let r = Support.compile(source)
    let hasErrors = r.hasErrors
    #expect(!hasErrors, "unexpected errors: \(r.diagnostics.map(\.message))")
    return r.program?.hash
  }

  @Test func layoutCommentsAndOrderDoNotChangeTheHash() throws {
    let a = try #require(hash(Self.original))
    let b = try #require(hash(Self.relaidOut))
    #expect(a == b)
  }

  @Test(arguments: [
    ("a constant", "50km/h", "51km/h"),
    ("a unit", "uniform(8m, 20m)", "uniform(8cm, 20m)"),
    ("a requirement", "require n >= 1", "require n >= 2"),
    ("a param default", "param gap: Length = uniform(8m, 20m)", "param gap: Length = uniform(8m, 21m)"),
    ("a field", "offset: (0m, 0m, 1.5m)", "offset: (0m, 0m, 1.6m)"),
    ("an annotation", "@intended_use(\"tests\")", "@intended_use(\"other tests\")"),
    ("a distribution", "uniform_int(1, 3)", "uniform_int(1, 4)"),
    ("a sensor output", "[rgb, depth]", "[rgb, semantic]"),
  ])
  func semanticChangesChangeTheHash(_ what: String, _ from: String, _ to: String) throws {
    let changed = Self.original.replacingOccurrences(of: from, with: to)
    #expect(changed != Self.original, "test input for \(what) did not apply")
    let a = try #require(hash(Self.original))
    let b = try #require(hash(changed))
    #expect(a != b, "changing \(what) must change the hash")
  }

  static let behaviors = """
    behavior Go(v: Speed) {
        precondition: v < 3m/s
        var n = 0
        while n < 2 {
            if n == 0 { do set_speed(v) for 1s } else { wait 1s }
            n = n + 1
        }
        try {
            for p in [(1m, 0m, 0m), (2m, 0m, 0m)] { do walk_to(p, v) }
        } interrupt when sim_time() > 3s {
            do choose { 1: stop(), 2: set_speed(1m/s) }
        } interrupt when sim_time() > 5s {
            terminate
        }
        do shuffle { stop(), set_speed(2m/s) }
    }
    @dataset(name: "b", version: "1.0.0", license: "CC-BY-4.0")
    @intended_use("tests")
    @out_of_scope("none")
    scenario B {
        ego b = Box at (0m, 0m, 0m) with behavior Go(1m/s)
        simulate 2s at 10Hz
    }
    """

  /// Behavior statements: layout does not change the hash; their meaning and order do.
  @Test func behaviorLayoutKeepsTheHashAndMeaningChangesIt() throws {
    let a = try #require(hash(Self.behaviors))
    let relaid = Self.behaviors
      .replacingOccurrences(of: "if n == 0 { do set_speed(v) for 1s } else { wait 1s }",
                            with: "if n == 0 {\n  do set_speed(v) for 1s\n}\n  else {\n wait 1s // comment\n}")
      .replacingOccurrences(of: "} interrupt when sim_time() > 5s {", with: "}\n\n interrupt when sim_time() > 5s\n{")
    #expect(relaid != Self.behaviors)
    #expect(hash(relaid) == a)
    for (from, to) in [("n < 2", "n < 3"), ("> 3s", "> 4s"), ("1: stop()", "3: stop()"), ("terminate\n", "wait 1s\n"),
                       ("shuffle { stop(), set_speed(2m/s) }", "shuffle { set_speed(2m/s), stop() }")]
    {
      let changed = Self.behaviors.replacingOccurrences(of: from, with: to)
      #expect(changed != Self.behaviors, "\(from)")
      #expect(hash(changed) != a, "changing \(from) must change the hash")
    }
  }

  /// Adding an unrelated definition keeps every existing draw site id.
  @Test func unrelatedDefinitionsKeepDrawSites() throws {
    let extended = Self.original.replacingOccurrences(
      of: "require n >= 1", with: "require n >= 1\n    let extra = uniform(1m, 2m)")
    let a = try #require(Support.compile(Self.original).program)
    let b = try #require(Support.compile(extended).program)
    func sites(_ p: ProgramIR) -> Set<UInt32> {
      var out: Set<UInt32> = []
      for line in IRPrinter.print(p).split(separator: "site=").dropFirst() {
        if let n = UInt32(line.prefix { $0.isNumber }) { out.insert(n) }
      }
      return out
    }
    #expect(sites(a).isSubset(of: sites(b)))
    #expect(sites(b).count == sites(a).count + 1)
  }

  @Test func entryDefaultsToTheLastScenarioAndCanBeNamed() throws {
    let two =
      Self.original + "\n"
      + Self.original.replacingOccurrences(of: "scenario CutIn", with: "scenario Other")
      .replacingOccurrences(of: "import std.vehicles", with: "")
    let last = Support.compile(two)
    #expect(last.program?.entry == "Other")
    #expect(last.scenarioNames == ["CutIn", "Other"])
    let named = Support.compile(two, scenario: "CutIn")
    #expect(named.program?.entry == "CutIn")
    let missing = Support.compile(two, scenario: "CutOut")
    #expect(missing.program == nil)
    #expect(missing.diagnostics.contains { $0.message.contains("no scenario named 'CutOut'") })
  }
}
