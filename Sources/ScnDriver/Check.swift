import Foundation
import ScnAssets
import ScnLowering
import ScnSource

/// The diagnostics of one compiled file, with the sources needed to render them.
public struct CheckedUnit: Sendable {
  public let sources: SourceManager
  public let diagnostics: [Diagnostic]
}

/// What `scn check` found across every file named.
public struct CheckOutcome: Sendable {
  public var units: [CheckedUnit]

  public var allDiagnostics: [Diagnostic] { units.flatMap(\.diagnostics) }

  /// 0 clean (warnings allowed unless `werror`), 1 when any error remains.
  public func exitCode(werror: Bool) -> Int32 {
    let failing = allDiagnostics.contains { $0.severity == .error || (werror && $0.severity == .warning) }
    return failing ? 1 : 0
  }

  /// With `--werror`, warnings are reported as errors too (so renderers and counts agree).
  public func promotingWarnings(_ werror: Bool) -> CheckOutcome {
    guard werror else { return self }
    return CheckOutcome(units: units.map { unit in
      CheckedUnit(sources: unit.sources, diagnostics: unit.diagnostics.map { $0.severity == .warning ? $0.promotedToError() : $0 })
    })
  }
}

/// The compiler pipeline behind the CLI and REPL. Pure apart from the injected file system.
public struct Driver: Sendable {
  public var fileSystem: FileSystem
  public var stdlibRoot: String

  public init(fileSystem: FileSystem = .disk, stdlibRoot: String = locateStdLib()) {
    self.fileSystem = fileSystem
    self.stdlibRoot = stdlibRoot
  }

  /// Compiles one main file (with its imports and the StdLib).
  public func compile(_ path: String, scenario: String? = nil) -> CompilationResult {
    let fs = fileSystem
    let folder = (path as NSString).deletingLastPathComponent
    return Compilation.compile(
      mainFile: path, readFile: { try fs.readFile($0) }, stdlibRoot: stdlibRoot, scenario: scenario,
      readData: { try fs.readFileInside($0, folder) })
  }

  /// The compilation's sources with user files named as the user would find them: the
  /// compiler names them relative to the main file's folder (the stable form provenance
  /// needs); diagnostics prefix that folder as given on the command line (`bad/b.scn`).
  /// StdLib files keep their `std/…` names.
  public func sourcesForDisplay(_ result: CompilationResult, mainFile: String) -> SourceManager {
    let folder = mainFile.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    guard !folder.isEmpty else { return result.sources }
    let stdlib = Set(result.loadedFiles.filter(\.isStdLib).map(\.path))
    var display = SourceManager()
    for file in result.sources.files {
      let path = stdlib.contains(file.path) || file.path.hasPrefix("/") ? file.path : folder + "/" + file.path
      display.add(path: path, bytes: file.bytes)  // same order, so every FileID still matches
    }
    return display
  }

  /// Checks every file named (directories expand to their `.scn` files), each as its own
  /// main file. A diagnostic in a shared file (an import or the StdLib) is reported once.
  /// Throws `FileSystemError` only for paths named on the command line that cannot be read.
  public func check(paths: [String]) throws -> CheckOutcome {
    let files = try collectScenarioFiles(paths, fileSystem: fileSystem)
    for path in files { _ = try fileSystem.readFile(path) }  // unreadable named paths are usage errors (exit 2)
    var seen = Set<String>()
    var units: [CheckedUnit] = []
    for path in files {
      let result = compile(path)
      let sources = sourcesForDisplay(result, mainFile: path)
      var diagnostics = result.diagnostics
      // Imported assets: path, licence and file are checked here too, not only at generate.
      if !result.hasErrors, let program = result.program, let entry = program.scenario(named: program.entry),
        case .failure(let problems) = AssetDeclarations.load(
          scenario: entry, scenarioPath: path, sources: result.sources, readFile: fileSystem.readFileLimited)
      {
        diagnostics += problems.diagnostics
      }
      let fresh = diagnostics.filter { d in
        let file = sources[d.range.file]?.path ?? ""
        return seen.insert("\(file)|\(d.range.start)|\(d.range.end)|\(d.code)|\(d.message)").inserted
      }
      units.append(CheckedUnit(sources: sources, diagnostics: fresh))
    }
    return CheckOutcome(units: units)
  }
}

extension CheckOutcome {
  /// All units' files in one `SourceManager` (deduplicated by path) with every diagnostic's
  /// ranges remapped to it, for formats that are a single document (JSON, SARIF).
  public func merged() -> (SourceManager, [Diagnostic]) {
    var sources = SourceManager()
    var idByPath: [String: FileID] = [:]
    var diagnostics: [Diagnostic] = []
    for unit in units {
      var remap: [FileID: FileID] = [:]
      for file in unit.sources.files {
        if let existing = idByPath[file.path] {
          remap[file.id] = existing
        } else {
          let id = sources.add(path: file.path, bytes: file.bytes)
          idByPath[file.path] = id
          remap[file.id] = id
        }
      }
      func map(_ r: SourceRange) -> SourceRange {
        SourceRange(file: remap[r.file] ?? r.file, start: r.start, end: r.end)
      }
      for d in unit.diagnostics {
        diagnostics.append(Diagnostic(
          d.severity, d.code, d.message, at: map(d.range), highlights: d.highlights.map(map),
          notes: d.notes.map { Note($0.message, at: $0.range.map(map)) },
          fixIts: d.fixIts.map { FixIt($0.message, edits: $0.edits.map { TextEdit(range: map($0.range), replacement: $0.replacement) }) }))
      }
    }
    return (sources, diagnostics)
  }
}
