/// Standard normal variates for the camera's sensor noise (docs/scene-model.md, "Exposure,
/// tone curve and noise"): three per pixel, so they must cost a few cycles each.
///
/// Variate n of a stream is |Z|·s with the sign s and the two-sided tail probability
/// q = P(|Z| > |Z|) taken from one SplitMix64 output, mix(stream + n·γ): the top bit is the
/// sign and the next 52 bits the integer U, q = (U + ½)/2^52 = (2U + 1)/2^53, so q is uniform
/// on (0, 1) and |Z| = −Φ⁻¹(q/2) exactly follows the half-normal law. Φ⁻¹ comes from a table
/// instead of a rational function: q is split at its binary exponent into binades
/// [2^−(k+1), 2^−k), each cut into 64 equal intervals with |Z| interpolated linearly between
/// their ends, which are `NormalQuantile` values. In every binade the curve is smooth at that
/// scale, so the interpolation error is below 2·10⁻⁵ in z (`NoiseVariatesTests`), against a
/// noise of about one 8-bit level; no branch depends on the draw except for q < 2^−45
/// (U < 128, once in 3·10¹³ draws), which calls `NormalQuantile`.
///
/// The interval and the position in it come from the bits of 2U + 1 converted to a double
/// (exact, as it is below 2^53): its exponent and the top 6 bits of its fraction are the
/// binade and the interval, one index into a table ordered by q, and the fraction's other 46
/// bits the position, (2U + 1 − the interval's start) / its width, exactly.
enum NoiseVariates {
  /// Intervals per binade (a power of two).
  static let intervalBits = 6
  static let intervals = 1 << intervalBits
  /// Binades the table holds: U ≥ 2^(52 − binades), i.e. U ≥ 128 (2U + 1 ≥ 2^8).
  static let binades = 45
  /// The binary exponent of 2U + 1 in the first binade the table holds.
  static let lowestExponent = 53 - binades

  /// |Z| at the interval starts in increasing q, then |Z| at q = 1 (0): index i is interval
  /// j = i mod 64 of binade k = 44 − i / 64, q = 2^−(k+1)·(1 + j/64), so entry i + 1 is the
  /// end of interval i.
  static let table: [Double] = {
    (0...(binades * intervals)).map { i in
      let k = binades - 1 - i / intervals
      let j = i % intervals
      let q = Double(sign: .plus, exponent: -(k + 1), significand: 1) * (1 + Double(j) / Double(intervals))
      return -NormalQuantile.value(q / 2)
    }
  }()

  /// `table` in memory that is never freed, for the pixel loop (no array access checks), as
  /// pairs: entry 2i is |Z| at the start of interval i, entry 2i + 1 its change over the
  /// interval (entry i + 1 − entry i of `table`, the same difference the interpolation took
  /// when it read both ends), so an interval is one 16-byte read.
  nonisolated(unsafe) static let tableBase: UnsafePointer<Double> = {
    let values = table
    let intervalsHeld = values.count - 1
    let storage = UnsafeMutablePointer<Double>.allocate(capacity: 2 * intervalsHeld)
    for i in 0..<intervalsHeld {
      (storage + 2 * i).initialize(to: values[i])
      (storage + 2 * i + 1).initialize(to: values[i + 1] - values[i])
    }
    return UnsafePointer(storage)
  }()

  /// The step between the hash inputs of consecutive variates.
  static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

  /// The stream of a frame's noise seed (variates are `variate(stream, n)`).
  @inline(__always)
  static func stream(seed: UInt64) -> UInt64 { Hash.mix(seed ^ 0x5EED_0F5E_4502_0153) }

  /// Variate n of `stream` (`tableBase` is `NoiseVariates.tableBase`, read once per frame).
  @inline(__always)
  static func variate(_ stream: UInt64, _ n: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    signed(Hash.mix(stream &+ n &* gamma), tableBase)
  }

  /// Variates `first`, `first` + 1, … of `stream` into `count` doubles at `values` (the same
  /// values as `variate`): the iterations share nothing but the hash input, which steps by
  /// `gamma`, so the hashes and table reads of neighbouring variates overlap.
  @inline(__always)
  static func fill(
    _ values: UnsafeMutablePointer<Double>, count: Int, stream: UInt64, first: UInt64,
    _ tableBase: UnsafePointer<Double>
  ) {
    var key = stream &+ first &* gamma
    for k in 0..<count {
      values[k] = signed(Hash.mix(key), tableBase)
      key &+= gamma
    }
  }

  /// The variate of hash `h`: |Z| from bits 11…62, the sign from bit 63.
  @inline(__always)
  static func signed(_ h: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    // 2U + 1: bits 10…62 of h, the lowest set (U is bits 11…62).
    let magnitude = magnitude(odd: ((h >> 10) & ((1 << 53) - 1)) | 1, tableBase)
    return Double(bitPattern: magnitude.bitPattern | (h & (1 << 63)))
  }

  /// |Z| = −Φ⁻¹(q/2) for q = (u + ½)/2^52, u < 2^52.
  @inline(__always)
  static func magnitude(_ u: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    magnitude(odd: 2 &* u &+ 1, tableBase)
  }

  /// |Z| = −Φ⁻¹(q/2) for q = d/2^53, d = 2u + 1 < 2^53.
  @inline(__always)
  static func magnitude(odd d: UInt64, _ tableBase: UnsafePointer<Double>) -> Double {
    guard d >= 1 << lowestExponent else { return deepTail(d >> 1) }
    // Exact: d < 2^53. Its exponent (8…52) and top 6 fraction bits index the interval.
    let bits = Double(Int64(bitPattern: d)).bitPattern
    let i = Int(truncatingIfNeeded: bits >> UInt64(52 - intervalBits)) - ((1023 + lowestExponent) << intervalBits)
    // The other 46 fraction bits, moved to the top of a fraction, as a share of the
    // interval: 1.f − 1, exact.
    let w = Double(bitPattern: ((bits &<< UInt64(intervalBits)) & ((1 << 52) - 1)) | 0x3FF0_0000_0000_0000) - 1
    let at = tableBase + 2 &* i
    return at[0] + at[1] * w
  }

  /// |Z| for U < 128, where the table stops.
  static func deepTail(_ u: UInt64) -> Double {
    let q = (Double(u) + 0.5) * 0x1.0p-52
    return -NormalQuantile.value(q / 2)
  }
}
