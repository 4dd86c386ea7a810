import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Every `Goldens/Inputs/*.scn` is parsed; its rendered diagnostics must equal
/// `Goldens/Outputs/<name>.diag`, and for `valid_*` inputs (which must have none) its AST
/// dump must equal `Outputs/<name>.ast`. `SCN_RECORD=1 swift test` rewrites the outputs.
/// Inputs that are deliberately not UTF-8 end in `.scnb`, so tools that read every `.scn`
/// file as text skip them.
@Suite struct GoldenTests {
  static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
  static let inputs = goldens.appendingPathComponent("Inputs")
  static let outputs = goldens.appendingPathComponent("Outputs")
  static let recording = ProcessInfo.processInfo.environment["SCN_RECORD"] == "1"

  static func inputNames() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: inputs.path)) ?? []
    return names.filter { $0.hasSuffix(".scn") || $0.hasSuffix(".scnb") }.sorted()
  }

  /// The output name for an input file name (`x.scn` or `x.scnb` → `x`).
  static func stem(_ input: String) -> String {
    String(input[..<(input.lastIndex(of: ".") ?? input.endIndex)])
  }

  @Test(arguments: inputNames())
  func golden(input: String) throws {
    let name = Self.stem(input)
    let bytes = try [UInt8](Data(contentsOf: Self.inputs.appendingPathComponent(input)))
    let p = parse(bytes: bytes, path: "Inputs/\(input)")
    if name.hasPrefix("valid_") {
      #expect(p.diagnostics.isEmpty, "\(p.rendered)")
      try check(p.dump, against: name + ".ast")
    } else {
      #expect(!p.diagnostics.isEmpty, "a malformed input must produce a diagnostic")
      try check(p.rendered, against: name + ".diag")
    }
  }

  func check(_ actual: String, against outputName: String) throws {
    let url = Self.outputs.appendingPathComponent(outputName)
    if Self.recording {
      try FileManager.default.createDirectory(at: Self.outputs, withIntermediateDirectories: true)
      try Data(actual.utf8).write(to: url)
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record("missing golden \(outputName); run with SCN_RECORD=1 to create it")
      return
    }
    #expect(actual == expected, "golden \(outputName) differs")
  }

  @Test func thereAreEnoughGoldens() {
    let names = Self.inputNames()
    #expect(names.filter { !$0.hasPrefix("valid_") }.count >= 45)
    #expect(names.filter { $0.hasPrefix("valid_") }.count >= 3)
  }

  /// Each code in the catalog appears in at least one golden (the "too many errors" codes are
  /// covered by `BadInputTests` instead: they need hundreds of errors).
  @Test func everyDiagnosticCodeHasAGolden() throws {
    let catalog = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../../Sources/ScnSyntax/SyntaxError.swift")
    let source = try String(contentsOf: catalog, encoding: .utf8)
    let codes = Set(source.matches(of: /DiagnosticCode\("(E\d{4})"\)/).map { String($0.1) })
      .subtracting(["E0099", "E0199"])
    #expect(codes.count >= 30)
    var seen = Set<String>()
    for input in Self.inputNames() where !input.hasPrefix("valid_") {
      let text = (try? String(contentsOf: Self.outputs.appendingPathComponent(Self.stem(input) + ".diag"),
                              encoding: .utf8)) ?? ""
      for m in text.matches(of: /error\[(E\d{4})\]/) { seen.insert(String(m.1)) }
    }
    #expect(codes.subtracting(seen).sorted() == [])
  }
}
