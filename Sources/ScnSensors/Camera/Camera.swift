import ScnGeometry
import Synchronization

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
/// camera is created; moving the camera (`pose`) keeps that table. The lens is a pinhole
/// with Brown–Conrady distortion or a Kannala–Brandt fisheye (`CameraLens`).
public struct Camera: Sendable {
  public let intrinsics: CameraIntrinsics
  public let lens: CameraLens
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
  /// Fisheye: the largest ray angle off axis the image holds (its corners); π for a pinhole.
  public let maxAngle: Double

  public init(
    intrinsics: CameraIntrinsics, distortion: LensDistortion = .none, pose: Transform = .identity,
    nearClip: Double = 0.01, farClip: Double = 1000
  ) throws {
    try self.init(intrinsics: intrinsics, lens: .pinhole(distortion), pose: pose, nearClip: nearClip, farClip: farClip)
  }

  public init(
    intrinsics: CameraIntrinsics, lens: CameraLens, pose: Transform = .identity,
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
    // The image corner farthest from the principal point, in normalised units.
    let dx = Swift.max(intrinsics.cx, Double(intrinsics.width) - intrinsics.cx) / intrinsics.fx
    let dy = Swift.max(intrinsics.cy, Double(intrinsics.height) - intrinsics.cy) / intrinsics.fy
    let corner = (dx * dx + dy * dy).squareRoot()
    var maxAngle = Double.pi
    switch lens {
    case .pinhole(let distortion):
      if !distortion.isNone, let fold = distortion.radialFold(within: corner) {
        let pixels = fold.distorted * intrinsics.fx
        let degrees = atan2Double(fold.undistorted, 1).degrees
        throw RenderError.invalidSensor(
          "lens distortion (k1 \(distortion.k1), k2 \(distortion.k2), k3 \(distortion.k3)) folds back "
            + "\(Int(pixels.rounded())) px from the image centre (\(Int(degrees.rounded()))° off axis), inside the "
            + "image, whose corners lie \(Int((corner * intrinsics.fx).rounded())) px out: the distortion must grow "
            + "monotonically over the image (a wide lens needs a fisheye model)")
      }
    case .fisheye(let k):
      let check = FisheyeLimits.check(k, cornerRadius: corner)
      if let problem = check.problem { throw RenderError.invalidSensor(problem) }
      maxAngle = check.cornerAngle
    }
    self.intrinsics = intrinsics
    self.lens = lens
    self.pose = pose
    self.nearClip = nearClip
    self.farClip = farClip
    self.maxAngle = maxAngle
    let table = RayTable.shared(intrinsics: intrinsics, lens: lens, maxAngle: maxAngle)
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

  /// Convenience: square pixels and a centred principal point, the focal length that gives
  /// `horizontalFOV` (radians) across the width under `lens` (`CameraLens.focalLength`).
  public init(width: Int, height: Int, horizontalFOV: Double, lens: CameraLens, pose: Transform = .identity) throws {
    let f = lens.focalLength(width: width, horizontalFOV: horizontalFOV)
    try self.init(
      intrinsics: CameraIntrinsics(
        width: width, height: height, fx: f, fy: f, cx: Double(width) / 2, cy: Double(height) / 2),
      lens: lens, pose: pose)
  }

  /// The Brown–Conrady distortion of a pinhole camera (none for a fisheye).
  public var distortion: LensDistortion {
    if case .pinhole(let d) = lens { return d }
    return .none
  }

  /// Depth images hold the hit's distance along the optical axis for a pinhole, and along
  /// the ray (range) for a fisheye, whose rays may point sideways or behind.
  public var depthIsRange: Bool { lens.isFisheye }

  /// The body-frame direction through continuous pixel coordinates: forward component 1
  /// for a pinhole, a unit vector for a fisheye.
  public func bodyDirection(u: Double, v: Double) -> Vec3 {
    let xd = (u - intrinsics.cx) / intrinsics.fx
    let yd = (v - intrinsics.cy) / intrinsics.fy
    return lens.direction(xd, yd, maxAngle: maxAngle)
  }

  /// World point → body frame.
  public func toBody(_ world: Vec3) -> Vec3 { pose.inverse.apply(toPoint: world) }

  /// Projects a body-frame point with x ≥ `nearClip` to continuous pixel coordinates.
  /// A fisheye projects every point at least `nearClip` from the centre (even behind it).
  public func project(body p: Vec3) -> (u: Double, v: Double)? {
    if case .fisheye(let k) = lens {
      guard p.length >= Swift.max(nearClip, 1e-12), let (x, y) = k.project(body: p, maxAngle: maxAngle) else {
        return nil
      }
      return (intrinsics.fx * x + intrinsics.cx, intrinsics.fy * y + intrinsics.cy)
    }
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
  /// Per `tileSide` × `tileSide` image tile in row-major tile order, the range of its
  /// directions' y and z components and the largest change of either between neighbouring
  /// pixels (`TileSlopes`): a pinhole tile's ray pyramid without a pass over its pixels.
  let tileSlopes: [TileSlopes]
  /// Tiles per image row in `tileSlopes`.
  let tilesX: Int
  /// A pinhole without distortion: pixel (i, j)'s direction is (1, `columns[i]`, `rows[j]`),
  /// the same bits as `directions[j · width + i]`, so a tile's rays are made from two short
  /// arrays instead of reading the whole table (`SceneIntersector.renderTile`). Both are
  /// empty for any other lens.
  let columns: [Double]
  let rows: [Double]

  /// The renderer's tile side, pixels.
  static let tileSide = 16

  /// The intrinsics and lens the table was made for, as bit patterns (`Key`).
  let key: Key

  /// What makes a table: the intrinsics and the lens, compared by their bit patterns (the
  /// largest ray angle follows from them), so a shared table is always the one this camera
  /// would make.
  struct Key: Equatable {
    var bits: [UInt64]

    init(_ k: CameraIntrinsics, _ lens: CameraLens) {
      bits = [UInt64(truncatingIfNeeded: k.width), UInt64(truncatingIfNeeded: k.height)]
      bits += [k.fx, k.fy, k.cx, k.cy].map(\.bitPattern)
      switch lens {
      case .pinhole(let d): bits += [0] + [d.k1, d.k2, d.p1, d.p2, d.k3].map(\.bitPattern)
      case .fisheye(let f): bits += [1] + [f.k1, f.k2, f.k3, f.k4].map(\.bitPattern)
      }
    }
  }

  /// The tables made last (at most `sharedCount`, each of at most `sharedPixels` pixels),
  /// oldest first: the generator makes a camera per sensor and sample, and its table is the
  /// costly part (`shared`).
  private static let recent = Mutex<[RayTable]>([])
  static let sharedCount = 2
  static let sharedPixels = 1 << 22

  /// The table of a camera with intrinsics `k` and `lens`: one of the `recent` tables made
  /// for the same (`Key`), else a new one, kept in `recent` when it is small enough. Tables
  /// are immutable, so cameras and threads share them.
  static func shared(intrinsics k: CameraIntrinsics, lens: CameraLens, maxAngle: Double) -> RayTable {
    let key = Key(k, lens)
    if let found = recent.withLock({ tables in tables.first { $0.key == key } }) { return found }
    let table = RayTable(intrinsics: k, lens: lens, maxAngle: maxAngle)
    guard k.width * k.height <= sharedPixels else { return table }
    recent.withLock { tables in
      guard !tables.contains(where: { $0.key == key }) else { return }
      if tables.count >= sharedCount { tables.removeFirst() }
      tables.append(table)
    }
    return table
  }

  init(intrinsics k: CameraIntrinsics, lens: CameraLens, maxAngle: Double) {
    key = Key(k, lens)
    var directions = [Vec3]()
    directions.reserveCapacity(k.width * k.height)
    for j in 0..<k.height {
      for i in 0..<k.width {
        let xd = (Double(i) + 0.5 - k.cx) / k.fx
        let yd = (Double(j) + 0.5 - k.cy) / k.fy
        directions.append(lens.direction(xd, yd, maxAngle: maxAngle))
      }
    }
    var r2 = 0.0
    if case .pinhole(let distortion) = lens {
      for (u, v) in [(0.0, 0.0), (Double(k.width), 0), (0, Double(k.height)), (Double(k.width), Double(k.height))] {
        let xd = (u - k.cx) / k.fx
        let yd = (v - k.cy) / k.fy
        let (x, y) = distortion.isNone ? (xd, yd) : distortion.undistort(xd, yd)
        r2 = Swift.max(r2, x * x + y * y)
      }
    }
    self.directions = directions
    maxRadiusSquared = r2
    // The table's entry without distortion is (1, -xd, -yd) (`CameraLens.direction`).
    if case .pinhole(let distortion) = lens, distortion.isNone {
      columns = (0..<k.width).map { i in -((Double(i) + 0.5 - k.cx) / k.fx) }
      rows = (0..<k.height).map { j in -((Double(j) + 0.5 - k.cy) / k.fy) }
    } else {
      columns = []
      rows = []
    }
    let side = Self.tileSide
    let columns = (k.width + side - 1) / side
    let rows = (k.height + side - 1) / side
    var slopes = [TileSlopes]()
    slopes.reserveCapacity(columns * rows)
    for ty in 0..<rows {
      for tx in 0..<columns {
        slopes.append(
          TileSlopes(
            directions, width: k.width, height: k.height, x0: tx * side, y0: ty * side,
            x1: Swift.min(tx * side + side, k.width), y1: Swift.min(ty * side + side, k.height)))
      }
    }
    tilesX = columns
    tileSlopes = slopes
  }
}

/// The body-frame directions of pixels [x0, x1) × [y0, y1): the range of their y and z
/// components, and `step`, the largest change of either to the next pixel right or down (the
/// one before at the last column or row), for jittered rays.
struct TileSlopes: Sendable {
  var dy: (lower: Double, upper: Double)
  var dz: (lower: Double, upper: Double)
  var step: Double

  init(_ directions: [Vec3], width: Int, height: Int, x0: Int, y0: Int, x1: Int, y1: Int) {
    dy = (lower: Double.infinity, upper: -Double.infinity)
    dz = dy
    step = 0
    for y in y0..<y1 {
      for x in x0..<x1 {
        let d = directions[y * width + x]
        dy = (Swift.min(dy.lower, d.y), Swift.max(dy.upper, d.y))
        dz = (Swift.min(dz.lower, d.z), Swift.max(dz.upper, d.z))
        let e = directions[y * width + (x + 1 < width ? x + 1 : x - Swift.min(x, 1))]
        let f = directions[(y + 1 < height ? y + 1 : y - Swift.min(y, 1)) * width + x]
        step = Swift.max(step, abs(e.y - d.y), abs(e.z - d.z), abs(f.y - d.y), abs(f.z - d.z))
      }
    }
  }
}

extension CameraLens {
  /// The body-frame ray through normalised distorted coordinates: forward component 1 for
  /// a pinhole (the hit distance along it is the depth), unit length for a fisheye (the hit
  /// distance is the range).
  func direction(_ xd: Double, _ yd: Double, maxAngle: Double) -> Vec3 {
    switch self {
    case .pinhole(let distortion):
      let (x, y) = distortion.isNone ? (xd, yd) : distortion.undistort(xd, yd)
      return Vec3(1, -x, -y)
    case .fisheye(let k):
      return k.unproject(xd, yd, maxAngle: maxAngle)
    }
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
