import Foundation
import ScnIR
import ScnLowering
import ScnSource

enum Support {
  static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  static let repoRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
  static let stdlibRoot = repoRoot.appendingPathComponent("StdLib").path
  static let examples = repoRoot.appendingPathComponent("Examples")
  static let programs = testsFolder.appendingPathComponent("Goldens/Programs")
  static let irFolder = testsFolder.appendingPathComponent("Goldens/IR")
  static var recording: Bool { ProcessInfo.processInfo.environment["SCN_RECORD"] == "1" }

  struct NotFound: Error {}

  static func readFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else { throw NotFound() }
    return [UInt8](data)
  }

  static func compile(_ source: String, scenario: String? = nil) -> CompilationResult {
    Compilation.compile(
      mainFile: "/virtual/main.scn",
      readFile: { path in path == "/virtual/main.scn" ? Array(source.utf8) : try readFile(path) },
      stdlibRoot: stdlibRoot, scenario: scenario)
  }

  /// `scn ir` output: the hash line, then the canonical text.
  static func irText(_ p: ProgramIR) -> String { "ir-hash: \(p.hash)\n" + IRPrinter.print(p) }

  static func scnFiles(in folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".scn") }.sorted()
  }
}
