import ScnEncoding
import Crypto
import ScnDataset

/// What `scn generate --focus gaps.json` takes from a gaps file: the cover buckets to aim at
/// and where they came from.
///
/// The buckets are those of the worst focusable gap (a cover bucket, or a failure mode's
/// buckets) together with every other gap bucket of the same cover point(s): sampling aims at
/// one cover point's weak buckets at a time (several points only for a failure mode that
/// names several). The file must come from the same scenario: its IR hash and its cover points
/// (names and planned buckets) must equal the scenario's; another seed or count is fine.
public struct FocusPlan: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    public var point: String
    public var buckets: [String]
    /// The share of the evaluated dataset's samples in these buckets.
    public var evaluatedShare: Double?
  }
  /// SHA-256 of the gaps file: the evaluation that drove the focus.
  public var gapsHash: String
  public var evaluatedDataset: String
  public var predictionsHash: String
  public var metric: String
  /// The gap slices the focus serves, worst first (`lighting [0, 5)`, `FM-22`).
  public var slices: [String]
  public var points: [Point]
  /// The fraction of samples that aim at the focus buckets.
  public static let share = 0.5

  /// Reads a gaps file and checks it against the scenario being generated.
  public static func read(
    _ bytes: [UInt8], irHash: String, scenario: String, coverPoints: [(name: String, buckets: [String])]
  ) throws(EvalError) -> FocusPlan {
    let doc: JSONValue
    do { doc = try JSONValue.parse(bytes: bytes) } catch { throw .foreignGaps(reason: "not JSON (\(error.description))") }
    guard doc["schema"]?.stringValue == Evaluation.gapsSchema else {
      throw .foreignGaps(reason: "not a scn gaps file (schema \(doc["schema"]?.compact ?? "missing"), expected \(Evaluation.gapsSchema))")
    }
    let theirHash = doc["dataset"]?["ir_sha256"]?.stringValue ?? ""
    guard theirHash == irHash else {
      throw .foreignGaps(
        reason: "it evaluates scenario '\(doc["dataset"]?["scenario"]?.stringValue ?? "?")' with IR hash \(theirHash), "
          + "but '\(scenario)' has IR hash \(irHash); evaluate a dataset of this scenario")
    }
    let theirs: [(String, [String])] = (doc["cover_points"]?.arrayValue ?? []).compactMap { p in
      p["name"]?.stringValue.map { ($0, (p["buckets"]?.arrayValue ?? []).compactMap(\.stringValue)) }
    }
    for (name, buckets) in coverPoints {
      guard let other = theirs.first(where: { $0.0 == name }) else {
        throw .foreignGaps(reason: "it has no cover point '\(name)'; its cover points differ from the scenario's")
      }
      guard other.1 == buckets else {
        throw .foreignGaps(
          reason: "cover point '\(name)' has buckets \(other.1.joined(separator: ", ")) there but "
            + "\(buckets.joined(separator: ", ")) here")
      }
    }
    if let extra = theirs.first(where: { t in !coverPoints.contains { $0.name == t.0 } }) {
      throw .foreignGaps(reason: "its cover point '\(extra.0)' is not one of the scenario's")
    }
    // Focusable gaps, worst first (the file's order).
    var points: [Point] = []
    var slices: [String] = []
    let samples = Double(doc["samples"]?.intValue ?? 0)
    for gap in doc["gaps"]?.arrayValue ?? [] {
      guard let focus = gap["focus"], focus != .null, let name = gap["name"]?.stringValue else { continue }
      var entries: [(String, [String])] = []
      if let point = focus["point"]?.stringValue, let bucket = focus["bucket"]?.stringValue {
        entries = [(point, [bucket])]
      } else {
        entries = (focus["covers"]?.arrayValue ?? []).compactMap { c in
          c["point"]?.stringValue.map { ($0, (c["buckets"]?.arrayValue ?? []).compactMap(\.stringValue)) }
        }
      }
      if points.isEmpty {
        points = entries.map { Point(point: $0.0, buckets: $0.1, evaluatedShare: nil) }
        slices.append(name)
      } else if entries.allSatisfy({ e in points.contains { $0.point == e.0 } }) {
        // A later gap on the same point(s) widens the focus.
        for e in entries {
          guard let k = points.firstIndex(where: { $0.point == e.0 }) else { continue }
          for b in e.1 where !points[k].buckets.contains(b) { points[k].buckets.append(b) }
        }
        slices.append(name)
      }
    }
    guard !points.isEmpty else {
      throw .foreignGaps(reason: "it lists no gap that sampling can focus on (only cover buckets and failure modes can be)")
    }
    // Buckets in the cover point's order; the evaluated share of the focus buckets.
    let shares = doc["bucket_samples"]
    for k in points.indices {
      let order = coverPoints.first { $0.name == points[k].point }?.buckets ?? []
      points[k].buckets.sort { (order.firstIndex(of: $0) ?? .max) < (order.firstIndex(of: $1) ?? .max) }
      if samples > 0 {
        let n = points[k].buckets.reduce(0) { $0 + (shares?[points[k].point]?[$1]?.intValue ?? 0) }
        points[k].evaluatedShare = Double(n) / samples
      }
    }
    return FocusPlan(
      gapsHash: Evaluation.hex(SHA256.hash(data: bytes)),
      evaluatedDataset: doc["dataset"]?["identity_sha256"]?.stringValue ?? "",
      predictionsHash: doc["predictions_sha256"]?.stringValue ?? "", metric: doc["metric"]?.stringValue ?? "",
      slices: slices, points: points)
  }
}
