/// `shuffle(xs)` and `sample(xs, k)` as index permutations: the caller applies them to its
/// list. Both run the same forward Fisher–Yates pass (position i swaps with a uniform j in
/// i..<count), so `shuffle(n)` equals `sample(n, n)` and `sample(n, k)` is a prefix of the
/// shuffle drawn from the same stream.
public enum Permutations {
  /// A uniformly random permutation of 0..<count.
  public static func shuffle(count: Int, using stream: inout RandomStream) throws(DistributionError) -> [Int] {
    guard count >= 0 else { throw .invalid("shuffle", "count", "must be ≥ 0", got: count) }
    return partialFisherYates(count: count, k: count, &stream, dense: true)
  }

  /// k distinct indices from 0..<count, in random order (every ordered k-tuple equally likely).
  public static func sample(count: Int, k: Int, using stream: inout RandomStream) throws(DistributionError) -> [Int] {
    guard count >= 0 else { throw .invalid("sample", "count", "must be ≥ 0", got: count) }
    guard k >= 0, k <= count else {
      throw DistributionError(
        distribution: "sample", parameter: "k",
        message: "sample: k must be in 0...\(count) (the list length), got \(k)")
    }
    return partialFisherYates(count: count, k: k, &stream, dense: count <= 4096 || count <= 4 * k)
  }

  /// Dense when the array is cheap, sparse (a map of displaced entries, never iterated) when
  /// k is small against count; both consume the same draws and give the same result.
  static func partialFisherYates(count: Int, k: Int, _ stream: inout RandomStream, dense: Bool) -> [Int] {
    if dense {
      var items = Array(0..<count)
      for i in 0..<k where count - i > 1 {
        let j = i + Int(stream.nextUInt64(below: UInt64(count - i)))
        items.swapAt(i, j)
      }
      return Array(items.prefix(k))
    }
    var displaced: [Int: Int] = [:]
    var result: [Int] = []
    result.reserveCapacity(k)
    for i in 0..<k {
      let j = count - i > 1 ? i + Int(stream.nextUInt64(below: UInt64(count - i))) : i
      let atJ = displaced[j] ?? j
      displaced[j] = displaced[i] ?? i
      result.append(atJ)
    }
    return result
  }
}
