import Foundation
import ScnGeometry

/// The prelude's `Shape.bicycle` (docs/scene-model.md): a diamond-frame bicycle, with its
/// rider when the actor's `rider` field is true. Built at stature 1 (the rider's height) in
/// the proportions of a city bike for a 1.75 m adult, then scaled uniformly to the largest
/// size that fits the size box, standing on its floor and centred on its footprint.
///
/// Parts: `frame` (top, down and seat tubes, seat and chain stays), `fork`, `handlebar`
/// (with the stem), `saddle`, `crank` (arms and pedals), `wheel_front` and `wheel_rear`
/// (each a tyre ring with eight spokes and a hub, so that turning shows; they turn and the
/// front one steers in the frames of a simulated run like a car's wheels), and the rider's
/// parts as a person's (`head`, `torso`, `upper_leg_left`, …). The rider sits on the saddle
/// with the trunk leaned 35° forward, hands on the grips and feet on the pedals with the
/// cranks level (left pedal forward), posed by two-link inverse kinematics; the pose does not
/// pedal. The rider reads `build`, `child` and the person's colour fields where the actor has
/// them; the frame is drawn in the actor's `color`.
enum Bicycle {
  struct Key: Hashable, Sendable {
    var size: Vec3
    var rider: Bool
    var build: Double
    var child: Bool
  }

  enum Slot: Hashable, Sendable {
    case frame, tyre, black, steel
    case rider(Person.Slot)
  }

  struct Piece: Sendable {
    var label: String
    var slot: Slot
    var shape: PartShape
    var transform: Transform
  }

  static let tyre = Material(baseColour: RGB(0.02, 0.02, 0.02), roughness: 0.9, lidarReflectivity: 0.05)
  static let black = Material(baseColour: RGB(0.03, 0.03, 0.03), roughness: 0.6)
  static let steel = Material(baseColour: RGB(0.55, 0.55, 0.57), roughness: 0.3, metallic: 1)

  static func key(_ request: ShapeRequest) -> Key {
    var rider = false, child = false
    if case .flag(let b)? = request.parameters["rider"] { rider = b }
    if case .flag(let b)? = request.parameters["child"] { child = b }
    let build = Swift.min(1.4, Swift.max(0.7, request.real("build") ?? 1))
    return Key(size: request.size, rider: rider, build: build, child: child)
  }

  static func parts(_ request: ShapeRequest) -> [Part] {
    let pieces = AssetCache.shared.bicycle(key(request)) { build($0) }
    let people = Person.materials(request)
    return pieces.map { p in
      let material: Material?
      switch p.slot {
      case .frame: material = nil
      case .tyre: material = tyre
      case .black: material = black
      case .steel: material = steel
      case .rider(let slot): material = people[slot]
      }
      return Part(p.shape, transform: p.transform, material: material, label: p.label)
    }
  }

  // Geometry at stature 1, x forward, y left, z up, the ground at z = 0.
  static let wheelRadius = 0.19
  static let tyreRadius = 0.012
  static let rearAxle = Vec3(-0.24, 0, wheelRadius)
  static let frontAxle = Vec3(0.34, 0, wheelRadius)
  static let bottomBracket = Vec3(0, 0, 0.155)
  static let seatTubeTop = Vec3(-0.11, 0, 0.5)
  static let saddleTop = Vec3(-0.13, 0, 0.575)
  static let headTop = Vec3(0.27, 0, 0.56)
  static let headBottom = Vec3(0.295, 0, 0.47)
  static let grips = Vec3(0.25, 0, 0.64)
  static let crank = 0.1

  static func build(_ key: Key) -> [Piece] {
    var pieces: [Piece] = []
    func mesh(_ label: String, _ slot: Slot, _ make: (inout MeshBuilder) -> Void) {
      var b = MeshBuilder()
      make(&b)
      pieces.append(Piece(label: label, slot: slot, shape: .mesh(b.mesh()), transform: .identity))
    }
    let tube = 0.014
    mesh("frame", .frame) { b in
      b.cylinder(from: seatTubeTop, to: headTop + Vec3(0, 0, -0.02), radius: tube, segments: 10)
      b.cylinder(from: bottomBracket, to: headBottom, radius: tube * 1.2, segments: 10)
      b.cylinder(from: bottomBracket, to: seatTubeTop, radius: tube, segments: 10)
      b.cylinder(from: headBottom, to: headTop, radius: tube * 1.2, segments: 10)
      for s in [-1.0, 1.0] {
        let axle = rearAxle + Vec3(0, s * 0.035, 0)
        b.cylinder(from: seatTubeTop + Vec3(0, s * 0.01, -0.02), to: axle, radius: tube * 0.6, segments: 8)
        b.cylinder(from: bottomBracket + Vec3(0, s * 0.02, 0), to: axle, radius: tube * 0.6, segments: 8)
      }
    }
    mesh("fork", .frame) { b in
      for s in [-1.0, 1.0] {
        b.cylinder(from: headBottom + Vec3(0, s * 0.012, 0), to: frontAxle + Vec3(0, s * 0.035, 0), radius: tube * 0.7, segments: 8)
      }
    }
    mesh("handlebar", .black) { b in
      b.cylinder(from: headTop, to: grips + Vec3(-0.01, 0, -0.01), radius: tube * 0.8, segments: 8)
      b.cylinder(from: grips + Vec3(0, -0.13, 0), to: grips + Vec3(0, 0.13, 0), radius: tube * 0.8, segments: 8)
    }
    mesh("saddle", .black) { b in
      b.cylinder(from: seatTubeTop, to: saddleTop + Vec3(0.01, 0, -0.02), radius: tube * 0.7, segments: 8)
      b.box(centre: saddleTop + Vec3(0, 0, -0.01), size: Vec3(0.15, 0.07, 0.02))
    }
    // Cranks level: the left pedal forward, the right one back.
    let pedals = [("left", 1.0, bottomBracket + Vec3(crank, 0.06, 0)), ("right", -1.0, bottomBracket + Vec3(-crank, -0.06, 0))]
    mesh("crank", .steel) { b in
      for (_, s, pedal) in pedals {
        b.box(centre: (bottomBracket + pedal) / 2 + Vec3(0, s * 0.0, 0), size: Vec3(crank, 0.012, 0.02))
        b.box(centre: pedal + Vec3(0, s * 0.04, 0), size: Vec3(0.055, 0.06, 0.012))
      }
      b.cylinder(from: bottomBracket + Vec3(0, -0.06, 0), to: bottomBracket + Vec3(0, 0.06, 0), radius: 0.035, segments: 12)
    }
    // Wheels: a tyre ring, a hub and eight spokes, in a frame centred on the axle (the axle
    // along y), so that a spin about y turns them in place.
    for (label, axle) in [("wheel_front", frontAxle), ("wheel_rear", rearAxle)] {
      var b = MeshBuilder()
      torus(&b, radius: wheelRadius - tyreRadius, tube: tyreRadius, segments: 36, sides: 8)
      b.cylinder(from: Vec3(0, -0.035, 0), to: Vec3(0, 0.035, 0), radius: 0.018, segments: 10)
      for k in 0..<8 {
        let angle = Double(k) / 8 * 2 * Double.pi
        let rim = Vec3(angle.cosine, 0, angle.sine) * (wheelRadius - 2 * tyreRadius)
        b.cylinder(from: Vec3(0, k % 2 == 0 ? 0.03 : -0.03, 0), to: rim, radius: 0.0025, segments: 4)
      }
      pieces.append(Piece(label: label, slot: .tyre, shape: .mesh(b.mesh()), transform: Transform(translation: axle)))
    }
    if key.rider { pieces += rider(key, pedals: pedals.map(\.2)) }
    return fitted(pieces, into: key.size)
  }

  /// The rider posed on the bicycle: hips over the saddle, hands on the grips, feet on the
  /// pedals (two-link inverse kinematics in the sagittal plane).
  static func rider(_ key: Key, pedals: [Vec3]) -> [Piece] {
    let p = key.child ? Person.Proportions.child : Person.Proportions.adult
    let hip = saddleTop + Vec3(0.025, 0, 0.055)
    let lean = 35.0 * Double.pi / 180
    var angles = Person.Angles()
    angles.lean = lean
    angles.abduction = 0.12
    // Legs: ankle a little behind and above the pedal spindle (the ball of the foot on it).
    let thigh = p.hip - p.knee, shank = p.knee - p.ankle
    var legs: [(Double, Double)] = []
    for pedal in pedals {
      let ankle = pedal + Vec3(-0.035, 0, 0.045) - hip
      let (upper, flexion) = twoLink(target: ankle, a: thigh, b: shank, bendForward: true)
      legs.append((upper, flexion))
    }
    angles.thigh = (legs[0].0, legs[1].0)
    angles.knee = (legs[0].1, legs[1].1)
    angles.footPitch = (0.1, -0.15)
    // Arms: from the leaned shoulder to the grips, elbows bent down and back.
    let trunk = Quaternion(axis: .unitY, angle: lean)
    let shoulder = hip + trunk.rotate(Vec3(-0.005, 0, p.shoulder - 0.02 - p.hip))
    let wrist = grips + Vec3(-0.03, 0, 0.01) - shoulder
    let (upperArm, elbow) = twoLink(target: wrist, a: p.upperArm, b: p.forearm, bendForward: false)
    // The person's arm angles are measured in the leaned trunk's frame.
    angles.shoulder = (upperArm + lean, upperArm + lean)
    angles.elbow = (elbow, elbow)
    let person = Person.Key(size: Vec3(1, 1, 1), pose: .sitting, build: key.build, child: key.child)
    return Person.body(person, angles).map { label, slot, builder in
      var builder = builder
      builder.transformVertices { $0 + hip }
      return Piece(label: label, slot: .rider(slot), shape: .mesh(builder.mesh()), transform: .identity)
    }
  }

  /// A two-segment limb (lengths `a`, `b`) from its root to `target` in the x–z plane:
  /// the first segment's angle forward of straight down and the flexion of the joint between
  /// them, the joint bent forward (a knee) or back (an elbow). Out of reach, straight.
  static func twoLink(target: Vec3, a: Double, b: Double, bendForward: Bool) -> (Double, Double) {
    let d = Swift.min(a + b - 1e-6, Swift.max(abs(a - b) + 1e-6, (target.x * target.x + target.z * target.z).squareRoot()))
    let towards = atan2(target.x, -target.z)
    let atRoot = acos(Swift.min(1, Swift.max(-1, (a * a + d * d - b * b) / (2 * a * d))))
    let atJoint = acos(Swift.min(1, Swift.max(-1, (a * a + b * b - d * d) / (2 * a * b))))
    let flexion = Double.pi - atJoint
    // Person: a knee's shank swings back by its flexion, an elbow's forearm forward by it.
    return bendForward ? (towards + atRoot, flexion) : (towards - atRoot, flexion)
  }

  /// A torus about the y axis (in the x–z plane) of centre-line `radius` and `tube` radius.
  static func torus(_ b: inout MeshBuilder, radius: Double, tube: Double, segments: Int, sides: Int) {
    var ring: [[Vec3]] = []
    for i in 0..<segments {
      let theta = Double(i) / Double(segments) * 2 * Double.pi
      let radial = Vec3(theta.cosine, 0, theta.sine)
      ring.append((0..<sides).map { j in
        let phi = Double(j) / Double(sides) * 2 * Double.pi
        return radial * (radius + tube * phi.cosine) + Vec3(0, tube * phi.sine, 0)
      })
    }
    for i in 0..<segments {
      for j in 0..<sides {
        let a = ring[i][j], bb = ring[(i + 1) % segments][j]
        let c = ring[(i + 1) % segments][(j + 1) % sides], d = ring[i][(j + 1) % sides]
        b.quad(a, d, c, bb)
      }
    }
  }

  /// Scales the pieces uniformly to the largest size that fits `size` (standing on z = 0,
  /// centred on the footprint).
  static func fitted(_ pieces: [Piece], into size: Vec3) -> [Piece] {
    var bounds = AABB.empty
    for p in pieces {
      guard case .mesh(let m) = p.shape else { continue }
      bounds = bounds.union(p.transform.apply(toPoint: m.bounds.lower)).union(p.transform.apply(toPoint: m.bounds.upper))
    }
    let extent = bounds.upper - bounds.lower
    let scale = Swift.min(size.x / Swift.max(1e-9, extent.x), size.y / Swift.max(1e-9, extent.y), size.z / Swift.max(1e-9, extent.z))
    let shift = Vec3(-(bounds.lower.x + bounds.upper.x) / 2, -(bounds.lower.y + bounds.upper.y) / 2, -bounds.lower.z)
    return pieces.map { p in
      guard case .mesh(let m) = p.shape else { return p }
      var q = p
      // Meshes with an identity transform are moved vertex by vertex; the wheels keep
      // their own frame (centred on the axle) and move by their transform.
      if p.transform.translation == .zero {
        let vertices = m.vertices.map { ($0 + shift) * scale }
        q.shape = .mesh(TriangleMesh(vertices: vertices, indices: m.indices, normals: m.normals))
      } else {
        q.shape = .mesh(TriangleMesh(vertices: m.vertices.map { $0 * scale }, indices: m.indices, normals: m.normals))
        q.transform = Transform(rotation: p.transform.rotation, translation: (p.transform.translation + shift) * scale)
      }
      return q
    }
  }
}
