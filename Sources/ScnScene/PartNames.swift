import ScnGeometry

/// How `part_materials` names parts (docs/scene-model.md, "Materials"): a part label, a
/// prefix of its words (`wheel` covers `wheel_front_left`), or for a person a group of its
/// material slots. Shared by the checker's W0611 and the runtime's error.
public enum PartNames {
  /// The person groups `part_materials` accepts, as label prefixes (the person's material
  /// slots: skin, clothing, shoes).
  public static let personGroups: [String: [String]] = [
    "skin": ["head", "neck", "hand"], "shirt": ["torso", "upper_arm", "lower_arm"],
    "trousers": ["hips", "upper_leg", "lower_leg"], "shoes": ["foot"],
  ]

  /// Whether part name `name` covers a part labelled `label` of a shape of kind `kind`: the
  /// label itself, a prefix of its words, or a person group.
  public static func covers(_ name: String, label: String, kind: String) -> Bool {
    func prefix(_ p: String) -> Bool { label == p || label.hasPrefix(p + "_") }
    if prefix(name) { return true }
    if kind == "person", let group = personGroups[name] { return group.contains(where: prefix) }
    return false
  }

  /// The part labels a built-in shape kind makes (in build order, each once), for checks
  /// made before any actor is sampled; `rider` matters for a `bicycle` only. Nil for
  /// `asset` (its labels come from the file) and for a kind the builders do not know.
  public static func labels(kind: String, rider: Bool = true) -> [String]? {
    if kind == "bicycle" { return rider ? byKind["bicycle"] : byKind["bicycle/riderless"] }
    return byKind[kind]
  }

  /// The shape kinds of the prelude's `Shape` that `labels(kind:)` knows.
  public static let kinds = [
    "box", "cylinder", "sphere", "frame", "lamp_post", "person", "bicycle", "car", "van", "truck", "bus", "forklift",
    "pallet", "mug", "bottle", "bowl", "can",
  ]

  /// Every kind built once at a size typical of it.
  private static let byKind: [String: [String]] = {
    func size(_ kind: String) -> Vec3 {
      switch kind {
      case "car": Vec3(4.5, 1.8, 1.5)
      case "van": Vec3(5.2, 2, 2.2)
      case "truck": Vec3(8, 2.5, 3.5)
      case "bus": Vec3(12, 2.55, 3.2)
      case "bicycle": Vec3(1.8, 0.6, 1.7)
      case "person": Vec3(0.6, 0.5, 1.75)
      case "forklift": Vec3(3, 1.2, 2.2)
      case "pallet": Vec3(1.2, 0.8, 0.144)
      case "frame": Vec3(2.7, 1.1, 4)
      case "lamp_post": Vec3(0.5, 0.5, 6)
      case "mug", "bottle", "bowl", "can": Vec3(0.12, 0.09, 0.1)
      default: Vec3(1, 1, 1)
      }
    }
    func labels(_ request: ShapeRequest) -> [String] {
      var out: [String] = []
      for part in ActorShapes.parts(request) {
        if let l = part.label, !out.contains(l) { out.append(l) }
      }
      return out
    }
    var table: [String: [String]] = [:]
    for kind in kinds {
      var parameters: [String: ShapeParameter] = [:]
      if kind == "frame" { parameters["levels"] = .reals([2]) }
      if kind == "bicycle" { parameters["rider"] = .flag(true) }
      table[kind] = labels(ShapeRequest(kind: kind, size: size(kind), parameters: parameters))
    }
    table["bicycle/riderless"] = labels(
      ShapeRequest(kind: "bicycle", size: size("bicycle"), parameters: ["rider": .flag(false)]))
    return table
  }()
}
