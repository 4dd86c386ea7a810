import Foundation
import ScnGeometry

/// How long a traffic light's phases last, seconds, and where in its cycle the plan starts
/// (docs/stdlib.md, "Traffic lights").
public struct SignalTiming: Sendable, Hashable {
  public var green: Double
  public var yellow: Double
  /// Every light of the group red between one controller's yellow and the next one's green.
  public var allRed: Double
  /// Seconds into the cycle at simulated time 0.
  public var offset: Double

  public init(green: Double = 10, yellow: Double = 3, allRed: Double = 1, offset: Double = 0) {
    self.green = green
    self.yellow = yellow
    self.allRed = allRed
    self.offset = offset
  }

  public static let standard = SignalTiming()

  /// One controller's turn: green, yellow and all-red.
  public var slot: Double { green + yellow + allRed }
}

/// What a traffic light shows.
public enum LightState: String, Sendable, Hashable {
  case green, yellow, red
}

/// The traffic lights of a network and the deterministic phase plan that switches them
/// (docs/stdlib.md, "Traffic lights"):
/// - the controllers a junction lists (`<junction><controller id sequence>`) take turns in
///   order of `sequence` (then file order): each is green for `green` seconds, yellow for
///   `yellow`, then every light of the junction is red for `allRed`, and the next one's turn
///   begins; the cycle is the number of controllers times that slot;
/// - a controller no junction lists, and a light no controller lists, is a group of its own
///   that alternates with one slot of red for crossing traffic it does not know about;
/// - every group starts its cycle at `offset` seconds into it at time 0.
/// A light governs the drivable lanes of its road whose lane section holds its station and
/// that lie on its side of the reference line (a light left of the line, t > 0, governs the
/// left lanes): a light stands beside the traffic it faces. A light within 0.5 m of the
/// reference line (a gantry) uses its `orientation` instead. (CARLA's maps write
/// `orientation` reversed, so it is not the first rule.) A light with no such lane on its
/// road governs the lanes of the road linked at its nearer end that run into that link; a
/// light within 3 m of the entry of a connecting lane it governs governs instead the lanes
/// (outside junctions) that lead into that connecting lane, from their ends.
public struct SignalPlan: Sendable {
  public struct Light: Sendable {
    /// Road index and index into the road's `signals`.
    public let road: Int
    public let signal: Int
    public let group: Int
    /// Which turn of its group the light's controller has.
    public let slot: Int
    /// Where the light stands (on the road surface below it) and the heading it faces: towards
    /// the traffic it governs.
    public let position: Vec3
    public let facing: Double
  }

  public struct Group: Sendable {
    public let slots: Int
    /// The junction whose controllers the group is, if any.
    public let junction: Int?
  }

  public let lights: [Light]
  public let groups: [Group]
  /// Per lane of the lane network, the lights that govern it (indices into `lights`) and the
  /// station on the lane's road where traffic stops for each: the light's own station on its
  /// road, the end of the lane on a linked road.
  public let governing: [[(light: Int, s: Double)]]

  public init(_ lanes: LaneNetwork) {
    let network = lanes.network
    var controllerOf: [String: Int] = [:]  // signal id -> controller index
    for (c, controller) in network.controllers.enumerated() {
      for id in controller.signalIds where controllerOf[id] == nil { controllerOf[id] = c }
    }
    var controllerIndex: [String: Int] = [:]
    for (c, controller) in network.controllers.enumerated() where controllerIndex[controller.id] == nil {
      controllerIndex[controller.id] = c
    }
    // Groups: each junction's controllers, in turn order.
    var groups: [Group] = []
    var turn: [Int: (group: Int, slot: Int)] = [:]  // controller index -> its turn
    for (j, junction) in network.junctions.enumerated() {
      let listed = junction.controllers.enumerated().compactMap { k, ref -> (Int, Int, Int)? in
        guard let c = controllerIndex[ref.id], turn[c] == nil else { return nil }
        return (ref.sequence ?? network.controllers[c].sequence ?? Int.max, k, c)
      }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
      var seen = Set<Int>()
      let order = listed.filter { seen.insert($0.2).inserted }
      guard !order.isEmpty else { continue }
      for (slot, entry) in order.enumerated() { turn[entry.2] = (groups.count, slot) }
      groups.append(Group(slots: order.count, junction: j))
    }
    var lights: [Light] = []
    var governing = Array(repeating: [(light: Int, s: Double)](), count: lanes.lanes.count)
    var lanesOfRoad: [Int: [Int]] = [:]
    for (k, lane) in lanes.lanes.enumerated() { lanesOfRoad[lane.road, default: []].append(k) }
    for (r, road) in network.roads.enumerated() {
      for (i, signal) in road.signals.enumerated() where signal.isTrafficLight {
        let group: Int, slot: Int
        if let c = controllerOf[signal.id] {
          if let t = turn[c] {
            (group, slot) = t
          } else {
            turn[c] = (groups.count, 0)
            (group, slot) = (groups.count, 0)
            groups.append(Group(slots: 2, junction: nil))
          }
        } else {
          (group, slot) = (groups.count, 0)
          groups.append(Group(slots: 2, junction: nil))
        }
        let index = lights.count
        var alongS: Bool?
        for k in lanesOfRoad[r] ?? [] {
          let lane = lanes.lanes[k]
          guard lane.type.isDrivable, signal.s >= lane.sStart - 1e-6, signal.s <= lane.sEnd + 1e-6 else { continue }
          let governs: Bool
          if abs(signal.t) >= 0.5 {
            governs = (signal.t > 0) == (lane.laneId > 0)
          } else {
            governs = signal.applies(alongS: lane.travelsAlongS)
          }
          guard governs else { continue }
          alongS = alongS ?? lane.travelsAlongS
          let entry = lane.travelsAlongS ? lane.sStart : lane.sEnd
          let before = lane.predecessors.filter { lanes.lanes[$0].type.isDrivable && lanes.lanes[$0].junction == nil }
          if lane.junction != nil, abs(signal.s - entry) < 3, !before.isEmpty {
            // At the entry of a connecting lane: it governs the way into the junction, from
            // the end of every lane that leads there.
            for q in before where !governing[q].contains(where: { $0.light == index }) {
              let l = lanes.lanes[q]
              governing[q].append((index, l.travelsAlongS ? l.sEnd : l.sStart))
            }
          } else {
            governing[k].append((index, signal.s))
          }
        }
        let p = road.point(s: signal.s, t: signal.t)
        var facing = (alongS ?? (signal.orientation != "-")) ? p.heading + .pi : p.heading
        if alongS == nil {
          // Nothing of its own road on its side (CARLA puts some lights on a connecting road
          // that has no lane there): the lanes of the road linked at its nearer end that run
          // into that link.
          let link = signal.s < road.length / 2 ? road.predecessor : road.successor
          if case .road(let id, let contact)? = link?.element, let other = network.roadIndex(id: id) {
            let length = network.roads[other].length
            for k in lanesOfRoad[other] ?? [] {
              let lane = lanes.lanes[k]
              guard lane.type.isDrivable, lane.junction == nil, lane.travelsAlongS == (contact == .end),
                contact == .end ? lane.sEnd >= length - 1e-3 : lane.sStart <= 1e-3
              else { continue }
              governing[k].append((index, lane.travelsAlongS ? lane.sEnd : lane.sStart))
              if alongS == nil, lane.centre.count >= 2 {
                facing = lane.travelHeading(segment: lane.travelsAlongS ? lane.centre.count - 2 : 0) + .pi
                alongS = lane.travelsAlongS
              }
            }
          }
        }
        lights.append(Light(road: r, signal: i, group: group, slot: slot, position: Vec3(p.x, p.y, p.z), facing: facing))
      }
    }
    self.lights = lights
    self.groups = groups
    self.governing = governing
  }

  /// What light `light` shows at simulated time `time` under `timing`.
  public func state(light: Int, at time: Double, timing: SignalTiming) -> LightState {
    guard lights.indices.contains(light), groups.indices.contains(lights[light].group) else { return .green }
    let slot = timing.slot
    guard slot > 0, slot.isFinite, time.isFinite, timing.offset.isFinite else { return .red }
    let cycle = slot * Double(groups[lights[light].group].slots)
    var u = (time + timing.offset).truncatingRemainder(dividingBy: cycle)
    if u < 0 { u += cycle }
    let own = Double(lights[light].slot) * slot
    guard u >= own, u < own + slot else { return .red }
    let within = u - own
    if within < timing.green { return .green }
    if within < timing.green + timing.yellow { return .yellow }
    return .red
  }
}
