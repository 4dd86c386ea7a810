import ScnGeometry

/// The prelude's `Shape.pallet`, `forklift`, `mug`, `bottle`, `bowl` and `can`
/// (docs/scene-model.md): warehouse and tabletop objects built from boxes, cylinders and
/// lathed meshes, every part inside the size box.
enum Prop {
  enum Kind: String, CaseIterable, Sendable { case pallet, forklift, mug, bottle, bowl, can }

  struct Key: Hashable, Sendable {
    var kind: Kind
    var size: Vec3
  }

  static func parts(_ kind: Kind, _ request: ShapeRequest) -> [Part] {
    AssetCache.shared.prop(Key(kind: kind, size: request.size)) { build($0) }
  }

  static let rubber = Material(baseColour: RGB(0.02, 0.02, 0.02), roughness: 0.9, lidarReflectivity: 0.05)
  static let steel = Material(baseColour: RGB(0.05, 0.05, 0.05), roughness: 0.4, metallic: 1)
  static let aluminium = Material(baseColour: RGB(0.6, 0.6, 0.62), roughness: 0.3, metallic: 1)
  static let cap = Material(baseColour: RGB(0.02, 0.15, 0.6), roughness: 0.4)

  static func build(_ key: Key) -> [Part] {
    let l = key.size.x, w = key.size.y, h = key.size.z
    switch key.kind {
    case .pallet: return pallet(l, w, h)
    case .forklift: return forklift(l, w, h)
    case .mug: return mug(l, w, h)
    case .bottle: return bottle(l, w, h)
    case .bowl: return bowl(l, w, h)
    case .can: return can(l, w, h)
    }
  }

  static func box(_ label: String, _ lower: Vec3, _ upper: Vec3, _ material: Material? = nil) -> Part {
    Part(.box(size: upper - lower), transform: Transform(translation: (lower + upper) / 2), material: material, label: label)
  }

  /// A block pallet after EN 13698-1 (1200 × 800 × 144 mm), scaled to the size box: three
  /// bottom boards along the length, nine blocks (3 × 3) with the fork pockets between them,
  /// three stringer boards across the blocks and five top deck boards along the length.
  static func pallet(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    let board = h * 22 / 144, block = h * 78 / 144
    var parts: [Part] = []
    let rows = [-w / 2, 0, w / 2]
    let blockWidth = w * 100 / 800, blockLength = l * 145 / 1200
    for (k, y) in rows.enumerated() {
      let y0 = k == 0 ? y : (k == 1 ? y - blockWidth / 2 : y - blockWidth)
      parts.append(box("bottom_board", Vec3(-l / 2, y0, 0), Vec3(l / 2, y0 + blockWidth, board)))
      for x in [-l / 2, -blockLength / 2, l / 2 - blockLength] {
        let x0 = x
        parts.append(box("block", Vec3(x0, y0, board), Vec3(x0 + blockLength, y0 + blockWidth, board + block)))
      }
    }
    for x in [-l / 2, -blockLength / 2, l / 2 - blockLength] {
      parts.append(box("stringer_board", Vec3(x, -w / 2, board + block), Vec3(x + blockLength, w / 2, 2 * board + block)))
    }
    let deck = w * 100 / 800
    for k in 0..<5 {
      let y0 = -w / 2 + Double(k) * (w - deck) / 4
      parts.append(box("deck_board", Vec3(-l / 2, y0, 2 * board + block), Vec3(l / 2, y0 + deck, h)))
    }
    return parts
  }

  /// A counterbalance forklift facing +x: chassis and counterweight at the rear, four
  /// wheels, an overhead guard (four posts and a roof) over the seat, a mast of two uprights
  /// and a carriage at the front, and two forks on the ground reaching to the front face.
  static func forklift(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    var parts: [Part] = []
    let forkLength = Swift.min(1.15, 0.42 * l)
    let bodyFront = l / 2 - forkLength - 0.12 * l / 2.5
    let mastX0 = bodyFront, mastX1 = bodyFront + 0.1 * l / 2.5
    let wheel = Swift.min(0.3, 0.14 * h)
    let tyre = Swift.min(0.22, 0.18 * w)
    parts.append(box("chassis", Vec3(-l / 2, -w / 2 + tyre, wheel * 0.5), Vec3(bodyFront, w / 2 - tyre, 0.5 * h)))
    parts.append(box("counterweight", Vec3(-l / 2, -w / 2 + 0.02, wheel * 0.6), Vec3(-l / 2 + 0.22 * l, w / 2 - 0.02, 0.5 * h)))
    parts.append(box("seat", Vec3(-l / 2 + 0.3 * l, -0.2 * w, 0.5 * h), Vec3(-l / 2 + 0.42 * l, 0.2 * w, 0.62 * h), rubber))
    // Overhead guard: posts at the corners of the driver's space, a slatted roof as one slab.
    let guardX0 = -l / 2 + 0.2 * l, guardX1 = bodyFront - 0.02
    let post = 0.05
    for x in [guardX0, guardX1 - post] {
      for (y0, y1) in [(-w / 2 + 0.04, -w / 2 + 0.04 + post), (w / 2 - 0.04 - post, w / 2 - 0.04)] {
        parts.append(box("guard_post", Vec3(x, y0, 0.5 * h), Vec3(x + post, y1, h - 0.04), steel))
      }
    }
    parts.append(box("guard_roof", Vec3(guardX0, -w / 2 + 0.04, h - 0.04), Vec3(guardX1, w / 2 - 0.04, h), steel))
    // Mast: two uprights at the front of the chassis, a carriage plate, two forks.
    for (y0, y1) in [(-0.35 * w, -0.27 * w), (0.27 * w, 0.35 * w)] {
      parts.append(box("mast", Vec3(mastX0, y0, wheel * 0.3), Vec3(mastX1, y1, 0.98 * h), steel))
    }
    parts.append(box("carriage", Vec3(mastX1, -0.35 * w, 0.02), Vec3(mastX1 + 0.03, 0.35 * w, 0.45 * h), steel))
    for (y0, y1) in [(-0.25 * w, -0.17 * w), (0.17 * w, 0.25 * w)] {
      parts.append(box("fork", Vec3(mastX1 + 0.03, y0, 0), Vec3(l / 2, y1, 0.045), steel))
      parts.append(box("fork_shank", Vec3(mastX1 + 0.03, y0, 0), Vec3(mastX1 + 0.075, y1, 0.45 * h), steel))
    }
    // Wheels: drive wheels under the mast, steer wheels under the counterweight.
    let across = Quaternion(axis: .unitX, angle: Double.pi / 2)
    for (name, x) in [("front", mastX0 - wheel - 0.02), ("rear", -l / 2 + wheel + 0.05)] {
      for (side, s) in [("left", 1.0), ("right", -1.0)] {
        parts.append(
          Part(
            .cylinder(radius: wheel, height: tyre), transform: Transform(rotation: across, translation: Vec3(x, s * (w / 2 - tyre / 2), wheel)),
            material: rubber, label: "wheel_\(name)_\(side)"))
      }
    }
    return parts
  }

  /// A closed surface of revolution about z through `profile` (radius, height) pairs from
  /// the bottom pole to the top pole, elliptical when the footprint is not square (`sx`,
  /// `sy` scale the radius along x and y). Consecutive points may go down again (inside
  /// walls): the surface stays closed and its normals follow the winding.
  static func lathe(_ profile: [(Double, Double)], sx: Double, sy: Double, centre: Vec3 = .zero, segments: Int = 24) -> TriangleMesh {
    var b = MeshBuilder()
    guard let first = profile.first, let last = profile.last, profile.count > 2 else { return b.mesh() }
    let rings = profile.dropFirst().dropLast().map { r, z in
      MeshBuilder.Ring(centre: centre + Vec3(0, 0, z), u: .unitX, v: .unitY, ru: r * sx, rv: r * sy)
    }
    b.sweep(Array(rings), start: centre + Vec3(0, 0, first.1), end: centre + Vec3(0, 0, last.1), segments: segments)
    return b.mesh()
  }

  /// A mug: an open cylindrical cup (outer wall, rim, inner wall down to the inside bottom)
  /// of the size box's width, its handle a tube looping out behind it (−x) to the box's end.
  static func mug(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    let r = Swift.min(w, l) / 2, wall = Swift.min(0.006, r * 0.12)
    let cx = l / 2 - r  // the cup at the front of the box, the handle behind it
    let cup = lathe(
      [(0, 0), (r * 0.92, 0), (r, h * 0.04), (r, h), (r - wall, h), (r - wall, wall * 1.5), (0, wall * 1.5)],
      sx: 1, sy: 1, centre: Vec3(cx, 0, 0))
    var parts = [Part(.mesh(cup), label: "cup")]
    // Handle: a tube of radius t along a half-ellipse from the wall, out to the rear face.
    let t = Swift.min(0.006, h * 0.06)
    let reach = Swift.max(t, (l - 2 * r) - t)  // from the cup wall to the handle's far side
    let z0 = h * 0.2 + t, z1 = h * 0.82 - t
    if reach > t, l - 2 * r > 2 * t {
      var b = MeshBuilder()
      var rings: [MeshBuilder.Ring] = []
      let steps = 10
      for k in 0...steps {
        let a = Double(k) / Double(steps) * Double.pi
        let centre = Vec3(cx - r * 0.9 - reach * a.sine, 0, (z0 + z1) / 2 - (z1 - z0) / 2 * a.cosine)
        // Tangent of the half-ellipse, and a frame square to it.
        let tangent = Vec3(-reach * a.cosine, 0, (z1 - z0) / 2 * a.sine).normalized
        let (u, v) = MeshBuilder.frame(axis: tangent, side: .unitY)
        rings.append(MeshBuilder.Ring(centre: centre, u: u, v: v, ru: t * 1.3, rv: t))
      }
      if let a = rings.first, let z = rings.last {
        b.sweep(rings, start: a.centre, end: z.centre, segments: 10)
        parts.append(Part(.mesh(b.mesh()), label: "handle"))
      }
    }
    return parts
  }

  /// A bottle: body, rounded shoulder, neck and a cap of its own colour.
  static func bottle(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    let sx = l / 2, sy = w / 2
    let neck = 0.32, capHeight = Swift.min(0.03, h * 0.1)
    let body = lathe(
      [(0, 0), (0.94, 0), (1, 0.02 * h), (1, 0.6 * h), (0.9, 0.7 * h), (0.55, 0.78 * h), (neck, 0.84 * h),
       (neck, h - capHeight), (0, h - capHeight)],
      sx: sx, sy: sy)
    let capMesh = lathe([(0, h - capHeight), (neck * 1.12, h - capHeight), (neck * 1.12, h), (0, h)], sx: sx, sy: sy)
    return [Part(.mesh(body), label: "body"), Part(.mesh(capMesh), material: cap, label: "cap")]
  }

  /// A bowl: a foot ring, a curved outer wall, a rim and the inside surface.
  static func bowl(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    let wall = 0.05
    var profile: [(Double, Double)] = [(0, 0), (0.42, 0), (0.45, 0.06 * h)]
    for k in 1...6 {
      let a = Double(k) / 6 * Double.pi / 2
      profile.append((0.45 + 0.55 * a.sine, 0.06 * h + 0.94 * h * (1 - a.cosine)))
    }
    for k in (1...6).reversed() {
      let a = Double(k) / 6 * Double.pi / 2
      profile.append(((0.45 + 0.55 * a.sine) - wall, 0.12 * h + 0.88 * h * (1 - a.cosine)))
    }
    profile.append((0, 0.12 * h))
    return [Part(.mesh(lathe(profile, sx: l / 2, sy: w / 2)), label: "bowl")]
  }

  /// A drinks can: a cylinder with necked-in ends and an aluminium top and bottom rim.
  static func can(_ l: Double, _ w: Double, _ h: Double) -> [Part] {
    let sx = l / 2, sy = w / 2
    let body = lathe(
      [(0, 0.015 * h), (0.8, 0.015 * h), (1, 0.08 * h), (1, 0.9 * h), (0.84, 0.97 * h), (0, 0.97 * h)], sx: sx, sy: sy)
    let lid = lathe([(0, 0.955 * h), (0.84, 0.955 * h), (0.84, h), (0, h)], sx: sx, sy: sy)
    let base = lathe([(0, 0), (0.8, 0), (0.8, 0.02 * h), (0, 0.02 * h)], sx: sx, sy: sy)
    return [
      Part(.mesh(body), label: "body"), Part(.mesh(lid), material: aluminium, label: "lid"),
      Part(.mesh(base), material: aluminium, label: "base"),
    ]
  }
}
