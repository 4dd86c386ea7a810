import ScnGeometry
import ScnScene
import ScnSensors
import ScnTestSupport
import Testing

/// Roads, lane markings, kerbs and sidewalks (ScnScene `Stuff`) as the camera and the LiDAR
/// see them: where the geometry puts them, with their classes, and never as instances.
@Suite struct StuffRenderTests {
  static let classes = StuffClasses(road: 10, laneMarking: 11, sidewalk: 12, curb: 13)

  /// A straight two-lane road along +x (lanes 3.5 m, edges at y = ±3.5 m) and a sidewalk on
  /// its right: 0.5 m of asphalt, a 0.15 m kerb at y = −4 m, walking surface to y = −6.5 m.
  static func street() -> Stuff {
    let line = ReferenceLine(segments: [.init(origin: Vec3(-10, 0, 0), heading: 0, length: 120, curvature: 0)])
    return Stuff(
      bands: [
        RoadBand(line: line, lateral: -3.5...3.5, lanes: 2),
        RoadBand(line: line, lateral: -4...(-3.5), lanes: 0),
      ],
      sidewalks: [Sidewalk(line: line, kerbSide: -4, outerSide: -6.5)], classes: classes)
  }

  static func scene(withCar: Bool = false) -> RenderScene {
    let car = SceneObject.box(
      instanceID: 1, semanticClass: 2, className: "car", baseColour: TestScenes.grey, size: Vec3(4.5, 1.8, 1.5),
      transform: Transform(position: Vec3(25, 1.75, 0), yaw: 0))
    return RenderScene(objects: withCar ? [car] : [], stuff: street())
  }

  /// Semantic class of the pixel a world point projects to.
  static func semantic(_ frame: CameraFrame, _ camera: Camera, _ world: Vec3) throws -> UInt8 {
    let (u, v) = try #require(camera.project(body: camera.toBody(world)))
    let x = Int(u), y = Int(v)
    try #require(x >= 0 && x < frame.width && y >= 0 && y < frame.height, "\(world) projects to (\(u), \(v))")
    return frame.semantic[y * frame.width + x]
  }

  @Test func markingsRoadAndSidewalkAreWhereTheGeometrySays() throws {
    let camera = try TestScenes.camera(width: 640, height: 480, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: Self.scene()).render(camera, options: CameraRenderOptions(threads: 2))
    // Edge lines are 0.15 m wide just inside each edge; the separator is dashed (3 m of
    // line from station 0 every 9 m: the line starts at x = −10 m, so dashes at x −1…2, 8…11).
    #expect(try Self.semantic(frame, camera, Vec3(8, -3.43, 0)) == 11)
    #expect(try Self.semantic(frame, camera, Vec3(8, 3.43, 0)) == 11)
    #expect(try Self.semantic(frame, camera, Vec3(9.5, 0, 0)) == 11)
    #expect(try Self.semantic(frame, camera, Vec3(14, 0, 0)) == 10)  // gap between dashes
    #expect(try Self.semantic(frame, camera, Vec3(8, -1.75, 0)) == 10)
    #expect(try Self.semantic(frame, camera, Vec3(8, -3.8, 0)) == 10)  // asphalt before the kerb
    #expect(try Self.semantic(frame, camera, Vec3(10, -5.5, 0.15)) == 12)
    #expect(try Self.semantic(frame, camera, Vec3(8, 5, 0)) == SemanticClass.ground)
    // Stuff has no instance: the whole instance image is background.
    #expect(frame.instance.allSatisfy { $0 == 0 })
    #expect(frame.objects.isEmpty)
    let counts = Dictionary(grouping: frame.semantic, by: { $0 }).mapValues(\.count)
    for cls: UInt8 in [10, 11, 12, 13] { #expect((counts[cls] ?? 0) > 0, "class \(cls)") }
  }

  @Test func markingsAreBrighterThanAsphaltInRGB() throws {
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: Self.scene()).render(camera, options: CameraRenderOptions(threads: 1))
    func mean(_ cls: UInt8) -> Double {
      var sum = 0.0, n = 0
      for (k, s) in frame.semantic.enumerated() where s == cls {
        sum += Double(frame.rgb[3 * k]) + Double(frame.rgb[3 * k + 1]) + Double(frame.rgb[3 * k + 2])
        n += 1
      }
      return n > 0 ? sum / Double(n) : 0
    }
    #expect(mean(11) > mean(10) + 100)
  }

  @Test func objectsOnTheRoadKeepTheirInstanceAndLabels() throws {
    let camera = try TestScenes.camera(width: 320, height: 240, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let frame = try SceneIntersector(scene: Self.scene(withCar: true)).render(camera)
    #expect(frame.objects.map(\.instanceID) == [1])
    #expect(Set(frame.instance).subtracting([0]) == [1])
    #expect(frame.semantic.contains(2))
  }

  @Test func kerbReturnsRiseAboveTheRoadAndMarkingsReflectMore() throws {
    let lidar = LidarSensor(
      channels: 32, minElevation: -25.0.radians, maxElevation: 5.0.radians, azimuthSteps: 1800, maxRange: 60,
      pose: Transform(translation: Vec3(0, -1.75, 1.8)))
    let scan = try SceneIntersector(scene: Self.scene()).scan(lidar, threads: 2)
    let world = scan.points.map { Vec3(Double($0.x), Double($0.y) - 1.75, Double($0.z) + 1.8) }
    #expect(scan.points.allSatisfy { $0.instance == 0 })
    // At the kerb line (y = −4 m) the LiDAR sees the 0.15 m step; on the road nothing rises.
    let kerb = world.filter { abs($0.y + 4) < 0.1 && $0.x > 0 && $0.x < 40 }
    #expect(kerb.contains { $0.z > 0.1 }, "\(kerb.count) points near the kerb")
    let road = world.filter { $0.y > -3.9 && $0.y < 3.5 && $0.x > 0 && $0.x < 40 }
    #expect(!road.isEmpty && road.allSatisfy { abs($0.z) < 1e-3 })
    let walk = world.filter { $0.y < -4.2 && $0.y > -6.4 && $0.x > 0 && $0.x < 40 }
    #expect(!walk.isEmpty && walk.allSatisfy { abs($0.z - 0.15) < 1e-3 })
    // Paint (reflectivity 0.6) against asphalt (0.08) seen at similar angles: the right edge
    // line (y −3.5…−3.35 m) against the asphalt beside it, 5–20 m ahead.
    func intensity(_ keep: (Vec3) -> Bool) -> Double {
      let picked = zip(world, scan.points).filter { keep($0.0) && $0.0.x > 5 && $0.0.x < 20 }.map { Double($0.1.intensity) }
      return picked.isEmpty ? 0 : picked.reduce(0, +) / Double(picked.count)
    }
    let paint = intensity { $0.y > -3.49 && $0.y < -3.36 }
    let asphalt = intensity { $0.y > -3.2 && $0.y < -2.5 }
    #expect(paint > 4 * asphalt && asphalt > 0, "paint \(paint), asphalt \(asphalt)")
  }

  @Test func stuffRendersTheSameOnAnyNumberOfThreads() throws {
    let camera = try TestScenes.camera(width: 200, height: 150, fovDegrees: 70, at: Vec3(0, 0, 1.5))
    let intersector = try SceneIntersector(scene: Self.scene(withCar: true))
    let one = try intersector.render(camera, options: CameraRenderOptions(threads: 1))
    let four = try intersector.render(camera, options: CameraRenderOptions(threads: 4))
    #expect(one.rgb == four.rgb && one.semantic == four.semantic && one.depth == four.depth)
  }

  @Test func arcsBoundAndProjectConsistently() {
    // A quarter circle of radius 20 m turning left from the origin along +x.
    let line = ReferenceLine(segments: [
      .init(origin: .zero, heading: 0, length: 20 * .pi / 2, curvature: 1.0 / 20)
    ])
    let p = ReferenceLine.point(line.segments[0], station: 10, lateral: -1.5)
    let projected = line.project(x: p.x, y: p.y)
    #expect(abs((projected?.station ?? 0) - 10) < 1e-9 && abs((projected?.lateral ?? 0) + 1.5) < 1e-9)
    let box = line.bounds(lateral: -2...2)
    for s in stride(from: 0.0, through: line.totalLength, by: 0.37) {
      for d in [-2.0, 0, 2] {
        let q = ReferenceLine.point(line.segments[0], station: s, lateral: d)
        #expect(box.map { q.x >= $0.lower.x && q.x <= $0.upper.x && q.y >= $0.lower.y && q.y <= $0.upper.y } == true)
      }
    }
  }

  /// `Stuff.ground` reads the bands from a flat table: it must answer as the bands
  /// themselves do (the first band listed whose bounds and lateral range hold the point,
  /// painted by its own `paint`), over straights and arcs of several segments, overlapping
  /// bands, stop lines, crossings and one, two or three lanes.
  @Test func groundLookUpAnswersAsTheBandsDo() {
    let bent = ReferenceLine(segments: [
      .init(origin: Vec3(-20, -10, 0), heading: 0, length: 30, curvature: 0),
      .init(origin: Vec3(10, -10, 0), heading: 0, length: 20 * .pi / 2, curvature: 1.0 / 20),
      .init(origin: Vec3(30, 10, 0), heading: .pi / 2, length: 25, curvature: 0),
    ])
    let straight = ReferenceLine(segments: [.init(origin: Vec3(-30, 4, 0), heading: 0.1, length: 80, curvature: 0)])
    let right = ReferenceLine(segments: [
      .init(origin: Vec3(0, 20, 0), heading: -0.3, length: 40 * .pi / 3, curvature: -1.0 / 40)
    ])
    let bands = [
      RoadBand(line: bent, lateral: -3.5...3.5, lanes: 2, stopLines: [12, 40.5], crossings: [20...24]),
      RoadBand(line: straight, lateral: -5...5, lanes: 3, crossings: [30...34, 60...63]),
      RoadBand(line: straight, lateral: 5...7, lanes: 0),
      RoadBand(line: right, lateral: -2...2, lanes: 1, stopLines: [5]),
    ]
    let stuff = Stuff(bands: bands, sidewalks: [], classes: Self.classes)
    var painted = 0
    var bare = 0
    for i in 0..<240 {
      for j in 0..<160 {
        let x = -40 + Double(i) * 0.37, y = -25 + Double(j) * 0.41
        var expected: (UInt8, Material)? = nil
        for band in stuff.bands {
          guard let box = band.line.bounds(lateral: band.lateral),
            x >= box.lower.x, x <= box.upper.x, y >= box.lower.y, y <= box.upper.y,
            let (s, d) = band.line.project(x: x, y: y), band.lateral.contains(d)
          else { continue }
          expected =
            band.paint(station: s, lateral: d) == .marking
            ? (Self.classes.laneMarking, Stuff.marking) : (Self.classes.road, Stuff.asphalt)
          break
        }
        let found = stuff.ground(atX: x, y: y)
        #expect(found?.semanticClass == expected?.0 && found?.material == expected?.1, "at (\(x), \(y))")
        if expected == nil { bare += 1 } else { painted += 1 }
      }
    }
    #expect(painted > 5000 && bare > 5000, "\(painted) painted and \(bare) bare points")
  }

  /// The camera looks a ground hit's paint up among the bands whose bounds meet its tile's
  /// ground hits (`Stuff.groundBands`, `groundPaint(atX:y:bands:)`): over windows of every
  /// size and place, each point inside must get `groundPaint(atX:y:)`'s paint.
  @Test func groundLookUpAmongATilesBandsAnswersAsAllBandsDo() {
    let bent = ReferenceLine(segments: [
      .init(origin: Vec3(-20, -10, 0), heading: 0, length: 30, curvature: 0),
      .init(origin: Vec3(10, -10, 0), heading: 0, length: 20 * .pi / 2, curvature: 1.0 / 20),
    ])
    let straight = ReferenceLine(segments: [.init(origin: Vec3(-30, 4, 0), heading: 0.1, length: 80, curvature: 0)])
    let stuff = Stuff(
      bands: [
        RoadBand(line: bent, lateral: -3.5...3.5, lanes: 2, stopLines: [12], crossings: [20...24]),
        RoadBand(line: straight, lateral: -5...5, lanes: 3, crossings: [30...34]),
        RoadBand(line: straight, lateral: 5...7, lanes: 0),
      ], sidewalks: [], classes: Self.classes)
    #expect(stuff.groundBands(lowerX: 200, upperX: 210, lowerY: 200, upperY: 210) == 0)
    var checked = 0
    var skipped = 0
    for side in [0.5, 3.0, 17.0] {
      for wx in stride(from: -45.0, to: 60, by: side * 0.9) {
        for wy in stride(from: -25.0, to: 40, by: side * 0.9) {
          guard let mask = stuff.groundBands(lowerX: wx, upperX: wx + side, lowerY: wy, upperY: wy + side) else {
            Issue.record("three bands give a mask")
            return
          }
          if mask != 0b111 { skipped += 1 }
          for k in 0...4 {
            let x = wx + side * Double(k) / 4, y = wy + side * Double((k * 3) % 5) / 4
            #expect(stuff.groundPaint(atX: x, y: y, bands: mask) == stuff.groundPaint(atX: x, y: y), "at (\(x), \(y))")
            checked += 1
          }
        }
      }
    }
    #expect(checked > 10000 && skipped > 1000, "\(checked) points, \(skipped) windows without every band")
  }

  /// The camera works a tile's ground paint out once for the box of its ground hits
  /// (`Stuff.groundPaint(lowerX:upperX:lowerY:upperY:bands:)`): the paint it gives for the
  /// whole box, or else the look-up among the bands it keeps, must give every point of the box
  /// `groundPaint(atX:y:)`'s paint. Boxes of every size, across edge lines, separators, stop
  /// lines, crossings, a bend and overlapping bands, and boxes whose sides lie a rounding
  /// error from a band's or a marking's edge.
  @Test func groundPaintOfATilesBoxAnswersAsEveryPointsLookUp() {
    let bent = ReferenceLine(segments: [
      .init(origin: Vec3(-20, -10, 0), heading: 0, length: 30, curvature: 0),
      .init(origin: Vec3(10, -10, 0), heading: 0, length: 20 * .pi / 2, curvature: 1.0 / 20),
    ])
    let straight = ReferenceLine(segments: [.init(origin: Vec3(-30, 4, 0), heading: 0.1, length: 80, curvature: 0)])
    let east = ReferenceLine(segments: [.init(origin: Vec3(-30, -2.25, 0), heading: 0, length: 200, curvature: 0)])
    let west = ReferenceLine(segments: [.init(origin: Vec3(170, 2.25, 0), heading: .pi, length: 200, curvature: 0)])
    let twoStraights = ReferenceLine(segments: [
      .init(origin: Vec3(-40, 20, 0), heading: 0, length: 30, curvature: 0),
      .init(origin: Vec3(-10, 20, 0), heading: 0.3, length: 30, curvature: 0),
    ])
    let stuff = Stuff(
      bands: [
        RoadBand(line: east, lateral: -2.25...2.25, lanes: 1, stopLines: [75], crossings: [90...94]),
        RoadBand(line: west, lateral: -2.25...2.25, lanes: 1),
        RoadBand(line: east, lateral: -2.75...(-2.25), lanes: 0),
        RoadBand(line: bent, lateral: -3.5...3.5, lanes: 2, stopLines: [12], crossings: [20...24]),
        RoadBand(line: straight, lateral: -5...5, lanes: 3, crossings: [30...34]),
        RoadBand(line: straight, lateral: 5...7, lanes: 0),
        RoadBand(line: twoStraights, lateral: -3...3, lanes: 2),
      ], sidewalks: [], classes: Self.classes)
    var checked = 0
    var whole = 0
    var dropped = 0
    var random = SplitMix64(0x5EED)
    func unit() -> Double { random.unit() }
    // Edges the boxes' sides are put on: the bands' and markings' lateral edges along the
    // two axis-aligned roads, and the stop line's and crossing's stations.
    let ys = [-4.5, -4.35, -4.5 + 1e-12, -0.15, 0, 0.15, 2.25, 4.35, 4.5, -5.0, -4.75]
    let xs = [45.0 - 0.15, 45 + 0.15, 60, 64, 60 - 1e-12, 64 + 1e-12]
    for trial in 0..<6000 {
      let side = [0.05, 0.4, 2.0, 9.0, 30.0][trial % 5]
      var x0 = -45 + 230 * unit(), y0 = -25 + 55 * unit()
      let w = side * unit(), h = side * unit()
      if trial % 3 == 1 { y0 = ys[trial / 3 % ys.count] - (trial % 2 == 0 ? 0 : h) }
      if trial % 7 == 2 { x0 = xs[trial / 7 % xs.count] - (trial % 2 == 0 ? 0 : w) }
      let (x1, y1) = (x0 + w, y0 + h)
      guard let mask = stuff.groundBands(lowerX: x0, upperX: x1, lowerY: y0, upperY: y1) else {
        Issue.record("seven bands give a mask")
        return
      }
      let tile = stuff.groundPaint(lowerX: x0, upperX: x1, lowerY: y0, upperY: y1, bands: mask)
      #expect(tile.bands & ~mask == 0)
      if tile.paint != nil { whole += 1 }
      if tile.bands != mask { dropped += 1 }
      for k in 0..<24 {
        var (x, y) = (x0 + w * unit(), y0 + h * unit())
        if k < 4 { (x, y) = (k & 1 == 0 ? x0 : x1, k & 2 == 0 ? y0 : y1) }
        let expected = stuff.groundPaint(atX: x, y: y)
        let found = tile.paint ?? (tile.bands == 0 ? nil : stuff.groundPaint(atX: x, y: y, bands: tile.bands))
        #expect(found == expected, "box \(x0)…\(x1) × \(y0)…\(y1) at (\(x), \(y))")
        checked += 1
      }
    }
    #expect(whole > 500 && dropped > 500, "\(whole) boxes of one paint, \(dropped) with bands left out")
    _ = checked
  }
}
