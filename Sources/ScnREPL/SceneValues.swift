import ScnEncoding
import ScnRuntime

/// One value of a scene as `:hist` counts it: a number in base units, or a label (an enum
/// case, `true`/`false`, a string).
public enum Observation: Sendable, Equatable {
  case number(Double, unit: String)
  case label(String)
}

/// The named values of a scene `:hist` can reach: params, cover points, environment
/// fields, and per actor `ACTOR.x`, `.y`, `.z`, `.heading` (degrees) and its fields.
public enum SceneValues {
  /// Every name that has a countable value in `scene`, in scene order.
  public static func names(in scene: Scene) -> [String] {
    var out = scene.params.map(\.name) + scene.covers.map(\.name) + scene.environment.map(\.name)
    for a in scene.actors {
      out += ["x", "y", "z", "heading"].map { a.name + "." + $0 }
      out += a.fields.map { a.name + "." + $0.name }
    }
    var seen = Set<String>()
    return out.filter { seen.insert($0).inserted && observe($0, in: scene) != nil }
  }

  /// The value called `name` in `scene`, or nil when there is none or it is not a number
  /// or a label (a list, a region, an actor reference).
  public static func observe(_ name: String, in scene: Scene) -> Observation? {
    if let p = scene.params.first(where: { $0.name == name }) { return observation(scene.json(p.value, p.type)) }
    if let c = scene.covers.first(where: { $0.name == name }) { return observation(scene.json(c.value, c.type)) }
    if let e = scene.environment.first(where: { $0.name == name }) { return observation(scene.json(e.value, e.type)) }
    guard let dot = name.lastIndex(of: ".") else { return nil }
    let actorName = String(name[..<dot])
    let field = String(name[name.index(after: dot)...])
    guard let actor = scene.actors.first(where: { $0.name == actorName }) else { return nil }
    switch field {
    case "x": return .number(actor.position.x, unit: "m")
    case "y": return .number(actor.position.y, unit: "m")
    case "z": return .number(actor.position.z, unit: "m")
    case "heading": return .number(actor.heading * 180 / .pi, unit: "deg")
    default:
      return actor.fields.first { $0.name == field }.flatMap { observation(scene.json($0.value, $0.type)) }
    }
  }

  /// A value's JSON (`Scene.json`) as a number with its unit or a label; nil otherwise.
  static func observation(_ json: JSONValue) -> Observation? {
    switch json {
    case .double(let x): return x.isFinite ? .number(x, unit: "") : nil
    case .int(let i): return .number(Double(i), unit: "")
    case .unsigned(let u): return .number(Double(u), unit: "")
    case .bool(let b): return .label(b ? "true" : "false")
    case .string(let s): return .label(s)
    case .object(let pairs):
      guard pairs.count == 2, pairs[0].0 == "value", pairs[1].0 == "unit", case .string(let unit) = pairs[1].1 else {
        return nil
      }
      switch pairs[0].1 {
      case .double(let x) where x.isFinite: return .number(x, unit: unit)
      case .int(let i): return .number(Double(i), unit: unit)
      default: return nil
      }
    case .null, .array: return nil
    }
  }
}
