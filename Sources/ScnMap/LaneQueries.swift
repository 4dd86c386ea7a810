import Foundation

extension LaneIndex {
  /// Every lane whose area holds `point`, in lane order (overlapping connecting lanes of a
  /// junction all hold the points they share), each once.
  public func lanes(containing point: SIMD2<Double>) -> [LaneHit] {
    let gx = (point.x - origin.x) / cellSize
    let gy = (point.y - origin.y) / cellSize
    guard gx >= 0, gy >= 0, gx < Double(columns), gy < Double(rows) else { return [] }
    let c = Int(gy) * columns + Int(gx)
    var hits: [LaneHit] = []
    for j in Int(cellStart[c])..<Int(cellStart[c + 1]) {
      let q = quads[Int(items[j])]
      guard q.hasArea, point.x >= q.minX, point.x <= q.maxX, point.y >= q.minY, point.y <= q.maxY else { continue }
      guard contains(q, point), !hits.contains(where: { $0.lane == Int(q.lane) }) else { continue }
      let d = q.q - q.p
      let len2 = d.x * d.x + d.y * d.y
      let f = len2 > 0 ? min(max(((point - q.p).x * d.x + (point - q.p).y * d.y) / len2, 0), 1) : 0
      hits.append(LaneHit(lane: Int(q.lane), s: q.s0 + (q.s1 - q.s0) * f, distance: 0, heading: q.heading))
    }
    return hits.sorted { $0.lane < $1.lane }
  }
}
