import ScnGeometry
import ScnScene
import ScnUnits

/// The language's material values → the scene model's `Material` (docs/scene-model.md,
/// "Materials"). A material value is the tuple (type name, then `MaterialLayout.fieldNames`
/// in order), which the checker builds; an actor's `material` field sets its object material
/// and `part_materials` single parts'.
enum MaterialValues {
  /// One `part_materials` pair: a part name (label, label prefix or person group) and its
  /// material.
  struct PartMaterial: Sendable, Hashable {
    var name: String
    /// nil: `ShapeMaterial`, the object's own material.
    var material: Material?
  }

  /// The person groups `part_materials` accepts (`PartNames.personGroups`).
  static var personGroups: [String: [String]] { PartNames.personGroups }

  /// The material a value stands for; nil for `ShapeMaterial` (the shape's own finish) or a
  /// value that is not a material. Throws for a field outside its range (`MaterialLayout`),
  /// which only a random value can reach (the checker rejects constant ones, E0610).
  static func material(_ v: Value, actor: String, field: String) throws(SceneModelError) -> Material? {
    guard case .tuple(let xs) = v, xs.count == MaterialLayout.fieldNames.count + 1, case .string(let type) = xs[0] else {
      return nil
    }
    if type == MaterialLayout.shapeMaterialName { return nil }
    guard case .tuple(let c) = xs[1], c.count == 3 else { return nil }
    let srgb = [c[0].asDouble, c[1].asDouble, c[2].asDouble]
    let roughness = xs[2].asDouble, metallic = xs[3].asDouble, emissive = xs[5].asDouble, lidar = xs[6].asDouble
    var texture = SurfaceTexture.plain
    if case .enumCase(let name) = xs[4], let t = SurfaceTexture(rawValue: name) { texture = t }
    let checks = srgb.map { ("color", $0) } + [
      ("roughness", roughness), ("metallic", metallic), ("emissive", emissive), ("lidar_reflectivity", lidar),
    ]
    for (name, x) in checks {
      if let problem = MaterialLayout.problem(field: name, value: x) {
        throw SceneModelError(description: "actor '\(actor)': its \(field) (a \(type)) has \(problem)")
      }
    }
    let base = RGB.fromSRGB(srgb[0], srgb[1], srgb[2])
    var glow = RGB.black
    if emissive > 0 {
      // Emission in the base colour's hue, scaled to the stated luminance (white when black).
      let hue = base.luminance > 1e-6 ? base : RGB(1, 1, 1)
      let k = emissive / hue.luminance
      glow = RGB(hue.red * k, hue.green * k, hue.blue * k)
    }
    return Material(
      baseColour: base, roughness: roughness, metallic: metallic, emissive: glow,
      lidarReflectivity: lidar < 0 ? nil : lidar, texture: texture)
  }

  /// The pairs of a `part_materials` value, in order.
  static func partMaterials(_ v: Value, actor: String) throws(SceneModelError) -> [PartMaterial] {
    guard case .list(let pairs) = v else { return [] }
    var out: [PartMaterial] = []
    for pair in pairs {
      guard case .tuple(let xs) = pair, xs.count == 2, case .string(let name) = xs[0] else { continue }
      let material = try material(xs[1], actor: actor, field: "part_materials entry '\(name)'")
      // `ShapeMaterial` for a part: the object's own material.
      out.append(PartMaterial(name: name, material: material))
    }
    return out
  }

  /// Whether part name `name` (of `part_materials`) covers a part labelled `label` of a
  /// shape of kind `kind` (`PartNames.covers`).
  static func covers(_ name: String, label: String, kind: String) -> Bool {
    PartNames.covers(name, label: label, kind: kind)
  }

  /// Gives each part its material from `pairs` (later pairs win), `object` for pairs of
  /// `ShapeMaterial`. Throws for a name that covers no part.
  static func apply(
    _ pairs: [PartMaterial], to parts: inout [Part], object: Material, kind: String, actor: String
  ) throws(SceneModelError) {
    for pair in pairs {
      var matched = false
      for k in parts.indices {
        guard let label = parts[k].label, covers(pair.name, label: label, kind: kind) else { continue }
        parts[k].material = pair.material ?? object
        matched = true
      }
      if !matched {
        var labels: [String] = []
        for p in parts { if let l = p.label, !labels.contains(l) { labels.append(l) } }
        let groups = kind == "person" ? " or a group (\(personGroups.keys.sorted().joined(separator: ", ")))" : ""
        throw SceneModelError(
          description: "actor '\(actor)' sets the material of part '\(pair.name)', which its shape '\(kind)' does not have "
            + (labels.isEmpty
              ? "(it has no labelled parts)"
              : "(part labels: \(labels.prefix(24).joined(separator: ", "))\(labels.count > 24 ? ", …" : "")\(groups))"))
      }
    }
  }
}
