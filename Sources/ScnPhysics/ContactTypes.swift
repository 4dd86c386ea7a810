import ScnGeometry

/// One contact point as kept from step to step (for warm starting and queries).
@usableFromInline struct ContactPoint: Sendable {
  @usableFromInline var position: Vec3
  /// From the manifold's body A to body B.
  @usableFromInline var normal: Vec3
  @usableFromInline var separation: Double
  @usableFromInline var feature: UInt32
  @usableFromInline var normalImpulse: Double
  @usableFromInline var tangentImpulse1: Double
  @usableFromInline var tangentImpulse2: Double
}

/// The contacts of one body pair. `bodyA`/`bodyB` follow the narrow phase's shape order,
/// which is fixed per pair; `key` is the `BodyPair` key (smaller id first).
@usableFromInline struct Manifold: Sendable {
  @usableFromInline var key: UInt64
  @usableFromInline var bodyA: Int32
  @usableFromInline var bodyB: Int32
  @usableFromInline var firstPoint: Int32
  @usableFromInline var pointCount: Int32
  @usableFromInline var touching: Bool
}

/// A body pair starting or ceasing to touch.
public struct ContactEvent: Hashable, Sendable {
  public enum Kind: Hashable, Sendable {
    case began
    case ended
  }

  public var kind: Kind
  /// Simulation time (seconds) at which the (no longer) touching geometry was observed.
  public var time: Double
  /// The two bodies, smaller id first.
  public var pair: BodyPair
  /// Position of the deepest contact point (for `ended`, the last one while touching).
  public var position: Vec3
  /// Contact normal at `position`, from `pair.first` to `pair.second`.
  public var normal: Vec3

  public init(kind: Kind = .began, time: Double, pair: BodyPair, position: Vec3, normal: Vec3) {
    self.kind = kind
    self.time = time
    self.pair = pair
    self.position = position
    self.normal = normal
  }
}

/// A contact as reported to callers.
public struct ContactInfo: Hashable, Sendable {
  public var pair: BodyPair
  public var position: Vec3
  /// From `pair.first` to `pair.second`.
  public var normal: Vec3
  /// Negative when the shapes overlap.
  public var separation: Double
  /// Normal impulse (N·s) applied in the last substep.
  public var normalImpulse: Double
}

/// The solver's per-point working data. Angular terms are precomputed (`r × d` and
/// `I⁻¹ (r × d)` for the normal and both tangents) so each iteration is a handful of dot
/// products and no matrix products.
@usableFromInline struct ContactConstraint: Sendable {
  @usableFromInline var bodyA: Int32
  @usableFromInline var bodyB: Int32
  @usableFromInline var invMassA: Double
  @usableFromInline var invMassB: Double
  @usableFromInline var normal: Vec3
  @usableFromInline var tangent1: Vec3
  @usableFromInline var tangent2: Vec3
  @usableFromInline var rAxN: Vec3
  @usableFromInline var rBxN: Vec3
  @usableFromInline var rAxT1: Vec3
  @usableFromInline var rBxT1: Vec3
  @usableFromInline var rAxT2: Vec3
  @usableFromInline var rBxT2: Vec3
  @usableFromInline var angNA: Vec3
  @usableFromInline var angNB: Vec3
  @usableFromInline var angT1A: Vec3
  @usableFromInline var angT1B: Vec3
  @usableFromInline var angT2A: Vec3
  @usableFromInline var angT2B: Vec3
  @usableFromInline var normalMass: Double
  @usableFromInline var tangentMass1: Double
  @usableFromInline var tangentMass2: Double
  @usableFromInline var friction: Double
  /// Lower bound on the normal relative velocity: the bounce target, or the speed that
  /// just closes a speculative gap.
  @usableFromInline var velocityBias: Double
  /// Target pseudo-velocity of the split-impulse position correction.
  @usableFromInline var positionBias: Double
  @usableFromInline var normalImpulse: Double
  @usableFromInline var tangentImpulse1: Double
  @usableFromInline var tangentImpulse2: Double
  @usableFromInline var pseudoImpulse: Double
  /// Index of the `ContactPoint` the impulses are written back to.
  @usableFromInline var pointIndex: Int32
}
