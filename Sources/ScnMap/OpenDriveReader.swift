import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Reads ASAM OpenDRIVE 1.4–1.8 files into a `RoadNetwork`.
///
/// XML is parsed by Foundation's `XMLParser` (libxml2's SAX parser on Linux; external entities
/// are never resolved). Elements of the specification that the network does not model
/// (controllers, surfaces, outlines, lane speed and access records, `userData`, …) are skipped
/// silently; elements the specification does not define are skipped with one note per name.
/// Degenerate geometry (pieces under a millimetre, tiny pieces turning tighter than a 10 cm
/// radius) is dropped with a warning. Only a structurally invalid file is an error.
public enum OpenDriveReader {
  /// Files larger than this are refused before any of them is read (256 MiB; the largest
  /// published OpenDRIVE maps are a few tens of megabytes).
  public static let defaultMaximumFileSize = 256 << 20

  /// Reads the file at `url`, refusing it unread when it is larger than `maximumFileSize`.
  public static func read(contentsOf url: URL, maximumFileSize: Int = defaultMaximumFileSize) throws(MapReadError)
    -> RoadNetwork
  {
    let size: Int
    do {
      let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
      guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
        throw MapReadError(MapDiagnostic(.error, "E0801", element: "", line: 0, "'\(url.path)' is not a regular file"))
      }
      size = (attributes[.size] as? NSNumber)?.intValue ?? 0
    } catch let error as MapReadError {
      throw error
    } catch {
      throw MapReadError(MapDiagnostic(.error, "E0801", element: "", line: 0, "cannot read '\(url.path)': no such file"))
    }
    guard size <= maximumFileSize else {
      throw MapReadError(
        MapDiagnostic(
          .error, "E0801", element: "", line: 0,
          "the file is \(size) bytes, over the limit of \(maximumFileSize) bytes for an OpenDRIVE map"))
    }
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw MapReadError(MapDiagnostic(.error, "E0801", element: "", line: 0, "cannot read '\(url.path)'"))
    }
    guard data.count <= maximumFileSize else {
      throw MapReadError(
        MapDiagnostic(.error, "E0801", element: "", line: 0, "the file grew over the limit of \(maximumFileSize) bytes"))
    }
    return try read(data: data)
  }

  /// Reads an OpenDRIVE document held in memory.
  public static func read(data: Data) throws(MapReadError) -> RoadNetwork {
    if let bad = invalidUTF8(data) {
      throw MapReadError(
        MapDiagnostic(
          .error, "E0802", element: "", line: bad.line,
          "malformed XML: the file is not UTF-8 (byte \(bad.offset + 1) at column \(bad.column)); "
            + "scn reads OpenDRIVE files in UTF-8 only (convert the file)"))
    }
    let parser = XMLParser(data: blankingProcessingInstructions(data))
    parser.shouldResolveExternalEntities = false
    let builder = NetworkBuilder()
    parser.delegate = builder
    let ok = parser.parse()
    // Malformed XML is reported before any complaint about the content: libxml2 recovers from
    // some faults (an unquoted attribute, a cut-off tag) and hands on damaged elements first.
    if !ok || builder.xmlError != nil {
      let at = builder.xmlError ?? (parser.lineNumber, parser.columnNumber, builder.stack.last ?? "")
      let code = (parser.parserError as NSError?)?.code ?? 0
      throw MapReadError(
        MapDiagnostic(
          .error, "E0802", element: at.element, line: at.line,
          "malformed XML (libxml2 error \(code)) at column \(at.column)"),
        earlier: builder.diagnostics)
    }
    if let error = builder.error { throw MapReadError(error, earlier: builder.diagnostics) }
    do {
      return try builder.finish()
    } catch {
      throw MapReadError(error, earlier: builder.diagnostics)
    }
  }
}

extension OpenDriveReader {
  /// The document with every processing instruction (`<?target data?>`) but a leading XML
  /// declaration replaced by spaces (line breaks kept, so lines and columns do not move).
  /// OpenDRIVE gives them no meaning, and Foundation's XMLParser crashes on one without data
  /// (`<?x?>`: it calls `strlen` on the null pointer libxml2 hands it; found by
  /// Fuzz/FuzzInputs). Comments and CDATA sections are skipped over; a `<?` without its `?>`
  /// is left for libxml2 to report as malformed.
  static func blankingProcessingInstructions(_ data: Data) -> Data {
    var bytes = [UInt8](data)
    let n = bytes.count
    let lt = UInt8(ascii: "<"), q = UInt8(ascii: "?"), bang = UInt8(ascii: "!")
    func starts(_ u: [UInt8], at i: Int) -> Bool {
      guard i >= 0, i + u.count <= n else { return false }
      for (k, b) in u.enumerated() where bytes[i + k] != b { return false }
      return true
    }
    func find(_ u: [UInt8], from i: Int) -> Int? {
      var k = i
      while k + u.count <= n {
        if starts(u, at: k) { return k }
        k += 1
      }
      return nil
    }
    let comment = Array("<!--".utf8), commentEnd = Array("-->".utf8)
    let cdata = Array("<![CDATA[".utf8), cdataEnd = Array("]]>".utf8)
    let piEnd = Array("?>".utf8), xml = Array("<?xml".utf8)
    // A declaration may open the document (after a UTF-8 byte order mark).
    let bom = starts([0xEF, 0xBB, 0xBF], at: 0) ? 3 : 0
    var i = 0
    var changed = false
    while i + 1 < n {
      guard bytes[i] == lt else {
        i += 1
        continue
      }
      if bytes[i + 1] == bang, starts(comment, at: i) {
        i = (find(commentEnd, from: i + 4) ?? n) + 3
      } else if bytes[i + 1] == bang, starts(cdata, at: i) {
        i = (find(cdataEnd, from: i + 9) ?? n) + 3
      } else if bytes[i + 1] == q {
        guard let end = find(piEnd, from: i + 2) else { break }
        let declaration = i == bom && starts(xml, at: i) && i + 5 < n
          && [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[i + 5])
        if !declaration {
          for k in i..<(end + 2) where bytes[k] != UInt8(ascii: "\n") && bytes[k] != UInt8(ascii: "\r") { bytes[k] = UInt8(ascii: " ") }
          changed = true
        }
        i = end + 2
      } else {
        i += 1
      }
    }
    return changed ? Data(bytes) : data
  }

  /// Where `data` stops being UTF-8 (offset, 1-based line and column); nil when it is all
  /// UTF-8. libxml2 hands comment and text bytes on unchecked, and Foundation's XMLParser
  /// traps on invalid UTF-8 in a comment (found by Fuzz/FuzzInputs), so such a file is
  /// refused before parsing, whatever its XML declaration says (a file in another encoding
  /// must be converted to UTF-8 first; a damaged declaration cannot open the door).
  static func invalidUTF8(_ data: Data) -> (offset: Int, line: Int, column: Int)? {
    let bytes = [UInt8](data)
    var line = 1
    var lineStart = 0
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == UInt8(ascii: "\n") {
        line += 1
        lineStart = i + 1
        i += 1
        continue
      }
      if b < 0x80 {
        i += 1
        continue
      }
      // The length of a well-formed sequence and the range of its second byte (RFC 3629).
      let length: Int
      var second: ClosedRange<UInt8> = 0x80...0xBF
      switch b {
      case 0xC2...0xDF: length = 2
      case 0xE0: length = 3; second = 0xA0...0xBF
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED: length = 3; second = 0x80...0x9F
      case 0xF0: length = 4; second = 0x90...0xBF
      case 0xF1...0xF3: length = 4
      case 0xF4: length = 4; second = 0x80...0x8F
      default: return (i, line, i - lineStart + 1)
      }
      guard i + length <= bytes.count, second.contains(bytes[i + 1]),
        bytes[(i + 2)..<(i + length)].allSatisfy({ (0x80...0xBF).contains($0) })
      else { return (i, line, i - lineStart + 1) }
      i += length
    }
    return nil
  }
}

/// Elements of OpenDRIVE 1.4–1.8 that the network does not model; skipped with their content
/// and without a note.
private let knownUnmodelled: Set<String> = [
  "userData", "include", "dataQuality", "geoReference", "offset", "junctionGroup",
  "junctionReference", "station", "platform", "segment", "crossfall", "shape", "surface", "CRG", "railroad",
  "switch", "mainTrack", "sideTrack", "partner", "material", "visibility", "speed", "access", "height", "rule",
  "signalReference", "objectReference", "tunnel", "bridge", "outline", "outlines", "cornerRoad", "cornerLocal",
  "repeat", "markings", "marking", "borders", "border", "validity", "dependency", "reference", "positionRoad",
  "positionInertial", "semantics", "priority", "neighbor", "sway", "explicit", "symbol", "parkingSpace",
  "elevationGrid", "boundary", "crossPath", "roadSection", "predecessor", "successor", "line", "type",
  "license", "defaultRegulations", "roadRegulations", "signalRegulations", "skeleton", "polyline", "vertexRoad",
  "vertexLocal",
]

final class NetworkBuilder: NSObject, XMLParserDelegate {
  var stack: [String] = []
  var diagnostics: [MapDiagnostic] = []
  var error: MapDiagnostic?
  /// Where libxml2 first reported the document malformed: line, column, enclosing element.
  var xmlError: (line: Int, column: Int, element: String)?
  private weak var parser: XMLParser?
  /// Depth at which skipping started (everything inside is ignored), or nil.
  private var skipDepth: Int?
  private var unknown: [String: (line: Int, count: Int)] = [:]
  private var unknownOrder: [String] = []
  private var sawRoot = false

  private var header = Header()
  private var roads: [Road] = []
  private var junctions: [Junction] = []
  private var geoReferenceText: String?

  // The road being read.
  private var road: Road?
  private var geometry: (s: Double, x: Double, y: Double, hdg: Double, length: Double, line: Int)?
  private var geometryShape: PlanGeometry.Shape?
  private var elevations: [Cubic] = []
  private var superelevations: [Cubic] = []
  private var laneOffsets: [Cubic] = []
  private var section: (s: Double, singleSide: Bool, line: Int)?
  private var sectionLanes: [(lane: Lane, side: String, line: Int)] = []
  private var sectionSide = ""
  private var lane: Lane?
  private var laneLine = 0
  private var widths: [Cubic] = []
  private var borderRecords: [Cubic] = []
  private var sections: [(LaneSection, Int)] = []

  private var junction: Junction?
  private var connection: Connection?
  private var controllers: [SignalController] = []
  private var controller: SignalController?
  /// Whether the current object's first outline has been read.
  private var outlineDone = false
  private var objectIndex: Int { max((road?.objects.count ?? 1) - 1, 0) }

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    self.parser = parser
    defer { stack.append(name) }
    if error != nil { return }
    if skipDepth != nil { return }
    let line = parser.lineNumber
    let parent = stack.last ?? ""
    let attrs = Attributes(element: name, line: line, values: attributes)
    do {
      try start(name, parent: parent, attrs: attrs, line: line)
    } catch {
      // Parsing goes on (building stops), so that malformed XML later on is still reported.
      self.error = error
    }
  }

  func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
    if !stack.isEmpty { stack.removeLast() }
    if error != nil { return }
    if let depth = skipDepth {
      if stack.count == depth { skipDepth = nil }
      return
    }
    do {
      try end(name, line: parser.lineNumber)
    } catch {
      self.error = error
    }
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    if xmlError == nil { xmlError = (parser.lineNumber, parser.columnNumber, stack.last ?? "") }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if stack.last == "geoReference" { geoReferenceText = (geoReferenceText ?? "") + string }
  }

  func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
    if stack.last == "geoReference" {
      geoReferenceText = (geoReferenceText ?? "") + String(decoding: CDATABlock, as: UTF8.self)
    }
  }

  private func skip() { skipDepth = stack.count }

  private func warn(_ code: String, _ element: String, _ line: Int, _ message: String) {
    diagnostics.append(MapDiagnostic(.warning, code, element: element, line: line, message))
  }

  // MARK: Element starts

  private func start(_ name: String, parent: String, attrs a: Attributes, line: Int) throws(MapDiagnostic) {
    if stack.isEmpty {
      guard name == "OpenDRIVE" else {
        throw MapDiagnostic(
          .error, "E0803", element: name, line: line, "expected the root element <OpenDRIVE>, found <\(name)>")
      }
      sawRoot = true
      return
    }
    switch (parent, name) {
    case ("OpenDRIVE", "header"):
      header.revMajor = try a.int("revMajor", default: 1)
      header.revMinor = try a.int("revMinor", default: 4)
      header.name = a.string("name") ?? ""
      header.vendor = a.string("vendor") ?? ""
      if header.revMajor != 1 {
        warn("W0806", name, line, "OpenDRIVE \(header.revMajor).\(header.revMinor) is not 1.x; read as 1.8")
      }
    case ("header", "geoReference"):
      geoReferenceText = ""
    case ("OpenDRIVE", "road"):
      let junctionId = a.string("junction")
      road = Road(
        id: try a.required("id"), name: a.string("name") ?? "", length: try a.double("length"),
        junction: junctionId == nil || junctionId == "-1" ? nil : junctionId,
        rule: a.string("rule") == "LHT" ? .leftHand : .rightHand, planView: [], laneSections: [], line: line)
      elevations = []
      superelevations = []
      laneOffsets = []
      sections = []
    case ("road", "link"), ("road", "planView"), ("road", "elevationProfile"), ("road", "lateralProfile"),
      ("road", "lanes"), ("road", "signals"), ("road", "objects"), ("laneSection", "left"),
      ("laneSection", "center"), ("laneSection", "right"), ("lane", "link"):
      if name == "left" || name == "center" || name == "right" { sectionSide = name }
    case ("link", "predecessor"), ("link", "successor"):
      if stack.count >= 2 && stack[stack.count - 2] == "lane" {
        let id = try a.int("id")
        if name == "predecessor" { lane?.predecessors.append(id) } else { lane?.successors.append(id) }
      } else {
        let type = try a.required("elementType")
        let id = try a.required("elementId")
        let link: RoadLink
        switch type {
        case "road":
          let contact = try a.contactPoint("contactPoint")
          link = RoadLink(.road(id: id, contact: contact))
        case "junction":
          link = RoadLink(.junction(id: id))
        default:
          warn("W0807", name, line, "link to a \(type) element skipped (only roads and junctions are followed)")
          return
        }
        if name == "predecessor" { road?.predecessor = link } else { road?.successor = link }
      }
    case ("road", "type"):
      road?.types.append(RoadType(s: try a.double("s"), type: a.string("type") ?? "unknown", maxSpeed: nil))
    case ("type", "speed") where stack.count >= 2 && stack[stack.count - 2] == "road":
      if let max = a.string("max"), let value = Double(max), value.isFinite, let index = road?.types.indices.last {
        let factor: Double
        switch a.string("unit") ?? "m/s" {
        case "mph": factor = 0.44704
        case "km/h": factor = 1 / 3.6
        default: factor = 1
        }
        road?.types[index].maxSpeed = value * factor
      }
    case ("planView", "geometry"):
      geometry = (try a.double("s"), try a.double("x"), try a.double("y"), try a.double("hdg"), try a.double("length"), line)
      geometryShape = nil
    case ("geometry", "line"):
      geometryShape = .line
    case ("geometry", "arc"):
      geometryShape = .arc(curvature: try a.double("curvature"))
    case ("geometry", "spiral"):
      geometryShape = .spiral(curvStart: try a.double("curvStart"), curvEnd: try a.double("curvEnd"))
    case ("geometry", "poly3"):
      geometryShape = .poly3(a: try a.coefficient("a"), b: try a.coefficient("b"), c: try a.coefficient("c"), d: try a.coefficient("d"))
    case ("geometry", "paramPoly3"):
      let u = [try a.coefficient("aU"), try a.coefficient("bU"), try a.coefficient("cU"), try a.coefficient("dU")]
      let v = [try a.coefficient("aV"), try a.coefficient("bV"), try a.coefficient("cV"), try a.coefficient("dV")]
      let range = a.string("pRange") ?? "normalized"
      guard range == "normalized" || range == "arcLength" else {
        throw MapDiagnostic(
          .error, "E0805", element: name, line: line, "pRange must be 'arcLength' or 'normalized', found '\(range)'")
      }
      geometryShape = .paramPoly3(u: u, v: v, normalized: range == "normalized")
    case ("elevationProfile", "elevation"):
      elevations.append(try a.cubic(s: "s"))
    case ("lateralProfile", "superelevation"):
      superelevations.append(try a.cubic(s: "s"))
    case ("lanes", "laneOffset"):
      laneOffsets.append(try a.cubic(s: "s"))
    case ("lanes", "laneSection"):
      section = (try a.double("s"), a.string("singleSide") == "true", line)
      sectionLanes = []
    case ("left", "lane"), ("center", "lane"), ("right", "lane"):
      let id = try a.int("id")
      let expectedSign = parent == "left" ? 1 : parent == "right" ? -1 : 0
      guard id.signum() == expectedSign else {
        throw MapDiagnostic(
          .error, "E0805", element: name, line: line,
          "a lane in <\(parent)> must have a \(expectedSign > 0 ? "positive" : expectedSign < 0 ? "negative" : "zero") id, found \(id)")
      }
      let typeName = a.string("type") ?? "none"
      let type = LaneType(name: typeName)
      if case .other = type { warn("W0807", name, line, "unknown lane type '\(typeName)' kept as it is") }
      lane = Lane(id: id, type: type, level: a.string("level") == "true" || a.string("level") == "1")
      laneLine = line
      widths = []
      borderRecords = []
    case ("lane", "width"):
      widths.append(try a.cubic(s: "sOffset"))
    case ("lane", "border"):
      borderRecords.append(try a.cubic(s: "sOffset"))
    case ("lane", "roadMark"):
      let width = try a.optionalDouble("width") ?? 0.12
      lane?.roadMarks.append(
        RoadMark(
          sOffset: try a.double("sOffset"), type: a.string("type") ?? "none", weight: a.string("weight") ?? "standard",
          color: a.string("color") ?? "standard", material: a.string("material") ?? "standard", width: width,
          laneChange: a.string("laneChange") ?? "both"))
      skip()  // its <type>/<sway>/<explicit> children describe custom patterns, not modelled
    case ("signals", "signal"):
      road?.signals.append(
        Signal(
          id: try a.required("id"), name: a.string("name") ?? "", s: try a.double("s"), t: try a.double("t"),
          zOffset: try a.optionalDouble("zOffset") ?? 0, type: a.string("type") ?? "-1", subtype: a.string("subtype") ?? "-1",
          country: a.string("country") ?? "", dynamic: a.string("dynamic") == "yes",
          orientation: a.string("orientation") ?? "none", value: try a.optionalDouble("value"),
          height: try a.optionalDouble("height"), width: try a.optionalDouble("width")))
      skip()
    case ("objects", "object"):
      road?.objects.append(
        RoadObject(
          id: try a.required("id"), name: a.string("name") ?? "", type: a.string("type") ?? "none", s: try a.double("s"),
          t: try a.double("t"), zOffset: try a.optionalDouble("zOffset") ?? 0, hdg: try a.optionalDouble("hdg") ?? 0,
          length: try a.optionalDouble("length"), width: try a.optionalDouble("width"),
          height: try a.optionalDouble("height"), radius: try a.optionalDouble("radius")))
      outlineDone = false
    case ("object", "outlines"):
      break
    case ("object", "outline"), ("outlines", "outline"):
      // Only the first outline of an object is kept; the others are skipped.
      if outlineDone || !(road?.objects.last?.outline.isEmpty ?? false) { skip() }
    case ("outline", "cornerRoad") where road?.objects.isEmpty == false:
      let i = objectIndex
      road?.objects[i].outline.append(.road(s: try a.double("s"), t: try a.double("t")))
      skip()
    case ("outline", "cornerLocal") where road?.objects.isEmpty == false:
      let i = objectIndex
      road?.objects[i].outline.append(.local(u: try a.double("u"), v: try a.double("v")))
      skip()
    case ("OpenDRIVE", "junction"):
      junction = Junction(id: try a.required("id"), name: a.string("name") ?? "", type: a.string("type") ?? "default", connections: [])
    case ("junction", "connection"):
      let connecting = a.string("connectingRoad") ?? a.string("linkedRoad")
      guard let connecting else { throw a.missing("connectingRoad") }
      connection = Connection(
        id: try a.required("id"), incomingRoad: try a.required("incomingRoad"), connectingRoad: connecting,
        contactPoint: try a.contactPoint("contactPoint"), laneLinks: [])
    case ("OpenDRIVE", "controller"):
      controller = SignalController(
        id: try a.required("id"), name: a.string("name") ?? "", sequence: try a.optionalInt("sequence"), signalIds: [])
    case ("controller", "control"):
      controller?.signalIds.append(try a.required("signalId"))
      skip()
    case ("junction", "controller"):
      junction?.controllers.append(JunctionController(id: try a.required("id"), sequence: try a.optionalInt("sequence")))
      skip()
    case ("connection", "laneLink"):
      connection?.laneLinks.append(LaneLink(from: try a.int("from"), to: try a.int("to")))
    default:
      if !knownUnmodelled.contains(name) {
        if let seen = unknown[name] {
          unknown[name] = (seen.line, seen.count + 1)
        } else {
          unknown[name] = (line, 1)
          unknownOrder.append(name)
        }
      }
      skip()
    }
  }

  // MARK: Element ends

  private func end(_ name: String, line: Int) throws(MapDiagnostic) {
    switch name {
    case "geoReference":
      header.geoReference = geoReferenceText?.trimmingCharacters(in: .whitespacesAndNewlines)
    case "geometry":
      guard let g = geometry else { return }
      guard let shape = geometryShape else {
        throw MapDiagnostic(
          .error, "E0804", element: "geometry", line: g.line,
          "<geometry> needs one of <line>, <arc>, <spiral>, <poly3>, <paramPoly3>")
      }
      road?.planView.append(PlanGeometry(s: g.s, x: g.x, y: g.y, hdg: g.hdg, length: g.length, shape: shape))
      geometry = nil
    case "lane":
      guard var l = lane else { return }
      l.width = PiecewiseCubic(widths)
      l.border = PiecewiseCubic(borderRecords)
      sectionLanes.append((l, sectionSide, laneLine))
      lane = nil
    case "laneSection":
      guard let sec = section else { return }
      var left = sectionLanes.filter { $0.side == "left" }.map(\.lane).sorted { $0.id < $1.id }
      var right = sectionLanes.filter { $0.side == "right" }.map(\.lane).sorted { $0.id > $1.id }
      var center = sectionLanes.first { $0.side == "center" }?.lane
      if center == nil {
        warn("W0805", "laneSection", sec.line, "lane section has no centre lane; one of type none is assumed")
        center = Lane(id: 0, type: .none)
      }
      for (side, lanes) in [("left", left), ("right", right)] {
        for (i, l) in lanes.enumerated() where abs(l.id) != i + 1 {
          warn("W0805", "laneSection", sec.line, "\(side) lane ids are not 1, 2, … from the centre (lane \(l.id)); lanes taken in id order")
          break
        }
      }
      // Lanes are laid outwards in id order whatever their numbering.
      left = left.sorted { $0.id < $1.id }
      right = right.sorted { $0.id > $1.id }
      sections.append(
        (LaneSection(s: sec.s, length: 0, left: left, center: center ?? Lane(id: 0, type: .none), right: right, singleSide: sec.singleSide), sec.line))
      section = nil
    case "road":
      guard let r = road else { return }
      roads.append(try finishRoad(r, endLine: line))
      road = nil
    case "connection":
      if let c = connection { junction?.connections.append(c) }
      connection = nil
    case "junction":
      if let j = junction { junctions.append(j) }
      junction = nil
    case "controller":
      if let c = controller { controllers.append(c) }
      controller = nil
    case "outline":
      outlineDone = true
    default:
      break
    }
  }

  // MARK: Finishing

  private func finishRoad(_ input: Road, endLine: Int) throws(MapDiagnostic) -> Road {
    var r = input
    guard !r.planView.isEmpty else {
      throw MapDiagnostic(.error, "E0804", element: "road", line: r.line, "road '\(r.id)' has no <planView> geometry")
    }
    guard !sections.isEmpty else {
      throw MapDiagnostic(.error, "E0804", element: "road", line: r.line, "road '\(r.id)' has no <laneSection>")
    }
    r.planView.sort { $0.s < $1.s }
    // Degenerate pieces: under a millimetre, or under a metre and tighter than a 10 cm radius.
    let suspect = r.planView.map { g in g.length < 1e-3 || (g.length < 1 && g.maxCurvature > 10) }
    if suspect.allSatisfy({ $0 }) {
      warn(
        "W0801", "road", r.line,
        "road '\(r.id)' consists only of degenerate geometry (length \(fmt(r.planView.map(\.length).reduce(0, +))) m); kept")
    } else {
      var kept: [PlanGeometry] = []
      for (g, bad) in zip(r.planView, suspect) {
        if bad {
          warn(
            "W0801", "geometry", r.line,
            "road '\(r.id)': degenerate plan-view piece at s = \(fmt(g.s)) (length \(fmt(g.length)) m, curvature up to \(fmt(g.maxCurvature)) /m) dropped")
        } else {
          kept.append(g)
        }
      }
      r.planView = kept
    }
    for g in r.planView where g.length < 0 {
      throw MapDiagnostic(.error, "E0805", element: "geometry", line: r.line, "road '\(r.id)': negative geometry length \(g.length)")
    }
    let planLength = r.planView.map { $0.s + $0.length }.max() ?? 0
    if abs(planLength - r.length) > 0.01 {
      warn(
        "W0803", "road", r.line,
        "road '\(r.id)': length is \(fmt(r.length)) m but its plan view runs \(fmt(planLength)) m; the plan view's is used")
    }
    r.length = max(planLength, r.planView.first?.s ?? 0)
    r.elevation = PiecewiseCubic(elevations)
    r.superelevation = PiecewiseCubic(superelevations)
    r.laneOffset = PiecewiseCubic(laneOffsets)
    let ordered = sections.sorted { $0.0.s < $1.0.s }
    var laneSections: [LaneSection] = []
    for (i, (sec, _)) in ordered.enumerated() {
      var sec = sec
      let end = i + 1 < ordered.count ? ordered[i + 1].0.s : r.length
      sec.length = max(end - sec.s, 0)
      laneSections.append(sec)
    }
    r.laneSections = laneSections
    for (i, (sec, line)) in zip(r.laneSections, ordered.map(\.1)).enumerated() {
      for l in sec.left + sec.right where l.width.isEmpty && l.border.isEmpty {
        warn("W0802", "lane", line, "road '\(r.id)', lane \(l.id): no <width> or <border>; width taken as 0")
      }
      for l in sec.left + sec.right where !l.width.isEmpty && sec.length > 0 {
        let samples = (0...8).map { l.width.value(at: sec.length * Double($0) / 8) }
        if samples.allSatisfy({ abs($0) < 1e-6 }) {
          warn("W0802", "lane", line, "road '\(r.id)', section \(i), lane \(l.id) (\(l.type)): zero width along the whole section; it has no area")
        } else if samples.contains(where: { $0 < -1e-6 }) {
          warn("W0802", "lane", line, "road '\(r.id)', section \(i), lane \(l.id): negative width, taken as 0")
        }
      }
    }
    return r
  }

  func finish() throws(MapDiagnostic) -> RoadNetwork {
    guard sawRoot else {
      throw MapDiagnostic(.error, "E0803", element: "", line: 0, "the file has no <OpenDRIVE> element")
    }
    for name in unknownOrder {
      guard let seen = unknown[name] else { continue }
      diagnostics.append(
        MapDiagnostic(
          .note, "N0801", element: name, line: seen.line,
          "element <\(name)> is not part of OpenDRIVE 1.4–1.8; skipped (\(seen.count) occurrence\(seen.count == 1 ? "" : "s"))"))
    }
    // Re-centre maps far from their origin, so that Float32 geometry keeps centimetres.
    var lo = SIMD2<Double>(repeating: .infinity)
    var hi = SIMD2<Double>(repeating: -.infinity)
    for r in roads {
      for g in r.planView {
        lo = pointwiseMin(lo, SIMD2(g.x, g.y))
        hi = pointwiseMax(hi, SIMD2(g.x, g.y))
      }
    }
    var origin = SIMD2<Double>(0, 0)
    if lo.x.isFinite && max(abs(lo.x), abs(lo.y), abs(hi.x), abs(hi.y)) > 10_000 {
      origin = ((lo + hi) / 2).rounded(.toNearestOrEven)
      for i in roads.indices {
        for j in roads[i].planView.indices {
          roads[i].planView[j].x -= origin.x
          roads[i].planView[j].y -= origin.y
        }
      }
      diagnostics.append(
        MapDiagnostic(
          .note, "N0802", element: "", line: 0,
          "map coordinates re-centred on the local origin (\(fmt(origin.x)), \(fmt(origin.y))): subtracted from every x and y"))
    }
    return RoadNetwork(header: header, roads: roads, junctions: junctions, controllers: controllers, localOrigin: origin, diagnostics: diagnostics)
  }
}

extension MapDiagnostic: Error {}

func fmt(_ value: Double) -> String {
  if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
  let text = String(format: "%.6g", value)
  return text
}

/// An element's attributes with typed, diagnosed accessors.
struct Attributes {
  let element: String
  let line: Int
  let values: [String: String]

  func string(_ name: String) -> String? { values[name] }

  func missing(_ name: String) -> MapDiagnostic {
    MapDiagnostic(.error, "E0804", element: element, line: line, "<\(element)> needs the attribute '\(name)'")
  }

  func required(_ name: String) throws(MapDiagnostic) -> String {
    guard let value = values[name] else { throw missing(name) }
    return value
  }

  func double(_ name: String) throws(MapDiagnostic) -> Double {
    let text = try required(name)
    return try parse(name, text)
  }

  func optionalDouble(_ name: String) throws(MapDiagnostic) -> Double? {
    guard let text = values[name] else { return nil }
    return try parse(name, text)
  }

  /// A polynomial coefficient: required by the schema, but taken as 0 when absent.
  func coefficient(_ name: String) throws(MapDiagnostic) -> Double { try optionalDouble(name) ?? 0 }

  func cubic(s: String) throws(MapDiagnostic) -> Cubic {
    Cubic(s: try double(s), a: try coefficient("a"), b: try coefficient("b"), c: try coefficient("c"), d: try coefficient("d"))
  }

  func int(_ name: String) throws(MapDiagnostic) -> Int {
    let text = try required(name).trimmingCharacters(in: .whitespaces)
    // Some exporters write integral ids as "1.0"; lane ids and revisions stay far below 1e9.
    if let value = Int(text) ?? Double(text).flatMap({ $0 == $0.rounded() && abs($0) < 1e9 ? Int($0) : nil }),
      value > -1_000_000_000, value < 1_000_000_000
    {
      return value
    }
    throw MapDiagnostic(
      .error, "E0805", element: element, line: line,
      "attribute '\(name)' of <\(element)> must be an integer below 1e9 in size, found '\(text)'")
  }

  func int(_ name: String, default value: Int) throws(MapDiagnostic) -> Int {
    values[name] == nil ? value : try int(name)
  }

  func optionalInt(_ name: String) throws(MapDiagnostic) -> Int? {
    values[name] == nil ? nil : try int(name)
  }

  func contactPoint(_ name: String) throws(MapDiagnostic) -> ContactPoint {
    let text = try required(name)
    guard let point = ContactPoint(rawValue: text) else {
      throw MapDiagnostic(
        .error, "E0805", element: element, line: line, "attribute '\(name)' of <\(element)> must be 'start' or 'end', found '\(text)'")
    }
    return point
  }

  /// Numbers beyond ±1e12 appear in no real map (UTM coordinates stay under 1e7 m); refusing
  /// them keeps every later sum and sample count finite.
  static let numberLimit = 1e12

  private func parse(_ name: String, _ text: String) throws(MapDiagnostic) -> Double {
    guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else {
      throw MapDiagnostic(
        .error, "E0805", element: element, line: line, "attribute '\(name)' of <\(element)> must be a finite number, found '\(text)'")
    }
    guard abs(value) <= Attributes.numberLimit else {
      throw MapDiagnostic(
        .error, "E0805", element: element, line: line,
        "attribute '\(name)' of <\(element)> is out of range: \(text) (the limit is ±1e12)")
    }
    return value
  }
}
