import ScnSource
import ScnSyntax
import ScnUnits

/// A top-level declaration, by kind, with the loaded file it comes from.
struct GlobalSymbol {
  enum Kind {
    case dimension, unit, typeAlias, enumeration, actor, sensor, material, constant, variable, function, nativeFunction
    case action, behavior, scenario
  }
  let name: String
  let kind: Kind
  let file: Int
  let decl: Decl
}

/// A callable's signature: parameters in order (with defaults) and the result type.
struct Signature {
  struct Parameter {
    let name: String
    let type: SemaType
    let defaultValue: TypedExpr?
  }
  let parameters: [Parameter]
  let result: SemaType
}

/// An actor or sensor type with inheritance resolved.
final class RecordInfo {
  let name: String
  let isSensor: Bool
  /// A `material` type: its values are plain values (tuples), not actors.
  var isMaterial = false
  let bases: [String]
  /// Flattened, base fields first; an override keeps the base's position.
  var fieldOrder: [String] = []
  var fields: [String: CheckedField] = [:]

  init(name: String, isSensor: Bool, bases: [String]) {
    self.name = name
    self.isSensor = isSensor
    self.bases = bases
  }
}

/// Lazily computed facts with cycle detection: `.inProgress` while a value is being
/// computed, so a reference back to it is a cycle rather than infinite recursion.
enum Lazy<T> {
  case inProgress
  case done(T)
}
