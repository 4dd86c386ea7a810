import ScnIR
import ScnLowering
import ScnSource
import Testing

/// The driver-facing façade: what `Compilation.compile` and `checkOnly` report.
@Suite struct CompilationTests {
  static let files: [String: String] = [
    "/proj/main.scn": """
    import "./lib/shared.scn"
    import std.warehouse

    @dataset(name: "t", version: "1", license: "MIT")
    @intended_use("tests")
    @out_of_scope("none")
    scenario Complete {
        ego f = Forklift at (0m, 0m, 0m)
        let g = SHARED_GAP
    }

    @description("no card fields")
    scenario Bare {
        ego f = Forklift at (0m, 0m, 0m)
    }
    """,
    "/proj/lib/shared.scn": "const SHARED_GAP = 2m\n",
    "/proj/broken.scn": "scenario Broken { let x = 1m + 1s }\n",
  ]

  static func read(_ path: String) throws -> [UInt8] {
    if let text = files[path] { return Array(text.utf8) }
    return try Support.readFile(path)
  }

  @Test func reportsScenariosFilesAndMissingAnnotations() throws {
    let r = Compilation.compile(mainFile: "/proj/main.scn", readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    #expect(!r.hasErrors)
    #expect(r.scenarioNames == ["Complete", "Bare"])
    #expect(r.program?.entry == "Bare")
    #expect(r.missingDatasetAnnotations == ["Bare": ["dataset", "intended_use", "out_of_scope"]])
    let paths = r.loadedFiles.map(\.path)
    #expect(paths.contains("main.scn"))
    #expect(paths.contains("lib/shared.scn"))
    #expect(paths.contains("std/warehouse.scn"))
    #expect(paths.contains("prelude.scn"))
    #expect(r.loadedFiles.first { $0.path == "lib/shared.scn" }?.bytes == Array("const SHARED_GAP = 2m\n".utf8))
    #expect(r.loadedFiles.filter(\.isStdLib).allSatisfy { $0.path.hasPrefix("std/") || $0.path == "prelude.scn" })
    let warnings = r.diagnostics.filter { $0.severity == .warning }.map(\.code.rawValue)
    #expect(warnings == ["W0501"])
  }

  @Test func errorsWithholdTheProgram() {
    let r = Compilation.compile(mainFile: "/proj/broken.scn", readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    #expect(r.hasErrors)
    #expect(r.program == nil)
    #expect(r.scenarioNames == ["Broken"])
    #expect(r.diagnostics.contains { $0.code.rawValue == "E0203" })
  }

  @Test func checkOnlyCompilesEachFileAsItsOwnMain() {
    let results = Compilation.checkOnly(
      files: ["/proj/main.scn", "/proj/broken.scn", "/proj/missing.scn"],
      readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    #expect(results.map(\.path) == ["/proj/main.scn", "/proj/broken.scn", "/proj/missing.scn"])
    #expect(results.map(\.result.hasErrors) == [false, true, true])
    #expect(results[2].result.diagnostics.first?.code.rawValue == "E0232")
  }

  @Test func aMissingStdLibSaysWhereItLookedAndHowToPointElsewhere() {
    let r = Compilation.compile(mainFile: "/proj/main.scn", readFile: Self.read, stdlibRoot: "/nowhere/StdLib")
    let first = r.diagnostics.first
    #expect(first?.code.rawValue == "E0232")
    #expect(first?.message == "cannot read the StdLib's prelude at '/nowhere/StdLib/prelude.scn'")
    #expect(first?.notes.contains { $0.message.contains("SCN_STDLIB") } == true)
    // The one diagnostic: without the prelude nothing can be checked, so the main file is
    // not read and no cascade of unknown types and units follows.
    #expect(r.diagnostics.count == 1)
    #expect(r.program == nil)
    // It concerns no construct of the user's file: no location (not line 1 of main.scn).
    #expect(first?.range.file == FileID.unlocated)
    if let first {
      let text = DiagnosticRenderer().render(first, sources: r.sources)
      #expect(text.hasPrefix("error[E0232]: cannot read the StdLib's prelude at '/nowhere/StdLib/prelude.scn'"))
      #expect(!text.contains("main.scn"))
      #expect(text.contains("= note: set SCN_STDLIB to the folder that holds prelude.scn"))
      let json = MachineDiagnosticRenderer(toolVersion: "t").json([first], sources: r.sources)
      #expect(!json.contains("\"range\""))
    }
  }

  @Test func anUnreadableMainFileHasNoLocation() {
    let r = Compilation.compile(mainFile: "/proj/missing.scn", readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    #expect(r.diagnostics.map(\.code.rawValue) == ["E0232"])
    #expect(r.diagnostics.first?.message == "cannot read 'missing.scn'")
    #expect(r.diagnostics.first?.range.file == FileID.unlocated)
  }

  @Test func outputIsDeterministic() {
    let a = Compilation.compile(mainFile: "/proj/main.scn", readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    let b = Compilation.compile(mainFile: "/proj/main.scn", readFile: Self.read, stdlibRoot: Support.stdlibRoot)
    #expect(a.program.map(IRPrinter.print) == b.program.map(IRPrinter.print))
    #expect(a.diagnostics == b.diagnostics)
  }
}
