import ScnScene
import ScnGeometry

/// Lighting and atmosphere shared by every sensor.
public struct Environment: Hashable, Sendable {
  /// Unit vector from the scene towards the sun (world frame). Below the horizon means night:
  /// only sky light remains.
  public var sunDirection: Vec3
  /// Illuminance on a horizontal surface, in lux (≈100 000 clear noon, 10 000 overcast,
  /// 500 an office). Sets the camera's exposure, see `exposureScale`.
  public var illuminance: Double
  /// Extinction coefficient of fog or haze per metre; 0 = clear air. Precipitation adds its
  /// own (`extinction`).
  public var fogExtinction: Double
  /// Rain or snow falling through the scene: extinction, wet or snow-covered ground,
  /// streaks and flakes in camera images, particle echoes in LiDAR (docs/weather.md).
  public var precipitation: Precipitation
  /// Sky colour at the horizon (linear RGB); the zenith is a darker shade of it.
  public var skyColour: RGB
  public var groundColour: RGB
  /// Diffuse reflectivity of the ground for LiDAR.
  public var groundReflectivity: Double
  /// Share of light that comes from the whole sky rather than the sun (0…1).
  public var ambientFraction: Double
  /// Indoors: the floor (the ground plane) is drawn as concrete.
  public var indoor: Bool

  public init(
    sunDirection: Vec3 = Environment.sunDirection(hourOfDay: 10), illuminance: Double = 50_000,
    fogExtinction: Double = 0, precipitation: Precipitation = .none, skyColour: RGB = RGB(0.55, 0.70, 0.92), groundColour: RGB = RGB(0.32, 0.31, 0.29),
    groundReflectivity: Double = 0.25, ambientFraction: Double = 0.3, indoor: Bool = false
  ) {
    self.indoor = indoor
    self.sunDirection = sunDirection.normalized
    self.illuminance = illuminance
    self.fogExtinction = fogExtinction.isFinite ? Swift.max(0, fogExtinction) : 0
    self.precipitation = precipitation
    self.skyColour = skyColour
    self.groundColour = groundColour
    self.groundReflectivity = groundReflectivity
    self.ambientFraction = ambientFraction
  }

  /// Total extinction coefficient of the air (1/m): fog plus precipitation.
  public var extinction: Double { fogExtinction + precipitation.extinction }

  /// The LiDAR's view of the same atmosphere.
  public var lidarAtmosphere: LidarAtmosphere {
    LidarAtmosphere(fogExtinction: fogExtinction, precipitation: precipitation)
  }

  /// The sensors' environment for a scene's stated conditions (`scene(...)` below).
  public init(_ c: Conditions) {
    self = Environment.scene(
      illuminance: c.illuminance, indoor: c.indoor, sunElevation: c.sunElevation, sunAzimuth: c.sunAzimuth,
      fogExtinction: c.fogExtinction, sky: c.sky, precipitation: c.precipitation)
  }

  /// The lighting and atmosphere a scenario's `environment` describes (the prelude's
  /// fields, already in base units): sky and ground colours, the share of diffuse light,
  /// and, for rain and snow, the state of the ground (docs/weather.md).
  ///
  /// - Indoors there is no sun and no sky: light comes from straight above, and precipitation
  ///   does not reach the scene (the checker warns when a scenario sets it indoors).
  /// - Outdoors a sun at or below the horizon leaves only `illuminance` as sky glow or
  ///   street lighting; an overcast sky, rain and snow make all light diffuse.
  /// - Rain darkens the ground (wet asphalt reflects about half as much light and, for the
  ///   LiDAR, absorbs its infrared) and the camera adds reflections; snow covers the ground
  ///   (albedo 0.8, infrared reflectivity 0.8).
  public static func scene(
    illuminance: Double, indoor: Bool, sunElevation: Double, sunAzimuth: Double, fogExtinction: Double,
    sky: SkyCover, precipitation: Precipitation
  ) -> Environment {
    if indoor {
      return Environment(
        sunDirection: Vec3(0, 0, 1), illuminance: illuminance, fogExtinction: fogExtinction, precipitation: .none,
        skyColour: RGB(0.05, 0.05, 0.05), groundColour: RGB(0.35, 0.35, 0.33), ambientFraction: 0.6,
        indoor: true)
    }
    let sun = Vec3(
      sunElevation.cosine * sunAzimuth.cosine, sunElevation.cosine * sunAzimuth.sine, sunElevation.sine)
    let diffuse = sky != .clear || precipitation != .none || sunElevation <= 0
    let dark = illuminance < 1000
    var ground = RGB(0.32, 0.31, 0.29)
    var groundReflectivity = 0.25
    switch precipitation {
    case .none: break
    case .rain:
      ground = RGB(0.17, 0.165, 0.155)
      groundReflectivity = 0.12
    case .snow:
      ground = RGB(0.80, 0.81, 0.84)
      groundReflectivity = 0.8
    }
    let skyColour =
      dark ? RGB(0.04, 0.05, 0.09) : (diffuse ? RGB(0.6, 0.62, 0.65) : RGB(0.55, 0.70, 0.92))
    return Environment(
      sunDirection: sun, illuminance: illuminance, fogExtinction: fogExtinction, precipitation: precipitation,
      skyColour: skyColour, groundColour: ground, groundReflectivity: groundReflectivity,
      ambientFraction: diffuse ? 0.9 : 0.3)
  }

  /// The sun's direction for a local solar time (hours, 0…24) on an equinox-like day: it
  /// rises at 6:00 towards world −y, culminates at 12:00 over +x at `noonElevation` degrees
  /// and sets at 18:00 towards +y. Outside 6–18 h it sits below the horizon.
  public static func sunDirection(hourOfDay: Double, noonElevation: Double = 60) -> Vec3 {
    let phase = (hourOfDay - 6) / 12 * Double.pi
    let elevation = phase.sine * noonElevation.radians
    let azimuth = -Double.pi / 2 + phase  // −y at sunrise, +x at noon, +y at sunset
    return Vec3(elevation.cosine * azimuth.cosine, elevation.cosine * azimuth.sine, elevation.sine)
  }

  /// The camera's default brightness scale for this illuminance (`CameraExposure.scene`):
  /// it compensates most of the change in light but not all of it (the scale grows with the
  /// fourth root of the illuminance), so a dusk scene still reads darker than noon; 1.0 at
  /// 50 000 lux.
  public var exposureScale: Double { CameraExposure.scene.scale(illuminance: illuminance) ?? 1 }
}
