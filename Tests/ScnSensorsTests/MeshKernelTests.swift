import CDevelop
import CMesh
import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The C walk of a mesh's BVH (`cmesh_intersect`, `cmesh_intersect_instance`; Sources/CMesh)
/// against the Swift reference (`MeshTraversal.intersect`, `PrimitiveIntersection.instanceReference`)
/// on the meshes the standard library's actors are made of: every path (forced and automatic)
/// must give the same bits — hit or not, t, leaf slot, barycentric u and v — on many random
/// rays, rays through vertices and edges (ties between triangles), axis-parallel and
/// near-axis-parallel directions, limited windows, any-hit queries and seeded walks.
@Suite struct MeshKernelTests {
  static let paths = [CMESH_PATH_AUTO, CMESH_PATH_PORTABLE, CMESH_PATH_SSE, CMESH_PATH_AVX2].map { Int32($0) }

  /// A car, a van and a walking person in two gait phases, as the actor shape builder makes
  /// them (the parts of `street_people_roads`' vehicles and pedestrians).
  static func actorMeshes() -> [TriangleMesh] {
    let requests = [
      ShapeRequest(kind: "car", size: Vec3(4.5, 1.8, 1.5)),
      ShapeRequest(kind: "van", size: Vec3(5.2, 2.0, 2.2)),
      ShapeRequest(kind: "person", size: Vec3(0.6, 0.5, 1.75), parameters: ["pose": .name("walking")]),
      ShapeRequest(
        kind: "person", size: Vec3(0.6, 0.5, 1.8), parameters: ["pose": .name("walking"), "gait_phase": .real(0.37)]),
    ]
    return requests.flatMap { request in
      ActorShapes.parts(request).compactMap { part -> TriangleMesh? in
        if case .mesh(let mesh) = part.shape { return mesh }
        return nil
      }
    }
  }

  /// What one walk answered: nil for no hit, else t, slot, u, v (compared as bit patterns).
  struct Answer: Equatable, CustomStringConvertible {
    let t: UInt64
    let slot: Int
    let u: UInt64
    let v: UInt64
    var description: String {
      "t \(Double(bitPattern: t)) slot \(slot) u \(Double(bitPattern: u)) v \(Double(bitPattern: v))"
    }
  }

  /// The scratch's hit after a walk that returned `t` (an untouched scratch reads slot −7).
  static func answer(_ t: Double?, _ scratch: MeshHitScratch) -> Answer? {
    guard let t else { return scratch.slot == -7 ? nil : Answer(t: 0, slot: -99, u: 0, v: 0) }
    return Answer(t: t.bitPattern, slot: scratch.slot, u: scratch.u.bitPattern, v: scratch.v.bitPattern)
  }

  /// A query's window and kind.
  struct Window {
    var tMin = 0.0
    var tMax = Double.infinity
    var anyHit = false
    var seed = -1
  }

  static func swiftWalk(
    _ mesh: MeshView, _ origin: Vec3, _ direction: Vec3, _ w: Window, stack: UnsafeMutablePointer<UInt32>
  ) -> Answer? {
    var scratch = MeshHitScratch(stack: stack)
    scratch.slot = -7
    scratch.seed = w.seed
    let t = MeshTraversal.intersect(
      mesh, origin: origin, direction: direction, tMin: w.tMin, tMax: w.tMax, anyHit: w.anyHit, scratch: &scratch)
    return answer(t, scratch)
  }

  static func query(_ origin: Vec3, _ direction: Vec3, _ w: Window) -> cmesh_query {
    cmesh_query(
      origin: (origin.x, origin.y, origin.z), direction: (direction.x, direction.y, direction.z), t_min: w.tMin,
      t_max: w.tMax, tiny: FloatRay.tiny, lower_limit: FloatRay.lowerLimit(w.tMin), upper_scale: FloatRay.upperScale,
      upper_offset: FloatRay.upperOffset, any_hit: w.anyHit ? 1 : 0)
  }

  /// Window `w` of a ray walked by the Swift reference and by every C path (`paths`): each
  /// path's answer counted in `compared`, and one that differs counted in `mismatches` and
  /// recorded (the first ten; `label` starts the message). Returns the Swift answer.
  static func compareWalks(
    _ mesh: MeshView, _ origin: Vec3, _ direction: Vec3, _ w: Window, stack: UnsafeMutablePointer<UInt32>,
    label: String, compared: inout Int, mismatches: inout Int
  ) -> Answer? {
    let expected = swiftWalk(mesh, origin, direction, w, stack: stack)
    for path in paths {
      let found = cWalk(mesh, origin, direction, w, path: path, stack: stack)
      compared += 1
      if found != expected {
        mismatches += 1
        if mismatches <= 10 {
          Issue.record(
            "\(label)path \(path), ray \(origin) \(direction), window \(w): C \(String(describing: found)), Swift \(String(describing: expected))"
          )
        }
      }
    }
    return expected
  }

  static func cWalk(
    _ mesh: MeshView, _ origin: Vec3, _ direction: Vec3, _ w: Window, path: Int32, stack: UnsafeMutablePointer<UInt32>
  ) -> Answer? {
    var scratch = MeshHitScratch(stack: stack)
    scratch.slot = -7
    scratch.seed = w.seed
    var q = query(origin, direction, w)
    var view = mesh
    var t = 0.0
    let hit = cmesh_intersect(&view, &q, &scratch, &t, path)
    return answer(hit != 0 ? t : nil, scratch)
  }

  /// The packet walk (`cmesh_intersect_instance_packet`) of `rays` through instance `record`
  /// of `mesh` (BVH depth + 2: `stackDepth`), on every path (`paths`), a packet of 1 to 8 of
  /// them at a time in order, against
  /// `expected` (the Swift walk's answers, in the same order): each ray's answer counted in
  /// `compared`, and one that differs counted in `mismatches` and recorded (the first ten).
  static func comparePackets(
    record: UnsafePointer<Double>, mesh: UnsafePointer<MeshView>, stackDepth: Int, rays: [(origin: Vec3, direction: Vec3, window: Window)],
    expected: [Answer?], label: String, compared: inout Int, mismatches: inout Int
  ) {
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: 2 * stackDepth)
    defer { stack.deallocate() }
    let sizes = [8, 8, 3, 8, 1, 8, 6, 7, 2]
    for path in paths {
      var first = 0
      var chunk = 0
      while first < rays.count {
        let count = Swift.min(sizes[chunk % sizes.count], rays.count - first)
        var packet = cmesh_packet()
        packet.tiny = FloatRay.tiny
        packet.upper_scale = FloatRay.upperScale
        packet.upper_offset = FloatRay.upperOffset
        for k in 0..<count {
          let (o, d, w) = rays[first + k]
          cmesh_packet_set(&packet, k, o.x, o.y, o.z, d.x, d.y, d.z, w.tMin, w.tMax, FloatRay.lowerLimit(w.tMin))
        }
        var hits = [cmesh_hit](repeating: cmesh_hit(t: 0, u: 0, v: 0, slot: -7), count: Int(CMESH_PACKET_MAX))
        let found = cmesh_intersect_instance_packet(record, mesh, &packet, count, stack, &hits, path)
        for k in 0..<count {
          let answer =
            found & (1 << k) != 0
            ? Answer(t: hits[k].t.bitPattern, slot: hits[k].slot, u: hits[k].u.bitPattern, v: hits[k].v.bitPattern)
            : nil
          compared += 1
          if answer != expected[first + k] {
            mismatches += 1
            if mismatches <= 10 {
              let ray = rays[first + k]
              Issue.record(
                "\(label)packet path \(path), ray \(ray.origin) \(ray.direction), window \(ray.window): C \(String(describing: answer)), Swift \(String(describing: expected[first + k]))"
              )
            }
          }
        }
        first += count
        chunk += 1
      }
    }
  }

  /// Rays at a mesh: from around its bounds towards random points inside them, towards its
  /// vertices and edge midpoints, along and near the axes, and from inside.
  static func rays(at mesh: MeshBVH, stream: inout MeshTracingTests.Stream) -> [(Vec3, Vec3)] {
    let box = mesh.bounds
    let size = box.upper - box.lower
    let centre = (box.lower + box.upper) * 0.5
    func inside() -> Vec3 {
      box.lower + Vec3(stream.next() * size.x, stream.next() * size.y, stream.next() * size.z)
    }
    func around() -> Vec3 {
      let d = Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5).normalized
      return centre + d * (size.length * (0.6 + stream.next()))
    }
    var rays: [(Vec3, Vec3)] = []
    for _ in 0..<150 {
      let origin = around()
      rays.append((origin, inside() - origin))
    }
    // Through vertices and edge midpoints of stored triangles (several triangles at one t).
    for k in 0..<120 {
      let slot = (k * 7919) % mesh.triangleCount
      let p = mesh.triangles + slot * 9
      let corner = k % 3
      var target = Vec3(p[3 * corner], p[3 * corner + 1], p[3 * corner + 2])
      if k % 2 == 1 {
        let next = (corner + 1) % 3
        target = (target + Vec3(p[3 * next], p[3 * next + 1], p[3 * next + 2])) * 0.5
      }
      let origin = around()
      rays.append((origin, target - origin))
    }
    // Axis-parallel and nearly so (zero and tiny components: the clamped inverse), both signs.
    for k in 0..<60 {
      let origin = around()
      var d = inside() - origin
      let axis = k % 3
      let small = [0.0, -0.0, 1e-31, -1e-31, 1e-12][k % 5]
      d[axis] = small
      if k % 4 == 0 { d[(axis + 1) % 3] = small }
      rays.append((origin, d))
    }
    // Huge components (reciprocals that round to ±0 in Float32: a negative zero inverse takes
    // the lower bound as its near plane, as `nodePlaneOffsets` does), on one axis or all.
    for k in 0..<30 {
      let origin = around()
      var d = inside() - origin
      if k % 2 == 0 { d[k % 3] *= -1e300 } else { d *= 1e300 }
      rays.append((origin, d))
    }
    // From inside the mesh's bounds, in random directions.
    for _ in 0..<40 {
      rays.append((inside(), Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5)))
    }
    return rays
  }

  @Test func cWalkAgreesWithTheSwiftWalkOnActorMeshes() throws {
    let reject = { (reason: String) in RenderError.invalidPart(instanceID: 1, reason: reason) }
    let meshes = Self.actorMeshes()
    #expect(meshes.count >= 10)
    var stream = MeshTracingTests.Stream(state: 2026)
    var compared = 0
    var hits = 0
    var anyHits = 0
    var mismatches = 0
    for source in meshes {
      let mesh = try MeshBVH(
        vertices: source.vertices, indices: source.indices, normals: source.normals, uvs: source.uvs, reject: reject)
      guard mesh.triangleCount > 0 else { continue }
      let view = mesh.view
      let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: mesh.stackDepth)
      defer { stack.deallocate() }
      for (k, (origin, direction)) in Self.rays(at: mesh, stream: &stream).enumerated() {
        let nearest = Self.swiftWalk(view, origin, direction, Window(), stack: stack)
        let t = nearest.map { Double(bitPattern: $0.t) }
        var windows = [Window(), Window(anyHit: true)]
        // Windows that end exactly at, just past and before the nearest hit, or start past it.
        if let t {
          windows += [
            Window(tMax: t), Window(tMax: t.nextUp), Window(tMax: t, anyHit: true), Window(tMax: t * 0.5),
            Window(tMin: t), Window(tMin: t * 0.999, tMax: t * 2), Window(tMin: t, anyHit: true),
          ]
        }
        // Seeded walks: the triangle hit, another one, a slot past the mesh's.
        windows += [
          Window(seed: nearest?.slot ?? 0), Window(seed: (k * 31) % mesh.triangleCount),
          Window(seed: mesh.triangleCount), Window(anyHit: true, seed: (k * 17) % mesh.triangleCount),
        ]
        for w in windows {
          let expected = Self.compareWalks(
            view, origin, direction, w, stack: stack, label: "", compared: &compared, mismatches: &mismatches)
          if expected != nil { if w.anyHit { anyHits += 1 } else { hits += 1 } }
        }
      }
    }
    #expect(mismatches == 0)
    #expect(compared > 50_000)
    #expect(hits > 10_000)
    #expect(anyHits > 3_000)
  }

  /// Through a scene's primitive table: every mesh instance of a car and two people placed at
  /// odd headings, world rays from around them, `cmesh_intersect_instance` (each path) against
  /// `instanceReference` (the Swift change of frame, then the Swift walk), and each hit's
  /// facing normal (`cmesh_instance_normal`) against `instanceNormalReference`.
  /// A car and two people placed at odd headings (the scene of the instance tests).
  static func actorScene() throws -> SceneIntersector {
    func object(_ id: UInt32, _ request: ShapeRequest, _ transform: Transform) -> SceneObject {
      SceneObject(
        instanceID: id, semanticClass: 2, className: request.kind, baseColour: TestScenes.grey,
        parts: ActorShapes.parts(request), transform: transform)
    }
    return try SceneIntersector(
      scene: RenderScene(objects: [
        object(1, ShapeRequest(kind: "car", size: Vec3(4.5, 1.8, 1.5)), Transform(position: Vec3(12, -2, 0), yaw: 0.7)),
        object(
          2, ShapeRequest(kind: "person", size: Vec3(0.6, 0.5, 1.75), parameters: ["pose": .name("walking")]),
          Transform(position: Vec3(9, 3, 0), yaw: -2.1)),
        object(
          3, ShapeRequest(kind: "person", size: Vec3(0.6, 0.5, 1.8), parameters: ["pose": .name("standing")]),
          Transform(position: Vec3(15.5, 1, 0.25), yaw: 3.0)),
      ]))
  }

  @Test func instanceTestAgreesWithTheSwiftReference() throws {
    let intersector = try Self.actorScene()
    let primitives = intersector.primitives
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: primitives.meshStackDepth + 2)
    defer { stack.deallocate() }
    var stream = MeshTracingTests.Stream(state: 99)
    var instances = 0
    var hits = 0
    var normals = 0
    var smooth = 0
    var mismatches = 0
    for prim in 0..<intersector.table.count where primitives.kinds[prim] == .instance {
      instances += 1
      let record = primitives.record(prim)
      let b = primitives.bounds + prim * 6
      let lower = Vec3(Double(b[0]), Double(b[1]), Double(b[2]))
      let upper = Vec3(Double(b[3]), Double(b[4]), Double(b[5]))
      for k in 0..<300 {
        let target = lower + (upper - lower) * Vec3(stream.next(), stream.next(), stream.next())
        let origin =
          k % 3 == 0
          ? Vec3(0, 0, 1.6)
          : target + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() * 0.5) * 20
        let direction = target - origin
        for w in [Window(), Window(anyHit: true), Window(tMin: 0.5, tMax: 0.99), Window(seed: k % 5)] {
          var reference = MeshHitScratch(stack: stack)
          reference.slot = -7
          reference.seed = w.seed
          let t = PrimitiveIntersection.instanceReference(
            record, origin, direction, w.tMin, w.tMax, meshes: primitives.meshes, anyHit: w.anyHit,
            scratch: &reference)
          let expected = Self.answer(t, reference)
          if expected != nil {
            hits += 1
            // The hit's facing world normal: C against the Swift reference, bit for bit.
            let c = PrimitiveIntersection.instanceNormal(
              record, direction: direction, meshes: primitives.meshes, scratch: reference)
            let swift = PrimitiveIntersection.instanceNormalReference(
              record, direction: direction, meshes: primitives.meshes, scratch: reference)
            normals += 1
            if c.x.bitPattern != swift.x.bitPattern || c.y.bitPattern != swift.y.bitPattern
              || c.z.bitPattern != swift.z.bitPattern
            {
              mismatches += 1
            }
            smooth += primitives.meshes[Int(record[12])].normals == nil ? 0 : 1
          }
          for path in Self.paths {
            var scratch = MeshHitScratch(stack: stack)
            scratch.slot = -7
            scratch.seed = w.seed
            var q = Self.query(origin, direction, w)
            var found = 0.0
            let hit = cmesh_intersect_instance(record, primitives.meshes + Int(record[12]), &q, &scratch, &found, path)
            if Self.answer(hit != 0 ? found : nil, scratch) != expected { mismatches += 1 }
          }
          // The production entry point (the automatic path) as well.
          var scratch = MeshHitScratch(stack: stack)
          scratch.slot = -7
          scratch.seed = w.seed
          let production = PrimitiveIntersection.instance(
            record, origin, direction, w.tMin, w.tMax, meshes: primitives.meshes, anyHit: w.anyHit, scratch: &scratch)
          if Self.answer(production, scratch) != expected { mismatches += 1 }
        }
      }
    }
    #expect(instances >= 10)
    #expect(hits > 2_000)
    #expect(normals == hits)
    #expect(smooth > 500)
    #expect(mismatches == 0)
  }

  /// The packet walk (`cmesh_intersect_instance_packet`) through a scene's mesh instances:
  /// coherent tiles (16 × 16 rays from one eye across an instance's box, as a camera tile's),
  /// rays from one eye through the instance's vertices and edge midpoints (several triangles at
  /// one t), rays from scattered origins, and all of them again each with a window of its own
  /// (ending exactly at or just past its nearest t, starting at it or just before it, or cut
  /// short), mixed within packets: every path against `instanceReference`, bit for bit.
  @Test func packetWalkAgreesWithTheSwiftWalk() throws {
    let intersector = try Self.actorScene()
    let primitives = intersector.primitives
    let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: primitives.meshStackDepth)
    defer { stack.deallocate() }
    func reference(_ record: UnsafePointer<Double>, _ ray: (origin: Vec3, direction: Vec3, window: Window)) -> Answer? {
      var scratch = MeshHitScratch(stack: stack)
      scratch.slot = -7
      let t = PrimitiveIntersection.instanceReference(
        record, ray.origin, ray.direction, ray.window.tMin, ray.window.tMax, meshes: primitives.meshes, anyHit: false,
        scratch: &scratch)
      return Self.answer(t, scratch)
    }
    var stream = MeshTracingTests.Stream(state: 7)
    var compared = 0
    var hits = 0
    var mismatches = 0
    var instances = 0
    for prim in 0..<intersector.table.count where primitives.kinds[prim] == .instance {
      instances += 1
      let record = primitives.record(prim)
      let mesh = primitives.meshes + Int(record[12])
      let b = primitives.bounds + prim * 6
      let lower = Vec3(Double(b[0]), Double(b[1]), Double(b[2]))
      let upper = Vec3(Double(b[3]), Double(b[4]), Double(b[5]))
      let centre = (lower + upper) * 0.5
      let span = (upper - lower).length
      var rays: [(origin: Vec3, direction: Vec3, window: Window)] = []
      for eye in [Vec3(0, 0, 1.6), centre + Vec3(-7, 4, 2), centre + Vec3(3, -9, 0.5)] {
        let forward = centre - eye
        let side = forward.cross(.unitZ).normalized * span
        let up = side.cross(forward).normalized * span
        for y in 0..<16 {
          for x in 0..<16 {
            let d = forward + side * ((Double(x) + 0.5) / 16 - 0.5) + up * (0.5 - (Double(y) + 0.5) / 16)
            rays.append((eye, d, Window()))
          }
        }
        for k in 0..<64 {
          let p = mesh.pointee.triangles + ((k * 7919) % mesh.pointee.slot_count) * 9
          let corner = k % 3
          var local = Vec3(p[3 * corner], p[3 * corner + 1], p[3 * corner + 2])
          if k % 2 == 1 {
            let next = (corner + 1) % 3
            local = (local + Vec3(p[3 * next], p[3 * next + 1], p[3 * next + 2])) * 0.5
          }
          let target = PrimitiveIntersection.toWorld(record, local) + Vec3(record[9], record[10], record[11])
          rays.append((eye, target - eye, Window()))
        }
      }
      for _ in 0..<64 {
        let target = lower + (upper - lower) * Vec3(stream.next(), stream.next(), stream.next())
        let origin = target + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() * 0.5) * 20
        rays.append((origin, target - origin, Window()))
      }
      var expected = rays.map { reference(record, $0) }
      hits += expected.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
      var windowed = rays
      for k in windowed.indices {
        guard let t = expected[k].map({ Double(bitPattern: $0.t) }) else {
          windowed[k].window = Window(tMin: 0.5, tMax: 9)
          continue
        }
        windowed[k].window = [
          Window(tMax: t), Window(tMax: t.nextUp), Window(tMin: t), Window(tMin: t.nextDown, tMax: t * 2),
          Window(tMax: t * 0.5), Window(),
        ][k % 6]
      }
      expected += windowed.map { reference(record, $0) }
      Self.comparePackets(
        record: record, mesh: mesh, stackDepth: primitives.meshStackDepth, rays: rays + windowed, expected: expected,
        label: "instance \(prim), ", compared: &compared, mismatches: &mismatches)
    }
    #expect(instances >= 10)
    #expect(mismatches == 0)
    #expect(compared > 40_000)
    #expect(hits > 5_000)
  }

  /// Ties inside one leaf: fans of triangles around a shared vertex, each triangle also
  /// stored twice (one copy late in the index list), so that rays through the centre, the
  /// spokes and the rims hit up to eight triangles at one t, several in one leaf of four
  /// (the AVX2 path tests a leaf's triangles in one pass and then keeps, in slot order, what
  /// the one-at-a-time test would). Every path against the Swift walk, bit for bit, with
  /// windows ending exactly at the nearest t.
  @Test func tiesInsideOneLeafResolveAsTheSwiftWalk() throws {
    let reject = { (reason: String) in RenderError.invalidPart(instanceID: 1, reason: reason) }
    var stream = MeshTracingTests.Stream(state: 4242)
    var compared = 0
    var hits = 0
    var mismatches = 0
    for spokes in [3, 4, 5, 6, 8] {
      for tilt in [0.0, 0.3, 1.1] {
        // A fan in a tilted plane around (1, 2, 3), then the same triangles again (reversed).
        let centre = Vec3(1, 2, 3)
        var vertices = [centre]
        for k in 0..<spokes {
          let a = Double(k) * 2 * .pi / Double(spokes)
          vertices.append(centre + Vec3(cos(a), sin(a) * cos(tilt), sin(a) * sin(tilt)))
        }
        var indices: [UInt32] = []
        for k in 0..<spokes { indices += [0, UInt32(1 + k), UInt32(1 + (k + 1) % spokes)] }
        let once = indices
        for k in stride(from: once.count - 3, through: 0, by: -3) { indices += [once[k + 2], once[k + 1], once[k]] }
        let mesh = try MeshBVH(vertices: vertices, indices: indices, normals: nil, uvs: nil, reject: reject)
        let view = mesh.view
        let stack = UnsafeMutablePointer<UInt32>.allocate(capacity: mesh.stackDepth)
        defer { stack.deallocate() }
        var targets = [centre] + vertices.dropFirst()
        for k in 0..<spokes { targets.append((vertices[1 + k] + vertices[1 + (k + 1) % spokes]) * 0.5) }
        for k in 0..<spokes { targets.append((centre + vertices[1 + k]) * 0.5) }
        for _ in 0..<20 { targets.append(centre + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5)) }
        var packetRays: [(origin: Vec3, direction: Vec3, window: Window)] = []
        var packetExpected: [Answer?] = []
        for target in targets {
          for _ in 0..<6 {
            let origin = target + Vec3(stream.next() - 0.5, stream.next() - 0.5, stream.next() - 0.5) * 8
            let direction = target - origin
            let nearest = Self.swiftWalk(view, origin, direction, Window(), stack: stack)
            var windows = [Window(), Window(anyHit: true), Window(seed: 0), Window(seed: mesh.triangleCount - 1)]
            if let nearest {
              let t = Double(bitPattern: nearest.t)
              windows += [Window(tMax: t), Window(tMax: t.nextUp), Window(tMin: t.nextDown, tMax: t.nextUp, anyHit: true)]
            }
            for w in windows {
              let expected = Self.compareWalks(
                view, origin, direction, w, stack: stack, label: "fan \(spokes)/\(tilt), ", compared: &compared,
                mismatches: &mismatches)
              if expected != nil { hits += 1 }
              if !w.anyHit {
                packetRays.append((origin, direction, w))
                packetExpected.append(expected)
              }
            }
          }
        }
        // The same closest-hit queries through the packet walk (an instance placed as the mesh).
        var identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]
        var packetView = view
        Self.comparePackets(
          record: &identity, mesh: &packetView, stackDepth: mesh.stackDepth, rays: packetRays,
          expected: packetExpected, label: "fan \(spokes)/\(tilt), ", compared: &compared, mismatches: &mismatches)
      }
    }
    #expect(mismatches == 0)
    #expect(compared > 20_000)
    #expect(hits > 3_000)
  }

  /// The automatic choice is the AVX2 path on an x86-64 processor with AVX2 (else SSE: SSE2
  /// is part of the architecture), so that the tests above really run it where present; a
  /// forced AVX2 path without AVX2 runs SSE. Elsewhere every path is the portable one.
  @Test func pathResolution() {
    #expect(cmesh_resolve_path(Int32(CMESH_PATH_PORTABLE)) == Int32(CMESH_PATH_PORTABLE))
    #if arch(x86_64)
      let best = cmesh_resolve_path(Int32(CMESH_PATH_AUTO))
      #expect(best == Int32(CMESH_PATH_AVX2) || best == Int32(CMESH_PATH_SSE))
      #expect(cmesh_resolve_path(Int32(CMESH_PATH_AVX2)) == best)
      #expect(cmesh_resolve_path(Int32(CMESH_PATH_SSE)) == Int32(CMESH_PATH_SSE))
      // This project's benchmark machines (AMD Zen 3) have AVX2: the path must be chosen there.
      if cdevelop_resolve_path(Int32(CDEVELOP_PATH_AUTO)) != Int32(CDEVELOP_PATH_PORTABLE) {
        #expect(best == Int32(CMESH_PATH_AVX2))
      }
    #else
      #expect(cmesh_resolve_path(Int32(CMESH_PATH_AUTO)) == Int32(CMESH_PATH_PORTABLE))
      #expect(cmesh_resolve_path(Int32(CMESH_PATH_SSE)) == Int32(CMESH_PATH_PORTABLE))
      #expect(cmesh_resolve_path(Int32(CMESH_PATH_AVX2)) == Int32(CMESH_PATH_PORTABLE))
    #endif
  }
}
