/// The geometry `verify --labels` needs to relate a LiDAR sweep to a camera image, re-derived
/// from the dataset's own text (calibration and per-frame poses) so the dataset module stays
/// independent of the renderer. The formulas mirror the renderer's camera exactly: any drift
/// between the two would show up as disagreeing depth.

/// A rigid transform: `apply(p) = rotation · p + translation`, rotation as three rows.
struct RigidTransform: Sendable {
  var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)
  var translation: SIMD3<Double>

  static let identity = RigidTransform(rows: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)), translation: .zero)

  func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3((rows.0 * p).sum(), (rows.1 * p).sum(), (rows.2 * p).sum()) + translation
  }

  var inverse: RigidTransform {
    let columns = (
      SIMD3(rows.0.x, rows.1.x, rows.2.x), SIMD3(rows.0.y, rows.1.y, rows.2.y), SIMD3(rows.0.z, rows.1.z, rows.2.z)
    )
    let back = RigidTransform(rows: columns, translation: .zero)
    return RigidTransform(rows: columns, translation: -back.apply(translation))
  }

  /// `self ∘ other`: first `other`, then `self`.
  func composed(after other: RigidTransform) -> RigidTransform {
    func row(_ r: SIMD3<Double>) -> SIMD3<Double> {
      other.rows.0 * r.x + other.rows.1 * r.y + other.rows.2 * r.z
    }
    return RigidTransform(rows: (row(rows.0), row(rows.1), row(rows.2)), translation: apply(other.translation))
  }

  /// A pose as the dataset writes it: `{"position": [x, y, z], "rotation_wxyz": [w, x, y, z]}`
  /// (body → world). Nil unless every number is present and finite and the quaternion is not zero.
  init?(pose json: JSONValue?) {
    guard let position = json?["position"]?.arrayValue?.compactMap(\.doubleValue), position.count == 3,
      let q = json?["rotation_wxyz"]?.arrayValue?.compactMap(\.doubleValue), q.count == 4,
      (position + q).allSatisfy(\.isFinite)
    else { return nil }
    let norm = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).squareRoot()
    guard norm > 1e-9 else { return nil }
    let (w, x, y, z) = (q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm)
    rows = (
      SIMD3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)),
      SIMD3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)),
      SIMD3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    )
    translation = SIMD3(position[0], position[1], position[2])
  }

  init(rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>), translation: SIMD3<Double>) {
    self.rows = rows
    self.translation = translation
  }
}

/// A camera as `calib/{name}.json` describes it: pinhole intrinsics K, optional Brown–Conrady
/// distortion (OpenCV order k1, k2, p1, p2, k3) on normalised coordinates, body frame x
/// forward, y left, z up. Pixel (i, j) covers [i, i+1) × [j, j+1).
struct CalibratedCamera: Sendable {
  let width: Int
  let height: Int
  let fx: Double, fy: Double, cx: Double, cy: Double
  let k1: Double, k2: Double, p1: Double, p2: Double, k3: Double
  let distorted: Bool
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
    (k1, k2, p1, p2, k3) = (c[0], c[1], c[2], c[3], c[4])
    distorted = c.contains { $0 != 0 }
    var r2 = 0.0
    for (u, v) in [(0.0, 0.0), (Double(size[0]), 0), (0, Double(size[1])), (Double(size[0]), Double(size[1]))] {
      let (x, y) = CalibratedCamera.undistort((u - k[2]) / k[0], (v - k[5]) / k[4], c)
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
    if distorted {
      let r2 = x * x + y * y
      guard r2 <= maxRadiusSquared else { return nil }
      let radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3))
      (x, y) = (
        x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x), y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
      )
    }
    let u = fx * x + cx
    let v = fy * y + cy
    return u.isFinite && v.isFinite ? (u, v) : nil
  }

  /// Distorted → undistorted normalised coordinates by the fixed-point iteration the
  /// renderer (and OpenCV's `undistortPoints`) uses.
  static func undistort(_ xd: Double, _ yd: Double, _ c: [Double]) -> (Double, Double) {
    var x = xd
    var y = yd
    for _ in 0..<20 {
      let r2 = x * x + y * y
      let radial = 1 + r2 * (c[0] + r2 * (c[1] + r2 * c[4]))
      guard radial > 1e-6 else { break }
      let dx = 2 * c[2] * x * y + c[3] * (r2 + 2 * x * x)
      let dy = c[2] * (r2 + 2 * y * y) + 2 * c[3] * x * y
      x = (xd - dx) / radial
      y = (yd - dy) / radial
    }
    return (x, y)
  }
}

/// A reason a cross-modal check could not run, shown to the user as a problem.
struct CheckFailure: Error, Sendable, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
