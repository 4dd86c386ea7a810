import ScnGeometry

/// The part-label ids of a dataset's `parts/` images (docs/scene-model.md, "Part labels"):
/// every label the built-in shape builders make (`PartLabelTable.builtIn`) and every label of
/// the program's imported assets, sorted by name; label k of the sorted list has id k + 1,
/// 0 is "no part label" (sky, ground, stuff, an unlabelled part). The table depends only on
/// the program and its asset files, never on a sample, so shards agree on it.
public struct PartLabelTable: Hashable, Sendable {
  /// Label names in id order: `names[k]` has id `k + 1`.
  public let names: [String]
  private let ids: [String: UInt16]

  /// At most this many labels (the ids must fit a 16-bit image); labels past it in sorted
  /// order get id 0. (An asset places at most 4,096 mesh instances, so only a program with
  /// more than fifteen large assets could reach it.)
  public static let capacity = Int(UInt16.max)

  /// The built-in labels and `extra` (imported assets' labels), sorted and deduplicated.
  public init(extra: some Sequence<String> = [String]()) {
    var all = Set(PartLabelTable.builtIn)
    for name in extra where !name.isEmpty { all.insert(name) }
    let sorted = all.sorted()
    names = Array(sorted.prefix(PartLabelTable.capacity))
    var ids: [String: UInt16] = [:]
    for (k, name) in names.enumerated() { ids[name] = UInt16(k + 1) }
    self.ids = ids
  }

  /// The id of `label`; 0 for nil or a label not in the table.
  public func id(of label: String?) -> UInt16 {
    guard let label else { return 0 }
    return ids[label] ?? 0
  }

  public static func == (a: PartLabelTable, b: PartLabelTable) -> Bool { a.names == b.names }
  public func hash(into hasher: inout Hasher) { hasher.combine(names) }

  /// Every label a built-in builder (`ActorShapes.parts`, the traffic lights of a map) gives a
  /// part. A unit test builds every shape kind and checks that its labels are listed here.
  public static let builtIn: [String] = {
    let sides = ["left", "right"]
    var labels: [String] = [
      // lamp_post, frame
      "pole", "lamp_head", "upright", "beam",
      // person (and a cyclist's rider)
      "head", "hair", "neck", "torso", "hips",
      // car, van, truck, bus
      "body", "cabin", "cab", "cargo_box", "windscreen", "rear_window",
      // bicycle
      "frame", "fork", "handlebar", "saddle", "crank", "wheel_front", "wheel_rear",
      // forklift
      "chassis", "counterweight", "seat", "guard_post", "guard_roof", "mast", "carriage", "fork_shank",
      // pallet
      "bottom_board", "block", "stringer_board", "deck_board",
      // mug, bottle, bowl, can
      "cup", "handle", "cap", "bowl", "lid", "base",
      // traffic lights: pole, housing and the three lenses
      "housing", "red", "yellow", "green",
    ]
    for side in sides {
      labels += [
        "upper_arm_\(side)", "lower_arm_\(side)", "hand_\(side)", "upper_leg_\(side)", "lower_leg_\(side)",
        "foot_\(side)", "side_windows_\(side)", "head_lamp_\(side)", "tail_lamp_\(side)",
        "wheel_front_\(side)", "wheel_rear_\(side)",
      ]
    }
    return Array(Set(labels)).sorted()
  }()
}
