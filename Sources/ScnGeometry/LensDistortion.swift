/// Brown–Conrady lens distortion with OpenCV's coefficient order (k1, k2, p1, p2, k3),
/// acting on normalised optical coordinates. The renderer (ScnSensors) and `verify --labels`
/// (ScnDataset) both use this one definition, so a dataset is checked with the formulas it
/// was rendered with.
public struct LensDistortion: Hashable, Sendable {
  public var k1: Double, k2: Double, p1: Double, p2: Double, k3: Double

  public init(k1: Double = 0, k2: Double = 0, p1: Double = 0, p2: Double = 0, k3: Double = 0) {
    self.k1 = k1
    self.k2 = k2
    self.p1 = p1
    self.p2 = p2
    self.k3 = k3
  }

  public static let none = LensDistortion()
  public var isNone: Bool { self == .none }

  /// Undistorted → distorted normalised coordinates.
  public func distort(_ x: Double, _ y: Double) -> (Double, Double) {
    let r2 = x * x + y * y
    let radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3))
    return (
      x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x), y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
    )
  }

  /// Where the radial part of the distortion stops growing, if that happens before the
  /// distorted radius reaches `distortedRadius` (normalised units, e.g. the image corner's
  /// distance from the principal point divided by the focal length).
  ///
  /// The distorted radius is r_d(r) = r (1 + k1 r² + k2 r⁴ + k3 r⁶); while dr_d/dr > 0 every
  /// image radius has one undistorted radius. Past the first r where the derivative
  /// 1 + 3 k1 r² + 5 k2 r⁴ + 7 k3 r⁶ reaches 0 the lens would fold the scene back onto the
  /// image (a person drawn twice, the horizon bending back), so such coefficients cannot
  /// describe the lens over that image. Returns the undistorted and distorted radii of the
  /// fold, or nil when the map is monotonic up to `distortedRadius`.
  public func radialFold(within distortedRadius: Double) -> (undistorted: Double, distorted: Double)? {
    guard distortedRadius > 0, distortedRadius.isFinite else { return nil }
    func slope(_ r: Double) -> Double {
      let r2 = r * r
      return 1 + r2 * (3 * k1 + r2 * (5 * k2 + r2 * 7 * k3))
    }
    func radius(_ r: Double) -> Double {
      let r2 = r * r
      return r * (1 + r2 * (k1 + r2 * (k2 + r2 * k3)))
    }
    // Walk outwards in small steps until the image is covered; the slope is a polynomial in
    // r², so a step of 1/4096 of the radius reached cannot step over a fold of any width
    // that matters at pixel scale.
    let step = Swift.max(1e-4, distortedRadius / 4096)
    var r = 0.0
    var steps = 0
    while steps < 400_000 {
      let next = r + step
      if slope(next) <= 0 {
        // Bisect for the fold.
        var lo = r
        var hi = next
        for _ in 0..<60 {
          let mid = (lo + hi) / 2
          if slope(mid) > 0 { lo = mid } else { hi = mid }
        }
        return (lo, radius(lo))
      }
      if radius(next) >= distortedRadius { return nil }
      r = next
      steps += 1
    }
    return nil
  }

  /// Distorted → undistorted normalised coordinates.
  ///
  /// OpenCV's fixed-point scheme (x ← (x_d − tangential) / radial) diverges where the
  /// distortion is strong (a 120° lens with k1 = −0.25 maps image corners hundreds of pixels
  /// away), so the inverse is solved properly: the radial part alone first, by bisection on
  /// the monotonic r_d(r) (see `radialFold`), then Newton steps on the full model with its
  /// Jacobian, which converge quadratically from there. Where the radial map has already
  /// turned back before reaching the point's radius there is no inverse; the last monotonic
  /// radius is used (cameras refuse such coefficients, so rays never need it).
  public func undistort(_ xd: Double, _ yd: Double) -> (Double, Double) {
    guard xd.isFinite, yd.isFinite else { return (xd, yd) }
    let rd = (xd * xd + yd * yd).squareRoot()
    var x = xd
    var y = yd
    if rd > 0 {
      let r = radialInverse(rd)
      x = xd * r / rd
      y = yd * r / rd
    }
    guard p1 != 0 || p2 != 0 || rd > 0 else { return (x, y) }
    for _ in 0..<12 {
      let r2 = x * x + y * y
      let radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3))
      // d(radial)/d(r²)
      let dRadial = k1 + r2 * (2 * k2 + r2 * 3 * k3)
      let fx = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x) - xd
      let fy = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y - yd
      let a = radial + 2 * x * x * dRadial + 2 * p1 * y + 6 * p2 * x
      let b = 2 * x * y * dRadial + 2 * p1 * x + 2 * p2 * y
      let c = 2 * x * y * dRadial + 2 * p1 * x + 2 * p2 * y
      let d = radial + 2 * y * y * dRadial + 6 * p1 * y + 2 * p2 * x
      let det = a * d - b * c
      guard abs(det) > 1e-12, det.isFinite else { break }
      let sx = (d * fx - b * fy) / det
      let sy = (a * fy - c * fx) / det
      x -= sx
      y -= sy
      if abs(sx) + abs(sy) < 1e-15 * (1 + abs(x) + abs(y)) { break }
    }
    return (x, y)
  }

  /// The undistorted radius r with r (1 + k1 r² + k2 r⁴ + k3 r⁶) = rd, on the monotonic
  /// branch through 0.
  func radialInverse(_ rd: Double) -> Double {
    func radius(_ r: Double) -> Double {
      let r2 = r * r
      return r * (1 + r2 * (k1 + r2 * (k2 + r2 * k3)))
    }
    func slope(_ r: Double) -> Double {
      let r2 = r * r
      return 1 + r2 * (3 * k1 + r2 * (5 * k2 + r2 * 7 * k3))
    }
    // Bracket: grow the upper end until the radius is reached, never past a fold.
    var lo = 0.0
    var hi = Swift.max(rd, 1e-12)
    var grown = 0
    while radius(hi) < rd, slope(hi) > 0, grown < 200 {
      lo = hi
      hi *= 2
      grown += 1
    }
    if slope(hi) <= 0 {
      // The map turns back before `rd`: find the fold and stop there.
      var a = lo
      var b = hi
      for _ in 0..<100 {
        let m = (a + b) / 2
        if slope(m) > 0 { a = m } else { b = m }
      }
      if radius(a) <= rd { return a }
      hi = a
    }
    for _ in 0..<200 {
      let m = (lo + hi) / 2
      if radius(m) < rd { lo = m } else { hi = m }
      if hi - lo <= 1e-16 * hi { break }
    }
    return (lo + hi) / 2
  }
}
