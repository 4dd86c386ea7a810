import Testing
@testable import ScnSource

@Suite struct SourceFileTests {
  @Test func linesAndColumnsAreOneBasedAndCountScalars() {
    let f = SourceFile(id: FileID(0), path: "a.scn", text: "ab\né x\n\nlast")
    #expect(f.location(of: 0) == SourceLocation(line: 1, column: 1, offset: 0))
    #expect(f.location(of: 3) == SourceLocation(line: 2, column: 1, offset: 3))
    // 'é' is two bytes; the 'x' after "é " is the third scalar on line 2.
    #expect(f.location(of: 6).column == 3)
    #expect(f.location(of: 7).line == 2)
    #expect(f.location(of: 8).line == 3)
    #expect(f.location(of: 9) == SourceLocation(line: 4, column: 1, offset: 9))
    #expect(f.location(of: 1_000).offset == f.bytes.count)
    #expect(f.lineText(2) == "é x")
    #expect(f.lineText(4) == "last")
    #expect(f.lineText(5) == "")
  }

  @Test func crlfIsStrippedFromLineText() {
    let f = SourceFile(id: FileID(0), path: "a.scn", text: "one\r\ntwo")
    #expect(f.lineText(1) == "one")
    #expect(f.location(of: 5).line == 2)
  }

  @Test func nearestSuggestsCloseNamesOnly() {
    #expect(nearest("distnace", in: ["distance", "visible", "occlusion"]) == "distance")
    #expect(nearest("Pedestrain", in: ["Pedestrian", "Pallet"]) == "Pedestrian")
    #expect(nearest("zzz", in: ["distance", "visible"]) == nil)
    #expect(nearest("aisle_width", in: ["aislewidth"]) == "aislewidth")
    // Ties are broken alphabetically so the suggestion is deterministic.
    #expect(nearest("cat", in: ["cot", "bat"]) == "bat")
  }
}
