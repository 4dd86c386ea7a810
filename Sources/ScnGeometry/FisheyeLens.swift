/// The Kannala–Brandt fisheye model (OpenCV's `cv::fisheye`): a ray at angle θ from the
/// optical axis lands at normalised image radius
///
///     r(θ) = θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸)
///
/// in the direction of the ray's own azimuth about the axis. All k zero is the equidistant
/// projection r = θ. Unlike a pinhole, θ may reach and pass 90° (a 190° lens sees a little
/// behind itself). The renderer (ScnSensors) and `verify --labels` (ScnDataset) both use this
/// one definition; docs/scene-model.md ("Cameras") describes the model.
public struct FisheyeDistortion: Hashable, Sendable {
  public var k1: Double, k2: Double, k3: Double, k4: Double

  public init(k1: Double = 0, k2: Double = 0, k3: Double = 0, k4: Double = 0) {
    self.k1 = k1
    self.k2 = k2
    self.k3 = k3
    self.k4 = k4
  }

  /// The equidistant projection.
  public static let equidistant = FisheyeDistortion()

  /// The coefficients in calibration order (k1, k2, k3, k4).
  public var coefficients: [Double] { [k1, k2, k3, k4] }

  /// Normalised image radius of a ray `theta` radians off axis.
  @inline(__always)
  public func radius(_ theta: Double) -> Double {
    let t2 = theta * theta
    return theta * (1 + t2 * (k1 + t2 * (k2 + t2 * (k3 + t2 * k4))))
  }

  /// dr/dθ.
  @inline(__always)
  public func slope(_ theta: Double) -> Double {
    let t2 = theta * theta
    return 1 + t2 * (3 * k1 + t2 * (5 * k2 + t2 * (7 * k3 + t2 * 9 * k4)))
  }

  /// The first angle in (0, `maxAngle`] where r(θ) stops growing, with its radius, or nil when
  /// r is strictly increasing up to `maxAngle`. Past such an angle the lens would fold the
  /// scene back onto the image, so the coefficients cannot describe the lens out to there.
  public func fold(within maxAngle: Double) -> (theta: Double, radius: Double)? {
    guard maxAngle > 0, maxAngle.isFinite else { return nil }
    // r' is a polynomial of degree 4 in θ²: a step of 1/4096 of the range cannot step over a
    // fold that matters at pixel scale.
    let steps = 4096
    let step = maxAngle / Double(steps)
    var previous = 0.0
    for i in 1...steps {
      let theta = Double(i) * step
      if slope(theta) <= 0 {
        var lo = previous
        var hi = theta
        for _ in 0..<60 {
          let mid = (lo + hi) / 2
          if slope(mid) > 0 { lo = mid } else { hi = mid }
        }
        return (lo, radius(lo))
      }
      previous = theta
    }
    return nil
  }

  /// The angle θ in [0, `maxAngle`] with r(θ) = `r`, on the increasing branch through 0;
  /// `maxAngle` when r lies beyond r(maxAngle). Requires no fold up to `maxAngle`.
  public func angle(ofRadius r: Double, maxAngle: Double) -> Double {
    guard r > 0, r.isFinite else { return 0 }
    if r >= radius(maxAngle) { return maxAngle }
    var lo = 0.0
    var hi = maxAngle
    // Newton from the equidistant guess, kept inside the bracket; bisection when it leaves.
    var theta = Swift.min(r, maxAngle)
    for _ in 0..<100 {
      let f = radius(theta) - r
      if f > 0 { hi = theta } else { lo = theta }
      let s = slope(theta)
      var next = s > 0 ? theta - f / s : (lo + hi) / 2
      if !(next > lo && next < hi) { next = (lo + hi) / 2 }
      if abs(next - theta) <= 1e-15 * (1 + theta) {
        theta = next
        break
      }
      theta = next
    }
    return theta
  }
}

/// How a camera maps rays to its image: a pinhole with Brown–Conrady distortion or a
/// Kannala–Brandt fisheye. Both act on normalised optical coordinates (x right, y down).
public enum CameraLens: Hashable, Sendable {
  case pinhole(LensDistortion)
  case fisheye(FisheyeDistortion)

  /// An ideal pinhole.
  public static let pinhole = CameraLens.pinhole(.none)

  /// `pinhole` or `fisheye`, as calibration files and the language name the model.
  public var modelName: String {
    switch self {
    case .pinhole: "pinhole"
    case .fisheye: "fisheye"
    }
  }

  public var isFisheye: Bool {
    if case .fisheye = self { return true }
    return false
  }

  /// Focal length in pixels that gives `width` pixels a horizontal field of view `fov`
  /// (radians) with the principal point at the centre: tan for a pinhole (distortion is
  /// applied on top, as OpenCV's K does), the fisheye radius r(fov/2) for a fisheye.
  public func focalLength(width: Int, horizontalFOV fov: Double) -> Double {
    switch self {
    case .pinhole: Double(width) / 2 / (fov / 2).tangent
    case .fisheye(let k): Double(width) / 2 / k.radius(fov / 2)
    }
  }
}

extension FisheyeDistortion {
  /// Normalised image coordinates (x right, y down) of a camera-body direction (x forward,
  /// y left, z up), with the radius continued linearly past `maxAngle` (so points beyond the
  /// image's corners keep moving outwards and never fold back in). Nil at the origin.
  public func project(body p: Vec3, maxAngle: Double) -> (Double, Double)? {
    let lateral = (p.y * p.y + p.z * p.z).squareRoot()
    guard lateral > 0 || p.x > 0 else { return nil }
    guard lateral > 0 else { return (0, 0) }
    let theta = atan2Double(lateral, p.x)
    let r =
      theta <= maxAngle ? radius(theta) : radius(maxAngle) + slope(maxAngle) * (theta - maxAngle)
    let s = r / lateral
    return (-p.y * s, -p.z * s)
  }

  /// The unit camera-body direction through normalised image coordinates (x right, y down).
  public func unproject(_ x: Double, _ y: Double, maxAngle: Double) -> Vec3 {
    let r = (x * x + y * y).squareRoot()
    guard r > 0 else { return Vec3(1, 0, 0) }
    let theta = angle(ofRadius: r, maxAngle: maxAngle)
    let sine = theta.sine
    return Vec3(theta.cosine, -x / r * sine, -y / r * sine)
  }
}

/// What a fisheye lens must satisfy over its image, shared by the checker (E0630, E0631), the
/// sensor plan and the renderer so all three refuse the same lenses with the same words.
public enum FisheyeLimits {
  /// The angle off axis of the image corner at normalised radius `cornerRadius`, or why the
  /// lens cannot cover it: r(θ) must grow strictly from the centre out to the corners, and
  /// the corners must lie at most 180° off axis.
  public static func check(
    _ k: FisheyeDistortion, cornerRadius: Double
  ) -> (problem: String?, cornerAngle: Double) {
    guard cornerRadius.isFinite, cornerRadius > 0 else { return ("the image has no extent", .pi) }
    let limit = k.fold(within: .pi)
    let reach = limit?.theta ?? .pi
    let reachRadius = k.radius(reach)
    if reachRadius >= cornerRadius {
      return (nil, k.angle(ofRadius: cornerRadius, maxAngle: reach))
    }
    if let fold = limit {
      let degrees = Int((fold.theta * 180 / .pi).rounded())
      return (
        "this fisheye distortion folds back \(degrees)° off axis, inside the image (the radius θ (1 + k1 θ² + k2 θ⁴ "
          + "+ k3 θ⁶ + k4 θ⁸) stops growing at \(percent(fold.radius / cornerRadius)) of the corner radius): it "
          + "must grow monotonically out to the corners",
        .pi
      )
    }
    return (
      "the image corners would lie more than 180° off axis (the lens reaches \(percent(reachRadius / cornerRadius)) "
        + "of the corner radius at 180°): lower the fov or use a wider aspect ratio",
      .pi
    )
  }

  /// The check for a camera of `width` × `height` square pixels whose horizontal field of
  /// view is `fov` (radians), as the sensor plan builds it: nil when it can be rendered.
  public static func problem(_ k: FisheyeDistortion, width: Double, height: Double, fov: Double) -> String? {
    guard fov > 0, fov <= 2 * .pi else { return "a fisheye's fov must be more than 0° and at most 360°" }
    if let fold = k.fold(within: fov / 2) {
      let degrees = Int((fold.theta * 180 / .pi).rounded())
      return "this fisheye distortion folds back \(degrees)° off axis, inside the horizontal field of view "
        + "(\(Int((fov * 90 / .pi).rounded()))° each side): the radius θ (1 + k1 θ² + k2 θ⁴ + k3 θ⁶ + k4 θ⁸) "
        + "must grow monotonically out to the corners"
    }
    let f = width / 2 / k.radius(fov / 2)
    guard f.isFinite, f > 0 else { return "the fisheye's focal length is not positive" }
    let corner = ((width / 2) * (width / 2) + (height / 2) * (height / 2)).squareRoot() / f
    return check(k, cornerRadius: corner).problem
  }

  private static func percent(_ x: Double) -> String { "\(Int((x * 100).rounded())) %" }
}
