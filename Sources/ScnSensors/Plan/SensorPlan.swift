import ScnDataset
import ScnGeometry
import ScnScene
import ScnUnits

/// One sensor of a sampled scene, read from its fields: what to render and how.
public struct SensorPlan: Sendable {
  public enum Kind: Sendable {
    case camera(width: Int, height: Int, fov: Double, lens: CameraLens, outputs: Set<String>)
    case lidar(LidarSensor)
  }

  public let name: String
  public let kind: Kind
  public let mount: String?
  public let rateHz: Double
  /// The sensor's world pose (body frame: x forward, y left, z up).
  public let pose: Transform
  /// Cameras: rays per pixel for the RGB image (1, 4, 9 or 16).
  public private(set) var samplesPerPixel = 1
  /// Cameras: how the exposure is set (`exposure`, `ev`).
  public private(set) var exposure = CameraExposure.scene
  /// Cameras: shot and read noise (`full_well`, `read_noise`).
  public private(set) var noise = SensorNoise()
  /// Cameras: the colour temperature the white balance corrects for (`white_balance`, K).
  public private(set) var whiteBalanceKelvin = WhiteBalance.neutralKelvin

  /// The settings `request` describes, with the prelude's defaults for fields it lacks.
  public init(_ sensor: SensorRequest) throws(SensorPlanError) {
    name = sensor.name
    mount = sensor.mount
    pose = sensor.pose
    mountPose = sensor.mountPose
    let rate = sensor.parameters["rate"]?.real ?? 10
    guard rate > 0 else { throw SensorPlanError("sensor '\(sensor.name)' has a non-positive rate") }
    rateHz = rate
    switch sensor.type {
    case "Camera":
      var width = 640, height = 480
      if case .tuple(let xs)? = sensor.parameters["resolution"], xs.count == 2,
        let w = xs[0].int, let h = xs[1].int
      {
        width = w
        height = h
      }
      guard (1...16384).contains(width), (1...16384).contains(height) else {
        throw SensorPlanError("camera '\(sensor.name)' resolution \(width)×\(height) is outside 1…16384")
      }
      let fov = sensor.parameters["fov"]?.real ?? .pi / 2
      let lens: CameraLens
      if case .name("fisheye")? = sensor.parameters["model"] {
        var k = [0.0, 0, 0, 0]
        if case .tuple(let xs)? = sensor.parameters["fisheye_distortion"], xs.count == 4 {
          k = xs.map { $0.real ?? 0 }
        }
        let fisheye = FisheyeDistortion(k1: k[0], k2: k[1], k3: k[2], k4: k[3])
        // The checker applies the same limits to constant settings (E0630, E0631).
        if let problem = FisheyeLimits.problem(fisheye, width: Double(width), height: Double(height), fov: fov) {
          throw SensorPlanError("camera '\(sensor.name)': \(problem)")
        }
        lens = .fisheye(fisheye)
      } else {
        guard fov > 0, fov < .pi else {
          throw SensorPlanError("camera '\(sensor.name)' fov must be between 0 and 180 degrees (a wider lens needs model: fisheye)")
        }
        var k = [0.0, 0, 0, 0, 0]
        if case .tuple(let xs)? = sensor.parameters["distortion"], xs.count == 5 {
          k = xs.map { $0.real ?? 0 }
        }
        lens = .pinhole(LensDistortion(k1: k[0], k2: k[1], p1: k[2], p2: k[3], k3: k[4]))
      }
      let samples = sensor.parameters["samples_per_pixel"]?.int ?? 1
      // The checker and the sampler already apply this limit (E0258, E0511); kept as the
      // renderer's own guard through the one definition.
      if let problem = SensorLimits.problem(type: "Camera", field: "samples_per_pixel", numbers: [Double(samples)]) {
        throw SensorPlanError("camera '\(sensor.name)': \(problem)")
      }
      samplesPerPixel = samples
      // Exposure and noise: the checker and the sampler apply `SensorLimits` to these too.
      func number(_ field: String, _ fallback: Double) throws(SensorPlanError) -> Double {
        let x = sensor.parameters[field]?.real ?? fallback
        if let problem = SensorLimits.problem(type: "Camera", field: field, numbers: [x]) {
          throw SensorPlanError("camera '\(sensor.name)': \(problem)")
        }
        return x
      }
      let ev = try number("ev", SensorLimits.defaultEV100)
      switch sensor.parameters["exposure"] {
      case .name("fixed")?: exposure = .fixed(ev100: ev)
      case .name("auto")?: exposure = .automatic
      default: exposure = .scene
      }
      noise = SensorNoise(fullWell: try number("full_well", SensorNoise.defaultFullWell),
                          readNoise: try number("read_noise", SensorNoise.defaultReadNoise))
      whiteBalanceKelvin = try number("white_balance", WhiteBalance.neutralKelvin)
      var outputs: Set<String> = ["rgb"]
      if case .list(let xs)? = sensor.parameters["outputs"] {
        outputs = Set(xs.compactMap { v -> String? in
          if case .name(let s) = v { return s }
          return nil
        })
      }
      kind = .camera(width: width, height: height, fov: fov, lens: lens, outputs: outputs)
    case "Lidar":
      func real(_ n: String, _ d: Double) -> Double { sensor.parameters[n]?.real ?? d }
      let channels = sensor.parameters["channels"]?.int ?? 32
      let hfov = min(2 * .pi, max(0, real("horizontal_fov", 2 * .pi)))
      let resolution = real("horizontal_resolution", 0.2 * .pi / 180)
      guard (1...1024).contains(channels), resolution > 0 else {
        throw SensorPlanError("LiDAR '\(sensor.name)' needs 1…1024 channels and a positive horizontal resolution")
      }
      let steps = Int((2 * .pi / resolution).rounded())
      guard (1...200_000).contains(steps) else { throw SensorPlanError("LiDAR '\(sensor.name)' horizontal resolution is too fine") }
      kind = .lidar(
        LidarSensor(
          channels: channels, minElevation: real("fov_lower", -25 * .pi / 180), maxElevation: real("fov_upper", 15 * .pi / 180),
          azimuthSteps: steps, minRange: max(0, real("min_range", 0.5)), maxRange: real("range", 100),
          rangeNoise: max(0, real("noise", 0)), dropoutProbability: min(1, max(0, real("dropout", 0))),
          pose: pose))
      horizontalFOV = hfov
      return
    default:
      throw SensorPlanError("sensor '\(sensor.name)' has type '\(sensor.type)', which generate cannot render (Camera or Lidar)")
    }
    horizontalFOV = 2 * .pi
  }

  /// LiDAR coverage centred on the sensor's +x; points outside it are dropped after the scan.
  public let horizontalFOV: Double

  /// The mount's pose at t = 0 (nil: mounted on the world).
  public let mountPose: Transform?

  /// `calib/{name}/{sample:06}.json`: intrinsics, lens, and the pose relative to the mount
  /// at t = 0.
  public var calibration: SensorCalibration {
    let relative = mountPose.map { $0.inverse * pose } ?? pose
    let extrinsics = ScnDataset.Pose(
      position: Vec3(relative.translation.x, relative.translation.y, relative.translation.z),
      rotation: [relative.rotation.w, relative.rotation.x, relative.rotation.y, relative.rotation.z])
    switch kind {
    case .camera(let width, let height, let fov, let lens, let outputs):
      let f = lens.focalLength(width: width, horizontalFOV: fov)
      let k = CameraIntrinsics(width: width, height: height, fx: f, fy: f, cx: Double(width) / 2, cy: Double(height) / 2)
      let model: SensorCalibration.LensModel
      let coefficients: [Double]
      switch lens {
      case .pinhole(let d):
        model = .pinhole
        coefficients = d.isNone ? [] : [d.k1, d.k2, d.p1, d.p2, d.k3]
      case .fisheye(let d):
        model = .fisheye
        coefficients = d.coefficients
      }
      return SensorCalibration(
        name: name, kind: .camera, mount: mount ?? "world", extrinsics: extrinsics, width: width, height: height,
        intrinsics: k.matrix, lensModel: model, distortion: coefficients, rateHz: rateHz,
        settings: [
          "fov_deg": SensorText.number(fov * 180 / .pi), "outputs": outputs.sorted().joined(separator: ","),
          "samples_per_pixel": String(samplesPerPixel), "exposure": exposureText,
          "full_well_e": SensorText.number(noise.fullWell), "read_noise_e": SensorText.number(noise.readNoise),
          "white_balance_k": SensorText.number(whiteBalanceKelvin),
        ])
    case .lidar(let l):
      return SensorCalibration(
        name: name, kind: .lidar, mount: mount ?? "world", extrinsics: extrinsics, rateHz: rateHz,
        settings: [
          "channels": String(l.channels), "fov_lower_deg": SensorText.number(l.minElevation * 180 / .pi),
          "fov_upper_deg": SensorText.number(l.maxElevation * 180 / .pi),
          "horizontal_fov_deg": SensorText.number(horizontalFOV * 180 / .pi),
          "azimuth_steps": String(l.azimuthSteps), "range_m": SensorText.number(l.maxRange),
          "min_range_m": SensorText.number(l.minRange), "noise_m": SensorText.number(l.rangeNoise),
          "dropout": SensorText.number(l.dropoutProbability),
        ])
    }
  }

  /// The exposure as the calibration and the card state it.
  public var exposureText: String {
    switch exposure {
    case .scene: "scene"
    case .fixed(let ev): "fixed EV100 \(SensorText.number(ev))"
    case .automatic: "auto"
    }
  }

  /// Cameras: the white balance's per-channel gains (`WhiteBalance`).
  public var whiteBalanceGains: SIMD3<Double> { WhiteBalance.gains(kelvin: whiteBalanceKelvin) }

  /// The prelude type the plan was read from.
  public var typeName: String {
    switch kind {
    case .camera: "Camera"
    case .lidar: "Lidar"
    }
  }

  /// A one-line summary for the dataset card.
  public var settingsText: String {
    switch kind {
    case .camera(let width, let height, let fov, let lens, let outputs):
      let lensText: String
      switch lens {
      case .pinhole(let d): lensText = d.isNone ? "" : ", Brown–Conrady distortion"
      case .fisheye(let d):
        lensText = d == .equidistant ? ", equidistant fisheye" : ", Kannala–Brandt fisheye"
      }
      return "\(width)×\(height), \(SensorText.number(fov * 180 / .pi))° horizontal FOV, \(SensorText.number(rateHz)) Hz"
        + lensText
        + (samplesPerPixel > 1 ? ", \(samplesPerPixel) rays per pixel" : "") + ", exposure \(exposureText)"
        + ", noise \(SensorText.number(noise.fullWell)) e⁻ full well, \(SensorText.number(noise.readNoise)) e⁻ read"
        + ", white balance \(SensorText.number(whiteBalanceKelvin)) K"
        + "; outputs: "
        + outputs.sorted().joined(separator: ", ")
    case .lidar(let l):
      return "\(l.channels) channels, \(SensorText.number(l.minElevation * 180 / .pi))° to \(SensorText.number(l.maxElevation * 180 / .pi))°, "
        + "\(SensorText.number(horizontalFOV * 180 / .pi))° × \(l.azimuthSteps) steps per turn, range \(SensorText.number(l.maxRange)) m, "
        + "\(SensorText.number(rateHz)) Hz"
    }
  }
}

/// A sensor whose fields generate cannot render (the message names the sensor).
public struct SensorPlanError: Error, Sendable, Equatable, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}

/// Short decimal text for card and calibration settings.
public enum SensorText {
  /// At most 6 significant decimals, fixed format.
  public static func number(_ x: Double) -> String {
    guard x.isFinite else { return x > 0 ? "inf" : (x < 0 ? "-inf" : "nan") }
    let r = (x * 1_000_000).rounded() / 1_000_000
    if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
    return "\(r)"
  }
}

/// Seeds of per-sensor noise: a pure function of (dataset seed, sample, frame, sensor position).
public enum NoiseSeed {
  public static func of(seed: UInt64, sample: Int, frame: Int, sensor: Int) -> UInt64 {
    var h = mix(seed ^ 0x5343_4E5F_4E4F_4953)
    h = mix(h ^ UInt64(truncatingIfNeeded: sample))
    h = mix(h ^ UInt64(truncatingIfNeeded: frame) &* 0x9E37_79B9_7F4A_7C15)
    return mix(h ^ UInt64(truncatingIfNeeded: sensor) &* 0xC2B2_AE3D_27D4_EB4F)
  }

  /// SplitMix64's finaliser.
  static func mix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
