import ScnIR
import ScnSource

/// One actor's behavior as a resumable state machine. Each simulation step it runs steps
/// until one has to wait for time or for a condition, so instantaneous steps (a `wait until`
/// that already holds, an `either`) take no time.
struct BehaviorRunner: Sendable {
  /// A running step list: a behavior body, a nested behavior, or an `either` branch.
  struct Frame: Sendable {
    let steps: [CompiledStep]
    var next = 0
    /// Behavior arguments in slots 0 ..< n, padded to the context's local count.
    let locals: [Value]
    /// For a behavior run by `do B() for T until c`: where it stops early.
    let deadline: Int?
    let until: Eval?
    let untilLocals: [Value]
  }

  enum Activity: Sendable {
    case idle
    case waiting(until: Int)
    case waitingFor(Eval, locals: [Value])
    case acting(NativeAction, deadline: Int?, until: Eval?, locals: [Value])
  }

  let actor: Int
  var frames: [Frame]
  var activity: Activity
  /// How many times this actor has reached an `either`, so each occurrence draws anew.
  var choices: UInt32 = 0
  /// A native action given as the whole behavior, started at the first step.
  var pendingStart: NativeAction?
  /// Where that action's arguments are written, for errors about one of them.
  var pendingArguments: [SourceRange] = []

  /// A behavior: `call` names a user behavior or a native action.
  init?(actor: Int, call: BehaviorCall, table: BehaviorTable, localCount: Int) {
    self.actor = actor
    if let action = NativeAction.from(call) {
      frames = []
      activity = .acting(action, deadline: nil, until: nil, locals: [])
      pendingStart = action
      pendingArguments = call.argumentRanges
      return
    }
    guard let b = table[call.name] else { return nil }
    frames = [Frame(steps: b.steps, locals: Self.locals(call.arguments, count: localCount), deadline: nil, until: nil,
                    untilLocals: [])]
    activity = .idle
  }

  static func locals(_ arguments: [Value], count: Int) -> [Value] {
    var out = arguments
    while out.count < count { out.append(.void) }
    return out
  }
}
