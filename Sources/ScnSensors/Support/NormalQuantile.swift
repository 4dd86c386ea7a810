#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The standard normal quantile function Φ⁻¹, for LiDAR range noise (`Hash.gaussian`) and
/// the nodes of the camera's noise table (`NoiseVariates`, which the pixel loop reads
/// instead: three variates per pixel made even this a tenth of a frame).
///
/// Box–Muller costs a `log` and a `cos` per variate. Acklam's rational approximation needs
/// only a division for the central 95 % of the probability and a `log` in the tails, with a
/// relative error below 1.2e-9 (far below the 8-bit rounding the camera applies and the
/// millimetres a LiDAR range is written in).
enum NormalQuantile {
  /// Φ⁻¹(p) for p in (0, 1); −∞ and +∞ at 0 and 1.
  @inline(__always)
  static func value(_ p: Double) -> Double {
    let low = 0.02425
    if p > low && p < 1 - low {
      let q = p - 0.5
      let r = q * q
      let numerator =
        (((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.3577518672690) * r
          - 30.66479806614716) * r + 2.506628277459239) * q
      let denominator =
        ((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r
          - 13.28068155288572) * r + 1
      return numerator / denominator
    }
    guard p > 0 else { return -.infinity }
    guard p < 1 else { return .infinity }
    let q = (-2 * log(p < 0.5 ? p : 1 - p)).squareRoot()
    let numerator =
      ((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q
        + 4.374664141464968) * q + 2.938163982698783
    let denominator =
      (((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1
    return p < 0.5 ? numerator / denominator : -numerator / denominator
  }
}
