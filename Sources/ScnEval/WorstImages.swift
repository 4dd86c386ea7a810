import ScnEncoding

/// The images where a detector errs most, for `scn report --eval` to draw: the detections
/// scoring at least `scoreThreshold` are matched greedily by falling score (ties in file
/// order) to the not yet matched, non-crowd ground truth of their class with the highest IoU,
/// at least the evaluation's `--iou`; what stays unmatched is a missed object or a false
/// detection. Images are ranked by missed + false, then by id; those without an error are
/// left out.
enum WorstImages {
  static let count = 6
  static let scoreThreshold = 0.5

  struct Found {
    var image: Int
    var missed: [Int]
    var falseDetections: [Int]
  }

  static func find(dataset: EvalDataset, detections: [Detection], imageOf: [Int], iou: Double) -> [Found] {
    var objectsOf = Array(repeating: [Int](), count: dataset.images.count)
    for (o, object) in dataset.objects.enumerated() where !object.crowd && objectsOf.indices.contains(object.image) {
      objectsOf[object.image].append(o)
    }
    var detectionsOf = Array(repeating: [Int](), count: dataset.images.count)
    for (d, detection) in detections.enumerated() where detection.score >= scoreThreshold {
      detectionsOf[imageOf[d]].append(d)
    }
    var found: [Found] = []
    for image in dataset.images.indices where !objectsOf[image].isEmpty || !detectionsOf[image].isEmpty {
      let ordered = detectionsOf[image].enumerated().sorted { a, b in
        let sa = detections[a.element].score, sb = detections[b.element].score
        return sa != sb ? sa > sb : a.offset < b.offset
      }.map(\.element)
      var taken = Set<Int>()
      var falseDetections: [Int] = []
      for d in ordered {
        var best = -1
        var bestIoU = iou
        for o in objectsOf[image] where !taken.contains(o) && dataset.objects[o].category == detections[d].categoryID {
          let value = overlap(detections[d].box, dataset.objects[o].box)
          if value >= bestIoU {
            if best < 0 || value > bestIoU { best = o }
            bestIoU = value
          }
        }
        if best >= 0 { taken.insert(best) } else { falseDetections.append(d) }
      }
      let missed = objectsOf[image].filter { !taken.contains($0) }
      if !missed.isEmpty || !falseDetections.isEmpty {
        found.append(Found(image: image, missed: missed, falseDetections: falseDetections))
      }
    }
    return Array(
      found.enumerated().sorted { a, b in
        let ea = a.element.missed.count + a.element.falseDetections.count
        let eb = b.element.missed.count + b.element.falseDetections.count
        return ea != eb ? ea > eb : a.offset < b.offset
      }.map(\.element).prefix(count))
  }

  static func overlap(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Double {
    let w = min(a.0 + a.2, b.0 + b.2) - max(a.0, b.0)
    let h = min(a.1 + a.3, b.1 + b.3) - max(a.1, b.1)
    guard w > 0, h > 0 else { return 0 }
    let i = w * h
    let u = a.2 * a.3 + b.2 * b.3 - i
    return u > 0 ? i / u : 0
  }

  static func json(_ found: [Found], dataset: EvalDataset, detections: [Detection]) -> JSONValue {
    func name(_ category: Int) -> JSONValue {
      dataset.categories.first { $0.id == category }.map { .string($0.name) } ?? .null
    }
    func box(_ b: (Double, Double, Double, Double)) -> JSONValue { .array([.double(b.0), .double(b.1), .double(b.2), .double(b.3)]) }
    return .array(found.map { f in
      let image = dataset.images[f.image]
      return .object([
        ("image_id", .integer(image.id)), ("file_name", .string(image.fileName)), ("sample", .integer(image.sample)),
        ("frame", .integer(image.frame)),
        ("missed", .array(f.missed.map { o in
          let object = dataset.objects[o]
          return .object([("category_id", .integer(object.category)), ("class", name(object.category)), ("bbox", box(object.box))])
        })),
        ("false", .array(f.falseDetections.map { d in
          let detection = detections[d]
          return .object([
            ("category_id", .integer(detection.categoryID)), ("class", name(detection.categoryID)),
            ("bbox", box(detection.box)), ("score", .double(detection.score)),
          ])
        })),
      ])
    })
  }
}
