/// The contract between the prelude's `material Material { … }` and the runtime
/// (docs/scene-model.md, "Materials"): a material is a plain value, the tuple
/// (type name, then these fields in this order). The checker holds the prelude's root
/// `Material` to exactly these fields (E0611), every other material type extends it without
/// adding fields (E0612), and the runtime reads material values by this layout.
public enum MaterialLayout {
  /// The root material type, declared in the prelude.
  public static let rootName = "Material"
  /// The prelude's material that stands for an actor's own finish: its shape's texture and
  /// roughness in its `color` (the default of every actor's `material` field).
  public static let shapeMaterialName = "ShapeMaterial"
  /// The root's fields, in order.
  public static let fieldNames = ["color", "roughness", "metallic", "texture", "emissive", "lidar_reflectivity"]

  /// Why `x` is not a valid value of material field `field` (numbers in base units:
  /// emissive in cd/m²); nil when it is, or when the field has no limit. The checker
  /// applies it to constant values and to the constant bounds of draws (E0610); the
  /// runtime to sampled values.
  public static func problem(field: String, value x: Double) -> String? {
    func format(_ x: Double) -> String {
      x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
    guard x.isFinite else { return "a material's \(field) must be finite" }
    switch field {
    case "roughness", "metallic":
      guard (0...1).contains(x) else { return "a material's \(field) must be between 0 and 1, found \(format(x))" }
    case "lidar_reflectivity":
      guard x <= 1 else {
        return "a material's lidar_reflectivity must be at most 1 (negative: the base colour's luminance), found \(format(x))"
      }
    case "emissive":
      guard x >= 0 else { return "a material's emissive luminance must not be negative, found \(format(x))cd/m^2" }
    case "color":
      guard (0...1).contains(x) else { return "a material's color components must be between 0 and 1, found \(format(x))" }
    default:
      return nil
    }
    return nil
  }
}
