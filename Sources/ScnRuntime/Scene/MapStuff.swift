import Foundation
import ScnGeometry
import ScnMap
import ScnScene

/// The 3-D stuff of a map's lanes, as triangle meshes in world coordinates, built once per
/// map and shared by every scene that holds it:
/// - asphalt (class `road`) over every lane that is not a sidewalk or curb lane, 5 mm above
///   the lane surface (above the ground plane);
/// - lane markings (class `lane_marking`) along the lane borders as the file's road marks
///   give them: `solid`, `broken` (3 m dashes every 9 m), the double types as two lines with
///   a gap of one line width, in white or yellow, of the mark's width, 10 mm up; `botts dots`,
///   `grass`, `curb`, `custom` and `none` draw nothing; a white stop line 0.3 m deep across
///   each drivable lane at each stop sign or stop line signal that governs it
///   (`LaneNetwork.stopSignals`); zebra bars over each crosswalk object's footprint (its
///   outline, else its length × width rectangle): bars 0.5 m wide with 0.5 m gaps, running
///   along the road's heading at the object and repeated across it, clipped to the footprint
///   (taken as convex);
/// - each sidewalk lane raised 0.15 m: a kerb (class `curb`: the vertical face along the
///   sidewalk's border nearer the road's reference line and a 0.15 m strip of its top) and
///   the walking surface with its outer face (class `sidewalk`).
/// Strips keep only the lane samples needed to stay within 2 cm of the sampled lane.
struct MapMeshes: Sendable {
  let asphalt: TriangleMesh
  let whiteMarks: TriangleMesh
  let yellowMarks: TriangleMesh
  let kerbs: TriangleMesh
  let walks: TriangleMesh

  static let asphaltLift = 0.005
  static let markLift = 0.01
  static let yellowPaint = Material(
    baseColour: RGB(0.7, 0.55, 0.1), roughness: 0.6, lidarReflectivity: 0.5, texture: .paint)

  /// Builds the meshes of every lane of `network`.
  init(_ network: ScnMap.LaneNetwork) {
    var road = MeshBuilder(), white = MeshBuilder(), yellow = MeshBuilder(), kerb = MeshBuilder(), walk = MeshBuilder()
    let roads = network.network.roads
    for (k, lane) in network.lanes.enumerated() where lane.centre.count >= 2 && lane.inner.count == lane.centre.count {
      let keep = Self.keptSamples(lane)
      switch lane.type {
      case .sidewalk:
        Self.sidewalk(lane, keep, kerb: &kerb, walk: &walk)
      case .curb:
        continue
      default:
        Self.strip(lane, keep, lift: Self.asphaltLift, into: &road)
      }
      // Road marks on the lane's outer border; the centre lane's on the inner border of the
      // first lane on the right (or on the left when a road has no right lanes).
      guard roads.indices.contains(lane.road), roads[lane.road].laneSections.indices.contains(lane.section) else {
        continue
      }
      let section = roads[lane.road].laneSections[lane.section]
      if let own = section.sideLanes.first(where: { $0.id == lane.laneId }) {
        Self.marks(own.roadMarks, along: lane.outer, lane, sectionStart: section.s, white: &white, yellow: &yellow)
      }
      if lane.laneId == -1 || (lane.laneId == 1 && section.right.isEmpty) {
        Self.marks(section.center.roadMarks, along: lane.inner, lane, sectionStart: section.s, white: &white, yellow: &yellow)
      }
      if lane.type.isDrivable {
        for signal in network.stopSignals(lane: k) { Self.stopLine(lane, at: signal.s, into: &white) }
      }
    }
    for r in roads.indices {
      for object in roads[r].objects where object.isCrosswalk {
        let z = roads[r].point(s: object.s, t: object.t).z + Self.markLift
        Self.zebra(object.footprint(on: roads[r]), heading: roads[r].point(s: object.s, t: 0).heading, z: z, into: &white)
      }
    }
    asphalt = road.mesh
    whiteMarks = white.mesh
    yellowMarks = yellow.mesh
    kerbs = kerb.mesh
    walks = walk.mesh
  }

  /// The stuff solids of these meshes with a program's class ids (none when the program
  /// has no id for a class).
  func solids(_ classes: StuffClasses) -> [StuffSolid] {
    var out: [StuffSolid] = []
    func add(_ id: UInt8, _ name: String, _ material: Material, _ mesh: TriangleMesh) {
      guard id != 0, mesh.triangleCount > 0 else { return }
      out.append(StuffSolid(semanticClass: id, className: name, material: material, mesh: mesh))
    }
    add(classes.road, "road", Stuff.asphalt, asphalt)
    add(classes.laneMarking, "lane_marking", Stuff.marking, whiteMarks)
    add(classes.laneMarking, "lane_marking", Self.yellowPaint, yellowMarks)
    add(classes.curb, "curb", Stuff.kerbStone, kerbs)
    add(classes.sidewalk, "sidewalk", Stuff.sidewalkConcrete, walks)
    return out
  }

  /// Sample indices to keep: the ends, and every sample whose dropping would move the centre
  /// line or a border more than 2 cm (greedy, along the lane).
  static func keptSamples(_ lane: MapLane) -> [Int] {
    let n = lane.centre.count
    guard n > 2 else { return Array(0..<n) }
    func off(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ p: SIMD2<Double>) -> Double {
      let ab = b - a, ap = p - a
      let len = (ab.x * ab.x + ab.y * ab.y).squareRoot()
      guard len > 1e-9 else { return (ap.x * ap.x + ap.y * ap.y).squareRoot() }
      return abs(ab.x * ap.y - ab.y * ap.x) / len
    }
    var keep = [0]
    var anchor = 0
    var i = 2
    while i < n {
      var fits = i - anchor <= 200
      if fits {
        for k in (anchor + 1)..<i {
          if off(lane.inner[anchor], lane.inner[i], lane.inner[k]) > 0.02
            || off(lane.outer[anchor], lane.outer[i], lane.outer[k]) > 0.02
            || abs(lane.centre[k].z - (lane.centre[anchor].z + lane.centre[i].z) / 2) > 0.05
          {
            fits = false
            break
          }
        }
      }
      if !fits {
        keep.append(i - 1)
        anchor = i - 1
      }
      i += 1
    }
    keep.append(n - 1)
    return keep
  }

  static func point(_ p: SIMD2<Double>, _ z: Double) -> Vec3 { Vec3(p.x, p.y, z) }

  static func strip(_ lane: MapLane, _ keep: [Int], lift: Double, into b: inout MeshBuilder) {
    for (i, j) in zip(keep, keep.dropFirst()) {
      let zi = lane.centre[i].z + lift, zj = lane.centre[j].z + lift
      b.quad(point(lane.inner[i], zi), point(lane.outer[i], zi), point(lane.outer[j], zj), point(lane.inner[j], zj),
             facing: Vec3(0, 0, 1))
    }
  }

  static func sidewalk(_ lane: MapLane, _ keep: [Int], kerb: inout MeshBuilder, walk: inout MeshBuilder) {
    let h = Sidewalk.standardKerbHeight
    func kerbEdge(_ i: Int) -> SIMD2<Double> {
      let d = lane.outer[i] - lane.inner[i]
      let w = (d.x * d.x + d.y * d.y).squareRoot()
      guard w > 1e-9 else { return lane.inner[i] }
      return lane.inner[i] + d * (min(Sidewalk.kerbWidth, w) / w)
    }
    for (i, j) in zip(keep, keep.dropFirst()) {
      let zi = lane.centre[i].z, zj = lane.centre[j].z
      let towardRoad = lane.inner[i] - lane.outer[i]
      let toRoad = Vec3(towardRoad.x, towardRoad.y, 0)
      // Kerb face towards the road, kerb top, walking surface, outer face.
      kerb.quad(point(lane.inner[i], zi), point(lane.inner[j], zj), point(lane.inner[j], zj + h),
                point(lane.inner[i], zi + h), facing: toRoad)
      kerb.quad(point(lane.inner[i], zi + h), point(lane.inner[j], zj + h), point(kerbEdge(j), zj + h),
                point(kerbEdge(i), zi + h), facing: Vec3(0, 0, 1))
      walk.quad(point(kerbEdge(i), zi + h), point(kerbEdge(j), zj + h), point(lane.outer[j], zj + h),
                point(lane.outer[i], zi + h), facing: Vec3(0, 0, 1))
      walk.quad(point(lane.outer[i], zi), point(lane.outer[j], zj), point(lane.outer[j], zj + h),
                point(lane.outer[i], zi + h), facing: toRoad * -1)
    }
  }

  /// A stop line across `lane` at road station `s`: 0.3 m deep (RoadBand.stopLineDepth), the
  /// lane's full width, white.
  static func stopLine(_ lane: MapLane, at s: Double, into b: inout MeshBuilder) {
    let half = RoadBand.stopLineDepth / 2
    func at(_ t: Double) -> (SIMD2<Double>, SIMD2<Double>, Double)? {
      guard let first = lane.s.first, let last = lane.s.last, lane.s.count >= 2 else { return nil }
      let u = min(max(t, first), last)
      var i = 1
      while i < lane.s.count - 1 && lane.s[i] < u { i += 1 }
      let span = lane.s[i] - lane.s[i - 1]
      let f = span > 0 ? (u - lane.s[i - 1]) / span : 0
      let inner = lane.inner[i - 1] + (lane.inner[i] - lane.inner[i - 1]) * f
      let outer = lane.outer[i - 1] + (lane.outer[i] - lane.outer[i - 1]) * f
      return (inner, outer, lane.centre[i - 1].z + (lane.centre[i].z - lane.centre[i - 1].z) * f)
    }
    guard let (i0, o0, z0) = at(s - half), let (i1, o1, z1) = at(s + half) else { return }
    b.quad(point(i0, z0 + markLift), point(o0, z0 + markLift), point(o1, z1 + markLift), point(i1, z1 + markLift),
           facing: Vec3(0, 0, 1))
  }

  /// Zebra bars over the plan polygon `footprint` at height `z`: stripes along `heading`, the
  /// first 0.5 m of every metre across it (measured from the footprint's right-hand extreme)
  /// asphalt, the next 0.5 m paint, each stripe clipped to the polygon (Sutherland–Hodgman; a
  /// convex polygon clips exactly).
  static func zebra(_ footprint: [SIMD2<Double>], heading: Double, z: Double, into b: inout MeshBuilder) {
    guard footprint.count >= 3, footprint.allSatisfy({ $0.x.isFinite && $0.y.isFinite }), heading.isFinite else { return }
    let across = SIMD2(-sin(heading), cos(heading))
    let vs = footprint.map { ($0 * across).sum() }
    guard let lo = vs.min(), let hi = vs.max(), hi - lo <= 1_000 else { return }
    func clip(_ poly: [SIMD2<Double>], keep: (Double) -> Bool, _ value: (SIMD2<Double>) -> Double, at edge: Double)
      -> [SIMD2<Double>]
    {
      var out: [SIMD2<Double>] = []
      for i in poly.indices {
        let p = poly[i], q = poly[(i + 1) % poly.count]
        let vp = value(p), vq = value(q)
        if keep(vp) { out.append(p) }
        if keep(vp) != keep(vq), vq != vp { out.append(p + (q - p) * ((edge - vp) / (vq - vp))) }
      }
      return out
    }
    var v = lo + 0.5
    while v < hi {
      let top = min(v + 0.5, hi)
      let value = { (p: SIMD2<Double>) in (p * across).sum() }
      var bar = clip(footprint, keep: { $0 >= v }, value, at: v)
      bar = clip(bar, keep: { $0 <= top }, value, at: top)
      if bar.count >= 3 {
        for k in 1..<(bar.count - 1) { b.triangle(point(bar[0], z), point(bar[k], z), point(bar[k + 1], z), facing: Vec3(0, 0, 1)) }
      }
      v += 1
    }
  }

  /// Paints `marks` along `border` (a lane border polyline, samples in increasing s).
  static func marks(
    _ marks: [RoadMark], along border: [SIMD2<Double>], _ lane: MapLane, sectionStart: Double,
    white: inout MeshBuilder, yellow: inout MeshBuilder
  ) {
    guard border.count >= 2 else { return }
    for (m, mark) in marks.enumerated() {
      let start = sectionStart + mark.sOffset
      let end = m + 1 < marks.count ? sectionStart + marks[m + 1].sOffset : Double.infinity
      let kinds = mark.type.lowercased().split(separator: " ").map(String.init)
      guard !kinds.isEmpty, kinds.allSatisfy({ $0 == "solid" || $0 == "broken" }) else { continue }
      let width = mark.width > 0 && mark.width.isFinite ? min(mark.width, 1) : 0.12
      // Two lines sit one width apart, centred on the border.
      let offsets: [Double] = kinds.count == 2 ? [-width, width] : [0]
      let isYellow = mark.color.lowercased() == "yellow"
      for (kind, offset) in zip(kinds, offsets) {
        for i in 0..<(border.count - 1) {
          let s0 = lane.s[i], s1 = lane.s[i + 1]
          guard s1 > start, s0 < end else { continue }
          let mid = (s0 + s1) / 2
          if kind == "broken", (mid - start).truncatingRemainder(dividingBy: RoadBand.dashPeriod) >= RoadBand.dashLength {
            continue
          }
          let a = border[i], b = border[i + 1]
          let d = b - a
          let len = (d.x * d.x + d.y * d.y).squareRoot()
          guard len > 1e-9 else { continue }
          let normal = SIMD2(-d.y / len, d.x / len)
          let lo = normal * (offset - width / 2), hi = normal * (offset + width / 2)
          let za = lane.centre[i].z + markLift, zb = lane.centre[i + 1].z + markLift
          let q = (point(a + lo, za), point(a + hi, za), point(b + hi, zb), point(b + lo, zb))
          if isYellow {
            yellow.quad(q.0, q.1, q.2, q.3, facing: Vec3(0, 0, 1))
          } else {
            white.quad(q.0, q.1, q.2, q.3, facing: Vec3(0, 0, 1))
          }
        }
      }
    }
  }
}

/// Accumulates quads into an indexed mesh, each wound counter-clockwise seen from `facing`.
struct MeshBuilder {
  var vertices: [Vec3] = []
  var indices: [UInt32] = []

  mutating func quad(_ a: Vec3, _ b: Vec3, _ c: Vec3, _ d: Vec3, facing: Vec3) {
    guard vertices.count < Int(UInt32.max) - 4 else { return }
    let n = (b - a).cross(c - a) + (c - a).cross(d - a)
    guard n.lengthSquared > 1e-18 else { return }
    let base = UInt32(vertices.count)
    vertices += [a, b, c, d]
    if n.dot(facing) >= 0 {
      indices += [base, base + 1, base + 2, base, base + 2, base + 3]
    } else {
      indices += [base, base + 2, base + 1, base, base + 3, base + 2]
    }
  }

  mutating func triangle(_ a: Vec3, _ b: Vec3, _ c: Vec3, facing: Vec3) {
    guard vertices.count < Int(UInt32.max) - 3 else { return }
    let n = (b - a).cross(c - a)
    guard n.lengthSquared > 1e-18 else { return }
    let base = UInt32(vertices.count)
    vertices += [a, b, c]
    indices += n.dot(facing) >= 0 ? [base, base + 1, base + 2] : [base, base + 2, base + 1]
  }

  var mesh: TriangleMesh { TriangleMesh(vertices: vertices, indices: indices) }
}
