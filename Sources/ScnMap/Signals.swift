import Foundation

extension Signal {
  /// A stop sign or stop line: OpenDRIVE/German catalogue type `206` (stop sign) or `294`
  /// (stop line), the MUTCD code `R1-1`, or a signal named "stop…" (case-insensitive), that is
  /// not dynamic.
  public var isStop: Bool {
    guard !dynamic else { return false }
    let t = type.uppercased()
    return t == "206" || t == "294" || t == "R1-1" || name.lowercased().hasPrefix("stop")
  }

  /// A traffic light: a dynamic signal, or type `1000001` (OpenDRIVE's generic light).
  public var isTrafficLight: Bool { dynamic || type == "1000001" }

  /// Whether the signal faces traffic travelling along s (`true`) or against it.
  public func applies(alongS: Bool) -> Bool {
    switch orientation {
    case "+": alongS
    case "-": !alongS
    default: true
    }
  }
}

extension LaneNetwork {
  /// The stop signs and stop lines that govern lane `lane`: signals of its road within its
  /// lane section's s range that face its direction of travel.
  public func stopSignals(lane: Int) -> [Signal] {
    guard lanes.indices.contains(lane) else { return [] }
    let l = lanes[lane]
    guard network.roads.indices.contains(l.road) else { return [] }
    return network.roads[l.road].signals.filter { sig in
      sig.isStop && sig.applies(alongS: l.travelsAlongS) && sig.s >= l.sStart - 1e-6 && sig.s <= l.sEnd + 1e-6
    }
  }
}

extension RoadObject {
  /// A crosswalk (`type="crosswalk"`, any case).
  public var isCrosswalk: Bool { type.lowercased() == "crosswalk" }

  /// The object's footprint in the plan (local coordinates of the network): its outline's
  /// corners, else the rectangle of its `length` (along its heading) and `width`; empty when it
  /// has neither (fewer than three corners, or no positive length and width).
  public func footprint(on road: Road) -> [SIMD2<Double>] {
    let origin = road.point(s: s, t: t)
    let heading = origin.heading + hdg
    let c = cos(heading), n = sin(heading)
    func local(_ u: Double, _ v: Double) -> SIMD2<Double> { SIMD2(origin.x + u * c - v * n, origin.y + u * n + v * c) }
    if outline.count >= 3 {
      return outline.map { corner in
        switch corner {
        case .road(let s, let t):
          let p = road.point(s: s, t: t)
          return SIMD2(p.x, p.y)
        case .local(let u, let v):
          return local(u, v)
        }
      }
    }
    guard let l = length, let w = width, l > 0, w > 0, l.isFinite, w.isFinite else { return [] }
    return [local(-l / 2, -w / 2), local(l / 2, -w / 2), local(l / 2, w / 2), local(-l / 2, w / 2)]
  }
}
