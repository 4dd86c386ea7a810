import ScnUnits

/// The checker's view of a type. Quantities carry their dimension (`Float` is the
/// dimensionless quantity); `Color` and other tuple aliases are plain tuples.
public indirect enum SemaType: Hashable, Sendable {
  case bool
  case int
  case string
  /// A real number with a dimension; dimensionless is `Float`.
  case quantity(Dimension)
  /// Three components of one dimension; nil means "any one dimension" (a bare `Vec3`).
  case vector(Dimension?)
  case list(SemaType)
  case tuple([SemaType])
  case enumeration(String)
  case actor(String)
  case sensor(String)
  /// A `material` type (docs/scene-model.md, "Materials"): a plain value.
  case material(String)
  case region
  /// A road network read from an OpenDRIVE file (`map("maps/Town01.xodr")`): usable as a
  /// region (its driving lanes), with members `lanes`, `roads`, `intersections`, …
  case map
  /// A heading field over the plane (`town.road_direction`): `facing F` takes the field's
  /// heading at the actor's position.
  case headingField
  /// An action or behavior invocation (`follow_lane(30km/h)`, `Cross(...)`).
  case behavior
  /// A statement that produces no value.
  case void
  /// The type of an expression that already has an error: accepted everywhere, so one
  /// mistake yields one diagnostic.
  case error

  public static let float = SemaType.quantity(.dimensionless)
  public static let position = SemaType.vector(Dimension(base: "Length"))
  /// An oriented point, `P facing H` or `P facing (yaw, pitch, roll)`: a (Position, Angle,
  /// Angle, Angle) tuple with members `position`, `heading`, `pitch` and `roll` (Scenic's
  /// OrientedPoint).
  public static let orientedPoint = SemaType.tuple([
    .position, .quantity(Dimension(base: "Angle")), .quantity(Dimension(base: "Angle")),
    .quantity(Dimension(base: "Angle")),
  ])
  /// An orientation `(yaw, pitch, roll)`, three angles (`facing (…)`, `offset along (…)`).
  public static let orientation = SemaType.tuple([
    .quantity(Dimension(base: "Angle")), .quantity(Dimension(base: "Angle")), .quantity(Dimension(base: "Angle")),
  ])

  var isError: Bool { self == .error }

  /// Int or any quantity: the operands of arithmetic.
  var isNumeric: Bool {
    switch self {
    case .int, .quantity: true
    default: false
    }
  }

  /// The dimension of a numeric type (Int counts as dimensionless).
  var numericDimension: Dimension? {
    switch self {
    case .int: .dimensionless
    case .quantity(let d): d
    default: nil
    }
  }
}
