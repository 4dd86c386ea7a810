import Foundation

/// A point of a road in 3-D with the direction of increasing s there.
public struct RoadPoint: Sendable, Hashable {
  public var x: Double
  public var y: Double
  public var z: Double
  /// Heading of the road's reference line (direction of increasing s), radians from +x.
  public var heading: Double

  public init(x: Double, y: Double, z: Double, heading: Double) {
    self.x = x
    self.y = y
    self.z = z
    self.heading = heading
  }
}

extension Road {
  /// Index of the plan-view piece in force at `s`.
  func geometryIndex(at s: Double) -> Int {
    var lo = 0
    var hi = planView.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if planView[mid].s <= s { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The reference line at `s` (clamped to the road), in the network's local frame.
  public func referencePose(at s: Double) -> PlanPose {
    guard !planView.isEmpty else { return PlanPose(x: 0, y: 0, heading: 0) }
    let g = planView[geometryIndex(at: s)]
    return g.pose(at: s - g.s)
  }

  /// Index of the lane section in force at `s`.
  public func laneSectionIndex(at s: Double) -> Int {
    var lo = 0
    var hi = max(laneSections.count - 1, 0)
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if laneSections[mid].s <= s { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// Lateral offsets t (left positive) of every lane border of section `section` at `s`:
  /// `left[i]` is the outer border of left lane i+1, `right[i]` that of right lane −(i+1),
  /// `center` the lane offset (the inner border of lanes 1 and −1).
  public func borders(section index: Int, at s: Double) -> (center: Double, left: [Double], right: [Double]) {
    guard laneSections.indices.contains(index) else { return (0, [], []) }
    let section = laneSections[index]
    let center = laneOffset.value(at: s)
    let ds = s - section.s
    func outer(_ lanes: [Lane], sign: Double) -> [Double] {
      var result: [Double] = []
      result.reserveCapacity(lanes.count)
      var t = center
      for lane in lanes {
        if !lane.width.isEmpty {
          t += sign * max(lane.width.value(at: ds), 0)
        } else if !lane.border.isEmpty {
          t = center + sign * lane.border.value(at: ds)
        }
        result.append(t)
      }
      return result
    }
    return (center, outer(section.left, sign: 1), outer(section.right, sign: -1))
  }

  /// Inner and outer lateral offsets of lane `laneId` of section `section` at `s`.
  public func laneBorders(section index: Int, lane laneId: Int, at s: Double) -> (inner: Double, outer: Double)? {
    let b = borders(section: index, at: s)
    if laneId == 0 { return (b.center, b.center) }
    let side = laneId > 0 ? b.left : b.right
    let i = abs(laneId) - 1
    guard side.indices.contains(i) else { return nil }
    return (i == 0 ? b.center : side[i - 1], side[i])
  }

  /// The 3-D point at arc length `s` and lateral offset `t` (left positive), on the road
  /// surface (elevation plus superelevation roll).
  public func point(s: Double, t: Double) -> RoadPoint {
    let pose = referencePose(at: s)
    let roll = superelevation.value(at: s)
    let lateral = roll == 0 ? t : t * cos(roll)
    let z = elevation.value(at: s) + (roll == 0 ? 0 : t * sin(roll))
    return RoadPoint(
      x: pose.x - lateral * sin(pose.heading), y: pose.y + lateral * cos(pose.heading), z: z, heading: pose.heading)
  }

  /// The centre line point of lane `laneId` (section `section`) at `s`, or nil if no such lane.
  public func laneCenter(section: Int, lane laneId: Int, at s: Double) -> RoadPoint? {
    guard let b = laneBorders(section: section, lane: laneId, at: s) else { return nil }
    return point(s: s, t: (b.inner + b.outer) / 2)
  }

  /// s where section `index` ends (the next section's start, or the road's length).
  public func sectionEnd(_ index: Int) -> Double {
    laneSections.indices.contains(index + 1) ? laneSections[index + 1].s : length
  }
}
