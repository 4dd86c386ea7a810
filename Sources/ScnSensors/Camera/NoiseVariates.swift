#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard normal variates for the camera's sensor noise (docs/scene-model.md, "Exposure,
/// tone curve and noise"): three per pixel, so they must cost a few instructions each.
///
/// Variate n of a frame's stream is a pure function of n (3i + c for pixel i's channel c)
/// and the stream: `hash` gives 32 bits, whose top 12 pick one of 4096 cells of equal
/// probability of |Z| and whose bit 19 is the sign. Cell j holds the |Z| whose two-sided
/// tail probability q = P(|Z'| > |Z|) lies in [j/4096, (j + 1)/4096); its value (`table`) is
/// the mean of |Z| over the cell, so the draws are a quantised standard normal with 8192
/// levels: mean 0, E|z| exact, variance 1 − 1.5·10⁻⁵ (the spread within the cells), and the
/// tails cut at the mean of the outermost cell: |z| ≤ 3.91, the mean of |Z| beyond 3.67
/// (where the two tails hold 1/4096). After the 8-bit sRGB byte the quantisation cannot be
/// seen.
enum NoiseVariates {
  /// Cells of |Z| (the top bits of the hash).
  static let cellBits = 12
  static let cells = 1 << cellBits

  /// The mean of |Z| over each cell, in increasing q (decreasing |Z|): with a_j =
  /// −Φ⁻¹(j/8192) the cell's ends (a_0 = ∞, a_4096 = 0) and the half-normal density 2φ,
  /// ∫ z·2φ(z) dz over (a_{j+1}, a_j) = 2(φ(a_{j+1}) − φ(a_j)), divided by the cell's
  /// probability 1/4096.
  static let table: [Float] = {
    let edges = (0...cells).map { j in -NormalQuantile.value(Double(j) / Double(2 * cells)) }
    func density(_ z: Double) -> Double { z.isFinite ? exp(-z * z / 2) / (2 * Double.pi).squareRoot() : 0 }
    return (0..<cells).map { j in Float(2 * (density(edges[j + 1]) - density(edges[j])) * Double(cells)) }
  }()

  /// `table` in memory that is never freed, for the pixel loop (no array access checks).
  nonisolated(unsafe) static let tableBase: UnsafePointer<Float> = {
    let storage = UnsafeMutablePointer<Float>.allocate(capacity: cells)
    for (j, value) in table.enumerated() { (storage + j).initialize(to: value) }
    return UnsafePointer(storage)
  }()

  /// The stream of a frame's noise seed (variates are `variate(stream, n)`).
  @inline(__always)
  static func stream(seed: UInt64) -> UInt64 { Hash.mix(seed ^ 0x5EED_0F5E_4502_0153) }

  /// Variate n's 32 bits: a multiply–xorshift hash in three rounds (the "triple32" hash's
  /// shifts and multipliers), the stream's low half added to n before the first and its high
  /// half mixed in after it, so that each frame draws from a different function of n (not
  /// the same sequence shifted). Two rounds were not enough: the pairs of draws 3 and 1920
  /// apart (neighbouring pixels and rows) failed a χ² test of independence. Only the top 13
  /// bits of the last product are read, so the closing xorshift (which changes only the low
  /// 18) is left out.
  @inline(__always)
  static func hash(_ stream: UInt64, _ n: UInt32) -> UInt32 {
    var x = n &+ UInt32(truncatingIfNeeded: stream)
    x = (x ^ (x >> 17)) &* 0xED5A_D4BB
    x ^= UInt32(truncatingIfNeeded: stream >> 32)
    x = (x ^ (x >> 11)) &* 0xAC4C_1B51
    return (x ^ (x >> 15)) &* 0x3184_8BAB
  }

  /// Variate n of `stream` (`tableBase` is `NoiseVariates.tableBase`): the magnitude of cell
  /// h >> 20, the sign from bit 19 of h.
  @inline(__always)
  static func variate(_ stream: UInt64, _ n: UInt32, _ tableBase: UnsafePointer<Float>) -> Float {
    let h = hash(stream, n)
    return Float(bitPattern: tableBase[Int(h >> 20)].bitPattern | ((h << 12) & 0x8000_0000))
  }
}
