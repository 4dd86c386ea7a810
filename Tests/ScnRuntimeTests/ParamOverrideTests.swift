import ScnRuntime
import ScnUnits
import Testing

@Suite struct ParamOverrideTests {
  static let source = """
    scenario S {
        param light: Illuminance = uniform(50lx, 200lx)
        param n: Int = uniform_int(1, 3)
        param weather: Weather = clear
        param spread: Length = uniform(1m, 2m)
        let d = spread * 2
    }
    """

  func override(_ name: String, _ literal: ParamOverride.Literal) -> ParamOverride {
    ParamOverride(name: name, literal: literal, text: "\(name)=…")
  }

  @Test func overridesReplaceTheDraw() throws {
    let options = SamplerOptions(overrides: [
      override("light", .number(300, Dimension(base: "Illuminance"), isInteger: false)),
      override("n", .number(5, .dimensionless, isInteger: true)),
      override("weather", .word("rain")),
    ])
    let scenes = try SamplerSupport.scenes(Self.source, count: 5, options)
    for s in scenes {
      #expect(SamplerSupport.number(s, param: "light") == 300)
      #expect(SamplerSupport.number(s, param: "n") == 5)
      #expect(s.param("weather") == .string("rain"))
    }
  }

  @Test func wrongDimensionNamesExpectedAndFound() throws {
    let options = SamplerOptions(overrides: [
      ParamOverride(name: "light", literal: .number(3, Dimension(base: "Length"), isInteger: false), text: "light=3m")
    ])
    do {
      _ = try SamplerSupport.sampler(Self.source, options)
      Issue.record("expected an error")
    } catch let e as RuntimeError {
      #expect(e.code == .badParamOverride)
      #expect(e.message == "--param light=3m: param 'light' expects Illuminance (lx), found Length (m)")
    }
  }

  @Test func nonIntegerForIntAndUnknownNamesAreErrors() throws {
    #expect(throws: RuntimeError.self) {
      _ = try SamplerSupport.sampler(Self.source, SamplerOptions(overrides: [
        override("n", .number(2.5, .dimensionless, isInteger: false))
      ]))
    }
    #expect(throws: RuntimeError.self) {
      _ = try SamplerSupport.sampler(Self.source, SamplerOptions(overrides: [override("weather", .word("sunny"))]))
    }
    do {
      _ = try SamplerSupport.sampler(Self.source, SamplerOptions(overrides: [override("lihgt", .word("x"))]))
      Issue.record("expected an error")
    } catch let e as RuntimeError {
      #expect(e.message.contains("has no param 'lihgt'"))
      #expect(e.message.contains("params: light, n, spread, weather"))
    }
  }
}
