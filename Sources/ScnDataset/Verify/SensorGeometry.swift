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

/// A camera as `calib/{name}/{sample:06}.json` describes it: intrinsics K and its `model`,
/// a pinhole with optional Brown–Conrady distortion (OpenCV order k1, k2, p1, p2, k3) on
/// normalised coordinates, or a Kannala–Brandt fisheye (k1, k2, k3, k4); body frame x
/// forward, y left, z up. Pixel (i, j) covers [i, i+1) × [j, j+1). A file without `model`
/// (written before fisheyes existed) is a pinhole.
struct CalibratedCamera: Sendable {
  let width: Int
  let height: Int
  let fx: Double, fy: Double, cx: Double, cy: Double
  let lens: CameraLens
  /// Pinhole: largest undistorted squared radius of the image corners: every point farther
  /// out lies outside the image, and the distortion polynomial may fold back there, so such
  /// points are not projected at all.
  let maxRadiusSquared: Double
  /// Fisheye: the angle off axis of the farthest image corner; points beyond it are outside
  /// the image and not projected.
  let maxAngle: Double

  /// The renderer ignores hits nearer than this (metres along the viewing axis for a
  /// pinhole, along the ray for a fisheye).
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
    width = size[0]
    height = size[1]
    (fx, cx, fy, cy) = (k[0], k[2], k[4], k[5])
    let corners = [(0.0, 0.0), (Double(size[0]), 0), (0, Double(size[1])), (Double(size[0]), Double(size[1]))]
    switch json["model"]?.stringValue ?? "pinhole" {
    case "pinhole":
      guard d.isEmpty || (d.count == 5 && d.allSatisfy(\.isFinite)) else {
        throw CheckFailure("distortion must be empty or five numbers (k1, k2, p1, p2, k3)")
      }
      let c = d.isEmpty ? [0, 0, 0, 0, 0] : d
      let distortion = LensDistortion(k1: c[0], k2: c[1], p1: c[2], p2: c[3], k3: c[4])
      lens = .pinhole(distortion)
      var r2 = 0.0
      for (u, v) in corners {
        let (x, y) = distortion.undistort((u - k[2]) / k[0], (v - k[5]) / k[4])
        r2 = max(r2, x * x + y * y)
      }
      maxRadiusSquared = r2
      maxAngle = .pi / 2
    case "fisheye":
      guard d.count == 4, d.allSatisfy(\.isFinite) else {
        throw CheckFailure("a fisheye's distortion must be four numbers (k1, k2, k3, k4)")
      }
      let fisheye = FisheyeDistortion(k1: d[0], k2: d[1], k3: d[2], k4: d[3])
      lens = .fisheye(fisheye)
      var corner = 0.0
      for (u, v) in corners {
        let (x, y) = ((u - k[2]) / k[0], (v - k[5]) / k[4])
        corner = max(corner, (x * x + y * y).squareRoot())
      }
      let check = FisheyeLimits.check(fisheye, cornerRadius: corner)
      if let problem = check.problem { throw CheckFailure(problem) }
      maxAngle = check.cornerAngle
      maxRadiusSquared = 0
    case let other:
      throw CheckFailure("model '\(other)' is not a camera model (pinhole or fisheye)")
    }
  }

  /// Continuous pixel coordinates of a body-frame point, or nil when it is nearer than the
  /// near clip or outside the lens model's valid radius (or angle).
  func pixel(ofBody p: SIMD3<Double>) -> (u: Double, v: Double)? {
    var x: Double
    var y: Double
    switch lens {
    case .pinhole(let distortion):
      guard p.x >= CalibratedCamera.nearClip else { return nil }
      x = -p.y / p.x
      y = -p.z / p.x
      if !distortion.isNone {
        guard x * x + y * y <= maxRadiusSquared else { return nil }
        (x, y) = distortion.distort(x, y)
      }
    case .fisheye(let fisheye):
      guard (p * p).sum().squareRoot() >= CalibratedCamera.nearClip else { return nil }
      let lateral = (p.y * p.y + p.z * p.z).squareRoot()
      guard atan2Double(lateral, p.x) <= maxAngle, let (px, py) = fisheye.project(body: p, maxAngle: maxAngle)
      else { return nil }
      (x, y) = (px, py)
    }
    let u = fx * x + cx
    let v = fy * y + cy
    return u.isFinite && v.isFinite ? (u, v) : nil
  }

  /// What the depth image holds for a body-frame point: its distance along the optical axis
  /// for a pinhole, along the ray (range) for a fisheye.
  func depth(ofBody p: SIMD3<Double>) -> Double {
    lens.isFisheye ? (p * p).sum().squareRoot() : p.x
  }
}

/// A reason a cross-modal check could not run, shown to the user as a problem.
struct CheckFailure: Error, Sendable, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
