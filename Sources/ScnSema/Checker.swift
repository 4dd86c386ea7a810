import ScnSource
import ScnSyntax
import ScnUnits

/// The semantic checker for one program (a main file with the prelude and its imports).
/// It resolves names, types and units, folds constants, validates distributions and
/// requirements, and produces a `CheckedProgram` plus diagnostics.
///
/// A class because the many small recursive checks share its caches; it is created, run
/// once and dropped, never shared between threads.
final class Checker {
  let files: [LoadedFile]
  let sources: SourceManager
  let mainFile: Int
  var diagnostics: [Diagnostic] = []

  var globals: [String: GlobalSymbol] = [:]
  /// StdLib names that a user file redeclares, to the qualified key of the StdLib's one.
  var shadowedStdLib: [String: String] = [:]
  var units = UnitTable()
  /// Resolved unit suffixes: a program spells the same few units thousands of times.
  var unitCache: [String: Result<ResolvedUnit, UnitError>] = [:]
  var baseDimensions: [String] = []
  var baseUnitOfDimension: [String: String] = [:]
  /// Display names of quantity dimensions (`Length / Time` → `Speed`).
  var quantityNames: [Dimension: String] = [:]

  var aliasCache: [String: Lazy<SemaType>] = [:]
  var recordCache: [String: Lazy<RecordInfo>] = [:]
  var constCache: [String: Lazy<TypedExpr>] = [:]
  var signatureCache: [String: Lazy<Signature>] = [:]
  var checkedFunctions: [String: CheckedFunction] = [:]
  var checkedBehaviors: [String: CheckedBehavior] = [:]
  var enumCases: [String: [String]] = [:]
  /// Functions whose bodies are being checked (a recursive call must not re-enter).
  var functionsInProgress: Set<String> = []
  /// How many lazily checked declarations are nested right now; past `maxNesting` the
  /// checker reports an error instead of risking the stack.
  var nesting = 0
  let maxNesting = 400
  /// How deep `check` recurses right now, counting the expressions of lazily checked
  /// declarations an expression reads (`const a = b + 1 + …` checks `b`'s value inside
  /// `a`'s): each is at most `Parser.maxNestingDepth` deep, but a chain of them adds up.
  var expressionDepth = 0
  /// Past this many nested expression levels the checker stops with E0255 (a debug build
  /// overflows the main thread's 8 MiB stack near 2,000).
  static let maxExpressionDepth = 768
  var reportedExpressionDepth = false
  /// Names of scenarios being resolved through `extends`, for cycle detection.
  var scenarioStack: [String] = []
  /// Scenarios being expanded into their parent through `compose`, for cycle detection (E0146).
  var composeStack: [String] = []
  /// The invocation whose sub-scenario is being expanded (for notes).
  var composeInvocation: SourceRange?
  /// Set by a `compose` step for the sub-scenario it expands next when that one is the
  /// initial scenario (`if initial scenario`; docs/language-tour.md, "Initial scenario").
  var nextIsInitialScenario: Bool?
  /// Statements a `compose` step copied from a sub-scenario: which one, and where it was run.
  /// (The statement is kept so that its identifier is not reused.)
  var composedFrom: [ObjectIdentifier: (copy: Stmt, scenario: String, invocation: SourceRange)] = [:]
  /// Statements a `compose` block run in sequence copied: the branch of the schedule they belong to.
  var composeBranch: [ObjectIdentifier: Int] = [:]
  /// Per scenario whose `compose` runs steps in sequence: its steps and branches, unchecked.
  var pendingSchedules: [String: (steps: [PendingStep], branches: [CheckedSchedule.Branch], file: Int)] = [:]

  /// Reads a real-data file (`empirical(...)`); nil when the caller reads none.
  var readData: ((String) throws -> [UInt8])?
  /// The real-data files read, in first-use order.
  var dataFilesRead: [DataFileRead] = []
  /// Reads the input files `map("…")` names: the data reader the driver injects (which
  /// refuses symbolic links out of the scenario's folder); nil in contexts that read no files.
  let readFile: ((String) throws -> [UInt8])?
  /// Map files read so far, by full path, in first-use order.
  var mapFiles: [CheckedMapFile] = []

  init(files: [LoadedFile], sources: SourceManager, mainFile: Int, readFile: ((String) throws -> [UInt8])? = nil) {
    self.files = files
    self.sources = sources
    self.mainFile = mainFile
    self.readFile = readFile
  }

  func report(_ d: Diagnostic) { diagnostics.append(d) }

  func text(_ r: SourceRange) -> String { sources[r.file]?.text(of: r) ?? "" }

  // MARK: - Driving

  func run() -> CheckedProgram {
    collectGlobals()
    declareUnits()
    for name in globals.keys.sorted() {
      guard let g = globals[name] else { continue }
      switch g.kind {
      case .typeAlias: _ = aliasType(name)
      case .actor, .sensor, .material: _ = record(name)
      case .constant: _ = constant(name)
      case .variable: _ = globalVariable(name)
      case .function, .nativeFunction, .action: _ = signature(name)
      case .behavior: _ = signature(name)
      default: break
      }
    }
    for name in globals.keys.sorted() {
      guard let g = globals[name] else { continue }
      switch g.kind {
      case .function: checkFunctionBody(g)
      case .behavior: checkBehaviorBody(g)
      default: break
      }
    }
    checkBehaviorRecursion()
    var scenarios: [CheckedScenario] = []
    for decl in files[mainFile].ast.declarations {
      guard case .scenario(let name, _, _) = decl.kind, !name.isMissing,
        let g = globals[name.name], g.file == mainFile, g.decl === decl
      else { continue }
      scenarios.append(checkScenario(g, inMainFile: true))
    }
    // Scenarios of other files that the main file's scenarios include (mixtures) are part
    // of the program too.
    var queue = scenarios.flatMap { $0.includes.map(\.scenario) }
    while let name = queue.first {
      queue.removeFirst()
      guard !scenarios.contains(where: { $0.name == name }), let g = globals[name], g.kind == .scenario else {
        continue
      }
      let s = checkScenario(g, inMainFile: false)
      scenarios.append(s)
      queue += s.includes.map(\.scenario)
    }
    checkAnnotationsOutsideScenarios()
    dropRepeatedExpansionDiagnostics()
    var program = CheckedProgram(
      scenarios: scenarios,
      recordTypes: globals.keys.sorted().compactMap { name -> CheckedRecordType? in
        guard let g = globals[name], g.kind == .actor || g.kind == .sensor, let r = record(name) else { return nil }
        return CheckedRecordType(
          name: r.name, isSensor: r.isSensor, bases: r.bases,
          fields: r.fieldOrder.compactMap { r.fields[$0] })
      },
      functions: checkedFunctions.keys.sorted().compactMap { checkedFunctions[$0] },
      behaviors: checkedBehaviors.keys.sorted().compactMap { checkedBehaviors[$0] },
      enums: enumCases.keys.sorted().map { ($0, enumCases[$0] ?? []) },
      units: units, baseUnits: baseUnitOfDimension)
    program.maps = mapFiles
    return program
  }

  // MARK: - Globals

  func collectGlobals() {
    for (index, file) in files.enumerated() {
      for decl in file.ast.declarations {
        guard let id = decl.name, !id.isMissing else { continue }
        var pendingCases: [String]?
        let kind: GlobalSymbol.Kind
        switch decl.kind {
        case .dimension: kind = .dimension
        case .unit: kind = .unit
        case .typeAlias: kind = .typeAlias
        case .enumeration(_, let cases):
          kind = .enumeration
          var seen: [String] = []
          for c in cases where !c.name.isMissing {
            if seen.contains(c.name.name) {
              report(SemaDiagnostics.duplicateDefinition(c.name.name, at: c.name.range, previous: nil))
            } else {
              seen.append(c.name.name)
            }
          }
          pendingCases = seen
        case .actor: kind = .actor
        case .sensor: kind = .sensor
        case .material: kind = .material
        case .const: kind = .constant
        case .variable: kind = .variable
        case .function: kind = .function
        case .nativeFunction: kind = .nativeFunction
        case .nativeAction: kind = .action
        case .behavior, .monitor: kind = .behavior
        case .scenario: kind = .scenario
        case .importModule, .importFile, .error: continue
        }
        if kind == .unit {
          continue  // units live in their own namespace (the unit table)
        }
        if builtinTypeNames.contains(id.name) || DistributionKind(rawValue: id.name) != nil {
          report(SemaDiagnostics.redefinesBuiltin(id.name, at: id.range))
          continue
        }
        var key = id.name
        if let previous = globals[id.name] {
          // A user declaration shadows a StdLib one of the same name (LANGUAGE.md's own
          // examples declare `enum Weather`): user files see theirs, StdLib files keep the
          // StdLib's, which lives on under a qualified key such as `prelude.Weather`.
          if files[previous.file].isStdLib != file.isStdLib, shadowedStdLib[id.name] == nil {
            let stdSymbol = file.isStdLib ? GlobalSymbol(name: "", kind: kind, file: index, decl: decl) : previous
            let qualified = qualifiedName(id.name, file: stdSymbol.file)
            shadowedStdLib[id.name] = qualified
            if file.isStdLib {
              key = qualified
            } else {
              globals[qualified] = GlobalSymbol(name: qualified, kind: previous.kind, file: previous.file,
                                                decl: previous.decl)
              if let cases = enumCases[id.name] { enumCases[qualified] = cases }
              enumCases[id.name] = nil
            }
          } else {
            report(SemaDiagnostics.duplicateDefinition(id.name, at: id.range, previous: previous.decl.name?.range))
            continue
          }
        }
        globals[key] = GlobalSymbol(name: key, kind: kind, file: index, decl: decl)
        if let pendingCases { enumCases[key] = pendingCases }
      }
    }
  }

  /// The global `name` if it is visible from `file` (declared there, in the prelude, or in
  /// a file it imports). An invisible one is reported with the import that would fix it.
  func lookupGlobal(_ name: String, from file: Int, at range: SourceRange, report: Bool = true) -> GlobalSymbol? {
    if file < files.count, files[file].isStdLib, let key = shadowedStdLib[name], let g = globals[key],
      isVisible(g.file, from: file)
    {
      return g
    }
    guard let g = globals[name] else { return nil }
    if isVisible(g.file, from: file) { return g }
    if report {
      self.report(SemaDiagnostics.notImported(name, module: moduleName(of: g.file), at: range))
    }
    return g
  }

  func isVisible(_ declaringFile: Int, from file: Int) -> Bool {
    if declaringFile == file { return true }
    guard file < files.count else { return true }
    if files[declaringFile].displayPath == "prelude.scn" && files[declaringFile].isStdLib { return true }
    return files[file].imports.contains(declaringFile)
  }

  /// `prelude.Weather`, `std.vehicles.Car`: the key of a StdLib declaration a user one shadows.
  func qualifiedName(_ name: String, file: Int) -> String {
    let f = files[file]
    let module = f.displayPath.hasSuffix(".scn") ? String(f.displayPath.dropLast(4)) : f.displayPath
    return module.replacingOccurrences(of: "/", with: ".") + "." + name
  }

  /// The key of the StdLib's own declaration `name` (qualified when a user file shadows it).
  func stdlibKey(_ name: String) -> String { shadowedStdLib[name] ?? name }

  func moduleName(of file: Int) -> String {
    let f = files[file]
    if f.isStdLib, f.displayPath.hasSuffix(".scn") {
      return String(f.displayPath.dropLast(4)).replacingOccurrences(of: "/", with: ".")
    }
    return "\"\(f.displayPath)\""
  }

  /// Visible global names of some kinds, sorted, for suggestions.
  func visibleNames(from file: Int, kinds: Set<GlobalSymbol.Kind>) -> [String] {
    globals.values.filter { kinds.contains($0.kind) && isVisible($0.file, from: file) }.map(\.name).sorted()
  }

  let builtinTypeNames: Set<String> = ["Bool", "Int", "Float", "String", "Vec3", "Region", "Map", "HeadingField"]
}

extension GlobalSymbol.Kind: Hashable {}
