import Dispatch
import Foundation
import Testing

@testable import ScnDriver

/// `RunState` hands out sample positions and, once a worker finds none left, lends its
/// thread to the workers still rendering (`GenerateSession.run`).
@Suite struct RunStateTests {
  @Test func idleWorkersLendTheirThreads() {
    let state = RunState(total: 3, workers: 2)
    #expect(state.threadsPerSample == 1)
    #expect(state.next() == 0)
    #expect(state.next() == 1)
    #expect(state.next() == 2)
    #expect(state.threadsPerSample == 1)
    // One worker finds nothing left: the other renders on two threads.
    #expect(state.next() == nil)
    #expect(state.threadsPerSample == 2)
    #expect(state.next() == nil)
    #expect(state.threadsPerSample == 1)
  }

  @Test func idleThreadsAreSharedAmongBusyWorkers() {
    let state = RunState(total: 2, workers: 5)
    #expect(state.next() == 0)
    #expect(state.next() == 1)
    for _ in 0..<3 { #expect(state.next() == nil) }
    // Three idle workers, two busy: one more thread each (the third stays idle).
    #expect(state.threadsPerSample == 2)
  }

  @Test func aFailureStopsHandingOutSamples() {
    let state = RunState(total: 4, workers: 1)
    #expect(state.next() == 0)
    state.fail(.dataset("disk full"))
    #expect(state.next() == nil)
    #expect(state.error != nil)
  }
}

/// The workers of a run start on threads of their own (`GenerateSession.onThreads`), so the
/// threads a finished worker lends reach the others' frames: a `concurrentPerform` inside a
/// worker (how `Parallel.forEach` fans a frame's tiles out) runs its iterations at once. Under
/// libdispatch's own `concurrentPerform` as the outer call, the inner one ran serially.
@Suite struct WorkerThreadTests {
  @Test func everyWorkerRunsOnce() {
    let seen = Counter()
    GenerateSession.onThreads(3) { worker in seen.add(worker) }
    #expect(seen.values.sorted() == [0, 1, 2])
    GenerateSession.onThreads(1) { worker in seen.add(10 + worker) }
    #expect(seen.values.sorted() == [0, 1, 2, 10])
  }

  @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount >= 2))
  func aWorkerCanFanOutOnTheThreadAnotherLeft() {
    let met = Counter()
    GenerateSession.onThreads(2) { worker in
      guard worker == 0 else { return }  // worker 1 finds nothing to do, as at a run's end
      // Each of two iterations waits for the other: they meet only if both run at once.
      let arrived = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
      DispatchQueue.concurrentPerform(iterations: 2) { i in
        (i == 0 ? arrived.0 : arrived.1).signal()
        if (i == 0 ? arrived.1 : arrived.0).wait(timeout: .now() + 60) == .success { met.add(i) }
      }
    }
    #expect(met.values.sorted() == [0, 1])
  }
}

/// Integers added from several threads.
private final class Counter: @unchecked Sendable {
  // @unchecked: every access holds `lock`.
  private let lock = NSLock()
  private var items: [Int] = []
  func add(_ value: Int) {
    lock.lock()
    defer { lock.unlock() }
    items.append(value)
  }
  var values: [Int] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
