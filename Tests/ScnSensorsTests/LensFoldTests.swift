import ScnGeometry
import ScnSensors
import Testing

/// Wide lenses (issue: a 120° camera with k1 = −0.25, k2 = 0.06 drew people twice): every
/// pixel's ray must map back onto that pixel, and coefficients that fold the image are refused.
@Suite struct LensFoldTests {
  static let wide = LensDistortion(k1: -0.25, k2: 0.06)

  @Test func undistortInvertsDistortOverAWideImage() throws {
    let k = CameraIntrinsics(width: 1280, height: 720, horizontalFOV: 120.0.radians)
    var worst = 0.0
    for j in stride(from: 0, to: 720, by: 8) {
      for i in stride(from: 0, to: 1280, by: 8) {
        let xd = (Double(i) + 0.5 - k.cx) / k.fx
        let yd = (Double(j) + 0.5 - k.cy) / k.fy
        let (x, y) = Self.wide.undistort(xd, yd)
        let (xr, yr) = Self.wide.distort(x, y)
        worst = max(worst, abs(xr - xd) * k.fx, abs(yr - yd) * k.fy)
      }
    }
    #expect(worst < 1e-6, "worst round trip \(worst) px")
  }

  @Test func projectingAPixelsRayLandsOnThePixel() throws {
    let camera = try Camera(width: 1280, height: 720, horizontalFOV: 120.0.radians, distortion: Self.wide)
    for (u, v) in [(0.5, 0.5), (1279.5, 0.5), (0.5, 719.5), (1279.5, 719.5), (640.5, 0.5), (0.5, 360.5), (900.5, 600.5)] {
      let d = camera.bodyDirection(u: u, v: v)
      let p = try #require(camera.project(body: d * 10))
      #expect(abs(p.u - u) < 1e-6 && abs(p.v - v) < 1e-6, "pixel (\(u), \(v)) → (\(p.u), \(p.v))")
    }
  }

  @Test func foldingCoefficientsAreRefusedWithWhereTheyFold() throws {
    // 1 + 3 k1 r² = 0 at r = 1: the fold lies well inside a 120° image.
    let folding = LensDistortion(k1: -1.0 / 3)
    let fold = try #require(folding.radialFold(within: 2))
    #expect(abs(fold.undistorted - 1) < 1e-9)
    #expect(abs(fold.distorted - 2.0 / 3) < 1e-9)
    #expect(folding.radialFold(within: 0.5) == nil)
    #expect(Self.wide.radialFold(within: 10) == nil)
    do {
      _ = try Camera(width: 1280, height: 720, horizontalFOV: 120.0.radians, distortion: folding)
      Issue.record("a folding lens was accepted")
    } catch let error as RenderError {
      #expect(error.description.contains("folds back"))
    }
  }
}
