import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Runs independent work items on a fixed number of threads. Items are dealt out
/// round-robin (item i goes to worker i mod threads), so which thread ran an item never
/// matters: each item must write only its own outputs.
enum Parallel {
  static var coreCount: Int { Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  static func forEach(count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
    let workers = Swift.max(1, Swift.min(threads, count))
    if workers == 1 {
      for i in 0..<count { body(i) }
      return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      var i = worker
      while i < count {
        body(i)
        i += workers
      }
    }
  }

  /// `forEach` with each worker's items handed to `body` at once, in the order that worker
  /// runs them (worker w: w, w + workers, …), so that it can set up what its items share
  /// (scratch space) once rather than per item.
  static func forEachWorker(count: Int, threads: Int, _ body: @Sendable (StrideTo<Int>) -> Void) {
    let workers = Swift.max(1, Swift.min(threads, count))
    if workers == 1 {
      body(stride(from: 0, to: count, by: 1))
      return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      body(stride(from: worker, to: count, by: workers))
    }
  }
}

/// A raw buffer handed to parallel workers that write disjoint elements.
struct SharedBuffer<Element>: @unchecked Sendable {
  // @unchecked: callers guarantee each index is written by exactly one worker.
  let base: UnsafeMutablePointer<Element>
}
