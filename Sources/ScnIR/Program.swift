import ScnEncoding
import ScnSource
import ScnUnits

/// Annotation values as they flow to the dataset card.
public struct IRAnnotation: Hashable, Sendable, Encodable {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(name, forKey: JSONKey("name"))
    try c.encode(arguments.map { LabeledValue(label: $0.label, value: $0.value) }, forKey: JSONKey("arguments"))
  }

  public let name: String
  /// Arguments in source order; positional ones have an empty label.
  public let arguments: [(label: String, value: IRValue)]

  public init(name: String, arguments: [(label: String, value: IRValue)]) {
    self.name = name
    self.arguments = arguments
  }

  public static func == (a: IRAnnotation, b: IRAnnotation) -> Bool {
    a.name == b.name && a.arguments.map(\.label) == b.arguments.map(\.label)
      && a.arguments.map(\.value) == b.arguments.map(\.value)
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    for a in arguments {
      h.combine(a.label)
      h.combine(a.value)
    }
  }
}

public struct FieldIR: Hashable, Sendable, Encodable {
  public let name: String
  public let type: IRType
  public let defaultValue: IRExpr?
  public let doc: String?

  public init(name: String, type: IRType, defaultValue: IRExpr?, doc: String?) {
    self.name = name
    self.type = type
    self.defaultValue = defaultValue
    self.doc = doc
  }
}

/// An actor or sensor type with its inherited fields flattened in declaration order
/// (base fields first), so the runtime never walks a hierarchy.
public struct RecordTypeIR: Hashable, Sendable, Encodable {
  public enum Kind: String, Hashable, Sendable, Encodable { case actor, sensor }
  public let name: String
  public let kind: Kind
  /// The chain of bases, nearest first (`Car` → `["Vehicle", "Actor"]`).
  public let bases: [String]
  public let fields: [FieldIR]

  public init(name: String, kind: Kind, bases: [String], fields: [FieldIR]) {
    self.name = name
    self.kind = kind
    self.bases = bases
    self.fields = fields
  }
}

public struct FunctionIR: Hashable, Sendable, Encodable {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(name, forKey: JSONKey("name"))
    try c.encode(parameters.map { TypedName(name: $0.name, type: $0.type) }, forKey: JSONKey("parameters"))
    try c.encode(result, forKey: JSONKey("result"))
    try c.encode(body, forKey: JSONKey("body"))
  }

  public let name: String
  public let parameters: [(name: String, type: IRType)]
  public let result: IRType
  public let body: IRExpr

  public init(name: String, parameters: [(name: String, type: IRType)], result: IRType, body: IRExpr) {
    self.name = name
    self.parameters = parameters
    self.result = result
    self.body = body
  }

  public static func == (a: FunctionIR, b: FunctionIR) -> Bool {
    a.name == b.name && a.parameters.map(\.name) == b.parameters.map(\.name)
      && a.parameters.map(\.type) == b.parameters.map(\.type) && a.result == b.result && a.body == b.body
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(body)
  }
}

/// A behavior body: a sequence of temporal steps run by the simulator.
public indirect enum BehaviorStepIR: Hashable, Sendable, Encodable {
  case wait(duration: IRExpr)
  case waitUntil(IRExpr)
  /// `do A [for T] [until c]`
  case perform(action: IRExpr, duration: IRExpr?, until: IRExpr?)
  /// `either { … } or { … }`: one branch chosen uniformly at `site`.
  case either(site: UInt32, branches: [[BehaviorStepIR]])
  /// `var x = v` and `x = v`: writes a local slot of the running behavior.
  case assign(slot: Int, value: IRExpr)
  /// `self.field = v`: writes a `var` field of the running actor (docs/language-tour.md).
  case setField(field: String, value: IRExpr, at: StepRange)
  /// `x = v` with x a mutable global (docs/language-tour.md, "Mutable globals").
  case setGlobal(name: String, value: IRExpr, at: StepRange)
  case ifElse(condition: IRExpr, then: [BehaviorStepIR], otherwise: [BehaviorStepIR])
  /// `while c { … }`; iterations at one instant are bounded (docs/language-tour.md).
  case whileLoop(condition: IRExpr, body: [BehaviorStepIR], at: StepRange)
  /// `for x in xs { … }`: `slot` takes each element in turn.
  case forLoop(slot: Int, sequence: IRExpr, body: [BehaviorStepIR], at: StepRange)
  /// `try { … } interrupt when c { … } …`: handlers in priority order.
  case tryInterrupt(body: [BehaviorStepIR], handlers: [InterruptIR])
  /// `terminate` / `terminate when c`: ends the simulation.
  case terminate(when: IRExpr?)
  /// `do choose { w: A, … }`: one action by weight, drawn at `site`.
  case choose(site: UInt32, weights: [IRExpr], actions: [IRExpr], at: StepRange)
  /// `do shuffle { A, … }`: every action once, in an order drawn at `site`.
  case shuffle(site: UInt32, actions: [IRExpr], at: StepRange)
  /// `require c` inside a behavior.
  case check(BehaviorCheckIR)
  /// `break`, `continue`, `return`, `abort`.
  case jump(JumpIR)
}

public struct BehaviorIR: Hashable, Sendable, Encodable {
  public let name: String
  public let parameters: [String]
  public let parameterTypes: [IRType]
  public let steps: [BehaviorStepIR]
  /// `precondition:` and `invariant:` lines of the body, in order.
  public let checks: [BehaviorCheckIR]
  /// A `monitor`: run once per simulation without an actor (`require monitor M`).
  public let isMonitor: Bool

  public init(name: String, parameters: [String], parameterTypes: [IRType], steps: [BehaviorStepIR],
              checks: [BehaviorCheckIR] = [], isMonitor: Bool = false)
  {
    self.name = name
    self.parameters = parameters
    self.parameterTypes = parameterTypes
    self.steps = steps
    self.checks = checks
    self.isMonitor = isMonitor
  }
}

public struct ParamIR: Hashable, Sendable, Encodable {
  enum CodingKeys: String, CodingKey { case name, type, value, doc }

  public let name: String
  public let type: IRType
  public let value: IRExpr
  public let doc: String?
  public let range: SourceRange

  public init(name: String, type: IRType, value: IRExpr, doc: String?, range: SourceRange) {
    self.name = name
    self.type = type
    self.value = value
    self.doc = doc
    self.range = range
  }
}

public struct DefinitionIR: Hashable, Sendable, Encodable {
  enum CodingKeys: String, CodingKey { case name, kind, value }
  public enum Kind: String, Hashable, Sendable, Encodable { case letValue = "let", ego, sensor }
  public let name: String
  public let kind: Kind
  public let value: IRExpr
  public let range: SourceRange

  public init(name: String, kind: Kind, value: IRExpr, range: SourceRange) {
    self.name = name
    self.kind = kind
    self.value = value
    self.range = range
  }
}

public struct RequirementIR: Hashable, Sendable, Encodable {
  enum CodingKeys: String, CodingKey { case mode, condition }
  public enum Mode: Hashable, Sendable, Encodable {
    case hard
    /// Enforced on an attempt with this probability (decided by that attempt's own draw).
    case soft(Double)
    case always
    case eventually
  }
  public let mode: Mode
  public let condition: IRExpr
  /// The requirement as written, for explanations and the card.
  public let text: String
  public let range: SourceRange

  public init(mode: Mode, condition: IRExpr, text: String, range: SourceRange) {
    self.mode = mode
    self.condition = condition
    self.text = text
    self.range = range
  }
}

public struct CoverIR: Hashable, Sendable, Encodable {
  enum CodingKeys: String, CodingKey { case name, value, edges }

  public let name: String
  public let value: IRExpr
  /// Bucket edges in base units; nil means one bucket per distinct value (Int, Bool, enum).
  public let edges: [Double]?
  /// The edges as written (`30km/h`), for bucket labels in the author's units; presentation
  /// only, so neither the canonical text nor the IR hash includes them.
  public let edgeTexts: [String]
  public let range: SourceRange

  public init(name: String, value: IRExpr, edges: [Double]?, edgeTexts: [String] = [], range: SourceRange) {
    self.name = name
    self.value = value
    self.edges = edges
    self.edgeTexts = edgeTexts
    self.range = range
  }
}

public struct SimulationIR: Hashable, Sendable, Encodable {
  public let duration: IRExpr
  public let rate: IRExpr

  public init(duration: IRExpr, rate: IRExpr) {
    self.duration = duration
    self.rate = rate
  }
}

public struct ScenarioIR: Hashable, Sendable, Encodable {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(name, forKey: JSONKey("name"))
    try c.encode(annotations, forKey: JSONKey("annotations"))
    try c.encode(params, forKey: JSONKey("params"))
    try c.encode(definitions, forKey: JSONKey("definitions"))
    try c.encode(requirements.map { PlacedRequirement(after: $0.after, requirement: $0.requirement) }, forKey: JSONKey("requirements"))
    try c.encode(terminations, forKey: JSONKey("terminations"))
    try c.encode(environment, forKey: JSONKey("environment"))
    try c.encodeIfPresent(simulation, forKey: JSONKey("simulation"))
    try c.encode(covers, forKey: JSONKey("covers"))
    try c.encode(allowOverlap, forKey: JSONKey("allowOverlap"))
    try c.encode(includes.map { WeightedInclude(scenario: $0.scenario, weight: $0.weight) }, forKey: JSONKey("includes"))
    if !monitors.isEmpty { try c.encode(monitors, forKey: JSONKey("monitors")) }
    try c.encodeIfPresent(schedule, forKey: JSONKey("schedule"))
    if !records.isEmpty { try c.encode(records, forKey: JSONKey("records")) }
    if !overrides.isEmpty { try c.encode(overrides, forKey: JSONKey("overrides")) }
  }

  public let name: String
  public let annotations: [IRAnnotation]
  public let params: [ParamIR]
  /// Definitions in dependency order: each only reads earlier ones (and params).
  public let definitions: [DefinitionIR]
  /// Requirements, each placed right after the last definition it reads (`after`), so the
  /// sampler can reject an attempt as early as possible.
  public let requirements: [(after: Int, requirement: RequirementIR)]
  public let terminations: [IRExpr]
  public let environment: [IRExpr.FieldInit]
  public let simulation: SimulationIR?
  public let covers: [CoverIR]
  public let allowOverlap: Bool
  /// `include S weight w`: a mixture; empty for an ordinary scenario.
  public let includes: [(scenario: String, weight: Double)]
  public let range: SourceRange
  /// `require monitor M(args)`: monitor calls, in the order lowering sorts them.
  public var monitors: [IRExpr] = []
  /// Sub-scenarios run in sequence; nil for a scenario without (the IR is then as before).
  public var schedule: ScheduleIR?
  /// `record …`, in source order (docs/language-tour.md, "Recording values").
  public var records: [RecordIR] = []
  /// `override …`, in source order (docs/language-tour.md, "Overrides").
  public var overrides: [OverrideIR] = []

  public init(
    name: String, annotations: [IRAnnotation], params: [ParamIR], definitions: [DefinitionIR],
    requirements: [(after: Int, requirement: RequirementIR)], terminations: [IRExpr],
    environment: [IRExpr.FieldInit], simulation: SimulationIR?, covers: [CoverIR], allowOverlap: Bool,
    includes: [(scenario: String, weight: Double)], range: SourceRange
  ) {
    self.name = name
    self.annotations = annotations
    self.params = params
    self.definitions = definitions
    self.requirements = requirements
    self.terminations = terminations
    self.environment = environment
    self.simulation = simulation
    self.covers = covers
    self.allowOverlap = allowOverlap
    self.includes = includes
    self.range = range
  }

  public static func == (a: ScenarioIR, b: ScenarioIR) -> Bool {
    a.name == b.name && a.annotations == b.annotations && a.params == b.params && a.definitions == b.definitions
      && a.requirements.map(\.after) == b.requirements.map(\.after)
      && a.requirements.map(\.requirement) == b.requirements.map(\.requirement)
      && a.terminations == b.terminations && a.environment == b.environment && a.simulation == b.simulation
      && a.covers == b.covers && a.allowOverlap == b.allowOverlap
      && a.includes.map(\.scenario) == b.includes.map(\.scenario) && a.includes.map(\.weight) == b.includes.map(\.weight)
      && a.monitors == b.monitors && a.schedule == b.schedule && a.records == b.records && a.overrides == b.overrides
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(definitions)
  }
}

/// A file a program reads besides its sources (an OpenDRIVE map of `map("…")`, an imported
/// asset of `@asset` and the files it names): its path as the scenario spells it (relative
/// to the main file's folder), its SHA-256 (part of the canonical form, so of the hash) and
/// its bytes (not printed; empty for assets, which their importer holds).
public struct InputFileIR: Hashable, Sendable {
  public let path: String
  public let sha256: String
  public let bytes: [UInt8]

  public init(path: String, bytes: [UInt8]) {
    self.path = path
    self.bytes = bytes
    self.sha256 = SHA256Hex.of(bytes)
  }

  /// A file read and held elsewhere (an asset): its path and hash only.
  public init(path: String, sha256: String) {
    self.path = path
    self.bytes = []
    self.sha256 = sha256
  }

  public static func == (a: InputFileIR, b: InputFileIR) -> Bool { a.path == b.path && a.sha256 == b.sha256 }
  public func hash(into h: inout Hasher) {
    h.combine(path)
    h.combine(sha256)
  }
}

/// Everything one run needs: the entry scenario and every declaration it can reach, each
/// list sorted by name so the canonical form does not depend on file or declaration order.
public struct ProgramIR: Hashable, Sendable, Encodable {
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: JSONKey.self)
    try c.encode(entry, forKey: JSONKey("entry"))
    try c.encode(enums.map { EnumIR(name: $0.name, cases: $0.cases) }, forKey: JSONKey("enums"))
    try c.encode(types, forKey: JSONKey("types"))
    try c.encode(functions, forKey: JSONKey("functions"))
    try c.encode(behaviors, forKey: JSONKey("behaviors"))
    try c.encode(scenarios, forKey: JSONKey("scenarios"))
    if !inputs.isEmpty {
      try c.encode(inputs.map { ["path": $0.path, "sha256": $0.sha256] }, forKey: JSONKey("inputs"))
    }
  }

  public let entry: String
  public let scenarios: [ScenarioIR]
  public let types: [RecordTypeIR]
  public let functions: [FunctionIR]
  public let behaviors: [BehaviorIR]
  public let enums: [(name: String, cases: [String])]
  /// Map and asset files the program reads, sorted by path.
  public var inputs: [InputFileIR] = [] {
    didSet { inputs.sort { $0.path < $1.path } }
  }

  public init(
    entry: String, scenarios: [ScenarioIR], types: [RecordTypeIR], functions: [FunctionIR],
    behaviors: [BehaviorIR], enums: [(name: String, cases: [String])]
  ) {
    self.entry = entry
    self.scenarios = scenarios.sorted { $0.name < $1.name }
    self.types = types.sorted { $0.name < $1.name }
    self.functions = functions.sorted { $0.name < $1.name }
    self.behaviors = behaviors.sorted { $0.name < $1.name }
    self.enums = enums.sorted { $0.name < $1.name }
  }

  public static func == (a: ProgramIR, b: ProgramIR) -> Bool {
    a.entry == b.entry && a.scenarios == b.scenarios && a.types == b.types && a.functions == b.functions
      && a.behaviors == b.behaviors && a.enums.map(\.name) == b.enums.map(\.name)
      && a.enums.map(\.cases) == b.enums.map(\.cases) && a.inputs == b.inputs
  }

  public func hash(into h: inout Hasher) {
    h.combine(entry)
    h.combine(scenarios)
  }

  public func scenario(named name: String) -> ScenarioIR? { scenarios.first { $0.name == name } }
}

/// Sub-scenarios run in sequence (docs/language-tour.md, "Sub-scenarios in sequence"): the
/// steps of the scenario's `compose` block and the sub-scenario invocations (branches) they
/// start. Every branch's definitions are among the scenario's (sampled with it); the
/// simulator creates its actors when the branch starts and checks its requirements,
/// terminations and monitors while it runs.
public struct ScheduleIR: Hashable, Sendable, Encodable {
  public enum Kind: String, Hashable, Sendable, Encodable { case run, wait, choose, shuffle }

  public struct Step: Hashable, Sendable, Encodable {
    enum CodingKeys: String, CodingKey { case kind, branches, weights, duration, until }
    public let kind: Kind
    /// Indices into `branches`.
    public let branches: [Int]
    /// `do choose` / `do shuffle` weights, one per branch (empty for other kinds).
    public let weights: [Double]
    /// `for T` / `wait for T`.
    public let duration: IRExpr?
    /// `until c` / `wait until c`.
    public let until: IRExpr?
    public let range: SourceRange

    public init(kind: Kind, branches: [Int], weights: [Double], duration: IRExpr?, until: IRExpr?, range: SourceRange) {
      self.kind = kind
      self.branches = branches
      self.weights = weights
      self.duration = duration
      self.until = until
      self.range = range
    }
  }

  public struct Branch: Hashable, Sendable, Encodable {
    enum CodingKeys: String, CodingKey { case name, deferred, definitions, requirements, terminations, after, monitors }
    /// `Sub` or `Sub.2`: the prefix of its members' names.
    public let name: String
    /// Starts after the simulation does: its hard requirements are checked when it starts.
    public let deferred: Bool
    /// Indices into the scenario's `definitions`.
    public let definitions: [Int]
    /// Checked while it runs: `always`, `eventually` (by its end), and for a deferred branch
    /// `hard` ones once at its start.
    public let requirements: [RequirementIR]
    /// `terminate when c`: the branch ends.
    public let terminations: [IRExpr]
    /// `terminate after T`: the branch ends T after it starts.
    public let after: [IRExpr]
    /// `require monitor M(args)`: run while it runs.
    public let monitors: [IRExpr]
    public let range: SourceRange

    public init(name: String, deferred: Bool, definitions: [Int], requirements: [RequirementIR], terminations: [IRExpr],
                after: [IRExpr], monitors: [IRExpr], range: SourceRange) {
      self.name = name
      self.deferred = deferred
      self.definitions = definitions
      self.requirements = requirements
      self.terminations = terminations
      self.after = after
      self.monitors = monitors
      self.range = range
    }
  }

  public let steps: [Step]
  public let branches: [Branch]

  public init(steps: [Step], branches: [Branch]) {
    self.steps = steps
    self.branches = branches
  }
}
