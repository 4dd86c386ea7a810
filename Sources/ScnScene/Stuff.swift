import ScnGeometry

// "Stuff": the surfaces a scene stands on (roads, lane markings, sidewalks, kerbs). They have
// a semantic class but no instance, so they appear in semantic masks, depth, RGB and LiDAR
// but never in instance images, COCO or KITTI labels (docs/scene-model.md, "Stuff").
//
// Flat surfaces (asphalt, markings) are a layer painted onto the ground plane z = 0 and
// looked up where a ray meets it (`Stuff.ground(atX:y:)`); raised ones (kerbs, sidewalks)
// are triangle meshes (`Stuff.solids`).

/// A reference line of straights and circular arcs joined end to end, in the plan view
/// (OpenDRIVE style). Lateral offsets are measured to the left of the direction of travel.
public struct ReferenceLine: Hashable, Sendable {
  public struct Segment: Hashable, Sendable {
    /// Pose where the segment starts.
    public let origin: Vec3
    public let heading: Double
    public let length: Double
    /// Signed curvature (1/m, positive turning left); 0 for a straight.
    public let curvature: Double
    /// cos and sin of `heading`, for the per-hit projection.
    let cosHeading: Double
    let sinHeading: Double

    public init(origin: Vec3, heading: Double, length: Double, curvature: Double) {
      self.origin = origin
      self.heading = heading
      self.length = length
      self.curvature = curvature
      cosHeading = heading.cosine
      sinHeading = heading.sine
    }
  }

  public let segments: [Segment]
  public let totalLength: Double

  public init(segments: [Segment]) {
    self.segments = segments.filter { $0.length > 0 && $0.length.isFinite && $0.curvature.isFinite }
    totalLength = self.segments.reduce(0) { $0 + $1.length }
  }

  /// The point at `station` along segment `seg` (0…length) and lateral offset `d`.
  public static func point(_ seg: Segment, station s: Double, lateral d: Double) -> Vec3 {
    let h0 = seg.heading, k = seg.curvature
    let h = h0 + k * s
    var base: Vec3
    if k == 0 {
      base = seg.origin + Vec3(h0.cosine * s, h0.sine * s, 0)
    } else {
      let rho = 1 / k
      let centre = seg.origin + Vec3(-h0.sine * rho, h0.cosine * rho, 0)
      base = centre + Vec3(h.sine * rho, -h.cosine * rho, 0)
    }
    return base + Vec3(-h.sine * d, h.cosine * d, 0)
  }

  /// Station along the whole line and lateral offset of (x, y), over the segments it projects
  /// onto (the one with the smallest offset); nil when it lies beyond either end.
  public func project(x: Double, y: Double) -> (station: Double, lateral: Double)? {
    segments.withUnsafeBufferPointer { Self.project(x: x, y: y, segments: $0) }
  }

  /// `project(x:y:)` over segments given in place (`Stuff.ground(atX:y:)` reads them from its
  /// flat table).
  @inline(__always)
  static func project(
    x: Double, y: Double, segments: UnsafeBufferPointer<Segment>
  ) -> (station: Double, lateral: Double)? {
    var offset = 0.0
    var best: (station: Double, lateral: Double)?
    for seg in segments {
      defer { offset += seg.length }
      let vx = x - seg.origin.x, vy = y - seg.origin.y
      if seg.curvature == 0 {
        let c = seg.cosHeading, s = seg.sinHeading
        let along = c * vx + s * vy
        let across = -s * vx + c * vy
        guard along >= 0, along <= seg.length else { continue }
        if best == nil || abs(across) < abs(best?.lateral ?? .infinity) { best = (offset + along, across) }
      } else {
        let rho = 1 / seg.curvature
        let cx = seg.origin.x - seg.sinHeading * rho, cy = seg.origin.y + seg.cosHeading * rho
        let wx = x - cx, wy = y - cy
        let r = (wx * wx + wy * wy).squareRoot()
        guard r > 0 else { continue }
        let m = rho > 0 ? r : -r
        let h = atan2Double(wx / m, -wy / m)
        var delta = wrapAngle(h - seg.heading)
        if seg.curvature > 0, delta < 0 { delta += 2 * .pi }
        if seg.curvature < 0, delta > 0 { delta -= 2 * .pi }
        let s = delta / seg.curvature
        guard s >= 0, s <= seg.length else { continue }
        let d = rho - m
        if best == nil || abs(d) < abs(best?.lateral ?? .infinity) { best = (offset + s, d) }
      }
    }
    return best
  }

  /// Plan-view bounds of the band `lateral` around the line (arcs are bounded by their
  /// sampled points widened by the sagitta of the sampling step, so the box is conservative).
  public func bounds(lateral: ClosedRange<Double>) -> AABB? {
    var box: AABB?
    for seg in segments {
      for (s, pad) in Self.stations(seg) {
        for d in [lateral.lowerBound, lateral.upperBound] {
          let p = Self.point(seg, station: s, lateral: d)
          let b = AABB(lower: p - Vec3(pad, pad, 0), upper: p + Vec3(pad, pad, 0))
          box = box.map { $0.union(b) } ?? b
        }
      }
    }
    return box
  }

  /// Stations along a segment where a mesh or bound samples it: steps of at most 4 m along
  /// a straight (short triangles keep out of the candidate lists of rays that pass far from
  /// them), of at most 2° of turn and 2 m along an arc. Each comes with the chord's sagitta
  /// bound (how far the arc strays from straight lines between the samples). At most 4097.
  static func stations(_ seg: Segment) -> [(Double, Double)] {
    guard seg.curvature != 0 else {
      let steps = Swift.min(4096, Swift.max(1, Int((seg.length / 4).rounded(.up))))
      return (0...steps).map { (seg.length * Double($0) / Double(steps), 0) }
    }
    let turn = abs(seg.curvature) * seg.length
    let steps = Swift.min(4096, Swift.max(1, Int((Swift.max(turn / (2 * .pi / 180), seg.length / 2)).rounded(.up))))
    let step = seg.length / Double(steps)
    let radius = 1 / abs(seg.curvature)
    let sagitta = radius * (1 - (step / (2 * radius)).cosine) + 1e-6
    return (0...steps).map { (Double($0) * step, sagitta) }
  }
}

/// What a point of the ground layer is.
public enum GroundPaint: UInt8, Hashable, Sendable {
  case asphalt
  case marking
}

/// A band of asphalt along a reference line. A carriageway (`lanes > 0`) carries lane
/// markings: solid edge lines along both edges and dashed separators between its lanes; a
/// plain band (`lanes == 0`: a shoulder or parking strip beside a sidewalk) has none.
public struct RoadBand: Hashable, Sendable {
  public var line: ReferenceLine
  public var lateral: ClosedRange<Double>
  public var lanes: Int
  /// Stations of stop lines across the band, and station ranges of zebra crossings.
  public var stopLines: [Double]
  public var crossings: [ClosedRange<Double>]

  /// Marking widths and dash pattern (metres): edge lines 0.15 m, separators 0.12 m wide,
  /// dashes 3 m long every 9 m (a 3 m line and a 6 m gap: the urban pattern of most of Europe).
  public static let edgeLineWidth = 0.15
  public static let separatorWidth = 0.12
  public static let dashLength = 3.0
  public static let dashPeriod = 9.0
  /// A stop line is 0.3 m deep (along the road) across the whole band; a zebra crossing's bars
  /// are 0.5 m wide with 0.5 m gaps, running along the road, from the band's right edge.
  public static let stopLineDepth = 0.3
  public static let zebraBar = 0.5

  public init(line: ReferenceLine, lateral: ClosedRange<Double>, lanes: Int, stopLines: [Double] = [],
              crossings: [ClosedRange<Double>] = [])
  {
    self.line = line
    self.lateral = lateral
    self.lanes = Swift.max(0, lanes)
    self.stopLines = stopLines
    self.crossings = crossings
  }

  /// The paint at station `s` and lateral offset `d` (inside the band).
  public func paint(station s: Double, lateral d: Double) -> GroundPaint {
    stopLines.withUnsafeBufferPointer { stops in
      crossings.withUnsafeBufferPointer { crossings in
        Self.paint(station: s, lateral: d, band: lateral, lanes: lanes, stopLines: stops, crossings: crossings)
      }
    }
  }

  /// `paint(station:lateral:)` of a band given by its parts (`Stuff.ground(atX:y:)` reads
  /// them from its flat table).
  @inline(__always)
  static func paint(
    station s: Double, lateral d: Double, band lateral: ClosedRange<Double>, lanes: Int,
    stopLines: UnsafeBufferPointer<Double>, crossings: UnsafeBufferPointer<ClosedRange<Double>>
  ) -> GroundPaint {
    guard lanes > 0 else { return .asphalt }
    let lo = lateral.lowerBound, hi = lateral.upperBound
    if d - lo < Self.edgeLineWidth || hi - d < Self.edgeLineWidth { return .marking }
    for line in stopLines where abs(s - line) <= Self.stopLineDepth / 2 { return .marking }
    for c in crossings where c.contains(s) {
      let phase = (d - lo).truncatingRemainder(dividingBy: 2 * Self.zebraBar)
      return phase < Self.zebraBar ? .marking : .asphalt
    }
    if lanes > 1 {
      let w = (hi - lo) / Double(lanes)
      let k = ((d - lo) / w).rounded()
      if k >= 1, k <= Double(lanes - 1), abs(d - lo - k * w) <= Self.separatorWidth / 2 {
        let phase = s - (s / Self.dashPeriod).rounded(.down) * Self.dashPeriod
        if phase < Self.dashLength { return .marking }
      }
    }
    return .asphalt
  }
}

/// A raised sidewalk along a reference line: a kerb of `kerbHeight` rises at the lateral
/// offset `kerbSide` and the walking surface reaches to `outerSide` (either may be the larger).
public struct Sidewalk: Hashable, Sendable {
  public var line: ReferenceLine
  public var kerbSide: Double
  public var outerSide: Double
  public var kerbHeight: Double

  /// Width of the kerb stone's top, drawn (and classed) as `curb`.
  public static let kerbWidth = 0.15
  /// The usual kerb height (upstand) of an urban street, 0.15 m.
  public static let standardKerbHeight = 0.15

  public init(line: ReferenceLine, kerbSide: Double, outerSide: Double, kerbHeight: Double = Sidewalk.standardKerbHeight) {
    self.line = line
    self.kerbSide = kerbSide
    self.outerSide = outerSide
    self.kerbHeight = kerbHeight
  }
}

/// A room's walls: four walls `height` high and `thickness` thick standing just outside the
/// axis-aligned floor rectangle `floor` (full extents x, y) centred on `center`.
public struct Room: Hashable, Sendable {
  public var center: Vec3
  public var floor: (x: Double, y: Double)
  public var height: Double
  public static let thickness = 0.2

  public init(center: Vec3, floorX: Double, floorY: Double, height: Double) {
    self.center = center
    floor = (floorX, floorY)
    self.height = height
  }

  public static func == (a: Room, b: Room) -> Bool {
    a.center == b.center && a.floor == b.floor && a.height == b.height
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(center)
    hasher.combine(floor.x)
    hasher.combine(floor.y)
    hasher.combine(height)
  }
}

/// Semantic ids of the stuff classes a program can produce (0 when it cannot: then nothing
/// of that class is built).
public struct StuffClasses: Hashable, Sendable {
  public var road: UInt8
  public var laneMarking: UInt8
  public var sidewalk: UInt8
  public var curb: UInt8
  public var wall: UInt8

  public init(road: UInt8 = 0, laneMarking: UInt8 = 0, sidewalk: UInt8 = 0, curb: UInt8 = 0, wall: UInt8 = 0) {
    self.road = road
    self.laneMarking = laneMarking
    self.sidewalk = sidewalk
    self.curb = curb
    self.wall = wall
  }

  /// The class names, as `ClassTable`s list them.
  public static let roadNames = ["lane_marking", "road"]
  public static let sidewalkNames = ["curb", "sidewalk"]
  public static let roomNames = ["wall"]
}

/// One raised stuff surface: a triangle mesh in world coordinates with its class and material.
public struct StuffSolid: Hashable, Sendable {
  public var semanticClass: UInt8
  public var className: String
  public var material: Material
  public var mesh: TriangleMesh

  public init(semanticClass: UInt8, className: String, material: Material, mesh: TriangleMesh) {
    self.semanticClass = semanticClass
    self.className = className
    self.material = material
    self.mesh = mesh
  }
}

/// The scene's stuff: the road bands painted on the ground and the raised solids.
public struct Stuff: Hashable, Sendable {
  /// Set once: `groundLayer` is built from them.
  public private(set) var bands: [RoadBand]
  public var solids: [StuffSolid]
  public var classes: StuffClasses
  /// The bands flattened for `ground(atX:y:)`.
  let groundLayer: GroundLayer

  /// The road bands as plain values in four flat arrays, read in place by
  /// `ground(atX:y:)`: a band's reference line, stop lines and crossings are arrays of their
  /// own, and reading them through the band retained and released each one on every call
  /// (atomically, on counts every rendering thread shares).
  struct GroundLayer: Hashable, Sendable {
    struct Band: Hashable, Sendable {
      /// Plan-view bounds, for a quick reject.
      var lowerX: Double, upperX: Double, lowerY: Double, upperY: Double
      var lateral: ClosedRange<Double>
      var lanes: Int
      /// Index ranges into the layer's `segments`, `stopLines` and `crossings`.
      var segments: Range<Int>
      var stopLines: Range<Int>
      var crossings: Range<Int>
    }
    var bands: [Band] = []
    var segments: [ReferenceLine.Segment] = []
    var stopLines: [Double] = []
    var crossings: [ClosedRange<Double>] = []
    /// The union of the bands' plan-view bounds (empty without bands): a point outside it
    /// is in no band.
    var lowerX = Double.infinity, upperX = -Double.infinity
    var lowerY = Double.infinity, upperY = -Double.infinity

    init(_ roadBands: [RoadBand]) {
      for band in roadBands {
        let box = band.line.bounds(lateral: band.lateral) ?? AABB(lower: .zero, upper: .zero)
        let segmentStart = segments.count, stopStart = stopLines.count, crossingStart = crossings.count
        segments += band.line.segments
        stopLines += band.stopLines
        crossings += band.crossings
        bands.append(
          Band(
            lowerX: box.lower.x, upperX: box.upper.x, lowerY: box.lower.y, upperY: box.upper.y,
            lateral: band.lateral, lanes: band.lanes, segments: segmentStart..<segments.count,
            stopLines: stopStart..<stopLines.count, crossings: crossingStart..<crossings.count))
        lowerX = Swift.min(lowerX, box.lower.x)
        upperX = Swift.max(upperX, box.upper.x)
        lowerY = Swift.min(lowerY, box.lower.y)
        upperY = Swift.max(upperY, box.upper.y)
      }
    }
  }

  /// Road materials (linear colours; LiDAR reflectivities at 905 nm): asphalt 0.08 (a
  /// dark worn surface), white line paint 0.6 (glass beads make it retroreflective, so it
  /// returns far more than the asphalt around it), kerb stone and sidewalk concrete.
  public static let asphalt = Material(
    baseColour: RGB(0.075, 0.075, 0.08), roughness: 0.9, lidarReflectivity: 0.08, texture: .asphalt)
  public static let marking = Material(
    baseColour: RGB(0.75, 0.75, 0.72), roughness: 0.6, lidarReflectivity: 0.6, texture: .paint)
  public static let sidewalkConcrete = Material(
    baseColour: RGB(0.33, 0.32, 0.3), roughness: 0.85, lidarReflectivity: 0.3, texture: .concrete)
  public static let kerbStone = Material(
    baseColour: RGB(0.45, 0.45, 0.44), roughness: 0.8, lidarReflectivity: 0.35, texture: .concrete)

  /// Interior wall paint.
  public static let wallPaint = Material(
    baseColour: RGB(0.55, 0.55, 0.53), roughness: 0.7, lidarReflectivity: 0.6, texture: .paint)

  public static let none = Stuff(bands: [], sidewalks: [], classes: StuffClasses())

  public init(bands: [RoadBand], sidewalks: [Sidewalk], rooms: [Room] = [], classes: StuffClasses) {
    self.bands = classes.road == 0 ? [] : bands
    self.classes = classes
    groundLayer = GroundLayer(self.bands)
    var solids: [StuffSolid] = []
    if classes.sidewalk != 0, classes.curb != 0 {
      for walk in sidewalks {
        let (kerb, top) = Self.meshes(walk)
        solids.append(StuffSolid(semanticClass: classes.curb, className: "curb", material: Self.kerbStone, mesh: kerb))
        solids.append(
          StuffSolid(semanticClass: classes.sidewalk, className: "sidewalk", material: Self.sidewalkConcrete, mesh: top))
      }
    }
    if classes.wall != 0 {
      for room in rooms {
        solids.append(
          StuffSolid(semanticClass: classes.wall, className: "wall", material: Self.wallPaint, mesh: Self.walls(room)))
      }
    }
    self.solids = solids
  }

  /// A room's four walls as one mesh of boxes (the long walls span the corners).
  static func walls(_ room: Room) -> TriangleMesh {
    let t = Room.thickness, h = room.height
    let hx = room.floor.x / 2, hy = room.floor.y / 2
    let c = room.center
    let boxes: [(Vec3, Vec3)] = [
      (Vec3(c.x + hx + t / 2, c.y, c.z + h / 2), Vec3(t / 2, hy + t, h / 2)),
      (Vec3(c.x - hx - t / 2, c.y, c.z + h / 2), Vec3(t / 2, hy + t, h / 2)),
      (Vec3(c.x, c.y + hy + t / 2, c.z + h / 2), Vec3(hx, t / 2, h / 2)),
      (Vec3(c.x, c.y - hy - t / 2, c.z + h / 2), Vec3(hx, t / 2, h / 2)),
    ]
    var vertices: [Vec3] = [], indices: [UInt32] = []
    // Faces of a box by corner bits (x, y, z), each as two triangles.
    let faces: [[Int]] = [[0, 2, 6, 4], [1, 5, 7, 3], [0, 4, 5, 1], [2, 3, 7, 6], [0, 1, 3, 2], [4, 6, 7, 5]]
    for (centre, half) in boxes {
      let base = UInt32(vertices.count)
      for k in 0..<8 {
        vertices.append(
          centre + Vec3(k & 1 == 0 ? -half.x : half.x, k & 2 == 0 ? -half.y : half.y, k & 4 == 0 ? -half.z : half.z))
      }
      for f in faces {
        let q = f.map { base + UInt32($0) }
        indices += [q[0], q[1], q[2], q[0], q[2], q[3]]
      }
    }
    return TriangleMesh(vertices: vertices, indices: indices)
  }

  public var isEmpty: Bool { bands.isEmpty && solids.isEmpty }

  /// The painted surface of the ground plane at (x, y): its semantic class and material, or
  /// nil for plain ground. Where bands overlap, the first one listed wins.
  public func ground(atX x: Double, y: Double) -> (semanticClass: UInt8, material: Material)? {
    groundPaint(atX: x, y: y).map { (semanticClass(of: $0), Self.material(of: $0)) }
  }

  /// The paint of the ground plane at (x, y), or nil for plain ground: `ground(atX:y:)`
  /// as a one-byte value (`semanticClass(of:)` and `material(of:)` give the rest).
  ///
  /// Called for every LiDAR beam that meets the ground (the camera calls
  /// `groundPaint(atX:y:bands:)` with its tile's bands): the bands are read in place from
  /// the flat `GroundLayer`, so a look-up retains and copies nothing.
  public func groundPaint(atX x: Double, y: Double) -> GroundPaint? {
    // Outside every band's bounds (or NaN): plain ground, as each band's own test answers,
    // without visiting the bands (the LiDAR's ground returns off the road).
    guard x >= groundLayer.lowerX, x <= groundLayer.upperX, y >= groundLayer.lowerY, y <= groundLayer.upperY
    else { return nil }
    return groundLayer.bands.withUnsafeBufferPointer { bands in
      var paint: GroundPaint?
      for k in bands.indices {
        paint = groundPaint(atX: x, y: y, band: bands[k])
        if paint != nil { break }
      }
      return paint
    }
  }

  /// The road bands whose plan-view bounds meet the box [lowerX, upperX] × [lowerY,
  /// upperY], as a mask (bit k: band k), for `groundPaint(atX:y:bands:)` at points inside
  /// the box (a camera tile's ground hits); nil when there are more than 64 bands. Only a
  /// box that holds a point is asked (the renderer asks none for a tile without ground hits).
  public func groundBands(lowerX: Double, upperX: Double, lowerY: Double, upperY: Double) -> UInt64? {
    groundLayer.bands.withUnsafeBufferPointer { bands in
      guard bands.count <= 64 else { return nil }
      var mask: UInt64 = 0
      for k in bands.indices {
        let band = bands[k]
        if band.lowerX <= upperX, band.upperX >= lowerX, band.lowerY <= upperY, band.upperY >= lowerY {
          mask |= 1 << UInt64(k)
        }
      }
      return mask
    }
  }

  /// `groundPaint(atX:y:)` testing only the bands in `mask` (`groundBands` of a box that
  /// holds (x, y)), in the same order: the same paint, since a band outside the mask has
  /// bounds that (x, y) lies outside, which `groundPaint(atX:y:)` skips.
  public func groundPaint(atX x: Double, y: Double, bands mask: UInt64) -> GroundPaint? {
    guard mask != 0 else { return nil }
    return groundLayer.bands.withUnsafeBufferPointer { bands in
      var rest = mask
      while rest != 0 {
        let k = rest.trailingZeroBitCount
        rest &= rest &- 1
        guard k < bands.count else { break }
        if let paint = groundPaint(atX: x, y: y, band: bands[k]) { return paint }
      }
      return nil
    }
  }

  /// What `groundPaint(atX:y:bands: mask)` answers over the plan-view box [lowerX, upperX] ×
  /// [lowerY, upperY] (a camera tile's ground hits, `mask` their `groundBands`), worked out
  /// once for the box: `bands` is `mask` without the bands that no point of the box lies in
  /// (0: no point of the box is painted), and `paint`, when not nil, is the paint of every
  /// point of the box (the first band of `bands` holds the whole box, away from its edges and
  /// every marking). Only a band of straight segments can be left out, only a band of one
  /// straight segment can hold the box; the others stay in `bands` and a point's paint is
  /// looked up among them. The tests widen the box's projections onto a band's line by far
  /// more than the rounding of `ReferenceLine.project`, so every point of the box (NaN is in
  /// no box) gets from `bands`, and from `paint`, the paint `groundPaint(atX:y:)` gives it.
  public func groundPaint(
    lowerX: Double, upperX: Double, lowerY: Double, upperY: Double, bands mask: UInt64
  ) -> (bands: UInt64, paint: GroundPaint?) {
    guard mask != 0, lowerX <= upperX, lowerY <= upperY else { return (mask, nil) }
    // Rounding of a projection is below 1e-15 of the magnitudes it adds; 1e-9 of them is
    // well clear of it and still far under a millimetre.
    let scale = 1 + Swift.max(Swift.max(abs(lowerX), abs(upperX)), Swift.max(abs(lowerY), abs(upperY)))
    guard scale.isFinite else { return (mask, nil) }
    return groundLayer.bands.withUnsafeBufferPointer { bands in
      groundLayer.segments.withUnsafeBufferPointer { segments in
        // The paint of the first band kept decides every point's paint when it holds the box.
        var kept: UInt64 = 0
        var paint: GroundPaint?
        var rest = mask
        while rest != 0 {
          let k = rest.trailingZeroBitCount
          rest &= rest &- 1
          guard k < bands.count else {
            kept |= 1 << UInt64(k)
            continue
          }
          let band = bands[k]
          switch boxClass(
            band, segments: segments, lowerX: lowerX, upperX: upperX, lowerY: lowerY, upperY: upperY, scale: scale)
          {
          case .outside:
            continue
          case .holds(let p):
            if kept == 0 { paint = p }
          case .mixed:
            break
          }
          kept |= 1 << UInt64(k)
        }
        return (kept, paint)
      }
    }
  }

  /// How the box relates to one band (`groundPaint(lowerX:upperX:lowerY:upperY:bands:)`).
  private enum BoxClass {
    /// No point of the box is in the band.
    case outside
    /// Every point of the box is in the band, with this paint.
    case holds(GroundPaint)
    /// Not shown either way.
    case mixed
  }

  /// `BoxClass` of `band` for the box, `scale` 1 + the largest magnitude of its coordinates.
  private func boxClass(
    _ band: GroundLayer.Band, segments: UnsafeBufferPointer<ReferenceLine.Segment>, lowerX: Double, upperX: Double,
    lowerY: Double, upperY: Double, scale: Double
  ) -> BoxClass {
    if lowerX > band.upperX || upperX < band.lowerX || lowerY > band.upperY || upperY < band.lowerY { return .outside }
    let lo = band.lateral.lowerBound, hi = band.lateral.upperBound
    var outside = true
    var only: (along: (Double, Double), across: (Double, Double), length: Double, margin: Double)?
    for i in band.segments {
      let seg = segments[i]
      guard seg.curvature == 0 else { return .mixed }
      // The projection's extremes over the box are at its corners (it is linear in x, y);
      // widened by `margin` for the rounding of the corners' and the points' projections.
      let margin = 1e-9 * (scale + abs(seg.origin.x) + abs(seg.origin.y))
      var along = (Double.infinity, -Double.infinity)
      var across = (Double.infinity, -Double.infinity)
      @inline(__always) func corner(_ x: Double, _ y: Double) {
        let vx = x - seg.origin.x, vy = y - seg.origin.y
        let a = seg.cosHeading * vx + seg.sinHeading * vy
        let d = -seg.sinHeading * vx + seg.cosHeading * vy
        along = (Swift.min(along.0, a), Swift.max(along.1, a))
        across = (Swift.min(across.0, d), Swift.max(across.1, d))
      }
      corner(lowerX, lowerY)
      corner(upperX, lowerY)
      corner(lowerX, upperY)
      corner(upperX, upperY)
      along = (along.0 - margin, along.1 + margin)
      across = (across.0 - margin, across.1 + margin)
      guard along.0.isFinite, along.1.isFinite, across.0.isFinite, across.1.isFinite else { return .mixed }
      // A point projects onto this segment only with 0 ≤ along ≤ length, and is in the band
      // through it only with lo ≤ across ≤ hi.
      if along.1 < 0 || along.0 > seg.length || across.1 < lo || across.0 > hi { continue }
      outside = false
      only = band.segments.count == 1 ? (along, across, seg.length, margin) : nil
    }
    if outside { return .outside }
    guard let (along, across, length, margin) = only,
      lowerX >= band.lowerX, upperX <= band.upperX, lowerY >= band.lowerY, upperY <= band.upperY,
      along.0 >= 0, along.1 <= length, across.0 >= lo, across.1 <= hi
    else { return .mixed }
    // Every point is in the band, at station `along` (one segment: offset 0) and lateral
    // offset `across`: its paint is `RoadBand.paint`'s, each of whose tests must give every
    // point the same answer (`margin` again for the rounding of its differences).
    guard band.lanes > 0 else { return .holds(.asphalt) }
    let edge = RoadBand.edgeLineWidth
    if across.1 + margin < lo + edge || across.0 - margin > hi - edge { return .holds(.marking) }
    guard across.0 - margin > lo + edge, across.1 + margin < hi - edge else { return .mixed }
    let half = RoadBand.stopLineDepth / 2
    let meetsMarking = groundLayer.stopLines.withUnsafeBufferPointer { stopLines in
      groundLayer.crossings.withUnsafeBufferPointer { crossings in
        for k in band.stopLines where along.1 + margin >= stopLines[k] - half && along.0 - margin <= stopLines[k] + half {
          return true
        }
        for k in band.crossings where along.1 >= crossings[k].lowerBound && along.0 <= crossings[k].upperBound {
          return true
        }
        return false
      }
    }
    if meetsMarking { return .mixed }
    if band.lanes > 1 {
      let w = (hi - lo) / Double(band.lanes)
      let separator = RoadBand.separatorWidth / 2 + margin
      for j in 1..<band.lanes {
        let centre = lo + Double(j) * w
        if across.1 >= centre - separator && across.0 <= centre + separator { return .mixed }
      }
    }
    return .holds(.asphalt)
  }

  /// The paint of band `band` at (x, y), nil outside it: its bounds, then the projection
  /// onto its line and the lateral range, then the paint there. The band's segments, stop
  /// lines and crossings are read in place from the flat `GroundLayer`.
  @inline(__always)
  private func groundPaint(atX x: Double, y: Double, band: GroundLayer.Band) -> GroundPaint? {
    guard x >= band.lowerX, x <= band.upperX, y >= band.lowerY, y <= band.upperY else { return nil }
    return groundLayer.segments.withUnsafeBufferPointer { segments -> GroundPaint? in
      guard
        let (s, d) = ReferenceLine.project(
          x: x, y: y, segments: UnsafeBufferPointer(rebasing: segments[band.segments])),
        band.lateral.contains(d)
      else { return nil }
      return groundLayer.stopLines.withUnsafeBufferPointer { stopLines in
        groundLayer.crossings.withUnsafeBufferPointer { crossings in
          RoadBand.paint(
            station: s, lateral: d, band: band.lateral, lanes: band.lanes,
            stopLines: UnsafeBufferPointer(rebasing: stopLines[band.stopLines]),
            crossings: UnsafeBufferPointer(rebasing: crossings[band.crossings]))
        }
      }
    }
  }

  /// The semantic class of ground painted with `paint`.
  @inline(__always)
  public func semanticClass(of paint: GroundPaint) -> UInt8 {
    switch paint {
    case .asphalt: classes.road
    case .marking: classes.laneMarking
    }
  }

  /// The material of ground painted with `paint`.
  public static func material(of paint: GroundPaint) -> Material {
    switch paint {
    case .asphalt: asphalt
    case .marking: marking
    }
  }

  /// A sidewalk's kerb (the face towards the road and the kerb stone's top) and its walking
  /// surface (top, outer face and end faces), as meshes along the reference line.
  static func meshes(_ walk: Sidewalk) -> (kerb: TriangleMesh, top: TriangleMesh) {
    let h = walk.kerbHeight
    let toward: Double = walk.outerSide > walk.kerbSide ? 1 : -1
    let kerbTop = walk.kerbSide + toward * Swift.min(Sidewalk.kerbWidth, abs(walk.outerSide - walk.kerbSide))
    var kerbV: [Vec3] = [], kerbI: [UInt32] = []
    var topV: [Vec3] = [], topI: [UInt32] = []
    // A strip between two lateral offsets and heights, sampled along every segment.
    func strip(_ v: inout [Vec3], _ i: inout [UInt32], _ a: (d: Double, z: Double), _ b: (d: Double, z: Double)) {
      for seg in walk.line.segments {
        let base = UInt32(v.count)
        let stations = ReferenceLine.stations(seg)
        for (s, _) in stations {
          v.append(ReferenceLine.point(seg, station: s, lateral: a.d) + Vec3(0, 0, a.z))
          v.append(ReferenceLine.point(seg, station: s, lateral: b.d) + Vec3(0, 0, b.z))
        }
        for k in 0..<UInt32(stations.count - 1) {
          let p = base + 2 * k
          i += [p, p + 2, p + 1, p + 1, p + 2, p + 3]
        }
      }
    }
    // A quad across the line at station `s` of segment `seg`, from lateral a to b, 0…h.
    func cap(_ v: inout [Vec3], _ i: inout [UInt32], _ seg: ReferenceLine.Segment, _ s: Double, _ a: Double, _ b: Double) {
      let base = UInt32(v.count)
      for d in [a, b] {
        let p = ReferenceLine.point(seg, station: s, lateral: d)
        v.append(p)
        v.append(p + Vec3(0, 0, h))
      }
      i += [base, base + 2, base + 1, base + 1, base + 2, base + 3]
    }
    strip(&kerbV, &kerbI, (walk.kerbSide, 0), (walk.kerbSide, h))
    strip(&kerbV, &kerbI, (walk.kerbSide, h), (kerbTop, h))
    strip(&topV, &topI, (kerbTop, h), (walk.outerSide, h))
    strip(&topV, &topI, (walk.outerSide, h), (walk.outerSide, 0))
    if let first = walk.line.segments.first, let last = walk.line.segments.last {
      cap(&topV, &topI, first, 0, walk.kerbSide, walk.outerSide)
      cap(&topV, &topI, last, last.length, walk.kerbSide, walk.outerSide)
    }
    return (TriangleMesh(vertices: kerbV, indices: kerbI), TriangleMesh(vertices: topV, indices: topI))
  }
}
