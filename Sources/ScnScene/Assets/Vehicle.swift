import ScnGeometry

/// The prelude's `Shape.car`, `van`, `truck` and `bus` (docs/scene-model.md): a lower body
/// box, an upper body (cabin, cargo box or saloon) whose windows are `.glass` panes lying on
/// its faces, four wheels (cylinders across the car), and head and tail lamps (`.lamp`)
/// on the front and rear faces. Proportions are fractions of the size box, so every part
/// lies inside it; `wheelbase` (when the actor has one) places the axles.
enum Vehicle {
  enum Kind: String, CaseIterable, Sendable { case car, van, truck, bus }

  struct Key: Hashable, Sendable {
    var kind: Kind
    var size: Vec3
    var wheelbase: Double
  }

  struct Piece: Sendable {
    var label: String
    var shape: PartShape
    var transform: Transform
    /// nil: the body colour (the object's material).
    var material: Material?
    var role: PartRole
  }

  static let tyre = Material(baseColour: RGB(0.02, 0.02, 0.02), roughness: 0.9, lidarReflectivity: 0.05)
  static let glass = Material(baseColour: RGB(0.015, 0.02, 0.025), roughness: 0.05, lidarReflectivity: 0.02)
  static let headLamp = Material(baseColour: RGB(0.85, 0.85, 0.8), roughness: 0.1)
  static let tailLamp = Material(baseColour: RGB(0.45, 0.01, 0.01), roughness: 0.1)
  static let trim = Material(baseColour: RGB(0.03, 0.03, 0.035), roughness: 0.6)

  static func parts(_ kind: Kind, _ request: ShapeRequest) -> [Part] {
    let wheelbase = request.real("wheelbase") ?? request.size.x * 0.6
    let key = Key(kind: kind, size: request.size, wheelbase: wheelbase)
    return AssetCache.shared.vehicle(key) { build($0) }.map { piece in
      Part(piece.shape, transform: piece.transform, material: piece.material, label: piece.label, role: piece.role)
    }
  }

  /// Layout of one kind, in fractions of the size box.
  struct Layout {
    /// Bottom and top of the lower body (fractions of height).
    var clearance: Double
    var beltline: Double
    /// The upper body: its bottom rectangle (x from, x to as fractions of length from the
    /// rear, half width as a fraction of width) and its top rectangle.
    var upperBottom: (Double, Double, Double)
    var upperTop: (Double, Double, Double)
    var upperTopZ: Double
    /// Side windows: span along the side and up it (fractions of the side face).
    var sideGlass: ClosedRange<Double>
    var sideGlassUp: ClosedRange<Double>
    var rearGlass: Bool
    /// A separate cargo box behind the cab (trucks): x from, x to, bottom z.
    var cargo: (Double, Double, Double)?
    var wheelRadius: Double
  }

  static func layout(_ kind: Kind) -> Layout {
    switch kind {
    case .car:
      Layout(
        clearance: 0.12, beltline: 0.6, upperBottom: (0.12, 0.72, 0.46), upperTop: (0.2, 0.5, 0.4), upperTopZ: 1,
        sideGlass: 0.06...0.94, sideGlassUp: 0.1...0.88, rearGlass: true, cargo: nil, wheelRadius: 0.21)
    case .van:
      Layout(
        clearance: 0.1, beltline: 0.42, upperBottom: (0.005, 0.83, 0.49), upperTop: (0.005, 0.72, 0.47), upperTopZ: 1,
        sideGlass: 0.8...0.97, sideGlassUp: 0.15...0.8, rearGlass: false, cargo: nil, wheelRadius: 0.14)
    case .truck:
      Layout(
        clearance: 0.1, beltline: 0.34, upperBottom: (0.79, 0.995, 0.49), upperTop: (0.79, 0.97, 0.47), upperTopZ: 0.85,
        sideGlass: 0.45...0.92, sideGlassUp: 0.45...0.9, rearGlass: false, cargo: (0.005, 0.775, 0.3), wheelRadius: 0.16)
    case .bus:
      Layout(
        clearance: 0.1, beltline: 0.36, upperBottom: (0.005, 0.995, 0.49), upperTop: (0.01, 0.99, 0.485), upperTopZ: 1,
        sideGlass: 0.04...0.96, sideGlassUp: 0.12...0.85, rearGlass: true, cargo: nil, wheelRadius: 0.15)
    }
  }

  static func build(_ key: Key) -> [Piece] {
    let l = key.size.x, w = key.size.y, h = key.size.z
    let layout = layout(key.kind)
    var pieces: [Piece] = []
    func mesh(_ label: String, _ material: Material?, _ role: PartRole = .solid, _ make: (inout MeshBuilder) -> Void) {
      var b = MeshBuilder(smooth: false)
      make(&b)
      pieces.append(Piece(label: label, shape: .mesh(b.mesh()), transform: .identity, material: material, role: role))
    }
    func x(_ f: Double) -> Double { -l / 2 + f * l }
    // The lower body stops 1 cm short of the front and rear faces, where the lamps are, and
    // 2 cm short of the sides, where the tyres' outer faces are.
    let lamp = Swift.min(0.01, l * 0.01)
    let bottom = layout.clearance * h, belt = layout.beltline * h
    pieces.append(
      Piece(
        label: "body", shape: .box(size: Vec3(l - 2 * lamp, Swift.max(0.01, w - 0.04), belt - bottom)),
        transform: Transform(translation: Vec3(0, 0, (bottom + belt) / 2)), material: nil, role: .solid))
    let frustum = Frustum(
      bottom: .init(x0: x(layout.upperBottom.0), x1: x(layout.upperBottom.1), halfWidth: layout.upperBottom.2 * w, z: belt),
      top: .init(x0: x(layout.upperTop.0), x1: x(layout.upperTop.1), halfWidth: layout.upperTop.2 * w, z: layout.upperTopZ * h))
    mesh(key.kind == .truck ? "cab" : "cabin", nil) { b in b.frustum(bottom: frustum.bottom, top: frustum.top) }
    if let cargo = layout.cargo {
      let size = Vec3((cargo.1 - cargo.0) * l, w - 0.02, h - cargo.2 * h)
      pieces.append(
        Piece(
          label: "cargo_box", shape: .box(size: size),
          transform: Transform(translation: Vec3(x((cargo.0 + cargo.1) / 2), 0, cargo.2 * h + size.z / 2)),
          material: nil, role: .solid))
    }
    // Windows: panes 5 mm proud of the upper body's faces.
    let offset = 0.005
    mesh("windscreen", glass, .glass) { b in
      let q = frustum.pane(.front, along: 0.06...0.94, up: 0.08...0.9, offset: offset)
      b.quad(q.0, q.1, q.2, q.3)
    }
    if layout.rearGlass {
      mesh("rear_window", glass, .glass) { b in
        let q = frustum.pane(.back, along: 0.1...0.9, up: 0.15...0.85, offset: offset)
        b.quad(q.0, q.1, q.2, q.3)
      }
    }
    for (side, label) in [(Frustum.Side.left, "side_windows_left"), (.right, "side_windows_right")] {
      mesh(label, glass, .glass) { b in
        // The left side runs front to back, the right back to front.
        let along = side == .left ? (1 - layout.sideGlass.upperBound)...(1 - layout.sideGlass.lowerBound) : layout.sideGlass
        let q = frustum.pane(side, along: along, up: layout.sideGlassUp, offset: offset)
        b.quad(q.0, q.1, q.2, q.3)
      }
    }
    // Wheels: axles `wheelbase` apart, centred on the body; tyres' outer faces flush with the sides.
    let radius = Swift.min(layout.wheelRadius * h, 0.3 * l, w / 3)
    let tyreWidth = Swift.min(0.3, 0.12 * w + 0.02)
    let axle = Swift.max(0, Swift.min(key.wheelbase / 2, l / 2 - radius - 0.02))
    let across = Quaternion(axis: .unitX, angle: Double.pi / 2)
    for (name, ax) in [("front", axle), ("rear", -axle)] {
      for (sideName, sy) in [("left", 1.0), ("right", -1.0)] {
        pieces.append(
          Piece(
            label: "wheel_\(name)_\(sideName)", shape: .cylinder(radius: radius, height: tyreWidth),
            transform: Transform(rotation: across, translation: Vec3(ax, sy * (w / 2 - tyreWidth / 2), radius)),
            material: tyre, role: .solid))
      }
    }
    // Lamps: a pair at each end, on the lower body's top third, standing out by the 1 cm gap.
    let lampHeight = Swift.min(0.15, (belt - bottom) * 0.3)
    let lampWidth = Swift.min(0.3, 0.16 * w)
    let lampZ = belt - lampHeight / 2 - (belt - bottom) * 0.12
    for (sideName, sy) in [("left", 1.0), ("right", -1.0)] {
      let y = sy * (w / 2 - 0.04 - lampWidth / 2)
      pieces.append(
        Piece(
          label: "head_lamp_\(sideName)", shape: .box(size: Vec3(2 * lamp, lampWidth, lampHeight)),
          transform: Transform(translation: Vec3(l / 2 - lamp, y, lampZ)), material: headLamp, role: .lamp(.head)))
      pieces.append(
        Piece(
          label: "tail_lamp_\(sideName)", shape: .box(size: Vec3(2 * lamp, lampWidth, lampHeight)),
          transform: Transform(translation: Vec3(-l / 2 + lamp, y, lampZ)), material: tailLamp, role: .lamp(.tail)))
    }
    return pieces
  }
}
