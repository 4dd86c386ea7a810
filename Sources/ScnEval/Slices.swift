import ScnEncoding
import ScnDataset

/// A subset the evaluation reports on: a set of samples (cover bucket, failure mode, param
/// bin, split) evaluated against all their objects, or a kind of object (occlusion level,
/// distance band, box size) evaluated over every sample under its own view.
struct Slice {
  enum Members {
    /// Positions in `EvalDataset.samples`.
    case samples([Int])
    /// Index into the evaluation's views.
    case objects(view: Int)
  }
  var kind: String
  var name: String
  var members: Members
  /// Only cover buckets and the failure modes tied to them can be focused by `generate`.
  var focus: [(String, JSONValue)]?
  /// Extra description (`point`, `bucket`, `param`, `range`, …).
  var details: [(String, JSONValue)]
}

enum SliceCatalogue {
  /// COCO's area ranges (inclusive at both ends, as COCOeval compares them).
  static let boxSizes: [(String, Double, Double)] = [
    ("small", 0, 32 * 32), ("medium", 32 * 32, 96 * 96), ("large", 96 * 96, 1e5 * 1e5),
  ]
  /// KITTI occlusion levels from the hidden fraction, as the dataset card defines them.
  static let occlusionLevels: [(String, Double, Double)] = [
    ("0 (fully visible)", 0, 0.05), ("1 (partly occluded)", 0.05, 0.5), ("2 (largely occluded)", 0.5, 1.000_001),
  ]
  static let distanceBands: [(String, Double, Double)] = [
    ("[0m, 10m)", 0, 10), ("[10m, 20m)", 10, 20), ("[20m, 40m)", 20, 40), (">= 40m", 40, .infinity),
  ]

  /// The views: 0 is the whole dataset; then box sizes, occlusion levels and distance
  /// bands (the last two only when the dataset records them).
  static func views(_ dataset: EvalDataset) -> [(kind: String, name: String, view: EvalView)] {
    var views: [(String, String, EvalView)] = [("all", "all", EvalView(includes: { _ in true }, unmatched: .count))]
    for (name, low, high) in boxSizes {
      views.append(
        ("box_size", name, EvalView(includes: { $0.area >= low && $0.area <= high }, unmatched: .areaRange(low, high))))
    }
    if dataset.objects.contains(where: { $0.occlusion != nil }) {
      for (name, low, high) in occlusionLevels {
        views.append(
          ("occlusion", name,
            EvalView(includes: { o in o.occlusion.map { $0 >= low && $0 < high } ?? false }, unmatched: .ignore)))
      }
    }
    if dataset.objects.contains(where: { $0.distance != nil }) {
      for (name, low, high) in distanceBands {
        views.append(
          ("distance", name,
            EvalView(includes: { o in o.distance.map { $0 >= low && $0 < high } ?? false }, unmatched: .ignore)))
      }
    }
    return views
  }

  static func sampleSlices(_ dataset: EvalDataset) -> [Slice] {
    var slices: [Slice] = []
    let samples = dataset.samples
    func positions(_ test: (EvalDataset.Sample) -> Bool) -> [Int] { samples.indices.filter { test(samples[$0]) } }
    func bucket(_ s: EvalDataset.Sample, _ point: String) -> String? { s.cover.first { $0.point == point }?.bucket }
    for point in dataset.coverPoints {
      let seen = Set(samples.compactMap { bucket($0, point.name) })
      let extra = seen.subtracting(point.buckets).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
      for b in point.buckets + extra {
        slices.append(
          Slice(
            kind: "cover", name: "\(point.name) \(b)", members: .samples(positions { bucket($0, point.name) == b }),
            focus: [("point", .string(point.name)), ("bucket", .string(b))],
            details: [("point", .string(point.name)), ("bucket", .string(b))]))
      }
    }
    for mode in dataset.failureModes where !mode.covers.isEmpty {
      let covers: JSONValue = .array(mode.covers.map { c in
        .object([("point", .string(c.point)), ("buckets", .array(c.buckets.map(JSONValue.string)))])
      })
      slices.append(
        Slice(
          kind: "failure_mode", name: mode.id,
          members: .samples(positions { s in mode.reached { bucket(s, $0) } }),
          focus: [("failure_mode", .string(mode.id)), ("covers", covers)],
          details: [("failure_mode", .string(mode.id)), ("text", .string(mode.text)), ("covers", covers)]))
    }
    // Quartile bins of every numeric param that varies.
    var names: [String] = []
    for s in samples { for p in s.params where !names.contains(p.name) { names.append(p.name) } }
    for name in names {
      let values = samples.map { s in s.params.first { $0.name == name } }
      let present = values.compactMap { $0?.value }.sorted()
      guard let low = present.first, let high = present.last, low < high else { continue }
      let unit = values.compactMap { $0?.unit }.first ?? ""
      var edges = [low] + [0.25, 0.5, 0.75].map { quantile(present, $0) } + [high]
      edges = edges.enumerated().filter { $0.offset == 0 || $0.element > edges[$0.offset - 1] }.map(\.element)
      for i in 0..<(edges.count - 1) {
        let a = edges[i], b = edges[i + 1]
        let last = i == edges.count - 2
        let label = "[\(format(a)), \(format(b))\(last ? "]" : ")")\(unit.isEmpty ? "" : " " + unit)"
        let members = samples.indices.filter { j in
          guard let v = values[j]?.value else { return false }
          return v >= a && (last ? v <= b : v < b)
        }
        slices.append(
          Slice(
            kind: "param", name: "\(name) \(label)", members: .samples(members), focus: nil,
            details: [
              ("param", .string(name)), ("range", .array([.double(a), .double(b)])), ("closed_above", .bool(last)),
              ("unit", .string(unit)),
            ]))
      }
    }
    for split in dataset.splits {
      slices.append(
        Slice(
          kind: "split", name: split, members: .samples(positions { $0.split == split }), focus: nil,
          details: [("split", .string(split))]))
    }
    return slices
  }

  /// numpy's default (linear) percentile of sorted values.
  static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    guard let first = sorted.first else { return .nan }
    let position = q * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    let fraction = position - Double(lower)
    return lower >= sorted.count ? first : sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
  }

  static func format(_ x: Double) -> String {
    let rounded = (x * 1000).rounded() / 1000
    return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
  }
}
