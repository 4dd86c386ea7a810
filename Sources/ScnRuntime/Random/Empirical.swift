/// `empirical(...)`: a column of real measurements resampled with a Gaussian kernel. A draw
/// picks a row uniformly (`nextUInt64(below:)`) and, when the bandwidth is above 0, adds
/// `bandwidth · z` with z standard normal (one more word of the site's stream, through the normal quantile). The column
/// is in base units and in file order, so the draw depends only on the file's bytes.
public struct EmpiricalLaw: Sendable {
  public let values: [Double]
  public let bandwidth: Double

  public init(values: [Double], bandwidth: Double) throws(DistributionError) {
    guard !values.isEmpty else {
      throw DistributionError(distribution: "empirical", parameter: "column", message: "empirical: the column has no rows")
    }
    guard bandwidth >= 0, bandwidth.isFinite else {
      throw DistributionError(
        distribution: "empirical", parameter: "bandwidth", message: "empirical: bandwidth must be 0 or more, got \(bandwidth)")
    }
    self.values = values
    self.bandwidth = bandwidth
  }

  public func sample(using stream: inout RandomStream) -> Double {
    let row = Int(stream.nextUInt64(below: UInt64(values.count)))
    let x = values[row]
    guard bandwidth > 0 else { return x }
    return x + bandwidth * StandardNormal.quantile(stream.nextDoubleOpen())
  }
}

/// One `empirical` column a program reads: what the card's privacy section lists and the
/// audit compares generated values against.
public struct EmpiricalColumn: Sendable, Hashable {
  /// The file as the scenario names it (relative to its folder), and its SHA-256.
  public let path: String
  public let sha256: String
  public let column: String
  /// The unit of the file's numbers as the scenario writes it (`m/s`); empty for plain numbers.
  public let unit: String
  /// Base units per unit of the file's numbers (1 for plain numbers).
  public let unitFactor: Double
  /// The kernel's bandwidth in base units, and whether the scenario declared it.
  public let bandwidth: Double
  public let bandwidthDeclared: Bool
  /// The column in base units, file order.
  public let values: [Double]
}

/// One generated value drawn from an `empirical` column in an accepted sample.
public struct EmpiricalDraw: Sendable, Equatable {
  /// Index into the sampler's `empiricalColumns`.
  public let column: Int
  public let value: Double
}
