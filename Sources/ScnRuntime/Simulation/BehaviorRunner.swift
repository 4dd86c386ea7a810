import ScnIR
import ScnSource

/// One actor's behavior (or a monitor's) as a resumable state machine. Each simulation step
/// it runs statements until one has to wait for time or for a condition, so instantaneous
/// statements (a `wait until` that already holds, an `either`, an assignment) take no time.
struct BehaviorRunner: Sendable {
  /// A running block: a behavior body, a nested behavior, a branch, a loop body or a `try`.
  struct Frame: Sendable {
    var steps: [CompiledStep]
    var next = 0
    /// The frame holding this block's locals: the behavior's own frame (itself for one).
    let owner: Int
    /// A behavior frame's locals: arguments in slots 0 ..< n, then its `var`s and loop
    /// variables, padded to the context's local count. Empty for other frames.
    var locals: [Value]
    /// For a behavior run by `do B() for T until c`: where it stops early; `until` reads
    /// the locals of the frame `untilOwner`.
    let deadline: Int?
    let until: Eval?
    let untilOwner: Int
    var kind: Kind
  }

  enum Kind: Sendable {
    /// A behavior's body; its invariants are checked at every step while it runs.
    case behavior(invariants: [(check: Int, eval: Eval)])
    case block
    /// `while c`: `iterations` counts the rounds made at step `atStep`.
    case loop(Eval, range: SourceRange, iterations: Int, atStep: Int)
    /// `for x in xs`: the values, the current index, the slot.
    case forEach(slot: Int, values: [Value], index: Int, range: SourceRange, atStep: Int)
    case tryInterrupt(TryState)
  }

  /// A `try` statement: its frame's steps are the body or the running handler.
  struct TryState: Sendable {
    let body: [CompiledStep]
    let handlers: [CompiledInterrupt]
    /// nil: the body runs; i: handler i runs.
    var running: Int?
    /// What each running handler interrupted, innermost last.
    var suspended: [Suspension]
  }

  struct Suspension: Sendable {
    let steps: [CompiledStep]
    let next: Int
    let running: Int?
    let frames: [Frame]
    let activity: Activity
  }

  enum Activity: Sendable {
    case idle
    case waiting(until: Int)
    /// Waiting for a condition that reads the locals of frame `owner`.
    case waitingFor(Eval, owner: Int)
    case acting(NativeAction, deadline: Int?, until: Eval?, owner: Int)
  }

  /// The scene actor running this behavior; nil for a monitor.
  let actor: Int?
  var frames: [Frame]
  var activity: Activity
  /// How many random choices (`either`, `do choose`, `do shuffle`) this runner has made, so
  /// each occurrence draws anew.
  var choices: UInt32 = 0
  /// A native action given as the whole behavior, started at the first step.
  var pendingStart: NativeAction?
  /// A behavior that must check its preconditions when it first runs.
  var pendingPreconditions: [(check: Int, eval: Eval)] = []
  /// Where that action's arguments are written, for errors about one of them.
  var pendingArguments: [SourceRange] = []

  /// A behavior: `call` names a user behavior or a native action.
  init?(actor: Int?, call: BehaviorCall, table: BehaviorTable, localCount: Int) {
    self.actor = actor
    if let action = NativeAction.from(call) {
      frames = []
      activity = .acting(action, deadline: nil, until: nil, owner: -1)
      pendingStart = action
      pendingArguments = call.argumentRanges
      return
    }
    guard let b = table[call.name] else { return nil }
    frames = [Self.behaviorFrame(b, arguments: call.arguments, localCount: localCount, owner: 0, deadline: nil,
                                 until: nil, untilOwner: -1)]
    pendingPreconditions = b.preconditions
    activity = .idle
  }

  static func behaviorFrame(_ b: CompiledBehavior, arguments: [Value], localCount: Int, owner: Int, deadline: Int?,
                            until: Eval?, untilOwner: Int) -> Frame
  {
    Frame(steps: b.steps, owner: owner, locals: locals(arguments, count: localCount), deadline: deadline, until: until,
          untilOwner: untilOwner, kind: .behavior(invariants: b.invariants))
  }

  /// A block run in the locals of frame `owner`.
  static func block(_ steps: [CompiledStep], owner: Int, kind: Kind = .block) -> Frame {
    Frame(steps: steps, owner: owner, locals: [], deadline: nil, until: nil, untilOwner: -1, kind: kind)
  }

  static func locals(_ arguments: [Value], count: Int) -> [Value] {
    var out = arguments
    while out.count < count { out.append(.void) }
    return out
  }

  /// The locals an expression of frame `f` reads.
  func locals(of f: Int) -> [Value] {
    guard frames.indices.contains(f) else { return [] }
    let o = frames[f].owner
    return frames.indices.contains(o) ? frames[o].locals : []
  }

  /// Writes `slot` of the locals frame `f` reads.
  mutating func assign(_ value: Value, slot: Int, frame f: Int) {
    guard frames.indices.contains(f), slot >= 0, slot < 1 << 20 else { return }
    let o = frames[f].owner
    guard frames.indices.contains(o) else { return }
    while frames[o].locals.count <= slot { frames[o].locals.append(.void) }
    frames[o].locals[slot] = value
  }
}
