import ScnGeometry

/// Limits and geometry of a kinematic car.
public struct VehicleParameters: Hashable, Sendable {
  /// Distance between the axles (metres).
  public var wheelbase: Double
  public var maxSpeed: Double
  /// Largest rate of speeding up and of slowing down (m/s²).
  public var maxAcceleration: Double
  public var maxDeceleration: Double
  /// Largest front-wheel angle (radians) and how fast it may change (rad/s).
  public var maxSteerAngle: Double
  public var maxSteerRate: Double
  /// Pure-pursuit look-ahead: `max(minLookahead, lookaheadTime × speed)` metres.
  public var lookaheadTime: Double
  public var minLookahead: Double

  /// Defaults describe a mid-size car.
  public init(
    wheelbase: Double = 2.8, maxSpeed: Double = 40, maxAcceleration: Double = 3, maxDeceleration: Double = 7,
    maxSteerAngle: Double = 0.6, maxSteerRate: Double = 1.0, lookaheadTime: Double = 0.8, minLookahead: Double = 4
  ) {
    self.wheelbase = wheelbase
    self.maxSpeed = maxSpeed
    self.maxAcceleration = maxAcceleration
    self.maxDeceleration = maxDeceleration
    self.maxSteerAngle = maxSteerAngle
    self.maxSteerRate = maxSteerRate
    self.lookaheadTime = lookaheadTime
    self.minLookahead = minLookahead
  }

  var isValid: Bool {
    [wheelbase, maxSpeed, maxAcceleration, maxDeceleration, maxSteerAngle, maxSteerRate, lookaheadTime, minLookahead]
      .allSatisfy { $0.isFinite && $0 > 0 } && maxSteerAngle < .pi / 2
  }
}

/// What a vehicle is told to do. Speeds are along the heading (negative reverses).
public enum VehicleCommand: Hashable, Sendable {
  /// Hold `speed` and steer the front wheels to `steer` radians (positive: left).
  case drive(speed: Double, steer: Double)
  /// Change the target speed, keeping the current steering mode (fixed angle or lane).
  case setSpeed(Double)
  /// Follow `lane`'s centre line with pure pursuit at `speed`.
  case followLane(LanePath, speed: Double)
  /// Brake to a standstill, keeping the wheels where they are.
  case stop
}

/// A kinematic bicycle model: the rear axle moves along the heading, the heading turns at
/// `speed × tan(steer) / wheelbase`; speed and steering follow their targets within the
/// acceleration and steer-rate limits. Without a lane it drives along its heading.
///
/// `position` is the centre of the body, midway between the axles, on the ground.
public struct KinematicVehicle: Hashable, Sendable {
  public let parameters: VehicleParameters
  /// Rear-axle midpoint (z = ground).
  public private(set) var rearAxle: Vec3
  public private(set) var yaw: Double
  public private(set) var speed: Double = 0
  public private(set) var steerAngle: Double = 0
  public private(set) var targetSpeed: Double = 0
  public private(set) var targetSteer: Double = 0
  public private(set) var lane: LanePath?
  private var laneIsClosed = false

  /// A vehicle at rest whose centre is at `position` facing `yaw`; `nil` if a parameter
  /// is not positive and finite or the pose is not finite.
  public init?(parameters: VehicleParameters = VehicleParameters(), position: Vec3, yaw: Double) {
    guard parameters.isValid, position.x.isFinite, position.y.isFinite, position.z.isFinite, yaw.isFinite
    else { return nil }
    self.parameters = parameters
    self.yaw = yaw
    self.rearAxle = position - Vec3(yaw.cosine, yaw.sine, 0) * (parameters.wheelbase / 2)
  }

  /// Puts the vehicle's centre at `position` facing `yaw` (a teleport: speed, steering and
  /// command are kept). Non-finite input is ignored.
  public mutating func place(at position: Vec3, yaw: Double) {
    guard position.x.isFinite, position.y.isFinite, position.z.isFinite, yaw.isFinite else { return }
    self.yaw = yaw
    rearAxle = position - Vec3(yaw.cosine, yaw.sine, 0) * (parameters.wheelbase / 2)
  }

  /// Centre of the body, midway between the axles.
  public var position: Vec3 { rearAxle + heading * (parameters.wheelbase / 2) }

  /// Unit vector along the heading.
  public var heading: Vec3 { Vec3(yaw.cosine, yaw.sine, 0) }

  /// Velocity of the body centre.
  public var velocity: Vec3 {
    heading * speed + Vec3(0, 0, yawRate).cross(heading * (parameters.wheelbase / 2))
  }

  /// Heading change rate (rad/s) from the bicycle model.
  public var yawRate: Double { speed * steerAngle.tangent / parameters.wheelbase }

  /// Applies a command; non-finite numbers are ignored (the previous target stays).
  public mutating func apply(_ command: VehicleCommand) {
    switch command {
    case .drive(let v, let steer):
      guard v.isFinite, steer.isFinite else { return }
      targetSpeed = clampSpeed(v)
      targetSteer = Swift.min(Swift.max(steer, -parameters.maxSteerAngle), parameters.maxSteerAngle)
      lane = nil
    case .setSpeed(let v):
      guard v.isFinite else { return }
      targetSpeed = clampSpeed(v)
    case .followLane(let path, let v):
      guard v.isFinite else { return }
      lane = path
      laneIsClosed = path.isClosed
      targetSpeed = clampSpeed(v)
    case .stop:
      targetSpeed = 0
    }
  }

  private func clampSpeed(_ v: Double) -> Double { Swift.min(Swift.max(v, -parameters.maxSpeed), parameters.maxSpeed) }

  /// Advances the model by `dt` seconds.
  public mutating func advance(dt: Double) {
    guard dt > 0 else { return }
    if let lane { targetSteer = pursuitSteer(on: lane) }
    let maxSteerStep = parameters.maxSteerRate * dt
    steerAngle += Swift.min(Swift.max(targetSteer - steerAngle, -maxSteerStep), maxSteerStep)
    // Speeding up (away from zero) uses the acceleration limit, slowing down the braking one.
    let speedingUp = abs(targetSpeed) > abs(speed) && (targetSpeed >= 0) == (speed >= 0)
    let maxSpeedStep = (speedingUp ? parameters.maxAcceleration : parameters.maxDeceleration) * dt
    speed += Swift.min(Swift.max(targetSpeed - speed, -maxSpeedStep), maxSpeedStep)
    // Midpoint heading integrates a constant-curvature step to second order.
    let rate = yawRate
    let midYaw = yaw + rate * dt / 2
    rearAxle += Vec3(midYaw.cosine, midYaw.sine, 0) * (speed * dt)
    yaw = wrapAngle(yaw + rate * dt)
  }

  /// Pure pursuit from the rear axle: the steering that puts the axle on the circle
  /// through the look-ahead point tangent to the heading. Using the actual chord to that
  /// point (not the nominal look-ahead) makes a constant-radius lane a fixed point.
  func pursuitSteer(on lane: LanePath) -> Double {
    let lookahead = Swift.max(parameters.minLookahead, parameters.lookaheadTime * abs(speed))
    let projection = lane.closestPoint(to: rearAxle)
    let direction: Double = speed < 0 || (speed == 0 && targetSpeed < 0) ? -1 : 1
    var s = projection.arcLength + direction * lookahead
    if laneIsClosed, lane.length > 0 {
      s = s.truncatingRemainder(dividingBy: lane.length)
      if s < 0 { s += lane.length }
    }
    let target = lane.point(atArcLength: s)
    let toTarget = Vec3(target.x - rearAxle.x, target.y - rearAxle.y, 0)
    let chord = toTarget.length
    guard chord > 1e-9 else { return steerAngle }
    // Angle of the target off the heading, in the vehicle frame.
    let h = heading
    let alpha = atan2Double(h.x * toTarget.y - h.y * toTarget.x, h.dot(toTarget))
    let curvature = 2 * alpha.sine / chord
    let steer = atan2Double(parameters.wheelbase * curvature, 1) * direction
    return Swift.min(Swift.max(steer, -parameters.maxSteerAngle), parameters.maxSteerAngle)
  }
}
