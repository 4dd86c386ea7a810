import ScnEncoding
import Crypto
import ScnDataset

/// `scn eval`'s settings.
public struct EvalOptions: Sendable, Equatable {
  public enum Metric: String, Sendable, CaseIterable {
    case ap50 = "AP50"
    case recall
  }
  /// IoU at which `recall` is reported, in [0.5, 0.95].
  public var iou: Double
  /// A slice whose interval lies wholly below this (on `metric`) is a gap.
  public var below: Double
  public var metric: Metric
  public var resamples: Int

  public init(iou: Double = 0.5, below: Double = 0.5, metric: Metric = .ap50, resamples: Int = 200) {
    self.iou = iou
    self.below = below
    self.metric = metric
    self.resamples = resamples
  }

  func validate() throws(EvalError) {
    guard iou >= 0.5, iou <= 0.95 else { throw .option("--iou must lie in [0.5, 0.95], found \(iou)") }
    guard below.isFinite, below >= 0, below <= 1 else { throw .option("--below must lie in [0, 1], found \(below)") }
    guard (1...10_000).contains(resamples) else { throw .option("resamples must lie in 1...10000") }
  }
}

/// The files `scn eval` writes, as bytes, for the driver to store.
public struct EvalOutput: Sendable {
  public var evalJSON: String
  public var gapsJSON: String
  public var html: String
  public var lineageJSON: String
  /// The gaps, worst first, as `(slice name, metric value)` for the terminal summary.
  public var gapNames: [(String, Double?)]
}

/// Evaluates COCO detection results on one camera of a dataset: COCOeval's bbox metrics
/// overall, per class and per slice, with bootstrap intervals over samples, and the gaps.
public enum Evaluation {
  public static let schema = "scn-eval/1"
  public static let gapsSchema = "scn-gaps/1"

  public static func run(
    dataset: EvalDataset, predictions bytes: [UInt8], predictionsPath: String, options: EvalOptions,
    timestamp: Int64
  ) throws(EvalError) -> EvalOutput {
    try options.validate()
    let detections = try PredictionsReader.read(bytes)
    let predictionsHash = hex(SHA256.hash(data: bytes))
    // Every id must be the dataset's.
    let categories = Set(dataset.categories.map(\.id))
    var imageOf: [Int] = []
    imageOf.reserveCapacity(detections.count)
    for (i, d) in detections.enumerated() {
      guard let image = dataset.imageIndex(of: d.imageID) else {
        throw .badRecord(
          index: i,
          reason: "image_id \(d.imageID) is not an image of annotations/coco_\(dataset.camera).json (ids 1...\(dataset.images.count))")
      }
      guard categories.contains(d.categoryID) else {
        throw .badRecord(
          index: i,
          reason: "category_id \(d.categoryID) is not a category of the dataset (\(dataset.categories.map { "\($0.id) \($0.name)" }.joined(separator: ", ")))")
      }
      imageOf.append(image)
    }
    let index = EvalIndex(dataset: dataset, detections: detections, imageOf: imageOf)
    // Thresholds: COCO's ten, plus --iou when it is not one of them.
    var thresholds = Accumulator.iouThresholds
    let iouIndex: Int
    if let k = thresholds.firstIndex(where: { abs($0 - options.iou) < 1e-9 }) {
      iouIndex = k
    } else {
      thresholds.append(options.iou)
      iouIndex = thresholds.count - 1
    }
    let views = SliceCatalogue.views(dataset)
    let matchings = views.map {
      Matching(index: index, dataset: dataset, detections: detections, view: $0.view, thresholds: thresholds)
    }
    var metrics = Metrics(index: index, imageOf: imageOf, iouIndex: iouIndex)
    // Images of each sample, and all-ones weights.
    var samplePosition: [Int: Int] = [:]
    for (p, s) in dataset.samples.enumerated() { samplePosition[s.index] = p }
    var imagesOfSample = Array(repeating: [Int](), count: dataset.samples.count)
    for (i, image) in dataset.images.enumerated() {
      if let p = samplePosition[image.sample] { imagesOfSample[p].append(i) }
    }
    let allSamples = Array(dataset.samples.indices)
    func weights(_ samples: [Int]) -> [Int32] {
      var w = [Int32](repeating: 0, count: dataset.images.count)
      for s in samples { for i in imagesOfSample[s] { w[i] += 1 } }
      return w
    }

    let overallWeights = weights(allSamples)
    let overall = metrics.full(weights: overallWeights, matching: matchings[0])
    let bootstrap = Bootstrap(resamples: options.resamples, identity: dataset.identityHash)
    let overallInterval = bootstrap.intervals(
      id: "overall", population: allSamples, imagesOfSample: imagesOfSample, imageCount: dataset.images.count
    ) { w in metrics.headline(weights: w, matching: matchings[0]) }

    var slices = SliceCatalogue.sampleSlices(dataset)
    for (v, view) in views.enumerated() where v > 0 {
      slices.append(
        Slice(
          kind: view.kind, name: "\(view.kind) \(view.name)", members: .objects(view: v), focus: nil,
          details: [(view.kind, .string(view.name))]))
    }
    struct Row {
      var slice: Slice
      var samples: Int
      var objects: Int
      var result: Metrics.Full?
      var interval: Bootstrap.Intervals
    }
    var rows: [Row] = []
    for slice in slices {
      let population: [Int]
      let matching: Matching
      switch slice.members {
      case .samples(let members):
        population = members
        matching = matchings[0]
      case .objects(let v):
        matching = matchings[v]
        population = allSamples.filter { s in
          imagesOfSample[s].contains { image in
            (0..<index.categoryCount).contains { matching.counted[image * index.categoryCount + $0] > 0 }
          }
        }
      }
      let evaluated: [Int]
      if case .objects = slice.members { evaluated = allSamples } else { evaluated = population }
      let w = weights(evaluated)
      let objects = metrics.objectCount(weights: w, matching: matching)
      let result = objects > 0 ? metrics.full(weights: w, matching: matching) : nil
      let interval =
        objects > 0
        ? bootstrap.intervals(
          id: slice.kind + "/" + slice.name, population: evaluated, imagesOfSample: imagesOfSample,
          imageCount: dataset.images.count
        ) { w in metrics.headline(weights: w, matching: matching) }
        : Bootstrap.Intervals(ap50: nil, recall: nil)
      rows.append(Row(slice: slice, samples: population.count, objects: objects, result: result, interval: interval))
    }

    // Gaps: at least 10 samples, interval wholly below the threshold or the overall value.
    let overallMetric = options.metric == .ap50 ? overall.ap50 : overall.recall
    var gaps: [(row: Row, value: Double, interval: (Double, Double), reason: String)] = []
    for row in rows where row.samples >= 10 {
      guard let result = row.result,
        let value = options.metric == .ap50 ? result.ap50 : result.recall,
        let interval = options.metric == .ap50 ? row.interval.ap50 : row.interval.recall
      else { continue }
      if interval.1 < options.below {
        gaps.append((row, value, interval, "below the threshold \(JSONValue.double(options.below).compact)"))
      } else if let overallMetric, interval.1 < overallMetric {
        gaps.append((row, value, interval, "below the overall value"))
      }
    }
    gaps = gaps.enumerated().sorted { a, b in
      a.element.value != b.element.value ? a.element.value < b.element.value : a.offset < b.offset
    }.map(\.element)

    func num(_ x: Double?) -> JSONValue { x.map(JSONValue.double) ?? .null }
    func pair(_ p: (Double, Double)?) -> JSONValue { p.map { .array([.double($0.0), .double($0.1)]) } ?? .null }
    func metricMembers(_ r: Metrics.Full?) -> [(String, JSONValue)] {
      [("AP", num(r?.ap)), ("AP50", num(r?.ap50)), ("AP75", num(r?.ap75)), ("recall", num(r?.recall))]
    }
    func classes(_ r: Metrics.Full?) -> JSONValue {
      .array(dataset.categories.enumerated().map { k, c in
        let pc = r?.perClass[k]
        return .object(
          [("id", .integer(c.id)), ("name", .string(c.name))]
            + [("AP", num(pc?.ap)), ("AP50", num(pc?.ap50)), ("AP75", num(pc?.ap75)), ("recall", num(pc?.recall))])
      })
    }
    let intervalSpec: JSONValue = .object([
      ("resamples", .integer(options.resamples)), ("unit", .string("sample")), ("method", .string("percentile")),
      ("confidence", .double(0.95)), ("metrics", .array([.string("AP50"), .string("recall")])),
      ("seed", .string("sha256(\"scn-eval/1 bootstrap <identity_sha256> <slice>\")")),
    ])
    let datasetJSON: JSONValue = .object([
      ("scenario", .string(dataset.scenario)), ("identity_sha256", .string(dataset.identityHash)),
      ("ir_sha256", .string(dataset.irHash)), ("camera", .string(dataset.camera)),
      ("coco_file", .string("annotations/coco_\(dataset.camera).json")),
    ])
    let predictionsJSON: JSONValue = .object([
      ("path", .string(predictionsPath)), ("sha256", .string(predictionsHash)), ("detections", .integer(detections.count)),
    ])
    let settings: JSONValue = .object([
      ("iou", .double(options.iou)), ("below", .double(options.below)), ("metric", .string(options.metric.rawValue)),
      ("max_detections", .integer(EvalIndex.maximumDetections)), ("intervals", intervalSpec),
      ("minimum_gap_samples", .integer(10)),
      ("worst_images", .object([
        ("count", .integer(WorstImages.count)), ("score_threshold", .double(WorstImages.scoreThreshold)),
        ("rule", .string("detections scoring at least score_threshold matched greedily by falling score to ground truth of their class at IoU >= iou; images ranked by missed + false")),
      ])),
    ])
    func rowJSON(_ row: Row) -> JSONValue {
      .object(
        [("kind", .string(row.slice.kind)), ("name", .string(row.slice.name))] + row.slice.details
          + [("samples", .integer(row.samples)), ("objects", .integer(row.objects))] + metricMembers(row.result)
          + [
            ("intervals", .object([("AP50", pair(row.interval.ap50)), ("recall", pair(row.interval.recall))])),
            ("classes", classes(row.result)),
          ])
    }
    func gapJSON(_ gap: (row: Row, value: Double, interval: (Double, Double), reason: String)) -> JSONValue {
      .object(
        [("kind", .string(gap.row.slice.kind)), ("name", .string(gap.row.slice.name))]
          + [("samples", .integer(gap.row.samples)), ("objects", .integer(gap.row.objects))]
          + [
            ("metric", .string(options.metric.rawValue)), ("value", .double(gap.value)),
            ("interval", pair(gap.interval)), ("reason", .string(gap.reason)),
            ("focus", gap.row.slice.focus.map(JSONValue.object) ?? .null),
          ])
    }
    let evalDocument: JSONValue = .object([
      ("schema", .string(schema)), ("dataset", datasetJSON), ("predictions", predictionsJSON), ("settings", settings),
      ("overall", .object(
        [
          ("samples", .integer(dataset.samples.count)), ("images", .integer(dataset.images.count)),
          ("objects", .integer(metrics.objectCount(weights: overallWeights, matching: matchings[0]))),
          ("detections", .integer(detections.count)),
        ] + metricMembers(overall)
          + [
            ("intervals", .object([("AP50", pair(overallInterval.ap50)), ("recall", pair(overallInterval.recall))])),
            ("classes", classes(overall)),
          ])),
      ("slices", .array(rows.map(rowJSON))),
      ("gaps", .array(gaps.map(gapJSON))),
      ("worst_images", WorstImages.json(WorstImages.find(dataset: dataset, detections: detections, imageOf: imageOf, iou: options.iou), dataset: dataset, detections: detections)),
    ])
    let gapsDocument: JSONValue = .object([
      ("schema", .string(gapsSchema)), ("dataset", datasetJSON),
      ("cover_points", .array(dataset.coverPoints.map { p in
        .object([("name", .string(p.name)), ("buckets", .array(p.buckets.map(JSONValue.string)))])
      })),
      ("samples", .integer(dataset.samples.count)),
      ("bucket_samples", .object(dataset.coverPoints.map { p in
        (p.name, .object(p.buckets.map { b in
          (b, .integer(dataset.samples.filter { s in s.cover.contains { $0.point == p.name && $0.bucket == b } }.count))
        }))
      })),
      ("predictions_sha256", .string(predictionsHash)), ("metric", .string(options.metric.rawValue)),
      ("below", .double(options.below)), ("overall", num(overallMetric)),
      ("gaps", .array(gaps.map(gapJSON))),
    ])
    let evalText = evalDocument.pretty
    let lineage = EvalLineage.event(
      dataset: dataset, predictionsPath: predictionsPath, predictionsHash: predictionsHash,
      evalHash: hex(SHA256.hash(data: Array(evalText.utf8))), timestamp: timestamp)
    let html = EvalPage.html(
      dataset: dataset, overall: Optional(overall), overallInterval: overallInterval,
      rows: rows.map { ($0.slice.kind, $0.slice.name, $0.samples, $0.objects, $0.result, $0.interval) },
      gaps: Set(gaps.map { $0.row.slice.kind + "/" + $0.row.slice.name }), options: options)
    return EvalOutput(
      evalJSON: evalText, gapsJSON: gapsDocument.pretty, html: html, lineageJSON: lineage.pretty,
      gapNames: gaps.map { ($0.row.slice.name, $0.value) })
  }

  static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    for byte in digest {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}

/// Metrics over weighted images under one matching.
struct Metrics {
  struct PerClass {
    var ap: Double
    var ap50: Double
    var ap75: Double
    var recall: Double
  }
  struct Full {
    var ap: Double?
    var ap50: Double?
    var ap75: Double?
    var recall: Double?
    var perClass: [PerClass?]
  }

  let index: EvalIndex
  let imageOf: [Int]
  let iouIndex: Int
  var accumulator = Accumulator()

  init(index: EvalIndex, imageOf: [Int], iouIndex: Int) {
    self.index = index
    self.imageOf = imageOf
    self.iouIndex = iouIndex
  }

  func objectCount(weights: [Int32], matching: Matching) -> Int {
    var n = 0
    for image in 0..<index.imageCount where weights[image] != 0 {
      for k in 0..<index.categoryCount { n += Int(weights[image]) * Int(matching.counted[image * index.categoryCount + k]) }
    }
    return n
  }

  static func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }

  /// COCOeval's stats: AP over the ten thresholds, AP50, AP75, recall at `--iou`; per class too.
  mutating func full(weights: [Int32], matching: Matching) -> Full {
    var perClass: [PerClass?] = []
    for k in 0..<index.categoryCount {
      var aps: [Double] = []
      for t in 0..<Accumulator.iouThresholds.count {
        guard
          let r = accumulator.evaluate(
            category: k, threshold: t, weights: weights, index: index, matching: matching, imageOf: imageOf)
        else { break }
        aps.append(r.ap)
      }
      guard aps.count == Accumulator.iouThresholds.count,
        let r = accumulator.evaluate(
          category: k, threshold: iouIndex, weights: weights, index: index, matching: matching, imageOf: imageOf)
      else {
        perClass.append(nil)
        continue
      }
      perClass.append(
        PerClass(ap: aps.reduce(0, +) / Double(aps.count), ap50: aps[0], ap75: aps[5], recall: r.recall))
    }
    let valid = perClass.compactMap { $0 }
    return Full(
      ap: Self.mean(valid.map(\.ap)), ap50: Self.mean(valid.map(\.ap50)), ap75: Self.mean(valid.map(\.ap75)),
      recall: Self.mean(valid.map(\.recall)), perClass: perClass)
  }

  /// AP50 and recall at `--iou`: what the bootstrap resamples.
  mutating func headline(weights: [Int32], matching: Matching) -> (ap50: Double?, recall: Double?) {
    var ap50: [Double] = []
    var recall: [Double] = []
    for k in 0..<index.categoryCount {
      guard
        let a = accumulator.evaluate(
          category: k, threshold: 0, weights: weights, index: index, matching: matching, imageOf: imageOf)
      else { continue }
      ap50.append(a.ap)
      if iouIndex == 0 {
        recall.append(a.recall)
      } else if let r = accumulator.evaluate(
        category: k, threshold: iouIndex, weights: weights, index: index, matching: matching, imageOf: imageOf)
      {
        recall.append(r.recall)
      }
    }
    return (Self.mean(ap50), Self.mean(recall))
  }
}

/// Percentile bootstrap over samples: every frame of a drawn sample comes with it. The
/// stream for a slice is seeded from the dataset's identity and the slice's name, so the
/// intervals do not depend on which other slices exist or on their order.
struct Bootstrap {
  struct Intervals {
    var ap50: (Double, Double)?
    var recall: (Double, Double)?
  }
  let resamples: Int
  let identity: String

  init(resamples: Int, identity: String) {
    self.resamples = resamples
    self.identity = identity
  }

  func intervals(
    id: String, population: [Int], imagesOfSample: [[Int]], imageCount: Int,
    metric: (inout [Int32]) -> (ap50: Double?, recall: Double?)
  ) -> Intervals {
    guard !population.isEmpty else { return Intervals(ap50: nil, recall: nil) }
    let digest = Array(SHA256.hash(data: Array("scn-eval/1 bootstrap \(identity) \(id)".utf8)))
    var state = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    var ap50: [Double] = []
    var recall: [Double] = []
    var weights = [Int32](repeating: 0, count: imageCount)
    let n = UInt64(population.count)
    for _ in 0..<resamples {
      for i in weights.indices { weights[i] = 0 }
      for _ in 0..<population.count {
        let r = SplitMix64.next(&state).multipliedFullWidth(by: n).high
        for image in imagesOfSample[population[Int(r)]] { weights[image] += 1 }
      }
      let m = metric(&weights)
      if let a = m.ap50 { ap50.append(a) }
      if let r = m.recall { recall.append(r) }
    }
    func interval(_ xs: [Double]) -> (Double, Double)? {
      guard !xs.isEmpty else { return nil }
      let sorted = xs.sorted()
      return (SliceCatalogue.quantile(sorted, 0.025), SliceCatalogue.quantile(sorted, 0.975))
    }
    return Intervals(ap50: interval(ap50), recall: interval(recall))
  }
}

/// Steele, Lea and Flood's SplitMix64: small, fast and fully specified.
enum SplitMix64 {
  static func next(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
