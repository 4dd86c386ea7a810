/// `verify --labels` on one `parts/` image (docs/scene-model.md, "Part labels"): every id is
/// 0 or listed in `part_labels.json`, and a pixel with a part label shows an instance in the
/// instance image of the same frame (parts belong to actors; sky, ground and stuff have none).
enum PartImageCheck {
  /// The first problem found, nil when the image is consistent. `ids` nil: the dataset has no
  /// readable part-label table (reported on its own), so ids are not checked.
  static func check(parts: [UInt16], instance: [UInt16]?, ids: Set<Int>?, width: Int) -> String? {
    if ids == nil, parts.contains(where: { $0 != 0 }) {
      return "holds part-label ids but the dataset has no \(PartLabelsFile.path)"
    }
    for (k, id) in parts.enumerated() where id != 0 {
      if let ids, !ids.contains(Int(id)) {
        return "pixel (\(k % width), \(k / width)) has part-label id \(id), not in \(PartLabelsFile.path)"
      }
      if let instance, k < instance.count, instance[k] == 0 {
        return "pixel (\(k % width), \(k / width)) has part-label id \(id) but no instance in the instance image"
      }
    }
    return nil
  }
}
