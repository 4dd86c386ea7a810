/// Swift's `Double.description` text of a finite, non-zero double, written into a buffer
/// without a `String`: the shortest decimal digits that read back as the same double (the
/// closest to it when several are as short), found by Ryu (Ulf Adams, "Ryū: fast
/// float-to-string conversion", PLDI 2018, the 64-bit variant with full tables,
/// `ShortestDoubleTables.swift`), then laid out as `description` lays them out. The
/// standard library's own routine (SwiftDtoa) gives the same digits; this one is faster
/// (`scn sample` prints tens of random doubles per scene). `ScnEncodingTests` compares the
/// two on millions of random and edge-case values.
enum ShortestDouble {
  /// The digits and decimal exponent of a finite, non-zero `x`'s magnitude: the shortest
  /// decimal that reads back as `x`, the closest one to `x` when several are as short.
  @inline(__always)
  static func decimal(_ x: Double) -> (digits: UInt64, exponent: Int32) {
    let bits = x.bitPattern
    let ieeeMantissa = bits & ((1 << 52) - 1)
    let ieeeExponent = UInt32(truncatingIfNeeded: (bits >> 52) & 0x7FF)
    let e2: Int32
    let m2: UInt64
    if ieeeExponent == 0 {
      e2 = 1 - 1023 - 52 - 2
      m2 = ieeeMantissa
    } else {
      e2 = Int32(ieeeExponent) - 1023 - 52 - 2
      m2 = (1 << 52) | ieeeMantissa
    }
    let acceptBounds = m2 & 1 == 0
    let mv = 4 &* m2
    let mmShift: UInt64 = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1 : 0
    var vr: UInt64, vp: UInt64, vm: UInt64
    let e10: Int32
    var vmIsTrailingZeros = false
    var vrIsTrailingZeros = false
    if e2 >= 0 {
      let q = log10Pow2(e2) - (e2 > 3 ? 1 : 0)
      e10 = q
      let k = 125 + pow5Bits(q) - 1
      let i = -e2 + q + k
      let t = Int(q) * 2
      (vr, vp, vm) = mulShiftAll(m2, pow5InvSplit[t], pow5InvSplit[t + 1], i, mmShift)
      if q <= 21 {
        if mv % 5 == 0 {
          vrIsTrailingZeros = multipleOfPowerOf5(mv, q)
        } else if acceptBounds {
          vmIsTrailingZeros = multipleOfPowerOf5(mv &- 1 &- mmShift, q)
        } else {
          vp &-= multipleOfPowerOf5(mv &+ 2, q) ? 1 : 0
        }
      }
    } else {
      let q = log10Pow5(-e2) - (-e2 > 1 ? 1 : 0)
      e10 = q + e2
      let i = -e2 - q
      let k = pow5Bits(i) - 125
      let j = q - k
      let t = Int(i) * 2
      (vr, vp, vm) = mulShiftAll(m2, pow5Split[t], pow5Split[t + 1], j, mmShift)
      if q <= 1 {
        vrIsTrailingZeros = true
        if acceptBounds {
          vmIsTrailingZeros = mmShift == 1
        } else {
          vp &-= 1
        }
      } else if q < 63 {
        vrIsTrailingZeros = mv & ((1 << UInt64(q)) &- 1) == 0
      }
    }
    var removed: Int32 = 0
    var lastRemovedDigit: UInt64 = 0
    let output: UInt64
    if vmIsTrailingZeros || vrIsTrailingZeros {
      while true {
        let vpDiv10 = vp / 10, vmDiv10 = vm / 10
        if vpDiv10 <= vmDiv10 { break }
        let vmMod10 = vm % 10
        let vrDiv10 = vr / 10
        let vrMod10 = vr % 10
        vmIsTrailingZeros = vmIsTrailingZeros && vmMod10 == 0
        vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
        lastRemovedDigit = vrMod10
        vr = vrDiv10
        vp = vpDiv10
        vm = vmDiv10
        removed += 1
      }
      if vmIsTrailingZeros {
        while vm % 10 == 0 {
          let vrDiv10 = vr / 10
          let vrMod10 = vr % 10
          vrIsTrailingZeros = vrIsTrailingZeros && lastRemovedDigit == 0
          lastRemovedDigit = vrMod10
          vr = vrDiv10
          vp = vp / 10
          vm = vm / 10
          removed += 1
        }
      }
      if vrIsTrailingZeros, lastRemovedDigit == 5, vr % 2 == 0 { lastRemovedDigit = 4 }
      output = vr &+ ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1 : 0)
    } else {
      var roundUp = false
      let vpDiv100 = vp / 100, vmDiv100 = vm / 100
      if vpDiv100 > vmDiv100 {
        let vrDiv100 = vr / 100
        let vrMod100 = vr &- 100 &* vrDiv100
        roundUp = vrMod100 >= 50
        vr = vrDiv100
        vp = vpDiv100
        vm = vmDiv100
        removed += 2
      }
      while true {
        let vpDiv10 = vp / 10, vmDiv10 = vm / 10
        if vpDiv10 <= vmDiv10 { break }
        let vrDiv10 = vr / 10
        let vrMod10 = vr &- 10 &* vrDiv10
        roundUp = vrMod10 >= 5
        vr = vrDiv10
        vp = vpDiv10
        vm = vmDiv10
        removed += 1
      }
      output = vr &+ (vr == vm || roundUp ? 1 : 0)
    }
    return (output, e10 + removed)
  }

  @inline(__always) static func pow5Bits(_ e: Int32) -> Int32 { Int32((UInt32(e) &* 1_217_359) >> 19) + 1 }
  @inline(__always) static func log10Pow2(_ e: Int32) -> Int32 { Int32((UInt32(e) &* 78_913) >> 18) }
  @inline(__always) static func log10Pow5(_ e: Int32) -> Int32 { Int32((UInt32(e) &* 732_923) >> 20) }

  @inline(__always) static func multipleOfPowerOf5(_ value: UInt64, _ p: Int32) -> Bool {
    var v = value
    var count: Int32 = 0
    while v != 0, v % 5 == 0 {
      v /= 5
      count += 1
      if count >= p { return true }
    }
    return count >= p
  }

  /// `⌊m × (high:low) / 2^j⌋` for the three of `4m`, `4m + 2` and `4m - 1 - mmShift`.
  @inline(__always)
  static func mulShiftAll(_ m: UInt64, _ low: UInt64, _ high: UInt64, _ j: Int32, _ mmShift: UInt64)
    -> (UInt64, UInt64, UInt64)
  {
    (mulShift(4 &* m, low, high, j), mulShift(4 &* m &+ 2, low, high, j), mulShift(4 &* m &- 1 &- mmShift, low, high, j))
  }

  @inline(__always)
  static func mulShift(_ m: UInt64, _ low: UInt64, _ high: UInt64, _ j: Int32) -> UInt64 {
    let b0 = m.multipliedFullWidth(by: low)
    let b2 = m.multipliedFullWidth(by: high)
    // (b0.high + b2) as a 128-bit number, shifted right by j - 64 (j is in 64 ..< 128).
    let (sumLow, carry) = b0.high.addingReportingOverflow(b2.low)
    let sumHigh = b2.high &+ (carry ? 1 : 0)
    let s = UInt64(j - 64)
    return (sumHigh << (64 &- s)) | (sumLow >> s)
  }

  /// The number of decimal digits of `v` (< 10^17), longest first (most outputs have 15 to 17).
  @inline(__always)
  static func digitCount(_ v: UInt64) -> Int {
    if v >= 10_000_000_000_000_000 { return 17 }
    if v >= 1_000_000_000_000_000 { return 16 }
    if v >= 100_000_000_000_000 { return 15 }
    if v >= 10_000_000_000_000 { return 14 }
    if v >= 1_000_000_000_000 { return 13 }
    if v >= 100_000_000_000 { return 12 }
    if v >= 10_000_000_000 { return 11 }
    if v >= 1_000_000_000 { return 10 }
    if v >= 100_000_000 { return 9 }
    if v >= 10_000_000 { return 8 }
    if v >= 1_000_000 { return 7 }
    if v >= 100_000 { return 6 }
    if v >= 10_000 { return 5 }
    if v >= 1_000 { return 4 }
    if v >= 100 { return 3 }
    if v >= 10 { return 2 }
    return 1
  }

  /// Writes the two digits of `r` (< 100) to `p[0]` and `p[1]`.
  @inline(__always)
  static func writePair(_ r: UInt32, _ p: UnsafeMutablePointer<UInt8>) {
    let tens = r / 10
    p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
    p[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: r &- tens &* 10)
  }

  /// Writes the eight digits of `v` (< 10^8, with leading zeros) to `p[0 ..< 8]`.
  @inline(__always)
  static func writeEight(_ v: UInt32, _ p: UnsafeMutablePointer<UInt8>) {
    let high = v / 10_000, low = v &- high &* 10_000
    let a = high / 100, c = low / 100
    writePair(a, p)
    writePair(high &- a &* 100, p + 2)
    writePair(c, p + 4)
    writePair(low &- c &* 100, p + 6)
  }

  /// Writes the `count` decimal digits of `v` (< 10^9) to `p[0 ..< count]`.
  @inline(__always)
  static func writeShort(_ v: UInt32, _ count: Int, _ p: UnsafeMutablePointer<UInt8>) {
    var v = v
    var i = count
    while i >= 2 {
      let q = v / 100
      writePair(v &- q &* 100, p + i - 2)
      v = q
      i -= 2
    }
    if i == 1 { p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v) }
  }

  /// Writes the `count` decimal digits of `v` (< 10^17) to `p[0 ..< count]`: the last eight
  /// and the rest as two independent computations.
  @inline(__always)
  static func writeDigits(_ v: UInt64, _ count: Int, _ p: UnsafeMutablePointer<UInt8>) {
    guard count > 8 else { return writeShort(UInt32(truncatingIfNeeded: v), count, p) }
    let high = v / 100_000_000
    writeEight(UInt32(truncatingIfNeeded: v &- high &* 100_000_000), p + count - 8)
    writeShort(UInt32(truncatingIfNeeded: high), count - 8, p)
  }

  /// Writes a finite, non-zero `x` as `x.description` does into `buffer` (at least 32
  /// bytes) and returns the length: `-` for a negative number, then the digits as a decimal
  /// (`123.45`, `0.001`, `5.0`) when 10^-4 ≤ |x| ≤ 2^53, else in exponent form (`1e-05`,
  /// `1.2345e+16`, the exponent of two digits at least).
  @inline(__always)
  static func write(_ x: Double, into buffer: UnsafeMutablePointer<UInt8>) -> Int {
    let (digits, exponent) = decimal(x)
    var p = buffer
    if x.sign == .minus {
      p[0] = UInt8(ascii: "-")
      p += 1
    }
    let count = digitCount(digits)
    // Scientific exponent: |x| = d.ddd × 10^sci.
    let sci = Int(exponent) + count - 1
    if sci < -4 || x.magnitude > 0x1.0p53 {
      // d[.ddd]e±XX: the digits one place on, the first moved before the point.
      writeDigits(digits, count, p + 1)
      p[0] = p[1]
      if count > 1 {
        p[1] = UInt8(ascii: ".")
        p += count + 1
      } else {
        p += 1
      }
      p[0] = UInt8(ascii: "e")
      p[1] = sci < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
      p += 2
      let e = sci.magnitude
      if e >= 100 {
        p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: e / 100)
        p += 1
      }
      p[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: e / 10 % 10)
      p[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: e % 10)
      return p + 2 - buffer
    }
    if sci < 0 {
      // 0.000ddd
      p[0] = UInt8(ascii: "0")
      p[1] = UInt8(ascii: ".")
      p += 2
      for _ in 0..<(-sci - 1) {
        p[0] = UInt8(ascii: "0")
        p += 1
      }
      writeDigits(digits, count, p)
      return p + count - buffer
    }
    if count > sci + 1 {
      // ddd.ddd: the digits one place on, the integer part moved back over the point's place.
      writeDigits(digits, count, p + 1)
      for k in 0...sci { p[k] = p[k + 1] }
      p[sci + 1] = UInt8(ascii: ".")
      return p + count + 1 - buffer
    }
    // ddd000.0
    writeDigits(digits, count, p)
    var k = count
    while k <= sci {
      p[k] = UInt8(ascii: "0")
      k += 1
    }
    p[sci + 1] = UInt8(ascii: ".")
    p[sci + 2] = UInt8(ascii: "0")
    return p + sci + 3 - buffer
  }
}
