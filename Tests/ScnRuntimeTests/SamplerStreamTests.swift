import ScnRuntime
import Synchronization
import Testing

/// `Sampler.stream` (issue 17: memory must not grow with the count): scenes go through a
/// bounded ring of blocks, in index order, whatever the number of jobs.
@Suite struct SamplerStreamTests {
  static let source = """
    scenario Free {
        param w: Length = uniform(1m, 2m)
        ego robot = Box at (0m, 0m, 0m) facing 0deg
        let boxes = [Box at (uniform(-50m, 50m), uniform(-50m, 50m), 0m) for _ in 0..<3]
        allow overlap
    }
    """

  /// Scenes added by workers but not yet emitted, and the most there ever were; parts made.
  final class Gauge: Sendable {
    let state = Mutex<(pending: Int, peak: Int, parts: Int)>((0, 0, 0))
    func made() { state.withLock { $0.parts += 1 } }
    func added() {
      state.withLock { s in
        s.pending += 1
        s.peak = max(s.peak, s.pending)
      }
    }
    func emitted(_ n: Int) { state.withLock { $0.pending -= n } }
  }

  /// Streams `count` samples and returns the indices in emitted order and the gauge.
  func stream(count: Int, jobs: Int, blockSize: Int) throws -> (indices: [UInt64], gauge: Gauge, summary: SamplerSummary) {
    let sampler = try SamplerSupport.sampler(Self.source)
    let gauge = Gauge()
    var indices: [UInt64] = []
    let summary = sampler.stream(
      start: 0, count: count, jobs: jobs, blockSize: blockSize,
      part: {
        gauge.made()
        return [UInt64]()
      },
      add: { part, scene in
        gauge.added()
        part.append(scene.sample)
      },
      emit: { part in
        gauge.emitted(part.count)
        indices.append(contentsOf: part)
        part.removeAll(keepingCapacity: true)
      })
    return (indices, gauge, summary)
  }

  @Test(arguments: [1, 2, 3])
  func scenesInFlightDoNotGrowWithTheCount(jobs: Int) throws {
    let block = 16
    for count in [500, 5000] {
      let (indices, gauge, summary) = try stream(count: count, jobs: jobs, blockSize: block)
      #expect(indices == (0..<UInt64(count)).map { $0 })
      #expect(summary.scenes == count)
      #expect(summary.failure == nil)
      let s = gauge.state.withLock { $0 }
      // One part per ring slot (one with a single job), however many samples.
      #expect(s.parts == (jobs == 1 ? 1 : 4 * jobs))
      #expect(s.peak <= (jobs == 1 ? 1 : 4 * jobs) * block)
      #expect(s.pending == 0)
    }
  }

  @Test func statisticsAndFailureDoNotDependOnJobsOrBlocks() throws {
    // With one attempt per sample, the first sample that draws x ≥ 9.5 m fails: every run
    // must stop at that sample, with the same scenes and statistics before it.
    let source = """
      scenario Tight {
          param x: Length = uniform(0m, 10m)
          require x < 9.5m
      }
      """
    let sampler = try SamplerSupport.sampler(source, SamplerOptions(maxAttempts: 1))
    let reference = sampler.run(start: 0, count: 400, jobs: 1)
    let failed = try #require(reference.failure)
    for (jobs, block) in [(1, 7), (2, 1), (2, 16), (3, 5)] {
      var lines: [String] = []
      let summary = sampler.stream(
        start: 0, count: 400, jobs: jobs, blockSize: block, part: { [String]() },
        add: { $0.append($1.json().compact) },
        emit: { part in
          lines += part
          part.removeAll()
        })
      #expect(lines == reference.scenes.map { $0.json().compact })
      #expect(summary.failure?.diagnostic.message == failed.diagnostic.message)
      #expect(summary.statistics == reference.statistics)
    }
  }

  struct Stop: Error {}

  @Test func anErrorFromEmitStopsTheWorkers() throws {
    let sampler = try SamplerSupport.sampler(Self.source)
    var emitted = 0
    #expect(throws: Stop.self) {
      _ = try sampler.stream(
        start: 0, count: 100_000, jobs: 2, blockSize: 8, part: { 0 }, add: { n, _ in n += 1 },
        emit: { n in
          emitted += n
          n = 0
          if emitted >= 40 { throw Stop() }
        })
    }
    #expect(emitted == 40)
  }
}
