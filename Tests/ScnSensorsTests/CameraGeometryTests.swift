import ScnScene
import ScnGeometry
import ScnSensors
import Testing

@Suite struct CameraGeometryTests {
  @Test func planeDepthIsExactToTheMillimetre() throws {
    let intersector = try SceneIntersector(scene: RenderScene(objects: [TestScenes.wall(at: 10)]))
    // High above the ground so every pixel sees the wall.
    let camera = try TestScenes.camera(width: 64, height: 48, at: Vec3(0, 0, 100))
    let frame = try intersector.render(camera, options: CameraRenderOptions(labels: false))
    #expect(frame.depth[24 * 64 + 32] == 10_000)
    for row in [0, 11, 24, 47] {
      for column in 0..<64 { #expect(frame.depth[row * 64 + column] == 10_000) }
    }
    #expect(frame.instance.allSatisfy { $0 == 1 })
  }

  @Test func depthOfATurnedCameraFacingAWallStaysPlanar() throws {
    // Wall turned by the same yaw as the camera: its plane is 12 m in front of the camera.
    let yaw = 0.7
    let heading = Vec3(yaw.cosine, yaw.sine, 0)
    let wall = SceneObject(
      instanceID: 1, semanticClass: 9, className: "wall", baseColour: TestScenes.grey,
      parts: [Part(.box(size: Vec3(1, 400, 400)))],
      transform: Transform(position: Vec3(3, -2, 100) + heading * 12.5, yaw: yaw))
    let camera = try TestScenes.camera(at: Vec3(3, -2, 100), yaw: yaw)
    let frame = try SceneIntersector(scene: RenderScene(objects: [wall])).render(camera)
    for depth in frame.depth { #expect(abs(Int(depth) - 12_000) <= 1) }
  }

  @Test func skyHasNoDepthAndGroundHasClassOne() throws {
    let frame = try SceneIntersector(scene: RenderScene(objects: [])).render(try TestScenes.camera())
    #expect(frame.depth[0] == 0 && frame.semantic[0] == SemanticClass.sky)
    let bottom = 47 * 64 + 10
    #expect(frame.semantic[bottom] == SemanticClass.ground && frame.depth[bottom] > 0 && frame.instance[bottom] == 0)
  }

  @Test func modalBoxOfAnUnoccludedBoxMatchesItsProjectedCorners() throws {
    let box = SceneObject.box(
      instanceID: 5, semanticClass: 2, className: "crate", baseColour: TestScenes.tan, size: Vec3(2, 1.5, 1.2),
      transform: Transform(position: Vec3(9, 1, 0), yaw: 0.5))
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: RenderScene(objects: [box])).render(camera)
    let label = try #require(frame.objects.first)
    let modal = try #require(label.modalBox)
    #expect(abs(modal.xMin - label.amodalBox.xMin) <= 1)
    #expect(abs(modal.xMax - label.amodalBox.xMax) <= 1)
    #expect(abs(modal.yMin - label.amodalBox.yMin) <= 1)
    #expect(abs(modal.yMax - label.amodalBox.yMax) <= 1)
    #expect(label.truncation == 0)
    #expect(label.visibleFraction == 1)
    #expect(label.visiblePixels == frame.instance.filter { $0 == 5 }.count)
  }

  @Test func curvedPartsGetTightAmodalBoxes() throws {
    let ball = SceneObject(
      instanceID: 6, semanticClass: 4, className: "ball", baseColour: TestScenes.red,
      parts: [Part(.sphere(radius: 1), transform: Transform(translation: Vec3(0, 0, 1)))],
      transform: Transform(translation: Vec3(8, -1.5, 0)))
    let post = SceneObject(
      instanceID: 7, semanticClass: 5, className: "post", baseColour: TestScenes.grey,
      parts: [Part(.cylinder(radius: 0.4, height: 2), transform: Transform(translation: Vec3(0, 0, 1)))],
      transform: Transform(translation: Vec3(9, 2, 0)))
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: RenderScene(objects: [ball, post])).render(camera)
    for label in frame.objects {
      let modal = try #require(label.modalBox)
      #expect(abs(modal.xMin - label.amodalBox.xMin) <= 1, "\(label.className)")
      #expect(abs(modal.xMax - label.amodalBox.xMax) <= 1, "\(label.className)")
      #expect(abs(modal.yMin - label.amodalBox.yMin) <= 1, "\(label.className)")
      #expect(abs(modal.yMax - label.amodalBox.yMax) <= 1, "\(label.className)")
    }
  }

  /// A target whose left half (as seen) is hidden behind a nearer box.
  static func halfHidden() -> RenderScene {
    let target = SceneObject(
      instanceID: 1, semanticClass: 2, className: "target", baseColour: TestScenes.red,
      parts: [Part(.box(size: Vec3(1, 4, 2)))], transform: Transform(translation: Vec3(20, 0, 1)))
    // Near face at x = 9.5 spans y ∈ [0, 3]; seen from y = 0 its edge lines up with the
    // target's centre line.
    let occluder = SceneObject(
      instanceID: 2, semanticClass: 3, className: "wall", baseColour: TestScenes.grey,
      parts: [Part(.box(size: Vec3(1, 3, 6)))], transform: Transform(translation: Vec3(10, 1.5, 3)))
    return RenderScene(objects: [target, occluder])
  }

  @Test func halfHiddenBoxIsHalfOccluded() throws {
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 40, at: Vec3(0, 0, 1))
    let intersector = try SceneIntersector(scene: Self.halfHidden())
    let frame = try intersector.render(camera)
    let label = try #require(frame.objects.first { $0.instanceID == 1 })
    #expect(abs(label.visibleFraction - 0.5) < 0.03)
    #expect(abs(label.occlusion - 0.5) < 0.03)
    let coarse = try #require(intersector.visibility(ofInstance: 1, from: camera))
    #expect(coarse.coveredRays > 20)
    #expect(abs(coarse.fraction - 0.5) < 0.1)
    #expect(intersector.visibility(ofInstance: 2, from: camera)?.fraction == 1)
    #expect(intersector.visibility(ofInstance: 77, from: camera) == nil)
  }

  @Test func truncationOfAnObjectHalfOutOfTheImage() throws {
    // A 2 m wide face centred on the left image edge: half of its projection is outside.
    let camera = try TestScenes.camera(width: 200, height: 200, fovDegrees: 90, at: Vec3(0, 0, 1))
    let face = SceneObject(
      instanceID: 3, semanticClass: 2, className: "panel", baseColour: TestScenes.tan,
      parts: [Part(.box(size: Vec3(0.01, 2, 1)))], transform: Transform(translation: Vec3(10, 10, 1)))
    let frame = try SceneIntersector(scene: RenderScene(objects: [face])).render(camera)
    let label = try #require(frame.objects.first)
    #expect(abs(label.truncation - 0.5) < 0.02)
    #expect(label.amodalBox.xMin == 0)
  }

  @Test func cameraBoxIsInTheOpticalFrame() throws {
    let car = SceneObject.box(
      instanceID: 4, semanticClass: 2, className: "car", baseColour: TestScenes.red, size: Vec3(4, 2, 1.5),
      transform: Transform(position: Vec3(10, 2, 0), yaw: 0))
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 90, at: Vec3(0, 0, 1))
    let label = try #require(try SceneIntersector(scene: RenderScene(objects: [car])).render(camera).objects.first)
    let box = label.box3D
    #expect(abs(box.center.x - -2) < 1e-9)  // 2 m to the left = optical −x
    #expect(abs(box.center.y - 0.25) < 1e-9)  // centre 0.75 m high, camera at 1 m: 0.25 m below
    #expect(abs(box.center.z - 10) < 1e-9)
    #expect(box.size == Vec3(4, 2, 1.5))
    // Heading along the viewing direction is KITTI rotation_y = −π/2.
    #expect(abs(box.rotationY + Double.pi / 2) < 1e-9)
    let forward = box.rotation.rotate(.unitX)
    #expect(abs(forward.z - 1) < 1e-9)
  }

  @Test func distortionRoundTrips() throws {
    let lens = LensDistortion(k1: -0.3, k2: 0.1, p1: 0.002, p2: -0.001, k3: 0.01)
    for (x, y) in [(0.0, 0.0), (0.3, -0.2), (-0.5, 0.4), (0.6, 0.45)] {
      let (xd, yd) = lens.distort(x, y)
      let (xu, yu) = lens.undistort(xd, yd)
      #expect(abs(xu - x) < 1e-9 && abs(yu - y) < 1e-9)
    }
    // A projected point lands back on the pixel whose ray produced it.
    let camera = try TestScenes.camera(width: 160, height: 120, fovDegrees: 80, distortion: lens)
    let direction = camera.bodyDirection(u: 20.5, v: 100.5)
    let projected = try #require(camera.project(body: direction * 7))
    #expect(abs(projected.u - 20.5) < 1e-6 && abs(projected.v - 100.5) < 1e-6)
  }

  @Test func invalidScenesAreRejected() throws {
    let a = TestScenes.wall(at: 5, id: 3)
    #expect(throws: RenderError.duplicateInstanceID(3)) { try SceneIntersector(scene: RenderScene(objects: [a, a])) }
    var big = a
    big.instanceID = 70_000
    #expect(throws: RenderError.instanceIDOutOfRange(70_000)) {
      try SceneIntersector(scene: RenderScene(objects: [big]))
    }
    var ground = a
    ground.semanticClass = SemanticClass.ground
    #expect(throws: RenderError.reservedSemanticClass(instanceID: 3, semanticClass: 1)) {
      try SceneIntersector(scene: RenderScene(objects: [ground]))
    }
    var flat = a
    flat.parts = [Part(.box(size: Vec3(1, 0, 1)))]
    #expect(throws: RenderError.self) { try SceneIntersector(scene: RenderScene(objects: [flat])) }
    var badMesh = a
    badMesh.parts = [Part(.mesh(TriangleMesh(vertices: [.zero], indices: [0, 1, 2])))]
    #expect(throws: RenderError.self) { try SceneIntersector(scene: RenderScene(objects: [badMesh])) }
    #expect(throws: RenderError.self) { try Camera(width: 0, height: 10, horizontalFOV: 1) }
  }
}

@Suite struct DegenerateInputTests {
  @Test func nonFinitePosesAreRejected() throws {
    let scene = TestScenes.primitives()
    let intersector = try SceneIntersector(scene: scene)
    var camera = try TestScenes.camera()
    camera.pose = Transform(rotation: .identity, translation: Vec3(.nan, 0, 1))
    #expect(throws: RenderError.self) { try intersector.render(camera) }
    #expect(intersector.visibility(ofInstance: 1, from: camera) == nil)
    let lidar = LidarSensor(
      channels: 4, minElevation: -0.1, maxElevation: 0.1, azimuthSteps: 16, maxRange: 50,
      pose: Transform(rotation: .identity, translation: Vec3(0, .infinity, 1)))
    #expect(throws: RenderError.self) { try intersector.scan(lidar) }
  }
}

@Suite struct AnnotationFormatTests {
  @Test func cocoRunLengthsAreColumnMajorStartingWithBackground() {
    // 3×2 image, instance 5 at (x 1, y 0), (x 1, y 1) and (x 2, y 1).
    let frame = CameraFrame(
      width: 3, height: 2, rgb: [], depth: [], instance: [0, 5, 0, 0, 5, 5], semantic: [], objects: [],
      renderSeconds: 0, labelSeconds: 0)
    #expect(frame.cocoRunLengths(ofInstance: 5) == [2, 2, 1, 1])
    #expect(frame.cocoRunLengths(ofInstance: 9) == [6])
    #expect(frame.cocoRunLengths(ofInstance: 0) == [0, 2, 2, 1, 1])
  }

  @Test func kittiAlphaAndLocation() throws {
    let car = SceneObject.box(
      instanceID: 4, semanticClass: 2, className: "car", baseColour: TestScenes.red, size: Vec3(4, 2, 1.5),
      transform: Transform(position: Vec3(10, 10, 0), yaw: 0))
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 120, at: Vec3(0, 0, 1))
    let label = try #require(try SceneIntersector(scene: RenderScene(objects: [car])).render(camera).objects.first)
    // Seen 45° to the left while heading straight ahead: alpha = −π/2 + π/4.
    #expect(abs(label.box3D.alpha - (-Double.pi / 4)) < 1e-9)
    #expect(abs(label.box3D.bottomCenter.y - 1) < 1e-9)  // ground is 1 m below the camera
  }
}
