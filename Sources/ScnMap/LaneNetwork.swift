import Foundation
import ScnGeometry

/// One lane of one lane section, sampled into a polyline strip, with its place in the lane
/// graph. `centre`, `inner` and `outer` hold the same number of points, in the order of
/// increasing s; `travelsAlongS` says whether traffic goes that way.
public struct MapLane: Sendable {
  public var road: Int
  public var section: Int
  public var laneId: Int
  public var type: LaneType
  public var sStart: Double
  public var sEnd: Double
  /// True when traffic in this lane goes towards increasing s (right lanes under right-hand
  /// traffic, left lanes under left-hand traffic).
  public var travelsAlongS: Bool
  /// Arc length along the road of each sample.
  public var s: [Double]
  public var centre: [Vec3]
  /// Border nearer the reference line, and the far one.
  public var inner: [SIMD2<Double>]
  public var outer: [SIMD2<Double>]
  /// Lanes that traffic leaving this lane enters (through lane sections, road links and
  /// junction lane links), and those it comes from; indices into `LaneNetwork.lanes`.
  public var successors: [Int] = []
  public var predecessors: [Int] = []
  /// The neighbouring lane on the left and on the right, seen in the direction of travel.
  public var left: Int?
  public var right: Int?
  /// The junction this lane belongs to (a lane of a connecting road), if any.
  public var junction: Int?

  /// Length of the centre line, metres.
  public var length: Double {
    var total = 0.0
    for i in centre.indices.dropFirst() {
      let d = centre[i] - centre[i - 1]
      total += (d.x * d.x + d.y * d.y).squareRoot()
    }
    return total
  }

  /// Heading of travel (radians from +x) along sample segment `i` (0 ≤ i < count − 1).
  public func travelHeading(segment i: Int) -> Double {
    guard centre.count >= 2 else { return 0 }
    let j = min(max(i, 0), centre.count - 2)
    let d = centre[j + 1] - centre[j]
    let h = atan2(d.y, d.x)
    return travelsAlongS ? h : h + (h > 0 ? -Double.pi : Double.pi)
  }
}

/// The lanes of a road network as sampled strips and a directed lane graph.
public struct LaneNetwork: Sendable {
  public let network: RoadNetwork
  public let lanes: [MapLane]
  /// Samples are at most this far apart along the road, metres.
  public let step: Double
  private let indexByKey: [LaneKey: Int]

  struct LaneKey: Hashable {
    var road: Int
    var section: Int
    var lane: Int
  }

  /// Samples every lane of `network` with points at most `step` metres apart (and at every
  /// plan-view piece boundary; a section longer than `maximumSamplesPerSection / 2` steps gets a
  /// longer step), then links the lanes.
  public init(_ network: RoadNetwork, step: Double = 0.5) {
    self.network = network
    self.step = step
    var lanes: [MapLane] = []
    var keys: [LaneKey: Int] = [:]
    for (r, road) in network.roads.enumerated() {
      let junction = road.junction.flatMap { network.junctionIndex(id: $0) }
      for (k, section) in road.laneSections.enumerated() {
        let s0 = section.s
        let s1 = road.sectionEnd(k)
        guard s1 > s0 else { continue }
        let stations = LaneNetwork.stations(road: road, from: s0, to: s1, step: step)
        var borders: [(center: Double, left: [Double], right: [Double])] = []
        borders.reserveCapacity(stations.count)
        var poses: [PlanPose] = []
        poses.reserveCapacity(stations.count)
        for s in stations {
          borders.append(road.borders(section: k, at: s))
          poses.append(road.referencePose(at: s))
        }
        for lane in section.left + section.right {
          let side = lane.id > 0 ? 1 : -1
          let i = abs(lane.id) - 1
          var centre: [Vec3] = []
          var inner: [SIMD2<Double>] = []
          var outer: [SIMD2<Double>] = []
          centre.reserveCapacity(stations.count)
          inner.reserveCapacity(stations.count)
          outer.reserveCapacity(stations.count)
          for (j, s) in stations.enumerated() {
            let b = borders[j]
            let sideBorders = side > 0 ? b.left : b.right
            guard sideBorders.indices.contains(i) else { continue }
            let tIn = i == 0 ? b.center : sideBorders[i - 1]
            let tOut = sideBorders[i]
            let pose = poses[j]
            let n = SIMD2(-sin(pose.heading), cos(pose.heading))
            let p = SIMD2(pose.x, pose.y)
            let roll = road.superelevation.value(at: s)
            let tMid = (tIn + tOut) / 2
            let z = road.elevation.value(at: s) + (roll == 0 || lane.level ? 0 : tMid * sin(roll))
            let scale = roll == 0 || lane.level ? 1 : cos(roll)
            inner.append(p + n * (tIn * scale))
            outer.append(p + n * (tOut * scale))
            let c = p + n * (tMid * scale)
            centre.append(Vec3(c.x, c.y, z))
          }
          let along = (lane.id < 0) == (road.rule == .rightHand)
          keys[LaneKey(road: r, section: k, lane: lane.id)] = lanes.count
          lanes.append(
            MapLane(
              road: r, section: k, laneId: lane.id, type: lane.type, sStart: s0, sEnd: s1, travelsAlongS: along,
              s: stations, centre: centre, inner: inner, outer: outer, junction: junction))
        }
      }
    }
    self.indexByKey = keys
    self.lanes = LaneNetwork.link(lanes, network: network, keys: keys)
  }

  /// The lane index of lane `laneId` of section `section` of road number `road`.
  public func laneIndex(road: Int, section: Int, lane laneId: Int) -> Int? {
    indexByKey[LaneKey(road: road, section: section, lane: laneId)]
  }

  /// Arc lengths at most `step` apart from `s0` to `s1`, including every plan-view boundary.
  /// A lane section is never sampled more finely than this many points (a longer step instead).
  public static let maximumSamplesPerSection = 100_000

  static func stations(road: Road, from s0: Double, to s1: Double, step requested: Double) -> [Double] {
    let step = max(requested, 0.01, (s1 - s0) / Double(maximumSamplesPerSection / 2))
    var breaks = [s0]
    for g in road.planView where g.s > s0 + 1e-6 && g.s < s1 - 1e-6 && breaks.count < maximumSamplesPerSection / 2 {
      breaks.append(g.s)
    }
    breaks.append(s1)
    var result: [Double] = []
    for (a, b) in zip(breaks, breaks.dropFirst()) {
      let n = max(1, Int(((b - a) / step).rounded(.up)))
      for i in 0..<n { result.append(a + (b - a) * Double(i) / Double(n)) }
    }
    result.append(s1)
    return result
  }

  /// Fills successors, predecessors and neighbours from the file's lane, road and junction links.
  private static func link(_ input: [MapLane], network: RoadNetwork, keys: [LaneKey: Int]) -> [MapLane] {
    var lanes = input
    let roads = network.roads
    // Lanes touching each end of each road: (lane index, lane id).
    func lanesAt(road r: Int, _ contact: ContactPoint, id: Int) -> Int? {
      let road = roads[r]
      let section = contact == .start ? 0 : road.laneSections.count - 1
      return keys[LaneKey(road: r, section: section, lane: id)]
    }
    // Undirected connections in s terms: (lane a, end of a) ↔ (lane b, end of b).
    var joins: [(Int, ContactPoint, Int, ContactPoint)] = []
    for (r, road) in roads.enumerated() {
      for (k, section) in road.laneSections.enumerated() {
        for lane in section.left + section.right {
          guard let a = keys[LaneKey(road: r, section: k, lane: lane.id)] else { continue }
          if k + 1 < road.laneSections.count {
            for next in lane.successors {
              if let b = keys[LaneKey(road: r, section: k + 1, lane: next)] { joins.append((a, .end, b, .start)) }
            }
          } else if case .road(let id, let contact)? = road.successor?.element, let o = network.roadIndex(id: id) {
            for next in lane.successors {
              if let b = lanesAt(road: o, contact, id: next) { joins.append((a, .end, b, contact)) }
            }
          }
          if k == 0, case .road(let id, let contact)? = road.predecessor?.element, let o = network.roadIndex(id: id) {
            for previous in lane.predecessors {
              if let b = lanesAt(road: o, contact, id: previous) { joins.append((a, .start, b, contact)) }
            }
          }
        }
      }
    }
    for junction in network.junctions {
      for connection in junction.connections {
        guard let inc = network.roadIndex(id: connection.incomingRoad),
          let con = network.roadIndex(id: connection.connectingRoad)
        else { continue }
        let end: ContactPoint
        if case .junction(junction.id)? = roads[inc].successor?.element {
          end = .end
        } else if case .junction(junction.id)? = roads[inc].predecessor?.element {
          end = .start
        } else {
          continue
        }
        for link in connection.laneLinks {
          if let a = lanesAt(road: inc, end, id: link.from), let b = lanesAt(road: con, connection.contactPoint, id: link.to) {
            joins.append((a, end, b, connection.contactPoint))
          }
        }
      }
    }
    // A join is a traffic link when one lane leaves through its end and the other enters there.
    var seen = Set<[Int]>()
    for (a, ea, b, eb) in joins {
      let aLeaves = lanes[a].travelsAlongS == (ea == .end)
      let bEnters = lanes[b].travelsAlongS == (eb == .start)
      if aLeaves && bEnters {
        if seen.insert([a, b]).inserted {
          lanes[a].successors.append(b)
          lanes[b].predecessors.append(a)
        }
      } else if !aLeaves && !bEnters {
        if seen.insert([b, a]).inserted {
          lanes[b].successors.append(a)
          lanes[a].predecessors.append(b)
        }
      }
    }
    for i in lanes.indices {
      lanes[i].successors.sort()
      lanes[i].predecessors.sort()
    }
    // Neighbours: ids one further out/in on the same side; across the centre from ±1.
    for i in lanes.indices {
      let lane = lanes[i]
      let outward = lane.laneId > 0 ? lane.laneId + 1 : lane.laneId - 1
      let inward = lane.laneId == 1 ? -1 : lane.laneId == -1 ? 1 : (lane.laneId > 0 ? lane.laneId - 1 : lane.laneId + 1)
      let outerLane = keys[LaneKey(road: lane.road, section: lane.section, lane: outward)]
      let innerLane = keys[LaneKey(road: lane.road, section: lane.section, lane: inward)]
      // Looking along +s, left lanes lie at larger t: a right lane's inner neighbour is on its left.
      let leftAlongS = lane.laneId > 0 ? outerLane : innerLane
      let rightAlongS = lane.laneId > 0 ? innerLane : outerLane
      lanes[i].left = lane.travelsAlongS ? leftAlongS : rightAlongS
      lanes[i].right = lane.travelsAlongS ? rightAlongS : leftAlongS
    }
    return lanes
  }
}
