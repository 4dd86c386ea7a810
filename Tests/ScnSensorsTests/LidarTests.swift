import ScnScene
import ScnGeometry
import ScnSensors
import Testing

@Suite struct LidarTests {
  /// A closed room of walls around the sensor so every beam returns.
  static func room() -> RenderScene {
    let walls = [
      (Vec3(15.5, 0, 0), Vec3(1, 40, 80)), (Vec3(-15.5, 0, 0), Vec3(1, 40, 80)),
      (Vec3(0, 15.5, 0), Vec3(40, 1, 80)), (Vec3(0, -15.5, 0), Vec3(40, 1, 80)),
    ]
    return RenderScene(
      objects: walls.enumerated().map { i, w in
        SceneObject(
          instanceID: UInt32(i + 1), semanticClass: 9, className: "wall", baseColour: TestScenes.grey,
          lidarReflectivity: 0.8, parts: [Part(.box(size: w.1))],
          transform: Transform(translation: w.0))
      })
  }

  @Test func ringElevationsMatchTheChannels() throws {
    let lidar = LidarSensor(
      channels: 16, minElevation: -15.0.radians, maxElevation: 15.0.radians, azimuthSteps: 90,
      maxRange: 100, pose: Transform(translation: Vec3(0, 0, 20)))
    let scan = try SceneIntersector(scene: Self.room()).scan(lidar)
    #expect(scan.points.count == 16 * 90)
    for point in scan.points {
      let elevation = atan2Double(Double(point.z), (Double(point.x * point.x + point.y * point.y)).squareRoot())
      #expect(abs(elevation - lidar.elevation(ofRing: Int(point.ring))) < 1e-5)
    }
    #expect(abs(lidar.elevation(ofRing: 0) - -15.0.radians) < 1e-12)
    #expect(abs(lidar.elevation(ofRing: 15) - 15.0.radians) < 1e-12)
  }

  @Test func intensityFallsWithIncidenceAngle() throws {
    // One flat channel sweeping across the +x wall: incidence equals the azimuth.
    let lidar = LidarSensor(
      channels: 1, minElevation: 0, maxElevation: 0, azimuthSteps: 360, maxRange: 100,
      pose: Transform(translation: Vec3(0, 0, 20)))
    let scan = try SceneIntersector(scene: Self.room()).scan(lidar)
    let front = scan.points.filter { $0.instance == 1 && $0.y >= 0 }.sorted { $0.y < $1.y }
    #expect(front.count > 30)
    for (a, b) in zip(front, front.dropFirst()) { #expect(b.intensity < a.intensity) }
    for p in front {
      let incidence = atan2Double(Double(p.y), Double(p.x))
      #expect(abs(Double(p.intensity) - 0.8 * incidence.cosine) < 1e-5)
    }
  }

  @Test func noiseAndDropoutAreSeededAndThreadIndependent() throws {
    let intersector = try SceneIntersector(scene: Self.room())
    var lidar = LidarSensor(
      channels: 8, minElevation: -0.2, maxElevation: 0.2, azimuthSteps: 500, maxRange: 100,
      rangeNoise: 0.02, dropoutProbability: 0.1, seed: 3, pose: Transform(translation: Vec3(0, 0, 20)))
    let one = try intersector.scan(lidar, threads: 1).points
    let many = try intersector.scan(lidar, threads: 4).points
    #expect(one == many)
    let dropped = 1 - Double(one.count) / 4000
    #expect(dropped > 0.07 && dropped < 0.13)
    lidar.seed = 4
    #expect(try intersector.scan(lidar, threads: 2).points != one)
  }

  @Test func mountActorIsSkippedAndConfigurationIsChecked() throws {
    var scene = Self.room()
    scene.objects.append(
      .box(
        instanceID: 9, semanticClass: 3, className: "ego", baseColour: TestScenes.red,
        size: Vec3(4, 2, 40), transform: .identity))
    let lidar = LidarSensor(
      channels: 4, minElevation: -0.1, maxElevation: 0.1, azimuthSteps: 64, maxRange: 100,
      pose: Transform(translation: Vec3(0, 0, 20)))
    let intersector = try SceneIntersector(scene: scene)
    #expect(try intersector.scan(lidar, excludedInstance: 9).points.allSatisfy { $0.instance != 9 })
    #expect(try intersector.scan(lidar).points.allSatisfy { $0.instance == 9 })
    var bad = lidar
    bad.channels = 0
    #expect(throws: RenderError.self) { try intersector.scan(bad) }
  }

  @Test func plyHasTheDocumentedLayout() throws {
    let points = [
      LidarPoint(x: 1, y: -2, z: 0.5, intensity: 0.25, ring: 3, instance: 258),
      LidarPoint(x: 2, y: 0, z: 0, intensity: 0.5, ring: 1, instance: 0, label: .snow),
    ]
    let bytes = PLYWriter.encode(points)
    let text = String(decoding: bytes, as: UTF8.self)
    let headerEnd = try #require(text.range(of: "end_header\n"))
    let headerBytes = text.utf8.distance(from: text.startIndex, to: headerEnd.upperBound)
    #expect(text.hasPrefix("ply\nformat binary_little_endian 1.0\n"))
    #expect(text.contains("element vertex 2\n"))
    #expect(text.contains("property uint instance\nproperty uchar label\nend_header\n"))
    #expect(bytes.count == headerBytes + 2 * 23)
    let body = Array(bytes[headerBytes...])
    #expect(Array(body[0..<4]) == [0, 0, 0x80, 0x3F])  // 1.0f little-endian
    #expect(Array(body[16..<18]) == [3, 0])
    #expect(Array(body[18..<22]) == [2, 1, 0, 0])
    #expect(body[22] == 0 && body[23 + 22] == LidarReturnLabel.snow.rawValue)
  }
}
