import ScnIR
import ScnSource

/// A behavior step with its expressions compiled to closures.
indirect enum CompiledStep: Sendable {
  /// `wait T`; the range is T's, for errors.
  case wait(Eval, SourceRange)
  case waitUntil(Eval)
  /// `do A …`; the range is A's, for errors of the action or behavior it starts.
  case perform(action: Eval, duration: Eval?, until: Eval?, SourceRange)
  case either(site: UInt32, branches: [[CompiledStep]])
}

/// A `behavior` declaration ready to run: its parameters occupy local slots 0 ..< count.
struct CompiledBehavior: Sendable {
  let name: String
  let parameterCount: Int
  let steps: [CompiledStep]
}

/// The program's behaviors by name, compiled with the sampler's compiler so their draw
/// sites and local slots are part of every context.
struct BehaviorTable: Sendable {
  private let behaviors: [String: CompiledBehavior]

  init(program: ProgramIR, compiler: ExprCompiler) {
    func compile(_ steps: [BehaviorStepIR]) -> [CompiledStep] {
      steps.map { step in
        switch step {
        case .wait(let d): .wait(compiler.compile(d), d.range)
        case .waitUntil(let c): .waitUntil(compiler.compile(c))
        case .perform(let a, let d, let u):
          .perform(action: compiler.compile(a), duration: d.map(compiler.compile), until: u.map(compiler.compile), a.range)
        case .either(let site, let branches): .either(site: site, branches: branches.map(compile))
        }
      }
    }
    var table: [String: CompiledBehavior] = [:]
    for b in program.behaviors {
      table[b.name] = CompiledBehavior(name: b.name, parameterCount: b.parameters.count, steps: compile(b.steps))
    }
    behaviors = table
  }

  /// Lookup only: the table is never iterated, so its order cannot reach an output.
  subscript(name: String) -> CompiledBehavior? { behaviors[name] }
}

/// The StdLib's `native action`s (prelude, "Behavior primitives"; std.vehicles, "Driving the
/// network"), in base units.
enum NativeAction: Sendable, Equatable {
  case followLane(speed: Double)
  case drive(speed: Double, steer: Double)
  case walkTo(target: SIMD3<Double>, speed: Double)
  case stop
  case setSpeed(Double)
  /// `change_lane(side, speed, duration)`: `left` is true for `LaneSide.left`.
  case changeLane(left: Bool, speed: Double, duration: Double)
  /// `follow_route(lanes, speed)`: the lanes in order (nil: an element that is not a region
  /// of a map, refused when the route is built).
  case followRoute(lanes: [MapLanes?], speed: Double)
  /// `follow_waypoints(points, speed)`.
  case followWaypoints(points: [SIMD3<Double>], speed: Double)

  static let names: Set<String> = [
    "follow_lane", "drive", "walk_to", "stop", "set_speed", "change_lane", "follow_route", "follow_waypoints",
  ]

  /// The action a call names, or nil when `call` is not a native action.
  static func from(_ call: BehaviorCall) -> NativeAction? {
    let a = call.arguments
    func real(_ i: Int) -> Double { i < a.count ? a[i].asDouble : 0 }
    switch call.name {
    case "follow_lane": return .followLane(speed: real(0))
    case "drive": return .drive(speed: real(0), steer: real(1))
    case "walk_to": return .walkTo(target: a.first?.asVector ?? .zero, speed: real(1))
    case "stop": return .stop
    case "set_speed": return .setSpeed(real(0))
    case "change_lane":
      guard case .enumCase(let side)? = a.first else { return .changeLane(left: true, speed: real(1), duration: real(2)) }
      return .changeLane(left: side == "left", speed: real(1), duration: real(2))
    case "follow_route":
      let lanes = (a.first?.asList ?? []).map { v -> MapLanes? in
        if case .region(.map(let m)) = v { return m }
        return nil
      }
      return .followRoute(lanes: lanes, speed: real(1))
    case "follow_waypoints":
      return .followWaypoints(points: (a.first?.asList ?? []).map(\.asVector), speed: real(1))
    default: return nil
    }
  }

  /// `walk_to`, `follow_route` and `follow_waypoints` finish on arrival; the others run until
  /// the behavior moves on.
  var finishes: Bool {
    switch self {
    case .walkTo, .followRoute, .followWaypoints: true
    default: false
    }
  }

  /// The language's name of a native action, for messages.
  var languageName: String {
    switch self {
    case .followLane: "follow_lane"
    case .drive: "drive"
    case .walkTo: "walk_to"
    case .stop: "stop"
    case .setSpeed: "set_speed"
    case .changeLane(let left, _, _): "change_lane(\(left ? "left" : "right"))"
    case .followRoute: "follow_route"
    case .followWaypoints: "follow_waypoints"
    }
  }
}
