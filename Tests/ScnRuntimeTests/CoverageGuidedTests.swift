import ScnRuntime
import Testing

@Suite struct CoverageGuidedTests {
  static let source = """
    scenario S {
        param speed: Speed = uniform(0m/s, 10m/s)
        param n: Int = uniform_int(1, 4)
        param wet: Bool = bernoulli(0.1)
        cover s: speed buckets [0m/s, 2m/s, 5m/s, 10m/s]
        cover doubled: speed * 2 buckets [0m/s, 10m/s, 20m/s]
        cover count: n
        cover rain: wet
    }
    """

  func counts(_ scenes: [Scene], _ cover: String) -> [String: Int] {
    var out: [String: Int] = [:]
    for s in scenes {
      if let c = s.covers.first(where: { $0.name == cover }) { out[c.bucket, default: 0] += 1 }
    }
    return out
  }

  @Test func conditionedDrawHitsEveryBucketEqually() throws {
    let scenes = try SamplerSupport.scenes(Self.source, count: 30, SamplerOptions(seed: 4, coverTargets: ["s"]))
    #expect(counts(scenes, "s") == ["[0m/s, 2m/s)": 10, "[2m/s, 5m/s)": 10, "[5m/s, 10m/s)": 10])
    // Drawn conditionally: no rejection, and the weight is P(bucket) / (1/3).
    #expect(scenes.allSatisfy { $0.attempts == 1 })
    for s in scenes {
      let g = try #require(s.guidance)
      let bucket = s.covers.first { $0.name == "s" }?.bucket
      let natural = bucket == "[0m/s, 2m/s)" ? 0.2 : bucket == "[2m/s, 5m/s)" ? 0.3 : 0.5
      #expect(abs((g.naturalProbability ?? 0) - natural) < 1e-12)
      #expect(abs((g.weight ?? 0) - natural * 3) < 1e-12)
    }
  }

  @Test func discreteTargetsAreConditionedToo() throws {
    let ints = try SamplerSupport.scenes(Self.source, count: 40, SamplerOptions(seed: 1, coverTargets: ["count"]))
    #expect(counts(ints, "count") == ["1": 10, "2": 10, "3": 10, "4": 10])
    let bools = try SamplerSupport.scenes(Self.source, count: 20, SamplerOptions(seed: 1, coverTargets: ["rain"]))
    #expect(counts(bools, "rain") == ["false": 10, "true": 10])
    #expect(bools.allSatisfy { $0.attempts == 1 })
  }

  @Test func choiceIsConditionedAlternativeByAlternative() throws {
    let source = """
      scenario Light {
          param light: Illuminance = choice { 0.7: 500lx, 0.3: uniform(50lx, 200lx) }
          cover level: light buckets [0lx, 100lx, 300lx, 1000lx]
      }
      """
    let scenes = try SamplerSupport.scenes(source, count: 30, SamplerOptions(seed: 12, coverTargets: ["level"]))
    #expect(counts(scenes, "level") == ["[0lx, 100lx)": 10, "[100lx, 300lx)": 10, "[300lx, 1000lx)": 10])
    #expect(scenes.allSatisfy { $0.attempts == 1 })
    for s in scenes {
      let bucket = s.covers.first { $0.name == "level" }?.bucket
      // 0.3 · 50/150, 0.3 · 100/150, and the 500 lx alternative.
      let natural = bucket == "[0lx, 100lx)" ? 0.1 : bucket == "[100lx, 300lx)" ? 0.2 : 0.7
      #expect(abs((s.guidance?.naturalProbability ?? 0) - natural) < 1e-12)
    }
  }

  @Test func derivedCoverFallsBackToRejection() throws {
    let sampler = try SamplerSupport.sampler(Self.source, SamplerOptions(seed: 2, coverTargets: ["doubled"]))
    let run = sampler.run(start: 0, count: 20)
    #expect(run.failure == nil)
    #expect(counts(run.scenes, "doubled") == ["[0m/s, 10m/s)": 10, "[10m/s, 20m/s)": 10])
    #expect(run.scenes.allSatisfy { $0.guidance?.weight == nil })
    let stats = try #require(run.statistics.first)
    #expect(stats.checks.contains { $0.kind == .coverTarget("doubled") })
  }

  @Test func twoTargetsStratifyTheirProduct() throws {
    let scenes = try SamplerSupport.scenes(Self.source, count: 24, SamplerOptions(seed: 3, coverTargets: ["s", "rain"]))
    var pairs: [String: Int] = [:]
    for s in scenes {
      let a = s.covers.first { $0.name == "s" }?.bucket ?? "", b = s.covers.first { $0.name == "rain" }?.bucket ?? ""
      pairs[a + "|" + b, default: 0] += 1
    }
    #expect(pairs.count == 6 && pairs.values.allSatisfy { $0 == 4 })
  }

  @Test func bucketOfASampleDoesNotDependOnTheBatch() throws {
    let batch = try SamplerSupport.scenes(Self.source, count: 9, SamplerOptions(seed: 6, coverTargets: ["s"]))
    let alone = try SamplerSupport.scenes(Self.source, count: 1, SamplerOptions(seed: 6, coverTargets: ["s"]), start: 7)
    #expect(alone[0].json() == batch[7].json())
  }

  @Test func coverageReportCountsEveryKnownBucket() throws {
    let sampler = try SamplerSupport.sampler(Self.source, SamplerOptions(seed: 4, coverTargets: ["s"]))
    let run = sampler.run(start: 0, count: 6)
    var report = CoverageReport(specs: sampler.coverSpecs, targets: ["s"])
    for s in run.scenes { report.record(s) }
    let json = report.json()
    #expect(json.hasPrefix(#"{"samples":6,"mode":"guided","targets":["s"],"covers":[{"name":"count","kind":"values","buckets":[{"bucket":"1","count":"#))
    #expect(json.contains(#"{"name":"s","kind":"edges","unit":"m/s","edges":[0.0,2.0,5.0,10.0],"buckets":[{"bucket":"< 0m/s","count":0},{"bucket":"[0m/s, 2m/s)","count":2},{"bucket":"[2m/s, 5m/s)","count":2},{"bucket":"[5m/s, 10m/s)","count":2},{"bucket":">= 10m/s","count":0}]}"#))
    #expect(json.contains(#"{"name":"rain","kind":"values","buckets":[{"bucket":"false","count":"#))
  }

  @Test func unknownTargetIsAnError() throws {
    #expect(throws: RuntimeError.self) {
      _ = try SamplerSupport.sampler(Self.source, SamplerOptions(coverTargets: ["nope"]))
    }
  }
}
