import Foundation
import ScnData
import Testing

@Suite struct CSVColumnTests {
  func column(_ text: String, _ name: String) throws(DataFileError) -> CSVColumn {
    try CSVColumn(csv: Array(text.utf8), column: name)
  }

  @Test func readsAColumnWithQuotingABOMAndBlankLines() throws {
    let c = try column("\u{FEFF}id, speed ,note\n1,1.5,\"a, b\"\n\n2,-2e-1,\"say \"\"hi\"\"\"\n3, 3 ,x\n", "speed")
    #expect(c.values == [1.5, -0.2, 3])
    #expect(c.header == ["id", "speed", "note"])
  }

  @Test func errorsNameWhatWasExpectedAndFound() {
    #expect(throws: DataFileError.missingColumn("sped", columns: ["id", "speed"])) { try column("id,speed\n1,2\n", "sped") }
    #expect(throws: DataFileError.notANumber(row: 2, cell: "fast")) { try column("id,speed\n1,2\n2,fast\n", "speed") }
    #expect(throws: DataFileError.notANumber(row: 1, cell: "inf")) { try column("speed\ninf\n", "speed") }
    #expect(throws: DataFileError.notANumber(row: 1, cell: "0x10")) { try column("speed\n0x10\n", "speed") }
    #expect(throws: DataFileError.shortRow(row: 1, fields: 1, needed: 2)) { try column("id,speed\n1\n", "speed") }
    #expect(throws: DataFileError.noRows) { try column("id,speed\n", "speed") }
    #expect(throws: DataFileError.notUTF8) { try CSVColumn(csv: [0x73, 0xFF, 0x0A], column: "s") }
  }

  @Test func largeFilesAreRefusedFromTheirSize() {
    let big = [UInt8](repeating: 0x31, count: CSVColumn.maximumFileSize + 1)
    #expect(throws: DataFileError.tooLarge(bytes: big.count, limit: CSVColumn.maximumFileSize)) {
      try CSVColumn(csv: big, column: "x")
    }
  }

  @Test func silvermansRuleMatchesTheClosedForm() {
    // 1...100: sd = 29.011, IQR = 49.5 (type 7), so h = 0.9 · min(29.011, 36.94) · 100^(-1/5).
    let xs = (1...100).map(Double.init)
    let sd = (xs.map { ($0 - 50.5) * ($0 - 50.5) }.reduce(0, +) / 99).squareRoot()
    #expect(abs(CSVColumn.silvermanBandwidth(xs) - 0.9 * sd * pow(100, -0.2)) < 1e-12)
    #expect(CSVColumn.silvermanBandwidth([3, 3, 3]) == 0)
    #expect(CSVColumn.quantile([1, 2, 3, 4], 0.5) == 2.5)
  }
}
