/// A column of real measurements a scenario's `empirical(...)` draws from, as the card's
/// privacy section lists it and the privacy audit reads it.
public struct RealDataInput: Sendable, Equatable, Codable {
  /// The file as the scenario names it, relative to the scenario's folder.
  public var path: String
  public var sha256: String
  public var column: String
  /// The unit the file's numbers are in, as the scenario writes it (`m/s`); empty for plain numbers.
  public var unit: String
  /// The Gaussian kernel's bandwidth, in the file's unit.
  public var bandwidth: Double
  /// Whether the scenario declared the bandwidth (else Silverman's rule of thumb chose it).
  public var bandwidthDeclared: Bool
  /// The column, in the file's unit and order.
  public var values: [Double]

  public init(
    path: String, sha256: String, column: String, unit: String, bandwidth: Double, bandwidthDeclared: Bool,
    values: [Double]
  ) {
    self.path = path
    self.sha256 = sha256
    self.column = column
    self.unit = unit
    self.bandwidth = bandwidth
    self.bandwidthDeclared = bandwidthDeclared
    self.values = values
  }
}

/// `@privacy(min_record_distance: d, max_share: s)`: at most the share `s` of generated
/// records may lie closer than `d` (in standard deviations of their column) to a real record.
public struct PrivacyPolicy: Sendable, Equatable, Codable {
  public var minRecordDistance: Double
  public var maxShare: Double
  public init(minRecordDistance: Double, maxShare: Double) {
    self.minRecordDistance = minRecordDistance
    self.maxShare = maxShare
  }
}

/// One generated value drawn from a real-data column, as `samples.jsonl` records it:
/// `input` indexes the card's `realData`, `value` is in the file's unit.
public struct RealDataDraw: Sendable, Equatable {
  public var input: Int
  public var value: Double
  public init(input: Int, value: Double) {
    self.input = input
    self.value = value
  }
}
