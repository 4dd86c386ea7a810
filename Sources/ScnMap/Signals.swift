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
