import ScnSource
import ScnSyntax
import ScnUnits

/// An actor or sensor field after inheritance: the nearest declaration's type and default.
public struct CheckedField: Sendable {
  public let name: String
  public let type: SemaType
  public let defaultValue: TypedExpr?
  public let doc: String?
  /// Declared `var` (here or on a base): behaviors of the actor may assign it.
  public var isVar = false
  /// The name in the declaration that made it `var` (or the first declaration), for notes.
  public var declaration: SourceRange?
}

/// An actor or sensor type with its inherited fields flattened (base fields first).
public struct CheckedRecordType: Sendable {
  public let name: String
  public let isSensor: Bool
  /// Nearest base first (`Car` → `["Vehicle", "Actor"]`).
  public let bases: [String]
  public let fields: [CheckedField]
}

public struct CheckedFunction: Sendable {
  public let name: String
  public let parameters: [(name: String, type: SemaType)]
  public let result: SemaType
  public let body: TypedExpr
}

public indirect enum CheckedStep: Sendable {
  case wait(TypedExpr)
  case waitUntil(TypedExpr)
  case perform(action: TypedExpr, duration: TypedExpr?, until: TypedExpr?)
  case either([[CheckedStep]])
  /// `var x = v` (a fresh slot) and `x = v`.
  case assign(slot: Int, value: TypedExpr)
  /// `self.field = v`: a `var` field of the running actor.
  case setField(field: String, value: TypedExpr, range: SourceRange)
  /// `x = v` with x a mutable global (`var x = …` at the top level).
  case setGlobal(name: String, value: TypedExpr, range: SourceRange)
  case ifElse(TypedExpr, then: [CheckedStep], otherwise: [CheckedStep])
  case whileLoop(TypedExpr, body: [CheckedStep], range: SourceRange)
  case forLoop(slot: Int, sequence: TypedExpr, body: [CheckedStep], range: SourceRange)
  case tryInterrupt(body: [CheckedStep], handlers: [(condition: TypedExpr, body: [CheckedStep])])
  case terminate(TypedExpr?)
  case choose(weights: [TypedExpr], actions: [TypedExpr], range: SourceRange)
  case shuffle([TypedExpr], range: SourceRange)
  case check(CheckedBehaviorCheck)
  /// `break`, `continue`, `return`, `abort`.
  case jump(BehaviorJump)
}

/// `precondition: c`, `invariant: c` or `require c` in a behavior.
public struct CheckedBehaviorCheck: Sendable {
  public enum Kind: String, Sendable { case precondition, invariant, require }
  public let kind: Kind
  public let condition: TypedExpr
  public let text: String
  public let range: SourceRange
}

public struct CheckedBehavior: Sendable {
  public let name: String
  public let parameters: [(name: String, type: SemaType)]
  public let steps: [CheckedStep]
  /// `precondition:` and `invariant:` lines, in order.
  public var checks: [CheckedBehaviorCheck] = []
  /// Declared with `monitor`.
  public var isMonitor = false
  /// `behavior B() for T`: the actor type it runs on (nil: any actor).
  public var actorType: String?
}

public struct CheckedParam: Sendable {
  public let name: String
  public let type: SemaType
  public let value: TypedExpr
  public let doc: String?
  public let range: SourceRange
  /// The other params its default reads (a default never reads a definition).
  public let dependencies: [String]
}

public struct CheckedDefinition: Sendable {
  public enum Kind: String, Sendable {
    case letValue = "let"
    case ego, sensor, actor
  }
  /// The declared name; nil for a bare actor statement (`Car at …`).
  public let name: String?
  public let kind: Kind
  public let value: TypedExpr
  public let range: SourceRange
  /// The scenario members (params and named definitions) the value reads.
  public let dependencies: [MemberReference]
  /// The branch of the scenario's schedule whose sub-scenario declares it (nil: the scenario's own).
  public var branch: Int?
}

public struct CheckedRequirement: Sendable {
  public enum Mode: Sendable, Hashable {
    case hard
    case soft(Double)
    case always
    case eventually
  }
  public let mode: Mode
  public let condition: TypedExpr
  public let text: String
  public let range: SourceRange
  public let dependencies: [MemberReference]
  /// The branch of the scenario's schedule whose sub-scenario declares it (nil: the scenario's own).
  public var branch: Int?
}

public struct CheckedCover: Sendable {
  public let name: String
  public let value: TypedExpr
  /// Bucket edges in base units; nil for one bucket per value.
  public let edges: [Double]?
  /// The edges as written (`10lx`), for messages and reports in the author's units.
  public let edgeTexts: [String]
  public let range: SourceRange
}

/// A scenario annotation's checked arguments (constants only).
public struct CheckedAnnotation: Sendable {
  public let name: String
  public let arguments: [(label: String, value: ConstValue)]
}

public struct CheckedScenario: Sendable {
  public let name: String
  public let annotations: [CheckedAnnotation]
  public let params: [CheckedParam]
  public let definitions: [CheckedDefinition]
  public let requirements: [CheckedRequirement]
  public let terminations: [TypedExpr]
  public let environment: [(name: String, value: TypedExpr)]
  public let simulation: (duration: TypedExpr, rate: TypedExpr)?
  public let covers: [CheckedCover]
  public let allowOverlap: Bool
  public let includes: [(scenario: String, weight: Double)]
  public let range: SourceRange
  /// Required dataset annotations (`@dataset`, `@intended_use`, `@out_of_scope`) it lacks.
  public let missingDatasetAnnotations: [String]
  /// False for a scenario of another file that a main-file scenario includes.
  public let isInMainFile: Bool
  /// `require monitor M(args)`: the monitors the simulation runs, in source order.
  public var monitors: [TypedExpr] = []
  /// Sub-scenarios run in sequence (`compose` with several steps, `wait`, `do choose`,
  /// `do shuffle`); nil otherwise.
  public var schedule: CheckedSchedule?
  /// Per termination and per monitor: the schedule branch it belongs to (nil: the scenario's own).
  public var terminationBranches: [Int?] = []
  public var monitorBranches: [Int?] = []
  /// `record …` statements, in source order (docs/language-tour.md, "Recording values").
  public var records: [CheckedRecord] = []
  /// `override …` statements, in source order (docs/language-tour.md, "Overrides").
  public var overrides: [CheckedOverride] = []
  /// It has no ego and reads the ego of the scenario that runs it from `compose`, so it
  /// cannot be the entry (E0296): where it first does, nil when it does not.
  public var parentEgoRead: SourceRange?
  /// The scenario's name in its declaration.
  public var nameRange: SourceRange?
  public var readsParentEgo: Bool { parentEgoRead != nil }
}

/// Everything the checker produced for one main file: its scenarios in source order (then
/// any scenarios of other files they include), and
/// every type, function and behavior declared in any loaded file.
public struct CheckedProgram: Sendable {
  public let scenarios: [CheckedScenario]
  public let recordTypes: [CheckedRecordType]
  public let functions: [CheckedFunction]
  public let behaviors: [CheckedBehavior]
  public let enums: [(name: String, cases: [String])]
  /// Every unit the StdLib and user files declare, as the checker resolved them: the one
  /// table drivers read values such as `--param light=300lx` with.
  public let units: UnitTable
  /// Base dimension name → its base unit (`Length` → `m`), for spelling values in base units.
  public let baseUnits: [String: String]
  /// Every map file a `map("…")` call names, read once at check time, in first-use order.
  public var maps: [CheckedMapFile] = []
}

/// An input file a scenario reads besides its sources: an OpenDRIVE map of `map("…")`.
public struct CheckedMapFile: Sendable {
  /// The path as the scenario spells it, normalised, relative to the main file's folder.
  public let path: String
  /// The path handed to `readFile`.
  public let fullPath: String
  public let bytes: [UInt8]
  /// The first `map(...)` call that names it: where the map's own diagnostics point.
  public let range: SourceRange
}
