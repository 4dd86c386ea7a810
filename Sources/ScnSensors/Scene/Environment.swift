import ScnGeometry

/// Lighting and atmosphere shared by every sensor.
public struct Environment: Hashable, Sendable {
  /// Unit vector from the scene towards the sun (world frame). Below the horizon means night:
  /// only sky light remains.
  public var sunDirection: Vec3
  /// Illuminance on a horizontal surface, in lux (≈100 000 clear noon, 10 000 overcast,
  /// 500 an office). Sets the camera's exposure, see `exposureScale`.
  public var illuminance: Double
  /// Extinction coefficient of the fog per metre; 0 = clear air.
  public var fogDensity: Double
  /// Sky colour at the horizon (linear RGB); the zenith is a darker shade of it.
  public var skyColour: RGB
  public var groundColour: RGB
  /// Diffuse reflectivity of the ground for LiDAR.
  public var groundReflectivity: Double
  /// Share of light that comes from the whole sky rather than the sun (0…1).
  public var ambientFraction: Double

  public init(
    sunDirection: Vec3 = Environment.sunDirection(hourOfDay: 10), illuminance: Double = 50_000,
    fogDensity: Double = 0, skyColour: RGB = RGB(0.55, 0.70, 0.92), groundColour: RGB = RGB(0.32, 0.31, 0.29),
    groundReflectivity: Double = 0.25, ambientFraction: Double = 0.3
  ) {
    self.sunDirection = sunDirection.normalized
    self.illuminance = illuminance
    self.fogDensity = fogDensity
    self.skyColour = skyColour
    self.groundColour = groundColour
    self.groundReflectivity = groundReflectivity
    self.ambientFraction = ambientFraction
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

  /// The camera's brightness scale for this illuminance. Auto-exposure compensates most of
  /// the change in light but not all of it (the scale grows with the fourth root of the
  /// illuminance), so a dusk scene still reads darker than noon; 1.0 at 50 000 lux.
  public var exposureScale: Double {
    let ratio = Swift.max(illuminance, 0) / 50_000
    return Swift.min(1.25, Swift.max(0.02, powDouble(ratio, 0.25)))
  }
}
