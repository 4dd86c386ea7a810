import Foundation
import ScnIR
import ScnLowering
import ScnSource
import Testing

/// `.ir` goldens (`scn ir` output) for small programs and for every example scenario.
@Suite struct IRGoldenTests {
  static let programNames = Support.scnFiles(in: Support.programs)
  static let exampleNames = Support.scnFiles(in: Support.examples)

  func check(_ path: String, golden: URL) throws {
    let result = Compilation.compile(mainFile: path, readFile: Support.readFile, stdlibRoot: Support.stdlibRoot)
    let rendered = DiagnosticRenderer().render(
      result.diagnostics.filter { $0.severity == .error }, sources: result.sources)
    #expect(!result.hasErrors, "\(path):\n\(rendered)")
    guard let program = result.program else { return }
    let text = Support.irText(program)
    if Support.recording {
      try text.write(to: golden, atomically: true, encoding: .utf8)
      return
    }
    guard let expected = try? String(contentsOf: golden, encoding: .utf8) else {
      Issue.record("no golden \(golden.lastPathComponent) for \(path): record it with SCN_RECORD=1 swift test")
      return
    }
    #expect(text == expected, "IR of \(path) differs from \(golden.lastPathComponent)")
  }

  @Test(arguments: programNames)
  func programIR(_ name: String) throws {
    try check(
      Support.programs.appendingPathComponent(name).path,
      golden: Support.irFolder.appendingPathComponent(String(name.dropLast(4)) + ".ir"))
  }

  @Test(arguments: exampleNames)
  func exampleIR(_ name: String) throws {
    try check(
      Support.examples.appendingPathComponent(name).path,
      golden: Support.irFolder.appendingPathComponent("example_" + String(name.dropLast(4)) + ".ir"))
  }
}
