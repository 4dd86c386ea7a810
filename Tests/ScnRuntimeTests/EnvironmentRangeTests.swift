import ScnRuntime
import Testing

/// Random environment values are checked when sampled (constants at check time, E0291).
@Suite struct EnvironmentRangeTests {
  @Test func negativeRandomVisibilityIsAnErrorAtTheField() throws {
    let source = """
      scenario S {
          let b = Box at (0m, 0m, 0m)
          environment { visibility: uniform(-20m, -10m) }
      }
      """
    let run = try SamplerSupport.sampler(source).run(start: 0, count: 1)
    guard case .runtime(let e, _)? = run.failure else {
      Issue.record("expected a runtime failure")
      return
    }
    #expect(e.code == .badEnvironment)
    #expect(e.diagnostic.code.rawValue == "E0520")
    #expect(e.message.contains("visibility"))
    let offset = try #require(source.range(of: "uniform(-20m, -10m)")).lowerBound.utf16Offset(in: source)
    #expect(e.range.start == offset)
  }

  @Test func precipitationDefaultsFollowTheWeather() throws {
    func rate(_ environment: String) throws -> Double? {
      let scenes = try SamplerSupport.scenes(
        "scenario S {\n    let b = Box at (0m, 0m, 0m)\n    environment { \(environment) }\n}", count: 1,
        SamplerOptions(seed: 1))
      guard case .real(let x)? = scenes.first?.environment.first(where: { $0.name == "precipitation" })?.value else {
        return nil
      }
      return x * 3_600_000
    }
    #expect(try rate("weather: rain").map { abs($0 - 4) < 1e-9 } == true)
    #expect(try rate("weather: snow").map { abs($0 - 1) < 1e-9 } == true)
    #expect(try rate("weather: overcast") == 0)
    #expect(try rate("weather: rain, precipitation: 30mm/h").map { abs($0 - 30) < 1e-9 } == true)
  }
}
