/// Standard normal variates for the camera's sensor noise (docs/scene-model.md, "Exposure,
/// tone curve and noise"): three per pixel, so they must cost a few cycles each.
///
/// Variate n of a stream is |Z|·s with the sign s and the two-sided tail probability
/// q = P(|Z| > |Z|) taken from one SplitMix64 output, mix(stream + n·γ): the top bit is the
/// sign and the next 52 bits the integer U, q = (U + ½)/2^52, so q is uniform on (0, 1) and
/// |Z| = −Φ⁻¹(q/2) exactly follows the half-normal law. Φ⁻¹ comes from a table instead of a
/// rational function: q is split at its binary exponent (the leading one of U, found with
/// one bit scan) into binades [2^−(k+1), 2^−k), each cut into 64 equal intervals with |Z|
/// interpolated linearly between their ends, which are `NormalQuantile` values. In every
/// binade the curve is smooth at that scale, so the interpolation error is below 2·10⁻⁵ in z
/// (`NoiseTests`), against a noise of about one 8-bit level; no branch depends on the draw
/// except for q < 2^−45 (U < 128, once in 3·10¹³ draws), which calls `NormalQuantile`.
enum NoiseVariates {
  /// Intervals per binade (a power of two).
  static let intervalBits = 6
  static let intervals = 1 << intervalBits
  /// Binades the table holds: U ≥ 2^(52 − binades), i.e. U ≥ 128.
  static let binades = 45

  /// |Z| at the interval ends: binade k, end j (0…64) at index k·65 + j, for
  /// q = 2^−(k+1)·(1 + j/64).
  static let table: [Double] = {
    var values = [Double](repeating: 0, count: binades * (intervals + 1))
    for k in 0..<binades {
      for j in 0...intervals {
        let q = Double(sign: .plus, exponent: -(k + 1), significand: 1) * (1 + Double(j) / Double(intervals))
        values[k * (intervals + 1) + j] = -NormalQuantile.value(q / 2)
      }
    }
    return values
  }()

  /// `table` in memory that is never freed, for the pixel loop (no array access checks).
  nonisolated(unsafe) static let tableBase: UnsafePointer<Double> = {
    let values = table
    let storage = UnsafeMutablePointer<Double>.allocate(capacity: values.count)
    storage.initialize(from: values, count: values.count)
    return UnsafePointer(storage)
  }()

  /// The stream of a frame's noise seed (variates are `variate(stream, n)`).
  @inline(__always)
  static func stream(seed: UInt64) -> UInt64 { Hash.mix(seed ^ 0x5EED_0F5E_4502_0153) }

  /// Variate n of `stream` (`tableBase` is `NoiseVariates.tableBase`, read once per frame).
  @inline(__always)
  static func variate(_ stream: UInt64, _ n: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    let h = Hash.mix(stream &+ n &* 0x9E37_79B9_7F4A_7C15)
    let magnitude = magnitude((h >> 11) & ((1 << 52) - 1), tableBase)
    return Double(bitPattern: magnitude.bitPattern | (h & (1 << 63)))
  }

  /// |Z| = −Φ⁻¹(q/2) for q = (u + ½)/2^52, u < 2^52.
  @inline(__always)
  static func magnitude(_ u: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    guard u >= 128 else { return deepTail(u) }
    // u has its leading one at bit `top` (7…51): binade k = 51 − top.
    let top = 63 - u.leadingZeroBitCount
    let k = 51 - top
    // The bits below the leading one, left-aligned: the interval is the top 6, the rest
    // (plus half a unit of u, as q is the cell's midpoint) the position inside it.
    let below = u &<< UInt64(64 - top)
    let j = Int(truncatingIfNeeded: below &>> UInt64(64 - intervalBits))
    let rest = (below &<< UInt64(intervalBits)) &>> 11  // 53 bits
    // One unit of u in the interval, 2^−(top − 6), built from its exponent bits.
    let unit = Double(bitPattern: UInt64(1023 - (top - intervalBits)) << 52)
    let w = Double(rest) * 0x1.0p-53 + 0.5 * unit
    let at = tableBase + (k * (intervals + 1) + j)
    return at[0] + (at[1] - at[0]) * w
  }

  /// |Z| for U < 128, where the table stops.
  static func deepTail(_ u: UInt64) -> Double {
    let q = (Double(u) + 0.5) * 0x1.0p-52
    return -NormalQuantile.value(q / 2)
  }
}
