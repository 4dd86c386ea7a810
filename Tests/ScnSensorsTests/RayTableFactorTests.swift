import ScnGeometry
import Testing

@testable import ScnSensors

/// `RayTable.columns` and `rows`, from which the renderer makes a pinhole tile's rays
/// without reading the table (`SceneIntersector.renderTile`): they must give every entry
/// of the table bit for bit, and be empty for a lens whose directions do not factor.
@Suite struct RayTableFactorTests {
  @Test func factorsGiveTheTableBitForBit() throws {
    let cameras = [
      try Camera(width: 640, height: 480, horizontalFOV: 70.0 * .pi / 180),
      try Camera(width: 37, height: 23, horizontalFOV: 1.1),
      try Camera(intrinsics: CameraIntrinsics(width: 50, height: 41, fx: 61.3, fy: 47.9, cx: 20.2, cy: 23.7)),
    ]
    for camera in cameras {
      let table = camera.rayTable
      let width = camera.intrinsics.width
      #expect(table.columns.count == width && table.rows.count == camera.intrinsics.height)
      var mismatches = 0
      for (index, d) in table.directions.enumerated() {
        let e = Vec3(1, table.columns[index % width], table.rows[index / width])
        if d.x.bitPattern != e.x.bitPattern || d.y.bitPattern != e.y.bitPattern || d.z.bitPattern != e.z.bitPattern {
          mismatches += 1
        }
      }
      #expect(mismatches == 0, "\(mismatches) of \(table.directions.count) directions differ")
    }
  }

  @Test func lensesThatDoNotFactorHaveNoFactors() throws {
    let distorted = try Camera(
      intrinsics: CameraIntrinsics(width: 64, height: 48, horizontalFOV: 1.0), distortion: LensDistortion(k1: -0.1))
    let fisheye = try Camera(width: 64, height: 48, horizontalFOV: 2.5, lens: .fisheye(FisheyeDistortion()))
    for camera in [distorted, fisheye] {
      #expect(camera.rayTable.columns.isEmpty && camera.rayTable.rows.isEmpty)
    }
  }
}
