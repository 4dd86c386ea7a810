import ScnGeometry

@testable import ScnPhysics

/// Small scene builders shared by the tests.
enum TestScenes {
  static let g = 9.81

  static func world(sleep: Bool = true) -> PhysicsWorld {
    var settings = SolverSettings()
    settings.sleepEnabled = sleep
    return PhysicsWorld(gravity: Vec3(0, 0, -g), settings: settings)
  }

  /// `count` boxes in layers of 5×5 on a ground plane, each slightly turned and offset so
  /// that the layers land on one another at angles.
  static func fallingBoxes(count: Int, sleep: Bool = true) throws -> PhysicsWorld {
    var w = world(sleep: sleep)
    try w.addGroundPlane(friction: 0.6)
    for i in 0..<count {
      let layer = i / 25
      let column = (i % 25) % 5
      let row = (i % 25) / 5
      let offset = layer % 2 == 0 ? 0.0 : 0.15
      let position = Vec3(Double(column) * 0.6 + offset, Double(row) * 0.6 + offset, 0.3 + Double(layer) * 0.5)
      let yaw = Double(i % 7) * 0.21
      try w.addBody(
        RigidBodyDescriptor(
          shape: .box(halfExtents: Vec3(0.2, 0.2, 0.2)),
          transform: Transform(
            rotation: Quaternion(yaw: yaw, pitch: 0.05 * Double(i % 3), roll: 0), translation: position),
          mass: .mass(1), friction: 0.6))
    }
    return w
  }
}
