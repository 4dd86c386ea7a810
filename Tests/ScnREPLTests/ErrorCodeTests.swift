import Foundation
import ScnREPL
import Testing

/// REPL error codes are part of the diagnostic catalogue: each is documented once, and the
/// codes do not collide with the stages' or the driver's ranges.
@Suite struct ErrorCodeTests {
  @Test func everyCodeIsDocumentedInTheCatalogue() throws {
    let catalogue = try String(
      contentsOf: Paths.repository.appendingPathComponent("Sources/ScnDriver/DiagnosticCodes.md"), encoding: .utf8)
    for code in REPLErrorCode.allCases {
      #expect(code.rawValue.hasPrefix("E07"), "\(code) is outside the REPL's E07xx range")
      let rows = catalogue.components(separatedBy: "\n").filter { $0.hasPrefix("| \(code.rawValue) |") }
      #expect(rows.count == 1, "\(code.rawValue) must have exactly one row in DiagnosticCodes.md")
    }
    #expect(Set(REPLErrorCode.allCases.map(\.rawValue)).count == REPLErrorCode.allCases.count)
  }
}
