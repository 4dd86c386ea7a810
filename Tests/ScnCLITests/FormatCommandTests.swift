import Foundation
import Testing

@Suite struct FormatCommandTests {
  static let messy = "scenario  S {\n  let x=( 3m+2m )\n\n\n\n  let y = x*2 // keep me\n}"
  static let canonical = "scenario S {\n    let x = (3m + 2m)\n\n    let y = x * 2 // keep me\n}\n"

  @Test func rewritesInPlaceAndIsIdempotent() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.messy])
    #expect(try SCNProcess.run(["fmt", "s.scn"], in: dir).status == 0)
    let once = try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8)
    #expect(once == Self.canonical)
    #expect(try SCNProcess.run(["fmt", "--check", "s.scn"], in: dir).status == 0)
  }

  @Test func checkNamesFilesThatWouldChangeAndWritesNothing() throws {
    let dir = try temporaryDirectory(files: ["s.scn": Self.messy])
    let r = try SCNProcess.run(["fmt", "--check", "s.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stdout == "s.scn\n")
    #expect(try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8) == Self.messy)
  }

  @Test func stdinToStdout() throws {
    let r = try SCNProcess.run(["fmt", "-"], stdin: Self.messy)
    #expect(r.status == 0)
    #expect(r.stdout == Self.canonical)
  }

  @Test func fileThatDoesNotParseIsLeftAlone() throws {
    let broken = "scenario S {\n  let x = (3m +\n}\n"
    let dir = try temporaryDirectory(files: ["s.scn": broken])
    let r = try SCNProcess.run(["fmt", "s.scn"], in: dir)
    #expect(r.status == 1)
    #expect(r.stderr.contains("error[E0"))
    #expect(try String(contentsOf: dir.appendingPathComponent("s.scn"), encoding: .utf8) == broken)
  }

  /// `scn fmt` keeps the file's mode, writes through a symbolic link (the link stays a link,
  /// its target is formatted) and, for a hard link, gives only the name formatted a new file.
  @Test func keepsModeFollowsSymlinksAndDocumentsHardLinks() throws {
    let dir = try temporaryDirectory(files: ["private.scn": Self.messy, "real/target.scn": Self.messy, "hard.scn": Self.messy])
    let fm = FileManager.default
    let privateFile = dir.appendingPathComponent("private.scn")
    try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privateFile.path)
    try fm.createSymbolicLink(atPath: dir.appendingPathComponent("link.scn").path, withDestinationPath: "real/target.scn")
    try fm.linkItem(at: dir.appendingPathComponent("hard.scn"), to: dir.appendingPathComponent("other-name.scn"))
    let r = try SCNProcess.run(["fmt", "private.scn", "link.scn", "hard.scn"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    let mode = try fm.attributesOfItem(atPath: privateFile.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(try String(contentsOf: privateFile, encoding: .utf8) == Self.canonical)
    #expect(try fm.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.scn").path) == "real/target.scn")
    #expect(try String(contentsOf: dir.appendingPathComponent("real/target.scn"), encoding: .utf8) == Self.canonical)
    #expect(try String(contentsOf: dir.appendingPathComponent("hard.scn"), encoding: .utf8) == Self.canonical)
    #expect(try String(contentsOf: dir.appendingPathComponent("other-name.scn"), encoding: .utf8) == Self.messy)
    // The owner is kept too (checked where the test may give a file away, as root).
    if geteuid() == 0 {
      let owned = dir.appendingPathComponent("owned.scn")
      try Data(Self.messy.utf8).write(to: owned)
      #expect(chown(owned.path, 65534, 65534) == 0)
      #expect(try SCNProcess.run(["fmt", "owned.scn"], in: dir).status == 0)
      let attributes = try fm.attributesOfItem(atPath: owned.path)
      #expect((attributes[.ownerAccountID] as? NSNumber)?.intValue == 65534)
      #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.intValue == 65534)
      #expect(try String(contentsOf: owned, encoding: .utf8) == Self.canonical)
      try fm.removeItem(at: owned)
    }
    // No temporary file is left beside them.
    #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == ["hard.scn", "link.scn", "other-name.scn", "private.scn", "real"])
  }
}
