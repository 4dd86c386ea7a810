import ScnGeometry
import ScnScene
import Testing

@testable import ScnSensors

/// The Kannala–Brandt fisheye (issue 13 item 7): rays and projections invert each other out
/// past 90° off axis, straight lines off centre bend, depth is the range, and labels,
/// calibration and plans follow the model.
@Suite struct FisheyeTests {
  static let kb = FisheyeDistortion(k1: 0.02, k2: -0.004, k3: 0.0005, k4: -0.00003)

  static func camera(
    _ lens: FisheyeDistortion = .equidistant, width: Int = 640, height: Int = 480, fovDegrees: Double = 190,
    at position: Vec3 = Vec3(0, 0, 1.5)
  ) throws -> Camera {
    try Camera(
      width: width, height: height, horizontalFOV: fovDegrees.radians, lens: .fisheye(lens),
      pose: Transform(position: position, yaw: 0))
  }

  @Test(arguments: [FisheyeDistortion.equidistant, kb])
  func projectingAPixelsRayLandsOnThePixel(lens: FisheyeDistortion) throws {
    let camera = try Self.camera(lens)
    var worst = 0.0
    for v in stride(from: 0.5, to: 480, by: 7) {
      for u in stride(from: 0.5, to: 640, by: 7) {
        let d = camera.bodyDirection(u: u, v: v)
        #expect(abs(d.length - 1) < 1e-12)
        let p = try #require(camera.project(body: d * 7.5))
        worst = max(worst, abs(p.u - u), abs(p.v - v))
      }
    }
    #expect(worst < 1e-6, "worst round trip \(worst) px")
    // The left and right edges of a 190° image look 5° behind the camera.
    let edge = camera.bodyDirection(u: 0, v: 240)
    #expect(edge.x < 0 && abs(atan2Double(edge.y, edge.x).degrees - 95) < 1e-6, "\(edge)")
  }

  @Test func unprojectingAProjectionGivesTheDirectionBack() throws {
    let camera = try Self.camera(Self.kb)
    for theta in stride(from: 0.0, through: 110, by: 5.5) {
      for azimuth in stride(from: 0.0, to: 360, by: 30) {
        let t = theta.radians
        let a = azimuth.radians
        let d = Vec3(t.cosine, t.sine * a.cosine, t.sine * a.sine)
        let p = try #require(camera.project(body: d * 3))
        let back = camera.bodyDirection(u: p.u, v: p.v)
        #expect((back - d).length < 1e-9, "θ \(theta)°, azimuth \(azimuth)°: \(back) vs \(d)")
      }
    }
  }

  @Test func anEquidistantLensPlacesRaysAtFocalLengthTimesAngle() throws {
    let camera = try Self.camera()
    let f = camera.intrinsics.fx
    #expect(abs(f - 320 / (95.0.radians)) < 1e-9)
    for theta in [10.0, 45, 80, 95] {
      let t = theta.radians
      let p = try #require(camera.project(body: Vec3(t.cosine, 0, -t.sine) * 4))
      #expect(abs(p.u - 320) < 1e-9 && abs(p.v - (240 + f * t)) < 1e-9, "\(theta)°: \(p)")
    }
  }

  /// A straight line 1.5 m above the camera and 5 m ahead, running left to right: a pinhole
  /// draws it straight (to rounding), a fisheye bends it by 20 px, as the model says.
  @Test func aStraightLineOffCentreIsCurved() throws {
    let points = stride(from: -8.0, through: 8.0, by: 0.5).map { Vec3(5, $0, 1.5) }
    func sagitta(_ camera: Camera) throws -> Double {
      let pixels = try points.map { try #require(camera.project(body: $0)) }
      let a = try #require(pixels.first)
      let b = try #require(pixels.last)
      let chord = Vec3(b.u - a.u, b.v - a.v, 0)
      let normal = Vec3(-chord.y, chord.x, 0).normalized
      return pixels.map { abs(Vec3($0.u - a.u, $0.v - a.v, 0).dot(normal)) }.max() ?? 0
    }
    let pinhole = try Camera(width: 640, height: 480, horizontalFOV: 160.0.radians, lens: .pinhole)
    #expect(try sagitta(pinhole) < 1e-6)
    let fisheye = try Self.camera()
    let bend = try sagitta(fisheye)
    // Equidistant: the middle lands f·θ above the centre (θ = atan(1.5 / 5)), the ends at
    // f·θ_end · 1.5 / lateral (θ_end = atan(lateral / 5), lateral = √(8² + 1.5²)): 20 px apart.
    let f = fisheye.intrinsics.fx
    let lateral = (64 + 2.25).squareRoot()
    let expected = f * atan2Double(1.5, 5) - f * atan2Double(lateral, 5) * 1.5 / lateral
    #expect(abs(bend - expected) < 1e-6 && bend > 15, "the line bends by \(bend) px, expected \(expected)")
  }

  @Test func depthIsTheRangeAlongTheRay() throws {
    // A wall 10 m ahead, the camera high above the ground so no ray meets it.
    let camera = try Self.camera(width: 96, height: 64, fovDegrees: 190, at: Vec3(0, 0, 100))
    let frame = try SceneIntersector(scene: RenderScene(objects: [TestScenes.wall(at: 10)]))
      .render(camera, options: CameraRenderOptions(labels: false))
    var compared = 0
    for j in 0..<64 {
      for i in 0..<96 {
        let d = camera.bodyDirection(u: Double(i) + 0.5, v: Double(j) + 0.5)
        let depth = Int(frame.depth[j * 96 + i])
        if d.x > 0.2 {
          #expect(abs(Double(depth) - 10_000 / d.x) <= 1.0, "pixel \(i), \(j)")
          compared += 1
        } else if d.x < 0, d.z > 0 {
          #expect(depth == 0, "pixel \(i), \(j) looks up behind the camera and sees sky")
        }
      }
    }
    #expect(compared > 2000)
  }

  /// A box beside and slightly behind the camera is in a 190° fisheye's image, in the masks
  /// and in the labels, with an amodal box around its pixels.
  @Test func objectsBesideAndBehindTheCameraAreLabelled() throws {
    let crate = SceneObject.box(
      instanceID: 3, semanticClass: 2, className: "crate", baseColour: TestScenes.tan, size: Vec3(1, 1, 1.2),
      transform: Transform(position: Vec3(0.6, 4, 0.9), yaw: 0.3))
    let camera = try Self.camera(width: 320, height: 240, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: RenderScene(objects: [crate])).render(camera)
    let label = try #require(frame.objects.first)
    let modal = try #require(label.modalBox)
    #expect(label.visiblePixels > 100 && label.visibleFraction == 1)
    // Left of centre, at the image's left edge region.
    #expect(modal.xMax < 160)
    // The amodal box holds the visible pixels (within a pixel).
    #expect(label.amodalBox.xMin <= modal.xMin + 1 && label.amodalBox.xMax >= modal.xMax - 1)
    #expect(label.amodalBox.yMin <= modal.yMin + 1 && label.amodalBox.yMax >= modal.yMax - 1)
    // ... and not much more: the sampled edges bound the curved silhouette tightly.
    #expect(label.amodalBox.xMin >= modal.xMin - 3 && label.amodalBox.xMax <= modal.xMax + 3)
    #expect(label.amodalBox.yMin >= modal.yMin - 3 && label.amodalBox.yMax <= modal.yMax + 3)
  }

  @Test func foldingOrTooWideLensesAreRefused() throws {
    // r' = 1 − 0.6 θ² vanishes at 74°, inside a 190° image.
    let folding = FisheyeDistortion(k1: -0.2)
    let fold = try #require(folding.fold(within: .pi))
    #expect(abs(fold.theta - (1 / 0.6).squareRoot()) < 1e-9)
    let problem = try #require(FisheyeLimits.problem(folding, width: 640, height: 480, fov: 190.0.radians))
    #expect(problem.contains("folds back 74° off axis"), "\(problem)")
    #expect(throws: RenderError.self) {
      try Camera(width: 640, height: 480, horizontalFOV: 120.0.radians, lens: .fisheye(folding))
    }
    // A square image at 300°: its corners would lie 212° off axis.
    let wide = try #require(FisheyeLimits.problem(.equidistant, width: 400, height: 400, fov: 300.0.radians))
    #expect(wide.contains("more than 180° off axis"), "\(wide)")
    #expect(FisheyeLimits.problem(.equidistant, width: 1280, height: 720, fov: 250.0.radians) == nil)
    #expect(FisheyeLimits.problem(Self.kb, width: 640, height: 480, fov: 190.0.radians) == nil)
  }

  @Test func thePlanAndCalibrationStateTheModel() throws {
    let request = SensorRequest(
      name: "surround", type: "Camera", mount: nil, pose: Transform(position: Vec3(0, 0, 1), yaw: 0),
      mountPose: nil,
      parameters: [
        "resolution": .tuple([.int(800), .int(600)]), "fov": .real(190.0.radians), "model": .name("fisheye"),
        "fisheye_distortion": .tuple([.real(0.02), .real(-0.004), .real(0.0005), .real(-0.00003)]),
        "distortion": .tuple([.real(0), .real(0), .real(0), .real(0), .real(0)]),
      ])
    let plan = try SensorPlan(request)
    guard case .camera(_, _, _, let lens, _) = plan.kind else {
      Issue.record("not a camera")
      return
    }
    #expect(lens == .fisheye(Self.kb))
    let calibration = plan.calibration
    #expect(calibration.lensModel == .fisheye)
    #expect(calibration.distortion == [0.02, -0.004, 0.0005, -0.00003])
    let k = try #require(calibration.intrinsics)
    #expect(abs(k[0] - 400 / Self.kb.radius(95.0.radians)) < 1e-9 && k[2] == 400 && k[5] == 300)
    #expect(plan.settingsText.contains("Kannala–Brandt fisheye"))
    // A pinhole may not reach 180°; a fisheye's lens limits hold in the plan too.
    #expect(throws: SensorPlanError.self) {
      try SensorPlan(SensorRequest(
        name: "s", type: "Camera", mount: nil, pose: .identity, mountPose: nil, parameters: ["fov": .real(190.0.radians)]))
    }
    #expect(throws: SensorPlanError.self) {
      try SensorPlan(SensorRequest(
        name: "s", type: "Camera", mount: nil, pose: .identity, mountPose: nil,
        parameters: ["fov": .real(190.0.radians), "model": .name("fisheye"), "fisheye_distortion": .tuple([.real(-0.2), .real(0), .real(0), .real(0)])]))
    }
  }
}
