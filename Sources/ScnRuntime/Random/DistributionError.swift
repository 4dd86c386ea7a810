/// A distribution was given parameters outside its domain, or a conditional draw was asked for
/// a bucket the distribution cannot reach. The runtime turns it into a diagnostic that carries
/// the source location of the call.
public struct DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The distribution as the language spells it: `normal`, `uniform_int`, `choice`, ….
  public let distribution: String
  /// The offending parameter: `sd`, `weights[2]`, `bucket`, ….
  public let parameter: String
  /// The whole sentence, e.g. `normal: sd must be > 0, got -1`.
  public let message: String

  public var description: String { message }

  /// An error with a ready-made message (prefer the validating initialisers of the distributions).
  public init(distribution: String, parameter: String, message: String) {
    self.distribution = distribution
    self.parameter = parameter
    self.message = message
  }

  /// `"<distribution>: <parameter> <requirement>, got <value>"`.
  static func invalid(
    _ distribution: String, _ parameter: String, _ requirement: String, got value: Double
  ) -> DistributionError {
    DistributionError(
      distribution: distribution, parameter: parameter,
      message: "\(distribution): \(parameter) \(requirement), got \(formatted(value))")
  }

  static func invalid(
    _ distribution: String, _ parameter: String, _ requirement: String, got value: Int
  ) -> DistributionError {
    DistributionError(
      distribution: distribution, parameter: parameter,
      message: "\(distribution): \(parameter) \(requirement), got \(value)")
  }

  /// Whole numbers print without a fractional part (`-1`, not `-1.0`), as the user wrote them.
  static func formatted(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
      return String(Int64(value))
    }
    return "\(value)"
  }
}

/// Validation helpers shared by the distribution initialisers.
extension DistributionError {
  static func requireFinite(_ value: Double, _ distribution: String, _ parameter: String) throws(DistributionError) {
    guard value.isFinite else { throw .invalid(distribution, parameter, "must be finite", got: value) }
  }

  static func requirePositive(_ value: Double, _ distribution: String, _ parameter: String) throws(DistributionError) {
    try requireFinite(value, distribution, parameter)
    guard value > 0 else { throw .invalid(distribution, parameter, "must be > 0", got: value) }
  }
}
