/// The settings the StdLib's `Camera` and `Lidar` (prelude) accept, in one place: the
/// checker applies them to constant field values (E0258, at the field), the sampler to
/// values known only when a sample is drawn (E0511, at the field), and the renderer relies
/// on them. Numbers are in base units (angles in radians, frequencies in Hz).
public enum SensorLimits {
  /// Largest image width or height, in pixels.
  public static let maxImageSide = 16_384
  /// Most LiDAR channels (beams).
  public static let maxLidarChannels = 1_024
  /// Most LiDAR firings per sweep (`360deg / horizontal_resolution`).
  public static let maxLidarAzimuthSteps = 200_000
  /// A camera's `ev` (EV100 of a fixed exposure): its default and range.
  public static let defaultEV100 = 12.0
  public static let ev100Range = -10.0...25.0
  /// Largest `full_well` and `read_noise` (electrons).
  public static let maxFullWell = 1e7
  public static let maxReadNoise = 1e4
  /// A camera's `white_balance` (kelvin): the range of the Planckian-locus fit it uses.
  public static let whiteBalanceRange = 1667.0...25_000.0

  /// Why `numbers` (the field's value: one number, or a tuple's numbers) is not a valid
  /// `field` of a sensor of type `type`; nil when it is, or when the field has no limit.
  public static func problem(type: String, field: String, numbers: [Double]) -> String? {
    let degrees = 180 / Double.pi
    func format(_ x: Double) -> String {
      x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
    switch (type, field) {
    case ("Camera", "resolution"):
      guard numbers.count == 2 else { return nil }
      let side = 1...Double(maxImageSide)
      guard side.contains(numbers[0]), side.contains(numbers[1]) else {
        return "a camera's resolution must be between 1×1 and \(maxImageSide)×\(maxImageSide) pixels, found \(format(numbers[0]))×\(format(numbers[1]))"
      }
    case ("Camera", "fov"):
      guard let x = numbers.first else { return nil }
      // 180deg and more only through a fisheye lens (the checker's E0631, the sensor plan).
      guard x > 0, x <= 2 * .pi else {
        return "a camera's fov must be greater than 0deg and at most 360deg, found \(format(x * degrees))deg"
      }
    case ("Camera", "samples_per_pixel"):
      guard let x = numbers.first else { return nil }
      guard [1.0, 4, 9, 16].contains(x) else {
        return "a camera's samples_per_pixel must be 1, 4, 9 or 16 (a square grid of rays per pixel), found \(format(x))"
      }
    case ("Camera", "ev"):
      guard let x = numbers.first else { return nil }
      guard ev100Range.contains(x) else {
        return "a camera's ev (EV100 of a fixed exposure) must be between \(format(ev100Range.lowerBound)) and \(format(ev100Range.upperBound)), found \(format(x))"
      }
    case ("Camera", "full_well"):
      guard let x = numbers.first else { return nil }
      guard x >= 1, x <= maxFullWell else {
        return "a camera's full_well must be between 1 and \(format(maxFullWell)) electrons, found \(format(x))"
      }
    case ("Camera", "read_noise"):
      guard let x = numbers.first else { return nil }
      guard x >= 0, x <= maxReadNoise else {
        return "a camera's read_noise must be between 0 and \(format(maxReadNoise)) electrons, found \(format(x))"
      }
    case ("Camera", "white_balance"):
      guard let x = numbers.first else { return nil }
      guard whiteBalanceRange.contains(x) else {
        return "a camera's white_balance must be between \(format(whiteBalanceRange.lowerBound)) and \(format(whiteBalanceRange.upperBound)) K, found \(format(x))"
      }
    case ("Camera", "rate"), ("Lidar", "rate"):
      guard let x = numbers.first else { return nil }
      guard x > 0, x.isFinite else { return "a sensor's rate must be positive, found \(format(x))Hz" }
    case ("Lidar", "channels"):
      guard let x = numbers.first else { return nil }
      guard x >= 1, x <= Double(maxLidarChannels) else {
        return "a LiDAR needs 1 to \(maxLidarChannels) channels, found \(format(x))"
      }
    case ("Lidar", "horizontal_resolution"):
      guard let x = numbers.first else { return nil }
      guard x > 0 else { return "a LiDAR's horizontal_resolution must be positive, found \(format(x * degrees))deg" }
      guard (2 * .pi / x).rounded() <= Double(maxLidarAzimuthSteps) else {
        return "a LiDAR's horizontal_resolution of \(format(x * degrees))deg gives more than \(maxLidarAzimuthSteps) firings per sweep; the finest is \(360.0 / Double(maxLidarAzimuthSteps))deg"
      }
    default:
      return nil
    }
    return nil
  }
}
