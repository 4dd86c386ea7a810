/// A road network read from an ASAM OpenDRIVE file (1.4–1.8): roads along reference lines,
/// lane sections with lanes of polynomial width, links between roads, and junctions.
///
/// Coordinates are OpenDRIVE's inertial frame (metres, x east, y north, z up, headings in
/// radians counter-clockwise from +x) shifted by `localOrigin`: every x and y of the file has
/// `localOrigin` subtracted, so maps placed far from the file's origin keep centimetre accuracy
/// in single precision. Add `localOrigin` back to get the file's coordinates.
public struct RoadNetwork: Sendable {
  public var header: Header
  /// Roads in file order. Road ids are strings, as in the file; `roadIndex` finds one.
  public var roads: [Road]
  public var junctions: [Junction]
  /// Signal controllers (`<controller>` under `<OpenDRIVE>`): the signals that switch together.
  public var controllers: [SignalController]
  /// Subtracted from every x and y of the file (zero for maps near their origin).
  public var localOrigin: SIMD2<Double>
  /// Warnings and notes produced while reading (degenerate geometry dropped, unknown
  /// elements skipped). Errors never reach a network: reading throws instead.
  public var diagnostics: [MapDiagnostic]

  public init(
    header: Header, roads: [Road], junctions: [Junction], controllers: [SignalController] = [], localOrigin: SIMD2<Double>,
    diagnostics: [MapDiagnostic]
  ) {
    self.header = header
    self.roads = roads
    self.junctions = junctions
    self.controllers = controllers
    self.localOrigin = localOrigin
    self.diagnostics = diagnostics
    var byId: [String: Int] = [:]
    for (i, road) in roads.enumerated() where byId[road.id] == nil { byId[road.id] = i }
    self.roadIndexById = byId
    var junctionById: [String: Int] = [:]
    for (i, junction) in junctions.enumerated() where junctionById[junction.id] == nil { junctionById[junction.id] = i }
    self.junctionIndexById = junctionById
  }

  private let roadIndexById: [String: Int]
  private let junctionIndexById: [String: Int]

  public func roadIndex(id: String) -> Int? { roadIndexById[id] }
  public func junctionIndex(id: String) -> Int? { junctionIndexById[id] }
  public func road(id: String) -> Road? { roadIndexById[id].map { roads[$0] } }
  public func junction(id: String) -> Junction? { junctionIndexById[id].map { junctions[$0] } }
}

public struct Header: Sendable, Hashable {
  public var revMajor: Int
  public var revMinor: Int
  public var name: String
  public var vendor: String
  public var geoReference: String?

  public init(revMajor: Int = 1, revMinor: Int = 4, name: String = "", vendor: String = "", geoReference: String? = nil) {
    self.revMajor = revMajor
    self.revMinor = revMinor
    self.name = name
    self.vendor = vendor
    self.geoReference = geoReference
  }
}

/// A cubic `a + b·ds + c·ds² + d·ds³` valid from `s` onwards (until the next record), as
/// OpenDRIVE writes elevation, superelevation, lane offset and lane width.
public struct Cubic: Sendable, Hashable {
  public var s: Double
  public var a: Double, b: Double, c: Double, d: Double

  public init(s: Double, a: Double, b: Double, c: Double, d: Double) {
    self.s = s
    self.a = a
    self.b = b
    self.c = c
    self.d = d
  }

  @inlinable public func value(at s: Double) -> Double {
    let ds = s - self.s
    return a + ds * (b + ds * (c + ds * d))
  }

  @inlinable public func slope(at s: Double) -> Double {
    let ds = s - self.s
    return b + ds * (2 * c + ds * 3 * d)
  }
}

/// A piecewise cubic: the record in force at `s` is the last one starting at or before it
/// (the first one before the first start). Empty means zero everywhere.
public struct PiecewiseCubic: Sendable, Hashable {
  public var pieces: [Cubic]

  public init(_ pieces: [Cubic] = []) { self.pieces = pieces.sorted { $0.s < $1.s } }

  public var isEmpty: Bool { pieces.isEmpty }

  @inlinable public func piece(at s: Double) -> Cubic? {
    guard !pieces.isEmpty else { return nil }
    var lo = 0
    var hi = pieces.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if pieces[mid].s <= s { lo = mid } else { hi = mid - 1 }
    }
    return pieces[lo]
  }

  @inlinable public func value(at s: Double) -> Double { piece(at: s)?.value(at: s) ?? 0 }
  @inlinable public func slope(at s: Double) -> Double { piece(at: s)?.slope(at: s) ?? 0 }
}

/// A road: a reference line (`planView`), profiles along it and its lanes.
public struct Road: Sendable {
  public var id: String
  public var name: String
  /// Length of the reference line, metres: the sum of the kept plan-view pieces.
  public var length: Double
  /// The junction this road belongs to (a connecting road), or nil for an ordinary road.
  public var junction: String?
  public var predecessor: RoadLink?
  public var successor: RoadLink?
  /// Traffic rule: right-hand (default) or left-hand traffic.
  public var rule: TrafficRule
  public var planView: [PlanGeometry]
  public var elevation: PiecewiseCubic
  /// Roll angle (radians) of the road surface around the reference line.
  public var superelevation: PiecewiseCubic
  public var laneOffset: PiecewiseCubic
  public var laneSections: [LaneSection]
  public var types: [RoadType]
  public var signals: [Signal]
  public var objects: [RoadObject]
  /// Line in the file where the road starts (for messages).
  public var line: Int

  public init(
    id: String, name: String = "", length: Double, junction: String? = nil, predecessor: RoadLink? = nil,
    successor: RoadLink? = nil, rule: TrafficRule = .rightHand, planView: [PlanGeometry],
    elevation: PiecewiseCubic = PiecewiseCubic(), superelevation: PiecewiseCubic = PiecewiseCubic(),
    laneOffset: PiecewiseCubic = PiecewiseCubic(), laneSections: [LaneSection], types: [RoadType] = [],
    signals: [Signal] = [], objects: [RoadObject] = [], line: Int = 0
  ) {
    self.id = id
    self.name = name
    self.length = length
    self.junction = junction
    self.predecessor = predecessor
    self.successor = successor
    self.rule = rule
    self.planView = planView
    self.elevation = elevation
    self.superelevation = superelevation
    self.laneOffset = laneOffset
    self.laneSections = laneSections
    self.types = types
    self.signals = signals
    self.objects = objects
    self.line = line
  }
}

public enum TrafficRule: String, Sendable, Hashable {
  case rightHand = "RHT"
  case leftHand = "LHT"
}

/// A road's `type` record: the kind of road from `s` on and its speed limit, if given.
public struct RoadType: Sendable, Hashable {
  public var s: Double
  public var type: String
  /// Speed limit in metres per second (converted from the file's unit), if given.
  public var maxSpeed: Double?

  public init(s: Double, type: String, maxSpeed: Double?) {
    self.s = s
    self.type = type
    self.maxSpeed = maxSpeed
  }
}

/// Where a road's start or end connects: another road (at its start or end) or a junction.
public struct RoadLink: Sendable, Hashable {
  public enum Element: Sendable, Hashable {
    case road(id: String, contact: ContactPoint)
    case junction(id: String)
  }

  public var element: Element

  public init(_ element: Element) { self.element = element }
}

public enum ContactPoint: String, Sendable, Hashable {
  case start
  case end
}

/// A stretch of road with a fixed set of lanes, from `s` to `s + length`.
public struct LaneSection: Sendable {
  public var s: Double
  public var length: Double
  /// Lanes left of the centre, ids 1, 2, … from the centre outwards.
  public var left: [Lane]
  /// The centre lane (id 0): no width, carries the centre road marks.
  public var center: Lane
  /// Lanes right of the centre, ids -1, -2, … from the centre outwards.
  public var right: [Lane]
  /// Only one side of the road is used (`singleSide`).
  public var singleSide: Bool

  public init(s: Double, length: Double, left: [Lane], center: Lane, right: [Lane], singleSide: Bool = false) {
    self.s = s
    self.length = length
    self.left = left
    self.center = center
    self.right = right
    self.singleSide = singleSide
  }

  /// Every lane but the centre one, left ones first (outermost to innermost), then right.
  public var sideLanes: [Lane] { left.reversed() + right }

  public func lane(id: Int) -> Lane? {
    if id == 0 { return center }
    if id > 0 { return left.first { $0.id == id } }
    return right.first { $0.id == id }
  }
}

public enum LaneType: Sendable, Hashable, CustomStringConvertible {
  case none, driving, stop, shoulder, biking, sidewalk, curb, border, restricted, parking, median
  case bidirectional, entry, exit, onRamp, offRamp, connectingRamp, roadWorks, tram, rail, bus, taxi, hov
  case walking, slipLane, special1, special2, special3
  /// A value outside the specification's list, kept verbatim.
  case other(String)

  static let byName: [String: LaneType] = [
    "none": .none, "driving": .driving, "stop": .stop, "shoulder": .shoulder, "biking": .biking,
    "sidewalk": .sidewalk, "curb": .curb, "border": .border, "restricted": .restricted, "parking": .parking,
    "median": .median, "bidirectional": .bidirectional, "entry": .entry, "exit": .exit, "onRamp": .onRamp,
    "offRamp": .offRamp, "connectingRamp": .connectingRamp, "roadWorks": .roadWorks, "tram": .tram,
    "rail": .rail, "bus": .bus, "taxi": .taxi, "HOV": .hov, "walking": .walking, "slipLane": .slipLane,
    "special1": .special1, "special2": .special2, "special3": .special3,
    // Spellings of OpenDRIVE 1.4 and of some exporters.
    "mwyEntry": .entry, "mwyExit": .exit, "hov": .hov,
  ]

  public init(name: String) { self = LaneType.byName[name] ?? .other(name) }

  public var description: String {
    switch self {
    case .none: "none"
    case .driving: "driving"
    case .stop: "stop"
    case .shoulder: "shoulder"
    case .biking: "biking"
    case .sidewalk: "sidewalk"
    case .curb: "curb"
    case .border: "border"
    case .restricted: "restricted"
    case .parking: "parking"
    case .median: "median"
    case .bidirectional: "bidirectional"
    case .entry: "entry"
    case .exit: "exit"
    case .onRamp: "onRamp"
    case .offRamp: "offRamp"
    case .connectingRamp: "connectingRamp"
    case .roadWorks: "roadWorks"
    case .tram: "tram"
    case .rail: "rail"
    case .bus: "bus"
    case .taxi: "taxi"
    case .hov: "HOV"
    case .walking: "walking"
    case .slipLane: "slipLane"
    case .special1: "special1"
    case .special2: "special2"
    case .special3: "special3"
    case .other(let name): name
    }
  }

  /// Lanes cars drive in (driving and its ramp, entry, exit, bus, taxi and HOV variants).
  public var isDrivable: Bool {
    switch self {
    case .driving, .entry, .exit, .onRamp, .offRamp, .connectingRamp, .bidirectional, .bus, .taxi, .hov, .slipLane:
      true
    default: false
    }
  }
}

/// One lane of a lane section.
public struct Lane: Sendable {
  public var id: Int
  public var type: LaneType
  /// `level="true"`: the lane keeps out of superelevation.
  public var level: Bool
  /// Width polynomials, `s` measured from the start of the lane section (OpenDRIVE's sOffset).
  public var width: PiecewiseCubic
  /// Outer-border polynomials (the alternative to width); used only when `width` is empty.
  public var border: PiecewiseCubic
  public var roadMarks: [RoadMark]
  /// Lane ids linked in the previous and next lane section or road.
  public var predecessors: [Int]
  public var successors: [Int]

  public init(
    id: Int, type: LaneType, level: Bool = false, width: PiecewiseCubic = PiecewiseCubic(),
    border: PiecewiseCubic = PiecewiseCubic(), roadMarks: [RoadMark] = [], predecessors: [Int] = [],
    successors: [Int] = []
  ) {
    self.id = id
    self.type = type
    self.level = level
    self.width = width
    self.border = border
    self.roadMarks = roadMarks
    self.predecessors = predecessors
    self.successors = successors
  }
}

/// A road mark along a lane's outer border (the centre lane's marks lie on the reference line
/// shifted by the lane offset), from `sOffset` in its lane section until the next one.
public struct RoadMark: Sendable, Hashable {
  public var sOffset: Double
  /// `none`, `solid`, `broken`, `solid solid`, `solid broken`, `broken solid`, `broken broken`,
  /// `botts dots`, `grass`, `curb`, `custom`, `edge`.
  public var type: String
  public var weight: String
  public var color: String
  public var material: String
  /// Width in metres (0.12 when the file gives none, the customary line width).
  public var width: Double
  public var laneChange: String

  public init(sOffset: Double, type: String, weight: String, color: String, material: String, width: Double, laneChange: String) {
    self.sOffset = sOffset
    self.type = type
    self.weight = weight
    self.color = color
    self.material = material
    self.width = width
    self.laneChange = laneChange
  }
}

/// A junction: which connecting road carries traffic from which incoming road.
public struct Junction: Sendable {
  public var id: String
  public var name: String
  /// `default`, `virtual` or `direct` (OpenDRIVE 1.7).
  public var type: String
  public var connections: [Connection]
  /// The signal controllers of the junction (`<controller id sequence>`), in file order.
  public var controllers: [JunctionController]

  public init(id: String, name: String, type: String, connections: [Connection], controllers: [JunctionController] = []) {
    self.id = id
    self.name = name
    self.type = type
    self.connections = connections
    self.controllers = controllers
  }
}

/// A junction's reference to a signal controller: the controller's id and its `sequence`
/// (the order in which the junction's controllers get their turn).
public struct JunctionController: Sendable, Hashable {
  public var id: String
  public var sequence: Int?

  public init(id: String, sequence: Int?) {
    self.id = id
    self.sequence = sequence
  }
}

/// A signal controller: signals that always show the same state (`<control signalId>`).
public struct SignalController: Sendable, Hashable {
  public var id: String
  public var name: String
  public var sequence: Int?
  public var signalIds: [String]

  public init(id: String, name: String = "", sequence: Int? = nil, signalIds: [String]) {
    self.id = id
    self.name = name
    self.sequence = sequence
    self.signalIds = signalIds
  }
}

public struct Connection: Sendable, Hashable {
  public var id: String
  public var incomingRoad: String
  /// The connecting road (or, in a direct junction, the linked road).
  public var connectingRoad: String
  /// Where the connecting road touches the incoming road.
  public var contactPoint: ContactPoint
  public var laneLinks: [LaneLink]

  public init(id: String, incomingRoad: String, connectingRoad: String, contactPoint: ContactPoint, laneLinks: [LaneLink]) {
    self.id = id
    self.incomingRoad = incomingRoad
    self.connectingRoad = connectingRoad
    self.contactPoint = contactPoint
    self.laneLinks = laneLinks
  }
}

public struct LaneLink: Sendable, Hashable {
  public var from: Int
  public var to: Int

  public init(from: Int, to: Int) {
    self.from = from
    self.to = to
  }
}

/// A traffic sign or light placed along a road.
public struct Signal: Sendable, Hashable {
  public var id: String
  public var name: String
  public var s: Double
  public var t: Double
  public var zOffset: Double
  public var type: String
  public var subtype: String
  public var country: String
  public var dynamic: Bool
  /// `+` (faces traffic along s), `-` (against s) or `none`.
  public var orientation: String
  public var value: Double?
  public var height: Double?
  public var width: Double?

  public init(
    id: String, name: String, s: Double, t: Double, zOffset: Double, type: String, subtype: String, country: String,
    dynamic: Bool, orientation: String, value: Double?, height: Double?, width: Double?
  ) {
    self.id = id
    self.name = name
    self.s = s
    self.t = t
    self.zOffset = zOffset
    self.type = type
    self.subtype = subtype
    self.country = country
    self.dynamic = dynamic
    self.orientation = orientation
    self.value = value
    self.height = height
    self.width = width
  }
}

/// A corner of an object's outline: in road coordinates (`<cornerRoad s t>`) or in the
/// object's own frame (`<cornerLocal u v>`: u along the object's heading, v to its left).
public enum OutlineCorner: Sendable, Hashable {
  case road(s: Double, t: Double)
  case local(u: Double, v: Double)
}

/// A road object (crosswalk, pole, building, …) placed along a road, with its first outline.
public struct RoadObject: Sendable, Hashable {
  public var id: String
  public var name: String
  public var type: String
  public var s: Double
  public var t: Double
  public var zOffset: Double
  /// Heading relative to the road's reference line, radians.
  public var hdg: Double
  public var length: Double?
  public var width: Double?
  public var height: Double?
  public var radius: Double?
  /// The corners of its first outline (`<outline>`, or the first in `<outlines>`), in order.
  public var outline: [OutlineCorner]

  public init(
    id: String, name: String, type: String, s: Double, t: Double, zOffset: Double, hdg: Double, length: Double?,
    width: Double?, height: Double?, radius: Double?, outline: [OutlineCorner] = []
  ) {
    self.outline = outline
    self.id = id
    self.name = name
    self.type = type
    self.s = s
    self.t = t
    self.zOffset = zOffset
    self.hdg = hdg
    self.length = length
    self.width = width
    self.height = height
    self.radius = radius
  }
}
