import ScnScene
import ScnGeometry
import Testing

@testable import ScnSensors

/// Culling a ray bundle must never change a ray's answer: every ray of the bundle gets the
/// same hit from the candidate list as from the whole BVH.
@Suite struct RayBundleTests {
  struct Numbers {
    var state: UInt64
    mutating func next() -> Double {
      state = Hash.mix(state)
      return Hash.unit(state)
    }
  }

  static func randomScene(objects count: Int, numbers: inout Numbers) throws -> SceneIntersector {
    let objects = (0..<count).map { i in
      let shape: PartShape
      switch i % 4 {
      case 0: shape = .box(size: Vec3(0.2 + numbers.next(), 0.2 + numbers.next(), 0.2 + numbers.next()))
      case 1: shape = .sphere(radius: 0.1 + numbers.next())
      case 2: shape = .cylinder(radius: 0.1 + numbers.next() * 0.5, height: 0.2 + numbers.next() * 2)
      default:
        let corners = (0..<4).map { _ in
          Vec3(numbers.next() * 2 - 1, numbers.next() * 2 - 1, numbers.next() * 2 - 1)
        }
        shape = .mesh(TriangleMesh(vertices: corners, indices: [0, 1, 2, 0, 1, 3, 0, 2, 3, 1, 2, 3]))
      }
      return SceneObject(
        instanceID: UInt32(i + 1), semanticClass: 2, className: "b", baseColour: TestScenes.grey,
        parts: [Part(shape)],
        transform: Transform(
          rotation: Quaternion(yaw: numbers.next() * 6, pitch: numbers.next(), roll: numbers.next()),
          translation: Vec3(numbers.next() * 30 - 15, numbers.next() * 30 - 15, numbers.next() * 6)))
    }
    return try SceneIntersector(scene: RenderScene(objects: objects))
  }

  /// Every beam of `lidar` in the order `scan` emits them: its ring and its direction in the
  /// sensor frame.
  static func forEachBeam(of lidar: LidarSensor, _ body: (Int, Vec3) -> Void) {
    for step in 0..<lidar.azimuthSteps {
      let azimuth = Double(step) * 2 * Double.pi / Double(lidar.azimuthSteps)
      for ring in 0..<lidar.channels {
        let e = lidar.elevation(ofRing: ring)
        body(ring, Vec3(e.cosine * azimuth.cosine, e.cosine * azimuth.sine, e.sine))
      }
    }
  }

  @Test(arguments: [6, 12, 40, 300])
  func primaryRaysOfAPyramidGetTheSameHits(objectCount: Int) throws {
    var numbers = Numbers(state: UInt64(objectCount))
    let intersector = try Self.randomScene(objects: objectCount, numbers: &numbers)
    var culledBundles = 0
    var objectHits = 0
    for bundle in 0..<600 {
      let origin = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 8)
      // Aimed near an object, so that its silhouette often crosses the bundle's edges.
      let target = intersector.scene.objects[bundle % objectCount].transform.translation
      let forward = (target - origin).normalized
      let left = Vec3.unitZ.cross(forward).normalized
      let up = forward.cross(left)
      // About as wide as a 16-pixel tile of a 640-pixel, 70° camera (0.035), some much wider.
      let width = numbers.next() * (bundle % 5 == 0 ? 0.3 : 0.04)
      let height = numbers.next() * (bundle % 5 == 0 ? 0.3 : 0.04)
      let y0 = numbers.next() * 0.3 - 0.15 - width / 2
      let z0 = numbers.next() * 0.3 - 0.15 - height / 2
      let excluded: Int? = bundle % 3 == 0 ? bundle % objectCount : nil
      let pyramid = RayPyramid(
        origin: origin, forward: forward, left: left, up: up, y0: y0, y1: y0 + width, z0: z0, z1: z0 + height)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          intersector.collectCandidates(
            pyramid, exclude: excluded.map(UInt32.init) ?? .max, into: &list, stack: stack)
          if !list.overflowed { culledBundles += 1 }
          // The corners and edges of the bundle, where a conservative test is tightest.
          let fractions = [0.0, 1.0, 0.5] + (0..<6).map { _ in numbers.next() }
          for fy in fractions {
            for fz in fractions {
              let direction = forward + left * (y0 + width * fy) + up * (z0 + height * fz)
              let culled = intersector.closestHit(
                origin: origin, direction: direction, tMin: 0.01, tMax: 1000, excluding: excluded,
                includeGround: true, stack: stack, candidates: list)
              let whole = intersector.closestHit(
                origin: origin, direction: direction, tMin: 0.01, tMax: 1000, excluding: excluded,
                includeGround: true, stack: stack)
              #expect(culled == whole, "bundle \(bundle), fy \(fy), fz \(fz)")
              if case .object? = whole?.surface { objectHits += 1 }
            }
          }
        }
      }
    }
    // Small scenes must actually be culled to lists, or the test above proves nothing.
    if objectCount <= 12 { #expect(culledBundles == 600) }
    #expect(objectHits > 200, "enough rays must hit objects for the comparison to mean anything")
  }

  @Test(arguments: [6, 12, 40, 300])
  func shadowRaysOfASweptBoxGetTheSameAnswers(objectCount: Int) throws {
    var numbers = Numbers(state: 1000 + UInt64(objectCount))
    let intersector = try Self.randomScene(objects: objectCount, numbers: &numbers)
    var shadowed = 0
    for bundle in 0..<300 {
      let lower = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 3)
      let extent = Vec3(numbers.next() * 4, numbers.next() * 4, numbers.next())
      var direction = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, numbers.next())
      // Axis-aligned directions exercise the degenerate separating axes.
      if bundle % 10 == 0 { direction = Vec3(0, 0, 1) }
      if bundle % 10 == 1 { direction = Vec3(1, 0, 0.5) }
      let swept = SweptBox(lower: lower, upper: lower + extent, direction: direction)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          intersector.collectCandidates(swept, exclude: .max, into: &list, stack: stack)
          let fractions = [0.0, 1.0] + (0..<4).map { _ in numbers.next() }
          for fx in fractions {
            for fy in fractions {
              for fz in fractions {
                let origin = lower + extent * Vec3(fx, fy, fz)
                let culled = intersector.occluded(
                  origin: origin, direction: direction, tMin: 0, tMax: .infinity, stack: stack, candidates: list)
                let whole = intersector.occluded(
                  origin: origin, direction: direction, tMin: 0, tMax: .infinity, stack: stack)
                #expect(culled == whole, "bundle \(bundle) at \(origin)")
                if whole { shadowed += 1 }
              }
            }
          }
        }
      }
    }
    #expect(shadowed > 100, "the random scenes must cast some shadows for the comparison to mean anything")
  }

  /// Lamp shadow rays: segments from a box of points to one lamp position, with the lamp's
  /// owner left out of the list as the renderer does.
  @Test(arguments: [6, 12, 40, 300])
  func segmentsToALampGetTheSameAnswers(objectCount: Int) throws {
    var numbers = Numbers(state: 2000 + UInt64(objectCount))
    let intersector = try Self.randomScene(objects: objectCount, numbers: &numbers)
    var shadowed = 0
    var culledBundles = 0
    for bundle in 0..<300 {
      let lower = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 3)
      let extent = Vec3(numbers.next() * 4, numbers.next() * 4, bundle % 7 == 0 ? 0 : numbers.next())
      var lamp = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 8)
      // A lamp straight above the box, and one level with it, exercise degenerate axes.
      if bundle % 10 == 0 { lamp = lower + Vec3(extent.x / 2, extent.y / 2, 5) }
      if bundle % 10 == 1 { lamp = Vec3(lamp.x, lower.y, lower.z) }
      let owner = bundle % 3 == 0 ? Int(numbers.next() * Double(objectCount)) : nil
      let region = SegmentsToPoint(lower: lower, upper: lower + extent, target: lamp)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          intersector.collectCandidates(
            region, exclude: owner.map { UInt32($0) } ?? .max, into: &list, stack: stack)
          if !list.overflowed { culledBundles += 1 }
          let fractions = [0.0, 1.0] + (0..<3).map { _ in numbers.next() }
          for fx in fractions {
            for fy in fractions {
              for fz in fractions {
                let origin = lower + extent * Vec3(fx, fy, fz)
                let v = lamp - origin
                let culled = intersector.occluded(
                  origin: origin, direction: v, tMin: 0, tMax: 1, excluding: owner, stack: stack, candidates: list)
                let whole = intersector.occluded(
                  origin: origin, direction: v, tMin: 0, tMax: 1, excluding: owner, stack: stack)
                #expect(culled == whole, "bundle \(bundle) at \(origin) towards \(lamp)")
                if whole { shadowed += 1 }
              }
            }
          }
        }
      }
    }
    if objectCount <= 12 { #expect(culledBundles == 300) }
    #expect(shadowed > 100, "the random scenes must block some segments for the comparison to mean anything")
  }

  /// A crowd of 300 objects in view: many camera tiles and LiDAR blocks reach more than a
  /// list's 24 candidates, so the renderer casts those tiles a quarter at a time
  /// (`SceneIntersector.quarter`) and the scan halves those blocks. Every pixel's depth and
  /// instance and every LiDAR return must still be what a walk of the whole BVH gives.
  @Test func crowdedTilesAndLidarBlocksGetTheWholeBVHsAnswers() throws {
    var numbers = Numbers(state: 4242)
    let intersector = try Self.randomScene(objects: 300, numbers: &numbers)
    let camera = try TestScenes.camera(width: 96, height: 64, fovDegrees: 90, at: Vec3(-24, 0.5, 3))
    let basis = RotationBasis(camera.pose.rotation)
    let width = camera.intrinsics.width
    let height = camera.intrinsics.height
    // How many of the frame's 16×16 tiles overflow a list (else the split is never taken).
    var overflowingTiles = 0
    intersector.withTraversalStack { stack in
      CandidateList.withScratch { list in
        for y0 in stride(from: 0, to: height, by: 16) {
          for x0 in stride(from: 0, to: width, by: 16) {
            var dy = (Double.infinity, -Double.infinity)
            var dz = dy
            for y in y0..<Swift.min(y0 + 16, height) {
              for x in x0..<Swift.min(x0 + 16, width) {
                let d = camera.rayTable.directions[y * width + x]
                dy = (Swift.min(dy.0, d.y), Swift.max(dy.1, d.y))
                dz = (Swift.min(dz.0, d.z), Swift.max(dz.1, d.z))
              }
            }
            let pyramid = RayPyramid(
              origin: camera.pose.translation, forward: basis.x, left: basis.y, up: basis.z, y0: dy.0, y1: dy.1,
              z0: dz.0, z1: dz.1)
            intersector.collectCandidates(pyramid, exclude: .max, into: &list, stack: stack)
            if list.overflowed { overflowingTiles += 1 }
          }
        }
      }
    }
    #expect(overflowingTiles >= 4, "the crowd must overflow some tiles' lists for the test to mean anything")
    for threads in [1, 2] {
      let frame = try intersector.render(
        camera, options: CameraRenderOptions(threads: threads, excludedInstance: nil, labels: false))
      var objectPixels = 0
      intersector.withTraversalStack { stack in
        for pixel in 0..<(width * height) {
          let hit = intersector.closestHit(
            origin: camera.pose.translation, direction: camera.worldDirection(pixel: pixel, basis: basis),
            tMin: camera.nearClip, tMax: camera.farClip, excluding: nil, includeGround: true, stack: stack)
          let expectedDepth = hit.map { SceneIntersector.depthMillimetres($0.t) } ?? 0
          var expectedInstance: UInt16 = 0
          if case .object(let index)? = hit?.surface {
            expectedInstance = UInt16(intersector.scene.objects[index].instanceID)
            objectPixels += 1
          }
          #expect(frame.depth[pixel] == expectedDepth, "pixel \(pixel), \(threads) threads")
          #expect(frame.instance[pixel] == expectedInstance, "pixel \(pixel), \(threads) threads")
        }
      }
      #expect(objectPixels > 1000)
    }

    let lidar = LidarSensor(
      channels: 16, minElevation: -0.4, maxElevation: 0.3, azimuthSteps: 1024, maxRange: 120,
      pose: Transform(translation: Vec3(-24, 0.5, 2)))
    var expected: [LidarPoint] = []
    intersector.withTraversalStack { stack in
      Self.forEachBeam(of: lidar) { ring, local in
        guard
          let hit = intersector.closestHit(
            origin: lidar.pose.translation, direction: lidar.pose.rotation.rotate(local), tMin: lidar.minRange,
            tMax: lidar.maxRange, excluding: nil, includeGround: true, stack: stack)
        else { return }
        var instance: UInt32 = 0
        if case .object(let index) = hit.surface { instance = intersector.scene.objects[index].instanceID }
        let p = local * hit.t
        expected.append(
          LidarPoint(
            x: Float(p.x), y: Float(p.y), z: Float(p.z), intensity: 0, ring: UInt16(ring), instance: instance))
      }
    }
    for threads in [1, 2] {
      let points = try intersector.scan(lidar, threads: threads).points
      #expect(points.count == expected.count)
      for (point, want) in zip(points, expected) {
        #expect(
          point.x == want.x && point.y == want.y && point.z == want.z && point.ring == want.ring
            && point.instance == want.instance)
      }
    }
    #expect(expected.filter { $0.instance != 0 }.count > 1000)
  }

  /// A LiDAR part's region cuts the pyramid where the farthest segment ends and, when every
  /// beam climbs or every beam falls, at the sensor's height; each sweep of a tilted LiDAR
  /// over a crowd on a drawn street still gets, beam for beam, the whole BVH's hit and the
  /// reflectivity of what it hit (objects, kerbs and sidewalks, painted and plain ground,
  /// the ground's paint looked up per beam here), and with range noise and dropout, each
  /// beam's own variates (`Hash.gaussian` and the dropout draw of its key).
  @Test(arguments: [(0.0, 0.0), (0.12, 0.0), (0.05, 0.03)])
  func tiltedLidarOverAStreetGetsTheWholeBVHsReturns(pitch: Double, noise: Double) throws {
    var numbers = Numbers(state: 977)
    let crowd = try Self.randomScene(objects: 300, numbers: &numbers).scene.objects
    let intersector = try SceneIntersector(scene: RenderScene(objects: crowd, stuff: StuffRenderTests.street()))
    let lidar = LidarSensor(
      channels: 32, minElevation: -25 * Double.pi / 180, maxElevation: 15 * Double.pi / 180, azimuthSteps: 900,
      maxRange: 60, rangeNoise: noise, dropoutProbability: noise > 0 ? 0.1 : 0, seed: 41,
      pose: Transform(rotation: Quaternion(yaw: 0.3, pitch: pitch, roll: -pitch / 2), translation: Vec3(-2, -1, 1.8)))
    var expected: [LidarPoint] = []
    var kinds = Set<String>()
    var beam = -1
    intersector.withTraversalStack { stack in
      Self.forEachBeam(of: lidar) { ring, local in
        beam += 1
        let direction = lidar.pose.rotation.rotate(local)
        guard
          let hit = intersector.closestHit(
            origin: lidar.pose.translation, direction: direction, tMin: lidar.minRange,
            tMax: lidar.maxRange, excluding: nil, includeGround: true, stack: stack)
        else { return }
        let key = Hash.combine(lidar.seed, UInt64(beam))
        if lidar.dropoutProbability > 0,
          Hash.unit(Hash.mix(key ^ 0xD1B5_4A32_D192_ED03)) < lidar.dropoutProbability
        {
          return
        }
        let range = Swift.max(0, hit.t + (lidar.rangeNoise > 0 ? lidar.rangeNoise * Hash.gaussian(key) : 0))
        var instance: UInt32 = 0
        let reflectivity: Double
        switch hit.surface {
        case .object(let index):
          instance = intersector.scene.objects[index].instanceID
          reflectivity = intersector.material(ofSlot: hit.materialSlot)?.material.reflectivity ?? -1
          kinds.insert("object")
        case .stuff(let index):
          reflectivity = intersector.scene.stuff.solids[index].material.reflectivity
          kinds.insert("stuff")
        case .ground:
          let point = lidar.pose.translation + direction * hit.t
          let painted = intersector.scene.stuff.ground(atX: point.x, y: point.y)
          reflectivity = painted?.material.reflectivity ?? intersector.scene.environment.groundReflectivity
          kinds.insert(painted.map { "painted \($0.semanticClass)" } ?? "ground")
        }
        let p = local * range
        expected.append(
          LidarPoint(
            x: Float(p.x), y: Float(p.y), z: Float(p.z),
            intensity: Float(Swift.min(1, Swift.max(0, reflectivity * abs(hit.normal.dot(direction))))),
            ring: UInt16(ring), instance: instance))
      }
    }
    #expect(kinds.count == 5, "objects, stuff, plain ground, asphalt and markings must all be hit: \(kinds)")
    for threads in [1, 2] {
      let points = try intersector.scan(lidar, threads: threads).points
      #expect(points == expected, "\(threads) threads")
    }
    #expect(expected.filter { $0.instance != 0 }.count > 1000)
  }

  @Test func lidarPartRegionIsCutAtItsReachAndTheSensorsHeight() throws {
    let intersector = try SceneIntersector(scene: RenderScene(objects: [TestScenes.wall(at: 10)]))
    let origin = Vec3(0, 0, 1)
    let pyramid = RayPyramid(
      origin: origin, forward: .unitX, left: .unitY, up: .unitZ, y0: -0.01, y1: 0.01, z0: -0.01, z1: 0.01)
    func candidates(reach: Double, vertical: Int) -> Int {
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          let region = LidarPartRegion(
            pyramid: pyramid, origin: origin, forward: .unitX, reach: reach, vertical: vertical)
          intersector.collectCandidates(region, exclude: .max, into: &list, stack: stack)
          return list.count
        }
      }
    }
    #expect(candidates(reach: 20, vertical: 0) == 1)
    #expect(candidates(reach: 10.000001, vertical: 0) == 1)
    #expect(candidates(reach: 9.99, vertical: 0) == 0, "the wall's face is 10 m ahead")
    // The 400 m wall reaches above and below the sensor: kept by either half-space.
    #expect(candidates(reach: 20, vertical: 1) == 1)
    #expect(candidates(reach: 20, vertical: -1) == 1)
    let low = try SceneIntersector(
      scene: RenderScene(objects: [
        SceneObject.box(
          instanceID: 1, semanticClass: 2, className: "car", baseColour: TestScenes.grey, size: Vec3(4.5, 1.8, 1.5),
          transform: Transform(position: Vec3(10, 0, 0), yaw: 0))
      ]))
    let above = Vec3(0, 0, 1.8)
    let flat = RayPyramid(
      origin: above, forward: .unitX, left: .unitY, up: .unitZ, y0: -0.1, y1: 0.1, z0: -0.2, z1: 0.2)
    low.withTraversalStack { stack in
      CandidateList.withScratch { list in
        for (vertical, count) in [(0, 1), (-1, 1), (1, 0)] {
          let region = LidarPartRegion(pyramid: flat, origin: above, forward: .unitX, reach: 50, vertical: vertical)
          low.collectCandidates(region, exclude: .max, into: &list, stack: stack)
          #expect(list.count == count, "a 1.5 m car under a sensor at 1.8 m, vertical \(vertical)")
        }
      }
    }
  }

  /// A LiDAR's rings are culled in runs of at most eight, split where the beams turn from
  /// falling to climbing.
  @Test func lidarRingGroupsSplitAtTheHorizon() {
    func groups(_ channels: Int, _ low: Double, _ high: Double) -> [Range<Int>] {
      SceneIntersector.lidarRingGroups(
        LidarSensor(
          channels: channels, minElevation: low.radians, maxElevation: high.radians, azimuthSteps: 8, maxRange: 50))
    }
    // 32 rings from -25° to 15°: ring 19 is at -0.48°, ring 20 at +0.81°.
    #expect(groups(32, -25, 15) == [0..<8, 8..<16, 16..<20, 20..<28, 28..<32])
    #expect(groups(16, -30, -10) == [0..<8, 8..<16])
    #expect(groups(3, 0, 10) == [0..<3])
    #expect(groups(1, -5, -5) == [0..<1])
    #expect(groups(4, -3, 3) == [0..<2, 2..<4])
  }

  @Test func emptySkyAndASingleObjectAreCulledExactly() throws {
    let scene = RenderScene(objects: [TestScenes.wall(at: 10)])
    let intersector = try SceneIntersector(scene: scene)
    intersector.withTraversalStack { stack in
      CandidateList.withScratch { list in
        let up = RayPyramid(
          origin: Vec3(0, 0, 300), forward: .unitZ, left: .unitY, up: -.unitX, y0: -0.1, y1: 0.1, z0: -0.1,
          z1: 0.1)
        intersector.collectCandidates(up, exclude: .max, into: &list, stack: stack)
        #expect(list.count == 0)
        let ahead = RayPyramid(
          origin: Vec3(0, 0, 1), forward: .unitX, left: .unitY, up: .unitZ, y0: -0.01, y1: 0.01, z0: -0.01, z1: 0.01)
        intersector.collectCandidates(ahead, exclude: .max, into: &list, stack: stack)
        #expect(list.count == 1)
        intersector.collectCandidates(ahead, exclude: 0, into: &list, stack: stack)
        #expect(list.count == 0, "the excluded object is not a candidate")
        let behind = RayPyramid(
          origin: Vec3(0, 0, 1), forward: -.unitX, left: -.unitY, up: .unitZ, y0: -0.01, y1: 0.01, z0: -0.01,
          z1: 0.01)
        intersector.collectCandidates(behind, exclude: .max, into: &list, stack: stack)
        #expect(list.count == 0)
      }
    }
  }

  /// The four-wide Float32 slab test of a candidate list's groups answers, lane by lane,
  /// exactly as the one-box test: random boxes around and behind random rays, axis-aligned
  /// directions (whose inverse is clamped), flat boxes and the origin inside a box.
  @Test func fourWideSlabTestAgreesWithTheOneBoxTest() {
    var numbers = Numbers(state: 77)
    var entered = 0
    var missed = 0
    CandidateList.withScratch { list in
      for trial in 0..<4000 {
        let origin = Vec3(numbers.next() * 20 - 10, numbers.next() * 20 - 10, numbers.next() * 4)
        var direction = Vec3(numbers.next() - 0.5, numbers.next() - 0.5, numbers.next() - 0.5)
        if trial % 7 == 0 { direction = Vec3(0, 0, direction.z) }
        if trial % 11 == 0 { direction = Vec3(direction.x, 0, 0) }
        let ray = FloatRay(origin: origin, direction: direction)
        let lowerLimit = FloatRay.lowerLimit(numbers.next() * 0.5)
        let upperLimit = trial % 3 == 0 ? Float.infinity : FloatRay.upperLimit(numbers.next() * 30)
        list.count = 0
        var boxes: [[Float]] = []
        for lane in 0..<CandidateList.lanes {
          let offset = Vec3(numbers.next() * 16 - 8, numbers.next() * 16 - 8, numbers.next() * 4 - 2)
          let centre = trial % 5 == lane ? origin : origin + offset
          var half = Vec3(numbers.next() * 2, numbers.next() * 2, numbers.next() * 2)
          if trial % 13 == lane { half.z = 0 }
          let box = [
            Float(centre.x - half.x), Float(centre.y - half.y), Float(centre.z - half.z), Float(centre.x + half.x),
            Float(centre.y + half.y), Float(centre.z + half.z),
          ]
          boxes.append(box)
          box.withUnsafeBufferPointer { list.append(UInt32(lane), bounds: $0.baseAddress!) }
        }
        let (bits, nears) = ray.slab4(list.bounds, lowerLimit: lowerLimit, upperLimit: upperLimit)
        for (lane, b) in boxes.enumerated() {
          let (near, far) = ray.slab(
            lower: (b[0], b[1], b[2]), upper: (b[3], b[4], b[5]), lowerLimit: lowerLimit, upperLimit: upperLimit)
          #expect((bits >> lane) & 1 == (near <= far ? 1 : 0), "trial \(trial), lane \(lane)")
          #expect(nears[lane] == near, "trial \(trial), lane \(lane)")
          if near <= far { entered += 1 } else { missed += 1 }
        }
        #expect(list.primitives[3] == 3)
      }
    }
    #expect(entered > 1000 && missed > 1000, "both answers must be exercised: \(entered) entered, \(missed) missed")
  }

  /// The hint (`RayHint`: what the previous shadow ray cast with a list was blocked by,
  /// tested first by the next) never changes an answer. Two boxes with the same centre and
  /// depth but different widths tie at exactly the same t where both are hit, and so do the
  /// two identical triangles of a mesh; with the hint naming each candidate in turn (and each
  /// triangle as the mesh walk's seed), every ray gets the closest hit of the same list
  /// without a hint, the least (t, list position): of the two boxes the one listed first
  /// wins, and on the mesh the triangle first in its index list. Shadow rays get the same
  /// answers too, and after a shadow ray is blocked the hint names its blocker.
  @Test func hintedCandidateKeepsTheTieRule() throws {
    func object(_ id: UInt32, _ shape: PartShape, at position: Vec3) -> SceneObject {
      SceneObject(
        instanceID: id, semanticClass: 2, className: "b", baseColour: TestScenes.grey, parts: [Part(shape)],
        transform: Transform(translation: position))
    }
    let corners = [Vec3(15, 2, 0), Vec3(15, 4, 0), Vec3(15, 3, 2)]
    let intersector = try SceneIntersector(
      scene: RenderScene(objects: [
        object(1, .box(size: Vec3(1, 1, 1)), at: Vec3(10, 0, 1)),
        object(2, .box(size: Vec3(1, 3, 1)), at: Vec3(10, 0, 1)),
        object(3, .mesh(TriangleMesh(vertices: corners + corners, indices: [0, 1, 2, 3, 4, 5])), at: .zero),
      ]))
    let origin = Vec3(0, 0, 1)
    let pyramid = RayPyramid(
      origin: origin, forward: .unitX, left: .unitY, up: .unitZ, y0: -0.2, y1: 0.3, z0: -0.1, z1: 0.1)
    var ties = 0
    var meshHits = 0
    var blocked = 0
    intersector.withTraversalStack { stack in
      CandidateList.withScratch { list in
        intersector.collectCandidates(pyramid, exclude: .max, into: &list, stack: stack)
        #expect(list.count == 3)
        let hint = list.hint!
        func position(ofObject index: Int) -> Int {
          (0..<list.count).first { Int(intersector.primitives.objects[Int(list.primitives[$0])]) == index } ?? -1
        }
        let (narrow, wide) = (position(ofObject: 0), position(ofObject: 1))
        let hints =
          [RayHint()]
          + (0..<list.count).flatMap { p in
            (-1...1).map { RayHint(position: Int32(p), primitive: list.primitives[p], slot: Int32($0)) }
          }
        for dy in stride(from: -0.2, through: 0.3, by: 0.01) {
          for dz in stride(from: -0.1, through: 0.1, by: 0.025) {
            let direction = Vec3(1, dy, dz)
            hint.pointee = RayHint()
            let plain = intersector.closestHit(
              origin: origin, direction: direction, tMin: 0.1, tMax: 100, excluding: nil, includeGround: true,
              stack: stack, candidates: list)
            let shadowed = intersector.occluded(
              origin: origin, direction: direction, tMin: 0.1, tMax: 100, stack: stack, candidates: list)
            if shadowed {
              let position = Int(hint.pointee.position)
              #expect(position >= 0 && position < list.count && list.primitives[position] == hint.pointee.primitive)
              if position >= 0 && position < list.count {
                let blocker = Int(intersector.primitives.objects[Int(list.primitives[position])])
                #expect(
                  intersector.hitAlone(object: blocker, origin: origin, direction: direction, tMax: 100, stack: stack)
                    != nil, "the hint names the blocker found")
                blocked += 1
              }
            }
            let both =
              intersector.hitAlone(object: 0, origin: origin, direction: direction, tMax: 100, stack: stack)
            if let t = both,
              t == intersector.hitAlone(object: 1, origin: origin, direction: direction, tMax: 100, stack: stack)
            {
              ties += 1
              #expect(plain?.surface == .object(index: narrow < wide ? 0 : 1), "the box listed first wins the tie")
            }
            if case .object(index: 2)? = plain?.surface {
              meshHits += 1
              #expect(plain?.triangle == 0, "the triangle first in the index list wins the tie")
            }
            for start in hints {
              hint.pointee = start
              let hinted = intersector.closestHit(
                origin: origin, direction: direction, tMin: 0.1, tMax: 100, excluding: nil, includeGround: true,
                stack: stack, candidates: list)
              #expect(hinted == plain, "dy \(dy), dz \(dz), hint \(start)")
              hint.pointee = start
              let hintedShadow = intersector.occluded(
                origin: origin, direction: direction, tMin: 0.1, tMax: 100, stack: stack, candidates: list)
              #expect(hintedShadow == shadowed, "dy \(dy), dz \(dz), hint \(start)")
            }
          }
        }
      }
    }
    #expect(ties > 20, "rays must hit both boxes at the same t for the test to mean anything")
    #expect(meshHits > 5)
    #expect(blocked > 20)
  }
}
