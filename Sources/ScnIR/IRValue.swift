import ScnUnits

/// A constant known at compile time. Quantities are in base units.
public indirect enum IRValue: Hashable, Sendable, Encodable {
  case bool(Bool)
  case int(Int64)
  case real(Double, Dimension)
  case string(String)
  case vector(Double, Double, Double, Dimension)
  case color(Double, Double, Double)
  case enumCase(type: String, name: String)
  case list([IRValue])
  case tuple([IRValue])
}
