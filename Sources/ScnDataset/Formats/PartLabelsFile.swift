import ScnEncoding

/// `part_labels.json`: the ids of the `parts/` images and their names
/// (`{"part_labels": [{"id": 1, "name": "base"}, …]}`), written when a camera has the
/// `parts` output (docs/scene-model.md, "Part labels").
enum PartLabelsFile {
  static let path = "part_labels.json"

  static func json(_ labels: [PartLabelDoc]) -> JSONValue {
    .object([
      ("none", .integer(0)),
      ("part_labels", .array(labels.map { .object([("id", .integer($0.id)), ("name", .string($0.name))]) })),
    ])
  }

  /// The ids `json` lists, nil when the file is not of that shape.
  static func ids(_ json: JSONValue) -> Set<Int>? {
    guard let items = json["part_labels"]?.arrayValue else { return nil }
    var ids: Set<Int> = []
    for item in items {
      guard let id = item["id"]?.intValue else { return nil }
      ids.insert(id)
    }
    return ids
  }
}
