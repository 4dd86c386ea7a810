import Foundation
import Testing

@Suite struct MapCommandTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/opendrive")

  @Test func summarisesTown01AndDrawsIt() throws {
    let dir = try temporaryDirectory(files: [:])
    let map = Self.fixtures.appendingPathComponent("Town01.xodr").path
    let r = try SCNProcess.run(["map", map, "--png", "town.png", "--scale", "1"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.isEmpty)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "Town01.xodr: OpenDRIVE 1.4, VectorZero")
    #expect(lines.contains("roads:        122 (96 connecting roads)"))
    #expect(lines.contains("junctions:    12"))
    #expect(lines.contains { $0.hasPrefix("total length: 4216.1 m") })
    #expect(lines.contains { $0.hasPrefix("  driving     124  ") })
    #expect(lines.contains { $0.hasPrefix("  sidewalk     88  ") })
    #expect(lines.contains("signals:      36"))
    let png = [UInt8](try Data(contentsOf: dir.appendingPathComponent("town.png")))
    #expect(png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    let width = png[16...19].reduce(0) { $0 << 8 | Int($1) }
    let height = png[20...23].reduce(0) { $0 << 8 | Int($1) }
    #expect(width > 400 && width < 440 && height > 340 && height < 370, "\(width)×\(height)")
  }

  @Test func warningsGoToStandardError() throws {
    let r = try SCNProcess.run(["map", Self.fixtures.appendingPathComponent("suspect_geometries.xodr").path])
    #expect(r.status == 0)
    #expect(r.stderr.contains("warning[W0801]"))
    #expect(r.stdout.contains("roads:        3 (0 connecting roads)"))
  }

  @Test func invalidFilesExitOneWithTheElementAndLine() throws {
    let dir = try temporaryDirectory(files: [
      "bad.xodr": "<?xml version=\"1.0\"?>\n<OpenDRIVE>\n  <header/>\n  <road id=1 length=\"3\">\n</OpenDRIVE>\n",
      "missing.xodr": "<OpenDRIVE>\n<road length=\"3\" junction=\"-1\"/>\n</OpenDRIVE>\n",
    ])
    let bad = try SCNProcess.run(["map", "bad.xodr"], in: dir)
    #expect(bad.status == 1)
    #expect(bad.stderr.hasPrefix("bad.xodr: line 4: <OpenDRIVE>: error[E0802]: malformed XML"), "\(bad.stderr)")
    let missing = try SCNProcess.run(["map", "missing.xodr"], in: dir)
    #expect(missing.status == 1)
    #expect(missing.stderr == "missing.xodr: line 2: <road>: error[E0804]: <road> needs the attribute 'id'\n")
    let absent = try SCNProcess.run(["map", "absent.xodr"], in: dir)
    #expect(absent.status == 1 && absent.stderr.contains("E0801"))
    #expect(try SCNProcess.run(["map", "bad.xodr", "--scale", "0"], in: dir).status == 2)
  }
}
