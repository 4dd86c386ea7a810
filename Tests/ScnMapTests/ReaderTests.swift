import Foundation
import Testing

@testable import ScnMap

@Suite struct ReaderTests {
  @Test(arguments: MapFixtures.all) func everyFixtureLoads(name: String) throws {
    let network = try MapFixtures.load(name)
    #expect(!network.roads.isEmpty)
    for road in network.roads {
      #expect(road.length > 0 && road.length.isFinite, "road \(road.id)")
      #expect(!road.laneSections.isEmpty)
    }
    // No errors slip through as diagnostics.
    #expect(network.diagnostics.allSatisfy { $0.severity != .error })
  }

  @Test func town01Summary() throws {
    let town = try MapFixtures.load("Town01")
    #expect(town.roads.count == 122)
    #expect(town.junctions.count == 12)
    #expect(town.junctions.map(\.connections.count).reduce(0, +) == 96)
    #expect(town.localOrigin == SIMD2(0, 0))
    let signals = town.roads.map(\.signals.count).reduce(0, +)
    let objects = town.roads.map(\.objects.count).reduce(0, +)
    #expect(signals == 36 && objects == 22)
    // 25 mph on every road with a type record.
    let speeds = Set(town.roads.flatMap(\.types).compactMap(\.maxSpeed))
    #expect(speeds.count == 1 && abs((speeds.first ?? 0) - 25 * 0.44704) < 1e-12)
    // Lane types of road 0, outermost left to outermost right.
    let section = try #require(town.road(id: "0")?.laneSections.first)
    #expect(section.sideLanes.map(\.id) == [3, 2, 1, -1, -2, -3])
    #expect(section.sideLanes.map(\.type) == [.sidewalk, .shoulder, .driving, .driving, .shoulder, .sidewalk])
    #expect(town.diagnostics.filter { $0.severity == .warning }.isEmpty, "\(town.diagnostics)")
  }

  /// Positions worked out by hand from the file's records (line and arc formulas).
  @Test func town01PinnedLanePositions() throws {
    let town = try MapFixtures.load("Town01")
    let road0 = try #require(town.road(id: "0"))
    let cases: [(road: Road, lane: Int, s: Double, x: Double, y: Double)] = [
      (road0, -1, 0, 384.59105881121025, 1.9799997182346263),
      (road0, -1, 20, 364.59106163333433, 1.990624451430762),
      (road0, 1, 20, 364.5889366866951, -2.009374984144421),
      (try #require(town.road(id: "1")), -1, 35.160008396510904, 290.4706391830491, 2.029988634670321),
      (try #require(town.road(id: "144")), 1, 5.0, 339.11677600781536, -321.74571897327746),
    ]
    for c in cases {
      let p = try #require(c.road.laneCenter(section: 0, lane: c.lane, at: c.s))
      #expect(hypot(p.x - c.x, p.y - c.y) < 1e-6, "road \(c.road.id) lane \(c.lane) s \(c.s): (\(p.x), \(p.y))")
      #expect(p.z == 0)
    }
  }

  /// Lane centre lines meet, within 1 cm, wherever the file links them: lane sections of a
  /// road, road to road, and incoming roads to junction connecting roads through lane links.
  @Test(arguments: MapFixtures.all) func laneCentresAreContinuousAcrossLinks(name: String) throws {
    let network = try MapFixtures.load(name)
    var checked = 0
    var worst = 0.0
    var failures: [String] = []
    func endPoint(_ road: Road, _ contact: ContactPoint, lane: Int) -> RoadPoint? {
      let section = contact == .start ? 0 : road.laneSections.count - 1
      return road.laneCenter(section: section, lane: lane, at: contact == .start ? 0 : road.length)
    }
    func compare(_ a: RoadPoint?, _ b: RoadPoint?, _ what: String) {
      guard let a, let b else { return }
      let d = distance(a, b)
      checked += 1
      worst = max(worst, d)
      if d > 0.01 { failures.append("\(what): \(d) m") }
    }
    // shoulders.xodr ends a lane abruptly (no taper), so its outer shoulders jump; every other
    // lane of every map, and every drivable lane of that one, must meet.
    let laneTypes = Dictionary(
      network.roads.flatMap { r in r.laneSections.flatMap { s in (s.left + s.right).map { ("\(r.id)/\($0.id)", $0.type) } } },
      uniquingKeysWith: { a, _ in a })
    func exempt(_ road: Road, _ lane: Int) -> Bool {
      name == "shoulders" && !(laneTypes["\(road.id)/\(lane)"]?.isDrivable ?? false)
    }
    for road in network.roads {
      for (i, section) in road.laneSections.enumerated() {
        for lane in section.left + section.right where !exempt(road, lane.id) {
          if i + 1 < road.laneSections.count {
            for next in lane.successors {
              compare(
                road.laneCenter(section: i, lane: lane.id, at: road.sectionEnd(i)),
                road.laneCenter(section: i + 1, lane: next, at: road.laneSections[i + 1].s),
                "road \(road.id) section \(i) lane \(lane.id) -> \(next)")
            }
          } else if case .road(let id, let contact)? = road.successor?.element, let other = network.road(id: id) {
            for next in lane.successors {
              compare(
                endPoint(road, .end, lane: lane.id), endPoint(other, contact, lane: next),
                "road \(road.id) lane \(lane.id) -> road \(id) lane \(next)")
            }
          }
          if i == 0, case .road(let id, let contact)? = road.predecessor?.element, let other = network.road(id: id) {
            for previous in lane.predecessors {
              compare(
                endPoint(road, .start, lane: lane.id), endPoint(other, contact, lane: previous),
                "road \(road.id) lane \(lane.id) <- road \(id) lane \(previous)")
            }
          }
        }
      }
    }
    for junction in network.junctions {
      for connection in junction.connections {
        guard let incoming = network.road(id: connection.incomingRoad),
          let connecting = network.road(id: connection.connectingRoad)
        else { continue }
        let end: ContactPoint
        if case .junction(junction.id)? = incoming.successor?.element {
          end = .end
        } else if case .junction(junction.id)? = incoming.predecessor?.element {
          end = .start
        } else {
          continue
        }
        for link in connection.laneLinks {
          compare(
            endPoint(incoming, end, lane: link.from), endPoint(connecting, connection.contactPoint, lane: link.to),
            "junction \(junction.id): road \(incoming.id) lane \(link.from) -> road \(connecting.id) lane \(link.to)")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.prefix(10))")
    if name.hasPrefix("Town") {
      #expect(checked > 300, "only \(checked) links checked")
      #expect(!network.junctions.isEmpty)
    }
    #expect(checked > 0 || network.roads.allSatisfy { $0.predecessor == nil && $0.successor == nil })
  }
}

@Suite struct DegenerateInputTests {
  @Test func suspectGeometriesAreDroppedWithWarnings() throws {
    let network = try MapFixtures.load("suspect_geometries")
    #expect(network.roads.count == 3)
    let road1 = try #require(network.road(id: "1"))
    #expect(road1.planView.count == 1)  // the 10 cm S-curve is gone
    #expect(abs(road1.length - 20) < 1e-9)
    let road2 = try #require(network.road(id: "2"))
    #expect(road2.planView.count == 1)  // all of it is degenerate: kept
    let road3 = try #require(network.road(id: "3"))
    #expect(road3.planView.count == 1)
    // The kink is gone: the road runs north from its start.
    let p = road3.referencePose(at: 10)
    #expect(abs(p.x) < 1e-6 && abs(p.y - (-90)) < 1e-6)
    let warnings = network.diagnostics.filter { $0.code == "W0801" }
    #expect(warnings.count == 3, "\(network.diagnostics)")
    #expect(warnings.allSatisfy { $0.line > 0 })
  }

  @Test func zeroWidthLanesAreKeptWithWarnings() throws {
    let network = try MapFixtures.load("zero_width")
    let road1 = try #require(network.road(id: "1"))
    // Width ramps 0 → 2 m between s = 20 and 40: lane -2's borders at s = 30 are 1 m apart.
    let b = try #require(road1.laneBorders(section: 0, lane: -2, at: 30))
    #expect(abs(b.inner - (-3.5)) < 1e-12 && abs(b.outer - (-4.5)) < 1e-12)
    let zero = try #require(road1.laneBorders(section: 0, lane: -2, at: 10))
    #expect(zero.inner == zero.outer)
    #expect(network.diagnostics.contains { $0.code == "W0802" && $0.message.contains("zero width") })
    // The road's length attribute (20) disagrees with its plan view (100).
    #expect(network.diagnostics.contains { $0.code == "W0803" })
    #expect(abs(road1.length - 100) < 1e-9)
  }

  @Test func unknownElementsAreNotedOnce() throws {
    let text = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      extra: #"<fancyThing a="1"><inner/></fancyThing><fancyThing/>"#)
    let network = try MapFixtures.parse(text)
    let notes = network.diagnostics.filter { $0.code == "N0801" }
    #expect(notes.count == 1)
    #expect(notes.first?.element == "fancyThing" && notes.first?.message.contains("2 occurrences") == true)
    #expect(notes.first?.line == 6)
  }

  @Test func farAwayMapsAreRecentred() throws {
    let text = MapFixtures.road(planView: #"<geometry s="0" x="5000000.25" y="-3000000" hdg="0" length="10"><line/></geometry>"#)
    let network = try MapFixtures.parse(text)
    #expect(network.localOrigin == SIMD2(5_000_000, -3_000_000))
    let road = try #require(network.roads.first)
    let p = road.referencePose(at: 10)
    #expect(abs(p.x - 10.25) < 1e-9 && abs(p.y) < 1e-9)
    #expect(network.diagnostics.contains { $0.code == "N0802" })
  }

  @Test func laneOffsetElevationAndSuperelevation() throws {
    let text = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      extra: """
        <elevationProfile><elevation s="0" a="1" b="0.1" c="0" d="0"/></elevationProfile>
        <lateralProfile><superelevation s="0" a="0.1" b="0" c="0" d="0"/></lateralProfile>
        """)
      .replacingOccurrences(of: "<laneSection", with: #"<laneOffset s="0" a="0.5" b="0" c="0" d="0"/><laneSection"#)
    let road = try #require(try MapFixtures.parse(text).roads.first)
    let p = try #require(road.laneCenter(section: 0, lane: -1, at: 5))
    let t = 0.5 - 1.75
    #expect(abs(p.y - t * cos(0.1)) < 1e-12)
    #expect(abs(p.z - (1.5 + t * sin(0.1))) < 1e-12)
  }
}

@Suite struct InvalidInputTests {
  func error(_ text: String) -> MapDiagnostic? {
    do {
      _ = try MapFixtures.parse(text)
      return nil
    } catch {
      return (error as? MapReadError)?.diagnostic
    }
  }

  @Test func malformedXMLNamesTheLine() throws {
    let text = MapFixtures.road(planView: #"<geometry s="0" x=0 y="0" hdg="0" length="10"><line/></geometry>"#)
    let d = try #require(error(text))
    #expect(d.code == "E0802" && d.severity == .error)
    #expect(d.line == 5, "\(d)")
    #expect(d.element == "planView")
    // A file cut short.
    let cut = try #require(error(String(text.prefix(200))))
    #expect(cut.code == "E0802" && cut.line > 0)
  }

  /// Found by Fuzz/FuzzInputs: bytes that are not UTF-8 inside a comment trapped in
  /// Foundation's XMLParser. They are refused before parsing, at their line.
  @Test func invalidUTF8IsADiagnosticNotATrap() throws {
    let good = MapFixtures.road(planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#)
    var bytes = Array(good.utf8)
    let insert = Array("<!-- caf".utf8) + [0xFF, 0xFE] + Array(" -->\n".utf8)
    let at = try #require(bytes.firstIndex(of: UInt8(ascii: "\n"))) + 1
    bytes.insert(contentsOf: insert, at: at)
    do {
      _ = try OpenDriveReader.read(data: Data(bytes))
      Issue.record("a file with invalid UTF-8 was read")
    } catch {
      #expect(error.diagnostic.code == "E0802")
      #expect(error.diagnostic.line == 2, "\(error.diagnostic)")
      #expect(error.diagnostic.message.contains("not UTF-8"))
    }
    // Well-formed multi-byte text is read as before; a file in another encoding, or with a
    // damaged declaration (found by FuzzInputs in CI), is refused all the same.
    #expect(OpenDriveReader.invalidUTF8(Data("<!-- café, 東京, 🚗 -->".utf8)) == nil)
    let latin1 = Data(#"<?xml version="1.0" encoding="ISO-8859-1"?><!-- caf"#.utf8) + Data([0xE9]) + Data(" -->".utf8)
    #expect(OpenDriveReader.invalidUTF8(latin1) != nil)
    let damaged = Data(#"<?xml version="1.0" encoding<"UTF-8"?><!-- caf"#.utf8) + Data([0xFF]) + Data(" -->".utf8)
    #expect(OpenDriveReader.invalidUTF8(damaged) != nil)
    // The input FuzzInputs found in CI (its first byte picks the map reader) is refused.
    let corpus = MapFixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fuzz/Corpus/inputs/regression-damaged-declaration")
    let found = try Data(contentsOf: corpus).dropFirst()
    #expect(throws: MapReadError.self) { _ = try OpenDriveReader.read(data: Data(found)) }
    // Overlong, surrogate and truncated sequences are not UTF-8.
    for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF5, 0x80, 0x80, 0x80]] {
      #expect(OpenDriveReader.invalidUTF8(Data(Array("ab\nc".utf8) + bad))?.line == 2)
    }
  }

  /// Processing instructions mean nothing to OpenDRIVE; one without data (`<?x?>`) crashed
  /// Foundation's XMLParser (found by FuzzInputs in a 30-minute run). They are blanked before
  /// parsing, keeping lines and columns; comments and CDATA keep their text.
  @Test func processingInstructionsAreBlankedBeforeParsing() throws {
    let text = MapFixtures.road(planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#)
    let withInstructions = text.replacingOccurrences(of: "<OpenDRIVE>", with: "<?x?>\n<OpenDRIVE><?pi some data?>")
      .replacingOccurrences(of: "</OpenDRIVE>", with: "<!-- <?kept?> --></OpenDRIVE><?y?>")
    let network = try OpenDriveReader.read(data: Data(withInstructions.utf8))
    #expect(network.roads.count == 1)
    let blanked = String(decoding: OpenDriveReader.blankingProcessingInstructions(Data(withInstructions.utf8)), as: UTF8.self)
    #expect(blanked.hasPrefix("<?xml version=\"1.0\"?>"), "the declaration stays")
    #expect(!blanked.contains("<?x?>") && !blanked.contains("<?pi") && !blanked.contains("<?y?>"))
    #expect(blanked.contains("<!-- <?kept?> -->"))
    #expect(blanked.utf8.count == withInstructions.utf8.count)
    #expect(blanked.split(separator: "\n", omittingEmptySubsequences: false).count
      == withInstructions.split(separator: "\n", omittingEmptySubsequences: false).count)
    // The input FuzzInputs found (its first byte picks the map reader; a damaged end tag
    // follows the instruction) is now refused as malformed XML instead of crashing.
    let corpus = MapFixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fuzz/Corpus/inputs/regression-empty-processing-instruction")
    let found = try Data(contentsOf: corpus).dropFirst()
    #expect(throws: MapReadError.self) { _ = try OpenDriveReader.read(data: Data(found)) }
  }

  @Test func missingRequiredAttribute() throws {
    let text = MapFixtures.road(planView: #"<geometry s="0" x="0" hdg="0" length="10"><line/></geometry>"#)
    let d = try #require(error(text))
    #expect(d.code == "E0804" && d.element == "geometry" && d.line == 5)
    #expect(d.message.contains("'y'"))
    #expect(d.description == "line 5: <geometry>: error[E0804]: <geometry> needs the attribute 'y'")
  }

  @Test func badNumbers() throws {
    let text = MapFixtures.road(planView: #"<geometry s="0" x="0" y="nan" hdg="0" length="10"><line/></geometry>"#)
    let d = try #require(error(text))
    #expect(d.code == "E0805" && d.message.contains("finite number"))
    let lane = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      lanes: #"<lane id="2" type="driving"><width sOffset="0" a="3" b="0" c="0" d="0"/></lane>"#)
    #expect(try #require(error(lane)).message.contains("negative id"))
  }

  @Test func structuralProblems() throws {
    #expect(try #require(error("<?xml version=\"1.0\"?><html/>")).code == "E0803")
    #expect(try #require(error("")).code == "E0803")
    let noShape = MapFixtures.road(planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"/>"#)
    #expect(try #require(error(noShape)).code == "E0804")
    let noPlan = MapFixtures.road(planView: "")
    #expect(try #require(error(noPlan)).message.contains("no <planView> geometry"))
  }

  /// A 1 GB file is refused from its size, before it is read (the file is sparse: no disk used).
  @Test func oversizedFileIsRefusedUnread() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("scn-map-\(UUID().uuidString).xodr")
    #expect(FileManager.default.createFile(atPath: url.path, contents: Data("<OpenDRIVE>".utf8)))
    defer { try? FileManager.default.removeItem(at: url) }
    let handle = try FileHandle(forWritingTo: url)
    try handle.truncate(atOffset: 1 << 30)
    try handle.close()
    do {
      _ = try OpenDriveReader.read(contentsOf: url)
      Issue.record("a 1 GiB file was read")
    } catch {
      #expect(error.diagnostic.code == "E0801")
      #expect(error.diagnostic.message.contains("over the limit of \(OpenDriveReader.defaultMaximumFileSize) bytes"))
    }
  }

  @Test func missingFile() {
    do {
      _ = try OpenDriveReader.read(contentsOf: URL(fileURLWithPath: "/nonexistent/map.xodr"))
      Issue.record("read a missing file")
    } catch {
      #expect(error.diagnostic.code == "E0801")
    }
  }
}

/// Damaged files never crash the reader or what is built on a network it returns.
@Suite struct DamagedInputTests {
  func exercise(_ data: Data) {
    guard let network = try? OpenDriveReader.read(data: data) else { return }
    let lanes = LaneNetwork(network)
    let index = LaneIndex(lanes)
    _ = index.nearestLane(to: SIMD2(1, 1))
    _ = index.direction(at: SIMD2(0, 0))
    _ = MapRaster(lanes, pixelsPerMetre: 0.5)
    _ = MapSummary(lanes)
  }

  /// Cut-off files: every prefix of a small map is either refused or read whole.
  @Test func truncated() throws {
    let original = try Data(contentsOf: MapFixtures.url("Issue274"))
    for cut in stride(from: 0, to: original.count, by: max(original.count / 60, 1)) {
      guard let network = try? OpenDriveReader.read(data: original.prefix(cut)) else { continue }
      _ = LaneNetwork(network)
    }
  }

  @Test func runawayWidthsStayOutOfTheGrid() throws {
    let text = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      lanes: #"<lane id="-1" type="driving"><width sOffset="0" a="1e12" b="1e12" c="1e12" d="1e12"/></lane>"#)
    let network = try MapFixtures.parse(text)
    let lanes = LaneNetwork(network)
    let index = LaneIndex(lanes)
    #expect(index.lane(containing: SIMD2(5, -1)) == nil)
    let raster = MapRaster(lanes)
    #expect(raster.width >= 1 && raster.height >= 1)
    let tooBig = MapFixtures.road(planView: #"<geometry s="0" x="0" y="0" hdg="0" length="1e13"><line/></geometry>"#)
    #expect(throws: MapReadError.self) { try MapFixtures.parse(tooBig) }
    let hugeId = MapFixtures.road(
      planView: #"<geometry s="0" x="0" y="0" hdg="0" length="10"><line/></geometry>"#,
      lanes: #"<lane id="-9223372036854775808" type="driving"><width sOffset="0" a="3" b="0" c="0" d="0"/></lane>"#)
    #expect(throws: MapReadError.self) { try MapFixtures.parse(hugeId) }
  }
}
