import ScnGeometry
import ScnSource

/// A bucket a coverage-guided sample conditions one draw site on.
enum DrawCondition: Sendable {
  /// lower ≤ x < upper (continuous draws, or integers by edges).
  case interval(Double, Double)
  /// The draw must produce one of these values (Int, Bool, enum or `one_of` items).
  case values([Value])
}

/// The mutable state of one attempt: its draw key, the per-site streams, params and
/// definitions evaluated so far, the records built, and the local slots of the current
/// frame. One context per worker thread; never shared.
///
/// The hot stored properties opt out of dynamic exclusivity checks: a context is confined
/// to one thread, and no access to one of them overlaps another access to the same one
/// (`withStream` lends a stream while its body touches only other properties).
final class Context {
  private(set) var key: DrawKey
  @exclusivity(unchecked) private var streams: [RandomStream]
  @exclusivity(unchecked) private var streamGeneration: [UInt32]
  private var generation: UInt32 = 1
  let sites: [UInt32]

  @exclusivity(unchecked) var params: [Value?]
  @exclusivity(unchecked) var paramInProgress: [Bool]
  @exclusivity(unchecked) var definitions: [Value?]
  @exclusivity(unchecked) var records: [Record] = []
  @exclusivity(unchecked) var locals: [Value]
  @exclusivity(unchecked) var currentDefinition = -1
  /// `with behavior` specifiers whose arguments read later definitions: the record, the
  /// closure, the locals it saw, its range; resolved once every definition exists.
  var pendingBehaviors: [(record: Int, eval: Eval, locals: [Value], range: SourceRange)] = []
  /// The mutable globals assigned so far in this simulation, by name (`global_var` reads
  /// the initial value of one not assigned yet); empty while sampling.
  var globalVariables: [String: Value] = [:]
  /// `sim_time()`: the time of the simulation step being run, 0 while sampling.
  @exclusivity(unchecked) var simulationTime = 0.0
  /// The scenario being sampled: its param closures and the `--param` overrides.
  var paramEvals: [Eval] = []
  var paramOverrides: [Value?] = []
  var definitionEvals: [Eval] = []
  /// The sampler's index of the scenario whose closures these are (`Sampler.generate`).
  var preparedScenario = -1
  @exclusivity(unchecked) var definitionInProgress: [Bool] = []
  var egoDefinition: Int?
  @exclusivity(unchecked) var callDepth = 0
  /// Sum of the expression depths of the function bodies being evaluated, against
  /// `maxCallLevels` (each level is a nested closure call on the stack).
  @exclusivity(unchecked) var callLevels = 0
  /// Most nested expression levels function calls may add (a debug build overflows an
  /// 8 MiB stack near 10,000).
  static let maxCallLevels = 2_048
  /// List elements built in this attempt (ranges, comprehensions, list literals), against
  /// `limits.elements`: each range is bounded, but nested comprehensions multiply.
  @exclusivity(unchecked) var elementsBuilt = 0
  /// Set when `on R` modifying another position specifier found no point of R below or
  /// above that position in this attempt: the sampler rejects the attempt (Scenic does the
  /// same). The range is the `on` specifier's construction.
  @exclusivity(unchecked) var placementMiss: SourceRange?
  /// Set when an actor placed `contained in R` sticks out of R, or one placed `visible from
  /// S` ends up out of view (in view for `not visible`) after the other specifiers: the
  /// sampler rejects the attempt. The range is the construction's.
  @exclusivity(unchecked) var containmentMiss: SourceRange?

  /// The run's bounds on elements, actors, steps and trace states (`--limit`).
  let limits: ResourceLimits
  /// Simulation hooks: the record `self` names while a behavior runs, and the pairs of
  /// records (smaller index first, sorted) that have touched so far; nil outside a simulation.
  @exclusivity(unchecked) var selfRecord: Int?
  @exclusivity(unchecked) var collidedPairs: [SIMD2<Int32>]?

  /// Per site slot, the bucket a guided sample conditions it on.
  @exclusivity(unchecked) var conditions: [DrawCondition?]
  /// Per site slot, P(bucket) under the natural law of the last conditioned draw there.
  @exclusivity(unchecked) var conditionedProbability: [Double?]
  /// The `empirical` draws of this attempt, in evaluation order (for the privacy audit).
  @exclusivity(unchecked) var empiricalDraws: [EmpiricalDraw] = []

  let visibility: any VisibilityModel

  init(sites: [UInt32], paramCount: Int, definitionCount: Int, localCount: Int, visibility: any VisibilityModel,
       limits: ResourceLimits = .standard) {
    self.limits = limits
    self.key = DrawKey(seed: 0, sample: 0)
    self.sites = sites
    self.streams = sites.map { DrawKey(seed: 0, sample: 0).stream(site: $0) }
    self.streamGeneration = Array(repeating: 0, count: sites.count)
    self.params = Array(repeating: nil, count: paramCount)
    self.paramInProgress = Array(repeating: false, count: paramCount)
    self.definitions = Array(repeating: nil, count: definitionCount)
    self.locals = Array(repeating: .void, count: max(localCount, 1))
    self.conditions = Array(repeating: nil, count: sites.count)
    self.conditionedProbability = Array(repeating: nil, count: sites.count)
    self.visibility = visibility
  }

  /// Starts a fresh attempt: every stream restarts at the new key, nothing is evaluated.
  func reset(key: DrawKey) {
    self.key = key
    generation &+= 1
    if generation == 0 {
      generation = 1
      for i in streamGeneration.indices { streamGeneration[i] = 0 }
    }
    for i in params.indices {
      params[i] = nil
      paramInProgress[i] = false
    }
    for i in definitions.indices { definitions[i] = nil }
    pendingBehaviors.removeAll(keepingCapacity: true)
    globalVariables.removeAll(keepingCapacity: true)
    records.removeAll(keepingCapacity: true)
    placementMiss = nil
    containmentMiss = nil
    currentDefinition = -1
    callDepth = 0
    callLevels = 0
    elementsBuilt = 0
    selfRecord = nil
    collidedPairs = nil
    for i in definitionInProgress.indices { definitionInProgress[i] = false }
    for i in conditionedProbability.indices { conditionedProbability[i] = nil }
    empiricalDraws.removeAll(keepingCapacity: true)
  }

  /// The stream of a site slot in this attempt, created on first use.
  @inline(__always)
  func withStream<T>(_ slot: Int, _ body: (inout RandomStream) throws(RuntimeError) -> T) throws(RuntimeError) -> T {
    if streamGeneration[slot] != generation {
      streamGeneration[slot] = generation
      streams[slot] = key.stream(site: sites[slot])
    }
    return try body(&streams[slot])
  }

  /// Params are evaluated on first use, so one param may read another whatever their order.
  func evaluateParam(_ i: Int, at range: SourceRange) throws(RuntimeError) -> Value {
    if i < paramOverrides.count, let v = paramOverrides[i] {
      params[i] = v
      return v
    }
    guard i < paramEvals.count else { throw RuntimeError(.unsupported, "unknown param %\(i)", at: range) }
    guard !paramInProgress[i] else { throw RuntimeError(.unsupported, "params read each other in a cycle", at: range) }
    paramInProgress[i] = true
    let v = try paramEvals[i](self)
    paramInProgress[i] = false
    params[i] = v
    return v
  }

  /// Definitions run in IR order; one read earlier than that (only `ego` can be, as the
  /// checker does not count it as a dependency) is evaluated on the spot, once.
  func definitionValue(_ i: Int, at range: SourceRange) throws(RuntimeError) -> Value {
    if let v = definitions[i] { return v }
    guard i < definitionEvals.count else { throw RuntimeError(.unsupported, "unknown definition $\(i)", at: range) }
    guard !definitionInProgress[i] else {
      throw RuntimeError(.unsupported, "a definition reads itself while it is being built", at: range)
    }
    definitionInProgress[i] = true
    let saved = currentDefinition
    currentDefinition = i
    defer {
      currentDefinition = saved
      definitionInProgress[i] = false
    }
    let v = try definitionEvals[i](self)
    definitions[i] = v
    return v
  }

  func addRecord(_ r: consuming Record, at range: SourceRange) throws(RuntimeError) -> Int {
    try checkActorLimit(at: range)
    records.append(r)
    return records.count - 1
  }

  /// `addRecord` of a record built by a construction, made in the table itself (a record
  /// built by the caller and passed in was copied on the way, retaining what it holds).
  func addRecord(typeIndex: Int, values: FieldValues, size: Vec3, at range: SourceRange) throws(RuntimeError) -> Int {
    try checkActorLimit(at: range)
    records.append(Record(typeIndex: typeIndex, values: values, behavior: nil, size: size, definition: currentDefinition))
    return records.count - 1
  }

  private func checkActorLimit(at range: SourceRange) throws(RuntimeError) {
    guard records.count < limits.actors else {
      throw RuntimeError(.resourceLimit,
                         "the scene would hold more than \(limits.actors) actors and sensors (the limit per sample); build fewer, or "
                           + ResourceLimits.howToRaise("actors"),
                         at: range)
    }
  }

  /// Counts `n` more list elements towards `limits.elements` before they are allocated.
  @inline(__always)
  func reserveElements(_ n: Int, at range: SourceRange) throws(RuntimeError) {
    elementsBuilt += n
    guard elementsBuilt <= limits.elements else {
      throw RuntimeError(.resourceLimit,
                         "lists in this sample would hold more than \(limits.elements) elements in all (the limit per sample); "
                           + "nested comprehensions multiply their sizes; " + ResourceLimits.howToRaise("elements"),
                         at: range)
    }
  }
}
