import ScnEncoding
import ScnRuntime
import Testing

@Suite struct SamplerDistributionTests {
  @Test func uniformParamLandsInRangeWithTheRightMean() throws {
    let scenes = try SamplerSupport.scenes("scenario S { param x: Length = uniform(2m, 4m) }", count: 2000,
                                           SamplerOptions(seed: 11))
    let xs = scenes.compactMap { SamplerSupport.number($0, param: "x") }
    #expect(xs.count == 2000)
    #expect(xs.allSatisfy { $0 >= 2 && $0 <= 4 })
    let mean = xs.reduce(0, +) / Double(xs.count)
    // sd of the mean: (2/√12)/√2000 ≈ 0.0129; 5 sd.
    #expect(abs(mean - 3) < 0.065)
    #expect(scenes[0].param("x") == .object([("value", .double(xs[0])), ("unit", .string("m"))]))
  }

  @Test func choiceWeightsAreRespected() throws {
    let scenes = try SamplerSupport.scenes("scenario S { param k: Int = choice { 0.7: 1, 0.2: 2, 0.1: 3 } }", count: 2000,
                                           SamplerOptions(seed: 5))
    let ks = scenes.compactMap { SamplerSupport.number($0, param: "k") }
    let share1 = Double(ks.filter { $0 == 1 }.count) / 2000
    let share3 = Double(ks.filter { $0 == 3 }.count) / 2000
    #expect(abs(share1 - 0.7) < 0.05)
    #expect(abs(share3 - 0.1) < 0.035)
  }

  @Test func comprehensionDrawsAreIndependentPerIteration() throws {
    let scenes = try SamplerSupport.scenes("""
      scenario S {
          let boxes = [Box at (uniform(0m, 100m), 0m, 0m) for _ in 0..<4]
          allow overlap
      }
      """, count: 1)
    let xs = scenes[0].actors.map(\.position.x)
    #expect(xs.count == 4)
    #expect(Set(xs).count == 4)
  }

  @Test func badRandomArgumentIsARuntimeErrorWithLocation() throws {
    let source = """
      scenario S {
          param sd: Float = uniform(-1.0, -0.5)
          param x: Float = normal(0.0, sd)
      }
      """
    let run = try SamplerSupport.sampler(source).run(start: 0, count: 1)
    guard case .runtime(let e, let sample)? = run.failure else {
      Issue.record("expected a runtime failure")
      return
    }
    #expect(sample == 0)
    #expect(e.code == .badDistributionArgument)
    #expect(e.message.contains("sd"))
    #expect(e.diagnostic.code.rawValue == "E0501")
    // The error points at the draw `normal(0.0, sd)`.
    let offset = try #require(source.range(of: "normal(0.0, sd)")).lowerBound.utf16Offset(in: source)
    #expect(e.range.start == offset)
  }

  @Test func indexOutOfRangeAndDivisionByZeroAreDiagnostics() throws {
    let outOfRange = try SamplerSupport.sampler("""
      scenario S {
          let n = uniform_int(0, 0)
          let xs = [1, 2, 3]
          let y = xs[n + 3]
      }
      """).run(start: 0, count: 1)
    guard case .runtime(let e, _)? = outOfRange.failure else {
      Issue.record("expected a runtime failure")
      return
    }
    #expect(e.code == .indexOutOfRange)
    #expect(e.message == "index 3 is out of range for a list of 3 elements")
    let division = try SamplerSupport.sampler("""
      scenario S {
          let n = uniform_int(0, 0)
          let y = 10 / n
      }
      """).run(start: 0, count: 1)
    guard case .runtime(let d, _)? = division.failure else {
      Issue.record("expected a runtime failure")
      return
    }
    #expect(d.code == .divisionByZero)
  }
}
