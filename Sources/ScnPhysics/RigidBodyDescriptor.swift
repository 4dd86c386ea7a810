import ScnGeometry

/// How a body moves.
public enum MotionType: Hashable, Sendable {
  /// Moved by forces and contacts.
  case dynamic
  /// Never moves; infinite mass.
  case `static`
  /// Moved by the caller (or an attached vehicle/pedestrian controller) through its
  /// velocity; pushes dynamic bodies but is not pushed back (infinite mass).
  case kinematic
}

/// How a dynamic body's mass is given.
public enum MassSpecification: Hashable, Sendable {
  /// Total mass in kilograms; inertia follows from the shape assuming uniform density.
  case mass(Double)
  /// Density in kg/m³; mass is density × the shape's volume.
  case density(Double)
}

/// Everything needed to create a body.
public struct RigidBodyDescriptor: Hashable, Sendable {
  public var shape: CollisionShape
  /// The pose of the shape's frame (a dynamic hull's or compound's centre of mass may lie
  /// elsewhere in it: `PhysicsWorld.centerOfMass(of:)`).
  public var transform: Transform
  public var motion: MotionType
  /// Ignored for static and kinematic bodies.
  public var mass: MassSpecification
  /// Coulomb friction coefficient; a pair uses the geometric mean of its two bodies.
  public var friction: Double
  /// Coefficient of restitution in [0, 1]; a pair uses the larger of its two bodies.
  public var restitution: Double
  /// The velocity of the centre of mass.
  public var linearVelocity: Vec3
  public var angularVelocity: Vec3
  /// Fraction of linear velocity lost per second (0 = none).
  public var linearDamping: Double
  /// Fraction of angular velocity lost per second (0 = none).
  public var angularDamping: Double
  /// Whether the body may be put to sleep when it comes to rest.
  public var allowsSleep: Bool

  /// A dynamic body of water-like density (1000 kg/m³) at rest at the origin unless told otherwise.
  public init(
    shape: CollisionShape, transform: Transform = .identity, motion: MotionType = .dynamic,
    mass: MassSpecification = .density(1000), friction: Double = 0.5, restitution: Double = 0,
    linearVelocity: Vec3 = .zero, angularVelocity: Vec3 = .zero,
    linearDamping: Double = 0, angularDamping: Double = 0, allowsSleep: Bool = true
  ) {
    self.shape = shape
    self.transform = transform
    self.motion = motion
    self.mass = mass
    self.friction = friction
    self.restitution = restitution
    self.linearVelocity = linearVelocity
    self.angularVelocity = angularVelocity
    self.linearDamping = linearDamping
    self.angularDamping = angularDamping
    self.allowsSleep = allowsSleep
  }
}

/// Why a body or actor could not be added.
public enum PhysicsError: Error, Hashable, Sendable {
  /// A size is not positive and finite.
  case invalidShape(CollisionShape)
  /// A plane must be static.
  case movingPlane
  /// Mass or density is not positive and finite.
  case invalidMass(MassSpecification)
  /// Friction, restitution, damping, a pose or a velocity is out of range or not finite.
  case invalidParameter(String)
  /// The id names no body of this world, or a body of the wrong kind for the call.
  case unknownBody(BodyID)
}
