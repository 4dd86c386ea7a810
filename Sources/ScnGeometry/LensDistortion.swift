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

  /// Distorted → undistorted by fixed-point iteration (OpenCV's `undistortPoints` scheme).
  public func undistort(_ xd: Double, _ yd: Double, iterations: Int = 20) -> (Double, Double) {
    var x = xd
    var y = yd
    for _ in 0..<iterations {
      let r2 = x * x + y * y
      let radial = 1 + r2 * (k1 + r2 * (k2 + r2 * k3))
      guard radial > 1e-6 else { break }
      let dx = 2 * p1 * x * y + p2 * (r2 + 2 * x * x)
      let dy = p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
      x = (xd - dx) / radial
      y = (yd - dy) / radial
    }
    return (x, y)
  }
}
