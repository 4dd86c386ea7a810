import Foundation
import ScnLowering
import ScnSource
import Testing

/// Every `Goldens/Inputs/*.scn` is compiled as a main file; its rendered diagnostics must
/// equal `Goldens/Outputs/<name>.diag`. `SCN_RECORD=1 swift test` rewrites the outputs.
@Suite struct GoldenDiagnosticsTests {
  static let inputNames: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.inputs.path)) ?? []
    return names.filter { $0.hasSuffix(".scn") }.sorted()
  }()

  @Test func goldenFolderIsPopulated() {
    #expect(Self.inputNames.count >= 40)
  }

  @Test(arguments: inputNames)
  func diagnosticsMatchGolden(_ name: String) throws {
    let path = TestSupport.inputs.appendingPathComponent(name).path
    let result = Compilation.compile(
      mainFile: path, readFile: TestSupport.readFile,
      stdlibRoot: TestSupport.stdlibRoot)
    let rendered = TestSupport.render(result)
    let golden = TestSupport.outputs.appendingPathComponent(String(name.dropLast(4)) + ".diag")
    if TestSupport.recording {
      try FileManager.default.createDirectory(at: TestSupport.outputs, withIntermediateDirectories: true)
      try rendered.write(to: golden, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
      Issue.record("no golden \(golden.lastPathComponent) for \(name): record it with SCN_RECORD=1 swift test")
      return
    }
    #expect(rendered == expected, "diagnostics of \(name) differ from \(golden.lastPathComponent)")
    // Every golden input demonstrates at least one diagnostic.
    #expect(!result.diagnostics.isEmpty)
  }
}
