import Foundation

/// A point on the plan (x-y plane) with the heading of the curve there (radians, from +x).
public struct PlanPose: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public var heading: Double

  public init(x: Double, y: Double, heading: Double) {
    self.x = x
    self.y = y
    self.heading = heading
  }
}

/// One piece of a road's reference line: it starts at `s` (arc length along the road) at
/// (`x`, `y`) with heading `hdg` and runs `length` metres.
public struct PlanGeometry: Sendable {
  public enum Shape: Sendable {
    case line
    /// Constant curvature (1/m, positive turns left).
    case arc(curvature: Double)
    /// A clothoid whose curvature changes linearly from `curvStart` to `curvEnd`.
    case spiral(curvStart: Double, curvEnd: Double)
    /// v = a + b·u + c·u² + d·u³ in the piece's local frame (u along `hdg`); deprecated in 1.6.
    case poly3(a: Double, b: Double, c: Double, d: Double)
    /// u(p), v(p) cubics in the local frame; p runs over [0, length] (`arcLength`) or [0, 1]
    /// (`normalized`).
    case paramPoly3(u: [Double], v: [Double], normalized: Bool)
  }

  public var s: Double
  public var x: Double
  public var y: Double
  public var hdg: Double
  public var length: Double
  public var shape: Shape
  /// For poly3: u at arc length k·length/(n−1), tabulated once so `pose(at:)` inverts the arc
  /// length without integrating (empty for other shapes).
  var arcTable: [Double] = []

  public init(s: Double, x: Double, y: Double, hdg: Double, length: Double, shape: Shape) {
    self.s = s
    self.x = x
    self.y = y
    self.hdg = hdg
    self.length = length
    self.shape = shape
    if case .poly3(_, let b, let c, let d) = shape { arcTable = PlanGeometry.poly3Table(b: b, c: c, d: d, length: length) }
  }

  /// The largest absolute curvature along the piece (1/m), as far as it is cheap to know
  /// (exact for line, arc and spiral; sampled for the polynomials).
  public var maxCurvature: Double {
    switch shape {
    case .line: return 0
    case .arc(let k): return abs(k)
    case .spiral(let k0, let k1): return max(abs(k0), abs(k1))
    case .poly3, .paramPoly3:
      var worst = 0.0
      let n = 16
      var previous = pose(at: 0).heading
      for i in 1...n {
        let ds = length * Double(i) / Double(n)
        let h = pose(at: ds).heading
        worst = max(worst, abs(angleDifference(h, previous)) / (length / Double(n)))
        previous = h
      }
      return worst
    }
  }

  /// The pose `ds` metres along this piece (clamped to [0, length]).
  public func pose(at ds: Double) -> PlanPose {
    let ds = min(max(ds, 0), length)
    let cosH = cos(hdg)
    let sinH = sin(hdg)
    switch shape {
    case .line:
      return PlanPose(x: x + ds * cosH, y: y + ds * sinH, heading: hdg)
    case .arc(let k):
      if abs(k * ds) < 1e-9 { return PlanPose(x: x + ds * cosH, y: y + ds * sinH, heading: hdg + k * ds) }
      let h = hdg + k * ds
      return PlanPose(x: x + (sin(h) - sinH) / k, y: y - (cos(h) - cosH) / k, heading: h)
    case .spiral(let k0, let k1):
      let (dx, dy) = PlanGeometry.clothoidOffset(k0: k0, dk: length > 0 ? (k1 - k0) / length : 0, ds: ds)
      let heading = hdg + k0 * ds + 0.5 * (length > 0 ? (k1 - k0) / length : 0) * ds * ds
      return PlanPose(x: x + dx * cosH - dy * sinH, y: y + dx * sinH + dy * cosH, heading: heading)
    case .poly3(let a, let b, let c, let d):
      let u = poly3U(at: ds)
      let v = a + u * (b + u * (c + u * d))
      let dv = b + u * (2 * c + 3 * d * u)
      return PlanPose(x: x + u * cosH - v * sinH, y: y + u * sinH + v * cosH, heading: hdg + atan(dv))
    case .paramPoly3(let uc, let vc, let normalized):
      let p = normalized ? (length > 0 ? ds / length : 0) : ds
      let u = cubic(uc, p)
      let v = cubic(vc, p)
      var du = cubicSlope(uc, p)
      var dv = cubicSlope(vc, p)
      if du == 0 && dv == 0 {  // a cusp at p: look a hair further along
        du = cubic(uc, p + 1e-9) - u
        dv = cubic(vc, p + 1e-9) - v
      }
      return PlanPose(x: x + u * cosH - v * sinH, y: y + u * sinH + v * cosH, heading: hdg + atan2(dv, du))
    }
  }

  /// Offset (in the piece's frame) of a clothoid with start curvature `k0` and curvature rate
  /// `dk` after `ds` metres. Closed form through the Fresnel integrals: with u = s + k0/dk the
  /// heading is φ + dk·u²/2, so the offset is √(π/|dk|)·e^{iφ}·[ΔC + i·sign(dk)·ΔS]. When the
  /// Fresnel arguments would be so large that cos(πv²/2) loses its digits (a clothoid that is
  /// almost an arc), 8-point Gauss–Legendre quadrature on 16 panels takes over.
  static func clothoidOffset(k0: Double, dk: Double, ds: Double) -> (Double, Double) {
    if ds == 0 { return (0, 0) }
    if dk != 0 {
      let scale = (abs(dk) / Double.pi).squareRoot()
      let u0 = k0 / dk
      let v0 = u0 * scale
      let v1 = (u0 + ds) * scale
      if max(abs(v0), abs(v1)) < 2000 {
        let phi = -k0 * k0 / (2 * dk)
        let (c0, s0) = Fresnel.integrals(v0)
        let (c1, s1) = Fresnel.integrals(v1)
        let sign: Double = dk > 0 ? 1 : -1
        let re = c1 - c0
        let im = sign * (s1 - s0)
        let r = 1 / scale
        return (r * (re * cos(phi) - im * sin(phi)), r * (re * sin(phi) + im * cos(phi)))
      }
    } else if k0 == 0 {
      return (ds, 0)
    } else {
      return (sin(k0 * ds) / k0, (1 - cos(k0 * ds)) / k0)
    }
    return gaussLegendre(panels: 16, over: ds) { t in
      let h = k0 * t + 0.5 * dk * t * t
      return (cos(h), sin(h))
    }
  }

  private func poly3U(at ds: Double) -> Double {
    let n = arcTable.count
    guard n >= 2, length > 0 else { return ds }
    let f = ds / length * Double(n - 1)
    let i = min(Int(f), n - 2)
    let t = f - Double(i)
    return arcTable[i] + (arcTable[i + 1] - arcTable[i]) * t
  }

  /// u at equally spaced arc lengths along v = a + b·u + c·u² + d·u³ (0 ≤ u ≤ length, since
  /// arc length is at least u): arc length on a fine u grid by Simpson's rule, then inverted.
  private static func poly3Table(b: Double, c: Double, d: Double, length: Double) -> [Double] {
    guard length > 0, length.isFinite else { return [] }
    let steps = 1024
    let h = length / Double(steps)
    func speed(_ u: Double) -> Double {
      let dv = b + u * (2 * c + 3 * d * u)
      return (1 + dv * dv).squareRoot()
    }
    var arc = [Double](repeating: 0, count: steps + 1)
    for i in 0..<steps {
      let u0 = Double(i) * h
      arc[i + 1] = arc[i] + h / 6 * (speed(u0) + 4 * speed(u0 + h / 2) + speed(u0 + h))
    }
    let samples = 257
    var table = [Double](repeating: 0, count: samples)
    var j = 0
    for k in 0..<samples {
      let target = length * Double(k) / Double(samples - 1)
      while j < steps - 1 && arc[j + 1] < target { j += 1 }
      let span = arc[j + 1] - arc[j]
      let t = span > 0 ? min(max((target - arc[j]) / span, 0), 1) : 0
      table[k] = (Double(j) + t) * h
    }
    return table
  }
}

/// ∫₀^L f(t) dt for a vector-valued f by 8-point Gauss–Legendre on equal panels.
func gaussLegendre(panels: Int, over length: Double, _ f: (Double) -> (Double, Double)) -> (Double, Double) {
  let nodes: [Double] = [
    0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363,
  ]
  let weights: [Double] = [
    0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763,
  ]
  var sx = 0.0
  var sy = 0.0
  let h = length / Double(panels)
  for p in 0..<panels {
    let mid = (Double(p) + 0.5) * h
    for (node, weight) in zip(nodes, weights) {
      for sign in [-1.0, 1.0] {
        let (fx, fy) = f(mid + sign * node * h / 2)
        sx += weight * fx
        sy += weight * fy
      }
    }
  }
  return (sx * h / 2, sy * h / 2)
}

@inline(__always) func cubic(_ k: [Double], _ p: Double) -> Double {
  guard k.count == 4 else { return 0 }
  return k[0] + p * (k[1] + p * (k[2] + p * k[3]))
}

@inline(__always) func cubicSlope(_ k: [Double], _ p: Double) -> Double {
  guard k.count == 4 else { return 0 }
  return k[1] + p * (2 * k[2] + 3 * p * k[3])
}

/// a − b wrapped into (−π, π].
func angleDifference(_ a: Double, _ b: Double) -> Double {
  var d = (a - b).truncatingRemainder(dividingBy: 2 * Double.pi)
  if d > Double.pi { d -= 2 * Double.pi }
  if d <= -Double.pi { d += 2 * Double.pi }
  return d
}
