import ScnGeometry
import Testing

@testable import ScnDataset
import ScnEncoding

/// The geometry `verify --labels` reads from a dataset: calibrated projection and poses.
@Suite struct SensorGeometryTests {
  /// Projecting the ray the renderer casts through a pixel centre (lens distortion inverted
  /// by the same fixed-point iteration) lands back on that centre.
  @Test func distortedProjectionInvertsThePixelRays() throws {
    let calibration = try JSONValue.parse(
      bytes: Array(
        #"{"resolution":[64,48],"K":[32,0,32,0,32,24,0,0,1],"distortion":[-0.12,0.02,0.001,-0.002,0.0]}"#.utf8))
    let camera = try CalibratedCamera(calibration: calibration)
    let lens = LensDistortion(k1: -0.12, k2: 0.02, p1: 0.001, p2: -0.002, k3: 0)
    for (i, j) in [(0, 0), (63, 47), (10, 30), (32, 24), (63, 0)] {
      let (x, y) = lens.undistort((Double(i) + 0.5 - 32) / 32, (Double(j) + 0.5 - 24) / 32)
      let depth = 7.5
      let pixel = try #require(camera.pixel(ofBody: SIMD3(depth, -x * depth, -y * depth)))
      #expect(
        abs(pixel.u - (Double(i) + 0.5)) < 1e-6 && abs(pixel.v - (Double(j) + 0.5)) < 1e-6, "\(i), \(j): \(pixel)")
    }
    #expect(camera.pixel(ofBody: SIMD3(-1, 0, 0)) == nil, "behind the camera")
    #expect(camera.pixel(ofBody: SIMD3(1, 50, 0)) == nil, "far outside the image, where the polynomial folds back")
  }

  /// A fisheye calibration (`model: fisheye`, Kannala–Brandt k1…k4): points beside and
  /// slightly behind the camera project where r = f·θ(1 + k1 θ² + …) puts them, depth is the
  /// range, and points past the image corners' angle or an unknown model are refused.
  @Test func fisheyeCalibrationProjectsByAngleAndMeasuresRange() throws {
    let calibration = try JSONValue.parse(
      bytes: Array(
        #"{"resolution":[64,48],"K":[20,0,32,0,20,24,0,0,1],"model":"fisheye","distortion_model":"kannala_brandt","distortion":[0.02,-0.004,0.0,0.0]}"#
          .utf8))
    let camera = try CalibratedCamera(calibration: calibration)
    let lens = FisheyeDistortion(k1: 0.02, k2: -0.004)
    for degrees in [0.0, 30, 60, 89, 92] {
      let theta = degrees * .pi / 180
      // Left of the axis: u decreases from the centre.
      let body = SIMD3(theta.cosine, theta.sine, 0) * 3
      let pixel = try #require(camera.pixel(ofBody: body), "\(degrees)°")
      #expect(abs(pixel.u - (32 - 20 * lens.radius(theta))) < 1e-9 && abs(pixel.v - 24) < 1e-9, "\(degrees)°")
      #expect(abs(camera.depth(ofBody: body) - 3) < 1e-12)
    }
    #expect(camera.pixel(ofBody: SIMD3(-1, 0, 0)) == nil, "straight behind, past the corners' angle")
    let unknown = try JSONValue.parse(
      bytes: Array(#"{"resolution":[64,48],"K":[20,0,32,0,20,24,0,0,1],"model":"orthographic","distortion":[]}"#.utf8))
    #expect(throws: CheckFailure.self) { try CalibratedCamera(calibration: unknown) }
  }

  @Test func datasetPosesComposeAsTransforms() throws {
    // Yawed 90° left: the body's +x is the world's +y.
    let half = 0.5.squareRoot()
    let pose = try #require(
      Transform(
        datasetPose: try JSONValue.parse(
          bytes: Array(#"{"position":[1,2,3],"rotation_wxyz":[\#(half),0,0,\#(half)]}"#.utf8))))
    let world = pose.apply(toPoint: SIMD3(1, 0, 0))
    #expect(abs(world.x - 1) < 1e-12 && abs(world.y - 3) < 1e-12 && abs(world.z - 3) < 1e-12)
    let back = pose.inverse.apply(toPoint: world)
    #expect(abs(back.x - 1) < 1e-12 && abs(back.y) < 1e-12 && abs(back.z) < 1e-12)
    let twice = (pose * pose).apply(toPoint: .zero)
    #expect(abs(twice.x - (1 - 2)) < 1e-12 && abs(twice.y - (2 + 1)) < 1e-12 && abs(twice.z - 6) < 1e-12)
    #expect(
      Transform(datasetPose: try JSONValue.parse(bytes: Array(#"{"position":[0,0],"rotation_wxyz":[1,0,0,0]}"#.utf8)))
        == nil)
  }
}
