import ScnGeometry

import ScnScene

/// The optics of precipitation (the enum lives in ScnScene with the scene's conditions).
extension Precipitation {
  /// Extinction coefficient of visible and near-infrared light (1/m).
  ///
  /// Rain: drops are far larger than the wavelength, so each removes twice its cross-section
  /// (extinction efficiency 2); over the Marshall–Palmer size distribution
  /// N(D) = 8000 e^(−ΛD) m⁻³ mm⁻¹, Λ = 4.1 R^−0.21 mm⁻¹, that integrates to
  /// σ = π·N₀/Λ³ = 3.65·10⁻⁴ · R^0.63 m⁻¹ (R in mm/h): visibility 4.5 km at 4 mm/h,
  /// 1.4 km at 25 mm/h. Snow: σ = 3.9·10⁻³ · S m⁻¹ (S water equivalent in mm/h), which
  /// reproduces the visibility classes that weather reports use for snow (about 1 km at
  /// 1 mm/h, 400 m at 2.5 mm/h).
  public var extinction: Double {
    switch self {
    case .none: 0
    case .rain: 3.65e-4 * powDouble(rate, 0.63)
    case .snow: 3.9e-3 * rate
    }
  }

  /// LiDAR label of a return from this precipitation's particles.
  var returnLabel: LidarReturnLabel {
    switch self {
    case .none: .surface
    case .rain: .rain
    case .snow: .snow
    }
  }
}

/// What a LiDAR return came from. Written as the PLY property `label` (a `uchar`).
public enum LidarReturnLabel: UInt8, Hashable, Sendable, CaseIterable {
  /// A surface: an object (its instance id is set) or the ground (instance 0).
  case surface = 0
  /// Backscatter from fog or haze droplets.
  case fog = 1
  /// A raindrop.
  case rain = 2
  /// A snowflake.
  case snow = 3
}

/// The meteorological optical range (visibility) and the extinction coefficient are two
/// spellings of one quantity: Koschmieder's law says a black object's contrast against the
/// horizon falls as exp(−σ d), and the visibility V is the distance at which it reaches 2 %,
/// so σ = ln 50 / V = 3.912 / V.
public enum Koschmieder {
  public static let contrastThreshold = 0.02
  /// ln(1 / 0.02).
  public static let logInverseThreshold = Conditions.koschmieder

  public static func extinction(visibility: Double) -> Double { logInverseThreshold / visibility }
  public static func visibility(extinction: Double) -> Double { logInverseThreshold / extinction }
}

/// The LiDAR's response to the atmosphere (docs/weather.md).
///
/// A surface return survives extinction while its link budget allows. A return from a surface
/// of reflectivity ρ hit at incidence cosine c at range r has the margin
/// M = (ρ c / 0.1) · (R_max / r)² over a 10 % diffuse target at the maximum range, and
/// extinction σ costs it the two-way factor e^(−2σr): the return is lost when
/// 2σr > ln(1 + M). In clear air (σ = 0) the sensor stays ideal and keeps every return, as it
/// always has; as σ grows, weak returns (dark, far, grazing: the far ground first) go before
/// strong ones, and the loss is continuous in σ. Particles return
/// echoes of their own: along a beam, the first particle echo strong enough to trigger the
/// receiver comes after an exponential distance with rate κ·σ (κ: the share of the extinction
/// that gives a detectable echo, larger for bright flakes than for drops), within the first
/// 25 m, where a single droplet's echo is still strong enough.
public struct LidarAtmosphere: Sendable {
  public let fogExtinction: Double
  public let precipitation: Precipitation
  /// Total extinction (1/m).
  public let extinction: Double
  /// Rate of detectable particle echoes per metre of beam, by source.
  let fogEchoRate: Double
  let precipitationEchoRate: Double
  /// `particleEcho`'s probability of an echo within the whole `particleEchoRange`, worked
  /// out once: most beams reach past it (the same `expDouble` of the same value).
  let fullRangeEchoProbability: Double

  public static let referenceReflectivity = 0.1
  public static let particleEchoRange = 25.0
  /// κ: detectable-echo share of the extinction.
  public static let fogEchoShare = 0.1
  public static let rainEchoShare = 0.3
  public static let snowEchoShare = 1.0

  public init(fogExtinction: Double, precipitation: Precipitation) {
    self.fogExtinction = fogExtinction
    self.precipitation = precipitation
    extinction = fogExtinction + precipitation.extinction
    fogEchoRate = Self.fogEchoShare * fogExtinction
    switch precipitation {
    case .none: precipitationEchoRate = 0
    case .rain: precipitationEchoRate = Self.rainEchoShare * precipitation.extinction
    case .snow: precipitationEchoRate = Self.snowEchoShare * precipitation.extinction
    }
    fullRangeEchoProbability = 1 - expDouble(-(fogEchoRate + precipitationEchoRate) * Self.particleEchoRange)
  }

  public var isClear: Bool { extinction <= 0 }

  /// Whether a surface return survives the two-way extinction (see the type's comment).
  @inline(__always)
  func surfaceSurvives(reflectivity: Double, cosine: Double, range: Double, maxRange: Double) -> Bool {
    guard extinction > 0 else { return true }
    let margin = reflectivity * cosine / Self.referenceReflectivity * (maxRange / range) * (maxRange / range)
    guard margin > 0 else { return false }
    let loss = 2 * extinction * range
    // ln(1 + M) lies between M / (1 + M/2) and M; away from those bounds by more than
    // rounding can move them (M ≥ 10⁻³: 1 + M then rounds by under 10⁻¹² of ln(1 + M)), the
    // answer needs no logarithm (the lower bound, written so, cannot overflow).
    if margin >= 1e-3 {
      if loss <= margin / (1 + 0.5 * margin) * (1 - 1e-9) { return true }
      if loss > margin * (1 + 1e-9) { return false }
    }
    return loss <= logDouble(1 + margin)
  }

  /// The nearest particle echo before `limit` metres, from two uniform variates, or nil.
  @inline(__always)
  func particleEcho(limit: Double, u: Double, v: Double, w: Double) -> (range: Double, label: LidarReturnLabel)? {
    let rate = fogEchoRate + precipitationEchoRate
    guard rate > 0 else { return nil }
    let span = Swift.min(limit, Self.particleEchoRange)
    guard span > 0 else { return nil }
    // The probability of an echo within the span.
    let reach = span == Self.particleEchoRange ? fullRangeEchoProbability : 1 - expDouble(-rate * span)
    guard u < reach else { return nil }
    // Truncated exponential: the first echo's distance given that one occurs within `span`.
    let range = -logDouble(1 - v * reach) / rate
    let label: LidarReturnLabel = w * rate < fogEchoRate ? .fog : precipitation.returnLabel
    return (Swift.min(range, span), label)
  }
}

/// One sentence per effect the sensors model, for the dataset card's "Environment and
/// weather" section: what a reader of the data can expect to see (docs/weather.md).
public enum ModelledEffects {
  public static func describe(outdoor: Bool, indoor: Bool, clear: Bool, overcast: Bool, rain: Bool, snow: Bool, fog: Bool)
    -> [String]
  {
    var out: [String] = []
    if outdoor {
      out.append(
        "Daylight: a sun at the scenario's elevation and azimuth with hard shadows plus sky light, "
          + "on metallic-roughness surfaces (GGX specular, Lambert diffuse); at or below the horizon only the "
          + "`light` level remains, plus the scene's lamps and headlights.")
    }
    if indoor { out.append("Indoors: uniform overhead light at the `light` level, no sun or sky.") }
    out.append(
      "Camera: exposure per camera (`scene`: follows the light only partly, (lux / 50,000)^0.25; `fixed` EV100; "
        + "`auto`: metered per frame), shot and read noise that follow the light collected, a soft highlight "
        + "shoulder and sRGB output.")
    if overcast || rain || snow { out.append("Overcast, rain and snow: diffuse light only, a grey sky, no sun shadows.") }
    if clear && outdoor { out.append("Clear: direct sun and a blue sky.") }
    if fog {
      out.append(
        "Fog: Koschmieder extinction (contrast falls as exp(-3.912 d / V)) with airlight in camera images; "
          + "two-way attenuation that removes weak LiDAR returns, and fog echoes within 25 m (PLY label 1).")
    }
    if rain {
      out.append(
        "Rain: extinction from the rate (Marshall-Palmer drops), wet ground at half its albedo with Fresnel "
          + "reflections of the sky, puddles mirroring the scene, motion-blurred streaks in camera images; "
          + "LiDAR attenuation, weaker returns from wet ground and raindrop echoes within 25 m (PLY label 2).")
    }
    if snow {
      out.append(
        "Snow: extinction from the rate, snow-covered ground and upward faces, falling flakes in camera images; "
          + "LiDAR attenuation, bright snow ground and flake echoes within 25 m (PLY label 3).")
    }
    out.append(
      "Labels (depth, instance and semantic images, COCO, KITTI) show surfaces as in clear air; "
        + "weather particles are not annotated.")
    return out
  }
}
