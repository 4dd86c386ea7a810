import ScnGeometry

/// A value an actor gives its shape builder: the actor's fields, in language-neutral form.
public enum ShapeParameter: Hashable, Sendable {
  case real(Double)
  /// A colour field (the language's `Color`), already converted to linear RGB.
  case colour(RGB)
  /// An enum case or string.
  case name(String)
  case reals([Double])
  case flag(Bool)

  public var real: Double? {
    if case .real(let x) = self, x.isFinite { return x }
    return nil
  }
}

/// What to build for one actor: the prelude's `shape` (`box`, `cylinder`, `sphere`, `frame`,
/// `person`, `car`, `van`, `truck`, `bus`, `bicycle`, `forklift`, `pallet`, `mug`, `bottle`,
/// `bowl`, `can`), its size box (length x, width y, height z) and every other field by name.
public struct ShapeRequest: Hashable, Sendable {
  public var kind: String
  public var size: Vec3
  public var parameters: [String: ShapeParameter]
  /// The imported asset of an actor whose shape is `asset` (nil for every other kind).
  public var asset: ImportedAsset?

  public init(kind: String, size: Vec3, parameters: [String: ShapeParameter] = [:], asset: ImportedAsset? = nil) {
    self.kind = kind
    self.size = size
    self.parameters = parameters
    self.asset = asset
  }

  public func real(_ name: String) -> Double? { parameters[name]?.real }
  public func colour(_ name: String) -> RGB? {
    if case .colour(let c)? = parameters[name] { return c }
    return nil
  }
  public func name(_ name: String) -> String? {
    if case .name(let s)? = parameters[name] { return s }
    return nil
  }
}

/// The one place an actor's physical shape is built (docs/scene-model.md): the sampler's
/// overlap and visibility tests, physics' collision shapes and every sensor read the parts
/// returned here, in the object frame (origin at the bottom centre, heading along +x).
public enum ActorShapes {
  /// The distance one gait cycle (two steps) covers for a person on the move (a running one
  /// runs, any other but a sitting one walks), whose parts then follow the request's
  /// `gait_phase` (distance travelled / stride) with `pose` `walking` or `running`; nil for
  /// shapes that stay rigid as they move.
  public static func gaitStride(_ request: ShapeRequest) -> Double? {
    request.kind == "person" ? Person.strideLength(pose: request.name("pose"), stature: request.size.z) : nil
  }

  /// Parts for `request`; an unknown kind, or a size that is not positive and finite,
  /// gives the size box (the checker only lets the prelude's kinds through).
  public static func parts(_ request: ShapeRequest) -> [Part] {
    let s = request.size
    let l = s.x, w = s.y, h = s.z
    guard l > 0, w > 0, h > 0, l.isFinite, w.isFinite, h.isFinite else { return [] }
    switch request.kind {
    case "cylinder":
      return [Part(.cylinder(radius: Swift.min(l, w) / 2, height: h), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    case "sphere":
      return [Part(.sphere(radius: Swift.min(l, w, h) / 2), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    case "frame":
      return frame(length: l, width: w, height: h, levels: request.parameters["levels"])
    case "lamp_post":
      return lampPost(length: l, width: w, height: h)
    case "person":
      return Person.parts(request)
    case "bicycle":
      return Bicycle.parts(request)
    case "asset":
      guard let asset = request.asset else { return [Part(.box(size: s), transform: Transform(translation: Vec3(0, 0, h / 2)))] }
      return Imported.parts(asset, size: s)
    case let kind where Vehicle.Kind(rawValue: kind) != nil:
      return Vehicle.Kind(rawValue: kind).map { Vehicle.parts($0, request) } ?? []
    case let kind where Prop.Kind(rawValue: kind) != nil:
      return Prop.Kind(rawValue: kind).map { Prop.parts($0, request) } ?? []
    default:
      return [Part(.box(size: s), transform: Transform(translation: Vec3(0, 0, h / 2)))]
    }
  }

  /// The prelude's `Shape.lamp_post`: a pole (radius 0.08 m, or less in a thinner footprint)
  /// up to a 0.15 m lamp head that fills the footprint at the top; the head is the lamp.
  static func lampPost(length l: Double, width w: Double, height h: Double) -> [Part] {
    let head = Swift.min(0.15, h / 2)
    let radius = Swift.min(0.08, Swift.min(l, w) / 2)
    return [
      Part(.cylinder(radius: radius, height: h - head), transform: Transform(translation: Vec3(0, 0, (h - head) / 2)),
           label: "pole"),
      Part(.box(size: Vec3(l, w, head)), transform: Transform(translation: Vec3(0, 0, h - head / 2)), label: "lamp_head",
           role: .lamp(.street)),
    ]
  }

  /// The prelude's `Shape.frame`: four 0.04 × 0.1 m uprights and a pair of 0.12 × 0.05 m
  /// beams at each level strictly between 0.12 m and the height, and at the top.
  static func frame(length l: Double, width w: Double, height h: Double, levels given: ShapeParameter?) -> [Part] {
    var parts: [Part] = []
    for sx in [-1.0, 1.0] {
      for sy in [-1.0, 1.0] {
        parts.append(
          Part(.box(size: Vec3(0.04, 0.1, h)), transform: Transform(translation: Vec3(sx * (l / 2 - 0.02), sy * (w / 2 - 0.05), h / 2)),
               label: "upright"))
      }
    }
    var levels: [Double] = []
    if case .reals(let xs)? = given { levels = xs.filter { $0.isFinite && $0 > 0.12 && $0 < h } }
    levels.append(h)
    // Written as twice the half length so the half extents equal `l / 2 − 0.04` exactly.
    let beamLength = 2 * Swift.max(0.005, l / 2 - 0.04)
    for level in levels {
      for sy in [-1.0, 1.0] {
        parts.append(
          Part(.box(size: Vec3(beamLength, 0.05, 0.12)), transform: Transform(translation: Vec3(0, sy * (w / 2 - 0.025), level - 0.06)),
               label: "beam"))
      }
    }
    return parts
  }
}
