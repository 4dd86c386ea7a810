/// The Philox4x32-10 block function (Salmon, Moraes, Dror, Shaw: "Parallel random numbers:
/// as easy as 1, 2, 3", SC 2011): a keyed bijection of a 128-bit counter, so any draw of any
/// stream can be computed directly from its coordinates, with no hidden state.
///
/// Word order and key schedule follow the Random123 reference implementation; the known-answer
/// vectors of Random123's `kat_vectors` pin them down in the tests.
public enum Philox4x32 {
  /// Four 32-bit words, index 0 first (Random123's `ctr.v[0]`).
  public typealias Block = (UInt32, UInt32, UInt32, UInt32)
  /// Two 32-bit key words, index 0 first (Random123's `key.v[0]`).
  public typealias Key = (UInt32, UInt32)

  @usableFromInline static let multiplier0: UInt32 = 0xD251_1F53
  @usableFromInline static let multiplier1: UInt32 = 0xCD9E_8D57
  @usableFromInline static let weyl0: UInt32 = 0x9E37_79B9
  @usableFromInline static let weyl1: UInt32 = 0xBB67_AE85

  /// Encrypts `counter` under `key` with the standard 10 rounds.
  @inlinable
  public static func block(counter: Block, key: Key) -> Block {
    var c = counter
    var k = key
    // Random123 bumps the key before every round but the first.
    c = round(c, k)
    for _ in 1..<10 {
      k = (k.0 &+ weyl0, k.1 &+ weyl1)
      c = round(c, k)
    }
    return c
  }

  @inlinable @inline(__always)
  static func round(_ c: Block, _ k: Key) -> Block {
    let product0 = UInt64(multiplier0) &* UInt64(c.0)
    let product1 = UInt64(multiplier1) &* UInt64(c.2)
    let hi0 = UInt32(truncatingIfNeeded: product0 >> 32), lo0 = UInt32(truncatingIfNeeded: product0)
    let hi1 = UInt32(truncatingIfNeeded: product1 >> 32), lo1 = UInt32(truncatingIfNeeded: product1)
    return (hi1 ^ c.1 ^ k.0, lo1, hi0 ^ c.3 ^ k.1, lo0)
  }
}
