/// The physical conditions of a scene as the scenario states them (docs/scene-model.md);
/// the sensors module derives its light and weather model from these (docs/weather.md).
public struct Conditions: Hashable, Sendable {
  /// Ambient illuminance in lux (sky and street level; lamps excluded).
  public var illuminance: Double
  public var indoor: Bool
  /// Radians above the horizon; azimuth counter-clockwise from +x.
  public var sunElevation: Double
  public var sunAzimuth: Double
  /// Atmospheric extinction coefficient σ in 1/m (fog or haze, precipitation excluded).
  public var fogExtinction: Double
  public var sky: SkyCover
  public var precipitation: Precipitation

  /// ln(1 / 0.02): the contrast threshold behind a visibility distance V, so σ = this / V.
  public static let koschmieder = 3.912_023_005_428_146

  public init(
    illuminance: Double = 100_000, indoor: Bool = false, sunElevation: Double = .pi / 3, sunAzimuth: Double = .pi,
    fogExtinction: Double = 0, sky: SkyCover = .clear, precipitation: Precipitation = .none
  ) {
    self.illuminance = illuminance
    self.indoor = indoor
    self.sunElevation = sunElevation
    self.sunAzimuth = sunAzimuth
    self.fogExtinction = fogExtinction
    self.sky = sky
    self.precipitation = precipitation
  }
}

/// Sky cover of a scene (the prelude's `Weather` without its precipitation).
public enum SkyCover: String, Hashable, Sendable {
  case clear, overcast
}

/// Precipitation falling through the scene (docs/weather.md gives the model and its sources).
///
/// Rates are in millimetres of water per hour (snow as its melted water equivalent), the
/// unit rain gauges report: about 1 mm/h is light rain, 4 mm/h moderate, over 8 mm/h heavy,
/// 50 mm/h a cloudburst; snow of 1 mm/h water equivalent is a moderate snowfall.
public enum Precipitation: Hashable, Sendable {
  case none
  case rain(millimetresPerHour: Double)
  case snow(millimetresPerHour: Double)

  /// The rate, 0 without precipitation (never negative or NaN).
  public var rate: Double {
    switch self {
    case .none: 0
    case .rain(let r), .snow(let r): r.isFinite ? Swift.max(0, r) : 0
    }
  }
}
