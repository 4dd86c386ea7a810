import ScnSource
import ScnUnits

/// The names an expression can see besides globals: binders and parameters (local slots),
/// the scenario's members, and `self` inside a behavior. Also records which scenario members
/// an expression reads, for dependency ordering.
final class Scope {
  struct Local {
    let name: String
    let slot: Int
    let type: SemaType
  }

  let file: Int
  var locals: [Local] = []
  var nextSlot = 0
  var scenario: ScenarioContext?
  /// Inside a behavior or a behavior-time expression: `self` is this actor type.
  var selfType: SemaType?
  /// Inside a monitor: `ego` is there though `self` is not.
  var inMonitor = false
  /// Checking the arguments of `with behavior B(…)`: a read of a definition being checked
  /// is deferred (`deferredRead` is then set) instead of being a cycle.
  var deferringBehavior = false
  var deferredRead = false
  private(set) var reads: [MemberReference] = []

  init(file: Int, scenario: ScenarioContext? = nil) {
    self.file = file
    self.scenario = scenario
  }

  func lookupLocal(_ name: String) -> Local? { locals.last { $0.name == name } }

  /// Binds `name` (unless `_`) to a fresh slot for the duration of `body`.
  func withLocal<T>(_ name: String, type: SemaType, _ body: (Int) -> T) -> T {
    let slot = nextSlot
    nextSlot += 1
    let saved = locals.count
    if name != "_" { locals.append(Local(name: name, slot: slot, type: type)) }
    let result = body(slot)
    locals.removeLast(locals.count - saved)
    return result
  }

  func noteRead(_ r: MemberReference) {
    if !reads.contains(r) { reads.append(r) }
  }

  /// Whether `name` denotes a value here (used to tell `6m/gap` from a misspelt unit).
  func isValueName(_ name: String, checker: Checker) -> Bool {
    if lookupLocal(name) != nil { return true }
    if scenario?.hasMember(name) == true { return true }
    return checker.globals[name]?.kind == .constant
  }

  /// Every value name visible here, for suggestions.
  func valueNames(checker: Checker) -> [String] {
    var names = locals.map(\.name)
    names += scenario?.memberNames ?? []
    names += checker.visibleNames(
      from: file,
      kinds: [
        .constant, .function, .nativeFunction, .action, .behavior, .actor,
        .sensor,
      ])
    names += DistributionKind.allCases.map(\.rawValue)
    return names
  }
}
