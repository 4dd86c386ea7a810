/// `uniform_int(a, b)`: every integer in a...b (both ends included) equally likely, without
/// modulo bias (see `RandomStream.nextUInt64(below:)`).
public struct UniformIntDistribution: Sendable {
  /// `a`, included.
  public let lower: Int
  /// `b`, included, ≥ a.
  public let upper: Int

  /// Throws unless a ≤ b.
  public init(lower: Int, upper: Int) throws(DistributionError) {
    guard lower <= upper else {
      throw DistributionError(
        distribution: "uniform_int", parameter: "b",
        message: "uniform_int: b must be ≥ a, got a = \(lower), b = \(upper)")
    }
    self.lower = lower
    self.upper = upper
  }

  /// Number of values, or 0 when the range is all 2⁶⁴ integers.
  var valueCount: UInt64 { UInt64(bitPattern: Int64(upper) &- Int64(lower)) &+ 1 }

  /// P(X = k).
  public func probability(of value: Int) -> Double {
    guard value >= lower, value <= upper else { return 0 }
    let count = valueCount
    return count == 0 ? 0x1p-64 : 1 / Double(count)
  }

  public func sample(using stream: inout RandomStream) -> Int {
    Self.draw(lower, valueCount, &stream)
  }

  /// One draw conditioned on lower ≤ X ≤ upper (a coverage bucket of integers).
  public func conditionalSample(in bucket: ClosedRange<Int>, using stream: inout RandomStream) throws(DistributionError) -> Int {
    let low = max(lower, bucket.lowerBound), high = min(upper, bucket.upperBound)
    guard low <= high else {
      throw DistributionError(
        distribution: "uniform_int", parameter: "bucket",
        message: "uniform_int: bucket \(bucket.lowerBound)...\(bucket.upperBound) has probability 0")
    }
    return Self.draw(low, UInt64(bitPattern: Int64(high) &- Int64(low)) &+ 1, &stream)
  }

  static func draw(_ lower: Int, _ count: UInt64, _ stream: inout RandomStream) -> Int {
    if count == 0 { return Int(truncatingIfNeeded: stream.nextUInt64()) }
    return lower &+ Int(truncatingIfNeeded: stream.nextUInt64(below: count))
  }
}
