import Foundation
import ScnLowering
import ScnSource

/// Paths and file access shared by the tests: the repository's StdLib and golden folders,
/// found from this file's location so the tests run from any working directory.
enum TestSupport {
  static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
  static let stdlibRoot = repoRoot.appendingPathComponent("StdLib").path
  static let inputs = testsFolder.appendingPathComponent("Goldens/Inputs")
  static let outputs = testsFolder.appendingPathComponent("Goldens/Outputs")
  static var recording: Bool { ProcessInfo.processInfo.environment["SCN_RECORD"] == "1" }

  struct NotFound: Error {}

  static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw NotFound() }
    return [UInt8](data)
  }

  /// Compiles in-memory source as `/virtual/main.scn` (plus optional extra virtual files).
  static func compile(
    _ source: String, extraFiles: [String: String] = [:], scenario: String? = nil
  )
    -> CompilationResult
  {
    let files = extraFiles.merging(["/virtual/main.scn": source]) { a, _ in a }
    return Compilation.compile(
      mainFile: "/virtual/main.scn",
      readFile: { path in
        if let text = files[path] { return Array(text.utf8) }
        return try readFile(path)
      }, stdlibRoot: stdlibRoot, scenario: scenario)
  }

  static func render(_ r: CompilationResult) -> String {
    DiagnosticRenderer().render(r.diagnostics, sources: r.sources)
  }
}
