import ScnGeometry
import ScnLowering
import ScnRuntime
import ScnSource
import Testing

@Suite struct RequirementTests {
  @Test func noTwoActorsOverlapInACrowdedScene() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario Crowded {
          let boxes = [Box { size: (1m, 0.6m, 0.5m) } at (uniform(0m, 4m), uniform(0m, 4m), 0m)
                       facing uniform(0deg, 180deg) for _ in 0..<8]
      }
      """, count: 60, SamplerOptions(seed: 9))
    for s in scenes {
      let boxes = s.actors.map {
        OrientedBox(center: $0.position + Vec3(0, 0, $0.size.z / 2), halfExtents: $0.size / 2,
                    rotation: Quaternion(yaw: $0.heading))
      }
      #expect(boxes.count == 8)
      for i in boxes.indices {
        for j in 0..<i { #expect(!boxes[i].overlaps(boxes[j], tolerance: 1e-6)) }
      }
    }
    #expect(scenes.contains { $0.attempts > 1 })
  }

  @Test func allowOverlapLetsActorsInterpenetrate() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          let a = Box at (0m, 0m, 0m)
          let b = Box at (0.1m, 0m, 0m)
          allow overlap
      }
      """, count: 1)
    #expect(scenes[0].attempts == 1)
  }

  @Test func softRequirementIsEnforcedAtItsRate() throws {
    let sampler = try SamplerSupport.sampler("""
      scenario S {
          param x: Float = uniform(0.0, 1.0)
          require[0.3] x >= 0.0
      }
      """, SamplerOptions(seed: 21))
    let run = sampler.run(start: 0, count: 3000)
    let stats = try #require(run.statistics.first)
    #expect(stats.attempts == 3000)
    let rate = Double(stats.evaluated[0]) / Double(stats.attempts)
    // sd ≈ √(0.21/3000) ≈ 0.0084; 5 sd.
    #expect(abs(rate - 0.3) < 0.042)
  }

  @Test func softRequirementShapesTheAcceptedShare() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          param x: Float = uniform(0.0, 1.0)
          require[0.5] x < 0.5
      }
      """, count: 2000, SamplerOptions(seed: 3))
    // P(x ≥ 0.5 | accepted) = 0.5·0.5 / (0.5 + 0.5·0.5) = 1/3.
    let high = Double(scenes.filter { (SamplerSupport.number($0, param: "x") ?? 0) >= 0.5 }.count) / 2000
    #expect(abs(high - 1.0 / 3.0) < 0.055)
  }

  /// Impossible, but not provably so for the checker (it bounds `distance`, not `overlaps`).
  static let impossible = """
    scenario Impossible {
        let a = Box at (uniform(0m, 1m), 0m, 0m)
        let b = Box at (uniform(3m, 4m), 0m, 0m)
        require overlaps(a, b)
        require[0.5] distance(a, b) < 10m
    }
    """

  @Test func impossibleScenarioIsExplained() throws {
    let result = try SamplerSupport.compile(Self.impossible)
    let program = try #require(result.program)
    let sampler = try Sampler(program: program, options: SamplerOptions(seed: 0, maxAttempts: 200))
    let run = sampler.run(start: 0, count: 3)
    #expect(run.scenes.isEmpty)
    guard case .impossible(let sample, let max, let stats)? = run.failure else {
      Issue.record("expected the sampler to give up")
      return
    }
    #expect(sample == 0 && max == 200)
    let sources = result.sources
    let table = stats.table { range in
      guard let f = sources[range.file] else { return "?" }
      let l = f.location(of: range.start)
      return "main.scn:\(l.line):\(l.column)"
    }
    let golden = """
      scenario Impossible: 200 attempts, 0 accepted
        check                                                  location      evaluated  failed  first failure
        require[0.5] distance(a, b) < 10m                      main.scn:5:5         89       0             0%
        require overlaps(a, b)                                 main.scn:4:5        200     200           100%
        physical actors must not overlap (no 'allow overlap')  main.scn:1:1        200       0             0%

      """
    #expect(table == golden)
    let diagnostic = run.failure?.diagnostic
    #expect(diagnostic?.code.rawValue == "E0506")
    #expect(diagnostic?.message == "scenario 'Impossible' is impossible or too unlikely: no attempt out of 200 satisfied every requirement (sample 0); most often 'overlaps(a, b)' failed")
    // It points at the requirement that stopped the attempts, not at the scenario.
    #expect(diagnostic.flatMap { sources[$0.range.file]?.location(of: $0.range.start) }.map { "\($0.line):\($0.column)" } == "4:5")
    // Checks run in IR order (both read `b`); the soft one is enforced in about half the
    // attempts, by each attempt's own coin.
    #expect(diagnostic?.notes.map(\.message) == [
      "'distance(a, b) < 10m' failed 0 of 89 times; first failure in 0% of attempts",
      "'overlaps(a, b)' failed 200 of 200 times; first failure in 100% of attempts",
      "physical actors must not overlap (no 'allow overlap') failed 0 of 200 times; first failure in 0% of attempts",
    ])
  }
}
