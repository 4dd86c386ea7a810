import ScnGeometry

/// How a camera sets its exposure (docs/scene-model.md, "Exposure, tone curve and noise").
///
/// The shader's radiance R is relative: a white diffuse surface under the scene's whole
/// illuminance E reads 1, so its luminance is L = R·E/π cd/m². An exposure maps R to the
/// sensor's linear signal v = R·X (1 = the saturation level before the tone curve).
public enum CameraExposure: Hashable, Sendable {
  /// Follows the environment's illuminance: X = (E / 50 000 lx)^¼, clamped to 0.02…1.25.
  /// It compensates most of a change of light but not all of it, so dusk still reads darker
  /// than noon. The default.
  case scene
  /// A fixed exposure value at ISO 100, EV100 = log2(N²/t): the sensor saturates at
  /// L = 1.2·2^EV100 cd/m² (ISO 2720's saturation-based sensitivity), so X = E / (π·1.2·2^EV100).
  /// One more EV halves the signal.
  case fixed(ev100: Double)
  /// Metered per frame: the geometric mean of the frame's luminance before exposure
  /// (exp of the mean of ln(10⁻⁴ + Y) over every pixel, Y the Rec. 709 luminance) is brought
  /// to `automaticKey`; X is clamped to 10⁻³…10⁴. Pixels are summed in row order in one
  /// thread, so the result is the same for every thread count.
  case automatic

  /// The geometric-mean linear luminance automatic exposure aims at (sRGB ≈ 137).
  public static let automaticKey = 0.25

  /// The exposure scale X for a frame of a scene whose illuminance is `illuminance` lux;
  /// nil for `.automatic`, which needs the frame.
  public func scale(illuminance: Double) -> Double? {
    let e = illuminance.isFinite ? Swift.max(0, illuminance) : 0
    switch self {
    case .scene:
      return Swift.min(1.25, Swift.max(0.02, powDouble(e / 50_000, 0.25)))
    case .fixed(let ev):
      return e / (Double.pi * 1.2 * powDouble(2, ev.isFinite ? ev : 0))
    case .automatic:
      return nil
    }
  }

  /// The EV100 equivalent to the exposure scale `x` in a scene of `illuminance` lux.
  public static func ev100(scale x: Double, illuminance: Double) -> Double {
    let value = Swift.max(1e-9, illuminance) / (Double.pi * 1.2 * Swift.max(1e-12, x))
    return logDouble(value) / logDouble(2)
  }

  /// Automatic exposure from the sum of ln(10⁻⁴ + Y) over `count` pixels.
  static func metered(logSum: Double, count: Int) -> Double {
    guard count > 0, logSum.isFinite else { return 1 }
    let mean = expDouble(logSum / Double(count))
    return Swift.min(1e4, Swift.max(1e-3, automaticKey / Swift.max(1e-9, mean)))
  }
}

/// The image sensor's noise (docs/scene-model.md, "Exposure, tone curve and noise"): shot noise
/// of the photo-electrons and read noise, added to the linear signal before the tone curve.
///
/// The sensor holds `fullWell` electrons at saturation (v = 1) at base gain. Below
/// `baseEV100` (ISO 100 at 1/30 s and f/2: log2(4·30) ≈ 6.9) the exposure cannot grow any
/// longer and the camera applies an analogue gain g = 2^(baseEV100 − EV) instead, so it
/// collects only v·fullWell/g electrons. The signal of each channel then has the variance of
/// that count (Poisson, drawn as a Gaussian of equal mean and variance) plus the read noise,
/// scaled back by g/fullWell:
///
///   σ²(v) = v·g/fullWell + (g·readNoise/fullWell)²
///
/// so the noise grows with the signal (shot) and has a floor (read), and a dark scene shot
/// with a long exposure or high gain is noisier than a bright one at the same signal. The
/// draw for pixel i, channel c is a pure function of the frame's noise seed and 3i + c.
public struct SensorNoise: Hashable, Sendable {
  /// Electrons at saturation, > 0.
  public var fullWell: Double
  /// Read noise, electrons RMS, ≥ 0.
  public var readNoise: Double
  public var baseEV100: Double

  public static let defaultFullWell = 10_000.0
  public static let defaultReadNoise = 6.0
  public static let defaultBaseEV100 = 6.9

  public init(
    fullWell: Double = SensorNoise.defaultFullWell, readNoise: Double = SensorNoise.defaultReadNoise,
    baseEV100: Double = SensorNoise.defaultBaseEV100
  ) {
    self.fullWell = fullWell.isFinite ? Swift.max(1, fullWell) : Self.defaultFullWell
    self.readNoise = readNoise.isFinite ? Swift.max(0, readNoise) : 0
    self.baseEV100 = baseEV100.isFinite ? baseEV100 : Self.defaultBaseEV100
  }

  /// The analogue gain for a frame exposed at `ev100`.
  public func gain(ev100: Double) -> Double {
    guard ev100.isFinite else { return 1 }
    return Swift.min(1e4, Swift.max(1, powDouble(2, baseEV100 - ev100)))
  }

  /// The standard deviation of the linear signal `v` (≥ 0) at gain `g`.
  @inline(__always)
  public func sigma(signal v: Double, gain g: Double) -> Double {
    let shot = Swift.max(0, v) * g / fullWell
    let read = g * readNoise / fullWell
    return (shot + read * read).squareRoot()
  }
}

/// The tone curve from the linear signal v to the value the sRGB encoding receives: the
/// identity up to `knee` (0.8), then a soft shoulder v' = k + (1 − k)(1 − e^(−(v − k)/(1 − k)))
/// that meets it with the same slope and approaches 1, so highlights (sun glints, lamps,
/// bright sky) roll off instead of clipping hard. The result is then sRGB-encoded
/// (IEC 61966-2-1) and rounded to 8 bits.
enum ToneCurve {
  static let knee = 0.8

  @inline(__always)
  static func apply(_ v: Double) -> Double {
    guard v > knee else { return v }
    let span = 1 - knee
    return knee + span * (1 - expDouble(-(v - knee) / span))
  }
}

/// The camera's white balance (docs/scene-model.md, "Exposure, tone curve and noise"): the
/// colour temperature, in kelvin, of the light the camera corrects for. The renderer's
/// light is white at 6500 K (the default: no correction). Balancing for a lower
/// temperature (tungsten, 3200 K) divides by a warmer white, so the image turns bluer;
/// balancing for a higher one (shade, 10 000 K) turns it warmer.
///
/// The white of T is the Planckian locus's chromaticity from Kim et al.'s cubic fit (CIE
/// 1931 xy, valid 1667–25 000 K), converted with Y = 1 to linear sRGB (IEC 61966-2-1's
/// matrix) and scaled to green 1; the per-channel gains are white(6500 K) / white(T), so
/// green keeps its gain of 1 and 6500 K gives exactly (1, 1, 1); each gain is clamped to
/// 1/8…8 (`maxGain`). The gains multiply the
/// linear signal after exposure and sensor noise, before the tone curve (a camera's
/// white balance is a gain on the raw channels).
public enum WhiteBalance {
  /// The neutral setting: the renderer's white.
  public static let neutralKelvin = 6500.0
  /// The largest gain (and 1 / it the smallest) a channel gets: below about 2400 K the
  /// locus's blue is nearly 0 in sRGB and the exact gain would grow without bound.
  public static let maxGain = 8.0

  /// Per-channel gains for a camera balanced for `kelvin` (clamped to 1667…25 000 K).
  public static func gains(kelvin: Double) -> SIMD3<Double> {
    guard kelvin.isFinite, kelvin != neutralKelvin else { return SIMD3(1, 1, 1) }
    let reference = white(neutralKelvin)
    let w = white(kelvin)
    func clamped(_ g: Double) -> Double { Swift.min(maxGain, Swift.max(1 / maxGain, g)) }
    return SIMD3(clamped(reference.x / w.x), 1, clamped(reference.z / w.z))
  }

  /// The linear sRGB colour of a black body at `kelvin`, scaled to green 1.
  static func white(_ kelvin: Double) -> SIMD3<Double> {
    let t = Swift.min(25_000, Swift.max(1667, kelvin))
    let t1 = 1e3 / t, t2 = t1 * t1, t3 = t2 * t1
    // Kim et al. (2002), with T in thousands of kelvin.
    let x =
      t <= 4000
      ? -0.2661239 * t3 - 0.2343589 * t2 + 0.8776956 * t1 + 0.179910
      : -3.0258469 * t3 + 2.1070379 * t2 + 0.2226347 * t1 + 0.240390
    let x2 = x * x, x3 = x2 * x
    let y: Double
    if t <= 2222 {
      y = -1.1063814 * x3 - 1.34811020 * x2 + 2.18555832 * x - 0.20219683
    } else if t <= 4000 {
      y = -0.9549476 * x3 - 1.37418593 * x2 + 2.09137015 * x - 0.16748867
    } else {
      y = 3.0817580 * x3 - 5.87338670 * x2 + 3.75112997 * x - 0.37001483
    }
    let bigX = x / y, bigY = 1.0, bigZ = (1 - x - y) / y
    let r = 3.2404542 * bigX - 1.5371385 * bigY - 0.4985314 * bigZ
    let g = -0.9692660 * bigX + 1.8760108 * bigY + 0.0415560 * bigZ
    let b = 0.0556434 * bigX - 0.2040259 * bigY + 1.0572252 * bigZ
    // Below about 1900 K the locus leaves the sRGB gamut in blue; keep the gains finite.
    return SIMD3(Swift.max(1e-3, r / g), 1, Swift.max(1e-3, b / g))
  }
}
