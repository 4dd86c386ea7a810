import Foundation
import ScnSource
import Testing

@testable import ScnSyntax

/// Every `.scn` file the project ships (examples and standard library) parses without
/// diagnostics, so grammar changes cannot silently break them.
@Suite struct ShippedFilesTests {
  static func shippedFiles() -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var paths: [String] = []
    for dir in ["Examples", "StdLib"] {
      guard let e = FileManager.default.enumerator(atPath: root.appendingPathComponent(dir).path) else { continue }
      for case let path as String in e where path.hasSuffix(".scn") { paths.append(dir + "/" + path) }
    }
    return paths.sorted()
  }

  @Test(arguments: shippedFiles())
  func parsesCleanly(path: String) throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent(path)))
    let p = parse(bytes: bytes, path: path)
    #expect(p.diagnostics.isEmpty, "\(p.rendered)")
    #expect(!p.ast.declarations.isEmpty)
  }
}
