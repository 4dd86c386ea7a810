import ScnGeometry
import Testing

@testable import ScnScene

/// The parametric assets (`person`, `car`, `van`, `truck`, `bus`): parts inside the size
/// box, labelled, finite, deterministic and shared between equal requests.
@Suite struct AssetTests {
  static let people: [ShapeRequest] = {
    var requests: [ShapeRequest] = []
    for pose in ["standing", "walking", "running", "sitting"] {
      for (size, child) in [(Vec3(0.5, 0.5, 1.75), false), (Vec3(0.8, 0.6, 1.9), false), (Vec3(0.35, 0.35, 1.2), true)] {
        for build in [0.7, 1.0, 1.4] {
          requests.append(
            ShapeRequest(
              kind: "person", size: size,
              parameters: ["pose": .name(pose), "child": .flag(child), "build": .real(build)]))
        }
      }
    }
    return requests
  }()

  static let vehicles: [ShapeRequest] = [
    ShapeRequest(kind: "car", size: Vec3(4.5, 1.8, 1.5), parameters: ["wheelbase": .real(2.7)]),
    ShapeRequest(kind: "van", size: Vec3(5.3, 2.0, 2.5), parameters: ["wheelbase": .real(3.66)]),
    ShapeRequest(kind: "truck", size: Vec3(8, 2.5, 3.2), parameters: ["wheelbase": .real(4.8)]),
    ShapeRequest(kind: "bus", size: Vec3(12, 2.55, 3.2), parameters: ["wheelbase": .real(6)]),
    // A wheelbase longer than the body and no wheelbase at all.
    ShapeRequest(kind: "car", size: Vec3(3, 1.5, 1.4), parameters: ["wheelbase": .real(9)]),
    ShapeRequest(kind: "bus", size: Vec3(1, 1, 1)),
  ]

  static let bicycles: [ShapeRequest] = [
    ShapeRequest(kind: "bicycle", size: Vec3(1.8, 0.6, 1.7), parameters: ["rider": .flag(true)]),
    ShapeRequest(kind: "bicycle", size: Vec3(1.75, 0.6, 1.15), parameters: ["rider": .flag(false)]),
    ShapeRequest(kind: "bicycle", size: Vec3(1.2, 0.5, 1.3), parameters: ["rider": .flag(true), "child": .flag(true)]),
    // Degenerate proportions still fit.
    ShapeRequest(kind: "bicycle", size: Vec3(0.5, 1, 3), parameters: ["rider": .flag(true), "build": .real(1.4)]),
  ]

  static let props: [ShapeRequest] = [
    ShapeRequest(kind: "forklift", size: Vec3(2.5, 1.2, 2.2)),
    ShapeRequest(kind: "pallet", size: Vec3(1.2, 0.8, 0.144)),
    ShapeRequest(kind: "mug", size: Vec3(0.12, 0.085, 0.095)),
    ShapeRequest(kind: "bottle", size: Vec3(0.065, 0.065, 0.21)),
    ShapeRequest(kind: "bowl", size: Vec3(0.16, 0.16, 0.07)),
    ShapeRequest(kind: "can", size: Vec3(0.066, 0.066, 0.123)),
    // Degenerate proportions still fit.
    ShapeRequest(kind: "mug", size: Vec3(0.05, 0.2, 0.3)),
    ShapeRequest(kind: "forklift", size: Vec3(0.5, 0.3, 0.4)),
  ]

  /// Every point of a part: mesh vertices, box corners, and the extreme points of curved parts.
  static func points(_ part: Part) -> [Vec3] {
    switch part.shape {
    case .mesh(let mesh): return mesh.vertices.map { part.transform.apply(toPoint: $0) }
    default: return part.box.corners
    }
  }

  @Test(arguments: people + vehicles + props + bicycles)
  func partsLieWithinTheSizeBox(_ request: ShapeRequest) {
    let parts = ActorShapes.parts(request)
    #expect(!parts.isEmpty)
    let half = request.size / 2, tolerance = 1e-9
    for part in parts {
      for p in Self.points(part) {
        #expect(p.x.isFinite && p.y.isFinite && p.z.isFinite)
        let inside =
          abs(p.x) <= half.x + tolerance && abs(p.y) <= half.y + tolerance && p.z >= -tolerance
          && p.z <= request.size.z + tolerance
        #expect(inside, "\(request.kind) part \(part.label ?? "?") point \(p) outside \(request.size)")
        if !inside { return }
      }
    }
  }

  @Test(arguments: people)
  func aPersonFillsTheHeightAndStandsOnTheGround(_ request: ShapeRequest) {
    let zs = ActorShapes.parts(request).flatMap { Self.points($0).map(\.z) }
    #expect(abs((zs.min() ?? 1) - 0) < 1e-9)
    #expect(abs((zs.max() ?? 0) - request.size.z) < 1e-9)
  }

  @Test func aPersonHasEveryBodyPartLabelled() {
    let labels = Set(ActorShapes.parts(Self.people[0]).compactMap(\.label))
    var expected: Set<String> = ["head", "hair", "neck", "torso", "hips"]
    for side in ["left", "right"] {
      for limb in ["upper_arm", "lower_arm", "hand", "upper_leg", "lower_leg", "foot"] { expected.insert("\(limb)_\(side)") }
    }
    #expect(labels == expected)
  }

  @Test func clothingColoursGoToTheirParts() {
    let shirt = RGB(0.9, 0.1, 0.1), trousers = RGB(0.1, 0.1, 0.8), skin = RGB(0.6, 0.4, 0.3)
    let parts = ActorShapes.parts(
      ShapeRequest(
        kind: "person", size: Vec3(0.5, 0.5, 1.75),
        parameters: ["shirt_color": .colour(shirt), "trousers_color": .colour(trousers), "skin_tone": .colour(skin)]))
    func colour(_ label: String) -> RGB? { parts.first { $0.label == label }?.material?.baseColour }
    #expect(colour("torso") == shirt)
    #expect(colour("lower_arm_left") == shirt)
    #expect(colour("upper_leg_right") == trousers)
    #expect(colour("hips") == trousers)
    #expect(colour("head") == skin)
    #expect(colour("hand_right") == skin)
  }

  @Test func meshesAreSharedBetweenEqualRequestsAndRebuiltIdentically() {
    let request = ShapeRequest(kind: "person", size: Vec3(0.61, 0.52, 1.66), parameters: ["pose": .name("walking")])
    let a = ActorShapes.parts(request), b = ActorShapes.parts(request)
    #expect(a == b)
    for (x, y) in zip(a, b) {
      if case .mesh(let m) = x.shape, case .mesh(let n) = y.shape { #expect(m === n) }
    }
    // A different colour shares the meshes; a different pose does not.
    var recoloured = request
    recoloured.parameters["shirt_color"] = .colour(RGB(0, 1, 0))
    if case .mesh(let m)? = ActorShapes.parts(recoloured).first?.shape, case .mesh(let n)? = a.first?.shape {
      #expect(m === n)
    }
    var sitting = request
    sitting.parameters["pose"] = .name("sitting")
    #expect(ActorShapes.parts(sitting) != a)
  }

  @Test func posesDiffer() {
    let size = Vec3(0.9, 0.6, 1.8)
    var shapes: [[Part]] = []
    for pose in ["standing", "walking", "running", "sitting"] {
      shapes.append(ActorShapes.parts(ShapeRequest(kind: "person", size: size, parameters: ["pose": .name(pose)])))
    }
    #expect(Set(shapes.map { $0.map(\.box.center) }).count == 4)
    // In a box long enough for the stride, a walker's feet are apart along x.
    let walker = shapes[1]
    func footX(_ side: String) -> Double? { walker.first { $0.label == "foot_\(side)" }?.box.center.x }
    #expect((footX("left") ?? 0) - (footX("right") ?? 0) > 0.3)
  }

  @Test func aChildHasALargerHeadForItsHeight() {
    func headShare(_ child: Bool) -> Double {
      let parts = ActorShapes.parts(
        ShapeRequest(kind: "person", size: Vec3(0.5, 0.5, 1.2), parameters: ["child": .flag(child)]))
      let head = parts.first { $0.label == "head" }?.box.halfExtents.z ?? 0
      return 2 * head / 1.2
    }
    #expect(headShare(true) > headShare(false) * 1.15)
  }

  /// A builder's first sweep takes its index list from `SweepTables` (shared by every mesh
  /// swept alike); the list is the one made in place, a later sweep appends its own, and the
  /// vertex normals are the face normals summed in index order and normalised.
  @Test func sweptIndexListsAreSharedAndEqualTheListsMadeInPlace() {
    for segments in [3, 14, 16, 64] {
      for rings in [1, 2, 5, 8, 64] {
        var made: [UInt32] = []
        MeshBuilder.sweepIndices(base: 0, segments: segments, rings: rings, into: &made)
        #expect(SweepTables.shared.indices(segments: segments, rings: rings) == made)
      }
    }
    #expect(SweepTables.shared.indices(segments: 65, rings: 2) == nil)
    #expect(SweepTables.shared.indices(segments: 14, rings: 65) == nil)
    var b = MeshBuilder()
    b.capsule(from: Vec3(0, 0, 0), to: Vec3(0.1, 0, 1), ra: 0.1, rb: 0.08)
    let firstVertices = b.vertices.count
    var expected: [UInt32] = []
    MeshBuilder.sweepIndices(base: 0, segments: 14, rings: 8, into: &expected)
    #expect(b.indices == expected)
    b.ellipsoid(centre: Vec3(0, 0, 1.3), radii: Vec3(0.1, 0.08, 0.12), rings: 9)
    MeshBuilder.sweepIndices(base: UInt32(firstVertices), segments: 14, rings: 8, into: &expected)
    #expect(b.indices == expected)
    // The normals of `mesh()`, worked out here with plain arrays.
    let mesh = b.mesh()
    var normals = [Vec3](repeating: .zero, count: b.vertices.count)
    for t in stride(from: 0, to: expected.count, by: 3) {
      let (i0, i1, i2) = (Int(expected[t]), Int(expected[t + 1]), Int(expected[t + 2]))
      let n = (b.vertices[i1] - b.vertices[i0]).cross(b.vertices[i2] - b.vertices[i0])
      normals[i0] += n
      normals[i1] += n
      normals[i2] += n
    }
    normals = normals.map { n in n.length > 1e-300 ? n / n.length : .unitZ }
    #expect(mesh.normals == normals)
    // Two people in different gait phases share each body part's index list.
    func parts(_ phase: Double) -> [Part] {
      ActorShapes.parts(
        ShapeRequest(
          kind: "person", size: Vec3(0.5, 0.5, 1.75),
          parameters: ["pose": .name("walking"), "gait_phase": .real(phase), "build": .real(1.1)]))
    }
    for (x, y) in zip(parts(0.1), parts(0.6)) {
      guard case .mesh(let m) = x.shape, case .mesh(let n) = y.shape else { continue }
      #expect(m !== n)
      let same = m.indices.withUnsafeBufferPointer { a in n.indices.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
      #expect(same, "\(x.label ?? "?")")
    }
  }

  @Test func meshNormalsAreUnitAndPointOutwards() {
    for part in ActorShapes.parts(Self.people[0]) {
      guard case .mesh(let mesh) = part.shape, let normals = mesh.normals else {
        Issue.record("person part \(part.label ?? "?") is not a smooth mesh")
        continue
      }
      let centre = mesh.bounds.center
      var outward = 0
      for (v, n) in zip(mesh.vertices, normals) {
        #expect(abs(n.length - 1) < 1e-9)
        if n.dot(v - centre) > 0 { outward += 1 }
      }
      #expect(Double(outward) > 0.9 * Double(mesh.vertices.count), "\(part.label ?? "?")")
    }
  }

  @Test func vehiclesHaveGlassWheelsAndLamps() {
    for request in Self.vehicles.prefix(4) {
      let parts = ActorShapes.parts(request)
      #expect(parts.filter { $0.role == .glass }.count >= 3, "\(request.kind)")
      #expect(parts.filter { $0.label?.hasPrefix("wheel") == true }.count == 4)
      #expect(parts.filter { $0.role == .lamp(.head) }.count == 2)
      #expect(parts.filter { $0.role == .lamp(.tail) }.count == 2)
      #expect(parts.allSatisfy { $0.label != nil })
      // Head lamps at the front (+x), tail lamps at the rear.
      #expect(parts.filter { $0.role == .lamp(.head) }.allSatisfy { $0.box.center.x > 0 })
      #expect(parts.filter { $0.role == .lamp(.tail) }.allSatisfy { $0.box.center.x < 0 })
    }
  }

  /// A cyclist is a bicycle with a seated rider; a bicycle alone has no rider's parts. The
  /// wheels are spoked meshes centred on their axles (so that they can turn in place), low
  /// at the ends of the frame; the rider's feet are down near the pedals, the head on top.
  @Test func bicyclesHaveTheirLabelledParts() {
    let cyclist = ActorShapes.parts(Self.bicycles[0]), bike = ActorShapes.parts(Self.bicycles[1])
    let bikeLabels: Set<String> = ["frame", "fork", "handlebar", "saddle", "crank", "wheel_front", "wheel_rear"]
    #expect(Set(bike.compactMap(\.label)) == bikeLabels)
    let riderLabels = Set(cyclist.compactMap(\.label)).subtracting(bikeLabels)
    #expect(riderLabels.isSuperset(of: ["head", "torso", "hips", "upper_leg_left", "foot_right", "hand_left"]))
    for parts in [cyclist, bike] {
      let front = parts.first { $0.label == "wheel_front" }, rear = parts.first { $0.label == "wheel_rear" }
      guard let front, let rear, case .mesh(let wheel) = front.shape else {
        Issue.record("no spoked front wheel")
        continue
      }
      // Centred on the axle: as far forward as back, as far up as down.
      #expect(abs(wheel.bounds.upper.x + wheel.bounds.lower.x) < 1e-9 && abs(wheel.bounds.upper.z + wheel.bounds.lower.z) < 1e-9)
      #expect(front.transform.translation.x > 0 && rear.transform.translation.x < 0)
      #expect(abs(front.transform.translation.z - wheel.bounds.upper.z) < 1e-9, "the wheel stands on the ground")
    }
    func bounds(_ label: String) -> AABB {
      var b = AABB.empty
      for part in cyclist where part.label == label { for p in Self.points(part) { b = b.union(p) } }
      return b
    }
    #expect(abs(Swift.max(bounds("head").upper.z, bounds("hair").upper.z) - 1.7) < 1e-6, "the rider's head is the top of the size box")
    let pedals = bounds("crank"), foot = bounds("foot_left")
    #expect(foot.lower.z < pedals.upper.z + 0.1, "the left foot is on its pedal: \(foot) vs \(pedals)")
    #expect(bounds("hips").lower.z > bounds("saddle").upper.z - 0.1, "sitting on the saddle")
  }

  @Test func propsHaveTheirLabelledParts() {
    func labels(_ request: ShapeRequest) -> Set<String> { Set(ActorShapes.parts(request).compactMap(\.label)) }
    #expect(labels(Self.props[0]).isSuperset(of: ["mast", "fork", "guard_roof", "guard_post", "counterweight"]))
    let pallet = ActorShapes.parts(Self.props[1])
    #expect(pallet.filter { $0.label == "block" }.count == 9)
    #expect(pallet.filter { $0.label == "deck_board" }.count == 5)
    #expect(labels(Self.props[2]) == ["cup", "handle"])
    #expect(labels(Self.props[3]) == ["body", "cap"])
    #expect(labels(Self.props[5]) == ["body", "lid", "base"])
    // The pallet's fork pockets: nothing between the bottom boards and the stringers at
    // the height of the blocks, between the blocks.
    let pocket = Vec3(0.3, 0.2, 0.06)
    #expect(!pallet.contains { p in
      let b = p.box
      return abs(pocket.x - b.center.x) < b.halfExtents.x && abs(pocket.y - b.center.y) < b.halfExtents.y
        && abs(pocket.z - b.center.z) < b.halfExtents.z
    })
  }

  /// Building bypasses the cache here: two builds of one key are identical, vertex for vertex.
  @Test func buildsAreDeterministic() {
    for request in Self.people.prefix(12) {
      let key = Person.key(request)
      let a = Person.build(key), b = Person.build(key)
      #expect(a.map(\.mesh) == b.map(\.mesh))
      #expect(a.map(\.label) == b.map(\.label))
    }
    for request in Self.vehicles {
      let key = Vehicle.Key(kind: Vehicle.Kind(rawValue: request.kind) ?? .car, size: request.size, wheelbase: 2)
      #expect(Vehicle.build(key).map(\.shape) == Vehicle.build(key).map(\.shape))
    }
    for request in Self.props {
      let key = Prop.Key(kind: Prop.Kind(rawValue: request.kind) ?? .can, size: request.size)
      #expect(Prop.build(key) == Prop.build(key))
    }
  }

  /// The mesh cache is bounded by bytes, not only by entries: 400 distinct people (more
  /// than 50 per sample over 8 samples) never hold more than the budget (issue 12's memory
  /// acceptance over a run), and a person built again after eviction is the same mesh.
  @Test func theMeshCacheStaysWithinItsByteBudget() {
    let first = ActorShapes.parts(ShapeRequest(kind: "person", size: Vec3(0.5, 0.5, 1.5)))
    for k in 0..<400 {
      let size = Vec3(0.5, 0.45, 1.5 + Double(k) * 0.001)
      _ = ActorShapes.parts(ShapeRequest(kind: "person", size: size))
      #expect(AssetCache.shared.heldBytes <= AssetCache.byteBudget)
    }
    #expect(AssetCache.shared.heldBytes > 0)
    let again = ActorShapes.parts(ShapeRequest(kind: "person", size: Vec3(0.5, 0.5, 1.5)))
    #expect(again.map(\.shape) == first.map(\.shape))
  }

  /// People leave the cache oldest first once they hold their budget: the people
  /// stored last stay cached (the same mesh objects), the first are built again (equal
  /// meshes, new objects), and the bytes held never pass the budget.
  @Test func peopleLeaveTheCacheOldestFirst() {
    func key(_ k: Int) -> Person.Key {
      Person.Key(size: Vec3(0.5, 0.45, 1.5 + Double(k) * 0.001), pose: .walking, build: 1, child: false, phase: k % 16)
    }
    let perPerson = Person.build(key(0)).reduce(0) { $0 + $1.mesh.byteCount }
    #expect(perPerson > 0)
    let fit = 6
    let cache = AssetCache(peopleBudget: fit * perPerson + perPerson / 2)
    var builds = 0
    func person(_ k: Int) -> [Person.Piece] {
      cache.person(key(k)) { key in
        builds += 1
        return Person.build(key)
      }
    }
    _ = person(0)
    let count = 2 * fit
    var last: [Int: [Person.Piece]] = [:]
    for k in 1..<count {
      let pieces = person(k)
      if k >= count - 4 { last[k] = pieces }
      // One leaves for each that comes once the budget is full (not all at once).
      #expect(cache.heldPeopleBytes == Swift.min(k + 1, fit) * perPerson)
    }
    #expect(builds == count)
    // The newest are hits: the very objects stored.
    for (k, pieces) in last {
      let again = person(k)
      #expect(zip(again, pieces).allSatisfy { $0.mesh === $1.mesh })
    }
    #expect(builds == count)
    // The oldest left: built again, into a mesh equal to the first.
    let first = Person.build(key(0))
    let rebuilt = person(0)
    #expect(builds == count + 1)
    #expect(rebuilt.map(\.mesh) == first.map(\.mesh))
    #expect(cache.heldPeopleBytes <= cache.peopleBudget)
    #expect(cache.heldBytes == cache.heldPeopleBytes)
  }
}
