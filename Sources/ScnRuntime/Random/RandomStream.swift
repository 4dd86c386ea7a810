/// A deterministic stream of random 64-bit words: draw `j` is a pure function of the stream's
/// coordinates and `j`, computed with Philox4x32-10. Nothing about a stream depends on other
/// streams, on threads, or on the order in which streams are used.
///
/// Reproducibility contract (changing any of this changes every dataset; see README.md):
/// ```
/// K        = seed ^ (UInt64(index >> 32) &* 0x9E3779B97F4A7C15)   // == seed while index < 2^32
/// key      = (UInt32(K & 0xFFFFFFFF), UInt32(K >> 32))
/// counter  = (tag | b, word1, word2, UInt32(index & 0xFFFFFFFF))    // b = j >> 1, 31 bits
///   site stream   (sample, attempt, site):    tag = 0,          word1 = site,   word2 = attempt
///   domain stream (index, domain, subkey):    tag = 0x80000000, word1 = domain, word2 = subkey
/// (x0, x1, x2, x3) = Philox4x32_10(counter, key)
/// draw j   = j even ? UInt64(x1) << 32 | x0 : UInt64(x3) << 32 | x2
/// ```
/// `index` is the sample index for site streams. A stream holds 2^32 draws; the position wraps
/// after that (far beyond any realistic use of one draw site within one attempt).
public struct RandomStream: Sendable {
  @usableFromInline let key: Philox4x32.Key
  @usableFromInline let tag: UInt32
  @usableFromInline let word1: UInt32
  @usableFromInline let word2: UInt32
  @usableFromInline let word3: UInt32
  /// Index of the next draw; it alone changes as the stream is consumed.
  public var position: UInt32 { drawIndex }
  @usableFromInline var drawIndex: UInt32 = 0
  // Each Philox block yields two draws; the second is kept for the next call.
  @usableFromInline var pending: UInt64 = 0
  @usableFromInline var hasPending = false

  /// The stream of one draw site in one attempt of one sample.
  public init(seed: UInt64, sample: UInt64, attempt: UInt32, site: UInt32) {
    self.init(seed: seed, index: sample, tag: 0, word1: site, word2: attempt)
  }

  /// A stream for a runtime decision that belongs to no draw site (split assignment, cover
  /// bucket, soft-requirement coins). Domain streams never coincide with site streams.
  public init(seed: UInt64, domain: RandomDomain, index: UInt64, subkey: UInt32 = 0) {
    self.init(seed: seed, index: index, tag: 0x8000_0000, word1: domain.rawValue, word2: subkey)
  }

  init(seed: UInt64, index: UInt64, tag: UInt32, word1: UInt32, word2: UInt32) {
    let mixed = seed ^ (UInt64(index >> 32) &* 0x9E37_79B9_7F4A_7C15)
    key = (UInt32(truncatingIfNeeded: mixed), UInt32(truncatingIfNeeded: mixed >> 32))
    self.tag = tag
    self.word1 = word1
    self.word2 = word2
    word3 = UInt32(truncatingIfNeeded: index)
  }

  @inlinable
  func block(_ number: UInt32) -> Philox4x32.Block {
    Philox4x32.block(counter: (tag | (number & 0x7FFF_FFFF), word1, word2, word3), key: key)
  }

  /// Draw number `position` of this stream, without consuming anything.
  @inlinable
  public func uint64(at position: UInt32) -> UInt64 {
    let x = block(position >> 1)
    return position & 1 == 0
      ? UInt64(x.1) << 32 | UInt64(x.0)
      : UInt64(x.3) << 32 | UInt64(x.2)
  }

  /// The next 64 uniformly distributed bits.
  @inlinable
  public mutating func nextUInt64() -> UInt64 {
    let current = drawIndex
    drawIndex &+= 1
    if hasPending {
      hasPending = false
      return pending
    }
    let x = block(current >> 1)
    if current & 1 == 1 { return UInt64(x.3) << 32 | UInt64(x.2) }
    pending = UInt64(x.3) << 32 | UInt64(x.2)
    hasPending = true
    return UInt64(x.1) << 32 | UInt64(x.0)
  }

  /// Uniform on [0, 1): the top 53 bits of one draw, times 2⁻⁵³.
  @inlinable
  public mutating func nextDouble() -> Double {
    Double(nextUInt64() >> 11) * 0x1p-53
  }

  /// Uniform on (0, 1]: (top 53 bits + 1) × 2⁻⁵³, for logarithms of the draw.
  @inlinable
  public mutating func nextDoubleOpenClosed() -> Double {
    Double((nextUInt64() >> 11) + 1) * 0x1p-53
  }

  /// Uniform on the open interval (0, 1): (2·(top 52 bits) + 1) × 2⁻⁵³. The grid is symmetric
  /// about ½ (1 − u is exact and on the grid), which keeps inverse-CDF draws symmetric.
  @inlinable
  public mutating func nextDoubleOpen() -> Double {
    Double((nextUInt64() >> 12) << 1 | 1) * 0x1p-53
  }

  /// Uniform on 0..<bound (bound > 0) without modulo bias: Lemire's multiply-and-reject
  /// ("Fast random integer generation in an interval", ACM TOMACS 2019). Usually one draw;
  /// extra draws happen with probability < bound / 2⁶⁴.
  @inlinable
  public mutating func nextUInt64(below bound: UInt64) -> UInt64 {
    guard bound > 1 else { return 0 }
    var product = nextUInt64().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold {
        product = nextUInt64().multipliedFullWidth(by: bound)
      }
    }
    return product.high
  }
}
