import ScnEncoding

/// `verify --labels` on one camera image: the COCO annotations, the instance image and the
/// semantic image must describe the same objects.
///
/// The writer derives every COCO mask from the instance image (the pixels equal to the
/// annotation's `instance_id`) and writes an annotation for every labelled object with at
/// least one visible pixel, whatever its size; the annotation's `category_id` is the
/// object's semantic class, which is also what the semantic image holds at its pixels.
struct InstanceAgainstCOCO {
  /// One annotation of the image, as far as these checks need it.
  struct Annotation: Sendable {
    var id: Int
    var instanceID: Int?
    var category: Int?
    var segmentation: JSONValue?
  }

  let cocoPath: String
  let instancePath: String
  let semanticPath: String
  let width: Int
  let height: Int
  /// The camera's labels come from its instance image (it asks for `boxes2d`): then every
  /// instance in the image must be annotated and every annotation must carry its mask.
  let maskDerived: Bool
  let categories: Set<Int>

  /// Problems as (path, detail), in a fixed order.
  /// `unannotated`: instances the image record lists as deliberately not annotated
  /// (`unannotated_instance_ids`, e.g. distractors): they need no annotation.
  func check(
    annotations: [Annotation], instance ids: [UInt16], semantic: [UInt16]?, unannotated: Set<Int> = []
  ) -> [(String, String)] {
    var problems: [(String, String)] = []
    var pixelCount = [Int32](repeating: 0, count: Int(UInt16.max) + 1)
    for id in ids { pixelCount[Int(id)] += 1 }

    // (a) each annotation's mask is exactly its instance's pixels.
    var annotated: [(annotation: Annotation, instance: UInt16)] = []
    var claimedBy = [Int](repeating: -1, count: Int(UInt16.max) + 1)
    for annotation in annotations {
      guard let raw = annotation.instanceID else {
        if maskDerived {
          problems.append((cocoPath, "annotation \(annotation.id) has no instance_id to match with \(instancePath)"))
        }
        continue
      }
      guard let instance = UInt16(exactly: raw), instance != 0 else {
        problems.append((cocoPath, "annotation \(annotation.id): instance_id \(raw) cannot appear in \(instancePath)"))
        continue
      }
      if claimedBy[Int(instance)] >= 0 {
        problems.append(
          (cocoPath, "annotations \(claimedBy[Int(instance)]) and \(annotation.id) both claim instance \(instance)"))
        continue
      }
      claimedBy[Int(instance)] = annotation.id
      annotated.append((annotation, instance))
    }
    let expected = RunLengthMask.masks(for: annotated.map(\.instance), in: ids, width: width, height: height)
    for ((annotation, instance), mask) in zip(annotated, expected) {
      guard let segmentation = annotation.segmentation else {
        if maskDerived {
          problems.append((cocoPath, "annotation \(annotation.id) (instance \(instance)) has no segmentation mask"))
        }
        continue
      }
      guard let size = segmentation["size"]?.arrayValue?.compactMap(\.intValue), size.count == 2,
        let counts = segmentation["counts"]?.stringValue
      else { continue }  // The box check has already reported an unreadable mask.
      guard size == [height, width] else {
        problems.append(
          (
            cocoPath,
            "annotation \(annotation.id): mask size \(size) is not the image's [\(height), \(width)] (height, width)"
          ))
        continue
      }
      guard let stored = RunLengthMask(compressed: counts, width: width, height: height) else { continue }
      if InstanceAgainstCOCO.foreground(stored.counts) != InstanceAgainstCOCO.foreground(mask.counts) {
        let detail = "annotation \(annotation.id): its mask (\(stored.area) pixels) is not the "
        problems.append((cocoPath, detail + "\(mask.area) pixels of instance \(instance) in \(instancePath)"))
      }
    }

    // (b) every instance with pixels is annotated.
    if maskDerived {
      var missing: [String] = []
      for id in 1..<pixelCount.count where pixelCount[id] > 0 && claimedBy[id] < 0 && !unannotated.contains(id) {
        missing.append("\(id) (\(pixelCount[id]) pixels)")
      }
      if !missing.isEmpty {
        let shown = missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
        problems.append(
          (
            instancePath,
            "\(missing.count) instance\(missing.count == 1 ? "" : "s") with no annotation in \(cocoPath): \(shown)"
          ))
      }
    }

    // (c) the semantic image holds each annotated object's category at its pixels, and no
    // object category where there is no object.
    guard let semantic else { return problems }
    var categoryOf = [Int](repeating: -1, count: Int(UInt16.max) + 1)
    for (annotation, instance) in annotated { categoryOf[Int(instance)] = annotation.category ?? -1 }
    var wrong = [Int32](repeating: 0, count: Int(UInt16.max) + 1)
    var firstWrong = [Int](repeating: -1, count: Int(UInt16.max) + 1)
    var backgroundWrong = 0
    var firstBackground = -1
    var objectClass = [Bool](repeating: false, count: Int(UInt16.max) + 1)
    for c in categories where (0...Int(UInt16.max)).contains(c) { objectClass[c] = true }
    for p in ids.indices {
      let id = Int(ids[p])
      let s = Int(semantic[p])
      if id == 0 {
        if objectClass[s] {
          backgroundWrong += 1
          if firstBackground < 0 { firstBackground = p }
        }
      } else if categoryOf[id] >= 0, s != categoryOf[id] {
        wrong[id] += 1
        if firstWrong[id] < 0 { firstWrong[id] = p }
      }
    }
    for (annotation, instance) in annotated where wrong[Int(instance)] > 0 {
      let p = firstWrong[Int(instance)]
      var detail = "\(wrong[Int(instance)]) of the \(pixelCount[Int(instance)]) pixels of instance \(instance) "
      detail += "are not class \(annotation.category ?? -1) (annotation \(annotation.id) in \(cocoPath)); "
      detail += "first at (\(p % width), \(p / width)): class \(semantic[p])"
      problems.append((semanticPath, detail))
    }
    if backgroundWrong > 0 {
      let p = firstBackground
      var detail = "\(backgroundWrong) pixels with no instance in \(instancePath) hold an object class; "
      detail += "first at (\(p % width), \(p / width)): class \(semantic[p])"
      problems.append((semanticPath, detail))
    }
    return problems
  }

  /// The foreground runs of RLE counts as (start, length), ignoring empty runs, so two
  /// encodings of the same pixels compare equal.
  static func foreground(_ counts: [Int]) -> [Int] {
    var out: [Int] = []
    var position = 0
    for (k, run) in counts.enumerated() {
      if k % 2 == 1, run > 0 {
        if let last = out.last, out.count >= 2, out[out.count - 2] + last == position {
          out[out.count - 1] += run
        } else {
          out += [position, run]
        }
      }
      position += run
    }
    return out
  }
}
