import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The labels' "as if alone" coverage skips the rays that cannot reach an object (the depth
/// image bounds where each pixel's ray first hit something; see `coverageAlone`): every label
/// must come out exactly as with a ray cast for every pixel of the object's box.
@Suite struct LabelCoverageTests {
  /// A crowd of boxes, spheres, cylinders and meshes (some sunk below the ground) over a
  /// street with kerbs and sidewalks.
  static func crowd(seed: UInt64) throws -> SceneIntersector {
    var numbers = RayBundleTests.Numbers(state: seed)
    let objects = try RayBundleTests.randomScene(objects: 160, numbers: &numbers).scene.objects
    return try SceneIntersector(scene: RenderScene(objects: objects, stuff: StuffRenderTests.street()))
  }

  /// Cameras inside the crowd: pinhole and fisheye, a near clip under 1 mm (where a depth of
  /// 0 no longer means "no hit"), one mounted on an object it must not see.
  static func cameras() throws -> [(camera: Camera, mount: UInt32?)] {
    var list: [(Camera, UInt32?)] = []
    for (k, yaw) in [0.0, 1.3, 2.6, -2.0].enumerated() {
      var camera = try TestScenes.camera(
        width: 120, height: 80, fovDegrees: 80, at: Vec3(-3 + Double(k), 0.5 * Double(k), 1.4), yaw: yaw)
      if k == 1 { camera.nearClip = 0.0002 }
      list.append((camera, k == 2 ? 1 : nil))
    }
    let fisheye = try Camera(
      width: 120, height: 90, horizontalFOV: 190.0.radians, lens: .fisheye(.equidistant),
      pose: Transform(position: Vec3(0, -2, 1.6), yaw: 0.7))
    list.append((fisheye, nil))
    return list
  }

  @Test(arguments: [11 as UInt64, 12])
  func labelsMatchRaysCastForEveryPixel(seed: UInt64) throws {
    let intersector = try Self.crowd(seed: seed)
    var occluded = 0
    var labels = 0
    for (camera, mount) in try Self.cameras() {
      for threads in [1, 2] {
        let frame = try intersector.render(
          camera, options: CameraRenderOptions(threads: threads, excludedInstance: mount, labels: true))
        let excluded = mount.flatMap { intersector.objectIndex(ofInstance: $0) }
        // The same labels with a coverage ray cast at every pixel (no depth image).
        let reference = intersector.labelObjects(
          camera: camera, instanceImage: frame.instance, depthImage: [], excluded: excluded, threads: threads)
        #expect(frame.objects == reference, "\(threads) threads, near clip \(camera.nearClip)")
        labels += frame.objects.count
        occluded += frame.objects.filter { $0.unoccludedPixels > $0.visiblePixels && $0.visiblePixels > 0 }.count
      }
    }
    #expect(labels > 100)
    #expect(occluded > 20, "partly hidden objects must be labelled for the test to mean anything")
  }

  /// The skip alone, over whole images: for each object, the pixels its rays cover with and
  /// without the depth image, counted over every pixel (not only its box).
  @Test func coverageOverWholeImagesIsUnchanged() throws {
    let intersector = try Self.crowd(seed: 5)
    var covered = 0
    for (camera, mount) in try Self.cameras() {
      let frame = try intersector.render(
        camera, options: CameraRenderOptions(threads: 2, excludedInstance: mount, labels: false))
      let width = camera.intrinsics.width
      let height = camera.intrinsics.height
      for index in stride(from: 0, to: intersector.scene.objects.count, by: 7) {
        let fast = intersector.coverageAlone(
          object: index, camera: camera, x0: 0, y0: 0, x1: width - 1, y1: height - 1, instanceImage: frame.instance,
          depthImage: frame.depth)
        let cast = intersector.coverageAlone(
          object: index, camera: camera, x0: 0, y0: 0, x1: width - 1, y1: height - 1, instanceImage: frame.instance)
        #expect(fast == cast, "object \(index), near clip \(camera.nearClip)")
        covered += cast
      }
    }
    #expect(covered > 500)
  }

  /// The widened bounds: a ray segment that passes beside, stops short of, or starts past a
  /// box misses it; one through it, or along an axis inside its slab, may hit it.
  @Test func reachIsASlabTestOfTheSegment() {
    let reach = CoverageReach(
      bounds: AABB(lower: Vec3(9, -1, 0), upper: Vec3(11, 1, 2)), origin: Vec3(0, 0, 1))
    #expect(reach.mayHit(direction: Vec3(1, 0, 0), from: 0, to: 100))
    #expect(reach.mayHit(direction: Vec3(1, 0, 0), from: 0, to: .infinity))
    #expect(!reach.mayHit(direction: Vec3(1, 0, 0), from: 0, to: 8.9))
    #expect(!reach.mayHit(direction: Vec3(1, 0, 0), from: 11.1, to: 100))
    #expect(!reach.mayHit(direction: Vec3(1, 0.2, 0), from: 0, to: 100), "passes 1.8 m beside it")
    #expect(!reach.mayHit(direction: Vec3(0, 1, 0), from: 0, to: 100), "x stays 0, outside 9…11")
    #expect(reach.mayHit(direction: Vec3(1, 0, -0.05), from: 0, to: 100))
    #expect(!reach.mayHit(direction: Vec3(1, 0, -0.2), from: 0, to: 100), "below the box by x = 9")
    // Widened by 1 mm + 1e-4 of its 11 m reach: a segment ending 1 mm short still may hit.
    #expect(reach.mayHit(direction: Vec3(1, 0, 0), from: 0, to: 8.999))
    // The farthest corner, (11, ±1, 1 or -1) from the origin: 11.09 m, widened.
    #expect(reach.farthest > (11.0 * 11 + 2).squareRoot() && reach.farthest < 11.2)
    let empty = CoverageReach(bounds: .empty, origin: .zero)
    #expect(empty.mayHit(direction: Vec3(1, 0, 0), from: 0, to: 1), "no bounds: always cast")
    #expect(empty.farthest == .infinity)
  }
}
