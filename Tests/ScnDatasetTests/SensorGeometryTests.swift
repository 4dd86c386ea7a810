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
