/// The detections and ground truth of one camera arranged as pycocotools' COCOeval walks
/// them (bbox, `maxDets` 100): per (image, category) the ground truth in file order and the
/// detections by falling score (stable), cut at 100; per category all kept detections in
/// COCOeval's accumulation order (falling score, then image id, then rank in the image).
struct EvalIndex {
  static let maximumDetections = 100

  let imageCount: Int
  let categoryCount: Int
  /// Objects per (image, category) cell, `cell = image * categoryCount + category`.
  var cellObjects: [[Int]]
  /// Detections per cell, sorted and cut.
  var cellDetections: [[Int]]
  /// Per category, its kept detections in accumulation order.
  var categoryOrder: [[Int]]
  /// Category index of each dataset category id.
  let categoryIndex: [Int: Int]

  init(dataset: EvalDataset, detections: [Detection], imageOf: [Int]) {
    imageCount = dataset.images.count
    categoryCount = dataset.categories.count
    var index: [Int: Int] = [:]
    for (k, c) in dataset.categories.enumerated() { index[c.id] = k }
    categoryIndex = index
    let cells = imageCount * categoryCount
    cellObjects = Array(repeating: [], count: cells)
    cellDetections = Array(repeating: [], count: cells)
    for (o, object) in dataset.objects.enumerated() {
      guard let k = index[object.category] else { continue }
      cellObjects[object.image * categoryCount + k].append(o)
    }
    for (d, detection) in detections.enumerated() {
      guard let k = index[detection.categoryID] else { continue }
      cellDetections[imageOf[d] * categoryCount + k].append(d)
    }
    var order = Array(repeating: [(score: Double, image: Int, rank: Int, detection: Int)](), count: categoryCount)
    for cell in 0..<cells where !cellDetections[cell].isEmpty {
      // Stable by falling score: ties keep file order, as numpy's mergesort does.
      let sorted = cellDetections[cell].enumerated().sorted { a, b in
        let sa = detections[a.element].score, sb = detections[b.element].score
        return sa != sb ? sa > sb : a.offset < b.offset
      }.map(\.element).prefix(Self.maximumDetections)
      cellDetections[cell] = Array(sorted)
      let image = cell / categoryCount, k = cell % categoryCount
      for (rank, d) in sorted.enumerated() {
        order[k].append((detections[d].score, image, rank, d))
      }
    }
    categoryOrder = order.map { list in
      list.sorted { a, b in
        if a.score != b.score { return a.score > b.score }
        if a.image != b.image { return a.image < b.image }
        return a.rank < b.rank
      }.map(\.detection)
    }
  }
}

/// Which ground truth a view evaluates and what becomes of detections nobody matched.
struct EvalView: Sendable {
  enum Unmatched: Sendable {
    /// Unmatched detections count as false positives (the whole dataset, sample slices).
    case count
    /// Ignored unless their box area lies in `[low, high]` (COCO's area ranges).
    case areaRange(Double, Double)
    /// Always ignored: the slice is a property of objects (occlusion, distance) that a
    /// detection without a match does not have.
    case ignore
  }
  /// Whether an object is evaluated; crowd objects never are.
  var includes: @Sendable (EvalDataset.Object) -> Bool
  var unmatched: Unmatched
}

/// The result of matching under one view: per detection, bit `t` of `matched` and of
/// `ignored` for threshold `t`; per cell, the objects that count.
struct Matching {
  var matched: [UInt16]
  var ignored: [UInt16]
  /// Counted (non-ignored) objects per cell.
  var counted: [Int32]

  /// COCOeval's `evaluateImg` for every cell, at each IoU threshold (at most 16).
  init(index: EvalIndex, dataset: EvalDataset, detections: [Detection], view: EvalView, thresholds: [Double]) {
    matched = Array(repeating: 0, count: detections.count)
    ignored = Array(repeating: 0, count: detections.count)
    counted = Array(repeating: 0, count: index.cellObjects.count)
    var ious: [Double] = []
    var objectMatch: [Int] = []
    for cell in 0..<index.cellObjects.count {
      let dts = index.cellDetections[cell]
      let allObjects = index.cellObjects[cell]
      if dts.isEmpty && allObjects.isEmpty { continue }
      // Ground truth with the counted ones first (stable), as COCOeval sorts by `_ignore`.
      let flags = allObjects.map { o in dataset.objects[o].crowd || !view.includes(dataset.objects[o]) }
      let gts = allObjects.indices.filter { !flags[$0] }.map { allObjects[$0] }
        + allObjects.indices.filter { flags[$0] }.map { allObjects[$0] }
      let nCounted = flags.filter { !$0 }.count
      counted[cell] = Int32(nCounted)
      if dts.isEmpty { continue }
      let g = gts.count
      ious.removeAll(keepingCapacity: true)
      for d in dts {
        let (dx, dy, dw, dh) = detections[d].box
        let da = dw * dh
        for o in gts {
          let object = dataset.objects[o]
          let (gx, gy, gw, gh) = object.box
          let w = min(dx + dw, gx + gw) - max(dx, gx)
          let h = min(dy + dh, gy + gh) - max(dy, gy)
          if w <= 0 || h <= 0 {
            ious.append(0)
            continue
          }
          let i = w * h
          let u = object.crowd ? da : da + gw * gh - i
          ious.append(i / u)
        }
      }
      for (t, threshold) in thresholds.enumerated() {
        let bit = UInt16(1) << UInt16(t)
        objectMatch = Array(repeating: -1, count: g)
        for (di, d) in dts.enumerated() {
          var best = min(threshold, 1 - 1e-10)
          var m = -1
          for gi in 0..<g {
            let crowd = dataset.objects[gts[gi]].crowd
            if objectMatch[gi] >= 0 && !crowd { continue }
            // Once matched to a counted object, stop at the first ignored one.
            if m > -1 && m < nCounted && gi >= nCounted { break }
            let iou = ious[di * g + gi]
            if iou < best { continue }
            best = iou
            m = gi
          }
          if m >= 0 {
            matched[d] |= bit
            if m >= nCounted { ignored[d] |= bit }
            objectMatch[m] = di
          } else {
            switch view.unmatched {
            case .count: break
            case .ignore: ignored[d] |= bit
            case .areaRange(let low, let high):
              let (_, _, w, h) = detections[d].box
              if w * h < low || w * h > high { ignored[d] |= bit }
            }
          }
        }
      }
    }
  }
}

/// COCOeval's `accumulate` for one category, one threshold and a weighting of images
/// (0 leaves an image out; k > 1 counts it k times, for the bootstrap).
struct Accumulator {
  /// pycocotools' recall thresholds, `np.linspace(0, 1, 101)`.
  static let recallThresholds: [Double] = (0...100).map { (i: Int) -> Double in i == 100 ? 1.0 : Double(i) * 0.01 }
  /// pycocotools' IoU thresholds, `np.linspace(.5, .95, 10)`.
  static let iouThresholds: [Double] = (0...9).map { (i: Int) -> Double in
    let step: Double = (0.95 - 0.5) / 9
    return i == 9 ? 0.95 : Double(i) * step + 0.5
  }

  private var tp: [Double] = []
  private var fp: [Double] = []

  /// Precision averaged over the recall thresholds and the final recall, or nil when no
  /// counted object of the category is in the weighted images.
  mutating func evaluate(
    category k: Int, threshold t: Int, weights: [Int32], index: EvalIndex, matching: Matching, imageOf: [Int]
  ) -> (ap: Double, recall: Double)? {
    var objects = 0
    var cell = k
    for image in 0..<index.imageCount {
      let w = weights[image]
      if w != 0 { objects += Int(w) * Int(matching.counted[cell]) }
      cell += index.categoryCount
    }
    guard objects > 0 else { return nil }
    let bit = UInt16(1) << UInt16(t)
    tp.removeAll(keepingCapacity: true)
    fp.removeAll(keepingCapacity: true)
    var tps = 0.0, fps = 0.0
    for d in index.categoryOrder[k] {
      let w = weights[imageOf[d]]
      if w == 0 || matching.ignored[d] & bit != 0 { continue }
      if matching.matched[d] & bit != 0 { tps += Double(w) } else { fps += Double(w) }
      tp.append(tps)
      fp.append(fps)
    }
    let n = tp.count
    guard n > 0 else { return (0, 0) }
    let npig = Double(objects)
    // Precision made non-increasing from the right, then read at each recall threshold.
    var precision = [Double](repeating: 0, count: n)
    for i in 0..<n { precision[i] = tp[i] / (fp[i] + tp[i] + Double.ulpOfOne) }
    var i = n - 1
    while i > 0 {
      if precision[i] > precision[i - 1] { precision[i - 1] = precision[i] }
      i -= 1
    }
    var sum = 0.0
    var p = 0
    for r in Self.recallThresholds {
      while p < n && tp[p] / npig < r { p += 1 }
      if p >= n { break }
      sum += precision[p]
    }
    return (sum / Double(Self.recallThresholds.count), tp[n - 1] / npig)
  }
}
