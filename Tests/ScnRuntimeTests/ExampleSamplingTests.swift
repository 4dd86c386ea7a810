import Foundation
import ScnLowering
import ScnRuntime
import Testing

/// Every shipped example samples 100 scenes without giving up.
@Suite struct ExampleSamplingTests {
  static var examples: [String] {
    let dir = SamplerSupport.examples.path
    return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".scn") }.sorted()
  }

  @Test(arguments: examples)
  func exampleSamples100Scenes(_ name: String) throws {
    let path = SamplerSupport.examples.appendingPathComponent(name).path
    let result = Compilation.compile(mainFile: path, readFile: SamplerSupport.readFile, stdlibRoot: SamplerSupport.stdlibRoot)
    #expect(!result.hasErrors)
    let program = try #require(result.program)
    let sampler = try Sampler(program: program, options: SamplerOptions(seed: 0, maxAttempts: 10_000))
    let run = sampler.run(start: 0, count: 100, jobs: 2)
    #expect(run.failure == nil, "\(name): \(run.failure?.diagnostic.message ?? "")")
    #expect(run.scenes.count == 100)
    #expect(run.scenes.allSatisfy { !$0.actors.isEmpty })
  }

  @Test func mixtureComponentsFollowTheirWeights() throws {
    let path = SamplerSupport.examples.appendingPathComponent("warehouse_suite.scn").path
    let result = Compilation.compile(mainFile: path, readFile: SamplerSupport.readFile, stdlibRoot: SamplerSupport.stdlibRoot)
    let program = try #require(result.program)
    let sampler = try Sampler(program: program, options: SamplerOptions(seed: 5))
    let run = sampler.run(start: 0, count: 120, jobs: 2)
    let night = run.scenes.filter { $0.scenario == "NightAisle" }.count
    // Weight 1 of 4: 30 expected, sd ≈ 4.7.
    #expect(abs(night - 30) <= 20)
    #expect(run.scenes.allSatisfy { $0.scenario == "NightAisle" || $0.scenario == "PalletAisle" })
    let nightLight = run.scenes.filter { $0.scenario == "NightAisle" }.compactMap { SamplerSupport.number($0, param: "light") }
    #expect(nightLight.allSatisfy { $0 >= 5 && $0 <= 50 })
  }
}
