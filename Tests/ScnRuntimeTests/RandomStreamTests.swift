import PropertyBased
import Testing
@testable import ScnRuntime

@Suite struct RandomStreamTests {
  @Test func sameCoordinatesGiveTheSameStream() {
    var a = RandomStream(seed: 42, sample: 3, attempt: 1, site: 9)
    var b = RandomStream(seed: 42, sample: 3, attempt: 1, site: 9)
    for _ in 0..<100 { #expect(a.nextUInt64() == b.nextUInt64()) }
    #expect(a.position == 100)
  }

  @Test func drawKeyHandsOutSiteStreams() {
    let key = DrawKey(seed: 42, sample: 3, attempt: 1)
    var fromKey = key.stream(site: 9)
    var direct = RandomStream(seed: 42, sample: 3, attempt: 1, site: 9)
    #expect(fromKey.nextUInt64() == direct.nextUInt64())
    #expect(key.nextAttempt == DrawKey(seed: 42, sample: 3, attempt: 2))
  }

  @Test func sequentialDrawsMatchRandomAccess() {
    var s = RandomStream(seed: 1, sample: 2, attempt: 3, site: 4)
    for j in UInt32(0)..<33 { #expect(s.nextUInt64() == s.uint64(at: j)) }
  }

  @Test func everyCoordinateSeparatesStreams() {
    func first(_ s: RandomStream) -> [UInt64] { (0..<4).map { s.uint64(at: $0) } }
    let base = first(RandomStream(seed: 42, sample: 3, attempt: 1, site: 9))
    #expect(first(RandomStream(seed: 43, sample: 3, attempt: 1, site: 9)) != base)
    #expect(first(RandomStream(seed: 42, sample: 4, attempt: 1, site: 9)) != base)
    #expect(first(RandomStream(seed: 42, sample: 3 + (1 << 32), attempt: 1, site: 9)) != base)
    #expect(first(RandomStream(seed: 42, sample: 3, attempt: 2, site: 9)) != base)
    #expect(first(RandomStream(seed: 42, sample: 3, attempt: 1, site: 10)) != base)
    // A domain stream with the same numbers is a different stream.
    let domain = RandomStream(seed: 42, domain: .splitAssignment, index: 3, subkey: 1)
    #expect(first(domain) != first(RandomStream(seed: 42, sample: 3, attempt: 1, site: 1)))
  }

  @Test func drawsAtOneSiteIgnoreOtherSites() async {
    await propertyCheck(
      input: Gen.uint64(in: 0...UInt64.max), Gen.uint64(in: 0...1_000_000), Gen.uint32(in: 0...1000),
      Gen.int(in: 0...20)
    ) { seed, sample, site, otherDraws in
      var alone = RandomStream(seed: seed, sample: sample, attempt: 0, site: site)
      let expected = (0..<5).map { _ in alone.nextUInt64() }
      // Interleave draws at another site: they must not disturb this site's values.
      var other = RandomStream(seed: seed, sample: sample, attempt: 0, site: site &+ 1)
      var mine = RandomStream(seed: seed, sample: sample, attempt: 0, site: site)
      var got: [UInt64] = []
      for _ in 0..<5 {
        for _ in 0..<otherDraws { _ = other.nextUInt64() }
        got.append(mine.nextUInt64())
      }
      #expect(got == expected)
    }
  }

  @Test func unitIntervalConversionsStayInTheirIntervals() {
    var s = RandomStream(seed: 5, sample: 0, attempt: 0, site: 0)
    for _ in 0..<10_000 {
      let closedOpen = s.nextDouble(), openClosed = s.nextDoubleOpenClosed(), open = s.nextDoubleOpen()
      #expect(closedOpen >= 0 && closedOpen < 1)
      #expect(openClosed > 0 && openClosed <= 1)
      #expect(open > 0 && open < 1 && (1 - open) + open == 1)
    }
  }

  @Test func indexedUniformIsAPureFunctionOfItsArguments() {
    let a = uniform01(seed: 9, domain: .splitAssignment, index: 12)
    #expect(a == uniform01(seed: 9, domain: .splitAssignment, index: 12))
    #expect(a >= 0 && a < 1)
    #expect(a != uniform01(seed: 9, domain: .splitAssignment, index: 13))
    #expect(a != uniform01(seed: 9, domain: .coverBucket, index: 12))
    let coin = uniform01(seed: 9, domain: .softRequirement, index: 12, subkey: 4, draw: 2)
    var stream = RandomStream(seed: 9, domain: .softRequirement, index: 12, subkey: 4)
    _ = stream.nextUInt64(); _ = stream.nextUInt64()
    #expect(coin == Double(stream.nextUInt64() >> 11) * 0x1p-53)
  }

  @Test func indexedUniformIsUniform() {
    var counts = [Int](repeating: 0, count: 10)
    for i in 0..<20_000 {
      counts[Int(uniform01(seed: 77, domain: .splitAssignment, index: UInt64(i)) * 10)] += 1
    }
    #expect(StatisticalChecks.chiSquareAccepts(counts, probabilities: Array(repeating: 0.1, count: 10)))
  }
}
