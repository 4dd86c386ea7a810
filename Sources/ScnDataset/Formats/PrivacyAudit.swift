import Foundation
import ScnEncoding

/// The distance of every generated record to its closest real record (docs/stdlib.md, "Real
/// data"). A record is one value drawn by `empirical` in one sample; its distance is
/// |value − nearest value of its column| divided by the column's sample standard deviation
/// (by 1 in the file's unit when the column is constant), so one threshold serves columns
/// of any unit. A pure function of `samples.jsonl` and the columns: any shard layout or
/// resume gives the same audit.
struct PrivacyAudit {
  struct Record {
    var sample: Int
    var input: Int
    var value: Double
    var nearest: Double
    var distance: Double
  }
  let inputs: [RealDataInput]
  let policy: PrivacyPolicy?
  /// Every record, ordered by distance, then sample, input and value.
  let records: [Record]
  /// Per input, the column's standard deviation (the distance's scale).
  let scales: [Double]

  init(inputs: [RealDataInput], policy: PrivacyPolicy?, samples: [JSONValue]) throws(DatasetError) {
    self.inputs = inputs
    self.policy = policy
    let sorted = inputs.map { $0.values.sorted() }
    scales = inputs.map { input in
      let n = Double(input.values.count)
      guard n > 1 else { return 1 }
      let mean = input.values.reduce(0, +) / n
      let sd = (input.values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
      return sd > 0 && sd.isFinite ? sd : 1
    }
    var records: [Record] = []
    for sample in samples {
      let index = sample["index"]?.intValue ?? -1
      for draw in sample["empirical"]?.arrayValue ?? [] {
        guard let i = draw["input"]?.intValue, sorted.indices.contains(i), let v = draw["value"]?.doubleValue,
          v.isFinite
        else {
          throw .corrupt(path: "samples.jsonl", reason: "sample \(index): an 'empirical' entry is not an input index and a number")
        }
        let nearest = Self.nearest(v, in: sorted[i])
        records.append(Record(sample: index, input: i, value: v, nearest: nearest, distance: abs(v - nearest) / scales[i]))
      }
    }
    records.sort {
      ($0.distance, $0.sample, $0.input, $0.value) < ($1.distance, $1.sample, $1.input, $1.value)
    }
    self.records = records
  }

  /// The value of `sorted` closest to `x` (the lower one on a tie).
  static func nearest(_ x: Double, in sorted: [Double]) -> Double {
    var lo = 0, hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    let above = lo < sorted.count ? sorted[lo] : .infinity
    let below = lo > 0 ? sorted[lo - 1] : -.infinity
    return x - below <= above - x ? below : above
  }

  /// The share of records closer than the policy's distance; nil without a policy or records.
  var closeShare: Double? {
    guard let policy, !records.isEmpty else { return nil }
    return Double(records.count { $0.distance < policy.minRecordDistance }) / Double(records.count)
  }

  var passes: Bool {
    guard let policy, let share = closeShare else { return true }
    return share <= policy.maxShare
  }

  /// The q-quantile of the distances (nearest-rank).
  func quantile(_ q: Double) -> Double? {
    guard !records.isEmpty else { return nil }
    let k = min(records.count - 1, max(0, Int((q * Double(records.count)).rounded(.up)) - 1))
    return records[k].distance
  }

  func name(_ i: Int) -> String { "\(inputs[i].path):\(inputs[i].column)" }

  /// Why generation stops, with the closest records, when the policy is not met.
  var failureReport: String {
    guard let policy, let share = closeShare else { return "" }
    var s = "privacy audit failed: \(records.count { $0.distance < policy.minRecordDistance }) of \(records.count) generated records "
    s += "(\(DatasetCard.percent(share))) lie closer than \(JSONValue.spell(policy.minRecordDistance)) standard deviations "
    s += "to a real record; @privacy allows at most \(DatasetCard.percent(policy.maxShare)). Closest records:"
    for r in records.prefix(5) {
      s += "\n  sample \(r.sample), \(name(r.input)) = \(JSONValue.spell(r.value)) (real \(JSONValue.spell(r.nearest)), distance \(JSONValue.spell(r.distance)))"
    }
    s += "\nraise the kernel bandwidth of empirical(...), or relax @privacy; no dataset was finalised"
    return s
  }
}
