/// Tuning of the contact solver and sleeping. The defaults suit bodies from a few
/// centimetres to a few metres at steps of 1/60 s to 1/1000 s.
public struct SolverSettings: Hashable, Sendable {
  /// Sequential-impulse passes over all contacts per substep.
  public var velocityIterations: Int = 8
  /// Passes of the split-impulse position correction per substep.
  public var positionIterations: Int = 3
  /// Fraction of the penetration (beyond `linearSlop`) removed per substep by the
  /// position correction. It moves positions only, never velocities, so it adds no energy.
  public var positionCorrection: Double = 0.2
  /// Penetration tolerated without correction (metres); keeps resting contacts alive.
  public var linearSlop: Double = 0.001
  /// Contacts are generated this far apart (metres) before touching, so the solver can
  /// stop an approaching body exactly at the surface; the body speed times the step is
  /// added on top.
  public var speculativeMargin: Double = 0.01
  /// Approach speeds (m/s) below this do not bounce, which lets bodies come to rest.
  public var restitutionThreshold: Double = 0.5
  /// A pair counts as touching (for events and `collided`) when a contact's separation
  /// is at most this (metres).
  public var touchTolerance: Double = 1e-4
  /// A touching pair stops touching only once every contact is farther apart than this
  /// (metres). The hysteresis keeps a body rocking or pivoting on an edge from firing
  /// streams of begin/end events.
  public var touchReleaseDistance: Double = 0.005
  /// Start each substep from the previous substep's impulses (matched by contact id).
  public var warmStarting: Bool = true
  public var sleepEnabled: Bool = true
  /// Speeds (m/s and rad/s) under which a body counts as resting.
  public var sleepLinearSpeed: Double = 0.05
  public var sleepAngularSpeed: Double = 0.05
  /// Seconds a whole island must rest before it sleeps.
  public var timeToSleep: Double = 0.5

  public init() {}
}
