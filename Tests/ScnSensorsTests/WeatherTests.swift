import ScnScene
import ScnGeometry
import ScnSensors
import Testing

/// Physical-law tests of the weather model (docs/weather.md): each renders the same scene
/// under different weather and checks the documented direction and size of the change.
@Suite struct WeatherTests {
  /// sRGB 8-bit → linear (the exposure scale cancels in the ratios below).
  static func linear(_ byte: UInt8) -> Double {
    let c = Double(byte) / 255
    return c <= 0.04045 ? c / 12.92 : powDouble((c + 0.055) / 1.055, 2.4)
  }

  static func meanLinear(_ frame: CameraFrame, instance id: UInt16) -> Double? {
    var sum = 0.0
    var n = 0
    for (i, v) in frame.instance.enumerated() where v == id {
      sum += linear(frame.rgb[3 * i + 1])
      n += 1
    }
    return n > 0 ? sum / Double(n) : nil
  }

  static func overcast(fogExtinction: Double = 0, precipitation: Precipitation = .none) -> Environment {
    Environment.scene(
      illuminance: 50_000, indoor: false, sunElevation: 0.8, sunAzimuth: 3, fogExtinction: fogExtinction,
      sky: .overcast, precipitation: precipitation)
  }

  /// Koschmieder: a black target's contrast against the horizon falls as exp(−3.912 d / V).
  /// The horizon is measured on a black wall 900 m away (inside the camera's 1 km far clip),
  /// which the fog turns into pure airlight.
  @Test(arguments: [10.0, 25.0, 50.0])
  func fogContrastFollowsKoschmieder(distance: Double) throws {
    let visibility = 200.0
    let black = RGB(0, 0, 0)
    let scene = RenderScene(
      objects: [
        .box(
          instanceID: 1, semanticClass: 2, className: "target", baseColour: black, size: Vec3(0.5, 6, 3),
          transform: Transform(position: Vec3(distance, 0, 0), yaw: 0)),
        SceneObject(
          instanceID: 2, semanticClass: 3, className: "wall", baseColour: black,
          parts: [Part(.box(size: Vec3(1, 40_000, 4000)))],
          transform: Transform(translation: Vec3(900, 0, 0))),
      ],
      environment: Self.overcast(fogExtinction: Koschmieder.extinction(visibility: visibility)))
    let camera = try Camera(
      width: 160, height: 120, horizontalFOV: 40.0.radians, pose: Transform(position: Vec3(0, 0, 1.5), yaw: 0))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(shadows: false))
    let means = (Self.meanLinear(frame, instance: 1), Self.meanLinear(frame, instance: 2))
    guard let target = means.0, let horizon = means.1 else {
      Issue.record("target or wall not in view")
      return
    }
    let contrast = (horizon - target) / horizon
    let expected = expDouble(-Koschmieder.logInverseThreshold * distance / visibility)
    #expect(abs(contrast - expected) / expected < 0.10, "contrast \(contrast), Koschmieder \(expected)")
  }

  static func lidarScene(_ environment: Environment) -> RenderScene {
    // Boxes every 10 m from 10 m to 90 m around the sensor, each ring turned so that no box
    // hides another.
    var objects: [SceneObject] = []
    var id: UInt32 = 1
    for k in 1...9 {
      for a0 in stride(from: 0.0, to: 2 * Double.pi, by: Double.pi / 4) {
        let r = Double(k) * 10
        let a = a0 + Double(k) * Double.pi / 36
        objects.append(
          .box(
            instanceID: id, semanticClass: 2, className: "box", baseColour: RGB(0.3, 0.3, 0.3),
            size: Vec3(1, 3, 3), transform: Transform(position: Vec3(r * a.cosine, r * a.sine, 0), yaw: a)))
        id += 1
      }
    }
    return RenderScene(objects: objects, environment: environment)
  }

  static func scan(_ environment: Environment) throws -> LidarScan {
    let lidar = LidarSensor(
      channels: 16, minElevation: -15.0.radians, maxElevation: 15.0.radians, azimuthSteps: 1024, maxRange: 100,
      seed: 7, pose: Transform(position: Vec3(0, 0, 1.5), yaw: 0))
    return try SceneIntersector(scene: lidarScene(environment)).scan(lidar, threads: 1)
  }

  /// Returns from the boxes beyond 50 m.
  static func farSurfaceReturns(_ scan: LidarScan) -> Int {
    scan.points.filter { p in
      p.label == .surface && p.instance != 0 && (Double(p.x) * Double(p.x) + Double(p.y) * Double(p.y)).squareRoot() > 50
    }.count
  }

  @Test func fogAndRainReduceFarLidarReturns() throws {
    let clear = Self.farSurfaceReturns(try Self.scan(Self.overcast()))
    let fog = Self.farSurfaceReturns(try Self.scan(Self.overcast(fogExtinction: Koschmieder.extinction(visibility: 150))))
    let lightRain = Self.farSurfaceReturns(try Self.scan(Self.overcast(precipitation: .rain(millimetresPerHour: 10))))
    let heavyRain = Self.farSurfaceReturns(try Self.scan(Self.overcast(precipitation: .rain(millimetresPerHour: 100))))
    #expect(clear > 50)
    #expect(fog < clear / 2, "fog \(fog) of \(clear)")
    #expect(lightRain < clear && heavyRain < lightRain, "rain 10: \(lightRain), 100: \(heavyRain), clear \(clear)")
  }

  @Test func particleEchoesAreLabelledNearAndGrowWithTheRate() throws {
    func echoes(_ p: Precipitation) throws -> [LidarPoint] {
      try Self.scan(Self.overcast(precipitation: p)).points.filter { $0.label != .surface }
    }
    #expect(try Self.scan(Self.overcast()).points.allSatisfy { $0.label == .surface })
    let light = try echoes(.rain(millimetresPerHour: 5))
    let heavy = try echoes(.rain(millimetresPerHour: 100))
    let snow = try echoes(.snow(millimetresPerHour: 2))
    #expect(heavy.count > light.count && !heavy.isEmpty)
    #expect(heavy.allSatisfy { $0.label == .rain && $0.instance == 0 })
    #expect(snow.allSatisfy { $0.label == .snow } && snow.count > light.count)
    for p in heavy + snow {
      let r = (Double(p.x) * Double(p.x) + Double(p.y) * Double(p.y) + Double(p.z) * Double(p.z)).squareRoot()
      #expect(r <= LidarAtmosphere.particleEchoRange + 1e-3)
    }
    let fog = try Self.scan(Self.overcast(fogExtinction: Koschmieder.extinction(visibility: 60))).points
    #expect(fog.contains { $0.label == .fog })
  }

  @Test func everyWeatherChangesTheCameraAndTheLidar() throws {
    let camera = try TestScenes.camera(width: 96, height: 64, fovDegrees: 70, at: Vec3(0, 0, 1.4))
    let weathers: [(String, Environment)] = [
      ("clear", Environment.scene(
        illuminance: 50_000, indoor: false, sunElevation: 0.8, sunAzimuth: 3, fogExtinction: 0, sky: .clear,
        precipitation: .none)),
      ("overcast", Self.overcast()),
      ("rain", Self.overcast(precipitation: .rain(millimetresPerHour: 4))),
      ("snow", Self.overcast(precipitation: .snow(millimetresPerHour: 1))),
      ("fog", Self.overcast(fogExtinction: Koschmieder.extinction(visibility: 300))),
    ]
    var images: [(String, [UInt8])] = []
    var clouds: [(String, [LidarPoint])] = []
    for (name, environment) in weathers {
      var scene = TestScenes.primitives()
      scene.environment = environment
      images.append((name, try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(noiseSeed: 3)).rgb))
      clouds.append((name, try Self.scan(environment).points))
    }
    for i in images.indices {
      for j in images.indices where j > i {
        #expect(images[i].1 != images[j].1, "\(images[i].0) and \(images[j].0) render the same image")
      }
    }
    // The LiDAR ignores the sky's cover, so clear and overcast agree; everything else differs.
    for i in clouds.indices {
      for j in clouds.indices where j > i && !(i == 0 && j == 1) {
        #expect(clouds[i].1 != clouds[j].1, "\(clouds[i].0) and \(clouds[j].0) give the same LiDAR sweep")
      }
    }
    #expect(clouds[0].1 == clouds[1].1)
  }

  @Test func snowWhitensTheGroundAndRainDarkensIt() throws {
    let camera = try TestScenes.camera(width: 96, height: 64, fovDegrees: 70, at: Vec3(0, 0, 1.4))
    func groundMean(_ environment: Environment) throws -> Double {
      let scene = RenderScene(objects: [], environment: environment)
      // Rendered without particles in view: the particle layers draw over the ground, so
      // the seeds are the same and only the ground's pixels are averaged.
      let frame = try SceneIntersector(scene: scene).render(camera)
      var sum = 0.0
      var n = 0
      for (i, s) in frame.semantic.enumerated() where s == SemanticClass.ground {
        sum += Self.linear(frame.rgb[3 * i + 1])
        n += 1
      }
      return sum / Double(max(1, n))
    }
    let dry = try groundMean(Self.overcast())
    #expect(try groundMean(Self.overcast(precipitation: .snow(millimetresPerHour: 1))) > 2 * dry)
    #expect(try groundMean(Self.overcast(precipitation: .rain(millimetresPerHour: 1))) < dry)
  }

  /// Extreme but valid values: nothing turns black (a NaN radiance would encode as 0) and
  /// every LiDAR point is finite.
  @Test(arguments: [
    Self.overcast(fogExtinction: Koschmieder.extinction(visibility: 1)),
    Self.overcast(precipitation: .rain(millimetresPerHour: 200)),
    Self.overcast(precipitation: .snow(millimetresPerHour: 200)),
  ])
  func extremeWeatherRendersFiniteValues(environment: Environment) throws {
    var scene = TestScenes.primitives()
    scene.environment = environment
    let camera = try TestScenes.camera(width: 120, height: 80, fovDegrees: 90, at: Vec3(0, 0, 1.4))
    let frame = try SceneIntersector(scene: scene).render(camera, options: CameraRenderOptions(noiseSeed: 11))
    for i in stride(from: 0, to: frame.rgb.count, by: 3) {
      #expect(frame.rgb[i] > 0 || frame.rgb[i + 1] > 0 || frame.rgb[i + 2] > 0, "black pixel \(i / 3)")
      if frame.rgb[i] == 0 && frame.rgb[i + 1] == 0 && frame.rgb[i + 2] == 0 { break }
    }
    for p in try Self.scan(environment).points {
      #expect(p.x.isFinite && p.y.isFinite && p.z.isFinite && p.intensity.isFinite && p.intensity >= 0)
    }
  }

  @Test func visibilityAndExtinctionAreOneQuantity() {
    #expect(abs(Koschmieder.visibility(extinction: Koschmieder.extinction(visibility: 123)) - 123) < 1e-9)
    // Rain's extinction: 3.65e-4 R^0.63 per metre, visibility about 4.5 km at 4 mm/h.
    let v = Koschmieder.visibility(extinction: Precipitation.rain(millimetresPerHour: 4).extinction)
    #expect(v > 4000 && v < 5000)
    let snow = Koschmieder.visibility(extinction: Precipitation.snow(millimetresPerHour: 1).extinction)
    #expect(snow > 900 && snow < 1100)
  }
}
