import ScnGeometry

/// What the simulation of one sample produced: the world at every sensor frame time, and
/// the collisions. `frames[k].actors[i]` is `Scene.actors[i]`; `frames[k].sensors[j]` is
/// `Scene.sensors[j]`.
public struct Trace: Sendable, Equatable {
  /// One actor's state at a frame time.
  public struct ActorState: Sendable, Equatable {
    /// Bottom centre of the actor's size box in the world frame (for a tumbling body, the
    /// centre of its own bottom face).
    public let position: Vec3
    /// Yaw of the body, counter-clockwise from +x.
    public let heading: Double
    /// Full orientation (tumbling props pitch and roll).
    public let rotation: Quaternion
    /// Speed in m/s: signed along the heading for vehicles, the length of the velocity otherwise.
    public let speed: Double
  }

  /// A sensor's world pose at a frame time: its mount's pose composed with its offset and
  /// its own yaw, pitch and roll.
  public struct SensorState: Sendable, Equatable {
    public let position: Vec3
    public let rotation: Quaternion
    /// Whether this sensor records a frame at this time (sensors may run at different rates).
    public let due: Bool
  }

  public struct Frame: Sendable, Equatable {
    /// Simulation step index (time = step × `step`).
    public let stepIndex: Int
    public let time: Double
    public let actors: [ActorState]
    public let sensors: [SensorState]
    /// Actors that do not exist at this frame (indices into `actors`, ascending): those of a
    /// sub-scenario that has not started yet (docs/language-tour.md, "Sub-scenarios in
    /// sequence"). Their state is the sampled one; they are not simulated, drawn or labelled.
    public var absent: [Int] = []
    /// Sensors that do not record at this frame (indices into `sensors`, ascending): those
    /// declared in a sub-scenario that is not running, before it starts or after it ends
    /// (docs/language-tour.md, "Sub-scenarios in sequence"), as its `record`s are not taken.
    public var idle: [Int] = []

    public init(
      stepIndex: Int, time: Double, actors: [ActorState], sensors: [SensorState], absent: [Int] = [], idle: [Int] = []
    ) {
      self.stepIndex = stepIndex
      self.time = time
      self.actors = actors
      self.sensors = sensors
      self.absent = absent
      self.idle = idle
    }
  }

  /// The actor index a collision gives the ground.
  public static let ground = -1
  /// The actor index a collision gives a map's traffic light (its pole or housing).
  public static let trafficLight = -2

  /// Two actors started or stopped touching. An actor index of `ground` (-1) is the
  /// ground, `trafficLight` (-2) a map's traffic light.
  public struct Collision: Sendable, Equatable {
    public let time: Double
    public let first: Int
    public let second: Int
    public let began: Bool
    public let position: Vec3
  }

  /// Physics step in seconds (`1 / rate` of `simulate T at R`; 0 without `simulate`).
  public let step: Double
  /// The time the run ended: the `simulate` duration, or earlier by `terminate when`.
  public let endTime: Double
  /// Whether a `terminate when` condition ended the run.
  public let terminated: Bool
  public let frames: [Frame]
  /// Contact events between actors (and actor–ground events of falling props), in time order.
  public let collisions: [Collision]
  /// The native actions the behaviors started, in the order they started (an action that
  /// runs on keeps its one record). Not written to datasets.
  public var actions: [ActionRecord] = []
  /// Why the run ended (Scenic's `terminationType`). Not written to datasets.
  public var reason = TerminationReason.timeLimit
  /// The values of the scenario's `record` statements, in source order (`samples.jsonl`'s
  /// `records`; docs/language-tour.md, "Recording values").
  public var records: [RecordedSeries] = []

  /// Why a simulation ended.
  public enum TerminationReason: String, Sendable, Equatable {
    /// It ran for the whole `simulate` duration.
    case timeLimit
    /// A scenario's `terminate when c` (or `terminate simulation when c`) held.
    case condition
    /// An actor's behavior ran `terminate` (or its `terminate when c` held).
    case behavior
    /// A monitor ran `terminate`.
    case monitor
  }
}
