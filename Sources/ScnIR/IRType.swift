import ScnUnits

/// The types the runtime sees. Quantities carry their dimension; values are stored in the
/// coherent base units (m, s, kg, rad, lx …), so the runtime never converts units.
public indirect enum IRType: Hashable, Sendable, CustomStringConvertible, Encodable {
  case bool
  case int
  /// A real number with a dimension; dimensionless is `Float`.
  case quantity(Dimension)
  case string
  /// Three components of one dimension: `Position` is `vector(Length)`, `Vec3` dimensionless.
  case vector(Dimension)
  case color
  case region
  /// A heading field: an orientation at each point of the plane (`town.road_direction`,
  /// `heading_field(f)`).
  case field
  case list(IRType)
  case tuple([IRType])
  case enumeration(String)
  case actor(String)
  case sensor(String)
  /// A behavior or action invocation, run by the simulator.
  case behavior
  /// Statements and actions that produce no value.
  case void

  public static let float = IRType.quantity(.dimensionless)

  public var description: String {
    switch self {
    case .bool: "Bool"
    case .int: "Int"
    case .quantity(let d): d.isDimensionless ? "Float" : "Quantity<\(d)>"
    case .string: "String"
    case .vector(let d): d.isDimensionless ? "Vec3" : "Vec3<\(d)>"
    case .color: "Color"
    case .region: "Region"
    case .field: "HeadingField"
    case .list(let t): "[\(t)]"
    case .tuple(let ts): "(" + ts.map(\.description).joined(separator: ", ") + ")"
    case .enumeration(let n): n
    case .actor(let n): n
    case .sensor(let n): n
    case .behavior: "Behavior"
    case .void: "Void"
    }
  }
}
