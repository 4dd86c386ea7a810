import ScnScene
import ScnGeometry
import Testing

@testable import ScnSensors

@Suite struct RayCastingTests {
  @Test func eachShapeIsHitAtItsSurface() throws {
    let scene = RenderScene(objects: [
      SceneObject(
        instanceID: 1, semanticClass: 2, className: "s", baseColour: TestScenes.grey,
        parts: [Part(.sphere(radius: 1))], transform: Transform(translation: Vec3(10, 0, 5))),
      SceneObject(
        instanceID: 2, semanticClass: 2, className: "c", baseColour: TestScenes.grey,
        parts: [Part(.cylinder(radius: 0.5, height: 2))], transform: Transform(translation: Vec3(10, 5, 5))),
      SceneObject(
        instanceID: 3, semanticClass: 2, className: "t", baseColour: TestScenes.grey,
        parts: [Part(.mesh(TriangleMesh(vertices: [Vec3(0, -1, -1), Vec3(0, 1, -1), Vec3(0, 0, 1)], indices: [0, 1, 2])))],
        transform: Transform(translation: Vec3(10, -5, 5))),
    ])
    let intersector = try SceneIntersector(scene: scene)
    let sphere = try #require(intersector.closestHit(origin: Vec3(0, 0, 5), direction: .unitX))
    #expect(abs(sphere.t - 9) < 1e-12 && sphere.surface == .object(index: 0))
    #expect(abs(sphere.normal.x + 1) < 1e-12)
    let side = try #require(intersector.closestHit(origin: Vec3(0, 5, 5), direction: .unitX))
    #expect(abs(side.t - 9.5) < 1e-12)
    let cap = try #require(intersector.closestHit(origin: Vec3(10, 5, 20), direction: -.unitZ))
    #expect(abs(cap.t - 14) < 1e-12 && abs(cap.normal.z - 1) < 1e-12)
    let triangle = try #require(intersector.closestHit(origin: Vec3(0, -5, 5), direction: .unitX))
    #expect(abs(triangle.t - 10) < 1e-12 && triangle.surface == .object(index: 2))
    let ground = try #require(intersector.closestHit(origin: Vec3(0, 20, 5), direction: Vec3(1, 0, -1)))
    #expect(ground.surface == .ground && abs(ground.t - 5) < 1e-12)
    #expect(intersector.closestHit(origin: Vec3(0, 20, 5), direction: .unitZ) == nil)
  }

  /// The BVH must agree with testing every primitive, for many random shapes and rays.
  @Test func bvhAgreesWithBruteForce() throws {
    var state: UInt64 = 1
    func next() -> Double {
      state = Hash.mix(state)
      return Hash.unit(state)
    }
    let objects = (0..<300).map { i in
      let shape: PartShape
      switch i % 4 {
      case 0: shape = .box(size: Vec3(0.2 + next(), 0.2 + next(), 0.2 + next()))
      case 1: shape = .sphere(radius: 0.1 + next())
      case 2: shape = .cylinder(radius: 0.1 + next() * 0.5, height: 0.2 + next() * 2)
      default:
        let corners = (0..<4).map { _ in Vec3(next() * 2 - 1, next() * 2 - 1, next() * 2 - 1) }
        shape = .mesh(TriangleMesh(vertices: corners, indices: [0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3]))
      }
      return SceneObject(
        instanceID: UInt32(i + 1), semanticClass: 2, className: "b", baseColour: TestScenes.grey,
        parts: [Part(shape)],
        transform: Transform(
          rotation: Quaternion(yaw: next() * 6, pitch: next(), roll: next()),
          translation: Vec3(next() * 40 - 20, next() * 40 - 20, next() * 10)))
    }
    let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
    for _ in 0..<2000 {
      let origin = Vec3(next() * 60 - 30, next() * 60 - 30, next() * 20)
      let direction = Vec3(next() - 0.5, next() - 0.5, next() - 0.5)
      let fast = intersector.closestHit(origin: origin, direction: direction, includeGround: false)
      var best: (Double, Int)? = nil
      for index in objects.indices {
        if let t = intersector.withTraversalStack({ stack in
          intersector.hitAlone(object: index, origin: origin, direction: direction, tMax: .infinity, stack: stack)
        }), t < (best?.0 ?? .infinity) {
          best = (t, index)
        }
      }
      #expect(fast?.t == best?.0)
      if let best { #expect(fast?.surface == .object(index: best.1)) }
    }
  }

  @Test func meshObjectsUseTheirOwnHierarchyForCoverage() throws {
    // A 20×20 grid of triangles (800 > threshold) forming a vertical square.
    var vertices: [Vec3] = []
    var indices: [UInt32] = []
    for j in 0...20 { for i in 0...20 { vertices.append(Vec3(0, Double(i) * 0.1 - 1, Double(j) * 0.1)) } }
    for j in 0..<20 {
      for i in 0..<20 {
        let a = UInt32(j * 21 + i)
        indices += [a, a + 1, a + 22, a, a + 22, a + 21]
      }
    }
    let sheet = SceneObject(
      instanceID: 1, semanticClass: 2, className: "sheet", baseColour: TestScenes.grey,
      parts: [Part(.mesh(TriangleMesh(vertices: vertices, indices: indices)))],
      transform: Transform(translation: Vec3(6, 0, 0)))
    let camera = try TestScenes.camera(width: 96, height: 72, at: Vec3(0, 0, 1))
    let frame = try SceneIntersector(scene: RenderScene(objects: [sheet])).render(camera)
    let label = try #require(frame.objects.first)
    #expect(label.visiblePixels > 100)
    #expect(label.visibleFraction == 1)
  }
}
