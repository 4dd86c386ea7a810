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

  /// A random box, sphere, cylinder or tetrahedron mesh (by `i` mod 4) drawn from `next`.
  static func randomShape(_ i: Int, _ next: () -> Double) -> PartShape {
    switch i % 4 {
    case 0: return .box(size: Vec3(0.2 + next(), 0.2 + next(), 0.2 + next()))
    case 1: return .sphere(radius: 0.1 + next())
    case 2: return .cylinder(radius: 0.1 + next() * 0.5, height: 0.2 + next() * 2)
    default:
      let corners = (0..<4).map { _ in Vec3(next() * 2 - 1, next() * 2 - 1, next() * 2 - 1) }
      return .mesh(TriangleMesh(vertices: corners, indices: [0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3]))
    }
  }

  /// The BVH must agree with testing every primitive, for many random shapes and rays.
  @Test func bvhAgreesWithBruteForce() throws {
    var state: UInt64 = 1
    func next() -> Double {
      state = Hash.mix(state)
      return Hash.unit(state)
    }
    let objects = (0..<300).map { i in
      SceneObject(
        instanceID: UInt32(i + 1), semanticClass: 2, className: "b", baseColour: TestScenes.grey,
        parts: [Part(Self.randomShape(i, next))],
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

  /// `coversAlone` (two any-hit questions) must answer exactly "the nearest hit on the
  /// object alone lies beyond the near clip", also for a near clip at the hit itself and one
  /// float step either side of it, for objects of a few parts and for one with its own BVH.
  @Test func coverageQueriesMatchTheNearestHit() throws {
    var numbers = RayBundleTests.Numbers(state: 7)
    func next() -> Double { numbers.next() }
    var objects = (0..<40).map { i in
      SceneObject(
        instanceID: UInt32(i + 1), semanticClass: 2, className: "b", baseColour: TestScenes.grey,
        parts: [
          Part(Self.randomShape(i, next)),
          Part(.box(size: Vec3(0.3, 0.3, 0.3)), transform: Transform(translation: Vec3(0, 0, 1))),
        ],
        transform: Transform(
          rotation: Quaternion(yaw: next() * 6, pitch: next(), roll: next()),
          translation: Vec3(next() * 10 - 5, next() * 10 - 5, next() * 4)))
    }
    // Eleven parts: three groups of boxes for `coversAlone(_:…)`, the last one partial.
    objects.append(
      SceneObject(
        instanceID: 99, semanticClass: 2, className: "row", baseColour: TestScenes.grey,
        parts: (0..<11).map { k in
          Part(
            k % 3 == 0 ? .sphere(radius: 0.2) : .box(size: Vec3(0.3, 0.2, 0.25)),
            transform: Transform(translation: Vec3(Double(k) * 0.25 - 1.2, 0, Double(k % 4) * 0.2)))
        }, transform: Transform(rotation: Quaternion(yaw: 0.4), translation: Vec3(1, -2, 1))))
    // More parts than `objectBVHThreshold`: coverage walks the object's own BVH.
    objects.append(
      SceneObject(
        instanceID: 100, semanticClass: 2, className: "stack", baseColour: TestScenes.grey,
        parts: (0..<40).map { k in
          Part(.box(size: Vec3(0.4, 0.4, 0.1)), transform: Transform(translation: Vec3(0, 0, Double(k) * 0.15)))
        }, transform: Transform(translation: Vec3(0, 0, 0))))
    let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
    var covered = 0
    var nearAtHit = 0
    intersector.withTraversalStack { stack in
      for ray in 0..<3000 {
        let index = ray % objects.count
        let target = objects[index].transform.translation + Vec3(next() - 0.5, next() - 0.5, next() * 2)
        let origin = target + Vec3(next() * 16 - 8, next() * 16 - 8, next() * 6 - 3)
        let direction = (target - origin) * (0.5 + next())
        let far = ray % 7 == 0 ? 1.0 + next() : 50
        let nearest = intersector.hitAlone(object: index, origin: origin, direction: direction, tMax: far, stack: stack)
        var nears = [0.0, 0.01, next() * 2, -1]
        if let t = nearest { nears += [t, t.nextUp, t.nextDown, t * 0.5, t * 1.5] }
        for near in nears {
          let expected = nearest.map { $0 > near } ?? false
          let answer = intersector.coversAlone(
            object: index, origin: origin, direction: direction, near: near, far: far, stack: stack)
          #expect(answer == expected, "ray \(ray), object \(index), near \(near), nearest \(String(describing: nearest))")
          // The same answer with the object's boxes in groups of four (the label pass's path).
          let grouped = intersector.withAloneTarget(object: index, near: near, far: far) { target in
            target.map { intersector.coversAlone($0, origin: origin, direction: direction, stack: stack) }
          }
          #expect((grouped ?? answer) == answer, "ray \(ray), object \(index), near \(near): grouped boxes")
          if answer { covered += 1 }
          if let t = nearest, near == t { nearAtHit += 1 }
        }
      }
    }
    #expect(covered > 3000 && nearAtHit > 500, "enough rays must hit for the comparison to mean anything")
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
