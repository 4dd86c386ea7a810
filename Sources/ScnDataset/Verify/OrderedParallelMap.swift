import Foundation

/// Runs independent work items on all cores and returns the results in item order, so the
/// output is the same for any number of threads.
enum OrderedParallelMap {
  static func map<T: Sendable>(count: Int, _ work: @Sendable (Int) -> T) -> [T] {
    let slots = Slots<T>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
      slots.set(index, work(index))
    }
    return slots.values()
  }

  /// Result slots filled from several threads; each index is written once, under the lock.
  private final class Slots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [T?]

    init(count: Int) { storage = [T?](repeating: nil, count: count) }

    func set(_ index: Int, _ value: T) {
      lock.lock()
      storage[index] = value
      lock.unlock()
    }

    func values() -> [T] {
      lock.lock()
      defer { lock.unlock() }
      return storage.compactMap { $0 }
    }
  }
}
