#if canImport(Glibc)
  import Glibc
#endif
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// Triangle meshes in the ray caster: watertightness, agreement with the analytic box,
/// instancing (one mesh BVH for many instances), smooth normals, limits and determinism.
@Suite struct MeshTracingTests {
  /// A deterministic stream of numbers in [0, 1).
  struct Stream {
    var state: UInt64
    mutating func next() -> Double {
      state = Hash.mix(state)
      return Hash.unit(state)
    }
  }

  /// A closed icosphere of unit radius: 20·4^subdivisions triangles, shared vertices.
  static func icosphere(subdivisions: Int) -> (vertices: [Vec3], indices: [UInt32]) {
    let g = (1 + 5.0.squareRoot()) / 2
    var vertices = [
      Vec3(-1, g, 0), Vec3(1, g, 0), Vec3(-1, -g, 0), Vec3(1, -g, 0), Vec3(0, -1, g), Vec3(0, 1, g),
      Vec3(0, -1, -g), Vec3(0, 1, -g), Vec3(g, 0, -1), Vec3(g, 0, 1), Vec3(-g, 0, -1), Vec3(-g, 0, 1),
    ].map(\.normalized)
    var faces: [(Int, Int, Int)] = [
      (0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2), (10, 7, 6),
      (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7),
      (9, 8, 1),
    ]
    for _ in 0..<subdivisions {
      var midpoints: [Int: Int] = [:]
      func midpoint(_ a: Int, _ b: Int) -> Int {
        let key = Swift.min(a, b) * 1_000_000 + Swift.max(a, b)
        if let known = midpoints[key] { return known }
        vertices.append(((vertices[a] + vertices[b]) * 0.5).normalized)
        midpoints[key] = vertices.count - 1
        return vertices.count - 1
      }
      faces = faces.flatMap { a, b, c -> [(Int, Int, Int)] in
        let (ab, bc, ca) = (midpoint(a, b), midpoint(b, c), midpoint(c, a))
        return [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
      }
    }
    return (vertices, faces.flatMap { [UInt32($0.0), UInt32($0.1), UInt32($0.2)] })
  }

  /// A box of full extents `size` centred on the origin as 12 triangles.
  static func cube(size: Vec3) -> (vertices: [Vec3], indices: [UInt32]) {
    let h = size / 2
    var vertices: [Vec3] = []
    for x in [-h.x, h.x] { for y in [-h.y, h.y] { for z in [-h.z, h.z] { vertices.append(Vec3(x, y, z)) } } }
    // Corner index = 4·(x > 0) + 2·(y > 0) + (z > 0).
    let indices: [UInt32] = [
      0, 1, 3, 0, 3, 2, 4, 6, 7, 4, 7, 5, 0, 4, 5, 0, 5, 1, 2, 3, 7, 2, 7, 6, 0, 2, 6, 0, 6, 4, 1, 5, 7, 1, 7, 3,
    ]
    return (vertices, indices)
  }

  static func object(_ id: UInt32, _ shape: PartShape, at transform: Transform) -> SceneObject {
    SceneObject(
      instanceID: id, semanticClass: 2, className: "thing", baseColour: TestScenes.grey, parts: [Part(shape)],
      transform: transform)
  }

  /// Rays aimed exactly at the vertices and at points of the shared edges of a closed mesh,
  /// from many directions and with the mesh turned arbitrarily, must all hit it.
  @Test func raysThroughSharedEdgesAndVerticesNeverMiss() throws {
    let sphere = Self.icosphere(subdivisions: 3)
    let sphereMesh = TriangleMesh(vertices: sphere.vertices, indices: sphere.indices)
    var stream = Stream(state: 5)
    var edges = Set<[UInt32]>()
    for t in stride(from: 0, to: sphere.indices.count, by: 3) {
      let f = Array(sphere.indices[t..<(t + 3)])
      for (a, b) in [(f[0], f[1]), (f[1], f[2]), (f[2], f[0])] { edges.insert([Swift.min(a, b), Swift.max(a, b)]) }
    }
    var aimed = 0
    var misses = 0
    for pose in 0..<3 {
      let placed = Transform(
        rotation: Quaternion(yaw: stream.next() * 6, pitch: stream.next() * 3 - 1.5, roll: stream.next() * 6),
        translation: Vec3(stream.next() * 10 - 5, stream.next() * 10 - 5, 3 + Double(pose)))
      let intersector = try SceneIntersector(
        scene: RenderScene(objects: [Self.object(1, .mesh(sphereMesh), at: placed)]))
      var targets = sphere.vertices.map { placed.apply(toPoint: $0) }
      for edge in edges.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
        let (a, b) = (sphere.vertices[Int(edge[0])], sphere.vertices[Int(edge[1])])
        for s in [0.5, stream.next()] { targets.append(placed.apply(toPoint: a + (b - a) * s)) }
      }
      intersector.withRayCaster { caster in
        for target in targets {
          // An origin 4–12 units out, within about 60° of the outward normal, so the line
          // crosses the surface at the target (a line that only grazes a convex corner may
          // legitimately miss).
          let outward = placed.inverse.apply(toPoint: target).normalized
          var away = Vec3.zero
          repeat {
            away = (outward + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) * 2).normalized
          } while away.dot(outward) < 0.5
          let origin = target + placed.apply(toVector: away) * (4 + 8 * stream.next())
          aimed += 1
          guard let hit = caster.closestHit(origin: origin, direction: target - origin, includeGround: false) else {
            misses += 1
            continue
          }
          #expect(hit.surface == .object(index: 0))
          // The first surface on the way cannot lie beyond the aimed-at point.
          #expect(hit.t <= 1 + 1e-9)
          let alone = intersector.withTraversalStack { stack in
            intersector.hitAlone(object: 0, origin: origin, direction: target - origin, tMax: .infinity, stack: stack)
          }
          #expect(alone == hit.t)
        }
      }
    }
    #expect(aimed > 5000)
    #expect(misses == 0)
  }

  /// A 12-triangle cube renders the same instance mask and depth as a box part, up to the
  /// pixels on its outline, and gets the same labels and visibility.
  @Test func meshCubeRendersLikeABoxPart() throws {
    let size = Vec3(2.2, 1.4, 1.6)
    let pose = Transform(rotation: Quaternion(yaw: 0.6, pitch: 0.2, roll: 0.1), translation: Vec3(9, 0.4, 1.3))
    let blocker = SceneObject.box(
      instanceID: 2, semanticClass: 3, className: "wall", baseColour: TestScenes.grey, size: Vec3(0.5, 1.2, 2),
      transform: Transform(position: Vec3(6, -0.6, 0), yaw: 0))
    let cube = Self.cube(size: size)
    let cubeMesh = TriangleMesh(vertices: cube.vertices, indices: cube.indices)
    let camera = try TestScenes.camera(width: 160, height: 120, fovDegrees: 60, at: Vec3(0, 0, 1.4))
    let options = CameraRenderOptions(threads: 2)
    let boxScene = RenderScene(objects: [Self.object(1, .box(size: size), at: pose), blocker])
    let meshScene = RenderScene(
      objects: [Self.object(1, .mesh(cubeMesh), at: pose), blocker])
    let boxIntersector = try SceneIntersector(scene: boxScene)
    let meshIntersector = try SceneIntersector(scene: meshScene)
    let a = try boxIntersector.render(camera, options: options)
    let b = try meshIntersector.render(camera, options: options)
    let (w, h) = (a.width, a.height)
    var differing = 0
    var covered = 0
    for y in 0..<h {
      for x in 0..<w {
        let i = y * w + x
        if a.instance[i] == 1 { covered += 1 }
        if a.instance[i] == b.instance[i] {
          if a.instance[i] == 1 { #expect(abs(Int(a.depth[i]) - Int(b.depth[i])) <= 1) }
          continue
        }
        differing += 1
        // Only on the outline: some neighbour of the pixel differs in the box image.
        var outline = false
        for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1), (-1, 1), (1, -1)] {
          let (nx, ny) = (x + dx, y + dy)
          if nx >= 0, ny >= 0, nx < w, ny < h, a.instance[ny * w + nx] != a.instance[i] { outline = true }
        }
        #expect(outline, "pixel (\(x), \(y)) differs off the outline")
      }
    }
    #expect(covered > 400)
    #expect(differing * 50 < covered)
    let boxLabel = try #require(a.objects.first { $0.instanceID == 1 })
    let meshLabel = try #require(b.objects.first { $0.instanceID == 1 })
    #expect(boxLabel.occlusion > 0.05)
    #expect(abs(boxLabel.occlusion - meshLabel.occlusion) < 0.02)
    #expect(abs(boxLabel.visiblePixels - meshLabel.visiblePixels) * 50 < boxLabel.visiblePixels)
    let boxVisibility = try #require(boxIntersector.visibility(ofInstance: 1, from: camera)?.fraction)
    let meshVisibility = try #require(meshIntersector.visibility(ofInstance: 1, from: camera)?.fraction)
    #expect(abs(boxVisibility - meshVisibility) < 0.03)
  }

  /// The two-level walk (scene BVH over instances, then each mesh's own BVH) finds exactly
  /// the nearest of all triangles, for random rays, rays parallel to axes and rays with
  /// zero direction components (which choose the node planes by sign), closest and any hit.
  @Test func twoLevelWalkAgreesWithBruteForceOverEveryTriangle() throws {
    var stream = Stream(state: 21)
    // A bumpy icosphere (1,280 triangles: a deep mesh BVH) and a flat 2 × 2 m sheet.
    let sphere = Self.icosphere(subdivisions: 3)
    let bumpy = sphere.vertices.map { $0 * (0.8 + 0.4 * stream.next()) }
    var sheet: [Vec3] = []
    var sheetIndices: [UInt32] = []
    for i in 0...10 { for j in 0...10 { sheet.append(Vec3(Double(i) * 0.2 - 1, Double(j) * 0.2 - 1, 0)) } }
    for i in 0..<10 {
      for j in 0..<10 {
        let p = UInt32(i * 11 + j)
        sheetIndices += [p, p + 11, p + 1, p + 1, p + 11, p + 12]
      }
    }
    let meshes = [
      TriangleMesh(vertices: bumpy, indices: sphere.indices), TriangleMesh(vertices: sheet, indices: sheetIndices),
    ]
    var objects: [SceneObject] = []
    for i in 0..<40 {
      var rotation = Quaternion.identity
      if i % 5 != 0 {
        rotation = Quaternion(yaw: stream.next() * 6, pitch: stream.next() * 3 - 1.5, roll: stream.next() * 6)
      }
      let position = Vec3(stream.next() * 16 - 8, stream.next() * 16 - 8, stream.next() * 6)
      let pose = Transform(rotation: rotation, translation: position)
      objects.append(Self.object(UInt32(i + 1), .mesh(meshes[i % 2]), at: pose))
    }
    let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
    #expect(intersector.meshCount == 2)
    let flat = intersector.primitives
    let table = intersector.table

    /// Every triangle of every instance, in the instance's frame as the walk moves the ray.
    func bruteForce(_ origin: Vec3, _ direction: Vec3, tMax: Double) -> (t: Double, object: Int)? {
      var best: (t: Double, object: Int)? = nil
      for primitive in 0..<table.count where table.kinds[primitive] == .instance {
        let record = flat.record(primitive)
        let (lo, ld) = PrimitiveIntersection.toLocal(record, origin, direction)
        let mesh = flat.meshes[Int(record[12])]
        let exact = WatertightRay(origin: lo, direction: ld)
        for slot in 0..<table.meshStore.meshes[Int(record[12])].triangleCount {
          if let hit = exact.intersect(mesh.triangles + slot * 9, tMin: 0, tMax: best?.t ?? tMax) {
            best = (hit.t, Int(flat.objects[primitive]))
          }
        }
      }
      return best
    }

    var rays: [(Vec3, Vec3)] = []
    for k in 0..<1200 {
      let origin = Vec3(stream.next() * 30 - 15, stream.next() * 30 - 15, stream.next() * 10 - 2)
      var direction = Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5)
      switch k % 8 {
      case 1: direction.x = 0
      case 3: direction = Vec3(0, 0, direction.z)
      case 5: direction = Vec3(direction.x, 0, 0)
      case 7: direction = Vec3(-0.0, direction.y, 0)
      default: break
      }
      if direction == .zero { direction = .unitZ }
      // The even rays aim at an instance, so many rays hit something.
      if k % 2 == 0 {
        let target = objects[k % objects.count].transform.translation
        direction = target + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) - origin
      }
      rays.append((origin, direction))
    }
    var hits = 0
    intersector.withRayCaster { caster in
      for (origin, direction) in rays {
        let expected = bruteForce(origin, direction, tMax: .infinity)
        let found = caster.closestHit(origin: origin, direction: direction, includeGround: false)
        #expect(found?.t == expected?.t)
        if let expected {
          hits += 1
          #expect(found?.surface == .object(index: expected.object))
          // Any hit within a window that ends just past the nearest hit, and none before it.
          #expect(caster.isOccluded(origin: origin, direction: direction, tMin: 0, tMax: expected.t * 1.000001))
          #expect(!caster.isOccluded(origin: origin, direction: direction, tMin: 0, tMax: expected.t))
        } else {
          #expect(!caster.isOccluded(origin: origin, direction: direction, tMin: 0, tMax: .infinity))
        }
      }
    }
    #expect(hits > 400)
  }

  /// Planning small ranges without bins (`bestSplitOfFew`) builds exactly the tree the binned
  /// sweep builds: same nodes, bytes and leaf order, for random boxes, repeated boxes and
  /// boxes whose centres coincide on some axes.
  @Test func smallRangePlansBuildTheSameTrees() {
    var stream = Stream(state: 33)
    for trial in 0..<60 {
      let count = 1 + trial * 7 % 150
      var boxes: [AABB] = []
      for i in 0..<count {
        var c = Vec3(stream.next() * 10, stream.next() * 10, stream.next() * 10)
        if trial % 3 == 1 { c.z = 2 }  // coincident on one axis
        if trial % 5 == 2 && i % 3 == 0, let earlier = boxes.last { boxes.append(earlier); continue }
        let h = Vec3(stream.next(), stream.next() * 0.1, stream.next() * 2) * (trial % 4 == 3 ? 0 : 1)
        boxes.append(AABB(lower: c - h, upper: c + h))
      }
      let primitives = (0..<UInt32(count)).map { $0 }
      let few = BVH(bounds: boxes, primitives: primitives)
      let binned = BVH(bounds: boxes, primitives: primitives, fewLimit: 0)
      #expect(few.nodeCount == binned.nodeCount && few.depth == binned.depth)
      guard few.nodeCount == binned.nodeCount else { continue }
      #expect((0..<count).allSatisfy { few.leaves[$0] == binned.leaves[$0] })
      let bytes = few.nodeCount * BVH.nodeBytes
      #expect(memcmp(few.nodes, binned.nodes, bytes) == 0)
    }
  }

  /// A 20,000-triangle mesh used by 200 objects is built and stored once; casting against the
  /// instances gives exactly the hits of separate copies.
  @Test func instancesShareOneMeshWithoutCopyingIt() throws {
    // An open tube: 100 rings of 100 segments, two triangles per quad.
    var vertices: [Vec3] = []
    var indices: [UInt32] = []
    let (rings, segments) = (101, 100)
    for r in 0..<rings {
      for s in 0..<segments {
        let a = Double(s) / Double(segments) * 2 * Double.pi
        vertices.append(Vec3(0.5 * a.cosine, 0.5 * a.sine, Double(r) * 0.02))
      }
    }
    for r in 0..<(rings - 1) {
      for s in 0..<segments {
        let p = UInt32(r * segments + s)
        let q = UInt32(r * segments + (s + 1) % segments)
        indices += [p, q, q + UInt32(segments), p, q + UInt32(segments), p + UInt32(segments)]
      }
    }
    #expect(indices.count / 3 == 20_000)
    var stream = Stream(state: 9)
    let poses = (0..<200).map { i in
      Transform(
        position: Vec3(4 + Double(i / 20) * 2, Double(i % 20) * 2 - 20, stream.next()), yaw: stream.next() * 6)
    }
    let mesh = TriangleMesh(vertices: vertices, indices: indices)
    let shared = try SceneIntersector(
      scene: RenderScene(
        objects: poses.enumerated().map { i, pose in
          Self.object(UInt32(i + 1), .mesh(mesh), at: pose)
        }))
    #expect(shared.meshCount == 1)
    #expect(shared.meshTriangleCount == 20_000)
    #expect(shared.table.count == 200)

    // Separate mesh objects with the same contents are separate meshes; a row of 4 of them
    // gives exactly the hits of the same row sharing one mesh.
    let row = Array(poses.prefix(4))
    let sharedRow = try SceneIntersector(
      scene: RenderScene(
        objects: row.enumerated().map { i, pose in
          Self.object(UInt32(i + 1), .mesh(mesh), at: pose)
        }))
    let separate = try SceneIntersector(
      scene: RenderScene(
        objects: row.enumerated().map { i, pose in
          Self.object(UInt32(i + 1), .mesh(TriangleMesh(vertices: vertices, indices: indices)), at: pose)
        }))
    #expect(sharedRow.meshCount == 1)
    #expect(separate.meshCount == 4)
    var objectHits = 0
    for _ in 0..<500 {
      let origin = Vec3(0, stream.next() * 40 - 20, 0.3 + stream.next() * 2)
      let direction = Vec3(1, stream.next() * 0.4 - 0.2, stream.next() * 0.2 - 0.1)
      let hit = sharedRow.closestHit(origin: origin, direction: direction)
      #expect(hit == separate.closestHit(origin: origin, direction: direction))
      if case .object? = hit?.surface { objectHits += 1 }
    }
    #expect(objectHits > 20)

    // The next frame's intersector over the same mesh reuses the BVH built for this one; a
    // mesh that is released takes its BVH with it at the cache's next sweep, which comes
    // once the cache has doubled (entries of released meshes included) since the last.
    let again = try SceneIntersector(scene: RenderScene(objects: [Self.object(1, .mesh(mesh), at: .identity)]))
    #expect(again.table.meshStore.meshes[0] === shared.table.meshStore.meshes[0])
    weak var released: MeshBVH?
    do {
      let temporary = TriangleMesh(vertices: vertices, indices: Array(indices.prefix(300)))
      let intersector = try SceneIntersector(
        scene: RenderScene(objects: [Self.object(1, .mesh(temporary), at: .identity)]))
      released = intersector.table.meshStore.meshes[0]
      #expect(released != nil)
    }
    var inserted = 0
    while released != nil && inserted < 100_000 {
      let fresh = TriangleMesh(vertices: vertices, indices: [0, 1, 2])
      _ = try SceneIntersector(scene: RenderScene(objects: [Self.object(1, .mesh(fresh), at: .identity)]))
      inserted += 1
    }
    #expect(released == nil)
    let camera = try TestScenes.camera(width: 64, height: 48, at: Vec3(0, 0, 1.2))
    #expect(try shared.render(camera).objects.count > 10)
  }

  /// Vertex normals are interpolated across a triangle: on a sphere mesh they track the true
  /// sphere normal far better than the flat facet normal, and always face the ray.
  @Test func smoothNormalsFollowTheSurface() throws {
    let sphere = Self.icosphere(subdivisions: 2)
    let smooth = try MeshBVH(vertices: sphere.vertices, indices: sphere.indices, normals: sphere.vertices) {
      RenderError.invalidPart(instanceID: 1, reason: $0)
    }
    let flat = try MeshBVH(vertices: sphere.vertices, indices: sphere.indices, normals: nil) {
      RenderError.invalidPart(instanceID: 1, reason: $0)
    }
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: Swift.max(smooth.stackDepth, flat.stackDepth))
    defer { stack.deallocate() }
    var scratch = MeshHitScratch(stack: stack)
    var stream = Stream(state: 3)
    var smoothError = 0.0
    var flatError = 0.0
    for _ in 0..<400 {
      let origin = Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5).normalized * 5
      let direction = Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) * 0.6 - origin
      for (mesh, isSmooth) in [(smooth, true), (flat, false)] {
        guard
          let t = MeshTraversal.intersect(
            mesh.view, origin: origin, direction: direction, tMin: 0, tMax: .infinity, anyHit: false,
            scratch: &scratch)
        else { continue }
        let n = MeshTraversal.facingNormal(
          mesh.view, slot: scratch.slot, u: scratch.u, v: scratch.v, direction: direction)
        #expect(abs(n.length - 1) < 1e-12)
        #expect(n.dot(direction) < 0)
        let truth = (origin + direction * t).normalized
        let error = (n - truth).length
        if isSmooth { smoothError = Swift.max(smoothError, error) } else { flatError = Swift.max(flatError, error) }
      }
    }
    #expect(flatError > 0.1)
    #expect(smoothError < flatError / 4)

    // End to end: a mesh with normals shades smoothly through the scene intersector.
    let centre = Vec3(8, 0, 3)
    let intersector = try SceneIntersector(
      scene: RenderScene(objects: [
        Self.object(
          1, .mesh(TriangleMesh(vertices: sphere.vertices, indices: sphere.indices, normals: sphere.vertices)),
          at: Transform(position: centre, yaw: 0.4))
      ]))
    var hits = 0
    for k in 0..<50 {
      let direction = Vec3(1, Double(k % 10) * 0.02 - 0.09, Double(k / 10) * 0.02 - 0.05)
      let hit = try #require(intersector.closestHit(origin: Vec3(0, 0, 3), direction: direction))
      let truth = (Vec3(0, 0, 3) + direction * hit.t - centre).normalized
      #expect((hit.normal - truth).length < flatError / 2)
      hits += 1
    }
    #expect(hits == 50)
  }

  /// Nodes are stored with `BVH.conservative` four axes at a time (every node of every build
  /// and refit): the same bits as the scalar form, lane by lane, on random boxes at every
  /// scale and on the edge cases of `abs`, `max`, the Float32 rounding, `nextDown` and
  /// `nextUp` (zeros of both signs, the smallest subnormals, values that round to or past
  /// the Float32 range, infinities, NaN).
  @Test func conservativeFourAtOnceMatchesTheScalarForm() {
    var stream = Stream(state: 91)
    let specials: [Double] = [
      0, -0.0, Double(Float.leastNonzeroMagnitude), -Double(Float.leastNonzeroMagnitude), 1e-300, -1e-300, 1, -1,
      Double(Float.greatestFiniteMagnitude), -Double(Float.greatestFiniteMagnitude), 1e39, -1e39, .infinity,
      -.infinity, .nan, 12345.678, -0.5,
    ]
    var values = specials
    for _ in 0..<4000 {
      let scale = Double(sign: .plus, exponent: Int(stream.next() * 54) - 27, significand: 1)
      values.append((stream.next() * 2 - 1) * scale)
    }
    var checked = 0
    for k in 0..<values.count {
      var lower = SIMD4<Double>()
      var upper = SIMD4<Double>()
      for lane in 0..<4 {
        lower[lane] = values[(k + lane * 7) % values.count]
        upper[lane] = values[(k * 3 + lane * 11 + 1) % values.count]
      }
      let (low, high) = BVH.conservative(lower: lower, upper: upper)
      for lane in 0..<4 {
        let (scalarLow, scalarHigh) = BVH.conservative(lower: lower[lane], upper: upper[lane])
        #expect(
          low[lane].bitPattern == scalarLow.bitPattern && high[lane].bitPattern == scalarHigh.bitPattern,
          "lower \(lower[lane]), upper \(upper[lane])")
        checked += 1
      }
    }
    #expect(checked == 4 * values.count)
  }

  /// A BVH refitted to moved vertices (`MeshBVH(refitting:…)`, the tree of another mesh with
  /// the same index list) answers every ray exactly like a BVH built for those vertices and
  /// like brute force over every triangle: same t, same triangle (the least index among hits
  /// at equal t), same barycentrics; any-hit queries agree. Rays include ones aimed at shared
  /// vertices and edge midpoints of a flat grid, where several triangles tie at equal t.
  @Test func refittedBVHAnswersLikeARebuiltOneAndBruteForce() throws {
    var stream = Stream(state: 77)
    let reject = { (reason: String) in RenderError.invalidPart(instanceID: 1, reason: reason) }
    // A bumpy icosphere (1,280 triangles) and a 12 × 12 grid of unit-spaced quads.
    let sphere = Self.icosphere(subdivisions: 3)
    var grid: [Vec3] = []
    var gridIndices: [UInt32] = []
    for i in 0...12 { for j in 0...12 { grid.append(Vec3(Double(i) - 6, Double(j) - 6, 0)) } }
    for i in 0..<12 {
      for j in 0..<12 {
        let p = UInt32(i * 13 + j)
        gridIndices += [p, p + 13, p + 1, p + 1, p + 13, p + 14]
      }
    }
    struct Case {
      let original: [Vec3]
      let moved: [Vec3]
      let indices: [UInt32]
      let targets: [Vec3]
    }
    var cases: [Case] = []
    // The sphere: bumped, then stretched, bent and bumped again (a body part in another pose).
    let bumpy = sphere.vertices.map { $0 * (0.8 + 0.4 * stream.next()) }
    let bent = sphere.vertices.map { v -> Vec3 in
      let stretched = Vec3(v.x * 0.4, v.y * 0.5, v.z * 2)
      return Vec3(stretched.x + 0.3 * stretched.z * stretched.z, stretched.y, stretched.z) * (0.9 + 0.2 * stream.next())
    }
    cases.append(Case(original: bumpy, moved: bent, indices: sphere.indices, targets: bent))
    // The grid: the original flat, the moved one flat too but sheared in its plane (exact
    // binary coordinates, so rays through vertices and edge midpoints tie between triangles).
    let sheared = grid.map { Vec3($0.x + 0.5 * $0.y, $0.y * 0.75, 0) }
    var gridTargets = sheared
    for t in stride(from: 0, to: gridIndices.count, by: 3) {
      let (a, b) = (sheared[Int(gridIndices[t])], sheared[Int(gridIndices[t + 1])])
      gridTargets.append((a + b) * 0.5)
    }
    cases.append(Case(original: grid, moved: sheared, indices: gridIndices, targets: gridTargets))

    var ties = 0
    var hits = 0
    var seededTies = 0
    for c in cases {
      let original = try MeshBVH(vertices: c.original, indices: c.indices, normals: nil, reject: reject)
      let rebuilt = try MeshBVH(vertices: c.moved, indices: c.indices, normals: nil, reject: reject)
      let refitted = try #require(
        try MeshBVH(refitting: original.topology, vertices: c.moved, indices: c.indices, normals: nil, reject: reject))
      #expect(refitted.topology === original.topology)
      #expect(refitted.bvh.nodeCount == original.bvh.nodeCount)
      #expect(refitted.bounds == rebuilt.bounds)
      let depth = Swift.max(refitted.stackDepth, rebuilt.stackDepth)
      let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: depth)
      defer { stack.deallocate() }
      var scratch = MeshHitScratch(stack: stack)

      /// Every triangle in index order; strict < keeps the least index among equal t.
      func bruteForce(_ origin: Vec3, _ direction: Vec3) -> (t: Double, triangle: Int, u: Double, v: Double, count: Int)? {
        let exact = WatertightRay(origin: origin, direction: direction)
        var best: (t: Double, triangle: Int, u: Double, v: Double, count: Int)? = nil
        var corners = [Double](repeating: 0, count: 9)
        for triangle in 0..<(c.indices.count / 3) {
          for k in 0..<3 {
            let v = c.moved[Int(c.indices[3 * triangle + k])]
            (corners[3 * k], corners[3 * k + 1], corners[3 * k + 2]) = (v.x, v.y, v.z)
          }
          let hit = corners.withUnsafeBufferPointer { exact.intersect($0.baseAddress!, tMin: 0, tMax: .infinity) }
          guard let hit else { continue }
          if let current = best, hit.t == current.t { best?.count += 1 }
          if best == nil || hit.t < best!.t { best = (hit.t, triangle, hit.u, hit.v, 1) }
        }
        return best
      }

      func query(
        _ mesh: MeshBVH, _ origin: Vec3, _ direction: Vec3, anyHit: Bool = false, tMax: Double = .infinity,
        seed: Int = -1
      ) -> (t: Double, triangle: Int, u: Double, v: Double)? {
        scratch.seed = seed
        defer { scratch.seed = -1 }
        guard
          let t = MeshTraversal.intersect(
            mesh.view, origin: origin, direction: direction, tMin: 0, tMax: tMax, anyHit: anyHit, scratch: &scratch)
        else { return nil }
        return (t, Int(mesh.topology.triangleOfSlot[scratch.slot]), scratch.u, scratch.v)
      }

      var rays: [(Vec3, Vec3)] = []
      for (k, target) in c.targets.enumerated() {
        if target.z == 0 {
          // Exact binary offsets: the ray passes exactly through the grid's vertex or edge
          // midpoint, where two or more triangles report the same t.
          let offset = [Vec3(0, 0, 2), Vec3(0.5, -0.25, 2), Vec3(-1, 0.5, 4)][k % 3]
          rays.append((target + offset, -offset))
        } else {
          let origin = Vec3(stream.next() * 8 - 4, stream.next() * 8 - 4, 3 + stream.next() * 3)
          rays.append((origin, target - origin))
        }
      }
      for _ in 0..<400 {
        let origin = Vec3(stream.next() * 10 - 5, stream.next() * 10 - 5, stream.next() * 10 - 5)
        rays.append((origin, Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) - origin * 0.2))
      }
      for (k, (origin, direction)) in rays.enumerated() {
        let expected = bruteForce(origin, direction)
        for mesh in [rebuilt, refitted] {
          let found = query(mesh, origin, direction)
          #expect(found?.t == expected?.t)
          #expect(found?.triangle == expected?.triangle)
          #expect(found?.u == expected?.u && found?.v == expected?.v)
          // Seeded (`MeshHitScratch.seed`) with a triangle the ray hits, a tied one among
          // them, another triangle or a slot past the mesh's, the walk answers the same.
          let exact = WatertightRay(origin: origin, direction: direction)
          let hitSlots = (0..<mesh.triangleCount).filter {
            exact.intersect(mesh.triangles + $0 * 9, tMin: 0, tMax: .infinity) != nil
          }
          for seed in hitSlots.suffix(4) + [(k * 37) % mesh.triangleCount, mesh.triangleCount] {
            let seeded = query(mesh, origin, direction, seed: seed)
            #expect(seeded?.t == found?.t && seeded?.triangle == found?.triangle, "ray \(k), seed \(seed)")
            #expect(seeded?.u == found?.u && seeded?.v == found?.v, "ray \(k), seed \(seed)")
            #expect((query(mesh, origin, direction, anyHit: true, seed: seed) != nil) == (found != nil))
            if let found, seed < mesh.triangleCount, Int(mesh.topology.triangleOfSlot[seed]) != found.triangle,
              exact.intersect(mesh.triangles + seed * 9, tMin: 0, tMax: .infinity)?.t == found.t
            {
              seededTies += 1
            }
          }
          if let expected {
            #expect(query(mesh, origin, direction, anyHit: true, tMax: expected.t * 1.000001) != nil)
            #expect(query(mesh, origin, direction, anyHit: true, tMax: expected.t) == nil)
          } else {
            #expect(query(mesh, origin, direction, anyHit: true) == nil)
          }
        }
        if let expected {
          hits += 1
          if expected.count > 1 { ties += 1 }
        }
      }
    }
    #expect(hits > 600)
    #expect(ties > 50)
    #expect(seededTies > 20, "walks seeded with a triangle that ties but loses")

    // A mesh whose degenerate triangles differ from the topology's is not refitted.
    var flattened = bumpy
    flattened[Int(sphere.indices[1])] = flattened[Int(sphere.indices[0])]
    let source = try MeshBVH(vertices: bumpy, indices: sphere.indices, normals: nil, reject: reject)
    #expect(
      try MeshBVH(refitting: source.topology, vertices: flattened, indices: sphere.indices, normals: nil, reject: reject)
        == nil)
    // A malformed mesh is refused on the refit path as on the build path.
    #expect(throws: RenderError.self) {
      try MeshBVH(
        refitting: source.topology, vertices: bumpy, indices: sphere.indices, normals: [.unitZ], reject: reject)
    }
  }

  /// Through the process-wide cache, a new mesh indexed like one built before gets that
  /// mesh's tree refitted; a scene over it renders the same bytes as over the same triangles
  /// built from scratch (a mesh with unused extra vertices: another topology key).
  @Test func meshesOfOneTopologyShareTheirTreeThroughTheCache() throws {
    let sphere = Self.icosphere(subdivisions: 3)
    var stream = Stream(state: 91)
    // An index list no other test uses: the sphere's triangles in reverse order.
    var indices: [UInt32] = []
    for t in stride(from: sphere.indices.count - 3, through: 0, by: -3) { indices += sphere.indices[t..<(t + 3)] }
    let first = TriangleMesh(vertices: sphere.vertices, indices: indices, normals: sphere.vertices)
    let firstScene = try SceneIntersector(scene: RenderScene(objects: [Self.object(1, .mesh(first), at: .identity)]))
    let shape = try #require(MeshBVHCache.shared.topology(for: first))
    #expect(firstScene.table.meshStore.meshes[0].topology === shape)
    let camera = try TestScenes.camera(width: 64, height: 48, at: Vec3(-4, 0, 1))
    let placed = Transform(position: Vec3(0, 0, 1), yaw: 0.3)
    for k in 0..<4 {
      let vertices = sphere.vertices.map { Vec3($0.x * (1 + 0.2 * Double(k)), $0.y, $0.z) * (0.95 + 0.1 * stream.next()) }
      let normals = vertices.map(\.normalized)
      let phase = TriangleMesh(vertices: vertices, indices: indices, normals: normals)
      let refitted = try SceneIntersector(scene: RenderScene(objects: [Self.object(1, .mesh(phase), at: placed)]))
      #expect(refitted.table.meshStore.meshes[0].topology === shape)
      let extra = Array(repeating: Vec3(0, 0, 0.5), count: 1 + k)
      let separate = TriangleMesh(vertices: vertices + extra, indices: indices, normals: normals + extra)
      let built = try SceneIntersector(scene: RenderScene(objects: [Self.object(1, .mesh(separate), at: placed)]))
      #expect(built.table.meshStore.meshes[0].topology !== shape)
      let a = try refitted.render(camera)
      let b = try built.render(camera)
      #expect(a.rgb == b.rgb)
      #expect(a.depth == b.depth)
      #expect(a.instance == b.instance)
      #expect(Set(a.instance).count == 2)
    }
  }

  /// The same mesh scene renders and scans byte-identically on 1, 2 and 3 threads.
  @Test func meshScenesAreDeterministicAcrossThreadCounts() throws {
    let sphere = Self.icosphere(subdivisions: 2)
    let cube = Self.cube(size: Vec3(1, 2, 1))
    let sphereMesh = TriangleMesh(vertices: sphere.vertices, indices: sphere.indices, normals: sphere.vertices)
    let cubeMesh = TriangleMesh(vertices: cube.vertices, indices: cube.indices)
    var stream = Stream(state: 11)
    var objects: [SceneObject] = []
    for i in 0..<30 {
      let shape: PartShape =
        i % 3 == 0
        ? .box(size: Vec3(1, 1, 1))
        : i % 3 == 1 ? .mesh(sphereMesh)
        : .mesh(cubeMesh)
      objects.append(
        Self.object(
          UInt32(i + 1), shape,
          at: Transform(position: Vec3(4 + stream.next() * 30, stream.next() * 24 - 12, 1), yaw: stream.next() * 6)))
    }
    let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
    let camera = try TestScenes.camera(width: 96, height: 72, at: Vec3(0, 0, 1.5))
    let frames = try [1, 2, 3].map { try intersector.render(camera, options: CameraRenderOptions(threads: $0)) }
    for frame in frames.dropFirst() {
      #expect(frame.rgb == frames[0].rgb)
      #expect(frame.depth == frames[0].depth)
      #expect(frame.instance == frames[0].instance)
      #expect(frame.objects == frames[0].objects)
    }
    #expect(Set(frames[0].instance).count > 10)
    let lidar = LidarSensor(
      channels: 16, minElevation: -15.0.radians, maxElevation: 10.0.radians, azimuthSteps: 360, maxRange: 80,
      pose: Transform(translation: Vec3(0, 0, 1.8)))
    let scans = try [1, 3].map { try intersector.scan(lidar, threads: $0).points }
    #expect(scans[0] == scans[1])
    #expect(scans[0].contains { $0.instance > 0 })
  }

  /// Oversized meshes are refused with a RenderError before anything is built for them.
  @Test func meshSizeLimitsAreErrors() throws {
    let tooMany = [UInt32](repeating: 0, count: 3 * (MeshLimits.maxTrianglesPerMesh + 1))
    #expect(throws: RenderError.self) {
      try SceneIntersector(
        scene: RenderScene(objects: [Self.object(1, .mesh(TriangleMesh(vertices: [.zero], indices: tooMany)), at: .identity)]))
    }
    // Five distinct meshes at the per-mesh limit exceed the per-scene limit; instances of
    // one mesh do not.
    let full = [UInt32](repeating: 0, count: 3 * MeshLimits.maxTrianglesPerMesh)
    let perScene = MeshLimits.maxTrianglesPerScene / MeshLimits.maxTrianglesPerMesh
    let one = TriangleMesh(vertices: [.zero], indices: full)
    let instances = (0...perScene).map { i in Self.object(UInt32(i + 1), .mesh(one), at: .identity) }
    #expect(throws: Never.self) { try SceneIntersector(scene: RenderScene(objects: instances)) }
    let distinct = (0...perScene).map { i in
      Self.object(UInt32(i + 1), .mesh(TriangleMesh(vertices: [.zero], indices: full)), at: .identity)
    }
    do {
      _ = try SceneIntersector(scene: RenderScene(objects: distinct))
      Issue.record("a scene over the triangle limit was accepted")
    } catch let error as RenderError {
      guard case .invalidPart(let id, let reason) = error else { throw error }
      #expect(id == UInt32(perScene + 1))
      #expect(reason.contains("\(MeshLimits.maxTrianglesPerScene)"))
    }
    let badNormals = Self.cube(size: Vec3(1, 1, 1))
    #expect(throws: RenderError.self) {
      try MeshBVH(vertices: badNormals.vertices, indices: badNormals.indices, normals: [.unitZ]) {
        RenderError.invalidPart(instanceID: 1, reason: $0)
      }
    }
  }

  /// `MeshBVH.allFinite` (a sum of x − x) answers as the per-coordinate test: an infinite or
  /// NaN coordinate anywhere, in x, y or z, among finite ones as large as the greatest finite
  /// double, is found; and a mesh with one is refused, vertex or normal.
  @Test func nonFiniteVerticesAndNormalsAreFound() throws {
    let finite = [Vec3(1, -2, 3), Vec3(.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0), Vec3(-0.0, 1e-310, 5)]
    #expect(MeshBVH.allFinite(finite) && MeshBVH.allFinite([]))
    for bad in [Double.infinity, -.infinity, .nan] {
      for position in 0..<finite.count {
        for axis in 0..<3 {
          var points = finite
          points[position][axis] = bad
          #expect(!MeshBVH.allFinite(points), "\(bad) at \(position), axis \(axis)")
        }
      }
    }
    let cube = Self.cube(size: Vec3(1, 1, 1))
    let reject = { (reason: String) in RenderError.invalidPart(instanceID: 1, reason: reason) }
    var vertices = cube.vertices
    vertices[3].y = .nan
    #expect(throws: RenderError.invalidPart(instanceID: 1, reason: "non-finite mesh vertex")) {
      try MeshBVH(vertices: vertices, indices: cube.indices, normals: nil, reject: reject)
    }
    var normals = [Vec3](repeating: .unitZ, count: cube.vertices.count)
    normals[5].x = -.infinity
    #expect(throws: RenderError.invalidPart(instanceID: 1, reason: "non-finite mesh normal")) {
      try MeshBVH(vertices: cube.vertices, indices: cube.indices, normals: normals, reject: reject)
    }
  }
}

extension MeshTracingTests {
  /// What `scn verify --labels` checks across modalities holds on meshes: a LiDAR return from
  /// a mesh lands, seen from a camera at the same place, on a pixel of the same instance at
  /// the same depth.
  @Test func lidarReturnsAgreeWithCameraLabelsOnMeshes() throws {
    let sphere = Self.icosphere(subdivisions: 3)
    let cube = Self.cube(size: Vec3(2, 1.5, 1.2))
    let scene = RenderScene(objects: [
      Self.object(
        1, .mesh(TriangleMesh(vertices: sphere.vertices, indices: sphere.indices, normals: sphere.vertices)),
        at: Transform(position: Vec3(9, 1.5, 1.1), yaw: 0.3)),
      Self.object(
        2, .mesh(TriangleMesh(vertices: cube.vertices, indices: cube.indices)),
        at: Transform(rotation: Quaternion(yaw: 0.7, pitch: 0, roll: 0), translation: Vec3(12, -2.5, 0.6))),
      .box(
        instanceID: 3, semanticClass: 3, className: "crate", baseColour: TestScenes.grey, size: Vec3(1, 1, 1),
        transform: Transform(position: Vec3(7, -0.5, 0), yaw: 0.2)),
    ])
    let intersector = try SceneIntersector(scene: scene)
    let position = Vec3(0, 0, 1.5)
    let camera = try TestScenes.camera(width: 160, height: 120, fovDegrees: 70, at: position)
    let frame = try intersector.render(camera, options: CameraRenderOptions(threads: 2))
    let lidar = LidarSensor(
      channels: 32, minElevation: -20.0.radians, maxElevation: 10.0.radians, azimuthSteps: 720, maxRange: 60,
      pose: Transform(translation: position))
    let scan = try intersector.scan(lidar, threads: 2)
    var checked = Set<UInt32>()
    var count = 0
    for point in scan.points where point.instance > 0 {
      let world = lidar.pose.apply(toPoint: Vec3(Double(point.x), Double(point.y), Double(point.z)))
      let body = camera.toBody(world)
      guard body.x > 0, let (u, v) = camera.project(body: body) else { continue }
      let (x, y) = (Int(u.rounded(.down)), Int(v.rounded(.down)))
      guard x >= 1, y >= 1, x < frame.width - 1, y < frame.height - 1 else { continue }
      // Skip outline pixels, where the pixel centre may see something else; like verify, the
      // depth (z-depth, millimetres) must lie within the range of the 3×3 neighbourhood.
      let window = (-1...1).flatMap { dy in (-1...1).map { dx in (y + dy) * frame.width + x + dx } }
      guard Set(window.map { frame.instance[$0] }).count == 1 else { continue }
      let pixel = y * frame.width + x
      #expect(UInt32(frame.instance[pixel]) == point.instance)
      let depths = window.map { Double(frame.depth[$0]) }
      let z = body.x * 1000
      #expect(z > (depths.min() ?? 0) - 20 && z < (depths.max() ?? 0) + 20)
      checked.insert(point.instance)
      count += 1
    }
    #expect(checked == [1, 2, 3])
    #expect(count > 100)
  }
}
