import Dispatch
import Synchronization

/// How a streaming run (`Sampler.stream`) ended: how many scenes it handed out, the
/// rejection statistics of exactly those samples (and of the failing one), and the failure.
public struct SamplerSummary: Sendable {
  public let scenes: Int
  /// Per scenario that produced or attempted a sample, in name order.
  public let statistics: [RejectionStatistics]
  public let failure: SamplerFailure?
}

extension Sampler {
  /// Scenes per block: the unit of work a worker takes and of output the caller gets.
  public static let defaultBlockSize = 128

  /// Samples `start ..< start + count` and hands the scenes out in index order, with memory
  /// that does not grow with `count` (Sources/ScnRuntime/README.md, "Entry points").
  ///
  /// The indices are cut into blocks of `blockSize` consecutive samples. A worker (one of
  /// `jobs` threads) takes the next block and passes each accepted scene to `add`, on its own
  /// thread, into the block's `Part` (e.g. its JSON bytes): the scene itself is dropped right
  /// after. The calling thread gets the parts in block order through `emit`, which must leave
  /// the part empty for reuse. At most `4 × jobs` parts exist at any time (a ring): a worker
  /// more than that many blocks ahead of `emit` waits. Threads meet once per block, never per
  /// scene. The output does not depend on `jobs` or `blockSize`: a block stops at its first
  /// failure, and nothing after the first failing block is emitted.
  ///
  /// If `emit` throws, the workers stop after their current block and the error is rethrown.
  public func stream<Part>(
    start: UInt64, count: Int, jobs: Int = 1, blockSize: Int = Sampler.defaultBlockSize,
    part makePart: () -> Part,
    add: @escaping @Sendable (inout Part, Scene) -> Void,
    emit: (inout Part) throws -> Void
  ) rethrows -> SamplerSummary {
    let count = max(0, count)
    let size = max(1, blockSize)
    let blocks = count / size + (count % size == 0 ? 0 : 1)
    var totals = scenarios.map { RejectionStatistics(scenario: $0.ir.name, range: $0.ir.range, checks: $0.infos) }
    var touched = Array(repeating: false, count: scenarios.count)
    var scenes = 0
    var failure: SamplerFailure?
    func finish(_ b: Block) {
      for (k, s) in b.statistics.enumerated() where b.touched[k] {
        totals[k].merge(s)
        touched[k] = true
      }
      scenes += b.scenes
      failure = b.failure
    }
    let workers = max(1, min(jobs, blocks))
    if workers == 1 {
      // One thread: the caller samples and emits in turn, with one part and one context.
      let ctx = makeContext()
      var part = makePart()
      for b in 0..<blocks {
        let first = b * size
        let block = sampleBlock(start: start + UInt64(first), count: min(size, count - first), ctx, &part, add)
        finish(block)
        try emit(&part)
        if failure != nil { break }
      }
      return SamplerSummary(scenes: scenes, statistics: zip(totals, touched).filter(\.1).map(\.0), failure: failure)
    }
    let ring = BlockRing<Part>(slots: 4 * workers, blocks: blocks, make: makePart)
    let group = DispatchGroup()
    // Each worker after the first samples with its own compiled copy (`workerCopy`).
    let samplers = [self] + (1..<workers).map { _ in self.workerCopy() }
    for sampler in samplers {
      DispatchQueue.global().async(group: group) {
        let ctx = sampler.makeContext()
        while true {
          // A permit first: at most `slots` blocks are claimed and not yet emitted, so the
          // slot of the block claimed next is empty.
          ring.space.wait()
          guard let b = ring.claim() else { break }
          let slot = b % ring.slots
          if ring.isStopped {
            ring.results[slot] = Block(statistics: [], touched: [], scenes: 0, failure: nil)
          } else {
            let first = b * size
            ring.results[slot] = sampler.sampleBlock(
              start: start + UInt64(first), count: min(size, count - first), ctx, &ring.parts[slot], add)
          }
          ring.ready[slot].signal()
        }
      }
    }
    var next = 0
    do {
      while next < blocks, failure == nil {
        let slot = next % ring.slots
        ring.ready[slot].wait()
        next += 1
        if let block = ring.results[slot] { finish(block) }
        ring.results[slot] = nil
        try emit(&ring.parts[slot])
        ring.space.signal()
      }
    } catch {
      ring.drain(from: next, workers: workers)
      group.wait()
      throw error
    }
    ring.drain(from: next, workers: workers)
    group.wait()
    return SamplerSummary(scenes: scenes, statistics: zip(totals, touched).filter(\.1).map(\.0), failure: failure)
  }

  /// One block's scenes into `part`, up to its first failure.
  private func sampleBlock<Part>(
    start: UInt64, count: Int, _ ctx: Context, _ part: inout Part, _ add: (inout Part, Scene) -> Void
  ) -> Block {
    var stats = scenarios.map { RejectionStatistics(scenario: $0.ir.name, range: $0.ir.range, checks: $0.infos) }
    var touched = Array(repeating: false, count: scenarios.count)
    var scenes = 0
    for i in 0..<count {
      let outcome = generate(start + UInt64(i), ctx)
      stats[outcome.scenario].merge(outcome.statistics)
      touched[outcome.scenario] = true
      switch outcome.takeResult() {
      case .success(let scene):
        add(&part, scene)
        scenes += 1
      case .failure(let f):
        return Block(statistics: stats, touched: touched, scenes: scenes, failure: f)
      }
    }
    return Block(statistics: stats, touched: touched, scenes: scenes, failure: nil)
  }
}

/// What one block of a stream produced besides its part.
struct Block {
  let statistics: [RejectionStatistics]
  let touched: [Bool]
  let scenes: Int
  let failure: SamplerFailure?
}

/// The ring of parts a parallel stream shares between its workers and the emitting thread.
/// Slot `s` serves blocks `s`, `s + slots`, …. A worker takes a permit from `space` (one per
/// slot, returned when a block is emitted), claims the next block, fills its slot and
/// signals the slot ready; the emitter waits until the slot of the next block in order is
/// ready and empties it. Claimed blocks are consecutive and at most `slots` are not yet
/// emitted, so a claimed block's slot holds nothing else, and the semaphores order every
/// access to a slot's part and result.
final class BlockRing<Part>: @unchecked Sendable {
  let slots: Int
  let blocks: Int
  let parts: UnsafeMutablePointer<Part>
  let results: UnsafeMutablePointer<Block?>
  let space: DispatchSemaphore
  let ready: [DispatchSemaphore]
  /// The next block to claim, and whether the emitter stopped (failure or error).
  private let state = Mutex<(next: Int, stopped: Bool)>((0, false))

  init(slots: Int, blocks: Int, make: () -> Part) {
    self.slots = slots
    self.blocks = blocks
    parts = .allocate(capacity: slots)
    results = .allocate(capacity: slots)
    for s in 0..<slots {
      (parts + s).initialize(to: make())
      (results + s).initialize(to: nil)
    }
    // Created at 0 and raised, so that none is below its initial value when freed.
    space = DispatchSemaphore(value: 0)
    for _ in 0..<slots { space.signal() }
    ready = (0..<slots).map { _ in DispatchSemaphore(value: 0) }
  }

  deinit {
    parts.deinitialize(count: slots)
    parts.deallocate()
    results.deinitialize(count: slots)
    results.deallocate()
  }

  /// The next block for a worker; nil when there are no more or the emitter stopped.
  func claim() -> Int? {
    state.withLock { s in
      guard !s.stopped, s.next < blocks else { return nil }
      s.next += 1
      return s.next - 1
    }
  }

  var isStopped: Bool { state.withLock { $0.stopped } }

  /// Stops claiming, wakes the workers waiting for a permit, and consumes the blocks already
  /// claimed from `next` on (each is filled, or skipped by a worker that saw the stop, and
  /// signalled ready exactly once), so every worker can finish.
  func drain(from next: Int, workers: Int) {
    let claimed = state.withLock { s in
      s.stopped = true
      return s.next
    }
    for _ in 0..<workers { space.signal() }
    for b in next..<max(next, claimed) {
      let slot = b % slots
      ready[slot].wait()
      results[slot] = nil
    }
  }
}
