import Foundation

/// One line of a KITTI object label file.
///
/// KITTI's camera axes are x right, y down, z forward, and its location is the centre of the
/// box's *bottom* face; scn's camera body frame is x forward, y left, z up with the box centre.
/// So `x_kitti = -y`, `y_kitti = -(z - h/2)`, `z_kitti = x`, and the heading turns from
/// "counter-clockwise about up, from forward" to KITTI's `rotation_y` about the down axis
/// measured from x right: `rotation_y = -yaw - π/2`, wrapped into [-π, π].
struct KITTILabel: Equatable {
  var type: String
  var truncated: Double
  var occluded: Int
  var alpha: Double
  /// left, top, right, bottom in pixels.
  var box: (Double, Double, Double, Double)
  /// height, width, length in metres.
  var dimensions: (Double, Double, Double)
  var location: (Double, Double, Double)
  var rotationY: Double

  static func == (a: KITTILabel, b: KITTILabel) -> Bool { a.line == b.line }

  /// KITTI's occlusion levels: 0 fully visible, 1 partly occluded, 2 largely occluded,
  /// 3 unknown. The thresholds (5 %, 50 %) are scn's reading of "partly" and "largely".
  static func occlusionLevel(_ fraction: Double) -> Int {
    guard fraction.isFinite, fraction >= 0 else { return 3 }
    if fraction < 0.05 { return 0 }
    if fraction < 0.5 { return 1 }
    return 2
  }

  static func wrap(_ angle: Double) -> Double {
    guard angle.isFinite else { return 0 }
    var a = angle.truncatingRemainder(dividingBy: 2 * Double.pi)
    if a > Double.pi { a -= 2 * Double.pi }
    if a < -Double.pi { a += 2 * Double.pi }
    return a
  }

  init(object: ObjectLabel, visibleBox: Box2D) {
    type = KITTILabel.typeName(object.className)
    truncated = min(max(object.truncation.isFinite ? object.truncation : 0, 0), 1)
    occluded = KITTILabel.occlusionLevel(object.occlusion)
    box = (visibleBox.x, visibleBox.y, visibleBox.x + visibleBox.width, visibleBox.y + visibleBox.height)
    if let b = object.box3D {
      dimensions = (b.size.z, b.size.y, b.size.x)
      location = (-b.center.y, -(b.center.z - b.size.z / 2), b.center.x)
      rotationY = KITTILabel.wrap(-b.yaw - Double.pi / 2)
      alpha = KITTILabel.wrap(rotationY - atan2(location.0, location.2))
    } else {
      // No 3D box: location -1000 as KITTI does, but zero sizes and angles rather than
      // KITTI's -1 / -10, which common readers reject as out of range.
      dimensions = (0, 0, 0)
      location = (-1000, -1000, -1000)
      rotationY = 0
      alpha = 0
    }
  }

  /// KITTI types are single tokens: any whitespace (a space would split the line, a newline
  /// would start a forged one) or control character becomes `_`, runs of them one `_`.
  /// `scn check` already rejects such class names (E0265); this guards every other writer.
  static func typeName(_ className: String) -> String {
    var token = ""
    var gap = false
    for s in className.unicodeScalars {
      switch s.properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        gap = !token.isEmpty
        continue
      default:
        if s.properties.isWhitespace {
          gap = !token.isEmpty
          continue
        }
      }
      if gap { token += "_" }
      gap = false
      token.unicodeScalars.append(s)
    }
    return token.isEmpty ? "Unknown" : token
  }

  var line: String {
    let values = [
      truncated, Double(occluded), alpha, box.0, box.1, box.2, box.3, dimensions.0, dimensions.1, dimensions.2,
      location.0, location.1, location.2, rotationY,
    ]
    var fields = [type]
    for (i, v) in values.enumerated() {
      fields.append(i == 1 ? String(occluded) : KITTILabel.fixed(v))
    }
    return fields.joined(separator: " ")
  }

  /// Two decimals, as in the KITTI devkit; `-0.00` is written `0.00` so signs of values that
  /// round to zero never differ between platforms.
  static func fixed(_ v: Double) -> String {
    let s = cFormat2(v)
    return s == "-0.00" ? "0.00" : s
  }

  /// C's `%.2f` of `v` (what `String(format:)` writes, without Foundation's format parser):
  /// thirteen of these per object per frame showed in profiles. A finite value below 2⁵³ in
  /// size is written from its exact hundredths (`hundredths`, in integers), the others by
  /// `vsnprintf`.
  static func cFormat2(_ v: Double) -> String {
    // 309 digits before the point at most, the sign, the point and two decimals.
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: 320) { buffer in
      guard let base = buffer.baseAddress else { return String(format: "%.2f", v) }
      let written: Int
      if let n = hundredths(v) {
        written = write(hundredths: n, negative: v.sign == .minus, into: base)
      } else {
        written = Int(withVaList([v]) { vsnprintf(base, buffer.count, "%.2f", $0) })
      }
      guard written >= 0, written < buffer.count else { return String(format: "%.2f", v) }
      return String(decoding: UnsafeRawBufferPointer(start: base, count: written), as: UTF8.self)
    }
  }

  /// |v| · 100 rounded to the nearest integer, an exact tie to the even one (the digits of
  /// `%.2f`, which rounds the exact binary value so), for a finite |v| < 2⁵³; nil otherwise.
  /// |v| = m · 2⁻ᵏ exactly (m < 2⁵³, k ≥ 0), so |v| · 100 = m · 100 / 2ᵏ with m · 100 < 2⁶⁰:
  /// the quotient and the remainder of that shift decide the rounding in integers.
  static func hundredths(_ v: Double) -> UInt64? {
    let a = abs(v)
    guard a < 0x1p53 else { return nil }  // also nil for infinities and NaN
    let bits = a.bitPattern
    let biased = Int(bits >> 52)
    let fraction = bits & (1 << 52 - 1)
    // A subnormal's significand has no hidden bit and the smallest exponent.
    let (m, k) = biased == 0 ? (fraction, 1074) : (fraction | 1 << 52, 1075 - biased)
    let scaled = m * 100
    guard k > 0 else { return scaled }
    // With k > 60, m · 100 < 2⁶⁰ is below half of 2ᵏ: it rounds to 0.
    guard k <= 60 else { return 0 }
    let quotient = scaled >> UInt64(k)
    let remainder = scaled & (1 << UInt64(k) - 1)
    let half: UInt64 = 1 << UInt64(k - 1)
    return remainder > half || (remainder == half && quotient & 1 == 1) ? quotient + 1 : quotient
  }

  /// Writes `n` hundredths as `%.2f` does, "-" first when `negative`: the whole part's
  /// digits, the point and two decimals. Returns the number of bytes written (at most 22).
  static func write(hundredths n: UInt64, negative: Bool, into out: UnsafeMutablePointer<CChar>) -> Int {
    var count = 0
    if negative {
      out[0] = 0x2D  // "-"
      count = 1
    }
    let whole = n / 100
    var scale: UInt64 = 1
    while whole / scale >= 10 { scale *= 10 }
    var rest = whole
    while scale > 0 {
      out[count] = CChar(0x30 + rest / scale)
      rest %= scale
      scale /= 10
      count += 1
    }
    out[count] = 0x2E  // "."
    out[count + 1] = CChar(0x30 + n % 100 / 10)
    out[count + 2] = CChar(0x30 + n % 10)
    return count + 3
  }
}
