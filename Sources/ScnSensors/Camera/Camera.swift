import ScnGeometry

/// Pinhole intrinsics in pixels. Pixel (i, j) covers [i, i+1) × [j, j+1); its centre is at
/// (i + 0.5, j + 0.5), and the principal point of a centred camera is (width/2, height/2).
public struct CameraIntrinsics: Hashable, Sendable {
  public var width: Int
  public var height: Int
  public var fx: Double
  public var fy: Double
  public var cx: Double
  public var cy: Double

  public init(width: Int, height: Int, fx: Double, fy: Double, cx: Double, cy: Double) {
    self.width = width
    self.height = height
    self.fx = fx
    self.fy = fy
    self.cx = cx
    self.cy = cy
  }

  /// Square pixels (fx = fy), centred principal point, horizontal field of view in radians.
  public init(width: Int, height: Int, horizontalFOV: Double) {
    let f = Double(width) / 2 / (horizontalFOV / 2).tangent
    self.init(width: width, height: height, fx: f, fy: f, cx: Double(width) / 2, cy: Double(height) / 2)
  }

  /// The 3×3 camera matrix K, row-major.
  public var matrix: [Double] { [fx, 0, cx, 0, fy, cy, 0, 0, 1] }
}

/// A camera: intrinsics, lens, and pose.
///
/// Frames. The camera *body* frame follows the world convention: +x is the viewing
/// direction, +y left, +z up; `pose` maps body → world. Images have u to the right and v
/// down. Labels in camera coordinates use the *optical* frame (OpenCV/KITTI): x right,
/// y down, z forward, i.e. (x, y, z)_optical = (−y, −z, x)_body.
///
/// Per-pixel ray directions are computed once (lens distortion inverted per pixel) when the
/// camera is created; moving the camera (`pose`) keeps that table.
public struct Camera: Sendable {
  public let intrinsics: CameraIntrinsics
  public let distortion: LensDistortion
  public var pose: Transform
  /// Rays start at the camera centre; hits closer than `nearClip` or farther than `farClip`
  /// (metres of depth along the viewing axis) are ignored.
  public var nearClip: Double
  public var farClip: Double
  /// Body-frame ray direction for every pixel centre, row-major, scaled so the forward (x)
  /// component is 1: the hit distance t along it is then the depth.
  let rayTable: RayTable
  /// Largest undistorted squared radius seen by the image (its corners); forward
  /// distortion is frozen beyond it so far-off points cannot fold back into view.
  let maxRadiusSquared: Double

  public init(
    intrinsics: CameraIntrinsics, distortion: LensDistortion = .none, pose: Transform = .identity,
    nearClip: Double = 0.01, farClip: Double = 1000
  ) throws {
    guard intrinsics.width > 0, intrinsics.height > 0, intrinsics.width <= 16384, intrinsics.height <= 16384 else {
      throw RenderError.invalidSensor("camera resolution must be 1…16384 pixels per side")
    }
    guard intrinsics.fx > 0, intrinsics.fy > 0, intrinsics.fx.isFinite, intrinsics.fy.isFinite else {
      throw RenderError.invalidSensor("camera focal lengths must be positive")
    }
    guard nearClip >= 0, farClip > nearClip else {
      throw RenderError.invalidSensor("camera clip range must satisfy 0 ≤ near < far")
    }
    if !distortion.isNone {
      // The image corner farthest from the principal point, in normalised units.
      let dx = Swift.max(intrinsics.cx, Double(intrinsics.width) - intrinsics.cx) / intrinsics.fx
      let dy = Swift.max(intrinsics.cy, Double(intrinsics.height) - intrinsics.cy) / intrinsics.fy
      let corner = (dx * dx + dy * dy).squareRoot()
      if let fold = distortion.radialFold(within: corner) {
        let pixels = fold.distorted * intrinsics.fx
        let degrees = atan2Double(fold.undistorted, 1).degrees
        throw RenderError.invalidSensor(
          "lens distortion (k1 \(distortion.k1), k2 \(distortion.k2), k3 \(distortion.k3)) folds back "
            + "\(Int(pixels.rounded())) px from the image centre (\(Int(degrees.rounded()))° off axis), inside the "
            + "image, whose corners lie \(Int((corner * intrinsics.fx).rounded())) px out: the distortion must grow "
            + "monotonically over the image (a wide lens needs a fisheye model)")
      }
    }
    self.intrinsics = intrinsics
    self.distortion = distortion
    self.pose = pose
    self.nearClip = nearClip
    self.farClip = farClip
    let table = RayTable(intrinsics: intrinsics, distortion: distortion)
    rayTable = table
    maxRadiusSquared = table.maxRadiusSquared
  }

  /// Convenience: square pixels from a horizontal field of view (radians).
  public init(
    width: Int, height: Int, horizontalFOV: Double, distortion: LensDistortion = .none,
    pose: Transform = .identity
  ) throws {
    try self.init(
      intrinsics: CameraIntrinsics(width: width, height: height, horizontalFOV: horizontalFOV),
      distortion: distortion, pose: pose)
  }

  /// The body-frame direction (forward component 1) through continuous pixel coordinates.
  public func bodyDirection(u: Double, v: Double) -> Vec3 {
    let xd = (u - intrinsics.cx) / intrinsics.fx
    let yd = (v - intrinsics.cy) / intrinsics.fy
    let (x, y) = distortion.isNone ? (xd, yd) : distortion.undistort(xd, yd)
    return Vec3(1, -x, -y)
  }

  /// World point → body frame.
  public func toBody(_ world: Vec3) -> Vec3 { pose.inverse.apply(toPoint: world) }

  /// Projects a body-frame point with x ≥ `nearClip` to continuous pixel coordinates.
  public func project(body p: Vec3) -> (u: Double, v: Double)? {
    guard p.x >= nearClip, p.x > 0 else { return nil }
    var x = -p.y / p.x
    var y = -p.z / p.x
    if !distortion.isNone {
      let r2 = x * x + y * y
      if r2 > maxRadiusSquared {
        // Beyond the image the polynomial may turn back; scale radially at its last value.
        let s = (maxRadiusSquared / r2).squareRoot()
        let (xe, ye) = distortion.distort(x * s, y * s)
        x = xe / s
        y = ye / s
      } else {
        (x, y) = distortion.distort(x, y)
      }
    }
    return (intrinsics.fx * x + intrinsics.cx, intrinsics.fy * y + intrinsics.cy)
  }

  /// The world direction of pixel `index`'s ray (forward component 1 in the body frame).
  /// Render and label passes both use this, so they cast bit-identical rays.
  @inline(__always)
  func worldDirection(pixel index: Int, basis: RotationBasis) -> Vec3 {
    basis.apply(rayTable.directions[index])
  }

  /// Body → optical frame (x right, y down, z forward).
  public static func optical(fromBody p: Vec3) -> Vec3 { Vec3(-p.y, -p.z, p.x) }
}

/// Precomputed per-pixel body-frame directions; shared by copies of a camera.
final class RayTable: Sendable {
  let directions: [Vec3]
  let maxRadiusSquared: Double

  init(intrinsics k: CameraIntrinsics, distortion: LensDistortion) {
    var directions = [Vec3]()
    directions.reserveCapacity(k.width * k.height)
    for j in 0..<k.height {
      for i in 0..<k.width {
        let xd = (Double(i) + 0.5 - k.cx) / k.fx
        let yd = (Double(j) + 0.5 - k.cy) / k.fy
        let (x, y) = distortion.isNone ? (xd, yd) : distortion.undistort(xd, yd)
        directions.append(Vec3(1, -x, -y))
      }
    }
    var r2 = 0.0
    for (u, v) in [(0.0, 0.0), (Double(k.width), 0), (0, Double(k.height)), (Double(k.width), Double(k.height))] {
      let xd = (u - k.cx) / k.fx
      let yd = (v - k.cy) / k.fy
      let (x, y) = distortion.isNone ? (xd, yd) : distortion.undistort(xd, yd)
      r2 = Swift.max(r2, x * x + y * y)
    }
    self.directions = directions
    maxRadiusSquared = r2
  }
}

extension Transform {
  /// Whether every component of the rotation and translation is finite.
  var isFinite: Bool {
    [rotation.w, rotation.x, rotation.y, rotation.z, translation.x, translation.y, translation.z].allSatisfy(\.isFinite)
  }
}

/// A rotation as its three rotated axes: one multiply-add per component to apply, cheaper
/// than a quaternion rotation in the per-pixel loop.
struct RotationBasis: Sendable {
  let x: Vec3
  let y: Vec3
  let z: Vec3

  init(_ rotation: Quaternion) {
    (x, y, z) = rotation.basis
  }

  @inline(__always)
  func apply(_ v: Vec3) -> Vec3 { x * v.x + y * v.y + z * v.z }
}
