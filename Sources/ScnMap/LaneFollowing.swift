import Foundation
import ScnGeometry

/// A way through a junction: from an incoming lane, along connecting-road lanes, into an
/// outgoing lane, classified by how much it turns.
public struct Maneuver: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case straight
    case leftTurn = "left turn"
    case rightTurn = "right turn"
    case uTurn = "U-turn"
  }

  public var kind: Kind
  public var junction: Int
  /// The lane that enters the junction (outside it).
  public var incoming: Int
  /// The lanes of connecting roads, in the order traffic takes them.
  public var connecting: [Int]
  /// The lane traffic leaves the junction by, if the file links one.
  public var outgoing: Int?
  /// Heading change from entering to leaving, radians in (−π, π], positive to the left.
  public var turn: Double

  /// Straight within ±30°, a U-turn beyond ±150°, a left or right turn between.
  public static func kind(turn: Double) -> Kind {
    if abs(turn) < Double.pi / 6 { return .straight }
    if abs(turn) >= 5 * Double.pi / 6 { return .uTurn }
    return turn > 0 ? .leftTurn : .rightTurn
  }
}

extension LaneNetwork {
  /// Every way through junction `junction` (an index into `network.junctions`): one per lane
  /// that enters a connecting-road lane of it, in lane order.
  public func maneuvers(junction: Int) -> [Maneuver] {
    var result: [Maneuver] = []
    for (i, lane) in lanes.enumerated() where lane.junction == junction {
      for incoming in lane.predecessors where lanes[incoming].junction != junction {
        var path = [i]
        var current = i
        var outgoing: Int?
        // Through further connecting lanes (more lane sections) until the junction is left.
        while path.count < 64 {
          guard let next = lanes[current].successors.first else { break }
          if lanes[next].junction == junction {
            if path.contains(next) { break }
            path.append(next)
            current = next
          } else {
            outgoing = next
            break
          }
        }
        let enter = lanes[i].travelHeading(segment: lanes[i].travelsAlongS ? 0 : lanes[i].centre.count - 2)
        let last = lanes[current]
        let leave = last.travelHeading(segment: last.travelsAlongS ? last.centre.count - 2 : 0)
        let turn = angleDifference(leave, enter)
        result.append(
          Maneuver(kind: Maneuver.kind(turn: turn), junction: junction, incoming: incoming, connecting: path, outgoing: outgoing, turn: turn))
      }
    }
    return result
  }
}

/// A point moving along the lane graph in the direction of travel: along a lane's centre line,
/// then into one of its successors (chosen by the caller) when the lane ends.
public struct LaneFollower: Sendable {
  public private(set) var lane: Int
  /// Distance travelled along the current lane's centre line from its start (in travel order).
  public private(set) var distance: Double
  /// False once a lane ended with no successor: the follower stays at its end.
  public private(set) var moving = true

  public init(lane: Int, distance: Double = 0) {
    self.lane = lane
    self.distance = max(distance, 0)
  }

  /// Moves `metres` forward; at the end of a lane `choose` picks one of the (non-empty) successors.
  public mutating func advance(_ metres: Double, in network: LaneNetwork, choose: (_ successors: [Int]) -> Int) {
    guard moving, metres > 0, metres.isFinite else { return }
    distance += metres
    var hops = 0
    while hops < 1000 {
      let length = network.lanes[lane].length
      guard distance > length else { return }
      let successors = network.lanes[lane].successors
      guard !successors.isEmpty else {
        distance = length
        moving = false
        return
      }
      let pick = choose(successors)
      distance -= length
      lane = successors.contains(pick) ? pick : successors[0]
      hops += 1
    }
  }

  /// The centre-line point and heading of travel where the follower is.
  public func pose(in network: LaneNetwork) -> (position: Vec3, heading: Double) {
    let l = network.lanes[lane]
    let points = l.travelsAlongS ? l.centre : l.centre.reversed()
    guard points.count >= 2 else { return (points.first ?? .zero, 0) }
    var left = distance
    for i in 0..<(points.count - 1) {
      let d = points[i + 1] - points[i]
      let len = (d.x * d.x + d.y * d.y).squareRoot()
      if left <= len || i == points.count - 2 {
        let f = len > 0 ? min(max(left / len, 0), 1) : 0
        return (points[i] + d * f, atan2(d.y, d.x))
      }
      left -= len
    }
    return (points[points.count - 1], 0)
  }
}
