import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// A candidate list culled by a pyramid is projected along its axes (`CandidateProjection`),
/// and closest-hit queries from the pyramid's origin take the projected path: their answers
/// must be those of the same list without the projection for any ray from that origin, and
/// those of the whole BVH for rays of the bundle, ties between coincident objects included.
@Suite struct CandidateProjectionTests {
  typealias Numbers = RayBundleTests.Numbers

  @Test(arguments: [8, 24, 60])
  func projectedListsAnswerLikeUnprojectedOnesAndTheWholeBVH(objectCount: Int) throws {
    var numbers = Numbers(state: 9000 + UInt64(objectCount))
    let random = try RayBundleTests.randomScene(objects: objectCount, numbers: &numbers)
    // Every object twice, the copy at the same place with the next instance id: each hit on
    // one is a tie at exactly the same t with the other, which list order decides.
    var objects: [SceneObject] = []
    for (k, object) in random.scene.objects.enumerated() {
      var copy = object
      copy.instanceID = UInt32(2 * k + 2)
      var first = object
      first.instanceID = UInt32(2 * k + 1)
      objects += [first, copy]
    }
    let intersector = try SceneIntersector(scene: RenderScene(objects: objects))
    var projected = 0
    var objectHits = 0
    var outside = 0
    for bundle in 0..<300 {
      let origin = Vec3(numbers.next() * 40 - 20, numbers.next() * 40 - 20, numbers.next() * 8)
      let target = intersector.scene.objects[bundle % objects.count].transform.translation
      let forward = (target - origin).normalized
      let left = Vec3.unitZ.cross(forward).normalized
      let up = forward.cross(left)
      let width = numbers.next() * (bundle % 4 == 0 ? 0.4 : 0.05)
      let height = numbers.next() * (bundle % 4 == 0 ? 0.4 : 0.05)
      let y0 = numbers.next() * 0.3 - 0.15 - width / 2
      let z0 = numbers.next() * 0.3 - 0.15 - height / 2
      let pyramid = RayPyramid(
        origin: origin, forward: forward, left: left, up: up, y0: y0, y1: y0 + width, z0: z0, z1: z0 + height)
      intersector.withTraversalStack { stack in
        CandidateList.withScratch { list in
          intersector.collectCandidates(pyramid, exclude: .max, into: &list, stack: stack)
          guard !list.overflowed else {
            #expect(list.projection == nil)
            return
          }
          #expect(list.projection != nil)
          projected += 1
          var plain = list
          plain.projection = nil
          var directions: [Vec3] = []
          for fy in [0.0, 1.0, 0.5, numbers.next()] {
            for fz in [0.0, 1.0, 0.5, numbers.next()] {
              directions.append(forward + left * (y0 + width * fy) + up * (z0 + height * fz))
            }
          }
          // Rays from the origin outside the bundle (the projection holds for them too),
          // some behind the forward axis (answered without it).
          for _ in 0..<8 {
            directions.append(
              forward * (numbers.next() * 2 - 0.5) + left * (numbers.next() - 0.5) + up * (numbers.next() - 0.5))
          }
          for (k, direction) in directions.enumerated() {
            let tMin = k % 3 == 0 ? 0.0 : 0.01
            let viaProjection = intersector.closestHit(
              origin: origin, direction: direction, tMin: tMin, tMax: 1000, excluding: nil, includeGround: true,
              stack: stack, candidates: list)
            let viaList = intersector.closestHit(
              origin: origin, direction: direction, tMin: tMin, tMax: 1000, excluding: nil, includeGround: true,
              stack: stack, candidates: plain)
            #expect(viaProjection == viaList, "bundle \(bundle), ray \(k)")
            // Rays outside the bundle may meet objects the list does not hold.
            if k >= 16 {
              outside += 1
              continue
            }
            let whole = intersector.closestHit(
              origin: origin, direction: direction, tMin: tMin, tMax: 1000, excluding: nil, includeGround: true,
              stack: stack)
            #expect(viaProjection == whole, "bundle \(bundle), ray \(k)")
            if case .object(let index)? = viaProjection?.surface {
              objectHits += 1
              // Of the two coincident copies, the one hit is the one the whole BVH reports.
              if case .object(let other)? = whole?.surface { #expect(index == other) }
            }
          }
        }
      }
    }
    #expect(projected > 100)
    #expect(objectHits > 300, "enough rays must hit objects: \(objectHits)")
    #expect(outside > 0)
  }

  /// A box reaching behind the origin's plane has no slope rectangle and no depth bound, and
  /// lanes past the end of the list are never entered.
  @Test func boxesAroundTheOriginAreNeverDropped() throws {
    let origin = Vec3(0, 0, 1)
    let intersector = try SceneIntersector(
      scene: RenderScene(objects: [
        TestScenes.wall(at: 10),
        SceneObject(
          instanceID: 2, semanticClass: 2, className: "b", baseColour: TestScenes.grey,
          parts: [Part(.box(size: Vec3(4, 4, 4)))], transform: Transform(position: origin, yaw: 0.3)),
      ]))
    let pyramid = RayPyramid(
      origin: origin, forward: Vec3(1, 0, 0), left: Vec3(0, 1, 0), up: Vec3(0, 0, 1), y0: -0.1, y1: 0.1, z0: -0.1,
      z1: 0.1)
    intersector.withTraversalStack { stack in
      CandidateList.withScratch { list in
        intersector.collectCandidates(pyramid, exclude: .max, into: &list, stack: stack)
        #expect(list.count == 2)
        let projection = list.projection
        #expect(projection?.storage.depths[0] == -.infinity)
        for direction in [Vec3(1, 0, 0), Vec3(1, 0.05, -0.05), Vec3(1, 2, 0.3)] {
          let hit = intersector.closestHit(
            origin: origin, direction: direction, tMin: 0, tMax: .infinity, excluding: nil, includeGround: true,
            stack: stack, candidates: list)
          let whole = intersector.closestHit(
            origin: origin, direction: direction, tMin: 0, tMax: .infinity, excluding: nil, includeGround: true,
            stack: stack)
          #expect(hit == whole)
          #expect(hit?.surface == .object(index: 1))
        }
      }
    }
  }
}
