import ScnGeometry

/// A walker on the ground that heads for a target at a cruising speed, speeding up and
/// slowing down within `maxAcceleration`, and stops on the target.
public struct KinematicPedestrian: Hashable, Sendable {
  public private(set) var position: Vec3
  public private(set) var velocity: Vec3 = .zero
  /// Faces the direction of motion; kept while standing.
  public private(set) var yaw: Double
  public private(set) var target: Vec3?
  public private(set) var cruiseSpeed: Double = 0
  public let maxAcceleration: Double

  /// `nil` if the pose is not finite or `maxAcceleration` is not positive and finite.
  public init?(position: Vec3, yaw: Double = 0, maxAcceleration: Double = 1.5) {
    guard position.x.isFinite, position.y.isFinite, position.z.isFinite, yaw.isFinite,
      maxAcceleration.isFinite, maxAcceleration > 0
    else { return nil }
    self.position = position
    self.yaw = yaw
    self.maxAcceleration = maxAcceleration
  }

  /// True when there is no target left (reached or never given).
  public var hasArrived: Bool { target == nil }

  /// Walks to `target` (its z is ignored: the walker stays at its height) at `speed` m/s.
  /// Non-finite or negative input is ignored.
  public mutating func walk(to target: Vec3, speed: Double) {
    guard target.x.isFinite, target.y.isFinite, speed.isFinite, speed >= 0 else { return }
    self.target = Vec3(target.x, target.y, position.z)
    cruiseSpeed = speed
  }

  /// Puts the walker at `position` facing `yaw` (a teleport: its target, cruise speed and
  /// velocity are kept). Non-finite input is ignored.
  public mutating func place(at position: Vec3, yaw: Double) {
    guard position.x.isFinite, position.y.isFinite, position.z.isFinite, yaw.isFinite else { return }
    self.position = position
    self.yaw = yaw
    if let t = target { target = Vec3(t.x, t.y, position.z) }
  }

  /// Stops as quickly as the acceleration limit allows.
  public mutating func stop() {
    target = nil
  }

  /// Moves the walker by `dt` seconds: steers its velocity toward the target (capped at the
  /// cruise speed and at the speed it can still brake from), within `maxAcceleration`.
  public mutating func advance(dt: Double) {
    guard dt > 0 else { return }
    let maxChange = maxAcceleration * dt
    var desired = Vec3.zero
    if let goal = target {
      let offset = goal - position
      let distance = offset.length
      // The fastest speed from which the walker can still brake to a stop on the target
      // in whole ticks: braking by a·dt per tick covers a·dt²·k(k+1)/2 in k ticks.
      let ticks = (0.25 + 2 * distance / (maxAcceleration * dt * dt)).squareRoot() - 0.5
      let brakingSpeed = maxAcceleration * dt * ticks
      desired = distance > 0 ? offset / distance * Swift.min(cruiseSpeed, brakingSpeed) : .zero
      if distance <= desired.length * dt + 1e-12 || distance < 1e-9 {
        // The target is within this tick's step, taken at a speed the walker can shed at
        // once: arrive exactly and stand.
        if velocity.length <= maxChange * (1 + 1e-9) {
          position = goal
          velocity = .zero
          target = nil
          return
        }
      }
    }
    var change = desired - velocity
    let len = change.length
    if len > maxChange { change *= maxChange / len }
    velocity += change
    position += velocity * dt
    if velocity.length > 1e-3 { yaw = atan2Double(velocity.y, velocity.x) }
  }
}
