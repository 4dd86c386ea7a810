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
  case assign(slot: Int, Eval)
  /// `self.field = v`; the range is the statement's.
  case setField(String, Eval, SourceRange)
  /// `x = v` with x a mutable global.
  case setGlobal(String, Eval)
  case ifElse(Eval, then: [CompiledStep], otherwise: [CompiledStep])
  case whileLoop(Eval, body: [CompiledStep], SourceRange)
  case forLoop(slot: Int, Eval, body: [CompiledStep], SourceRange)
  case tryInterrupt(body: [CompiledStep], handlers: [CompiledInterrupt])
  case terminate(Eval?)
  case choose(site: UInt32, weights: [Eval], actions: [Eval], SourceRange)
  case shuffle(site: UInt32, actions: [Eval], SourceRange)
  /// `require c` in a behavior: `check` indexes `BehaviorTable.checks`.
  case check(Int, Eval)
  case jump(JumpIR)
}

struct CompiledInterrupt: Sendable {
  let condition: Eval
  let body: [CompiledStep]
}

/// A `behavior` declaration ready to run: its parameters occupy local slots 0 ..< count.
struct CompiledBehavior: Sendable {
  let name: String
  let parameterCount: Int
  let steps: [CompiledStep]
  /// `precondition:` lines: (index into `BehaviorTable.checks`, condition).
  let preconditions: [(check: Int, eval: Eval)]
  /// `invariant:` lines, checked at every step while the behavior runs.
  let invariants: [(check: Int, eval: Eval)]
  let isMonitor: Bool
}

/// The program's behaviors by name, compiled with the sampler's compiler so their draw
/// sites and local slots are part of every context.
struct BehaviorTable: Sendable {
  private let behaviors: [String: CompiledBehavior]
  /// Every `precondition:`, `invariant:` and behavior `require`, in the order of the IR's
  /// behaviors (sorted by name) and then of the source: each scenario gives them check
  /// infos in this order, so rejections are counted per check.
  let checks: [BehaviorCheckIR]
  /// The monitors, by name order.
  let monitors: [String]

  init(program: ProgramIR, compiler: ExprCompiler) {
    var checks: [BehaviorCheckIR] = []
    func register(_ c: BehaviorCheckIR) -> Int {
      checks.append(c)
      return checks.count - 1
    }
    func compile(_ steps: [BehaviorStepIR]) -> [CompiledStep] {
      steps.map { step in
        switch step {
        case .wait(let d): .wait(compiler.compile(d), d.range)
        case .waitUntil(let c): .waitUntil(compiler.compile(c))
        case .perform(let a, let d, let u):
          .perform(action: compiler.compile(a), duration: d.map(compiler.compile), until: u.map(compiler.compile), a.range)
        case .either(let site, let branches): .either(site: site, branches: branches.map(compile))
        case .assign(let slot, let v): .assign(slot: slot, compiler.compile(v))
        case .setField(let f, let v, let at): .setField(f, compiler.compile(v), at.range)
        case .setGlobal(let name, let v, _): .setGlobal(name, compiler.compile(v))
        case .ifElse(let c, let a, let b): .ifElse(compiler.compile(c), then: compile(a), otherwise: compile(b))
        case .whileLoop(let c, let body, let at): .whileLoop(compiler.compile(c), body: compile(body), at.range)
        case .forLoop(let slot, let xs, let body, let at):
          .forLoop(slot: slot, compiler.compile(xs), body: compile(body), at.range)
        case .tryInterrupt(let body, let handlers):
          .tryInterrupt(body: compile(body),
                        handlers: handlers.map { CompiledInterrupt(condition: compiler.compile($0.condition), body: compile($0.body)) })
        case .terminate(let c): .terminate(c.map(compiler.compile))
        case .choose(let site, let ws, let xs, let at):
          .choose(site: site, weights: ws.map(compiler.compile), actions: xs.map(compiler.compile), at.range)
        case .shuffle(let site, let xs, let at): .shuffle(site: site, actions: xs.map(compiler.compile), at.range)
        case .check(let c): .check(register(c), compiler.compile(c.condition))
        case .jump(let j): .jump(j)
        }
      }
    }
    var table: [String: CompiledBehavior] = [:]
    var monitors: [String] = []
    for b in program.behaviors {
      var pre: [(Int, Eval)] = []
      var inv: [(Int, Eval)] = []
      for c in b.checks {
        checks.append(c)
        if c.kind == .invariant {
          inv.append((checks.count - 1, compiler.compile(c.condition)))
        } else {
          pre.append((checks.count - 1, compiler.compile(c.condition)))
        }
      }
      table[b.name] = CompiledBehavior(name: b.name, parameterCount: b.parameters.count, steps: compile(b.steps),
                                       preconditions: pre, invariants: inv, isMonitor: b.isMonitor)
      if b.isMonitor { monitors.append(b.name) }
    }
    behaviors = table
    self.checks = checks
    self.monitors = monitors
  }

  /// The `checks` a table built from `program` has, in the same order, without compiling.
  static func checkList(_ program: ProgramIR) -> [BehaviorCheckIR] {
    var out: [BehaviorCheckIR] = []
    func walk(_ steps: [BehaviorStepIR]) {
      for step in steps {
        switch step {
        case .either(_, let bs): bs.forEach(walk)
        case .ifElse(_, let a, let b):
          walk(a)
          walk(b)
        case .whileLoop(_, let body, _), .forLoop(_, _, let body, _): walk(body)
        case .tryInterrupt(let body, let hs):
          walk(body)
          hs.forEach { walk($0.body) }
        case .check(let c): out.append(c)
        default: break
        }
      }
    }
    for b in program.behaviors {
      out += b.checks
      walk(b.steps)
    }
    return out
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
