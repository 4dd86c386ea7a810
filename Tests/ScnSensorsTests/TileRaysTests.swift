import CMesh
import CTrace
import Foundation
import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// A bundle's slab tests made all at once (`TileRays`, the `CTrace` kernel) must give every
/// ray the boxes, entry distances and ground cut that `FloatRay` gives it one ray at a time,
/// bit for bit, on every path; and so every prepared ray the same hit or shadow answer as a
/// ray cast alone with the same candidate list.
@Suite struct TileRaysTests {
  typealias Numbers = RayBundleTests.Numbers

  /// Every `CTrace` path: the processor's best, the portable one, AVX2 and AVX-512 (each run
  /// as the portable one where the processor lacks it).
  static let paths = [CTRACE_PATH_AUTO, CTRACE_PATH_PORTABLE, CTRACE_PATH_AVX2, CTRACE_PATH_AVX512].map { Int32($0) }

  /// A random camera looking at object `index` of `intersector`'s scene from up to 20 m
  /// away and 0.5–8.5 m up: its origin, forward, left and up axes, and a window of slopes
  /// (width and height each up to `wide`, lower corner `y0`, `z0`), drawn in that order.
  static func randomView(
    towards index: Int, of intersector: SceneIntersector, wide: Double, numbers: inout Numbers
  ) -> (origin: Vec3, forward: Vec3, left: Vec3, up: Vec3, width: Double, height: Double, y0: Double, z0: Double) {
    let origin = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, 0.5 + numbers.next() * 8)
    let target = intersector.scene.objects[index].transform.translation
    let forward = (target - origin).normalized
    let left = Vec3.unitZ.cross(forward).normalized
    let up = forward.cross(left)
    let width = numbers.next() * wide
    let height = numbers.next() * wide
    let y0 = numbers.next() * 0.3 - 0.15 - width / 2
    let z0 = numbers.next() * 0.3 - 0.15 - height / 2
    return (origin, forward, left, up, width, height, y0, z0)
  }

  /// Random boxes around `origin` (some containing it, some flat, some behind) into `list`.
  static func randomBoxes(
    _ count: Int, around origin: Vec3, numbers: inout Numbers, into list: inout CandidateList
  ) -> [[Float]] {
    list.count = 0
    var boxes: [[Float]] = []
    for k in 0..<count {
      let offset = Vec3(numbers.next() * 16 - 8, numbers.next() * 16 - 8, numbers.next() * 6 - 2)
      let centre = k % 9 == 0 ? origin : origin + offset
      var half = Vec3(numbers.next() * 2, numbers.next() * 2, numbers.next() * 2)
      if k % 7 == 3 { half.z = 0 }
      let box = [
        Float(centre.x - half.x), Float(centre.y - half.y), Float(centre.z - half.z), Float(centre.x + half.x),
        Float(centre.y + half.y), Float(centre.z + half.z),
      ]
      boxes.append(box)
      box.withUnsafeBufferPointer { list.append(UInt32(k), bounds: $0.baseAddress!) }
    }
    return boxes
  }

  /// A random direction; with `clamped`, some with zero or tiny components (whose inverse is
  /// clamped).
  static func randomDirection(_ r: Int, numbers: inout Numbers, clamped: Bool = true) -> Vec3 {
    var d = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, numbers.next() - 0.6)
    guard clamped else { return d }
    if r % 13 == 0 { d.x = 0 }
    if r % 17 == 0 { d.y = -1e-31 }
    if r % 19 == 0 { d.z = 0 }
    if r % 23 == 0 { d.z = -1e-300 }
    return d
  }

  @Test(arguments: paths)
  func raysFromOnePointEnterTheBoxesFloatRayEnters(path: Int32) {
    var numbers = Numbers(state: 11 + UInt64(path))
    var entered = 0
    var missed = 0
    var grounded = 0
    CandidateList.withScratch { list in
      TileRays.withScratch { rays in
        rays.path = path
        for bundle in 0..<300 {
          let origin = Vec3(numbers.next() * 20 - 10, numbers.next() * 20 - 10, numbers.next() * 4 - 0.5)
          let boxes = Self.randomBoxes(1 + bundle % CandidateList.capacity, around: origin, numbers: &numbers, into: &list)
          let n = bundle % 4 == 0 ? TileRays.capacity : 1 + Int(numbers.next() * Double(TileRays.capacity - 1))
          let tMin = bundle % 2 == 0 ? 0.01 : numbers.next()
          let tMax = bundle % 3 == 0 ? Double.infinity : numbers.next() * 40
          let includeGround = bundle % 5 != 0
          rays.count = 0
          // Every third bundle without clamped components (the AVX2 step then skips the clamp).
          for r in 0..<n { rays.append(Self.randomDirection(r, numbers: &numbers, clamped: bundle % 3 != 1)) }
          rays.prepare(from: origin, tMin: tMin, tMax: tMax, includeGround: includeGround, list: list)
          let lowerLimit = FloatRay.lowerLimit(tMin)
          for r in 0..<n {
            let direction = rays.vector(r)
            // `SceneIntersector.closestHit`'s ground cut.
            var limit = tMax
            var ground = false
            if includeGround, direction.z < 0, origin.z > 0 {
              let t = -origin.z / direction.z
              if t > tMin && t < limit {
                limit = t
                ground = true
              }
            }
            #expect(rays.limit[r].bitPattern == limit.bitPattern, "bundle \(bundle), ray \(r)")
            #expect((rays.entered[r] & TileRays.groundBit != 0) == ground, "bundle \(bundle), ray \(r)")
            if ground { grounded += 1 }
            let ray = FloatRay(origin: origin, direction: direction)
            let upperLimit = FloatRay.upperLimit(limit)
            for (k, b) in boxes.enumerated() {
              let (near, far) = ray.slab(
                lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: lowerLimit, upperLimit: upperLimit)
              let bit = rays.entered[r] >> UInt32(k) & 1
              #expect(bit == (near <= far ? 1 : 0), "bundle \(bundle), ray \(r), box \(k)")
              #expect(
                rays.near[k * TileRays.capacity + r].bitPattern == near.bitPattern, "bundle \(bundle), ray \(r), box \(k)")
              if near <= far { entered += 1 } else { missed += 1 }
            }
            #expect((rays.entered[r] & ~TileRays.groundBit) >> UInt32(boxes.count) == 0, "no bits past the list")
          }
        }
      }
    }
    #expect(entered > 10000 && missed > 10000 && grounded > 1000, "\(entered) entered, \(missed) missed, \(grounded) grounded")
  }

  @Test(arguments: paths)
  func raysAlongOneDirectionEnterTheBoxesFloatRayEnters(path: Int32) {
    var numbers = Numbers(state: 29 + UInt64(path))
    var entered = 0
    var missed = 0
    CandidateList.withScratch { list in
      TileRays.withScratch { rays in
        rays.path = path
        for bundle in 0..<300 {
          let centre = Vec3(numbers.next() * 20 - 10, numbers.next() * 20 - 10, numbers.next() * 3)
          let boxes = Self.randomBoxes(1 + bundle % CandidateList.capacity, around: centre, numbers: &numbers, into: &list)
          let direction = Self.randomDirection(bundle, numbers: &numbers)
          let n = bundle % 4 == 0 ? TileRays.capacity : 1 + Int(numbers.next() * Double(TileRays.capacity - 1))
          let tMax = bundle % 2 == 0 ? Double.infinity : numbers.next() * 30
          rays.count = 0
          for _ in 0..<n {
            rays.append(centre + Vec3(numbers.next() * 4 - 2, numbers.next() * 4 - 2, numbers.next() * 2 - 1))
          }
          rays.prepare(along: direction, tMin: 0, tMax: tMax, list: list)
          let (lowerLimit, upperLimit) = (FloatRay.lowerLimit(0), FloatRay.upperLimit(tMax))
          for r in 0..<n {
            let ray = FloatRay(origin: rays.vector(r), direction: direction)
            for (k, b) in boxes.enumerated() {
              let (near, far) = ray.slab(
                lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: lowerLimit, upperLimit: upperLimit)
              let bit = rays.entered[r] >> UInt32(k) & 1
              #expect(bit == (near <= far ? 1 : 0), "bundle \(bundle), ray \(r), box \(k)")
              if near <= far { entered += 1 } else { missed += 1 }
            }
            #expect(rays.entered[r] >> UInt32(boxes.count) == 0, "no bits past the list")
          }
        }
      }
    }
    #expect(entered > 10000 && missed > 10000, "\(entered) entered, \(missed) missed")
  }

  /// Whether two primary-hit records hold the same bits in every field shading and the
  /// labels read: a miss's `litSide` and direction; a hit's also its distance, normal and
  /// surface, and an object's or stuff solid's its material slot and texture coordinates.
  static func sameBits(_ a: PrimaryHit, _ b: PrimaryHit) -> Bool {
    func bits(_ v: Vec3) -> [UInt64] { [v.x.bitPattern, v.y.bitPattern, v.z.bitPattern] }
    guard a.litSide == b.litSide, bits(a.direction) == bits(b.direction) else { return false }
    switch (a.distanceAndNormal, b.distanceAndNormal) {
    case (nil, nil): return true
    case let ((ta, na)?, (tb, nb)?):
      guard ta.bitPattern == tb.bitPattern, bits(na) == bits(nb), a.surface == b.surface else { return false }
      if case .ground = a.surface { return true }
      return a.materialSlot == b.materialSlot
        && a.uv.map({ [$0.x.bitPattern, $0.y.bitPattern] }) == b.uv.map({ [$0.x.bitPattern, $0.y.bitPattern] })
    default: return false
    }
  }

  /// A camera-like tile of 16 × 16 rays through random scenes: every prepared ray gets the
  /// hit of the same ray cast with the same list (which `RayBundleTests` compares with the
  /// whole BVH), as a `RayHit` and as the camera's record (`primaryHit(prepared:…)`), and
  /// every prepared shadow ray from the hits the same answer, with the hint the two lists
  /// keep naming the same candidate after every ray.
  @Test(arguments: [6, 12, 40, 300])
  func preparedTilesGetTheSameHitsAndShadows(objectCount: Int) throws {
    var numbers = Numbers(state: 500 + UInt64(objectCount))
    let intersector = try RayBundleTests.randomScene(objects: objectCount, numbers: &numbers)
    var preparedRays = 0
    var unenteredRays = 0
    var packetRays = 0
    var packetRaysInSeveralBoxes = 0
    var objectHits = 0
    var shadowRays = 0
    var shadowed = 0
    for bundle in 0..<200 {
      let (origin, forward, left, up, width, height, y0, z0) = Self.randomView(
        towards: bundle % objectCount, of: intersector, wide: bundle % 5 == 0 ? 0.3 : 0.04, numbers: &numbers)
      let excluded: Int? = bundle % 3 == 0 ? bundle % objectCount : nil
      let pyramid = RayPyramid(
        origin: origin, forward: forward, left: left, up: up, y0: y0, y1: y0 + width, z0: z0, z1: z0 + height)
      let sun = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, 0.2 + numbers.next())
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          CandidateList.withScratch { alone in
            TileRays.withScratch { rays in
              rays.path = Self.paths[bundle % Self.paths.count]
              intersector.collectCandidates(pyramid, exclude: excluded.map(UInt32.init) ?? .max, into: &list, stack: stack)
              guard list.count > 0, !list.overflowed else { return }
              for j in 0..<16 {
                for i in 0..<16 {
                  rays.append(forward + left * (y0 + width * Double(i) / 15) + up * (z0 + height * Double(j) / 15))
                }
              }
              rays.prepare(from: origin, tMin: 0.01, tMax: 1000, includeGround: true, list: list)
              var hits: [RayHit?] = []
              for r in 0..<rays.count {
                let prepared = intersector.closestHit(
                  prepared: rays, ray: r, origin: origin, tMin: 0.01, list: list, stack: stack)
                let one = intersector.closestHit(
                  origin: origin, direction: rays.vector(r), tMin: 0.01, tMax: 1000, excluding: excluded,
                  includeGround: true, stack: stack, candidates: list)
                #expect(prepared == one, "bundle \(bundle), ray \(r)")
                // The camera's record written straight from the walk: the record of that hit.
                var record = PrimaryHit(groundAt: .nan, direction: Vec3(repeating: .nan))
                withUnsafeMutablePointer(to: &record) { record in
                  intersector.primaryHit(
                    prepared: rays, ray: r, origin: origin, tMin: 0.01, list: list, stack: stack, into: record)
                }
                #expect(
                  Self.sameBits(record, PrimaryHit(hit: one, direction: rays.vector(r), litSide: false)),
                  "bundle \(bundle), ray \(r): the records differ")
                // A ray that enters no box: `castPrepared`'s record, stored over another's.
                if rays.entered[r] & ~TileRays.groundBit == 0 {
                  var unentered = PrimaryHit(
                    hit: RayHit(
                      t: .nan, surface: .object(index: 1), normal: Vec3(repeating: .nan), materialSlot: 2,
                      uv: SIMD2(repeating: .nan)),
                    direction: Vec3(repeating: .nan), litSide: true)
                  unentered.setUnentered(
                    ground: rays.entered[r] & TileRays.groundBit != 0, t: rays.limit[r], direction: rays.vector(r))
                  #expect(
                    Self.sameBits(unentered, PrimaryHit(hit: one, direction: rays.vector(r), litSide: false)),
                    "bundle \(bundle), ray \(r): the unentered records differ")
                  unenteredRays += 1
                }
                if case .object? = one?.surface { objectHits += 1 }
                preparedRays += 1
                hits.append(one)
              }
              // The packet walk (`primaryHits`, as `castPrepared` calls it): the rays whose
              // nearest box entered is a mesh instance's, grouped by that candidate, up to eight
              // at a time; each record must be that of the ray's own hit.
              var groups: [Int: [Int]] = [:]
              for r in 0..<rays.count where rays.entered[r] & ~TileRays.groundBit != 0 {
                let position = intersector.packetPosition(prepared: rays, ray: r, list: list)
                if position >= 0 { groups[position, default: []].append(r) }
              }
              for (position, members) in groups.sorted(by: { $0.key < $1.key }) {
                for start in stride(from: 0, to: members.count, by: 8) {
                  let chunk = Array(members[start..<Swift.min(start + 8, members.count)])
                  let indices = chunk.map { UInt16($0) }
                  let slots = chunk.indices.map { UInt16($0) }
                  var records = [PrimaryHit](
                    repeating: PrimaryHit(groundAt: .nan, direction: Vec3(repeating: .nan)), count: chunk.count)
                  intersector.primaryHits(
                    prepared: rays, indices: indices, count: chunk.count, position: position, origin: origin,
                    tMin: 0.01, list: list, stack: stack, into: &records, slots: slots)
                  for (k, r) in chunk.enumerated() {
                    #expect(
                      Self.sameBits(records[k], PrimaryHit(hit: hits[r], direction: rays.vector(r), litSide: false)),
                      "bundle \(bundle), ray \(r): the packet's record differs")
                    packetRays += 1
                    if rays.entered[r] & ~TileRays.groundBit & (rays.entered[r] & ~TileRays.groundBit &- 1) != 0 {
                      packetRaysInSeveralBoxes += 1
                    }
                  }
                }
              }
              // Shadow rays from the lit hits, as `shadeTile` casts them.
              let origins: [Vec3] = zip(hits, 0..<rays.count).compactMap { hit, r in
                guard let hit, hit.normal.dot(sun) > 0 else { return nil }
                return SceneIntersector.shadowOrigin(origin + rays.vector(r) * hit.t, normal: hit.normal)
              }
              guard !origins.isEmpty else { return }
              var lower = Vec3(repeating: .infinity)
              var upper = Vec3(repeating: -.infinity)
              for o in origins {
                lower = Vec3(Swift.min(lower.x, o.x), Swift.min(lower.y, o.y), Swift.min(lower.z, o.z))
                upper = Vec3(Swift.max(upper.x, o.x), Swift.max(upper.y, o.y), Swift.max(upper.z, o.z))
              }
              let swept = SweptBox(lower: lower, upper: upper, direction: sun)
              intersector.collectCandidates(swept, exclude: .max, into: &list, stack: stack)
              intersector.collectCandidates(swept, exclude: .max, into: &alone, stack: stack)
              guard list.count > 0, !list.overflowed else { return }
              rays.count = 0
              for o in origins { rays.append(o) }
              rays.prepare(along: sun, tMin: 0, tMax: .infinity, list: list)
              for r in 0..<rays.count {
                let prepared = intersector.occluded(
                  prepared: rays, ray: r, direction: sun, tMin: 0, tMax: .infinity, list: list, stack: stack)
                let one = intersector.occluded(
                  origin: origins[r], direction: sun, tMin: 0, tMax: .infinity, stack: stack, candidates: alone)
                #expect(prepared == one, "bundle \(bundle), shadow ray \(r)")
                let (a, b) = (list.hint!.pointee, alone.hint!.pointee)
                #expect(
                  a.position == b.position && a.primitive == b.primitive && a.slot == b.slot,
                  "bundle \(bundle), shadow ray \(r): the hints differ")
                shadowRays += 1
                if one { shadowed += 1 }
              }
            }
          }
        }
      }
    }
    #expect(
      preparedRays > 10000 && objectHits > 1000 && unenteredRays > 1000,
      "\(preparedRays) rays, \(unenteredRays) entering no box, \(objectHits) object hits")
    // The sparsest scenes hold few meshes, none behind another.
    #expect(
      packetRays > (objectCount < 12 ? 20 : 100) && packetRaysInSeveralBoxes >= (objectCount < 12 ? 0 : 10),
      "\(packetRays) rays walked in packets, \(packetRaysInSeveralBoxes) of them entering several boxes")
    // Few shadow rays meet another object in the sparse scenes; enough in the crowded ones.
    #expect(shadowRays > 2000 && shadowed > (objectCount < 40 ? 0 : 200), "\(shadowRays) shadow rays, \(shadowed) shadowed")
  }

  /// A tile's sun shadow rays answered a quarter at a time (`castQuarterShadows`: what a
  /// tile whose swept box overflows its list does) get the answers of rays that walk the
  /// whole BVH, on every quarter, prepared or (a quarter whose own list overflows) not.
  @Test(arguments: [40, 300])
  func quarterShadowsGetTheAnswersOfTheWholeBVH(objectCount: Int) throws {
    var numbers = Numbers(state: 900 + UInt64(objectCount))
    let intersector = try RayBundleTests.randomScene(objects: objectCount, numbers: &numbers)
    let side = RayTable.tileSide
    let rect = PixelRect(x0: 0, y0: 0, x1: side, y1: side)
    var shadowRays = 0
    var shadowed = 0
    for bundle in 0..<120 {
      let (origin, forward, left, up, width, height, y0, z0) = Self.randomView(
        towards: bundle % objectCount, of: intersector, wide: bundle % 4 == 0 ? 0.6 : 0.1, numbers: &numbers)
      let sun = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, 0.2 + numbers.next())
      let hits = UnsafeMutablePointer<PrimaryHit>.allocate(capacity: side * side)
      defer { hits.deallocate() }
      for j in 0..<side {
        for i in 0..<side {
          let d =
            forward + left * (y0 + width * Double(i) / Double(side - 1))
            + up * (z0 + height * Double(j) / Double(side - 1))
          let hit = intersector.closestHit(origin: origin, direction: d, tMin: 0.01, tMax: 1000)
          var record = PrimaryHit(hit: hit, direction: d, litSide: false)
          if let hit, hit.normal.dot(sun) > 0 { record.litSide = true }
          (hits + j * side + i).initialize(to: record)
        }
      }
      let before = (0..<(side * side)).map { hits[$0] }
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          TileRays.withScratch { rays in
            rays.path = Self.paths[bundle % Self.paths.count]
            intersector.castQuarterShadows(rect, hits: hits, eye: origin, sun: sun, list: &list, rays: &rays, stack: stack)
          }
        }
        for slot in 0..<(side * side) {
          let record = before[slot]
          guard record.litSide, let (t, normal) = record.distanceAndNormal else {
            #expect(hits[slot].litSide == record.litSide, "bundle \(bundle), slot \(slot)")
            continue
          }
          let o = SceneIntersector.shadowOrigin(origin + record.direction * t, normal: normal)
          let blocked = intersector.occluded(origin: o, direction: sun, tMin: 0, tMax: .infinity, stack: stack)
          #expect(hits[slot].litSide == !blocked, "bundle \(bundle), slot \(slot)")
          shadowRays += 1
          if blocked { shadowed += 1 }
        }
      }
    }
    // Few shadow rays meet another object in the sparse scene; enough in the crowded one.
    #expect(shadowRays > 5000 && shadowed > (objectCount < 100 ? 0 : 300), "\(shadowRays) shadow rays, \(shadowed) shadowed")
  }

  /// A LiDAR sweep's beams are slab-tested a part at a time before any is cast
  /// (`SceneIntersector.scan`, `TileRays.prepare(from:…)`): on every path, over a crowd of
  /// boxes, spheres, cylinders and meshes on a drawn street (crowded enough that some parts
  /// overflow their lists and walk the BVH), level and tilted, with range noise, dropout and
  /// an excluded object, every return is the one each beam cast alone with its part's list
  /// gives, point for point.
  @Test(arguments: paths)
  func preparedLidarBeamsGetTheSameReturns(path: Int32) throws {
    var numbers = Numbers(state: 613)
    let crowd = try RayBundleTests.randomScene(objects: 160, numbers: &numbers).scene.objects
    let intersector = try SceneIntersector(scene: RenderScene(objects: crowd, stuff: StuffRenderTests.street()))
    for (k, pitch) in [0.0, 0.12].enumerated() {
      let lidar = LidarSensor(
        channels: 32, minElevation: -25 * Double.pi / 180, maxElevation: 15 * Double.pi / 180, azimuthSteps: 900,
        minRange: 0.5, maxRange: 60, rangeNoise: 0.02, dropoutProbability: 0.1, seed: 7 + UInt64(k),
        pose: Transform(
          rotation: Quaternion(yaw: 0.3, pitch: pitch, roll: -pitch / 2), translation: Vec3(-2, -1, 1.8)))
      let excluded: UInt32? = k == 0 ? nil : 5
      let alone = try intersector.scan(lidar, excludedInstance: excluded, threads: 1, tracePath: nil).points
      let prepared = try intersector.scan(lidar, excludedInstance: excluded, threads: 2, tracePath: path).points
      #expect(prepared.count == alone.count, "pitch \(pitch)")
      #expect(prepared == alone, "pitch \(pitch)")
      #expect(alone.filter { $0.instance != 0 }.count > 1000, "pitch \(pitch)")
    }
  }

  /// Whether two hits hold the same bits in every field (nil for both: the same).
  static func sameBits(_ a: RayHit?, _ b: RayHit?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    func bits(_ v: Vec3) -> [UInt64] { [v.x.bitPattern, v.y.bitPattern, v.z.bitPattern] }
    func bits(_ v: SIMD2<Double>?) -> [UInt64]? { v.map { [$0.x.bitPattern, $0.y.bitPattern] } }
    return a.t.bitPattern == b.t.bitPattern && a.surface == b.surface && bits(a.normal) == bits(b.normal)
      && a.materialSlot == b.materialSlot && a.triangle == b.triangle && bits(a.barycentric) == bits(b.barycentric)
      && bits(a.uv) == bits(b.uv)
  }

  /// A LiDAR batch's beams that enter a candidate's box are walked before its returns are
  /// made, in packets of up to eight where their nearest box entered is one mesh instance's
  /// (`walkEntered`, `packetHits` without the surface point, as `scan` walks them): fans of
  /// 32 azimuth steps × 8 rings from one point, with the sensor's range window, over sparse
  /// and crowded scenes of boxes, spheres, cylinders and meshes; every beam's hit is the one
  /// `closestHit(prepared:…, surfacePoint: false)` gives it alone, bit for bit, including
  /// beams that enter several boxes.
  @Test(arguments: [12, 300])
  func lidarPacketsGiveEachBeamItsOwnHit(objectCount: Int) throws {
    var numbers = Numbers(state: 917 + UInt64(objectCount))
    let intersector = try RayBundleTests.randomScene(objects: objectCount, numbers: &numbers)
    let (tMin, tMax) = (0.5, 60.0)
    var packetBeams = 0
    var packetBeamsInSeveralBoxes = 0
    var singleBeams = 0
    for bundle in 0..<200 {
      let (origin, forward, left, up, width, height, y0, z0) = Self.randomView(
        towards: bundle % objectCount, of: intersector, wide: 0.3, numbers: &numbers)
      let pyramid = RayPyramid(
        origin: origin, forward: forward, left: left, up: up, y0: y0, y1: y0 + width, z0: z0, z1: z0 + height)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          TileRays.withScratch { rays in
            rays.path = Self.paths[bundle % Self.paths.count]
            intersector.collectCandidates(pyramid, exclude: .max, into: &list, stack: stack)
            guard list.count > 0, !list.overflowed else { return }
            for step in 0..<32 {
              for ring in 0..<8 {
                rays.append(forward + left * (y0 + width * Double(step) / 31) + up * (z0 + height * Double(ring) / 7))
              }
            }
            rays.prepare(from: origin, tMin: tMin, tMax: tMax, includeGround: true, list: list)
            let walks = (0..<rays.count).filter { rays.entered[$0] & ~TileRays.groundBit != 0 }.map { UInt16($0) }
            var hits = [RayHit??](repeating: nil, count: rays.count)
            var walked = [Int](repeating: 0, count: rays.count)
            intersector.walkEntered(
              prepared: rays, walks: walks, count: walks.count, list: list, slot: { $0 },
              single: { r, slot in
                #expect(slot == r)
                hits[r] = .some(
                  intersector.closestHit(
                    prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack, surfacePoint: false))
                walked[r] += 1
                singleBeams += 1
              },
              packet: { indices, slots, n, position in
                #expect(n > 1 && n <= Int(CMESH_PACKET_MAX))
                intersector.packetHits(
                  prepared: rays, indices: indices, count: n, position: position, origin: origin, tMin: tMin,
                  list: list, stack: stack, surfacePoint: false
                ) { k, direction, hit in
                  let r = Int(indices[k])
                  #expect(Int(slots[k]) == r && intersector.packetPosition(prepared: rays, ray: r, list: list) == position)
                  #expect(direction == rays.vector(r))
                  hits[r] = .some(hit)
                  walked[r] += 1
                  packetBeams += 1
                  let entered = rays.entered[r] & ~TileRays.groundBit
                  if entered & (entered &- 1) != 0 { packetBeamsInSeveralBoxes += 1 }
                }
              })
            for r in 0..<rays.count {
              let entered = rays.entered[r] & ~TileRays.groundBit != 0
              #expect(walked[r] == (entered ? 1 : 0), "bundle \(bundle), beam \(r): walked \(walked[r]) times")
              guard entered, let hit = hits[r] else { continue }
              let alone = intersector.closestHit(
                prepared: rays, ray: r, origin: origin, tMin: tMin, list: list, stack: stack, surfacePoint: false)
              #expect(Self.sameBits(hit, alone), "bundle \(bundle), beam \(r): the packet's hit differs")
            }
          }
        }
      }
    }
    #expect(
      packetBeams > 2000 && packetBeamsInSeveralBoxes > (objectCount < 100 ? 50 : 5000) && singleBeams > 100,
      "\(packetBeams) beams in packets (\(packetBeamsInSeveralBoxes) entering several boxes), \(singleBeams) alone")
  }

  /// A LiDAR batch's beam directions are made in C (`TileRays.setLidarBeams`,
  /// `ctrace_lidar_beams`): on every path, for the identity, yaws and tilted rotations, random
  /// azimuths and elevations, 1 to 9 rings and up to 256 beams (so that every count of beams
  /// left after the four-beam steps occurs), each beam is
  /// `rotation.rotate(Vec3(ce * ca, ce * sa, se))` bit for bit.
  @Test(arguments: paths)
  func lidarBeamsAreTheSensorDirectionsRotated(path: Int32) {
    var numbers = Numbers(state: 71 + UInt64(path))
    var compared = 0
    TileRays.withScratch { rays in
      rays.path = path
      for batch in 0..<300 {
        let yaw = numbers.next() * 7 - 3.5
        let rotation =
          batch == 0
          ? Quaternion.identity
          : batch % 3 == 0
            ? Quaternion(yaw: yaw, pitch: 0, roll: 0)
            : Quaternion(yaw: yaw, pitch: numbers.next() - 0.5, roll: numbers.next() - 0.5)
        let ringCount = 1 + batch % 9
        let steps = 1 + Int(numbers.next() * Double(TileRays.capacity / ringCount - 1))
        let azimuths = (0..<steps).map { _ in
          let a = numbers.next() * 2 * Double.pi
          return (cosine: a.cosine, sine: a.sine)
        }
        let rings = (0..<ringCount).map { _ in
          let e = numbers.next() * 3 - 1.5
          return (cosine: e.cosine, sine: e.sine)
        }
        azimuths.withUnsafeBufferPointer { a in
          rings.withUnsafeBufferPointer { e in
            rays.setLidarBeams(rotation: rotation, azimuths: a.baseAddress!, steps: steps, rings: e)
          }
        }
        #expect(rays.count == steps * ringCount, "batch \(batch)")
        for s in 0..<steps {
          for k in 0..<ringCount {
            let (ca, sa) = azimuths[s]
            let (ce, se) = rings[k]
            let expected = rotation.rotate(Vec3(ce * ca, ce * sa, se))
            let made = rays.vector(s * ringCount + k)
            #expect(
              made.x.bitPattern == expected.x.bitPattern && made.y.bitPattern == expected.y.bitPattern
                && made.z.bitPattern == expected.z.bitPattern, "batch \(batch), step \(s), ring \(k)")
            compared += 1
          }
        }
      }
    }
    #expect(compared > 10000, "\(compared) beams compared")
  }

  /// On x86-64 the vector paths the processor has really run: the automatic choice is
  /// AVX-512 where it has AVX-512F/DQ/VL, AVX2 where it has only AVX2
  /// (AMD Zen 3), and a forced AVX2 runs wherever AVX2 is present, so the comparisons above
  /// cover every path the processor can run.
  @Test func theVectorPathsRunWhereTheProcessorHasThem() throws {
    let auto = ctrace_resolve_path(Int32(CTRACE_PATH_AUTO))
    #expect(ctrace_resolve_path(Int32(CTRACE_PATH_PORTABLE)) == Int32(CTRACE_PATH_PORTABLE))
    #if arch(x86_64)
      let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
      let flags = Set(cpu.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? [])
      let avx512 = flags.contains("avx512f") && flags.contains("avx512dq") && flags.contains("avx512vl")
      if avx512 {
        #expect(auto == Int32(CTRACE_PATH_AVX512))
        #expect(ctrace_resolve_path(Int32(CTRACE_PATH_AVX512)) == Int32(CTRACE_PATH_AVX512))
      } else {
        #expect(ctrace_resolve_path(Int32(CTRACE_PATH_AVX512)) == Int32(CTRACE_PATH_PORTABLE))
      }
      if flags.contains("avx2") {
        #expect(ctrace_resolve_path(Int32(CTRACE_PATH_AVX2)) == Int32(CTRACE_PATH_AVX2))
        if !avx512 { #expect(auto == Int32(CTRACE_PATH_AVX2)) }
      } else {
        #expect(ctrace_resolve_path(Int32(CTRACE_PATH_AVX2)) == Int32(CTRACE_PATH_PORTABLE))
      }
    #else
      #expect(auto == Int32(CTRACE_PATH_PORTABLE))
    #endif
  }
}
