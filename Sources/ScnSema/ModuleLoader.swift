import ScnSource
import ScnSyntax

/// A parsed file with where it came from and which loaded files it imports.
public struct LoadedFile: Sendable {
  public let id: FileID
  /// The path shown to users: relative to the main file's folder for user files,
  /// `std/…` or `prelude.scn` for StdLib files.
  public let displayPath: String
  /// The path handed to `readFile`.
  public let fullPath: String
  public let ast: SourceFileSyntax
  /// Indices into the loaded-file list of the files this one imports.
  public let imports: [Int]
  public let isStdLib: Bool
}

/// Reads the main file, the prelude and everything reachable through `import`, parsing each
/// once. Reading is injected, so nothing here touches the disk.
struct ModuleLoader {
  let readFile: (String) throws -> [UInt8]
  let stdlibRoot: String
  var sources = SourceManager()
  var files: [LoadedFile] = []
  var diagnostics: [Diagnostic] = []
  private var indexByPath: [String: Int] = [:]
  private var inProgress: [String] = []

  init(readFile: @escaping (String) throws -> [UInt8], stdlibRoot: String) {
    self.readFile = readFile
    self.stdlibRoot = stdlibRoot
  }

  /// Loads the prelude (index 0) and then the main file with its imports. Returns the main
  /// file's index, or nil when it cannot be read. Without its prelude no program can be
  /// checked (every unit and type of the language lives there), so a missing prelude is the
  /// one diagnostic: the main file is not read, rather than reported as a cascade of unknown
  /// types and units.
  mutating func loadProgram(mainFile path: String) -> Int? {
    let preludePath = Paths.join(stdlibRoot, "prelude.scn")
    guard load(fullPath: preludePath, displayPath: "prelude.scn", isStdLib: true, from: nil) != nil else {
      return nil
    }
    let main = Paths.normalize(path)
    mainFolder = Paths.directory(main)
    return load(fullPath: main, displayPath: Paths.lastComponent(main), isStdLib: false, from: nil)
  }

  var mainFolder = ""

  private mutating func load(
    fullPath: String, displayPath: String, isStdLib: Bool, from importRange: SourceRange?,
    moduleName: String? = nil
  ) -> Int? {
    if let i = indexByPath[fullPath] { return i }
    if let cycleStart = inProgress.firstIndex(of: fullPath), let importRange {
      let cycle = (inProgress[cycleStart...] + [fullPath]).map { displayName(ofFullPath: $0) }
      diagnostics.append(SemaDiagnostics.importCycle(cycle, at: importRange))
      return nil
    }
    let bytes: [UInt8]
    do {
      bytes = try readFile(fullPath)
    } catch {
      if let importRange {
        diagnostics.append(
          moduleName.map { SemaDiagnostics.missingImport($0, at: importRange) }
            ?? SemaDiagnostics.missingImportedFile(displayPath, at: importRange))
      } else if isStdLib {
        // Only the prelude is read with no import naming it: the StdLib itself is missing.
        diagnostics.append(SemaDiagnostics.missingPrelude(fullPath))
      } else {
        diagnostics.append(SemaDiagnostics.unreadableFile(displayPath))
      }
      return nil
    }
    let id = sources.add(path: displayPath, bytes: bytes)
    guard let file = sources[id] else { return nil }
    let (ast, parseDiagnostics) = Parser.parse(file: file)
    diagnostics.append(contentsOf: parseDiagnostics)
    inProgress.append(fullPath)
    var imports: [Int] = []
    for decl in ast.declarations {
      switch decl.kind {
      case .importModule(let parts):
        let names = parts.map(\.name)
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else { continue }
        let modulePath = names.joined(separator: "/") + ".scn"
        let full = Paths.join(stdlibRoot, modulePath)
        if let i = load(
          fullPath: full, displayPath: modulePath, isStdLib: true, from: decl.range,
          moduleName: names.joined(separator: "."))
        {
          imports.append(i)
        }
      case .importFile(let path, _):
        let full = Paths.normalize(Paths.join(Paths.directory(fullPath), path))
        let display: String
        if isStdLib {
          display = Paths.relative(full, to: stdlibRoot)
        } else {
          display = Paths.relative(full, to: mainFolder)
        }
        if let i = load(fullPath: full, displayPath: display, isStdLib: isStdLib, from: decl.range) {
          imports.append(i)
        }
      default:
        continue
      }
    }
    inProgress.removeLast()
    let index = files.count
    files.append(
      LoadedFile(
        id: id, displayPath: displayPath, fullPath: fullPath, ast: ast, imports: imports,
        isStdLib: isStdLib))
    indexByPath[fullPath] = index
    return index
  }

  private func displayName(ofFullPath path: String) -> String {
    if path.hasPrefix(Paths.normalize(stdlibRoot) + "/") { return Paths.relative(path, to: stdlibRoot) }
    return Paths.relative(path, to: mainFolder)
  }
}

/// Pure string path helpers (POSIX separators), so tests can use virtual file systems.
enum Paths {
  static func join(_ a: String, _ b: String) -> String {
    if b.hasPrefix("/") || a.isEmpty { return normalize(b) }
    return normalize(a.hasSuffix("/") ? a + b : a + "/" + b)
  }

  static func normalize(_ p: String) -> String {
    let absolute = p.hasPrefix("/")
    var parts: [Substring] = []
    for c in p.split(separator: "/", omittingEmptySubsequences: true) {
      if c == "." { continue }
      if c == "..", let last = parts.last, last != ".." {
        parts.removeLast()
        continue
      }
      if c == "..", absolute { continue }
      parts.append(c)
    }
    let joined = parts.joined(separator: "/")
    return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
  }

  static func directory(_ p: String) -> String {
    guard let slash = p.lastIndex(of: "/") else { return "." }
    let d = String(p[..<slash])
    return d.isEmpty ? "/" : d
  }

  static func lastComponent(_ p: String) -> String {
    guard let slash = p.lastIndex(of: "/") else { return p }
    return String(p[p.index(after: slash)...])
  }

  /// `path` relative to `base` (both normalised), with `..` where needed.
  static func relative(_ path: String, to base: String) -> String {
    let p = normalize(path).split(separator: "/").map(String.init)
    let b = base == "." ? [] : normalize(base).split(separator: "/").map(String.init)
    var common = 0
    while common < p.count, common < b.count, p[common] == b[common] { common += 1 }
    let ups = Array(repeating: "..", count: b.count - common)
    return (ups + p[common...]).joined(separator: "/")
  }
}
