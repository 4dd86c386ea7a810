import Foundation
import ScnGeometry

/// Routes over the lane graph: shortest paths between lanes, and the centre-line polyline of
/// a lane sequence in the direction of travel.
extension LaneNetwork {
  /// The lanes `lane` may lead to (its successors), those of `accepted` types only.
  func successors(of lane: Int, accepted: (Int) -> Bool) -> [Int] {
    lanes[lane].successors.filter(accepted)
  }

  /// The shortest lane sequence from lane `start` to lane `goal` along successor links (cost:
  /// the centre-line length of every lane entered), through lanes that `accepted` allows;
  /// `[start]` when they are the same lane, nil when `goal` cannot be reached. Ties go to the
  /// lower lane index, so the answer is deterministic. At most `maximumLanes` lanes are settled.
  public func shortestRoute(from start: Int, to goal: Int, accepted: (Int) -> Bool = { _ in true },
                            maximumLanes: Int = 1_000_000) -> [Int]?
  {
    guard lanes.indices.contains(start), lanes.indices.contains(goal) else { return nil }
    if start == goal { return [start] }
    var distance = [Double](repeating: .infinity, count: lanes.count)
    var previous = [Int](repeating: -1, count: lanes.count)
    var settled = [Bool](repeating: false, count: lanes.count)
    distance[start] = 0
    // A binary heap of (distance, lane); ties broken by lane index.
    var heap: [(Double, Int)] = [(0, start)]
    func less(_ a: (Double, Int), _ b: (Double, Int)) -> Bool { a.0 < b.0 || (a.0 == b.0 && a.1 < b.1) }
    func push(_ x: (Double, Int)) {
      heap.append(x)
      var i = heap.count - 1
      while i > 0 {
        let p = (i - 1) / 2
        guard less(heap[i], heap[p]) else { break }
        heap.swapAt(i, p)
        i = p
      }
    }
    func pop() -> (Double, Int)? {
      guard let top = heap.first else { return nil }
      let last = heap.removeLast()
      if !heap.isEmpty {
        heap[0] = last
        var i = 0
        while true {
          let l = 2 * i + 1, r = l + 1
          var m = i
          if l < heap.count, less(heap[l], heap[m]) { m = l }
          if r < heap.count, less(heap[r], heap[m]) { m = r }
          guard m != i else { break }
          heap.swapAt(i, m)
          i = m
        }
      }
      return top
    }
    var count = 0
    while let (d, u) = pop() {
      guard !settled[u] else { continue }
      settled[u] = true
      count += 1
      if u == goal || count > maximumLanes { break }
      for v in lanes[u].successors where accepted(v) && !settled[v] {
        let nd = d + lanes[v].length
        if nd < distance[v] || (nd == distance[v] && u < previous[v]) {
          distance[v] = nd
          previous[v] = u
          push((nd, v))
        }
      }
    }
    guard settled[goal] else { return nil }
    var path = [goal]
    var k = goal
    while k != start {
      k = previous[k]
      guard k >= 0, path.count <= lanes.count else { return nil }
      path.append(k)
    }
    return path.reversed()
  }

  /// Lane `lane`'s centre line in the direction of travel, with the arc length along the road
  /// (`s`) of each point.
  public func travelCentre(_ lane: Int) -> (points: [Vec3], s: [Double]) {
    let l = lanes[lane]
    return l.travelsAlongS ? (l.centre, l.s) : (l.centre.reversed(), l.s.reversed())
  }
}

/// A centre-line route along a sequence of lanes, as one polyline in the direction of travel,
/// with where along it each lane begins and ends.
public struct LaneRoute: Sendable {
  /// One lane of the route: its index and the polyline arc lengths where it begins and ends.
  public struct Leg: Sendable, Hashable {
    public var lane: Int
    public var start: Double
    public var end: Double
  }

  public private(set) var points: [Vec3] = []
  public private(set) var legs: [Leg] = []
  /// Arc length of `points` (plan distance), metres.
  public private(set) var length = 0.0

  public init() {}

  /// Appends `p` unless it lies within 5 cm (in plan) of the last point.
  public mutating func add(_ p: Vec3) {
    if let last = points.last {
      let d = ((p.x - last.x) * (p.x - last.x) + (p.y - last.y) * (p.y - last.y)).squareRoot()
      guard d > 0.05 else { return }
      length += d
    }
    points.append(p)
  }

  /// Appends lane `lane`'s centre line from arc length `from` along the road (nil: its start in
  /// the direction of travel) to `to` (nil: its end), and records the leg.
  public mutating func append(lane: Int, in network: LaneNetwork, fromS: Double? = nil, toS: Double? = nil) {
    let (centre, stations) = network.travelCentre(lane)
    let along = network.lanes[lane].travelsAlongS
    func ahead(_ s: Double, of t: Double) -> Bool { along ? s > t : s < t }
    let begin = length
    for (p, s) in zip(centre, stations) {
      if let f = fromS, !ahead(s, of: f) { continue }
      if let t = toS, ahead(s, of: t) { break }
      add(p)
    }
    legs.append(Leg(lane: lane, start: begin, end: length))
  }

  /// Records a leg whose points were added by hand (a lane change's blend).
  public mutating func appendLeg(lane: Int, start: Double, end: Double) {
    legs.append(Leg(lane: lane, start: start, end: end))
  }

  /// Lane `lane`'s centre-line point at arc length `s` along its road (clamped to the lane).
  public static func point(on lane: Int, s: Double, in network: LaneNetwork) -> Vec3? {
    let l = network.lanes[lane]
    guard let first = l.s.first, l.centre.count == l.s.count, !l.centre.isEmpty else { return nil }
    if s <= first { return l.centre.first }
    for i in 1..<l.s.count where s <= l.s[i] {
      let span = l.s[i] - l.s[i - 1]
      let f = span > 0 ? (s - l.s[i - 1]) / span : 0
      return l.centre[i - 1] + (l.centre[i] - l.centre[i - 1]) * f
    }
    return l.centre.last
  }
}
