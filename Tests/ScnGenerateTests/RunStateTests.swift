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
