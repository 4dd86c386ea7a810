import ScnEncoding
import ScnRuntime
import Testing

@Suite struct SamplerDeterminismTests {
  static let source = """
    import std.warehouse
    scenario Crowd {
        param spread: Length = uniform(4m, 8m)
        let n = uniform_int(2, 6)
        ego forklift = Forklift at (0m, 0m, 0m) facing 0deg
        let boxes = [Box at (uniform(3m, 3m + spread), uniform(-spread / 2, spread / 2), 0m)
                     facing uniform(0deg, 360deg) for _ in 0..<n]
        require all b in boxes: distance(forklift, b) > 3m
        cover count: n
    }
    """

  @Test func sameSeedGivesSameBytes() throws {
    let a = SamplerSupport.lines(try SamplerSupport.scenes(Self.source, count: 40, SamplerOptions(seed: 7)))
    let b = SamplerSupport.lines(try SamplerSupport.scenes(Self.source, count: 40, SamplerOptions(seed: 7)))
    #expect(a == b)
    let c = SamplerSupport.lines(try SamplerSupport.scenes(Self.source, count: 40, SamplerOptions(seed: 8)))
    #expect(a != c)
  }

  @Test func sampleAloneEqualsSampleInBatch() throws {
    let batch = try SamplerSupport.scenes(Self.source, count: 12, SamplerOptions(seed: 3))
    for i in [0, 5, 11] {
      let alone = try SamplerSupport.scenes(Self.source, count: 1, SamplerOptions(seed: 3), start: UInt64(i))
      #expect(alone.first?.json().compact == batch[i].json().compact)
    }
  }

  @Test func threadCountDoesNotChangeOutput() throws {
    let one = SamplerSupport.lines(try SamplerSupport.scenes(Self.source, count: 30, SamplerOptions(seed: 1), jobs: 1))
    let three = SamplerSupport.lines(try SamplerSupport.scenes(Self.source, count: 30, SamplerOptions(seed: 1), jobs: 3))
    #expect(one == three)
  }

  @Test func unrelatedLetDoesNotReshuffleOtherDraws() throws {
    let base = """
      scenario S {
          param a: Length = uniform(0m, 1m)
          let b = uniform(0.0, 1.0)
      }
      """
    let extended = """
      scenario S {
          param a: Length = uniform(0m, 1m)
          let b = uniform(0.0, 1.0)
          let unrelated = normal(0.0, 1.0)
      }
      """
    let x = try SamplerSupport.scenes(base, count: 5)
    let y = try SamplerSupport.scenes(extended, count: 5)
    #expect(x.map { SamplerSupport.number($0, param: "a") } == y.map { SamplerSupport.number($0, param: "a") })
  }
}
