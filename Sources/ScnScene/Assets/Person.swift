import Foundation
import ScnGeometry

/// The prelude's `Shape.person`: an articulated human body built from smooth meshes
/// (docs/scene-model.md). Body segments (Drillis & Contini's proportions of stature for
/// adults, a seven-year-old's for `child`) are tapered elliptical capsules and ellipsoids
/// posed by a planar skeleton, then scaled so the body exactly fills the size box's height
/// and fits its footprint.
///
/// Fields read from the request (all optional): `pose` (`standing`, `walking`, `running`,
/// `sitting`), `build` (girth factor, 0.7…1.4, default 1), `child` (flag), and the
/// colours `skin_tone`, `hair_color`, `shirt_color`, `trousers_color`, `shoe_color`.
enum Person {
  enum Pose: String, CaseIterable, Sendable {
    case standing, walking, running, sitting
  }

  /// The mesh-determining parameters; one set of meshes is built per distinct value.
  struct Key: Hashable, Sendable {
    var size: Vec3
    var pose: Pose
    var build: Double
    var child: Bool
    /// The gait cycle's phase in sixteenths (0 = left heel strike) for a walking or running
    /// person on the move; nil for the pose held still.
    var phase: Int? = nil
  }

  /// Phases of the gait cycle a moving person is drawn in: one set of meshes per phase.
  static let gaitPhases = 16

  static func key(_ request: ShapeRequest) -> Key {
    let pose = request.name("pose").flatMap(Pose.init(rawValue:)) ?? .standing
    let build = Swift.min(1.4, Swift.max(0.7, request.real("build") ?? 1))
    var child = false
    if case .flag(let b)? = request.parameters["child"] { child = b }
    var phase: Int?
    if pose == .walking || pose == .running, let p = request.real("gait_phase"), p.isFinite {
      let unit = p - p.rounded(.down)
      phase = Swift.min(gaitPhases - 1, Swift.max(0, Int(unit * Double(gaitPhases))))
    }
    return Key(size: request.size, pose: pose, build: build, child: child, phase: phase)
  }

  /// The distance a person covers in one gait cycle (two steps), as a multiple of stature
  /// (a standing person walks when it moves; a sitting one has no gait):
  /// about 0.8 h walking and 1.6 h running (Winter, Biomechanics and Motor Control of Human
  /// Movement, ch. 4 gives ~1.4 m walking strides for adults). `gait_phase` is the distance
  /// travelled divided by this stride, so the feet keep pace with the ground.
  static func strideLength(pose: String?, stature: Double) -> Double? {
    switch pose.flatMap(Pose.init(rawValue:)) ?? .standing {
    case .standing, .walking: 0.8 * stature
    case .running: 1.6 * stature
    case .sitting: nil
    }
  }

  /// Which material slot each body part takes.
  enum Slot: Int, CaseIterable {
    case skin, hair, shirt, trousers, shoes
  }

  /// Default colours (linear RGB): mid skin tone, dark brown hair, mid-grey shirt, dark blue
  /// trousers, near-black shoes.
  static func materials(_ request: ShapeRequest) -> [Slot: Material] {
    func colour(_ name: String, _ fallback: RGB) -> RGB { request.colour(name) ?? fallback }
    return [
      .skin: Material(baseColour: colour("skin_tone", RGB.fromSRGB(0.76, 0.57, 0.45)), roughness: 0.6, texture: .skin),
      .hair: Material(baseColour: colour("hair_color", RGB.fromSRGB(0.2, 0.13, 0.08)), roughness: 0.8, texture: .fabric),
      .shirt: Material(baseColour: colour("shirt_color", RGB.fromSRGB(0.5, 0.5, 0.5)), roughness: 0.9, texture: .fabric),
      .trousers: Material(baseColour: colour("trousers_color", RGB.fromSRGB(0.15, 0.18, 0.3)), roughness: 0.9, texture: .fabric),
      .shoes: Material(baseColour: colour("shoe_color", RGB.fromSRGB(0.08, 0.08, 0.08)), roughness: 0.7),
    ]
  }

  /// The parts for `request`: the cached meshes of its key with this request's materials.
  static func parts(_ request: ShapeRequest) -> [Part] {
    let meshes = AssetCache.shared.person(key(request)) { build($0) }
    let materials = materials(request)
    return meshes.map { piece in
      Part(.mesh(piece.mesh), material: materials[piece.slot], label: piece.label)
    }
  }

  struct Piece: Sendable {
    var label: String
    var slot: Slot
    var mesh: TriangleMesh
  }

  /// Segment lengths and girths as fractions of stature.
  struct Proportions {
    var ankle = 0.039, knee = 0.285, hip = 0.53, shoulder = 0.80, neckBase = 0.825, chin = 0.87
    var headHeight = 0.13, headWidth = 0.088, headDepth = 0.112
    var shoulderHalf = 0.105, hipHalf = 0.05
    var upperArm = 0.186, forearm = 0.146, hand = 0.10, foot = 0.15
    var thighRadius = 0.05, kneeRadius = 0.032, ankleRadius = 0.021, armRadius = 0.029, wristRadius = 0.018
    var torsoWidth = 1.0, torsoDepth = 1.0

    static let adult = Proportions()
    /// About seven years old: a larger head, shorter legs and a rounder trunk.
    static let child = Proportions(
      ankle: 0.04, knee: 0.27, hip: 0.49, shoulder: 0.765, neckBase: 0.79, chin: 0.83,
      headHeight: 0.17, headWidth: 0.12, headDepth: 0.145, shoulderHalf: 0.1, hipHalf: 0.052,
      upperArm: 0.17, forearm: 0.14, hand: 0.095, foot: 0.155,
      thighRadius: 0.052, kneeRadius: 0.034, ankleRadius: 0.023, armRadius: 0.028, wristRadius: 0.019,
      torsoWidth: 1.02, torsoDepth: 1.12)
  }

  /// Joint angles (radians): leg and arm swing forward of vertical (left, right), knee and
  /// elbow flexion, foot pitch (toe up positive), trunk lean forward, arm abduction.
  struct Angles {
    var thigh: (Double, Double) = (0, 0)
    var knee: (Double, Double) = (0, 0)
    var footPitch: (Double, Double) = (0, 0)
    var shoulder: (Double, Double) = (0, 0)
    var elbow: (Double, Double) = (0.08, 0.08)
    var lean = 0.0
    var abduction = 0.1

    static func of(_ pose: Pose, amplitude a: Double, phase: Int? = nil) -> Angles {
      func deg(_ x: Double) -> Double { x * a * Double.pi / 180 }
      if let phase, pose == .walking || pose == .running {
        return gait(pose, phase: Double(phase) / Double(Person.gaitPhases), amplitude: a)
      }
      switch pose {
      case .standing:
        return Angles()
      case .walking:  // double support just after heel strike of the left foot
        return Angles(
          thigh: (deg(22), deg(-14)), knee: (deg(4), deg(18)), footPitch: (deg(12), deg(-18)),
          shoulder: (deg(-20), deg(20)), elbow: (deg(10) + 0.05, deg(25) + 0.05), lean: deg(3), abduction: 0.1)
      case .running:  // flight phase
        return Angles(
          thigh: (deg(45), deg(-20)), knee: (deg(60), deg(95)), footPitch: (deg(5), deg(-30)),
          shoulder: (deg(-40), deg(45)), elbow: (deg(85), deg(95)), lean: deg(10), abduction: 0.12)
      case .sitting:  // on a seat at knee height, hands on the thighs
        return Angles(
          thigh: (Double.pi / 2, Double.pi / 2), knee: (Double.pi / 2, Double.pi / 2), footPitch: (0, 0),
          shoulder: (0.35, 0.35), elbow: (1.1, 1.1), lean: -0.05, abduction: 0.1)
      }
    }
  }

  /// Joint angles over the gait cycle, φ in [0, 1) from the left heel strike; the right side
  /// runs half a cycle behind. Smooth periodic curves with the shape of the sagittal joint
  /// angles of normal walking and running (hip: a sinusoid; knee: a small flexion in loading
  /// and a large one in swing; ankle: toe up at heel strike, down at toe-off; arms swinging
  /// against the legs). At φ = 0 they give the held `walking` pose's angles to within a few
  /// degrees.
  static func gait(_ pose: Pose, phase φ: Double, amplitude a: Double) -> Angles {
    func deg(_ x: Double) -> Double { x * a * Double.pi / 180 }
    /// A bump of width w centred on c, on the circle of phases.
    func bump(_ φ: Double, _ c: Double, _ w: Double) -> Double {
      var d = abs(φ - c)
      d = Swift.min(d, 1 - d)
      return exp(-0.5 * (d / w) * (d / w))
    }
    func wave(_ φ: Double) -> Double { (2 * Double.pi * φ).cosine }
    let left = φ, right = (φ + 0.5) - (φ + 0.5).rounded(.down)
    switch pose {
    case .running:
      func thigh(_ φ: Double) -> Double { deg(12 + 33 * wave(φ)) }
      func knee(_ φ: Double) -> Double { deg(20 + 20 * bump(φ, 0.15, 0.08) + 80 * bump(φ, 0.6, 0.13)) }
      func foot(_ φ: Double) -> Double { deg(5 * bump(φ, 0, 0.08) - 30 * bump(φ, 0.45, 0.07)) }
      func shoulder(_ φ: Double) -> Double { deg(-42 * wave(φ)) }
      func elbow(_ φ: Double) -> Double { deg(90 - 5 * wave(φ)) }
      return Angles(
        thigh: (thigh(left), thigh(right)), knee: (knee(left), knee(right)), footPitch: (foot(left), foot(right)),
        shoulder: (shoulder(left), shoulder(right)), elbow: (elbow(left), elbow(right)), lean: deg(10),
        abduction: 0.12)
    default:
      func thigh(_ φ: Double) -> Double { deg(4 + 18 * wave(φ)) }
      func knee(_ φ: Double) -> Double { deg(4 + 12 * bump(φ, 0.12, 0.07) + 55 * bump(φ, 0.7, 0.11)) }
      func foot(_ φ: Double) -> Double { deg(12 * bump(φ, 0, 0.06) - 18 * bump(φ, 0.55, 0.06) + 3 * bump(φ, 0.85, 0.1)) }
      func shoulder(_ φ: Double) -> Double { deg(-20 * wave(φ)) }
      func elbow(_ φ: Double) -> Double { deg(17.5 - 7.5 * wave(φ)) + 0.05 }
      return Angles(
        thigh: (thigh(left), thigh(right)), knee: (knee(left), knee(right)), footPitch: (foot(left), foot(right)),
        shoulder: (shoulder(left), shoulder(right)), elbow: (elbow(left), elbow(right)), lean: deg(3), abduction: 0.1)
    }
  }

  /// The body's meshes for `key`, fitted to its size box.
  static func build(_ key: Key) -> [Piece] {
    let l = key.size.x, w = key.size.y, h = key.size.z
    /// The body at stride `amplitude`, its bounds and how far it overflows the footprint;
    /// `indices: false` builds the vertices alone (the same vertices), for the stride search.
    func fit(_ amplitude: Double, indices: Bool = true)
      -> (pieces: [(String, Slot, MeshBuilder)], bounds: AABB, overflow: Double)
    {
      let pieces = body(key, Angles.of(key.pose, amplitude: amplitude, phase: key.phase), indices: indices)
      var bounds = AABB.empty
      for (_, _, b) in pieces { for v in b.vertices { bounds = bounds.union(v) } }
      let scale = h / Swift.max(1e-9, bounds.upper.z - bounds.lower.z)
      let overflow = Swift.max(
        (bounds.upper.x - bounds.lower.x) * scale / l, (bounds.upper.y - bounds.lower.y) * scale / w)
      return (pieces, bounds, overflow)
    }
    // A held pose is fitted into the size box; a moving person's stride is not shortened
    // (its feet reach ahead of and behind the box as a real walker's do; docs/scene-model.md).
    let held = (key.pose == .walking || key.pose == .running) && key.phase == nil
    var chosen: (pieces: [(String, Slot, MeshBuilder)], bounds: AABB, overflow: Double)
    if held, fit(1, indices: false).overflow > 1 {
      // Shorten the stride until the body fits the footprint: the search looks at vertices
      // only, and the body is built whole once, at the stride found.
      var low = 0.0, high = 1.0
      var best = 0.0
      for _ in 0..<10 {
        let mid = (low + high) / 2
        if fit(mid, indices: false).overflow <= 1 {
          low = mid
          best = mid
        } else {
          high = mid
        }
      }
      chosen = fit(best)
    } else {
      chosen = fit(1)
    }
    let b = chosen.bounds
    let scale = h / Swift.max(1e-9, b.upper.z - b.lower.z)
    let centre = b.center
    // What still overflows the footprint (shoulders wider than the box) is squeezed.
    let fx = key.phase != nil ? 1 : Swift.min(1, l / Swift.max(1e-12, (b.upper.x - b.lower.x) * scale))
    let fy = Swift.min(1, w / Swift.max(1e-12, (b.upper.y - b.lower.y) * scale))
    return chosen.pieces.map { label, slot, builder in
      var builder = builder
      builder.transformVertices { v in
        Vec3((v.x - centre.x) * scale * fx, (v.y - centre.y) * scale * fy, Swift.min(h, (v.z - b.lower.z) * scale))
      }
      return Piece(label: label, slot: slot, mesh: builder.mesh())
    }
  }

  /// The posed body at stature 1, hip joints' mid-point at the origin.
  /// `indices: false`: the vertices alone (`MeshBuilder.keepsIndices`).
  static func body(_ key: Key, _ angles: Angles, indices: Bool = true) -> [(String, Slot, MeshBuilder)] {
    let p = key.child ? Proportions.child : Proportions.adult
    let g = key.build
    var pieces: [(String, Slot, MeshBuilder)] = []
    func add(_ label: String, _ slot: Slot, _ make: (inout MeshBuilder) -> Void) {
      var b = MeshBuilder()
      b.keepsIndices = indices
      make(&b)
      pieces.append((label, slot, b))
    }
    let thighLength = p.hip - p.knee, shankLength = p.knee - p.ankle
    // Trunk: everything above the hips turns about the hip centre by the lean.
    let lean = Quaternion(axis: .unitY, angle: angles.lean)
    func upper(_ v: Vec3) -> Vec3 { lean.rotate(v) }
    let x = upper(.unitX), y = upper(.unitY)
    func ring(_ z: Double, _ halfWidth: Double, _ halfDepth: Double, _ forward: Double = 0) -> MeshBuilder.Ring {
      MeshBuilder.Ring(
        centre: upper(Vec3(forward, 0, z - p.hip)), u: x, v: y, ru: halfDepth * g * p.torsoDepth,
        rv: halfWidth * g * p.torsoWidth)
    }
    // Hips and seat (trousers), then the trunk (shirt) from the waist to the shoulders.
    add("hips", .trousers) { b in
      let rings = [
        MeshBuilder.Ring(centre: Vec3(-0.005, 0, -0.045), u: .unitX, v: .unitY, ru: 0.05 * g, rv: 0.085 * g),
        MeshBuilder.Ring(centre: Vec3(-0.01, 0, -0.02), u: .unitX, v: .unitY, ru: 0.065 * g, rv: 0.1 * g),
        MeshBuilder.Ring(centre: Vec3(-0.008, 0, 0.01), u: .unitX, v: .unitY, ru: 0.068 * g, rv: 0.104 * g),
        ring(p.hip + 0.05, 0.098, 0.064),
        ring(p.hip + 0.075, 0.092, 0.06),
      ]
      b.sweep(rings, start: Vec3(-0.005, 0, -0.06), end: upper(Vec3(0, 0, 0.08)))
    }
    let neckTop = p.chin + 0.01
    add("torso", .shirt) { b in
      let rings = [
        ring(p.hip + 0.04, 0.097, 0.063),
        ring(0.62 * p.shoulder / 0.8, 0.09, 0.06, 0.003),
        ring(0.70 * p.shoulder / 0.8, 0.1, 0.068, 0.01),
        ring(0.76 * p.shoulder / 0.8, 0.106, 0.066, 0.008),
        ring(p.shoulder, 0.11, 0.057),
        ring(p.shoulder + 0.018, 0.085, 0.047),
        ring(p.neckBase, 0.05, 0.038),
      ]
      b.sweep(rings, start: upper(Vec3(0, 0, 0.035)), end: upper(Vec3(0, 0, p.neckBase + 0.008 - p.hip)))
    }
    add("neck", .skin) { b in
      b.capsule(
        from: upper(Vec3(0, 0, p.neckBase - 0.02 - p.hip)), to: upper(Vec3(0.008, 0, neckTop - 0.02 - p.hip)),
        ra: 0.032 * Swift.min(g, 1.15), rb: 0.03 * Swift.min(g, 1.15))
    }
    let headCentre = upper(Vec3(0.01, 0, p.chin + p.headHeight / 2 - p.hip))
    let headRadii = Vec3(p.headDepth / 2, p.headWidth / 2, p.headHeight / 2)
    add("head", .skin) { b in b.ellipsoid(centre: headCentre, radii: headRadii, rotation: lean, rings: 9) }
    add("hair", .hair) { b in
      b.ellipsoid(
        centre: headCentre + upper(Vec3(-0.012, 0, 0.012)),
        radii: Vec3(headRadii.x * 1.02, headRadii.y * 1.07, headRadii.z * 0.93), rotation: lean, rings: 9)
    }
    // Arms hang from the shoulder joints, swinging in the body's sagittal plane.
    let arms = [("left", 1.0, angles.shoulder.0, angles.elbow.0), ("right", -1.0, angles.shoulder.1, angles.elbow.1)]
    for (side, s, swing, elbow) in arms {
      let shoulder = upper(Vec3(-0.005, s * p.shoulderHalf, p.shoulder - 0.02 - p.hip))
      let a = angles.abduction
      func direction(_ t: Double) -> Vec3 {
        upper(Vec3(t.sine * a.cosine, s * a.sine, -t.cosine * a.cosine))
      }
      let elbowJoint = shoulder + direction(swing) * p.upperArm
      let forearm = direction(swing + elbow)
      let wrist = elbowJoint + forearm * p.forearm
      let r = p.armRadius * g
      add("upper_arm_\(side)", .shirt) { b in
        b.capsule(from: shoulder, to: elbowJoint, ra: r, rb: r * 0.85, side: x)
      }
      add("lower_arm_\(side)", .shirt) { b in
        b.capsule(from: elbowJoint, to: wrist, ra: r * 0.85, rb: p.wristRadius * g, side: x)
      }
      add("hand_\(side)", .skin) { b in
        let across = forearm.cross(y).normalized
        b.capsule(
          from: wrist + forearm * 0.02, to: wrist + forearm * (p.hand - 0.025), ra: 0.021, rb: 0.019,
          side: across, depth: 0.5)
      }
    }
    // Legs from the hip joints; the shank swings back by the knee flexion.
    let legs = [
      ("left", 1.0, angles.thigh.0, angles.knee.0, angles.footPitch.0),
      ("right", -1.0, angles.thigh.1, angles.knee.1, angles.footPitch.1),
    ]
    for (side, s, swing, knee, pitch) in legs {
      let hip = Vec3(0, s * p.hipHalf, 0)
      func direction(_ t: Double) -> Vec3 { Vec3(t.sine, s * 0.02, -t.cosine) }
      let kneeJoint = hip + direction(swing) * thighLength
      let ankle = kneeJoint + direction(swing - knee) * shankLength
      add("upper_leg_\(side)", .trousers) { b in
        b.capsule(from: hip, to: kneeJoint, ra: p.thighRadius * g, rb: p.kneeRadius * g, side: .unitY)
      }
      add("lower_leg_\(side)", .trousers) { b in
        b.capsule(from: kneeJoint, to: ankle, ra: p.kneeRadius * g, rb: p.ankleRadius * g, side: .unitY)
      }
      add("foot_\(side)", .shoes) { b in
        // The sole is level with the ankle's height below the joint; pitch lifts the toe.
        let forward = Vec3(pitch.cosine, 0, pitch.sine)
        let heel = ankle + Vec3(0, 0, -p.ankle * 0.45) - forward * 0.012
        let toe = heel + forward * (p.foot - 0.05)
        b.capsule(from: heel, to: toe, ra: 0.026, rb: 0.023, side: .unitY, depth: 0.8)
      }
    }
    return pieces
  }
}
