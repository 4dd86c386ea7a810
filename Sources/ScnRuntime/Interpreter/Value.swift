import ScnSource
import ScnGeometry

/// A value while a scene is being sampled. Quantities are bare `Double`s in base units: the
/// checker has already proved dimensions, and the IR type of each expression says which
/// unit to print.
public enum Value: Sendable, Equatable {
  case bool(Bool)
  case int(Int64)
  case real(Double)
  case string(String)
  case vector(Vec3)
  /// An enum case by name (its type is the expression's IR type).
  case enumCase(String)
  case list([Value])
  case tuple([Value])
  /// An actor or sensor of the attempt, by index into its record table.
  case record(Int)
  case region(Region)
  /// A heading field (`town.road_direction`, `heading_field(f)`, `H relative to F`).
  case field(HeadingField)
  /// A behavior or action invocation with its arguments, run later by the simulator.
  case behavior(BehaviorCall)
  case void

  var asBool: Bool {
    if case .bool(let b) = self { return b }
    return false
  }

  var asDouble: Double {
    switch self {
    case .real(let x): x
    case .int(let i): Double(i)
    default: .nan
    }
  }

  var asInt: Int64 {
    switch self {
    case .int(let i): i
    case .real(let x): Value.clampedInt(x)
    default: 0
    }
  }

  /// `x` truncated to an integer, saturating at the Int64 range (0 for NaN), never trapping.
  static func clampedInt(_ x: Double) -> Int64 {
    guard !x.isNaN else { return 0 }
    if x >= 9.2e18 { return .max }
    if x <= -9.2e18 { return .min }
    return Int64(x)
  }

  var asVector: Vec3 {
    if case .vector(let v) = self { return v }
    if case .tuple(let xs) = self, xs.count == 3 { return Vec3(xs[0].asDouble, xs[1].asDouble, xs[2].asDouble) }
    return .zero
  }

  /// A tuple as the list of its elements (a `for` over a tuple whose elements share a type).
  var tupleAsList: Value {
    if case .tuple(let xs) = self { return .list(xs) }
    return self
  }

  var asList: [Value] {
    switch self {
    case .list(let xs), .tuple(let xs): xs
    default: []
    }
  }
}

/// `with behavior B(args)`: which behavior or action, and its evaluated arguments.
public struct BehaviorCall: Sendable, Equatable {
  public let name: String
  public let arguments: [Value]
  /// Where each argument was written, for errors about one argument (empty when unknown).
  public var argumentRanges: [SourceRange] = []

  public init(name: String, arguments: [Value], argumentRanges: [SourceRange] = []) {
    self.name = name
    self.arguments = arguments
    self.argumentRanges = argumentRanges
  }

  /// Calls are the same when they name the same thing with the same values.
  public static func == (a: BehaviorCall, b: BehaviorCall) -> Bool { a.name == b.name && a.arguments == b.arguments }
}
