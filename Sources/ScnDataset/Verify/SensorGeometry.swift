import ScnEncoding
import ScnGeometry

/// The geometry `verify --labels` needs to relate a LiDAR sweep to a camera image, read from
/// the dataset's own text (calibration and per-frame poses). Poses and the lens model are
/// ScnGeometry's, the ones the renderer uses; only the pinhole step is restated here, since
/// verify must skip (not clamp) points beyond the lens model's valid radius.

extension Transform {
  /// A pose as the dataset writes it: `{"position": [x, y, z], "rotation_wxyz": [w, x, y, z]}`
  /// (body → world). Nil unless every number is present and finite and the quaternion is not zero.
  init?(datasetPose json: JSONValue?) {
    guard let position = json?["position"]?.arrayValue?.compactMap(\.doubleValue), position.count == 3,
      let q = json?["rotation_wxyz"]?.arrayValue?.compactMap(\.doubleValue), q.count == 4,
      (position + q).allSatisfy(\.isFinite)
    else { return nil }
    let rotation = Quaternion(w: q[0], x: q[1], y: q[2], z: q[3])
    guard rotation.normSquared.squareRoot() > 1e-9 else { return nil }
    self.init(rotation: rotation.normalized, translation: SIMD3(position[0], position[1], position[2]))
  }
}

/// A camera as `calib/{name}/{sample:06}.json` describes it: pinhole intrinsics K, optional Brown–Conrady
/// distortion (OpenCV order k1, k2, p1, p2, k3) on normalised coordinates, body frame x
/// forward, y left, z up. Pixel (i, j) covers [i, i+1) × [j, j+1).
struct CalibratedCamera: Sendable {
  let width: Int
  let height: Int
  let fx: Double, fy: Double, cx: Double, cy: Double
  let lens: LensDistortion
  /// Largest undistorted squared radius of the image corners: every point farther out lies
  /// outside the image, and the distortion polynomial may fold back there, so such points
  /// are not projected at all.
  let maxRadiusSquared: Double

  /// The renderer ignores hits nearer than this (metres along the viewing axis).
  static let nearClip = 0.01

  /// Reads the calibration; the error text says what is missing.
  init(calibration json: JSONValue) throws(CheckFailure) {
    guard let size = json["resolution"]?.arrayValue?.compactMap(\.intValue), size.count == 2,
      (1...16384).contains(size[0]), (1...16384).contains(size[1])
    else { throw CheckFailure("resolution is not two sizes in 1…16384") }
    guard let k = json["K"]?.arrayValue?.compactMap(\.doubleValue), k.count == 9, k.allSatisfy(\.isFinite),
      k[0] > 0, k[4] > 0
    else { throw CheckFailure("K is not a 3×3 matrix with positive focal lengths") }
    let d = json["distortion"]?.arrayValue?.compactMap(\.doubleValue) ?? []
    guard d.isEmpty || (d.count == 5 && d.allSatisfy(\.isFinite)) else {
      throw CheckFailure("distortion must be empty or five numbers (k1, k2, p1, p2, k3)")
    }
    width = size[0]
    height = size[1]
    (fx, cx, fy, cy) = (k[0], k[2], k[4], k[5])
    let c = d.isEmpty ? [0, 0, 0, 0, 0] : d
    let lens = LensDistortion(k1: c[0], k2: c[1], p1: c[2], p2: c[3], k3: c[4])
    self.lens = lens
    var r2 = 0.0
    for (u, v) in [(0.0, 0.0), (Double(size[0]), 0), (0, Double(size[1])), (Double(size[0]), Double(size[1]))] {
      let (x, y) = lens.undistort((u - k[2]) / k[0], (v - k[5]) / k[4])
      r2 = max(r2, x * x + y * y)
    }
    maxRadiusSquared = r2
  }

  /// Continuous pixel coordinates of a body-frame point, or nil when it is behind the near
  /// clip or outside the distortion model's valid radius.
  func pixel(ofBody p: SIMD3<Double>) -> (u: Double, v: Double)? {
    guard p.x >= CalibratedCamera.nearClip else { return nil }
    var x = -p.y / p.x
    var y = -p.z / p.x
    if !lens.isNone {
      guard x * x + y * y <= maxRadiusSquared else { return nil }
      (x, y) = lens.distort(x, y)
    }
    let u = fx * x + cx
    let v = fy * y + cy
    return u.isFinite && v.isFinite ? (u, v) : nil
  }
}

/// A reason a cross-modal check could not run, shown to the user as a problem.
struct CheckFailure: Error, Sendable, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
